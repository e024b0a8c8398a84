"""The portfolio map as inline SVG: each initiative's points or areas, coloured by verdict.

Equirectangular projection (:class:`impactkit.portfolio.geo.Projection`); no tiles, no
network.  Each mark carries ``data-initiative`` (the row index) so that the HTML page can link
marks and table rows.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from impactkit.portfolio.geo import Area, Projection
from impactkit.portfolio.records import InitiativeRecord

__all__ = ["VERDICT_COLOURS", "verdict_colour", "map_svg"]

VERDICT_COLOURS = {
    "improved": "#1a9850",
    "no meaningful change": "#d9a400",
    "inconclusive": "#8c8c8c",
    "worsened": "#d73027",
}
OTHER_COLOUR = "#c7c7c7"


def verdict_colour(verdict: str) -> str:
    return VERDICT_COLOURS.get(verdict, OTHER_COLOUR)


def map_svg(
    records: Sequence[InitiativeRecord],
    areas: Mapping[int, Sequence[Area]],
    width: int = 720,
    height: int = 420,
) -> str:
    """SVG of all initiatives: areas (``areas[i]`` for record ``i``) as paths, points as circles."""
    positions = [(p.lon, p.lat) for r in records for p in r.location.points]
    positions += [
        pos for shapes in areas.values() for a in shapes for ring in a.rings for pos in ring
    ]
    proj = Projection.fit(positions, width, height)
    marks: list[str] = []
    for i, record in enumerate(records):
        colour = verdict_colour(record.verdict)
        title = html.escape(f"{record.name} — {record.verdict or 'no verdict'}")
        for area in areas.get(i, ()):
            d = " ".join(
                "M" + " L".join(f"{x},{y}" for x, y in (proj(lon, lat) for lon, lat in ring)) + " Z"
                for ring in area.rings
            )
            marks.append(
                f'<path class="mark area" data-initiative="{i}" d="{d}" fill="{colour}" '
                f'fill-opacity="0.55" stroke="#333" stroke-width="0.8"><title>{title}: '
                f"{html.escape(area.name)}</title></path>"
            )
        for point in record.location.points:
            x, y = proj(point.lon, point.lat)
            label = html.escape(point.name)
            marks.append(
                f'<circle class="mark point" data-initiative="{i}" cx="{x}" cy="{y}" r="6" '
                f'fill="{colour}" stroke="#222" stroke-width="1"><title>{title}'
                f"{': ' + label if label else ''}</title></circle>"
            )
    if not marks:
        marks.append(
            f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="#555">'
            "No initiative has a location recorded.</text>"
        )
    frame = (
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#eef3f7" stroke="#999"/>'
        f'<text x="6" y="{height - 6}" font-size="10" fill="#555">lon {proj.lon_min:.1f}…'
        f"{proj.lon_max:.1f}, lat {proj.lat_min:.1f}…{proj.lat_max:.1f} (equirectangular)</text>"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="portfolio-map" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="Map of the initiatives">'
        f"{frame}{''.join(marks)}</svg>"
    )
