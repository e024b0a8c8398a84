"""The rct and staggered_did design records: their keys, defaults and named errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from _testpaths import SAMPLE_DATA

from impactkit.analysis import analyse
from impactkit.errors import ConfigError, DataError
from impactkit.initiative import RCTDesign, StaggeredDesign, load


def _write(tmp_path: Path, sample: str, design: dict) -> Path:
    folder = SAMPLE_DATA / sample
    config = yaml.safe_load((folder / "initiative.yaml").read_text(encoding="utf-8"))
    config["design"] = design
    config["data"] = {k: str(folder / v) for k, v in config["data"].items()}
    config["indicators"]["catalog"] = [str(folder / "indicators.yaml")]
    path = tmp_path / "initiative.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def test_sample_records() -> None:
    trial = load(SAMPLE_DATA / "cookstoves_trial" / "initiative.yaml").design
    assert isinstance(trial, RCTDesign)
    assert (trial.arm, trial.control, trial.cluster, trial.strata) == (
        "arm",
        "control",
        "village",
        "district",
    )
    assert trial.baseline_for("fuelwood_use") == "fuelwood_baseline"
    assert trial.baseline_for("not_listed") is None
    roll = load(SAMPLE_DATA / "district_rollout" / "initiative.yaml").design
    assert isinstance(roll, StaggeredDesign)
    assert (roll.unit, roll.time, roll.cohort, roll.control) == (
        "district",
        "year",
        "wave",
        "never",
    )


def test_staggered_defaults_from_columns(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "district_rollout",
        {"type": "staggered_did", "data": "districts", "cohort": "wave"},
    )
    d = load(path).design
    assert isinstance(d, StaggeredDesign)
    assert (d.unit, d.time, d.anticipation, d.base_period) == ("district", "year", 0, "varying")


@pytest.mark.parametrize(
    ("sample", "design", "key"),
    [
        ("cookstoves_trial", {"type": "rct", "data": "survey"}, "design.arm"),
        (
            "cookstoves_trial",
            {"type": "rct", "data": "survey", "arm": "arm", "se": "HC9"},
            "design.se",
        ),
        (
            "cookstoves_trial",
            {"type": "rct", "data": "survey", "arm": "arm", "inference": "x"},
            "design.inference",
        ),
        (
            "cookstoves_trial",
            {"type": "rct", "data": "survey", "arm": "arm", "cohort": "x"},
            "design.cohort",
        ),
        (
            "cookstoves_trial",
            {"type": "rct", "data": "survey", "arm": "arm", "baseline": [1]},
            "design.baseline",
        ),
        ("district_rollout", {"type": "staggered_did", "data": "districts"}, "design.cohort"),
        (
            "district_rollout",
            {"type": "staggered_did", "data": "districts", "cohort": "wave", "control": "all"},
            "design.control",
        ),
        (
            "district_rollout",
            {"type": "staggered_did", "data": "districts", "cohort": "wave", "anticipation": -1},
            "design.anticipation",
        ),
        (
            "district_rollout",
            {"type": "staggered_did", "data": "districts", "cohort": "wave", "arm": "x"},
            "design.arm",
        ),
    ],
)
def test_bad_keys_name_the_key(tmp_path: Path, sample: str, design: dict, key: str) -> None:
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        load(_write(tmp_path, sample, design))


def test_control_that_is_not_an_arm_names_the_key(tmp_path: Path) -> None:
    design = {"type": "rct", "data": "survey", "arm": "arm", "control": "placebo"}
    with pytest.raises(ConfigError, match=r"design\.control.*'placebo'"):
        analyse(_write(tmp_path, "cookstoves_trial", design))


def test_cohort_that_changes_within_a_unit_is_a_named_error(tmp_path: Path) -> None:
    design = {"type": "staggered_did", "data": "districts", "cohort": "programme_active"}
    with pytest.raises(DataError, match="programme_active"):
        analyse(_write(tmp_path, "district_rollout", design))


def test_did_on_staggered_timing_warns(tmp_path: Path) -> None:
    frame = pd.read_csv(SAMPLE_DATA / "district_rollout" / "districts.csv")
    frame["ever_treated"] = (frame["wave"] > 0).astype(int)
    # each treated district is "post" from its own start; comparison districts from 2021
    never = frame["wave"] == 0
    frame["post"] = frame["programme_active"].where(~never, (frame["year"] >= 2021).astype(int))
    frame.to_csv(tmp_path / "districts.csv", index=False)
    design = {
        "type": "did",
        "data": "districts",
        "treated": "ever_treated",
        "post": "post",
        "cluster": "district",
    }
    path = _write(tmp_path, "district_rollout", design)
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["data"] = {"districts": str(tmp_path / "districts.csv")}
    config["indicators"]["outcomes"] = ["facility_births"]
    config["subgroups"] = []
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    a = analyse(path)
    effect = a.outcome("facility_births").effect
    assert effect is not None
    assert any("staggered" in n and "Goodman-Bacon" in n for n in effect.notes)
    assert any("staggered_did" in str(x) for x in a.runner.exhibits(a))


def test_did_on_common_timing_does_not_warn() -> None:
    a = analyse(SAMPLE_DATA / "water_filter" / "initiative.yaml")
    effect = a.outcome("diarrhoea_prevalence").effect
    assert effect is not None
    assert not any("staggered" in n for n in effect.notes)
