"""What a difference-in-differences rests on, for the report: the pre-trend test, the
number of treated and of all clusters (diagnostics), and the charts of both groups by round
and of the event study (exhibits).

The pre-trend test and the event study are :func:`impactkit.effects.did`'s (joint Wald F
test of the earlier pre-period treated × round coefficients; Angrist & Pischke 2009, §5.2).
With one treated cluster, cluster-robust intervals are unreliable however many comparison
clusters there are (Conley & Taber 2011; MacKinnon & Webb 2017, "Wild bootstrap inference
for wildly different cluster sizes").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ... import charts
from ... import effects as eff
from ..._display import fmt_p
from ..outcome import Diagnostic
from ..words import is_share
from ._rows import unit_outcome
from .base import Chart, Exhibit

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ...initiative import DiDDesign
    from ..model import ImpactAnalysis

__all__ = ["did_diagnostics", "did_exhibits"]

_FEW_TREATED = 5  # below this many treated clusters, say how few


def _pre_trend(res: eff.DiDResult) -> list[Diagnostic]:
    test = res.pre_trend
    if test is None:
        return []
    failed = test.p_value < 0.05
    caveat = (
        f"The pre-trend test fails ({fmt_p(test.p_value)}): the two groups were already "
        "drifting apart before the programme, so part of the change may not be its effect."
        if failed
        else None
    )
    return [Diagnostic("pre-trend test (F)", test.statistic, test.p_value, test.summary(), caveat)]


def _clusters(rows: pd.DataFrame, d: DiDDesign, unit: str | None) -> list[Diagnostic]:
    column = d.cluster or unit
    if column is None:
        return []
    treated = rows[d.treated].astype(float) == 1
    n_treated = int(rows.loc[treated, column].nunique())
    n_total = int(rows[column].nunique())
    caveat = None
    if n_treated == 1:
        only = rows.loc[treated, column].iloc[0]
        caveat = (
            f"There is one treated unit ({column} {only}): the change mixes the programme "
            "with everything else that happened to that one unit, and its interval, which "
            "treats the comparison units as if they showed that unit's own uncertainty, is "
            "too narrow; read it as a lower bound on the uncertainty."
        )
    elif n_treated < _FEW_TREATED:
        caveat = (
            f"Only {n_treated} treated {column} values: cluster-robust intervals are too "
            "narrow with so few treated clusters."
        )
    text = f"{n_treated} treated of {n_total} clusters ({column})."
    return [
        Diagnostic("treated clusters", n_treated, text=text, caveat=caveat),
        Diagnostic("clusters", n_total, text=text),
    ]


def did_diagnostics(
    res: eff.DiDResult, rows: pd.DataFrame, d: DiDDesign, unit: str | None
) -> tuple[Diagnostic, ...]:
    """The pre-trend test (with a period column and two or more pre-periods) and the
    treated and total clusters."""
    return tuple(_pre_trend(res) + _clusters(rows, d, unit))


def _trends(analysis: ImpactAnalysis, d: DiDDesign, period: str, indicator_id: str) -> Chart:
    ind = analysis.catalog[indicator_id]
    rows = unit_outcome(ind, analysis.design_data)
    treated = rows[d.treated].astype(float) == 1
    means = rows.groupby([treated.rename("_t"), rows[period]])["_y"].mean().unstack(0)
    means = means.sort_index()
    post = rows.groupby(period)[d.post].max().reindex(means.index).astype(float)
    first_post = int((post == 0).sum())
    labels = analysis.initiative.labels.get(d.treated, {})
    names = (labels.get(1, "Treated group"), labels.get(0, "Comparison group"))
    rounds = [analysis.initiative.label(period, v) for v in means.index]

    def draw(ax: Axes) -> Axes:
        return charts.group_trends(
            rounds, means.get(True, pd.Series(dtype=float)).to_numpy(),
            means.get(False, pd.Series(dtype=float)).to_numpy(), first_post=first_post, ax=ax,
            pct=is_share(ind), ylabel=ind.unit, labels=names,
        )  # fmt: skip

    return Chart(draw, f"{ind.name}: mean in each round, treated and comparison group.")


def _event_chart(analysis: ImpactAnalysis, detail: eff.DiDResult, name: str, unit: str) -> Chart:
    es = detail.event_study
    assert es is not None
    ref = int(es.index[es["reference"]].tolist()[0])
    first_post = ref + 1
    scale = 100.0 if unit == "percentage points" else 1.0
    period = design_period(analysis)
    rounds = [analysis.initiative.label(period, v) for v in es["period"]]

    def draw(ax: Axes) -> Axes:
        return charts.event_study(
            rounds, es["estimate"] * scale, es["ci_low"] * scale, es["ci_high"] * scale,
            first_post=first_post, ax=ax, ylabel=f"Difference ({unit})",
        )  # fmt: skip

    return Chart(
        draw,
        f"{name}: event study — the treated-minus-comparison difference in each round, "
        f"relative to the last round before the programme (fixed at 0), with "
        f"{100 * detail.confidence:g} % intervals. Before the programme the points should sit "
        "near zero.",
    )


def design_period(analysis: ImpactAnalysis) -> str | None:
    """The column that orders rounds: ``design.period``, else ``columns.period``."""
    d = analysis.initiative.design
    return getattr(d, "period", None) or analysis.initiative.columns.period


def did_exhibits(analysis: ImpactAnalysis, d: DiDDesign) -> list[Exhibit]:
    """Per headline indicator: the group trends (with ``design.period``), the event study
    and the pre-trend sentence (two or more pre-periods)."""
    out: list[Exhibit] = []
    if d.period is None:
        return out
    for result in analysis.headline:
        detail = result.detail
        if not isinstance(detail, eff.DiDResult):
            continue
        out.append(_trends(analysis, d, d.period, result.indicator.id))
        if detail.event_study is not None and detail.pre_trend is not None:
            unit = "percentage points" if is_share(result.indicator) else result.indicator.unit
            out.append(_event_chart(analysis, detail, result.indicator.name, unit))
            verdict = (
                "the groups were not moving in parallel before the programme"
                if detail.pre_trend.p_value < 0.05
                else "no evidence that the groups moved differently before the programme"
            )
            out.append(f"Pre-trend test: {detail.pre_trend.summary()} In short: {verdict}.")
    return out
