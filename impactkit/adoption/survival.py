"""Sustained use: Kaplan–Meier survival of continued use, log-rank comparison of groups.

Kaplan EL, Meier P (1958). Nonparametric estimation from incomplete observations. *JASA* 53.
Greenwood M (1926). The natural duration of cancer. *Reports on Public Health and Medical
Subjects* 33.
Pocock SJ, Clayton TC, Altman DG (2002). Survival plots of time-to-event outcomes in clinical
trials: good practice and pitfalls. *Lancet* 359:1686–9.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._checks import check_confidence
from .._display import fmt, fmt_ci, fmt_p, fmt_pct
from .._frames import as_pandas, binary_column, require_columns
from .._intervals import loglog_survival_interval
from ..errors import DataError, describe_rows
from ..results import Result
from ._shared import NAN, charts, group_values, label, time_words
from .logrank import logrank

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["SurvivalAt", "SustainedUse", "sustained_use"]


@dataclass(frozen=True)
class SurvivalAt(Result):
    """Share still using at ``time`` (Kaplan–Meier) with its log-log interval."""

    time: float
    survival: float
    ci_low: float
    ci_high: float
    at_risk: int
    group: Hashable = "all"
    confidence: float = 0.95
    time_unit: str = "days"
    notes: tuple[str, ...] = field(default=(), repr=False, compare=False)

    def to_frame(self) -> pd.DataFrame:
        """One tidy row."""
        names = [k for k in self.__dataclass_fields__ if k != "notes"]
        return pd.DataFrame([{k: getattr(self, k) for k in names}])

    def summary(self) -> str:
        """Plain-words sentence."""
        ci = fmt_ci(self.ci_low, self.ci_high, confidence=self.confidence, pct=True)
        return (
            f"At {time_words(self.time)} {self.time_unit}, {fmt_pct(self.survival)} of group "
            f"{self.group!s} were "
            f"still using it ({ci}; "
            f"{self.at_risk:,} still under observation)."
        )

    def _title(self) -> str:
        return "Sustained use at a time point"


# --------------------------------------------------------------------------- Kaplan–Meier


@dataclass(frozen=True)
class _KMFit:
    times: np.ndarray  # event times
    surv: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    n_risk: np.ndarray
    n_events: np.ndarray
    durations: np.ndarray  # every unit's duration (to count those at risk)
    status: np.ndarray
    median: float | None


def _km_fit(duration: np.ndarray, status: np.ndarray, confidence: float) -> _KMFit:
    """Kaplan–Meier via statsmodels ``SurvfuncRight`` (Greenwood SEs), log-log intervals."""
    from statsmodels.duration.survfunc import SurvfuncRight

    sf = SurvfuncRight(duration, status)
    surv = np.asarray(sf.surv_prob, dtype=float)
    se = np.asarray(sf.surv_prob_se, dtype=float)
    low, high = loglog_survival_interval(surv, se, confidence)
    med = float(sf.quantile(0.5))
    return _KMFit(
        times=np.asarray(sf.surv_times, dtype=float),
        surv=surv,
        ci_low=low,
        ci_high=high,
        n_risk=np.asarray(sf.n_risk, dtype=int),
        n_events=np.asarray(sf.n_events, dtype=int),
        durations=duration,
        status=status,
        median=None if math.isnan(med) else med,
    )


def _km_at(fit: _KMFit, t: float) -> tuple[float, float, float, int]:
    """S(t), interval and number at risk at ``t`` (NaN beyond the last follow-up)."""
    at_risk = int((fit.durations >= t).sum())
    idx = int(np.searchsorted(fit.times, t, side="right")) - 1
    if idx < 0:
        s, lo, hi = 1.0, 1.0, 1.0
    else:
        s, lo, hi = (
            float(fit.surv[idx]),
            float(fit.ci_low[idx]),
            float(fit.ci_high[idx]),
        )
    if t > fit.durations.max() and s > 0:
        return NAN, NAN, NAN, 0
    return s, lo, hi, at_risk


_FEW_AT_RISK_MIN = 10
_FEW_AT_RISK_SHARE = 0.05


def _few_at_risk_threshold(n_start: int) -> float:
    """Fewest users still followed for a reliable horizon: max(10, 5 % of those who started).

    Below it, the Kaplan–Meier estimate rests on a handful of people and its Greenwood
    interval is unreliable (the tail of the curve; Pocock, Clayton & Altman 2002, *Lancet*
    359:1686–9, advise against reading curves where few remain at risk).
    """
    return max(float(_FEW_AT_RISK_MIN), _FEW_AT_RISK_SHARE * n_start)


def _few_at_risk(at_risk: int, n_start: int) -> bool:
    """True when ``at_risk`` is below :func:`_few_at_risk_threshold` of ``n_start``."""
    return at_risk < _few_at_risk_threshold(n_start)


# --------------------------------------------------------------------------- result


@dataclass(frozen=True, eq=False, repr=False)
class SustainedUse(Result):
    """Kaplan–Meier survival of continued use (Kaplan & Meier 1958).

    The "event" is abandonment; units still using at the end of follow-up are censored.
    Intervals are pointwise, from Greenwood's (1926) variance on the log(-log) scale.

    Attributes
    ----------
    table
        ``group, horizon, survival, ci_low, ci_high, at_risk, few_at_risk, time_unit`` at each
        horizon; survival is NaN for a horizon beyond the group's last follow-up (unless
        everyone had abandoned).  ``few_at_risk`` is True where fewer than
        max(10, 5 % of the group's users) are still followed (see :func:`sustained_use`);
        ``notes`` names those horizons.
    curves
        ``group, time, survival, ci_low, ci_high, at_risk, events`` — the step curve (first
        row time 0, survival 1), for :func:`impactkit.charts.survival`.
    censored
        ``group, time, survival`` at each censoring time (tick marks).
    logrank_chi2, logrank_df, logrank_p
        Log-rank test across groups (statsmodels ``survdiff``); NaN without two groups.
    medians
        Median time to abandonment per group (``None`` when survival never drops below
        0.5); statsmodels' convention: the first event time with S(t) < 0.5.
    time_unit
        The unit of durations, horizons and medians in sentences (default ``"days"``).
    """

    table: pd.DataFrame
    curves: pd.DataFrame
    censored: pd.DataFrame
    medians: Mapping[Hashable, float | None]
    overall_median: float | None
    horizons: tuple[float, ...]
    confidence: float
    by: str | None
    n: int
    n_abandoned: int
    logrank_chi2: float = NAN
    logrank_df: int = 0
    logrank_p: float = NAN
    notes: tuple[str, ...] = ()
    _fits: Mapping[Hashable, _KMFit] = field(default_factory=dict)
    time_unit: str = "days"

    @property
    def groups(self) -> list[Hashable]:
        """Group labels (``["all"]`` without ``by``)."""
        return [g for g in self._fits if g is not None] or ["all"]

    @property
    def median(self) -> float | None | dict[Hashable, float | None]:
        """Median time to abandonment; ``None`` when not reached; a dict per group with
        ``by``."""
        if self.by is None:
            return self.overall_median
        return dict(self.medians)

    def at(self, t: float, group: Hashable | None = None) -> SurvivalAt:
        """Share still using at time ``t`` (pooled, or for ``group``) with its interval."""
        t = float(t)
        if not math.isfinite(t) or t < 0:
            raise DataError(f"time must be a non-negative number, got {t!r}")
        key = None if group is None or (self.by is None and group == "all") else group
        if key not in self._fits:
            raise DataError(f"unknown group {group!r}; groups are {self.groups}")
        s, lo, hi, at_risk = _km_at(self._fits[key], t)
        shown = "all" if key is None else key
        return SurvivalAt(t, s, lo, hi, at_risk, shown, self.confidence, self.time_unit)

    def to_frame(self) -> pd.DataFrame:
        """The horizon table."""
        return self.table.copy()

    def summary(self) -> str:
        """Plain words: share still using at the last reliable horizon, median, group test.

        The horizon is the largest one where enough users are still followed (not
        ``few_at_risk`` for all users pooled); when there is none, the first horizon inside
        the follow-up, saying how few were still followed.  With groups a second sentence
        says whether use lasts differently across them (log-rank p below 1 − confidence).
        """
        unit = self.time_unit
        parts = []
        chosen = self._summary_horizon()
        if chosen is not None:
            at, reliable = chosen
            ci = fmt_ci(at.ci_low, at.ci_high, confidence=self.confidence, pct=True)
            text = (
                f"{fmt_pct(at.survival)} were still using it at {time_words(at.time)} {unit} ({ci}"
            )
            text += ")" if reliable else f"; only {at.at_risk:,} still followed then)"
            parts.append(text)
        elif self.horizons:
            parts.append(
                f"follow-up ends before the first horizon, {time_words(self.horizons[0])} {unit}"
            )
        med = self.overall_median
        parts.append(
            f"median time to abandonment {time_words(med)} {unit}"
            if med is not None
            else "the median was not reached"
        )
        sentence = (
            f"Of {self.n:,} users ({self.n_abandoned:,} abandoned), " + "; ".join(parts) + "."
        )
        return sentence + self._logrank_words()

    def _logrank_words(self) -> str:
        """The group sentence of :meth:`summary` (with its leading space), or ``""``."""
        if self.by is None or self.logrank_df <= 0 or math.isnan(self.logrank_p):
            return ""
        test = f"(log-rank test, {fmt_p(self.logrank_p)})"
        groups = f"{label(self.by)} groups"
        if self.logrank_p < 1 - self.confidence:
            return f" Use lasts differently across {groups} {test}."
        return f" No clear difference in how long use lasts across {groups} {test}."

    def _summary_horizon(self) -> tuple[SurvivalAt, bool] | None:
        """The pooled estimate the summary reports and whether enough users are followed."""
        pooled = [self.at(h) for h in self.horizons]
        inside = [a for a in pooled if not math.isnan(a.survival)]
        reliable = [a for a in inside if not _few_at_risk(a.at_risk, self.n)]
        if reliable:
            return reliable[-1], True
        if inside:
            return inside[0], False
        return None

    def plot(self, ax: Axes | None = None, title: str | None = None) -> Axes:
        """Kaplan–Meier curves with censoring marks via :func:`impactkit.charts.survival`."""
        result: Axes = charts().survival(
            self.curves,
            censored=self.censored,
            horizons=self.horizons,
            ax=ax,
            title=title,
        )
        return result

    def __repr__(self) -> str:
        grp = f", by={self.by!r}: {self.groups}" if self.by else ""
        return (
            f"SustainedUse(n={self.n}, abandoned={self.n_abandoned}, "
            f"median={fmt(self.overall_median)}{grp})"
        )

    def _title(self) -> str:
        return "Sustained use (Kaplan–Meier)"


# --------------------------------------------------------------------------- checks


def _check_durations(data: pd.DataFrame, column: str) -> np.ndarray:
    """The duration column as floats: numbers, none missing, infinite or negative."""
    series = data[column]
    if pd.api.types.is_bool_dtype(series.dtype) or not (
        pd.api.types.is_numeric_dtype(series.dtype) or series.dtype == object
    ):
        raise DataError(f"duration column {column!r} must hold numbers, got dtype {series.dtype}")
    values = pd.to_numeric(series, errors="coerce")
    bad = (values.isna() & series.notna()).to_numpy()
    if bad.any():
        raise DataError(
            f"duration column {column!r} has non-numbers at {describe_rows(data.index[bad])}"
        )
    arr = values.to_numpy(dtype=float, na_value=np.nan)
    _check_duration_values(data, column, arr)
    return arr


def _check_duration_values(data: pd.DataFrame, column: str, arr: np.ndarray) -> None:
    missing = np.isnan(arr)
    if missing.any():
        raise DataError(
            f"duration column {column!r} has missing values at {describe_rows(data.index[missing])}"
        )
    if np.isinf(arr).any():
        raise DataError(
            f"duration column {column!r} has infinite values at "
            f"{describe_rows(data.index[np.isinf(arr)])}"
        )
    negative = arr < 0
    if negative.any():
        raise DataError(
            f"duration column {column!r} has negative durations at "
            f"{describe_rows(data.index[negative])}; durations are time from start of use"
        )


def _check_frame(data: Any, duration: str, abandoned: str, by: str | None) -> pd.DataFrame:
    frame = as_pandas(data, "sustained_use")
    require_columns(frame, [duration, abandoned] + ([by] if by else []), "sustained_use")
    if len(frame) == 0:
        raise DataError("sustained_use: the data have no rows")
    return frame


def _check_time_unit(time_unit: Any) -> str:
    if not isinstance(time_unit, str) or not time_unit.strip():
        raise DataError(
            f"sustained_use: time_unit must be a word such as 'days' or 'weeks', got {time_unit!r}"
        )
    return time_unit.strip()


def _check_horizons(horizons: Sequence[float]) -> tuple[float, ...]:
    hz = tuple(float(h) for h in horizons)
    if any(not math.isfinite(h) or h < 0 for h in hz):
        raise DataError(f"horizons must be non-negative numbers, got {tuple(horizons)!r}")
    return hz


# --------------------------------------------------------------------------- tables


_SURVIVAL_TABLE_COLUMNS = (
    "group",
    "horizon",
    "survival",
    "ci_low",
    "ci_high",
    "at_risk",
    "few_at_risk",
    "time_unit",
)


def _horizon_rows(
    g: Hashable, fit: _KMFit, hz: tuple[float, ...], time_unit: str, by: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """Rows of the horizon table for one curve, and the few-at-risk note (or ``None``)."""
    n_start = len(fit.durations)
    few: list[str] = []
    rows: list[dict[str, Any]] = []
    for h in hz:
        s, lo, hi, at_risk = _km_at(fit, h)
        flagged = _few_at_risk(at_risk, n_start)
        if flagged:
            followed = f"{at_risk:,} still followed" if at_risk else "no one still followed"
            few.append(f"{time_words(h)} {time_unit} ({followed})")
        rows.append(
            {
                "group": g,
                "horizon": h,
                "survival": s,
                "ci_low": lo,
                "ci_high": hi,
                "at_risk": at_risk,
                "few_at_risk": flagged,
                "time_unit": time_unit,
            }
        )
    if not few:
        return rows, None
    who = "all users" if by is None else f"{label(by)} {g!s}"
    threshold = _few_at_risk_threshold(n_start)
    note = (
        f"{who}: few still followed at {', '.join(few)} — fewer than "
        f"{math.ceil(threshold):,} (the larger of {_FEW_AT_RISK_MIN} and "
        f"{100 * _FEW_AT_RISK_SHARE:g} % of {n_start:,} users), so the share still using "
        "there is uncertain or not estimated (few_at_risk in the table)"
    )
    return rows, note


def _fit_curves(
    frame: pd.DataFrame, by: str | None, dur: np.ndarray, status: np.ndarray, confidence: float
) -> tuple[dict[Hashable, _KMFit], list[Hashable], np.ndarray | None]:
    """Pooled fit (key ``None``) and one per group; the groups and each row's group."""
    fits: dict[Hashable, _KMFit] = {None: _km_fit(dur, status, confidence)}
    groups: list[Hashable] = []
    group_arr: np.ndarray | None = None
    if by is not None:
        groups = group_values(frame, by)
        group_arr = frame[by].to_numpy(dtype=object)
        for g in groups:
            mask = group_arr == g
            fits[g] = _km_fit(dur[mask], status[mask], confidence)
    return fits, groups, group_arr


def _horizon_table(
    shown: list[tuple[Hashable, _KMFit]], hz: tuple[float, ...], time_unit: str, by: str | None
) -> tuple[pd.DataFrame, list[str]]:
    """The horizon table of every shown curve and the few-at-risk notes."""
    table_rows: list[dict[str, Any]] = []
    notes: list[str] = []
    for g, fit in shown:
        rows, note = _horizon_rows(g, fit, hz, time_unit, by)
        table_rows += rows
        notes += [note] if note else []
    table = pd.DataFrame(table_rows, columns=list(_SURVIVAL_TABLE_COLUMNS))
    return table.astype({"few_at_risk": bool}), notes


def _curve_frame(g: Hashable, fit: _KMFit) -> pd.DataFrame:
    """The step curve of one fit, starting at time 0 with survival 1."""
    return pd.DataFrame(
        {
            "group": [g] * (len(fit.times) + 1),
            "time": np.r_[0.0, fit.times],
            "survival": np.r_[1.0, fit.surv],
            "ci_low": np.r_[1.0, fit.ci_low],
            "ci_high": np.r_[1.0, fit.ci_high],
            "at_risk": np.r_[len(fit.durations), fit.n_risk].astype(int),
            "events": np.r_[0, fit.n_events].astype(int),
        }
    )


def _censor_frame(g: Hashable, fit: _KMFit) -> pd.DataFrame:
    """Censoring marks on the curve: S at the last event time at or before each one."""
    cens_t = np.unique(fit.durations[fit.status == 0]).astype(float)
    step = np.searchsorted(fit.times, cens_t, side="right") - 1
    surv_with_start = np.r_[1.0, fit.surv]  # index 0: before the first event
    cens_s = surv_with_start[step + 1]
    return pd.DataFrame({"group": [g] * len(cens_t), "time": cens_t, "survival": cens_s})


# --------------------------------------------------------------------------- entry point


def sustained_use(
    data: pd.DataFrame,
    duration: str,
    abandoned: str,
    *,
    by: str | None = None,
    horizons: Sequence[float] = (90, 180, 365),
    confidence: float = 0.95,
    time_unit: str = "days",
) -> SustainedUse:
    """Kaplan–Meier survival of continued use: the share still using at each time.

    RE-AIM's *maintenance* (Glasgow et al. 1999; 2019 review) asks whether use lasts 6+
    months; this estimates it with right-censoring (users still using at their last contact).
    Kaplan & Meier (1958) estimate via statsmodels ``SurvfuncRight``; Greenwood (1926)
    variance, pointwise intervals on the log(-log) scale
    (:func:`impactkit._intervals.loglog_survival_interval`); log-rank test across groups via
    statsmodels ``survdiff``.  Validated against the published 6-MP remission curve
    (Freireich et al. 1963) and a hand Greenwood calculation (tests/adoption).

    Parameters
    ----------
    data
        One row per user.
    duration
        Column: time from start of use to abandonment, or to last contact if still using,
        in ``time_unit`` (the same unit as ``horizons``); must be non-negative.
    abandoned
        Column: 1/True if the user stopped using (event), 0/False if still using (censored).
    by
        Optional group column; one curve per group plus a log-rank test.
    horizons
        Times (in ``time_unit``) at which ``.table`` reports the share still using.  A
        horizon where fewer than max(10, 5 % of the group's users) are still followed is
        marked ``few_at_risk`` in ``.table`` and named in ``.notes``: the estimate there
        rests on a handful of people (Pocock, Clayton & Altman 2002).  The summary sentence
        reports the largest horizon that is not ``few_at_risk``.
    confidence
        Level of the pointwise intervals.
    time_unit
        Word for the unit of ``duration`` and ``horizons`` used in sentences and in the
        ``time_unit`` column of ``.table`` (default ``"days"``; e.g. ``"weeks"``).
    """
    confidence = check_confidence(confidence)
    frame = _check_frame(data, duration, abandoned, by)
    time_unit = _check_time_unit(time_unit)
    dur = _check_durations(frame, duration)
    status = binary_column(frame[abandoned], abandoned)
    hz = _check_horizons(horizons)

    fits, groups, group_arr = _fit_curves(frame, by, dur, status, confidence)
    shown: list[tuple[Hashable, _KMFit]] = (
        [(g, fits[g]) for g in groups] if by is not None else [("all", fits[None])]
    )
    table, notes = _horizon_table(shown, hz, time_unit, by)
    chi2, df, p = logrank(dur, status, group_arr, groups, by, notes)
    if int(status.sum()) == 0:
        notes.append("no one abandoned during follow-up: survival stays at 1")
    medians: dict[Hashable, float | None] = (
        {g: fits[g].median for g in groups} if by is not None else {"all": fits[None].median}
    )
    return SustainedUse(
        table=table,
        curves=pd.concat([_curve_frame(g, fit) for g, fit in shown], ignore_index=True),
        censored=pd.concat(
            [pd.DataFrame(columns=["group", "time", "survival"])]
            + [_censor_frame(g, fit) for g, fit in shown],
            ignore_index=True,
        ),
        medians=medians,
        overall_median=fits[None].median,
        horizons=hz,
        confidence=confidence,
        by=by,
        n=len(frame),
        n_abandoned=int(status.sum()),
        logrank_chi2=chi2,
        logrank_df=df,
        logrank_p=p,
        notes=tuple(notes),
        _fits=fits,
        time_unit=time_unit,
    )
