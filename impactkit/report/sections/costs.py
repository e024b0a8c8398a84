"""The cost paragraph of the adoption section: cost per outcome in the outcome's own units
(:mod:`impactkit.analysis.cost_effect`) beside the cost per person at each cascade stage,
and the cost items."""

from __future__ import annotations

import pandas as pd

from ..._display import fmt_pct
from ...analysis import ImpactAnalysis
from ...analysis.cost_effect import cost_of_changes
from ._html import count, esc, table

__all__ = ["costs"]


def _money(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"


def _per_outcome(analysis: ImpactAnalysis, currency: str) -> str:
    items = []
    for c in cost_of_changes(analysis):
        covered = f" among {c.people:,} people covered" if c.people else ""
        note = (
            " The change is before/after only: this is the cost per outcome only if the "
            "programme caused the whole change."
            if c.qualified
            else ""
        )
        items.append(
            f"<li><strong>{esc(c.name)}</strong>: {esc(currency)} {esc(_money(c.cost_per_unit))}"
            f" per {esc(c.what)} (about {esc(f'{c.units_changed:,.0f}')} in all{esc(covered)})."
            f"{esc(note)}</li>"
        )
    if not items:
        return ""
    return (
        "<p>Cost per outcome: the total cost divided by the change times the people it "
        "applies to.</p><ul>" + "".join(items) + "</ul>"
    )


def costs(analysis: ImpactAnalysis) -> str:
    """Cost per outcome, cost per person at each stage of the cascade, and the cost items
    (HTML, may be empty)."""
    spec = analysis.initiative.costs
    if spec is None:
        return ""
    currency = analysis.initiative.currency
    out = [
        "<h3>Cost per outcome</h3>",
        f"<p>The programme cost {esc(currency)} {spec.total:,.0f} in the reporting period.</p>",
        _per_outcome(analysis, currency),
    ]
    per_person = f"cost per person ({currency})"
    if analysis.costs is not None:
        per = analysis.costs
        out.append(
            "<p>Divided by the number of people at each stage of the cascade, it shows what "
            "each step costs: the later the stage, the higher the cost per person.</p>"
        )
        shown = pd.DataFrame(
            {
                "stage": [str(o).removeprefix("per ") for o in per["outcome"]],
                "people": [count(v) for v in per["units"]],
                per_person: [f"{v:,.2f}" for v in per["cost_per_unit"]],
            }
        )
        out.append(f"<div class='keep'>{table(shown, numbers=('people', per_person))}</div>")
    if spec.items:
        amount = f"amount ({currency})"
        items = pd.DataFrame(
            {
                "item": list(spec.items),
                amount: [f"{v:,.0f}" for v in spec.items.values()],
                "share (%)": [fmt_pct(v / spec.total) for v in spec.items.values()],
            }
        )
        out.append(
            "<div class='keep'><h3>Cost items</h3>"
            f"{table(items, numbers=(amount, 'share (%)'))}</div>"
        )
    return "".join(out)
