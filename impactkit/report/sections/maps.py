"""Where: the first headline indicator and the cascade's last stage on a map of districts."""

from __future__ import annotations

import math

import pandas as pd

from ... import charts
from ..._display import fmt, fmt_pct
from ...analysis import ImpactAnalysis
from ...analysis.geography import AreaLayer, AreaMaps
from ._html import Fragment, ci_label, count, esc, figure, level_words, table

__all__ = ["maps"]


def maps(analysis: ImpactAnalysis) -> Fragment:
    """One choropleth per layer of ``analysis.maps``, each with its table of areas."""
    m = analysis.maps
    if m is None:  # the section and its contents entry are left out (front.present)
        return Fragment("")
    out = [
        f"<p>Each map shows one value per {esc(m.column)}, with the number of respondents "
        f"(n) written on the area. Areas with fewer than {charts.THIN_AREA} respondents are "
        "hatched and starred: their values are uncertain. Areas served but without data are "
        "left white.</p>"
    ]
    out += [_layer(m, layer, analysis.confidence) for layer in m.layers]
    out += [f"<p class='note'>{esc(n)}</p>" for n in m.notes]
    return Fragment("".join(out))


def _layer(m: AreaMaps, layer: AreaLayer, confidence: float) -> str:
    show = fmt_pct if layer.pct else fmt
    v = layer.values
    label = ci_label(confidence)
    shown = pd.DataFrame(
        {
            m.column: v["area"],
            "value": [show(x) for x in v["value"]],
            label: [
                f"{show(lo)} – {show(hi)}" for lo, hi in zip(v["ci_low"], v["ci_high"], strict=True)
            ],
            "n": [count(x) + ("*" if x < charts.THIN_AREA else "") for x in v["n"]],
        }
    )
    height = _height(m)
    return (
        f"<h3>{esc(layer.title)}</h3>"
        + figure(
            lambda ax: charts.choropleth(m.areas, v, ax=ax, label=layer.label, pct=layer.pct),
            f"{layer.caption} Intervals: {level_words(confidence)}.",
            (6.3, height),
        )
        + table(shown, numbers=("value", label, "n"))
    )


def _height(m: AreaMaps) -> float:
    """Figure height (inches) for a 6.3-inch-wide map of the areas' bounding box."""
    points = [p for a in m.areas for r in a.rings for p in r]
    if not points:
        return 3.0
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    stretch = 1.0 / max(math.cos(math.radians((min(lats) + max(lats)) / 2)), 0.1)
    ratio = (max(lats) - min(lats)) * stretch / max(max(lons) - min(lons), 1e-9)
    return min(max(4.8 * ratio + 0.9, 2.2), 6.0)
