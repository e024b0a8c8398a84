"""Input handling shared by the charts: a tidy table in, checked numeric columns and row
labels out.  Every problem is a :class:`~impactkit.errors.DataError` that names the chart and
the column; inputs are never modified."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._frames import as_pandas, numeric_array, require_columns
from ..errors import DataError


def _table(data: Any, columns: Sequence[str], context: str) -> pd.DataFrame:
    """``data`` as a pandas frame (:func:`impactkit._frames.as_pandas`; never modified) after
    checking that it has ``columns`` and at least one row."""
    frame = as_pandas(data, context)
    require_columns(frame, columns, context)
    if len(frame) == 0:
        raise DataError(f"{context}: the table is empty, there is nothing to draw")
    return frame


def _num(frame: pd.DataFrame, column: str, context: str, *, allow_nan: bool = False) -> np.ndarray:
    return numeric_array(frame[column], f"{context}: column {column!r}", allow_nan=allow_nan)


def _labels(frame: pd.DataFrame, column: str) -> list[str]:
    return ["n/a" if pd.isna(v) else str(v) for v in frame[column].tolist()]


def _ci_pair(
    frame: pd.DataFrame, cols: tuple[str, str] | None, context: str
) -> tuple[np.ndarray, np.ndarray] | None:
    if cols is None:
        return None
    if len(cols) != 2:
        raise DataError(
            f"{context}: an interval is given as (low_column, high_column), got {cols!r}"
        )
    require_columns(frame, cols, context)
    return (
        _num(frame, cols[0], context, allow_nan=True),
        _num(frame, cols[1], context, allow_nan=True),
    )


def _check_interval(
    est: np.ndarray, low: np.ndarray, high: np.ndarray, labels: Sequence[str], context: str
) -> None:
    """Intervals must contain their estimate (rows with a missing bound are skipped)."""
    ok = np.isnan(low) | np.isnan(high) | ((low <= est + 1e-12) & (est <= high + 1e-12))
    if not ok.all():
        bad = [labels[i] for i in np.flatnonzero(~ok)[:5]]
        raise DataError(
            f"{context}: the interval does not contain the estimate for {', '.join(map(repr, bad))}"
            "; check that the low and high columns are not swapped"
        )


def _interval_rows(
    table: pd.DataFrame, label: str, estimate: str, ci_low: str, ci_high: str, context: str
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Row labels, estimates and (possibly missing) bounds, checked to contain the estimates."""
    labels = _labels(table, label)
    est = _num(table, estimate, context)
    low = _num(table, ci_low, context, allow_nan=True)
    high = _num(table, ci_high, context, allow_nan=True)
    _check_interval(est, low, high, labels, context)
    return labels, est, low, high
