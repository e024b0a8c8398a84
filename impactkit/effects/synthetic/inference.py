"""Uncertainty for synthetic control and synthetic difference-in-differences.

* :func:`placebo_se` — Algorithm 4 of Arkhangelsky, Athey, Hirshberg, Imbens & Wager
  (2021), "Synthetic Difference-in-Differences", *AER* 111(12) (``vcov(method =
  "placebo")`` in R ``synthdid``): the treated units are dropped, ``N_tr`` controls drawn
  at random play the treated ones, the estimator is refitted with the original penalties,
  and the standard error is ``sqrt((B - 1) / B) * sd`` of the ``B`` placebo estimates.
* :func:`jackknife_se` — Algorithm 3 (fixed-weights jackknife): each unit is left out in
  turn with the weights held fixed (unit weights renormalised); defined only with more
  than one treated unit and more than one control with non-zero weight.
* :func:`in_space_placebos` — Abadie, Diamond & Hainmueller (2010), JASA 105(490),
  Section 4: every donor in turn is treated as if it had received the intervention, and
  the treated unit's post/pre RMSPE ratio is ranked among all of them; the rank divided by
  the number of units is the permutation p-value.

Validated against: the placebo SE is random (R's random numbers cannot be reproduced), so
it is checked against the paper's Table 1 standard errors for California in distribution
(``tests/synthetic/test_synth_reference.py``); the stacked (vectorised) refits are checked
against one-at-a-time refits; the in-space ranking against a hand computation.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd

from .weights import (
    Array,
    Options,
    Weights,
    estimate_from,
    estimate_stack,
    fit_weights,
    fit_weights_stack,
    options_for,
)

__all__ = ["gap_series", "placebo_se", "jackknife_se", "in_space_placebos", "rmspe"]


def _normalise(v: Array) -> Array:
    total = v.sum(axis=-1, keepdims=True)
    uniform = np.full_like(v, 1.0 / v.shape[-1])
    return np.where(total != 0, v / np.where(total != 0, total, 1.0), uniform)


def gap_series(
    y: Array, n0: int, t0: int, w: Weights, x: Array | None = None
) -> tuple[Array, Array]:
    """Treated mean and synthetic path over all periods (covariate-adjusted when ``x``).

    The synthetic path is ``omega' Y_co,t`` shifted by the time-weighted pre-period level
    difference ``lambda' (ybar_tr,pre - omega' Y_co,pre)``, so that the mean post-period gap
    equals the estimate of :func:`~impactkit.effects.synthetic.weights.estimate_from`.
    """
    adj = y if x is None or x.shape[2] == 0 else y - x @ w.beta
    treated = adj[n0:].mean(axis=0)
    synthetic = w.omega @ adj[:n0]
    offset = float(w.lambda_ @ (treated[:t0] - synthetic[:t0]))
    return treated, synthetic + offset


def rmspe(gap: Array) -> float:
    """Root mean squared prediction error of a gap series."""
    return float(np.sqrt(np.mean(gap**2))) if gap.size else math.nan


def placebo_se(
    y: Array,
    n0: int,
    t0: int,
    opts: Options,
    w: Weights,
    *,
    replications: int,
    rng: np.random.Generator,
    x: Array | None = None,
) -> float:
    """Placebo standard error (Algorithm 4); NaN when there are not more controls than
    treated units."""
    n1 = y.shape[0] - n0
    if n0 <= n1 or replications < 2:
        return math.nan
    perms = np.stack([rng.permutation(n0) for _ in range(replications)])
    pn0 = n0 - n1
    omega0 = _normalise(w.omega[perms[:, :pn0]])
    if x is not None and x.shape[2] > 0:
        est = np.array(
            [
                estimate_from(
                    y[p],
                    pn0,
                    t0,
                    fit_weights(y[p], pn0, t0, opts, x=x[p], start=Weights(omega0[i], w.lambda_)),
                    x[p],
                )
                for i, p in enumerate(perms)
            ]
        )
    else:
        ys = y[perms]
        lambda0 = np.broadcast_to(w.lambda_, (replications, t0)).copy()
        om, lam = fit_weights_stack(ys, pn0, t0, opts, omega0=omega0, lambda0=lambda0)
        est = estimate_stack(ys, pn0, t0, om, lam)
    return float(math.sqrt((replications - 1) / replications) * np.std(est, ddof=1))


def jackknife_se(y: Array, n0: int, t0: int, w: Weights, x: Array | None = None) -> float:
    """Fixed-weights jackknife standard error (Algorithm 3); NaN where it is not defined
    (one treated unit, or one control with non-zero weight).  With covariates ``beta`` is
    held fixed as well (``synthdid`` re-fits it)."""
    n = y.shape[0]
    if n0 == n - 1 or np.count_nonzero(w.omega) <= 1:
        return math.nan
    estimates = []
    for i in range(n):
        keep = np.delete(np.arange(n), i)
        k0 = n0 - 1 if i < n0 else n0
        om = _normalise(w.omega[keep[:k0]]) if i < n0 else w.omega
        xi = None if x is None else x[keep]
        estimates.append(estimate_from(y[keep], k0, t0, Weights(om, w.lambda_, w.beta), xi))
    u = np.asarray(estimates)
    return float(math.sqrt(((n - 1) / n) * (n - 1) * np.var(u, ddof=1)))


def _placebo_panels(y: Array, n0: int) -> Array:
    """For each donor ``j``: the other donors as controls, then ``j`` as the treated unit."""
    donors = y[:n0]
    return np.stack([np.vstack([np.delete(donors, j, axis=0), donors[j]]) for j in range(n0)])


def in_space_placebos(
    y: Array,
    n0: int,
    t0: int,
    opts: Options,
    labels: Sequence[Hashable],
    treated_gap: Array,
    treated_label: str,
) -> tuple[pd.DataFrame, float, pd.DataFrame]:
    """Every donor treated in turn (Abadie et al. 2010, Section 4).

    Returns a frame with columns ``unit``, ``treated`` (bool), ``estimate`` (mean post gap),
    ``pre_rmspe``, ``post_rmspe``, ``ratio`` (post/pre) and ``rank`` (1 = largest ratio),
    sorted by rank; the p-value (the treated unit's rank over the number of units); and
    the gap paths, one row per unit: ``unit`` then one column per period (in order).
    Covariates are not used in the placebos (raw outcomes).
    Each placebo is fitted with its own default penalties (its own noise level).
    """
    rows = [_row(treated_label, True, treated_gap, t0)]
    paths = [[treated_label, *treated_gap]]
    if n0 >= 2:
        ys = _placebo_panels(y, n0)
        each = [options_for(opts.method, p, n0 - 1, t0) for p in ys]
        om, lam = fit_weights_stack(
            ys,
            n0 - 1,
            t0,
            each[0],
            zeta_omega=np.array([o.zeta_omega for o in each]),
            zeta_lambda=np.array([o.zeta_lambda for o in each]),
            min_decrease=np.array([o.min_decrease for o in each]),
        )
        for j in range(n0):
            tr, syn = gap_series(ys[j], n0 - 1, t0, Weights(om[j], lam[j]))
            rows.append(_row(labels[j], False, tr - syn, t0))
            paths.append([labels[j], *(tr - syn)])
    frame = pd.DataFrame(rows)
    frame["rank"] = frame["ratio"].rank(ascending=False, method="max").astype(int)
    frame = frame.sort_values(["rank", "unit"], kind="stable").reset_index(drop=True)
    p = float(frame.loc[frame["treated"], "rank"].iloc[0]) / len(frame)
    gaps = pd.DataFrame(paths, columns=["unit", *range(y.shape[1])])
    return frame, p, gaps


def _row(unit: Hashable, treated: bool, gap: Array, t0: int) -> dict[str, object]:
    pre, post = rmspe(gap[:t0]), rmspe(gap[t0:])
    ratio = post / pre if pre > 0 else math.inf
    return {
        "unit": unit,
        "treated": treated,
        "estimate": float(gap[t0:].mean()),
        "pre_rmspe": pre,
        "post_rmspe": post,
        "ratio": ratio,
    }
