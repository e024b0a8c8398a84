"""The portfolio keys of initiative.yaml: location, impact_areas, asset_class, sector, funder,
geography.  Each bad value is a ConfigError naming the file and the key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import impactkit as ik
from impactkit.errors import ConfigError
from impactkit.initiative import ASSET_CLASSES

ROOT = Path(__file__).resolve().parents[2]
WATER = ROOT / "sample_data" / "water_filter"


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "water_filter"
    if not folder.exists():
        shutil.copytree(WATER, folder)
    return folder / "initiative.yaml"


def _with(tmp_path: Path, old: str, new: str) -> Path:
    path = _copy(tmp_path)
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_the_samples_read_their_portfolio_keys() -> None:
    init = ik.load_initiative(WATER / "initiative.yaml")
    assert init.location is not None and init.location.country == "XA"
    assert init.location.admin_areas == ("Riverside", "Central", "Hillside")
    assert init.location.geojson_file == (WATER / "districts.geojson").resolve()
    assert init.impact_areas is not None and init.impact_areas.sdg_goals == (3, 6)
    assert init.impact_areas.sdg_targets == ("3.2", "6.1.1")
    assert init.asset_class == "grant" and init.sector and init.funder
    assert init.geography is not None and init.geography.column == "district"
    tutoring = ik.load_initiative(ROOT / "sample_data" / "tutoring" / "initiative.yaml")
    assert tutoring.geography is not None and tutoring.geography.data == "site_months"


def test_an_initiative_without_the_keys_still_loads(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.split("# Where it works")[0], encoding="utf-8")
    init = ik.load_initiative(path)
    assert init.location is None and init.impact_areas is None and init.geography is None


BAD = [
    ("country: XA", "country: Kenya", "location.country", "ISO 3166"),
    ("admin_areas: [Riverside, Central, Hillside]", "admin_areas: [Riverside, Atlantis]",
     "location.admin_areas", "'Atlantis'"),
    ("  country: XA\n", "  country: XA\n  points: [{lat: 91, lon: 10}]\n",
     r"location.points\[0\].lat", r"\[-90, 90\]"),
    ("  country: XA\n", "  country: XA\n  points: [{lat: 10, lon: -180.5}]\n",
     r"location.points\[0\].lon", r"\[-180, 180\]"),
    ("  country: XA\n", "  country: XA\n  points: [{lat: north, lon: 1}]\n",
     r"location.points\[0\].lat", "number"),
    ("  country: XA\n", "  country: XA\n  altitude: 3\n", "location.altitude", "unknown key"),
    ("sdg_goals: [3, 6]", "sdg_goals: [3, 18]", "impact_areas.sdg_goals", "1 to 17"),
    ('sdg_targets: ["3.2", "6.1.1"]', "sdg_targets: [3.2]", "impact_areas.sdg_targets",
     "in quotes"),
    ('sdg_targets: ["3.2", "6.1.1"]', 'sdg_targets: ["18.1"]', "impact_areas.sdg_targets",
     "goal 1 to 17"),
    ("imp_dimensions: [what, who, how_much, contribution, risk]", "imp_dimensions: [impact]",
     "impact_areas.imp_dimensions", "five IMP dimensions"),
    ("asset_class: grant", "asset_class: donation", "asset_class", "grant, loan"),
    ("geojson: {file: districts.geojson, key: district}",
     "geojson: {file: nowhere.geojson, key: district}", "location.geojson.file", "not found"),
    ("geography: {file: districts.geojson, key: district}",
     "geography: {file: districts.geojson, key: zone}", "geography.file", "no property 'zone'"),
    ("geography: {file: districts.geojson, key: district}",
     "geography: {file: districts.geojson, key: district, data: census}", "geography.data",
     "no data set 'census'"),
    ("geography: {file: districts.geojson, key: district}",
     "geography: {file: households.csv, key: district}", "geography.file", ".geojson"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "key", "message"), BAD, ids=[b[2] for b in BAD])
def test_bad_portfolio_keys_name_the_file_and_key(
    tmp_path: Path, old: str, new: str, key: str, message: str
) -> None:
    path = _with(tmp_path, old, new)
    with pytest.raises(ConfigError, match=rf"initiative\.yaml: key '{key}'.*{message}"):
        ik.load_initiative(path)


def test_asset_class_is_normalised(tmp_path: Path) -> None:
    init = ik.load_initiative(_with(tmp_path, "asset_class: grant", "asset_class: Public_Budget"))
    assert init.asset_class == "public budget" and init.asset_class in ASSET_CLASSES


@settings(max_examples=25, deadline=None)
@given(
    goal=st.integers(1, 17),
    target=st.one_of(st.integers(1, 19).map(str), st.sampled_from("abcd")),
    indicator=st.one_of(st.none(), st.integers(1, 9)),
)
def test_any_sdg_target_is_kept_as_written_and_adds_its_goal(
    tmp_path_factory: pytest.TempPathFactory, goal: int, target: str, indicator: int | None
) -> None:
    code = f"{goal}.{target}" + ("" if indicator is None else f".{indicator}")
    path = _with(tmp_path_factory.mktemp("sdg"), 'sdg_targets: ["3.2", "6.1.1"]',
                 f'sdg_targets: ["{code}"]')  # fmt: skip
    areas = ik.load_initiative(path).impact_areas
    assert areas is not None and areas.sdg_targets == (code,)
    assert set(areas.sdg_goals) == {3, 6, goal}
