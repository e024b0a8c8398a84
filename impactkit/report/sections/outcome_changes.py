"""Outcome changes: the outcome table, forest and dumbbell charts, and the design's own
charts (supplied by its runner)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ... import charts
from ..._display import fmt_p
from ...analysis import ImpactAnalysis, OutcomeResult, is_share, level_format, multiplicity_words
from ...analysis.designs import Chart, Note, Table
from ...analysis.outcome import OtherEffect
from ...analysis.scale import verdict_words
from ...analysis.words import change_text, interval_text
from ._html import Fragment, change, ci_label, esc, figure, level_words, table

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["outcomes"]


def _outcome_rows(analysis: ImpactAnalysis, frame: pd.DataFrame, label: str) -> pd.DataFrame:
    """The outcome table: every column says its unit; the verdict carries the design's limit."""
    strength = analysis.runner.evidence_strength()
    first, last = analysis.runner.level_labels()
    rows = []
    for _, r in frame.iterrows():
        indicator = analysis.catalog[r["indicator"]]
        pct = is_share(indicator)
        show = level_format(indicator)
        rows.append(
            {
                "indicator": r["name"],
                "unit": "%" if pct else indicator.unit,
                first: show(r["baseline"]),
                last: show(r["endline"]),
                "change (pp or unit)": change(r["change"], pct),
                label: "—"
                if pd.isna(r["ci_low"])
                else f"{change(r['ci_low'], pct)} to {change(r['ci_high'], pct)}",
                "p (adj.)": "—" if pd.isna(r["p_adjusted"]) else fmt_p(r["p_adjusted"])[2:],
                "verdict": verdict_words(r["verdict"], strength),
            }
        )
    return pd.DataFrame(rows)


def _beside(analysis: ImpactAnalysis) -> str:
    """The comparison each change rests on, the effects beside the main one, the targets
    and the design's checks, one list per outcome."""
    items = []
    for r in analysis.outcomes:
        if r.effect is None:
            continue
        show = level_format(r.indicator)
        parts = [
            f"{lv.label}: {show(lv.before)} → {show(lv.after)}"
            if lv.before is not None
            else f"{lv.label}: {show(lv.after)}"
            for lv in r.levels
            if lv.after is not None
        ]
        parts += [f"{o.name}: {_other_text(r, o)}" for o in r.others]
        if r.indicator.target is not None:
            gap = "reached" if _reached(r) else "not reached"
            parts.append(f"target {show(r.indicator.target)} ({gap}: now {show(r.after)})")
        parts += list(dict.fromkeys(d.text for d in r.diagnostics if d.text))
        if parts:
            items.append(
                f"<li><strong>{esc(r.indicator.name)}</strong>: {esc('; '.join(parts))}</li>"
            )
    return f"<ul class='small'>{''.join(items)}</ul>" if items else ""


def _reached(r: OutcomeResult) -> bool:
    target, now = r.indicator.target, r.after
    if target is None or now is None:
        return False
    return now <= target if r.indicator.direction == "decrease" else now >= target


def _other_text(r: OutcomeResult, o: OtherEffect) -> str:
    e = o.effect
    if o.scale == "rate ratio":
        return f"{e.estimate:.4g} ({100 * e.confidence:g} % CI {e.ci_low:.4g} to {e.ci_high:.4g})"
    return (
        f"{change_text(r.indicator, e.estimate)} "
        f"({interval_text(r.indicator, e.ci_low, e.ci_high, e.confidence)})"
    )


def outcomes(analysis: ImpactAnalysis) -> Fragment:
    """Outcome table (baseline, endline, change, interval, adjusted p, verdict) and charts."""
    frame = analysis.outcome_table()
    label = ci_label(analysis.confidence)
    shown = _outcome_rows(analysis, frame, label)
    first, last = analysis.runner.level_labels()
    numbers = (first, last, "change (pp or unit)", label, "p (adj.)")
    out = [table(shown, numbers=numbers)]
    out.append(
        "<p class='small'>Change: "
        f"{esc(analysis.runner.change_words())}; in percentage points (pp) for shares, else "
        "in the indicator's unit. p (adj.): p-value adjusted for the number of outcomes with "
        f"{esc(multiplicity_words(analysis.initiative.multiplicity))}.</p>"
    )
    out.append(_beside(analysis))
    reasons = [
        f"<li><strong>{esc(r['name'])}</strong>: {esc(r['reason'])}</li>"
        for _, r in frame.iterrows()
        if r["reason"]
    ]
    if reasons:
        out.append(f"<ul class='note'>{''.join(reasons)}</ul>")
    est = frame.dropna(subset=["change"])
    for unit, part, pct in _by_display_unit(analysis, est):
        out.append(_forest(part, unit, pct, analysis.confidence))
        if len(part) >= 2:  # one row is already clear from the table above
            out.append(_dumbbell(analysis, part, pct))
    for exhibit in analysis.runner.exhibits(analysis):
        if isinstance(exhibit, Chart):
            out.append(figure(exhibit.draw, exhibit.caption, exhibit.size))
        elif isinstance(exhibit, Table):
            out.append(  # the caption stays on the page of its table
                f"<div class='keep'><p class='small'>{esc(exhibit.caption)}</p>"
                f"{table(exhibit.frame, numbers=exhibit.numbers)}</div>"
            )
        elif isinstance(exhibit, Note):
            out.append(f"<p class='note warning'>{esc(exhibit.text)}</p>")
        else:
            out.append(f"<p>{esc(exhibit)}</p>")
    return Fragment("".join(out))


def _forest(part: pd.DataFrame, unit: str, pct: bool, confidence: float) -> str:
    """Forest plot of the changes of outcomes that share one display unit."""
    scale = 100.0 if pct else 1.0
    frame = pd.DataFrame(
        {
            "label": part["name"],
            "estimate": part["change"] * scale,
            "ci_low": part["ci_low"] * scale,
            "ci_high": part["ci_high"] * scale,
            "mmc": part["minimum_meaningful_change"].astype(float).fillna(0.0) * scale,
        }
    )

    def draw(ax: Axes) -> Axes:
        return charts.forest(frame, mmc="mmc", ax=ax, xlabel=f"Change ({unit})")

    return figure(
        draw,
        f"Estimated changes ({unit}) with {level_words(confidence)} intervals; the shaded band "
        "around zero is the smallest change each indicator's definition counts as meaningful.",
        (6.3, 1.2 + 0.42 * len(frame)),
    )


def _dumbbell(analysis: ImpactAnalysis, part: pd.DataFrame, pct: bool) -> str:
    """Before and after values of outcomes that share one display unit."""
    frame = pd.DataFrame(
        {"label": part["name"], "before": part["baseline"], "after": part["endline"]}
    )
    before_label, after_label = analysis.runner.level_labels()

    def draw(ax: Axes) -> Axes:
        return charts.dumbbell(
            frame, ax=ax, pct=pct, before_label=before_label, after_label=after_label
        )

    caption = analysis.runner.levels_caption(analysis.initiative)
    return figure(draw, caption, (6.3, 1.2 + 0.42 * len(frame)))


def _by_display_unit(
    analysis: ImpactAnalysis, est: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, bool]]:
    """Outcomes grouped by the scale they are shown on: every share together (in percentage
    points), then one group per other unit, so that no chart mixes units."""
    share = [is_share(analysis.catalog[i]) for i in est["indicator"]]
    groups: list[tuple[str, pd.DataFrame, bool]] = []
    shares = est.loc[share]
    if not shares.empty:
        groups.append(("percentage points", shares, True))
    others = est.loc[[not s for s in share]]
    for unit in pd.unique(others["unit"]):
        groups.append((str(unit), others.loc[others["unit"] == unit], False))
    return groups
