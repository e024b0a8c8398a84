"""compute(..., design=SurveyDesign(...)) for every indicator kind, on every engine.

References: R ``survey`` 4.5 published output (api data; the digits R printed, tolerance half
a unit in the last one) and the row-level numpy textbook implementation in survey_textbook.py
(which shares no code with impactkit) to 1e-8, on the public api data sets the code under test
did not generate.  Data: sample_data/reference/SURVEY_DATA.md.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from survey_textbook import textbook

import impactkit as ik
from impactkit.errors import DataError, EstimationError
from impactkit.indicators import Indicator, compute
from impactkit.survey import SurveyDesign

REF = Path(__file__).resolve().parents[2] / "sample_data" / "reference"
CLUS1 = pd.read_csv(REF / "apiclus1.csv")
CLUS2 = pd.read_csv(REF / "apiclus2.csv").assign(band=lambda d: (d["dnum"] % 3).astype(str))
TEXT = {"description": "api", "unit": "u"}


def ind(kind: str, **kw: object) -> Indicator:
    return Indicator(id=f"i_{kind}", name=kind, kind=kind, **TEXT, **kw)  # type: ignore[arg-type]


KINDS = {
    "proportion": ind("proportion", numerator="`sch.wide` == 'Yes'"),
    "mean": ind("mean", value="api00"),
    "sum": ind("sum", value="enroll"),
    "rate": ind("rate", events="`api.stu`", exposure="enroll", per=100),
    "ratio": ind("ratio", numerator="`api.stu`", denominator="enroll"),
}


def _close(value: float, printed: str) -> None:
    digits = len(printed.split(".")[1]) if "." in printed else 0
    assert abs(value - float(printed)) <= 0.5 * 10.0**-digits + 1e-12, (value, printed)


# ------------------------------------------------------------ R survey 4.5 -------------------


def test_r_cluster_mean_total_and_ratio_through_compute():
    # api.Rout.saved: dclus1 <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1)
    design = SurveyDesign(weights="pw", psu="dnum", fpc="fpc")
    out = compute([KINDS["mean"], KINDS["sum"], KINDS["ratio"]], CLUS1, design=design)
    out = out.set_index("indicator")
    _close(out.loc["i_mean", "value"], "644.17"), _close(out.loc["i_mean", "se"], "23.542")
    _close(out.loc["i_sum", "value"], "3404940"), _close(out.loc["i_sum", "se"], "932235")
    # survey.pdf vignette: svyratio(~api.stu, ~enroll, dclus1)
    _close(out.loc["i_ratio", "value"], "0.8497087")
    _close(out.loc["i_ratio", "se"], "0.008386297")
    assert (out["df"] == 14).all() and (out["n_psu"] == 15).all()
    t = stats.t.ppf(0.975, 14)
    m = out.loc["i_mean"]
    assert (m["ci_low"], m["ci_high"]) == pytest.approx(
        (m["value"] - t * m["se"], m["value"] + t * m["se"]), rel=1e-12
    )


def test_r_svyby_is_domain_estimation_through_compute():
    # survey.pdf vignette: svyby(~ell + meals, ~stype, design = dclus1, svymean)
    design = SurveyDesign(weights="pw", psu="dnum", fpc="fpc")
    inds = [Indicator(id=v, name=v, kind="mean", value=v, **TEXT) for v in ("ell", "meals")]
    out = compute(inds, CLUS1, by="stype", design=design).set_index(["indicator", "stype"])
    published = {
        ("ell", "E"): ("29.69444", "1.411617"),
        ("ell", "H"): ("15.00000", "5.347065"),
        ("ell", "M"): ("22.68000", "2.952862"),
        ("meals", "E"): ("53.09028", "7.070399"),
        ("meals", "H"): ("37.57143", "5.912262"),
        ("meals", "M"): ("43.08000", "6.017110"),
    }
    for key, (mean, se) in published.items():
        _close(out.loc[key, "value"], mean), _close(out.loc[key, "se"], se)
    assert (out["df"] == 14).all()  # every domain keeps the design's df


def test_r_weights_alone_is_svydesign_ids_1():
    # tests/deff.Rout.save: svydesign(ids = ~1, weights = ~pps_w); svymean(..., deff = "replace")
    kigyo = pd.DataFrame(
        {
            "uriage": [15, 143, 21, 51, 337, 50, 274, 145, 15, 86],
            "pps_w": [20, 200, 11, 25, 550, 30, 250, 100, 10, 55],
        }
    )
    out = compute(ind("mean", value="uriage"), kigyo, weights="pps_w").iloc[0]
    _close(out["value"], "243.914"), _close(out["se"], "48.752"), _close(out["deff"], "1.9741")
    total = compute(ind("sum", value="uriage"), kigyo, weights="pps_w").iloc[0]
    _close(total["value"], "305136"), _close(total["se"], "184965"), _close(total["deff"], "18.157")
    assert out["df"] == 9 and out["n_psu"] == 10


# ------------------------------------------------------------ textbook, every engine ---------


def _duckdb(frame: pd.DataFrame):
    duckdb = pytest.importorskip("duckdb")
    con = duckdb.connect()
    con.register("api", frame)
    return con.sql("select * from api")


ENGINES = {
    "pandas": lambda d: d,
    "polars": pl.from_pandas,
    "polars-lazy": lambda d: pl.from_pandas(d).lazy(),
    "duckdb": _duckdb,
}
DESIGNS = {
    "clusters": SurveyDesign(weights="pw", psu="dnum"),
    "strata-clusters-fpc": SurveyDesign(weights="pw", strata="band", psu="dnum", fpc=0.05),
    "strata-rows": SurveyDesign(weights="pw", strata="band"),
    "weights-only": SurveyDesign(weights="pw"),
}


def _reference(kind: str, design: SurveyDesign, data: pd.DataFrame, dom: np.ndarray) -> dict:
    """The numpy textbook numbers for one domain of one kind (rows with a missing value of
    the indicator's columns are outside its population, as in compute)."""
    enroll, stu = data["enroll"].to_numpy(float), data["api.stu"].to_numpy(float)
    y, x, total = {
        "proportion": ((data["sch.wide"] == "Yes").to_numpy(float), None, False),
        "mean": (data["api00"].to_numpy(float), None, False),
        "sum": (enroll, None, True),
        "rate": (stu, enroll, False),
        "ratio": (stu, enroll, False),
    }[kind]
    ok = dom & ~np.isnan(y) & (np.ones(len(y), bool) if x is None else ~np.isnan(x))
    strata = data[design.strata].to_numpy() if design.strata else None
    psu = data[design.psu].to_numpy() if design.psu else None
    fpc = None
    if design.fpc is not None:
        labels = strata if strata is not None else np.zeros(len(data), dtype=object)
        fpc = {}
        for h in pd.unique(labels):
            in_h = labels == h
            n_h = len(pd.unique(psu[in_h])) if psu is not None else int(in_h.sum())
            fpc[h] = n_h / float(design.fpc)
    w = data["pw"].to_numpy(float)
    ref = textbook(
        np.nan_to_num(y),
        None if x is None else np.nan_to_num(x),
        w,
        strata,
        psu,
        ok,
        total=total,
        fpc_pop=fpc,
    )
    return ref


@pytest.mark.parametrize("engine", list(ENGINES))
@pytest.mark.parametrize("design_id", list(DESIGNS))
def test_every_kind_matches_the_textbook_on_every_engine(engine, design_id):
    design = DESIGNS[design_id]
    out = compute(list(KINDS.values()), ENGINES[engine](CLUS2), by="stype", design=design)
    out = out.set_index(["indicator", "stype"])
    for kind in KINDS:
        for stype in ("E", "H", "M"):
            ref = _reference(kind, design, CLUS2, (CLUS2["stype"] == stype).to_numpy())
            row = out.loc[(f"i_{kind}", stype)]
            scale = 100.0 if kind == "rate" else 1.0
            assert row["value"] == pytest.approx(scale * ref["estimate"], rel=1e-8)
            assert row["se"] == pytest.approx(scale * np.sqrt(ref["variance"]), rel=1e-8)
            assert row["deff"] == pytest.approx(ref["deff_srswr"], rel=1e-8)


def test_proportion_intervals_logit_korn_graubard_wilson():
    """Logit by default; the formulas written out here (R svyciprop's definitions)."""
    design = DESIGNS["clusters"]
    p_ind = KINDS["proportion"]
    row = compute(p_ind, CLUS2, design=design).iloc[0]
    p, se, df = row["value"], row["se"], row["df"]
    t = stats.t.ppf(0.975, df)
    logit, half = np.log(p / (1 - p)), t * se / (p * (1 - p))
    expit = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(
        (expit(logit - half), expit(logit + half)), rel=1e-10
    )
    kg = compute(p_ind, CLUS2, design=design, method="korn-graubard").iloc[0]
    n = kg["n"]
    n_star = p * (1 - p) / se**2 * (stats.t.ppf(0.975, n - 1) / t) ** 2
    lo = stats.beta.ppf(0.025, n_star * p, n_star * (1 - p) + 1)
    hi = stats.beta.ppf(0.975, n_star * p + 1, n_star * (1 - p))
    assert (kg["ci_low"], kg["ci_high"]) == pytest.approx((lo, hi), rel=1e-10)
    cp = compute(p_ind, CLUS2, design=design, method="clopper-pearson").iloc[0]
    assert cp["ci_low"] == kg["ci_low"]
    wilson = compute(p_ind, CLUS2, design=design, method="wilson").iloc[0]
    assert wilson["ci_low"] < p < wilson["ci_high"]
    assert "logit" in row["ci_method"] and "Korn-Graubard" in kg["ci_method"]


# ------------------------------------------------------------ properties ---------------------


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**16), c=st.floats(0.01, 100))
def test_relabelling_reordering_and_scaling_weights(seed: int, c: float):
    rng = np.random.default_rng(seed)
    design = DESIGNS["strata-clusters-fpc"]
    base = compute(list(KINDS.values()), CLUS2, by="stype", design=design)
    labels = CLUS2["dnum"].unique()
    codes = {d: f"psu-{v}" for d, v in zip(labels, rng.permutation(len(labels)), strict=True)}
    bands = {"0": "z", "1": "y", "2": "x"}
    other = CLUS2.assign(
        dnum=CLUS2["dnum"].map(codes), band=CLUS2["band"].map(bands), pw=CLUS2["pw"] * c
    ).sample(frac=1.0, random_state=seed)
    moved = compute(list(KINDS.values()), other, by="stype", design=design)
    total = moved["kind"] == "sum"
    for col in ("value", "se", "ci_low", "ci_high"):
        np.testing.assert_allclose(moved.loc[~total, col], base.loc[~total, col], rtol=1e-9)
        np.testing.assert_allclose(moved.loc[total, col], c * base.loc[total, col], rtol=1e-9)
    for col in ("deff", "df", "n", "n_psu"):
        np.testing.assert_allclose(moved[col], base[col], rtol=1e-9)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(5, 60), seed=st.integers(0, 2**16), w=st.floats(0.1, 50))
def test_one_row_per_psu_equal_weights_is_srs(n: int, seed: int, w: float):
    """deff = 1, and the mean's SE is the SRS s / sqrt(n) of compute without a design."""
    rng = np.random.default_rng(seed)
    data = pd.DataFrame({"api00": rng.normal(600, 80, n), "pw": w, "dnum": np.arange(n)})
    row = compute(KINDS["mean"], data, design=SurveyDesign(weights="pw", psu="dnum")).iloc[0]
    plain = compute(KINDS["mean"], data).iloc[0]
    assert row["deff"] == pytest.approx(1.0, rel=1e-9)
    assert row["se"] == pytest.approx(plain["se"], rel=1e-9)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((plain["ci_low"], plain["ci_high"]))


def test_same_columns_with_and_without_a_design():
    a = compute(list(KINDS.values()), CLUS2, by="stype")
    b = compute(list(KINDS.values()), CLUS2, by="stype", design=DESIGNS["clusters"])
    assert list(a.columns) == list(b.columns)
    assert {"se", "df", "deff", "n_psu"} <= set(a.columns)
    assert list(a["stype"]) == list(b["stype"]) and (a["n"] == b["n"]).all()
    assert (a["n_missing"] == b["n_missing"]).all()


def test_top_level_name():
    assert ik.SurveyDesign is SurveyDesign


# ------------------------------------------------------------ bad input ----------------------


def test_weights_and_design_disagree():
    with pytest.raises(DataError, match="disagree"):
        compute(KINDS["mean"], CLUS2, weights="pw", design=SurveyDesign(weights="fpc"))


def test_design_must_be_a_survey_design():
    with pytest.raises(DataError, match="SurveyDesign"):
        compute(KINDS["mean"], CLUS2, design={"psu": "dnum"})  # type: ignore[arg-type]


def test_method_not_available_with_a_design():
    with pytest.raises(DataError, match="not available with a survey design"):
        compute(KINDS["rate"], CLUS2, weights="pw", method="exact")


def test_missing_weight_names_the_rows():
    data = CLUS2.copy()
    data.loc[[3, 7], "pw"] = np.nan
    with pytest.raises(DataError, match=r"'pw'.*rows? 3, 7"):
        compute(KINDS["mean"], data, weights="pw")


def test_lonely_psu_names_the_stratum():
    data = CLUS1.assign(s=np.where(CLUS1["dnum"] == 413, "alone", "rest"))
    with pytest.raises(EstimationError, match="stratum 'alone' of column 's'"):
        compute(KINDS["mean"], data, design=SurveyDesign(weights="pw", strata="s", psu="dnum"))


def test_psu_shared_across_strata_without_nest():
    data = CLUS2.assign(dnum=CLUS2["dnum"] % 5)
    with pytest.raises(DataError, match="nest=True"):
        compute(KINDS["mean"], data, design=SurveyDesign(weights="pw", strata="band", psu="dnum"))
