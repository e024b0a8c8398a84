"""Who benefits: the headline change within each subgroup."""

from __future__ import annotations

import pandas as pd

from ... import charts
from ..._display import fmt_p
from ...analysis import ImpactAnalysis, is_share
from ._html import Fragment, ci_label, esc, figure, group_label, signed, table


def _label(analysis: ImpactAnalysis, column: str, level: object) -> str:
    """``labels:`` of the initiative file for a coded level, e.g. "female_head: yes"."""
    text = analysis.initiative.label(column, level)
    if text != str(level) or isinstance(level, str):
        return f"{column.replace('_', ' ')}: {text}" if not isinstance(level, str) else text
    return group_label(column, level)


__all__ = ["subgroups"]


def subgroups(analysis: ImpactAnalysis) -> Fragment:
    """The headline effect within each subgroup (equity)."""
    frame = analysis.subgroups
    if frame.empty:
        if analysis.subgroup_notes:
            items = "".join(f"<li>{esc(n)}</li>" for n in analysis.subgroup_notes)
            return Fragment(
                "<p class='note'>The headline change could not be estimated within the "
                f"subgroups:</p><ul class='note'>{items}</ul>"
            )
        return Fragment("")  # no subgroups in the initiative file: the section is left out
    ind = analysis.catalog[str(frame["indicator"].iloc[0])]
    pct = is_share(ind)
    scale = 100.0 if pct else 1.0
    plot = pd.DataFrame(
        {
            "group": [
                _label(analysis, str(s), lvl)
                for s, lvl in zip(frame["subgroup"], frame["level"], strict=True)
            ],
            "estimate": frame["estimate"] * scale,
            "ci_low": frame["ci_low"] * scale,
            "ci_high": frame["ci_high"] * scale,
        }
    )
    overall = next(
        (r.effect.estimate * scale for r in analysis.headline if r.effect is not None), None
    )
    unit = "percentage points" if pct else ind.unit
    label = ci_label(analysis.confidence)
    shown = pd.DataFrame(
        {
            "subgroup": plot["group"],
            f"change ({'pp' if pct else ind.unit})": [signed(v) for v in plot["estimate"]],
            label: [
                f"{signed(lo)} to {signed(hi)}"
                for lo, hi in zip(plot["ci_low"], plot["ci_high"], strict=True)
            ],
            "n (people)": frame["n"].astype(int).map("{:,}".format),
            "p": [fmt_p(p)[2:] for p in frame["p_value"]],
        }
    )
    notes = ""
    if analysis.subgroup_notes:
        notes = (
            "<ul class='note'>"
            + "".join(f"<li>Not estimated: {esc(n)}</li>" for n in analysis.subgroup_notes)
            + "</ul>"
        )
    return Fragment(
        f"<p>Change in <strong>{esc(ind.name)}</strong> ({esc(unit)}) estimated separately "
        "within each subgroup. Subgroup estimates are less precise than the overall one; "
        "differences between them are descriptive, not tested.</p>"
        + table(shown, numbers=(f"change ({'pp' if pct else ind.unit})", label, "n (people)", "p"))
        + notes
        + figure(
            lambda ax: charts.subgroups(plot, overall=overall, ax=ax),
            f"Change in {ind.name} by subgroup ({unit}); the vertical line is the overall estimate.",
            (6.3, 1.0 + 0.3 * len(plot)),
        )
    )
