"""Lab versus real world: the waterfall from lab efficacy to the real-world effect, and the
voltage ratio."""

from __future__ import annotations

import pandas as pd

from ..._display import fmt_pct
from ...analysis import ImpactAnalysis
from ._html import Fragment, absent, esc, figure, table

__all__ = ["lab_vs_real_world"]


def lab_vs_real_world(analysis: ImpactAnalysis) -> Fragment:
    """Waterfall from lab efficacy to the real-world effect, and the voltage ratio."""
    out = []
    lab = analysis.initiative.lab
    if lab is None:
        return absent("how the lab result compares with real use", "lab")
    source = f" (source: {lab.source})" if lab.source else ""
    if lab.efficacy is not None:
        out.append(f"<p>Laboratory efficacy: {esc(fmt_pct(lab.efficacy))}{esc(source)}.</p>")
    if analysis.gap is not None:
        g = analysis.gap
        out.append(f"<p>{esc(g.summary())}</p>")
        out.append(
            figure(
                lambda ax: g.plot(ax=ax),
                "From lab efficacy to real-world effect: each bar is what remains after one "
                "step of the cascade.",
            )
        )
        contrib = g.contributions
        frame = pd.DataFrame({"step": list(contrib), "share of the loss": list(contrib.values())})
        out.append(table(frame, {c: fmt_pct for c in frame.columns if frame[c].dtype.kind == "f"}))
    if analysis.voltage is not None:
        out.append(f"<div class='callout'>{esc(analysis.voltage_summary())}</div>")
    return Fragment("".join(out))
