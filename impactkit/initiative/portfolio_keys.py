"""The portfolio keys of an initiative file: where it works, what it serves, who pays.

``location`` (ISO 3166 country code, region, admin area names, points, a GeoJSON file of the
areas served), ``impact_areas`` (SDG goals and targets, IRIS+ impact categories, the Impact
Management Project's five dimensions), ``asset_class``, ``sector``, ``funder`` and
``geography`` (the GeoJSON file and key that the report's district maps use).  All are
optional.  Every error is a :class:`~impactkit.errors.ConfigError` naming the file and the
key; GeoJSON files are read (and their keys matched) when the initiative is loaded, so a bad
file stops the build before any analysis runs.

The records reuse :class:`~impactkit.portfolio.records.Location` and
:class:`~impactkit.portfolio.records.ImpactAreas`, so the initiative file, ``results.json``
and the portfolio describe a place and an impact area with the same types.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import PortfolioError
from ..portfolio.geo import Area, match_areas, read_geojson
from ..portfolio.records import ImpactAreas, Location, Point
from ._reader import Section

__all__ = [
    "PORTFOLIO_KEYS",
    "ASSET_CLASSES",
    "IMP_DIMENSIONS",
    "Geography",
    "PortfolioKeys",
    "parse_portfolio_keys",
]

#: Top-level keys this module reads.
PORTFOLIO_KEYS = ("location", "impact_areas", "asset_class", "sector", "funder", "geography")
#: How the initiative is financed (``asset_class``); ``_`` and case are ignored.
ASSET_CLASSES = (
    "grant",
    "loan",
    "equity",
    "quasi-equity",
    "guarantee",
    "bond",
    "public budget",
    "results-based financing",
    "in-kind",
    "blended",
    "other",
)
#: The Impact Management Project's five dimensions of impact (impactmanagementproject.com).
IMP_DIMENSIONS = ("what", "who", "how_much", "contribution", "risk")
_COUNTRY = re.compile(r"^[A-Z]{2,3}$")
_SDG_TARGET = re.compile(r"^([0-9]{1,2})\.([0-9]{1,2}|[a-z])(\.[0-9]{1,2})?$")


@dataclass(frozen=True)
class Geography:
    """The areas of the report's maps: GeoJSON ``file`` whose feature property ``key``
    names an area, matched against the values of ``column`` (default: ``key``) in data set
    ``data`` (default: the design's data set)."""

    file: Path
    key: str
    column: str
    data: str | None = None


@dataclass(frozen=True)
class PortfolioKeys:
    """The portfolio keys of one initiative file (each ``None`` / empty when absent)."""

    location: Location | None = None
    impact_areas: ImpactAreas | None = None
    asset_class: str | None = None
    sector: str | None = None
    funder: str | None = None
    geography: Geography | None = None


def parse_portfolio_keys(top: Section, data_sets: tuple[str, ...]) -> PortfolioKeys:
    """Read and check the portfolio keys of the top-level section ``top``."""
    return PortfolioKeys(
        location=_location(top),
        impact_areas=_impact_areas(top),
        asset_class=_asset_class(top),
        sector=top.text("sector"),
        funder=top.text("funder"),
        geography=_geography(top, data_sets),
    )


# ------------------------------------------------------------------ location


def _location(top: Section) -> Location | None:
    loc = top.section("location", ("country", "region", "admin_areas", "points", "geojson"))
    if loc is None:
        return None
    country = _check_country(loc)
    admin_areas = loc.names("admin_areas")
    points = _check_points(loc)
    geo_file, geo_key = None, None
    geo = loc.section("geojson", ("file", "key"))
    if geo is not None:
        geo_key = geo.text("key", default="name") or "name"
        geo_file = _geojson_file(geo, "location.geojson")
        areas = _read_areas(geo, "location.geojson", geo_file, geo_key)
        if admin_areas:
            _match(loc, "location.admin_areas", areas, admin_areas, geo_file)
    return Location(country, loc.text("region"), admin_areas, points, geo_file, geo_key)


def _check_country(loc: Section) -> str | None:
    country = loc.text("country")
    if country is None:
        return None
    code = country.upper()
    if not _COUNTRY.fullmatch(code):
        raise loc.error(
            "location.country",
            f"expected an ISO 3166-1 alpha-2 or alpha-3 code such as KE or KEN, got {country!r}",
        )
    return code


def _check_points(loc: Section) -> tuple[Point, ...]:
    raw = loc.get("points")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise loc.error("location.points", f"expected a list of {{lat, lon, name}}, got {raw!r}")
    points = []
    for i, item in enumerate(raw):
        point = Section(item, f"location.points[{i}]", loc.file, ("lat", "lon", "name"))
        lat = _coordinate(point, "lat", 90.0)
        lon = _coordinate(point, "lon", 180.0)
        points.append(Point(lat, lon, point.text("name", default="") or ""))
    return tuple(points)


def _coordinate(point: Section, name: str, bound: float) -> float:
    value = point.number(name, required=True)
    assert value is not None
    if not math.isfinite(value) or abs(value) > bound:
        raise point.error(
            point.key(name),
            f"is {value:g}; expected decimal degrees in [-{bound:g}, {bound:g}] (WGS 84)",
        )
    return value


# ------------------------------------------------------------------ impact areas


def _impact_areas(top: Section) -> ImpactAreas | None:
    keys = ("sdg_goals", "sdg_targets", "iris_categories", "imp_dimensions")
    section = top.section("impact_areas", keys)
    if section is None:
        return None
    targets = _check_targets(section)
    goals = set(_check_goals(section)) | {int(t.split(".")[0]) for t in targets}
    dimensions = section.names("imp_dimensions")
    unknown = [d for d in dimensions if d not in IMP_DIMENSIONS]
    if unknown:
        raise section.error(
            "impact_areas.imp_dimensions",
            f"{unknown[0]!r} is not one of the five IMP dimensions: {', '.join(IMP_DIMENSIONS)}",
        )
    return ImpactAreas(
        tuple(sorted(goals)), targets, section.names("iris_categories"), tuple(dimensions)
    )


def _check_goals(section: Section) -> tuple[int, ...]:
    raw = section.get("sdg_goals")
    values = raw if isinstance(raw, list) else ([] if raw is None else [raw])
    for goal in values:
        if isinstance(goal, bool) or not isinstance(goal, int) or not 1 <= goal <= 17:
            raise section.error(
                "impact_areas.sdg_goals", f"expected goal numbers 1 to 17, got {goal!r}"
            )
    return tuple(values)


def _check_targets(section: Section) -> tuple[str, ...]:
    raw = section.get("sdg_targets")
    values = raw if isinstance(raw, list) else ([] if raw is None else [raw])
    out = []
    for target in values:
        if isinstance(target, float):
            raise section.error(
                "impact_areas.sdg_targets",
                f"{target!r} is a number; write SDG targets in quotes, e.g. '6.1' or '17.10' "
                "(as a number, 17.10 would become 17.1)",
            )
        match = _SDG_TARGET.fullmatch(str(target).strip())
        if match is None or not 1 <= int(match.group(1)) <= 17:
            raise section.error(
                "impact_areas.sdg_targets",
                f"expected SDG targets or indicators such as '3.2', '6.a' or '6.1.1' "
                f"(goal 1 to 17), got {target!r}",
            )
        out.append(str(target).strip())
    return tuple(out)


def _asset_class(top: Section) -> str | None:
    value = top.text("asset_class")
    if value is None:
        return None
    word = " ".join(value.replace("_", " ").lower().split())
    if word not in ASSET_CLASSES:
        raise top.error("asset_class", f"expected one of {', '.join(ASSET_CLASSES)}; got {value!r}")
    return word


# ------------------------------------------------------------------ geography


def _geography(top: Section, data_sets: tuple[str, ...]) -> Geography | None:
    geo = top.section("geography", ("file", "key", "column", "data"))
    if geo is None:
        return None
    key = geo.text("key", required=True) or ""
    file = _geojson_file(geo, "geography")
    _read_areas(geo, "geography", file, key)
    data = geo.text("data")
    if data is not None and data not in data_sets:
        raise geo.error("geography.data", f"no data set {data!r}; declared: {', '.join(data_sets)}")
    return Geography(file, key, geo.text("column") or key, data)


def _geojson_file(section: Section, where: str) -> Path:
    rel = section.text("file", required=True) or ""
    file = (section.file.parent / rel).resolve()
    if file.suffix.lower() not in (".geojson", ".json"):
        raise section.error(f"{where}.file", f"expected a .geojson or .json file, got {rel!r}")
    if not file.is_file():
        raise section.error(f"{where}.file", f"file not found: {file}")
    return file


def _read_areas(section: Section, where: str, file: Path, key: str) -> list[Area]:
    try:
        return read_geojson(file, key)
    except PortfolioError as exc:
        raise section.error(f"{where}.file", str(exc)) from None


def _match(
    section: Section, where: str, areas: list[Area], names: Sequence[str], file: Path
) -> None:
    try:
        match_areas(areas, names, file)
    except PortfolioError as exc:
        raise section.error(where, str(exc)) from None
