"""The sections of the impact report, as HTML fragments.

The report notebook holds the narrative and one call per section; each call returns a
:class:`Fragment` (displayed as HTML in Jupyter and kept, without code, in the PDF).  Charts are
embedded as inline SVG so that they stay sharp in print and the PDF is byte-for-byte
reproducible for the same data.

One module per section: :mod:`.front` (cover, contents), :mod:`.findings` (executive summary),
:mod:`.reach` (cascade, equity, sustained use) with :mod:`.costs` (cost per outcome),
:mod:`.maps` (district maps), :mod:`.lab` (lab versus real world), :mod:`.outcome_changes`, :mod:`.equity` (subgroups),
:mod:`.methods_note` and :mod:`.appendix` (data quality); shared HTML helpers in
:mod:`._html`.  Whatever depends on the design (its words, caveats and charts) comes from
the design's runner (:mod:`impactkit.analysis.designs`).
"""

from __future__ import annotations

from ._html import Fragment
from .appendix import data_quality
from .equity import subgroups
from .findings import executive_summary
from .front import SECTIONS, contents, cover, heading
from .lab import lab_vs_real_world
from .maps import maps
from .methods_note import methods
from .outcome_changes import outcomes
from .own_words import narrative
from .reach import adoption

__all__ = [
    "Fragment",
    "SECTIONS",
    "cover",
    "contents",
    "heading",
    "executive_summary",
    "adoption",
    "maps",
    "lab_vs_real_world",
    "outcomes",
    "subgroups",
    "methods",
    "data_quality",
    "narrative",
]
