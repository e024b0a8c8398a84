"""Input preparation shared by the before/after estimators (:mod:`.sizes`, :mod:`.prepost`).

Numbers in, clean float arrays out; missing values are dropped and counted in notes, never
silently.  Frame-level coercion and column checks are in :mod:`impactkit._frames`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from .._frames import binary_column, numeric_array
from ..errors import DataError, EstimationError

__all__ = ["clean_pair", "need", "binary"]


def binary(series: pd.Series, name: str, context: str) -> np.ndarray:
    """:func:`impactkit._frames.binary_column`, also accepting text ``"0"`` / ``"1"``.

    Text entries that read as numbers are converted first (as the estimators always did);
    other text stays as given so that the error quotes it.
    """
    if not (pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series)):
        numbers = pd.to_numeric(series, errors="coerce")
        series = numbers.astype(object).where(numbers.notna() | series.isna(), series)
    return binary_column(series, name, context=context)


def clean_pair(
    x: ArrayLike, y: ArrayLike, *, paired: bool, names: tuple[str, str] = ("x", "y")
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Numeric arrays with missing values dropped (pairwise when ``paired``) and notes."""
    a = numeric_array(x, names[0], allow_nan=True)
    b = numeric_array(y, names[1], allow_nan=True)
    notes: list[str] = []
    if paired:
        if a.size != b.size:
            raise DataError(
                f"paired data need equal lengths: {names[0]} has {a.size} values, "
                f"{names[1]} has {b.size}"
            )
        keep = ~(np.isnan(a) | np.isnan(b))
        dropped = int((~keep).sum())
        if dropped:
            notes.append(f"dropped {dropped} pair(s) with a missing value")
        return a[keep], b[keep], notes
    for arr, name in ((a, names[0]), (b, names[1])):
        k = int(np.isnan(arr).sum())
        if k:
            notes.append(f"dropped {k} missing value(s) from {name}")
    return a[~np.isnan(a)], b[~np.isnan(b)], notes


def need(arr: np.ndarray, minimum: int, name: str) -> None:
    """Raise :class:`EstimationError` when ``arr`` has fewer than ``minimum`` values."""
    if arr.size < minimum:
        raise EstimationError(
            f"{name}: need at least {minimum} non-missing observations, got {arr.size}"
        )
