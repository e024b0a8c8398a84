"""Influence functions of the Callaway & Sant'Anna (2021) estimator and what follows from them.

Notation: ``n`` units; ``psi`` an ``n x K`` matrix whose column ``k`` is the influence function
of the ``k``-th estimate, scaled as in R ``did`` so that ``V = psi' psi / n`` and the standard
error of estimate ``k`` is ``sqrt(V_kk / n)``.

References
----------
Callaway, B. & Sant'Anna, P. H. C. (2021). Difference-in-differences with multiple time
periods. *Journal of Econometrics* 225(2), 200-230 — eq. (2.6) (unconditional ATT(g,t) with
never-treated comparison), eq. (2.7) (not-yet-treated), Theorem 2 (asymptotic linearity),
Section 4 and Appendix (aggregations, eq. 3.x, and the influence function of the estimated
weights).  R package ``did`` 2.5.1 (``R/compute.att_gt.R``, ``R/compute.aggte.R``: functions
``wif``, ``get_agg_inf_func``, ``getSE``; ``R/att_gt.R``: the Wald pre-test), whose formulas
these follow.

Validated against: R ``did`` 2.5.1 ``att_gt``/``aggte`` with ``bstrap = FALSE`` on ``mpdta``
(tests/staggered/test_stag_reference.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from ..._display import fmt, fmt_p

__all__ = ["cell_influence", "standard_errors", "weights_influence", "combine", "WaldPreTrend"]


def cell_influence(
    delta_y: np.ndarray, treated: np.ndarray, control: np.ndarray
) -> tuple[float, np.ndarray]:
    """ATT(g,t) of one cell and its influence function over all ``n`` units.

    Unconditional 2x2 DiD on the long difference ``delta_y = Y_t - Y_base`` (CS 2021 eq. 2.6
    / 2.7 without covariates)::

        ATT = mean(dY | G = g) - mean(dY | C = 1)
        psi_i = n * [ D_i (dY_i - m_1) / n_1  -  C_i (dY_i - m_0) / n_0 ]

    which is ``(n / n_cell)`` times the influence function returned by DRDID's
    ``reg_did_panel`` / ``drdid_panel`` with an intercept only (R ``did`` rescales it the same
    way); units outside the cell get 0.
    """
    n = delta_y.shape[0]
    n1 = int(treated.sum())
    n0 = int(control.sum())
    m1 = float(delta_y[treated].mean())
    m0 = float(delta_y[control].mean())
    psi = np.zeros(n)
    psi[treated] = n * (delta_y[treated] - m1) / n1
    psi[control] = -n * (delta_y[control] - m0) / n0
    return m1 - m0, psi


def _cluster_sums(psi: np.ndarray, cluster: np.ndarray | None) -> np.ndarray:
    if cluster is None:
        return psi
    n_groups = int(cluster.max()) + 1
    out = np.zeros((n_groups,) + psi.shape[1:])
    np.add.at(out, cluster, psi)
    return out


def covariance(psi: np.ndarray, cluster: np.ndarray | None) -> np.ndarray:
    """Covariance matrix of the estimates: ``S' S / n^2`` with ``S`` the unit (or cluster)
    sums of ``psi`` (R ``did``: ``V / n`` with ``V = psi' psi / n``; with a cluster variable
    ``crossprod(rowsum(psi, cluster)) / n``, no small-sample factor)."""
    n = psi.shape[0]
    s = _cluster_sums(psi if psi.ndim == 2 else psi[:, None], cluster)
    return np.asarray(s.T @ s) / n**2


def standard_errors(psi: np.ndarray, cluster: np.ndarray | None) -> np.ndarray:
    """Standard errors ``sqrt(sum_c S_c^2) / n`` of every column of ``psi`` (R ``getSE``)."""
    n = psi.shape[0]
    s = _cluster_sums(psi if psi.ndim == 2 else psi[:, None], cluster)
    return np.sqrt((s**2).sum(axis=0)) / n


def weights_influence(
    keepers: np.ndarray, pg: np.ndarray, unit_cohort: np.ndarray, cell_cohort: np.ndarray
) -> np.ndarray:
    """Influence function of the estimated aggregation weights (R ``did``'s ``wif``).

    The weight of cell ``k`` is ``w_k = p_g(k) / sum_{j in keepers} p_g(j)`` with ``p_g`` the
    estimated share of units in cohort ``g``.  Its influence function (delta method; CS 2021,
    proof of the aggregation results) is, for unit ``i``::

        c_ik   = 1{G_i = g(k)} - p_g(k)
        wif_ik = c_ik / S  -  (sum_j c_ij) * p_g(k) / S^2,   S = sum_{j in keepers} p_g(j)

    Returns the ``n x len(keepers)`` matrix; ``wif @ att[keepers]`` is added to the
    aggregate's influence function.
    """
    p = pg[keepers]
    total = p.sum()
    centered = (unit_cohort[:, None] == cell_cohort[keepers][None, :]).astype(float) - p
    return centered / total - np.outer(centered.sum(axis=1), p / total**2)


def combine(
    att: np.ndarray,
    psi: np.ndarray,
    which: np.ndarray,
    weights: np.ndarray,
    wif: np.ndarray | None = None,
) -> tuple[float, np.ndarray]:
    """A weighted average of estimates and its influence function (R ``get_agg_inf_func``):
    ``theta = sum_k w_k att_k``, ``psi_theta = psi[:, which] @ w + wif @ att[which]``."""
    theta = float(np.dot(weights, att[which]))
    inf = psi[:, which] @ weights
    if wif is not None:
        inf = inf + wif @ att[which]
    return theta, inf


@dataclass(frozen=True)
class WaldPreTrend:
    """Wald test that every pre-treatment ATT(g,t) is zero.

    ``W = a' Sigma^{-1} a`` with ``a`` the pre-period ATT(g,t) (cohort later than the period)
    and ``Sigma`` their influence-function covariance; ``W ~ chi^2(df)`` under parallel
    pre-trends (R ``did``'s ``att_gt`` pre-test, reported there as ``W`` / ``Wpval``).

    Validated against: R ``did`` 2.5.1 on ``mpdta`` (W = 7.7912, p = 0.16812).
    """

    statistic: float
    df: int
    p_value: float

    def summary(self) -> str:
        """One sentence: were treated cohorts and comparisons moving in parallel before?"""
        word = (
            "no evidence against parallel pre-trends"
            if self.p_value >= 0.05
            else "evidence that cohorts were already diverging from their comparison units"
        )
        return (
            f"Pre-trend Wald test over {self.df} pre-treatment ATT(g,t): "
            f"chi2 = {fmt(self.statistic)}, {fmt_p(self.p_value)} — {word}."
        )


def wald_pre_trend(
    att: np.ndarray, psi: np.ndarray, pre: np.ndarray, cluster: np.ndarray | None
) -> WaldPreTrend | None:
    """The pre-trend test on the cells ``pre`` (``None`` without pre-periods or when their
    covariance matrix is singular, as R ``did``)."""
    if not pre.any():
        return None
    sigma = covariance(psi[:, pre], cluster)
    if np.linalg.cond(sigma) > 1 / np.finfo(float).eps:
        return None
    a = att[pre]
    w = float(a @ np.linalg.solve(sigma, a))
    df = int(pre.sum())
    return WaldPreTrend(statistic=w, df=df, p_value=float(stats.chi2.sf(w, df)))


def normal_interval(
    estimate: np.ndarray, se: np.ndarray, confidence: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pointwise normal intervals and two-sided p-values (R ``did`` with ``cband = FALSE``)."""
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        p = 2 * stats.norm.sf(np.abs(estimate / se))
    return estimate - z * se, estimate + z * se, p


def z_value(confidence: float) -> float:
    """The two-sided normal critical value."""
    return float(stats.norm.ppf(0.5 + confidence / 2)) if 0 < confidence < 1 else math.nan
