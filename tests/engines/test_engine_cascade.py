"""cascade() on every engine: pandas' counts, and the counting pushed down to the engine.

Reference: cascade on pandas (validated against statsmodels' Wilson intervals and hand
counts in tests/adoption).  Spark: test_engine_spark.py.
"""

from __future__ import annotations

import narwhals as nw
import pandas as pd
import pytest
from _engines import ENGINES, STAGES, TOL, engine_warnings, make_data

import impactkit as ik
import impactkit.adoption._stage_counts as stage_counts
from impactkit.errors import DataError

DATA = make_data().assign(region=lambda d: d["region"].fillna("west"))
LAZY = ["polars-lazy", "duckdb", "ibis", "dask"]


def assert_same_cascade(out: ik.Cascade, ref: ik.Cascade, ordered: bool = True) -> None:
    pd.testing.assert_frame_equal(out.table, ref.table, rtol=TOL, atol=TOL)
    assert out.target == ref.target and out.bottleneck == ref.bottleneck
    groups = list(out.groups) if ordered else sorted(out.groups)
    assert groups == (list(ref.groups) if ordered else sorted(ref.groups))
    for g in groups:
        pd.testing.assert_frame_equal(out.groups[g].table, ref.groups[g].table, rtol=TOL)


@pytest.mark.parametrize("engine", list(ENGINES))
@pytest.mark.parametrize("by", [None, "region"])
def test_cascade_matches_pandas(engine: str, by: str | None) -> None:
    ref = ik.cascade(DATA, STAGES, by=by)
    with engine_warnings(engine):
        out = ik.cascade(ENGINES[engine](DATA), STAGES, by=by)
    assert_same_cascade(out, ref, ordered=engine not in LAZY)
    if engine in LAZY and by:  # no row order: groups come sorted by label
        assert list(out.groups) == sorted(ref.groups)


@pytest.mark.parametrize("engine", LAZY)
def test_cascade_is_one_aggregation_in_the_engine(engine: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The counts are one query; what comes back is one row per group, not the rows."""
    seen: list[tuple[bool, int]] = []
    real = stage_counts.collect

    def spy(frame, ids):  # type: ignore[no-untyped-def]
        table = real(frame, ids)
        seen.append((isinstance(frame, nw.LazyFrame), len(table)))
        return table

    monkeypatch.setattr(stage_counts, "collect", spy)
    with engine_warnings(engine):
        ik.cascade(ENGINES[engine](DATA), STAGES, by="region", target=None)
    assert seen == [(True, DATA["region"].nunique())]


def test_pandas_group_order_and_targets_are_kept() -> None:
    targets = {g: 200 for g in DATA["region"].unique()}
    out = ik.cascade(DATA, STAGES, by="region", target=targets)
    assert list(out.groups) == list(pd.unique(DATA["region"]))
    assert out.target == 200 * len(targets)


@pytest.mark.parametrize("engine", ["duckdb", "polars-lazy"])
def test_lazy_errors_name_the_units(engine: str) -> None:
    broken = DATA.copy()
    broken.loc[5, STAGES] = [True, 1, False, True]  # using, but never received
    with pytest.raises(DataError, match=r"not at the stage before it, 'received': hh 5;"):
        ik.cascade(ENGINES[engine](broken), STAGES, unit="hh")
    missing = DATA.assign(region=DATA["region"].where(DATA["hh"] != 9, None))
    with pytest.raises(DataError, match="group column 'region' has missing values at 1 rows"):
        ik.cascade(ENGINES[engine](missing), STAGES, by="region")
    numbers = DATA.assign(visited=DATA["visited"].where(DATA["hh"] != 3, 2))
    with pytest.raises(DataError, match="column 'visited' must hold 0/1.*at hh 3$"):
        ik.cascade(ENGINES[engine](numbers), STAGES, unit="hh")


@pytest.mark.parametrize("engine", ["polars", "pyarrow"])
def test_eager_errors_are_the_row_level_ones(engine: str) -> None:
    """An eager input with a broken rule gets the pandas path's message, naming the rows."""
    stages = ["eligible", "reached"]  # reached has missing values
    with pytest.raises(DataError) as ref:
        ik.cascade(DATA, stages, unit="hh")
    with pytest.raises(DataError) as out:
        ik.cascade(ENGINES[engine](DATA), stages, unit="hh")
    assert str(out.value) == str(ref.value)
    assert "missing values at hh" in str(ref.value)
