"""The staggered-adoption runner: a programme rolled out to units in waves (cohorts).

The estimate is :func:`impactkit.effects.staggered_did` (Callaway & Sant'Anna 2021) on a
balanced panel of ``design.unit`` by ``design.time``: every cohort (first treated period,
0 = never treated) is compared with never-treated or not-yet-treated units, and the headline
change is the simple average of the post-treatment ATT(g,t).  The report adds the effect by
cohort, the event-study chart, the pre-trend test and — for comparison only — the two-way
fixed-effects estimate that staggered timing biases (:mod:`._twfe`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..._display import fmt_p
from ...effects import StaggeredResult, staggered_did
from ...indicators import Indicator, compute
from ..outcome import OutcomeResult
from ..results_table import plain, result_row
from ..words import is_share
from ._rows import design_of, needed_columns, not_estimable, unit_outcome
from ._twfe import twfe
from .base import Chart, EvidenceStrength, Exhibit, Table

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ...effects.staggered.aggregate import AggregateKind
    from ...initiative import Initiative, StaggeredDesign
    from ..model import ImpactAnalysis

__all__ = ["StaggeredRunner"]


def _design(init: Initiative) -> StaggeredDesign:
    from ...initiative import StaggeredDesign

    return design_of(init, StaggeredDesign)


def _detail(result: OutcomeResult) -> StaggeredResult | None:
    return result.detail if isinstance(result.detail, StaggeredResult) else None


def _comparison(d: StaggeredDesign) -> str:
    return "never-treated" if d.control == "never" else "not-yet-treated (and never-treated)"


class StaggeredRunner:
    """:class:`~impactkit.analysis.designs.base.DesignRunner` for ``design.type:
    staggered_did``."""

    type = "staggered_did"

    def required_columns(self, init: Initiative) -> list[str]:
        d = _design(init)
        return needed_columns(init, (d.unit, d.time, d.cohort))

    def check_data(self, init: Initiative, data: pd.DataFrame) -> None:
        return None  # the estimator names bad cohorts, unbalanced panels and missing values

    def group_columns(self, init: Initiative) -> dict[str, str]:
        d = _design(init)
        return {d.cohort: d.cohort, d.time: d.time}

    def indicator_values(
        self,
        init: Initiative,
        indicators: Sequence[Indicator],
        data: pd.DataFrame,
        confidence: float,
    ) -> pd.DataFrame:
        d = _design(init)
        return compute(list(indicators), data, by=[d.cohort, d.time], confidence=confidence)

    def estimate(
        self, init: Initiative, indicator: Indicator, data: pd.DataFrame, confidence: float
    ) -> OutcomeResult:
        d = _design(init)
        skipped = not_estimable(indicator, self.type)
        if skipped is not None:
            return skipped
        rows = unit_outcome(indicator, data)
        res = staggered_did(
            rows,
            "_y",
            unit=d.unit,
            time=d.time,
            cohort=d.cohort,
            control=d.control,  # type: ignore[arg-type]  # checked by initiative.load
            anticipation=d.anticipation,
            base_period=d.base_period,  # type: ignore[arg-type]
            confidence=confidence,
            label=indicator.name,
        )
        g = pd.to_numeric(rows[d.cohort], errors="coerce")
        t = pd.to_numeric(rows[d.time], errors="coerce")
        treated = g > 0
        before = float(rows.loc[treated & (t < g), "_y"].mean())
        after = float(rows.loc[treated & (t >= g), "_y"].mean())
        return OutcomeResult(indicator, res.effect, before, after, detail=res)

    def rounds(self, init: Initiative, data: pd.DataFrame) -> tuple[Any, Any] | None:
        return None  # a balanced panel of units (the estimator checks it)

    def arm(self, init: Initiative) -> str | None:
        return None

    def unit_groups(self, init: Initiative, data: pd.DataFrame) -> list[pd.Series]:
        """Units per wave (first treated period; 0 shown as "never treated")."""
        d = _design(init)
        wave = data[d.cohort].map(lambda g: "never treated" if g == 0 else plain(g))
        return [wave.rename(d.cohort)]

    def cluster(self, init: Initiative) -> str | None:
        return None

    def design_words(self, init: Initiative) -> str:
        d = _design(init)
        antic = f", {d.anticipation} period(s) of anticipation" if d.anticipation else ""
        return (
            f"Staggered difference-in-differences (Callaway & Sant'Anna 2021): each wave "
            f"({d.cohort}, first treated {d.time}) compared with {_comparison(d)} units"
            f"{antic}; standard errors clustered by {d.unit}"
        )

    def change_words(self) -> str:
        return "relative to units not yet treated or never treated (staggered roll-out)"

    def caveat(self) -> str:
        return (
            "The staggered comparison assumes that, without the programme, each wave would have "
            "moved in parallel with the units it is compared with, and that units did not "
            "change before their own start (no anticipation). It cannot rule out other changes "
            "that arrived together with one wave, or spill-overs into units not yet reached."
        )

    def evidence_strength(self) -> EvidenceStrength:
        return "quasi-experimental"

    def level_labels(self) -> tuple[str, str]:
        return "Before the unit's start", "After the unit's start"

    def levels_caption(self, init: Initiative) -> str:
        return (
            "Mean of each outcome in treated units, in the periods before and after each "
            "unit's own start (these levels also move with time; the change is the staggered "
            "comparison above)."
        )

    def exhibits(self, analysis: ImpactAnalysis) -> list[Exhibit]:
        """For the first headline outcome: cohorts, event study, pre-trend, TWFE contrast."""
        for result in analysis.headline:
            detail = _detail(result)
            if detail is not None:
                return _rollout_exhibits(analysis, result, detail)
        return []

    def result_rows(self, analysis: ImpactAnalysis) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for result in analysis.outcomes:
            detail = _detail(result)
            if detail is not None:
                rows += _rollout_rows(analysis, result, detail)
        return rows


def _scale(result: OutcomeResult) -> tuple[float, str]:
    return (100.0, " pp") if is_share(result.indicator) else (1.0, "")


def _cohort_table(result: OutcomeResult, detail: StaggeredResult) -> Table:
    scale, unit = _scale(result)
    by = detail.aggregate("group").table
    cells = detail.att_gt.drop_duplicates("cohort").set_index("cohort")["n_treated"]
    level = f"{100 * detail.confidence:g} % CI"
    frame = pd.DataFrame(
        {
            "wave (first treated)": [plain(float(g)) for g in by["cohort"]],
            "units": [f"{int(cells.loc[g]):,}" for g in by["cohort"]],
            f"average effect{unit}": [f"{scale * v:+.1f}" for v in by["estimate"]],
            level: [
                f"{scale * lo:+.1f} to {scale * hi:+.1f}"
                for lo, hi in zip(by["ci_low"], by["ci_high"], strict=True)
            ],
            "p": [fmt_p(p)[2:] for p in by["p_value"]],
        }
    )
    return Table(
        frame,
        f"{result.indicator.name}: average effect in each wave over its treated periods "
        "(Callaway & Sant'Anna 2021, by cohort).",
        ("units", f"average effect{unit}", level, "p"),
    )


def _twfe_sentence(analysis: ImpactAnalysis, result: OutcomeResult, d: StaggeredDesign) -> str:
    assert result.effect is not None
    rows = unit_outcome(result.indicator, analysis.design_data)
    tw = twfe(rows, "_y", unit=d.unit, time=d.time, cohort=d.cohort, confidence=analysis.confidence)
    scale, unit = _scale(result)
    e = result.effect
    return (
        f"For comparison: a two-way fixed-effects difference-in-differences on the same data "
        f"gives {scale * tw.estimate:+.1f}{unit} ({scale * tw.ci_low:+.1f} to "
        f"{scale * tw.ci_high:+.1f}), against {scale * e.estimate:+.1f}{unit} from the staggered "
        "comparison. With waves whose effects differ or grow over time, the two-way model "
        "compares later waves with already-treated units and is biased (Goodman-Bacon 2021); "
        "the staggered estimate avoids those comparisons."
    )


def _rollout_exhibits(
    analysis: ImpactAnalysis, result: OutcomeResult, detail: StaggeredResult
) -> list[Exhibit]:
    d = _design(analysis.initiative)

    def draw(ax: Axes) -> Axes:
        return detail.plot(ax=ax, title=f"{result.indicator.name}: effect by time since start")

    out: list[Exhibit] = [_cohort_table(result, detail)]
    out.append(
        Chart(
            draw,
            f"Event study: the effect on {result.indicator.name} by periods since each unit's "
            f"start, with {100 * detail.confidence:g} % pointwise intervals; points left of the "
            "dashed line are placebo effects before the start (close to zero if trends were "
            "parallel).",
        )
    )
    if detail.pre_trend is not None:
        out.append(detail.pre_trend.summary())
    out.append(_twfe_sentence(analysis, result, d))
    return out


def _rollout_rows(
    analysis: ImpactAnalysis, result: OutcomeResult, detail: StaggeredResult
) -> list[dict[str, Any]]:
    ident = result.indicator.id
    rows = []
    method = "Callaway & Sant'Anna (2021), influence-function standard errors"
    kinds: tuple[tuple[AggregateKind, str], ...] = (
        ("group", "cohort_effect"),
        ("dynamic", "event_time_effect"),
    )
    for kind, section in kinds:
        agg = detail.aggregate(kind)
        assert agg.key is not None
        for _, r in agg.table.iterrows():
            rows.append(
                result_row(
                    section,
                    ident,
                    "att",
                    r["estimate"],
                    group=f"{agg.key}={plain(float(r[agg.key]))}",
                    ci_low=r["ci_low"],
                    ci_high=r["ci_high"],
                    p_value=r["p_value"],
                    method=method,
                )
            )
    if detail.pre_trend is not None:
        pt = detail.pre_trend
        rows.append(
            result_row(
                "pre_trend",
                ident,
                "chi2",
                pt.statistic,
                p_value=pt.p_value,
                n=pt.df,
                method="Wald test that every pre-treatment ATT(g,t) is zero (n = df)",
            )
        )
    d = _design(analysis.initiative)
    rows_y = unit_outcome(result.indicator, analysis.design_data)
    tw = twfe(rows_y, "_y", unit=d.unit, time=d.time, cohort=d.cohort, confidence=detail.confidence)
    rows.append(
        result_row(
            "twfe_comparison",
            ident,
            "change",
            tw.estimate,
            ci_low=tw.ci_low,
            ci_high=tw.ci_high,
            p_value=tw.p_value,
            n=tw.n,
            method=tw.method + "; shown for comparison, biased under staggered timing",
        )
    )
    return rows
