"""The cover never drops content (issue 11 item 8): with three headlines and a long
description, every metadata row and the end of the description are still in the PDF, and
the first page still shows the first headline."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from _testpaths import SAMPLE_DATA

from impactkit.report import build

pytestmark = pytest.mark.report

LONG = (
    "Household water filters, with promoter visits, for families with children under five in "
    "24 villages of three districts. "
) * 12 + "The last words of this description are here: END-OF-DESCRIPTION."


def _page_texts(path: Path) -> list[str]:
    from pypdf import PdfReader

    pages = PdfReader(str(path)).pages
    return [re.sub(r"\s+", " ", (p.extract_text() or "").replace("\u00a0", " ")) for p in pages]


def test_three_headlines_and_a_long_description_keep_the_whole_cover(tmp_path: Path) -> None:
    folder = tmp_path / "wf"
    shutil.copytree(SAMPLE_DATA / "water_filter", folder)
    path = folder / "initiative.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["description"] = LONG
    config["indicators"]["headline"] = config["indicators"]["outcomes"][:3]
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    result = build(path, out=tmp_path / "out" / "wf.pdf")
    pages = _page_texts(result.report)
    front = " ".join(pages[:2])  # the cover may flow onto a second page, never lose text
    assert "END-OF-DESCRIPTION" in front
    for label in ("Organisation", "Reporting period", "Design", "Data fingerprint"):
        assert label in front, label
    assert "Under-5 diarrhoea" in pages[0]
    for name in ("Treated drinking water", "E. coli"):
        assert name in front, name
