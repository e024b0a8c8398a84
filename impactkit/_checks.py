"""Small input checks shared by every module.

They turn bad input into a specific :mod:`impactkit.errors` exception instead of a pandas or
numpy traceback.  They never modify their arguments.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .errors import DataError, MissingColumnError, describe_rows

__all__ = [
    "require_columns",
    "numeric_array",
    "check_confidence",
    "check_proportion",
    "columns_of",
]


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


def check_confidence(confidence: float) -> float:
    """Return ``confidence`` as a float in (0, 1) or raise :class:`DataError`."""
    try:
        value = float(confidence)
    except (TypeError, ValueError):
        raise DataError(f"confidence must be a number in (0, 1), got {confidence!r}") from None
    if not 0.0 < value < 1.0 or math.isnan(value):
        raise DataError(f"confidence must be in (0, 1), e.g. 0.95; got {confidence!r}")
    return value


def check_proportion(value: float, name: str) -> float:
    """Return ``value`` as a float in [0, 1] or raise :class:`DataError` naming ``name``."""
    try:
        p = float(value)
    except (TypeError, ValueError):
        raise DataError(f"{name} must be a proportion in [0, 1], got {value!r}") from None
    if not 0.0 <= p <= 1.0 or math.isnan(p):
        raise DataError(f"{name} must be a proportion in [0, 1], got {value!r}")
    return p


def check_unique(labels: Sequence[object], what: str) -> None:
    """Raise :class:`DataError` if ``labels`` has duplicates."""
    seen: set[object] = set()
    dupes = [x for x in labels if x in seen or seen.add(x)]  # type: ignore[func-returns-value]
    if dupes:
        raise DataError(f"duplicate {what}: {', '.join(repr(d) for d in dict.fromkeys(dupes))}")
