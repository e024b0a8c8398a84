"""Standardised effect sizes: Cohen's d, Hedges' g, Glass's delta, d_z, d_av, and the
rank-biserial correlation of the rank tests.

Each formula and interval method cites its source in the docstring of :func:`effect_size`
or of the helper that computes it (see also ``shared/references.md``).

Validated against pingouin ``compute_effsize`` (values, rel. 1e-6), against
``scipy.stats.nct`` (the interval ends invert the noncentral t, rel. 1e-6) and against the
large-sample normal approximation (tests/effects/test_effects.py).
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from .._checks import check_confidence
from .._intervals import nct_interval, z_quantile
from ..errors import DataError, EstimationError
from ..results import EffectSize
from ._inputs import clean_pair, need
from ._variation import NO_VARIATION

__all__ = ["EffectSizeKind", "effect_size", "effect_size_arrays", "rank_biserial"]

EffectSizeKind = Literal["cohen_d", "hedges_g", "d_z", "d_av", "glass_delta"]
_KIND_NAMES = {
    "cohen_d": "Cohen's d",
    "hedges_g": "Hedges' g",
    "d_z": "d_z (paired)",
    "d_av": "d_av (paired)",
    "glass_delta": "Glass's delta",
}
_PAIRED_KINDS = ("d_z", "d_av")
_INDEPENDENT_KINDS = ("cohen_d", "hedges_g", "glass_delta")


def _hedges_factor(n1: int, n2: int) -> float:
    """Hedges' small-sample correction J = 1 - 3 / (4 (n1 + n2) - 9).

    The usual approximation (Hedges 1981; references.md), the one pingouin uses; the
    exact gamma-function factor differs in the 4th significant digit.
    """
    return 1.0 - 3.0 / (4.0 * (n1 + n2) - 9.0)


def _check_kind(kind: str, paired: bool) -> None:
    """The kind exists and fits ``paired``."""
    if kind in _PAIRED_KINDS:
        if not paired:
            raise DataError(f"effect size {kind!r} is for paired data; pass paired=True")
        return
    if kind not in _INDEPENDENT_KINDS:
        raise DataError(f"kind must be one of {sorted(_KIND_NAMES)}, got {kind!r}")
    if paired:
        raise DataError(
            f"effect size {kind!r} is for independent samples; for paired data use 'd_z' or 'd_av'"
        )


def _paired_size(x: np.ndarray, y: np.ndarray, kind: str, confidence: float) -> EffectSize:
    """d_z = mean(diff) / sd(diff) with the exact noncentral-t interval of t = d_z·√n
    (Steiger & Fouladi 1997), or d_av = mean(diff) / √((s_x² + s_y²)/2) with the normal
    interval SE = √(1/n + d²/(2n)) (Cumming 2012; references.md)."""
    need(x, 2, "paired effect size")
    diff = x - y
    n = diff.size
    if kind == "d_z":
        sd = float(np.std(diff, ddof=1))
        if sd == 0:
            raise EstimationError(f"{NO_VARIATION}: d_z: the paired differences have zero variance")
        d = float(np.mean(diff)) / sd
        lo, hi = nct_interval(d * math.sqrt(n), n - 1, confidence)
        return EffectSize(_KIND_NAMES[kind], d, lo / math.sqrt(n), hi / math.sqrt(n), confidence)
    sd_av = math.sqrt((np.var(x, ddof=1) + np.var(y, ddof=1)) / 2.0)
    if sd_av == 0:
        raise EstimationError(f"{NO_VARIATION}: d_av: both occasions have zero variance")
    d = float(np.mean(diff)) / sd_av
    se = math.sqrt(1.0 / n + d * d / (2.0 * n))
    z = z_quantile(confidence)
    return EffectSize(_KIND_NAMES[kind], d, d - z * se, d + z * se, confidence)


def _independent_size(x: np.ndarray, y: np.ndarray, kind: str, confidence: float) -> EffectSize:
    """Cohen's d / Hedges' g with the pooled SD and the noncentral-t interval (Cohen 1988;
    Hedges 1981; Steiger & Fouladi 1997), or Glass's delta with the normal interval
    SE = √((n1+n2)/(n1 n2) + Δ²/(2(n2−1))) (Glass 1976; Hedges & Olkin 1985)."""
    need(x, 2, "first sample")
    need(y, 2, "second sample")
    n1, n2 = x.size, y.size
    diff_means = float(np.mean(x) - np.mean(y))
    if kind == "glass_delta":
        sd_c = float(np.std(y, ddof=1))
        if sd_c == 0:
            raise EstimationError(
                f"{NO_VARIATION}: Glass's delta: the comparison sample has zero variance"
            )
        d = diff_means / sd_c
        se = math.sqrt((n1 + n2) / (n1 * n2) + d * d / (2.0 * (n2 - 1)))
        z = z_quantile(confidence)
        return EffectSize(_KIND_NAMES[kind], d, d - z * se, d + z * se, confidence)
    pooled = math.sqrt(
        ((n1 - 1) * np.var(x, ddof=1) + (n2 - 1) * np.var(y, ddof=1)) / (n1 + n2 - 2)
    )
    if pooled == 0:
        raise EstimationError(
            f"{NO_VARIATION}: {_KIND_NAMES[kind]}: both samples have zero variance"
        )
    d = diff_means / pooled
    scale = math.sqrt(1.0 / n1 + 1.0 / n2)
    lo, hi = nct_interval(d / scale, n1 + n2 - 2, confidence)
    lo, hi = lo * scale, hi * scale
    if kind == "hedges_g":
        j = _hedges_factor(n1, n2)
        return EffectSize(_KIND_NAMES[kind], j * d, j * lo, j * hi, confidence)
    return EffectSize(_KIND_NAMES[kind], d, lo, hi, confidence)


def effect_size_arrays(
    x: np.ndarray, y: np.ndarray, kind: str, paired: bool, confidence: float
) -> EffectSize:
    """:func:`effect_size` on clean float arrays (no missing values; checked level)."""
    _check_kind(kind, paired)
    if kind in _PAIRED_KINDS:
        return _paired_size(x, y, kind, confidence)
    return _independent_size(x, y, kind, confidence)


def effect_size(
    x: ArrayLike,
    y: ArrayLike,
    *,
    kind: EffectSizeKind,
    paired: bool = False,
    confidence: float = 0.95,
) -> EffectSize:
    """Standardised difference ``x - y`` with a confidence interval.

    ``x`` is the "after" (or treated) sample and ``y`` the "before" (or comparison) sample,
    as in ``pingouin.compute_effsize(x, y)``.

    Parameters
    ----------
    x, y
        Numbers (array, list or Series).  Missing values are dropped per side, or pairwise
        when ``paired``.
    kind
        ``"cohen_d"``: (M_x - M_y) / s_p with the pooled SD
        s_p = sqrt(((n1-1)s1² + (n2-1)s2²) / (n1+n2-2)) (Cohen 1988).
        ``"hedges_g"``: d · (1 - 3/(4(n1+n2) - 9)) (Hedges 1981, the approximate
        correction; pingouin uses the same).
        ``"glass_delta"``: (M_x - M_y) / s_y, the comparison group's SD (Glass 1976).
        ``"d_z"`` (paired): mean(diff) / sd(diff) = t / sqrt(n).
        ``"d_av"`` (paired): mean(diff) / sqrt((s_x² + s_y²)/2) (Cumming 2012; Lakens 2013
        prints a wrong denominator).
    paired
        ``True`` for the paired kinds ``d_z`` and ``d_av``; the independent kinds need
        ``False``.
    confidence
        Level of the interval.

    Notes
    -----
    Interval methods (which one is named here so that a reader can reproduce it):

    * Cohen's d, Hedges' g, d_z: exact, by inverting the noncentral t distribution
      (``scipy.stats.nct``) for the t statistic (Steiger & Fouladi 1997; Cumming 2012).
      Hedges' g's interval is the d interval multiplied by the correction factor.
    * d_av: normal approximation, SE = sqrt(1/n + d²/(2n)) (references.md); d_av has no
      exact pivot.
    * Glass's delta: normal approximation, SE = sqrt((n1+n2)/(n1 n2) + Δ²/(2(n2-1)))
      (Hedges & Olkin 1985).

    Raises
    ------
    DataError
        Unknown ``kind``, a kind that does not fit ``paired``, unequal lengths when paired.
    EstimationError
        Fewer than 2 observations per sample or zero variance.
    """
    confidence = check_confidence(confidence)
    a, b, _ = clean_pair(x, y, paired=paired)
    return effect_size_arrays(a, b, kind, paired, confidence)


def rank_biserial(
    after: np.ndarray, before: np.ndarray, paired: bool, confidence: float
) -> EffectSize:
    """Rank-biserial correlation (positive when ``after`` tends to be larger).

    Paired: matched-pairs r = (R+ - R-) / (R+ + R-) over the non-zero differences (Kerby
    2014; pingouin.wilcoxon).  Independent: r = 2 U_after / (n1 n2) - 1 (Wendt 1972;
    pingouin.mwu).  Interval: Fisher z, tanh(atanh(r) ± z·SE) with
    SE = sqrt((2n³+3n²+n)/6) / ((n²+n)/2) (paired) or sqrt((n1+n2+1) / (3 n1 n2))
    (independent), as in the R package *effectsize* (Ben-Shachar et al. 2020).
    """
    from scipy import stats

    z = z_quantile(confidence)
    if paired:
        d = after - before
        d = d[d != 0]
        n = d.size
        if n == 0:
            raise EstimationError(
                f"{NO_VARIATION}: rank-biserial correlation: every paired difference is zero"
            )
        ranks = stats.rankdata(np.abs(d))
        r = float((ranks[d > 0].sum() - ranks[d < 0].sum()) / ranks.sum())
        se = math.sqrt((2 * n**3 + 3 * n**2 + n) / 6.0) / ((n**2 + n) / 2.0)
    else:
        n1, n2 = after.size, before.size
        u_after = float(stats.mannwhitneyu(after, before).statistic)
        r = 2.0 * u_after / (n1 * n2) - 1.0
        se = math.sqrt((n1 + n2 + 1) / (3.0 * n1 * n2))
    rz = math.atanh(min(max(r, -1 + 1e-12), 1 - 1e-12))
    lo, hi = math.tanh(rz - z * se), math.tanh(rz + z * se)
    return EffectSize("rank-biserial correlation", r, lo, hi, confidence)
