"""The narwhals view of input data used by indicators and expressions.

Indicators run on the data's own engine (pandas, or Polars eager or lazy) through narwhals:
:func:`as_frame` wraps the input (after :func:`prepare_pandas` gives untyped pandas
``object`` columns a precise dtype), :func:`collect` runs a query and returns pandas, and
:func:`fresh_names` picks helper column names that cannot clash with the user's.  None of
them modifies its input.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import narwhals as nw
import pandas as pd

from .._frames import as_narwhals
from ..errors import DataError, IndicatorDefinitionError

__all__ = ["as_frame", "collect", "frame_schema", "fresh_names", "prepare_pandas"]


def fresh_names(existing: Any, *bases: str) -> list[str]:
    """Column names ``_ik_<base>`` that do not clash with ``existing`` names."""
    taken = {str(c) for c in existing}
    prefix = "_ik_"
    while any(f"{prefix}{b}" in taken for b in bases):
        prefix += "_"
    return [f"{prefix}{b}" for b in bases]


def prepare_pandas(frame: Any, columns: Iterable[str]) -> Any:
    """Give pandas ``object`` columns among ``columns`` a precise dtype (on a copy).

    pandas stores booleans with missing values, and numbers mixed with ``None``, as
    ``object``; narwhals cannot tell their type.  Columns whose non-missing values are all
    booleans become nullable ``"boolean"``, all numbers become ``float64`` (missing -> NaN),
    all text becomes pandas' string dtype.  Other inputs are returned unchanged.
    """
    if not isinstance(frame, pd.DataFrame):
        return frame
    changes: dict[str, pd.Series] = {}
    for col in columns:
        if col not in frame.columns or frame[col].dtype != object:
            continue
        series = frame[col]
        inferred = pd.api.types.infer_dtype(series, skipna=True)
        if inferred == "boolean":
            changes[col] = series.astype("boolean")
        elif inferred in ("integer", "floating", "mixed-integer-float", "decimal"):
            changes[col] = pd.to_numeric(series).astype(float)
        elif inferred == "string":
            changes[col] = series.astype("str")
    if not changes:
        return frame
    out = frame.copy(deep=False)
    for col, series in changes.items():
        out[col] = series
    return out


def frame_schema(frame: Any) -> dict[str, Any]:
    """The narwhals schema (name -> dtype) of a pandas/Polars frame or LazyFrame."""
    try:
        return dict(nw.from_native(frame).collect_schema())
    except TypeError:
        raise DataError(f"expected a data frame, got {type(frame).__name__}") from None


def as_frame(data: Any, columns: Iterable[str], context: str) -> Any:
    """A narwhals DataFrame/LazyFrame over ``data`` (pandas object columns typed first).

    Anything that is not a data frame raises :class:`DataError` naming ``context``.
    """
    return as_narwhals(prepare_pandas(data, columns), context)


def collect(frame: Any, ids: Sequence[str]) -> pd.DataFrame:
    """Run the (possibly lazy) query and return pandas; engine errors become DataError
    naming the indicators ``ids``."""
    try:
        if isinstance(frame, nw.LazyFrame):
            frame = frame.collect()
        return frame.to_pandas()
    except (DataError, IndicatorDefinitionError):
        raise
    except Exception as exc:  # the engine's own error, e.g. a type clash in the data
        names = ", ".join(repr(i) for i in ids)
        raise DataError(f"computing indicator(s) {names} failed in the data engine: {exc}") from exc
