"""Before-and-after impact estimates.

Result objects
    :class:`Effect` (one change with its interval), :class:`EffectSize`,
    :class:`DiDResult`, :class:`ITSResult`, :class:`PreTrendTest`, :class:`Verdict`.
Estimators
    :func:`pre_post` (paired / independent before-after comparison: t, Wilcoxon /
    Mann-Whitney, BCa bootstrap), :func:`effect_size` (Cohen's d, Hedges' g, d_z, d_av,
    Glass's delta), :func:`did` (2x2 and multi-period difference-in-differences with robust
    or cluster-robust errors, pre-trend test, event study), :func:`its` (segmented
    regression for interrupted time series, Gaussian / Poisson / quasi-Poisson),
    :func:`adjust` (multiplicity), :func:`verdict` (plain-words judgement against a
    minimum meaningful change).  Power and minimum detectable effects are in
    :mod:`impactkit.power`.

Every estimate is a thin layer over scipy.stats and statsmodels; the sources of the
formulas are cited in each docstring (see also ``shared/references.md``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import optimize, stats

from ._checks import check_confidence, numeric_array, require_columns
from ._display import fmt, fmt_ci, fmt_p, html_block
from .errors import DataError, EstimationError, describe_rows

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "Effect",
    "EffectSize",
    "DiDResult",
    "ITSResult",
    "PreTrendTest",
    "Verdict",
    "pre_post",
    "effect_size",
    "did",
    "its",
    "adjust",
    "verdict",
]


@dataclass(frozen=True)
class EffectSize:
    """A standardised effect size with its confidence interval.

    ``name`` says which one (e.g. ``"Hedges' g"``, ``"d_z (paired)"``,
    ``"rank-biserial correlation"``).
    """

    name: str
    value: float
    ci_low: float
    ci_high: float
    confidence: float = 0.95

    def __str__(self) -> str:
        return f"{self.name} = {fmt(self.value)} ({fmt_ci(self.ci_low, self.ci_high, confidence=self.confidence)})"


@dataclass(frozen=True)
class Effect:
    """One estimated change with its uncertainty.

    Attributes
    ----------
    estimate, se, ci_low, ci_high, p_value
        The change (after minus before, or treated minus control), its standard error,
        the confidence interval at ``confidence``, and the two-sided p-value for no change.
    n
        Number of observations used.
    method
        Estimator and covariance in words, e.g.
        ``"OLS difference-in-differences, cluster-robust (CR1) by store"``.
    baseline
        The comparison level where one exists (e.g. the treated group's pre-period mean);
        ``relative`` is ``estimate / baseline``.
    effect_size
        A standardised effect size where one is defined.
    notes
        Warnings an evaluator should read (few clusters, dropped rows, ...).
    label
        What was estimated (indicator or outcome name), used in summaries and tables.
    null
        The value meaning "no change": 0 for differences (the default), 1 for ratios such
        as the rate ratios of :func:`its`.  :meth:`summary` and :func:`verdict` use it.
    """

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    n: int
    confidence: float = 0.95
    method: str = ""
    baseline: float | None = None
    effect_size: EffectSize | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    label: str = "outcome"
    null: float = 0.0

    @property
    def relative(self) -> float | None:
        """``estimate / baseline``, or ``None`` when there is no non-zero baseline."""
        if self.baseline is None or self.baseline == 0:
            return None
        return self.estimate / self.baseline

    def to_frame(self) -> pd.DataFrame:
        """One tidy row with every number of the result."""
        es = self.effect_size
        row = {
            "label": self.label,
            "estimate": self.estimate,
            "se": self.se,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "p_value": self.p_value,
            "n": self.n,
            "confidence": self.confidence,
            "baseline": self.baseline,
            "relative": self.relative,
            "effect_size_name": es.name if es else None,
            "effect_size": es.value if es else None,
            "effect_size_ci_low": es.ci_low if es else None,
            "effect_size_ci_high": es.ci_high if es else None,
            "method": self.method,
            "notes": "; ".join(self.notes),
            "null": self.null,
        }
        return pd.DataFrame([row])

    def summary(self) -> str:
        """One sentence in plain words with the numbers and the direction.

        For a difference (``null == 0``) the sentence says "increased by" / "decreased by"
        when the interval excludes no change, "changed by" otherwise.  For a ratio
        (``null == 1``, e.g. a rate ratio) it says by what percentage the rate rose or fell.
        """
        ci = fmt_ci(self.ci_low, self.ci_high, confidence=self.confidence)
        name = f"{self.label[:1].upper()}{self.label[1:]}"
        tail = f"{ci}, {fmt_p(self.p_value)}, n = {self.n:,}"
        if self.null != 0:
            pct = 100 * (self.estimate / self.null - 1)
            if self.ci_low > self.null:
                how = f"rose by {abs(pct):.1f} %"
            elif self.ci_high < self.null:
                how = f"fell by {abs(pct):.1f} %"
            else:
                how = f"changed by {pct:+.1f} %, and the interval includes no change"
            return f"{name}: ratio {fmt(self.estimate)} ({tail}); the rate {how}."
        if self.ci_low > 0:
            direction = "increased by"
        elif self.ci_high < 0:
            direction = "decreased by"
        else:
            direction = "changed by"
        change = fmt(abs(self.estimate)) if direction != "changed by" else fmt(self.estimate)
        rel = ""
        if self.relative is not None:
            rel = f"{100 * self.relative:+.1f} % of the baseline {fmt(self.baseline)}; "
        sentence = f"{name} {direction} {change} ({rel}{tail})"
        if direction == "changed by":
            sentence += "; the interval includes no change"
        return sentence + "."

    def __repr__(self) -> str:
        return (
            f"Effect({self.label}: {fmt(self.estimate)} "
            f"[{fmt(self.ci_low)}, {fmt(self.ci_high)}], {fmt_p(self.p_value)}, "
            f"n={self.n}, method={self.method!r})"
        )

    def _repr_html_(self) -> str:
        return html_block(f"Effect — {self.method}", self.to_frame(), self.notes, self.summary())


# --------------------------------------------------------------------------------------
# Effect sizes
# --------------------------------------------------------------------------------------

EffectSizeKind = Literal["cohen_d", "hedges_g", "d_z", "d_av", "glass_delta"]
_KIND_NAMES = {
    "cohen_d": "Cohen's d",
    "hedges_g": "Hedges' g",
    "d_z": "d_z (paired)",
    "d_av": "d_av (paired)",
    "glass_delta": "Glass's delta",
}


def _nct_interval(t: float, df: float, confidence: float) -> tuple[float, float]:
    """Confidence interval for the noncentrality parameter of a noncentral t.

    Inverts ``scipy.stats.nct.cdf(t, df, ncp)`` (decreasing in ``ncp``): the lower bound
    solves ``cdf = 1 - alpha/2`` and the upper ``cdf = alpha/2`` (Steiger & Fouladi 1997;
    Cumming 2012, ch. 11).
    """
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


def _hedges_factor(n1: int, n2: int) -> float:
    """Hedges' small-sample correction J = 1 - 3 / (4 (n1 + n2) - 9).

    The usual approximation (Hedges 1981; references.md), the one pingouin uses; the
    exact gamma-function factor differs in the 4th significant digit.
    """
    return 1.0 - 3.0 / (4.0 * (n1 + n2) - 9.0)


def _clean_pair(
    x: Any, y: Any, *, paired: bool, names: tuple[str, str] = ("x", "y")
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Numeric arrays with missing values dropped (pairwise when ``paired``) and notes."""
    a = numeric_array(x, names[0], allow_nan=True)
    b = numeric_array(y, names[1], allow_nan=True)
    notes: list[str] = []
    if paired:
        if a.size != b.size:
            raise DataError(
                f"paired data need equal lengths: {names[0]} has {a.size} values, "
                f"{names[1]} has {b.size}"
            )
        keep = ~(np.isnan(a) | np.isnan(b))
        dropped = int((~keep).sum())
        if dropped:
            notes.append(f"dropped {dropped} pair(s) with a missing value")
        return a[keep], b[keep], notes
    for arr, name in ((a, names[0]), (b, names[1])):
        k = int(np.isnan(arr).sum())
        if k:
            notes.append(f"dropped {k} missing value(s) from {name}")
    return a[~np.isnan(a)], b[~np.isnan(b)], notes


def _need(arr: np.ndarray, minimum: int, name: str) -> None:
    if arr.size < minimum:
        raise EstimationError(
            f"{name}: need at least {minimum} non-missing observations, got {arr.size}"
        )


def _effect_size_arrays(
    x: np.ndarray, y: np.ndarray, kind: str, paired: bool, confidence: float
) -> EffectSize:
    z = float(stats.norm.ppf(0.5 + confidence / 2.0))
    if kind in ("d_z", "d_av"):
        if not paired:
            raise DataError(f"effect size {kind!r} is for paired data; pass paired=True")
        _need(x, 2, "paired effect size")
        diff = x - y
        n = diff.size
        if kind == "d_z":
            sd = float(np.std(diff, ddof=1))
            if sd == 0:
                raise EstimationError("d_z: the paired differences have zero variance")
            d = float(np.mean(diff)) / sd
            lo, hi = _nct_interval(d * math.sqrt(n), n - 1, confidence)
            return EffectSize(
                _KIND_NAMES[kind], d, lo / math.sqrt(n), hi / math.sqrt(n), confidence
            )
        sd_av = math.sqrt((np.var(x, ddof=1) + np.var(y, ddof=1)) / 2.0)
        if sd_av == 0:
            raise EstimationError("d_av: both occasions have zero variance")
        d = float(np.mean(diff)) / sd_av
        se = math.sqrt(1.0 / n + d * d / (2.0 * n))
        return EffectSize(_KIND_NAMES[kind], d, d - z * se, d + z * se, confidence)
    if kind not in ("cohen_d", "hedges_g", "glass_delta"):
        raise DataError(f"kind must be one of {sorted(_KIND_NAMES)}, got {kind!r}")
    if paired:
        raise DataError(
            f"effect size {kind!r} is for independent samples; for paired data use 'd_z' or 'd_av'"
        )
    _need(x, 2, "first sample")
    _need(y, 2, "second sample")
    n1, n2 = x.size, y.size
    diff_means = float(np.mean(x) - np.mean(y))
    if kind == "glass_delta":
        sd_c = float(np.std(y, ddof=1))
        if sd_c == 0:
            raise EstimationError("Glass's delta: the comparison sample has zero variance")
        d = diff_means / sd_c
        se = math.sqrt((n1 + n2) / (n1 * n2) + d * d / (2.0 * (n2 - 1)))
        return EffectSize(_KIND_NAMES[kind], d, d - z * se, d + z * se, confidence)
    pooled = math.sqrt(
        ((n1 - 1) * np.var(x, ddof=1) + (n2 - 1) * np.var(y, ddof=1)) / (n1 + n2 - 2)
    )
    if pooled == 0:
        raise EstimationError(f"{_KIND_NAMES[kind]}: both samples have zero variance")
    d = diff_means / pooled
    scale = math.sqrt(1.0 / n1 + 1.0 / n2)
    lo, hi = _nct_interval(d / scale, n1 + n2 - 2, confidence)
    lo, hi = lo * scale, hi * scale
    if kind == "hedges_g":
        j = _hedges_factor(n1, n2)
        return EffectSize(_KIND_NAMES[kind], j * d, j * lo, j * hi, confidence)
    return EffectSize(_KIND_NAMES[kind], d, lo, hi, confidence)


def effect_size(
    x: Any,
    y: Any,
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
    a, b, _ = _clean_pair(x, y, paired=paired)
    return _effect_size_arrays(a, b, kind, paired, confidence)


# --------------------------------------------------------------------------------------
# Pre/post comparison
# --------------------------------------------------------------------------------------

PrePostMethod = Literal["t", "wilcoxon", "mann-whitney", "bootstrap"]


def _rank_biserial(
    after: np.ndarray, before: np.ndarray, paired: bool, confidence: float
) -> EffectSize:
    """Rank-biserial correlation (positive when ``after`` tends to be larger).

    Paired: matched-pairs r = (R+ - R-) / (R+ + R-) over the non-zero differences (Kerby
    2014; pingouin.wilcoxon).  Independent: r = 2 U_after / (n1 n2) - 1 (Wendt 1972;
    pingouin.mwu).  Interval: Fisher z, tanh(atanh(r) ± z·SE) with
    SE = sqrt((2n³+3n²+n)/6) / ((n²+n)/2) (paired) or sqrt((n1+n2+1) / (3 n1 n2))
    (independent), as in the R package *effectsize* (Ben-Shachar et al. 2020).
    """
    z = float(stats.norm.ppf(0.5 + confidence / 2.0))
    if paired:
        d = after - before
        d = d[d != 0]
        n = d.size
        if n == 0:
            raise EstimationError("rank-biserial correlation: every paired difference is zero")
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


def _order_stat_interval(values: np.ndarray, k: int) -> tuple[float, float]:
    s = np.sort(values)
    k = min(max(k, 0), (s.size - 1) // 2)
    return float(s[k]), float(s[s.size - 1 - k])


def _hodges_lehmann(
    after: np.ndarray, before: np.ndarray, paired: bool, confidence: float
) -> tuple[float, float, float]:
    """Hodges–Lehmann shift estimate and its distribution-free interval.

    Paired: median of the Walsh averages (d_i + d_j)/2, i <= j, of d = after - before.
    Independent: median of all differences after_i - before_j.  Interval: the k-th smallest
    and k-th largest of those values with k from the normal approximation to the Wilcoxon
    signed-rank / Mann–Whitney distribution (Hollander, Wolfe & Chicken 2014, §3.3 and
    §4.3).  Memory is O(n²).
    """
    z = float(stats.norm.ppf(0.5 + confidence / 2.0))
    if paired:
        d = after - before
        n = d.size
        i, j = np.triu_indices(n)
        values = (d[i] + d[j]) / 2.0
        k = math.floor(n * (n + 1) / 4.0 - z * math.sqrt(n * (n + 1) * (2 * n + 1) / 24.0))
    else:
        n1, n2 = after.size, before.size
        values = np.subtract.outer(after, before).ravel()
        k = math.floor(n1 * n2 / 2.0 - z * math.sqrt(n1 * n2 * (n1 + n2 + 1) / 12.0))
    lo, hi = _order_stat_interval(values, k)
    return float(np.median(values)), lo, hi


def _bootstrap(
    after: np.ndarray,
    before: np.ndarray,
    paired: bool,
    confidence: float,
    n_resamples: int,
    seed: int | None,
    progress: bool | None,
) -> tuple[float, float, float, float]:
    """BCa interval (Efron 1987) via ``scipy.stats.bootstrap`` in 10 seeded chunks.

    The resamples are drawn in chunks, each extending the previous bootstrap
    distribution (``bootstrap_result=``), so that a tqdm bar can show progress; the
    result does not depend on whether the bar is shown.  The p-value is from a
    permutation test with the same number of resamples (sign flips when paired).
    """
    from tqdm.auto import tqdm

    rng = np.random.default_rng(seed)
    if paired:
        data: tuple[np.ndarray, ...] = (after - before,)

        def stat(d: np.ndarray, axis: int = -1) -> np.ndarray:
            return np.mean(d, axis=axis)

    else:
        data = (after, before)

        def stat(a: np.ndarray, b: np.ndarray, axis: int = -1) -> np.ndarray:  # type: ignore[misc]
            return np.mean(a, axis=axis) - np.mean(b, axis=axis)

    chunks = 10 if n_resamples >= 10 else 1
    sizes = [n_resamples // chunks + (1 if i < n_resamples % chunks else 0) for i in range(chunks)]
    show = progress if progress is not None else n_resamples * (after.size + before.size) > 5e6
    result = None
    for size in tqdm(sizes, desc="bootstrap", disable=not show, leave=False):
        result = stats.bootstrap(
            data,
            stat,
            n_resamples=size,
            confidence_level=confidence,
            method="BCa",
            vectorized=True,
            bootstrap_result=result,
            rng=rng,
        )
    assert result is not None
    if paired:
        perm = stats.permutation_test(
            (after, before),
            lambda a, b, axis=-1: np.mean(a - b, axis=axis),
            permutation_type="samples",
            n_resamples=n_resamples,
            vectorized=True,
            rng=rng,
        )
    else:
        perm = stats.permutation_test(
            (after, before),
            stat,
            permutation_type="independent",
            n_resamples=n_resamples,
            vectorized=True,
            rng=rng,
        )
    ci = result.confidence_interval
    return float(ci.low), float(ci.high), float(result.standard_error), float(perm.pvalue)


def pre_post(
    before: Any,
    after: Any,
    *,
    paired: bool,
    method: PrePostMethod = "t",
    confidence: float = 0.95,
    seed: int | None = None,
    label: str = "outcome",
    n_resamples: int = 9999,
    progress: bool | None = None,
) -> Effect:
    """Change from ``before`` to ``after`` (after − before) with interval and p-value.

    Parameters
    ----------
    before, after
        Numbers (array, list or Series).  ``paired=True``: the same units measured twice,
        equal lengths, pairs with a missing value are dropped (counted in ``notes``).
        ``paired=False``: two independent samples, missing values dropped per side.
    paired
        Whether the two measurements are on the same units.
    method
        ``"t"``: paired t test (``scipy.stats.ttest_rel``) or Welch's t test
        (``ttest_ind(equal_var=False)``); estimate = difference in means; effect size
        d_z (paired) or Hedges' g (independent), see :func:`effect_size`.

        ``"wilcoxon"`` (paired only) / ``"mann-whitney"`` (independent only): the p-value
        is scipy's ``wilcoxon`` / ``mannwhitneyu`` (defaults); the **estimate is the
        Hodges–Lehmann shift** (median of Walsh averages / of pairwise differences) with
        its distribution-free interval (normal approximation for the order-statistic
        index); ``se`` is the interval half-width / z (approximate); the effect size is
        the rank-biserial correlation.  ``baseline`` stays the before-mean, so
        ``relative`` compares a median shift with a mean: read it as rough.

        ``"bootstrap"``: difference in means with a BCa interval
        (``scipy.stats.bootstrap(method="BCa")``, Efron 1987), ``se`` the bootstrap SE,
        p-value from a permutation test (``scipy.stats.permutation_test``; sign flips
        when paired) with ``n_resamples`` resamples; effect size as for ``"t"``.
    confidence
        Interval level in (0, 1).
    seed
        Seeds the bootstrap and the permutation test (ignored by other methods).
    label
        Name of the outcome, used in summaries.
    n_resamples
        Bootstrap / permutation resamples.
    progress
        Show a tqdm bar for the bootstrap (``None``: only for long runs).

    Returns
    -------
    Effect
        ``baseline`` is the before-mean.

    Raises
    ------
    DataError
        Non-numeric values, unequal lengths when paired, a method that does not fit
        ``paired``.
    EstimationError
        Fewer than 2 observations (per side), or no variation at all.
    """
    confidence = check_confidence(confidence)
    methods = ("t", "wilcoxon", "mann-whitney", "bootstrap")
    if method not in methods:
        raise DataError(f"method must be one of {methods}, got {method!r}")
    if method == "wilcoxon" and not paired:
        raise DataError("method 'wilcoxon' is for paired data; use 'mann-whitney' for two samples")
    if method == "mann-whitney" and paired:
        raise DataError("method 'mann-whitney' is for independent samples; use 'wilcoxon'")
    if n_resamples < 100:
        raise DataError(f"n_resamples should be at least 100, got {n_resamples}")
    a, b, notes = _clean_pair(after, before, paired=paired, names=("after", "before"))
    if paired:
        _need(a, 2, "pre_post (pairs)")
        diff = a - b
        if np.ptp(diff) == 0:
            raise EstimationError(
                f"pre_post: every paired difference equals {fmt(float(diff[0]))}; "
                "there is no variation to estimate uncertainty from"
            )
        n = int(a.size)
    else:
        _need(a, 2, "pre_post: after")
        _need(b, 2, "pre_post: before")
        if np.ptp(a) == 0 and np.ptp(b) == 0:
            raise EstimationError(
                "pre_post: both samples are constant; there is no variation to estimate "
                "uncertainty from"
            )
        n = int(a.size + b.size)
    baseline = float(np.mean(b))
    design = "paired" if paired else "independent samples"

    def standard_size() -> EffectSize | None:
        kind = "d_z" if paired else "hedges_g"
        try:
            return _effect_size_arrays(a, b, kind, paired, confidence)
        except EstimationError as err:
            notes.append(f"no standardised effect size: {err}")
            return None

    if method == "t":
        res = stats.ttest_rel(a, b) if paired else stats.ttest_ind(a, b, equal_var=False)
        ci = res.confidence_interval(confidence_level=confidence)
        estimate = float(np.mean(a - b)) if paired else float(np.mean(a) - np.mean(b))
        if paired:
            se = float(np.std(a - b, ddof=1) / math.sqrt(n))
        else:
            se = math.sqrt(np.var(a, ddof=1) / a.size + np.var(b, ddof=1) / b.size)
        return Effect(
            estimate=estimate,
            se=float(se),
            ci_low=float(ci.low),
            ci_high=float(ci.high),
            p_value=float(res.pvalue),
            n=n,
            confidence=confidence,
            method=f"{'paired t test' if paired else 'Welch t test'}, difference in means",
            baseline=baseline,
            effect_size=standard_size(),
            notes=tuple(notes),
            label=label,
        )
    if method in ("wilcoxon", "mann-whitney"):
        if paired:
            p = float(stats.wilcoxon(a, b).pvalue)
        else:
            p = float(stats.mannwhitneyu(a, b).pvalue)
        est, lo, hi = _hodges_lehmann(a, b, paired, confidence)
        z = float(stats.norm.ppf(0.5 + confidence / 2.0))
        name = "Wilcoxon signed-rank test" if paired else "Mann-Whitney U test"
        return Effect(
            estimate=est,
            se=(hi - lo) / (2.0 * z),
            ci_low=lo,
            ci_high=hi,
            p_value=p,
            n=n,
            confidence=confidence,
            method=f"{name}, Hodges-Lehmann shift ({design})",
            baseline=baseline,
            effect_size=_rank_biserial(a, b, paired, confidence),
            notes=tuple(notes),
            label=label,
        )
    lo, hi, se, p = _bootstrap(a, b, paired, confidence, n_resamples, seed, progress)
    estimate = float(np.mean(a - b)) if paired else float(np.mean(a) - np.mean(b))
    return Effect(
        estimate=estimate,
        se=se,
        ci_low=lo,
        ci_high=hi,
        p_value=p,
        n=n,
        confidence=confidence,
        method=(
            f"difference in means ({design}), BCa bootstrap interval ({n_resamples} "
            f"resamples), permutation p-value"
        ),
        baseline=baseline,
        effect_size=standard_size(),
        notes=tuple(notes),
        label=label,
    )


# --------------------------------------------------------------------------------------
# Shared helpers for the regression estimators
# --------------------------------------------------------------------------------------


def _as_pandas(data: Any, context: str) -> pd.DataFrame:
    """A pandas DataFrame from pandas or any narwhals-supported frame (e.g. polars)."""
    if isinstance(data, pd.DataFrame):
        return data
    try:
        import narwhals as nw

        return nw.from_native(data, eager_only=True).to_pandas()
    except TypeError as err:
        raise DataError(
            f"{context}: expected a data frame (pandas or polars), got {type(data).__name__}"
        ) from err


def _binary_column(frame: pd.DataFrame, column: str, context: str) -> np.ndarray:
    """A 0/1 or boolean column as a float array, or a DataError naming column and rows."""
    s = frame[column]
    missing = s.isna()
    if missing.any():
        raise DataError(
            f"{context}: column {column!r} has missing values at "
            f"{describe_rows(frame.index[missing])}; it must be 0/1 or True/False"
        )
    if pd.api.types.is_bool_dtype(s):
        return s.to_numpy(dtype=float)
    num = pd.to_numeric(s, errors="coerce")
    bad = ~num.isin([0, 1])
    if bad.any():
        examples = ", ".join(repr(getattr(v, "item", lambda v=v: v)()) for v in s[bad].unique()[:3])
        raise DataError(
            f"{context}: column {column!r} must hold 0/1 or True/False, found {examples} at "
            f"{describe_rows(frame.index[bad])}"
        )
    return num.to_numpy(dtype=float)


def _design_columns(frame: pd.DataFrame, columns: Sequence[str], context: str) -> pd.DataFrame:
    """Covariates as numeric design columns; text/categorical ones become 0/1 dummies
    (first level dropped).  Names are only used as labels, never evaluated."""
    parts: list[pd.DataFrame] = []
    for col in columns:
        s = frame[col]
        if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
            parts.append(pd.DataFrame({col: s.astype(float)}, index=frame.index))
        else:
            dummies = pd.get_dummies(s.astype("category"), prefix=col, prefix_sep="=")
            parts.append(dummies.iloc[:, 1:].astype(float))
    if not parts:
        return pd.DataFrame(index=frame.index)
    return pd.concat(parts, axis=1)


def _t_or_z(df: float | None, confidence: float) -> float:
    q = 0.5 + confidence / 2.0
    return float(stats.t.ppf(q, df)) if df is not None else float(stats.norm.ppf(q))


# --------------------------------------------------------------------------------------
# Difference-in-differences
# --------------------------------------------------------------------------------------

_SE_WORDS = {
    "nonrobust": "classical (non-robust) standard errors",
    "HC0": "heteroskedasticity-robust (HC0) standard errors",
    "HC1": "heteroskedasticity-robust (HC1) standard errors",
    "HC2": "heteroskedasticity-robust (HC2) standard errors",
    "HC3": "heteroskedasticity-robust (HC3) standard errors",
}


@dataclass(frozen=True)
class PreTrendTest:
    """Joint Wald F test that every pre-period event-study coefficient is zero."""

    statistic: float
    df_num: int
    df_denom: float
    p_value: float

    def summary(self) -> str:
        """One sentence: do treated and comparison groups move in parallel before?"""
        word = (
            "no evidence against parallel pre-trends"
            if self.p_value >= 0.05
            else "evidence that the groups were already diverging before the change"
        )
        return (
            f"Pre-trend (placebo) test over {self.df_num} earlier period(s): "
            f"F = {fmt(self.statistic)}, {fmt_p(self.p_value)} — {word}."
        )


@dataclass(frozen=True, eq=False)
class DiDResult:
    """Difference-in-differences result.

    Attributes
    ----------
    effect
        The DiD estimate (an :class:`Effect`; ``baseline`` = treated group's pre-period mean).
    group_means
        Tidy 2x2 table: columns ``group`` ("treated"/"control"), ``period``
        ("pre"/"post"), ``mean``, ``n`` — on the rows used for estimation.
    n_clusters
        Number of clusters when the covariance is cluster-robust, else ``None``.
    pre_trend
        Joint test of the pre-period event-study coefficients (needs ``period=`` with at
        least two pre-periods), else ``None``.
    event_study
        One row per period: ``period``, ``estimate``, ``se``, ``ci_low``, ``ci_high``,
        ``p_value``, ``reference`` (the last pre-period, fixed at 0), else ``None``.
    """

    effect: Effect
    group_means: pd.DataFrame
    n_clusters: int | None = None
    pre_trend: PreTrendTest | None = None
    event_study: pd.DataFrame | None = None

    @property
    def estimate(self) -> float:
        return self.effect.estimate

    @property
    def ci_low(self) -> float:
        return self.effect.ci_low

    @property
    def ci_high(self) -> float:
        return self.effect.ci_high

    @property
    def p_value(self) -> float:
        return self.effect.p_value

    @property
    def notes(self) -> tuple[str, ...]:
        return self.effect.notes

    def to_frame(self) -> pd.DataFrame:
        """The effect as one tidy row (group means and event study are attributes)."""
        return self.effect.to_frame()

    def summary(self) -> str:
        """The effect sentence, plus the pre-trend test when there is one."""
        text = self.effect.summary()
        if self.pre_trend is not None:
            text += " " + self.pre_trend.summary()
        return text

    def __repr__(self) -> str:
        extra = f", pre-trend {fmt_p(self.pre_trend.p_value)}" if self.pre_trend else ""
        return f"DiDResult({self.effect!r}{extra})"

    def _repr_html_(self) -> str:
        body = html_block(
            f"Difference-in-differences — {self.effect.method}",
            self.effect.to_frame(),
            self.effect.notes,
            self.summary(),
        )
        means = html_block("Group means", self.group_means)
        return body + means


def _ordered_periods(s: pd.Series) -> list[Any]:
    if isinstance(s.dtype, pd.CategoricalDtype) and s.cat.ordered:
        return [c for c in s.cat.categories if c in set(s)]
    try:
        return sorted(s.unique())
    except TypeError as err:
        raise DataError(
            f"period column {s.name!r} mixes values that cannot be ordered; use numbers, "
            "dates or an ordered categorical"
        ) from err


def _fit_ols(
    y: np.ndarray,
    X: pd.DataFrame,
    se: str,
    groups: np.ndarray | None,
) -> Any:
    model = sm.OLS(y, X)
    if se == "cluster":
        return model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
    return model.fit(cov_type=se, use_t=True)


def did(
    data: pd.DataFrame,
    outcome: str,
    treated: str,
    post: str,
    *,
    unit: str | None = None,
    cluster: str | None = None,
    covariates: Sequence[str] = (),
    se: str | None = None,
    confidence: float = 0.95,
    label: str | None = None,
    period: str | None = None,
) -> DiDResult:
    """Difference-in-differences by OLS: the coefficient of treated × post.

    Model (Angrist & Pischke 2009, ch. 5; references.md)::

        y = b0 + b1·treated + b2·post + b3·treated×post [+ covariates]

    b3 = (Ȳ_T,post − Ȳ_T,pre) − (Ȳ_C,post − Ȳ_C,pre) without covariates.  With
    ``period=`` the post dummy is replaced by period fixed effects (common-timing
    two-way model) and an event study is fitted as well (see Returns).  The design matrix
    is built directly and fitted with ``statsmodels.OLS``; no formula strings.

    Parameters
    ----------
    data
        One row per observation (panel of units or repeated cross-sections).  Not modified.
    outcome
        Numeric outcome column; rows with a missing outcome or covariate are dropped
        (counted in ``notes``).
    treated, post
        0/1 or boolean columns: treated group, post-change period.
    unit
        Column identifying units (stores, villages...).  When units repeat across rows and
        ``se`` is ``None``, errors are clustered by unit.  The model keeps a treated dummy
        rather than unit fixed effects (identical estimate in a balanced panel).
    cluster
        Column to cluster on (defaults to ``unit`` when ``se="cluster"``).
    covariates
        Extra numeric columns (text columns become dummies).
    se
        ``"nonrobust"``, ``"HC0"``–``"HC3"`` or ``"cluster"`` (CR1: small-sample factor
        G/(G−1)·(N−1)/(N−K), as statsmodels and Stata).  Default ``None``: cluster by
        ``cluster`` if given, else by ``unit`` if units repeat, else HC1.
    confidence
        Interval level.
    label
        Outcome name for summaries (default: ``outcome``).
    period
        Optional column of period labels (numbers, dates, or an ordered categorical).
        ``post`` must be constant within a period, and every post period must come after
        every pre period.

    Returns
    -------
    DiDResult
        ``effect`` (with ``baseline`` = treated pre-period mean), the 2×2 ``group_means``
        table, and — with ``period`` and at least two pre-periods — the event study
        (coefficients of treated × period, reference = last pre-period) and the joint
        pre-trend (placebo) F test that every earlier pre-period coefficient is zero.

    Notes
    -----
    Inference uses the t distribution: residual df for non-robust and HC errors,
    G − 1 for cluster-robust errors (statsmodels ``use_t=True``).  With fewer than 30
    clusters a note warns that CR1 intervals may be too narrow (Cameron, Gelbach & Miller
    2008); a wild cluster bootstrap is the usual remedy and is not implemented here.
    """
    confidence = check_confidence(confidence)
    context = "did"
    data = _as_pandas(data, context)
    cols = [outcome, treated, post, *covariates]
    for extra in (unit, cluster, period):
        if extra is not None:
            cols.append(extra)
    require_columns(data, cols, context)
    frame = data.loc[:, list(dict.fromkeys(cols))].copy()
    notes: list[str] = []

    y_all = pd.to_numeric(frame[outcome], errors="coerce")
    bad = y_all.isna() & frame[outcome].notna()
    if bad.any():
        raise DataError(
            f"{context}: outcome column {outcome!r} must be numeric; found "
            f"{frame[outcome][bad].iloc[0]!r} at {describe_rows(frame.index[bad])}"
        )
    keep = y_all.notna()
    for cov in covariates:
        keep &= frame[cov].notna()
    dropped = int((~keep).sum())
    if dropped:
        notes.append(f"dropped {dropped} row(s) with a missing outcome or covariate")
    frame = frame.loc[keep]
    y = y_all.loc[keep].to_numpy(dtype=float)
    t = _binary_column(frame, treated, context)
    p = _binary_column(frame, post, context)
    cells = {(ti, pi): int(((t == ti) & (p == pi)).sum()) for ti in (0, 1) for pi in (0, 1)}
    empty = [k for k, v in cells.items() if v == 0]
    if empty:
        names = ", ".join(
            f"{'treated' if ti else 'control'}/{'post' if pi else 'pre'}" for ti, pi in empty
        )
        raise EstimationError(f"{context}: no observations in cell(s) {names}")

    # covariance choice
    se_kind = se
    cluster_col = cluster
    if se_kind is None:
        if cluster is not None:
            se_kind = "cluster"
        elif unit is not None and frame[unit].duplicated().any():
            se_kind, cluster_col = "cluster", unit
            notes.append(f"units in {unit!r} repeat across periods: errors clustered by {unit!r}")
        else:
            se_kind = "HC1"
    allowed = ("nonrobust", "HC0", "HC1", "HC2", "HC3", "cluster")
    if se_kind not in allowed:
        raise DataError(f"{context}: se must be one of {allowed} or None, got {se!r}")
    groups: np.ndarray | None = None
    n_clusters: int | None = None
    if se_kind == "cluster":
        cluster_col = cluster_col or unit
        if cluster_col is None:
            raise DataError(f"{context}: se='cluster' needs cluster= or unit= (a column name)")
        cl = frame[cluster_col]
        if cl.isna().any():
            raise DataError(
                f"{context}: cluster column {cluster_col!r} has missing values at "
                f"{describe_rows(frame.index[cl.isna()])}"
            )
        groups = pd.factorize(cl)[0]
        n_clusters = int(groups.max()) + 1
        if n_clusters < 2:
            raise EstimationError(f"{context}: only one cluster in {cluster_col!r}")
        if n_clusters < 30:
            notes.append(
                f"only {n_clusters} clusters: CR1 intervals may be too narrow; consider a "
                "wild cluster bootstrap"
            )
        cov_words = f"cluster-robust (CR1) standard errors by {cluster_col}"
    else:
        cov_words = _SE_WORDS[se_kind]

    cov_X = _design_columns(frame, covariates, context)
    X = pd.DataFrame({"const": 1.0, "treated": t}, index=frame.index)
    event_study: pd.DataFrame | None = None
    pre_trend: PreTrendTest | None = None
    if period is None:
        X["post"] = p
        X["treated:post"] = t * p
        X = pd.concat([X, cov_X], axis=1)
        design_words = "OLS difference-in-differences"
    else:
        per = frame[period]
        if per.isna().any():
            raise DataError(
                f"{context}: period column {period!r} has missing values at "
                f"{describe_rows(frame.index[per.isna()])}"
            )
        order = _ordered_periods(per)
        post_by_period = pd.Series(p, index=frame.index).groupby(per.to_numpy()).agg(["min", "max"])
        mixed = post_by_period.index[post_by_period["min"] != post_by_period["max"]]
        if len(mixed):
            raise DataError(
                f"{context}: column {post!r} is not constant within period(s) "
                f"{', '.join(map(str, mixed[:5]))} of {period!r}"
            )
        is_post = {k: bool(post_by_period.loc[k, "max"]) for k in order}
        flags = [is_post[k] for k in order]
        if flags != sorted(flags):
            raise DataError(
                f"{context}: every post period must come after every pre period in {period!r}"
            )
        pre_periods = [k for k in order if not is_post[k]]
        ref = pre_periods[-1]
        per_values = per.to_numpy()
        dummies = pd.DataFrame(
            {f"period={k}": (per_values == k).astype(float) for k in order[1:]},
            index=frame.index,
        )
        X_main = pd.concat([X, dummies], axis=1)
        X_main["treated:post"] = t * p
        X_main = pd.concat([X_main, cov_X], axis=1)
        if len(pre_periods) >= 2:
            inter = pd.DataFrame(
                {f"treated:period={k}": t * (per_values == k) for k in order if k != ref},
                index=frame.index,
            )
            X_es = pd.concat([X, dummies, inter, cov_X], axis=1)
            fit_es = _fit_ols(y, X_es, se_kind, groups)
            df_es = fit_es.df_resid_inference if se_kind == "cluster" else fit_es.df_resid
            q = _t_or_z(df_es, confidence)
            rows = []
            for k in order:
                name = f"treated:period={k}"
                if k == ref:
                    rows.append((k, 0.0, 0.0, 0.0, 0.0, np.nan, True))
                    continue
                b, s = float(fit_es.params[name]), float(fit_es.bse[name])
                rows.append((k, b, s, b - q * s, b + q * s, float(fit_es.pvalues[name]), False))
            event_study = pd.DataFrame(
                rows,
                columns=["period", "estimate", "se", "ci_low", "ci_high", "p_value", "reference"],
            )
            placebo = [f"treated:period={k}" for k in pre_periods if k != ref]
            R = np.zeros((len(placebo), X_es.shape[1]))
            for i, name in enumerate(placebo):
                R[i, list(X_es.columns).index(name)] = 1.0
            ftest = fit_es.f_test(R)
            pre_trend = PreTrendTest(
                statistic=float(np.squeeze(ftest.fvalue)),
                df_num=int(ftest.df_num),
                df_denom=float(ftest.df_denom),
                p_value=float(ftest.pvalue),
            )
        X = X_main
        design_words = "OLS difference-in-differences with period fixed effects"

    rank = np.linalg.matrix_rank(X.to_numpy())
    if rank < X.shape[1]:
        raise EstimationError(
            f"{context}: the design is collinear (rank {rank} < {X.shape[1]} columns); "
            "check that covariates do not duplicate the treated/post indicators"
        )
    fit = _fit_ols(y, X, se_kind, groups)
    df = fit.df_resid_inference if se_kind == "cluster" else fit.df_resid
    q = _t_or_z(df, confidence)
    est = float(fit.params["treated:post"])
    s = float(fit.bse["treated:post"])
    if covariates:
        design_words += f", adjusted for {', '.join(covariates)}"

    means = []
    for ti, gname in ((1, "treated"), (0, "control")):
        for pi, pname in ((0, "pre"), (1, "post")):
            m = (t == ti) & (p == pi)
            means.append((gname, pname, float(y[m].mean()), int(m.sum())))
    group_means = pd.DataFrame(means, columns=["group", "period", "mean", "n"])
    effect = Effect(
        estimate=est,
        se=s,
        ci_low=est - q * s,
        ci_high=est + q * s,
        p_value=float(fit.pvalues["treated:post"]),
        n=int(fit.nobs),
        confidence=confidence,
        method=f"{design_words}, {cov_words}",
        baseline=group_means["mean"].iloc[0],
        effect_size=None,
        notes=tuple(notes),
        label=label or outcome,
    )
    return DiDResult(
        effect=effect,
        group_means=group_means,
        n_clusters=n_clusters,
        pre_trend=pre_trend,
        event_study=event_study,
    )


# --------------------------------------------------------------------------------------
# Interrupted time series
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ITSResult:
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
        First time value of the post period, as given.
    family
        ``"gaussian"``, ``"poisson"`` or ``"quasipoisson"``.
    method, notes, label
        Model in words, warnings, outcome name.
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

    def _repr_html_(self) -> str:
        return html_block(
            f"Interrupted time series — {self.method}", self.to_frame(), self.notes, self.summary()
        )

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Observed, fitted and counterfactual series via :func:`impactkit.charts.its`.

        Extra keyword arguments (``title``, ``ylabel``) are passed on.  Returns the Axes.
        """
        from .charts import its as its_chart  # lazy: charts imports matplotlib

        kwargs.setdefault("ylabel", self.label)
        return its_chart(self.counterfactual, intervention=self.intervention, ax=ax, **kwargs)


def _month_index(values: pd.Series) -> np.ndarray:
    """Dates -> absolute month index year·12 + month − 1 (so index mod 12 = month − 1)."""
    dt = pd.to_datetime(values)
    return (dt.dt.year * 12 + dt.dt.month - 1).to_numpy(dtype=float)


def _season_terms(clock: np.ndarray, seasonality: Any) -> tuple[pd.DataFrame, str]:
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
    cols = {}
    for j in range(1, seasonality + 1):
        cols[f"sin{j}"] = np.sin(2 * np.pi * j * clock / period)
        if 2 * j < period:  # cos(pi·clock) at j = P/2 would be the only non-zero term
            cols[f"cos{j}"] = np.cos(2 * np.pi * j * clock / period)
    return pd.DataFrame(cols), f"{seasonality} harmonic pair(s) (period {period})"


def _its_series_checks(
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
    for a single series).
    """
    keys = pd.DataFrame({"time": tvar, "series": 1.0 if series is None else series})
    dupes = keys.duplicated(keep=False).to_numpy()
    if dupes.any():
        within = "" if control is None else " within each series of control column " + repr(control)
        raise DataError(
            f"{context}: time values must be unique{within} (one row per period); repeated at "
            f"{describe_rows(frame.index[dupes])}"
        )
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


def _its_design(
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


def its(
    data: pd.DataFrame,
    time: str,
    outcome: str,
    intervention: Any,
    *,
    family: Literal["gaussian", "poisson", "quasipoisson"] = "gaussian",
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
        the control series' change at t0.
    """
    confidence = check_confidence(confidence)
    context = "its"
    families = ("gaussian", "poisson", "quasipoisson")
    if family not in families:
        raise DataError(f"{context}: family must be one of {families}, got {family!r}")
    if hac_lags is not None and family != "gaussian":
        raise DataError(
            f"{context}: hac_lags (Newey-West) is only available for family='gaussian'; "
            "for counts use family='quasipoisson' for over-dispersion"
        )
    if hac_lags is not None and (not isinstance(hac_lags, int) or hac_lags < 0):
        raise DataError(f"{context}: hac_lags must be a non-negative integer, got {hac_lags!r}")
    if exposure is not None and family == "gaussian":
        raise DataError(f"{context}: exposure (an offset) needs family='poisson' or 'quasipoisson'")
    data = _as_pandas(data, context)
    cols = [time, outcome] + ([exposure] if exposure else []) + ([control] if control else [])
    require_columns(data, cols, context)
    # Newey-West weights neighbours in row order: put the rows in time order first
    frame = data.loc[:, cols].sort_values(time, kind="stable")
    series: np.ndarray | None = None
    if control is not None:
        is_control = _binary_column(frame, control, f"{context}: control")
        for value, name in ((1.0, "control"), (0.0, "intervention")):
            if not (is_control == value).any():
                raise DataError(
                    f"{context}: control column {control!r} marks no {name} series rows "
                    f"(no value {int(value)}); it needs 1 for the control series and 0 for "
                    "the intervention series"
                )
        series = 1.0 - is_control
    y = numeric_array(frame[outcome], f"{context}: outcome {outcome!r}")
    if family != "gaussian" and ((y < 0).any() or (y != np.round(y)).any()):
        bad = (y < 0) | (y != np.round(y))
        raise DataError(
            f"{context}: family {family!r} needs non-negative whole counts in {outcome!r}; "
            f"see {describe_rows(frame.index[bad])}"
        )
    raw_time = frame[time]
    if raw_time.isna().any():
        raise DataError(
            f"{context}: time column {time!r} has missing values at "
            f"{describe_rows(frame.index[raw_time.isna()])}"
        )
    is_date = pd.api.types.is_datetime64_any_dtype(raw_time)
    if is_date:
        clock = _month_index(raw_time)
        try:
            t0_clock = float(_month_index(pd.Series([intervention]))[0])
        except (ValueError, TypeError) as err:
            raise DataError(
                f"{context}: intervention {intervention!r} is not a date, but {time!r} holds dates"
            ) from err
        origin = clock.min()
        tvar, t0 = clock - origin, t0_clock - origin
        time_words = "months since the first observation"
    else:
        clock = numeric_array(raw_time, f"{context}: time {time!r}")
        try:
            t0 = float(intervention)
        except (TypeError, ValueError) as err:
            raise DataError(
                f"{context}: intervention must be a number when {time!r} is numeric, "
                f"got {intervention!r}"
            ) from err
        tvar = clock
        time_words = str(time)
    post = (tvar >= t0).astype(float)
    _its_series_checks(frame, tvar, post, series, control, slope_change, context)
    n_post = int(post.sum()) if series is None else int((post * series).sum())
    X = _its_design(tvar, t0, series, slope_change)
    season_words = ""
    if seasonality is not None:
        terms, season_words = _season_terms(clock, seasonality)
        X = pd.concat([X, terms], axis=1)
    offset = np.zeros(len(y))
    if exposure is not None:
        expo = numeric_array(frame[exposure], f"{context}: exposure {exposure!r}")
        if (expo <= 0).any():
            raise DataError(
                f"{context}: exposure {exposure!r} must be positive; see "
                f"{describe_rows(frame.index[expo <= 0])}"
            )
        offset = np.log(expo)
    if X.shape[0] <= X.shape[1]:
        raise EstimationError(f"{context}: {X.shape[0]} time points for {X.shape[1]} parameters")

    notes: list[str] = []
    df_resid: float | None
    if family == "gaussian":
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
        df_resid = float(fit.df_resid)
        model_words = "OLS segmented regression"
    else:
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
        df_resid = None
        model_words = "Poisson GLM (log link) segmented regression"
        if exposure:
            model_words += f", offset log({exposure})"
    if control is not None:
        model_words = (
            f"comparative interrupted time series against control series {control!r} "
            f"({model_words}; changes net of the control series' changes)"
        )
    method = f"{model_words} on {time_words}"
    if season_words:
        method += f", {season_words}" + (" shared by both series" if control else "")
    method += f", {cov_words}"
    q = _t_or_z(df_resid, confidence)
    params = fit.params.to_numpy(dtype=float)
    V = np.asarray(fit.cov_params(), dtype=float)
    name = label or outcome
    n = int(len(y))

    def coef_effect(term: str, what: str) -> Effect:
        b, s = float(fit.params[term]), float(fit.bse[term])
        return Effect(
            estimate=b,
            se=s,
            ci_low=b - q * s,
            ci_high=b + q * s,
            p_value=float(fit.pvalues[term]),
            n=n,
            confidence=confidence,
            method=f"{method}; {what}",
            notes=tuple(notes),
            label=f"{name}: {what}",
        )

    def ratio_effect(eff: Effect, what: str) -> Effect:
        r = math.exp(eff.estimate)
        return Effect(
            estimate=r,
            se=r * eff.se,
            ci_low=math.exp(eff.ci_low),
            ci_high=math.exp(eff.ci_high),
            p_value=eff.p_value,
            n=n,
            confidence=confidence,
            method=f"{method}; {what} (exp of the coefficient)",
            notes=tuple(notes),
            label=f"{name}: {what}",
            null=1.0,
        )

    log_link = family != "gaussian"
    level = coef_effect("level_change", "level change" + (" (log rate ratio)" if log_link else ""))
    slope = (
        coef_effect("slope_change", "slope change" + (" (log rate ratio)" if log_link else ""))
        if slope_change
        else None
    )
    level_rr = ratio_effect(level, "level change rate ratio") if log_link else None
    slope_rr = ratio_effect(slope, "slope change rate ratio") if log_link and slope else None

    Xa = X.to_numpy(dtype=float)
    Xcf = X.copy()
    Xcf["level_change"] = 0.0
    if slope_change:
        Xcf["slope_change"] = 0.0
    Xc = Xcf.to_numpy(dtype=float)
    eta, eta_cf = Xa @ params + offset, Xc @ params + offset
    se_cf = np.sqrt(np.einsum("ij,jk,ik->i", Xc, V, Xc))
    if log_link:
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
    if cum_se > 0:
        stat = cum / cum_se
        cum_p = float(
            2 * stats.t.sf(abs(stat), df_resid) if df_resid else 2 * stats.norm.sf(abs(stat))
        )
    else:
        cum_p = float("nan")
    cumulative = Effect(
        estimate=cum,
        se=cum_se,
        ci_low=cum - q * cum_se,
        ci_high=cum + q * cum_se,
        p_value=cum_p,
        n=n,
        confidence=confidence,
        method=f"{method}; sum over {n_post} post periods of fitted minus counterfactual "
        "(delta method)",
        baseline=float(cf[in_post].sum()),
        notes=tuple(notes),
        label=f"{name}: cumulative change",
    )
    rows = np.flatnonzero(target)
    order = rows[np.argsort(tvar[rows], kind="stable")]
    counterfactual = pd.DataFrame(
        {
            "time": raw_time.to_numpy()[order],
            "observed": y[order],
            "fitted": fitted[order],
            "counterfactual": cf[order],
            "cf_ci_low": cf_lo[order],
            "cf_ci_high": cf_hi[order],
        }
    )
    return ITSResult(
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


# --------------------------------------------------------------------------------------
# Several indicators: multiplicity and verdicts
# --------------------------------------------------------------------------------------


def _as_effect(obj: Any, where: str) -> Effect:
    """An :class:`Effect`, or the ``.effect`` of a result such as :class:`DiDResult`."""
    if isinstance(obj, Effect):
        return obj
    inner = getattr(obj, "effect", None)
    if isinstance(inner, Effect):
        return inner
    raise DataError(
        f"{where}: expected an Effect or a result with an .effect (e.g. DiDResult), got "
        f"{type(obj).__name__}; for an ITSResult pass e.g. result.level_change"
    )


def adjust(
    effects: Sequence[Any] | Mapping[str, Any],
    method: Literal["fdr_bh", "holm", "bonferroni"] = "fdr_bh",
    *,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Adjust the p-values of several effects for multiple testing.

    Uses ``statsmodels.stats.multitest.multipletests``: Benjamini–Hochberg false
    discovery rate (``"fdr_bh"``, 1995), Holm (1979) or Bonferroni family-wise error.

    Parameters
    ----------
    effects
        Effects (or results with ``.effect`` such as :class:`DiDResult`), as a list or as a
        mapping ``{label: effect}`` (the mapping's keys replace the effects' labels).
    method
        ``"fdr_bh"``, ``"holm"`` or ``"bonferroni"``.
    alpha
        Level for the ``reject`` column.

    Returns
    -------
    pandas.DataFrame
        One row per effect, in the order given: ``label``, ``estimate``, ``ci_low``,
        ``ci_high``, ``p_value``, ``p_adjusted``, ``reject`` (p_adjusted < alpha),
        ``method``.  Intervals are *not* adjusted.
    """
    from statsmodels.stats.multitest import multipletests

    methods = ("fdr_bh", "holm", "bonferroni")
    if method not in methods:
        raise DataError(f"adjust: method must be one of {methods}, got {method!r}")
    if isinstance(effects, Mapping):
        pairs = [(str(k), _as_effect(v, f"adjust[{k!r}]")) for k, v in effects.items()]
    else:
        items = [_as_effect(v, f"adjust[{i}]") for i, v in enumerate(effects)]
        pairs = [(e.label, e) for e in items]
    if not pairs:
        raise DataError("adjust: no effects given")
    pvals = np.array([e.p_value for _, e in pairs], dtype=float)
    if np.isnan(pvals).any():
        bad = [lab for (lab, _), p in zip(pairs, pvals, strict=True) if np.isnan(p)]
        raise DataError(f"adjust: effect(s) without a p-value: {', '.join(bad)}")
    reject, p_adj, _, _ = multipletests(pvals, alpha=alpha, method=method)
    return pd.DataFrame(
        {
            "label": [lab for lab, _ in pairs],
            "estimate": [e.estimate for _, e in pairs],
            "ci_low": [e.ci_low for _, e in pairs],
            "ci_high": [e.ci_high for _, e in pairs],
            "p_value": pvals,
            "p_adjusted": p_adj,
            "reject": reject,
            "method": method,
        }
    )


VerdictLabel = Literal["improved", "worsened", "changed", "no meaningful change", "inconclusive"]


@dataclass(frozen=True)
class Verdict:
    """A plain-words judgement of an effect: ``label`` and the ``reason`` behind it."""

    label: VerdictLabel
    reason: str

    def __str__(self) -> str:
        return f"{self.label}: {self.reason}"


def verdict(
    effect: Any,
    indicator: Any = None,
    *,
    direction: str | None = None,
    minimum_meaningful_change: float | None = None,
    format_value: Callable[[float], str] | None = None,
) -> Verdict:
    """Judge an effect against the direction that counts as better and the minimum
    meaningful change (MMC).

    Parameters
    ----------
    effect
        An :class:`Effect` or a result with ``.effect`` (e.g. :class:`DiDResult`).
    indicator
        Any object with attributes ``direction`` ("increase", "decrease" or "neutral")
        and ``minimum_meaningful_change`` (float or None), e.g. an
        ``impactkit.indicators.Indicator``.  Keyword arguments override it.
    direction, minimum_meaningful_change
        As above.  Without any direction, ``"neutral"`` is used.  The MMC is in the
        estimate's units and is applied around the effect's ``null`` (0 for differences,
        1 for ratios, where it is the distance from 1, e.g. 0.05 for ±5 %).
    format_value
        How the reason prints a change (default: three significant digits), e.g.
        ``lambda v: f"{100 * v:.1f} pp"`` for a share reported in percentage points.

    Returns
    -------
    Verdict
        With CI = [lo, hi], null value 0 (or 1) and MMC = m (if given), in this order:

        1. **"no meaningful change"** if m is given and the whole CI lies within
           [null − m, null + m] (an equivalence judgement: even the interval's extremes
           are too small to matter, whether or not it excludes the null).
        2. CI entirely above the null: **"improved"** for direction "increase",
           **"worsened"** for "decrease", **"changed"** for "neutral".
        3. CI entirely below the null: symmetrically "worsened" / "improved" / "changed".
        4. Otherwise **"inconclusive"** (the CI includes the null, and either no MMC was
           given or the CI reaches beyond ±m).

        In case 2/3 the reason says whether the estimate and the whole interval clear
        the MMC ("by at least the MMC"), only the estimate does, or not even the estimate
        ("but by less than the minimum meaningful change").
    """
    eff = _as_effect(effect, "verdict")
    if direction is None and indicator is not None:
        direction = getattr(indicator, "direction", None)
    if minimum_meaningful_change is None and indicator is not None:
        minimum_meaningful_change = getattr(indicator, "minimum_meaningful_change", None)
    direction = direction or "neutral"
    if direction not in ("increase", "decrease", "neutral"):
        raise DataError(
            f"verdict: direction must be 'increase', 'decrease' or 'neutral', got {direction!r}"
        )
    m = minimum_meaningful_change
    if m is not None:
        if not isinstance(m, int | float) or math.isnan(m) or m < 0:
            raise DataError(f"verdict: minimum_meaningful_change must be >= 0, got {m!r}")
        m = float(m)
    null, lo, hi, est = eff.null, eff.ci_low, eff.ci_high, eff.estimate
    show = format_value or fmt
    level = f"{100 * eff.confidence:g} % CI"
    shift = f"{show(est)} ({level} {show(lo)} to {show(hi)})"
    zero = "no change" if null == 0 else fmt(null)
    if m is not None and null - m <= lo and hi <= null + m:
        return Verdict(
            "no meaningful change",
            f"the change of {shift} lies, interval and all, within ±{show(m)} of {zero}, "
            "the minimum meaningful change",
        )
    if lo > null or hi < null:
        up = lo > null
        if direction == "neutral":
            label: VerdictLabel = "changed"
        elif (direction == "increase") == up:
            label = "improved"
        else:
            label = "worsened"
        side = "above" if up else "below"
        reason = f"the change of {shift} lies entirely {side} {zero}"
        if m is not None:
            near = lo if up else hi
            if abs(near - null) >= m:
                reason += f", by at least the minimum meaningful change of {show(m)}"
            elif abs(est - null) >= m:
                reason += (
                    f"; the estimate exceeds the minimum meaningful change of {show(m)}, "
                    "but the interval's end nearest to no change does not"
                )
            else:
                reason += f", but by less than the minimum meaningful change of {show(m)}"
        return Verdict(label, reason)
    reason = f"the interval of the change, {shift}, includes {zero}"
    if m is not None:
        reason += f" and reaches beyond ±{show(m)}, the minimum meaningful change"
    else:
        reason += "; no minimum meaningful change was given to judge equivalence"
    return Verdict("inconclusive", reason)
