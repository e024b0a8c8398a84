"""One runner per design type, behind :class:`~.base.DesignRunner`.

:data:`RUNNERS` is the one place that maps a design's ``type`` to its runner.  A new design
type is one runner module here plus its design record in :mod:`impactkit.initiative.designs`.
"""

from __future__ import annotations

from ...initiative import Design
from .base import ESTIMABLE_KINDS, Chart, DesignRunner, Exhibit, HasResultRows, Note, Table
from .did import DiDRunner
from .its import ITSRunner
from .pre_post import PrePostRunner
from .synthetic import SyntheticControlRunner

__all__ = [
    "RUNNERS",
    "runner_for",
    "DesignRunner",
    "Chart",
    "Exhibit",
    "ESTIMABLE_KINDS",
    "DiDRunner",
    "ITSRunner",
    "PrePostRunner",
    "SyntheticControlRunner",
    "HasResultRows",
    "Note",
    "Table",
]

#: ``design.type`` -> the runner of that design.
RUNNERS: dict[str, DesignRunner] = {
    runner.type: runner for runner in (PrePostRunner(), DiDRunner(), ITSRunner())
}
RUNNERS[SyntheticControlRunner.type] = SyntheticControlRunner()


def runner_for(design: Design) -> DesignRunner:
    """The runner of ``design`` (every type :func:`impactkit.initiative.load` accepts has one)."""
    return RUNNERS[design.type]
