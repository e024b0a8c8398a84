"""Cost per outcome in the outcome's own units: cost ÷ (change × people covered).

A programme that cut diarrhoea prevalence by 7.7 percentage points among 720 households
averted about 0.077 × 720 = 55 cases at any one time; its cost per case averted is the total
cost over that.  For a count time series the post-period cumulative change (events, fitted
minus counterfactual) is the number of events averted.  The people covered are those the
change was measured on: the treated group after the change (DiD), the after sample or the
pairs (pre/post).  Only a change in the better direction gets a cost per outcome; a before/after
change is marked as such (it is not an effect).  Source: the cost-effectiveness ratio of
Drummond et al. (2015), *Methods for the Economic Evaluation of Health Care Programmes*, ch. 4.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .words import is_share

if TYPE_CHECKING:
    from .model import ImpactAnalysis
    from .outcome import OutcomeResult

__all__ = ["CostOfChange", "cost_of_changes"]


@dataclass(frozen=True)
class CostOfChange:
    """The cost of one unit of change in one headline outcome."""

    indicator: str
    name: str
    what: str  # "case of child diarrhoea averted"
    units_changed: float  # change × people covered (or events averted)
    cost_per_unit: float
    people: int | None
    qualified: bool  # a before/after change, not an effect


def _units(analysis: ImpactAnalysis, r: OutcomeResult) -> tuple[float, int | None, str] | None:
    from ..effects import ITSResult

    assert r.effect is not None
    ind = r.indicator
    if isinstance(r.detail, ITSResult) and ind.kind in ("sum", "rate", "ratio"):
        if r.detail.family != "gaussian":
            return abs(r.detail.cumulative.estimate), None, f"{ind.unit} (events) averted"
    people = r.covered
    if people is None:
        return None
    if is_share(ind):
        return abs(r.effect.estimate) * people, people, f"case ({ind.name.lower()}) changed"
    what = f"unit of change in {ind.name[:1].lower()}{ind.name[1:]} for one person ({ind.unit})"
    return abs(r.effect.estimate) * people, people, what


def cost_of_changes(analysis: ImpactAnalysis) -> list[CostOfChange]:
    """Cost per unit of change for each headline outcome that improved."""
    spec = analysis.initiative.costs
    if spec is None:
        return []
    strength = analysis.runner.evidence_strength()
    out = []
    for r in analysis.headline:
        if r.effect is None or r.verdict != "improved":
            continue
        found = _units(analysis, r)
        if found is None or found[0] <= 0:
            continue
        units, people, what = found
        if is_share(r.indicator):
            good = "averted" if r.indicator.direction == "decrease" else "gained"
            what = f"case of {r.indicator.name[:1].lower()}{r.indicator.name[1:]} {good}"
        out.append(
            CostOfChange(
                r.indicator.id,
                r.indicator.name,
                what,
                units,
                spec.total / units,
                people,
                strength in ("before-after", "descriptive"),
            )  # fmt: skip
        )
    return out
