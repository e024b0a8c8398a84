"""Which inference a clustered estimate gets: CR1, the wild cluster bootstrap, or — with a
single treated cluster — a randomisation-inference (placebo) p-value and no interval.

The rule (``inference="auto"``): cluster-robust (CR1) intervals are too narrow when clusters
are few or few of them are treated (Cameron, Gelbach & Miller 2008, *Review of Economics and
Statistics* 90(3); MacKinnon & Webb 2017, *Journal of Applied Econometrics* 32(2)), so with
fewer than :data:`FEW_CLUSTERS` clusters or fewer than :data:`FEW_TREATED` treated clusters the
interval and p-value come from the restricted wild cluster bootstrap
(:func:`~.bootstrap.wild_cluster_bootstrap`, seeded).  With one treated cluster no
cluster-based interval is reliable, the wild bootstrap included (MacKinnon & Webb 2017,
Section 6; Conley & Taber 2011), so the interval is left out (NaN, with a note) and the
p-value is the placebo p-value supplied by the estimator.

Validated against: the wild bootstrap and placebo p-values themselves are validated in
:mod:`.bootstrap` and :mod:`.placebo`; tests/wild/test_wild_choice.py checks that ``did`` and
``rct`` return exactly those numbers under each rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Literal

import numpy as np
import pandas as pd

from ...errors import DataError
from ...results import Effect
from .bootstrap import wild_cluster_bootstrap

__all__ = [
    "Inference",
    "INFERENCES",
    "FEW_CLUSTERS",
    "FEW_TREATED",
    "DEFAULT_SEED",
    "check_inference",
    "choose",
    "cluster_inference",
    "sorted_codes",
]

Inference = Literal["auto", "wild", "cr1"]
INFERENCES: tuple[str, ...] = ("auto", "wild", "cr1")
#: Fewer clusters than this, or fewer treated clusters than :data:`FEW_TREATED`: wild bootstrap.
FEW_CLUSTERS = 30
FEW_TREATED = 10
#: The default seed of the bootstrap draws (the same seed gives the same interval).
DEFAULT_SEED = 20080101


def check_inference(inference: str, context: str) -> str:
    """``inference`` if it is one of ``auto``, ``wild``, ``cr1``; else a :class:`DataError`."""
    if inference not in INFERENCES:
        raise DataError(
            f"{context}: inference must be one of {', '.join(INFERENCES)}; got {inference!r}"
        )
    return inference


def choose(inference: str, n_clusters: int, treated: int) -> Literal["cr1", "wild", "placebo"]:
    """The inference a clustered estimate gets under the rule of the module docstring."""
    if treated == 1 and inference != "cr1":
        return "placebo"
    if inference == "wild":
        return "wild"
    if inference == "auto" and (n_clusters < FEW_CLUSTERS or treated < FEW_TREATED):
        return "wild"
    return "cr1"


def _counts_words(n_clusters: int, treated: int) -> str:
    return f"{n_clusters} clusters, {treated} of them treated"


def sorted_codes(groups: np.ndarray) -> np.ndarray:
    """Cluster codes in the sorted order of the cluster labels (text order when labels of
    different types cannot be compared), so that the bootstrap weights a cluster draws do not
    depend on the order of the rows."""
    try:
        return np.asarray(pd.factorize(pd.Series(groups), sort=True)[0])
    except TypeError:
        return np.asarray(pd.factorize(pd.Series(groups).astype(str), sort=True)[0])


def _few(n_clusters: int, treated: int) -> bool:
    return n_clusters < FEW_CLUSTERS or treated < FEW_TREATED


def cluster_inference(
    effect: Effect,
    *,
    y: np.ndarray,
    X: pd.DataFrame,
    groups: np.ndarray,
    coef: str,
    treated: int,
    inference: str,
    seed: int,
    placebo: Callable[[], tuple[float, int] | None] | None = None,
) -> Effect:
    """``effect`` (fitted with CR1 errors) with the interval and p-value the rule chooses.

    ``placebo`` returns the randomisation-inference p-value and the number of placebo
    clusters (or ``None`` where it cannot be computed); it is called only with a single
    treated cluster.  The CR1 standard error is
    kept in every case (it is what the bootstrap-t studentises with).  ``groups`` holds the
    cluster labels; the bootstrap sees the clusters in sorted label order (see
    :func:`sorted_codes`), so the interval does not depend on the order of the rows.
    """
    n_clusters = int(pd.Series(groups).nunique())
    kind = choose(inference, n_clusters, treated)
    counts = _counts_words(n_clusters, treated)
    notes = list(effect.notes)
    if kind == "cr1":
        if _few(n_clusters, treated):
            notes.append(
                f"{counts}: cluster-robust (CR1) intervals are too narrow with this few "
                "(treated) clusters; inference='wild' gives a wild cluster bootstrap interval"
            )
        return replace(effect, notes=tuple(notes))
    if kind == "placebo":
        return _placebo_effect(effect, counts, notes, placebo)
    codes = sorted_codes(groups)
    order = np.argsort(codes, kind="stable")  # clusters in label order: row order is irrelevant
    boot = wild_cluster_bootstrap(
        np.asarray(y, dtype=float)[order],
        X.iloc[order],
        codes[order],
        coef=coef,
        seed=seed,
        confidence=effect.confidence,
        label=effect.label,
    )
    how = "all weight patterns" if boot.enumerated else f"{boot.draws:,} draws, seed {seed}"
    notes.append(
        f"{counts}: cluster-robust (CR1) intervals are too narrow with this few (treated) "
        "clusters, so the interval and p-value come from a wild cluster bootstrap "
        f"(restricted, {boot.weights} weights, {how}; Cameron, Gelbach & Miller 2008)"
    )
    notes += [n for n in boot.notes if not n.startswith("all ")]
    return replace(
        effect,
        ci_low=boot.ci_low,
        ci_high=boot.ci_high,
        p_value=boot.p_value,
        method=f"{effect.method}; wild cluster bootstrap-t interval and p-value",
        notes=tuple(notes),
    )


def _placebo_effect(
    effect: Effect,
    counts: str,
    notes: list[str],
    placebo: Callable[[], tuple[float, int] | None] | None,
) -> Effect:
    """No interval; the placebo p-value where the estimator can compute one."""
    result = None if placebo is None else placebo()
    if result is None:
        p = float("nan")
        words = "no randomisation-inference p-value could be computed either, so none is shown"
    else:
        p, n_placebo = result
        words = (
            "the p-value shown is the randomisation-inference (placebo) p-value: how often an "
            f"estimate this large arises when each of the {n_placebo} untreated clusters in "
            "turn is treated as if it were the treated one (smallest attainable p = "
            f"{1 / (n_placebo + 1):.3f})"
        )
    notes.append(
        f"{counts}: with a single treated cluster no cluster-based interval is reliable — "
        "neither cluster-robust (CR1) nor the wild bootstrap (MacKinnon & Webb 2017) — so no "
        f"interval is reported; {words}"
    )
    return replace(
        effect,
        ci_low=float("nan"),
        ci_high=float("nan"),
        p_value=p,
        method=f"{effect.method}; randomisation-inference (placebo) p-value, no interval",
        notes=tuple(notes),
    )
