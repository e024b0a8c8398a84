"""Tests for Catalog loading/merging and the built-in standard catalog."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from impactkit.catalogs import load, standard
from impactkit.errors import IndicatorDefinitionError
from impactkit.indicators import Catalog, Indicator, compute

ENTRY = """
  - id: {id}
    name: Reach
    description: "Columns: eligible, reached."
    unit: proportion
    kind: proportion
    population: eligible
    numerator: reached
"""


def yaml_text(*ids: str, extra: str = "") -> str:
    return "indicators:\n" + "".join(ENTRY.format(id=i) for i in ids) + extra


# ------------------------------------------------------------ YAML loading ----------------


def test_from_yaml_text_and_path_agree(tmp_path: Path) -> None:
    text = yaml_text("reach", "reach_b")
    path = tmp_path / "cat.yaml"
    path.write_text(text)
    a, b, c = Catalog.from_yaml(text), Catalog.from_yaml(path), Catalog.from_yaml(str(path))
    assert list(a) == list(b) == list(c) == ["reach", "reach_b"]
    assert a["reach"] == b["reach"] == c["reach"]


@pytest.mark.parametrize(
    "extra, match",
    [
        ("    colour: blue\n", "unknown key 'colour'"),
        ("    direction: sideways\n", "'direction'"),
        ("    frameworks: {sdg: 6.1}\n", "'frameworks'"),
        ("    disaggregate_by: 3\n", "'disaggregate_by'"),
        ("    minimum_meaningful_change: lots\n", "'minimum_meaningful_change'"),
        ("    value: y\n", "'value' does not apply"),
    ],
)
def test_bad_entries_name_indicator_key_and_file(tmp_path: Path, extra: str, match: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(yaml_text("reach") + extra)
    with pytest.raises(IndicatorDefinitionError, match=match) as info:
        Catalog.from_yaml(path)
    msg = str(info.value)
    assert "'reach'" in msg and "bad.yaml" in msg


def test_missing_required_key(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(yaml_text("reach").replace("    unit: proportion\n", ""))
    with pytest.raises(IndicatorDefinitionError, match=r"'reach'.*c\.yaml.*'unit' is missing"):
        Catalog.from_yaml(path)


def test_duplicate_ids_are_an_error(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text(yaml_text("reach", "reach"))
    with pytest.raises(IndicatorDefinitionError, match=r"'reach'.*duplicate.*dup\.yaml|dup\.yaml"):
        Catalog.from_yaml(path)


def test_malicious_expression_in_yaml(tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text(
        yaml_text("reach").replace("numerator: reached", "numerator: reached.__class__")
    )
    with pytest.raises(IndicatorDefinitionError, match=r"reached\.__class__.*evil\.yaml"):
        Catalog.from_yaml(path)


def test_yaml_python_tags_are_refused() -> None:
    text = "indicators: !!python/object/apply:os.system ['echo hi']\n"
    with pytest.raises(IndicatorDefinitionError, match="invalid YAML"):
        Catalog.from_yaml(text)


@pytest.mark.parametrize(
    "text, match",
    [
        ("- 1\n- 2\n", "must be a mapping"),
        ("indicators: {a: 1}\n", "must be a list"),
        ("title: x\nindicators: []\n", "unknown top-level key 'title'"),
        ("other: []\n", "unknown top-level key"),
        ("indicators: [1]\n", "must be a mapping"),
        ("indicators:\n  - {id: a}\n  oops\n", "invalid YAML"),
    ],
)
def test_bad_catalog_shapes(text: str, match: str) -> None:
    with pytest.raises(IndicatorDefinitionError, match=match):
        Catalog.from_yaml(text)


def test_missing_file_is_named() -> None:
    with pytest.raises(IndicatorDefinitionError, match="nowhere.yaml"):
        Catalog.from_yaml("nowhere.yaml")


def test_yaml_numbers_and_booleans_as_expressions() -> None:
    text = yaml_text("reach").replace("population: eligible", "population: true")
    cat = Catalog.from_yaml(text)
    assert cat["reach"].population == "True"
    out = compute(cat, pd.DataFrame({"eligible": [0, 1], "reached": [1, 0]}))
    assert out.loc[0, "n"] == 2


# ------------------------------------------------------------ Catalog behaviour ----------


def test_merge_and_or_operator() -> None:
    a, b = Catalog.from_yaml(yaml_text("one")), Catalog.from_yaml(yaml_text("two", "three"))
    merged = a | b
    assert list(merged) == ["one", "two", "three"]
    assert list(a.merge(b)) == list(merged)
    assert len(a) == 1  # unchanged
    with pytest.raises(IndicatorDefinitionError, match="duplicate indicator id 'one'"):
        merged | a


def test_catalog_is_a_read_only_mapping() -> None:
    cat = Catalog.from_yaml(yaml_text("one"))
    assert "one" in cat and cat.get("zzz") is None
    with pytest.raises(KeyError, match="it has: one"):
        cat["zzz"]
    with pytest.raises(TypeError):
        cat["x"] = cat["one"]  # type: ignore[index]
    with pytest.raises(IndicatorDefinitionError, match="Indicator objects"):
        Catalog(["reach"])  # type: ignore[list-item]


def test_to_frame_one_row_per_indicator() -> None:
    cat = standard()
    frame = cat.to_frame()
    assert len(frame) == len(cat)
    assert frame["id"].tolist() == list(cat)
    for col in ("name", "kind", "unit", "direction", "definition", "frameworks", "source"):
        assert col in frame.columns
    assert "<table" in cat._repr_html_()
    assert repr(cat).startswith(f"Catalog({len(cat)} indicators")


def test_round_trip_through_to_dict() -> None:
    cat = standard()
    again = Catalog.from_dict({"indicators": [ind.to_dict() for ind in cat.values()]})
    assert list(again) == list(cat)
    for key in cat:
        assert again[key] == cat[key]


# ------------------------------------------------------------ standard catalog ------------


def test_standard_catalog_covers_the_frameworks() -> None:
    cat = standard()
    re_aim = {ind.frameworks.get("re_aim") for ind in cat.values()}
    assert {"reach", "effectiveness", "adoption", "implementation", "maintenance"} <= re_aim
    stages = {ind.frameworks.get("tanahashi") for ind in cat.values()}
    assert {"availability", "accessibility", "acceptability", "contact", "effectiveness"} <= stages
    sdg = {ind.frameworks.get("sdg") for ind in cat.values()} - {None}
    assert {"6.1.1", "4.1.1", "3.2.1", "7.1.2", "6.2.1", "1.1.1", "2.2.1", "8.10.2"} <= sdg
    assert (
        len(sdg) >= 12 or sum(ind.frameworks.get("sdg") is not None for ind in cat.values()) >= 12
    )


def test_standard_indicators_are_documented() -> None:
    for ind in standard().values():
        assert ind.source.strip(), ind.id
        assert ind.direction in ("increase", "decrease")
        # every referenced column is named, in backticks, in the description
        documented = set(re.findall(r"`([^`]+)`", ind.description))
        assert ind.columns <= documented, (ind.id, ind.columns - documented)
        # no unverified IRIS+ ids (see the comment at the top of standard.yaml)
        assert "iris" not in ind.frameworks


def test_standard_catalog_computes_on_generic_columns() -> None:
    cat = standard()
    rng = np.random.default_rng(4)
    n = 300
    columns: dict[str, object] = {}
    for col in sorted(set().union(*(ind.columns for ind in cat.values()))):
        columns[col] = rng.random(n) < 0.5
    numeric = {
        "months_since_last_contact": rng.integers(0, 12, n),
        "fidelity_score": rng.uniform(0, 1, n),
        "under5_deaths": rng.poisson(0.02, n),
        "child_years_under5": rng.uniform(0.5, 5, n),
        "malaria_cases": rng.poisson(0.2, n),
        "person_years_at_risk": rng.uniform(0.5, 1, n),
        "consumption_ppp_per_day": rng.lognormal(1.2, 0.6, n),
        "poverty_line_ppp_per_day": np.full(n, 3.0),
        "age_months": rng.integers(0, 90, n),
        "haz": rng.normal(-1, 1.2, n),
        "whz": rng.normal(-0.5, 1.1, n),
        "age": rng.integers(5, 80, n),
    }
    columns.update(numeric)
    df = pd.DataFrame(columns)
    out = compute(cat, df)
    assert out["indicator"].tolist() == list(cat)
    assert out["value"].notna().all()
    assert ((out["ci_low"] <= out["value"]) & (out["value"] <= out["ci_high"])).all()
    props = out[out["kind"] == "proportion"]
    assert props["value"].between(0, 1).all()
    stunting = out.set_index("indicator").loc["stunting"]
    under5 = df["age_months"] < 60
    assert stunting["value"] == pytest.approx((df.loc[under5, "haz"] < -2).mean())


# ------------------------------------------------------------ load() ----------------------


def test_load_resolves_standard_catalogs_and_paths(tmp_path: Path) -> None:
    assert list(load("standard")) == list(standard())
    cat = Catalog.from_yaml(yaml_text("one"))
    assert load(cat) is cat
    (tmp_path / "mine.yaml").write_text(yaml_text("mine"))
    assert list(load("mine.yaml", base_dir=tmp_path)) == ["mine"]
    assert list(load(tmp_path / "mine.yaml")) == ["mine"]
    with pytest.raises(IndicatorDefinitionError, match="not found"):
        load("absent.yaml", base_dir=tmp_path)
    with pytest.raises(IndicatorDefinitionError, match="'standard', a Catalog"):
        load(42)  # type: ignore[arg-type]


def test_direct_indicator_objects_can_be_merged_with_standard() -> None:
    mine = Catalog(
        [
            Indicator(
                id="visits", name="Visits", description="", unit="visits", kind="sum", value="v"
            )
        ]
    )
    both = standard() | mine
    assert "visits" in both and "reach" in both


def test_duplicate_keys_in_a_definition_are_an_error() -> None:
    from impactkit.errors import IndicatorDefinitionError
    from impactkit.indicators import Catalog

    text = "indicators:\n  - id: a\n    name: A\n    name: B\n"
    with pytest.raises(IndicatorDefinitionError, match="duplicate key 'name'"):
        Catalog.from_yaml(text)


def test_the_catalog_documentation_is_up_to_date(root: Path) -> None:
    import runpy

    script = root / "scripts" / "catalog_table.py"
    module = runpy.run_path(str(script))
    assert module["TARGET"].read_text(encoding="utf-8") == module["render"](), (
        "docs/standard_catalog.md is stale: run scripts/catalog_table.py"
    )
