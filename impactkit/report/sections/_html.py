"""HTML building blocks shared by the report sections: fragments, tables, inline SVG figures,
badges and the number formats of the report."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..._display import fmt

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "Fragment",
    "esc",
    "figure",
    "table",
    "verdict_badge",
    "absent",
    "count",
    "signed",
    "change",
    "group_label",
    "ci_label",
    "level_words",
]


@dataclass(frozen=True)
class Fragment:
    """A piece of report HTML; Jupyter displays it, ``str()`` gives the markup."""

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html

    def __repr__(self) -> str:
        text = re.sub(r"<[^>]+>", " ", self.html)
        return "Fragment(" + " ".join(text.split())[:120] + "...)"


def esc(text: Any) -> str:
    """``text`` as escaped HTML."""
    return html.escape(str(text))


def level_words(confidence: float) -> str:
    """The confidence level as the report prints it: ``"95 %"``."""
    return f"{100 * confidence:g} %"


def ci_label(confidence: float) -> str:
    """The interval's label in tables and sentences: ``"95 % CI"``."""
    return f"{level_words(confidence)} CI"


def figure(
    draw: Callable[[Axes], object], caption: str, size: tuple[float, float] | None = None
) -> str:
    """Draw into a new (non-pyplot) figure and return it as an inline SVG ``<figure>``.

    ``size`` defaults to the one chart size, :data:`impactkit.charts.FIGSIZE`."""
    import matplotlib
    from matplotlib.figure import Figure

    from ...charts import FIGSIZE

    size = FIGSIZE if size is None else size

    # user text (labels, group names) is never read as mathtext: "Paid $5 or $10" stays so
    with matplotlib.rc_context(
        {"svg.hashsalt": "impactkit", "svg.fonttype": "path", "text.parse_math": False}
    ):
        fig = Figure(figsize=size)
        ax = fig.add_subplot()
        draw(ax)
        fig.tight_layout(pad=0.6)
        buffer = io.StringIO()
        # a tight bounding box: no axis label is ever cut at the figure's edge
        fig.savefig(
            buffer,
            format="svg",
            metadata={"Date": None, "Creator": None},
            bbox_inches="tight",
            pad_inches=0.05,
        )
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    return f"<figure>{svg}<figcaption>{esc(caption)}</figcaption></figure>"


def _cell(
    frame: pd.DataFrame, column: str, value: Any, formats: dict[str, Callable[[Any], str]]
) -> str:
    if column in formats:
        return formats[column](value)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if pd.api.types.is_numeric_dtype(frame[column]):
        return fmt(value)
    return str(value)


def table(
    frame: pd.DataFrame,
    formats: dict[str, Callable[[Any], str]] | None = None,
    numbers: tuple[str, ...] = (),
) -> str:
    """A compact HTML table; numeric columns (and ``numbers``) right-aligned and unbroken."""
    formats = formats or {}

    def css(c: str) -> str:
        return "num" if c in numbers or pd.api.types.is_numeric_dtype(frame[c]) else ""

    head = "".join(f"<th class='{css(c)}'>{esc(c)}</th>" for c in frame.columns)
    body = []
    for _, row in frame.iterrows():
        cells = [
            f"<td class='{css(c)}'>{esc(_cell(frame, c, row[c], formats))}</td>"
            for c in frame.columns
        ]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def verdict_badge(verdict: str, words: str | None = None) -> str:
    """The verdict as a coloured badge (``words``: the text shown, e.g. "improved —
    before/after only"; the colour follows ``verdict``)."""
    css = verdict.replace(" ", "-")
    qualified = " qualified" if words and words != verdict else ""
    return f"<span class='verdict {css}{qualified}'>{esc(words or verdict)}</span>"


def absent(what: str, key: str) -> Fragment:
    """The note for a section the initiative file does not have."""
    return Fragment(
        f"<p class='note'>Not measured: this initiative's file has no <code>{esc(key)}</code> "
        f"section, so the report cannot show {esc(what)}.</p>"
    )


def count(value: Any) -> str:
    """A count with thousands separators (``—`` when missing)."""
    return "—" if pd.isna(value) else f"{int(value):,}"


def signed(value: float) -> str:
    """A change with its sign and three significant digits: ``+1.35``, ``−15.2``."""
    if pd.isna(value):
        return "—"
    text = fmt(abs(value))
    return ("+" if value > 0 else "−" if value < 0 else "") + text


def change(value: float, pct: bool) -> str:
    """A change in percentage points for shares (``+3.1 pp``), else :func:`signed`."""
    if pd.isna(value):
        return "—"
    return f"{100 * value:+.1f} pp".replace("-", "\u2212") if pct else signed(value)


def group_label(by: str | None, value: Any) -> str:
    """``"Hillside"`` stays as it is; a code such as ``1`` becomes ``"urban = 1"``."""
    if isinstance(value, str) or by is None:
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{by} = {value}"
