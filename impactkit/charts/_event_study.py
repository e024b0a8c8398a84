"""Difference-in-differences by round: both groups' means over time, and the event study
(treated × round coefficients against the last pre-period; Angrist & Pischke 2009, §5.2)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from ._layout import _axes, _grid, _legend_above, _set_title
from ._style import _INK, MARKERS, OKABE_ITO, style
from ._text import _percent_axis, _plain

__all__ = ["event_study", "group_trends"]


def _round_axis(ax: Axes, labels: Sequence[str]) -> np.ndarray:
    x = np.arange(len(labels), dtype=float)
    ax.set_xticks(x, [_plain(str(v)) for v in labels])
    if len(labels) > 8:
        ax.tick_params(axis="x", labelrotation=45)
    return x


def group_trends(
    rounds: Sequence[Any],
    treated: ArrayLike,
    comparison: ArrayLike,
    *,
    first_post: int,
    ax: Axes | None = None,
    pct: bool = False,
    ylabel: str | None = None,
    labels: tuple[str, str] = ("Treated group", "Comparison group"),
) -> Axes:
    """Mean of the outcome in each round for the treated and the comparison group; a dotted
    line before ``first_post`` (the index of the first post round) marks the programme."""
    with style():
        ax = _axes(ax)
        _grid(ax, "y")
        x = _round_axis(ax, [str(r) for r in rounds])
        for values, name, colour, marker, line in (
            (treated, labels[0], OKABE_ITO["blue"], MARKERS[0], "-"),
            (comparison, labels[1], OKABE_ITO["orange"], MARKERS[1], "--"),
        ):
            ax.plot(x, np.asarray(values, dtype=float), color=colour, marker=marker,
                    linestyle=line, linewidth=1.6, markersize=5, label=_plain(name))  # fmt: skip
        ax.axvline(first_post - 0.5, color=_INK, linestyle=":", linewidth=1.2, label="Programme")
        if pct:
            _percent_axis(ax.yaxis)
        if ylabel:
            ax.set_ylabel(_plain(ylabel))
        _set_title(ax, None, _legend_above(ax, ax.get_legend_handles_labels()[0], ncols=3))
    return ax


def event_study(
    rounds: Sequence[Any],
    estimate: ArrayLike,
    ci_low: ArrayLike,
    ci_high: ArrayLike,
    *,
    first_post: int,
    ax: Axes | None = None,
    ylabel: str | None = None,
) -> Axes:
    """Treated-minus-comparison difference in each round relative to the last pre-period
    (fixed at zero), with intervals; pre-period points away from zero are a warning that
    the groups were not moving in parallel before the programme."""
    est = np.asarray(estimate, dtype=float)
    lo, hi = np.asarray(ci_low, dtype=float), np.asarray(ci_high, dtype=float)
    with style():
        ax = _axes(ax)
        _grid(ax, "y")
        x = _round_axis(ax, [str(r) for r in rounds])
        ax.axhline(0.0, color=_INK, linewidth=0.8)
        ax.errorbar(x, est, yerr=np.vstack([est - lo, hi - est]), fmt="o", color=OKABE_ITO["blue"],
                    ecolor=OKABE_ITO["blue"], capsize=3, markersize=5, label="Difference vs last "
                    "pre-period")  # fmt: skip
        ax.axvline(first_post - 0.5, color=_INK, linestyle=":", linewidth=1.2, label="Programme")
        if ylabel:
            ax.set_ylabel(_plain(ylabel))
        _set_title(ax, None, _legend_above(ax, ax.get_legend_handles_labels()[0], ncols=2))
    return ax
