"""Coverage cascade (funnel): the share of the target population reached at each stage."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes

from .._display import fmt, fmt_pct
from ..errors import DataError
from ._inputs import _check_interval, _labels, _num, _table
from ._layout import _category_axes, _set_title, _xerr
from ._style import _INK, OKABE_ITO, style
from ._text import _percent_axis, _plain

__all__ = ["funnel"]


def funnel(
    table: Any,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    xlabel: str | None = "Share of the target population",
) -> Axes:
    """Coverage cascade: one bar per stage, its length the share of the target population.

    Parameters
    ----------
    table
        One row per stage, in cascade order, with columns ``stage``, ``count``,
        ``share_of_target``, ``share_of_target_ci_low``, ``share_of_target_ci_high``; optional
        ``share_of_previous`` (printed in the label) and a boolean ``bottleneck`` (that
        stage's bar is vermillion and hatched, and labelled "bottleneck").

    Each bar is labelled with its share of target and count; the interval is a whisker.  The
    x axis is in percent from 0 to 100 %.
    """
    context = "charts.funnel"
    cols = [
        "stage",
        "count",
        "share_of_target",
        "share_of_target_ci_low",
        "share_of_target_ci_high",
    ]
    data = _table(table, cols, context)
    stages = _labels(data, "stage")
    counts = _num(data, "count", context)
    share = _num(data, "share_of_target", context)
    low = _num(data, "share_of_target_ci_low", context, allow_nan=True)
    high = _num(data, "share_of_target_ci_high", context, allow_nan=True)
    _check_interval(share, low, high, stages, context)
    if ((share < 0) | (share > 1)).any():
        raise DataError(f"{context}: share_of_target must be a proportion in [0, 1]")
    prev = (
        _num(data, "share_of_previous", context, allow_nan=True)
        if "share_of_previous" in data.columns
        else None
    )
    bottleneck = (
        data["bottleneck"].fillna(False).astype(bool).to_numpy()
        if "bottleneck" in data.columns
        else np.zeros(len(stages), dtype=bool)
    )

    with style():
        ax, y = _category_axes(ax, stages)
        colors = [OKABE_ITO["vermillion"] if flag else OKABE_ITO["blue"] for flag in bottleneck]
        bars = ax.barh(y, share, height=0.62, color=colors, edgecolor="white", linewidth=0.8)
        for bar, flag in zip(bars, bottleneck, strict=True):
            bar.set_gid("funnel-bar")
            if flag:
                bar.set_hatch("///")
                bar.set_edgecolor("#7A2E00")
        ax.errorbar(
            share, y, xerr=_xerr(share, low, high), fmt="none", ecolor=_INK,
            elinewidth=0.9, capsize=2.5, zorder=3,
        )  # fmt: skip
        for i, yi in enumerate(y):
            text = f"{fmt_pct(share[i])}  (n = {_count_text(counts[i])})"
            if prev is not None and i > 0 and not np.isnan(prev[i]):
                text += f"\n{fmt_pct(prev[i], 0)} of previous stage"
            if bottleneck[i]:
                text += " · bottleneck"
            edge = share[i] if np.isnan(high[i]) else max(high[i], share[i])
            ax.annotate(
                text, (edge, yi), xytext=(5, 0), textcoords="offset points",
                ha="left", va="center", fontsize=7.5, linespacing=1.1,
            )  # fmt: skip
        ax.set_xlim(0, 1.0)
        _percent_axis(ax.xaxis)
        if xlabel:
            ax.set_xlabel(_plain(xlabel))
        _set_title(ax, title)
    return ax


def _count_text(count: float) -> str:
    return f"{int(round(count)):,}" if float(count).is_integer() else fmt(count)
