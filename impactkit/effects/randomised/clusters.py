"""Few-cluster inference for cluster-randomised trials: the rule of
:mod:`impactkit.effects.wild.choice` applied to every treatment arm of :func:`~.estimator.rct`,
and the randomisation-inference (placebo) p-value used when a single cluster is treated.

The placebo p-value re-fits the trial's regression (same baseline, covariates and strata)
once for every control cluster, pretending that it alone had been treated and leaving the
treated cluster out; ``p = (1 + #{|b_c| >= |b|}) / (1 + number of control clusters)``
(Fisher's exact test under random assignment of the treated cluster; the same construction
as :func:`impactkit.effects.wild.placebo_p_value` for DiD).

Validated against: tests/wild/test_wild_choice.py — the interval equals
:func:`impactkit.effects.wild_cluster_bootstrap` on the same design matrix, and the placebo
p-value equals a direct enumeration with statsmodels OLS.
"""

from __future__ import annotations

from collections.abc import Hashable
from functools import partial

import numpy as np
import pandas as pd

from ...results import Effect
from ..wild.choice import cluster_inference
from .arms import Arms

__all__ = ["trial_cluster_inference", "placebo_by_cluster"]


def placebo_by_cluster(
    y: np.ndarray, X: pd.DataFrame, groups: np.ndarray, term: str
) -> tuple[float, int] | None:
    """Placebo p-value for a 0/1 ``term`` that is 1 in exactly one cluster of ``groups``
    (``None`` when fewer than two control clusters or the refit is collinear)."""
    treated = X[term].to_numpy() == 1
    treated_cl = set(groups[treated])
    controls = [c for c in pd.unique(groups) if c not in treated_cl]
    if len(treated_cl) != 1 or len(controls) < 2:
        return None
    base = X.to_numpy(dtype=float)
    k = list(X.columns).index(term)

    def coef(rows: np.ndarray, dummy: np.ndarray) -> float | None:
        x = base[rows].copy()
        x[:, k] = dummy[rows]
        if np.linalg.matrix_rank(x) < x.shape[1]:
            return None
        return float(np.linalg.lstsq(x, y[rows], rcond=None)[0][k])

    actual = coef(np.ones(len(y), dtype=bool), treated.astype(float))
    keep = ~treated
    placebo = [coef(keep, (groups == c).astype(float)) for c in controls]
    if actual is None or any(b is None for b in placebo):
        return None
    hits = sum(abs(b) >= abs(actual) * (1 - 1e-12) for b in placebo if b is not None)
    return (hits + 1) / (len(controls) + 1), len(controls)


def trial_cluster_inference(
    effects: dict[Hashable, Effect],
    *,
    y: np.ndarray,
    X: pd.DataFrame,
    groups: np.ndarray,
    arms: Arms,
    values: pd.Series,
    inference: str,
    seed: int,
) -> dict[Hashable, Effect]:
    """Every arm's effect with the interval and p-value the few-cluster rule picks; the
    treated clusters of an arm are the clusters assigned to it."""
    out: dict[Hashable, Effect] = {}
    for arm, effect in effects.items():
        term = arms.term(arm)
        treated = int(pd.Series(groups[(values == arm).to_numpy()]).nunique())
        out[arm] = cluster_inference(
            effect,
            y=y,
            X=X,
            groups=groups,
            coef=term,
            treated=treated,
            inference=inference,
            seed=seed,
            placebo=partial(placebo_by_cluster, y, X, groups, term),
        )
    return out
