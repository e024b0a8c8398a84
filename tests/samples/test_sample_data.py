"""Checks of the synthetic sample initiatives in sample_data/ and of their generator.

These validate the *data* (deterministic, documented, consistent with the schema, and
generated from the stated true effects), not the library: the effect estimates below are
computed with statsmodels directly.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
import yaml
from _samples import INITIATIVES
from _testpaths import SAMPLE_DATA
from statsmodels.stats.weightstats import DescrStatsW

import sample_data.generate as GEN
from impactkit.initiative import TOP_KEYS

MAX_BYTES = 5 * 1024 * 1024

REQUIRED_TOP_KEYS = {
    "name",
    "organisation",
    "description",
    "period",
    "data",
    "indicators",
    "design",
}
INDICATOR_KINDS = {"proportion", "mean", "sum", "rate", "ratio"}
DIRECTIONS = {"increase", "decrease", "neutral"}


def _config(name: str) -> dict:
    return yaml.safe_load((SAMPLE_DATA / name / "initiative.yaml").read_text(encoding="utf-8"))


def _catalog(name: str) -> list[dict]:
    return yaml.safe_load((SAMPLE_DATA / name / "indicators.yaml").read_text(encoding="utf-8"))[
        "indicators"
    ]


def _data(name: str, key: str) -> pd.DataFrame:
    return pd.read_csv(SAMPLE_DATA / name / _config(name)["data"][key])


def _generated_files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    first = tmp_path_factory.mktemp("gen1")
    second = tmp_path_factory.mktemp("gen2")
    GEN.main(["--out", str(first)])
    GEN.main(["--out", str(second)])
    return first, second


# ------------------------------------------------------------------------------------------
# determinism, size, presence
# ------------------------------------------------------------------------------------------


def test_generator_is_deterministic(two_runs: tuple[Path, Path]) -> None:
    first, second = two_runs
    a, b = _generated_files(first), _generated_files(second)
    assert a.keys() == b.keys()
    assert set(a) >= {f"{name}/DATA.md" for name in INITIATIVES}
    for path in a:
        assert a[path] == b[path], f"{path} differs between two runs"


def test_committed_files_match_generator(two_runs: tuple[Path, Path]) -> None:
    generated = _generated_files(two_runs[0])
    for path, content in generated.items():
        committed = SAMPLE_DATA / path
        assert committed.exists(), f"{path} is generated but not committed"
        assert committed.read_bytes() == content, f"{path}: rerun python -m sample_data.generate"


def test_total_size_under_limit() -> None:
    total = sum(
        p.stat().st_size
        for name in INITIATIVES
        for p in (SAMPLE_DATA / name).rglob("*")
        if p.is_file()
    )
    assert total < MAX_BYTES, f"sample data is {total} bytes"


@pytest.mark.parametrize("name", INITIATIVES)
def test_folder_has_required_files(name: str) -> None:
    folder = SAMPLE_DATA / name
    for required in ("initiative.yaml", "indicators.yaml", "DATA.md"):
        assert (folder / required).is_file(), f"{name}/{required} missing"
    for key, file in _config(name)["data"].items():
        assert (folder / file).is_file(), f"{name}: data '{key}' -> {file} missing"
        assert file.endswith(".csv")


# ------------------------------------------------------------------------------------------
# documentation
# ------------------------------------------------------------------------------------------


def _documented_columns(data_md: str) -> dict[str, list[str]]:
    """Map each ``## `file.csv` `` section of DATA.md to the columns in its table."""
    sections = re.split(r"^## ", data_md, flags=re.MULTILINE)
    out: dict[str, list[str]] = {}
    for section in sections:
        header = re.match(r"`([^`]+\.csv)`", section)
        if header:
            out[header.group(1)] = re.findall(r"^\| `([^`]+)` \|", section, flags=re.MULTILINE)
    return out


@pytest.mark.parametrize("name", INITIATIVES)
def test_every_column_is_documented(name: str) -> None:
    documented = _documented_columns((SAMPLE_DATA / name / "DATA.md").read_text(encoding="utf-8"))
    for file in _config(name)["data"].values():
        header = pd.read_csv(SAMPLE_DATA / name / file, nrows=0).columns.tolist()
        assert file in documented, f"{name}/DATA.md has no section for {file}"
        assert documented[file] == header, f"{name}/{file}: DATA.md columns differ from the CSV"


@pytest.mark.parametrize("name", INITIATIVES)
def test_data_md_states_true_parameters(name: str) -> None:
    text = (SAMPLE_DATA / name / "DATA.md").read_text(encoding="utf-8")
    truth = GEN.TRUTHS[name]
    for field in dataclasses.fields(truth):
        formatted = GEN.fmt_value(getattr(truth, field.name))
        assert f"| {field.name} | {formatted} |" in text, f"{name}: {field.name} not stated"
    assert "What this sample teaches" in text


# ------------------------------------------------------------------------------------------
# schema, catalog, cascade
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", INITIATIVES)
def test_initiative_yaml_follows_schema(name: str) -> None:
    config = _config(name)
    assert REQUIRED_TOP_KEYS <= set(config), REQUIRED_TOP_KEYS - set(config)
    assert set(config) <= set(TOP_KEYS), set(config) - set(TOP_KEYS)
    assert set(config["period"]) == {"start", "end"}
    assert config["period"]["start"] < config["period"]["end"]
    design = config["design"]
    assert design["type"] in {"did", "pre_post", "its"}
    frame = _data(name, design["data"])
    wanted = {
        "did": ["treated", "post", "cluster"],
        "pre_post": [],
        "its": ["time"],
    }[design["type"]]
    for key in wanted:
        assert design[key] in frame.columns, f"{name}: design.{key} = {design[key]} not a column"
    for key in ("unit", "period", "group"):
        if key in config.get("columns", {}):
            assert config["columns"][key] in frame.columns
    if design["type"] == "pre_post":
        periods = set(frame[config["columns"]["period"]])
        assert {design["before"], design["after"]} == periods
    catalog_ids = {ind["id"] for ind in _catalog(name)}
    for key in ("headline", "outcomes"):
        assert set(config["indicators"][key]) <= catalog_ids
    assert 1 <= len(config["indicators"]["headline"]) <= 3
    if "costs" in config and "items" in config["costs"]:
        assert sum(config["costs"]["items"].values()) == config["costs"]["total"]
    for sub in config.get("subgroups", []):
        assert sub in frame.columns


@pytest.mark.parametrize("name", INITIATIVES)
def test_yaml_agrees_with_true_parameters(name: str) -> None:
    config = _config(name)
    truth = GEN.TRUTHS[name]
    assert config["costs"]["total"] == truth.costs_total
    assert config["costs"]["items"] == dict(truth.costs_items)
    pilot = config["lab"]["pilot_effect"]
    assert pilot["estimate"] == truth.pilot_effect
    assert tuple(pilot["ci"]) == truth.pilot_ci
    assert pilot["n"] == truth.pilot_n
    if hasattr(truth, "lab_efficacy"):
        assert config["lab"]["efficacy"] == truth.lab_efficacy
        assert tuple(config["lab"]["ci"]) == truth.lab_ci


@pytest.mark.parametrize("name", INITIATIVES)
def test_indicator_catalog_is_well_formed(name: str) -> None:
    catalog = _catalog(name)
    assert 3 <= len(catalog) <= 6
    ids = [ind["id"] for ind in catalog]
    assert len(ids) == len(set(ids))
    for ind in catalog:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", ind["id"])
        assert ind["kind"] in INDICATOR_KINDS
        assert ind["direction"] in DIRECTIONS
        for key in ("name", "description", "unit"):
            assert isinstance(ind[key], str) and ind[key]
        needed = {
            "proportion": {"numerator"},
            "mean": {"value"},
            "sum": {"value"},
            "rate": {"events", "exposure"},
            "ratio": {"numerator", "denominator"},
        }[ind["kind"]]
        assert needed <= set(ind), f"{name}/{ind['id']}: needs {needed}"


@pytest.mark.parametrize("name", INITIATIVES)
def test_cascade_is_monotone(name: str) -> None:
    cascade = _config(name)["adoption"]["cascade"]
    frame = _data(name, cascade["data"])
    stages = frame[cascade["stages"]].to_numpy()
    assert set(np.unique(stages)) <= {0, 1}
    assert (np.diff(stages, axis=1) <= 0).all(), "a later stage exceeds an earlier one"
    assert (stages.sum(axis=0)[1:] < stages.sum(axis=0)[:-1]).all(), "every stage loses units"


@pytest.mark.parametrize("name", ["water_filter", "cookstoves"])
def test_sustained_use_file(name: str) -> None:
    sustained = _config(name)["adoption"]["sustained_use"]
    frame = _data(name, sustained["data"])
    assert (frame[sustained["duration"]] > 0).all()
    assert set(frame[sustained["abandoned"]]) == {0, 1}


# ------------------------------------------------------------------------------------------
# the stated truth is recoverable (statsmodels directly, not impactkit)
# ------------------------------------------------------------------------------------------


def test_water_filter_did_interval_covers_truth() -> None:
    frame = _data("water_filter", "survey").dropna(subset=["child_diarrhoea_2wk"])
    fit = smf.ols("child_diarrhoea_2wk ~ treated * post", data=frame).fit(
        cov_type="cluster", cov_kwds={"groups": frame["village"]}
    )
    low, high = fit.conf_int().loc["treated:post"]
    truth = GEN.water_filter_expected_did()
    assert low < truth < high, (low, truth, high)
    assert high < 0, "the sample should show a clearly negative effect"


def test_water_filter_panel_structure() -> None:
    frame = _data("water_filter", "survey")
    assert not frame.duplicated(["household_id", "round"]).any()
    base = frame[frame["round"] == "baseline"]
    end = frame[frame["round"] == "endline"]
    attrition = 1 - len(end) / len(base)
    assert 0.04 < attrition < 0.12
    lost = ~base["household_id"].isin(end["household_id"])
    assert lost[base["wealth_quintile"] == 1].mean() > lost[base["wealth_quintile"] >= 3].mean()
    assert (base["children_under5"] >= 1).all()
    assert frame.loc[frame["children_under5"] == 0, "child_diarrhoea_2wk"].isna().all()
    assert frame.groupby("village")["treated"].nunique().max() == 1
    assert (frame["treated"] == (frame["arm"] == "treatment")).all()
    distribution = _data("water_filter", "distribution")
    assert set(distribution["household_id"]) == set(base.loc[base["treated"] == 1, "household_id"])


def _its_design(frame: pd.DataFrame, intervention: str) -> pd.DataFrame:
    month = pd.to_datetime(frame["month"])
    t = (month.dt.year - month.dt.year.iloc[0]) * 12 + month.dt.month - month.dt.month.iloc[0]
    t0 = t[month == pd.Timestamp(intervention)].iloc[0]
    post = (t >= t0).astype(int)
    angle = 2 * np.pi * month.dt.month / 12
    return pd.DataFrame(
        {
            "const": 1.0,
            "t": t,
            "post": post,
            "since": (t - t0) * post,
            "cos": np.cos(angle),
            "sin": np.sin(angle),
        }
    )


def test_tutoring_its_interval_covers_truth() -> None:
    config = _config("tutoring")
    frame = _data("tutoring", "monthly")
    intervention = str(config["design"]["intervention"])
    design = _its_design(frame, intervention)
    fit = sm.OLS(frame["mean_score"], design).fit(cov_type="HAC", cov_kwds={"maxlags": 3})
    ci = fit.conf_int()
    level = GEN.tutoring_expected_level_change()
    slope = GEN.tutoring_expected_slope_change()
    assert ci.loc["post", 0] < level < ci.loc["post", 1], (ci.loc["post"].tolist(), level)
    assert ci.loc["since", 0] < slope < ci.loc["since", 1], (ci.loc["since"].tolist(), slope)
    assert ci.loc["t", 0] < GEN.TUTORING.pre_slope < ci.loc["t", 1]
    # the at-scale effect is clearly below the pilot's lower confidence limit
    assert ci.loc["post", 1] < config["lab"]["pilot_effect"]["ci"][0]


def test_tutoring_series_structure() -> None:
    config = _config("tutoring")
    monthly = _data("tutoring", "monthly")
    sites = _data("tutoring", "site_months")
    truth = GEN.TUTORING
    assert len(monthly) == truth.months_pre + truth.months_post
    assert monthly["month"].is_unique and monthly["month"].is_monotonic_increasing
    assert (monthly["month"] < str(config["design"]["intervention"])).sum() == truth.months_pre
    assert not sites.duplicated(["site", "month"]).any()
    assert len(sites) < sum(truth.sites_adopted) * len(monthly), "some site-months are missing"
    assert (sites["students_assessed"] <= sites["students_enrolled"]).all()
    assert (sites["students_proficient"] <= sites["students_assessed"]).all()
    assert (
        sites["attendance_days"].dropna() <= sites["school_days"][sites["attendance_days"].notna()]
    ).all()
    rolled = sites.groupby("month")["students_assessed"].sum()
    assert (rolled.to_numpy() == monthly["students_assessed"].to_numpy()).all()
    students = _data("tutoring", "students")
    adopted = set(students.loc[students["site_adopted"] == 1, "site"])
    assert adopted == set(sites["site"])


@pytest.mark.parametrize("name", INITIATIVES)
def test_lead_validator_accepts_initiative(name: str) -> None:
    initiative = pytest.importorskip("impactkit.initiative")
    loaded = initiative.load(SAMPLE_DATA / name / "initiative.yaml")
    assert loaded.name == _config(name)["name"]


def test_cookstoves_paired_interval_covers_truth() -> None:
    frame = _data("cookstoves", "survey")
    wide = frame.pivot(index="household_id", columns="round", values="fuelwood_kg_day").dropna()
    stats = DescrStatsW((wide["after"] - wide["before"]).to_numpy())
    low, high = stats.tconfint_mean(alpha=0.05)
    truth = GEN.cookstoves_expected_change()
    assert low < truth < high, (low, truth, high)
    assert high < 0


def test_cookstoves_panel_structure() -> None:
    frame = _data("cookstoves", "survey")
    before = frame[frame["round"] == "before"]
    after = frame[frame["round"] == "after"]
    assert set(after["household_id"]) < set(before["household_id"])
    assert 0.04 < 1 - len(after) / len(before) < 0.15
    assert (before["stove_in_use"] == 0).all()
    sales = _data("cookstoves", "sales").set_index("household_id")
    in_use = after.set_index("household_id")["stove_in_use"]
    assert (in_use == sales.loc[in_use.index, "using_12m"]).all()
    # the rural subgroup adopts and sustains less
    by_urban = sales.groupby("urban")["using_12m"].mean()
    assert by_urban[0] < by_urban[1]
    positive = frame[["fuelwood_kg_day", "kitchen_pm25"]].stack().dropna()
    assert (positive > 0).all()
