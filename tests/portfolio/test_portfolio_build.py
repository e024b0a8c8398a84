"""GeoJSON checks, roll-ups, the PDF and the HTML page (static checks; the browser test is apart)."""

from __future__ import annotations

import argparse
import html
import json
import re
from pathlib import Path

import pytest

from impactkit.errors import CoordinateError, GeoKeyError, PortfolioError
from impactkit.portfolio import build_portfolio, command, load_portfolio, read_geojson, rollup
from impactkit.portfolio.geo import Projection, match_areas

GEOJSON = Path(__file__).resolve().parents[2] / "sample_data" / "geo" / "districts.geojson"


def test_sample_districts_read_and_match() -> None:
    areas = read_geojson(GEOJSON, "district")
    assert len(areas) == 15  # six for the tests, nine named by the sample initiatives
    assert [a.name for a in match_areas(areas, ["Kelo", "Oruva"])] == ["Kelo", "Oruva"]


def test_unmatched_keys_are_listed() -> None:
    areas = read_geojson(GEOJSON, "district")
    with pytest.raises(GeoKeyError, match=r"'Atlantis', 'Lemuria'.*'Kelo'"):
        match_areas(areas, ["Kelo", "Atlantis", "Lemuria"])


def test_geojson_errors(tmp_path: Path) -> None:
    data = json.loads(GEOJSON.read_text())
    data["features"][2]["geometry"]["coordinates"][0][1] = [200.0, -18.0]
    bad = tmp_path / "bad.geojson"
    bad.write_text(json.dumps(data))
    with pytest.raises(CoordinateError, match=r"features\[2\].*200"):
        read_geojson(bad, "district")
    with pytest.raises(PortfolioError, match="no property 'name'"):
        read_geojson(GEOJSON, "name")


def test_projection_maps_the_box_onto_the_canvas() -> None:
    proj = Projection.fit([(-22.0, -20.0), (-17.0, -17.0)], 700, 400)
    for lon, lat in [(-22.0, -20.0), (-17.0, -17.0)]:
        x, y = proj(lon, lat)
        assert 0 < x < 700 and 0 < y < 400
    assert proj(-22, -18)[0] < proj(-17, -18)[0]  # east is right
    assert proj(-20, -20)[1] > proj(-20, -17)[1]  # north is up


def test_rollups(portfolio_results: dict[str, Path]) -> None:
    records = load_portfolio(list(portfolio_results.values()))
    by_region = rollup(records, "region").set_index("region")
    assert by_region.loc["South", "initiatives"] == 2 and by_region.loc["North", "initiatives"] == 1
    by_sdg = rollup(records, "sdg").set_index("sdg")
    # water (3.2) and cookstoves (3.9.1) both serve SDG 3; each initiative counts once per goal
    assert by_sdg.loc["SDG 3", "initiatives"] == 2 and "SDG 4" in by_sdg.index
    assert rollup(records, "evidence_strength")["initiatives"].sum() == 3
    verdicts = rollup(records, "verdict")
    assert verdicts["initiatives"].sum() == 3


def test_build_writes_html_and_pdf(portfolio_results: dict[str, Path], tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "out"
    built = build_portfolio(
        list(portfolio_results.values()), out / "portfolio.pdf", out / "portfolio.html"
    )
    text = " ".join(p.extract_text() for p in PdfReader(str(built.pdf)).pages)
    for name in ("Clean Water at Home", "Cleaner Kitchens", "Learning Boost", "By region", "Map"):
        assert name in text
    page = (out / "portfolio.html").read_text()
    assert 'href="../portfolio/water_filter.pdf"' in page or "water_filter.pdf" in page
    _assert_offline(page)


def _assert_offline(page: str) -> None:
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None and "default-src 'none'" in html.unescape(csp.group(1))
    assert not re.search(r"\b(src|srcset)\s*=", page), "nothing is loaded from anywhere"
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", page), (
        "no URL but the SVG namespace"
    )
    assert "@import" not in page and "url(" not in page


def test_user_text_is_escaped(portfolio_results: dict[str, Path], tmp_path: Path) -> None:
    data = json.loads(portfolio_results["tutoring"].read_text())
    data["initiative"] = '<script>alert("x")</script> & Co'
    data["report_file"] = None
    path = tmp_path / "evil.results.json"
    path.write_text(json.dumps(data))
    build_portfolio([path], out_html=tmp_path / "p.html")
    page = (tmp_path / "p.html").read_text()
    assert '<script>alert("x")' not in page and "&lt;script&gt;alert" in page
    assert page.count("<script>") == 1


def test_geojson_key_mismatch_from_a_results_file(
    portfolio_results: dict[str, Path], tmp_path: Path
) -> None:
    data = json.loads(portfolio_results["water_filter"].read_text())
    data["location"]["admin_areas"] = ["Kelo", "Nowhere"]
    data["location"]["geojson"]["file"] = str(GEOJSON)
    path = tmp_path / "w.results.json"
    path.write_text(json.dumps(data))
    with pytest.raises(GeoKeyError, match="'Nowhere'"):
        build_portfolio([path], out_html=tmp_path / "p.html")
    assert not (tmp_path / "p.html").exists()


def test_command(
    portfolio_results: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser(prog="impactkit")
    command.add_parser(parser.add_subparsers())
    directory = str(portfolio_results["tutoring"].parent)
    args = parser.parse_args(["portfolio", directory, "--html", str(tmp_path / "p.html")])
    assert args.run(args) == 0
    assert "wrote" in capsys.readouterr().out
    args = parser.parse_args(
        ["portfolio", str(tmp_path / "none.results.json"), "--html", str(tmp_path / "q.html")]
    )
    assert command.run(args) == 2
    assert "no such results file" in capsys.readouterr().err
    assert command.run(parser.parse_args(["portfolio", directory])) == 2


def test_pdf_holds_the_meta_analysis_and_forest_plot(
    portfolio_results: dict[str, Path], tmp_path: Path
) -> None:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from pypdf import PdfReader

    from impactkit.portfolio import forest_plot, meta_by_indicator

    data = json.loads(portfolio_results["water_filter"].read_text())
    twin = dict(data, initiative="Clean Water, second district")
    twin["headline"] = [dict(h, estimate=h["estimate"] / 2) for h in data["headline"]]
    paths = [portfolio_results["water_filter"], tmp_path / "twin.results.json"]
    paths[1].write_text(json.dumps(twin))
    (tmp_path / "districts.geojson").write_text(GEOJSON.read_text())
    built = build_portfolio(paths, tmp_path / "p.pdf")
    assert {m.indicator for m in built.analyses} == {h["indicator"] for h in data["headline"]}
    text = " ".join(p.extract_text() for p in PdfReader(str(built.pdf)).pages)
    assert "Meta-analysis" in text and "diarrhoea_prevalence (difference), 2 estimates" in text
    ax = Figure().add_subplot()
    assert forest_plot(meta_by_indicator(list(built.records))[0][0], ax=ax) is ax
    assert isinstance(ax, Axes) and len(ax.get_yticks()) == 3
