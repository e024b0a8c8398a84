"""The analysis in words: how values are shown, the findings and their sentences."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pandas as pd

from .._display import fmt, fmt_pct
from .outcome import Finding, OutcomeResult

if TYPE_CHECKING:
    from ..indicators import Indicator
    from .model import ImpactAnalysis

__all__ = [
    "is_share",
    "level_format",
    "multiplicity_words",
    "findings",
    "outcome_sentence",
    "voltage_sentence",
    "change_text",
    "interval_text",
    "meaning",
]


def is_share(indicator: Indicator) -> bool:
    """Whether the indicator's values are shares, shown as percentages and changes in points:
    every proportion, and a ratio or mean whose unit says "share", "proportion" or "percent"."""
    if indicator.kind == "proportion":
        return True
    unit = indicator.unit.lower()
    return indicator.kind in ("ratio", "mean") and unit.startswith(
        ("share", "proportion", "percent")
    )


def level_format(indicator: Indicator) -> Callable[[Any], str]:
    """How a value of the indicator is printed: a percentage for shares, else 3 digits."""
    return fmt_pct if is_share(indicator) else fmt


def multiplicity_words(method: str) -> str:
    """The multiplicity correction in words, for sentences and the methods note."""
    return {
        "fdr_bh": "the Benjamini–Hochberg false discovery rate",
        "holm": "Holm's step-down method",
        "bonferroni": "Bonferroni's method",
        "none": "no correction (the initiative file chose none)",
    }[method]


def change_text(ind: Indicator, value: float) -> str:
    """A change in the indicator's units: ``+3.1 percentage points``, ``−0.42 cases``."""
    if is_share(ind):
        return _minus(f"{100 * value:+.1f} percentage points")
    return f"{signed_number(value)} {ind.unit}"


def signed_number(value: float) -> str:
    """``+4,820``, ``\u22120.674``, ``+31.9``: three significant digits, thousands separators,
    never scientific notation for an ordinary number, one (typographic) minus sign."""
    sign = "+" if value > 0 else "\u2212" if value < 0 else ""
    return sign + fmt(abs(value))


def interval_text(ind: Indicator, low: float, high: float, confidence: float) -> str:
    """The interval of a change on the same scale: ``95 % CI −4.1 to −1.2``."""
    if is_share(ind):
        return _minus(f"{100 * confidence:g} % CI {100 * low:+.1f} to {100 * high:+.1f}")
    return f"{100 * confidence:g} % CI {signed_number(low)} to {signed_number(high)}"


def _minus(text: str) -> str:
    """One minus sign before numbers: the typographic one, as in the charts (hyphens in
    words stay)."""
    return re.sub(r"(?<![\w])-(?=[0-9.])", "\u2212", text)


def outcome_sentence(analysis: ImpactAnalysis, r: OutcomeResult) -> str:
    """ "X went from a to b (comparison: c to d); the change (net of ...) is e (CI)."."""
    ind = r.indicator
    if r.effect is None:
        return f"{ind.name}: {r.skipped or 'not estimated'}."
    e = r.effect
    show = level_format(ind)
    extra = ""
    for row in r.levels:
        if row.before is not None and row.after is not None:
            extra += f" ({row.label[:1].lower()}{row.label[1:]}: {show(row.before)} to "
            extra += f"{show(row.after)})"
        elif row.after is not None:
            extra += f" ({row.label[:1].lower()}{row.label[1:]}: {show(row.after)})"
    design = analysis.runner.change_words()
    return (
        f"{ind.name} went from {show(r.before)} to {show(r.after)}{extra}; the change "
        f"({design}) is {change_text(ind, e.estimate)} "
        f"({interval_text(ind, e.ci_low, e.ci_high, e.confidence)})."
    )


def voltage_sentence(analysis: ImpactAnalysis) -> str:
    """The change at scale as a share of the pilot's effect, in words (needs a pilot
    effect); a before/after change is called a change, never the programme's effect."""
    v = analysis.voltage
    lab = analysis.initiative.lab
    assert v is not None and lab is not None and lab.pilot_effect is not None
    name = analysis.catalog[lab.pilot_effect.indicator].name
    method = "Fieller's method" if v.method == "fieller" else "delta method"
    strength = analysis.runner.evidence_strength()
    what = (
        "the change measured at scale (before/after only, not an estimate of the programme's "
        "effect)"
        if strength in ("before-after", "descriptive")
        else "the effect at scale"
    )
    return _minus(
        f"On {name[:1].lower()}{name[1:]}, {what} is {100 * v.ratio:.0f} % of the "
        f"pilot's effect ({100 * v.confidence:g} % CI {100 * v.ci_low:.0f} to "
        f"{100 * v.ci_high:.0f} %, {method}): the pilot estimated {fmt(v.lab_estimate)}, "
        f"the programme at scale {fmt(v.field_estimate)}."
    )


def meaning(analysis: ImpactAnalysis) -> str:
    """A short "what this means" paragraph for a funder: the headline verdicts in plain
    words, what the evidence can support, and the biggest loss of reach."""
    strength = analysis.runner.evidence_strength()
    parts = []
    for r in analysis.headline:
        parts.append(_meaning_of(r, strength))
    claim = {
        "randomised": "Because the comparison was randomised, the changes can be read as the "
        "programme's effects, within their intervals.",
        "quasi-experimental": "The comparison is not randomised: the changes are the "
        "programme's effects only if its assumption holds (see Methods).",
        "before-after": "There is no comparison group: the changes happened during the "
        "programme but cannot be attributed to it.",
        "descriptive": "The figures describe the programme; they do not measure its effect.",
    }[strength]
    parts.append(claim)
    if analysis.cascade is not None:
        parts.append(f"On reach: {analysis.cascade.summary()}")
    return " ".join(parts)


def _meaning_of(r: OutcomeResult, strength: str) -> str:
    name = r.indicator.name
    if r.effect is None:
        return f"{name} could not be estimated ({r.skipped})."
    before_after = strength in ("before-after", "descriptive")
    return {
        "improved": f"{name} got better"
        + (" over the period." if before_after else ", by more than chance would explain."),
        "worsened": f"{name} got worse"
        + (" over the period." if before_after else ", by more than chance would explain."),
        "changed": f"{name} changed, by more than chance would explain.",
        "no meaningful change": f"{name} did not change by as much as would matter.",
    }.get(r.verdict, f"The data cannot tell whether {name[:1].lower()}{name[1:]} changed.")


def findings(analysis: ImpactAnalysis) -> list[Finding]:
    """Three to five findings in plain words, each with its number, interval and verdict."""
    headline = analysis.initiative.indicators.headline
    out = [
        Finding(outcome_sentence(analysis, r), r.verdict, r.indicator.id) for r in analysis.headline
    ]
    if analysis.cascade is not None:
        out.append(Finding(analysis.cascade.summary(), None, "adoption"))
    if analysis.gap is not None:
        out.append(Finding(analysis.gap.summary(), None, "gap"))
    if analysis.voltage is not None:
        out.append(Finding(voltage_sentence(analysis), None, "voltage"))
    others = [r for r in analysis.outcomes if r.indicator.id not in headline]
    while others and len(out) < 2:  # too little adoption evidence: name more outcomes
        result = others.pop(0)
        out.append(Finding(outcome_sentence(analysis, result), result.verdict, result.indicator.id))
    if others and len(out) < 5:
        counts = pd.Series([r.verdict for r in others]).value_counts()
        parts = [f"{n} {label}" for label, n in counts.items()]
        method = multiplicity_words(analysis.initiative.multiplicity)
        out.append(
            Finding(
                f"Of {len(others)} further outcome indicators: {', '.join(parts)} "
                f"(p-values adjusted with {method}).",
                None,
                "outcomes",
            )
        )
    return out[:5]
