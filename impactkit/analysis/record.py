"""The schema-1.0 keys of ``results.json``: what a portfolio needs besides the result rows.

:func:`record_keys` assembles ``schema_version``, ``evidence_strength`` (from the design's
runner), ``headline`` (the headline outcomes' effects with interval, scale, verdict and n),
``costs`` (total and cost per person at the cascade's last stage), ``location``,
``impact_areas``, ``asset_class``, ``sector``, ``funder`` and ``report_file``.  The keys
follow ``impactkit/schemas/results.schema.json``; the tests validate every sample's file
against it.  Paths (``report_file``, ``location.geojson.file``) are written relative to the
folder of the results file, as the schema says.
"""

from __future__ import annotations

import math
import os
from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..portfolio.records import SCHEMA_VERSION

if TYPE_CHECKING:
    from ..initiative import Initiative
    from ..portfolio.records import ImpactAreas, Location
    from .model import ImpactAnalysis
    from .outcome import OutcomeResult

__all__ = ["record_keys", "headline_effects", "effect_scale"]

#: ITS families whose level change is estimated on the log scale (a log rate ratio).
_LOG_FAMILIES = ("poisson", "quasipoisson")


def record_keys(
    analysis: ImpactAnalysis,
    rows: Sequence[Mapping[Hashable, Any]] = (),
    report_file: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """The schema-1.0 keys of one initiative's ``results.json`` (all but the rows).

    ``rows`` are the result rows (a row's ``scale``, where the table records one, is the
    headline effect's scale); ``report_file`` is the report's path: the results file lies
    beside it, so its name is written and other paths are made relative to its folder.
    """
    init = analysis.initiative
    folder = Path(report_file).resolve().parent if report_file is not None else None
    keys: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "evidence_strength": analysis.runner.evidence_strength(),
        "headline": headline_effects(analysis, rows),
        "costs": _costs(analysis),
        "asset_class": init.asset_class,
        "sector": init.sector,
        "funder": init.funder,
        "report_file": Path(report_file).name if report_file is not None else None,
    }
    if init.location is not None:
        keys["location"] = _location(init.location, folder)
    if init.impact_areas is not None:
        keys["impact_areas"] = _impact_areas(init.impact_areas)
    return keys


def headline_effects(
    analysis: ImpactAnalysis, rows: Sequence[Mapping[Hashable, Any]] = ()
) -> list[dict[str, Any]]:
    """One entry per estimated headline outcome, in the order of ``indicators.headline``.

    Outcomes without an estimate (skipped) or with a non-finite interval are left out: the
    schema requires an estimate and its interval.
    """
    out = []
    for r in analysis.headline:
        e = r.effect
        if e is None or not all(math.isfinite(v) for v in (e.estimate, e.ci_low, e.ci_high)):
            continue
        entry: dict[str, Any] = {
            "indicator": r.indicator.id,
            "name": r.indicator.name,
            "unit": r.indicator.unit,
            "scale": effect_scale(analysis.initiative, r, rows),
            "estimate": float(e.estimate),
            "ci_low": float(e.ci_low),
            "ci_high": float(e.ci_high),
            "se": _finite(e.se),
            "confidence": float(e.confidence),
            "verdict": r.verdict,
            "n": int(e.n) if e.n is not None else None,
            "baseline": _finite(r.before),
            "endline": _finite(r.after),
            "method": e.method,
        }
        out.append(entry)
    return out


def effect_scale(
    init: Initiative, result: OutcomeResult, rows: Sequence[Mapping[Hashable, Any]] = ()
) -> str:
    """What the effect's estimate measures.

    The effect row's own ``scale`` where the results table records one; otherwise
    ``"log rate ratio"`` for an interrupted time series fitted with a log link (Poisson,
    quasi-Poisson: the level change is a log-scale coefficient, see :func:`impactkit.its`)
    and ``"difference"`` (in the indicator's unit; for shares, a difference of proportions)
    for every other design.
    """
    for row in rows:
        if (
            row.get("section") == "effect"
            and row.get("item") == result.indicator.id
            and row.get("statistic") == "change"
            and not row.get("group")
            and isinstance(row.get("scale"), str)
            and row["scale"]
        ):
            return str(row["scale"])
    family = getattr(init.design, "family", None)
    return "log rate ratio" if family in _LOG_FAMILIES else "difference"


def _costs(analysis: ImpactAnalysis) -> dict[str, Any]:
    init = analysis.initiative
    costs: dict[str, Any] = {"currency": init.currency}
    if init.costs is None:
        return costs
    costs["total"] = float(init.costs.total)
    per, cascade = analysis.costs, analysis.cascade
    if per is not None and cascade is not None and len(per):
        last = _finite(per["cost_per_unit"].iloc[-1])
        if last is not None:
            costs["cost_per_outcome"] = last
            costs["outcome"] = str(cascade.table["label"].iloc[-1])
    return costs


def _location(loc: Location, folder: Path | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if loc.country is not None:
        out["country"] = loc.country
    out["region"] = loc.region
    out["admin_areas"] = list(loc.admin_areas)
    out["points"] = [
        {"lat": p.lat, "lon": p.lon, **({"name": p.name} if p.name else {})} for p in loc.points
    ]
    if loc.geojson_file is not None:
        out["geojson"] = {"file": _relative(loc.geojson_file, folder), "key": loc.geojson_key}
    return out


def _impact_areas(areas: ImpactAreas) -> dict[str, Any]:
    return {
        "sdg_goals": list(areas.sdg_goals),
        "sdg_targets": list(areas.sdg_targets),
        "iris_categories": list(areas.iris_categories),
        "imp_dimensions": list(areas.imp_dimensions),
    }


def _relative(file: Path, folder: Path | None) -> str:
    """``file`` relative to ``folder`` (POSIX separators); absolute where that is impossible
    (no folder, or another drive on Windows)."""
    if folder is None:
        return file.resolve().as_posix()
    try:
        return Path(os.path.relpath(file.resolve(), folder)).as_posix()
    except ValueError:
        return file.resolve().as_posix()


def _finite(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
