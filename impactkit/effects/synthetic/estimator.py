"""One treated place against a pool of comparable places: synthetic control and synthetic
difference-in-differences.

:func:`synthetic_control` estimates the average post-intervention effect on the treated
unit with one of three estimators that share one weighted double-difference form
(Arkhangelsky, Athey, Hirshberg, Imbens & Wager 2021, *AER* 111(12), eq. 2.3):

``"sdid"``
    Synthetic difference-in-differences: regularised unit weights with an intercept and
    time weights (Arkhangelsky et al. 2021, Algorithm 1; R ``synthdid_estimate``).
``"sc"``
    Synthetic control (Abadie, Diamond & Hainmueller 2010, JASA 105(490), 493-505): unit
    weights on the simplex that reproduce the treated unit's pre-period outcomes, no
    intercept, no time weights; with the infinitesimal ridge of R ``sc_estimate``.
``"did"``
    Plain difference-in-differences against the average of all donors, for comparison.

Validated against: R ``synthdid`` 0.0.9 on California's Proposition 99 (published in its
README/vignette and Arkhangelsky et al. 2021, Table 1): SDID -15.60383, SC -19.61966,
DiD -27.34911, each to 1e-4 (``tests/synthetic/test_synth_reference.py``); the placebo
standard errors against Table 1 (SDID 8.4, SC 9.9, DiD 17.7) in distribution.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, get_args

import numpy as np
import pandas as pd
from scipy import stats

from ..._checks import check_confidence
from ..._display import fmt, fmt_p
from ...errors import DataError
from ...results import Effect, HasEffect, Result
from .inference import (
    gap_series,
    in_space_placebos,
    jackknife_se,
    placebo_se,
    rmspe,
)
from .panel import CONTEXT, Panel, build_panel
from .weights import Method, estimate_from, fit_weights, options_for

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["SyntheticControlResult", "synthetic_control"]

METHOD_NAMES = {
    "sdid": "synthetic difference-in-differences (Arkhangelsky et al. 2021)",
    "sc": "synthetic control (Abadie et al. 2010)",
    "did": "difference-in-differences against the donor average",
}
POOR_FIT = 0.5  # pre-RMSPE above this share of the treated unit's pre-period SD is poor


@dataclass(frozen=True)
class SyntheticControlResult(HasEffect, Result):
    """The result of :func:`synthetic_control`.

    Attributes
    ----------
    effect
        The average post-period effect (an :class:`~impactkit.effects.Effect`; ``se`` is the
        placebo standard error, the interval ``estimate +- z * se``).
    unit_weights
        Donor weights (index: donor labels, sorted by weight, largest first; sum 1).
    time_weights
        Pre-period weights (index: periods in order; zeros for ``"sc"``, uniform for
        ``"did"``).
    trajectory
        One row per period: ``time``, ``treated``, ``synthetic``, ``gap`` (treated minus
        synthetic) and ``post`` (bool).  The mean post-period gap is the estimate.
    pre_fit
        Root mean squared gap over the pre-periods (pre-RMSPE), in outcome units.
    placebo
        In-space placebos: ``unit``, ``treated``, ``estimate``, ``pre_rmspe``,
        ``post_rmspe``, ``ratio``, ``rank`` — the treated unit and every donor.
    placebo_p_value
        The treated unit's rank of post/pre RMSPE ratio over the number of units.
    placebo_gaps
        Long frame ``unit``, ``time``, ``gap``, ``treated`` of every in-space placebo.
    """

    effect: Effect
    method: str
    outcome: str
    treated: tuple[Hashable, ...]
    intervention: Hashable
    unit_weights: pd.Series
    time_weights: pd.Series
    trajectory: pd.DataFrame
    pre_fit: float
    placebo: pd.DataFrame
    placebo_p_value: float
    placebo_gaps: pd.DataFrame
    se_placebo: float
    se_jackknife: float
    covariate_coefficients: pd.Series
    replications: int
    confidence: float = 0.95
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def n_donors(self) -> int:
        return len(self.unit_weights)

    @property
    def n_pre(self) -> int:
        return int((~self.trajectory["post"]).sum())

    @property
    def n_post(self) -> int:
        return int(self.trajectory["post"].sum())

    def top_donors(self, n: int = 5) -> pd.Series:
        """The ``n`` donors with the largest weights (non-zero weights only)."""
        w = self.unit_weights
        return w[w > 0].head(n)

    def summary(self) -> str:
        """The effect sentence, the donors that make up the comparison and the placebo test."""
        top = ", ".join(f"{u} {w:.2f}" for u, w in self.top_donors(3).items())
        who = " and ".join(str(t) for t in self.treated)
        return (
            f"{self.effect.summary()} {who} is compared with a weighted mix of "
            f"{int((self.unit_weights > 0).sum())} of {self.n_donors} donors ({top}); "
            f"pre-period RMSPE {fmt(self.pre_fit)}; in-space placebo {fmt_p(self.placebo_p_value)}."
        )

    def to_frame(self) -> pd.DataFrame:
        """One row: the effect's columns plus method, pre-RMSPE, placebo p-value, SEs, sizes."""
        row = self.effect.to_frame()
        row["design"] = self.method
        row["pre_rmspe"] = self.pre_fit
        row["placebo_p_value"] = self.placebo_p_value
        row["se_placebo"] = self.se_placebo
        row["se_jackknife"] = self.se_jackknife
        row["n_donors"] = self.n_donors
        row["n_pre"] = self.n_pre
        row["n_post"] = self.n_post
        row["notes"] = "; ".join(self.notes)
        return row

    def _title(self) -> str:
        return f"Synthetic control — {METHOD_NAMES[self.method]}"

    def _html_extra(self) -> str:
        top = self.top_donors(10).rename("weight").reset_index()
        top.columns = ["donor", "weight"]
        return "<p>Largest donor weights</p>" + top.to_html(
            index=False, float_format=lambda v: fmt(v, 3)
        )

    def __repr__(self) -> str:
        return (
            f"SyntheticControlResult({self.method}, {self.outcome}: {self._effect_repr()}, "
            f"pre-RMSPE {fmt(self.pre_fit)}, placebo {fmt_p(self.placebo_p_value)})"
        )

    def plot(self, ax: Axes | None = None) -> Axes:
        """Treated unit against its synthetic comparison over time."""
        from .plot import plot_trajectory

        return plot_trajectory(self, ax=ax)

    def plot_gap(self, ax: Axes | None = None) -> Axes:
        """Treated minus synthetic over time, with the in-space placebo gaps in grey."""
        from .plot import plot_gap

        return plot_gap(self, ax=ax)

    def plot_placebo(self, ax: Axes | None = None) -> Axes:
        """Post/pre RMSPE ratio of the treated unit and every donor placebo."""
        from .plot import plot_placebo

        return plot_placebo(self, ax=ax)


def _check_method(method: str) -> Method:
    if method not in get_args(Method):
        raise DataError(f"{CONTEXT}: method must be one of 'sdid', 'sc', 'did'; got {method!r}")
    return method  # type: ignore[return-value]


def _check_replications(replications: int) -> int:
    if not isinstance(replications, int | np.integer) or replications < 2:
        raise DataError(f"{CONTEXT}: replications must be an integer >= 2, got {replications!r}")
    return int(replications)


def _hull_note(panel: Panel, method: Method) -> str | None:
    """Whether the treated unit leaves the donors' range in the pre-period (levels for SC,
    deviations from each unit's pre-period mean for SDID, which allows a level shift)."""
    if method == "did":
        return None
    pre = panel.y[:, : panel.t0]
    if method == "sdid":
        pre = pre - pre.mean(axis=1, keepdims=True)
    treated = pre[panel.n0 :].mean(axis=0)
    lo, hi = pre[: panel.n0].min(axis=0), pre[: panel.n0].max(axis=0)
    tol = 1e-9 * max(1.0, float(np.abs(pre).max()))
    outside = [
        t
        for t, v, a, b in zip(panel.times, treated, lo, hi, strict=False)
        if v < a - tol or v > b + tol
    ]
    if not outside:
        return None
    what = "level" if method == "sc" else "deviation from its pre-period mean"
    return (
        f"In {len(outside)} of {panel.t0} pre-periods ({', '.join(map(str, outside[:6]))}"
        f"{' ...' if len(outside) > 6 else ''}) the treated unit's {what} lies outside the "
        "range of every donor, so no convex combination of donors fits it there; the "
        "synthetic comparison is an extrapolation and the effect may be biased."
    )


def _fit_notes(panel: Panel, method: Method, pre_fit: float, se: float, conf: float) -> list[str]:
    notes = []
    hull = _hull_note(panel, method)
    if hull:
        notes.append(hull)
    sd = float(np.std(panel.y[panel.n0 :, : panel.t0].mean(axis=0), ddof=1))
    if sd > 0 and pre_fit > POOR_FIT * sd:
        notes.append(
            f"Poor pre-period fit: the pre-RMSPE {fmt(pre_fit)} is {pre_fit / sd:.0%} of the "
            f"treated unit's pre-period standard deviation {fmt(sd)}; the synthetic comparison "
            "does not track the treated unit before the intervention."
        )
    if math.isnan(se):
        notes.append(
            "No placebo standard error: it needs more donors than treated units; the effect "
            "has no interval."
        )
    if 1 / (panel.n0 + 1) > 1 - conf:
        notes.append(
            f"With {panel.n0} donors the in-space placebo p-value cannot be below "
            f"{1 / (panel.n0 + 1):.3f}."
        )
    return notes


def _effect(estimate: float, se: float, n: int, conf: float, base: float, label: str,
            method: str, notes: list[str]) -> Effect:  # fmt: skip
    z = float(stats.norm.ppf(0.5 + conf / 2))
    ok = se > 0 and math.isfinite(se)
    p = float(2 * stats.norm.sf(abs(estimate / se))) if ok else math.nan
    return Effect(
        estimate=estimate,
        se=se if ok else math.nan,
        ci_low=estimate - z * se if ok else math.nan,
        ci_high=estimate + z * se if ok else math.nan,
        p_value=p,
        n=n,
        confidence=conf,
        method=f"{METHOD_NAMES[method]}, placebo standard error (normal interval)",
        baseline=base,
        notes=tuple(notes),
        label=label,
    )


def _placebo_long(panel: Panel, gaps: pd.DataFrame) -> pd.DataFrame:
    return gaps.melt(id_vars="unit", var_name="time", value_name="gap").assign(
        treated=lambda f: f["unit"].isin(panel.treated)
    )


def _trajectory(panel: Panel, treated: np.ndarray, gap: np.ndarray) -> pd.DataFrame:
    post = np.arange(len(panel.times)) >= panel.t0
    return pd.DataFrame(
        {"time": panel.times, "treated": treated, "synthetic": treated - gap, "gap": gap,
         "post": post}
    )  # fmt: skip


def synthetic_control(
    data: pd.DataFrame,
    outcome: str,
    *,
    unit: str,
    time: str,
    treated: Hashable | Sequence[Hashable],
    intervention: Hashable,
    method: str = "sdid",
    covariates: Sequence[str] = (),
    confidence: float = 0.95,
    seed: int | None = None,
    replications: int = 200,
) -> SyntheticControlResult:
    """Effect of an intervention on one treated place (or a block of places treated at the
    same time), from long data with one row per unit and period.

    ``treated`` is the treated unit's label (or a list of labels); ``intervention`` the
    first post-intervention period.  ``covariates`` are time-varying columns adjusted for
    as in ``synthdid`` (the outcome is residualised, ``Y - X beta``).  The standard error is
    the placebo method of Arkhangelsky et al. (2021, Algorithm 4) with ``replications``
    draws seeded by ``seed``; the interval is ``estimate +- z * se``.  The fixed-weights
    jackknife (Algorithm 3) is reported as ``se_jackknife`` where it is defined (more than
    one treated unit).  In-space placebos (Abadie et al. 2010) give ``placebo_p_value``.

    Validated against: R ``synthdid`` 0.0.9 on Proposition 99 (see the module docstring).
    """
    m = _check_method(method)
    conf = check_confidence(confidence)
    reps = _check_replications(replications)
    panel = build_panel(
        data, outcome, unit=unit, time=time, treated=treated,
        intervention=intervention, covariates=covariates,
    )  # fmt: skip
    y, x, n0, t0 = panel.y, panel.x, panel.n0, panel.t0
    opts = options_for(m, y, n0, t0)
    w = fit_weights(y, n0, t0, opts, x=x)
    estimate = estimate_from(y, n0, t0, w, x)
    rng = np.random.default_rng(seed)
    se = placebo_se(y, n0, t0, opts, w, replications=reps, rng=rng, x=x)
    se_jk = jackknife_se(y, n0, t0, w, x)
    tr_adj, syn = gap_series(y, n0, t0, w, x)
    gap = tr_adj - syn
    treated_raw = y[n0:].mean(axis=0)
    pre_fit = rmspe(gap[:t0])
    who = " + ".join(str(t) for t in panel.treated)
    placebo, p_value, gaps = in_space_placebos(y, n0, t0, opts, panel.donors, gap, who)
    notes = _fit_notes(panel, m, pre_fit, se, conf)
    synthetic = treated_raw - gap
    effect = _effect(
        estimate, se, int(y.size), conf, float(synthetic[t0:].mean()), outcome, m, notes
    )
    trajectory = _trajectory(panel, treated_raw, gap)
    omega = pd.Series(w.omega, index=pd.Index(panel.donors, name=unit), name="weight")
    return SyntheticControlResult(
        effect=effect,
        method=m,
        outcome=outcome,
        treated=tuple(panel.treated),
        intervention=intervention,
        unit_weights=omega.sort_values(ascending=False, kind="stable"),
        time_weights=pd.Series(
            w.lambda_, index=pd.Index(panel.times[:t0], name=time), name="weight"
        ),  # fmt: skip
        trajectory=trajectory,
        pre_fit=pre_fit,
        placebo=placebo,
        placebo_p_value=p_value,
        placebo_gaps=_placebo_long(panel, gaps.set_axis(["unit", *panel.times], axis=1)),
        se_placebo=se,
        se_jackknife=se_jk,
        covariate_coefficients=pd.Series(
            w.beta, index=list(covariates), name="beta", dtype=float
        ),  # fmt: skip
        replications=reps,
        confidence=conf,
        notes=tuple(notes),
    )
