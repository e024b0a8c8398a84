"""Aggregations of ATT(g,t): overall, by cohort, by event time, by calendar period.

Callaway & Sant'Anna (2021), Section 3 ("Aggregating group-time average treatment
effects"): ``theta = sum_{g,t} w(g,t) ATT(g,t)`` with weights proportional to cohort shares
``P(G = g)``.  The standard error of every aggregate comes from its influence function, which
adds the influence function of the estimated weights (CS 2021, proof of Theorem 3; R ``did``
``compute.aggte``: ``wif`` and ``get_agg_inf_func``) whenever the weights are estimated
cohort shares.  The four kinds follow R ``did::aggte`` exactly:

``"simple"``
    ``sum_{g <= t} p_g ATT(g,t) / sum_{g <= t} p_g`` (with the weights' influence function).
``"group"``
    ``theta(g)`` = mean of cohort ``g``'s post-treatment ATT(g,t) (no weight estimation within
    a cohort); overall ``sum_g p_g theta(g) / sum_g p_g`` with the weights' influence function.
``"dynamic"``
    ``theta(e) = sum_g p_g ATT(g, g+e) / sum_g p_g`` over cohorts observed at event time ``e``
    (pre-periods included, as R); overall = mean of ``theta(e)`` over ``e >= 0``.
``"calendar"``
    ``theta(t) = sum_{g <= t} p_g ATT(g,t) / sum p_g``; overall = mean over periods.

Validated against: R ``did`` 2.5.1 ``aggte(..., bstrap = FALSE)`` on ``mpdta``, every kind,
never- and not-yet-treated comparisons (tests/staggered/test_stag_reference.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from ..._display import fmt, fmt_ci
from ...errors import DataError, EstimationError
from ...results import Effect, HasEffect, Result
from .influence import (
    combine,
    normal_interval,
    standard_errors,
    weights_influence,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["AggregateKind", "StaggeredAggregate", "aggregate"]

AggregateKind = Literal["simple", "group", "dynamic", "calendar"]
_KEY = {"simple": None, "group": "cohort", "dynamic": "event_time", "calendar": "time"}
_WORDS = {
    "simple": "average over every treated cohort and post-treatment period",
    "group": "average of the cohort averages, weighted by cohort size",
    "dynamic": "average over event times 0 and later",
    "calendar": "average over calendar periods",
}


@dataclass(frozen=True, eq=False)
class StaggeredAggregate(Result, HasEffect):
    """One aggregation of the ATT(g,t).

    Attributes
    ----------
    kind
        ``"simple"``, ``"group"``, ``"dynamic"`` or ``"calendar"``.
    effect
        The overall average (an :class:`impactkit.effects.Effect`).
    table
        One row per cohort (``cohort``), event time (``event_time``) or period (``time``):
        ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``p_value``; empty for ``"simple"``.
    """

    kind: str
    effect: Effect
    table: pd.DataFrame
    confidence: float = 0.95
    notes: tuple[str, ...] = ()

    @property
    def key(self) -> str | None:
        """The table's key column (``None`` for ``"simple"``)."""
        return _KEY[self.kind]

    def summary(self) -> str:
        """The overall average in words, plus the range of the table."""
        e = self.effect
        text = (
            f"{e.label[:1].upper()}{e.label[1:]}: {_WORDS[self.kind]} {fmt(e.estimate)} "
            f"({fmt_ci(e.ci_low, e.ci_high, confidence=e.confidence)}, p = {e.p_value:.3g})."
        )
        if len(self.table):
            text += f" Table by {self.key}: {len(self.table)} rows."
        return text

    def to_frame(self) -> pd.DataFrame:
        """The table plus a last row ``part = "overall"`` with the overall average."""
        cols = ["estimate", "se", "ci_low", "ci_high", "p_value"]
        e = self.effect
        overall = pd.DataFrame([[e.estimate, e.se, e.ci_low, e.ci_high, e.p_value]], columns=cols)
        overall.insert(0, "part", "overall")
        if not len(self.table):
            return overall
        body = self.table.copy()
        body.insert(0, "part", f"by {self.key}")
        return pd.concat([body, overall], ignore_index=True)

    def plot(self, ax: Axes | None = None, *, title: str | None = None) -> Axes:
        """Estimates by cohort / event time / period with intervals; returns the Axes."""
        from .plot import event_study_plot

        return event_study_plot(self, ax=ax, title=title)

    def _title(self) -> str:
        return f"Callaway & Sant'Anna aggregation: {self.kind}"


def _cohort_shares(unit_cohort: np.ndarray, cohorts: np.ndarray) -> np.ndarray:
    """``p_g``: the share of all units in each cell's cohort (R ``pg``, unit weights 1)."""
    return np.array([np.mean(unit_cohort == g) for g in cohorts])


def _by(
    keys: np.ndarray,
    select: np.ndarray,
    att: np.ndarray,
    psi: np.ndarray,
    pg: np.ndarray,
    unit_cohort: np.ndarray,
    cell_cohort: np.ndarray,
    with_wif: bool,
) -> tuple[list[float], list[float], list[np.ndarray]]:
    """For each key value, the pg-weighted average of the selected cells and its IF."""
    out_key, out_att, out_if = [], [], []
    for k in np.unique(keys[select]):
        which = np.flatnonzero(select & (keys == k))
        w = pg[which] / pg[which].sum()
        wif = weights_influence(which, pg, unit_cohort, cell_cohort) if with_wif else None
        theta, inf = combine(att, psi, which, w, wif)
        out_key.append(float(k))
        out_att.append(theta)
        out_if.append(inf)
    return out_key, out_att, out_if


def _overall_mean(att: list[float], infs: list[np.ndarray]) -> tuple[float, np.ndarray]:
    return float(np.mean(att)), np.column_stack(infs).mean(axis=1)


def _compute(
    kind: str, att_gt: pd.DataFrame, psi: np.ndarray, unit_cohort: np.ndarray
) -> tuple[list[float], list[float], list[np.ndarray], float, np.ndarray]:
    """Keys, estimates and IFs of the table, and the overall estimate with its IF."""
    att = att_gt["estimate"].to_numpy(dtype=float)
    g = att_gt["cohort"].to_numpy(dtype=float)
    t = att_gt["time"].to_numpy(dtype=float)
    pg = _cohort_shares(unit_cohort, g)
    post = g <= t
    if not post.any():
        raise EstimationError("staggered_did: no post-treatment ATT(g,t) to aggregate")
    if kind == "simple":
        which = np.flatnonzero(post)
        wif = weights_influence(which, pg, unit_cohort, g)
        theta, inf = combine(att, psi, which, pg[which] / pg[which].sum(), wif)
        return [], [], [], theta, inf
    if kind == "group":
        keys, vals, infs = _by(g, post, att, psi, pg, unit_cohort, g, with_wif=False)
        groups = np.array(keys)
        pgg = _cohort_shares(unit_cohort, groups)
        wif = weights_influence(np.arange(len(groups)), pgg, unit_cohort, groups)
        theta, inf = combine(
            np.array(vals), np.column_stack(infs), np.arange(len(groups)), pgg / pgg.sum(), wif
        )
        return keys, vals, infs, theta, inf
    if kind == "dynamic":
        keys, vals, infs = _by(t - g, np.ones_like(post), att, psi, pg, unit_cohort, g, True)
        nonneg = [i for i, e in enumerate(keys) if e >= 0]
        theta, inf = _overall_mean([vals[i] for i in nonneg], [infs[i] for i in nonneg])
        return keys, vals, infs, theta, inf
    keys, vals, infs = _by(t, post, att, psi, pg, unit_cohort, g, with_wif=True)
    theta, inf = _overall_mean(vals, infs)
    return keys, vals, infs, theta, inf


def aggregate(
    att_gt: pd.DataFrame,
    psi: np.ndarray,
    unit_cohort: np.ndarray,
    cluster: np.ndarray | None,
    kind: str,
    confidence: float,
    label: str,
) -> StaggeredAggregate:
    """Aggregate ATT(g,t) cells (rows of ``att_gt``, IF columns of ``psi``) as R ``aggte``."""
    if kind not in _KEY:
        raise DataError(f"staggered_did: aggregate kind must be one of {tuple(_KEY)}, got {kind!r}")
    keys, vals, infs, theta, inf = _compute(kind, att_gt, psi, unit_cohort)
    se_all = standard_errors(np.column_stack(infs + [inf]), cluster)
    lo, hi, p = normal_interval(np.array(vals + [theta]), se_all, confidence)
    table = pd.DataFrame(
        {
            _KEY[kind] or "key": keys,
            "estimate": vals,
            "se": se_all[:-1],
            "ci_low": lo[:-1],
            "ci_high": hi[:-1],
            "p_value": p[:-1],
        }
    )
    if kind == "dynamic":
        table["post"] = table["event_time"] >= 0
    effect = Effect(
        estimate=theta,
        se=float(se_all[-1]),
        ci_low=float(lo[-1]),
        ci_high=float(hi[-1]),
        p_value=float(p[-1]),
        n=int(psi.shape[0]),
        confidence=confidence,
        method=(
            "Callaway & Sant'Anna (2021) staggered DiD, "
            f"{kind} aggregation, influence-function standard errors"
        ),
        label=label,
    )
    return StaggeredAggregate(
        kind=kind,
        effect=effect,
        table=table if kind != "simple" else table.iloc[:0],
        confidence=confidence,
    )
