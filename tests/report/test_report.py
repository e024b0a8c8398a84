"""End to end: initiative file -> PDF, results files, clean failures.

The numbers looked for in the PDF are computed here by calling the library directly
(:func:`impactkit.analysis.analyse`), never copied into the test as literals.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from impactkit.analysis import ImpactAnalysis, analyse, is_share
from impactkit.cli import find_initiatives
from impactkit.errors import ConfigError, ReportError
from impactkit.report import build

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = find_initiatives(ROOT / "sample_data")

pytestmark = pytest.mark.report


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def pct(value: float) -> str:
    return f"{100 * value:.1f} %"


@pytest.fixture(scope="module", params=SAMPLES, ids=lambda p: p.parent.name)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    initiative: Path = request.param
    out = tmp_path_factory.mktemp(initiative.parent.name) / f"{initiative.parent.name}.pdf"
    result = build(initiative, out=out)
    return initiative, result, analyse(initiative)


def test_samples_exist() -> None:
    assert "water_filter" in [p.parent.name for p in SAMPLES]


def test_pdf_opens_and_names_the_initiative(built) -> None:
    initiative, result, analysis = built
    assert result.report.exists() and result.report.stat().st_size > 10_000
    text = pdf_text(result.report)
    assert analysis.initiative.name in text
    assert analysis.initiative.organisation in text
    for _, title in (
        ("summary", "Executive summary"),
        ("methods", "Methods and assumptions"),
        ("data-quality", "Appendix: data quality"),
    ):
        assert title in text


def test_pdf_shows_the_headline_numbers(built) -> None:
    _, result, analysis = built
    text = pdf_text(result.report)
    for r in analysis.headline:
        assert r.effect is not None
        if is_share(r.indicator):  # shown as percentages, changes in percentage points
            minus = {ord("-"): "\u2212"}  # the report prints one (typographic) minus sign
            expected = [
                pct(r.before),
                pct(r.after),
                f"{100 * r.effect.estimate:+.1f} pp".translate(minus),
                f"{100 * r.effect.ci_low:+.1f} to {100 * r.effect.ci_high:+.1f}".translate(minus),
            ]
        else:
            from impactkit._display import fmt

            expected = [fmt(r.before), fmt(r.after), fmt(r.effect.ci_low), fmt(r.effect.ci_high)]
        for number in expected:
            assert number in text, f"{number!r} not in the PDF text"
        assert r.verdict in text


def test_results_json_matches_the_library(built) -> None:
    _, result, analysis = built
    payload = json.loads(result.results_json.read_text())
    assert payload["initiative"] == analysis.initiative.name
    assert payload["data_fingerprint"] == analysis.initiative.fingerprint()
    effects = {
        r["item"]: r
        for r in payload["results"]
        if r["section"] == "effect" and r["statistic"] == "change"
    }
    for r in analysis.outcomes:
        if r.effect is None:
            continue
        row = effects[r.indicator.id]
        assert row["value"] == pytest.approx(r.effect.estimate, rel=1e-12)
        assert row["ci_low"] == pytest.approx(r.effect.ci_low, rel=1e-12)
        assert row["ci_high"] == pytest.approx(r.effect.ci_high, rel=1e-12)
        assert row["verdict"] == r.verdict
    csv = result.results_csv.read_text().splitlines()
    assert len(csv) == len(payload["results"]) + 1


def test_pages_are_not_blank(built) -> None:
    import pypdfium2 as pdfium

    _, result, _ = built
    pdf = pdfium.PdfDocument(str(result.report))
    assert len(pdf) >= 4
    for i in range(len(pdf)):
        pixels = np.asarray(pdf[i].render(scale=0.5).to_pil().convert("L"))
        inked = (pixels < 200).mean()
        assert inked > 0.005, f"page {i + 1} looks blank ({inked:.4f} inked)"
    pdf.close()


def _broken_copy(tmp_path: Path) -> Path:
    source = ROOT / "sample_data" / "water_filter"
    target = tmp_path / "broken"
    shutil.copytree(source, target)
    path = target / "initiative.yaml"
    path.write_text(path.read_text().replace("type: did", "type: randomised"))
    return path


def test_broken_config_fails_cleanly_from_python(tmp_path: Path) -> None:
    out = tmp_path / "out" / "broken.pdf"
    with pytest.raises(ConfigError, match="design.type"):
        build(_broken_copy(tmp_path), out=out)
    assert not out.exists()
    assert not (out.parent.exists() and any(out.parent.iterdir()))


def test_broken_config_fails_cleanly_from_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "broken.pdf"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "impactkit.cli",
            "report",
            str(_broken_copy(tmp_path)),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "design.type" in proc.stderr and "initiative.yaml" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()


def test_bad_data_fails_cleanly(tmp_path: Path) -> None:
    path = _broken_copy(tmp_path)
    path.write_text(path.read_text().replace("type: randomised", "type: did"))
    survey = path.parent / "households.csv"
    survey.write_text(survey.read_text().replace("treated,", "treatment_flag,", 1))
    out = tmp_path / "bad.pdf"
    proc = subprocess.run(
        [sys.executable, "-m", "impactkit.cli", "report", str(path), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2, proc.stderr
    assert "'treated'" in proc.stderr
    assert not out.exists()


def test_failure_while_printing_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import weasyprint

    def explode(self: object, target: str) -> None:
        Path(target).write_bytes(b"%PDF-1.7 half")
        raise OSError("disk full")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", explode)
    out = tmp_path / "water.pdf"
    with pytest.raises(ReportError, match="disk full"):
        build(ROOT / "sample_data" / "water_filter" / "initiative.yaml", out=out)
    assert list(tmp_path.iterdir()) == []


def test_analysis_is_what_the_report_uses() -> None:
    analysis = analyse(ROOT / "sample_data" / "water_filter" / "initiative.yaml")
    assert isinstance(analysis, ImpactAnalysis)
    assert 3 <= len(analysis.findings()) <= 5
    frame = analysis.results_frame()
    assert {"section", "item", "value", "ci_low", "ci_high", "method"} <= set(frame.columns)
    ok = frame.dropna(subset=["ci_low", "ci_high", "value"])
    assert ((ok["ci_low"] <= ok["value"] + 1e-12) & (ok["value"] <= ok["ci_high"] + 1e-12)).all()


def test_version_command() -> None:
    from impactkit import __version__

    proc = subprocess.run(
        [sys.executable, "-m", "impactkit.cli", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert __version__ in proc.stdout


def test_letter_paper_and_kept_notebook(tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "water.pdf"
    result = build(
        ROOT / "sample_data" / "water_filter" / "initiative.yaml",
        out=out,
        paper="letter",
        keep_notebook=True,
    )
    box = PdfReader(str(result.report)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)  # 8.5 x 11 in
    assert result.notebook is not None and result.notebook.exists()


def test_html_output_has_no_code(tmp_path: Path) -> None:
    out = tmp_path / "water.html"
    result = build(
        ROOT / "sample_data" / "water_filter" / "initiative.yaml", out=out, format="html"
    )
    html = result.report.read_text()
    assert "Executive summary" in html
    for code in ("sections.cover", "import impactkit", "analysis = ik.analyse"):
        assert code not in html
    assert "@page" in html and "size: A4" in html


def test_output_name_must_match_the_format(tmp_path: Path) -> None:
    out = tmp_path / "water.pdf"
    with pytest.raises(ReportError, match="does not match --format html"):
        build(ROOT / "sample_data" / "water_filter" / "initiative.yaml", out=out, format="html")
    assert not out.exists()


def test_outputs_are_readable_by_others(built) -> None:
    import os
    import stat

    _, result, _ = built
    mask = os.umask(0)
    os.umask(mask)
    for path in (result.report, result.results_csv, result.results_json):
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask


def test_built_results_json_follows_schema_1_0_and_names_the_report(built) -> None:
    from impactkit.portfolio import load_results, validate_results

    _, result, analysis = built
    payload = json.loads(result.results_json.read_text())
    validate_results(payload, result.results_json)
    assert payload["report_file"] == result.report.name
    record = load_results(result.results_json)  # the GeoJSON path resolves from the file
    if analysis.initiative.location is None:  # the samples added later have no location yet
        return
    assert record.location.geojson_file is not None and record.location.geojson_file.is_file()


def test_pdf_has_the_district_maps(built) -> None:
    _, result, analysis = built
    text = pdf_text(result.report)
    if analysis.initiative.geography is None:  # no map section, and no contents entry for it
        assert "Where: results by area" not in text
        return
    assert "Where: results by area" in text
    assert analysis.maps is not None
    for area in analysis.maps.areas:
        assert area.name in text
