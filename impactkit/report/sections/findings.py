"""The executive summary: three to five findings with their verdicts."""

from __future__ import annotations

from ...analysis import ImpactAnalysis
from ...analysis.scale import verdict_words
from ._html import Fragment, esc, verdict_badge

__all__ = ["executive_summary"]


def executive_summary(analysis: ImpactAnalysis) -> Fragment:
    """Three to five findings, each with its number, interval and verdict."""
    parts = []
    strength = analysis.runner.evidence_strength()
    for f in analysis.findings():
        words = verdict_words(f.verdict, strength) if f.verdict else None
        badge = f" {verdict_badge(f.verdict, words)}" if f.verdict else ""
        parts.append(f"<div class='finding'>{esc(f.text)}{badge}</div>")
    return Fragment("".join(parts))
