"""The portfolio PDF (WeasyPrint): one row per initiative, roll-ups, the map, meta-analyses."""

from __future__ import annotations

import html
import io
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from impactkit.portfolio.forest import forest_plot
from impactkit.portfolio.geo import Area
from impactkit.portfolio.html import headline_text
from impactkit.portfolio.mapsvg import VERDICT_COLOURS, map_svg
from impactkit.portfolio.meta import MetaAnalysis
from impactkit.portfolio.records import InitiativeRecord
from impactkit.portfolio.rollup import rollup

__all__ = ["portfolio_pdf_html", "write_pdf", "PDF_ROLLUPS"]

PDF_ROLLUPS = ("country", "region", "sdg", "evidence_strength", "verdict")

_CSS = """
@page{size:A4 landscape;margin:14mm}
body{font-family:"DejaVu Sans",sans-serif;font-size:9pt;color:#222}
h1{font-size:16pt}h2{font-size:12pt;margin-top:14pt;break-after:avoid}
table{border-collapse:collapse;width:100%;margin:4pt 0 8pt}
th,td{border-bottom:.5pt solid #bbb;padding:2pt 4pt;text-align:left;vertical-align:top}
tr{break-inside:avoid}.note{color:#555;font-size:8pt}svg{max-width:100%;height:auto}
figure,.keep{margin:0;break-inside:avoid}
"""


def _e(text: object) -> str:
    return html.escape(str(text))


def _svg_figure(meta: MetaAnalysis) -> str:
    import matplotlib

    with matplotlib.rc_context({"svg.hashsalt": "impactkit", "svg.fonttype": "path"}):
        fig = Figure(figsize=(7.5, 0.4 * meta.k + 1.8))
        forest_plot(meta, ax=fig.add_subplot())
        fig.tight_layout()
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    return "<figure>" + svg[svg.index("<svg") :] + "</figure>"


def _initiative_table(records: Sequence[InitiativeRecord]) -> str:
    rows = []
    for r in records:
        head = "<br>".join(_e(headline_text(h)) for h in r.headline[:2]) or "—"
        c = r.costs
        cost = (
            f"{c.cost_per_outcome:,.0f} {c.currency or ''} per {c.outcome or 'outcome'}"
            if c.cost_per_outcome is not None
            else "—"
        )
        where = ", ".join(v for v in (r.location.country, r.location.region) if v) or "—"
        rows.append(
            f"<tr><td><strong>{_e(r.name)}</strong><br>{_e(r.organisation)}</td><td>{_e(where)}</td>"
            f"<td>{head}</td><td>{_e(r.verdict or '—')}</td><td>{_e(r.evidence_strength or '—')}</td>"
            f"<td>{_e(cost)}</td></tr>"
        )
    return (
        "<table><thead><tr><th>Initiative</th><th>Where</th><th>Headline change (interval)</th>"
        "<th>Verdict</th><th>Evidence</th><th>Cost per outcome</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _frame_table(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_e(_fmt(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return "—" if value != value else f"{value:,.0f}" if abs(value) >= 100 else f"{value:.4g}"
    return str(value)


def _meta_section(analyses: Sequence[MetaAnalysis], notes: Sequence[str]) -> str:
    parts = ["<h2>Meta-analysis of initiatives that measured the same indicator</h2>"]
    if not analyses:
        parts.append(
            "<p>No indicator id was measured on the same scale by two or more initiatives, so "
            "nothing is pooled (effects on different outcomes are never added up).</p>"
        )
    for meta in analyses:
        parts.append(f"<p>{_e(meta.summary())}</p>{_svg_figure(meta)}")
        parts.extend(f'<p class="note">{_e(n)}</p>' for n in meta.notes)
    parts.extend(f'<p class="note">{_e(n)}</p>' for n in notes)
    return "".join(parts)


def portfolio_pdf_html(
    records: Sequence[InitiativeRecord],
    areas: Mapping[int, Sequence[Area]],
    analyses: Sequence[MetaAnalysis],
    meta_notes: Sequence[str],
    title: str = "Impact portfolio",
) -> str:
    """The HTML that WeasyPrint prints to the portfolio PDF."""
    legend = ", ".join(
        f'<span style="color:{c}">●</span> {_e(v)}' for v, c in VERDICT_COLOURS.items()
    )
    rollups = "".join(
        f"<h3>By {_e(by.replace('_', ' '))}</h3>{_frame_table(rollup(records, by))}"
        for by in PDF_ROLLUPS
    )
    notes = "".join(f'<p class="note">{_e(r.name)}: {_e(n)}</p>' for r in records for n in r.notes)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{_e(title)}</title>'
        f"<style>{_CSS}</style></head><body><h1>{_e(title)}</h1>"
        f"<p>{len(records)} initiatives, read from their results files (no analysis was re-run).</p>"
        f"<h2>Initiatives</h2>{_initiative_table(records)}"
        f'<section class="keep"><h2>Map</h2><p>{legend}</p>{map_svg(records, areas)}</section>'
        f"<h2>Roll-ups</h2>{rollups}{_meta_section(analyses, meta_notes)}"
        f"<h2>Where the numbers come from</h2>{notes or '<p>Every key was recorded in the results files.</p>'}"
        "</body></html>"
    )


def write_pdf(document: str, target: Path) -> None:
    """Print ``document`` to ``target`` with WeasyPrint; no partial file is left on failure."""
    import weasyprint

    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".portfolio-", suffix=".pdf", dir=target.parent)
    os.close(fd)
    try:
        weasyprint.HTML(string=document, base_url=str(target.parent)).write_pdf(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
