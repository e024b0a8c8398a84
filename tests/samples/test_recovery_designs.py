"""The staggered and randomised samples recover the true effects built into them.

district_rollout: waves whose effects differ and grow, so the two-way fixed-effects DiD is
biased (Goodman-Bacon 2021) — its 95 % interval excludes the true average effect — while the
Callaway & Sant'Anna estimate (the report's headline) covers it, overall and for every wave.
cookstoves_trial: the ANCOVA intervals (wild cluster bootstrap, 24 villages) cover each true
effect and the Lee bounds' interval contains it.  Truths come from the generator's dataclasses
(sample_data/generate/), never from the code under test.
"""

from __future__ import annotations

from functools import cache

import pandas as pd
import pytest
import statsmodels.formula.api as smf
from _testpaths import SAMPLE_DATA

import sample_data.generate as GEN
from impactkit.analysis import ImpactAnalysis, analyse
from impactkit.analysis.designs._twfe import twfe
from impactkit.effects import RCTResult, StaggeredResult


@cache
def _analysis(name: str) -> ImpactAnalysis:
    return analyse(SAMPLE_DATA / name / "initiative.yaml")


def _rollout() -> pd.DataFrame:
    frame = pd.read_csv(SAMPLE_DATA / "district_rollout" / "districts.csv")
    return frame.assign(y=frame["facility_births"] / frame["births"])


def test_staggered_headline_covers_the_true_average_effect() -> None:
    truth = GEN.rollout_expected_simple()
    effect = _analysis("district_rollout").outcome("facility_births").effect
    assert effect is not None
    assert effect.ci_low <= truth <= effect.ci_high, (effect, truth)


def test_staggered_effect_of_every_wave_covers_its_truth() -> None:
    detail = _analysis("district_rollout").outcome("facility_births").detail
    assert isinstance(detail, StaggeredResult)
    table = detail.aggregate("group").table.set_index("cohort")
    truths = GEN.rollout_expected_by_wave()
    assert set(truths) == {int(g) for g in table.index}
    for wave, truth in truths.items():
        row = table.loc[float(wave)]
        assert row["ci_low"] <= truth <= row["ci_high"], (wave, row, truth)


def test_twfe_on_the_rollout_is_biased_while_the_staggered_estimate_covers() -> None:
    frame = _rollout()
    truth = GEN.rollout_expected_simple()
    tw = twfe(frame, "y", unit="district", time="year", cohort="wave")
    # TWFE: interval entirely below the truth, by more than a third of it
    assert tw.ci_high < truth and tw.estimate < 0.7 * truth, (tw, truth)
    staggered = _analysis("district_rollout").outcome("facility_births").effect
    assert staggered is not None and staggered.ci_low <= truth <= staggered.ci_high


def test_twfe_helper_equals_statsmodels_formula() -> None:
    frame = _rollout()
    frame["D"] = ((frame["wave"] > 0) & (frame["year"] >= frame["wave"])).astype(float)
    ref = smf.ols("y ~ D + C(district) + C(year)", data=frame).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(frame["district"])[0]}, use_t=True
    )
    tw = twfe(frame, "y", unit="district", time="year", cohort="wave")
    assert tw.estimate == pytest.approx(ref.params["D"], rel=1e-10)
    assert tw.se == pytest.approx(ref.bse["D"], rel=1e-8)
    lo, hi = ref.conf_int().loc["D"]
    assert (tw.ci_low, tw.ci_high) == (pytest.approx(lo, rel=1e-8), pytest.approx(hi, rel=1e-8))


@pytest.mark.parametrize(
    ("indicator", "truth"),
    [
        ("fuelwood_use", GEN.COOKSTOVES_TRIAL.fuelwood_effect),
        ("cooking_time", GEN.COOKSTOVES_TRIAL.cooking_hours_effect),
        ("respiratory_symptoms", GEN.COOKSTOVES_TRIAL.respiratory_effect),
    ],
)
def test_trial_intervals_cover_the_true_effects(indicator: str, truth: float) -> None:
    result = _analysis("cookstoves_trial").outcome(indicator)
    assert result.effect is not None
    assert result.effect.ci_low <= truth <= result.effect.ci_high, (result.effect, truth)
    assert "wild cluster bootstrap" in result.effect.method  # 24 villages: the auto rule


def test_trial_flags_differential_attrition_and_lee_bounds_contain_the_truth() -> None:
    detail = _analysis("cookstoves_trial").outcome("fuelwood_use").detail
    assert isinstance(detail, RCTResult)
    assert detail.attrition_p is not None and detail.attrition_p < 0.05
    lost = detail.attrition.set_index("arm")["share_lost"]
    assert lost["stove"] > lost["control"]
    (bounds,) = detail.lee
    assert bounds.ci_low <= GEN.COOKSTOVES_TRIAL.fuelwood_effect <= bounds.ci_high


def test_trial_arms_are_balanced_at_baseline() -> None:
    detail = _analysis("cookstoves_trial").outcome("fuelwood_use").detail
    assert isinstance(detail, RCTResult)
    assert set(detail.balance["covariate"]) == {"fuelwood_baseline", "hh_size", "female_head"}
    assert not detail.balance["imbalanced"].any()


@pytest.mark.parametrize("name", ["district_rollout", "cookstoves_trial"])
def test_new_samples_are_documented(name: str) -> None:
    folder = SAMPLE_DATA / name
    text = (folder / "DATA.md").read_text(encoding="utf-8")
    truth = GEN.TRUTHS[name]
    for field in truth.__dataclass_fields__:
        assert f"| {field} | {GEN.fmt_value(getattr(truth, field))} |" in text, field
    for required in ("initiative.yaml", "indicators.yaml"):
        assert (folder / required).is_file()
