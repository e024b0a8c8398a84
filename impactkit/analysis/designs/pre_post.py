"""The before-and-after runner: one group, the ``before`` and ``after`` rounds.

Paired (the same units at both rounds): :func:`impactkit.effects.pre_post` on the units
measured at both; independent samples: on the two rounds' rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from ... import effects as eff
from ...errors import ConfigError, DataError
from ...indicators import Indicator, compute
from ...initiative import PrePostDesign
from ..outcome import OutcomeResult
from ._rows import design_of, needed_columns, not_estimable, unit_outcome
from .base import EvidenceStrength, Exhibit

if TYPE_CHECKING:
    from ...initiative import Initiative
    from ..model import ImpactAnalysis

__all__ = ["PrePostRunner"]


def _period(init: Initiative) -> str:
    period = init.columns.period
    assert period is not None  # initiative.load requires columns.period for pre_post
    return period


class PrePostRunner:
    """:class:`~impactkit.analysis.designs.base.DesignRunner` for ``design.type: pre_post``."""

    type = "pre_post"

    def required_columns(self, init: Initiative) -> list[str]:
        period = [init.columns.period] if init.columns.period else []
        return needed_columns(init, (), after=period)

    def check_data(self, init: Initiative, data: pd.DataFrame) -> None:
        """Both rounds occur; a paired design has units measured at both."""
        d = design_of(init, PrePostDesign)
        period = data[_period(init)]
        for key, value in (("before", d.before), ("after", d.after)):
            if not (_round_text(period) == _text(value)).any():
                raise ConfigError(
                    f"{init.path}: key 'design.{key}': no rows with "
                    f"{init.columns.period} == {value!r} in data set {d.data!r} "
                    f"(values: {', '.join(map(str, period.dropna().unique()[:10]))})"
                )
        unit = init.columns.unit
        if d.paired and unit is not None:
            rounds = _round_text(period)
            both = set(data.loc[rounds == _text(d.before), unit]) & set(
                data.loc[rounds == _text(d.after), unit]
            )
            if not both:
                raise ConfigError(
                    f"{init.path}: key 'design.paired': the design is paired, but no {unit} "
                    f"appears in both {d.before!r} and {d.after!r}; for independent samples "
                    "(different people at each round) write paired: false"
                )

    def group_columns(self, init: Initiative) -> dict[str, str]:
        period = init.columns.period
        return {period: period} if period else {}

    def indicator_values(
        self,
        init: Initiative,
        indicators: Sequence[Indicator],
        data: pd.DataFrame,
        confidence: float,
    ) -> pd.DataFrame:
        return compute(
            list(indicators),
            data,
            by=[_period(init)],
            confidence=confidence,
            design=init.sampling_of(init.design.data),
        )

    def estimate(
        self, init: Initiative, indicator: Indicator, data: pd.DataFrame, confidence: float
    ) -> OutcomeResult:
        d = design_of(init, PrePostDesign)
        skipped = not_estimable(indicator, self.type)
        if skipped is not None:
            return skipped
        rows = unit_outcome(indicator, data)
        period = _round_text(rows[_period(init)])
        b = rows.loc[period == _text(d.before)]
        a = rows.loc[period == _text(d.after)]
        if not d.paired:
            effect = eff.pre_post(
                b["_y"], a["_y"], paired=False, confidence=confidence, label=indicator.name
            )
            before, after = float(b["_y"].mean()), float(a["_y"].mean())
            return OutcomeResult(indicator, effect, before, after, covered=len(a))
        merged = _pairs(init, b, a)
        effect = eff.pre_post(
            merged["_y_before"],
            merged["_y_after"],
            paired=True,
            confidence=confidence,
            label=indicator.name,
        )
        before, after = float(merged["_y_before"].mean()), float(merged["_y_after"].mean())
        return OutcomeResult(indicator, effect, before, after, covered=len(merged))

    def rounds(self, init: Initiative, data: pd.DataFrame) -> tuple[Any, Any] | None:
        d = design_of(init, PrePostDesign)
        return d.before, d.after

    def arm(self, init: Initiative) -> str | None:
        return init.columns.group

    def unit_groups(self, init: Initiative, data: pd.DataFrame) -> list[pd.Series]:
        """By round."""
        return [data[_period(init)]]

    def cluster(self, init: Initiative) -> str | None:
        return None

    def design_words(self, init: Initiative) -> str:
        d = design_of(init, PrePostDesign)
        kind = "paired (same units)" if d.paired else "independent samples"
        period = init.columns.period
        before, after = init.label(period, d.before), init.label(period, d.after)
        return f"Before-and-after comparison, {kind}: {before} vs {after}"

    def change_words(self) -> str:
        return "before/after only, no comparison group"

    def caveat(self) -> str:
        return (
            "A before-and-after comparison without a comparison group attributes every change "
            "over the period to the programme: seasons, prices, other programmes and regression "
            "to the mean are not ruled out."
        )

    def evidence_strength(self) -> EvidenceStrength:
        return "before-after"

    def level_labels(self) -> tuple[str, str]:
        return "Baseline", "Endline"

    def levels_caption(self, init: Initiative) -> str:
        if design_of(init, PrePostDesign).paired:
            return "Mean of each outcome before and after, among the units measured at both rounds."
        return "Mean of each outcome in the before and the after sample."

    def exhibits(self, analysis: ImpactAnalysis) -> list[Exhibit]:
        return []

    def result_rows(self, analysis: ImpactAnalysis) -> list[dict[str, Any]]:
        return []


def _text(value: Any) -> str:
    """A round value as text, whole floats without ``.0`` (a column with missing values is
    read as floats: 1.0 must match ``after: 1``)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _round_text(period: pd.Series) -> pd.Series:
    return period.map(_text)


def _pairs(init: Initiative, before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Units in both rounds, one row each (``_y_before``, ``_y_after``)."""
    unit = init.columns.unit
    assert unit is not None  # initiative.load requires columns.unit for a paired design
    merged = before[[unit, "_y"]].merge(
        after[[unit, "_y"]], on=unit, suffixes=("_before", "_after")
    )
    if merged[unit].duplicated().any():
        dupes = merged.loc[merged[unit].duplicated(), unit].head(5).tolist()
        raise DataError(
            f"{init.path.name}: units {dupes} appear more than once in a round of "
            f"{init.columns.period!r}; a paired design needs one row per unit and round"
        )
    return merged
