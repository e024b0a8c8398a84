"""Every interval formula of impactkit, once, each with its reference.

- :func:`z_quantile`, :func:`t_quantile` — two-sided normal and Student-t quantiles;
- :func:`wilson_interval` (vectorised) and :func:`wilson` (one proportion) — Wilson (1927);
- :func:`clopper_pearson_interval` — Clopper & Pearson (1934);
- :func:`t_interval` (vectorised, from estimate and se) and :func:`mean_t_interval` (the
  mean of independent values);
- :func:`poisson_interval` — Garwood (1936) / Fay & Feuer (1997);
- :func:`delta_ratio_interval` — delta method for a ratio of means (Cochran 1977);
- :func:`fieller_interval` — Fieller (1954) for a ratio of independent normal estimates;
- :func:`loglog_survival_interval` — log(-log) interval of a survival curve (Kalbfleisch &
  Prentice 1980);
- :func:`nct_interval` — interval for a noncentral-t noncentrality (Steiger & Fouladi 1997).

scipy is imported inside the functions so that importing this module stays cheap.
"""

from __future__ import annotations

import math

import numpy as np

from .results import Interval

__all__ = [
    "z_quantile",
    "t_quantile",
    "wilson_interval",
    "wilson",
    "clopper_pearson_interval",
    "t_interval",
    "mean_t_interval",
    "poisson_interval",
    "delta_ratio_interval",
    "fieller_interval",
    "loglog_survival_interval",
    "nct_interval",
]

_NAN = float("nan")


def z_quantile(confidence: float) -> float:
    """Two-sided standard normal quantile ``Φ⁻¹(0.5 + confidence / 2)`` (1.96 at 0.95)."""
    from scipy import stats

    return float(stats.norm.ppf(0.5 + confidence / 2))


def t_quantile(confidence: float, df: float) -> float:
    """Two-sided Student-t quantile ``t⁻¹(0.5 + confidence / 2; df)``."""
    from scipy import stats

    return float(stats.t.ppf(0.5 + confidence / 2, df))


def wilson_interval(
    k: np.ndarray, n: np.ndarray, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion ``k / n`` (Wilson 1927, JASA 22:209-212).

    ``centre = (p + z²/2n) / (1 + z²/n)``, ``half = z √(p(1-p)/n + z²/4n²) / (1 + z²/n)``,
    clipped to [0, 1].  ``k`` and ``n`` may be non-integer (an effective sample size).  NaN
    where ``n <= 0``.

    Validated against statsmodels ``proportion_confint(method="wilson")`` (identical at
    0.95; within one ulp of z at other levels) and R ``prop.test(correct = FALSE)``.
    """
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    z = z_quantile(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(np.maximum(p * (1 - p), 0.0) / n + z**2 / (4 * n**2)) / denom
    bad = ~(n > 0)
    low = np.where(bad, np.nan, np.clip(centre - half, 0.0, 1.0))
    high = np.where(bad, np.nan, np.clip(centre + half, 0.0, 1.0))
    return low, high


def wilson(count: float, nobs: float, confidence: float) -> Interval:
    """Wilson interval of one proportion ``count / nobs`` (see :func:`wilson_interval`).

    NaN bounds when there is no denominator (``nobs <= 0``).
    """
    if nobs <= 0:
        return Interval(_NAN, _NAN, confidence, "Wilson")
    low, high = wilson_interval(np.asarray(count), np.asarray(nobs), confidence)
    return Interval(float(low), float(high), confidence, "Wilson")


def clopper_pearson_interval(
    k: np.ndarray, n: np.ndarray, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Clopper–Pearson "exact" interval (Clopper & Pearson 1934, Biometrika 26:404-413).

    ``low = Beta⁻¹(α/2; k, n-k+1)`` (0 when k = 0), ``high = Beta⁻¹(1-α/2; k+1, n-k)``
    (1 when k = n).  Non-integer ``k``/``n`` (effective sizes) are allowed.
    """
    from scipy import stats

    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    alpha = 1 - confidence
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(k <= 0, 0.0, stats.beta.ppf(alpha / 2, k, n - k + 1))
        high = np.where(k >= n, 1.0, stats.beta.ppf(1 - alpha / 2, k + 1, n - k))
    bad = ~(n > 0)
    return np.where(bad, np.nan, low), np.where(bad, np.nan, high)


def t_interval(
    estimate: np.ndarray, se: np.ndarray, df: np.ndarray, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Student-t interval ``estimate ± t(1-α/2; df) · se`` (Student 1908); NaN where
    ``df <= 0``."""
    from scipy import stats

    df = np.asarray(df, dtype=float)
    with np.errstate(invalid="ignore"):
        q = np.where(df > 0, stats.t.ppf(0.5 + confidence / 2, np.where(df > 0, df, 1.0)), np.nan)
    return estimate - q * se, estimate + q * se


def mean_t_interval(values: np.ndarray, confidence: float) -> tuple[float, float, float, float]:
    """Mean, standard error ``s/√n`` and t interval (df ``n - 1``) of independent ``values``.

    A zero standard error gives the degenerate interval ``[mean, mean]``.
    """
    n = len(values)
    mean = float(values.mean())
    se = float(values.std(ddof=1) / math.sqrt(n))
    if se == 0:
        return mean, 0.0, mean, mean
    half = t_quantile(confidence, n - 1) * se
    return mean, se, mean - half, mean + half


def poisson_interval(
    total: np.ndarray, var: np.ndarray, wmax: np.ndarray, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Exact Poisson interval for a (weighted) count.

    Unweighted (``var = total = k``, ``wmax = 1``) this is Garwood's (1936, Biometrika 28:437)
    interval: ``χ²(α/2; 2k)/2`` to ``χ²(1-α/2; 2k+2)/2``.  For a weighted sum
    ``Y = Σ wᵢkᵢ`` with ``v = Σ wᵢ²kᵢ`` and largest weight ``w_M`` it is the gamma interval
    of Fay & Feuer (1997, Stat Med 16:791-801): ``v/(2Y) · χ²(α/2; 2Y²/v)`` to
    ``(v+w_M²)/(2(Y+w_M)) · χ²(1-α/2; 2(Y+w_M)²/(v+w_M²))``, which reduces to Garwood when
    every weight is 1.
    """
    from scipy import stats

    y = np.asarray(total, dtype=float)
    v = np.asarray(var, dtype=float)
    wm = np.asarray(wmax, dtype=float)
    alpha = 1 - confidence
    with np.errstate(divide="ignore", invalid="ignore"):
        low_pos = v / (2 * y) * stats.chi2.ppf(alpha / 2, 2 * y**2 / v)
        low = np.where(y > 0, low_pos, 0.0)
        vu, yu = v + wm**2, y + wm
        high = vu / (2 * yu) * stats.chi2.ppf(1 - alpha / 2, 2 * yu**2 / vu)
    bad = ~(wm > 0)
    return np.where(bad, np.nan, low), np.where(bad, np.nan, high)


def delta_ratio_interval(
    ratio: np.ndarray,
    mean_x: np.ndarray,
    var_y: np.ndarray,
    var_x: np.ndarray,
    cov_xy: np.ndarray,
    n: np.ndarray,
    confidence: float = 0.95,
) -> tuple[np.ndarray, np.ndarray]:
    """Delta-method (normal) interval for ``R = ȳ / x̄`` (Cochran 1977, Sampling
    Techniques, §6.4): ``Var(R) ≈ (s_y² − 2R s_xy + R² s_x²) / (n x̄²)``."""
    z = z_quantile(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        var = (var_y - 2 * ratio * cov_xy + ratio**2 * var_x) / (n * mean_x**2)
        se = np.sqrt(np.maximum(var, 0.0))
    return ratio - z * se, ratio + z * se


def fieller_interval(
    a: float, var_a: float, b: float, var_b: float, confidence: float
) -> tuple[Interval, float]:
    """Interval for ``a / b`` from independent normal estimates, and Fieller's ``g``.

    Fieller (1954, JRSS B 16:175-185): the limits are the roots in R of
    ``(a − R·b)² = z²·(v_a + R²·v_b)``, i.e.

        R = [a/b ± (z/|b|)·sqrt(v_a + (a/b)²·v_b − g·v_a)] / (1 − g),  g = z²·v_b / b².

    When ``g >= 1`` (b not significantly different from 0) Fieller's set is unbounded and
    the delta-method interval ``a/b ± z·sqrt(v_a + (a/b)²·v_b)/|b|`` is returned instead;
    the interval's ``method`` is ``"fieller"`` or ``"delta"``.  ``b`` must be non-zero.
    """
    z = z_quantile(confidence)
    ratio = a / b
    g = z**2 * var_b / b**2
    if g < 1:
        root = math.sqrt(max(var_a + ratio**2 * var_b - g * var_a, 0.0))
        low = (ratio - z / abs(b) * root) / (1 - g)
        high = (ratio + z / abs(b) * root) / (1 - g)
        return Interval(low, high, confidence, "fieller"), g
    half = z * math.sqrt(var_a + ratio**2 * var_b) / abs(b)
    return Interval(ratio - half, ratio + half, confidence, "delta"), g


def loglog_survival_interval(
    surv: np.ndarray, se: np.ndarray, confidence: float
) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise log(-log) interval of a survival curve from Greenwood standard errors.

    With sigma^2 = Var(S)/S^2 (Greenwood 1926), theta = log(-log S) has standard error
    sigma / |log S| (Kalbfleisch & Prentice 1980); the bounds are exp(-exp(theta ± z·se)).
    The same as R's ``survfit(conf.type = "log-log")``.  Undefined (NaN) where S is 0.
    """
    z = z_quantile(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma = se / surv
        log_s = np.log(surv)
        theta = np.log(-log_s)
        half = z * sigma / np.abs(log_s)
        low = np.exp(-np.exp(theta + half))
        high = np.exp(-np.exp(theta - half))
    undefined = ~(surv > 0) | ~np.isfinite(se)
    low[undefined] = np.nan
    high[undefined] = np.nan
    return low, high


def nct_interval(t: float, df: float, confidence: float) -> tuple[float, float]:
    """Confidence interval for the noncentrality parameter of a noncentral t.

    Inverts ``scipy.stats.nct.cdf(t, df, ncp)`` (decreasing in ``ncp``): the lower bound
    solves ``cdf = 1 - alpha/2`` and the upper ``cdf = alpha/2`` (Steiger & Fouladi 1997;
    Cumming 2012, ch. 11).
    """
    from scipy import optimize, stats

    alpha = 1.0 - confidence

    def solve(target: float) -> float:
        def f(ncp: float) -> float:
            return float(stats.nct.cdf(t, df, ncp)) - target

        step = 1.0 + abs(t)
        lo, hi = t - step, t + step
        for _ in range(60):
            if f(lo) > 0:
                break
            lo -= step
            step *= 2
        for _ in range(60):
            if f(hi) < 0:
                break
            hi += step
            step *= 2
        return float(optimize.brentq(f, lo, hi, xtol=1e-12, rtol=1e-12))

    return solve(1.0 - alpha / 2.0), solve(alpha / 2.0)
