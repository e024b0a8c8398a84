"""The same numbers on pandas, Polars eager and lazy, and DuckDB (one engine-side group_by)."""

from __future__ import annotations

from pathlib import Path

import narwhals as nw
import numpy as np
import pandas as pd
import polars as pl
import pytest

import impactkit.survey as sv

REF = Path(__file__).resolve().parents[2] / "sample_data" / "reference"
DATA = pd.read_csv(REF / "apiclus2.csv").assign(band=lambda d: (d["dnum"] % 3).astype(str))


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
ESTIMANDS = [
    sv.Estimand("mean", nw.col("api00")),
    sv.Estimand("prop", nw.col("sch.wide") == "Yes"),
    sv.Estimand("total", nw.col("enroll"), total=True, include=~nw.col("enroll").is_null()),
    sv.Estimand(
        "ratio",
        nw.col("api.stu"),
        nw.col("enroll"),
        include=~nw.col("enroll").is_null() & ~nw.col("api.stu").is_null(),
    ),
]
DESIGNS = [
    sv.SurveyDesign(weights="pw", psu="dnum"),
    sv.SurveyDesign(weights="pw", strata="band", psu="dnum", fpc=0.05),
    sv.SurveyDesign(weights="pw", strata="band"),
]


@pytest.mark.parametrize("engine", list(ENGINES))
@pytest.mark.parametrize("design", DESIGNS, ids=["clusters", "strata-clusters-fpc", "rows"])
def test_same_numbers_on_every_engine(engine, design):
    expected = sv.estimate(DATA, ESTIMANDS, design, "stype")
    got = sv.estimate(ENGINES[engine](DATA), ESTIMANDS, design, "stype")
    for name, table in expected.tables.items():
        other = got.tables[name].sort_values("stype").reset_index(drop=True)
        pd.testing.assert_series_equal(other["stype"], table["stype"])
        for col in ("estimate", "se", "df", "deff", "n", "n_psu", "ci_low", "ci_high"):
            np.testing.assert_allclose(other[col], table[col], rtol=1e-10, err_msg=col)


def test_input_not_mutated():
    before = DATA.copy()
    sv.estimate(DATA, ESTIMANDS, DESIGNS[1], "stype")
    pd.testing.assert_frame_equal(DATA, before)
