"""One runner per design type, behind :class:`~.base.DesignRunner`.

:data:`RUNNERS` is the one place that maps a design's ``type`` to its runner.  A new design
type is one runner module here plus its design record in :mod:`impactkit.initiative.designs`.
"""

from __future__ import annotations

from ...initiative import Design
from .base import ESTIMABLE_KINDS, Chart, DesignRunner, Exhibit, Note, Table
from .did import DiDRunner
from .its import ITSRunner
from .pre_post import PrePostRunner
from .rct import RCTRunner
from .staggered import StaggeredRunner
from .synthetic import SyntheticControlRunner

__all__ = [
    "RUNNERS",
    "runner_for",
    "DesignRunner",
    "Chart",
    "Table",
    "Exhibit",
    "ESTIMABLE_KINDS",
    "DiDRunner",
    "ITSRunner",
    "PrePostRunner",
    "RCTRunner",
    "StaggeredRunner",
    "SyntheticControlRunner",
    "Note",
]

#: ``design.type`` -> the runner of that design.
RUNNERS: dict[str, DesignRunner] = {
    runner.type: runner
    for runner in (PrePostRunner(), DiDRunner(), ITSRunner(), RCTRunner(), StaggeredRunner())
}
RUNNERS[SyntheticControlRunner.type] = SyntheticControlRunner()


def runner_for(design: Design) -> DesignRunner:
    """The runner of ``design`` (every type :func:`impactkit.initiative.load` accepts has one)."""
    return RUNNERS[design.type]
