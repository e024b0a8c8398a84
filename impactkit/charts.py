"""Charts for an impact report, in one colour-blind-safe house style.

Every function draws one chart type from a tidy table (the column names are listed in each
docstring), takes ``ax=`` (draws into it; when ``None`` it creates a figure of the house size,
6.3 x 3.5 inches, which fits one A4 report column) and returns the matplotlib ``Axes``.  No
function calls ``plt.show()``, changes the global ``rcParams`` (the style is applied with
:func:`style`, a ``matplotlib.rc_context``), adds random jitter, or modifies its input.

The colours are the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design";
Wong 2011, "Points of view: Color blindness", *Nature Methods* 8:441).  Because a report is often
printed in greyscale, series also differ by marker, line style or hatch, never by colour alone.

Chart types
-----------
- :func:`dumbbell`  — before/after value per indicator.
- :func:`forest`    — effect estimates with intervals and the minimum-meaningful-change band.
- :func:`funnel`    — coverage cascade, share of the target population reached at each stage.
- :func:`survival`  — sustained use: Kaplan–Meier steps with interval bands and censoring ticks.
- :func:`its`       — interrupted time series with the counterfactual after the intervention.
- :func:`waterfall` — from lab efficacy, step by step, down to the real-world effect.
- :func:`subgroups` — subgroup (equity) comparison with an optional overall reference line.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Literal

import matplotlib as mpl
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import narwhals as nw
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import blended_transform_factory

from ._checks import columns_of, numeric_array, require_columns
from ._display import fmt, fmt_pct
from .errors import DataError

__all__ = [
    "PALETTE",
    "OKABE_ITO",
    "MARKERS",
    "LINESTYLES",
    "HATCHES",
    "FIGSIZE",
    "style",
    "dumbbell",
    "forest",
    "funnel",
    "survival",
    "its",
    "waterfall",
    "subgroups",
]

#: The eight Okabe–Ito colours by name (Okabe & Ito 2008).
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: Series colours in the order charts use them (dark blue first; yellow, which vanishes on
#: white paper, last but one).
PALETTE: tuple[str, ...] = (
    OKABE_ITO["blue"],
    OKABE_ITO["orange"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["yellow"],
    OKABE_ITO["black"],
)
#: Markers paired with :data:`PALETTE`, so series stay apart in greyscale.
MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P", "X", "*")
#: Line styles paired with :data:`PALETTE`.
LINESTYLES: tuple[Any, ...] = (
    "-",
    "--",
    ":",
    "-.",
    (0, (6, 2)),
    (0, (3, 1, 1, 1, 1, 1)),
    (0, (1, 3)),
    (0, (8, 2, 2, 2)),
)
#: Hatches for filled areas that must be told apart in greyscale.
HATCHES: tuple[str, ...] = ("", "///", "...", "xxx", "\\\\\\", "ooo", "---", "+++")
#: Default figure size in inches: the width of an A4 text column (16 cm).
FIGSIZE: tuple[float, float] = (6.3, 3.5)

_GREY = "#7F7F7F"
_LIGHT_GREY = "#D9D9D9"
_INK = "#222222"
_LABEL_WIDTH = 28  # characters before a category label wraps
_LEGEND_ROW_PT = 14.5  # height of one legend row at the house legend font size, in points

_RC: dict[Any, Any] = {  # keys are matplotlib rcParams names
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 9.0,
    "axes.titlesize": 10.0,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 9.0,
    "axes.labelcolor": _INK,
    "axes.edgecolor": "#555555",
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "axes.axisbelow": True,
    "axes.prop_cycle": cycler(color=PALETTE) + cycler(linestyle=LINESTYLES),
    "grid.color": _LIGHT_GREY,
    "grid.linewidth": 0.6,
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "xtick.color": "#555555",
    "ytick.color": "#555555",
    "xtick.labelcolor": _INK,
    "ytick.labelcolor": _INK,
    "legend.fontsize": 8.0,
    "legend.frameon": False,
    "legend.handlelength": 2.2,
    "text.color": _INK,
    "lines.linewidth": 1.6,
    "lines.markersize": 6.0,
    "hatch.linewidth": 0.8,
    "figure.figsize": FIGSIZE,
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "svg.hashsalt": "impactkit",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
}


@contextmanager
def style() -> Iterator[None]:
    """Apply the impactkit house style inside a ``with`` block.

    It is a :func:`matplotlib.rc_context`: the global ``rcParams`` are restored on exit.  Use it
    around your own matplotlib code to match the look of the impactkit charts::

        with impactkit.charts.style():
            fig, ax = plt.subplots()
    """
    # Settle the backend before saving rcParams: if the first figure of a session were made
    # inside the context, Jupyter's inline backend would be activated there (switching on
    # interactive mode) and rc_context would switch it off again on exit, so that no later
    # figure of the notebook would be shown.
    plt.switch_backend(mpl.get_backend())
    with mpl.rc_context(_RC):
        yield


# --------------------------------------------------------------------------- input helpers


def _table(data: Any, columns: Sequence[str], context: str) -> pd.DataFrame:
    """Return ``data`` as a pandas frame after checking its columns and that it has rows.

    pandas frames are returned as they are (never modified); other eager frames (polars,
    pyarrow) are converted through narwhals.
    """
    if isinstance(data, pd.DataFrame):
        frame = data
    else:
        try:
            frame = nw.from_native(data, eager_only=True).to_pandas()
        except TypeError:
            raise DataError(
                f"{context}: expected a data frame, got {type(data).__name__}"
            ) from None
    columns_of(frame)
    require_columns(frame, columns, context)
    if len(frame) == 0:
        raise DataError(f"{context}: the table is empty, there is nothing to draw")
    return frame


def _num(frame: pd.DataFrame, column: str, context: str, *, allow_nan: bool = False) -> np.ndarray:
    return numeric_array(frame[column], f"{context}: column {column!r}", allow_nan=allow_nan)


def _labels(frame: pd.DataFrame, column: str) -> list[str]:
    return ["n/a" if pd.isna(v) else str(v) for v in frame[column].tolist()]


def _wrap(text: str, width: int = _LABEL_WIDTH) -> str:
    return textwrap.fill(text, width=width, break_long_words=False) or text


# --------------------------------------------------------------------------- axes helpers


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


def _minus(text: str) -> str:
    """Typographic minus signs, as on matplotlib's own tick labels."""
    return text.replace("-", "\u2212")


def _percent_tick(value: float, _pos: int | None = None) -> str:
    """``0.05 -> "5 %"``, ``0.025 -> "2.5 %"``: no trailing zeros on percent ticks."""
    return _minus(f"{round(100 * value, 6):g} %")


def _percent_axis(axis: Any) -> None:
    axis.set_major_formatter(FuncFormatter(_percent_tick))


def _value_text(value: float, pct: bool) -> str:
    text = fmt_pct(value, 0 if abs(value) >= 0.1 else 1) if pct else fmt(value)
    return _minus(text)


def _set_title(ax: Axes, title: str | None, legend_rows: int = 0) -> None:
    """Left-aligned title, lifted above a legend that sits on top of the plotting area."""
    if title:
        ax.set_title(title, loc="left", pad=6.0 + _LEGEND_ROW_PT * legend_rows)


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


def _interval_text(est: float, low: float, high: float, pct: bool) -> str:
    if np.isnan(low) or np.isnan(high):
        return _value_text(est, pct)
    return f"{_value_text(est, pct)} ({_value_text(low, pct)} to {_value_text(high, pct)})"


def _ci_pair(
    frame: pd.DataFrame, cols: tuple[str, str] | None, context: str
) -> tuple[np.ndarray, np.ndarray] | None:
    if cols is None:
        return None
    if len(cols) != 2:
        raise DataError(
            f"{context}: an interval is given as (low_column, high_column), got {cols!r}"
        )
    require_columns(frame, cols, context)
    return (
        _num(frame, cols[0], context, allow_nan=True),
        _num(frame, cols[1], context, allow_nan=True),
    )


def _check_interval(
    est: np.ndarray, low: np.ndarray, high: np.ndarray, labels: Sequence[str], context: str
) -> None:
    """Intervals must contain their estimate (rows with a missing bound are skipped)."""
    ok = np.isnan(low) | np.isnan(high) | ((low <= est + 1e-12) & (est <= high + 1e-12))
    if not ok.all():
        bad = [labels[i] for i in np.flatnonzero(~ok)[:5]]
        raise DataError(
            f"{context}: the interval does not contain the estimate for {', '.join(map(repr, bad))}"
            "; check that the low and high columns are not swapped"
        )


def _interval_rows(
    table: pd.DataFrame, label: str, estimate: str, ci_low: str, ci_high: str, context: str
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Row labels, estimates and (possibly missing) bounds, checked to contain the estimates."""
    labels = _labels(table, label)
    est = _num(table, estimate, context)
    low = _num(table, ci_low, context, allow_nan=True)
    high = _num(table, ci_high, context, allow_nan=True)
    _check_interval(est, low, high, labels, context)
    return labels, est, low, high


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
        ax.set_xlabel(xlabel)
    if value_labels:
        texts = [_interval_text(e, lo, hi, pct) for e, lo, hi in zip(est, low, high, strict=True)]
        _right_column(ax, y, texts, None)
    _set_title(ax, title, _legend_above(ax, handles) if handles else 0)


def _xerr(est: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Error-bar lengths from bounds; a missing bound draws no whisker."""
    return np.vstack([np.nan_to_num(est - low), np.nan_to_num(high - est)])


# --------------------------------------------------------------------------- dumbbell


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
            ax.set_xlabel(xlabel)
        handles = [
            Line2D([], [], linestyle="none", marker="o", markerfacecolor="white",
                   markeredgecolor=before_color, markeredgewidth=1.8, label=before_label),
            Line2D([], [], linestyle="none", marker="D", color=after_color, label=after_label),
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


# --------------------------------------------------------------------------- forest


def forest(
    frame: Any,
    *,
    label: str = "label",
    estimate: str = "estimate",
    ci_low: str = "ci_low",
    ci_high: str = "ci_high",
    mmc: float | str | None = None,
    null: float = 0.0,
    ax: Axes | None = None,
    title: str | None = None,
    xlabel: str | None = "Estimated change",
    pct: bool = False,
    value_labels: bool = True,
) -> Axes:
    """Effect forest plot with the minimum-meaningful-change band.

    Parameters
    ----------
    frame
        One row per effect with ``label``, ``estimate``, ``ci_low`` and ``ci_high`` (for
        example the rows of ``Effect.to_frame()`` stacked together).
    mmc
        Minimum meaningful change: a number (one band ``null - mmc .. null + mmc`` over all
        rows) or the name of a column holding it per row (one band per row).  Effects whose
        interval lies inside the band are too small to matter, whatever their p-value.
    null
        The no-change value (0 for differences, 1 for ratios); drawn as a dashed line.
    pct
        Estimates are proportions or percentage points: percent axis and labels.
    value_labels
        Print "estimate (low to high)" for each row right of the plot.
    """
    context = "charts.forest"
    needed = [label, estimate, ci_low, ci_high] + ([mmc] if isinstance(mmc, str) else [])
    table = _table(frame, needed, context)
    labels, est, low, high = _interval_rows(table, label, estimate, ci_low, ci_high, context)
    band = _mmc_widths(table, mmc, len(labels), context)

    with style():
        ax, y = _category_axes(ax, labels)
        handles: list[Any] = []
        if band is not None:
            handles.append(_draw_mmc_band(ax, y, band, null, pct))
        ax.axvline(null, color=_INK, linestyle="--", linewidth=0.9, zorder=1, gid="null-line")
        ax.errorbar(
            est, y, xerr=_xerr(est, low, high), fmt="none", ecolor=OKABE_ITO["blue"],
            elinewidth=1.4, capsize=3, zorder=2,
        )  # fmt: skip
        ax.plot(
            est, y, linestyle="none", marker="s", markersize=6.5, color=OKABE_ITO["blue"],
            markeredgecolor="white", markeredgewidth=0.6, zorder=3, gid="forest-estimates",
        )  # fmt: skip
        _finish_interval_rows(
            ax, y, est, low, high, pct=pct, xlabel=xlabel, value_labels=value_labels,
            title=title, handles=handles,
        )  # fmt: skip
    return ax


def _mmc_widths(
    table: pd.DataFrame, mmc: float | str | None, n: int, context: str
) -> np.ndarray | float | None:
    if mmc is None:
        return None
    if isinstance(mmc, str):
        widths = _num(table, mmc, context)
        if (widths < 0).any():
            raise DataError(f"{context}: column {mmc!r} (minimum meaningful change) must be >= 0")
        return widths
    try:
        value = float(mmc)
    except (TypeError, ValueError):
        raise DataError(
            f"{context}: mmc must be a number or a column name, got {type(mmc).__name__}"
        ) from None
    if not np.isfinite(value) or value < 0:
        raise DataError(f"{context}: mmc (minimum meaningful change) must be >= 0, got {mmc!r}")
    return value


def _draw_mmc_band(
    ax: Axes, y: np.ndarray, band: np.ndarray | float, null: float, pct: bool
) -> Patch:
    style_kw: dict[str, Any] = {
        "facecolor": "#EDEDED",
        "edgecolor": "#BDBDBD",
        "linewidth": 0.6,
        "hatch": "...",
        "zorder": 0,
    }
    if isinstance(band, float):
        ax.axvspan(null - band, null + band, gid="mmc-band", **style_kw)
        width = f" (±{_value_text(band, pct)})"
    else:
        bars = ax.barh(y, 2 * band, left=null - band, height=0.8, **style_kw)
        for bar in bars:
            bar.set_gid("mmc-band")
        width = ""
    return Patch(label=f"Below the minimum meaningful change{width}", **style_kw)


# --------------------------------------------------------------------------- funnel


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
            ax.set_xlabel(xlabel)
        _set_title(ax, title)
    return ax


def _count_text(count: float) -> str:
    return f"{int(round(count)):,}" if float(count).is_integer() else fmt(count)


# --------------------------------------------------------------------------- survival


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
    groups = list(dict.fromkeys(_labels(data, "group")))
    names = np.array(_labels(data, "group"), dtype=object)
    time = _num(data, "time", context)
    surv = _num(data, "survival", context)
    low = _num(data, "ci_low", context, allow_nan=True)
    high = _num(data, "ci_high", context, allow_nan=True)
    for values, col in ((surv, "survival"), (low, "ci_low"), (high, "ci_high")):
        finite = values[~np.isnan(values)]
        if ((finite < 0) | (finite > 1)).any():
            raise DataError(f"{context}: column {col!r} must hold proportions in [0, 1]")
    cens = None
    if censored is not None:
        cens_table = _table(censored, ["group", "time", "survival"], context + " (censored)")
        cens = (
            np.array(_labels(cens_table, "group"), dtype=object),
            _num(cens_table, "time", context + " (censored)"),
            _num(cens_table, "survival", context + " (censored)"),
        )

    with style():
        ax = _axes(ax)
        _grid(ax, "y")
        handles: list[Any] = []
        single = len(groups) == 1
        for k, group in enumerate(groups):
            color, dash = PALETTE[k % len(PALETTE)], LINESTYLES[k % len(LINESTYLES)]
            cens_mask = cens[0] == group if cens is not None else None
            until = (
                float(cens[1][cens_mask].max())
                if cens is not None and cens_mask is not None and cens_mask.any()
                else -np.inf
            )
            t, s, lo, hi = _km_steps(names == group, time, surv, low, high, group, context, until)
            ax.fill_between(t, lo, hi, step="post", color=color, alpha=0.18, linewidth=0)
            ax.step(t, s, where="post", color=color, linestyle=dash, linewidth=1.8,
                    gid=f"survival-{group}", label=group)  # fmt: skip
            handles.append(Line2D([], [], color=color, linestyle=dash, linewidth=1.8, label=group))
            if cens is not None and cens_mask is not None:
                dense = cens_mask.sum() > 40  # many ticks: smaller, so the curve stays visible
                ax.plot(
                    cens[1][cens_mask], cens[2][cens_mask], linestyle="none", marker="|",
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
        for h in horizons:
            ax.axvline(float(h), color=_GREY, linestyle=":", linewidth=0.9, zorder=0)
        if cens is not None:
            handles.append(Line2D([], [], color=_INK, linestyle="none", marker="|",
                                  markersize=7, label="Censored"))  # fmt: skip
        if single:
            handles = handles[1:]
            handles.insert(0, Patch(facecolor=PALETTE[0], alpha=0.18, label="Interval"))
        else:
            handles.append(Patch(facecolor=_GREY, alpha=0.25, label="Interval"))
        ax.set_ylim(0, 1.03)
        ax.set_xlim(left=min(0.0, float(np.nanmin(time))))
        _percent_axis(ax.yaxis)
        if xlabel:
            ax.set_xlabel(xlabel)
        if ylabel:
            ax.set_ylabel(ylabel)
        ax.legend(handles=handles, loc="best", ncols=1 if single else 2)
        _set_title(ax, title)
    return ax


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


# --------------------------------------------------------------------------- ITS


def its(
    frame: Any,
    *,
    intervention: Any,
    ax: Axes | None = None,
    title: str | None = None,
    ylabel: str | None = None,
    xlabel: str | None = None,
) -> Axes:
    """Interrupted time series with its counterfactual.

    Parameters
    ----------
    frame
        Columns ``time`` (numbers or datetimes), ``observed``, ``fitted`` (segmented-regression
        fit), ``counterfactual`` (pre-period trend carried forward) and ``cf_ci_low``,
        ``cf_ci_high`` (its interval).  Missing counterfactual values are allowed (e.g. before
        the intervention).
    intervention
        Time of the intervention, in the units of ``time`` (a date for datetimes); rows at or
        after it are the post period.

    Draws the observed points, the fitted line (broken at the intervention), the dashed
    counterfactual with its shaded interval over the post period only, and a vertical line at
    the intervention (Lopez Bernal, Cummins & Gasparrini 2017, *Int J Epidemiol* 46:348).
    """
    context = "charts.its"
    cols = ["time", "observed", "fitted", "counterfactual", "cf_ci_low", "cf_ci_high"]
    data = _table(frame, cols, context)
    time, cut, is_date = _its_time(data["time"], intervention, context)
    observed = _num(data, "observed", context, allow_nan=True)
    fitted = _num(data, "fitted", context, allow_nan=True)
    cf = _num(data, "counterfactual", context, allow_nan=True)
    cf_low = _num(data, "cf_ci_low", context, allow_nan=True)
    cf_high = _num(data, "cf_ci_high", context, allow_nan=True)
    order = np.argsort(time, kind="stable")
    time, observed, fitted = time[order], observed[order], fitted[order]
    cf, cf_low, cf_high = cf[order], cf_low[order], cf_high[order]
    post = time >= cut

    with style():
        ax = _axes(ax)
        _grid(ax, "y")
        ax.plot(
            time, observed, linestyle="none", marker="o", markersize=4, markerfacecolor="white",
            markeredgecolor=_INK, markeredgewidth=0.9, label="Observed", zorder=3, gid="its-observed",
        )  # fmt: skip
        blue = OKABE_ITO["blue"]
        for k, part in enumerate((~post, post)):
            ax.plot(time[part], fitted[part], color=blue, linestyle="-", linewidth=1.8, zorder=2,
                    label="Fitted trend" if k == 0 else "_nolegend_", gid="its-fitted")  # fmt: skip
        cf_rows = post & ~np.isnan(cf)
        red = OKABE_ITO["vermillion"]
        band_rows = cf_rows & ~np.isnan(cf_low) & ~np.isnan(cf_high)
        if band_rows.any():
            ax.fill_between(
                time[band_rows], cf_low[band_rows], cf_high[band_rows], color=red, alpha=0.15,
                linewidth=0, label="Counterfactual interval", zorder=1, gid="its-cf-band",
            )  # fmt: skip
        ax.plot(time[cf_rows], cf[cf_rows], color=red, linestyle="--", linewidth=1.6,
                label="Counterfactual (no intervention)", zorder=2, gid="its-counterfactual")  # fmt: skip
        ax.axvline(cut, color=_INK, linestyle=":", linewidth=1.2, label="Intervention",
                   zorder=1, gid="its-intervention")  # fmt: skip
        if is_date:
            locator = mdates.AutoDateLocator(minticks=3, maxticks=10)
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        if xlabel:
            ax.set_xlabel(xlabel)
        if ylabel:
            ax.set_ylabel(ylabel)
        handles = ax.get_legend_handles_labels()[0]
        _set_title(ax, title, _legend_above(ax, handles, ncols=3))
    return ax


def _its_time(series: pd.Series, intervention: Any, context: str) -> tuple[np.ndarray, Any, bool]:
    """The time column as numbers or naive datetime64, and the intervention in the same type."""
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        if series.isna().any():
            raise DataError(f"{context}: column 'time' has missing dates")
        stamps = pd.DatetimeIndex(series)
        if stamps.tz is not None:
            stamps = stamps.tz_localize(None)
        try:
            cut = pd.Timestamp(intervention)
        except (TypeError, ValueError):
            raise DataError(
                f"{context}: intervention must be a date when 'time' holds dates, "
                f"got {intervention!r}"
            ) from None
        if cut is pd.NaT or not isinstance(cut, pd.Timestamp):
            raise DataError(f"{context}: intervention must be a date, got {intervention!r}")
        if cut.tz is not None:
            cut = cut.tz_localize(None)
        return stamps.to_numpy(dtype="datetime64[ns]"), cut.to_datetime64(), True
    if not (pd.api.types.is_numeric_dtype(series.dtype)):
        raise DataError(
            f"{context}: column 'time' must hold numbers or datetimes, got {series.dtype}; "
            "convert dates with pandas.to_datetime first"
        )
    time = numeric_array(series, f"{context}: column 'time'")
    try:
        cut_value = float(intervention)
    except (TypeError, ValueError):
        raise DataError(
            f"{context}: intervention must be a number when 'time' holds numbers, "
            f"got {intervention!r}"
        ) from None
    return time, cut_value, False


# --------------------------------------------------------------------------- waterfall


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
            ax.set_ylabel(ylabel)
        handles = [
            Patch(facecolor=OKABE_ITO["sky_blue"], label="Effect remaining after the step"),
            Patch(facecolor="white", edgecolor=lost_color, hatch="////",
                  label="Lost at the step (% of the effect before it)"),
        ]  # fmt: skip
        _set_title(ax, title, _legend_above(ax, handles, ncols=1))
    return ax


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


# --------------------------------------------------------------------------- subgroups


def subgroups(
    frame: Any,
    *,
    group: str = "group",
    estimate: str = "estimate",
    ci_low: str = "ci_low",
    ci_high: str = "ci_high",
    overall: Any = None,
    ax: Axes | None = None,
    title: str | None = None,
    xlabel: str | None = None,
    pct: bool = False,
    value_labels: bool = True,
) -> Axes:
    """Subgroup (equity) comparison: one dot and whisker per group.

    Parameters
    ----------
    frame
        One row per subgroup with ``group``, ``estimate``, ``ci_low``, ``ci_high``.
    overall
        Optional reference: a number (dashed vertical line), or a result with ``estimate``
        (and, if present, ``ci_low``/``ci_high``, drawn as a shaded band) such as an
        :class:`impactkit.effects.Effect`.
    pct
        Estimates are proportions: percent axis and labels.

    Groups whose interval lies wholly above or below the overall value get a filled marker,
    the others an open one, so the groups that differ stand out in greyscale.
    """
    context = "charts.subgroups"
    table = _table(frame, [group, estimate, ci_low, ci_high], context)
    labels, est, low, high = _interval_rows(table, group, estimate, ci_low, ci_high, context)
    ref, ref_low, ref_high = _overall(overall, context)

    with style():
        ax, y = _category_axes(ax, labels)
        handles: list[Any] = []
        color = OKABE_ITO["blue"]
        if ref is not None:
            if ref_low is not None and ref_high is not None:
                ax.axvspan(ref_low, ref_high, color=_LIGHT_GREY, alpha=0.6, linewidth=0, zorder=0)
            ax.axvline(ref, color=_INK, linestyle="--", linewidth=1.0, zorder=1, gid="overall")
            handles.append(
                Line2D(
                    [], [], color=_INK, linestyle="--", label=f"Overall: {_value_text(ref, pct)}"
                )
            )
            differs = (low > ref) | (high < ref)
        else:
            differs = np.ones(len(labels), dtype=bool)
        ax.errorbar(est, y, xerr=_xerr(est, low, high), fmt="none", ecolor=color,
                    elinewidth=1.4, capsize=3, zorder=2)  # fmt: skip
        ax.plot(est[differs], y[differs], linestyle="none", marker="o", markersize=7,
                color=color, zorder=3, gid="subgroup-estimates")  # fmt: skip
        ax.plot(
            est[~differs], y[~differs], linestyle="none", marker="o", markersize=7,
            markerfacecolor="white", markeredgecolor=color, markeredgewidth=1.6, zorder=3,
            gid="subgroup-estimates-overlap",
        )  # fmt: skip
        if ref is not None and differs.any():
            handles.append(Line2D([], [], linestyle="none", marker="o", color=color,
                                  label="Interval excludes overall"))  # fmt: skip
        if ref is not None and not differs.all():
            handles.append(Line2D([], [], linestyle="none", marker="o", markerfacecolor="white",
                                  markeredgecolor=color, markeredgewidth=1.6,
                                  label="Includes overall"))  # fmt: skip
        _finish_interval_rows(
            ax, y, est, low, high, pct=pct, xlabel=xlabel, value_labels=value_labels,
            title=title, handles=handles,
        )  # fmt: skip
    return ax


def _overall(overall: Any, context: str) -> tuple[float | None, float | None, float | None]:
    """Reference value and optional interval from a number or an Effect-like object."""
    if overall is None:
        return None, None, None
    if hasattr(overall, "estimate"):
        low, high = getattr(overall, "ci_low", None), getattr(overall, "ci_high", None)
        return (
            _finite(overall.estimate, "overall.estimate", context),
            None if low is None else _finite(low, "overall.ci_low", context),
            None if high is None else _finite(high, "overall.ci_high", context),
        )
    return _finite(overall, "overall", context), None, None


def _finite(value: Any, name: str, context: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise DataError(f"{context}: {name} must be a number, got {value!r}") from None
    if not np.isfinite(number):
        raise DataError(f"{context}: {name} must be finite, got {value!r}")
    return number
