"""The interrupted-time-series runner: one series per indicator, interrupted at a date.

Each indicator is computed per value of ``design.time`` and :func:`impactkit.effects.its`
fits the segmented regression (Gaussian, or Poisson / quasi-Poisson on a count indicator's
numerator with its denominator as exposure).  The change is the level change at the
intervention; "before" and "after" are the series' means on each side.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ... import effects as eff
from ...errors import ConfigError, DataError, describe_rows
from ...indicators import Indicator, compute
from ...initiative import ITSDesign
from ..outcome import OutcomeResult
from ._its_checks import check_intervention as _check_intervention
from ._its_checks import check_lags as _check_lags
from ._its_checks import its_effects_sentence, its_outcome
from ._rows import design_of, needed_columns
from .base import Chart, EvidenceStrength, Exhibit

if TYPE_CHECKING:
    from ...initiative import Initiative
    from ..model import ImpactAnalysis

__all__ = ["ITSRunner"]

COUNT_FAMILIES = ("poisson", "quasipoisson")


class ITSRunner:
    """:class:`~impactkit.analysis.designs.base.DesignRunner` for ``design.type: its``."""

    type = "its"

    def required_columns(self, init: Initiative) -> list[str]:
        return needed_columns(init, (design_of(init, ITSDesign).time,))

    def check_data(self, init: Initiative, data: pd.DataFrame) -> None:
        _check_time(init, data)

    def group_columns(self, init: Initiative) -> dict[str, str]:
        return {"period": design_of(init, ITSDesign).time}

    def indicator_values(
        self,
        init: Initiative,
        indicators: Sequence[Indicator],
        data: pd.DataFrame,
        confidence: float,
    ) -> pd.DataFrame:
        d = design_of(init, ITSDesign)
        return compute(
            list(indicators),
            data,
            period=d.time,
            confidence=confidence,
            design=init.sampling_of(d.data),
        )

    def estimate(
        self, init: Initiative, indicator: Indicator, data: pd.DataFrame, confidence: float
    ) -> OutcomeResult:
        d = design_of(init, ITSDesign)
        series = compute(indicator, data, period=d.time, confidence=confidence)
        series = series.sort_values("period").reset_index(drop=True)
        intervention = d.intervention
        if pd.api.types.is_datetime64_any_dtype(series["period"]) or isinstance(
            intervention, dt.date
        ):
            series["period"] = pd.to_datetime(series["period"])
            intervention = pd.Timestamp(intervention)
        count_family = d.family in COUNT_FAMILIES
        _check_family(init, d, indicator)
        _check_intervention(init, series["period"], intervention)
        _check_lags(init, d, len(series))
        res = eff.its(
            series,
            "period",
            "numerator" if count_family else "value",
            intervention,
            family=d.family,  # type: ignore[arg-type]  # validated by initiative.load
            exposure="denominator" if count_family and indicator.kind != "sum" else None,
            seasonality=d.seasonality,
            hac_lags=d.hac_lags,
            confidence=confidence,
            label=indicator.name,
        )
        pre = series.loc[series["period"] < intervention, "value"]
        post = series.loc[series["period"] >= intervention, "value"]
        return its_outcome(indicator, res, float(pre.mean()), float(post.mean()), count_family)

    def rounds(self, init: Initiative, data: pd.DataFrame) -> tuple[Any, Any] | None:
        return None  # a time series has no panel rounds: attrition is not defined

    def arm(self, init: Initiative) -> str | None:
        return init.columns.group

    def unit_groups(self, init: Initiative, data: pd.DataFrame) -> list[pd.Series]:
        """By whether the period is before or after the intervention."""
        d = design_of(init, ITSDesign)
        time = data[d.time]
        cut = pd.Timestamp(d.intervention) if time.dtype.kind == "M" else d.intervention
        keys = pd.Series(np.where(time >= cut, "after", "before"), index=data.index, name="period")
        return [keys]

    def cluster(self, init: Initiative) -> str | None:
        return None

    def design_words(self, init: Initiative) -> str:
        d = design_of(init, ITSDesign)
        season = f", seasonality {d.seasonality}" if d.seasonality else ""
        return (
            f"Interrupted time series on {d.time}, intervention at {d.intervention} "
            f"({d.family}{season})"
        )

    def change_words(self) -> str:
        return "beyond the pre-existing trend"

    def caveat(self) -> str:
        return (
            "Interrupted time series assumes the pre-intervention trend (and season) would have "
            "continued. It cannot rule out other changes that happened at the same time as the "
            "intervention."
        )

    def evidence_strength(self) -> EvidenceStrength:
        return "quasi-experimental"

    def level_labels(self) -> tuple[str, str]:
        return "Before (mean)", "After (mean)"

    def levels_caption(self, init: Initiative) -> str:
        return "Mean of each outcome before and after the intervention."

    def exhibits(self, analysis: ImpactAnalysis) -> list[Exhibit]:
        """Each headline series with its counterfactual; the cumulative change for counts."""
        d = design_of(analysis.initiative, ITSDesign)
        out: list[Exhibit] = []
        for result in analysis.headline:
            detail = result.detail
            if not isinstance(detail, eff.ITSResult):
                continue  # not estimated
            level = f"{100 * detail.level_change.confidence:g} %"
            out.append(its_effects_sentence(result))
            out.append(
                Chart(
                    detail.plot,
                    f"{result.indicator.name}: observed values, fitted trend and the "
                    f"counterfactual without the programme (dashed, with {level} interval).",
                )
            )
            if result.indicator.kind == "sum" or d.family != "gaussian":
                # a running total is meaningful for counts, not for shares or averages
                out.append(detail.cumulative.summary())
        return out

    def result_rows(self, analysis: ImpactAnalysis) -> list[dict[str, Any]]:
        return []


def _check_family(init: Initiative, d: ITSDesign, indicator: Indicator) -> None:
    """A Poisson or quasi-Poisson model needs a count indicator."""
    if d.family in COUNT_FAMILIES and indicator.kind not in ("rate", "ratio", "sum"):
        raise ConfigError(
            f"{init.path}: key 'design.family': {d.family} needs a count indicator "
            f"(rate, ratio or sum); {indicator.id!r} is a {indicator.kind}"
        )


def _check_time(init: Initiative, data: pd.DataFrame) -> None:
    """With a date as the intervention, every time value must be a date (named rows)."""
    d = design_of(init, ITSDesign)
    values = data[d.time]
    if not isinstance(d.intervention, dt.date) or pd.api.types.is_datetime64_any_dtype(values):
        return
    parsed = pd.to_datetime(values.astype("string"), errors="coerce", format="ISO8601")
    bad = parsed.isna() & values.notna()
    if bad.any():
        raise DataError(
            f"{init.path.name}, design.time: column {d.time!r}: {describe_rows(values.index[bad])} "
            f"are not dates (e.g. {str(values[bad].iloc[0])[:40]!r}); expected YYYY-MM-DD, as "
            "the intervention is a date"
        )
