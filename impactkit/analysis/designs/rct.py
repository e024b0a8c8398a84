"""The randomised-evaluation runner: treatment arm(s) against the control arm at endline.

The estimate is :func:`impactkit.effects.rct` on one row per randomised unit: the endline
value of the indicator (missing = lost to follow-up, which the attrition table counts),
ANCOVA on the ``design.baseline`` column where one is named (McKenzie 2012), strata fixed
effects, HC2 errors or, in a cluster-randomised trial, cluster-robust errors with the
few-cluster rule of ``design.inference``.  "Before" and "after" in the outcome table are the
control and treatment arms' endline means.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..._display import fmt, fmt_p
from ...effects import RCTResult, rct
from ...errors import ConfigError
from ...indicators import Indicator, compute, evaluate
from ..outcome import OutcomeResult
from ..results_table import plain, result_row
from ..words import is_share, level_format
from ._rows import design_of, needed_columns, not_estimable
from .base import EvidenceStrength, Exhibit, Table

if TYPE_CHECKING:
    from ...initiative import Initiative, RCTDesign
    from ..model import ImpactAnalysis

__all__ = ["RCTRunner"]

#: The seed of the Lee-bounds and wild-bootstrap draws (the report is reproducible).
SEED = 20090101


def _design(init: Initiative) -> RCTDesign:
    from ...initiative import RCTDesign

    return design_of(init, RCTDesign)


def _baselines(d: RCTDesign) -> list[str]:
    if d.baseline is None:
        return []
    if isinstance(d.baseline, str):
        return [d.baseline]
    return list(dict.fromkeys(d.baseline.values()))


def _control_value(init: Initiative, d: RCTDesign, values: pd.Series) -> Any:
    """``design.control`` as the arm column stores it (YAML ``1`` may be the text ``"1"``)."""
    if d.control is None:
        return None
    labels = list(pd.unique(values.dropna()))
    if d.control in labels:
        return d.control
    for label in labels:
        if str(label) == str(d.control):
            return label
    shown = ", ".join(repr(v) for v in labels[:10])
    raise ConfigError(
        f"{init.path}: key 'design.control': {d.control!r} is not a value of the arm column "
        f"{d.arm!r} (it has {shown})"
    )


def _detail(result: OutcomeResult) -> RCTResult | None:
    return result.detail if isinstance(result.detail, RCTResult) else None


class RCTRunner:
    """:class:`~impactkit.analysis.designs.base.DesignRunner` for ``design.type: rct``."""

    type = "rct"

    def required_columns(self, init: Initiative) -> list[str]:
        d = _design(init)
        return needed_columns(init, (d.arm, d.cluster, d.strata), d.covariates, _baselines(d))

    def check_data(self, init: Initiative, data: pd.DataFrame) -> None:
        d = _design(init)
        _control_value(init, d, data[d.arm])
        unit = init.columns.unit
        if unit is not None and data[unit].duplicated().any():
            dup = data.loc[data[unit].duplicated(), unit].iloc[0]
            raise ConfigError(
                f"{init.path}: key 'design.data': an rct design needs one row per randomised "
                f"unit; {unit} {dup!r} appears more than once in data set {d.data!r}"
            )

    def group_columns(self, init: Initiative) -> dict[str, str]:
        d = _design(init)
        return {d.arm: d.arm}

    def indicator_values(
        self,
        init: Initiative,
        indicators: Sequence[Indicator],
        data: pd.DataFrame,
        confidence: float,
    ) -> pd.DataFrame:
        return compute(list(indicators), data, by=[_design(init).arm], confidence=confidence)

    def estimate(
        self, init: Initiative, indicator: Indicator, data: pd.DataFrame, confidence: float
    ) -> OutcomeResult:
        d = _design(init)
        skipped = not_estimable(indicator, self.type)
        if skipped is not None:
            return skipped
        ev = evaluate(indicator, data)
        rows = data.loc[ev["in_population"].to_numpy(dtype=bool)].copy()
        rows["_y"] = ev.loc[rows.index, "value"].astype(float)  # missing: lost to follow-up
        res = rct(
            rows,
            "_y",
            d.arm,
            baseline=d.baseline_for(indicator.id),
            covariates=tuple(d.covariates),
            cluster=d.cluster,
            strata=d.strata,
            se=d.se,
            control=_control_value(init, d, data[d.arm]),
            confidence=confidence,
            seed=SEED,
            label=indicator.name,
            inference=d.inference,
        )
        effect = res.effect if not res.notes else _with_notes(res)
        means = res.arm_means
        return OutcomeResult(
            indicator,
            effect,
            float(means["mean"].iloc[0]),
            float(means["mean"].iloc[1]),
            detail=res,
            covered=int(means["n"].iloc[1:].sum()),  # observed units of the treatment arms
        )

    def rounds(self, init: Initiative, data: pd.DataFrame) -> tuple[Any, Any] | None:
        return None  # one row per unit: attrition is the rct's own table (by arm)

    def arm(self, init: Initiative) -> str | None:
        return _design(init).arm

    def unit_groups(self, init: Initiative, data: pd.DataFrame) -> list[pd.Series]:
        return [data[_design(init).arm]]

    def cluster(self, init: Initiative) -> str | None:
        return _design(init).cluster

    def design_words(self, init: Initiative) -> str:
        d = _design(init)
        control = f", control arm {d.control!r}" if d.control is not None else ""
        parts = [f"Randomised evaluation (arms in column {d.arm!r}{control})"]
        parts.append("ANCOVA on the baseline outcome" if d.baseline else "endline difference")
        if d.strata:
            parts.append(f"strata fixed effects ({d.strata})")
        parts.append(
            f"randomised by {d.cluster}, standard errors clustered by {d.cluster}"
            if d.cluster
            else f"{d.se} standard errors"
        )
        return ", ".join(parts)

    def change_words(self) -> str:
        return "relative to the control arm (randomised comparison)"

    def caveat(self) -> str:
        return (
            "Random assignment makes the arms comparable, so the difference measures the effect "
            "of being assigned to the programme (intention to treat). It cannot rule out bias "
            "from units lost to follow-up at different rates in the arms (see attrition and, "
            "where shown, the Lee bounds), spill-overs into the control arm, or behaviour that "
            "changed because people knew they were observed."
        )

    def evidence_strength(self) -> EvidenceStrength:
        return "randomised"

    def level_labels(self) -> tuple[str, str]:
        return "Control arm", "Treatment arm"

    def levels_caption(self, init: Initiative) -> str:
        return "Endline mean of each outcome in the control and the treatment arm."

    def exhibits(self, analysis: ImpactAnalysis) -> list[Exhibit]:
        """For the first headline outcome: arm means, balance, attrition, Lee bounds."""
        init = analysis.initiative
        arm = _design(init).arm

        def name(value: Any) -> str:
            return init.label(arm, value)

        for result in analysis.headline:
            detail = _detail(result)
            if detail is not None:
                return _trial_exhibits(result, detail, name)
        return []

    def result_rows(self, analysis: ImpactAnalysis) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for result in analysis.outcomes:
            detail = _detail(result)
            if detail is not None:
                rows += _trial_rows(result.indicator.id, detail)
        return rows


def _with_notes(res: RCTResult) -> Any:
    """The effect with the trial's own notes (dropped rows, differential attrition)."""
    from dataclasses import replace

    notes = tuple(dict.fromkeys((*res.effect.notes, *res.notes)))
    return replace(res.effect, notes=notes)


def _trial_exhibits(
    result: OutcomeResult, detail: RCTResult, name: Callable[[Any], str]
) -> list[Exhibit]:
    """The trial's tables for the report; ``name`` gives an arm's label (``labels:``)."""
    show = level_format(result.indicator)
    title = result.indicator.name
    means = pd.DataFrame(
        {
            "arm": [name(a) for a in detail.arm_means["arm"]],
            "endline mean": [show(v) for v in detail.arm_means["mean"]],
            "units observed": [f"{int(n):,}" for n in detail.arm_means["n"]],
        }
    )
    out: list[Exhibit] = [
        Table(means, f"{title}: endline mean by arm.", ("endline mean", "units observed"))
    ]
    if len(detail.balance):
        out.append(_balance_table(detail, name))
    out.append(_attrition_table(detail, name))
    out += [_lee_sentence(result, b, name) for b in detail.lee]
    return out


def _balance_table(detail: RCTResult, name: Callable[[Any], str]) -> Table:
    b = detail.balance
    frame = pd.DataFrame(
        {
            "baseline variable": [str(c) for c in b["covariate"]],
            "arm": [name(a) for a in b["arm"]],
            "control mean": [fmt(v) for v in b["mean_control"]],
            "arm mean": [fmt(v) for v in b["mean_arm"]],
            "SMD": [f"{v:+.3f}" for v in b["smd"]],
            "balanced?": ["no (|SMD| > 0.1)" if f else "yes" for f in b["imbalanced"]],
        }
    )
    return Table(
        frame,
        "Balance at baseline: standardised mean differences (SMD) between each treatment arm "
        "and control; an |SMD| above 0.1 is flagged (Austin 2009).",
        ("control mean", "arm mean", "SMD"),
    )


def _attrition_table(detail: RCTResult, name: Callable[[Any], str]) -> Table:
    a = detail.attrition
    frame = pd.DataFrame(
        {
            "arm": [name(v) for v in a["arm"]],
            "assigned": [f"{int(v):,}" for v in a["assigned"]],
            "observed at endline": [f"{int(v):,}" for v in a["observed"]],
            "lost": [f"{int(v):,}" for v in a["lost"]],
            "share lost": [f"{100 * float(v):.1f} %" for v in a["share_lost"]],
        }
    )
    if detail.attrition_p is None:
        test = "Nobody was lost to follow-up."
    else:
        differs = detail.attrition_p < 0.05
        test = (
            f"Test of differential attrition (does the share lost differ by arm?): "
            f"{fmt_p(detail.attrition_p)}"
            + (" — it does, so the Lee bounds below bound the effect." if differs else ".")
        )
    return Table(
        frame,
        f"Attrition by arm. {test}",
        ("assigned", "observed at endline", "lost", "share lost"),
    )


def _lee_sentence(result: OutcomeResult, b: Any, name: Callable[[Any], str]) -> str:
    if is_share(result.indicator):

        def show(v: float) -> str:
            return f"{100 * v:+.1f} pp"
    else:

        def show(v: float) -> str:
            return fmt(v)

    return (
        f"Lee (2009) bounds for {result.indicator.name} ({name(b.arm)} vs control): the effect "
        f"among units that would be observed in either arm lies between {show(b.lower)} and "
        f"{show(b.upper)} ({100 * b.confidence:g} % interval {show(b.ci_low)} to "
        f"{show(b.ci_high)}), after trimming {100 * b.trimmed_share:.1f} % of the "
        f"{b.trimmed_arm} arm's outcomes."
    )


def _trial_rows(ident: str, detail: RCTResult) -> list[dict[str, Any]]:
    rows = [
        result_row("arm_mean", ident, "mean", m["mean"], group=f"arm={plain(m['arm'])}", n=m["n"])
        for _, m in detail.arm_means.iterrows()
    ]
    rows += [
        result_row(
            "balance",
            ident,
            "smd",
            b["smd"],
            group=f"covariate={b['covariate']} / arm={plain(b['arm'])}",
            n=int(b["n_control"]) + int(b["n_arm"]),
            method="standardised mean difference (pooled SD); |SMD| > 0.1 flagged",
            verdict="imbalanced" if b["imbalanced"] else "balanced",
        )
        for _, b in detail.balance.iterrows()
    ]
    rows += [
        result_row(
            "attrition",
            ident,
            "share_lost",
            a["share_lost"],
            group=f"arm={plain(a['arm'])}",
            n=a["assigned"],
        )
        for _, a in detail.attrition.iterrows()
    ]
    if detail.attrition_p is not None:
        rows.append(
            result_row(
                "attrition",
                ident,
                "differential_attrition",
                None,
                p_value=detail.attrition_p,
                method="OLS of lost on the arm dummies, Wald test",
            )
        )
    for b in detail.lee:
        for stat, value in (("lee_lower", b.lower), ("lee_upper", b.upper)):
            rows.append(
                result_row(
                    "lee_bounds",
                    ident,
                    stat,
                    value,
                    group=f"arm={plain(b.arm)}",
                    ci_low=b.ci_low,
                    ci_high=b.ci_high,
                    method=f"Lee (2009), trimming {100 * b.trimmed_share:.1f} % of the "
                    f"{b.trimmed_arm} arm; percentile bootstrap (union) interval",
                )
            )
    return rows
