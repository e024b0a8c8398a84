"""Interrupted time series with the counterfactual after the intervention
(Lopez Bernal, Cummins & Gasparrini 2017, *Int J Epidemiol* 46:348)."""

from __future__ import annotations

from typing import Any

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .._frames import numeric_array
from ..errors import DataError
from ._inputs import _num, _table
from ._layout import _axes, _grid, _legend_above, _set_title
from ._style import _INK, OKABE_ITO, style
from ._text import _plain

__all__ = ["its"]


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
            ax.set_xlabel(_plain(xlabel))
        if ylabel:
            ax.set_ylabel(_plain(ylabel))
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
