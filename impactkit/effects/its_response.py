"""Interrupted-time-series effects on the outcome's own scale, and the residual
autocorrelation diagnostic (used by :mod:`.its`).

- :func:`response_effects` — the change at the intervention (fitted − counterfactual at
  the first post period) and the average change over the post period, per unit of exposure
  (so for a Poisson model with a population offset: on the rate scale; without exposure:
  in the outcome's units), each with a delta-method interval;
- :func:`autocorrelation` — Durbin–Watson and the Ljung–Box test on the residuals.

For a Gaussian model the change at the intervention is exactly b2 (the slope term is zero
at t0); for log links it is exp(η_t0)/E − exp(η_cf,t0)/E, the number a reader compares with
a minimum meaningful change in the indicator's units (Lopez Bernal, Cummins & Gasparrini
2017 report both the rate ratio and the absolute change).  Delta method: the gradient of
(μ_i − μ_cf,i)/E_i in the coefficients is (μ_i x_i − μ_cf,i x_cf,i)/E_i for log links and
x_i − x_cf,i for the identity link (Wooldridge 2010, §12.5).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..results import Effect

if TYPE_CHECKING:
    from .its_fit import FittedITS

__all__ = ["Autocorrelation", "response_effects", "autocorrelation"]


@dataclass(frozen=True)
class Autocorrelation:
    """Residual autocorrelation of an ITS fit: Durbin–Watson statistic (2 = none; below 2
    positive autocorrelation) and the Ljung–Box Q test at ``lags`` lags."""

    durbin_watson: float
    ljung_box: float
    lags: int
    p_value: float

    def summary(self) -> str:
        """One sentence: the statistics and what they mean for the intervals."""
        from .._display import fmt, fmt_p

        worry = (
            "the residuals are autocorrelated, so intervals that assume independent errors "
            "are too narrow"
            if self.p_value < 0.05
            else "no sign of residual autocorrelation"
        )
        return (
            f"Residual autocorrelation: Durbin–Watson {fmt(self.durbin_watson)}, Ljung–Box "
            f"Q({self.lags}) = {fmt(self.ljung_box)}, {fmt_p(self.p_value)}: {worry}."
        )


def _delta_effect(
    m: FittedITS, diff: np.ndarray, grad: np.ndarray, what: str, baseline: float
) -> Effect:
    from .its_fit import _cumulative_p

    V = np.asarray(m.fit.cov_params(), dtype=float)
    est = float(diff)
    se = float(math.sqrt(max(float(grad @ V @ grad), 0.0)))
    q = m.q
    return Effect(
        estimate=est,
        se=se,
        ci_low=est - q * se,
        ci_high=est + q * se,
        p_value=_cumulative_p(est, se, m.df_resid),
        n=m.n,
        confidence=m.confidence,
        method=f"{m.method}; {what}, fitted minus counterfactual (delta method)",
        baseline=baseline,
        notes=m.notes,
        label=f"{m.label}: {what}",
    )


def response_effects(
    m: FittedITS, post: np.ndarray, series: np.ndarray | None, tvar: np.ndarray
) -> tuple[Effect, Effect]:
    """(change at the intervention, average change over the post period), per unit of
    exposure, for the intervention series; ``baseline`` is the counterfactual there."""
    params = m.fit.params.to_numpy(dtype=float)
    Xa = m.X.to_numpy(dtype=float)
    Xcf = m.X.copy()
    for term in ("level_change", "slope_change"):
        if term in Xcf:
            Xcf[term] = 0.0
    Xc = Xcf.to_numpy(dtype=float)
    if m.log_link:  # X b without the offset: the mean per unit of exposure
        mu, mu_cf = np.exp(Xa @ params), np.exp(Xc @ params)
        grad = mu[:, None] * Xa - mu_cf[:, None] * Xc
    else:
        mu, mu_cf = Xa @ params, Xc @ params
        grad = Xa - Xc
    target = np.ones(m.n, dtype=bool) if series is None else series == 1
    rows = np.flatnonzero((post == 1) & target)
    first = rows[np.argmin(tvar[rows])]
    at_t0 = _delta_effect(
        m, mu[first] - mu_cf[first], grad[first], "change at the intervention", mu_cf[first]
    )
    average = _delta_effect(
        m,
        np.mean(mu[rows] - mu_cf[rows]),
        grad[rows].mean(axis=0),
        f"average change over the {rows.size} post periods",
        float(np.mean(mu_cf[rows])),
    )
    return at_t0, average


def autocorrelation(m: FittedITS, n_periods: int) -> Autocorrelation | None:
    """Durbin–Watson (statsmodels ``durbin_watson``) and Ljung–Box (``acorr_ljungbox``)
    on the residuals in time order (response residuals for OLS, Pearson residuals for the
    GLMs), at min(12, n/4) lags (Box, Jenkins & Reinsel 2008, §8.2); ``None`` with fewer
    than 8 points."""
    from statsmodels.stats.diagnostic import acorr_ljungbox
    from statsmodels.stats.stattools import durbin_watson

    if n_periods < 8:
        return None
    resid = getattr(m.fit, "resid_pearson", None) if m.log_link else m.fit.resid
    r = np.asarray(resid, dtype=float)
    lags = max(1, min(12, n_periods // 4))
    lb = acorr_ljungbox(r, lags=[lags])
    return Autocorrelation(
        durbin_watson=float(durbin_watson(r)),
        ljung_box=float(lb["lb_stat"].iloc[0]),
        lags=lags,
        p_value=float(lb["lb_pvalue"].iloc[0]),
    )
