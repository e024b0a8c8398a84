"""Confidence intervals from a design-based estimate, its standard error and design df.

* :func:`t_interval` -- ``estimate ± t(1 − α/2; df)·se`` for means, totals, ratios and rates
  (Lumley 2010, *Complex Surveys*, §2.3; Korn & Graubard 1999, *Analysis of Health Surveys*,
  §5.2: df = PSUs − strata).
* :func:`logit_interval` -- the default for proportions: ``logit(p) ± t·se / (p(1 − p))``
  back-transformed, as Stata's ``svy: proportion`` and R ``svyciprop(method = "logit")`` (the
  Wald interval of an intercept-only quasi-binomial ``svyglm``, whose sandwich SE on the logit
  scale is exactly ``se / (p(1 − p))``).
* :func:`korn_graubard_interval` -- Clopper–Pearson on the effective sample size
  ``n* = p(1 − p)/se² · (t(n − 1)/t(df))²`` (Korn & Graubard 1998, *Survey Methodology*
  24:193–201), as R ``svyciprop(method = "beta")``.
* :func:`wilson_effective_interval` -- Wilson's score interval on ``n_eff = p(1 − p)/se²``
  with a t quantile on df, as R ``svyciprop(method = "wilson")``.

At ``p = 0`` or ``1`` the estimated variance is 0 and no effective size exists; there the
three proportion intervals use the actual sample size ``n`` (Korn & Graubard 1998, §2), i.e.
the Clopper–Pearson (or Wilson) interval of ``0 / n`` or ``n / n``.  NaN where ``df <= 0`` or
``n < 1``.

Validated against: R ``svyciprop`` source formulas re-implemented independently in the tests,
statsmodels' cluster-robust logistic GLM (logit), and scipy's ``binomtest`` exact interval
(Korn–Graubard with ``n* = n``) -- tests/survey/test_survey_intervals.py.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from ..errors import DataError

__all__ = [
    "PROPORTION_METHODS",
    "t_interval",
    "logit_interval",
    "korn_graubard_interval",
    "wilson_effective_interval",
    "proportion_interval",
]

PROPORTION_METHODS = ("logit", "korn-graubard", "wilson")
Pair = tuple[np.ndarray, np.ndarray]


def _t_quantile(df: np.ndarray, confidence: float) -> np.ndarray:
    _check_confidence(confidence)
    df = np.asarray(df, dtype=float)
    ok = df > 0
    q = stats.t.ppf(0.5 + confidence / 2, np.where(ok, df, 1.0))
    return np.where(ok, q, np.nan)


def _check_confidence(confidence: float) -> None:
    if not 0.0 < float(confidence) < 1.0:
        raise DataError(f"confidence must be in (0, 1), e.g. 0.95; got {confidence!r}")


def t_interval(estimate: object, se: object, df: object, confidence: float = 0.95) -> Pair:
    """``estimate ± t(1 − α/2; df) · se``; NaN where ``df <= 0``."""
    est, s = np.asarray(estimate, dtype=float), np.asarray(se, dtype=float)
    q = _t_quantile(np.asarray(df, dtype=float), confidence)
    return est - q * s, est + q * s


def _edge(p: np.ndarray) -> np.ndarray:
    return (p <= 0) | (p >= 1)


def logit_interval(p: object, se: object, df: object, n: object, confidence: float = 0.95) -> Pair:
    """Logit (Stata ``svy: proportion``, R ``svyciprop(method="logit")``) interval.

    ``expit(logit(p) ± t(df) · se / (p(1 − p)))``; at ``p`` = 0 or 1 the exact interval of
    ``0/n`` or ``n/n`` (see the module note).
    """
    p_, se_ = np.asarray(p, dtype=float), np.asarray(se, dtype=float)
    q = _t_quantile(np.asarray(df, dtype=float), confidence)
    inner = np.clip(p_, 1e-300, 1 - 1e-16)
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = np.log(inner / (1 - inner))
        half = q * se_ / (inner * (1 - inner))
        low, high = _expit(centre - half), _expit(centre + half)
    edge_low, edge_high = _exact_edges(p_, np.asarray(n, dtype=float), q, confidence)
    edge = _edge(p_)
    return np.where(edge, edge_low, low), np.where(edge, edge_high, high)


def _expit(v: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-v))


def _exact_edges(p: np.ndarray, n: np.ndarray, q: np.ndarray, confidence: float) -> Pair:
    """Clopper–Pearson of 0/n or n/n (NaN elsewhere, and where n < 1 or df <= 0)."""
    alpha = 1 - confidence
    ok = (n >= 1) & np.isfinite(q)
    safe_n = np.where(ok, n, 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        up0 = 1 - (alpha / 2) ** (1 / safe_n)
    low = np.where(p <= 0, 0.0, np.where(p >= 1, 1 - up0, np.nan))
    high = np.where(p <= 0, up0, np.where(p >= 1, 1.0, np.nan))
    return np.where(ok, low, np.nan), np.where(ok, high, np.nan)


def korn_graubard_interval(
    p: object, se: object, df: object, n: object, confidence: float = 0.95
) -> Pair:
    """Korn & Graubard (1998) interval, as R ``svyciprop(method = "beta")``.

    ``n* = p(1 − p)/se² · (t(1 − α/2; n − 1) / t(1 − α/2; df))²``, then
    ``Beta⁻¹(α/2; n*p, n*(1 − p) + 1)`` to ``Beta⁻¹(1 − α/2; n*p + 1, n*(1 − p))``; ``n`` is
    the number of rows in the estimate.  Not truncated at ``n`` (as R).
    """
    p_, se_ = np.asarray(p, dtype=float), np.asarray(se, dtype=float)
    n_ = np.asarray(n, dtype=float)
    alpha = 1 - confidence
    q_df = _t_quantile(np.asarray(df, dtype=float), confidence)
    q_n = _t_quantile(n_ - 1, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        n_eff = p_ * (1 - p_) / (se_ * se_) * (q_n / q_df) ** 2
        n_eff = np.where(_edge(p_) | ~(se_ > 0), n_, n_eff)
        low = np.where(p_ <= 0, 0.0, stats.beta.ppf(alpha / 2, n_eff * p_, n_eff * (1 - p_) + 1))
        high = np.where(
            p_ >= 1, 1.0, stats.beta.ppf(1 - alpha / 2, n_eff * p_ + 1, n_eff * (1 - p_))
        )
    bad = ~(n_ >= 1) | ~np.isfinite(q_df)
    return np.where(bad, np.nan, low), np.where(bad, np.nan, high)


def wilson_effective_interval(
    p: object, se: object, df: object, n: object, confidence: float = 0.95
) -> Pair:
    """Wilson's interval on ``n_eff = p(1 − p)/se²`` with ``t(df)``, as R
    ``svyciprop(method = "wilson")``: ``(p + t²/2n ∓ t/2n · √(4np(1 − p) + t²)) / (1 + t²/n)``.
    """
    p_, se_ = np.asarray(p, dtype=float), np.asarray(se, dtype=float)
    n_ = np.asarray(n, dtype=float)
    t = _t_quantile(np.asarray(df, dtype=float), confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        n_eff = np.where(_edge(p_) | ~(se_ > 0), n_, p_ * (1 - p_) / (se_ * se_))
        denom = 1 + t * t / n_eff
        root = np.sqrt(np.maximum(4 * n_eff * p_ * (1 - p_), 0.0) + t * t)
        centre = p_ + t * t / (2 * n_eff)
        low = (centre - t / (2 * n_eff) * root) / denom
        high = (centre + t / (2 * n_eff) * root) / denom
    bad = ~(n_eff > 0)
    return np.where(bad, np.nan, np.clip(low, 0, 1)), np.where(bad, np.nan, np.clip(high, 0, 1))


def proportion_interval(
    method: str, p: object, se: object, df: object, n: object, confidence: float = 0.95
) -> Pair:
    """Dispatch on ``method`` in :data:`PROPORTION_METHODS`."""
    if method == "logit":
        return logit_interval(p, se, df, n, confidence)
    if method == "korn-graubard":
        return korn_graubard_interval(p, se, df, n, confidence)
    if method == "wilson":
        return wilson_effective_interval(p, se, df, n, confidence)
    options = ", ".join(repr(m) for m in PROPORTION_METHODS)
    raise DataError(f"proportion interval method must be one of {options}; got {method!r}")
