"""results.json is the schema-1.0 record; `impactkit portfolio` joins the files end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import impactkit as ik
from impactkit.analysis import ImpactAnalysis
from impactkit.analysis.words import is_share
from impactkit.cli import find_initiatives, main
from impactkit.portfolio import load_portfolio, results_schema, validate_results

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = find_initiatives(ROOT / "sample_data")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[ImpactAnalysis, Path]]:
    """Every sample's results.json, written beside a stand-in report in one folder."""
    out = tmp_path_factory.mktemp("reports")
    files = {}
    for initiative in SAMPLES:
        name = initiative.parent.name
        analysis = ik.analyse(initiative)
        report = out / f"{name}.pdf"
        report.write_bytes(b"%PDF-1.4\n%stand-in\n")
        path = out / f"{name}.results.json"
        path.write_text(analysis.results_json(report_file=report), encoding="utf-8")
        files[name] = (analysis, path)
    return files


def _data(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_sample_results_file_follows_the_schema(written: dict[str, Any]) -> None:
    assert len(written) == len(SAMPLES) >= 3
    for _, path in written.values():
        data = _data(path)
        jsonschema.Draft202012Validator(results_schema()).validate(data)
        validate_results(data, path)
        assert data["schema_version"] == "1.0"


def test_the_record_holds_what_the_analysis_says(written: dict[str, Any]) -> None:
    for name, (analysis, path) in written.items():
        data = _data(path)
        init = analysis.initiative
        assert data["evidence_strength"] == analysis.runner.evidence_strength()
        estimated = [r for r in analysis.headline if r.effect is not None]
        assert [h["indicator"] for h in data["headline"]] == [r.indicator.id for r in estimated]
        for h, r in zip(data["headline"], estimated, strict=True):
            assert r.effect is not None
            assert (h["estimate"], h["ci_low"], h["ci_high"]) == (
                r.effect.estimate, r.effect.ci_low, r.effect.ci_high,
            )  # fmt: skip
            assert h["se"] == r.effect.se and h["n"] == r.effect.n and h["verdict"] == r.verdict
            # shares are reported in percentage points, other units as differences (issue 11)
            scale = "percentage points" if is_share(r.indicator) else "difference"
            assert h["scale"] == scale and h["confidence"] == 0.95
        assert data["report_file"] == f"{name}.pdf"
        if init.costs is not None and analysis.costs is not None:
            assert data["costs"]["currency"] == init.currency
            assert data["costs"]["total"] == init.costs.total
            assert data["costs"]["cost_per_outcome"] == analysis.costs["cost_per_unit"].iloc[-1]
        if init.location is not None:
            assert data["location"]["admin_areas"] == list(init.location.admin_areas)
            if init.location.geojson_file is not None:
                geo = path.parent / data["location"]["geojson"]["file"]
                assert geo.resolve() == init.location.geojson_file
        else:
            assert "location" not in data or not data["location"]
        assert data.get("asset_class") == init.asset_class
        assert data.get("funder") == init.funder


def test_the_original_samples_carry_costs_and_locations(written: dict[str, Any]) -> None:
    for name in ("water_filter", "cookstoves"):
        analysis, path = written[name]
        data = _data(path)
        assert analysis.initiative.costs is not None and "costs" in data
        assert analysis.initiative.location is not None and data["location"]["admin_areas"]


def test_a_row_scale_recorded_by_the_table_wins(written: dict[str, Any]) -> None:
    from impactkit.analysis.record import headline_effects

    analysis, _ = written["water_filter"]
    first = analysis.headline[0].indicator.id
    rows = [{"section": "effect", "item": first, "statistic": "change", "group": "",
             "scale": "percentage points"}]  # fmt: skip
    assert headline_effects(analysis, rows)[0]["scale"] == "percentage points"


def test_the_portfolio_command_end_to_end(written: dict[str, Any], tmp_path: Path) -> None:
    folder = next(iter(written.values()))[1].parent
    pdf, page = tmp_path / "portfolio.pdf", tmp_path / "portfolio.html"
    assert main(["portfolio", str(folder), "--out", str(pdf), "--html", str(page)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
    html = page.read_text(encoding="utf-8")
    for analysis, _ in written.values():
        assert analysis.initiative.name in html
    records = load_portfolio([folder])
    assert {r.asset_class for r in records} == {
        analysis.initiative.asset_class for analysis, _ in written.values()
    }
    assert {"grant", "loan", "public budget"} <= {r.asset_class for r in records}


def test_bad_input_exits_2_and_leaves_no_output(written: dict[str, Any], tmp_path: Path) -> None:
    _, path = written["tutoring"]
    bad = tmp_path / "old.results.json"
    bad.write_text(json.dumps(_data(path) | {"schema_version": "2.0"}), encoding="utf-8")
    pdf, page = tmp_path / "out" / "portfolio.pdf", tmp_path / "out" / "portfolio.html"
    run = subprocess.run(
        [sys.executable, "-m", "impactkit.cli", "portfolio", str(bad), "--out", str(pdf),
         "--html", str(page)],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 2, run.stderr
    assert "schema 2.0" in run.stderr and "impactkit report" in run.stderr
    assert "Traceback" not in run.stderr
    assert not pdf.exists() and not page.exists()
    assert main(["portfolio", str(path)]) == 2  # neither --out nor --html
