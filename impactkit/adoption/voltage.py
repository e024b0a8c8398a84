"""The voltage ratio: how much of the lab (pilot) effect survives at scale.

List JA (2022). *The Voltage Effect*. Currency, New York.
Fieller EC (1954). Some problems in interval estimation. *JRSS B* 16(2):175–185.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .._checks import check_confidence, check_finite
from .._display import fmt
from .._intervals import fieller_interval, z_quantile
from ..errors import DataError, EstimationError
from ..results import Result

__all__ = ["VoltageRatio", "voltage_ratio"]


@dataclass(frozen=True, repr=False)
class VoltageRatio(Result):
    """Field effect / lab effect with its interval (List 2022, *The Voltage Effect*).

    ``method`` is ``"fieller"`` (Fieller 1954; the exact interval for a ratio of normal
    estimates) or ``"delta"`` (used when the lab effect is not significantly different from
    zero, g ≥ 1, where Fieller's set is unbounded).  ``g = z²·se_lab² / lab²``.
    """

    ratio: float
    ci_low: float
    ci_high: float
    confidence: float
    method: str
    g: float
    field_estimate: float
    lab_estimate: float
    field_label: str = "field"
    lab_label: str = "lab"
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """One tidy row."""
        return pd.DataFrame(
            [
                {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "notes"}
                | {"notes": "; ".join(self.notes)}
            ]
        )

    def summary(self) -> str:
        """ "the field effect is 38 % of the lab effect (95 % CI 21–60 %)"."""
        level = f"{100 * self.confidence:g} % CI"
        return (
            f"The field effect is {100 * self.ratio:.0f} % of the lab effect ({level} "
            f"{100 * self.ci_low:.0f}–{100 * self.ci_high:.0f} %, {self.method} method)."
        )

    def __repr__(self) -> str:
        return (
            f"VoltageRatio(ratio={fmt(self.ratio)} [{fmt(self.ci_low)}, {fmt(self.ci_high)}], "
            f"method={self.method!r}, g={fmt(self.g)})"
        )

    def _title(self) -> str:
        return "Voltage ratio (field / lab)"


def _estimate_se(effect: Any, name: str, z: float) -> tuple[float, float]:
    """Estimate and standard error of an effect; a missing se from ``ci_low``/``ci_high``."""
    estimate = getattr(effect, "estimate", None)
    if estimate is None:
        raise DataError(
            f"{name}: expected an Effect (with estimate, se, ci_low, ci_high), "
            f"got {type(effect).__name__}"
        )
    est = check_finite(estimate, f"{name}.estimate")
    se = getattr(effect, "se", None)
    if se is None or not math.isfinite(float(se)):
        low, high = getattr(effect, "ci_low", None), getattr(effect, "ci_high", None)
        if low is None or high is None:
            raise DataError(f"{name}: needs se or ci_low/ci_high")
        se = (check_finite(high, f"{name}.ci_high") - check_finite(low, f"{name}.ci_low")) / (2 * z)
    se = float(se)
    if se < 0:
        raise DataError(f"{name}.se must be non-negative, got {se}")
    return est, se


def voltage_ratio(field: Any, lab: Any, *, confidence: float | None = None) -> VoltageRatio:
    """How much of the lab effect survives in the field: field / lab with Fieller's interval.

    List (2022), *The Voltage Effect*, documents how effects shrink at scale.  For independent
    estimates a (field) and b (lab) with variances v_a, v_b (covariance 0), Fieller's (1954)
    limits are the roots in R of (a − R·b)² = z²·(v_a + R²·v_b):

        R = [a/b ± (z/|b|)·sqrt(v_a + (a/b)²·v_b − g·v_a)] / (1 − g),  g = z²·v_b / b².

    When g ≥ 1 (the lab effect is not significantly different from zero) the Fieller set is
    unbounded; the delta-method interval a/b ± z·sqrt(v_a + (a/b)²·v_b)/|b| is returned
    instead and ``method``/``notes`` say so.  The formula is
    :func:`impactkit._intervals.fieller_interval`.

    Parameters
    ----------
    field, lab
        :class:`~impactkit.effects.Effect` objects (or anything with ``estimate`` and ``se``;
        a missing se is recovered from ``ci_low``/``ci_high``).
    confidence
        Interval level; default the field effect's ``confidence``.
    """
    level = confidence if confidence is not None else getattr(field, "confidence", 0.95)
    level = check_confidence(level)
    z = z_quantile(level)
    a, se_a = _estimate_se(field, "field", z)
    b, se_b = _estimate_se(lab, "lab", z)
    if b == 0:
        raise EstimationError("the lab effect is exactly 0: the ratio field / lab is undefined")
    interval, g = fieller_interval(a, se_a**2, b, se_b**2, level)
    notes: list[str] = []
    if confidence is None and getattr(lab, "confidence", level) != level:
        notes.append(f"field and lab intervals have different levels; using {level:g}")
    if interval.method == "delta":
        notes.append(
            f"the lab effect is not significantly different from 0 (g = {fmt(g)} >= 1): the "
            "Fieller interval is unbounded, so the delta-method interval is shown; read it with "
            "care"
        )
    return VoltageRatio(
        ratio=a / b,
        ci_low=interval.low,
        ci_high=interval.high,
        confidence=level,
        method=interval.method,
        g=g,
        field_estimate=a,
        lab_estimate=b,
        field_label=str(getattr(field, "label", "field")),
        lab_label=str(getattr(lab, "label", "lab")),
        notes=tuple(notes),
    )
