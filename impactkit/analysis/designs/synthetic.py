"""The synthetic-control runner: one treated place against a weighted mix of comparison places.

Each indicator is computed per unit (``design.unit``) and period (``design.time``), which gives
the long panel that :func:`impactkit.effects.synthetic_control` needs (synthetic
difference-in-differences by default, Arkhangelsky et al. 2021; or synthetic control, Abadie,
Diamond & Hainmueller 2010; or plain DiD).  The change is the average post-period gap between
the treated place and its synthetic comparison, in the indicator's own units; "before" and
"after" are the treated place's means on each side of the intervention.  The report shows the
trajectory, the gap with the placebo gaps, the donor weights, the pre-period fit and the
in-space placebo test (:mod:`.synthetic_exhibits`).

Validated against: the estimator reproduces R ``synthdid`` 0.0.9 on Proposition 99 (see
:mod:`impactkit.effects.synthetic`); this runner is checked in
``tests/synthetic/test_synth_design.py`` to give the library's numbers, and on the
``city_transport`` sample to recover the effect built into the data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ... import effects as eff
from ...errors import ConfigError, DataError
from ...indicators import Indicator, compute
from ...initiative import SyntheticControlDesign
from ..outcome import OutcomeResult
from ..results_table import plain, result_row
from ._rows import design_of, needed_columns
from .base import EvidenceStrength, Exhibit
from .synthetic_exhibits import METHOD_WORDS, exhibits_for

if TYPE_CHECKING:
    from ...initiative import Initiative
    from ..model import ImpactAnalysis

__all__ = ["SyntheticControlRunner"]


def _design(init: Initiative) -> SyntheticControlDesign:
    return design_of(init, SyntheticControlDesign)


def _where(init: Initiative, d: SyntheticControlDesign) -> str:
    return f"data set {d.data!r} ({init.data_files[d.data].name})"


def _cut(d: SyntheticControlDesign, times: pd.Series) -> Any:
    """The intervention as a value comparable with the time column (dates as Timestamps)."""
    if times.dtype.kind == "M" or isinstance(d.intervention, dt.date):
        try:
            return pd.Timestamp(d.intervention)
        except (TypeError, ValueError):
            return d.intervention
    return d.intervention


def _check_treated(init: Initiative, d: SyntheticControlDesign, data: pd.DataFrame) -> None:
    units = pd.unique(data[d.unit].dropna())
    if d.treated in set(units):
        return
    shown = ", ".join(repr(u) for u in sorted(units, key=str)[:12])
    more = f", ... ({len(units)} in all)" if len(units) > 12 else ""
    raise ConfigError(
        f"{init.path}: key 'design.treated': unit {d.treated!r} is not in column {d.unit!r} "
        f"of {_where(init, d)}; the units are: {shown}{more}"
    )


def _check_periods(init: Initiative, d: SyntheticControlDesign, data: pd.DataFrame) -> None:
    times = data[d.time].dropna()
    cut = _cut(d, times)
    try:
        pre = pd.unique(times[times < cut])
        post = pd.unique(times[times >= cut])
    except TypeError:
        raise ConfigError(
            f"{init.path}: key 'design.intervention': {d.intervention!r} cannot be compared "
            f"with the values of column {d.time!r} of {_where(init, d)} (e.g. {times.iloc[0]!r})"
        ) from None
    if len(pre) < 2 or len(post) == 0:
        side = f"{len(pre)} period(s) before" if len(pre) < 2 else "no period at or after"
        raise ConfigError(
            f"{init.path}: key 'design.intervention': {side} the intervention "
            f"{d.intervention!r} in column {d.time!r} of {_where(init, d)} (periods "
            f"{times.min()!r} to {times.max()!r}); synthetic control needs at least two "
            "pre-periods and one post-period"
        )


def _check_complete(init: Initiative, d: SyntheticControlDesign, data: pd.DataFrame) -> None:
    """Every unit has rows in every period; the units that do not are named."""
    seen = data.groupby(d.unit)[d.time].apply(lambda s: set(s.dropna()))
    periods = set().union(*seen) if len(seen) else set()
    gaps = {u: sorted(periods - s, key=str) for u, s in seen.items() if periods - s}
    if not gaps:
        return
    parts = [
        f"{u!r} ({', '.join(str(t) for t in g[:4])}{' ...' if len(g) > 4 else ''})"
        for u, g in list(gaps.items())[:8]
    ]
    who = "the treated unit" if list(gaps) == [d.treated] else "units"
    more = f" and {len(gaps) - 8} more" if len(gaps) > 8 else ""
    raise DataError(
        f"{init.path.name}, design.data, {_where(init, d)}: {who} without rows for every "
        f"period of column {d.time!r}: {'; '.join(parts)}{more}; synthetic control needs "
        f"every {d.unit} in every period (drop those comparison units or fill the gaps)"
    )


def _value_name(indicator: Indicator, d: SyntheticControlDesign) -> str:
    taken = {d.unit, d.time, *d.covariates}
    return indicator.id if indicator.id not in taken else f"{indicator.id}_value"


def _panel(
    d: SyntheticControlDesign, indicator: Indicator, data: pd.DataFrame, confidence: float
) -> tuple[pd.DataFrame, str]:
    """The indicator per unit and period (plus the covariates' means), and its column."""
    values = compute(indicator, data, by=[d.unit, d.time], confidence=confidence)
    name = _value_name(indicator, d)
    panel = values[[d.unit, d.time, "value"]].rename(columns={"value": name})
    if d.covariates:
        means = data.groupby([d.unit, d.time], dropna=False)[list(d.covariates)].mean()
        panel = panel.merge(means.reset_index(), on=[d.unit, d.time], how="left")
    return panel, name


class SyntheticControlRunner:
    """:class:`~impactkit.analysis.designs.base.DesignRunner` for ``design.type:
    synthetic_control``."""

    type = "synthetic_control"

    def required_columns(self, init: Initiative) -> list[str]:
        d = _design(init)
        return needed_columns(init, (d.unit, d.time), d.covariates)

    def check_data(self, init: Initiative, data: pd.DataFrame) -> None:
        """Subgroups do not apply; the treated unit, the periods and complete rows."""
        if init.subgroups:
            raise ConfigError(
                f"{init.path}: key 'subgroups': a synthetic_control design has one treated "
                "unit, so there are no subgroups to compare; remove the key"
            )
        d = _design(init)
        _check_treated(init, d, data)
        _check_periods(init, d, data)
        _check_complete(init, d, data)

    def group_columns(self, init: Initiative) -> dict[str, str]:
        d = _design(init)
        return {d.unit: d.unit, d.time: d.time}

    def indicator_values(
        self,
        init: Initiative,
        indicators: Sequence[Indicator],
        data: pd.DataFrame,
        confidence: float,
    ) -> pd.DataFrame:
        """The treated unit's value of every outcome in every period."""
        d = _design(init)
        treated = data.loc[data[d.unit] == d.treated]
        return compute(list(indicators), treated, by=[d.unit, d.time], confidence=confidence)

    def estimate(
        self, init: Initiative, indicator: Indicator, data: pd.DataFrame, confidence: float
    ) -> OutcomeResult:
        d = _design(init)
        panel, name = _panel(d, indicator, data, confidence)
        res = eff.synthetic_control(
            panel,
            name,
            unit=d.unit,
            time=d.time,
            treated=d.treated,
            intervention=_cut(d, panel[d.time]),
            method=d.method,
            covariates=d.covariates,
            confidence=confidence,
            seed=d.seed,
            replications=d.replications,
        )
        effect = dataclasses.replace(res.effect, label=indicator.name)
        traj = res.trajectory
        before = float(traj.loc[~traj["post"], "treated"].mean())
        after = float(traj.loc[traj["post"], "treated"].mean())
        return OutcomeResult(indicator, effect, before, after, detail=res)

    def rounds(self, init: Initiative, data: pd.DataFrame) -> tuple[Any, Any] | None:
        return None  # one row per place and period: no interview rounds to lose people between

    def arm(self, init: Initiative) -> str | None:
        return None

    def unit_groups(self, init: Initiative, data: pd.DataFrame) -> list[pd.Series]:
        """Treated unit vs comparison units, before vs after the intervention."""
        d = _design(init)
        role = np.where(data[d.unit] == d.treated, f"treated ({d.treated})", "comparison")
        time = data[d.time]
        after = np.where(time >= _cut(d, time), "after", "before")
        return [
            pd.Series(role, index=data.index, name=d.unit),
            pd.Series(after, index=data.index, name="period"),
        ]

    def cluster(self, init: Initiative) -> str | None:
        return None

    def design_words(self, init: Initiative) -> str:
        d = _design(init)
        cov = f", adjusted for {', '.join(d.covariates)}" if d.covariates else ""
        return (
            f"{METHOD_WORDS[d.method]}: {d.treated} against a weighted mix of the comparison "
            f"units (column {d.unit}), intervention at {d.time} {d.intervention}{cov}; "
            f"placebo standard errors ({d.replications} replications, seed {d.seed})"
        )

    def change_words(self) -> str:
        return "relative to its synthetic comparison (synthetic control)"

    def caveat(self) -> str:
        return (
            "Synthetic control assumes that the weighted comparison places, which tracked the "
            "treated place before the intervention, show what would have happened to it "
            "without the programme. It cannot rule out a shock that hit only the treated place "
            "at the same time, and spill-overs into the comparison places bias the estimate."
        )

    def evidence_strength(self) -> EvidenceStrength:
        return "quasi-experimental"

    def level_labels(self) -> tuple[str, str]:
        return "Before (mean)", "After (mean)"

    def levels_caption(self, init: Initiative) -> str:
        d = _design(init)
        return f"Mean of each outcome in {d.treated} before and after the intervention."

    def exhibits(self, analysis: ImpactAnalysis) -> list[Exhibit]:
        """Per headline outcome: trajectory, fit, gap, donor weights and the placebo test."""
        d = _design(analysis.initiative)
        out: list[Exhibit] = []
        for result in analysis.headline:
            if isinstance(result.detail, eff.SyntheticControlResult):
                out.extend(exhibits_for(result.indicator, result.detail, d))
        return out

    def result_rows(self, analysis: ImpactAnalysis) -> list[dict[str, Any]]:
        """Donor and time weights, pre-period RMSPE and the placebo p-value per outcome."""
        d = _design(analysis.initiative)
        rows = []
        for r in analysis.outcomes:
            res = r.detail
            if not isinstance(res, eff.SyntheticControlResult):
                continue
            item, method = r.indicator.id, res.effect.method
            rows += _weight_rows(item, res.unit_weights, d.unit, "donor_weight", method)
            rows += _weight_rows(item, res.time_weights, d.time, "time_weight", method)
            rows.append(result_row("synthetic_control", item, "pre_rmspe", res.pre_fit))
            rows.append(
                result_row(
                    "synthetic_control",
                    item,
                    "placebo_p_value",
                    res.placebo_p_value,
                    p_value=res.placebo_p_value,
                    n=len(res.placebo),
                    method="in-space placebos (Abadie et al. 2010): rank of the post/pre "
                    "RMSPE ratio among all units",
                )
            )
        return rows


def _weight_rows(
    item: str, weights: pd.Series, key: str, statistic: str, method: str
) -> list[dict[str, Any]]:
    """One row per non-zero weight, labelled ``key=label``."""
    return [
        result_row(
            "synthetic_control", item, statistic, w, group=f"{key}={plain(u)}", method=method
        )
        for u, w in weights.items()
        if w > 0
    ]
