"""Values and confidence intervals of indicators, from per-group sufficient statistics.

The simple-random-sampling formulas, by kind.  The sums carry a weight ``w`` that is 1 for
every row here, so ``Σw = n`` and ``n_eff = (Σw)²/Σw² = n``; weighted and survey-design
estimates go through :mod:`impactkit.indicators.design_based` (Taylor linearisation) instead:

* **proportion** — ``value = Σw·x / Σw`` with ``x`` the numerator condition (0/1);
  ``numerator = Σw·x`` (the count), ``denominator = Σw``.  Wilson score interval
  (default) or Clopper–Pearson, with ``n_eff`` and ``n_eff·value`` in place of ``n`` and
  ``k``.
* **mean** — ``value = Σw·x / Σw``; ``numerator = Σw·x``, ``denominator = Σw``.
  t interval: ``se = √(s_w² / n_eff)`` with ``s_w² = [Σw(x − x̄)²/Σw] · n_eff/(n_eff − 1)``
  and ``df = n_eff − 1``; unweighted this is the usual ``s/√n``, ``df = n − 1``.
  (statsmodels' ``DescrStatsW`` treats weights as frequencies, ``df = Σw − 1``; the two
  agree when the weights are rescaled to sum to ``n_eff``.)
* **sum** — ``value = Σw·x = Σw · mean``; the interval is ``Σw`` times the mean's
  t interval (``Σw`` treated as known); ``numerator = value``, ``denominator = Σw``.
* **rate** — ``value = Σw·events / Σw·exposure × per``; ``numerator`` and ``denominator``
  are the two sums.  Exact Poisson interval for the events (Garwood; Fay–Feuer gamma
  interval with weights, see :func:`~impactkit._intervals.poisson_interval`) divided by the
  exposure, which is treated as known.
* **ratio** — ``value = Σw·y / Σw·x`` (numerator over denominator expression);
  ``numerator`` and ``denominator`` are the two sums.  Delta-method normal interval
  (:func:`~impactkit._intervals.delta_ratio_interval`, Cochran 1977 §6.4) with weighted
  (co)variances and ``n_eff``.

Intervals need ``n_eff > 1`` (means, sums, ratios) and are NaN otherwise; a group with no
rows in the population has ``n = 0`` and NaN value.

Validated (tests/indicators/test_indicators.py) against statsmodels ``proportion_confint``
(Wilson, Clopper–Pearson), scipy's t interval, statsmodels ``DescrStatsW`` and
``confint_poisson`` (exact), and a hand-written delta-method ratio, to 1e-9 relative.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .._intervals import (
    clopper_pearson_interval,
    delta_ratio_interval,
    poisson_interval,
    t_interval,
    wilson_interval,
)
from ..errors import DataError
from .definitions import KINDS, Indicator
from .statistics import Sums

__all__ = ["CI_METHODS", "Estimate", "estimate", "resolve_methods"]

#: Confidence-interval methods by kind; the first is the default.  Aliases map to names.
CI_METHODS: dict[str, tuple[str, ...]] = {
    "proportion": ("wilson", "clopper-pearson"),
    "mean": ("t",),
    "sum": ("t",),
    "rate": ("exact",),
    "ratio": ("delta",),
}
_METHOD_ALIASES = {
    "beta": "clopper-pearson",
    "exact-binomial": "clopper-pearson",
    "garwood": "exact",
}


@dataclass(frozen=True)
class Estimate:
    """One indicator's estimates, one array entry per group."""

    value: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    n: np.ndarray
    n_missing: np.ndarray
    numerator: np.ndarray
    denominator: np.ndarray
    n_eff: np.ndarray
    ci_method: str
    se: np.ndarray
    df: np.ndarray
    deff: np.ndarray
    n_psu: np.ndarray


def resolve_methods(method: str | Mapping[str, str] | None) -> dict[str, str]:
    """The interval method per kind: defaults, one name for every kind it fits, or a
    mapping kind -> name.  Unknown names or kinds raise :class:`DataError`."""
    chosen = {kind: names[0] for kind, names in CI_METHODS.items()}
    if method is None:
        return chosen
    if isinstance(method, str):
        name = _METHOD_ALIASES.get(method.lower(), method.lower())
        kinds = [k for k, names in CI_METHODS.items() if name in names]
        if not kinds:
            raise DataError(f"unknown interval method {method!r}; {_methods_text()}")
        for kind in kinds:
            chosen[kind] = name
        return chosen
    if not isinstance(method, Mapping):
        raise DataError(f"method must be None, a name or a mapping kind -> name; {_methods_text()}")
    for kind, raw in method.items():
        if kind not in CI_METHODS:
            raise DataError(f"method: unknown kind {kind!r}; kinds are {', '.join(KINDS)}")
        name = _METHOD_ALIASES.get(str(raw).lower(), str(raw).lower())
        if name not in CI_METHODS[kind]:
            raise DataError(f"method for {kind!r}: unknown {raw!r}; {_methods_text()}")
        chosen[kind] = name
    return chosen


def _methods_text() -> str:
    return "valid: " + "; ".join(f"{k}: {', '.join(v)}" for k, v in CI_METHODS.items())


@dataclass(frozen=True)
class _Inputs:
    """What every kind's formula needs: the sums of one indicator and the settings."""

    sums: Sums
    i: int
    n_eff: np.ndarray
    confidence: float
    method: str

    def get(self, stat: str) -> np.ndarray:
        return self.sums.get(self.i, stat)


#: value, ci_low, ci_high, numerator, denominator, method label, standard error
_Formula = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, str, np.ndarray]


def estimate(ind: Indicator, sums: Sums, i: int, confidence: float, method: str) -> Estimate:
    """Values and intervals of ``ind`` (the ``i``-th indicator of ``sums``) per group."""
    _check_nonnegative(ind, sums, i)
    n, sw, sw2 = sums.get(i, "n"), sums.get(i, "sw"), sums.get(i, "sw2")
    with np.errstate(divide="ignore", invalid="ignore"):
        n_eff = np.where(sw2 > 0, sw**2 / sw2, 0.0)
        inputs = _Inputs(sums, i, n_eff, confidence, method)
        formula = {
            "proportion": _proportion,
            "mean": _mean_or_sum,
            "sum": _mean_or_sum,
            "rate": _rate,
            "ratio": _ratio,
        }[ind.kind]
        value, low, high, num, den, label, se = formula(ind, inputs)
    value = np.asarray(value, dtype=float)
    ok = np.isfinite(value)
    count = n.astype(np.int64)
    return Estimate(
        value=value,
        ci_low=np.where(ok, low, np.nan),
        ci_high=np.where(ok, high, np.nan),
        n=n.astype(np.int64),
        n_missing=sums.get(i, "miss").astype(np.int64),
        numerator=np.where(sw > 0, num, 0.0 if ind.kind == "proportion" else np.nan),
        denominator=np.asarray(den, dtype=float),
        n_eff=n_eff,
        ci_method=label,
        se=np.where(ok, se, np.nan),
        df=np.where(n_eff > 1, n_eff - 1, np.nan),
        deff=np.where(ok, 1.0, np.nan),
        n_psu=count,
    )


def _check_nonnegative(ind: Indicator, sums: Sums, i: int) -> None:
    negative_counts = int(sums.get(i, "neg").sum())
    if ind.kind == "rate" and negative_counts > 0:
        raise DataError(
            f"indicator {ind.id!r}: {negative_counts} rows have negative events or exposure"
        )


def _proportion(ind: Indicator, inputs: _Inputs) -> _Formula:
    """Wilson (Wilson 1927) or Clopper–Pearson (1934) with effective sizes."""
    num, den = inputs.get("swx"), inputs.get("sw")
    value = np.where(den > 0, num / den, np.nan)
    k_eff = value * inputs.n_eff
    if inputs.method == "wilson":
        low, high = wilson_interval(k_eff, inputs.n_eff, inputs.confidence)
        label = "Wilson score"
    else:
        low, high = clopper_pearson_interval(k_eff, inputs.n_eff, inputs.confidence)
        label = "Clopper-Pearson exact"
    se = np.sqrt(np.maximum(value * (1 - value), 0.0) / inputs.n_eff)
    return value, low, high, num, den, label, se


def _mean_or_sum(ind: Indicator, inputs: _Inputs) -> _Formula:
    """Weighted mean with a t interval, df = n_eff - 1; a sum is Σw times the mean."""
    sw, n_eff = inputs.get("sw"), inputs.n_eff
    cx = inputs.get("cx")
    m_c = inputs.get("swx") / sw
    var0 = np.maximum(inputs.get("swxx") / sw - m_c**2, 0.0)
    mean = cx + m_c
    se = np.where(n_eff > 1, np.sqrt(var0 / (n_eff - 1)), np.nan)
    low, high = t_interval(mean, se, n_eff - 1, inputs.confidence)
    num, den = mean * sw, sw
    label = "t, df = n - 1"
    if ind.kind == "mean":
        value = np.where(sw > 0, mean, np.nan)
    else:
        value, low, high, se = num, low * sw, high * sw, se * sw
        value = np.where(sw > 0, value, np.nan)
    return value, low, high, num, den, label, se


def _rate(ind: Indicator, inputs: _Inputs) -> _Formula:
    """Exact Poisson interval for the events (Garwood 1936)."""
    num, den = inputs.get("swx"), inputs.get("swy")
    scale = ind.scale
    value = np.where(den > 0, num / den * scale, np.nan)
    lo_k, hi_k = poisson_interval(num, inputs.get("sw2x"), inputs.get("wmax"), inputs.confidence)
    low = np.where(den > 0, lo_k / den * scale, np.nan)
    high = np.where(den > 0, hi_k / den * scale, np.nan)
    label = "exact Poisson (Garwood)"
    se = np.where(den > 0, np.sqrt(np.maximum(inputs.get("sw2x"), 0.0)) / den * scale, np.nan)
    return value, low, high, num, den, label, se


def _ratio(ind: Indicator, inputs: _Inputs) -> _Formula:
    """Delta-method interval of Σy / Σx (Cochran 1977, §6.4); x is the numerator
    expression here, y the denominator expression."""
    sw, n_eff = inputs.get("sw"), inputs.n_eff
    cx, cy = inputs.get("cx"), inputs.get("cy")
    mx_c, my_c = inputs.get("swx") / sw, inputs.get("swy") / sw
    mean_num, mean_den = cx + mx_c, cy + my_c
    bessel = np.where(n_eff > 1, n_eff / (n_eff - 1), np.nan)
    var_num = (inputs.get("swxx") / sw - mx_c**2) * bessel
    var_den = (inputs.get("swyy") / sw - my_c**2) * bessel
    cov = (inputs.get("swxy") / sw - mx_c * my_c) * bessel
    num, den = mean_num * sw, mean_den * sw
    value = np.where((sw > 0) & (mean_den != 0), mean_num / mean_den, np.nan)
    low, high = delta_ratio_interval(
        value, mean_den, var_num, var_den, cov, n_eff, inputs.confidence
    )
    spread = var_num - 2 * value * cov + value**2 * var_den
    se = np.sqrt(np.maximum(spread, 0.0) / (n_eff * mean_den**2))
    return value, low, high, num, den, "delta method (normal)", se
