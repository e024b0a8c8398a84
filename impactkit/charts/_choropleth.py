"""Choropleth: one value per area (district) on a map, with the number of respondents per area.

Areas are drawn from their GeoJSON outer rings (longitude, latitude; an equirectangular map
with the aspect corrected by the cosine of the mean latitude, so shapes are not stretched).
The fill is the sequential, colour-blind-safe *cividis* map (Nuñez, Anderton & Renslow 2018,
*PLoS ONE* 13(7): e0199239), readable in greyscale because it rises monotonically in
lightness.  Every area carries its value and its ``n`` as text; areas with fewer than
``thin`` respondents are hatched and starred, and areas without data are left white with a
dotted hatch, so a reader never mistakes a thin or empty area for a measured one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Protocol

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.patches import Patch, Polygon

from ..errors import DataError
from ._inputs import _num, _table
from ._layout import _axes, _legend_above, _set_title
from ._style import _GREY, _INK, style
from ._text import _value_text

__all__ = ["choropleth", "THIN_AREA"]

#: Fewer respondents than this in an area and its value is marked as uncertain.
THIN_AREA = 30


class _Area(Protocol):
    """An area to draw: a name and outer rings of (longitude, latitude) pairs."""

    @property
    def name(self) -> str: ...

    @property
    def rings(self) -> Sequence[Sequence[tuple[float, float]]]: ...


def choropleth(
    areas: Sequence[_Area],
    frame: Any,
    *,
    area: str = "area",
    value: str = "value",
    n: str = "n",
    ax: Axes | None = None,
    title: str | None = None,
    label: str | None = None,
    pct: bool = False,
    thin: int = THIN_AREA,
) -> Axes:
    """A map of ``value`` by area, with each area's ``n`` (respondents) written on it.

    Parameters
    ----------
    areas
        The shapes (e.g. :class:`impactkit.portfolio.Area` from ``read_geojson``); every area
        is drawn, those without a row in ``frame`` as "no data".
    frame
        One row per area with ``area`` (an area's name), ``value`` and ``n``.  A name that is
        not among ``areas`` raises :class:`~impactkit.errors.DataError` listing it.
    label
        Text of the colour bar (e.g. the indicator and its unit).
    pct
        Values are proportions: percent labels.
    thin
        Areas with ``n`` below this are hatched and starred (few respondents).
    """
    context = "charts.choropleth"
    table = _table(frame, [area, value, n], context)
    names = [str(a) for a in table[area]]
    shapes = {a.name: a for a in areas}
    unknown = [x for x in names if x not in shapes]
    if unknown or not shapes:
        raise DataError(
            f"{context}: no shape for area(s) {', '.join(map(repr, unknown))}; "
            f"the shapes are {', '.join(map(repr, shapes)) or 'none'}"
        )
    values = dict(zip(names, _num(table, value, context, allow_nan=True), strict=True))
    counts = dict(zip(names, _num(table, n, context, allow_nan=True), strict=True))
    with style():
        ax = _axes(ax)
        norm = _norm(list(values.values()))
        cmap = mpl.colormaps["cividis"]
        for shape in areas:
            _draw_area(ax, shape, values.get(shape.name), norm, cmap)
            _label_area(ax, shape, values.get(shape.name), counts.get(shape.name), pct, thin)
        _frame_map(ax, areas)
        bar = ax.figure.colorbar(
            mpl.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.8, pad=0.02
        )
        if label:
            bar.set_label(label)
        if pct:
            bar.ax.yaxis.set_major_formatter(lambda v, _p: f"{100 * v:.0f} %")
        handles = [
            Patch(facecolor="white", edgecolor=_GREY, hatch="///", label=f"* fewer than {thin}"),
            Patch(facecolor="white", edgecolor=_GREY, hatch="...", label="no data"),
        ]
        rows = _legend_above(ax, handles)
        _set_title(ax, title, rows)
    return ax


def _norm(values: list[float]) -> Normalize:
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return Normalize(0.0, 1.0)
    low, high = min(finite), max(finite)
    if low == high:
        low, high = low - 0.5 * abs(low or 1.0), high + 0.5 * abs(high or 1.0)
    return Normalize(low, high)


def _draw_area(ax: Axes, shape: _Area, value: float | None, norm: Normalize, cmap: Any) -> None:
    measured = value is not None and math.isfinite(value)
    for ring in shape.rings:
        ax.add_patch(
            Polygon(
                np.asarray(ring, dtype=float),
                closed=True,
                facecolor=cmap(norm(value)) if value is not None and measured else "white",
                edgecolor=_INK,
                linewidth=0.8,
                hatch=None if measured else "...",
                gid=f"area-{shape.name}",
            )
        )


def _label_area(
    ax: Axes, shape: _Area, value: float | None, n: float | None, pct: bool, thin: int
) -> None:
    ring = np.asarray(max(shape.rings, key=len), dtype=float)
    x, y = ring[:-1, 0].mean(), ring[:-1, 1].mean()
    measured = value is not None and math.isfinite(value)
    few = measured and n is not None and n < thin
    if few:  # thin areas: hatch over the fill so the colour stays readable
        for r in shape.rings:
            ax.add_patch(Polygon(np.asarray(r, dtype=float), closed=True, fill=False,
                                 hatch="///", edgecolor=_GREY, linewidth=0.0,
                                 gid=f"thin-{shape.name}"))  # fmt: skip
    if measured:
        assert value is not None
        count = "n = ?" if n is None or not math.isfinite(n) else f"n = {int(n):,}"
        text = f"{shape.name}\n{_value_text(value, pct)}\n{count}{'*' if few else ''}"
    else:
        text = f"{shape.name}\nno data"
    ax.text(x, y, text, ha="center", va="center", fontsize=7.5, color=_INK, linespacing=1.15,
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "alpha": 0.8,
                  "linewidth": 0})  # fmt: skip


def _frame_map(ax: Axes, areas: Sequence[_Area]) -> None:
    points = np.asarray([p for a in areas for r in a.rings for p in r], dtype=float)
    lon_min, lat_min = points.min(axis=0)
    lon_max, lat_max = points.max(axis=0)
    pad_x, pad_y = 0.03 * (lon_max - lon_min or 1.0), 0.03 * (lat_max - lat_min or 1.0)
    ax.set_xlim(lon_min - pad_x, lon_max + pad_x)
    ax.set_ylim(lat_min - pad_y, lat_max + pad_y)
    mid = math.radians((lat_min + lat_max) / 2)
    ax.set_aspect(1.0 / max(math.cos(mid), 0.1))
    ax.set_axis_off()
