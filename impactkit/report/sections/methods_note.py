"""Methods and assumptions: design, estimator, multiplicity, verdicts, what the design cannot
rule out (from its runner), warnings, attrition and reproducibility."""

from __future__ import annotations

from ..._display import fmt_pct
from ...analysis import ImpactAnalysis, multiplicity_words
from ._html import Fragment, esc, level_words
from .front import EVIDENCE_WORDS

__all__ = ["methods"]


def methods(analysis: ImpactAnalysis) -> Fragment:
    """Design, estimator, covariance, multiplicity, what the design cannot rule out."""
    init = analysis.initiative
    runner = analysis.runner
    items = [f"<li><strong>Design.</strong> {esc(runner.design_words(init))}.</li>"]
    sampling = init.sampling_of(init.design.data)
    if sampling is not None:
        items.append(
            f"<li><strong>Sampling.</strong> Indicator levels: {esc(sampling.describe())}</li>"
        )
    methods_used = sorted({r.effect.method for r in analysis.outcomes if r.effect is not None})
    if methods_used:
        items.append(
            f"<li><strong>Estimator and covariance.</strong> {esc('; '.join(methods_used))}.</li>"
        )
    items.append(
        "<li><strong>Multiplicity.</strong> With several outcomes some will look significant by "
        f"chance; p-values are adjusted with {esc(multiplicity_words(init.multiplicity))}.</li>"
    )
    items.append(
        "<li><strong>Verdicts.</strong> <em>improved</em> / <em>worsened</em>: the "
        f"{level_words(analysis.confidence)} interval excludes no change; <em>no meaningful "
        "change</em>: the whole interval lies within the smallest change that would matter; "
        "otherwise <em>inconclusive</em>.</li>"
    )
    items.append(
        f"<li><strong>What the design cannot rule out.</strong> {esc(runner.caveat())}</li>"
    )
    checks = [d.text for r in analysis.headline for d in r.diagnostics if d.text]
    if checks:
        items.append(
            "<li><strong>What the design rests on.</strong><ul>"
            + "".join(f"<li>{esc(c)}</li>" for c in dict.fromkeys(checks))
            + "</ul></li>"
        )
    items.append(
        f"<li><strong>Strength of evidence.</strong> {esc(EVIDENCE_WORDS[runner.evidence_strength()])}</li>"
    )
    notes = sorted({n for r in analysis.outcomes if r.effect is not None for n in r.effect.notes})
    if notes:
        items.append(
            "<li><strong>Warnings from the estimators.</strong><ul>"
            + "".join(f"<li>{esc(n)}</li>" for n in notes)
            + "</ul></li>"
        )
    if analysis.attrition is not None:
        worst = analysis.attrition["attrition"].max()
        if worst > 0:
            items.append(
                f"<li><strong>Attrition.</strong> Up to {esc(fmt_pct(worst))} of units were "
                "lost between rounds (see the appendix); if those lost differ from those who "
                "stayed, estimates may be biased.</li>"
            )
        elif worst == 0:
            items.append("<li><strong>Attrition.</strong> No unit was lost between rounds.</li>")
    items.append(
        "<li><strong>Reproducibility.</strong> Every number in this report is recomputed from the "
        f"data files (fingerprint {esc(analysis.fingerprint)}) by impactkit and saved with its "
        "interval and method in the <code>.results.csv</code> and <code>.results.json</code> "
        "files beside this report.</li>"
    )
    return Fragment(f"<ul class='methods-note'>{''.join(items)}</ul>")
