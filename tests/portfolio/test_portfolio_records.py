"""Results schema and loading: today's sample files validate; bad input raises named errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from impactkit.errors import (
    CoordinateError,
    DuplicateInitiativeError,
    PortfolioError,
    SchemaVersionError,
)
from impactkit.portfolio import load_portfolio, load_results, results_schema, validate_results


def _data(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _write(tmp_path: Path, data: dict[str, Any], name: str = "x.results.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_schema_is_valid_draft_2020_12_and_versioned() -> None:
    schema = results_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "1.0" in schema["$id"]


def test_the_schema_ships_as_package_data() -> None:
    from importlib import resources

    assert resources.files("impactkit").joinpath("schemas/results.schema.json").is_file()
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    assert '"schemas/*.json"' in pyproject


@pytest.mark.parametrize("name", ["water_filter", "cookstoves", "tutoring"])
def test_pre_1_0_sample_results_validate(legacy_results: dict[str, Path], name: str) -> None:
    jsonschema.Draft202012Validator(results_schema()).validate(_data(legacy_results[name]))
    record = load_results(legacy_results[name])
    assert record.headline, "headline derived from the effect rows"
    assert all(h.scale is None for h in record.headline), "a scale is never guessed"
    assert any("derived from design" in n for n in record.notes)


@pytest.mark.parametrize("name", ["water_filter", "cookstoves", "tutoring"])
def test_schema_1_0_files_validate_and_load(portfolio_results: dict[str, Path], name: str) -> None:
    data = _data(portfolio_results[name])
    jsonschema.Draft202012Validator(results_schema()).validate(data)
    record = load_results(portfolio_results[name])
    assert record.name == data["initiative"]
    assert record.location.country == "XA"
    assert record.headline[0].scale == "difference"
    assert record.report_file == f"{name}.pdf"


def test_legacy_water_filter_derivations(legacy_results: dict[str, Path]) -> None:
    record = load_results(legacy_results["water_filter"])
    first = record.headline[0]
    assert first.indicator == "diarrhoea_prevalence"
    assert first.baseline is not None and first.endline is not None
    assert record.evidence_strength == "quasi-experimental"  # design did
    assert 3 in record.impact_areas.sdg_goals and "3.2" in record.impact_areas.sdg_targets
    assert record.costs.outcome == "Using it correctly"
    # the standard error recovered from a 95 % normal interval: half-width / 1.95996
    assert first.standard_error == pytest.approx(
        (first.ci_high - first.ci_low) / 3.919927969, rel=1e-9
    )


def test_other_schema_version_names_it_and_how_to_rebuild(
    portfolio_results: dict[str, Path], tmp_path: Path
) -> None:
    data = _data(portfolio_results["tutoring"]) | {"schema_version": "2.0"}
    with pytest.raises(SchemaVersionError, match=r"schema 2\.0.*impactkit report"):
        load_results(_write(tmp_path, data))


def test_duplicate_initiative_names_both_files(
    portfolio_results: dict[str, Path], tmp_path: Path
) -> None:
    copy = _write(tmp_path, _data(portfolio_results["tutoring"]), "again.results.json")
    with pytest.raises(DuplicateInitiativeError, match="Learning Boost.*again.results.json"):
        load_portfolio([portfolio_results["tutoring"], copy])


@pytest.mark.parametrize(
    ("key", "value"), [("lat", 91.0), ("lat", -90.5), ("lon", 180.01), ("lon", float("nan"))]
)
def test_coordinates_out_of_range(
    portfolio_results: dict[str, Path], tmp_path: Path, key: str, value: float
) -> None:
    data = _data(portfolio_results["cookstoves"])
    data["location"]["points"][1][key] = value
    path = tmp_path / "bad.results.json"
    path.write_text(json.dumps(data), encoding="utf-8")  # NaN is written as the token NaN
    with pytest.raises(CoordinateError, match=rf"points\[1\]\.{key}"):
        load_results(path)


def test_schema_violation_names_the_key(portfolio_results: dict[str, Path], tmp_path: Path) -> None:
    data = _data(portfolio_results["tutoring"])
    data["evidence_strength"] = "anecdotal"
    with pytest.raises(PortfolioError, match="evidence_strength"):
        load_results(_write(tmp_path, data))
    data = _data(portfolio_results["tutoring"])
    del data["headline"][0]["ci_low"]
    with pytest.raises(PortfolioError, match=r"headline\[0\].*ci_low"):
        validate_results(data)


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(PortfolioError, match="no such results file"):
        load_results(tmp_path / "missing.results.json")
    bad = tmp_path / "bad.results.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(PortfolioError, match="not valid JSON"):
        load_results(bad)
    with pytest.raises(PortfolioError, match="no results files"):
        load_portfolio([_empty(tmp_path)])


def _empty(tmp_path: Path) -> Path:
    empty = tmp_path / "empty"
    empty.mkdir()
    return empty


def test_inputs_are_not_mutated(portfolio_results: dict[str, Path]) -> None:
    data = _data(portfolio_results["water_filter"])
    before = json.dumps(data, sort_keys=True)
    validate_results(data)
    assert json.dumps(data, sort_keys=True) == before
