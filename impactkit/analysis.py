"""Everything a report says about one initiative, computed in one place.

:func:`analyse` takes a validated :class:`~impactkit.initiative.Initiative`, reads its data,
and calls the library's modules in the order of the data flow::

    indicators (values by period and group)
      -> effects (one per outcome indicator, by the initiative's design; multiplicity; verdicts)
      -> adoption (cascade, sustained use, lab-to-real-world gap, voltage ratio, costs)
      -> subgroups and data quality

The result, :class:`ImpactAnalysis`, is what the report notebook displays and what
``results.csv`` / ``results.json`` hold, so the PDF and the files always agree.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import json
import math
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import adoption as adopt
from . import effects as eff
from ._checks import check_confidence, require_columns
from ._display import fmt, fmt_ci, fmt_pct, html_block
from .catalogs import standard
from .errors import ConfigError, DataError, EstimationError, MissingColumnError
from .indicators import Catalog, Indicator, compute, evaluate
from .initiative import Initiative
from .initiative import load as load_initiative

__all__ = ["analyse", "ImpactAnalysis", "Finding", "OutcomeResult"]

ESTIMABLE_KINDS = ("proportion", "mean", "sum")
#: Seed of the Monte Carlo interval of the lab-to-real-world gap: the same data always give
#: the same report.
GAP_SEED = 20240101


@dataclass(frozen=True)
class Finding:
    """One sentence of the executive summary, with its verdict (or ``None``)."""

    text: str
    verdict: str | None = None
    topic: str = ""

    def __str__(self) -> str:
        return f"{self.text} Verdict: {self.verdict}." if self.verdict else self.text


@dataclass(frozen=True)
class OutcomeResult:
    """The estimated change in one outcome indicator."""

    indicator: Indicator
    effect: eff.Effect | None
    before: float | None
    after: float | None
    p_adjusted: float | None = None
    verdict: str = "inconclusive"
    reason: str = ""
    detail: Any = None  # the design's full result (DiD, ITS) where there is one
    skipped: str | None = None  # why no effect was estimated


@dataclass(frozen=True, eq=False)  # holds DataFrames: compare the parts, not the whole
class ImpactAnalysis:
    """All numbers of an impact report.  Build it with :func:`analyse`."""

    initiative: Initiative
    catalog: Catalog
    design_data: pd.DataFrame
    indicator_values: pd.DataFrame
    outcomes: tuple[OutcomeResult, ...]
    cascade: Any = None
    sustained_use: Any = None
    gap: Any = None
    voltage: Any = None
    costs: pd.DataFrame | None = None
    subgroups: pd.DataFrame = field(default_factory=pd.DataFrame)
    subgroup_notes: tuple[str, ...] = ()  # subgroups whose effect could not be estimated
    data_quality: pd.DataFrame = field(default_factory=pd.DataFrame)
    attrition: pd.DataFrame | None = None
    units: pd.DataFrame = field(default_factory=pd.DataFrame)
    fingerprint: str = ""
    created: dt.date = field(default_factory=dt.date.today)

    # ------------------------------------------------------------------ look-ups
    def outcome(self, indicator_id: str) -> OutcomeResult:
        """The result for one outcome indicator."""
        for result in self.outcomes:
            if result.indicator.id == indicator_id:
                return result
        raise KeyError(indicator_id)

    @property
    def headline(self) -> list[OutcomeResult]:
        """Results of the headline indicators, in the order the initiative file lists them."""
        return [self.outcome(i) for i in self.initiative.indicators.headline]

    # ------------------------------------------------------------------ words
    def findings(self) -> list[Finding]:
        """Three to five findings in plain words, each with its number, interval and verdict."""
        out: list[Finding] = []
        for result in self.headline:
            out.append(
                Finding(_outcome_sentence(self, result), result.verdict, result.indicator.id)
            )
        if self.cascade is not None:
            out.append(Finding(self.cascade.summary(), None, "adoption"))
        if self.gap is not None:
            out.append(Finding(self.gap.summary(), None, "gap"))
        if self.voltage is not None:
            out.append(Finding(self.voltage_summary(), None, "voltage"))
        others = [
            r for r in self.outcomes if r.indicator.id not in self.initiative.indicators.headline
        ]
        while others and len(out) < 2:  # too little adoption evidence: name more outcomes
            result = others.pop(0)
            out.append(
                Finding(_outcome_sentence(self, result), result.verdict, result.indicator.id)
            )
        if others and len(out) < 5:
            counts = pd.Series([r.verdict for r in others]).value_counts()
            parts = [f"{n} {label}" for label, n in counts.items()]
            out.append(
                Finding(
                    f"Of {len(others)} further outcome indicators: {', '.join(parts)} "
                    f"(p-values adjusted with {multiplicity_words(self.initiative.multiplicity)}).",
                    None,
                    "outcomes",
                )
            )
        return out[:5]

    def voltage_summary(self) -> str:
        """The effect at scale as a share of the pilot's, in words (needs a pilot effect)."""
        v = self.voltage
        lab = self.initiative.lab
        assert v is not None and lab is not None and lab.pilot_effect is not None
        name = self.catalog[lab.pilot_effect.indicator].name
        method = "Fieller's method" if v.method == "fieller" else "delta method"
        return (
            f"At scale, the effect on {name[:1].lower()}{name[1:]} is {100 * v.ratio:.0f} % of the "
            f"pilot's ({100 * v.confidence:g} % CI {100 * v.ci_low:.0f} to {100 * v.ci_high:.0f} %, "
            f"{method}): the pilot estimated {fmt(v.lab_estimate)}, the programme at scale "
            f"{fmt(v.field_estimate)}."
        )

    def summary(self) -> str:
        """The findings as one paragraph."""
        return " ".join(str(f) for f in self.findings())

    # ------------------------------------------------------------------ tables
    def outcome_table(self) -> pd.DataFrame:
        """One row per outcome: baseline, endline, change, interval, adjusted p, verdict."""
        rows = []
        for r in self.outcomes:
            e = r.effect
            rows.append(
                {
                    "indicator": r.indicator.id,
                    "name": r.indicator.name,
                    "unit": r.indicator.unit,
                    "direction": r.indicator.direction,
                    "baseline": r.before,
                    "endline": r.after,
                    "change": e.estimate if e else np.nan,
                    "ci_low": e.ci_low if e else np.nan,
                    "ci_high": e.ci_high if e else np.nan,
                    "p_value": e.p_value if e else np.nan,
                    "p_adjusted": r.p_adjusted if r.p_adjusted is not None else np.nan,
                    "minimum_meaningful_change": r.indicator.minimum_meaningful_change,
                    "verdict": r.verdict,
                    "reason": r.reason if r.skipped is None else r.skipped,
                    "method": e.method if e else "",
                    "n": e.n if e else np.nan,
                }
            )
        return pd.DataFrame(rows)

    def results_frame(self) -> pd.DataFrame:
        """Every number of the report in one tidy table (what ``results.csv`` holds).

        Columns: ``initiative``, ``section``, ``item``, ``group``, ``statistic``, ``value``,
        ``ci_low``, ``ci_high``, ``p_value``, ``p_adjusted``, ``n``, ``method``,
        ``verdict``, ``frameworks``.
        """
        name = self.initiative.name
        rows: list[dict[str, Any]] = []

        def add(section: str, item: str, statistic: str, value: Any, **extra: Any) -> None:
            rows.append(
                {
                    "initiative": name,
                    "section": section,
                    "item": item,
                    "group": extra.pop("group", ""),
                    "statistic": statistic,
                    "value": _num(value),
                    "ci_low": _num(extra.pop("ci_low", None)),
                    "ci_high": _num(extra.pop("ci_high", None)),
                    "p_value": _num(extra.pop("p_value", None)),
                    "p_adjusted": _num(extra.pop("p_adjusted", None)),
                    "n": _count(extra.pop("n", None)),
                    "method": extra.pop("method", ""),
                    "verdict": extra.pop("verdict", ""),
                    "frameworks": extra.pop("frameworks", ""),
                }
            )

        grouping = [
            c for c in self.indicator_values.columns if c in _group_columns(self.initiative)
        ]
        for _, v in self.indicator_values.iterrows():
            ind = self.catalog[v["indicator"]]
            group = " / ".join(f"{_column_name(self, c)}={_plain(v[c])}" for c in grouping)
            add(
                "indicator",
                ind.id,
                "value",
                v["value"],
                group=group,
                ci_low=v["ci_low"],
                ci_high=v["ci_high"],
                n=v["n"],
                method=f"{ind.kind}",
                frameworks=_frameworks(ind),
            )
        for r in self.outcomes:
            if r.effect is None:
                continue
            e = r.effect
            add(
                "effect",
                r.indicator.id,
                "change",
                e.estimate,
                ci_low=e.ci_low,
                ci_high=e.ci_high,
                p_value=e.p_value,
                p_adjusted=r.p_adjusted,
                n=e.n,
                method=e.method,
                verdict=r.verdict,
                frameworks=_frameworks(r.indicator),
            )
            add("effect", r.indicator.id, "baseline", r.before, frameworks=_frameworks(r.indicator))
            add("effect", r.indicator.id, "endline", r.after, frameworks=_frameworks(r.indicator))
        if self.cascade is not None:
            for _, s in self.cascade.table.iterrows():
                add(
                    "adoption",
                    str(s["stage"]),
                    "share_of_target",
                    s["share_of_target"],
                    ci_low=s["share_of_target_ci_low"],
                    ci_high=s["share_of_target_ci_high"],
                    n=s["count"],
                    method="Wilson interval",
                )
        if self.sustained_use is not None:
            for _, s in self.sustained_use.table.iterrows():
                add(
                    "sustained_use",
                    f"still using at {fmt(s['horizon'])} {self.sustained_use.time_unit}",
                    "survival",
                    s["survival"],
                    group=str(s.get("group", "")),
                    ci_low=s["ci_low"],
                    ci_high=s["ci_high"],
                    method="Kaplan-Meier",
                )
        if self.gap is not None:
            add(
                "gap",
                "real-world effect",
                "proportion",
                self.gap.real_world,
                ci_low=self.gap.ci_low,
                ci_high=self.gap.ci_high,
                method=self.gap.method,
            )
        if self.voltage is not None:
            add(
                "gap",
                "voltage ratio (field / pilot)",
                "ratio",
                self.voltage.ratio,
                ci_low=self.voltage.ci_low,
                ci_high=self.voltage.ci_high,
                method=self.voltage.method,
            )
        if self.costs is not None:
            for _, c in self.costs.iterrows():
                add("costs", str(c["outcome"]), "cost_per_unit", c["cost_per_unit"], n=c["units"])
        for _, s in self.subgroups.iterrows():
            add(
                "subgroup",
                str(s["indicator"]),
                "change",
                s["estimate"],
                group=f"{s['subgroup']}={s['level']}",
                ci_low=s["ci_low"],
                ci_high=s["ci_high"],
                p_value=s["p_value"],
                n=s["n"],
                method=s["method"],
            )
        frame = pd.DataFrame(rows)
        frame["n"] = frame["n"].astype("Int64")  # counts, possibly missing
        return frame

    def results_json(self) -> str:
        """``results.json``: metadata plus the rows of :meth:`results_frame`."""
        frame = self.results_frame()
        records = [
            {k: (None if _missing(v) else v) for k, v in row.items()}
            for row in frame.to_dict(orient="records")
        ]
        payload = {
            "initiative": self.initiative.name,
            "organisation": self.initiative.organisation,
            "period": [
                self.initiative.period_start.isoformat(),
                self.initiative.period_end.isoformat(),
            ],
            "design": self.initiative.design.type,
            "data_fingerprint": self.fingerprint,
            "created": self.created.isoformat(),
            "impactkit_version": _version(),
            "results": records,
        }
        return json.dumps(payload, indent=2, default=_json_default) + "\n"

    def to_frame(self) -> pd.DataFrame:
        """Same as :meth:`results_frame`."""
        return self.results_frame()

    def __repr__(self) -> str:
        return (
            f"ImpactAnalysis({self.initiative.name!r}, design={self.initiative.design.type}, "
            f"{len(self.outcomes)} outcomes, cascade={'yes' if self.cascade is not None else 'no'})"
        )

    def _repr_html_(self) -> str:
        return html_block(
            f"Impact analysis — {self.initiative.name}",
            self.outcome_table()[
                ["name", "baseline", "endline", "change", "ci_low", "ci_high", "verdict"]
            ],
            summary=self.summary(),
        )


# ============================================================================ analysis


def analyse(
    initiative: Initiative | str | os.PathLike[str], *, confidence: float = 0.95
) -> ImpactAnalysis:
    """Compute every number of an initiative's impact report.

    Parameters
    ----------
    initiative
        A loaded :class:`~impactkit.initiative.Initiative` or the path of its YAML file.
    confidence
        Confidence level of every interval.

    Returns
    -------
    ImpactAnalysis

    Raises
    ------
    ConfigError
        If the file refers to indicators or columns that are not there.
    DataError
        If the data do not fit the design (with the column and rows named).
    """
    confidence = check_confidence(confidence)
    init = initiative if isinstance(initiative, Initiative) else load_initiative(initiative)
    catalog = _catalog(init)
    frames = {name: init.load_data(name) for name in init.data_files}  # each file read once
    data = frames[init.design.data]
    _check_design_columns(init, data)

    outcome_ids = init.indicators.outcomes
    indicators = [catalog[i] for i in outcome_ids]
    values = _indicator_values(init, indicators, data, confidence)

    results = []
    for ind in indicators:
        with _where(
            init, f"design ({init.design.type}) for indicator {ind.id!r}", init.design.data
        ):
            results.append(_estimate(init, ind, data, confidence))
    results = _adjust_and_judge(init, results)

    cascade = sustained = gap = voltage = None
    costs = None
    if init.cascade is not None:
        spec = init.cascade
        with _where(init, "adoption.cascade", spec.data):
            cascade = adopt.cascade(
                frames[spec.data],
                list(spec.stages),
                unit=spec.unit,
                by=spec.by,
                labels=dict(spec.labels) or None,
                target=spec.target,
                confidence=confidence,
            )
    if init.sustained_use is not None:
        s = init.sustained_use
        with _where(init, "adoption.sustained_use", s.data):
            sustained = adopt.sustained_use(
                frames[s.data],
                s.duration,
                s.abandoned,
                by=s.by,
                horizons=tuple(s.horizons),
                confidence=confidence,
                time_unit=s.time_unit,
            )
    if init.lab is not None and init.lab.efficacy is not None and cascade is not None:
        lab_value: Any = init.lab.efficacy
        if init.lab.ci_low is not None and init.lab.ci_high is not None:
            lab_value = (init.lab.efficacy, *_rescale_interval(init.lab, confidence))
        gap = adopt.Gap.from_cascade(lab_value, cascade, seed=GAP_SEED, confidence=confidence)
    if init.lab is not None and init.lab.pilot_effect is not None:
        voltage = _voltage(init, results, confidence)
    if init.costs is not None and cascade is not None:
        costs = adopt.cost_per_outcome(init.costs.total, cascade, currency=init.currency).to_frame()

    subgroups, subgroup_notes = _subgroup_effects(init, catalog, data, confidence)
    quality = _data_quality(init, frames)
    attrition = _attrition(init, data)
    units = _units_per_group(init, data)
    return ImpactAnalysis(
        initiative=init,
        catalog=catalog,
        design_data=data,
        indicator_values=values,
        outcomes=tuple(results),
        cascade=cascade,
        sustained_use=sustained,
        gap=gap,
        voltage=voltage,
        costs=costs,
        subgroups=subgroups,
        subgroup_notes=subgroup_notes,
        data_quality=quality,
        attrition=attrition,
        units=units,
        fingerprint=init.fingerprint(),
    )


@contextlib.contextmanager
def _where(init: Initiative, key: str, data_set: str) -> Iterator[None]:
    """Prefix a data error with the initiative file, its key and the data file."""
    where = f"{init.path.name}, {key}, data set {data_set!r} ({init.data_files[data_set].name})"
    try:
        yield
    except MissingColumnError as exc:
        context = f"{where}: {exc.context}" if exc.context else where
        raise MissingColumnError(exc.column, exc.available, context) from None
    except DataError as exc:
        raise DataError(f"{where}: {exc}") from None


def _catalog(init: Initiative) -> Catalog:
    catalog: Catalog | None = None
    for entry in init.catalog_paths():
        part = standard() if entry == "standard" else Catalog.from_yaml(entry)
        catalog = part if catalog is None else catalog.merge(part)
    assert catalog is not None
    for key in ("headline", "outcomes"):
        for ident in getattr(init.indicators, key):
            if ident in catalog:
                continue
            close = difflib.get_close_matches(ident, list(catalog), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConfigError(
                f"{init.path}: key 'indicators.{key}': indicator {ident!r} is not in the "
                f"catalog{hint} (the catalog has: {', '.join(sorted(catalog)) or 'nothing'})"
            )
    return catalog


def _check_design_columns(init: Initiative, data: pd.DataFrame) -> None:
    d = init.design
    needed = [c for c in (d.treated, d.post, d.cluster, d.time, init.columns.unit) if c]
    needed += list(d.covariates) + list(init.subgroups)
    if d.type == "pre_post" and init.columns.period:
        needed.append(init.columns.period)
    require_columns(data, needed, f"{init.path.name}, data set {d.data!r}")
    if d.type == "pre_post":
        assert init.columns.period is not None
        period = data[init.columns.period]
        for key, value in (("before", d.before), ("after", d.after)):
            if not (period.astype(str) == str(value)).any():
                raise ConfigError(
                    f"{init.path}: key 'design.{key}': no rows with "
                    f"{init.columns.period} == {value!r} in data set {d.data!r} "
                    f"(values: {', '.join(map(str, period.dropna().unique()[:10]))})"
                )
        unit = init.columns.unit
        if d.paired and unit is not None:
            rounds = period.astype(str)
            both = set(data.loc[rounds == str(d.before), unit]) & set(
                data.loc[rounds == str(d.after), unit]
            )
            if not both:
                raise ConfigError(
                    f"{init.path}: key 'design.paired': the design is paired, but no {unit} "
                    f"appears in both {d.before!r} and {d.after!r}; for independent samples "
                    "(different people at each round) write paired: false"
                )


def _group_columns(init: Initiative) -> list[str]:
    """The columns the indicator table is grouped by, for the design."""
    d = init.design
    if d.type == "did":
        return [c for c in (d.treated, d.post) if c]
    if d.type == "pre_post":
        return [init.columns.period] if init.columns.period else []
    return ["period"]


def _indicator_values(
    init: Initiative, indicators: list[Indicator], data: pd.DataFrame, confidence: float
) -> pd.DataFrame:
    d = init.design
    if d.type == "did":
        assert d.treated is not None and d.post is not None
        return compute(indicators, data, by=[d.treated, d.post], confidence=confidence)
    if d.type == "pre_post":
        assert init.columns.period is not None
        return compute(indicators, data, by=[init.columns.period], confidence=confidence)
    return compute(indicators, data, period=d.time, confidence=confidence)


def _unit_outcome(ind: Indicator, data: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``data`` in the indicator's population, with its row-level value as ``_y``."""
    ev = evaluate(ind, data)
    keep = ev["in_population"].to_numpy(dtype=bool) & ev["value"].notna().to_numpy()
    out = data.loc[keep].copy()
    out["_y"] = ev.loc[keep, "value"].astype(float).to_numpy()
    return out


def _estimate(
    init: Initiative, ind: Indicator, data: pd.DataFrame, confidence: float
) -> OutcomeResult:
    d = init.design
    label = ind.name
    try:
        if d.type == "its":
            return _estimate_its(init, ind, data, confidence)
        if ind.kind not in ESTIMABLE_KINDS:
            return OutcomeResult(
                ind,
                None,
                None,
                None,
                skipped=f"a {ind.kind} indicator has no unit-level outcome for a {d.type} design",
            )
        rows = _unit_outcome(ind, data)
        if d.type == "did":
            assert d.treated and d.post
            res = eff.did(
                rows,
                "_y",
                d.treated,
                d.post,
                unit=init.columns.unit,
                cluster=d.cluster,
                covariates=tuple(d.covariates),
                confidence=confidence,
                label=label,
            )
            effect = res.effect
            rows = rows.dropna(subset=list(d.covariates))  # the rows the regression uses
            treated = rows[d.treated].astype(float) == 1
            post = rows[d.post].astype(float) == 1
            before = float(rows.loc[treated & ~post, "_y"].mean())
            after = float(rows.loc[treated & post, "_y"].mean())
            return OutcomeResult(ind, effect, before, after, detail=res)
        # paired or independent pre/post
        assert init.columns.period is not None
        period = rows[init.columns.period].astype(str)
        b = rows.loc[period == str(d.before)]
        a = rows.loc[period == str(d.after)]
        if d.paired:
            unit = init.columns.unit
            assert unit is not None
            merged = b[[unit, "_y"]].merge(a[[unit, "_y"]], on=unit, suffixes=("_before", "_after"))
            if merged[unit].duplicated().any():
                dupes = merged.loc[merged[unit].duplicated(), unit].head(5).tolist()
                raise DataError(
                    f"{init.path.name}: units {dupes} appear more than once in a round of "
                    f"{init.columns.period!r}; a paired design needs one row per unit and round"
                )
            effect = eff.pre_post(
                merged["_y_before"],
                merged["_y_after"],
                paired=True,
                confidence=confidence,
                label=label,
            )
            before, after = float(merged["_y_before"].mean()), float(merged["_y_after"].mean())
        else:
            effect = eff.pre_post(
                b["_y"], a["_y"], paired=False, confidence=confidence, label=label
            )
            before, after = float(b["_y"].mean()), float(a["_y"].mean())
        return OutcomeResult(ind, effect, before, after)
    except EstimationError as exc:  # bad data is an error for the user, not a skipped outcome
        return OutcomeResult(ind, None, None, None, skipped=f"not estimated: {exc}")


def _its_series(
    init: Initiative, ind: Indicator, data: pd.DataFrame, confidence: float
) -> pd.DataFrame:
    d = init.design
    assert d.time is not None
    series = compute(ind, data, period=d.time, confidence=confidence)
    return series.sort_values("period").reset_index(drop=True)


def _estimate_its(
    init: Initiative, ind: Indicator, data: pd.DataFrame, confidence: float
) -> OutcomeResult:
    d = init.design
    series = _its_series(init, ind, data, confidence)
    intervention = d.intervention
    if pd.api.types.is_datetime64_any_dtype(series["period"]) or isinstance(intervention, dt.date):
        series["period"] = pd.to_datetime(series["period"])
        intervention = pd.Timestamp(intervention)
    count_family = d.family in ("poisson", "quasipoisson")
    if count_family and ind.kind not in ("rate", "ratio", "sum"):
        raise ConfigError(
            f"{init.path}: key 'design.family': {d.family} needs a count indicator "
            f"(rate, ratio or sum); {ind.id!r} is a {ind.kind}"
        )
    res = eff.its(
        series,
        "period",
        "numerator" if count_family else "value",
        intervention,
        family=d.family,  # type: ignore[arg-type]  # validated by initiative.load
        exposure="denominator" if count_family and ind.kind != "sum" else None,
        seasonality=d.seasonality,
        hac_lags=d.hac_lags,
        confidence=confidence,
        label=ind.name,
    )
    pre = series.loc[series["period"] < intervention, "value"]
    post = series.loc[series["period"] >= intervention, "value"]
    return OutcomeResult(ind, res.level_change, float(pre.mean()), float(post.mean()), detail=res)


def _adjust_and_judge(init: Initiative, results: list[OutcomeResult]) -> list[OutcomeResult]:
    estimated = [r for r in results if r.effect is not None]
    p_adj: dict[str, float] = {}
    if estimated and init.multiplicity != "none":
        table = eff.adjust(
            [r.effect for r in estimated],
            method=init.multiplicity,  # type: ignore[arg-type]  # validated by initiative.load
        )
        for r, p in zip(estimated, table["p_adjusted"], strict=True):
            p_adj[r.indicator.id] = float(p)
    out = []
    for r in results:
        if r.effect is None:
            out.append(r)
            continue
        share = is_share(r.indicator)
        v = eff.verdict(
            r.effect,
            r.indicator,
            format_value=(lambda x: f"{100 * x:.1f} pp") if share else None,
        )
        out.append(
            OutcomeResult(
                r.indicator,
                r.effect,
                r.before,
                r.after,
                p_adj.get(r.indicator.id),
                v.label,
                v.reason,
                r.detail,
            )
        )
    return out


def _voltage(init: Initiative, results: list[OutcomeResult], confidence: float) -> Any:
    assert init.lab is not None and init.lab.pilot_effect is not None
    pilot = init.lab.pilot_effect
    field_result = next((r for r in results if r.indicator.id == pilot.indicator), None)
    if field_result is None or field_result.effect is None:
        raise ConfigError(
            f"{init.path}: key 'lab.pilot_effect.indicator': {pilot.indicator!r} must be one of the "
            "outcome indicators with an estimated effect"
        )
    from scipy import stats

    # the initiative file gives published 95 % intervals (README, "The initiative file")
    se = (pilot.ci_high - pilot.ci_low) / (2 * stats.norm.ppf(0.975))
    p = float(2 * stats.norm.sf(abs(pilot.estimate) / se)) if se > 0 else float("nan")
    lab_effect = eff.Effect(
        estimate=pilot.estimate,
        se=se,
        ci_low=pilot.ci_low,
        ci_high=pilot.ci_high,
        p_value=p,
        n=pilot.n or 0,
        confidence=0.95,
        method=f"as published: {pilot.source}",
        label=f"pilot effect on {field_result.indicator.name}",
    )
    return adopt.voltage_ratio(field_result.effect, lab_effect, confidence=confidence)


def _subgroup_effects(
    init: Initiative, catalog: Catalog, data: pd.DataFrame, confidence: float
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The first headline indicator's effect within each level of each subgroup column."""
    columns = [
        "indicator",
        "subgroup",
        "level",
        "estimate",
        "ci_low",
        "ci_high",
        "p_value",
        "n",
        "method",
    ]
    if not init.subgroups:
        return pd.DataFrame(columns=columns), ()
    ind = catalog[init.indicators.headline[0]]
    notes: list[str] = []
    rows = []
    for column in init.subgroups:
        for level in sorted(data[column].dropna().unique(), key=str):
            subset = data.loc[data[column] == level]
            r = _estimate(init, ind, subset, confidence)
            if r.effect is None:
                notes.append(f"{column} = {_plain(level)}: {r.skipped}")
                continue
            rows.append(
                {
                    "indicator": ind.id,
                    "subgroup": column,
                    "level": level,
                    "estimate": r.effect.estimate,
                    "ci_low": r.effect.ci_low,
                    "ci_high": r.effect.ci_high,
                    "p_value": r.effect.p_value,
                    "n": r.effect.n,
                    "method": r.effect.method,
                }
            )
    return pd.DataFrame(rows, columns=columns), tuple(notes)


def _data_quality(init: Initiative, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows and missing values per data set and column."""
    rows = []
    for name in init.data_files:
        frame = frames[name]
        missing = frame.isna().sum()
        for column, n_missing in missing.items():
            if n_missing:
                rows.append(
                    {
                        "data set": name,
                        "column": str(column),
                        "rows": len(frame),
                        "missing": int(n_missing),
                        "share missing": n_missing / len(frame),
                    }
                )
        if not missing.any():
            rows.append(
                {
                    "data set": name,
                    "column": "(all)",
                    "rows": len(frame),
                    "missing": 0,
                    "share missing": 0.0,
                }
            )
    return pd.DataFrame(rows)


def _attrition(init: Initiative, data: pd.DataFrame) -> pd.DataFrame | None:
    """Units seen in the first round and lost by the last, per group (panels only).

    ``None`` for interrupted time series and for repeated cross-sections (independent
    samples: no unit is interviewed in both rounds), where attrition is not defined.
    """
    unit, period = init.columns.unit, init.columns.period
    if init.design.type not in ("did", "pre_post") or not unit or not period:
        return None
    first, last = _rounds(init, data)
    if first is None or last is None:
        return None
    rounds = data[period].astype(str)
    at_first_all = set(data.loc[rounds == str(first), unit])
    if not at_first_all & set(data.loc[rounds == str(last), unit]):
        return None  # a repeated cross-section
    group = init.columns.group or init.design.treated
    grouped = data.groupby([group]) if group else [(("all",), data)]
    rows = []
    for key, part in grouped:
        part_rounds = part[period].astype(str)
        at_first = set(part.loc[part_rounds == str(first), unit])
        at_last = set(part.loc[part_rounds == str(last), unit])
        lost = len(at_first - at_last)
        rows.append(
            {
                "group": key[0],
                f"units at {first}": len(at_first),
                f"units at {last}": len(at_last),
                "lost to follow-up": lost,
                "attrition": lost / len(at_first) if at_first else np.nan,
            }
        )
    return pd.DataFrame(rows)


def _units_per_group(init: Initiative, data: pd.DataFrame) -> pd.DataFrame:
    """Rows and distinct units in each group and round of the design's data.

    DiD: by arm (``columns.group`` or the treated column) and period; pre/post: by round;
    ITS: by whether the period is before or after the intervention.
    """
    d = init.design
    unit = init.columns.unit
    if d.type == "its":
        assert d.time is not None
        time = data[d.time]
        cut = pd.Timestamp(d.intervention) if time.dtype.kind == "M" else d.intervention
        keys = pd.Series(np.where(time >= cut, "after", "before"), index=data.index, name="period")
        groups = [keys]
    elif d.type == "did":
        arm = init.columns.group or d.treated
        period = init.columns.period or d.post
        groups = [data[arm], data[period]]
    else:
        assert init.columns.period is not None
        groups = [data[init.columns.period]]
    grouped = data.groupby(groups, sort=True, dropna=False)
    table = grouped.size().rename("rows").to_frame()
    if unit and unit in data:
        table["units"] = grouped[unit].nunique()
    if init.columns.group and d.type == "did" and d.cluster and d.cluster in data:
        table["clusters"] = grouped[d.cluster].nunique()
    return table.reset_index()


# ============================================================================ helpers


def _outcome_sentence(analysis: ImpactAnalysis, r: OutcomeResult) -> str:
    ind = r.indicator
    if r.effect is None:
        return f"{ind.name}: {r.skipped or 'not estimated'}."
    e = r.effect
    pct = is_share(ind)
    show = level_format(ind)
    change = (
        f"{100 * e.estimate:+.1f} percentage points" if pct else f"{e.estimate:+.3g} {ind.unit}"
    )
    ci = (
        f"{100 * e.confidence:g} % CI {100 * e.ci_low:+.1f} to {100 * e.ci_high:+.1f}"
        if pct
        else fmt_ci(e.ci_low, e.ci_high, confidence=e.confidence)
    )
    design = {
        "did": "relative to the comparison group (difference-in-differences)",
        "pre_post": "from before to after",
        "its": "at the intervention, against the pre-intervention trend (interrupted time series)",
    }[analysis.initiative.design.type]
    return (
        f"{ind.name} went from {show(r.before)} to {show(r.after)}; the change {design} is "
        f"{change} ({ci})."
    )


def is_share(indicator: Indicator) -> bool:
    """Whether the indicator's values are shares, shown as percentages and changes in points:
    every proportion, and a ratio or mean whose unit says "share", "proportion" or "percent"."""
    if indicator.kind == "proportion":
        return True
    unit = indicator.unit.lower()
    return indicator.kind in ("ratio", "mean") and unit.startswith(
        ("share", "proportion", "percent")
    )


def level_format(indicator: Indicator) -> Callable[[Any], str]:
    """How a value of the indicator is printed: a percentage for shares, else 3 digits."""
    return fmt_pct if is_share(indicator) else fmt


def _rounds(init: Initiative, data: pd.DataFrame) -> tuple[Any, Any]:
    """The before and after rounds (values of the period column) of a panel design."""
    d, period = init.design, init.columns.period
    if d.type == "pre_post":
        return d.before, d.after
    assert d.post is not None and period is not None
    post = pd.to_numeric(data[d.post], errors="coerce")
    before = pd.unique(data.loc[post == 0, period].dropna())
    after = pd.unique(data.loc[post == 1, period].dropna())
    if len(before) == 0 or len(after) == 0:
        return None, None
    return before[0], after[-1]


def _rescale_interval(lab: Any, confidence: float) -> tuple[float, float]:
    """The lab's published 95 % interval widened or narrowed to ``confidence`` (normal scale)."""
    from scipy import stats

    factor = stats.norm.ppf(0.5 + confidence / 2) / stats.norm.ppf(0.975)
    low = lab.efficacy - (lab.efficacy - lab.ci_low) * factor
    high = lab.efficacy + (lab.ci_high - lab.efficacy) * factor
    return max(low, 0.0), min(high, 1.0)


def multiplicity_words(method: str) -> str:
    """The multiplicity correction in words, for sentences and the methods note."""
    return {
        "fdr_bh": "the Benjamini–Hochberg false discovery rate",
        "holm": "Holm's step-down method",
        "bonferroni": "Bonferroni's method",
        "none": "no correction (the initiative file chose none)",
    }[method]


def _frameworks(ind: Indicator) -> str:
    return "; ".join(f"{k}:{v}" for k, v in (ind.frameworks or {}).items())


def _column_name(analysis: ImpactAnalysis, column: str) -> str:
    """``period`` in the indicator table is the design's time column for ITS."""
    if column == "period" and analysis.initiative.design.time:
        return analysis.initiative.design.time
    return column


def _plain(value: Any) -> str:
    """A group value as text: dates as ISO dates, whole floats without ``.0``."""
    if isinstance(value, dt.datetime):  # pandas Timestamps included
        midnight = value.hour == value.minute == value.second == value.microsecond == 0
        return value.date().isoformat() if midnight else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _count(value: Any) -> int | None:
    number = _num(value)
    return None if number is None or math.isnan(number) else int(round(number))


def _num(value: Any) -> float | None:
    if value is None:
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v


def _json_default(value: Any) -> Any:
    if isinstance(value, np.integer | np.floating):
        return value.item()
    if isinstance(value, dt.date | pd.Timestamp):
        return value.isoformat()
    return str(value)


def _version() -> str:
    from . import __version__

    return __version__
