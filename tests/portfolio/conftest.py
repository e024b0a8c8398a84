"""Fixtures for the portfolio tests: the three sample initiatives' results files, built in tmp.

``legacy_results``: the files as ``analyse(...).results_json()`` wrote them before schema 1.0
(today's files without the 1.0 keys: no headline, location, ...).  ``portfolio_results``: the same files with
the schema-1.0 keys a portfolio uses added (fictional locations in the fictional country XA,
see sample_data/geo/README.md), plus an empty stand-in PDF beside each.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ("water_filter", "cookstoves", "tutoring")
GEOJSON = ROOT / "sample_data" / "geo" / "districts.geojson"

EXTRA: dict[str, dict[str, Any]] = {
    "water_filter": {
        "evidence_strength": "quasi-experimental",
        "location": {
            "country": "XA",
            "region": "North",
            "admin_areas": ["Kelo", "Marani"],
            "geojson": {"file": "districts.geojson", "key": "district"},
        },
        "impact_areas": {
            "sdg_goals": [3, 6],
            "sdg_targets": ["3.2", "6.1.1"],
            "iris_categories": ["Water"],
        },
        "asset_class": "grant",
        "sector": "water and sanitation",
        "funder": "Blue Ridge Trust (fictional)",
        "costs": {
            "total": 186000,
            "currency": "USD",
            "cost_per_outcome": 648.08,
            "outcome": "household still using at 12 months",
        },
    },
    "cookstoves": {
        "evidence_strength": "before-after",
        "location": {
            "country": "XA",
            "region": "South",
            "points": [
                {"lat": -19.8, "lon": -21.2, "name": "Oruva market"},
                {"lat": -20.1, "lon": -18.4, "name": "Little Sefton"},
            ],
        },
        "impact_areas": {"sdg_goals": [7], "sdg_targets": ["7.1.2", "3.9.1"]},
        "asset_class": "loan",
        "sector": "energy",
        "funder": "Hearth Capital (fictional)",
    },
    "tutoring": {
        "evidence_strength": "quasi-experimental",
        "location": {
            "country": "XA",
            "region": "South",
            "points": [{"lat": -19.5, "lon": -20.0, "name": "Dunhill Vale schools"}],
        },
        "impact_areas": {"sdg_goals": [4], "sdg_targets": ["4.1.1"]},
        "asset_class": "public budget",
        "sector": "education",
        "funder": "City of Kelo (fictional)",
    },
}


#: The keys schema 1.0 added; a file without them is what impactkit wrote before.
SCHEMA_1_0_KEYS = (
    "schema_version",
    "evidence_strength",
    "headline",
    "costs",
    "location",
    "impact_areas",
    "asset_class",
    "sector",
    "funder",
    "report_file",
)


def _analyse(name: str) -> str:
    """A results file as written before schema 1.0 (today's file without the 1.0 keys)."""
    import impactkit as ik

    today = json.loads(ik.analyse(ROOT / "sample_data" / name / "initiative.yaml").results_json())
    return json.dumps({k: v for k, v in today.items() if k not in SCHEMA_1_0_KEYS}, indent=2)


@pytest.fixture(scope="session")
def legacy_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("legacy")
    paths = {}
    for name in SAMPLES:
        path = out / f"{name}.results.json"
        path.write_text(_analyse(name), encoding="utf-8")
        paths[name] = path
    return paths


def enrich(data: dict[str, Any], name: str) -> dict[str, Any]:
    """The schema-1.0 version of a legacy results file (headline with scale, location, ...)."""
    new = dict(data, schema_version="1.0", report_file=f"{name}.pdf", **EXTRA[name])
    headline = []
    for row in data["results"]:
        if row["section"] == "effect" and row["statistic"] == "change" and not row["group"]:
            headline.append(
                {
                    "indicator": row["item"],
                    "name": row["item"].replace("_", " "),
                    "scale": "difference",
                    "estimate": row["value"],
                    "ci_low": row["ci_low"],
                    "ci_high": row["ci_high"],
                    "confidence": 0.95,
                    "verdict": row["verdict"],
                    "n": row["n"],
                }
            )
    new["headline"] = headline
    return new


@pytest.fixture(scope="session")
def portfolio_results(
    legacy_results: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("portfolio")
    shutil.copy(GEOJSON, out / "districts.geojson")
    paths = {}
    for name, legacy in legacy_results.items():
        data = enrich(json.loads(legacy.read_text(encoding="utf-8")), name)
        path = out / f"{name}.results.json"
        path.write_text(json.dumps(data, indent=1), encoding="utf-8")
        (out / f"{name}.pdf").write_bytes(b"%PDF-1.4\n%stand-in\n")
        paths[name] = path
    return paths
