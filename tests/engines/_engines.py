"""Shared data, indicators and engine builders for tests/engines.

Every engine gets the same rows, built once in pandas: missing outcomes (NaN), missing
flags (pandas ``boolean`` with NA), missing group labels, weights, and a nested funnel of
stages for ``cascade``.  The reference for every engine is impactkit on pandas — itself
validated against independent implementations in tests/indicators and tests/adoption — and
the engines must agree with it to 1e-10.
"""

from __future__ import annotations

import importlib.metadata
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
import pytest

from impactkit.indicators import Indicator

TOL = 1e-10
STAGES = ["eligible", "visited", "received", "using"]
NUMBERS = ["value", "ci_low", "ci_high", "n", "n_missing", "numerator", "denominator", "n_eff"]


def _ind(id: str, kind: str, **keys: Any) -> Indicator:
    return Indicator(id=id, name=id, description="test", unit="u", kind=kind, **keys)


INDICATORS = [
    _ind("reach", "proportion", population="eligible", numerator="reached"),
    _ind("weight_kg", "mean", population="eligible", value="y"),
    _ind("total", "sum", value="ev"),
    _ind("visits", "rate", events="ev", exposure="ex", per=1000),
    _ind("cost_share", "ratio", numerator="ev", denominator="ex"),
]


def make_data(n: int = 240, seed: int = 7) -> pd.DataFrame:
    """``n`` households in 3 regions (a few without a region) and 2 sexes."""
    rng = np.random.default_rng(seed)
    region = pd.Series(rng.choice(["north", "south", "east"], n), dtype="str")
    region[rng.random(n) < 0.03] = None
    reached = pd.array(rng.random(n) < 0.6, dtype="boolean")
    reached[rng.random(n) < 0.05] = pd.NA
    y = rng.normal(50, 12, n)
    y[rng.random(n) < 0.04] = np.nan
    eligible = rng.random(n) < 0.9
    received = eligible & (rng.random(n) < 0.7)
    using = received & (rng.random(n) < 0.6)
    visited = eligible & (received | (rng.random(n) < 0.5))
    return pd.DataFrame(
        {
            "hh": np.arange(n, dtype="int64"),
            "region": region,
            "sex": rng.choice(["f", "m"], n),
            "eligible": eligible,
            "visited": visited.astype("int64"),  # a 0/1 stage next to boolean ones
            "reached": reached,
            "received": received,
            "using": using,
            "y": y,
            "ev": rng.poisson(3, n).astype("float64"),
            "ex": rng.uniform(1, 4, n),
            "w": rng.uniform(0.5, 3, n),
        }
    )


def arrow(df: pd.DataFrame) -> Any:
    import pyarrow as pa

    return pa.Table.from_pandas(df, preserve_index=False)


def _polars(df: pd.DataFrame) -> Any:
    pl = pytest.importorskip("polars")
    return pl.from_arrow(arrow(df))


def _polars_lazy(df: pd.DataFrame) -> Any:
    return _polars(df).lazy()


def _duckdb(df: pd.DataFrame) -> Any:
    duckdb = pytest.importorskip("duckdb")
    return duckdb.from_arrow(arrow(df))


def _ibis(df: pd.DataFrame) -> Any:
    ibis = pytest.importorskip("ibis", reason="ibis-framework[duckdb] is in the dev extra")
    return ibis.memtable(arrow(df))


def _dask(df: pd.DataFrame) -> Any:
    dd = pytest.importorskip("dask.dataframe", reason="dask[dataframe] is in the dev extra")
    return dd.from_pandas(df, npartitions=3)


#: Every engine but Spark (tests/engines/test_engine_spark.py has its own session).
ENGINES: dict[str, Callable[[pd.DataFrame], Any]] = {
    "polars": _polars,
    "polars-lazy": _polars_lazy,
    "pyarrow": arrow,
    "duckdb": _duckdb,
    "ibis": _ibis,
    "dask": _dask,
}


@contextmanager
def engine_warnings(engine: str) -> Iterator[None]:
    """Nothing is silenced.  Every engine must run without a warning, except Dask while the
    ``narwhals-dask`` plugin (which narwhals >= 2.29 asks for) is not installed: it is not
    on PyPI yet, so narwhals' built-in Dask backend runs and its FutureWarning is *expected*
    here — this fails as soon as the warning changes or the plugin appears (then no warning
    is allowed)."""
    if engine == "dask" and not _installed("narwhals-dask"):
        with pytest.warns(FutureWarning, match="narwhals-dask"):
            yield
        return
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def _installed(dist: str) -> bool:
    try:
        importlib.metadata.distribution(dist)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def assert_same_table(out: pd.DataFrame, ref: pd.DataFrame, keys: list[str]) -> None:
    """Same groups in the same order, and every number within 1e-10 of pandas'."""
    assert list(out.columns) == list(ref.columns)
    assert len(out) == len(ref)
    for key in ["indicator", *keys]:
        assert out[key].isna().tolist() == ref[key].isna().tolist(), key
        known = ref[key].notna().to_numpy()
        assert out[key][known].tolist() == ref[key][known].tolist(), key
    for col in NUMBERS:
        np.testing.assert_allclose(
            out[col].to_numpy(float), ref[col].to_numpy(float), rtol=TOL, atol=TOL, err_msg=col
        )
    assert out["ci_method"].tolist() == ref["ci_method"].tolist()
