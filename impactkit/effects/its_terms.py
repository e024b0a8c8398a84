"""The terms and checks of interrupted-time-series models (used by :mod:`.its`).

- :func:`time_axis` — the model's time variable and t0 from numbers or dates;
- :func:`season_terms` — harmonic (Fourier) or dummy seasonal terms;
- :func:`check_series` — unique times and enough points before/after t0, per series;
- :func:`its_design` — the segmented-regression design, single or comparative.

The formulas follow Lopez Bernal, Cummins & Gasparrini (2017, 2018) and Bhaskaran et al.
(2013); each function's docstring says which.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from .._frames import numeric_array
from ..errors import DataError, EstimationError, describe_rows

__all__ = ["TimeAxis", "time_axis", "season_terms", "check_series", "its_design"]


def _month_index(values: pd.Series) -> np.ndarray:
    """Dates -> absolute month index year·12 + month − 1 (so index mod 12 = month − 1)."""
    dt = pd.to_datetime(values)
    return (dt.dt.year * 12 + dt.dt.month - 1).to_numpy(dtype=float)


class TimeAxis(NamedTuple):
    """``clock``: the season clock (calendar month index for dates, else the time values);
    ``tvar`` / ``t0``: the model's time variable and the intervention on it; ``words``:
    what the time variable is, for the method text."""

    clock: np.ndarray
    tvar: np.ndarray
    t0: float
    words: str


def time_axis(raw_time: pd.Series, intervention: Any, time: str, context: str) -> TimeAxis:
    """Numeric time as given, or dates as months since the first observation (whole
    months, year·12 + month − 1), with ``intervention`` converted the same way."""
    if raw_time.isna().any():
        raise DataError(
            f"{context}: time column {time!r} has missing values at "
            f"{describe_rows(raw_time.index[raw_time.isna()])}"
        )
    if pd.api.types.is_datetime64_any_dtype(raw_time):
        clock = _month_index(raw_time)
        try:
            t0_clock = float(_month_index(pd.Series([intervention]))[0])
        except (ValueError, TypeError) as err:
            raise DataError(
                f"{context}: intervention {intervention!r} is not a date, but {time!r} holds dates"
            ) from err
        origin = clock.min()
        return TimeAxis(
            clock, clock - origin, t0_clock - origin, "months since the first observation"
        )
    clock = numeric_array(raw_time, f"{context}: time {time!r}")
    try:
        t0 = float(intervention)
    except (TypeError, ValueError) as err:
        raise DataError(
            f"{context}: intervention must be a number when {time!r} is numeric, "
            f"got {intervention!r}"
        ) from err
    return TimeAxis(clock, clock, t0, str(time))


def season_terms(
    clock: np.ndarray, seasonality: int | str | Mapping[str, Any]
) -> tuple[pd.DataFrame, str]:
    """Harmonic (Fourier) or dummy seasonal terms on the season clock.

    ``int k`` or ``{"harmonics": k, "period": P}``: sin/cos(2π j·clock/P), j = 1..k
    (Bhaskaran et al. 2013; the ``harmonic()`` of R's tsModel used by Lopez Bernal et al.
    2017).  ``"month"`` (or ``{"dummies": True, "period": P}``): indicators of
    clock mod P, first level dropped.
    """
    period = 12
    if isinstance(seasonality, Mapping):
        period = int(seasonality.get("period", 12))
        if seasonality.get("dummies"):
            seasonality = "month"
        else:
            seasonality = int(seasonality.get("harmonics", 1))
    if period < 2:
        raise DataError(f"seasonality period must be at least 2, got {period}")
    if seasonality == "month":
        season = np.mod(np.round(clock), period).astype(int)
        cols = {f"season={s}": (season == s).astype(float) for s in sorted(set(season))[1:]}
        return pd.DataFrame(cols), f"seasonal dummies (period {period})"
    if isinstance(seasonality, bool) or not isinstance(seasonality, int) or seasonality < 1:
        raise DataError(
            "seasonality must be a positive number of harmonics, 'month', or a dict like "
            f"{{'harmonics': 2, 'period': 12}}; got {seasonality!r}"
        )
    if 2 * seasonality > period:
        raise DataError(f"at most {period // 2} harmonics fit a period of {period}")
    harmonics: dict[str, np.ndarray] = {}
    for j in range(1, seasonality + 1):
        harmonics[f"sin{j}"] = np.sin(2 * np.pi * j * clock / period)
        if 2 * j < period:  # cos(pi·clock) at j = P/2 would be the only non-zero term
            harmonics[f"cos{j}"] = np.cos(2 * np.pi * j * clock / period)
    return pd.DataFrame(harmonics), f"{seasonality} harmonic pair(s) (period {period})"


def _check_unique_times(
    frame: pd.DataFrame,
    tvar: np.ndarray,
    series: np.ndarray | None,
    control: str | None,
    context: str,
) -> None:
    keys = pd.DataFrame({"time": tvar, "series": 1.0 if series is None else series})
    dupes = keys.duplicated(keep=False).to_numpy()
    if dupes.any():
        within = "" if control is None else " within each series of control column " + repr(control)
        raise DataError(
            f"{context}: time values must be unique{within} (one row per period); repeated at "
            f"{describe_rows(frame.index[dupes])}"
        )


def check_series(
    frame: pd.DataFrame,
    tvar: np.ndarray,
    post: np.ndarray,
    series: np.ndarray | None,
    control: str | None,
    slope_change: bool,
    context: str,
) -> None:
    """Unique times and enough points before/after t0, within each series.

    ``series`` is 1 for the intervention series and 0 for the control series (``None``
    for a single series).  Each series needs 3 points before t0 and 2 from t0 on (1
    without a slope change).
    """
    _check_unique_times(frame, tvar, series, control, context)
    min_post = 2 if slope_change else 1
    if series is None:
        n_pre, n_post = int((post == 0).sum()), int(post.sum())
        if n_pre < 3 or n_post < min_post:
            raise EstimationError(
                f"{context}: need at least 3 time points before and "
                f"{min_post} after the intervention; got {n_pre} and {n_post}"
            )
        return
    for value, name in ((1.0, "intervention"), (0.0, "control")):
        rows = series == value
        code = int(value == 0.0)
        n_pre, n_post = int((rows & (post == 0)).sum()), int((rows & (post == 1)).sum())
        if n_pre == 0 or n_post == 0:
            side = "before" if n_pre == 0 else "at or after"
            raise DataError(
                f"{context}: the {name} series (rows with {control!r} = {code}) has no rows "
                f"{side} the intervention; both series must span it"
            )
        if n_pre < 3 or n_post < min_post:
            raise EstimationError(
                f"{context}: the {name} series ({control!r} = {code}) needs at least 3 time "
                f"points before and {min_post} after the intervention; got {n_pre} and {n_post}"
            )


def its_design(
    tvar: np.ndarray, t0: float, series: np.ndarray | None, slope_change: bool
) -> pd.DataFrame:
    """Segmented-regression design; the effect columns are always named ``level_change``
    and ``slope_change``.

    Single series: const, time, level_change = post, slope_change = (t − t0)·post.
    Comparative (``series`` = G, 1 for the intervention series): const, time, post,
    time_since, series, series:time, level_change = G·post, slope_change = G·(t − t0)·post
    (b0..b7 of Lopez Bernal, Cummins & Gasparrini 2018).
    """
    post = (tvar >= t0).astype(float)
    since = (tvar - t0) * post
    if series is None:
        X = pd.DataFrame({"const": 1.0, "time": tvar, "level_change": post})
        if slope_change:
            X["slope_change"] = since
        return X
    X = pd.DataFrame({"const": 1.0, "time": tvar, "post": post})
    if slope_change:
        X["time_since"] = since
    X["series"] = series
    X["series:time"] = series * tvar
    X["level_change"] = series * post
    if slope_change:
        X["slope_change"] = series * since
    return X
