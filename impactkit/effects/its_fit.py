"""Fitting an interrupted-time-series model and reading its effects (used by :mod:`.its`).

- :func:`fit_its` — the covariance choice and the fit: OLS with classical, Newey–West or
  Driscoll–Kraay errors, or a Poisson / quasi-Poisson GLM;
- :func:`coefficient_effects` — level and slope change (and rate ratios for log links);
- :func:`counterfactual_and_cumulative` — the counterfactual series and the cumulative
  effect with its delta-method interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from .._display import fmt
from .._intervals import t_quantile, z_quantile
from ..results import Effect

if TYPE_CHECKING:
    from statsmodels.base.wrapper import ResultsWrapper

__all__ = ["FittedITS", "fit_its", "coefficient_effects", "counterfactual_and_cumulative"]


class _Fit(NamedTuple):
    fit: ResultsWrapper
    df_resid: float | None
    cov_words: str
    model_words: str


def _fit_gaussian(
    y: np.ndarray,
    X: pd.DataFrame,
    hac_lags: int | None,
    series: np.ndarray | None,
    tvar: np.ndarray,
    notes: list[str],
) -> _Fit:
    """OLS with t inference (residual df): classical errors (a note says they assume no
    autocorrelation), Newey–West HAC (statsmodels ``cov_type="HAC"``; Newey & West 1987), or
    with a control series Driscoll–Kraay (``"hac-groupsum"``; Driscoll & Kraay 1998)."""
    import statsmodels.api as sm

    model = sm.OLS(y, X)
    if hac_lags is not None and series is not None:
        # Driscoll-Kraay: scores summed within each time period (codes 0..T-1 in time
        # order), then Newey-West over periods; no small-sample or df correction.
        period = np.unique(tvar, return_inverse=True)[1]
        fit = model.fit(
            cov_type="hac-groupsum",
            cov_kwds={
                "time": period,
                "maxlags": hac_lags,
                "use_correction": False,
                "df_correction": False,
            },
            use_t=True,
        )
        cov_words = f"Driscoll-Kraay (HAC over both series, {hac_lags} lags) standard errors"
    elif hac_lags is not None:
        fit = model.fit(cov_type="HAC", cov_kwds={"maxlags": hac_lags}, use_t=True)
        cov_words = f"Newey-West (HAC, {hac_lags} lags) standard errors"
    else:
        fit = model.fit(use_t=True)
        cov_words = "classical standard errors"
        between = "" if series is None else " and between the two series"
        notes.append(
            f"errors assumed independent over time{between}; pass hac_lags= for autocorrelation"
        )
    return _Fit(fit, float(fit.df_resid), cov_words, "OLS segmented regression")


def _fit_poisson(
    y: np.ndarray,
    X: pd.DataFrame,
    family: str,
    offset: np.ndarray,
    exposure: str | None,
    notes: list[str],
) -> _Fit:
    """Poisson GLM (log link) with Wald (normal) inference; quasi-Poisson scales the
    covariance by Pearson χ²/df (statsmodels ``scale="X2"``; McCullagh & Nelder 1989,
    §4.5).  A Poisson fit with χ²/df > 1.5 gets an over-dispersion note."""
    import statsmodels.api as sm

    glm = sm.GLM(y, X, family=sm.families.Poisson(), offset=offset)
    if family == "quasipoisson":
        fit = glm.fit(scale="X2")
        cov_words = f"quasi-Poisson scale {fmt(float(fit.scale))} (Pearson chi2/df)"
    else:
        fit = glm.fit()
        cov_words = "Poisson variance"
        dispersion = float(fit.pearson_chi2 / fit.df_resid)
        if dispersion > 1.5:
            notes.append(
                f"over-dispersion: Pearson chi2/df = {fmt(dispersion)}; Poisson intervals "
                "are too narrow — consider family='quasipoisson'"
            )
    model_words = "Poisson GLM (log link) segmented regression"
    if exposure:
        model_words += f", offset log({exposure})"
    return _Fit(fit, None, cov_words, model_words)


@dataclass(frozen=True)
class FittedITS:
    """A fitted ITS model with what the effects need: the fit, its design, the offset,
    the inference df (``None`` for Wald), the method text, notes and labels."""

    fit: ResultsWrapper
    X: pd.DataFrame
    y: np.ndarray
    offset: np.ndarray
    df_resid: float | None
    log_link: bool
    method: str
    notes: tuple[str, ...]
    label: str
    confidence: float

    @property
    def n(self) -> int:
        return int(len(self.y))

    @property
    def q(self) -> float:
        """t quantile with the residual df (OLS) or the normal quantile (GLM)."""
        if self.df_resid is None:
            return z_quantile(self.confidence)
        return t_quantile(self.confidence, self.df_resid)


def fit_its(
    y: np.ndarray,
    X: pd.DataFrame,
    *,
    family: str,
    offset: np.ndarray,
    exposure: str | None,
    hac_lags: int | None,
    series: np.ndarray | None,
    tvar: np.ndarray,
    notes: list[str],
) -> tuple[ResultsWrapper, float | None, str, str]:
    """Fit by family; returns (fit, df for t inference or ``None``, covariance in words,
    model in words).  Notes about the covariance are appended to ``notes``."""
    if family == "gaussian":
        res = _fit_gaussian(y, X, hac_lags, series, tvar, notes)
    else:
        res = _fit_poisson(y, X, family, offset, exposure, notes)
    return res.fit, res.df_resid, res.cov_words, res.model_words


def _coef_effect(m: FittedITS, term: str, what: str) -> Effect:
    q = m.q
    b, s = float(m.fit.params[term]), float(m.fit.bse[term])
    return Effect(
        estimate=b,
        se=s,
        ci_low=b - q * s,
        ci_high=b + q * s,
        p_value=float(m.fit.pvalues[term]),
        n=m.n,
        confidence=m.confidence,
        method=f"{m.method}; {what}",
        notes=m.notes,
        label=f"{m.label}: {what}",
    )


def _ratio_effect(m: FittedITS, eff: Effect, what: str) -> Effect:
    """exp of a log-scale coefficient: interval = exp of its interval, se by the delta
    method (se · exp(b))."""
    r = math.exp(eff.estimate)
    return Effect(
        estimate=r,
        se=r * eff.se,
        ci_low=math.exp(eff.ci_low),
        ci_high=math.exp(eff.ci_high),
        p_value=eff.p_value,
        n=m.n,
        confidence=m.confidence,
        method=f"{m.method}; {what} (exp of the coefficient)",
        notes=m.notes,
        label=f"{m.label}: {what}",
        null=1.0,
    )


def coefficient_effects(
    m: FittedITS, slope_change: bool
) -> tuple[Effect, Effect | None, Effect | None, Effect | None]:
    """(level change, slope change, level rate ratio, slope rate ratio); the ratios only
    for log-link models, the slope terms only when fitted."""
    log = " (log rate ratio)" if m.log_link else ""
    level = _coef_effect(m, "level_change", "level change" + log)
    slope = _coef_effect(m, "slope_change", "slope change" + log) if slope_change else None
    level_rr = _ratio_effect(m, level, "level change rate ratio") if m.log_link else None
    slope_rr = _ratio_effect(m, slope, "slope change rate ratio") if m.log_link and slope else None
    return level, slope, level_rr, slope_rr


def _cumulative_p(cum: float, cum_se: float, df_resid: float | None) -> float:
    from scipy import stats

    if cum_se > 0:
        stat = cum / cum_se
        return float(
            2 * stats.t.sf(abs(stat), df_resid) if df_resid else 2 * stats.norm.sf(abs(stat))
        )
    return float("nan")


def counterfactual_and_cumulative(
    m: FittedITS,
    *,
    slope_change: bool,
    post: np.ndarray,
    series: np.ndarray | None,
    tvar: np.ndarray,
    raw_time: pd.Series,
    n_post: int,
) -> tuple[Effect, pd.DataFrame]:
    """The cumulative effect Σ_post (fitted − counterfactual) on the response scale, with
    the delta-method variance gᵀ V g (g its gradient in the coefficients), and the
    counterfactual frame (b2, b3 — or b6, b7 — switched off; pointwise interval
    η_cf ± q·√(x_cfᵀ V x_cf), exponentiated for log links), for the intervention series."""
    q, n = m.q, m.n
    params = m.fit.params.to_numpy(dtype=float)
    V = np.asarray(m.fit.cov_params(), dtype=float)
    Xa = m.X.to_numpy(dtype=float)
    Xcf = m.X.copy()
    Xcf["level_change"] = 0.0
    if slope_change:
        Xcf["slope_change"] = 0.0
    Xc = Xcf.to_numpy(dtype=float)
    eta, eta_cf = Xa @ params + m.offset, Xc @ params + m.offset
    se_cf = np.sqrt(np.einsum("ij,jk,ik->i", Xc, V, Xc))
    if m.log_link:
        fitted, cf = np.exp(eta), np.exp(eta_cf)
        cf_lo, cf_hi = np.exp(eta_cf - q * se_cf), np.exp(eta_cf + q * se_cf)
        grad_rows = fitted[:, None] * Xa - cf[:, None] * Xc
    else:
        fitted, cf = eta, eta_cf
        cf_lo, cf_hi = eta_cf - q * se_cf, eta_cf + q * se_cf
        grad_rows = Xa - Xc
    # the counterfactual frame and the cumulative effect cover the intervention series
    target = np.ones(n, dtype=bool) if series is None else series == 1
    in_post = (post == 1) & target
    cum = float((fitted - cf)[in_post].sum())
    g = grad_rows[in_post].sum(axis=0)
    cum_se = float(math.sqrt(max(g @ V @ g, 0.0)))
    cumulative = Effect(
        estimate=cum,
        se=cum_se,
        ci_low=cum - q * cum_se,
        ci_high=cum + q * cum_se,
        p_value=_cumulative_p(cum, cum_se, m.df_resid),
        n=n,
        confidence=m.confidence,
        method=f"{m.method}; sum over {n_post} post periods of fitted minus counterfactual "
        "(delta method)",
        baseline=float(cf[in_post].sum()),
        notes=m.notes,
        label=f"{m.label}: cumulative change",
    )
    rows = np.flatnonzero(target)
    order = rows[np.argsort(tvar[rows], kind="stable")]
    counterfactual = pd.DataFrame(
        {
            "time": raw_time.to_numpy()[order],
            "observed": m.y[order],
            "fitted": fitted[order],
            "counterfactual": cf[order],
            "cf_ci_low": cf_lo[order],
            "cf_ci_high": cf_hi[order],
        }
    )
    return cumulative, counterfactual
