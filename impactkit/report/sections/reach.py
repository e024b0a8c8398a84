"""Reach and adoption: the coverage cascade, the equity comparison, sustained use, costs."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ..._display import fmt_pct
from ...adoption import Cascade, SustainedUse
from ...analysis import ImpactAnalysis
from ._html import Fragment, ci_label, count, esc, figure, group_label, level_words, table
from .costs import costs

__all__ = ["adoption"]

#: ``Initiative.label``: (column, value) -> the value's label.
Labeller = Callable[[str | None, object], str]


def adoption(analysis: ImpactAnalysis) -> Fragment:
    """Coverage cascade, sustained use and the equity comparison."""
    out = []
    labels = analysis.initiative.label
    if analysis.cascade is not None:  # absent parts are left out, not apologised for
        out.append(_cascade(analysis.cascade, labels))
    if analysis.sustained_use is not None:
        out.append(_sustained(analysis.sustained_use, labels))
    out.append(costs(analysis))
    return Fragment("".join(out))


def _cascade(c: Cascade, labels: Labeller) -> str:
    t = c.table
    label = ci_label(c.confidence)
    shown = pd.DataFrame(
        {
            "stage": t["label"],
            "people": t["count"].astype(int),
            "share of target (%)": t["share_of_target"],
            label: [
                f"{fmt_pct(lo)} – {fmt_pct(hi)}"
                for lo, hi in zip(
                    t["share_of_target_ci_low"], t["share_of_target_ci_high"], strict=True
                )
            ],
            "of previous stage (%)": t["share_of_previous"],
        }
    )
    out = [
        f"<p>{esc(c.summary())}</p>",
        table(
            shown,
            {"share of target (%)": fmt_pct, "of previous stage (%)": fmt_pct, "people": count},
        ),
        figure(
            lambda ax: c.plot(ax=ax),
            "Coverage cascade (Tanahashi): share of the target population reached at each "
            f"stage, with {level_words(c.confidence)} Wilson intervals.",
        ),
    ]
    by_group = c.by_group
    if by_group is not None and not by_group.empty:
        out.append("<h3>Equity: where each group loses people</h3>")
        out.append(f"<p>{esc(c.equity_summary())}</p>")
        out.append(_equity_table(by_group, c.by, labels))
    return "".join(out)


def _equity_table(by_group: pd.DataFrame, by: str | None, labeller: Labeller) -> str:
    """Stages as rows, groups as columns: the share of the previous stage that continues."""
    labels = list(pd.unique(by_group["label"]))
    wide = by_group.pivot_table(
        index="label", columns="group", values="share_of_previous", sort=False
    )
    wide = wide.reindex(labels)
    wide.loc["Share of target at the last stage"] = by_group.groupby("group", sort=False)[
        "share_of_target"
    ].last()
    frame = wide.reset_index().rename(columns={"label": "stage (share of previous stage kept)"})
    frame.columns = [frame.columns[0]] + [_group(by, c, labeller) for c in frame.columns[1:]]
    return table(frame, {c: fmt_pct for c in frame.columns[1:]})


def _group(by: str | None, value: object, labels: Labeller) -> str:
    """A coded group by its label from the initiative's ``labels:``, else as before."""
    text = labels(by, value)
    return text if text != str(value) or isinstance(value, str) else group_label(by, value)


def _sustained(s: SustainedUse, labels: Labeller) -> str:
    t = s.table
    few = t["few_at_risk"].to_numpy(dtype=bool)
    label = ci_label(s.confidence)
    shown = pd.DataFrame(
        {
            "group": [_group(s.by, g, labels) for g in t["group"]],
            "horizon": [f"{h:g} {s.time_unit}" for h in t["horizon"]],
            "still using (%)": [fmt_pct(v) for v in t["survival"]],
            label: [
                f"{fmt_pct(lo)} – {fmt_pct(hi)}"
                for lo, hi in zip(t["ci_low"], t["ci_high"], strict=True)
            ],
            "still followed (units)": [
                count(v) + ("*" if flag else "") for v, flag in zip(t["at_risk"], few, strict=True)
            ],
        }
    )
    out = [
        "<h3>Sustained use</h3>",
        f"<p>{esc(s.summary())}</p>",
        table(shown, numbers=("still using (%)", label, "still followed (units)")),
    ]
    if few.any():
        out.append(
            "<p class='small'>* Few units were still followed at this horizon: the "
            "estimate is uncertain and may change as follow-up continues.</p>"
        )
    out.append(
        figure(
            lambda ax: s.plot(ax=ax),
            f"Share still using over time (Kaplan–Meier with {level_words(s.confidence)} "
            "log-log intervals); ticks mark units whose follow-up ended while they were still "
            "using it.",
        )
    )
    return "".join(out)
