"""Effect forest plot with the minimum-meaningful-change band."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from ..errors import DataError
from ._inputs import _interval_rows, _num, _table
from ._layout import _category_axes, _finish_interval_rows, _xerr
from ._style import _INK, OKABE_ITO, style
from ._text import _value_text

__all__ = ["forest"]


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
