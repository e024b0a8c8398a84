"""Lab-to-real-world waterfall: from lab efficacy, step by step, down to the real-world effect."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from .._display import fmt
from ._inputs import _check_interval, _labels, _num, _table
from ._layout import _axes, _grid, _legend_above, _set_title, _xerr
from ._style import _GREY, _INK, OKABE_ITO, style
from ._text import _LABEL_WIDTH, _percent_axis, _plain, _value_text, _wrap

__all__ = ["waterfall"]


def waterfall(
    steps: Any,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    pct: bool = True,
    ylabel: str | None = "Effect",
) -> Axes:
    """Lab-to-real-world waterfall.

    Parameters
    ----------
    steps
        Columns ``step`` and ``value``: the effect remaining after each step, in order.  The
        first row is the lab efficacy, the last the real-world effect.  Optional ``ci_low``,
        ``ci_high`` are drawn as whiskers on the remaining effect.
    pct
        Values are proportions (e.g. efficacy 0.9 = 90 % fewer cases): percent y axis.

    The first bar is the lab efficacy (dark blue).  Each later bar stands at the effect that
    remains after its step (light blue; the last, the real-world effect, bluish green) with the
    part lost at that step stacked on top of it (vermillion, hatched) and labelled with the
    share of the previous effect it took away, e.g. ``−22 %``.  A step that raises the effect
    is drawn as a hatched green gain.
    """
    context = "charts.waterfall"
    data = _table(steps, ["step", "value"], context)
    names = _labels(data, "step")
    value = _num(data, "value", context)
    has_ci = "ci_low" in data.columns and "ci_high" in data.columns
    low = _num(data, "ci_low", context, allow_nan=True) if has_ci else None
    high = _num(data, "ci_high", context, allow_nan=True) if has_ci else None
    if low is not None and high is not None:
        _check_interval(value, low, high, names, context)

    n = len(value)
    x = np.arange(n, dtype=float)
    kept_colors = [OKABE_ITO["blue"]] + [OKABE_ITO["sky_blue"]] * max(n - 2, 0)
    if n > 1:
        kept_colors.append(OKABE_ITO["bluish_green"])
    with style():
        ax = _axes(ax)
        _grid(ax, "y")
        kept = ax.bar(x, value, width=0.62, color=kept_colors, edgecolor="white", linewidth=0.6,
                      zorder=2)  # fmt: skip
        for bar in kept:
            bar.set_gid("waterfall-kept")
        _draw_changes(ax, x, value, high)
        for i in range(n - 1):  # connectors between bar tops
            ax.plot([x[i] + 0.31, x[i + 1] - 0.31], [value[i], value[i]], color=_GREY,
                    linewidth=0.8, linestyle=":", zorder=1)  # fmt: skip
        if low is not None and high is not None:
            ax.errorbar(x, value, yerr=_xerr(value, low, high), fmt="none", ecolor=_INK,
                        elinewidth=0.9, capsize=3, zorder=4)  # fmt: skip
        _waterfall_value_labels(ax, x, value, pct)
        ax.set_xticks(x, [_wrap(s, _chars_per_slot(ax, n)) for s in names])
        ax.tick_params(axis="x", length=0)
        ax.axhline(0, color="#555555", linewidth=0.8, zorder=3)
        top = float(np.nanmax(np.r_[value, high if high is not None else []]))
        ax.set_ylim(min(0.0, float(np.nanmin(value)) * 1.1), max(top, 0.0) * 1.12 or 1.0)
        if pct:
            _percent_axis(ax.yaxis)
        if ylabel:
            ax.set_ylabel(_plain(ylabel))
        handles = [
            Patch(facecolor=OKABE_ITO["sky_blue"], label="Effect remaining after the step"),
            Patch(facecolor="white", edgecolor=OKABE_ITO["vermillion"], hatch="////",
                  label="Lost at the step (% of the effect before it)"),
        ]  # fmt: skip
        _set_title(ax, title, _legend_above(ax, handles, ncols=1))
    return ax


def _draw_changes(ax: Axes, x: np.ndarray, value: np.ndarray, high: np.ndarray | None) -> None:
    """Stack the part lost (vermillion) or gained (green) at each step on the bar that remains,
    hatched, and label it with its share of the effect before the step."""
    prev = value[:-1]
    delta = value[1:] - prev
    lost_color, gain_color = OKABE_ITO["vermillion"], OKABE_ITO["bluish_green"]
    for i, d in enumerate(delta, start=1):
        if d == 0:
            continue
        bottom, top = min(value[i], prev[i - 1]), max(value[i], prev[i - 1])
        color = lost_color if d < 0 else gain_color
        bar = ax.bar(
            x[i], top - bottom, bottom=bottom, width=0.62, facecolor="white",
            edgecolor=color, hatch="////", linewidth=1.0, zorder=2,
        )[0]  # fmt: skip
        bar.set_gid("waterfall-lost" if d < 0 else "waterfall-gain")
        above = top if high is None or np.isnan(high[i]) else max(top, high[i])
        lift = 3 + (11 if value[i] < _INSIDE_SHARE * _span(value) else 0)
        ax.annotate(
            _change_text(d, prev[i - 1]), (x[i], above), xytext=(0, lift),
            textcoords="offset points", ha="center", va="bottom", fontsize=8,
            fontweight="bold", color="#7A2E00" if d < 0 else "#005A42",
        )  # fmt: skip


def _change_text(delta: float, before: float) -> str:
    """``−22 %``: the change as a share of the effect before the step."""
    if before == 0:
        return f"{'+' if delta > 0 else '−'}{fmt(abs(delta))}"
    share = delta / abs(before)
    return f"{'+' if share > 0 else '−'}{100 * abs(share):.0f} %"


_INSIDE_SHARE = 0.14  # a bar shorter than this share of the tallest gets its label above


def _span(value: np.ndarray) -> float:
    return float(np.nanmax(np.abs(value))) or 1.0


def _chars_per_slot(ax: Axes, n: int) -> int:
    """How many characters of an 8.5 pt tick label fit under one of ``n`` bars."""
    fig = ax.get_figure(root=True)
    if fig is None:
        return _LABEL_WIDTH // 2
    width_in = ax.get_position().width * fig.get_figwidth()
    return max(6, int(width_in * 72 / (n * 5.6)))


def _waterfall_value_labels(ax: Axes, x: np.ndarray, value: np.ndarray, pct: bool) -> None:
    """Write each remaining effect in the middle of its bar (white on the dark first and
    last bars, dark on the light middle ones), clear of the whiskers at the bar top; a short
    bar gets its label just above the whole stack."""
    n = len(value)
    span = _span(value)
    for i in range(n):
        dark = i in (0, n - 1)
        if value[i] >= _INSIDE_SHARE * span:
            ax.text(
                x[i], value[i] / 2, _value_text(value[i], pct), ha="center", va="center",
                fontsize=8.5, fontweight="bold", color="white" if dark else _INK, zorder=5,
            )  # fmt: skip
        else:
            top = max(value[i], value[i - 1] if i > 0 else value[i], 0.0)
            ax.annotate(
                _value_text(value[i], pct), (x[i], top), xytext=(0, 3),
                textcoords="offset points", ha="center", va="bottom", fontsize=8, zorder=5,
            )  # fmt: skip
