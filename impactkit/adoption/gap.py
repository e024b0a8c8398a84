"""The effectiveness gap: real-world effect = lab efficacy × reach × adoption × use × ...

Ng M et al. (2014). Effective coverage: a metric for monitoring Universal Health Coverage.
*PLoS Med* 11(9):e1001730.
Tanahashi T. (1978). Health service coverage and its evaluation. *Bull WHO* 56(2):295–303.
Brown LD, Cai TT, DasGupta A (2001). Interval estimation for a binomial proportion.
*Statistical Science* 16(2):101–133 (the Jeffreys prior used for counts).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from .._checks import check_confidence, check_finite, check_proportion
from .._display import fmt, fmt_ci, fmt_pct
from .._intervals import wilson, z_quantile
from ..errors import DataError
from ..results import Result
from ._shared import NAN, charts, label, whole
from .cascade import Cascade

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["Gap", "effectiveness_gap", "effectiveness_gap_from_cascade"]


# --------------------------------------------------------------------------- factors


@dataclass(frozen=True)
class _Factor:
    """One factor of the product: its point value and how to draw / propagate it."""

    name: str
    value: float
    se: float  # standard error on the natural scale (0 when known exactly)
    ci_low: float
    ci_high: float
    beta: tuple[float, float] | None  # Beta(a, b) for Monte Carlo; None -> normal or fixed


def _parse_factor(name: str, spec: Any, confidence: float, *, proportion: bool) -> _Factor:
    """Read a step (or the lab efficacy) given as a number, (value, low, high), counts
    (successes, trials) or an object with value/estimate and ci_low/ci_high."""
    z = z_quantile(confidence)
    what = f"step {name!r}" if proportion else "lab_efficacy"
    if isinstance(spec, bool) or spec is None:
        raise DataError(
            f"{what}: expected a number, (value, ci_low, ci_high) or (successes, trials), "
            f"got {spec!r}"
        )
    if isinstance(spec, (int, float, np.integer, np.floating)):
        value = check_proportion(float(spec), what) if proportion else check_finite(spec, what)
        return _Factor(name, value, 0.0, value, value, None)
    if isinstance(spec, (tuple, list)):
        if len(spec) == 2:
            return _counts_factor(name, spec, what, confidence)
        if len(spec) == 3:
            return _interval_factor(name, *spec, what=what, z=z, proportion=proportion)
        raise DataError(
            f"{what}: a tuple must be (value, ci_low, ci_high) or (successes, trials), got {spec!r}"
        )
    given = getattr(spec, "value", getattr(spec, "estimate", None))
    if given is not None and hasattr(spec, "ci_low") and hasattr(spec, "ci_high"):
        return _interval_factor(
            name,
            given,
            spec.ci_low,
            spec.ci_high,
            what=what,
            z=z,
            proportion=proportion,
        )
    raise DataError(
        f"{what}: expected a number, (value, ci_low, ci_high), (successes, trials) or an object "
        f"with value/estimate, ci_low and ci_high; got {type(spec).__name__}"
    )


def _counts_factor(name: str, spec: Sequence[Any], what: str, confidence: float) -> _Factor:
    """A factor from ``(successes, trials)``: Wilson interval at ``confidence``, Jeffreys
    Beta(s + 1/2, n - s + 1/2) for Monte Carlo (Brown, Cai & DasGupta 2001)."""
    successes = whole(spec[0], f"{what}: successes (first of the (successes, trials) pair)")
    trials = whole(spec[1], f"{what}: trials (second of the (successes, trials) pair)")
    if trials == 0 or successes > trials:
        raise DataError(
            f"{what}: (successes, trials) must have 0 <= successes <= trials and trials > 0, "
            f"got {tuple(spec)!r}; a 2-tuple is read as counts — give (value, ci_low, ci_high) "
            "for an interval"
        )
    p = successes / trials
    low, high = wilson(successes, trials, confidence)
    return _Factor(
        name,
        p,
        math.sqrt(p * (1 - p) / trials),
        low,
        high,
        (successes + 0.5, trials - successes + 0.5),
    )


def _interval_factor(
    name: str, value: Any, low: Any, high: Any, *, what: str, z: float, proportion: bool
) -> _Factor:
    """A factor from ``(value, ci_low, ci_high)``: se = width / 2z; for a proportion the
    method-of-moments Beta with that mean and se."""
    check = check_proportion if proportion else check_finite
    v = check(value, what)
    lo = check(low, f"{what} ci_low")
    hi = check(high, f"{what} ci_high")
    if not lo <= v <= hi:
        raise DataError(
            f"{what}: expected ci_low <= value <= ci_high, got ({value}, {low}, {high})"
        )
    se = (hi - lo) / (2 * z)
    beta = None
    if proportion and se > 0:
        spread = v * (1 - v) / se**2 - 1  # method-of-moments Beta: a + b
        if spread <= 0:
            raise DataError(
                f"{what}: the interval ({fmt(lo)}, {fmt(hi)}) is too wide for a proportion of "
                f"{fmt(v)} (no Beta distribution matches it); give (successes, trials) counts"
            )
        beta = (v * spread, (1 - v) * spread)
    return _Factor(name, v, se, lo, hi, beta)


def _draw(factor: _Factor, rng: np.random.Generator, n: int) -> np.ndarray:
    if factor.beta is not None:
        return rng.beta(factor.beta[0], factor.beta[1], size=n)
    if factor.se > 0:
        return rng.normal(factor.value, factor.se, size=n)
    return np.full(n, factor.value)


def _contributions(values: Sequence[float]) -> list[float]:
    """Share of the (log) loss due to each step: log p_i / Σ log p_j.

    All steps 1: no loss, all zero.  Any step 0: the zero steps share the loss equally.
    """
    arr = np.asarray(values, dtype=float)
    zero = arr == 0
    if zero.any():
        return list(zero / zero.sum())
    logs = np.log(arr)
    total = logs.sum()
    if total == 0:
        return [0.0] * len(arr)
    return list(logs / total)


# --------------------------------------------------------------------------- result


@dataclass(frozen=True, eq=False, repr=False)
class Gap(Result):
    """The lab-to-real-world gap: real-world effect = lab efficacy × Π steps.

    Build it with :func:`effectiveness_gap` (steps given one by one) or
    :meth:`Gap.from_cascade` (the steps of a :class:`~impactkit.adoption.Cascade`).

    Attributes
    ----------
    lab_efficacy
        The lab (ideal-conditions) effect.
    real_world, ci_low, ci_high
        Lab efficacy × the product of the step proportions, with its interval.
    lost, lost_ci_low, lost_ci_high
        1 − real_world / lab_efficacy = 1 − Π steps, with its interval.
    contributions
        Each step's share of the loss by log decomposition, log p_i / Σ log p_j (sum 1; all
        zero when there is no loss; zero steps share the whole loss).
    steps
        ``step, proportion, value, ci_low, ci_high, contribution``: first row the lab
        efficacy, then the effect remaining after each step, last row the real-world effect
        (for :func:`impactkit.charts.waterfall`).
    method
        ``"monte carlo"`` or ``"delta (log scale)"`` with details in ``method_detail``.
    """

    lab_efficacy: float
    real_world: float
    ci_low: float
    ci_high: float
    lost: float
    lost_ci_low: float
    lost_ci_high: float
    contributions: Mapping[str, float]
    steps: pd.DataFrame
    method: str
    method_detail: str
    confidence: float
    seed: int | None = None
    notes: tuple[str, ...] = ()

    @property
    def largest_loss(self) -> str | None:
        """The step with the largest share of the loss (``None`` when nothing is lost)."""
        if not any(v > 0 for v in self.contributions.values()):
            return None
        return max(self.contributions, key=lambda k: self.contributions[k])

    @classmethod
    def from_cascade(cls, lab_efficacy: Any, cascade: Cascade, **kwargs: Any) -> Gap:
        """:func:`effectiveness_gap` with a cascade's conversions as the steps.

        This is the primary spelling; :func:`effectiveness_gap_from_cascade` is the same
        function under its older name.  Each stage after the first contributes its
        ``share_of_previous`` as counts ``(count, count of the stage before)``, named by the
        stage label.  The first stage is included too (as ``(count, target)``) when it is
        smaller than the cascade's target — i.e. when ``target`` was given and reach is
        itself a loss.  ``kwargs`` go to :func:`effectiveness_gap` (``method``, ``seed``,
        ``n_draws``, ``confidence``).
        """
        return effectiveness_gap(lab_efficacy, **kwargs, **_cascade_steps(cascade))

    def to_frame(self) -> pd.DataFrame:
        """The steps table."""
        return self.steps.copy()

    def summary(self) -> str:
        """Plain-words sentence: lab → real world, share lost and where."""
        pct = 0 < self.lab_efficacy <= 1

        def show(x: float) -> str:
            return fmt_pct(x) if pct else fmt(x)

        ci = fmt_ci(self.ci_low, self.ci_high, confidence=self.confidence, pct=pct)
        sentence = (
            f"Lab efficacy {show(self.lab_efficacy)} becomes a real-world effect of "
            f"{show(self.real_world)} ({ci}): {fmt_pct(self.lost)} of the lab effect is lost"
        )
        where = self.largest_loss
        if where is not None:
            sentence += (
                f", mostly at {label(where)} ({fmt_pct(self.contributions[where])} of the loss)"
            )
        return sentence + "."

    def plot(self, ax: Axes | None = None, title: str | None = None) -> Axes:
        """Waterfall from lab efficacy to real-world effect (:func:`impactkit.charts.waterfall`)."""
        pct = 0 < self.lab_efficacy <= 1
        result: Axes = charts().waterfall(self.steps, ax=ax, title=title, pct=pct)
        return result

    def __repr__(self) -> str:
        return (
            f"Gap(lab={fmt(self.lab_efficacy)} -> real_world={fmt(self.real_world)} "
            f"[{fmt(self.ci_low)}, {fmt(self.ci_high)}], lost={fmt_pct(self.lost)}, "
            f"largest_loss={self.largest_loss!r}, method={self.method!r})"
        )

    def _title(self) -> str:
        return f"Effectiveness gap — {self.method_detail}"


def _cascade_steps(cascade: Cascade) -> dict[str, Any]:
    """The steps of :meth:`Gap.from_cascade`: ``{stage label: (count, count before)}``."""
    if not isinstance(cascade, Cascade):
        raise DataError(
            f"expected a Cascade (from impactkit.adoption.cascade), got {type(cascade).__name__}"
        )
    table = cascade.table
    counts = [int(c) for c in table["count"]]
    labels = [str(x) for x in table["label"]]
    steps: dict[str, Any] = {}
    if counts[0] < cascade.target:
        steps[labels[0]] = (counts[0], cascade.target)
    for i in range(1, len(counts)):
        if counts[i - 1] == 0:
            raise DataError(
                f"stage {labels[i - 1]!r} has no one: conversion to {labels[i]!r} is undefined"
            )
        steps[labels[i]] = (counts[i], counts[i - 1])
    if not steps:
        raise DataError("the cascade has a single stage equal to its target: no steps to multiply")
    return steps


def effectiveness_gap_from_cascade(lab_efficacy: Any, cascade: Cascade, **kwargs: Any) -> Gap:
    """The same as :meth:`Gap.from_cascade` (kept under this name; prefer the method)."""
    return Gap.from_cascade(lab_efficacy, cascade, **kwargs)


# --------------------------------------------------------------------------- intervals


@dataclass(frozen=True)
class _Bounds:
    """Interval of the effect after each step, of the share lost and of the lab efficacy."""

    steps: list[tuple[float, float]]
    lost: tuple[float, float]
    lab: tuple[float, float]
    detail: str
    label: str


def _monte_carlo(
    lab: _Factor,
    factors: list[_Factor],
    confidence: float,
    seed: int | None,
    n_draws: int,
) -> _Bounds:
    """Percentile intervals of the running product of draws (Beta steps, normal lab)."""
    alpha = 1 - confidence
    n = int(n_draws)
    if n < 100:
        raise DataError(f"n_draws must be at least 100, got {n_draws!r}")
    rng = np.random.default_rng(seed)
    lab_draw = _draw(lab, rng, n)
    running = np.ones(n)
    bounds = []
    for f in factors:
        running = running * _draw(f, rng, n)
        lo, hi = np.quantile(lab_draw * running, [alpha / 2, 1 - alpha / 2])
        bounds.append((lo, hi))
    lost_q = np.quantile(1 - running, [alpha / 2, 1 - alpha / 2])
    detail = (
        f"Monte Carlo, {n:,} draws (seed {seed}); steps from Beta distributions matched to "
        "their intervals or counts, lab efficacy normal; percentile intervals"
    )
    return _Bounds(bounds, (lost_q[0], lost_q[1]), (lab.ci_low, lab.ci_high), detail, "monte carlo")


def _delta_log(
    lab: _Factor,
    factors: list[_Factor],
    cumulative: np.ndarray,
    retained: float,
    confidence: float,
    notes: list[str],
) -> _Bounds:
    """Delta method on the log scale: Var(log R) = Σ (se_i / p_i)², exp(log R ± z·sd)."""
    z = z_quantile(confidence)
    if any(f.value == 0 for f in factors):
        notes.append(
            "a step is 0: the real-world effect is 0 and the log-scale interval is undefined"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        rel_var = np.cumsum([(f.se / f.value) ** 2 if f.value > 0 else np.nan for f in factors])
        lab_rel = (lab.se / lab.value) ** 2
        sd = np.sqrt(rel_var + lab_rel)
        bounds = [
            (c * math.exp(-z * s), c * math.exp(z * s)) for c, s in zip(cumulative, sd, strict=True)
        ]
        steps_sd = math.sqrt(float(rel_var[-1]))
        lost = (
            1 - retained * math.exp(z * steps_sd),
            1 - retained * math.exp(-z * steps_sd),
        )
    lab_bounds = (
        lab.value * math.exp(-z * math.sqrt(lab_rel)),
        lab.value * math.exp(z * math.sqrt(lab_rel)),
    )
    detail = "delta method on the log scale: Var(log R) = sum of (se_i / p_i)^2"
    return _Bounds(bounds, lost, lab_bounds, detail, "delta (log scale)")


def _steps_table(
    lab: _Factor,
    factors: list[_Factor],
    cumulative: np.ndarray,
    bounds: _Bounds,
    contributions: list[float],
    retained: float,
) -> pd.DataFrame:
    """The waterfall table of :attr:`Gap.steps`."""
    rows = [
        {
            "step": "lab efficacy",
            "proportion": NAN,
            "value": lab.value,
            "ci_low": float(bounds.lab[0]),
            "ci_high": float(bounds.lab[1]),
            "contribution": NAN,
        }
    ]
    for f, c, b, share in zip(factors, cumulative, bounds.steps, contributions, strict=True):
        rows.append(
            {
                "step": f.name,
                "proportion": f.value,
                "value": float(c),
                "ci_low": float(b[0]),
                "ci_high": float(b[1]),
                "contribution": float(share),
            }
        )
    rows.append(
        {
            "step": "real-world effect",
            "proportion": retained,
            "value": float(cumulative[-1]),
            "ci_low": float(bounds.steps[-1][0]),
            "ci_high": float(bounds.steps[-1][1]),
            "contribution": NAN,
        }
    )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- entry point


def _check_gap_args(steps: Mapping[str, Any], method: str) -> None:
    if not steps:
        raise DataError("effectiveness_gap: give at least one step, e.g. reach=0.8, adoption=0.6")
    if method not in ("monte_carlo", "delta"):
        raise DataError(f"method must be 'monte_carlo' or 'delta', got {method!r}")


def _check_lab(lab: _Factor) -> None:
    if lab.value <= 0:
        raise DataError(
            f"lab_efficacy must be positive (there is no lab effect to lose), got {fmt(lab.value)}"
        )


def effectiveness_gap(
    lab_efficacy: Any,
    *,
    method: Literal["monte_carlo", "delta"] = "monte_carlo",
    seed: int | None = None,
    n_draws: int = 100_000,
    confidence: float = 0.95,
    **steps: Any,
) -> Gap:
    """Real-world effect = lab efficacy × reach × adoption × sustained use × correct use.

    The multiplicative cascade of effective coverage (Ng et al. 2014, *PLoS Med*,
    EC = need × use × quality; Tanahashi 1978) applied to an effect: each step keeps a
    proportion of the people, and the effect delivered shrinks by the same factor.  The loss
    1 − Π p_i is split between steps by log decomposition, share_i = log p_i / Σ log p_j
    (exact, order-free, sums to 1).  To take the steps from a cascade use
    :meth:`Gap.from_cascade`.

    Parameters
    ----------
    lab_efficacy
        The effect under ideal conditions: a number (> 0), ``(value, ci_low, ci_high)``, an
        object with ``estimate``/``value`` and ``ci_low``/``ci_high`` (e.g. an
        :class:`~impactkit.effects.Effect`), or ``(successes, trials)`` counts.  It need not
        be a proportion; its uncertainty is drawn from a normal distribution (Beta for
        counts).
    method
        ``"monte_carlo"`` (default): draw every factor — each step from a Beta matched to its
        interval by the method of moments, or the Jeffreys Beta(s + ½, n − s + ½) for counts —
        and take percentiles of the product.  ``"delta"``: the delta method on the log scale,
        Var(log R) = Σ (se_i / p_i)², interval exp(log R ± z·sd); exactly invariant to the
        order of steps but undefined when a step is 0.
    seed, n_draws
        Monte Carlo seed (record it for reproducibility) and number of draws.
    confidence
        Interval level.  Intervals given as tuples are taken at this level, and so are the
        Wilson intervals of counts.
    **steps
        The steps in order, each a proportion in [0, 1]: a number (known exactly),
        ``(value, ci_low, ci_high)``, ``(successes, trials)`` counts (a 2-tuple is always
        counts), or an object with ``value``/``estimate``, ``ci_low`` and ``ci_high``.  Step
        names cannot be ``method``, ``seed``, ``n_draws`` or ``confidence``.

    Returns
    -------
    Gap
    """
    confidence = check_confidence(confidence)
    _check_gap_args(steps, method)
    lab = _parse_factor("lab efficacy", lab_efficacy, confidence, proportion=False)
    _check_lab(lab)
    factors = [_parse_factor(str(k), v, confidence, proportion=True) for k, v in steps.items()]
    values = [f.value for f in factors]
    cumulative = lab.value * np.cumprod(values)
    retained = float(np.prod(values))
    notes: list[str] = []
    if method == "monte_carlo":
        bounds = _monte_carlo(lab, factors, confidence, seed, n_draws)
    else:
        bounds = _delta_log(lab, factors, cumulative, retained, confidence, notes)
    contributions = _contributions(values)
    return Gap(
        lab_efficacy=lab.value,
        real_world=float(cumulative[-1]),
        ci_low=float(bounds.steps[-1][0]),
        ci_high=float(bounds.steps[-1][1]),
        lost=1 - retained,
        lost_ci_low=float(bounds.lost[0]),
        lost_ci_high=float(bounds.lost[1]),
        contributions={f.name: float(s) for f, s in zip(factors, contributions, strict=True)},
        steps=_steps_table(lab, factors, cumulative, bounds, contributions, retained),
        method=bounds.label,
        method_detail=bounds.detail,
        confidence=confidence,
        seed=seed,
        notes=tuple(notes),
    )
