"""The one "not estimable: no variation" rule shared by the estimators.

A test of a constant outcome is a test of floating-point noise: ``did`` on an outcome that is
1 in every row used to return +1.2e-15 with p = 4e-6.  Every estimator calls these checks
before (:func:`check_varies`) and after (:func:`check_residual_variation`) its fit and
raises :class:`~impactkit.errors.EstimationError` with a message that starts with
:data:`NO_VARIATION`, which the report prints as it is.
"""

from __future__ import annotations

import numpy as np

from .._display import fmt
from ..errors import EstimationError

__all__ = ["NO_VARIATION", "check_varies", "check_residual_variation"]

#: How every such error (and the report) starts.
NO_VARIATION = "not estimable: no variation"

# residual spread below this share of the outcome's scale is rounding error, not data
_RELATIVE_TOLERANCE = 1e-9


def check_varies(y: np.ndarray, context: str, *, minimum: int = 2) -> None:
    """At least ``minimum`` finite values, and not all equal."""
    y = np.asarray(y, dtype=float)
    finite = y[np.isfinite(y)]
    if finite.size == 0:
        raise EstimationError(f"{NO_VARIATION} ({context}: every value of the outcome is missing)")
    if finite.size < minimum:
        raise EstimationError(
            f"{NO_VARIATION} ({context}: {finite.size} observation(s); at least {minimum} needed)"
        )
    if np.ptp(finite) == 0:
        raise EstimationError(
            f"{NO_VARIATION} ({context}: the outcome is {fmt(float(finite[0]))} in every row)"
        )


def check_residual_variation(y: np.ndarray, resid: np.ndarray, context: str) -> None:
    """The fit leaves some residual variation: with every group constant (zero variance
    within every cell) the standard error would be computed from rounding error."""
    y = np.asarray(y, dtype=float)
    scale = max(float(np.max(np.abs(y))), 1.0)
    if float(np.max(np.abs(np.asarray(resid, dtype=float)))) <= _RELATIVE_TOLERANCE * scale:
        raise EstimationError(
            f"{NO_VARIATION} ({context}: the outcome does not vary within the groups the model "
            "compares, so there is nothing to estimate its uncertainty from)"
        )
