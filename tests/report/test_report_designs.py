"""The randomised and staggered reports show their design's own exhibits, and results.json
carries their rows and evidence strength (numbers computed here with the library)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from impactkit.analysis import analyse
from impactkit.effects import RCTResult, StaggeredResult
from impactkit.report import build

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.report


@pytest.fixture(scope="module", params=["cookstoves_trial", "district_rollout"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    name = request.param
    initiative = ROOT / "sample_data" / name / "initiative.yaml"
    out = tmp_path_factory.mktemp(name) / f"{name}.html"
    result = build(initiative, out=out, format="html")
    html = re.sub(r"\s+", " ", result.report.read_text(encoding="utf-8"))
    payload = json.loads(result.report.with_suffix(".results.json").read_text(encoding="utf-8"))
    return name, html, payload, analyse(initiative)


def test_design_exhibits_are_in_the_report(built) -> None:
    name, html, _, analysis = built
    detail = analysis.headline[0].detail
    if name == "cookstoves_trial":
        assert isinstance(detail, RCTResult)
        assert "Balance at baseline" in html and "SMD" in html
        assert "Attrition by arm" in html and "differential attrition" in html
        assert "Lee (2009) bounds" in html
        assert "endline mean by arm" in html
        assert "wild cluster bootstrap" in html
    else:
        assert isinstance(detail, StaggeredResult)
        assert "average effect in each wave" in html
        assert "Event study" in html and ("<svg" in html or "<img" in html)
        assert "Pre-trend Wald test" in html
        assert "two-way fixed-effects" in html and "Goodman-Bacon" in html


def test_results_json_rows_and_evidence_strength(built) -> None:
    name, _, payload, analysis = built
    assert payload["evidence_strength"] == analysis.runner.evidence_strength()
    sections = {r["section"] for r in payload["results"]}
    if name == "cookstoves_trial":
        assert payload["evidence_strength"] == "randomised"
        assert {"balance", "attrition", "arm_mean", "lee_bounds"} <= sections
        detail = analysis.headline[0].detail
        assert isinstance(detail, RCTResult)
        smd = [r["value"] for r in payload["results"] if r["section"] == "balance"]
        assert smd[: len(detail.balance)] == pytest.approx(list(detail.balance["smd"]))
    else:
        assert payload["evidence_strength"] == "quasi-experimental"
        assert {"cohort_effect", "event_time_effect", "pre_trend", "twfe_comparison"} <= sections
        detail = analysis.headline[0].detail
        assert isinstance(detail, StaggeredResult)
        by = detail.aggregate("group").table
        rows = [
            r
            for r in payload["results"]
            if r["section"] == "cohort_effect" and r["item"] == analysis.headline[0].indicator.id
        ]
        assert [r["value"] for r in rows] == pytest.approx(list(by["estimate"]))
