"""``--format docx`` and ``narrative:`` (issue 16): the Word report read back with python-docx,
and the narrative's Markdown rendered safely."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from _testpaths import ROOT

from impactkit.analysis import analyse
from impactkit.errors import ConfigError
from impactkit.report import build
from impactkit.report.narrative import read_narrative, render_narrative

SAMPLE = ROOT / "sample_data" / "water_filter"
NARRATIVE = """Opening words.

## Context

Families draw water from **rivers** and open wells.

## Theory of change

1. Promoters visit households.
2. Households use the filter *every day*.

## Limitations

The villages were not chosen at random. ![A map](map.png)
"""
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f0005000201a5d1c4a30000000049454e44ae426082"
)


def _folder(tmp: Path, narrative: str = NARRATIVE) -> Path:
    for name in (
        "indicators.yaml",
        "households.csv",
        "distribution.csv",
        "usage.csv",
        "districts.geojson",
    ):
        shutil.copy(SAMPLE / name, tmp / name)
    (tmp / "map.png").write_bytes(PNG)
    (tmp / "narrative.md").write_text(narrative, encoding="utf-8")
    text = (SAMPLE / "initiative.yaml").read_text(encoding="utf-8")
    text += (
        "\nnarrative: narrative.md\nlabels:\n  female_head: {0: Male-headed, 1: Female-headed}\n"
    )
    (tmp / "initiative.yaml").write_text(text, encoding="utf-8")
    return tmp / "initiative.yaml"


@pytest.fixture(scope="module")
def word(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    path = _folder(tmp_path_factory.mktemp("docx"))
    out = path.parent / "report.docx"
    build(path, out=out, format="docx")
    return path, out


def test_docx_has_the_sections_numbers_tables_and_charts(word: tuple[Path, Path]) -> None:
    path, out = word
    document = docx.Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    for title in ("Executive summary", "Context", "Theory of change", "Reach and adoption",
                  "Outcome changes", "Limitations", "Methods and assumptions"):  # fmt: skip
        assert title in headings, headings
    assert headings.index("Context") < headings.index("Reach and adoption")
    assert headings.index("Limitations") < headings.index("Methods and assumptions")
    analysis = analyse(path)
    for finding in analysis.findings():  # the headline sentences, numbers and intervals
        assert " ".join(str(finding.text).split()) in " ".join(text.split())
    assert len(document.tables) >= 10
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Female-headed" in cells and not any("female_head = " in c for c in cells)
    outcome = next(t for t in document.tables if t.rows[0].cells[0].text == "indicator")
    assert analysis.headline[0].indicator.name in [r.cells[0].text for r in outcome.rows]
    assert len(document.inline_shapes) >= 7  # six charts and the narrative's picture
    assert out.with_name("report.results.json").is_file()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_docx_opens_in_libreoffice(word: tuple[Path, Path], tmp_path: Path) -> None:
    _, out = word
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdf = (tmp_path / "report.pdf").read_bytes()
    pages = re.findall(rb"/Type\s*/Page\b(?!s)", pdf)
    assert pdf.startswith(b"%PDF") and len(pages) > 8


def test_narrative_places_sections_and_embeds_local_pictures(tmp_path: Path) -> None:
    path = _folder(tmp_path)
    sections = read_narrative(path.parent / "narrative.md", path.parent)
    assert [(s.title, s.place) for s in sections] == [
        ("", "before"), ("Context", "before"), ("Theory of change", "before"),
        ("Limitations", "after"),
    ]  # fmt: skip
    after = render_narrative(sections, "after")
    assert 'src="data:image/png;base64,' in after and "map.png" not in after
    assert "<strong>rivers</strong>" in render_narrative(sections, "before")


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("## Context\n\n<div onclick='x()'>hi</div>\n", "line 3: raw HTML"),
        ("Some <b>bold</b> words.\n", "line 1: raw HTML"),
        ("![x](https://example.org/a.png)\n", "no web or data addresses"),
        ("![x](data:image/png;base64,AAAA)\n", "no web or data addresses"),
        ("![x](../../etc/picture.png)\n", "outside the initiative's folder"),
        ("![x](missing.png)\n", "expected an existing"),
    ],
)
def test_unsafe_narrative_is_refused(tmp_path: Path, markdown: str, expected: str) -> None:
    path = _folder(tmp_path, markdown)
    with pytest.raises(ConfigError, match="narrative.md") as err:
        read_narrative(path.parent / "narrative.md", path.parent)
    assert expected in str(err.value)


def test_javascript_links_are_not_links(tmp_path: Path) -> None:
    path = _folder(tmp_path, "[click](javascript:alert(1))\n")
    html = render_narrative(read_narrative(path.parent / "narrative.md", path.parent), "before")
    assert "javascript:" not in html.replace("[click](javascript:alert(1))", "")
