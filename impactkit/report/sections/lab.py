"""Lab versus real world: the waterfall from lab efficacy to the real-world effect, and the
voltage ratio."""

from __future__ import annotations

import pandas as pd

from ..._display import fmt_pct
from ...analysis import ImpactAnalysis
from ._html import Fragment, esc, figure, table

__all__ = ["lab_vs_real_world"]


def lab_vs_real_world(analysis: ImpactAnalysis) -> Fragment:
    """Waterfall from lab efficacy to the real-world effect, and the voltage ratio."""
    out = []
    lab = analysis.initiative.lab
    if lab is None:
        return Fragment("")  # no lab section in the initiative file: the section is left out
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
                "step of the cascade; the label on each loss is the share of the previous "
                "bar it took away (column 'lost of previous' below; 'lost' is the points the bar drops).",
            )
        )
        out.append(_waterfall_table(g.steps))
    if analysis.voltage is not None:
        out.append(f"<div class='callout'>{esc(analysis.voltage_summary())}</div>")
    return Fragment("".join(out))


def _waterfall_table(steps: pd.DataFrame) -> str:
    """Per step: the share kept, the effect left, the points lost (what the bar drops) and
    the share of the previous effect lost (the bar's label), beside the log-scale share of
    the total loss (log p_i / Σ log p_j), named as such."""
    inner = steps.iloc[1:-1]
    previous = steps["value"].shift(1).iloc[1:-1]
    frame = pd.DataFrame(
        {
            "step": inner["step"].to_numpy(),
            "kept (%)": [fmt_pct(v) for v in inner["proportion"]],
            "left (%)": [fmt_pct(v) for v in inner["value"]],
            "lost (pp)": [
                f"{100 * (p - v):.1f}" for p, v in zip(previous, inner["value"], strict=True)
            ],
            "lost of previous (%)": [fmt_pct(1 - v) for v in inner["proportion"]],
            "share of loss, log scale (%)": [fmt_pct(v) for v in inner["contribution"]],
        }
    )
    numbers = tuple(c for c in frame.columns if c != "step")
    return table(frame, numbers=numbers) + (
        "<p class='small'>Points lost add up to the gap between the lab efficacy and the "
        "real-world effect. Because each step multiplies the effect, the share of the total "
        "loss is computed on the log scale (each step's log share divided by the sum of "
        "the logs); it is not the share of points lost.</p>"
    )
