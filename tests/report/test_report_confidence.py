"""The report's interval labels follow the analysis' confidence level (issue 10): at 90 %
every section says "90 % CI" / "90 % interval" and never "95 %"."""

from __future__ import annotations

import pytest
from _testpaths import SAMPLE_DATA

from impactkit.analysis import ImpactAnalysis, analyse
from impactkit.report import sections


@pytest.fixture(scope="module")
def water_90() -> ImpactAnalysis:
    return analyse(SAMPLE_DATA / "water_filter" / "initiative.yaml", confidence=0.90)


@pytest.mark.parametrize("section", ["cover", "adoption", "outcomes", "subgroups", "methods"])
def test_labels_follow_the_confidence_level(water_90: ImpactAnalysis, section: str) -> None:
    html = str(getattr(sections, section)(water_90))
    assert "90 %" in html
    assert "95 %" not in html


def test_default_level_still_prints_95(water_90: ImpactAnalysis) -> None:
    a = analyse(SAMPLE_DATA / "water_filter" / "initiative.yaml")
    assert a.confidence == 0.95 and water_90.confidence == 0.90
    assert "95 % CI" in str(sections.outcomes(a))
