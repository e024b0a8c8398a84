"""The analysis in words: how values are shown, the findings and their sentences."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pandas as pd

from .._display import fmt, fmt_ci, fmt_pct
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


def outcome_sentence(analysis: ImpactAnalysis, r: OutcomeResult) -> str:
    """ "X went from a to b; the change <relative to what the design compares> is c (CI)."."""
    ind = r.indicator
    if r.effect is None:
        return f"{ind.name}: {r.skipped or 'not estimated'}."
    e = r.effect
    pct = is_share(ind)
    show = level_format(ind)
    change = (
        f"{100 * e.estimate:+.1f} percentage points" if pct else f"{e.estimate:+.3g} {ind.unit}"
    )
    ci = (
        f"{100 * e.confidence:g} % CI {100 * e.ci_low:+.1f} to {100 * e.ci_high:+.1f}"
        if pct
        else fmt_ci(e.ci_low, e.ci_high, confidence=e.confidence)
    )
    design = analysis.runner.change_words()
    return (
        f"{ind.name} went from {show(r.before)} to {show(r.after)}; the change {design} is "
        f"{change} ({ci})."
    )


def voltage_sentence(analysis: ImpactAnalysis) -> str:
    """The effect at scale as a share of the pilot's, in words (needs a pilot effect)."""
    v = analysis.voltage
    lab = analysis.initiative.lab
    assert v is not None and lab is not None and lab.pilot_effect is not None
    name = analysis.catalog[lab.pilot_effect.indicator].name
    method = "Fieller's method" if v.method == "fieller" else "delta method"
    return (
        f"At scale, the effect on {name[:1].lower()}{name[1:]} is {100 * v.ratio:.0f} % of the "
        f"pilot's ({100 * v.confidence:g} % CI {100 * v.ci_low:.0f} to {100 * v.ci_high:.0f} %, "
        f"{method}): the pilot estimated {fmt(v.lab_estimate)}, the programme at scale "
        f"{fmt(v.field_estimate)}."
    )


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
