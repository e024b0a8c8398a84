"""The numbers behind the report's district maps (``geography:`` in the initiative file).

Two layers, each one value per area with its interval and the number of respondents:

- the first headline indicator, computed by :func:`impactkit.compute` within each area of the
  ``geography.data`` data set (default: the design's), at the last round of a panel, after the
  intervention of a time series, or over all rows where neither applies;
- the share of the target population at the cascade's last stage, by
  :func:`impactkit.cascade` within each area (Wilson intervals).

Every area named in the data must be a feature of the GeoJSON file; otherwise
:class:`~impactkit.errors.AreaKeyError` lists the unmatched names and the features there are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from .. import adoption as adopt
from ..errors import AreaKeyError, ConfigError, MissingColumnError
from ..indicators import compute
from ..portfolio.geo import Area, read_geojson
from .results_table import plain
from .words import is_share

if TYPE_CHECKING:
    from ..indicators import Catalog
    from ..initiative import Geography, Initiative
    from .designs import DesignRunner

__all__ = ["AreaLayer", "AreaMaps", "area_maps"]

_COLUMNS = ["area", "value", "ci_low", "ci_high", "n"]


@dataclass(frozen=True, eq=False)
class AreaLayer:
    """One map: ``values`` has one row per area (``area``, ``value``, ``ci_low``,
    ``ci_high``, ``n`` = respondents with a value)."""

    title: str
    caption: str
    values: pd.DataFrame
    pct: bool
    label: str


@dataclass(frozen=True, eq=False)
class AreaMaps:
    """The areas to draw (those the data or ``location.admin_areas`` name) and the layers."""

    areas: tuple[Area, ...]
    column: str
    layers: tuple[AreaLayer, ...]
    notes: tuple[str, ...] = ()


def area_maps(
    init: Initiative,
    catalog: Catalog,
    frames: Mapping[str, pd.DataFrame],
    runner: DesignRunner,
    confidence: float,
) -> AreaMaps | None:
    """The map layers of ``init.geography`` (``None`` without that key)."""
    geo = init.geography
    if geo is None:
        return None
    features = read_geojson(geo.file, geo.key)
    layers: list[AreaLayer] = []
    notes: list[str] = []
    named: list[str] = []
    for build in (_headline_layer, _cascade_layer):
        layer, note = build(init, catalog, frames, runner, confidence)
        if layer is not None:
            _check_names(init, geo, features, layer)
            named += [str(a) for a in layer.values["area"]]
            layers.append(layer)
        if note:
            notes.append(note)
    served = init.location.admin_areas if init.location is not None else ()
    wanted = set(named) | set(served)
    areas = tuple(a for a in features if a.name in wanted)
    return AreaMaps(areas, geo.column, tuple(layers), tuple(notes))


def _check_names(init: Initiative, geo: Geography, features: list[Area], layer: AreaLayer) -> None:
    known = {a.name for a in features}
    unmatched = [str(a) for a in layer.values["area"] if str(a) not in known]
    if unmatched:
        raise AreaKeyError(
            f"{init.path}: key 'geography': the data name area(s) "
            f"{', '.join(map(repr, unmatched))} in column {geo.column!r} that have no feature "
            f"with that {geo.key!r} in {geo.file.name}; its features are "
            f"{', '.join(repr(a.name) for a in features)}"
        )


def _headline_layer(
    init: Initiative,
    catalog: Catalog,
    frames: Mapping[str, pd.DataFrame],
    runner: DesignRunner,
    confidence: float,
) -> tuple[AreaLayer | None, str]:
    geo = init.geography
    assert geo is not None
    name = geo.data or init.design.data
    data = frames[name]
    ind = catalog[init.indicators.headline[0]]
    if geo.column not in data.columns:
        return None, (
            f"No map of {ind.name}: data set {name!r} has no column {geo.column!r} "
            "(name another data set with geography.data)."
        )
    subset, when = _latest(init, runner, data, name)
    try:
        table = compute(ind, subset, by=geo.column, confidence=confidence)
    except MissingColumnError as exc:
        raise ConfigError(
            f"{init.path}: key 'geography.data': indicator {ind.id!r} cannot be computed on "
            f"data set {name!r}: {exc}"
        ) from None
    values = pd.DataFrame(
        {
            "area": [plain(v) for v in table[geo.column]],
            "value": table["value"].astype(float),
            "ci_low": table["ci_low"].astype(float),
            "ci_high": table["ci_high"].astype(float),
            "n": table["n"].astype(int),
        }
    )
    unit = ind.unit
    return (
        AreaLayer(
            title=f"{ind.name} by {geo.column}, {when}",
            caption=(
                f"{ind.name} ({unit}) in each {geo.column}, {when}, computed from data set "
                f"{name!r}; n is the number of respondents with a value."
            ),
            values=values,
            pct=is_share(ind),
            label=unit,
        ),
        "",
    )


def _latest(
    init: Initiative, runner: DesignRunner, data: pd.DataFrame, name: str
) -> tuple[pd.DataFrame, str]:
    """The rows at the end of the period: the last round of a panel, the months after a time
    series' intervention, else every row."""
    period = init.columns.period
    if name == init.design.data and period is not None and period in data.columns:
        rounds = runner.rounds(init, data)
        if rounds is not None:
            return data.loc[data[period] == rounds[1]], f"at {period} {plain(rounds[1])}"
    time, start = getattr(init.design, "time", None), getattr(init.design, "intervention", None)
    if time is not None and start is not None and time in data.columns:
        column = data[time]
        if pd.api.types.is_datetime64_any_dtype(column):
            start = pd.Timestamp(start)
        try:
            after = data.loc[column >= start]
        except TypeError:
            after = data.iloc[0:0]
        if len(after):
            return after, f"from the intervention ({plain(start)}) on"
    return data, "over every row of the data"


def _cascade_layer(
    init: Initiative,
    catalog: Catalog,
    frames: Mapping[str, pd.DataFrame],
    runner: DesignRunner,
    confidence: float,
) -> tuple[AreaLayer | None, str]:
    spec, geo = init.cascade, init.geography
    assert geo is not None
    if spec is None:
        return None, ""
    data = frames[spec.data]
    if geo.column not in data.columns:
        return None, (
            f"No map of the cascade: data set {spec.data!r} has no column {geo.column!r}."
        )
    target: Any = spec.target if spec.by == geo.column else None
    casc = adopt.cascade(
        data,
        list(spec.stages),
        by=geo.column,
        unit=spec.unit,
        labels=dict(spec.labels) or None,
        target=target,
        confidence=confidence,
    )
    by_group = casc.by_group
    assert by_group is not None
    last = by_group.loc[by_group["stage"] == spec.stages[-1]]
    rows = data[geo.column].map(plain).value_counts()
    areas = [plain(g) for g in last["group"]]
    values = pd.DataFrame(
        {
            "area": areas,
            "value": last["share_of_target"].astype(float).to_numpy(),
            "ci_low": last["share_of_target_ci_low"].astype(float).to_numpy(),
            "ci_high": last["share_of_target_ci_high"].astype(float).to_numpy(),
            "n": [int(rows.get(a, 0)) for a in areas],
        }
    )
    label = spec.labels.get(spec.stages[-1], spec.stages[-1])
    whom = "the target population given for each area" if target is not None else "its rows"
    return (
        AreaLayer(
            title=f"{label} by {geo.column}",
            caption=(
                f"Share of {whom} in each {geo.column} at the cascade's last stage "
                f"({label}), data set {spec.data!r}; n is the number of rows (people) there."
            ),
            values=values,
            pct=True,
            label="share of target",
        ),
        "",
    )
