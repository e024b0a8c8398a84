"""Judging several effects: multiplicity (:func:`adjust`) and plain-words verdicts
(:func:`verdict`, :class:`Verdict`).

Validated against ``statsmodels.stats.multitest.multipletests`` (adjusted p-values) and
the rule table of :func:`verdict`'s docstring, case by case (tests/effects/test_effects.py,
tests/analysis/).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from .._display import fmt
from ..errors import DataError
from ..results import Effect, HasEffect, Result

__all__ = ["AdjustMethod", "Verdict", "VerdictLabel", "adjust", "verdict"]

AdjustMethod = Literal["fdr_bh", "holm", "bonferroni"]
VerdictLabel = Literal["improved", "worsened", "changed", "no meaningful change", "inconclusive"]
_ADJUST_METHODS = ("fdr_bh", "holm", "bonferroni")
_DIRECTIONS = ("increase", "decrease", "neutral")


def _as_effect(obj: Effect | HasEffect, where: str) -> Effect:
    """An :class:`Effect`, or the main ``.effect`` of a result such as :class:`DiDResult`
    or :class:`ITSResult` (its level change)."""
    if isinstance(obj, Effect):
        return obj
    inner = getattr(obj, "effect", None)
    if isinstance(inner, Effect):
        return inner
    raise DataError(
        f"{where}: expected an Effect or a result with an .effect (e.g. DiDResult, "
        f"ITSResult), got {type(obj).__name__}"
    )


def _labelled(
    effects: Sequence[Effect | HasEffect] | Mapping[str, Effect | HasEffect],
) -> list[tuple[str, Effect]]:
    if isinstance(effects, Mapping):
        return [(str(k), _as_effect(v, f"adjust[{k!r}]")) for k, v in effects.items()]
    items = [_as_effect(v, f"adjust[{i}]") for i, v in enumerate(effects)]
    return [(e.label, e) for e in items]


def adjust(
    effects: Sequence[Effect | HasEffect] | Mapping[str, Effect | HasEffect],
    method: AdjustMethod = "fdr_bh",
    *,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Adjust the p-values of several effects for multiple testing.

    Uses ``statsmodels.stats.multitest.multipletests``: Benjamini–Hochberg false
    discovery rate (``"fdr_bh"``, 1995), Holm (1979) or Bonferroni family-wise error.

    Parameters
    ----------
    effects
        Effects (or results with ``.effect`` such as :class:`DiDResult`), as a list or as a
        mapping ``{label: effect}`` (the mapping's keys replace the effects' labels).
    method
        ``"fdr_bh"``, ``"holm"`` or ``"bonferroni"``.
    alpha
        Level for the ``reject`` column.

    Returns
    -------
    pandas.DataFrame
        One row per effect, in the order given: ``label``, ``estimate``, ``ci_low``,
        ``ci_high``, ``p_value``, ``p_adjusted``, ``reject`` (p_adjusted < alpha),
        ``method``.  Intervals are *not* adjusted.
    """
    from statsmodels.stats.multitest import multipletests

    if method not in _ADJUST_METHODS:
        raise DataError(f"adjust: method must be one of {_ADJUST_METHODS}, got {method!r}")
    pairs = _labelled(effects)
    if not pairs:
        raise DataError("adjust: no effects given")
    pvals = np.array([e.p_value for _, e in pairs], dtype=float)
    if np.isnan(pvals).any():
        bad = [lab for (lab, _), p in zip(pairs, pvals, strict=True) if np.isnan(p)]
        raise DataError(f"adjust: effect(s) without a p-value: {', '.join(bad)}")
    reject, p_adj, _, _ = multipletests(pvals, alpha=alpha, method=method)
    return pd.DataFrame(
        {
            "label": [lab for lab, _ in pairs],
            "estimate": [e.estimate for _, e in pairs],
            "ci_low": [e.ci_low for _, e in pairs],
            "ci_high": [e.ci_high for _, e in pairs],
            "p_value": pvals,
            "p_adjusted": p_adj,
            "reject": reject,
            "method": method,
        }
    )


@dataclass(frozen=True)
class Verdict(Result):
    """A plain-words judgement of an effect: ``label`` and the ``reason`` behind it.

    ``confidence`` is the level of the interval that was judged.
    """

    label: VerdictLabel
    reason: str
    confidence: float = 0.95

    @property
    def notes(self) -> tuple[str, ...]:
        """No warnings of its own (the judged effect's notes apply)."""
        return ()

    def __str__(self) -> str:
        return f"{self.label}: {self.reason}"

    def summary(self) -> str:
        """``"improved: the change of ... lies entirely above no change"``."""
        return str(self)

    def to_frame(self) -> pd.DataFrame:
        """One row: ``label``, ``reason``, ``confidence``."""
        return pd.DataFrame(
            [{"label": self.label, "reason": self.reason, "confidence": self.confidence}]
        )


def _check_direction(direction: str | None) -> str:
    direction = direction or "neutral"
    if direction not in _DIRECTIONS:
        raise DataError(
            f"verdict: direction must be 'increase', 'decrease' or 'neutral', got {direction!r}"
        )
    return direction


def _check_mmc(m: float | None) -> float | None:
    if m is None:
        return None
    if not isinstance(m, int | float) or math.isnan(m) or m < 0:
        raise DataError(f"verdict: minimum_meaningful_change must be >= 0, got {m!r}")
    return float(m)


def _side_reason(
    eff: Effect, m: float | None, up: bool, shift: str, zero: str, show: Callable[[float], str]
) -> str:
    """Why a change whose interval excludes the null is (or is not) meaningful."""
    side = "above" if up else "below"
    reason = f"the change of {shift} lies entirely {side} {zero}"
    if m is None:
        return reason
    near = eff.ci_low if up else eff.ci_high
    if abs(near - eff.null) >= m:
        return reason + f", by at least the minimum meaningful change of {show(m)}"
    if abs(eff.estimate - eff.null) >= m:
        return reason + (
            f"; the estimate exceeds the minimum meaningful change of {show(m)}, "
            "but the interval's end nearest to no change does not"
        )
    return reason + f", but by less than the minimum meaningful change of {show(m)}"


def verdict(
    effect: Effect | HasEffect,
    indicator: object = None,
    *,
    direction: str | None = None,
    minimum_meaningful_change: float | None = None,
    format_value: Callable[[float], str] | None = None,
) -> Verdict:
    """Judge an effect against the direction that counts as better and the minimum
    meaningful change (MMC).

    Parameters
    ----------
    effect
        An :class:`Effect` or a result with ``.effect`` (e.g. :class:`DiDResult`; for an
        :class:`ITSResult` its level change).
    indicator
        Any object with attributes ``direction`` ("increase", "decrease" or "neutral")
        and ``minimum_meaningful_change`` (float or None), e.g. an
        ``impactkit.indicators.Indicator``.  Keyword arguments override it.
    direction, minimum_meaningful_change
        As above.  Without any direction, ``"neutral"`` is used.  The MMC is in the
        estimate's units and is applied around the effect's ``null`` (0 for differences,
        1 for ratios, where it is the distance from 1, e.g. 0.05 for ±5 %).
    format_value
        How the reason prints a change (default: three significant digits), e.g.
        ``lambda v: f"{100 * v:.1f} pp"`` for a share reported in percentage points.

    Returns
    -------
    Verdict
        With CI = [lo, hi], null value 0 (or 1) and MMC = m (if given), in this order:

        1. **"no meaningful change"** if m is given and the whole CI lies within
           [null − m, null + m] (an equivalence judgement: even the interval's extremes
           are too small to matter, whether or not it excludes the null).
        2. CI entirely above the null: **"improved"** for direction "increase",
           **"worsened"** for "decrease", **"changed"** for "neutral".
        3. CI entirely below the null: symmetrically "worsened" / "improved" / "changed".
        4. Otherwise **"inconclusive"** (the CI includes the null, and either no MMC was
           given or the CI reaches beyond ±m).

        In case 2/3 the reason says whether the estimate and the whole interval clear
        the MMC ("by at least the MMC"), only the estimate does, or not even the estimate
        ("but by less than the minimum meaningful change").
    """
    eff = _as_effect(effect, "verdict")
    if direction is None and indicator is not None:
        direction = getattr(indicator, "direction", None)
    if minimum_meaningful_change is None and indicator is not None:
        minimum_meaningful_change = getattr(indicator, "minimum_meaningful_change", None)
    direction = _check_direction(direction)
    m = _check_mmc(minimum_meaningful_change)
    null, lo, hi, est = eff.null, eff.ci_low, eff.ci_high, eff.estimate
    show = format_value or fmt
    shift = f"{show(est)} ({100 * eff.confidence:g} % CI {show(lo)} to {show(hi)})"
    zero = "no change" if null == 0 else fmt(null)
    level = eff.confidence
    if m is not None and null - m <= lo and hi <= null + m:
        return Verdict(
            "no meaningful change",
            f"the change of {shift} lies, interval and all, within ±{show(m)} of {zero}, "
            "the minimum meaningful change",
            level,
        )
    if lo > null or hi < null:
        up = lo > null
        label: VerdictLabel
        if direction == "neutral":
            label = "changed"
        elif (direction == "increase") == up:
            label = "improved"
        else:
            label = "worsened"
        return Verdict(label, _side_reason(eff, m, up, shift, zero, show), level)
    reason = f"the interval of the change, {shift}, includes {zero}"
    if m is not None:
        reason += f" and reaches beyond ±{show(m)}, the minimum meaningful change"
    else:
        reason += "; no minimum meaningful change was given to judge equivalence"
    return Verdict("inconclusive", reason, level)
