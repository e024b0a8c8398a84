"""The analyst's own sections from ``narrative: narrative.md`` (see
:mod:`impactkit.report.narrative`)."""

from __future__ import annotations

from ...analysis import ImpactAnalysis
from ..narrative import Place, read_narrative, render_narrative
from ._html import Fragment

__all__ = ["narrative"]


def narrative(analysis: ImpactAnalysis, place: Place) -> Fragment:
    """The narrative sections placed ``"before"`` (context, theory of change: after the
    executive summary) or ``"after"`` (what this means, limitations: before the methods)."""
    init = analysis.initiative
    if init.narrative is None:
        return Fragment("")
    return Fragment(render_narrative(read_narrative(init.narrative, init.folder), place))
