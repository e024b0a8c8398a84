"""Interrupted time series by segmented regression: :func:`its` and :class:`ITSResult`.

:func:`its` reads like the analysis: option and data checks (``_check_*``), the time
axis, seasonal terms and design (:mod:`.its_terms`), the covariance choice and fit, then
the effects, counterfactual and cumulative change (:mod:`.its_fit`).

Validated against statsmodels OLS / GLM fits on design matrices built in the tests
(rel. 1e-6), a Driscoll–Kraay covariance recomputed by hand, and the published rate ratios
of Lopez Bernal, Cummins & Gasparrini (2017) on the Sicily smoking-ban data
(tests/effects/test_effects.py, test_effects_reference.py, test_its_control.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from .._checks import check_confidence
from .._display import fmt
from .._frames import as_pandas, numeric_array, require_columns
from ..errors import DataError, EstimationError, describe_rows
from ..results import Effect, HasEffect, Result
from ._inputs import binary
from ._variation import check_residual_variation, check_varies
from .its_fit import FittedITS, coefficient_effects, counterfactual_and_cumulative, fit_its
from .its_response import Autocorrelation, autocorrelation, response_effects
from .its_terms import TimeAxis, check_series, its_design, season_terms, time_axis

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["ITSFamily", "ITSResult", "its"]

ITSFamily = Literal["gaussian", "poisson", "quasipoisson"]
_CONTEXT = "its"
_FAMILIES = ("gaussian", "poisson", "quasipoisson")


@dataclass(frozen=True, eq=False)
class ITSResult(HasEffect, Result):
    """Interrupted-time-series (segmented regression) result.

    Attributes
    ----------
    level_change, slope_change
        Coefficients b2 (step at t0) and b3 (change in slope per period).  Gaussian: in
        outcome units.  Poisson / quasi-Poisson: on the log scale (log rate ratios).
        ``slope_change`` is ``None`` when the model was fitted without it.  With a control
        series (comparative ITS) they are b6 and b7: the intervention series' step and slope
        change net of the control series' (see :func:`its`).
    level_rate_ratio, slope_rate_ratio
        For log-link models: exp(b2), exp(b3) as Effects on the ratio scale (``null=1``;
        interval = exp of the log-scale interval; ``se`` by the delta method).
    cumulative
        Sum over the post-period of fitted − counterfactual, on the response scale, with a
        delta-method interval; ``baseline`` = the summed counterfactual, so
        ``relative`` is the cumulative change as a share of what was expected.
    counterfactual
        Frame with columns ``time``, ``observed``, ``fitted``, ``counterfactual``,
        ``cf_ci_low``, ``cf_ci_high`` (the :func:`impactkit.charts.its` contract), sorted by
        time; the counterfactual switches off b2 and b3 but keeps trend and seasonality.
        With a control series the frame covers the intervention series only, and the
        counterfactual switches off b6 and b7 (its own pre-trend plus the control series'
        post-period change).
    intervention
        First time value of the post period, as given (a number or a date).
    family
        ``"gaussian"``, ``"poisson"`` or ``"quasipoisson"``.
    at_intervention, average_change
        Fitted minus counterfactual at the first post period, and averaged over the post
        period, per unit of exposure (the outcome's units without exposure), with
        delta-method intervals (:func:`.its_response.response_effects`).  For the Gaussian
        family ``at_intervention`` equals ``level_change``.
    autocorrelation
        Durbin–Watson and Ljung–Box on the residuals (one series, 8 or more points), else
        ``None``.
    method, notes, label
        Model in words, warnings, outcome name.

    The main ``effect`` is ``level_change`` (on the log scale for log links), so
    ``estimate``, ``se``, ``ci_low``, ``ci_high`` and ``p_value`` are the level change's.
    """

    level_change: Effect
    slope_change: Effect | None
    cumulative: Effect
    counterfactual: pd.DataFrame
    intervention: Any
    family: str
    method: str
    level_rate_ratio: Effect | None = None
    slope_rate_ratio: Effect | None = None
    notes: tuple[str, ...] = ()
    label: str = "outcome"
    at_intervention: Effect | None = None
    average_change: Effect | None = None
    autocorrelation: Autocorrelation | None = None

    @property
    def effect(self) -> Effect:
        """The main effect: the level change at the intervention (b2, or b6 with a control)."""
        return self.level_change

    @property
    def confidence(self) -> float:
        return self.level_change.confidence

    def effects(self) -> dict[str, Effect]:
        """Every effect by name (only those that exist)."""
        items = {
            "level_change": self.level_change,
            "slope_change": self.slope_change,
            "level_rate_ratio": self.level_rate_ratio,
            "slope_rate_ratio": self.slope_rate_ratio,
            "cumulative": self.cumulative,
        }
        return {k: v for k, v in items.items() if v is not None}

    def to_frame(self) -> pd.DataFrame:
        """One tidy row per effect, with a ``term`` column naming it."""
        rows = []
        for name, eff in self.effects().items():
            row = eff.to_frame()
            row.insert(0, "term", name)
            rows.append(row)
        return pd.concat(rows, ignore_index=True)

    def summary(self) -> str:
        """Plain-words sentences: level change (as a rate ratio for counts), slope change,
        cumulative effect."""
        parts = []
        level = self.level_rate_ratio or self.level_change
        parts.append(f"At the intervention: {level.summary()}")
        slope = self.slope_rate_ratio or self.slope_change
        if slope is not None:
            parts.append(f"Per period afterwards: {slope.summary()}")
        parts.append(f"Over the whole post period: {self.cumulative.summary()}")
        return " ".join(parts)

    def __repr__(self) -> str:
        level = self.level_rate_ratio or self.level_change
        return (
            f"ITSResult({self.label}, {self.family}: level {fmt(level.estimate)} "
            f"[{fmt(level.ci_low)}, {fmt(level.ci_high)}], cumulative "
            f"{fmt(self.cumulative.estimate)} [{fmt(self.cumulative.ci_low)}, "
            f"{fmt(self.cumulative.ci_high)}])"
        )

    def _title(self) -> str:
        return f"Interrupted time series — {self.method}"

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Observed, fitted and counterfactual series via :func:`impactkit.charts.its`.

        Extra keyword arguments (``title``, ``ylabel``) are passed on.  Returns the Axes.
        """
        from ..charts import its as its_chart  # lazy: charts imports matplotlib

        kwargs.setdefault("ylabel", self.label)
        return its_chart(self.counterfactual, intervention=self.intervention, ax=ax, **kwargs)


# ------------------------------------------------------------------------------ checks


def _check_options(family: str, hac_lags: int | None, exposure: str | None) -> None:
    if family not in _FAMILIES:
        raise DataError(f"{_CONTEXT}: family must be one of {_FAMILIES}, got {family!r}")
    if hac_lags is not None and family != "gaussian":
        raise DataError(
            f"{_CONTEXT}: hac_lags (Newey-West) is only available for family='gaussian'; "
            "for counts use family='quasipoisson' for over-dispersion"
        )
    if hac_lags is not None and (
        not isinstance(hac_lags, int | np.integer) or isinstance(hac_lags, bool) or hac_lags < 0
    ):
        raise DataError(f"{_CONTEXT}: hac_lags must be a non-negative integer, got {hac_lags!r}")
    if exposure is not None and family == "gaussian":
        raise DataError(
            f"{_CONTEXT}: exposure (an offset) needs family='poisson' or 'quasipoisson'"
        )


def _check_lags(hac_lags: int | None, tvar: np.ndarray) -> None:
    """Newey-West needs lags well below the series length: fewer than a quarter of the time
    points (Newey & West 1994 suggest about 4·(n/100)^(2/9)); with as many lags as points the
    HAC variance collapses and p-values become meaningless."""
    points = len(np.unique(tvar))
    if hac_lags is not None and hac_lags >= max(points / 4, 1):
        raise DataError(
            f"{_CONTEXT}: hac_lags={hac_lags} is too many for {points} time points: hac_lags "
            f"must be below a quarter of the time points (at most "
            f"{max(int(np.ceil(points / 4)) - 1, 0)}; about "
            f"{max(1, round(4 * (points / 100) ** (2 / 9)))} is usual)"
        )


def _check_frame(data: pd.DataFrame, columns: list[str | None], time: str) -> pd.DataFrame:
    """The used columns, rows in time order (Newey-West weights neighbours in row order)."""
    frame = as_pandas(data, _CONTEXT)
    cols = [c for c in columns if c]
    require_columns(frame, cols, _CONTEXT)
    return frame.loc[:, cols].sort_values(time, kind="stable")


def _design(
    axis: TimeAxis,
    series: np.ndarray | None,
    slope_change: bool,
    seasonality: int | str | Mapping[str, Any] | None,
) -> tuple[pd.DataFrame, str]:
    """The segmented-regression design plus seasonal terms, and the seasons in words."""
    X = its_design(axis.tvar, axis.t0, series, slope_change)
    season_words = ""
    if seasonality is not None:
        terms, season_words = season_terms(axis.clock, seasonality)
        X = pd.concat([X, terms], axis=1)
    return X, season_words


def _check_control(frame: pd.DataFrame, control: str | None) -> np.ndarray | None:
    """``None`` for one series, else G: 1 for intervention-series rows, 0 for control rows."""
    if control is None:
        return None
    is_control = binary(frame[control], control, f"{_CONTEXT}: control")
    for value, name in ((1.0, "control"), (0.0, "intervention")):
        if not (is_control == value).any():
            raise DataError(
                f"{_CONTEXT}: control column {control!r} marks no {name} series rows "
                f"(no value {int(value)}); it needs 1 for the control series and 0 for "
                "the intervention series"
            )
    return 1.0 - is_control


def _check_outcome(frame: pd.DataFrame, outcome: str, family: str) -> np.ndarray:
    y = numeric_array(frame[outcome], f"{_CONTEXT}: outcome {outcome!r}")
    if family != "gaussian" and ((y < 0).any() or (y != np.round(y)).any()):
        bad = (y < 0) | (y != np.round(y))
        raise DataError(
            f"{_CONTEXT}: family {family!r} needs non-negative whole counts in {outcome!r}; "
            f"see {describe_rows(frame.index[bad])}"
        )
    return y


def _check_offset(frame: pd.DataFrame, exposure: str | None, n: int) -> np.ndarray:
    """log(exposure), or zeros without an exposure column."""
    if exposure is None:
        return np.zeros(n)
    expo = numeric_array(frame[exposure], f"{_CONTEXT}: exposure {exposure!r}")
    if (expo <= 0).any():
        raise DataError(
            f"{_CONTEXT}: exposure {exposure!r} must be positive; see "
            f"{describe_rows(frame.index[expo <= 0])}"
        )
    return np.log(expo)


def _method_text(
    model_words: str, cov_words: str, time_words: str, season_words: str, control: str | None
) -> str:
    if control is not None:
        model_words = (
            f"comparative interrupted time series against control series {control!r} "
            f"({model_words}; changes net of the control series' changes)"
        )
    method = f"{model_words} on {time_words}"
    if season_words:
        method += f", {season_words}" + (" shared by both series" if control else "")
    return method + f", {cov_words}"


# ---------------------------------------------------------------------------- estimator


def its(
    data: pd.DataFrame,
    time: str,
    outcome: str,
    intervention: Any,
    *,
    family: ITSFamily = "gaussian",
    exposure: str | None = None,
    seasonality: int | str | Mapping[str, Any] | None = None,
    hac_lags: int | None = None,
    control: str | None = None,
    confidence: float = 0.95,
    label: str | None = None,
    slope_change: bool = True,
) -> ITSResult:
    """Interrupted time series by segmented regression (Lopez Bernal, Cummins & Gasparrini
    2017, IJE 46(1); Wagner et al. 2002), optionally comparative, against a control series
    (Lopez Bernal, Cummins & Gasparrini 2018, "The use of controls in interrupted time series
    studies of public health interventions", IJE 47(6)).

    Model, with post = 1 from ``intervention`` (t0) on::

        g(E[y]) = b0 + b1·t + b2·post + b3·(t − t0)·post [+ seasonal terms] [+ log exposure]

    b2 is the level change at t0 and b3 the slope change.  The slope term is
    *time since the intervention*, zero before t0 (interacting post with calendar time
    would make b2 the change at t = 0, a common error).

    Comparative ITS (``control=``): both series are stacked and, with G = 1 for the
    intervention series and 0 for the control series::

        g(E[y]) = b0 + b1·t + b2·post + b3·(t − t0)·post
                  + b4·G + b5·G·t + b6·G·post + b7·G·(t − t0)·post [+ seasonal] [+ offset]

    b0..b3 describe the control series, b4, b5 the intervention series' differences in
    level and pre-trend, and b6 / b7 — reported as ``level_change`` / ``slope_change`` —
    the intervention series' level and slope changes *net of* the control series' changes
    at t0.  What the control adds over a single series: anything else that happened at
    about t0 and affects both series (a co-intervention, a change in recording, an
    economic shock — "history") is subtracted out.  The assumption it rests on: absent the
    intervention, the intervention series would have changed at t0 as the control series
    did (same step and slope change, on the link scale); a control that is itself touched
    by the intervention, or reacts differently to the other events, biases b6 and b7.
    Seasonal terms are shared by both series (one seasonal pattern, fitted from both), a
    choice that keeps the model at the 8 terms of Lopez Bernal et al.; fit the series
    separately if their seasons differ.  The quasi-Poisson scale is likewise one scale for
    both series.

    Parameters
    ----------
    data
        One row per time point (per series with ``control``); not modified.  Time values
        must be unique (within each series).
    time
        Numeric column, or a date column.  Dates are converted to whole months
        (year·12 + month − 1); the model's time variable is months since the first
        observation, and ``intervention`` is converted the same way.  Non-monthly dates
        (e.g. weekly) should be given as a numeric period index instead.
    outcome
        Numeric outcome (counts for the Poisson families).
    intervention
        The first time value of the post period (number or date).
    family
        ``"gaussian"`` (OLS; t intervals with residual df), ``"poisson"`` (GLM, log link)
        or ``"quasipoisson"`` (the same with scale = Pearson χ²/df, statsmodels
        ``scale="X2"``); GLM intervals are Wald (normal).
    exposure
        Column of positive exposures (e.g. population); log(exposure) is the offset.
        Only for the Poisson families.
    seasonality
        Number of harmonic sine/cosine pairs (period 12), a dict
        ``{"harmonics": k, "period": P}``, or ``"month"`` for seasonal dummies.  For dates,
        the season clock is the calendar month; for numeric time it is the time value
        itself (so with monthly data starting in January at time 1, time mod 12 is the
        month).  With ``control`` the seasonal terms are shared by both series.
    hac_lags
        Newey–West (HAC) errors with this many lags; Gaussian family only, no small-sample
        correction (statsmodels ``cov_type="HAC"``).  With ``control``: Driscoll–Kraay
        errors (statsmodels ``cov_type="hac-groupsum"``), i.e. Newey–West applied to the
        scores summed over the two series within each time period, so rows of different
        series are never treated as time-adjacent, and errors may be correlated across the
        series (shared shocks) as well as over time (Driscoll & Kraay 1998; Hoechle 2007);
        no small-sample correction and residual df, as for one series.  Rows are matched by
        time value, consecutive distinct time values being one lag apart.
    control
        Name of a 0/1 (or boolean) column marking the rows of the control series (1 =
        control, 0 = intervention series).  Both series share the time axis and ``t0``;
        each needs at least 3 points before and 2 (1 with ``slope_change=False``) from
        ``t0`` on.  See the comparative model above.
    confidence
        Interval level.
    label
        Outcome name for summaries.
    slope_change
        Fit b3 (default).  ``False`` fits the level-change-only model, e.g. the main model
        of Lopez Bernal et al. (2017), which gives the published rate ratio 0.894.  With
        ``control``, ``False`` drops both b3 and b7.

    Returns
    -------
    ITSResult
        Level/slope changes, rate ratios for log-link models, the cumulative effect
        (delta method: Var = gᵀ V g with g the gradient of Σ_post (fitted − counterfactual)
        with respect to the coefficients) and the counterfactual frame for plotting.  With
        ``control`` the counterfactual and cumulative effect are those of the intervention
        series: its fitted values with b6 and b7 switched off, i.e. its own pre-trend plus
        the control series' change at t0.  Its main ``effect`` is the level change.
    """
    confidence = check_confidence(confidence)
    _check_options(family, hac_lags, exposure)
    frame = _check_frame(data, [time, outcome, exposure, control], time)
    series = _check_control(frame, control)
    y = _check_outcome(frame, outcome, family)
    if family == "gaussian" or exposure is None:
        check_varies(y, _CONTEXT, minimum=3)
    elif not (y > 0).any():
        check_varies(y, _CONTEXT, minimum=3)  # all zero: no events to model
    axis = time_axis(frame[time], intervention, time, _CONTEXT)
    post = (axis.tvar >= axis.t0).astype(float)
    _check_lags(hac_lags, axis.tvar)
    check_series(frame, axis.tvar, post, series, control, slope_change, _CONTEXT)
    n_post = int(post.sum()) if series is None else int((post * series).sum())
    X, season_words = _design(axis, series, slope_change, seasonality)
    offset = _check_offset(frame, exposure, len(y))
    if X.shape[0] <= X.shape[1]:
        raise EstimationError(f"{_CONTEXT}: {X.shape[0]} time points for {X.shape[1]} parameters")
    notes: list[str] = []
    fit, df_resid, cov_words, model_words = fit_its(
        y,
        X,
        family=family,
        offset=offset,
        exposure=exposure,
        hac_lags=hac_lags,
        series=series,
        tvar=axis.tvar,
        notes=notes,
    )
    if family == "gaussian":
        check_residual_variation(y, np.asarray(fit.resid), _CONTEXT)
    method = _method_text(model_words, cov_words, axis.words, season_words, control)
    name = label or outcome
    log_link = family != "gaussian"
    model = FittedITS(fit, X, y, offset, df_resid, log_link, method, tuple(notes), name, confidence)
    level, slope, level_rr, slope_rr = coefficient_effects(model, slope_change)
    cumulative, counterfactual = counterfactual_and_cumulative(
        model,
        slope_change=slope_change,
        post=post,
        series=series,
        tvar=axis.tvar,
        raw_time=frame[time],
        n_post=n_post,
    )
    at_t0, average = response_effects(model, post, series, axis.tvar)
    return ITSResult(
        at_intervention=at_t0,
        average_change=average,
        autocorrelation=autocorrelation(model, len(y)) if series is None else None,
        level_change=level,
        slope_change=slope,
        cumulative=cumulative,
        counterfactual=counterfactual,
        intervention=intervention,
        family=family,
        method=method,
        level_rate_ratio=level_rr,
        slope_rate_ratio=slope_rr,
        notes=tuple(notes),
        label=name,
    )
