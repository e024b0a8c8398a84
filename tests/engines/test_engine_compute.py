"""compute() and evaluate() give pandas' numbers on every engine (to 1e-10).

Reference: impactkit on pandas (validated against independent implementations in
tests/indicators).  Spark: test_engine_spark.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _engines import ENGINES, INDICATORS, TOL, assert_same_table, engine_warnings, make_data

import impactkit as ik

DATA = make_data()


@pytest.mark.parametrize("engine", list(ENGINES))
@pytest.mark.parametrize(
    "by, weights",
    [(None, None), (["region", "sex"], None), (["region"], "w")],
    ids=["overall", "by-two", "by-weighted"],
)
def test_compute_matches_pandas(engine: str, by: list[str] | None, weights: str | None) -> None:
    native = ENGINES[engine](DATA)
    ref = ik.compute(INDICATORS, DATA, by=by, weights=weights)
    with engine_warnings(engine):
        out = ik.compute(INDICATORS, native, by=by, weights=weights)
    assert_same_table(out, ref, by or [])
    assert ref["region"].isna().any() if by else True  # the missing group label is tested


@pytest.mark.parametrize("engine", list(ENGINES))
def test_compute_with_period(engine: str) -> None:
    native = ENGINES[engine](DATA)
    ref = ik.compute(INDICATORS[:2], DATA, by="sex", period="region")
    with engine_warnings(engine):
        out = ik.compute(INDICATORS[:2], native, by="sex", period="region")
    assert_same_table(out, ref, ["sex", "period"])


@pytest.mark.parametrize("engine", list(ENGINES))
@pytest.mark.parametrize("which", [0, 1, 3, 4], ids=["proportion", "mean", "rate", "ratio"])
def test_evaluate_matches_pandas(engine: str, which: int) -> None:
    ind = INDICATORS[which]
    ref = ik.evaluate(ind, DATA, keep=["hh"])
    with engine_warnings(engine):
        out = ik.evaluate(ind, ENGINES[engine](DATA), keep=["hh"])
    out = out.sort_values("hh", ignore_index=True)  # lazy engines have no row order
    assert out["hh"].tolist() == ref["hh"].tolist()
    assert list(out.columns) == list(ref.columns)
    for col in ("in_population", "missing"):
        assert out[col].tolist() == ref[col].tolist(), col
    for col in out.columns[3:]:
        np.testing.assert_allclose(out[col], ref[col], rtol=TOL, atol=0, err_msg=col)


def test_evaluate_keep_is_checked() -> None:
    with pytest.raises(ik.errors.MissingColumnError, match="evaluate\\(keep=\\)"):
        ik.evaluate(INDICATORS[0], DATA, keep=["household"])
    with pytest.raises(ik.errors.DataError, match="cannot keep 'value'"):
        ik.evaluate(INDICATORS[0], DATA.assign(value=1), keep=["value"])
    kept = ik.evaluate(INDICATORS[0], DATA, keep=["hh", "region"])
    assert kept.index.equals(DATA.index)
    pd.testing.assert_series_equal(kept["region"], DATA["region"])


@pytest.mark.parametrize(
    "call",
    [
        lambda x: ik.compute(INDICATORS, x),
        lambda x: ik.evaluate(INDICATORS[0], x),
        lambda x: ik.cascade(x, ["eligible"]),
    ],
    ids=["compute", "evaluate", "cascade"],
)
@pytest.mark.parametrize("bad", [[[1, 2]], "households.csv", np.arange(3.0)])
def test_unsupported_input_lists_the_engines(call, bad) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ik.errors.DataError) as err:
        call(bad)
    text = str(err.value)
    for name in ("pandas", "Polars", "pyarrow", "DuckDB", "Ibis", "Dask", "PySpark"):
        assert name in text, (name, text)
    assert type(bad).__name__ in text


def test_a_mapping_is_not_a_frame() -> None:
    with pytest.raises(ik.errors.DataError, match="DuckDB relation.*got dict"):
        ik.compute(INDICATORS, {"y": [1.0, 2.0]})
