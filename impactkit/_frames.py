"""Input tables: the one coercer to pandas and the shared column checks.

- :func:`as_pandas` — pandas frames pass through untouched; polars, pyarrow and any other
  frame narwhals knows (or anything with ``to_pandas()``) are converted; anything else is a
  :class:`~impactkit.errors.DataError` naming the caller.
- :func:`as_narwhals` — the same for code written against narwhals (eager or lazy).
- :func:`columns_of`, :func:`require_columns` — column names and presence.
- :func:`numeric_array` — one numeric column as floats, bad entries named by row.
- :func:`binary_column` — one 0/1 (or boolean) column, bad entries named by row or unit id.

None of them modifies its input.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from .errors import DataError, MissingColumnError, describe_rows

__all__ = [
    "as_pandas",
    "as_narwhals",
    "columns_of",
    "require_columns",
    "numeric_array",
    "binary_column",
    "describe_ids",
    "ENGINES",
]


#: The inputs that run on their own engine (``compute``, ``evaluate``, ``cascade``), as named
#: in error messages; each is tested against pandas in ``tests/engines``.
ENGINES = (
    "pandas DataFrame, Polars DataFrame or LazyFrame, pyarrow Table, DuckDB relation, "
    "Ibis table, Dask DataFrame or PySpark DataFrame"
)
#: The inputs that functions needing the rows in memory accept (converted to pandas).
EAGER = "pandas or Polars DataFrame or pyarrow Table (collect a lazy frame first)"


def _not_a_frame(data: Any, context: str, accepted: str = EAGER) -> DataError:
    return DataError(f"{context}: expected a data frame ({accepted}), got {type(data).__name__}")


def as_pandas(data: Any, context: str) -> pd.DataFrame:
    """``data`` as a pandas DataFrame (the same object if it already is one).

    Eager narwhals-supported frames (polars, pyarrow, modin, ...) are converted through
    narwhals; other objects with a ``to_pandas()`` method through that method.  Raises
    :class:`DataError` naming ``context`` for anything else (e.g. a polars LazyFrame, a dict).
    """
    if isinstance(data, pd.DataFrame):
        return data
    import narwhals as nw

    try:
        return nw.from_native(data, eager_only=True).to_pandas()
    except TypeError:
        pass
    to_pandas = getattr(data, "to_pandas", None)
    if callable(to_pandas):
        frame = to_pandas()
        if isinstance(frame, pd.DataFrame):
            return frame
    raise _not_a_frame(data, context)


def as_narwhals(data: Any, context: str) -> Any:
    """A narwhals DataFrame or LazyFrame over ``data`` (any of :data:`ENGINES`);
    :class:`DataError` listing them otherwise."""
    import narwhals as nw

    try:
        return nw.from_native(data)
    except TypeError:
        raise _not_a_frame(data, context, ENGINES) from None


def columns_of(data: Any) -> list[str]:
    """Column names of a pandas or narwhals-compatible frame, as strings."""
    cols = getattr(data, "columns", None)
    if cols is None:
        raise DataError(f"expected a data frame with named columns, got {type(data).__name__}")
    return [str(c) for c in cols]


def require_columns(data: Any, columns: Iterable[str], context: str | None = None) -> None:
    """Raise :class:`MissingColumnError` for the first of ``columns`` not in ``data``."""
    available = columns_of(data)
    for col in columns:
        if col not in available:
            raise MissingColumnError(col, available, context)


def numeric_array(values: Any, name: str, *, allow_nan: bool = False) -> np.ndarray:
    """Return ``values`` as a 1-d float array, or raise :class:`DataError` naming ``name``.

    Non-numeric entries are reported with their positions; missing values are an error
    unless ``allow_nan``.
    """
    if isinstance(values, pd.DataFrame):
        raise DataError(f"{name}: expected one column of numbers, got a table")
    series = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values).ravel())
    if series.dtype == bool:
        series = series.astype(float)
    converted = pd.to_numeric(series, errors="coerce")
    bad = converted.isna() & series.notna()
    if bad.any():
        examples = ", ".join(repr(v) for v in series[bad].head(3))
        raise DataError(
            f"{name}: expected numbers, found {examples} at {describe_rows(series.index[bad])}"
        )
    arr = converted.to_numpy(dtype=float, na_value=np.nan)
    if not allow_nan and np.isnan(arr).any():
        raise DataError(
            f"{name}: {int(np.isnan(arr).sum())} missing values at "
            f"{describe_rows(series.index[np.isnan(arr)])}; drop or impute them first"
        )
    if np.isinf(arr).any():
        raise DataError(f"{name}: infinite values at {describe_rows(series.index[np.isinf(arr)])}")
    return arr


def describe_ids(ids: pd.Index, bad: np.ndarray, unit: str | None) -> str:
    """Name offending rows by unit id (``"household h3, h7"``) or, without ``unit``, by row
    label (``"rows 3, 7"``)."""
    chosen = list(ids[bad])
    if unit is None:
        return describe_rows(chosen)
    shown = ", ".join(str(v) for v in chosen[:10])
    more = f" (and {len(chosen) - 10} more)" if len(chosen) > 10 else ""
    return f"{unit} {shown}{more}"


def _binary_values(series: pd.Series) -> np.ndarray:
    """Floats of a column; NaN for missing, -1 for entries that are not a bool or number."""
    if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_numeric_dtype(series.dtype):
        return series.to_numpy(dtype=float, na_value=np.nan)
    out = np.empty(len(series), dtype=float)
    for i, v in enumerate(series.to_numpy(dtype=object)):
        if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
            out[i] = np.nan
        elif isinstance(v, (bool, np.bool_, int, float, np.integer, np.floating)):
            out[i] = float(v)
        else:
            out[i] = -1.0  # flagged as invalid by the caller
    return out


_BINARY_WORDS = ("0", "1", "0.0", "1.0", "True", "False", "true", "false")


def _stray_text(series: pd.Series, bad: np.ndarray) -> tuple[np.ndarray, str]:
    """In a column read as text because of a few stray entries (a CSV with one "maybe"),
    point at those entries rather than at every row."""
    if not all(isinstance(v, str) for v in series[bad]):
        return bad, ""
    stray = bad & ~series.astype(str).str.strip().isin(_BINARY_WORDS).to_numpy()
    if not stray.any() or stray.sum() == bad.sum():
        return bad, ""
    return stray, " (because of them the whole column is read as text)"


def binary_column(
    series: pd.Series,
    name: str,
    *,
    context: str | None = None,
    ids: pd.Index | None = None,
    unit: str | None = None,
) -> np.ndarray:
    """A 0/1 or boolean column as a float array of 0.0 and 1.0.

    Accepted entries: booleans and the numbers 0 and 1.  Missing values and anything else
    raise :class:`DataError` naming ``context``, the column ``name`` and the offending rows —
    by unit id when ``unit`` (the id column's name) and ``ids`` (one id per row) are given,
    else by row label.
    """
    values = _binary_values(series)
    where = pd.Index(ids) if ids is not None else series.index
    prefix = f"{context}: " if context else ""
    missing = np.isnan(values)
    if missing.any():
        raise DataError(
            f"{prefix}column {name!r} has {int(missing.sum())} missing values at "
            f"{describe_ids(where, missing, unit)}; expected 0/1 or True/False in every row"
        )
    bad = (values != 0) & (values != 1)
    if bad.any():
        bad, why = _stray_text(series, bad)
        examples = ", ".join(
            repr(getattr(v, "item", lambda v=v: v)()) for v in series[bad].unique()[:3]
        )
        raise DataError(
            f"{prefix}column {name!r} must hold 0/1 or True/False; found {examples} at "
            f"{describe_ids(where, bad, unit)}{why}"
        )
    return (values == 1).astype(float)
