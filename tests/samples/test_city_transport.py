"""The city_transport sample (one treated city, 30 comparison cities): documented, generated
from its stated truth, and the synthetic-control report recovers the built-in effects.

The true effects come from :data:`sample_data.generate.CITY_TRANSPORT` (the dataclass the
generator draws from), never from the estimator.  That the report builds is checked by
``tests/report/test_report.py``, which builds every sample initiative.
"""

from __future__ import annotations

import dataclasses
import time

import pandas as pd
import pytest
from _testpaths import SAMPLE_DATA

import sample_data.generate as GEN
from impactkit.analysis import analyse
from impactkit.effects import SyntheticControlResult
from impactkit.report.sections import outcomes

FOLDER = SAMPLE_DATA / "city_transport"
TRUTH = GEN.CITY_TRANSPORT
TRUE_EFFECTS = {
    "public_transport_share": TRUTH.share_effect,
    "car_km_per_resident": TRUTH.km_effect,
    "road_injury_rate": TRUTH.injury_effect,
}


@pytest.fixture(scope="module")
def timed_analysis():
    start = time.process_time()
    analysis = analyse(FOLDER / "initiative.yaml")
    return analysis, time.process_time() - start


def test_every_outcome_interval_covers_the_true_effect(timed_analysis):
    analysis, _ = timed_analysis
    for indicator, truth in TRUE_EFFECTS.items():
        r = analysis.outcome(indicator)
        assert isinstance(r.detail, SyntheticControlResult)
        assert r.effect is not None
        assert r.effect.ci_low < truth < r.effect.ci_high, (indicator, r.effect)
        assert r.effect.ci_high - r.effect.ci_low < 2.5 * abs(truth)  # informative, not vague
        assert r.detail.placebo_p_value == pytest.approx(1 / 31)  # Riverton ranks first


def test_analysis_takes_a_few_seconds(timed_analysis):
    _, seconds = timed_analysis
    assert seconds < 15, f"{seconds:.1f} s of CPU for the analysis"


def test_outcome_section_shows_the_synthetic_control_exhibits(timed_analysis):
    analysis, _ = timed_analysis
    html = str(outcomes(analysis))
    assert html.count("<svg") >= 2 + 2 * 3  # forest plots + 3 charts per headline outcome
    for words in ("Largest donor weights", "Placebo test", "Pre-period fit", "Riverton"):
        assert words in html


def test_data_md_states_the_truth_and_every_column():
    text = (FOLDER / "DATA.md").read_text(encoding="utf-8")
    for field in dataclasses.fields(TRUTH):
        assert f"| {field.name} | {GEN.fmt_value(getattr(TRUTH, field.name))} |" in text
    header = pd.read_csv(FOLDER / "cities.csv", nrows=0).columns
    for column in header:
        assert f"| `{column}` |" in text
    assert f"{TRUTH.replications} placebo replications" in text


def test_panel_is_complete_and_matches_the_design():
    data = pd.read_csv(FOLDER / "cities.csv")
    assert data["city"].nunique() == TRUTH.comparison_cities + 1
    assert data.groupby("city")["year"].nunique().eq(TRUTH.last_year - TRUTH.first_year + 1).all()
    assert set(data.loc[data["treated"] == 1, "city"]) == {TRUTH.treated_city}
    config = (FOLDER / "initiative.yaml").read_text(encoding="utf-8")
    assert f"replications: {TRUTH.replications}" in config
    assert f"intervention: {TRUTH.intervention_year}" in config
