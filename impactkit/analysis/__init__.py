"""Everything a report says about one initiative, computed in one place.

:func:`analyse` takes a validated :class:`~impactkit.initiative.Initiative`, reads its data,
and calls the library's modules in the order of the data flow::

    indicators (values by period and group)
      -> effects (one per outcome indicator, by the initiative's design; multiplicity; verdicts)
      -> adoption (cascade, sustained use, lab-to-real-world gap, voltage ratio, costs)
      -> subgroups and data quality

The result, :class:`ImpactAnalysis`, is what the report notebook displays and what
``results.csv`` / ``results.json`` hold, so the PDF and the files always agree.

Layout: :mod:`.run` (:func:`analyse`), :mod:`.designs` (one runner per design type behind
:class:`~.designs.base.DesignRunner`), :mod:`.outcome` and :mod:`.model` (the result types),
:mod:`.lab_and_adoption`, :mod:`.quality` (data-quality appendix), :mod:`.data_sets` (the
data as read: labels, missing-value codes, dictionary), :mod:`.labels` (group names), :mod:`.words` (findings
and sentences) and :mod:`.results_table` (``results.csv`` / ``results.json``).
"""

from __future__ import annotations

from .designs import ESTIMABLE_KINDS, RUNNERS, DesignRunner, runner_for
from .lab_and_adoption import GAP_SEED
from .labels import display_labels
from .model import ImpactAnalysis
from .outcome import DesignDetail, Finding, OutcomeResult
from .run import analyse
from .words import is_share, level_format, multiplicity_words

__all__ = [
    "analyse",
    "ImpactAnalysis",
    "Finding",
    "OutcomeResult",
    "DesignDetail",
    "DesignRunner",
    "RUNNERS",
    "runner_for",
    "is_share",
    "level_format",
    "multiplicity_words",
    "ESTIMABLE_KINDS",
    "GAP_SEED",
    "display_labels",
]
