"""The cover page and the table of contents."""

from __future__ import annotations

from ..._display import fmt
from ...analysis import ImpactAnalysis, OutcomeResult, is_share, level_format
from ._html import Fragment, change, ci_label, esc, verdict_badge

__all__ = ["SECTIONS", "cover", "contents"]

#: Section ids and titles, in report order (the notebook's headings use these ids).
SECTIONS = (
    ("summary", "Executive summary"),
    ("adoption", "Reach and adoption"),
    ("maps", "Where: results by area"),
    ("lab", "Lab versus real world"),
    ("outcomes", "Outcome changes"),
    ("subgroups", "Who benefits: subgroups"),
    ("methods", "Methods and assumptions"),
    ("data-quality", "Appendix: data quality"),
)


def _headline_box(r: OutcomeResult) -> str:
    ind = r.indicator
    if r.effect is None:
        return f"<div class='headline-box'><strong>{esc(ind.name)}</strong>: {esc(r.skipped)}</div>"
    e = r.effect
    pct = is_share(ind)
    show = level_format(ind)
    ci = (
        f"{100 * e.ci_low:+.1f} to {100 * e.ci_high:+.1f} pp"
        if pct
        else f"{fmt(e.ci_low)} to {fmt(e.ci_high)}"
    )
    return (
        "<div class='headline-box'>"
        f"<div><strong>{esc(ind.name)}</strong> ({esc(ind.unit)})</div>"
        f"<div>Baseline <span class='value'>{esc(show(r.before))}</span> &nbsp;→&nbsp; "
        f"Endline <span class='value'>{esc(show(r.after))}</span></div>"
        f"<div>Change <span class='value'>{esc(change(e.estimate, pct))}</span> "
        f"({ci_label(e.confidence)} {esc(ci)}) {verdict_badge(r.verdict)}</div>"
        "</div>"
    )


def cover(analysis: ImpactAnalysis) -> Fragment:
    """Cover page: initiative, organisation, period, date, version, data fingerprint, headline."""
    from ... import __version__

    init = analysis.initiative
    boxes = [_headline_box(r) for r in analysis.headline]
    meta = [
        ("Organisation", init.organisation),
        ("Reporting period", f"{init.period_start:%d %B %Y} – {init.period_end:%d %B %Y}"),
        ("Report date", f"{analysis.created:%d %B %Y}"),
        ("Design", analysis.runner.design_words(init)),
        ("impactkit version", __version__),
        ("Data fingerprint", f"sha256 {analysis.fingerprint}"),
    ]
    rows = "".join(f"<tr><td>{esc(k)}</td><td>{esc(v)}</td></tr>" for k, v in meta)
    return Fragment(
        "<section class='cover'>"
        "<div class='kicker'>Impact report</div>"
        f"<h1>{esc(init.name)}</h1>"
        f"<div class='organisation'>{esc(init.organisation)}</div>"
        f"<p class='description'>{esc(init.description)}</p>"
        f"{''.join(boxes)}"
        f"<table class='meta'>{rows}</table>"
        "</section>"
    )


def contents(analysis: ImpactAnalysis) -> Fragment:
    """Table of contents with page numbers (filled in by WeasyPrint)."""
    items = "".join(f"<li><a href='#{sid}'>{esc(title)}</a></li>" for sid, title in SECTIONS)
    return Fragment(f"<nav class='toc'><h3>Contents</h3><ol>{items}</ol></nav>")
