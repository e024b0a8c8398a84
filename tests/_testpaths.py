"""Paths of the repository for the tests (import as ``from _testpaths import SAMPLE_DATA``).

Kept out of ``conftest.py`` because a folder's own ``conftest.py`` (e.g. tests/portfolio/)
would shadow the module name ``conftest``.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA = ROOT / "sample_data"
REFERENCE_DATA = SAMPLE_DATA / "reference"
