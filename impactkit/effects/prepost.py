"""Before/after comparison of one outcome: :func:`pre_post`.

Paired (the same units measured twice) or independent samples (different people before
and after); t tests, rank tests with the Hodges–Lehmann shift, or a BCa bootstrap.  Each
formula cites its source in the docstring of the function that computes it.

Validated against ``scipy.stats.ttest_rel`` / ``ttest_ind(equal_var=False)`` (rel. 1e-6),
``wilcoxon`` / ``mannwhitneyu`` and pingouin's rank-biserial correlation, and
``scipy.stats.bootstrap`` (tests/effects/test_effects.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Literal, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from .._checks import check_confidence
from .._display import fmt
from .._intervals import z_quantile
from ..errors import DataError, EstimationError
from ..results import Effect, EffectSize
from ._inputs import clean_pair
from ._variation import NO_VARIATION, check_varies
from .sizes import effect_size_arrays, rank_biserial

__all__ = ["PrePostMethod", "pre_post"]

PrePostMethod = Literal["t", "wilcoxon", "mann-whitney", "bootstrap"]
_METHODS = ("t", "wilcoxon", "mann-whitney", "bootstrap")


class _Estimate(NamedTuple):
    """What one method contributes to the :class:`Effect`."""

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    method: str
    effect_size: EffectSize | None


#: Largest magnitude accepted: beyond it sums of squares overflow to inf.
MAX_MAGNITUDE = 1e150


def _check_magnitude(a: np.ndarray, b: np.ndarray) -> None:
    largest = max(float(np.max(np.abs(a), initial=0)), float(np.max(np.abs(b), initial=0)))
    if largest > MAX_MAGNITUDE:
        raise DataError(
            f"pre_post: values as large as {largest:.3g} overflow the variance; rescale the "
            f"outcome (e.g. to thousands or millions) so that |values| < {MAX_MAGNITUDE:g}"
        )


def _check_method(method: str, paired: bool, n_resamples: int) -> None:
    if not isinstance(paired, bool | np.bool_):
        raise DataError(f"paired must be True or False, got {type(paired).__name__} {paired!r:.60}")
    if method not in _METHODS:
        raise DataError(f"method must be one of {_METHODS}, got {method!r}")
    if method == "wilcoxon" and not paired:
        raise DataError("method 'wilcoxon' is for paired data; use 'mann-whitney' for two samples")
    if method == "mann-whitney" and paired:
        raise DataError("method 'mann-whitney' is for independent samples; use 'wilcoxon'")
    if n_resamples < 100:
        raise DataError(f"n_resamples should be at least 100, got {n_resamples}")


def _check_variation(a: np.ndarray, b: np.ndarray, paired: bool) -> int:
    """Enough observations with some variation; returns the number of observations used.
    Messages start with "not estimable: no variation" (:mod:`._variation`)."""
    if paired:
        if a.size < 2:
            check_varies(a - b, "pre_post (pairs)", minimum=2)
        diff = a - b
        if np.ptp(diff) == 0:
            raise EstimationError(
                f"{NO_VARIATION} (pre_post: every paired difference equals "
                f"{fmt(float(diff[0]))}; there is nothing to estimate uncertainty from)"
            )
        return int(a.size)
    for values, name in ((a, "after"), (b, "before")):
        if values.size < 2:
            check_varies(values, f"pre_post: {name}", minimum=2)
    if np.ptp(a) == 0 and np.ptp(b) == 0:
        raise EstimationError(
            f"{NO_VARIATION} (pre_post: both samples are constant; there is nothing to "
            "estimate uncertainty from)"
        )
    return int(a.size + b.size)


def _standard_size(
    a: np.ndarray, b: np.ndarray, paired: bool, confidence: float, notes: list[str]
) -> EffectSize | None:
    """d_z (paired) or Hedges' g (independent); a note instead when it is undefined."""
    kind = "d_z" if paired else "hedges_g"
    try:
        return effect_size_arrays(a, b, kind, paired, confidence)
    except EstimationError as err:
        notes.append(f"no standardised effect size: {err}")
        return None


def _mean_change(a: np.ndarray, b: np.ndarray, paired: bool) -> float:
    return float(np.mean(a - b)) if paired else float(np.mean(a) - np.mean(b))


def _t_test(
    a: np.ndarray, b: np.ndarray, paired: bool, confidence: float, notes: list[str]
) -> _Estimate:
    """Paired t test (``scipy.stats.ttest_rel``) or Welch's t test (``ttest_ind``,
    ``equal_var=False``; Welch 1947), with scipy's interval for the difference in means."""
    from scipy import stats

    res = stats.ttest_rel(a, b) if paired else stats.ttest_ind(a, b, equal_var=False)
    ci = res.confidence_interval(confidence_level=confidence)
    if paired:
        se = float(np.std(a - b, ddof=1) / math.sqrt(a.size))
    else:
        se = math.sqrt(np.var(a, ddof=1) / a.size + np.var(b, ddof=1) / b.size)
    return _Estimate(
        estimate=_mean_change(a, b, paired),
        se=float(se),
        ci_low=float(ci.low),
        ci_high=float(ci.high),
        p_value=float(res.pvalue),
        method=f"{'paired t test' if paired else 'Welch t test'}, difference in means",
        effect_size=_standard_size(a, b, paired, confidence, notes),
    )


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
    z = z_quantile(confidence)
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


def _rank_test(a: np.ndarray, b: np.ndarray, paired: bool, confidence: float) -> _Estimate:
    """Wilcoxon signed-rank / Mann–Whitney p-value (scipy defaults), Hodges–Lehmann shift
    and interval, se = interval half-width / z (approximate), rank-biserial effect size."""
    from scipy import stats

    if paired:
        p = float(stats.wilcoxon(a, b).pvalue)
    else:
        p = float(stats.mannwhitneyu(a, b).pvalue)
    est, lo, hi = _hodges_lehmann(a, b, paired, confidence)
    z = z_quantile(confidence)
    name = "Wilcoxon signed-rank test" if paired else "Mann-Whitney U test"
    design = "paired" if paired else "independent samples"
    return _Estimate(
        estimate=est,
        se=(hi - lo) / (2.0 * z),
        ci_low=lo,
        ci_high=hi,
        p_value=p,
        method=f"{name}, Hodges-Lehmann shift ({design})",
        effect_size=rank_biserial(a, b, paired, confidence),
    )


def _bca_interval(
    data: tuple[np.ndarray, ...],
    stat: Callable[..., np.ndarray],
    n_resamples: int,
    confidence: float,
    rng: np.random.Generator,
    show: bool,
) -> tuple[float, float, float]:
    """BCa interval (Efron 1987) via ``scipy.stats.bootstrap`` in 10 seeded chunks.

    The resamples are drawn in chunks, each extending the previous bootstrap
    distribution (``bootstrap_result=``), so that a tqdm bar can show progress; the
    result does not depend on whether the bar is shown.  Returns (low, high, bootstrap SE).
    """
    from scipy import stats
    from tqdm.auto import tqdm

    chunks = 10 if n_resamples >= 10 else 1
    sizes = [n_resamples // chunks + (1 if i < n_resamples % chunks else 0) for i in range(chunks)]
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
    ci = result.confidence_interval
    return float(ci.low), float(ci.high), float(result.standard_error)


def _mean(d: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.mean(d, axis=axis)


def _mean_difference(a: np.ndarray, b: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.mean(a, axis=axis) - np.mean(b, axis=axis)


def _bootstrap(
    after: np.ndarray,
    before: np.ndarray,
    paired: bool,
    confidence: float,
    n_resamples: int,
    seed: int | None,
    progress: bool | None,
) -> tuple[float, float, float, float]:
    """BCa interval and bootstrap SE of the difference in means (:func:`_bca_interval`),
    and the p-value of a permutation test (``scipy.stats.permutation_test``) with the same
    number of resamples (sign flips when paired), drawn from the same seeded generator."""
    from scipy import stats

    rng = np.random.default_rng(seed)
    data: tuple[np.ndarray, ...]
    stat: Callable[..., np.ndarray]
    if paired:
        data, stat = (after - before,), _mean
    else:
        data, stat = (after, before), _mean_difference
    show = progress if progress is not None else n_resamples * (after.size + before.size) > 5e6
    lo, hi, se = _bca_interval(data, stat, n_resamples, confidence, rng, bool(show))
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
    return lo, hi, se, float(perm.pvalue)


def _bootstrap_test(
    a: np.ndarray,
    b: np.ndarray,
    paired: bool,
    confidence: float,
    notes: list[str],
    n_resamples: int,
    seed: int | None,
    progress: bool | None,
) -> _Estimate:
    lo, hi, se, p = _bootstrap(a, b, paired, confidence, n_resamples, seed, progress)
    design = "paired" if paired else "independent samples"
    return _Estimate(
        estimate=_mean_change(a, b, paired),
        se=se,
        ci_low=lo,
        ci_high=hi,
        p_value=p,
        method=(
            f"difference in means ({design}), BCa bootstrap interval ({n_resamples} "
            f"resamples), permutation p-value"
        ),
        effect_size=_standard_size(a, b, paired, confidence, notes),
    )


def pre_post(
    before: ArrayLike,
    after: ArrayLike,
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
    _check_method(method, paired, n_resamples)
    a, b, notes = clean_pair(after, before, paired=paired, names=("after", "before"))
    _check_magnitude(a, b)
    n = _check_variation(a, b, paired)
    if method == "t":
        res = _t_test(a, b, paired, confidence, notes)
    elif method in ("wilcoxon", "mann-whitney"):
        res = _rank_test(a, b, paired, confidence)
    else:
        res = _bootstrap_test(a, b, paired, confidence, notes, n_resamples, seed, progress)
    return Effect(
        estimate=res.estimate,
        se=res.se,
        ci_low=res.ci_low,
        ci_high=res.ci_high,
        p_value=res.p_value,
        n=n,
        confidence=confidence,
        method=res.method,
        baseline=float(np.mean(b)),
        effect_size=res.effect_size,
        notes=tuple(notes),
        label=label,
    )
