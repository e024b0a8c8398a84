"""Sustained use: Kaplan–Meier steps with interval bands, censoring ticks and horizons
(Kaplan & Meier 1958, *JASA* 53:457)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .._display import fmt_pct
from ..errors import DataError
from ._inputs import _labels, _num, _table
from ._layout import _axes, _grid, _set_title
from ._style import _GREY, _INK, LINESTYLES, MARKERS, PALETTE, style
from ._text import _percent_axis, _plain

__all__ = ["survival"]


def survival(
    curves: Any,
    *,
    censored: Any = None,
    horizons: Sequence[float] = (),
    ax: Axes | None = None,
    title: str | None = None,
    xlabel: str | None = "Time since adoption",
    ylabel: str | None = "Still using",
) -> Axes:
    """Sustained use: Kaplan–Meier step curves with interval bands and censoring ticks.

    Parameters
    ----------
    curves
        Columns ``group``, ``time``, ``survival``, ``ci_low``, ``ci_high``: the estimate of
        the share still using at each time (Kaplan & Meier 1958), a right-continuous step
        function.  ``group`` may hold a single value such as ``"all"`` (no legend then).  A
        curve whose first time is after 0 is drawn from ``S(0) = 1``.
    censored
        Optional ticks for censored users: columns ``group``, ``time``, ``survival``.
    horizons
        Times to mark with a dotted vertical line and the curve value there (e.g. 90, 180
        days); values are labelled when there is one group.

    Groups are told apart by colour *and* line style; the y axis is in percent.
    """
    context = "charts.survival"
    data = _table(curves, ["group", "time", "survival", "ci_low", "ci_high"], context)
    names = np.array(_labels(data, "group"), dtype=object)
    groups = list(dict.fromkeys(names.tolist()))
    time, surv, low, high = _check_curves(data, context)
    cens = _censored_ticks(censored, context)

    with style():
        ax = _axes(ax)
        _grid(ax, "y")
        handles: list[Any] = []
        single = len(groups) == 1
        for k, group in enumerate(groups):
            cens_mask = cens[0] == group if cens is not None else None
            until = (
                float(cens[1][cens_mask].max())
                if cens is not None and cens_mask is not None and cens_mask.any()
                else -np.inf
            )
            steps = _km_steps(names == group, time, surv, low, high, group, context, until)
            group_cens = None
            if cens is not None and cens_mask is not None:
                group_cens = (cens[1][cens_mask], cens[2][cens_mask])
            handles.append(_draw_group(ax, k, group, steps, group_cens, horizons, single))
        for h in horizons:
            ax.axvline(float(h), color=_GREY, linestyle=":", linewidth=0.9, zorder=0)
        ax.set_ylim(0, 1.03)
        ax.set_xlim(left=min(0.0, float(np.nanmin(time))))
        _percent_axis(ax.yaxis)
        if xlabel:
            ax.set_xlabel(_plain(xlabel))
        if ylabel:
            ax.set_ylabel(_plain(ylabel))
        handles = _legend_handles(handles, censored=cens is not None, single=single)
        ax.legend(handles=handles, loc="best", ncols=1 if single else 2)
        _set_title(ax, title)
    return ax


def _check_curves(
    data: pd.DataFrame, context: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Time, survival and bounds as floats; the last three must be proportions."""
    time = _num(data, "time", context)
    surv = _num(data, "survival", context)
    low = _num(data, "ci_low", context, allow_nan=True)
    high = _num(data, "ci_high", context, allow_nan=True)
    for values, col in ((surv, "survival"), (low, "ci_low"), (high, "ci_high")):
        finite = values[~np.isnan(values)]
        if ((finite < 0) | (finite > 1)).any():
            raise DataError(f"{context}: column {col!r} must hold proportions in [0, 1]")
    return time, surv, low, high


def _censored_ticks(
    censored: Any, context: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Group, time and survival of the censoring ticks, or ``None`` without ticks."""
    if censored is None:
        return None
    where = context + " (censored)"
    table = _table(censored, ["group", "time", "survival"], where)
    return (
        np.array(_labels(table, "group"), dtype=object),
        _num(table, "time", where),
        _num(table, "survival", where),
    )


def _draw_group(
    ax: Axes,
    k: int,
    group: str,
    steps: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    cens: tuple[np.ndarray, np.ndarray] | None,
    horizons: Sequence[float],
    single: bool,
) -> Line2D:
    """One group's band, step curve, censoring ticks and horizon markers (labelled when
    ``single``); returns its legend handle."""
    t, s, lo, hi = steps
    color, dash = PALETTE[k % len(PALETTE)], LINESTYLES[k % len(LINESTYLES)]
    ax.fill_between(t, lo, hi, step="post", color=color, alpha=0.18, linewidth=0)
    ax.step(t, s, where="post", color=color, linestyle=dash, linewidth=1.8,
            gid=f"survival-{group}", label=group)  # fmt: skip
    handle = Line2D([], [], color=color, linestyle=dash, linewidth=1.8, label=_plain(group))
    if cens is not None:
        dense = len(cens[0]) > 40  # many ticks: smaller, so the curve stays visible
        ax.plot(
            cens[0], cens[1], linestyle="none", marker="|",
            markersize=5 if dense else 8, markeredgewidth=0.8 if dense else 1.4,
            color=color, zorder=4, gid=f"censored-{group}",
        )  # fmt: skip
    for h in horizons:
        value = _step_value(t, s, float(h))
        if np.isnan(value):
            continue
        ax.plot([h], [value], marker=MARKERS[k % len(MARKERS)], color=color,
                markersize=5, zorder=5, linestyle="none")  # fmt: skip
        if single:
            ax.annotate(
                fmt_pct(value, 0), (h, value), xytext=(5, 6), textcoords="offset points",
                fontsize=7.5, zorder=6,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1},
            )  # fmt: skip
    return handle


def _legend_handles(groups: list[Any], *, censored: bool, single: bool) -> list[Any]:
    """Group lines (none for a single group), a censoring tick and the interval patch."""
    handles = list(groups)
    if censored:
        handles.append(Line2D([], [], color=_INK, linestyle="none", marker="|",
                              markersize=7, label="Censored"))  # fmt: skip
    if single:
        handles = handles[1:]
        handles.insert(0, Patch(facecolor=PALETTE[0], alpha=0.18, label="Interval"))
    else:
        handles.append(Patch(facecolor=_GREY, alpha=0.25, label="Interval"))
    return handles


def _km_steps(
    mask: np.ndarray,
    time: np.ndarray,
    surv: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    group: str,
    context: str,
    until: float = -np.inf,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One group's curve sorted by time, starting at ``S(0) = 1`` when it starts later and
    carried level to ``until`` (the last censoring time) when that is after its last step:
    a Kaplan–Meier estimate is defined up to the last follow-up, not only the last event."""
    order = np.argsort(time[mask], kind="stable")
    t, s = time[mask][order], surv[mask][order]
    lo, hi = low[mask][order], high[mask][order]
    if (np.diff(s) > 1e-12).any():
        raise DataError(
            f"{context}: survival of group {group!r} increases over time; a Kaplan–Meier "
            "curve can only stay level or fall"
        )
    if t[0] > 0:
        t, s = np.r_[0.0, t], np.r_[1.0, s]
        lo, hi = np.r_[1.0, lo], np.r_[1.0, hi]
    if until > t[-1]:
        t, s = np.r_[t, until], np.r_[s, s[-1]]
        lo, hi = np.r_[lo, lo[-1]], np.r_[hi, hi[-1]]
    return t, s, lo, hi


def _step_value(t: np.ndarray, s: np.ndarray, at: float) -> float:
    """Value of a right-continuous step function at ``at`` (NaN outside the curve)."""
    if at < t[0] or at > t[-1]:
        return float("nan")
    return float(s[np.searchsorted(t, at, side="right") - 1])
