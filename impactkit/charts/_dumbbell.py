"""Before/after dumbbell chart: one row per indicator, baseline and endline joined by a line."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from ._inputs import _check_interval, _ci_pair, _labels, _num, _table
from ._layout import _category_axes, _legend_above, _set_title, _xerr
from ._style import _GREY, _INK, OKABE_ITO, style
from ._text import _percent_axis, _plain, _value_text

__all__ = ["dumbbell"]


def dumbbell(
    frame: Any,
    *,
    label: str = "label",
    before: str = "before",
    after: str = "after",
    before_ci: tuple[str, str] | None = None,
    after_ci: tuple[str, str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    pct: bool = False,
    xlabel: str | None = None,
    before_label: str = "Before",
    after_label: str = "After",
    value_labels: bool = True,
) -> Axes:
    """Before/after dumbbell: one row per indicator, baseline and endline joined by a line.

    Parameters
    ----------
    frame
        One row per indicator or group, with columns ``label``, ``before`` and ``after``.
    before_ci, after_ci
        Optional ``(low_column, high_column)`` interval columns, drawn as whiskers.
    pct
        The values are proportions: percent axis and percent labels.
    before_label, after_label
        Legend names of the two time points (e.g. ``"Baseline 2022"``).
    value_labels
        Write each value beside its dot, on the outer side of the pair.

    The baseline is an open orange circle and the endline a filled blue diamond, so the
    direction of change reads in greyscale too.
    """
    context = "charts.dumbbell"
    table = _table(frame, [label, before, after], context)
    labels = _labels(table, label)
    b = _num(table, before, context)
    a = _num(table, after, context)
    b_ci = _ci_pair(table, before_ci, context)
    a_ci = _ci_pair(table, after_ci, context)
    if b_ci is not None:
        _check_interval(b, *b_ci, labels, context)
    if a_ci is not None:
        _check_interval(a, *a_ci, labels, context)

    with style():
        ax, y = _category_axes(ax, labels)
        ax.hlines(y, np.minimum(a, b), np.maximum(a, b), color=_GREY, linewidth=2.0, zorder=1)
        before_color, after_color = OKABE_ITO["orange"], OKABE_ITO["blue"]
        for values, ci, color in ((b, b_ci, before_color), (a, a_ci, after_color)):
            if ci is not None:
                ax.errorbar(
                    values, y, xerr=_xerr(values, *ci), fmt="none", ecolor=color,
                    elinewidth=1.0, capsize=2.5, zorder=2,
                )  # fmt: skip
        ax.plot(
            b, y, linestyle="none", marker="o", markersize=7, markerfacecolor="white",
            markeredgecolor=before_color, markeredgewidth=1.8, zorder=3, gid="dumbbell-before",
        )  # fmt: skip
        ax.plot(
            a, y, linestyle="none", marker="D", markersize=6.5, color=after_color,
            markeredgecolor="white", markeredgewidth=0.6, zorder=4, gid="dumbbell-after",
        )  # fmt: skip
        if pct:
            _percent_axis(ax.xaxis)
        if value_labels:
            _dumbbell_labels(ax, y, b, a, b_ci, a_ci, pct)
        if xlabel:
            ax.set_xlabel(_plain(xlabel))
        handles = [
            Line2D([], [], linestyle="none", marker="o", markerfacecolor="white",
                   markeredgecolor=before_color, markeredgewidth=1.8, label=_plain(before_label)),
            Line2D([], [], linestyle="none", marker="D", color=after_color, label=_plain(after_label)),
        ]  # fmt: skip
        if pct:
            _clip_percent_ticks(ax)
        _set_title(ax, title, _legend_above(ax, handles))
    return ax


def _clip_percent_ticks(ax: Axes) -> None:
    """Keep only the x ticks in 0..100 % (the padding for labels may reach below 0)."""
    lo, hi = ax.get_xlim()
    ticks = [t for t in ax.get_xticks() if max(lo, 0.0) - 1e-9 <= t <= min(hi, 1.0) + 1e-9]
    ax.set_xticks(ticks)
    ax.set_xlim(lo, hi)


def _dumbbell_labels(
    ax: Axes,
    y: np.ndarray,
    b: np.ndarray,
    a: np.ndarray,
    b_ci: tuple[np.ndarray, np.ndarray] | None,
    a_ci: tuple[np.ndarray, np.ndarray] | None,
    pct: bool,
) -> None:
    """Label each dot on the outer side of its pair (or of its whisker), so labels never
    sit between the two dots."""
    for i, yi in enumerate(y):
        for is_before, value, other, ci in ((True, b[i], a[i], b_ci), (False, a[i], b[i], a_ci)):
            left = value < other or (value == other and is_before)
            edge = value
            if ci is not None:
                bound = ci[0][i] if left else ci[1][i]
                edge = edge if np.isnan(bound) else bound
            ax.annotate(
                _value_text(value, pct), (edge, yi), xytext=(-6 if left else 6, 0),
                textcoords="offset points", ha="right" if left else "left", va="center",
                fontsize=7.5, color=_INK,
            )  # fmt: skip
    _pad_x(ax, 0.12)


def _pad_x(ax: Axes, share: float) -> None:
    """Widen the x range by ``share`` on each side to leave room for value labels."""
    ax.autoscale_view()
    lo, hi = ax.get_xlim()
    span = hi - lo or 1.0
    ax.set_xlim(lo - share * span, hi + share * span)
