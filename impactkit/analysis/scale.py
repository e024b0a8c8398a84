"""On which scale an effect is reported and judged, and the minimum meaningful change on
that scale.

Every main effect of an :class:`~impactkit.analysis.outcome.OutcomeResult` is in the
indicator's own units (shares in percentage points): the runners convert log-link ITS
results to fitted-minus-counterfactual changes before the verdict sees them, so the verdict,
the cover and the forest chart always compare like with like.  A relative minimum
meaningful change (``"10 %"``) becomes absolute here: the share of the baseline (the
treated group's or the series' value without the programme, ``Effect.baseline``, else the
"before" value).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .words import is_share

if TYPE_CHECKING:
    from ..indicators import Indicator
    from .outcome import OutcomeResult

__all__ = ["SCALES", "scale_of", "absolute_mmc", "verdict_words", "qualified"]

#: The scales an effect row of ``results.json`` may carry.
SCALES = ("difference", "percentage points", "rate ratio")


def scale_of(indicator: Indicator) -> str:
    """``"percentage points"`` for shares, else ``"difference"`` (in the indicator's unit)."""
    return "percentage points" if is_share(indicator) else "difference"


def absolute_mmc(r: OutcomeResult) -> float | None:
    """The minimum meaningful change in the indicator's units: as written, or the relative
    one times |baseline| (``None`` when there is none or no baseline to scale it by)."""
    ind = r.indicator
    if ind.minimum_meaningful_change is not None:
        return float(ind.minimum_meaningful_change)
    rel = ind.minimum_meaningful_change_relative
    if rel is None:
        return None
    base = r.effect.baseline if r.effect is not None else None
    if base is None or not math.isfinite(base):
        base = r.before
    if base is None or not math.isfinite(base):
        return None
    return rel * abs(base)


def qualified(verdict: str, strength: str) -> bool:
    """Whether a verdict must carry the design's limit: a change from a before/after or a
    descriptive comparison is not the programme's effect."""
    return strength in ("before-after", "descriptive") and verdict in (
        "improved",
        "worsened",
        "changed",
    )


def verdict_words(verdict: str, strength: str) -> str:
    """The verdict as the report's badge prints it: ``"improved — before/after only"``."""
    if qualified(verdict, strength):
        limit = "before/after only" if strength == "before-after" else "descriptive only"
        return f"{verdict} — {limit}"
    return verdict
