"""Small input checks shared by every module.

They turn bad input into a specific :mod:`impactkit.errors` exception instead of a pandas or
numpy traceback.  They never modify their arguments.  The checks of tables and columns live
in :mod:`impactkit._frames` (``columns_of``, ``require_columns`` and ``numeric_array`` are
re-exported here for older imports).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ._frames import columns_of, numeric_array, require_columns
from .errors import DataError

__all__ = [
    "require_columns",
    "numeric_array",
    "check_confidence",
    "check_proportion",
    "check_finite",
    "check_unique",
    "columns_of",
]


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


def check_finite(value: Any, what: str) -> float:
    """Return ``value`` as a finite float or raise :class:`DataError` naming ``what``."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise DataError(f"{what} must be a number, got {value!r}") from None
    if not math.isfinite(x):
        raise DataError(f"{what} must be a finite number, got {value!r}")
    return x


def check_unique(labels: Sequence[object], what: str) -> None:
    """Raise :class:`DataError` if ``labels`` has duplicates."""
    seen: set[object] = set()
    dupes = [x for x in labels if x in seen or seen.add(x)]  # type: ignore[func-returns-value]
    if dupes:
        raise DataError(f"duplicate {what}: {', '.join(repr(d) for d in dict.fromkeys(dupes))}")
