"""The report as a Word document: :func:`html_to_docx`.

The DOCX is written from the same HTML the PDF is printed from (the executed report
notebook through impactkit's nbconvert template), so it has the same sections, sentences and
numbers.  python-docx builds it: headings as Word headings (each report section on a new
page, as in the PDF), paragraphs with bold / italic / code runs, lists, **real Word tables**
(header row repeated on every page, numbers right-aligned), and the charts as PNG pictures
with their captions (the inline SVG charts rasterised by CairoSVG at 200 dpi).  Why
python-docx and not pandoc: see ``docs/docx_output.md``.

The walker knows the report's own markup (``impactkit.report.sections``); any other element
keeps its text as a paragraph, so nothing the report says is lost.
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

from bs4 import PageElement, Tag

from ..errors import ReportError

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

__all__ = ["html_to_docx", "IMAGE_WIDTH_CM", "IMAGE_DPI"]

IMAGE_WIDTH_CM = 16.0
IMAGE_DPI = 200
_BLOCKS = {"p", "div", "section", "main", "nav", "figure", "table", "ul", "ol", "h1", "h2", "h3"}
_HEADINGS = {"h1": 0, "h2": 1, "h3": 2, "h4": 3}
_SVG = re.compile(r"<svg\b.*?</svg>", re.S)
_SKIP = {"style", "script", "head", "title", "meta", "link"}


def html_to_docx(html: str, target: Path) -> None:
    """Write the report ``html`` as a Word document at ``target`` (atomically)."""
    from bs4 import BeautifulSoup
    from docx import Document as new_document
    from docx.shared import Pt

    from . import atomic_path

    svgs: list[str] = []

    def keep(match: re.Match[str]) -> str:  # an HTML parser would lower-case SVG's viewBox
        svgs.append(match.group(0))
        return f"<svg-chart data-index='{len(svgs) - 1}'></svg-chart>"

    soup = BeautifulSoup(_SVG.sub(keep, html), "html.parser")
    root = soup.find("main") or soup.body or soup
    doc = new_document()
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(10.5)
    _Writer(doc, svgs).blocks(root if isinstance(root, Tag) else soup)
    with atomic_path(target) as tmp:
        doc.save(str(tmp))


class _Writer:
    def __init__(self, doc: Document, svgs: list[str]):
        self.doc = doc
        self.svgs = svgs
        self.sections = 0

    def blocks(self, node: Tag) -> None:
        """Write the block children of ``node``; loose inline content becomes a paragraph."""
        inline: list[PageElement] = []
        for child in node.children:
            name = child.name if isinstance(child, Tag) else None
            if name in _SKIP:
                continue
            if isinstance(child, Tag) and (name in _BLOCKS or name in _HEADINGS):
                self._flush(inline)
                self.block(child)
            else:
                inline.append(child)
        self._flush(inline)

    def _flush(self, inline: list[PageElement]) -> None:
        if any(_text(n).strip() for n in inline):
            paragraph = self.doc.add_paragraph()
            for n in inline:
                self.runs(paragraph, n)
        inline.clear()

    def block(self, node: Tag) -> None:
        name = node.name
        classes = set(node.get("class") or [])
        if name in _HEADINGS:
            self.heading(node)
        elif name == "table":
            self.table(node)
        elif name == "figure":
            self.figure(node)
        elif name in ("ul", "ol"):
            style = "List Number" if name == "ol" else "List Bullet"
            for item in node.find_all("li", recursive=False):
                self.runs(self.doc.add_paragraph(style=style), item)
        elif name == "p" or "finding" in classes or "callout" in classes:
            kind = "List Bullet" if "finding" in classes else None
            kind = "Intense Quote" if "callout" in classes else kind
            paragraph = self.doc.add_paragraph(style=kind)
            self.runs(paragraph, node)
        else:
            self.blocks(node)

    def heading(self, node: Tag) -> None:
        level = _HEADINGS[node.name]
        heading = self.doc.add_heading(" ".join(node.get_text().split()), level=level)
        if level == 1:
            self.sections += 1
            heading.paragraph_format.page_break_before = self.sections > 1 or bool(
                self.doc.paragraphs[:-1]
            )
        heading.paragraph_format.keep_with_next = True

    def runs(self, paragraph: Paragraph, node: PageElement, bold: bool = False) -> None:
        """Add ``node``'s text to ``paragraph``: bold, italic and code as run formats."""
        if not isinstance(node, Tag):
            text = re.sub(r"\s+", " ", str(node))
            if text.strip() or (text and paragraph.runs):
                paragraph.add_run(text).bold = bold or None
            return
        name = node.name
        if name == "img":
            self.picture(str(node.get("src", "")), paragraph)
            return
        if name == "br":
            paragraph.add_run().add_break()
            return
        classes = set(node.get("class") or [])
        strong = bold or name in ("strong", "b", "th") or "verdict" in classes
        for child in node.children:
            before = len(paragraph.runs)
            self.runs(paragraph, child, strong)
            for run in paragraph.runs[before:]:
                run.italic = True if name in ("em", "i") else run.italic
                if name == "code":
                    run.font.name = "Consolas"

    def table(self, node: Tag) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Pt

        rows = [r for r in node.find_all("tr") if r.find_parent("table") is node]
        if not rows:
            return
        width = max(len(r.find_all(["td", "th"], recursive=False)) for r in rows)
        table = self.doc.add_table(rows=0, cols=width)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for row in rows:
            header = row.find_parent("thead") is not None
            cells = table.add_row().cells
            for cell, source in zip(
                cells, row.find_all(["td", "th"], recursive=False), strict=False
            ):
                paragraph = cell.paragraphs[0]
                self.runs(paragraph, source, bold=header or source.name == "th")
                for run in paragraph.runs:
                    run.font.size = Pt(9)
                if "num" in (source.get("class") or []):
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if header:
                properties = table.rows[-1]._tr.get_or_add_trPr()
                repeat = OxmlElement("w:tblHeader")
                repeat.set(qn("w:val"), "true")
                properties.append(repeat)
        self.doc.add_paragraph()

    def figure(self, node: Tag) -> None:
        svg = node.find("svg-chart")
        img = node.find("img")
        if svg is not None:
            self.picture_png(_svg_png(self.svgs[int(str(svg.get("data-index")))]))
        elif img is not None:
            self.picture(str(img.get("src", "")), None)
        caption = node.find("figcaption")
        if caption is not None:
            self.runs(self.doc.add_paragraph(style="Caption"), caption)

    def picture(self, src: str, paragraph: Paragraph | None) -> None:
        """An image given as a ``data:`` URI (the narrative's local images are embedded so)."""
        match = re.match(r"data:image/([a-z+]+);base64,(.*)", src, re.S)
        if match is None:
            raise ReportError(f"the report refers to an image that is not embedded: {src[:80]}")
        data = base64.b64decode(match.group(2))
        self.picture_png(_svg_png(data.decode()) if match.group(1) == "svg+xml" else data)

    def picture_png(self, png: bytes) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm

        self.doc.add_picture(io.BytesIO(png), width=Cm(IMAGE_WIDTH_CM))
        self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.doc.paragraphs[-1].paragraph_format.keep_with_next = True


#: SVG names the HTML sanitiser of the notebook conversion writes in lower case; CairoSVG,
#: an XML reader, needs their case back (a pattern without ``patternUnits`` would tile forever).
_SVG_NAMES = (
    "viewBox", "patternUnits", "patternContentUnits", "patternTransform", "clipPath",
    "clipPathUnits", "preserveAspectRatio", "gradientUnits", "gradientTransform",
    "linearGradient", "radialGradient",
)  # fmt: skip
_SVG_CASE = re.compile(r"\b(" + "|".join(n.lower() for n in _SVG_NAMES) + r")\b")
_CASED = {n.lower(): n for n in _SVG_NAMES}


def _svg_png(svg: str) -> bytes:
    import cairosvg

    svg = _SVG_CASE.sub(lambda m: _CASED[m.group(1)], svg)
    width = round(IMAGE_WIDTH_CM / 2.54 * IMAGE_DPI)
    png = cairosvg.svg2png(bytestring=svg.encode(), output_width=width)
    assert isinstance(png, bytes)
    return png


def _text(node: object) -> str:
    getter = getattr(node, "get_text", None)
    return str(getter()) if getter is not None else str(node)
