"""Power and minimum detectable effect (MDE) for before/after designs.

Answer before a programme starts: *with this many people, can the study detect the change
that matters?*  Three designs:

``"paired"``
    The same ``n`` units measured before and after; the test is a paired t test on the
    differences (``statsmodels.stats.power.TTestPower``).
``"independent"``
    Different people before (``n``) and after (``ratio · n``); Welch/Student two-sample t
    test (``TTestIndPower``).
``"did"``
    Difference-in-differences with ``n`` treated and ``ratio · n`` comparison units (or
    observations per group per period for repeated cross-sections).  The DiD is a
    two-sample comparison of changes, whose SD is ``sd · sqrt(2 (1 − correlation))``
    (correlation = 0 for repeated cross-sections: Var(DiD) = σ²(1/n_T,pre + 1/n_T,post +
    1/n_C,pre + 1/n_C,post)); Frison & Pocock (1992).

Clustering (villages, schools, clinics) inflates the variance by the design effect
``1 + (m − 1) · ICC`` with ``m`` = ``cluster_size`` (Kish 1965; Donner & Klar 2000), applied
as an effective sample size n / DEFF.  The t degrees of freedom then come from the
effective size, an approximation that is optimistic with few clusters (use at least ~30
clusters per arm to trust it).  All tests are two-sided.

Validated against statsmodels ``TTestPower`` / ``TTestIndPower`` and the large-sample
normal formula (z_{1−α/2} + z_{power})·SE (tests/effects/test_power.py).  scipy is imported
inside the functions so that importing this module stays cheap.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np

from ..errors import DataError, EstimationError

__all__ = ["mde", "power", "design_effect"]

Design = Literal["paired", "independent", "did"]


def design_effect(cluster_size: float, icc: float) -> float:
    """Design effect 1 + (m − 1)·ICC for clusters of (average) size m (Kish 1965)."""
    if not cluster_size >= 1:
        raise DataError(f"cluster_size must be at least 1, got {cluster_size!r}")
    if not 0.0 <= icc <= 1.0:
        raise DataError(f"icc must be in [0, 1], got {icc!r}")
    return 1.0 + (cluster_size - 1.0) * icc


def _check_inputs(
    n: float, sd: float, alpha: float, ratio: float, correlation: float | None
) -> None:
    for name, value in (("n", n), ("sd", sd), ("alpha", alpha), ("ratio", ratio)):
        _check_number(name, value)
    if not n >= 2 or math.isinf(n):
        raise DataError(f"n must be a finite number of at least 2, got {n!r}")
    if not sd > 0 or math.isinf(sd):
        raise DataError(f"sd must be a positive number, got {sd!r}")
    if not 0.0 < alpha < 1.0:
        raise DataError(f"alpha must be in (0, 1), got {alpha!r}")
    if not ratio > 0:
        raise DataError(f"ratio must be positive, got {ratio!r}")
    if correlation is not None and not -1.0 < correlation < 1.0:
        raise DataError(f"correlation must be in (-1, 1), got {correlation!r}")


def _check_number(name: str, value: object) -> None:
    """A real number (not text, not a bool); NaN and inf are refused by the range checks."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise DataError(f"{name} must be a number, got {type(value).__name__} {value!r:.60}")
    if math.isnan(value):
        raise DataError(f"{name} must be a number, got NaN")


def _t_power(d: float, n_eff: float, design: str, alpha: float, ratio: float) -> float:
    """Two-sided power of a t test for standardised effect ``d``.

    The formula of statsmodels' ``TTestPower`` / ``TTestIndPower``: with critical value
    c = t_{1−α/2, df}, power = P(T' > c) + P(T' < −c) for T' noncentral t with
    noncentrality ncp.  Paired: df = n − 1, ncp = d·sqrt(n).  Two groups of n1 and
    n2 = ratio·n1: df = n1 + n2 − 2, ncp = d·sqrt(n1 n2 / (n1 + n2)).  Computed here
    directly because the far tail P(T' < −c) can be NaN in scipy for large ncp (it is
    then negligible and counted as 0).
    """
    from scipy import stats

    if design == "paired":
        df, ncp = n_eff - 1.0, d * math.sqrt(n_eff)
    else:
        n2 = ratio * n_eff
        df, ncp = n_eff + n2 - 2.0, d * math.sqrt(n_eff * n2 / (n_eff + n2))
    crit = float(stats.t.isf(alpha / 2.0, df))
    upper = float(stats.nct.sf(crit, df, ncp))
    lower = float(stats.nct.cdf(-crit, df, ncp))
    upper = 1.0 if math.isnan(upper) else upper
    lower = 0.0 if math.isnan(lower) else lower
    return min(upper + lower, 1.0)


def _setup(
    design: str, n: float, sd: float, correlation: float | None, deff: float
) -> tuple[float, float]:
    """(SD of the compared quantity, effective n) for a design."""
    rho = 0.0 if correlation is None else correlation
    if design == "paired":
        unit_sd = sd if correlation is None else sd * math.sqrt(2.0 * (1.0 - rho))
    elif design == "independent":
        unit_sd = sd
    elif design == "did":
        unit_sd = sd * math.sqrt(2.0 * (1.0 - rho))
    else:
        raise DataError(f"design must be 'paired', 'independent' or 'did', got {design!r}")
    n_eff = n / deff
    need = 3.0 if design == "paired" else 2.0
    if n_eff < need:
        raise DataError(
            f"effective sample size n / design effect = {n:g} / {deff:g} = {n_eff:.3g} is too "
            f"small for a t test (need at least {need:g})"
        )
    return unit_sd, n_eff


def mde(
    n: float,
    *,
    design: Design = "independent",
    sd: float = 1.0,
    alpha: float = 0.05,
    power: float = 0.8,
    ratio: float = 1.0,
    icc: float = 0.0,
    cluster_size: float = 1.0,
    correlation: float | None = None,
) -> float:
    """Minimum detectable effect (in outcome units) at ``power`` and two-sided ``alpha``.

    Parameters
    ----------
    n
        Pairs (``"paired"``), or the size of the first group (before / treated).
    design
        ``"paired"``, ``"independent"`` or ``"did"`` (see the module docstring).
    sd
        Outcome SD.  For ``"paired"`` without ``correlation`` it is the SD of the
        differences; with ``correlation`` it is the SD at each occasion.
    alpha, power
        Two-sided significance level and desired power.
    ratio
        Size of the second group / the first (independent and DiD).
    icc, cluster_size
        Intra-cluster correlation and average cluster size: design effect 1 + (m − 1)·ICC.
    correlation
        Correlation of a unit's before and after outcomes (paired, or DiD on a panel);
        ``None`` for DiD means repeated cross-sections.

    Returns
    -------
    float
        The smallest true change the study detects with probability ``power``:
        d · SD, with d solved (``scipy.optimize.brentq``) from the two-sided t-test power
        of statsmodels' ``TTestPower`` / ``TTestIndPower`` (same formula, see
        ``_t_power``).
        For large n this approaches (z_{1−α/2} + z_{power}) · SE.
    """
    _check_inputs(n, sd, alpha, ratio, correlation)
    if not alpha < power < 1.0:
        raise DataError(
            f"power must be between alpha ({alpha:g}) and 1 (a test has power alpha at no "
            f"effect), got {power!r}"
        )
    from scipy import optimize

    unit_sd, n_eff = _setup(design, n, sd, correlation, design_effect(cluster_size, icc))

    def gap(d: float) -> float:
        return _t_power(d, n_eff, design, alpha, ratio) - power

    hi = 1.0
    for _ in range(60):
        if gap(hi) > 0:
            break
        hi *= 2.0
    else:  # pragma: no cover - power is 1 for a large enough effect
        raise EstimationError("mde: could not bracket the minimum detectable effect")
    d = optimize.brentq(gap, 0.0, hi, xtol=1e-12, rtol=1e-12)
    return float(d) * unit_sd


def power(
    effect: float,
    n: float,
    *,
    design: Design = "independent",
    sd: float = 1.0,
    alpha: float = 0.05,
    ratio: float = 1.0,
    icc: float = 0.0,
    cluster_size: float = 1.0,
    correlation: float | None = None,
) -> float:
    """Probability that a two-sided test at ``alpha`` detects a true change ``effect``.

    Parameters are those of :func:`mde`; ``effect`` is in outcome units (its sign does
    not matter).  Same formula as statsmodels' ``TTestPower`` (paired) or
    ``TTestIndPower``.
    """
    _check_inputs(n, sd, alpha, ratio, correlation)
    _check_number("effect", effect)
    if math.isinf(effect):
        raise DataError(f"effect must be a finite change in outcome units, got {effect!r}")
    unit_sd, n_eff = _setup(design, n, sd, correlation, design_effect(cluster_size, icc))
    return _t_power(abs(float(effect)) / unit_sd, n_eff, design, alpha, ratio)
