""":func:`analyse`: read an initiative's data and compute every number of its report.

The steps follow the data flow::

    indicators (values by period and group)
      -> effects (one per outcome indicator, by the design's runner; multiplicity; verdicts)
      -> adoption (cascade, sustained use, lab-to-real-world gap, voltage ratio, costs)
      -> subgroups and data quality
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pandas as pd

from .. import effects as eff
from .._checks import check_confidence, require_columns
from .._display import fmt
from ..catalogs import standard
from ..effects._variation import NO_VARIATION
from ..errors import ConfigError, DataError, EstimationError, MissingColumnError
from ..indicators import Catalog, Indicator
from ..initiative import Initiative
from ..initiative import load as load_initiative
from ..readers import ValueLabels
from . import lab_and_adoption as steps
from . import quality
from .data_errors import text_in_numbers
from .data_sets import DataSets, data_dictionary, load_data_sets
from .designs import DesignRunner, runner_for
from .geography import area_maps
from .labels import display_labels
from .model import ImpactAnalysis
from .outcome import OutcomeResult
from .results_table import plain
from .scale import absolute_mmc
from .words import is_share

if TYPE_CHECKING:
    from ..adoption import Cascade, SustainedUse

__all__ = ["analyse"]


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
    runner = runner_for(init.design)
    catalog = _catalog(init)
    data_sets = load_data_sets(init)  # each file read once
    frames = data_sets.frames
    data = frames[init.design.data]
    labels = data_sets.labels[init.design.data]
    require_columns(
        data, runner.required_columns(init), f"{init.path.name}, data set {init.design.data!r}"
    )
    runner.check_data(init, data)

    indicators = [catalog[i] for i in init.indicators.outcomes]
    table = data_sets.tables[init.design.data]
    with _where(init, "indicators", init.design.data):
        with text_in_numbers(table, {c for i in indicators for c in i.columns}, "indicators"):
            values = runner.indicator_values(init, indicators, data, confidence)
    results = []
    for ind in indicators:
        where = f"design ({init.design.type}) for indicator {ind.id!r}"
        with _where(init, where, init.design.data), text_in_numbers(table, ind.columns, where):
            results.append(_estimate(runner, init, ind, data, confidence))
    results = _unweighted_note(init, results)
    results = _adjust_and_judge(init, results)
    cascade, sustained = _adoption(init, data_sets, confidence)
    gap = steps.gap(init, cascade, confidence)
    voltage = steps.voltage(init, results, confidence)
    costs = steps.costs(init, cascade)
    subgroups, subgroup_notes = _subgroup_effects(runner, init, catalog, data, confidence, labels)
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
        data_quality=quality.data_quality(init, frames),
        attrition=_labelled_attrition(init, runner, data, labels),
        units=display_labels(quality.units_per_group(init, runner, data), labels),
        design_strata=quality.design_strata(init, data),
        missing_codes=data_sets.missing_codes(),
        data_dictionary=data_dictionary(init, indicators, data_sets, runner.required_columns(init)),
        data_notes=data_sets.notes(),
        labels=labels,
        fingerprint=init.fingerprint(),
        created=init.report_day(),
        confidence=confidence,
        maps=area_maps(init, catalog, frames, runner, confidence),
    )


def _adoption(
    init: Initiative, data_sets: DataSets, confidence: float
) -> tuple[Cascade | None, SustainedUse | None]:
    """The cascade and sustained use, their ``by`` groups named by their labels."""
    frames = data_sets.frames
    cascade = sustained = None
    if init.cascade is not None:
        spec = init.cascade
        named = {spec.data: _by_labelled(data_sets, spec.data, spec.by)}
        with _where(init, "adoption.cascade", spec.data):
            cascade = steps.cascade(init, {**frames, **named}, confidence)
    if init.sustained_use is not None:
        s = init.sustained_use
        named = {s.data: _by_labelled(data_sets, s.data, s.by)}
        with _where(init, "adoption.sustained_use", s.data):
            sustained = steps.sustained_use(init, {**frames, **named}, confidence)
    return cascade, sustained


def _by_labelled(data_sets: DataSets, name: str, by: str | None) -> pd.DataFrame:
    frame = data_sets.tables[name].frame
    return frame if by is None else display_labels(frame, data_sets.labels[name], [by])


def _labelled_attrition(
    init: Initiative, runner: DesignRunner, data: pd.DataFrame, labels: ValueLabels
) -> pd.DataFrame | None:
    table = quality.attrition(init, runner, data)
    arm = runner.arm(init)
    if table is None or arm is None:
        return table
    return display_labels(table, labels, {"group": arm})


@contextlib.contextmanager
def _where(init: Initiative, key: str, data_set: str) -> Iterator[None]:
    """Prefix a data error with the initiative file, its key and the data file."""
    try:
        yield
    except MissingColumnError as exc:
        where = _place(init, key, data_set)
        context = f"{where}: {exc.context}" if exc.context else where
        raise MissingColumnError(exc.column, exc.available, context) from None
    except DataError as exc:
        raise DataError(f"{_place(init, key, data_set)}: {exc}") from None


def _place(init: Initiative, key: str, data_set: str) -> str:
    return f"{init.path.name}, {key}, data set {data_set!r} ({init.data_files[data_set].name})"


def _catalog(init: Initiative) -> Catalog:
    """The initiative's catalogs merged; every indicator it names must be there."""
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


def _estimate(
    runner: DesignRunner, init: Initiative, ind: Indicator, data: pd.DataFrame, confidence: float
) -> OutcomeResult:
    """The runner's estimate; an estimator that cannot estimate gives a skipped outcome."""
    try:
        return runner.estimate(init, ind, data, confidence)
    except EstimationError as exc:  # bad data is an error for the user, not a skipped outcome
        text = str(exc)
        if text.startswith(NO_VARIATION):
            return OutcomeResult(ind, None, None, None, verdict="not estimable", skipped=text)
        return OutcomeResult(
            ind, None, None, None, verdict="not estimated", skipped=f"not estimated: {text}"
        )


def _unweighted_note(init: Initiative, results: list[OutcomeResult]) -> list[OutcomeResult]:
    """Say so when the design's data have survey weights: the indicator tables use them,
    the effect estimates do not yet (no weighted regression), so nothing is silent."""
    from dataclasses import replace

    design = init.sampling_of(init.design.data)
    if design is None or design.weights is None:
        return results
    note = (
        f"The change is estimated without the survey weights ({design.weights!r}): the "
        "indicator tables use them, the effect estimate does not (weighted regression is not "
        "implemented yet); clustering follows the sampling units."
    )
    return [
        r
        if r.effect is None
        else replace(r, effect=replace(r.effect, notes=(*r.effect.notes, note)))
        for r in results
    ]


def _adjust_and_judge(init: Initiative, results: list[OutcomeResult]) -> list[OutcomeResult]:
    """Multiplicity-adjusted p-values and a verdict for every estimated outcome."""
    estimated = [r for r in results if r.effect is not None]
    p_adj: dict[str, float] = {}
    if estimated and init.multiplicity != "none":
        table = eff.adjust(
            [r.effect for r in estimated if r.effect is not None],
            method=init.multiplicity,  # type: ignore[arg-type]  # validated by initiative.load
        )
        for r, p in zip(estimated, table["p_adjusted"], strict=True):
            p_adj[r.indicator.id] = float(p)
    out = []
    for r in results:
        if r.effect is None:
            out.append(r)
            continue
        mmc = absolute_mmc(r)
        v = eff.verdict(
            r.effect,
            r.indicator,
            minimum_meaningful_change=mmc,
            format_value=_change_format(r.indicator),
        )
        out.append(
            dataclasses.replace(
                r, p_adjusted=p_adj.get(r.indicator.id), verdict=v.label, reason=v.reason, mmc=mmc
            )
        )
    return out


def _change_format(ind: Indicator) -> Callable[[float], str] | None:
    """Changes in percentage points for shares, else with the indicator's unit."""
    if is_share(ind):
        return lambda x: f"{100 * x:.1f} pp"
    return lambda x: f"{fmt(x)} {ind.unit}"


SUBGROUP_COLUMNS = (
    "indicator",
    "subgroup",
    "level",
    "estimate",
    "ci_low",
    "ci_high",
    "p_value",
    "n",
    "method",
)


def _subgroup_effects(
    runner: DesignRunner,
    init: Initiative,
    catalog: Catalog,
    data: pd.DataFrame,
    confidence: float,
    labels: ValueLabels,
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The first headline indicator's effect within each level of each subgroup column."""
    columns = list(SUBGROUP_COLUMNS)
    if not init.subgroups:
        return pd.DataFrame(columns=columns), ()
    ind = catalog[init.indicators.headline[0]]
    notes: list[str] = []
    rows = []
    for column in init.subgroups:
        levels = sorted(data[column].dropna().unique(), key=str)
        names = _level_names(column, levels, labels)
        for level in levels:
            r = _estimate(runner, init, ind, data.loc[data[column] == level], confidence)
            shown = names.get(level, level)
            if r.effect is None:
                named = names.get(level, f"{column} = {plain(level)}")
                notes.append(f"{named}: {r.skipped}")
                continue
            e = r.effect
            rows.append(
                dict(
                    zip(
                        columns,
                        (ind.id, column, shown, e.estimate, e.ci_low, e.ci_high, e.p_value)
                        + (e.n, e.method),
                        strict=True,
                    )
                )
            )
    return pd.DataFrame(rows, columns=columns), tuple(notes)


def _level_names(column: str, levels: list[object], labels: ValueLabels) -> dict[object, str]:
    """Each labelled level of a subgroup column with its label (unlabelled: not listed)."""
    if column not in labels:
        return {}
    shown = display_labels(pd.DataFrame({column: levels}), labels)[column]
    return {
        level: str(name)
        for level, name in zip(levels, shown, strict=True)
        if str(name) != plain(level)
    }
