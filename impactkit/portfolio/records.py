"""Read and validate ``<name>.results.json`` files into :class:`InitiativeRecord` objects.

A results file is checked against ``impactkit/schemas/results.schema.json`` (JSON Schema
draft 2020-12, :data:`SCHEMA_VERSION`).  Keys that files written before the schema lack
(headline, evidence strength, costs, impact areas) are derived from the result rows where
that is safe, and each derivation is written into the record's ``notes``; nothing is guessed
that the rows do not say (an effect's ``scale`` in particular is never guessed, so such
effects are never pooled).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from impactkit.errors import (
    CoordinateError,
    DuplicateInitiativeError,
    PortfolioError,
    SchemaVersionError,
)

__all__ = [
    "SCHEMA_VERSION",
    "EVIDENCE_STRENGTHS",
    "HeadlineEffect",
    "Point",
    "Location",
    "ImpactAreas",
    "Costs",
    "InitiativeRecord",
    "results_schema",
    "validate_results",
    "load_results",
    "load_portfolio",
]

SCHEMA_VERSION = "1.0"
EVIDENCE_STRENGTHS = ("randomised", "quasi-experimental", "before-after", "descriptive")
_DESIGN_EVIDENCE = {
    "rct": "randomised",
    "randomised": "randomised",
    "did": "quasi-experimental",
    "its": "quasi-experimental",
    "synthetic_control": "quasi-experimental",
    "rdd": "quasi-experimental",
    "pre_post": "before-after",
    "descriptive": "descriptive",
    "none": "descriptive",
}


@dataclass(frozen=True)
class HeadlineEffect:
    """One headline effect: estimate with its interval, on a named scale."""

    indicator: str
    name: str
    estimate: float
    ci_low: float
    ci_high: float
    confidence: float = 0.95
    scale: str | None = None
    unit: str | None = None
    verdict: str = ""
    n: int | None = None
    se: float | None = None
    baseline: float | None = None
    endline: float | None = None
    method: str = ""

    @property
    def standard_error(self) -> float:
        """``se`` if recorded, else the half-width of the normal interval over its z quantile."""
        if self.se is not None:
            return self.se
        from scipy.stats import norm

        z = float(norm.ppf(0.5 + self.confidence / 2))
        return (self.ci_high - self.ci_low) / (2 * z)


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float
    name: str = ""


@dataclass(frozen=True)
class Location:
    country: str | None = None
    region: str | None = None
    admin_areas: tuple[str, ...] = ()
    points: tuple[Point, ...] = ()
    geojson_file: Path | None = None
    geojson_key: str | None = None


@dataclass(frozen=True)
class ImpactAreas:
    sdg_goals: tuple[int, ...] = ()
    sdg_targets: tuple[str, ...] = ()
    iris_categories: tuple[str, ...] = ()
    imp_dimensions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Costs:
    total: float | None = None
    currency: str | None = None
    cost_per_outcome: float | None = None
    outcome: str | None = None


@dataclass(frozen=True)
class InitiativeRecord:
    """What a portfolio knows about one initiative, read from its results file."""

    name: str
    organisation: str
    period: tuple[str, str]
    design: str
    source: Path
    data_fingerprint: str
    schema_version: str = SCHEMA_VERSION
    evidence_strength: str | None = None
    headline: tuple[HeadlineEffect, ...] = ()
    costs: Costs = field(default_factory=Costs)
    location: Location = field(default_factory=Location)
    impact_areas: ImpactAreas = field(default_factory=ImpactAreas)
    asset_class: str | None = None
    sector: str | None = None
    funder: str | None = None
    report_file: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def verdict(self) -> str:
        """The first headline effect's verdict ("" when there is none)."""
        return self.headline[0].verdict if self.headline else ""


@cache
def results_schema() -> dict[str, Any]:
    """The shipped results schema (``impactkit/schemas/results.schema.json``)."""
    text = resources.files("impactkit").joinpath("schemas/results.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validate_results(data: Mapping[str, Any], source: str | Path = "<results>") -> None:
    """Check one parsed results file: schema version, coordinates, then the JSON Schema.

    Raises :class:`SchemaVersionError`, :class:`CoordinateError` or :class:`PortfolioError`
    naming the file and the key.
    """
    _check_version(data, source)
    _check_points(data, source)
    import jsonschema

    validator = jsonschema.Draft202012Validator(results_schema())
    errors = sorted(validator.iter_errors(dict(data)), key=lambda e: list(e.absolute_path))
    if errors:
        shown = "; ".join(f"{_json_path(e.absolute_path)}: {e.message}" for e in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        raise PortfolioError(
            f"{source}: does not follow results schema {SCHEMA_VERSION}: {shown}{more}"
        )


def _json_path(path: Iterable[object]) -> str:
    parts = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
    return parts.lstrip(".") or "(top level)"


def _check_version(data: Mapping[str, Any], source: str | Path) -> None:
    if not isinstance(data, Mapping):
        raise PortfolioError(
            f"{source}: a results file holds a JSON object, not {type(data).__name__}"
        )
    version = data.get("schema_version", SCHEMA_VERSION)
    if str(version).split(".")[0] != SCHEMA_VERSION.split(".")[0]:
        raise SchemaVersionError(
            f"{source}: written for results schema {version}, but this impactkit reads schema "
            f"{SCHEMA_VERSION}; rebuild it with `impactkit report <initiative.yaml>` "
            "(the results files are rewritten beside the report)"
        )


def _check_points(data: Mapping[str, Any], source: str | Path) -> None:
    location = data.get("location")
    points = location.get("points", []) if isinstance(location, Mapping) else []
    for i, point in enumerate(points if isinstance(points, list) else []):
        if not isinstance(point, Mapping):
            continue
        for key, bound in (("lat", 90.0), ("lon", 180.0)):
            value = point.get(key)
            if not isinstance(value, int | float) or not math.isfinite(value) or abs(value) > bound:
                raise CoordinateError(
                    f"{source}: location.points[{i}].{key} is {value!r}; expected a number in "
                    f"[-{bound:g}, {bound:g}] (decimal degrees, WGS 84)"
                )


def load_results(path: str | Path) -> InitiativeRecord:
    """Read and validate one ``results.json`` file.

    Validated against the shipped JSON Schema; see the module docstring for what is derived
    from the rows of files written before schema 1.0.
    """
    source = Path(path)
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PortfolioError(f"{source}: no such results file") from None
    except json.JSONDecodeError as exc:
        raise PortfolioError(f"{source}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    validate_results(data, source)
    return _record(data, source)


def load_portfolio(paths: Sequence[str | Path]) -> list[InitiativeRecord]:
    """Load several results files (directories are searched for ``*.results.json``).

    Raises :class:`DuplicateInitiativeError` when two files name the same initiative.
    """
    files = _expand(paths)
    if not files:
        raise PortfolioError(f"no results files (*.results.json) in {', '.join(map(str, paths))}")
    records = [load_results(f) for f in files]
    seen: dict[str, Path] = {}
    for record in records:
        key = record.name.strip().casefold()
        if key in seen:
            raise DuplicateInitiativeError(
                f"initiative {record.name!r} appears twice: in {seen[key]} and in {record.source}; "
                "give each initiative its own name or leave one file out"
            )
        seen[key] = record.source
    return records


def _expand(paths: Sequence[str | Path]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(path.glob("*.results.json")))
        else:
            files.append(path)
    return files


def _record(data: Mapping[str, Any], source: Path) -> InitiativeRecord:
    notes: list[str] = []
    rows = [r for r in data["results"] if isinstance(r, Mapping)]
    headline = _headline(data, rows, notes)
    return InitiativeRecord(
        name=str(data["initiative"]),
        organisation=str(data["organisation"]),
        period=(str(data["period"][0]), str(data["period"][1])),
        design=str(data["design"]),
        source=source,
        data_fingerprint=str(data["data_fingerprint"]),
        schema_version=str(data.get("schema_version", SCHEMA_VERSION)),
        evidence_strength=_evidence(data, notes),
        headline=headline,
        costs=_costs(data, rows, notes),
        location=_location(data.get("location") or {}, source),
        impact_areas=_impact_areas(data, rows, notes),
        asset_class=data.get("asset_class"),
        sector=data.get("sector"),
        funder=data.get("funder"),
        report_file=_report_file(data, source, notes),
        notes=tuple(notes),
    )


def _evidence(data: Mapping[str, Any], notes: list[str]) -> str | None:
    if data.get("evidence_strength"):
        return str(data["evidence_strength"])
    derived = _DESIGN_EVIDENCE.get(str(data["design"]))
    if derived:
        notes.append(f"evidence strength {derived!r} derived from design {data['design']!r}")
    return derived


def _headline(
    data: Mapping[str, Any], rows: list[Mapping[str, Any]], notes: list[str]
) -> tuple[HeadlineEffect, ...]:
    if "headline" in data:
        return tuple(_effect_from_mapping(h) for h in data["headline"])
    found = []
    for row in rows:
        if row["section"] != "effect" or row["statistic"] != "change" or row.get("group"):
            continue
        if row.get("ci_low") is None or row.get("ci_high") is None or row["value"] is None:
            continue
        levels = {
            r["statistic"]: r["value"]
            for r in rows
            if r["section"] == "effect" and r["item"] == row["item"] and not r.get("group")
        }
        found.append(
            HeadlineEffect(
                indicator=str(row["item"]),
                name=str(row["item"]).replace("_", " "),
                estimate=float(row["value"]),
                ci_low=float(row["ci_low"]),
                ci_high=float(row["ci_high"]),
                verdict=str(row.get("verdict") or ""),
                n=row.get("n"),
                baseline=_float_or_none(levels.get("baseline")),
                endline=_float_or_none(levels.get("endline")),
                method=str(row.get("method") or ""),
            )
        )
    if found:
        notes.append(
            "headline taken from the effect rows (no 'headline' key); their scale is not recorded, "
            "so they are not pooled in a meta-analysis"
        )
    return tuple(found)


def _effect_from_mapping(h: Mapping[str, Any]) -> HeadlineEffect:
    return HeadlineEffect(
        indicator=str(h["indicator"]),
        name=str(h.get("name") or h["indicator"]),
        estimate=float(h["estimate"]),
        ci_low=float(h["ci_low"]),
        ci_high=float(h["ci_high"]),
        confidence=float(h.get("confidence", 0.95)),
        scale=h.get("scale"),
        unit=h.get("unit"),
        verdict=str(h.get("verdict") or ""),
        n=h.get("n"),
        se=_float_or_none(h.get("se")),
        baseline=_float_or_none(h.get("baseline")),
        endline=_float_or_none(h.get("endline")),
        method=str(h.get("method") or ""),
    )


def _float_or_none(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _costs(data: Mapping[str, Any], rows: list[Mapping[str, Any]], notes: list[str]) -> Costs:
    if isinstance(data.get("costs"), Mapping):
        c = data["costs"]
        return Costs(
            _float_or_none(c.get("total")),
            c.get("currency"),
            _float_or_none(c.get("cost_per_outcome")),
            c.get("outcome"),
        )
    cost_rows = [r for r in rows if r["section"] == "costs" and r["statistic"] == "cost_per_unit"]
    if not cost_rows:
        return Costs()
    last, first = cost_rows[-1], cost_rows[0]
    total = float(first["value"]) * int(first["n"]) if first.get("n") and first["value"] else None
    outcome = re.sub(r"^per ", "", str(last["item"]))
    notes.append(
        f"cost per outcome is the cost per '{outcome}' (last cascade stage); currency not recorded"
    )
    return Costs(total, None, _float_or_none(last["value"]), outcome)


def _location(raw: Mapping[str, Any], source: Path) -> Location:
    geo = raw.get("geojson") or None
    return Location(
        country=raw.get("country"),
        region=raw.get("region"),
        admin_areas=tuple(str(a) for a in raw.get("admin_areas", [])),
        points=tuple(
            Point(float(p["lat"]), float(p["lon"]), str(p.get("name", "")))
            for p in raw.get("points", [])
        ),
        geojson_file=(source.parent / geo["file"]) if geo else None,
        geojson_key=geo.get("key") if geo else None,
    )


def _impact_areas(
    data: Mapping[str, Any], rows: list[Mapping[str, Any]], notes: list[str]
) -> ImpactAreas:
    raw = data.get("impact_areas")
    if isinstance(raw, Mapping):
        targets = tuple(str(t) for t in raw.get("sdg_targets", []))
        goals = set(int(g) for g in raw.get("sdg_goals", [])) | {
            int(t.split(".")[0]) for t in targets
        }
        return ImpactAreas(
            tuple(sorted(goals)),
            targets,
            tuple(str(c) for c in raw.get("iris_categories", [])),
            tuple(str(d) for d in raw.get("imp_dimensions", [])),
        )
    tags = [t.strip() for r in rows for t in str(r.get("frameworks") or "").split(";")]
    sdg = sorted({t[4:] for t in tags if t.startswith("sdg:")})
    imp = sorted({t[4:] for t in tags if t.startswith("imp:")})
    if sdg or imp:
        notes.append(
            "impact areas taken from the indicators' framework tags (no 'impact_areas' key)"
        )
    derived = sorted({int(t.split(".")[0]) for t in sdg if t.split(".")[0].isdigit()})
    return ImpactAreas(tuple(derived), tuple(sdg), (), tuple(imp))


def _report_file(data: Mapping[str, Any], source: Path, notes: list[str]) -> str | None:
    if data.get("report_file"):
        return str(data["report_file"])
    stem = source.name.removesuffix(".results.json")
    guess = source.with_name(stem + ".pdf")
    if guess.exists():
        notes.append(f"report file {guess.name} found beside the results file")
        return guess.name
    return None
