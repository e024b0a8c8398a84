"""Reach and adoption: the coverage cascade, the equity comparison, sustained use, costs."""

from __future__ import annotations

import pandas as pd

from ..._display import fmt_pct
from ...adoption import Cascade, SustainedUse
from ...analysis import ImpactAnalysis
from ._html import Fragment, absent, ci_label, count, esc, figure, group_label, level_words, table
from .costs import costs

__all__ = ["adoption"]


def adoption(analysis: ImpactAnalysis) -> Fragment:
    """Coverage cascade, sustained use and the equity comparison."""
    out = []
    if analysis.cascade is None:
        out.append(absent("who was reached and who adopted", "adoption.cascade").html)
    else:
        out.append(_cascade(analysis.cascade))
    if analysis.sustained_use is None:
        out.append(absent("how long people kept using it", "adoption.sustained_use").html)
    else:
        out.append(_sustained(analysis.sustained_use))
    out.append(costs(analysis))
    return Fragment("".join(out))


def _cascade(c: Cascade) -> str:
    t = c.table
    label = ci_label(c.confidence)
    shown = pd.DataFrame(
        {
            "stage": t["label"],
            "count": t["count"].astype(int),
            "share of target": t["share_of_target"],
            label: [
                f"{fmt_pct(lo)} – {fmt_pct(hi)}"
                for lo, hi in zip(
                    t["share_of_target_ci_low"], t["share_of_target_ci_high"], strict=True
                )
            ],
            "of previous stage": t["share_of_previous"],
        }
    )
    out = [
        f"<p>{esc(c.summary())}</p>",
        table(shown, {"share of target": fmt_pct, "of previous stage": fmt_pct, "count": count}),
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
        out.append(_equity_table(by_group, c.by))
    return "".join(out)


def _equity_table(by_group: pd.DataFrame, by: str | None) -> str:
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
    frame.columns = [frame.columns[0]] + [group_label(by, c) for c in frame.columns[1:]]
    return table(frame, {c: fmt_pct for c in frame.columns[1:]})


def _sustained(s: SustainedUse) -> str:
    t = s.table
    few = t["few_at_risk"].to_numpy(dtype=bool)
    label = ci_label(s.confidence)
    shown = pd.DataFrame(
        {
            "group": [group_label(s.by, g) for g in t["group"]],
            "horizon": [f"{h:g} {s.time_unit}" for h in t["horizon"]],
            "still using": [fmt_pct(v) for v in t["survival"]],
            label: [
                f"{fmt_pct(lo)} – {fmt_pct(hi)}"
                for lo, hi in zip(t["ci_low"], t["ci_high"], strict=True)
            ],
            "still followed": [
                count(v) + ("*" if flag else "") for v, flag in zip(t["at_risk"], few, strict=True)
            ],
        }
    )
    out = [
        "<h3>Sustained use</h3>",
        f"<p>{esc(s.summary())}</p>",
        table(shown, numbers=("still using", label, "still followed")),
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
