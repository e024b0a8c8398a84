"""The sections of the impact report, as HTML fragments.

The report notebook holds the narrative and one call per section; each call returns a
:class:`Fragment` (displayed as HTML in Jupyter and kept, without code, in the PDF).  Charts are
embedded as inline SVG so that they stay sharp in print and the PDF is byte-for-byte
reproducible for the same data.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .. import charts
from .._display import fmt, fmt_p, fmt_pct
from ..analysis import ImpactAnalysis, is_share, level_format, multiplicity_words

__all__ = [
    "Fragment",
    "SECTIONS",
    "cover",
    "contents",
    "executive_summary",
    "adoption",
    "lab_vs_real_world",
    "outcomes",
    "subgroups",
    "methods",
    "data_quality",
]

#: Section ids and titles, in report order (the notebook's headings use these ids).
SECTIONS = (
    ("summary", "Executive summary"),
    ("adoption", "Reach and adoption"),
    ("lab", "Lab versus real world"),
    ("outcomes", "Outcome changes"),
    ("subgroups", "Who benefits: subgroups"),
    ("methods", "Methods and assumptions"),
    ("data-quality", "Appendix: data quality"),
)

FIGSIZE = (6.3, 3.3)


@dataclass(frozen=True)
class Fragment:
    """A piece of report HTML; Jupyter displays it, ``str()`` gives the markup."""

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html

    def __repr__(self) -> str:
        text = re.sub(r"<[^>]+>", " ", self.html)
        return "Fragment(" + " ".join(text.split())[:120] + "...)"


def _e(text: Any) -> str:
    return html.escape(str(text))


def _figure(draw: Callable[[Axes], Any], caption: str, size: tuple[float, float] = FIGSIZE) -> str:
    """Draw into a new (non-pyplot) figure and return it as an inline SVG ``<figure>``."""
    import matplotlib

    with matplotlib.rc_context({"svg.hashsalt": "impactkit", "svg.fonttype": "path"}):
        fig = Figure(figsize=size)
        ax = fig.add_subplot()
        draw(ax)
        fig.tight_layout()
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    return f"<figure>{svg}<figcaption>{_e(caption)}</figcaption></figure>"


def _table(
    frame: pd.DataFrame,
    formats: dict[str, Callable[[Any], str]] | None = None,
    numbers: tuple[str, ...] = (),
) -> str:
    """A compact HTML table; numeric columns (and ``numbers``) right-aligned and unbroken."""
    formats = formats or {}

    def is_num(c: str) -> bool:
        return c in numbers or pd.api.types.is_numeric_dtype(frame[c])

    head = "".join(f"<th class='{'num' if is_num(c) else ''}'>{_e(c)}</th>" for c in frame.columns)
    body = []
    for _, row in frame.iterrows():
        cells = []
        for c in frame.columns:
            value = row[c]
            numeric = is_num(c)
            if c in formats:
                text = formats[c](value)
            elif value is None or (isinstance(value, float) and pd.isna(value)):
                text = "—"
            elif pd.api.types.is_numeric_dtype(frame[c]):
                text = fmt(value)
            else:
                text = str(value)
            cells.append(f"<td class='{'num' if numeric else ''}'>{_e(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _verdict_badge(verdict: str) -> str:
    css = verdict.replace(" ", "-")
    return f"<span class='verdict {css}'>{_e(verdict)}</span>"


def _absent(what: str, key: str) -> Fragment:
    return Fragment(
        f"<p class='note'>Not measured: this initiative's file has no <code>{_e(key)}</code> "
        f"section, so the report cannot show {_e(what)}.</p>"
    )


def _int(value: Any) -> str:
    return "—" if pd.isna(value) else f"{int(value):,}"


# ============================================================================ sections


def cover(analysis: ImpactAnalysis) -> Fragment:
    """Cover page: initiative, organisation, period, date, version, data fingerprint, headline."""
    from .. import __version__

    init = analysis.initiative
    boxes = []
    for r in analysis.headline:
        ind = r.indicator
        if r.effect is None:
            boxes.append(
                f"<div class='headline-box'><strong>{_e(ind.name)}</strong>: {_e(r.skipped)}</div>"
            )
            continue
        e = r.effect
        pct = is_share(ind)
        show = level_format(ind)
        change = _change(e.estimate, pct)
        ci = (
            f"{100 * e.ci_low:+.1f} to {100 * e.ci_high:+.1f} pp"
            if pct
            else f"{fmt(e.ci_low)} to {fmt(e.ci_high)}"
        )
        boxes.append(
            "<div class='headline-box'>"
            f"<div><strong>{_e(ind.name)}</strong> ({_e(ind.unit)})</div>"
            f"<div>Baseline <span class='value'>{_e(show(r.before))}</span> &nbsp;→&nbsp; "
            f"Endline <span class='value'>{_e(show(r.after))}</span></div>"
            f"<div>Change <span class='value'>{_e(change)}</span> "
            f"(95 % CI {_e(ci)}) {_verdict_badge(r.verdict)}</div>"
            "</div>"
        )
    meta = [
        ("Organisation", init.organisation),
        ("Reporting period", f"{init.period_start:%d %B %Y} – {init.period_end:%d %B %Y}"),
        ("Report date", f"{analysis.created:%d %B %Y}"),
        ("Design", _design_words(analysis)),
        ("impactkit version", __version__),
        ("Data fingerprint", f"sha256 {analysis.fingerprint}"),
    ]
    rows = "".join(f"<tr><td>{_e(k)}</td><td>{_e(v)}</td></tr>" for k, v in meta)
    return Fragment(
        "<section class='cover'>"
        "<div class='kicker'>Impact report</div>"
        f"<h1>{_e(init.name)}</h1>"
        f"<div class='organisation'>{_e(init.organisation)}</div>"
        f"<p class='description'>{_e(init.description)}</p>"
        f"{''.join(boxes)}"
        f"<table class='meta'>{rows}</table>"
        "</section>"
    )


def contents(analysis: ImpactAnalysis) -> Fragment:
    """Table of contents with page numbers (filled in by WeasyPrint)."""
    items = "".join(f"<li><a href='#{sid}'>{_e(title)}</a></li>" for sid, title in SECTIONS)
    return Fragment(f"<nav class='toc'><h3>Contents</h3><ol>{items}</ol></nav>")


def executive_summary(analysis: ImpactAnalysis) -> Fragment:
    """Three to five findings, each with its number, interval and verdict."""
    parts = []
    for f in analysis.findings():
        badge = f" {_verdict_badge(f.verdict)}" if f.verdict else ""
        parts.append(f"<div class='finding'>{_e(f.text)}{badge}</div>")
    return Fragment("".join(parts))


def adoption(analysis: ImpactAnalysis) -> Fragment:
    """Coverage cascade, sustained use and the equity comparison."""
    out = []
    if analysis.cascade is None:
        out.append(_absent("who was reached and who adopted", "adoption.cascade").html)
    else:
        c = analysis.cascade
        out.append(f"<p>{_e(c.summary())}</p>")
        table = c.table
        shown = pd.DataFrame(
            {
                "stage": table["label"] if "label" in table else table["stage"],
                "count": table["count"].astype(int),
                "share of target": table["share_of_target"],
                "95 % CI": [
                    f"{fmt_pct(lo)} – {fmt_pct(hi)}"
                    for lo, hi in zip(
                        table["share_of_target_ci_low"],
                        table["share_of_target_ci_high"],
                        strict=True,
                    )
                ],
                "of previous stage": table["share_of_previous"],
            }
        )
        out.append(
            _table(
                shown,
                {
                    "share of target": fmt_pct,
                    "of previous stage": fmt_pct,
                    "count": _int,
                },
            )
        )
        out.append(
            _figure(
                lambda ax: c.plot(ax=ax),
                "Coverage cascade (Tanahashi): share of the target population reached at each stage, with 95 % Wilson intervals.",
            )
        )
        by_group = c.by_group
        if isinstance(by_group, pd.DataFrame) and not by_group.empty:
            out.append("<h3>Equity: where each group loses people</h3>")
            out.append(f"<p>{_e(c.equity_summary())}</p>")
            out.append(_equity_table(by_group, c.by))
    if analysis.sustained_use is None:
        out.append(_absent("how long people kept using it", "adoption.sustained_use").html)
    else:
        s = analysis.sustained_use
        out.append("<h3>Sustained use</h3>")
        out.append(f"<p>{_e(s.summary())}</p>")
        table = s.table
        unit_word = getattr(s, "time_unit", "days")
        few = (
            table["few_at_risk"].to_numpy(dtype=bool)
            if "few_at_risk" in table
            else np.zeros(len(table), dtype=bool)
        )
        shown = pd.DataFrame(
            {
                "horizon": [f"{h:g} {unit_word}" for h in table["horizon"]],
                "still using": [fmt_pct(v) for v in table["survival"]],
                "95 % CI": [
                    f"{fmt_pct(lo)} – {fmt_pct(hi)}"
                    for lo, hi in zip(table["ci_low"], table["ci_high"], strict=True)
                ],
                "still followed": [
                    _int(v) + ("*" if flag else "")
                    for v, flag in zip(table["at_risk"], few, strict=True)
                ],
            }
        )
        if "group" in table:
            shown.insert(0, "group", [_group_label(s.by, g) for g in table["group"]])
        out.append(_table(shown, numbers=("still using", "95 % CI", "still followed")))
        if few.any():
            out.append(
                "<p class='small'>* Few units were still followed at this horizon: the "
                "estimate is uncertain and may change as follow-up continues.</p>"
            )
        out.append(
            _figure(
                lambda ax: s.plot(ax=ax),
                "Share still using over time (Kaplan–Meier with 95 % log-log intervals); ticks mark units whose follow-up ended while they were still using it.",
            )
        )
    out.append(_costs(analysis))
    return Fragment("".join(out))


def _costs(analysis: ImpactAnalysis) -> str:
    """Cost per person at each stage of the cascade, and the cost items."""
    costs = analysis.initiative.costs
    if costs is None:
        return ""
    currency = analysis.initiative.currency
    out = [
        "<h3>Cost per outcome</h3>",
        f"<p>The programme cost {_e(currency)} {costs.total:,.0f} in the reporting period. "
        "Divided by the number of people at each stage, it shows what each step of the "
        "cascade costs: the later the stage, the higher the cost per person, and the "
        "clearer the price of losing people on the way.</p>",
    ]
    if analysis.costs is not None:
        per = analysis.costs
        shown = pd.DataFrame(
            {
                "outcome": [str(o) for o in per["outcome"]],
                "people": [_int(v) for v in per["units"]],
                f"cost per person ({currency})": [f"{v:,.2f}" for v in per["cost_per_unit"]],
            }
        )
        out.append(_table(shown, numbers=("people", f"cost per person ({currency})")))
    if costs.items:
        items = pd.DataFrame(
            {
                "item": list(costs.items),
                f"amount ({currency})": [f"{v:,.0f}" for v in costs.items.values()],
                "share": [fmt_pct(v / costs.total) for v in costs.items.values()],
            }
        )
        out.append(_table(items, numbers=(f"amount ({currency})", "share")))
    return "".join(out)


def lab_vs_real_world(analysis: ImpactAnalysis) -> Fragment:
    """Waterfall from lab efficacy to the real-world effect, and the voltage ratio."""
    out = []
    lab = analysis.initiative.lab
    if lab is None:
        return _absent("how the lab result compares with real use", "lab")
    source = f" (source: {lab.source})" if lab.source else ""
    if lab.efficacy is not None:
        out.append(f"<p>Laboratory efficacy: {_e(fmt_pct(lab.efficacy))}{_e(source)}.</p>")
    if analysis.gap is not None:
        g = analysis.gap
        out.append(f"<p>{_e(g.summary())}</p>")
        out.append(
            _figure(
                lambda ax: g.plot(ax=ax),
                "From lab efficacy to real-world effect: each bar is what remains after one step of the cascade.",
            )
        )
        contrib = g.contributions
        frame = (
            contrib
            if isinstance(contrib, pd.DataFrame)
            else pd.DataFrame({"step": list(contrib), "share of the loss": list(contrib.values())})
        )
        out.append(_table(frame, {c: fmt_pct for c in frame.columns if frame[c].dtype.kind == "f"}))
    if analysis.voltage is not None:
        out.append(f"<div class='callout'>{_e(analysis.voltage_summary())}</div>")
    return Fragment("".join(out))


def outcomes(analysis: ImpactAnalysis) -> Fragment:
    """Outcome table (baseline, endline, change, interval, adjusted p, verdict) and charts."""
    table = analysis.outcome_table()
    rows = []
    for _, r in table.iterrows():
        indicator = analysis.catalog[r["indicator"]]
        pct = is_share(indicator)
        show = level_format(indicator)
        rows.append(
            {
                "indicator": r["name"],
                "baseline": show(r["baseline"]),
                "endline": show(r["endline"]),
                "change": _change(r["change"], pct),
                "95 % CI": "—"
                if pd.isna(r["ci_low"])
                else f"{_change(r['ci_low'], pct)} to {_change(r['ci_high'], pct)}",
                "p (adj.)": "—" if pd.isna(r["p_adjusted"]) else fmt_p(r["p_adjusted"])[2:],
                "verdict": r["verdict"],
            }
        )
    shown = pd.DataFrame(rows)
    out = [_table(shown, numbers=("baseline", "endline", "change", "95 % CI", "p (adj.)"))]
    out.append(
        "<p class='small'>pp = percentage points. p (adj.): p-value adjusted for the number of "
        f"outcomes with {_e(multiplicity_words(analysis.initiative.multiplicity))}.</p>"
    )
    reasons = [
        f"<li><strong>{_e(r['name'])}</strong>: {_e(r['reason'])}</li>"
        for _, r in table.iterrows()
        if r["reason"]
    ]
    if reasons:
        out.append(f"<ul class='note'>{''.join(reasons)}</ul>")
    est = table.dropna(subset=["change"])
    for unit, part, pct in _by_display_unit(analysis, est):
        out.append(_forest(part, unit, pct))
        if len(part) >= 2:  # one row is already clear from the table above
            out.append(_dumbbell(analysis, part, pct))
    if analysis.initiative.design.type == "its":
        for result in analysis.headline:
            its_result = result.detail
            if its_result is None:
                continue
            out.append(
                _figure(
                    its_result.plot,
                    f"{result.indicator.name}: observed values, fitted trend and the counterfactual "
                    "without the programme (dashed, with 95 % interval).",
                )
            )
            if result.indicator.kind == "sum" or analysis.initiative.design.family != "gaussian":
                # a running total is meaningful for counts, not for shares or averages
                out.append(f"<p>{_e(its_result.cumulative.summary())}</p>")
    return Fragment("".join(out))


def _forest(part: pd.DataFrame, unit: str, pct: bool) -> str:
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

    return _figure(
        draw,
        f"Estimated changes ({unit}) with 95 % intervals; the shaded band around zero is the "
        "smallest change each indicator's definition counts as meaningful.",
        (6.3, 1.2 + 0.42 * len(frame)),
    )


def _dumbbell(analysis: ImpactAnalysis, part: pd.DataFrame, pct: bool) -> str:
    """Before and after values of outcomes that share one display unit."""
    frame = pd.DataFrame(
        {"label": part["name"], "before": part["baseline"], "after": part["endline"]}
    )
    its_design = analysis.initiative.design.type == "its"

    def draw(ax: Axes) -> Axes:
        return charts.dumbbell(
            frame,
            ax=ax,
            pct=pct,
            before_label="Before (mean)" if its_design else "Baseline",
            after_label="After (mean)" if its_design else "Endline",
        )

    return _figure(draw, _dumbbell_caption(analysis), (6.3, 1.2 + 0.42 * len(frame)))


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


def _change(value: float, pct: bool) -> str:
    if pd.isna(value):
        return "—"
    return f"{100 * value:+.1f} pp" if pct else _signed(value)


def _dumbbell_caption(analysis: ImpactAnalysis) -> str:
    kind = analysis.initiative.design.type
    if kind == "did":
        return "Baseline and endline values of each outcome in the treated group."
    if kind == "its":
        return "Mean of each outcome before and after the intervention."
    if analysis.initiative.design.paired:
        return "Mean of each outcome before and after, among the units measured at both rounds."
    return "Mean of each outcome in the before and the after sample."


def _group_label(by: str | None, value: Any) -> str:
    """``"Hillside"`` stays as it is; a code such as ``1`` becomes ``"urban = 1"``."""
    if isinstance(value, str) or by is None:
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{by} = {value}"


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
    frame.columns = [frame.columns[0]] + [_group_label(by, c) for c in frame.columns[1:]]
    return _table(frame, {c: fmt_pct for c in frame.columns[1:]})


def subgroups(analysis: ImpactAnalysis) -> Fragment:
    """The headline effect within each subgroup (equity)."""
    frame = analysis.subgroups
    if frame.empty:
        if analysis.subgroup_notes:
            items = "".join(f"<li>{_e(n)}</li>" for n in analysis.subgroup_notes)
            return Fragment(
                "<p class='note'>The headline change could not be estimated within the "
                f"subgroups:</p><ul class='note'>{items}</ul>"
            )
        return _absent("whether some groups benefit less", "subgroups")
    ind = analysis.catalog[str(frame["indicator"].iloc[0])]
    pct = is_share(ind)
    scale = 100.0 if pct else 1.0
    plot = pd.DataFrame(
        {
            "group": [
                _group_label(str(s), lvl)
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
    shown = pd.DataFrame(
        {
            "subgroup": plot["group"],
            "change": [_signed(v) for v in plot["estimate"]],
            "95 % CI": [
                f"{_signed(lo)} to {_signed(hi)}"
                for lo, hi in zip(plot["ci_low"], plot["ci_high"], strict=True)
            ],
            "n": frame["n"].astype(int).map("{:,}".format),
            "p": [fmt_p(p)[2:] for p in frame["p_value"]],
        }
    )
    notes = ""
    if analysis.subgroup_notes:
        notes = (
            "<ul class='note'>"
            + "".join(f"<li>Not estimated: {_e(n)}</li>" for n in analysis.subgroup_notes)
            + "</ul>"
        )
    return Fragment(
        f"<p>Change in <strong>{_e(ind.name)}</strong> ({_e(unit)}) estimated separately "
        "within each subgroup. Subgroup estimates are less precise than the overall one; "
        "differences between them are descriptive, not tested.</p>"
        + _table(shown, numbers=("change", "95 % CI", "n", "p"))
        + notes
        + _figure(
            lambda ax: charts.subgroups(plot, overall=overall, ax=ax),
            f"Change in {ind.name} by subgroup ({unit}); the vertical line is the overall estimate.",
            (6.3, 1.0 + 0.3 * len(plot)),
        )
    )


def _signed(value: float) -> str:
    """A change with its sign and three significant digits: ``+1.35``, ``−15.2``."""
    if pd.isna(value):
        return "—"
    text = fmt(abs(value))
    return ("+" if value > 0 else "−" if value < 0 else "") + text


def methods(analysis: ImpactAnalysis) -> Fragment:
    """Design, estimator, covariance, multiplicity, what the design cannot rule out."""
    init = analysis.initiative
    d = init.design
    items = [f"<li><strong>Design.</strong> {_e(_design_words(analysis))}.</li>"]
    methods_used = sorted({r.effect.method for r in analysis.outcomes if r.effect is not None})
    if methods_used:
        items.append(
            f"<li><strong>Estimator and covariance.</strong> {_e('; '.join(methods_used))}.</li>"
        )
    items.append(
        "<li><strong>Multiplicity.</strong> With several outcomes some will look significant by chance; "
        f"p-values are adjusted with {_e(multiplicity_words(init.multiplicity))}.</li>"
    )
    items.append(
        "<li><strong>Verdicts.</strong> <em>improved</em> / <em>worsened</em>: the 95 % interval excludes "
        "no change; <em>no meaningful change</em>: the whole interval lies within the smallest change that "
        "would matter; otherwise <em>inconclusive</em>.</li>"
    )
    caveat = {
        "did": "Difference-in-differences assumes the comparison group shows what would have happened to the "
        "treated group without the programme (parallel trends). It cannot rule out events that affected only "
        "one group during the period, or spill-overs into comparison villages.",
        "pre_post": "A before-and-after comparison without a comparison group attributes every change over the "
        "period to the programme: seasons, prices, other programmes and regression to the mean are not ruled out.",
        "its": "Interrupted time series assumes the pre-intervention trend (and season) would have continued. It "
        "cannot rule out other changes that happened at the same time as the intervention.",
    }[d.type]
    items.append(f"<li><strong>What the design cannot rule out.</strong> {_e(caveat)}</li>")
    notes = sorted({n for r in analysis.outcomes if r.effect is not None for n in r.effect.notes})
    if notes:
        items.append(
            "<li><strong>Warnings from the estimators.</strong><ul>"
            + "".join(f"<li>{_e(n)}</li>" for n in notes)
            + "</ul></li>"
        )
    if analysis.attrition is not None:
        worst = analysis.attrition["attrition"].max()
        items.append(
            f"<li><strong>Attrition.</strong> Up to {_e(fmt_pct(worst))} of units were lost between rounds "
            "(see the appendix); if those lost differ from those who stayed, estimates may be biased.</li>"
        )
    items.append(
        "<li><strong>Reproducibility.</strong> Every number in this report is recomputed from the data files "
        f"(fingerprint {_e(analysis.fingerprint)}) by impactkit and saved with its interval and method in "
        "the <code>.results.csv</code> and <code>.results.json</code> files beside this report.</li>"
    )
    return Fragment(f"<ul class='methods-note'>{''.join(items)}</ul>")


def data_quality(analysis: ImpactAnalysis) -> Fragment:
    """Rows, missing values, attrition, units per group."""
    out = ["<h3>Missing values</h3>"]
    q = analysis.data_quality
    out.append(
        _table(
            q,
            {
                "share missing": fmt_pct,
                "rows": _int,
                "missing": _int,
            },
        )
    )
    if not analysis.units.empty:
        out.append("<h3>Units per group</h3>")
        u = analysis.units
        out.append(_table(u, {c: _int for c in ("rows", "units", "clusters") if c in u}))
    if analysis.attrition is not None:
        out.append("<h3>Attrition between rounds</h3>")
        a = analysis.attrition
        counts = {c: _int for c in a.columns if c not in ("group", "attrition")}
        out.append(_table(a, {"attrition": fmt_pct, **counts}))
    return Fragment("".join(out))


# ============================================================================ words


def _design_words(analysis: ImpactAnalysis) -> str:
    d = analysis.initiative.design
    if d.type == "did":
        cluster = f", standard errors clustered by {d.cluster}" if d.cluster else ""
        return f"Difference-in-differences: treated ({d.treated} = 1) vs comparison, before vs after ({d.post}){cluster}"
    if d.type == "pre_post":
        kind = "paired (same units)" if d.paired else "independent samples"
        return f"Before-and-after comparison, {kind}: {d.before} vs {d.after}"
    season = f", seasonality {d.seasonality}" if d.seasonality else ""
    return f"Interrupted time series on {d.time}, intervention at {d.intervention} ({d.family}{season})"
