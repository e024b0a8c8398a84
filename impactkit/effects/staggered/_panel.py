"""Input checks and the wide balanced panel used by :func:`impactkit.effects.staggered.staggered_did`.

Every check raises a named :mod:`impactkit.errors` exception that says which column, which
units or periods, and what was expected.  The caller's frame is never modified.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..._checks import require_columns
from ...errors import DataError, EstimationError

__all__ = ["Panel", "build_panel"]

CONTEXT = "staggered_did"


@dataclass(frozen=True)
class Panel:
    """A balanced panel in wide form.

    ``y[i, j]`` is unit ``units[i]``'s outcome in period ``periods[j]``; ``cohort[i]`` its
    first treated period (0 = never treated); ``cluster[i]`` an optional cluster code.
    ``dropped`` counts units dropped because they were treated in the first period.
    """

    y: np.ndarray
    units: np.ndarray
    periods: np.ndarray
    cohort: np.ndarray
    cluster: np.ndarray | None
    dropped: int


def _plain(v: object) -> object:
    v = v.item() if isinstance(v, np.generic) else v
    return int(v) if isinstance(v, float) and v.is_integer() else v


def _describe(values: Sequence[object], limit: int = 8) -> str:
    shown = ", ".join(repr(_plain(v)) for v in values[:limit])
    more = f" (and {len(values) - limit} more)" if len(values) > limit else ""
    return shown + more


def _check_numeric(frame: pd.DataFrame, column: str, what: str) -> pd.Series:
    s = frame[column]
    if pd.api.types.is_bool_dtype(s):
        raise DataError(f"{CONTEXT}: {what} column {column!r} must be numeric, not boolean")
    num = pd.to_numeric(s, errors="coerce")
    bad = num.isna() & s.notna()
    if bad.any():
        raise DataError(
            f"{CONTEXT}: {what} column {column!r} must be numeric; found "
            f"{_describe(list(s[bad].unique()))} in rows {_describe(list(frame.index[bad]))}"
        )
    missing = num.isna()
    if missing.any():
        raise DataError(
            f"{CONTEXT}: {what} column {column!r} has missing values in rows "
            f"{_describe(list(frame.index[missing]))}; drop those units or impute first"
        )
    if not np.isfinite(num.to_numpy(dtype=float)).all():
        raise DataError(f"{CONTEXT}: {what} column {column!r} has infinite values")
    return num.astype(float)


def _check_no_missing(frame: pd.DataFrame, column: str, what: str) -> None:
    missing = frame[column].isna()
    if missing.any():
        raise DataError(
            f"{CONTEXT}: {what} column {column!r} has missing values in rows "
            f"{_describe(list(frame.index[missing]))}"
        )


def _check_constant_within_unit(
    frame: pd.DataFrame, unit: str, column: str, what: str
) -> pd.Series:
    """The per-unit value of ``column``; a DataError names units where it changes."""
    n_distinct = frame.groupby(unit, sort=True)[column].nunique(dropna=False)
    changing = n_distinct.index[n_distinct > 1]
    if len(changing):
        example = changing[0]
        seen = sorted(frame.loc[frame[unit] == example, column].unique().tolist())
        raise DataError(
            f"{CONTEXT}: {what} column {column!r} changes within unit(s) "
            f"{_describe(list(changing))} of {unit!r} (unit {example!r} has {seen}); "
            f"{what} must be one value per unit"
        )
    return frame.groupby(unit, sort=True)[column].first()


def _check_unique_rows(frame: pd.DataFrame, unit: str, time: str) -> None:
    dup = frame.duplicated([unit, time], keep=False)
    if dup.any():
        pairs = frame.loc[dup, [unit, time]].drop_duplicates().itertuples(index=False)
        shown = _describe([f"{u}@{t}" for u, t in pairs])
        raise DataError(
            f"{CONTEXT}: more than one row per unit and period ({unit!r} @ {time!r}): "
            f"{shown}; the panel must have one row per unit and period"
        )


def _check_balanced(frame: pd.DataFrame, unit: str, time: str) -> None:
    units = frame[unit].unique()
    periods = np.sort(frame[time].unique())
    if len(frame) == len(units) * len(periods):
        return
    full = pd.MultiIndex.from_product([units, periods], names=[unit, time])
    have = pd.MultiIndex.from_frame(frame[[unit, time]])
    missing = full.difference(have)
    shown = _describe([f"{u}@{t:g}" for u, t in missing])
    n_units = len({u for u, _ in missing})
    raise DataError(
        f"{CONTEXT}: unbalanced panel: {len(missing)} unit-period row(s) are missing "
        f"({n_units} unit(s) of {unit!r} not observed in every period of {time!r}): {shown}. "
        "The estimator needs every unit in every period; drop incomplete units or fill them"
    )


def _check_cohorts(cohort: pd.Series, periods: np.ndarray, column: str) -> None:
    treated = cohort[cohort != 0]
    early = treated[treated < periods[0]]
    if len(early):
        raise DataError(
            f"{CONTEXT}: unit(s) {_describe(list(early.index))} have {column!r} = "
            f"{_describe(sorted(early.unique()))}, before the first period {periods[0]:g}: "
            "they were treated before the panel starts and have no untreated period"
        )
    valid = set(periods.tolist())
    off = treated[~treated.isin(valid)]
    if len(off):
        raise DataError(
            f"{CONTEXT}: {column!r} value(s) {_describe(sorted(off.unique()))} (unit(s) "
            f"{_describe(list(off.index))}) are not periods of the data "
            f"({_describe(list(periods))}); {column!r} must be the first treated period, "
            "or 0 for never treated (code units first treated after the panel ends as 0)"
        )


def _drop_first_period(
    cohort: pd.Series, periods: np.ndarray, anticipation: float
) -> tuple[pd.Series, int]:
    """Units treated in the first period (+ anticipation) have no pre-period (R ``did`` drops
    them with a warning; so do we, with a note)."""
    first = cohort[(cohort != 0) & (cohort <= periods[0] + anticipation)]
    return cohort.drop(first.index), len(first)


def check_options(control: str, base_period: str, anticipation: Any) -> float:
    """Validate the estimator options; return ``anticipation`` as a float."""
    if control not in ("never", "not_yet"):
        raise DataError(f"{CONTEXT}: control must be 'never' or 'not_yet', got {control!r}")
    if base_period not in ("varying", "universal"):
        raise DataError(
            f"{CONTEXT}: base_period must be 'varying' or 'universal', got {base_period!r}"
        )
    try:
        value = float(anticipation)
    except (TypeError, ValueError):
        raise DataError(f"{CONTEXT}: anticipation must be a number >= 0") from None
    if not np.isfinite(value) or value < 0:
        raise DataError(f"{CONTEXT}: anticipation must be a number >= 0, got {anticipation!r}")
    return value


def build_panel(
    data: pd.DataFrame,
    outcome: str,
    *,
    unit: str,
    time: str,
    cohort: str,
    anticipation: float,
    control: str,
    cluster: str | None = None,
) -> Panel:
    """Check the long panel and return it in wide form (units sorted by ``unit``)."""
    cols = [outcome, unit, time, cohort] + ([cluster] if cluster else [])
    require_columns(data, cols, CONTEXT)
    frame = data.loc[:, list(dict.fromkeys(cols))].copy()
    _check_no_missing(frame, unit, "unit")
    frame[outcome] = _check_numeric(frame, outcome, "outcome")
    frame[time] = _check_numeric(frame, time, "time")
    frame[cohort] = _check_numeric(frame, cohort, "cohort")
    _check_unique_rows(frame, unit, time)
    _check_balanced(frame, unit, time)
    periods = np.sort(frame[time].unique())
    if len(periods) < 2:
        raise EstimationError(f"{CONTEXT}: need at least two periods in {time!r}")
    g = _check_constant_within_unit(frame, unit, cohort, "cohort")
    clusters: pd.Series | None = None
    if cluster:
        _check_no_missing(frame, cluster, "cluster")
        clusters = _check_constant_within_unit(frame, unit, cluster, "cluster")
    _check_cohorts(g, periods, cohort)
    g, dropped = _drop_first_period(g, periods, anticipation)
    if not (g != 0).any():
        raise EstimationError(
            f"{CONTEXT}: no unit is treated after the first period (column {cohort!r}); "
            "nothing to estimate"
        )
    if control == "never" and not (g == 0).any():
        raise DataError(
            f"{CONTEXT}: control='never' needs never-treated units ({cohort!r} = 0), and "
            "there are none; use control='not_yet' to compare with not-yet-treated units"
        )
    wide = frame.pivot(index=unit, columns=time, values=outcome).loc[g.index, periods]
    return Panel(
        y=wide.to_numpy(dtype=float),
        units=g.index.to_numpy(),
        periods=periods.astype(float),
        cohort=g.to_numpy(dtype=float),
        cluster=None if clusters is None else pd.factorize(clusters.loc[g.index])[0],
        dropped=dropped,
    )
