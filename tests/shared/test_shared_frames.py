"""impactkit._frames: the input coercer and the 0/1 column check."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from impactkit._frames import as_pandas, binary_column
from impactkit.errors import DataError


def test_as_pandas_passes_pandas_through_and_converts_polars() -> None:
    df = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    assert as_pandas(df, "ctx") is df
    pl = pytest.importorskip("polars")
    pd.testing.assert_frame_equal(as_pandas(pl.from_pandas(df), "ctx"), df)
    with pytest.raises(DataError, match=r"^ctx: expected a data frame.*got list"):
        as_pandas([1, 2], "ctx")
    with pytest.raises(DataError, match="got LazyFrame"):
        as_pandas(pl.from_pandas(df).lazy(), "ctx")


def test_binary_column_accepts_bools_and_0_1_only() -> None:
    out = binary_column(pd.Series([True, False, True]), "x")
    assert out.dtype == float and out.tolist() == [1.0, 0.0, 1.0]
    assert binary_column(pd.Series([1, 0], dtype=object), "x").tolist() == [1.0, 0.0]
    with pytest.raises(DataError, match=r"^ctx: column 'x' must hold 0/1.*'yes', 2 at rows 1, 2"):
        binary_column(pd.Series([1, "yes", 2]), "x", context="ctx")
    with pytest.raises(DataError, match=r"column 'x' must hold 0/1.*'1'"):
        binary_column(pd.Series(["1", "0"]), "x")
    ids = pd.Index(["h1", "h2", "h3"])
    with pytest.raises(DataError, match=r"'x' has 1 missing values at hh h3"):
        binary_column(pd.Series([1, 0, np.nan]), "x", ids=ids, unit="hh")
