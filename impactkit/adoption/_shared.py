"""Small helpers shared by the adoption modules (private to :mod:`impactkit.adoption`)."""

from __future__ import annotations

import importlib
import math
from collections.abc import Hashable
from types import ModuleType

import pandas as pd

from .._display import fmt
from ..errors import DataError, describe_rows

NAN = float("nan")


def charts() -> ModuleType:
    """Import :mod:`impactkit.charts` lazily (matplotlib is only needed to plot)."""
    return importlib.import_module("impactkit.charts")


def unit_ids(data: pd.DataFrame, unit: str | None) -> pd.Index:
    """One id per row: the ``unit`` column, or the row labels without one."""
    return pd.Index(data[unit]) if unit is not None else data.index


def group_values(data: pd.DataFrame, by: str) -> list[Hashable]:
    """Groups in order of first appearance; missing group labels are an error."""
    col = data[by]
    missing = col.isna().to_numpy()
    if missing.any():
        raise DataError(
            f"group column {by!r} has missing values at {describe_rows(data.index[missing])}"
        )
    return list(pd.unique(col))


def check_unit_ids(frame: pd.DataFrame, unit: str) -> None:
    """Raise :class:`DataError` naming the rows where the ``unit`` id is missing."""
    missing = frame[unit].isna().to_numpy()
    if missing.any():
        raise DataError(
            f"unit column {unit!r} has missing ids at {describe_rows(frame.index[missing])}"
        )


def label(name: object) -> str:
    """A column name for sentences: underscores become spaces."""
    return str(name).replace("_", " ")


def time_words(t: float) -> str:
    """A time or horizon for sentences: whole numbers without decimals ("365", not "365.0")."""
    if math.isfinite(t) and float(t).is_integer():
        return f"{int(t):,}"
    return fmt(t)


def whole(value: object, name: str) -> int:
    """A non-negative whole number (a count), or DataError naming ``name``."""
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise DataError(f"{name} must be a non-negative whole number, got {value!r}") from None
    if isinstance(value, bool) or not math.isfinite(x) or x < 0 or x != int(x):
        raise DataError(f"{name} must be a non-negative whole number, got {value!r}")
    return int(x)
