"""How often and how correctly a product is used: usage intensity and fidelity.

Both are RE-AIM's *implementation* dimension (Glasgow, Vogt & Boles 1999; Glasgow et al.
2019); correct use is also the *quality* factor of effective coverage (Ng et al. 2014).

Cochran WG (1977). *Sampling Techniques*, 3rd ed., §6.4 (ratio estimator variance).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._checks import check_confidence
from .._display import fmt, fmt_ci, fmt_pct
from .._frames import as_pandas, binary_column, describe_ids, require_columns
from .._intervals import mean_t_interval, t_quantile, wilson
from ..errors import DataError, EstimationError, describe_rows
from ..results import Result
from ._shared import check_unit_ids, group_values, unit_ids

__all__ = ["UsageIntensity", "usage_intensity", "Fidelity", "fidelity"]


def _group_of_units(frame: pd.DataFrame, unit: str, by: str) -> pd.Series:
    """The group of each unit; error if a unit appears in more than one group."""
    group_values(frame, by)
    n_groups = frame.groupby(unit, sort=False)[by].nunique()
    mixed = n_groups[n_groups > 1]
    if len(mixed):
        shown = ", ".join(str(u) for u in mixed.index[:10])
        raise DataError(
            f"group column {by!r} must be constant within each {unit}; {unit} {shown} "
            "appear in more than one group"
        )
    return frame.groupby(unit, sort=False)[by].first()


# --------------------------------------------------------------------------- usage intensity


_SPREAD_COLUMNS = (
    "mean",
    "ci_low",
    "ci_high",
    "se",
    "sd",
    "median",
    "q25",
    "q75",
    "n_units",
)


@dataclass(frozen=True, eq=False, repr=False)
class UsageIntensity(Result):
    """Adherence: share of days (or sessions) with use, per unit, averaged across units.

    Attributes
    ----------
    mean, ci_low, ci_high, se
        Mean of the per-unit shares and its t interval (units are the independent
        observations), clipped to [0, 1].
    sd, median, q25, q75
        Spread of the per-unit shares (the distribution is in ``per_unit``).
    basis
        ``"days"`` (with ``date``: distinct days with use / days in the window) or
        ``"sessions"`` (share of the unit's rows with use).
    per_unit
        ``unit, share, n_periods`` (and ``group``).
    groups
        Same numbers per group, or ``None``.
    """

    mean: float
    ci_low: float
    ci_high: float
    se: float
    sd: float
    median: float
    q25: float
    q75: float
    n_units: int
    confidence: float
    basis: str
    per_unit: pd.DataFrame
    groups: pd.DataFrame | None = None
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """One row for all units, then one per group."""
        row = {k: getattr(self, k) for k in _SPREAD_COLUMNS}
        overall = pd.DataFrame([{"group": "all", **row}])
        if self.groups is None:
            return overall
        return pd.concat([overall, self.groups], ignore_index=True)

    def summary(self) -> str:
        """Plain-words sentence."""
        what = "days" if self.basis == "days" else "sessions"
        return (
            f"On average units used it on {fmt_pct(self.mean)} of {what} "
            f"({fmt_ci(self.ci_low, self.ci_high, confidence=self.confidence, pct=True)}, "
            f"{self.n_units:,} units; median {fmt_pct(self.median)}, "
            f"quartiles {fmt_pct(self.q25)}–{fmt_pct(self.q75)})."
        )

    def __repr__(self) -> str:
        return (
            f"UsageIntensity(mean={fmt(self.mean)} [{fmt(self.ci_low)}, {fmt(self.ci_high)}], "
            f"n_units={self.n_units}, basis={self.basis!r})"
        )

    def _title(self) -> str:
        return "Usage intensity (adherence)"


def _spread(shares: np.ndarray, confidence: float, what: str) -> dict[str, Any]:
    """Mean with its t interval (clipped to [0, 1]) and the spread of per-unit shares."""
    if len(shares) < 2:
        raise EstimationError(f"{what}: need at least two units for an interval, got {len(shares)}")
    mean, se, low, high = mean_t_interval(shares, confidence)
    q25, median, q75 = np.quantile(shares, [0.25, 0.5, 0.75])
    return {
        "mean": mean,
        "ci_low": max(low, 0.0),
        "ci_high": min(high, 1.0),
        "se": se,
        "sd": float(shares.std(ddof=1)),
        "median": float(median),
        "q25": float(q25),
        "q75": float(q75),
        "n_units": len(shares),
    }


def _check_window(window: Any) -> tuple[pd.Timestamp, pd.Timestamp]:
    if isinstance(window, str) or not isinstance(window, Sequence) or len(window) != 2:
        raise DataError(f"window must be a (start, end) pair of dates, got {window!r}")
    try:
        start, end = (pd.Timestamp(w).normalize() for w in window)
    except (TypeError, ValueError):
        raise DataError(f"window must be a (start, end) pair of dates, got {window!r}") from None
    if end < start:
        raise DataError(f"window ends ({end.date()}) before it starts ({start.date()})")
    return start, end


def _window(
    frame: pd.DataFrame, date: str, window: Any
) -> tuple[pd.Series, pd.Timestamp, pd.Timestamp]:
    """The rows' days (dates normalised to midnight) and the window's first and last day."""
    raw = frame[date]
    try:
        dates = pd.to_datetime(raw, errors="coerce")
    except (TypeError, ValueError):
        raise DataError(f"date column {date!r} cannot be read as dates") from None
    bad = dates.isna().to_numpy()
    if bad.any():
        raise DataError(
            f"date column {date!r} has missing or unreadable dates at "
            f"{describe_rows(frame.index[bad])}"
        )
    days = dates.dt.normalize()
    if window is None:
        return days, days.min(), days.max()
    start, end = _check_window(window)
    return days, start, end


def _unit_shares(
    frame: pd.DataFrame, unit: str, use: np.ndarray, date: str | None, window: Any
) -> pd.DataFrame:
    """``unit, share, n_periods`` per unit, by sessions (no ``date``) or distinct days."""
    units = pd.unique(frame[unit])
    if date is None:
        if window is not None:
            raise DataError("usage_intensity: window= needs date= (the column of dates)")
        grouped = pd.DataFrame({"unit": frame[unit].to_numpy(), "used": use}).groupby(
            "unit", sort=False
        )["used"]
        share = grouped.mean().reindex(units)
        n_periods = grouped.size().reindex(units)
    else:
        days, start, end = _window(frame, date, window)
        n_days = int((end - start).days) + 1
        inside = ((days >= start) & (days <= end)).to_numpy() & use
        used_days = (
            pd.DataFrame({"unit": frame[unit].to_numpy()[inside], "day": days.to_numpy()[inside]})
            .drop_duplicates()
            .groupby("unit", sort=False)
            .size()
        )
        share = (used_days.reindex(units, fill_value=0) / n_days).astype(float)
        n_periods = pd.Series(n_days, index=units)
    return pd.DataFrame(
        {
            "unit": units,
            "share": share.to_numpy(dtype=float),
            "n_periods": n_periods.to_numpy(dtype=int),
        }
    )


def usage_intensity(
    data: pd.DataFrame,
    unit: str,
    used: str,
    *,
    window: tuple[Any, Any] | None = None,
    date: str | None = None,
    by: str | None = None,
    confidence: float = 0.95,
) -> UsageIntensity:
    """Share of days (or sessions) with use per unit — adherence — averaged across units.

    Part of RE-AIM's *implementation* dimension (Glasgow et al. 1999; 2019 review).

    Parameters
    ----------
    data
        Long data: one row per unit and day (with ``date``) or per session/opportunity.
    unit
        Column of unit ids (person, household, device).  Units are the independent
        observations: the interval is a t interval (df = units − 1) of the per-unit shares
        (:func:`impactkit._intervals.mean_t_interval`).
    used
        Column 0/1 or bool: was it used that day / in that session.
    date, window
        With ``date``: a unit's share is the number of distinct days with use inside
        ``window = (start, end)`` (both inclusive; default the first to the last date in the
        data) divided by the number of days in the window; days without a row count as no use
        and a unit with no row in the window has share 0.  Without ``date``: the share of the
        unit's rows with use (``window`` must then be ``None``).
    by
        Optional group column (constant within each unit).
    confidence
        Level of the t interval (clipped to [0, 1]).
    """
    confidence = check_confidence(confidence)
    frame = as_pandas(data, "usage_intensity")
    cols = [unit, used] + ([date] if date else []) + ([by] if by else [])
    require_columns(frame, cols, "usage_intensity")
    check_unit_ids(frame, unit)
    use = binary_column(frame[used], used, ids=pd.Index(frame[unit]), unit=unit).astype(bool)
    per_unit = _unit_shares(frame, unit, use, date, window)
    overall = _spread(per_unit["share"].to_numpy(), confidence, "usage_intensity")
    groups = None
    if by is not None:
        unit_group = _group_of_units(frame, unit, by)
        per_unit["group"] = unit_group.reindex(pd.unique(frame[unit])).to_numpy()
        rows = []
        for g in group_values(frame, by):
            shares = per_unit.loc[per_unit["group"] == g, "share"].to_numpy()
            rows.append(
                {
                    "group": g,
                    **_spread(shares, confidence, f"usage_intensity group {g!s}"),
                }
            )
        groups = pd.DataFrame(rows)
    return UsageIntensity(
        confidence=confidence,
        basis="sessions" if date is None else "days",
        per_unit=per_unit,
        groups=groups,
        **overall,
    )


# --------------------------------------------------------------------------- fidelity


@dataclass(frozen=True, eq=False, repr=False)
class Fidelity(Result):
    """Share of uses done correctly (RE-AIM *implementation*: fidelity).

    ``method`` says which interval: Wilson score (uses independent) or the ratio estimator
    with a cluster-robust standard error across units.
    """

    share: float
    ci_low: float
    ci_high: float
    n_uses: int
    n_correct: int
    n_units: int | None
    confidence: float
    method: str
    se: float | None = None
    groups: pd.DataFrame | None = None
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """One row for all uses, then one per group."""
        row = {
            "group": "all",
            "share": self.share,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "se": self.se,
            "n_uses": self.n_uses,
            "n_correct": self.n_correct,
            "n_units": self.n_units,
        }
        overall = pd.DataFrame([row])
        if self.groups is None:
            return overall
        return pd.concat([overall, self.groups], ignore_index=True)

    def summary(self) -> str:
        """Plain-words sentence."""
        units = f" by {self.n_units:,} units" if self.n_units is not None else ""
        ci = fmt_ci(self.ci_low, self.ci_high, confidence=self.confidence, pct=True)
        return (
            f"{fmt_pct(self.share)} of {self.n_uses:,} uses{units} were done correctly "
            f"({ci}; {self.method})."
        )

    def __repr__(self) -> str:
        return (
            f"Fidelity(share={fmt(self.share)} [{fmt(self.ci_low)}, {fmt(self.ci_high)}], "
            f"n_uses={self.n_uses}, n_units={self.n_units})"
        )

    def _title(self) -> str:
        return "Fidelity (correct use)"


def _fidelity_numbers(
    correct: np.ndarray,
    uses: np.ndarray,
    units: np.ndarray | None,
    confidence: float,
    what: str,
) -> dict[str, Any]:
    """Share correct (Σ correct / Σ uses) with a Wilson or cluster-robust interval."""
    n = int(uses.sum())
    if n == 0:
        raise EstimationError(f"{what}: no uses")
    k = int(correct.sum())
    if units is None:
        low, high = wilson(k, n, confidence)
        return {
            "share": k / n,
            "ci_low": low,
            "ci_high": high,
            "se": None,
            "n_uses": n,
            "n_correct": k,
            "n_units": None,
        }
    totals = pd.DataFrame({"u": units, "y": correct, "m": uses}).groupby("u", sort=False)
    y, m = (
        totals["y"].sum().to_numpy(dtype=float),
        totals["m"].sum().to_numpy(dtype=float),
    )
    g = len(m)
    if g < 2:
        raise EstimationError(f"{what}: need at least two units for a cluster-robust interval")
    share = float(y.sum() / m.sum())
    se = math.sqrt(float(((y - share * m) ** 2).sum()) / (g * (g - 1) * m.mean() ** 2))
    half = t_quantile(confidence, g - 1) * se
    return {
        "share": share,
        "ci_low": max(share - half, 0.0),
        "ci_high": min(share + half, 1.0),
        "se": se,
        "n_uses": n,
        "n_correct": k,
        "n_units": g,
    }


def _use_counts(
    frame: pd.DataFrame, correct: str, uses: str, ids: pd.Index, unit: str | None
) -> tuple[np.ndarray, np.ndarray]:
    """Aggregated fidelity data: whole-number ``correct`` <= ``uses`` in every row."""
    out = []
    for col in (correct, uses):
        values = pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        bad = ~np.isfinite(values) | (values < 0) | (values != np.round(values))
        if bad.any():
            raise DataError(
                f"column {col!r} must hold non-negative whole numbers (counts of uses); "
                f"found {', '.join(repr(v) for v in frame[col][bad].head(3))} at "
                f"{describe_ids(ids, bad, unit)}"
            )
        out.append(values)
    over = out[0] > out[1]
    if over.any():
        raise DataError(
            f"column {correct!r} is larger than {uses!r} (more correct uses than uses) at "
            f"{describe_ids(ids, over, unit)}"
        )
    return out[0], out[1]


def _fidelity_groups(
    frame: pd.DataFrame,
    by: str,
    ok: np.ndarray,
    n_uses: np.ndarray,
    unit_arr: np.ndarray | None,
    confidence: float,
) -> pd.DataFrame:
    col = frame[by].to_numpy(dtype=object)
    rows = []
    for g in group_values(frame, by):
        mask = col == g
        sub_units = unit_arr[mask] if unit_arr is not None else None
        what = f"fidelity group {g!s}"
        numbers = _fidelity_numbers(ok[mask], n_uses[mask], sub_units, confidence, what)
        rows.append({"group": g, **numbers})
    return pd.DataFrame(rows)


def fidelity(
    data: pd.DataFrame,
    correct: str,
    *,
    unit: str | None = None,
    by: str | None = None,
    uses: str | None = None,
    confidence: float = 0.95,
) -> Fidelity:
    """Share of uses done correctly.

    Without ``unit`` the uses are treated as independent: Wilson score interval
    (:func:`impactkit._intervals.wilson`, validated against statsmodels
    ``proportion_confint(method="wilson")``).  With ``unit`` (several uses per
    person/household) the share is the ratio estimator Σy_i / Σm_i across units (y_i correct
    uses and m_i uses of unit i) and its standard error the linearised (cluster-robust) one,
    se² = Σ(y_i − p·m_i)² / (G(G − 1)·m̄²) (Cochran 1977, *Sampling Techniques*, §6.4; equal
    to the CR1 standard error of an intercept-only regression clustered by unit), with a t
    interval on G − 1 degrees of freedom clipped to [0, 1].  Correct use is the *quality*
    factor of effective coverage (Ng et al. 2014) and RE-AIM's fidelity (Glasgow et al. 1999).

    Parameters
    ----------
    data
        One row per use; or, with ``uses``, rows that each stand for several uses (e.g. one
        row per household from a usage logger).
    correct
        Column 0/1 or bool: was this use done correctly.  With ``uses``: the number of the
        row's uses done correctly.
    unit, by, confidence
        Cluster column, optional group column, interval level.
    uses
        Optional column with the number of uses each row stands for (aggregated data).
    """
    confidence = check_confidence(confidence)
    frame = as_pandas(data, "fidelity")
    needed = [correct] + [c for c in (unit, by, uses) if c is not None]
    require_columns(frame, needed, "fidelity")
    ids = unit_ids(frame, unit)
    if unit is not None:
        check_unit_ids(frame, unit)
    if uses is None:
        ok = binary_column(frame[correct], correct, ids=ids, unit=unit)
        n_uses = np.ones(len(frame))
    else:
        ok, n_uses = _use_counts(frame, correct, uses, ids, unit)
    unit_arr = frame[unit].to_numpy(dtype=object) if unit is not None else None
    method = (
        f"ratio estimator, cluster-robust interval across {unit} (t, G - 1 df)"
        if unit is not None
        else "Wilson score interval, uses independent"
    )
    overall = _fidelity_numbers(ok, n_uses, unit_arr, confidence, "fidelity")
    groups = None
    if by is not None:
        if unit is not None:
            _group_of_units(frame, unit, by)
        groups = _fidelity_groups(frame, by, ok, n_uses, unit_arr, confidence)
    return Fidelity(confidence=confidence, method=method, groups=groups, **overall)
