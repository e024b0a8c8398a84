"""The difference-in-differences runner: treated vs comparison, before vs after.

The estimate is :func:`impactkit.effects.did` on the unit-level outcome (OLS with the
interaction of ``treated`` and ``post``, cluster-robust errors by ``design.cluster``, the
few-cluster rule of ``design.inference``);
"before" and "after" are the treated group's means in the rows the regression uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import pandas as pd

from ... import effects as eff
from ...indicators import Indicator, compute
from ...initiative import DiDDesign
from ..outcome import LevelRow, OutcomeResult
from ._did_checks import did_diagnostics, did_exhibits
from ._rows import design_of, needed_columns, not_estimable, unit_outcome
from ._timing import staggered_timing
from .base import EvidenceStrength, Exhibit

if TYPE_CHECKING:
    from ...initiative import Initiative
    from ..model import ImpactAnalysis

__all__ = ["DiDRunner"]


class DiDRunner:
    """:class:`~impactkit.analysis.designs.base.DesignRunner` for ``design.type: did``."""

    type = "did"

    def required_columns(self, init: Initiative) -> list[str]:
        d = design_of(init, DiDDesign)
        return needed_columns(init, (d.treated, d.post, d.cluster, d.period), d.covariates)

    def check_data(self, init: Initiative, data: pd.DataFrame) -> None:
        return None

    def group_columns(self, init: Initiative) -> dict[str, str]:
        d = design_of(init, DiDDesign)
        return {c: c for c in (d.treated, d.post) if c}

    def indicator_values(
        self,
        init: Initiative,
        indicators: Sequence[Indicator],
        data: pd.DataFrame,
        confidence: float,
    ) -> pd.DataFrame:
        d = design_of(init, DiDDesign)
        return compute(
            list(indicators),
            data,
            by=[d.treated, d.post],
            confidence=confidence,
            design=init.sampling_of(d.data),
        )

    def estimate(
        self, init: Initiative, indicator: Indicator, data: pd.DataFrame, confidence: float
    ) -> OutcomeResult:
        d = design_of(init, DiDDesign)
        skipped = not_estimable(indicator, self.type)
        if skipped is not None:
            return skipped
        rows = unit_outcome(indicator, data)
        res = eff.did(
            rows,
            "_y",
            d.treated,
            d.post,
            unit=init.columns.unit,
            cluster=d.cluster,
            covariates=tuple(d.covariates),
            confidence=confidence,
            label=indicator.name,
            period=d.period,
            inference=d.inference,
        )
        staggered = staggered_timing(init, data)
        if staggered is not None:
            res = replace(res, effect=replace(res.effect, notes=(*res.effect.notes, staggered)))
        means = res.group_means.set_index(["group", "period"])["mean"]
        comparison = LevelRow(
            "Comparison group", float(means["control", "pre"]), float(means["control", "post"])
        )
        return OutcomeResult(
            indicator,
            res.effect,
            float(means["treated", "pre"]),
            float(means["treated", "post"]),
            detail=res,
            diagnostics=did_diagnostics(res, rows, d, init.columns.unit),
            levels=(comparison,),
            covered=_treated_after(res, rows, d, init.columns.unit),
        )

    def rounds(self, init: Initiative, data: pd.DataFrame) -> tuple[Any, Any] | None:
        """The first period with ``post == 0`` and the last with ``post == 1``."""
        d = design_of(init, DiDDesign)
        period = init.columns.period or d.period
        if period is None:
            return None
        post = pd.to_numeric(data[d.post], errors="coerce")
        before = pd.unique(data.loc[post == 0, period].dropna())
        after = pd.unique(data.loc[post == 1, period].dropna())
        if len(before) == 0 or len(after) == 0:
            return None
        return before[0], after[-1]

    def arm(self, init: Initiative) -> str | None:
        return init.columns.group or design_of(init, DiDDesign).treated

    def unit_groups(self, init: Initiative, data: pd.DataFrame) -> list[pd.Series]:
        """By arm (``columns.group`` or the treated column) and period."""
        d = design_of(init, DiDDesign)
        arm = init.columns.group or d.treated
        period = init.columns.period or d.post
        return [data[arm], data[period]]

    def cluster(self, init: Initiative) -> str | None:
        return design_of(init, DiDDesign).cluster

    def design_words(self, init: Initiative) -> str:
        d = design_of(init, DiDDesign)
        cluster = f", standard errors clustered by {d.cluster}" if d.cluster else ""
        rounds = f", rounds ordered by {d.period}" if d.period else ""
        return (
            f"Difference-in-differences: treated ({d.treated} = 1) vs comparison, "
            f"before vs after ({d.post}){rounds}{cluster}"
        )

    def change_words(self) -> str:
        return "net of the comparison group"

    def caveat(self) -> str:
        return (
            "Difference-in-differences assumes the comparison group shows what would have "
            "happened to the treated group without the programme (parallel trends). It cannot "
            "rule out events that affected only one group during the period, or spill-overs "
            "into comparison villages."
        )

    def evidence_strength(self) -> EvidenceStrength:
        return "quasi-experimental"

    def level_labels(self) -> tuple[str, str]:
        return "Baseline", "Endline"

    def levels_caption(self, init: Initiative) -> str:
        return "Baseline and endline values of each outcome in the treated group."

    def exhibits(self, analysis: ImpactAnalysis) -> list[Exhibit]:
        """Both groups' trends by round and, with two or more pre-periods, the event study
        and the pre-trend test, for each headline indicator."""
        exhibits = did_exhibits(analysis, design_of(analysis.initiative, DiDDesign))
        warning = staggered_timing(analysis.initiative, analysis.design_data)
        return exhibits if warning is None else [warning, *exhibits]

    def result_rows(self, analysis: ImpactAnalysis) -> list[dict[str, Any]]:
        return []


def _treated_after(res: eff.DiDResult, rows: pd.DataFrame, d: DiDDesign, unit: str | None) -> int:
    """Units (else rows) of the treated group after the change: whom the change applies to."""
    treated = (rows[d.treated].astype(float) == 1) & (rows[d.post].astype(float) == 1)
    if unit is not None:
        return int(rows.loc[treated, unit].nunique())
    means = res.group_means.set_index(["group", "period"])["n"]
    return int(means["treated", "post"])
