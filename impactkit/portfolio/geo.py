"""GeoJSON areas for portfolio maps: read, validate, match keys, project to SVG.

Only files on disk are read (an initiative's own GeoJSON or the fictional districts shipped
in ``sample_data/geo/``); nothing is downloaded.  Coordinates are WGS 84 longitude/latitude
(RFC 7946).  The map projection is equirectangular (plate carrée): x proportional to
longitude, y to latitude, which is enough to place initiatives relative to each other.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from impactkit.errors import CoordinateError, GeoKeyError, PortfolioError

__all__ = ["Area", "read_geojson", "match_areas", "Projection", "Ring"]

Ring = tuple[tuple[float, float], ...]  # (lon, lat) pairs


@dataclass(frozen=True)
class Area:
    """One named area: its polygons' outer rings (holes are not drawn)."""

    name: str
    rings: tuple[Ring, ...]


def read_geojson(path: str | Path, key: str) -> list[Area]:
    """Read a GeoJSON FeatureCollection of Polygon/MultiPolygon features named by ``key``.

    Raises :class:`PortfolioError` (file, feature and what was expected) or
    :class:`CoordinateError` for a position outside [-180, 180] x [-90, 90].
    """
    source = Path(path)
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PortfolioError(f"{source}: no such GeoJSON file") from None
    except json.JSONDecodeError as exc:
        raise PortfolioError(f"{source}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(data, Mapping) or data.get("type") != "FeatureCollection":
        raise PortfolioError(f"{source}: expected a GeoJSON FeatureCollection at the top level")
    areas = []
    for i, feature in enumerate(data.get("features", [])):
        props = feature.get("properties") or {}
        if key not in props:
            raise PortfolioError(
                f"{source}: features[{i}] has no property {key!r}; it has {sorted(props)}"
            )
        rings = _rings(feature.get("geometry") or {}, f"{source}: features[{i}]")
        areas.append(Area(str(props[key]), rings))
    if not areas:
        raise PortfolioError(f"{source}: the FeatureCollection has no features")
    return areas


def _rings(geometry: Mapping[str, Any], where: str) -> tuple[Ring, ...]:
    kind = geometry.get("type")
    coords = geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [coords]
    elif kind == "MultiPolygon":
        polygons = list(coords or [])
    else:
        raise PortfolioError(f"{where}: geometry type {kind!r}; expected Polygon or MultiPolygon")
    rings = []
    for polygon in polygons:
        if not polygon:
            raise PortfolioError(f"{where}: a polygon without coordinates")
        rings.append(tuple(_position(p, where) for p in polygon[0]))
    return tuple(rings)


def _position(position: Sequence[float], where: str) -> tuple[float, float]:
    try:
        lon, lat = float(position[0]), float(position[1])
    except (TypeError, ValueError, IndexError):
        raise PortfolioError(
            f"{where}: position {position!r} is not [longitude, latitude]"
        ) from None
    if not (math.isfinite(lon) and math.isfinite(lat) and abs(lon) <= 180 and abs(lat) <= 90):
        raise CoordinateError(
            f"{where}: position [{lon}, {lat}] is outside longitude [-180, 180] / latitude [-90, 90]"
        )
    return lon, lat


def match_areas(areas: Sequence[Area], names: Iterable[str], source: str | Path = "") -> list[Area]:
    """The areas named by ``names``; :class:`GeoKeyError` lists names with no matching feature."""
    by_name = {a.name: a for a in areas}
    wanted = list(names)
    missing = [n for n in wanted if n not in by_name]
    if missing:
        where = f"{source}: " if source else ""
        raise GeoKeyError(
            f"{where}no GeoJSON feature for {', '.join(repr(m) for m in missing)}; "
            f"the features are {', '.join(repr(a.name) for a in areas)}"
        )
    return [by_name[n] for n in wanted]


@dataclass(frozen=True)
class Projection:
    """Equirectangular projection of a lon/lat box onto a ``width`` x ``height`` canvas."""

    lon_min: float
    lon_max: float
    lat_min: float
    lat_max: float
    width: float
    height: float

    @classmethod
    def fit(
        cls, positions: Iterable[tuple[float, float]], width: float, height: float
    ) -> Projection:
        """The box around ``positions`` (lon, lat), padded by 10 %, at least 1 degree wide."""
        pts = list(positions)
        if not pts:
            return cls(-180, 180, -90, 90, width, height)
        lons = [p[0] for p in pts]
        lats = [p[1] for p in pts]
        span = max(max(lons) - min(lons), (max(lats) - min(lats)) * width / height, 1.0) * 1.2
        lon_c, lat_c = (max(lons) + min(lons)) / 2, (max(lats) + min(lats)) / 2
        lat_span = span * height / width
        return cls(
            lon_c - span / 2,
            lon_c + span / 2,
            lat_c - lat_span / 2,
            lat_c + lat_span / 2,
            width,
            height,
        )

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x = (lon - self.lon_min) / (self.lon_max - self.lon_min) * self.width
        y = (self.lat_max - lat) / (self.lat_max - self.lat_min) * self.height
        return round(x, 2), round(y, 2)
