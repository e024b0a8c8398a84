"""Group-time average treatment effects ATT(g,t) for staggered adoption.

:func:`staggered_did` is the Callaway & Sant'Anna (2021) estimator without covariates on a
balanced panel: for every treated cohort ``g`` (units first treated in period ``g``) and
period ``t`` it compares the change in the outcome of cohort ``g`` with the change of a
comparison group (never-treated units, or never- plus not-yet-treated units) over the same
periods (CS 2021, eq. 2.6 and 2.7, unconditional).  Standard errors come from the influence
functions (CS 2021, Theorem 2), clustered by unit (or by a coarser ``cluster``).

Validated against: R ``did`` 2.5.1, ``att_gt(yname = "lemp", tname = "year",
idname = "countyreal", gname = "first.treat", data = mpdta, bstrap = FALSE)`` and ``aggte``
for all four aggregations, ``control_group`` never- and not-yet-treated — point estimates to
1e-6 absolute, standard errors to 1e-4 relative (tests/staggered/test_stag_reference.py);
with one cohort equal to impactkit's 2x2 :func:`impactkit.effects.did` and statsmodels OLS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from ..._checks import check_confidence
from ..._display import fmt, fmt_ci
from ..._frames import as_pandas as _as_pandas
from ...results import Effect, HasEffect, Result
from ._panel import CONTEXT, Panel, build_panel, check_options
from .aggregate import AggregateKind, StaggeredAggregate, aggregate
from .influence import (
    WaldPreTrend,
    cell_influence,
    normal_interval,
    standard_errors,
    wald_pre_trend,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["staggered_did", "StaggeredResult"]

Control = Literal["never", "not_yet"]
BasePeriod = Literal["varying", "universal"]


@dataclass(frozen=True)
class _Cells:
    """Every ATT(g,t) with its influence function (column ``k`` of ``psi``)."""

    cohort: np.ndarray
    time: np.ndarray
    att: np.ndarray
    psi: np.ndarray
    reference: np.ndarray
    n_treated: np.ndarray
    n_control: np.ndarray


def _base_index(periods: np.ndarray, g: float, anticipation: float) -> int | None:
    """Index of the last period before cohort ``g`` starts (or anticipates) treatment."""
    idx = np.flatnonzero(periods + anticipation < g)
    return int(idx[-1]) if len(idx) else None


def _control_mask(cohort: np.ndarray, g: float, threshold: float, control: Control) -> np.ndarray:
    """Comparison units: never treated, or (``not_yet``) also units not treated by
    ``threshold`` (CS 2021 eq. 2.7; R ``did``: ``G == 0 | (G > t + anticipation & G != g)``)."""
    never = cohort == 0
    if control == "never":
        return never
    return never | ((cohort > threshold) & (cohort != g))


def _estimate_cells(
    panel: Panel,
    control: Control,
    base_period: BasePeriod,
    anticipation: float,
    skip: float | None = None,
) -> _Cells:
    """Loop over cohorts and periods exactly as R ``did``'s ``compute.att_gt``: with a varying
    base the pre-period cells compare consecutive periods (t-1 to t); post-period cells and
    every cell with a universal base compare against the last period before ``g``."""
    periods, y, cohort = panel.periods, panel.y, panel.cohort
    n = y.shape[0]
    cohorts = np.unique(cohort[cohort > periods[0] + anticipation])
    cohorts = cohorts[cohorts != skip] if skip is not None else cohorts
    start = 1 if base_period == "varying" else 0
    rows: list[tuple[float, float, float, bool, int, int]] = []
    cols: list[np.ndarray] = []
    for g in cohorts:
        base_g = _base_index(periods, g, anticipation)
        if base_g is None:  # pragma: no cover - excluded by the cohort filter above
            continue
        treated = cohort == g
        for cur in range(start, len(periods)):
            pre = cur - 1 if base_period == "varying" else base_g
            if g <= periods[cur]:
                pre = base_g
            if pre == cur:  # universal base: the reference period itself, fixed at 0
                rows.append((g, periods[cur], 0.0, True, int(treated.sum()), 0))
                cols.append(np.zeros(n))
                continue
            threshold = periods[max(cur, pre)] + anticipation
            ctrl = _control_mask(cohort, g, threshold, control)
            if not ctrl.any():
                raise _no_controls(g, periods[cur], control)
            att, psi = cell_influence(y[:, cur] - y[:, pre], treated, ctrl)
            rows.append((g, periods[cur], att, False, int(treated.sum()), int(ctrl.sum())))
            cols.append(psi)
    table = np.array([r[:3] for r in rows], dtype=float)
    return _Cells(
        cohort=table[:, 0],
        time=table[:, 1],
        att=table[:, 2],
        psi=np.column_stack(cols),
        reference=np.array([r[3] for r in rows], dtype=bool),
        n_treated=np.array([r[4] for r in rows]),
        n_control=np.array([r[5] for r in rows]),
    )


def _no_controls(g: float, t: float, control: str) -> Exception:
    from ...errors import EstimationError

    return EstimationError(
        f"{CONTEXT}: no comparison units for cohort {g:g} in period {t:g} (control={control!r})"
    )


@dataclass(frozen=True, eq=False)
class StaggeredResult(Result, HasEffect):
    """Callaway & Sant'Anna (2021) estimates for a staggered roll-out.

    Attributes
    ----------
    att_gt
        One row per cohort and period: ``cohort``, ``time``, ``event_time`` (time - cohort),
        ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``p_value``, ``post``, ``reference``
        (the universal base period, fixed at 0), ``n_treated``, ``n_control``.
    effect
        The overall average effect (the ``"simple"`` aggregation, CS 2021 eq. 3.x
        ``theta_W^O``): an :class:`impactkit.effects.Effect`.
    pre_trend
        Wald test of the pre-treatment ATT(g,t), or ``None`` without pre-periods.
    """

    att_gt: pd.DataFrame
    effect: Effect
    pre_trend: WaldPreTrend | None
    control: str
    base_period: str
    anticipation: float
    n_units: int
    n_clusters: int | None
    label: str
    confidence: float = 0.95
    notes: tuple[str, ...] = ()
    _psi: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)), repr=False)
    _unit_cohort: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)
    _cluster: np.ndarray | None = field(default=None, repr=False)

    def aggregate(self, kind: AggregateKind = "dynamic") -> StaggeredAggregate:
        """Aggregate the ATT(g,t): ``"simple"``, ``"group"`` (by cohort), ``"dynamic"`` (by
        event time) or ``"calendar"`` (by period) — CS 2021 Section 3, R ``did::aggte``."""
        return aggregate(
            self.att_gt,
            self._psi,
            self._unit_cohort,
            self._cluster,
            kind,
            confidence=self.confidence,
            label=self.label,
        )

    def plot(self, ax: Axes | None = None, *, title: str | None = None) -> Axes:
        """Event-study chart of the dynamic aggregation (pre-periods and effects by event
        time, with pointwise intervals); returns the Axes."""
        from .plot import event_study_plot

        return event_study_plot(self.aggregate("dynamic"), ax=ax, title=title)

    def summary(self) -> str:
        """The overall effect, the cohorts, and the pre-trend test, in words."""
        cohorts = ", ".join(f"{c:g}" for c in np.unique(self.att_gt["cohort"]))
        comparison = "never-treated" if self.control == "never" else "not-yet-treated"
        e = self.effect
        text = (
            f"Average effect on {self.label} over every treated cohort and post-treatment "
            f"period (Callaway & Sant'Anna): {fmt(e.estimate)} "
            f"({fmt_ci(e.ci_low, e.ci_high, confidence=e.confidence)}, p = "
            f"{e.p_value:.3g}); cohorts {cohorts}, compared with {comparison} units, "
            f"{self.n_units:,} units."
        )
        if self.pre_trend is not None:
            text += " " + self.pre_trend.summary()
        return text

    def to_frame(self) -> pd.DataFrame:
        """The ATT(g,t) table."""
        return self.att_gt.copy()

    def _title(self) -> str:
        return "Staggered difference-in-differences (Callaway & Sant'Anna 2021)"

    def __repr__(self) -> str:
        return f"StaggeredResult({self._effect_repr()}, {len(self.att_gt)} ATT(g,t) cells)"


def _notes(panel: Panel, cells: _Cells, cohort_col: str) -> list[str]:
    notes = []
    if panel.dropped:
        notes.append(
            f"dropped {panel.dropped} unit(s) already treated in the first period "
            f"({cohort_col!r} <= {panel.periods[0]:g} + anticipation): no untreated period"
        )
    small = sorted({int(g) for g, k in zip(cells.cohort, cells.n_treated, strict=True) if k < 5})
    if small:
        notes.append(f"cohort(s) {small} have fewer than 5 units: their ATT(g,t) are noisy")
    if cells.reference.any():
        notes.append(
            "rows with reference=True are the universal base period, fixed at 0 (se is n/a)"
        )
    return notes


def _att_gt_table(cells: _Cells, cluster: np.ndarray | None, confidence: float) -> pd.DataFrame:
    """The public ATT(g,t) table with influence-function SEs and normal intervals."""
    se = standard_errors(cells.psi, cluster)
    se = np.where(cells.reference, np.nan, se)
    lo, hi, p = normal_interval(cells.att, se, confidence)
    table = pd.DataFrame(
        {
            "cohort": cells.cohort,
            "time": cells.time,
            "event_time": cells.time - cells.cohort,
            "estimate": cells.att,
            "se": se,
            "ci_low": np.where(cells.reference, 0.0, lo),
            "ci_high": np.where(cells.reference, 0.0, hi),
            "p_value": p,
            "post": cells.cohort <= cells.time,
            "reference": cells.reference,
            "n_treated": cells.n_treated,
            "n_control": cells.n_control,
        }
    )
    return table


def staggered_did(
    data: Any,
    outcome: str,
    *,
    unit: str,
    time: str,
    cohort: str,
    control: Control = "never",
    anticipation: float = 0,
    base_period: BasePeriod = "varying",
    confidence: float = 0.95,
    cluster: str | None = None,
    label: str | None = None,
) -> StaggeredResult:
    """Callaway & Sant'Anna (2021) difference-in-differences for staggered adoption.

    Parameters
    ----------
    data
        Balanced panel, one row per unit and period (pandas or polars; not modified).
    outcome, unit, time
        Numeric outcome; unit identifier; numeric period (e.g. year).
    cohort
        The first period in which the unit is treated, ``0`` for never treated (as R
        ``did``'s ``gname``); constant within a unit and a period of the data.
    control
        ``"never"`` (never-treated units, CS eq. 2.6) or ``"not_yet"`` (never- plus
        not-yet-treated units, eq. 2.7).
    anticipation
        Periods of anticipation: the base period is the last before ``cohort - anticipation``.
    base_period
        ``"varying"`` (pre-period cells compare consecutive periods; R's default) or
        ``"universal"`` (every cell against period ``g - anticipation - 1``).
    confidence
        Level of the pointwise normal intervals.
    cluster
        Optional column constant within units to cluster on (default: the unit).
    label
        Outcome name for summaries.

    Returns
    -------
    StaggeredResult
        ``.att_gt``, ``.effect`` (simple aggregate), ``.pre_trend``, ``.aggregate(kind)``,
        ``.plot()``.

    Validated against: R ``did`` 2.5.1 on ``mpdta`` (module docstring).
    """
    confidence = check_confidence(confidence)
    antic = check_options(control, base_period, anticipation)
    frame = _as_pandas(data, CONTEXT)
    panel = build_panel(
        frame,
        outcome,
        unit=unit,
        time=time,
        cohort=cohort,
        anticipation=antic,
        control=control,
        cluster=cluster,
    )
    skip: float | None = None
    trim_note: str | None = None
    if control == "not_yet" and not (panel.cohort == 0).any():
        panel, trim_note = _trim_without_never(panel, antic)
        skip = float(panel.cohort.max())
    cells = _estimate_cells(panel, control, base_period, antic, skip)
    table = _att_gt_table(cells, panel.cluster, confidence)
    pre = (cells.cohort > cells.time) & ~cells.reference
    notes = _notes(panel, cells, cohort) + ([trim_note] if trim_note else [])
    simple = aggregate(
        table, cells.psi, panel.cohort, panel.cluster, "simple", confidence, label or outcome
    )
    return StaggeredResult(
        att_gt=table,
        effect=simple.effect,
        pre_trend=wald_pre_trend(cells.att, cells.psi, pre, panel.cluster),
        control=control,
        base_period=base_period,
        anticipation=antic,
        n_units=len(panel.units),
        n_clusters=None if panel.cluster is None else int(panel.cluster.max()) + 1,
        label=label or outcome,
        confidence=confidence,
        notes=tuple(notes),
        _psi=cells.psi,
        _unit_cohort=panel.cohort,
        _cluster=panel.cluster,
    )


def _trim_without_never(panel: Panel, anticipation: float) -> tuple[Panel, str]:
    """No never-treated units with ``control="not_yet"``: as R ``did``, keep only periods
    before the last cohort starts (``t < g_max - anticipation``); the last cohort then
    serves only as a comparison."""
    last = float(panel.cohort.max())
    keep = panel.periods < last - anticipation
    if keep.sum() < 2:
        raise _no_controls(last, panel.periods[-1], "not_yet")
    trimmed = Panel(
        y=panel.y[:, keep],
        units=panel.units,
        periods=panel.periods[keep],
        cohort=panel.cohort,
        cluster=panel.cluster,
        dropped=panel.dropped,
    )
    note = (
        f"no never-treated units: periods from {last - anticipation:g} on are dropped and the "
        f"last cohort ({last:g}) serves only as a not-yet-treated comparison (as R did)"
    )
    return trimmed, note
