"""The cells of the tutorial notebooks, one module per notebook (narration and calls only).

:data:`NOTEBOOK_CELLS` maps each notebook's file name to its cells, in order;
``scripts/make_tutorials.py`` writes them into ``notebooks/``.
"""

from __future__ import annotations

import nbformat

from .adoption import ADOPTION
from .designs import DESIGNS
from .kobo import KOBO
from .published import PUBLISHED
from .quickstart import QUICKSTART

__all__ = ["NOTEBOOK_CELLS"]

NOTEBOOK_CELLS: dict[str, list[nbformat.NotebookNode]] = {
    "01_quickstart.ipynb": QUICKSTART,
    "02_adoption_vs_lab.ipynb": ADOPTION,
    "03_before_after_designs.ipynb": DESIGNS,
    "04_reproducing_published_results.ipynb": PUBLISHED,
    "05_from_a_kobo_export.ipynb": KOBO,
}
