"""The initiative file: validation with errors that name the file and the key."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from impactkit.errors import ConfigError
from impactkit.initiative import load

VALID = """\
name: Test initiative
organisation: Test org
description: A programme used in tests.
period: {start: 2024-01-01, end: 2024-12-31}
data:
  survey: survey.csv
columns: {unit: id, period: round}
indicators:
  catalog: [indicators.yaml]
  headline: [score_mean]
design:
  type: did
  data: survey
  treated: treated
  post: post
lab:
  efficacy: 0.9
  ci: [0.85, 0.95]
  source: bench test
costs: {total: 1000}
multiplicity: holm
"""


def write(folder: Path, text: str = VALID) -> Path:
    (folder / "survey.csv").write_text("id,round,treated,post,score\n1,a,1,0,2.0\n1,b,1,1,3.0\n")
    (folder / "indicators.yaml").write_text("indicators: []\n")
    path = folder / "initiative.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def test_valid_file_loads(tmp_path: Path) -> None:
    init = load(write(tmp_path))
    assert init.name == "Test initiative"
    assert init.design.type == "did"
    assert init.design.cluster == "id"  # defaults to the unit column
    assert init.indicators.outcomes == ("score_mean",)
    assert init.lab is not None and init.lab.ci_high == 0.95
    assert init.multiplicity == "holm"
    assert init.data_files["survey"] == (tmp_path / "survey.csv").resolve()
    assert init.load_data("survey").shape == (2, 5)


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("name: Test initiative\n", "", "'name'"),
        ("multiplicity: holm\n", "multiplicity: holm\ncolour: blue\n", "'colour'"),
        ("survey: survey.csv", "survey: nowhere.csv", "'data.survey'"),
        ("type: did", "type: rdd", "'design.type'"),
        ("  treated: treated\n", "", "'design.treated'"),
        ("end: 2024-12-31", "end: 2023-12-31", "'period'"),
        ("efficacy: 0.9", "efficacy: 1.5", "'lab.efficacy'"),
        ("ci: [0.85, 0.95]", "ci: [0.95, 0.85]", "'lab.ci'"),
        ("total: 1000", "total: -5", "'costs.total'"),
        ("  data: survey\n  treated", "  data: other\n  treated", "'design.data'"),
        ("catalog: [indicators.yaml]", "catalog: [missing.yaml]", "'indicators.catalog'"),
        ("multiplicity: holm", "multiplicity: sidak", "'multiplicity'"),
        ("start: 2024-01-01", "start: 'first of May'", "'period.start'"),
    ],
)
def test_bad_files_name_file_and_key(tmp_path: Path, old: str, new: str, key: str) -> None:
    assert old in VALID
    path = write(tmp_path, VALID.replace(old, new))
    with pytest.raises(ConfigError) as info:
        load(path)
    message = str(info.value)
    assert key in message
    assert str(path) in message


def test_yaml_is_never_executed(tmp_path: Path) -> None:
    path = write(tmp_path, VALID + "extra: !!python/object/apply:os.system ['echo owned']\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load(tmp_path / "nope.yaml")


def test_fingerprint_tracks_the_data(tmp_path: Path) -> None:
    path = write(tmp_path)
    first = load(path).fingerprint()
    assert load(path).fingerprint() == first
    with (tmp_path / "survey.csv").open("a") as f:
        f.write("2,a,0,0,1.0\n")
    assert load(path).fingerprint() != first


def test_pre_post_needs_period_and_unit(tmp_path: Path) -> None:
    text = VALID.replace("columns: {unit: id, period: round}", "columns: {period: round}").replace(
        "  type: did\n  data: survey\n  treated: treated\n  post: post\n",
        "  type: pre_post\n  data: survey\n  before: a\n  after: b\n",
    )
    with pytest.raises(ConfigError, match="'columns.unit'"):
        load(write(tmp_path, text))


def test_duplicate_keys_are_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, VALID + "name: Another name\n")
    with pytest.raises(ConfigError, match="duplicate key 'name'"):
        load(path)


@pytest.mark.parametrize("sep", [";", "\t"])
def test_semicolon_and_tab_separated_files_are_read(tmp_path: Path, sep: str) -> None:
    path = write(tmp_path)
    (tmp_path / "survey.csv").write_text(
        sep.join(["id", "round", "treated", "post", "score"]) + "\n" + sep.join("1a102") + "\n"
    )
    frame = load(path).load_data("survey")
    assert list(frame.columns) == ["id", "round", "treated", "post", "score"]


def test_iso_date_columns_are_read_as_dates(tmp_path: Path) -> None:
    path = write(tmp_path)
    (tmp_path / "survey.csv").write_text("id,when,note\n1,2024-03-01,x\n2,2024-04-01,\n")
    frame = load(path).load_data("survey")
    assert frame["when"].dtype.kind == "M"
    assert frame["note"].dtype.kind != "M"


def test_costs_items_must_add_up_to_the_total(tmp_path: Path) -> None:
    text = VALID.replace("costs: {total: 1000}", "costs: {total: 1000, items: {a: 600, b: 300}}")
    with pytest.raises(ConfigError, match="'costs.items'.*add up to 900.00"):
        load(write(tmp_path, text))


CASCADE = """\
adoption:
  cascade:
    data: survey
    stages: [treated, post]
"""


@pytest.mark.parametrize(
    ("extra", "expected"),
    [("    target: 40\n", 40), ("    by: round\n    target: {a: 10, b: 12}\n", {"a": 10, "b": 12})],
)
def test_cascade_target_is_a_count_or_a_count_per_group(
    tmp_path: Path, extra: str, expected: object
) -> None:
    init = load(write(tmp_path, VALID + CASCADE + extra))
    assert init.cascade is not None and init.cascade.target == expected


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("    target: 0.5\n", "not a share"),
        ("    target: {a: 10}\n", "needs 'by'"),
        ("    by: round\n    target: {a: -3}\n", "'adoption.cascade.target.a'"),
    ],
)
def test_bad_cascade_targets(tmp_path: Path, extra: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load(write(tmp_path, VALID + CASCADE + extra))


def test_sustained_use_time_unit(tmp_path: Path) -> None:
    extra = (
        "adoption:\n  sustained_use:\n    data: survey\n    duration: score\n"
        "    abandoned: post\n    horizons: [4, 8]\n    time_unit: weeks\n"
    )
    init = load(write(tmp_path, VALID + extra))
    assert init.sustained_use is not None
    assert init.sustained_use.time_unit == "weeks"
    assert init.sustained_use.horizons == (4.0, 8.0)
