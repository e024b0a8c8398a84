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
"""

from __future__ import annotations

import math
from typing import Literal

from statsmodels.stats.power import TTestIndPower, TTestPower

from .errors import DataError

__all__ = ["mde", "power", "design_effect"]

Design = Literal["paired", "independent", "did"]


def design_effect(cluster_size: float, icc: float) -> float:
    """Design effect 1 + (m − 1)·ICC for clusters of (average) size m (Kish 1965)."""
    if not cluster_size >= 1:
        raise DataError(f"cluster_size must be at least 1, got {cluster_size!r}")
    if not 0.0 <= icc <= 1.0:
        raise DataError(f"icc must be in [0, 1], got {icc!r}")
    return 1.0 + (cluster_size - 1.0) * icc


def _check(n: float, sd: float, alpha: float, ratio: float, correlation: float | None) -> None:
    if not n >= 2:
        raise DataError(f"n must be at least 2, got {n!r}")
    if not sd > 0 or math.isinf(sd):
        raise DataError(f"sd must be a positive number, got {sd!r}")
    if not 0.0 < alpha < 1.0:
        raise DataError(f"alpha must be in (0, 1), got {alpha!r}")
    if not ratio > 0:
        raise DataError(f"ratio must be positive, got {ratio!r}")
    if correlation is not None and not -1.0 < correlation < 1.0:
        raise DataError(f"correlation must be in (-1, 1), got {correlation!r}")


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
    return unit_sd, n / deff


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
        d · SD, with d solved by statsmodels' ``TTestPower`` / ``TTestIndPower``.
        For large n this approaches (z_{1−α/2} + z_{power}) · SE.
    """
    _check(n, sd, alpha, ratio, correlation)
    if not 0.0 < power < 1.0:
        raise DataError(f"power must be in (0, 1), got {power!r}")
    unit_sd, n_eff = _setup(design, n, sd, correlation, design_effect(cluster_size, icc))
    if design == "paired":
        d = TTestPower().solve_power(effect_size=None, nobs=n_eff, alpha=alpha, power=power)
    else:
        d = TTestIndPower().solve_power(
            effect_size=None, nobs1=n_eff, alpha=alpha, power=power, ratio=ratio
        )
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
    not matter).  Uses statsmodels' ``TTestPower`` (paired) or ``TTestIndPower``.
    """
    _check(n, sd, alpha, ratio, correlation)
    unit_sd, n_eff = _setup(design, n, sd, correlation, design_effect(cluster_size, icc))
    d = abs(float(effect)) / unit_sd
    if design == "paired":
        return float(TTestPower().power(effect_size=d, nobs=n_eff, alpha=alpha))
    return float(TTestIndPower().power(effect_size=d, nobs1=n_eff, alpha=alpha, ratio=ratio))
