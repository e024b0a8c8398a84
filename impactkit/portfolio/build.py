"""``build_portfolio``: results files in, portfolio PDF and/or interactive HTML page out."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from impactkit.portfolio.geo import Area, match_areas, read_geojson
from impactkit.portfolio.html import portfolio_html
from impactkit.portfolio.meta import MetaAnalysis, meta_by_indicator
from impactkit.portfolio.pdf import portfolio_pdf_html, write_pdf
from impactkit.portfolio.records import InitiativeRecord, load_portfolio

__all__ = ["PortfolioBuild", "build_portfolio", "load_areas"]


@dataclass(frozen=True)
class PortfolioBuild:
    """What :func:`build_portfolio` read, computed and wrote."""

    records: tuple[InitiativeRecord, ...]
    analyses: tuple[MetaAnalysis, ...]
    notes: tuple[str, ...]
    pdf: Path | None
    html: Path | None


def load_areas(records: Sequence[InitiativeRecord]) -> dict[int, list[Area]]:
    """Each record's GeoJSON areas: those named in ``admin_areas``, else every feature.

    Raises :class:`~impactkit.errors.GeoKeyError` listing admin areas the file lacks.
    """
    out: dict[int, list[Area]] = {}
    for i, record in enumerate(records):
        loc = record.location
        if loc.geojson_file is None:
            continue
        areas = read_geojson(loc.geojson_file, loc.geojson_key or "name")
        out[i] = match_areas(areas, loc.admin_areas, loc.geojson_file) if loc.admin_areas else areas
    return out


def build_portfolio(
    paths: Sequence[str | Path],
    out_pdf: str | Path | None = None,
    out_html: str | Path | None = None,
    *,
    method: str = "REML",
    title: str = "Impact portfolio",
) -> PortfolioBuild:
    """Read results files (or directories of them) and write the portfolio PDF and/or HTML.

    No analysis is re-run.  Effects are pooled (random effects, ``method`` REML or DL) only
    within one indicator id and scale.  Bad input raises a :class:`~impactkit.errors.PortfolioError`
    subclass before anything is written.
    """
    records = load_portfolio(paths)
    areas = load_areas(records)
    analyses, notes = meta_by_indicator(records, method=method)
    html_path = Path(out_html) if out_html is not None else None
    pdf_path = Path(out_pdf) if out_pdf is not None else None
    if html_path is not None:
        page = portfolio_html(records, areas, html_path.parent, title=title)
        _write_text(html_path, page)
    if pdf_path is not None:
        write_pdf(portfolio_pdf_html(records, areas, analyses, notes, title=title), pdf_path)
    return PortfolioBuild(tuple(records), tuple(analyses), tuple(notes), pdf_path, html_path)


def _write_text(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".portfolio-", suffix=".html", dir=target.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, target)
