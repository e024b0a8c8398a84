"""impactkit.survey against the row-level textbook implementation (survey_textbook.py) to 1e-8.

Data the code under test did not generate: R survey's API samples.  Every kind (mean,
proportion, total, ratio, rate), with and without strata, clusters, fpc (counts and fractions),
domains and a population filter, and every lonely-PSU option.
"""

from __future__ import annotations

from pathlib import Path

import narwhals as nw
import numpy as np
import pandas as pd
import polars as pl
import pytest
from survey_textbook import textbook

import impactkit.survey as sv

REF = Path(__file__).resolve().parents[2] / "sample_data" / "reference"
API = {n: pd.read_csv(REF / f"{n}.csv") for n in ("apistrat", "apiclus1", "apiclus2")}
API["apiclus2"] = API["apiclus2"].assign(
    band=lambda d: d["dnum"] % 4, frac=0.05, rate_exp=lambda d: d["api.stu"].fillna(0) + 1
)
API["apiclus1"] = API["apiclus1"].assign(half=lambda d: np.where(d["dnum"] < 400, "lo", "hi"))

# (data, design, fpc population per stratum for the textbook)
DESIGNS = {
    "weights-only": ("apistrat", sv.SurveyDesign(weights="pw"), None),
    "strata-fpc": ("apistrat", sv.SurveyDesign(weights="pw", strata="stype", fpc="fpc"), "fpc"),
    "strata-no-fpc": ("apistrat", sv.SurveyDesign(weights="pw", strata="stype"), None),
    "clusters-fpc": ("apiclus1", sv.SurveyDesign(weights="pw", psu="dnum", fpc="fpc"), "fpc"),
    "strata-clusters": ("apiclus1", sv.SurveyDesign(weights="pw", strata="half", psu="dnum"), None),
    "clusters-fraction": (
        "apiclus2",
        sv.SurveyDesign(weights="pw", strata="band", psu="dnum", fpc="frac"),
        "frac",
    ),
    "unweighted-clusters": ("apiclus2", sv.SurveyDesign(psu="dnum"), None),
}

KINDS = {
    "mean": (lambda: nw.col("api00"), None, False),
    "proportion": (lambda: nw.col("sch.wide") == "Yes", None, False),
    "total": (lambda: nw.col("enroll"), None, True),
    "ratio": (lambda: nw.col("api.stu"), lambda: nw.col("enroll"), False),
    "rate": (lambda: nw.col("meals"), lambda: nw.col("rate_exp"), False),
}


def _numpy_kind(data: pd.DataFrame, kind: str) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    if kind == "mean":
        y, x = data["api00"].to_numpy(float), None
    elif kind == "proportion":
        y, x = (data["sch.wide"] == "Yes").to_numpy(float), None
    elif kind == "total":
        y, x = data["enroll"].to_numpy(float), None
    elif kind == "ratio":
        y, x = data["api.stu"].to_numpy(float), data["enroll"].to_numpy(float)
    else:
        y, x = data["meals"].to_numpy(float), data["rate_exp"].to_numpy(float)
    ok = np.isfinite(y) & (np.isfinite(x) if x is not None else True)
    return np.nan_to_num(y), (np.nan_to_num(x) if x is not None else None), ok


def _fpc_pop(data, design, fpc_col):
    if fpc_col is None:
        return None
    strata = data[design.strata] if design.strata else pd.Series(0, index=data.index)
    out = {}
    for h, rows in data.groupby(strata):
        value = float(rows[fpc_col].iloc[0])
        n_h = rows[design.psu].nunique() if design.psu else len(rows)
        out[h] = value if value > 1 else n_h / value
    return out


def _library(data, design, kind, by, population):
    make_y, make_x, total = KINDS[kind]
    y = make_y()
    x = make_x() if make_x else None
    include = ~y.is_null() if x is None else ~y.is_null() & ~x.is_null()
    if kind == "rate":
        data = data.assign(rate_exp=data["rate_exp"].fillna(1))
    if population is not None:
        include = include & population[0]
    est = sv.Estimand(kind, y, x, include=include, total=total)
    sums = sv.design_sums(nw.from_native(pl.from_pandas(data)), [est], by, design)
    wr = sv.linearise(sums, deff="srswr").tables[kind]
    wor = sv.linearise(sums, deff="srswor").tables[kind]
    return wr.assign(deff_srswor=wor["deff"])


@pytest.mark.parametrize("design_name", list(DESIGNS))
@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("domains", ["none", "stype", "population"])
def test_matches_textbook(design_name, kind, domains):
    data_name, design, fpc_col = DESIGNS[design_name]
    data = API[data_name]
    if "rate_exp" not in data:
        data = data.assign(rate_exp=data["api.stu"].fillna(0) + 1)
    by = ["stype"] if domains == "stype" else []
    population = (
        (nw.col("meals") > 30, data["meals"].to_numpy() > 30) if domains == "population" else None
    )
    got = _library(data, design, kind, by, population)
    y, x, ok = _numpy_kind(data, kind)
    w = data[design.weights].to_numpy(float) if design.weights else np.ones(len(data))
    strata = data[design.strata].to_numpy() if design.strata else None
    psu = data[design.psu].to_numpy() if design.psu else None
    fpc_pop = _fpc_pop(data, design, fpc_col)
    groups = (
        [(None, np.ones(len(data), bool))]
        if not by
        else [(g, (data["stype"] == g).to_numpy()) for g in sorted(data["stype"].unique())]
    )
    for label, mask in groups:
        include = ok & mask & (population[1] if population else True)
        ref = textbook(y, x, w, strata, psu, include, total=KINDS[kind][2], fpc_pop=fpc_pop)
        row = got.iloc[0] if label is None else got.set_index("stype").loc[label]
        np.testing.assert_allclose(row["estimate"], ref["estimate"], rtol=1e-10)
        np.testing.assert_allclose(row["variance"], ref["variance"], rtol=1e-8)
        np.testing.assert_allclose(row["deff"], ref["deff_srswr"], rtol=1e-8)
        if np.isfinite(ref["deff_srswor"]):
            np.testing.assert_allclose(row["deff_srswor"], ref["deff_srswor"], rtol=1e-8)
        else:
            assert np.isnan(row["deff_srswor"])


@pytest.mark.parametrize("option", ["remove", "certainty", "adjust", "average"])
@pytest.mark.parametrize("clustered", [False, True])
@pytest.mark.parametrize("kind", ["mean", "total"])
def test_lonely_psu_matches_textbook(option, clustered, kind):
    data = API["apiclus2"]
    # strata by district band with one band holding a single district
    band = np.where(data["dnum"] == data["dnum"].min(), "solo", (data["dnum"] % 3).astype(str))
    data = data.assign(band=band)
    if clustered:
        design = sv.SurveyDesign(weights="pw", strata="band", psu="dnum", lonely_psu=option)
    else:
        data = data.assign(band=np.where(data.index == 0, "solo", band))
        data.loc[data["band"] == "solo", "band"] = np.where(
            data.index[data["band"] == "solo"] == 0, "solo", "0"
        )
        design = sv.SurveyDesign(weights="pw", strata="band", lonely_psu=option)
    y = "api00" if kind == "mean" else "enroll"
    include = ~nw.col(y).is_null()
    est = sv.Estimand(kind, nw.col(y), include=include, total=kind == "total")
    got = sv.estimate(data, [est], design).tables[kind].iloc[0]
    yy = data[y].to_numpy(float)
    ref = textbook(
        np.nan_to_num(yy),
        None,
        data["pw"].to_numpy(float),
        data["band"].to_numpy(),
        data["dnum"].to_numpy() if clustered else None,
        np.isfinite(yy),
        total=kind == "total",
        lonely=option,
    )
    assert (data.groupby("band")["dnum" if clustered else "cds"].nunique() == 1).any()
    np.testing.assert_allclose(got["variance"], ref["variance"], rtol=1e-8)
