"""The cover page, the table of contents, and the headings of the optional sections.

The cover never drops content: it grows with its headlines (the stylesheet gives it no
fixed height).  Each headline says what its change is ("net of the comparison group",
"beyond the pre-existing trend", "before/after only"), shows the comparison it rests on
beside the treated group's values, its target, and any caveat from the design's checks.
"""

from __future__ import annotations

from ..._display import fmt_pct
from ...analysis import ImpactAnalysis, OutcomeResult, is_share, level_format
from ...analysis.scale import verdict_words
from ...analysis.words import change_text, interval_text, meaning
from ._html import Fragment, esc, verdict_badge

__all__ = ["SECTIONS", "cover", "contents", "present", "heading", "EVIDENCE_WORDS"]

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

#: The introduction of each optional section, printed under its heading when it is present.
INTROS = {
    "adoption": "A product or service helps people only as far as it reaches them, is taken "
    "up, is still used months later, and is used correctly. The coverage cascade (Tanahashi "
    "1978) follows the target population through each of these stages; the stage with the "
    "largest drop is the bottleneck, where effort pays off most.",
    "lab": "Laboratory or pilot results show what the intervention can do under ideal "
    "conditions (efficacy). What it achieves in daily life (effectiveness) is the lab result "
    "multiplied by every step of the cascade. Where the initiative records its cascade, a "
    "waterfall shows where that difference arises; where it records a pilot result, the "
    "voltage ratio compares the change at scale with the pilot's effect.",
    "maps": "Where the change happened and where people were lost: the first headline "
    "indicator and the last stage of the cascade in each area the initiative serves, with the "
    "number of respondents per area so that thin areas are visible.",
    "subgroups": "An average can hide groups that benefit less. The headline change is "
    "estimated separately within each subgroup named in the initiative file.",
}

#: What each evidence strength means, for the cover.
EVIDENCE_WORDS = {
    "randomised": "Randomised comparison: the changes can be read as the programme's effects.",
    "quasi-experimental": "Quasi-experimental: a comparison group or series without "
    "randomisation; the changes are effects only if the design's assumption holds.",
    "before-after": "Before/after only: no comparison group, so the changes cannot be "
    "attributed to the programme.",
    "descriptive": "Descriptive: the figures describe the programme, not its effect.",
}


def present(analysis: ImpactAnalysis, sid: str) -> bool:
    """Whether a section has content for this initiative (absent ones are left out)."""
    init = analysis.initiative
    if sid == "adoption":
        return any(x is not None for x in (init.cascade, init.sustained_use, init.costs))
    if sid == "lab":
        return init.lab is not None
    if sid == "subgroups":
        return bool(init.subgroups)
    if sid == "maps":
        return analysis.maps is not None
    return True


def heading(analysis: ImpactAnalysis, sid: str) -> Fragment:
    """The heading and introduction of section ``sid``, or nothing when it is absent."""
    if not present(analysis, sid):
        return Fragment("")
    title = dict(SECTIONS)[sid]
    intro = f"<p class='narrative'>{esc(INTROS[sid])}</p>" if sid in INTROS else ""
    return Fragment(f"<h2 id='{sid}'>{esc(title)}</h2>{intro}")


def _value_row(label: str, before: float | None, after: float | None, show: object) -> str:
    fmt_value = show if callable(show) else str
    cells = []
    if before is not None:
        cells.append(f"<span class='value'>{esc(fmt_value(before))}</span> → ")
    cells.append(f"<span class='value'>{esc(fmt_value(after))}</span>" if after is not None else "")
    return f"<tr><td>{esc(label)}</td><td>{''.join(cells)}</td></tr>"


def _headline_box(analysis: ImpactAnalysis, r: OutcomeResult) -> str:
    ind = r.indicator
    unit = "%" if is_share(ind) else ind.unit
    title = f"<div class='headline-title'><strong>{esc(ind.name)}</strong> ({esc(unit)})</div>"
    if r.effect is None:
        return f"<div class='headline-box'>{title}<div>{esc(r.skipped)}</div></div>"
    e = r.effect
    show = level_format(ind)
    first, last = analysis.runner.level_labels()
    own = analysis.runner.change_words()
    rows = [_value_row(f"{first} → {last}", r.before, r.after, show)]
    rows += [_value_row(lv.label, lv.before, lv.after, show) for lv in r.levels]
    if ind.target is not None:
        rows.append(_value_row("Target", None, ind.target, show))
    strength = analysis.runner.evidence_strength()
    change = (
        f"<div>Change ({esc(own)}) <span class='value'>{esc(change_text(ind, e.estimate))}"
        f"</span> ({esc(interval_text(ind, e.ci_low, e.ci_high, e.confidence))}) "
        f"{verdict_badge(r.verdict, verdict_words(r.verdict, strength))}</div>"
    )
    others = "".join(
        f"<div class='small'>{esc(o.name[:1].upper() + o.name[1:])}: {esc(_other(ind, o))}</div>"
        for o in r.others
    )
    caveats = "".join(f"<div class='caveat'>{esc(c)}</div>" for c in r.caveats)
    return (
        f"<div class='headline-box'>{title}<table class='levels'>{''.join(rows)}</table>"
        f"{change}{others}{caveats}</div>"
    )


def _other(ind: object, o: object) -> str:
    from ...analysis.outcome import OtherEffect

    assert isinstance(o, OtherEffect)
    e = o.effect
    if o.scale == "rate ratio":
        return (
            f"{e.estimate:.4g} ({100 * e.confidence:g} % CI {e.ci_low:.4g} to {e.ci_high:.4g}); "
            f"{fmt_pct(abs(e.estimate - 1))} {'higher' if e.estimate > 1 else 'lower'}"
        )
    from ...indicators import Indicator

    assert isinstance(ind, Indicator)
    return (
        f"{change_text(ind, e.estimate)} ({interval_text(ind, e.ci_low, e.ci_high, e.confidence)})"
    )


def cover(analysis: ImpactAnalysis) -> Fragment:
    """Cover page: initiative, organisation, the headlines with what each change is and
    the comparison it rests on, the strength of the evidence, what it means, and the
    metadata (period, date, design, version, data fingerprint)."""
    from ... import __version__

    init = analysis.initiative
    boxes = [_headline_box(analysis, r) for r in analysis.headline]
    strength = analysis.runner.evidence_strength()
    meta = [
        ("Organisation", init.organisation),
        ("Reporting period", f"{init.period_start:%d %B %Y} – {init.period_end:%d %B %Y}"),
        ("Report date", f"{analysis.created:%d %B %Y}"),
        ("Design", analysis.runner.design_words(init)),
        ("Strength of evidence", strength),
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
        f"<div class='evidence {strength}'>{esc(EVIDENCE_WORDS[strength])}</div>"
        f"{''.join(boxes)}"
        f"<div class='meaning'><strong>What this means.</strong> {esc(meaning(analysis))}</div>"
        f"<table class='meta'>{rows}</table>"
        "</section>"
    )


def contents(analysis: ImpactAnalysis) -> Fragment:
    """Table of contents with page numbers (filled in by WeasyPrint); absent sections are
    left out."""
    items = "".join(
        f"<li><a href='#{sid}'>{esc(title)}</a></li>"
        for sid, title in SECTIONS
        if present(analysis, sid)
    )
    return Fragment(f"<nav class='toc'><h3>Contents</h3><ol>{items}</ol></nav>")
