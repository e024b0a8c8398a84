"""District maps: the choropleth chart, the numbers behind it, unmatched GeoJSON keys."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

import impactkit as ik
from impactkit.errors import AreaKeyError, ConfigError, DataError, GeoKeyError
from impactkit.portfolio import read_geojson
from impactkit.report import sections

matplotlib.use("Agg")
ROOT = Path(__file__).resolve().parents[2]
WATER = ROOT / "sample_data" / "water_filter"
GEO = ROOT / "sample_data" / "geo" / "districts.geojson"


@pytest.fixture(scope="module")
def water() -> ik.ImpactAnalysis:
    return ik.analyse(WATER / "initiative.yaml")


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"area": ["Riverside", "Central"], "value": [0.2, 0.4], "n": [300, 12]})


def test_choropleth_draws_every_area_and_marks_thin_and_empty_ones() -> None:
    areas = [a for a in read_geojson(GEO, "district") if a.name in ("Riverside", "Central", "Kelo")]
    ax = Figure().add_subplot()
    out = ik.charts.choropleth(areas, _frame(), ax=ax, pct=True, label="share")
    assert out is ax and isinstance(out, Axes)
    gids = [p.get_gid() for p in ax.patches]
    assert {"area-Riverside", "area-Central", "area-Kelo"} <= set(gids)
    assert "thin-Central" in gids and "thin-Riverside" not in gids  # 12 < 30 respondents
    kelo = next(p for p in ax.patches if p.get_gid() == "area-Kelo")
    assert kelo.get_hatch() == "..."  # served, no data
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "n = 300" in texts and "n = 12*" in texts and "Kelo\nno data" in texts
    fills = {p.get_gid(): p.get_facecolor() for p in ax.patches}
    assert fills["area-Riverside"] != fills["area-Central"]


def test_choropleth_names_an_area_without_a_shape() -> None:
    areas = read_geojson(GEO, "district")
    frame = _frame().assign(area=["Riverside", "Atlantis"])
    with pytest.raises(DataError, match="'Atlantis'.*'Kelo'"):
        ik.charts.choropleth(areas, frame)


def test_choropleth_does_not_change_its_input() -> None:
    frame = _frame()
    before = frame.copy()
    ik.charts.choropleth(read_geojson(GEO, "district"), frame, ax=Figure().add_subplot())
    pd.testing.assert_frame_equal(frame, before)


def test_the_layers_agree_with_pandas(water: ik.ImpactAnalysis) -> None:
    """Independent check: the same shares by plain pandas group-bys of the CSV files."""
    assert water.maps is not None
    headline, last_stage = water.maps.layers
    survey = pd.read_csv(WATER / "households.csv")
    endline = survey[(survey["round"] == "endline") & (survey["children_under5"] > 0)]
    endline = endline.dropna(subset=["child_diarrhoea_2wk"])
    expected = endline.groupby("district")["child_diarrhoea_2wk"].agg(["mean", "size"])
    got = headline.values.set_index("area")
    for district, row in expected.iterrows():
        assert got.loc[district, "value"] == pytest.approx(row["mean"], rel=1e-12)
        assert got.loc[district, "n"] == row["size"]
    dist = pd.read_csv(WATER / "distribution.csv")
    shares = dist.groupby("district")["correct_use"].agg(["mean", "size"])
    got = last_stage.values.set_index("area")
    for district, row in shares.iterrows():
        assert got.loc[district, "value"] == pytest.approx(row["mean"], rel=1e-12)
        assert got.loc[district, "n"] == row["size"]
        assert got.loc[district, "ci_low"] < row["mean"] < got.loc[district, "ci_high"]


def test_the_report_section_draws_both_maps(water: ik.ImpactAnalysis) -> None:
    html = sections.maps(water).html
    assert html.count("<svg") == 2
    for name in ("Riverside", "Central", "Hillside"):
        assert name in html


def test_data_areas_missing_from_the_geojson_are_listed(tmp_path: Path) -> None:
    folder = tmp_path / "water_filter"
    shutil.copytree(WATER, folder)
    geo = json.loads((folder / "districts.geojson").read_text(encoding="utf-8"))
    geo["features"] = [f for f in geo["features"] if f["properties"]["district"] != "Hillside"]
    (folder / "districts.geojson").write_text(json.dumps(geo), encoding="utf-8")
    yaml = folder / "initiative.yaml"
    text = yaml.read_text(encoding="utf-8").replace(
        "admin_areas: [Riverside, Central, Hillside]", "admin_areas: [Riverside, Central]"
    )
    yaml.write_text(text, encoding="utf-8")
    with pytest.raises(AreaKeyError, match=r"key 'geography'.*'Hillside'.*'Riverside', 'Central'"):
        ik.analyse(yaml)
    assert issubclass(AreaKeyError, GeoKeyError) and issubclass(AreaKeyError, ConfigError)
