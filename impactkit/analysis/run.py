""":func:`analyse`: read an initiative's data and compute every number of its report.

The steps follow the data flow::

    indicators (values by period and group)
      -> effects (one per outcome indicator, by the design's runner; multiplicity; verdicts)
      -> adoption (cascade, sustained use, lab-to-real-world gap, voltage ratio, costs)
      -> subgroups and data quality
"""

from __future__ import annotations

import contextlib
import difflib
import os
from collections.abc import Iterator

import pandas as pd

from .. import effects as eff
from .._checks import check_confidence, require_columns
from ..catalogs import standard
from ..errors import ConfigError, DataError, EstimationError, MissingColumnError
from ..indicators import Catalog, Indicator
from ..initiative import Initiative
from ..initiative import load as load_initiative
from . import lab_and_adoption as steps
from . import quality
from .designs import DesignRunner, runner_for
from .model import ImpactAnalysis
from .outcome import OutcomeResult
from .results_table import plain
from .words import is_share

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
    frames = {name: init.load_data(name) for name in init.data_files}  # each file read once
    data = frames[init.design.data]
    require_columns(
        data, runner.required_columns(init), f"{init.path.name}, data set {init.design.data!r}"
    )
    runner.check_data(init, data)

    indicators = [catalog[i] for i in init.indicators.outcomes]
    values = runner.indicator_values(init, indicators, data, confidence)
    results = []
    for ind in indicators:
        where = f"design ({init.design.type}) for indicator {ind.id!r}"
        with _where(init, where, init.design.data):
            results.append(_estimate(runner, init, ind, data, confidence))
    results = _adjust_and_judge(init, results)

    cascade = sustained = None
    if init.cascade is not None:
        with _where(init, "adoption.cascade", init.cascade.data):
            cascade = steps.cascade(init, frames, confidence)
    if init.sustained_use is not None:
        with _where(init, "adoption.sustained_use", init.sustained_use.data):
            sustained = steps.sustained_use(init, frames, confidence)
    gap = steps.gap(init, cascade, confidence)
    voltage = steps.voltage(init, results, confidence)
    costs = steps.costs(init, cascade)
    subgroups, subgroup_notes = _subgroup_effects(runner, init, catalog, data, confidence)
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
        attrition=quality.attrition(init, runner, data),
        units=quality.units_per_group(init, runner, data),
        fingerprint=init.fingerprint(),
        created=init.report_day(),
        confidence=confidence,
    )


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
        return OutcomeResult(ind, None, None, None, skipped=f"not estimated: {exc}")


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
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The first headline indicator's effect within each level of each subgroup column."""
    columns = list(SUBGROUP_COLUMNS)
    if not init.subgroups:
        return pd.DataFrame(columns=columns), ()
    ind = catalog[init.indicators.headline[0]]
    notes: list[str] = []
    rows = []
    for column in init.subgroups:
        for level in sorted(data[column].dropna().unique(), key=str):
            r = _estimate(runner, init, ind, data.loc[data[column] == level], confidence)
            if r.effect is None:
                notes.append(f"{column} = {plain(level)}: {r.skipped}")
                continue
            e = r.effect
            rows.append(
                dict(
                    zip(
                        columns,
                        (ind.id, column, level, e.estimate, e.ci_low, e.ci_high, e.p_value)
                        + (e.n, e.method),
                        strict=True,
                    )
                )
            )
    return pd.DataFrame(rows, columns=columns), tuple(notes)
