"""Axes layout shared by the charts: the figure of the house size, category rows, value-axis
grid, a legend above the plot, the left-aligned title and the right-hand value column."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.transforms import blended_transform_factory

from ._style import _RC, FIGSIZE
from ._text import _interval_text, _percent_axis, _plain, _wrap

_LEGEND_ROW_PT = 14.5  # height of one legend row at the house legend font size, in points


def _axes(ax: Axes | None, *, rows: int | None = None) -> Axes:
    """The Axes to draw into: ``ax`` itself, or a new figure of the house size.

    Row-based charts grow taller than 3.5 inches when they have many rows, so that labels
    never overlap.
    """
    if ax is not None:
        _tidy(ax)
        return ax
    width, height = FIGSIZE
    if rows is not None:
        height = float(min(max(height, 1.3 + 0.3 * rows), 9.5))
    _, new_ax = plt.subplots(figsize=(width, height), layout="constrained")
    return new_ax


def _tidy(ax: Axes) -> None:
    """Give an Axes the caller created (perhaps outside :func:`style`) the house look."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=_RC["xtick.labelsize"])
    ax.set_axisbelow(True)


def _grid(ax: Axes, axis: Literal["x", "y"]) -> None:
    """Light grid lines along the value axis only (explicit, so a caller's Axes matches)."""
    ax.grid(axis=axis, color=_RC["grid.color"], linewidth=_RC["grid.linewidth"])


def _set_title(ax: Axes, title: str | None, legend_rows: int = 0) -> None:
    """Left-aligned title, lifted above a legend that sits on top of the plotting area."""
    if title:
        ax.set_title(_plain(title), loc="left", pad=6.0 + _LEGEND_ROW_PT * legend_rows)


def _legend_above(ax: Axes, handles: Sequence[Any], ncols: int | None = None) -> int:
    """A frameless legend in one or more rows just above the plotting area, left-aligned
    under the title.  Returns the number of rows, for :func:`_set_title`."""
    handles = list(handles)
    ncols = ncols or len(handles)
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncols=ncols,
        borderaxespad=0.2,
        borderpad=0.2,
        columnspacing=1.4,
        handletextpad=0.5,
    )
    return -(-len(handles) // ncols)


def _category_axis(ax: Axes, labels: Sequence[str]) -> np.ndarray:
    """Put ``labels`` on the y axis top to bottom and return their positions."""
    y = np.arange(len(labels), dtype=float)
    ax.set_yticks(y, [_wrap(label) for label in labels])
    ax.set_ylim(len(labels) - 0.5, -0.5)  # first row on top
    ax.tick_params(axis="y", length=0)
    return y


def _category_axes(ax: Axes | None, labels: Sequence[str]) -> tuple[Axes, np.ndarray]:
    """Axes sized for one row per label, the labels on the y axis and a vertical x grid."""
    ax = _axes(ax, rows=len(labels))
    y = _category_axis(ax, labels)
    _grid(ax, "x")
    return ax, y


def _right_column(ax: Axes, y: np.ndarray, texts: Sequence[str], header: str | None) -> None:
    """Write one text per row just right of the plotting area (the forest-plot table)."""
    trans = blended_transform_factory(ax.transAxes, ax.transData)
    for yi, text in zip(y, texts, strict=True):
        ax.text(1.02, yi, text, transform=trans, ha="left", va="center", fontsize=8, clip_on=False)
    if header:
        ax.text(
            1.02,
            1.0,
            header,
            transform=ax.transAxes,
            ha="left",
            va="bottom",
            fontsize=8,
            fontweight="bold",
            clip_on=False,
        )


def _finish_interval_rows(
    ax: Axes,
    y: np.ndarray,
    est: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    *,
    pct: bool,
    xlabel: str | None,
    value_labels: bool,
    title: str | None,
    handles: Sequence[Any],
) -> None:
    """Shared ending of the one-row-per-interval charts (forest, subgroups): percent axis,
    x label, the "estimate (low to high)" column right of the plot, legend and title."""
    if pct:
        _percent_axis(ax.xaxis)
    if xlabel:
        ax.set_xlabel(_plain(xlabel))
    if value_labels:
        texts = [_interval_text(e, lo, hi, pct) for e, lo, hi in zip(est, low, high, strict=True)]
        _right_column(ax, y, texts, None)
    _set_title(ax, title, _legend_above(ax, handles) if handles else 0)


def _xerr(est: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Error-bar lengths from bounds; a missing bound draws no whisker."""
    return np.vstack([np.nan_to_num(est - low), np.nan_to_num(high - est)])
