"""The cost paragraph of the adoption section: cost per person at each cascade stage."""

from __future__ import annotations

import pandas as pd

from ..._display import fmt_pct
from ...analysis import ImpactAnalysis
from ._html import count, esc, table

__all__ = ["costs"]


def costs(analysis: ImpactAnalysis) -> str:
    """Cost per person at each stage of the cascade, and the cost items (HTML, may be empty)."""
    spec = analysis.initiative.costs
    if spec is None:
        return ""
    currency = analysis.initiative.currency
    out = [
        "<h3>Cost per outcome</h3>",
        f"<p>The programme cost {esc(currency)} {spec.total:,.0f} in the reporting period. "
        "Divided by the number of people at each stage, it shows what each step of the "
        "cascade costs: the later the stage, the higher the cost per person, and the "
        "clearer the price of losing people on the way.</p>",
    ]
    per_person = f"cost per person ({currency})"
    if analysis.costs is not None:
        per = analysis.costs
        shown = pd.DataFrame(
            {
                "outcome": [str(o) for o in per["outcome"]],
                "people": [count(v) for v in per["units"]],
                per_person: [f"{v:,.2f}" for v in per["cost_per_unit"]],
            }
        )
        out.append(table(shown, numbers=("people", per_person)))
    if spec.items:
        amount = f"amount ({currency})"
        items = pd.DataFrame(
            {
                "item": list(spec.items),
                amount: [f"{v:,.0f}" for v in spec.items.values()],
                "share": [fmt_pct(v / spec.total) for v in spec.items.values()],
            }
        )
        out.append(table(items, numbers=(amount, "share")))
    return "".join(out)
