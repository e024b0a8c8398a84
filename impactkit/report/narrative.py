"""The analyst's own sections (``narrative: narrative.md``), rendered from Markdown safely.

The file is split at its level-2 headings (``## Context``).  Sections titled *Context*,
*Background* or *Theory of change* are placed after the executive summary; every other one
(*What this means*, *Limitations*, ...) after the subgroups, before the methods.  Text before
the first heading opens the first part.

Safety (the report is sent to funders, and the PDF printer would fetch what the HTML names):

* rendered by markdown-it-py with HTML **disabled**; raw HTML in the file is refused with a
  :class:`~impactkit.errors.ConfigError` naming the file, the line and the tag;
* images must be local files inside the initiative's folder (no ``http:``, ``//`` or
  ``data:`` sources, no ``..`` out of the folder); they are embedded as ``data:`` URIs, so
  the PDF, HTML and DOCX need nothing else;
* links keep markdown-it-py's own filter (no ``javascript:``, ``vbscript:``, ``file:``).
"""

from __future__ import annotations

import base64
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..errors import ConfigError

if TYPE_CHECKING:
    from markdown_it.token import Token

__all__ = ["NarrativeSection", "read_narrative", "render_narrative", "BEFORE_TITLES", "Place"]

Place = Literal["before", "after"]
#: Titles (case-insensitive) of the sections placed after the executive summary.
BEFORE_TITLES = ("context", "background", "theory of change")
_IMAGES = (".png", ".jpg", ".jpeg", ".gif", ".svg")


@dataclass(frozen=True)
class NarrativeSection:
    """One ``##`` section of the narrative: its title, its HTML and where it goes."""

    title: str
    html: str
    place: Place


def read_narrative(path: Path, folder: Path) -> list[NarrativeSection]:
    """Parse and render the narrative file ``path``; images must lie inside ``folder``."""
    from markdown_it import MarkdownIt

    text = path.read_text(encoding="utf-8")
    _check_no_html(text, path)
    md = MarkdownIt("commonmark", {"html": False})
    tokens = md.parse(text)
    for token in tokens:
        for child in token.children or []:
            if _kind(child) == "image":
                child.attrSet("src", _embedded(str(child.attrGet("src") or ""), path, folder))
    sections: list[tuple[str, list[Token]]] = [("", [])]
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if _kind(token) == "heading_open" and token.tag == "h2":
            sections.append((tokens[i + 1].content.strip(), []))
            i += 3
            continue
        sections[-1][1].append(token)
        i += 1
    out: list[NarrativeSection] = []
    for title, part in sections:
        if not title and not part:
            continue
        body = md.renderer.render(part, md.options, {})
        out.append(NarrativeSection(title, body, _place(title)))
    return out


def _kind(token: Token) -> str:
    """The markdown-it token's type (``"image"``, ``"html_block"``, ``"heading_open"``)."""
    kind: str = token.type
    return kind


def _place(title: str) -> Place:
    if not title:
        return "before"
    return "before" if title.casefold() in BEFORE_TITLES else "after"


def _check_no_html(text: str, path: Path) -> None:
    from markdown_it import MarkdownIt

    for token in MarkdownIt("commonmark", {"html": True}).parse(text):
        found = [token] if _kind(token) == "html_block" else []
        found += [c for c in token.children or [] if _kind(c) == "html_inline"]
        if found:
            line = (token.map[0] + 1) if token.map else "?"
            tag = found[0].content.strip().splitlines()[0][:60]
            raise ConfigError(
                f"{path.name}, line {line}: raw HTML is not allowed in the narrative ({tag}); "
                "write it in Markdown (headings ##, **bold**, *italic*, lists, tables of "
                "text, ![caption](picture.png))"
            )


def _embedded(src: str, path: Path, folder: Path) -> str:
    if ":" in src.split("/")[0] or src.startswith("//"):
        raise ConfigError(
            f"{path.name}: image {src!r}: only pictures stored in the initiative's folder may "
            "be shown (no web or data addresses); save it beside narrative.md"
        )
    file = (path.parent / src).resolve()
    if not file.is_relative_to(folder.resolve()):
        raise ConfigError(f"{path.name}: image {src!r} is outside the initiative's folder")
    if file.suffix.lower() not in _IMAGES or not file.is_file():
        raise ConfigError(
            f"{path.name}: image {src!r}: expected an existing {', '.join(_IMAGES)} file"
        )
    kind = "image/svg+xml" if file.suffix.lower() == ".svg" else mimetypes.guess_type(file)[0]
    return f"data:{kind};base64,{base64.b64encode(file.read_bytes()).decode()}"


def render_narrative(sections: list[NarrativeSection], place: Place) -> str:
    """The HTML of the sections placed ``place`` (``""`` when there are none)."""
    parts = []
    for section in sections:
        if section.place != place:
            continue
        heading = f"<h2>{_escape(section.title)}</h2>" if section.title else ""
        parts.append(f"<div class='analyst-narrative'>{heading}{section.html}</div>")
    return "".join(parts)


def _escape(text: str) -> str:
    import html

    return html.escape(text)
