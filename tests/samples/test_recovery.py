"""impactkit recovers the true effects built into the sample data.

``sample_data/generate/`` draws every sample initiative from a frozen dataclass of TRUE
parameters (``WATER_FILTER``, ``TUTORING``, ``COOKSTOVES``).  These tests compute each
initiative's numbers with the library — the headline effect the way
:func:`impactkit.analysis.analyse` does, and directly with :func:`did`, :func:`its` and
:func:`pre_post` — and check that the 95 % intervals contain the truth:

- the headline effect (DiD, ITS level and slope change, paired pre/post change);
- the voltage ratio (at-scale effect / pilot effect) where the truth is stated;
- each cascade conversion (``share_of_previous``, Wilson interval) whose generating rule is a
  fixed per-unit probability: pooled where the probability is the same for everyone, per
  group where it depends on the group (district, urban/rural);
- Kaplan–Meier sustained use at the report's horizons, against the survival function of the
  generator's Weibull time to abandonment.

The data are fixed and seeded, so every test is deterministic.  The committed water_filter
seed was chosen so that every 95 % interval here covers its truth (the first seed after
20240108 where all of them do), and the other seeds so that their headline intervals cover
(see sample_data/README.md); passing on the committed draws alone therefore proves little.  Two tests carry the statistical weight:
:func:`test_all_intervals_cover_truth_simultaneously` checks every interval at the
Bonferroni-adjusted level, and :func:`test_water_filter_intervals_have_nominal_coverage_over_seeds`
regenerates water_filter with 60 other seeds and shows the generator and the estimators are
unbiased with about nominal (95 %) coverage.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cache
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pytest
from _samples import INITIATIVES
from _testpaths import SAMPLE_DATA

import sample_data.generate as GEN
from impactkit.adoption import Cascade, SustainedUse, cascade, sustained_use
from impactkit.analysis import ImpactAnalysis, analyse
from impactkit.effects import did, its, pre_post
from impactkit.initiative import load as load_initiative

WF = GEN.WATER_FILTER
TU = GEN.TUTORING
CS = GEN.COOKSTOVES


@cache
def _analysis(name: str, confidence: float = 0.95) -> ImpactAnalysis:
    return analyse(str(SAMPLE_DATA / name / "initiative.yaml"), confidence=confidence)


def _covers(low: float, truth: float, high: float) -> bool:
    return bool(low <= truth <= high)


# ------------------------------------------------------------------------------------------
# headline effects
# ------------------------------------------------------------------------------------------


def test_water_filter_did_covers_true_effect() -> None:
    truth = GEN.water_filter_expected_did()
    effect = _analysis("water_filter").outcome("diarrhoea_prevalence").effect
    assert effect is not None
    assert _covers(effect.ci_low, truth, effect.ci_high), (effect.ci_low, truth, effect.ci_high)
    # the same model called directly: cluster-robust by village, household panel
    survey = pd.read_csv(SAMPLE_DATA / "water_filter" / "households.csv")
    direct = did(
        survey, "child_diarrhoea_2wk", "treated", "post", unit="household_id", cluster="village"
    )
    assert direct.estimate == pytest.approx(effect.estimate, rel=1e-12)
    assert direct.ci_low == pytest.approx(effect.ci_low, rel=1e-12)
    assert direct.ci_high == pytest.approx(effect.ci_high, rel=1e-12)
    assert direct.n_clusters == sum(WF.treatment_villages) + sum(WF.comparison_villages)


def test_tutoring_its_covers_true_level_and_slope_change() -> None:
    level, slope = GEN.tutoring_expected_level_change(), GEN.tutoring_expected_slope_change()
    result = _analysis("tutoring").outcome("mean_score").detail
    assert result.slope_change is not None
    lc, sc = result.level_change, result.slope_change
    assert _covers(lc.ci_low, level, lc.ci_high), (lc.ci_low, level, lc.ci_high)
    assert _covers(sc.ci_low, slope, sc.ci_high), (sc.ci_low, slope, sc.ci_high)
    # directly on monthly.csv, with the design of initiative.yaml (2 harmonics, HAC 3 lags)
    design = load_initiative(SAMPLE_DATA / "tutoring" / "initiative.yaml").design
    monthly = pd.read_csv(SAMPLE_DATA / "tutoring" / "monthly.csv", parse_dates=["month"])
    direct = its(
        monthly,
        "month",
        "mean_score",
        pd.Timestamp(TU.intervention),
        seasonality=design.seasonality,
        hac_lags=design.hac_lags,
    )
    assert direct.slope_change is not None
    assert direct.level_change.estimate == pytest.approx(lc.estimate, rel=1e-9)
    assert direct.level_change.ci_low == pytest.approx(lc.ci_low, rel=1e-9)
    assert direct.slope_change.ci_high == pytest.approx(sc.ci_high, rel=1e-9)
    # the cumulative effect over the post period: sum over months m = 0..17 of level + m slope
    n_post = TU.months_post
    cumulative = n_post * level + slope * n_post * (n_post - 1) / 2
    cum = direct.cumulative
    assert _covers(cum.ci_low, cumulative, cum.ci_high), (cum.ci_low, cumulative, cum.ci_high)


def test_cookstoves_paired_change_covers_true_change() -> None:
    truth = GEN.cookstoves_expected_change()
    effect = _analysis("cookstoves").outcome("fuelwood_use").effect
    assert effect is not None
    assert _covers(effect.ci_low, truth, effect.ci_high), (effect.ci_low, truth, effect.ci_high)
    # directly: one row per household per round, paired on household_id
    survey = pd.read_csv(SAMPLE_DATA / "cookstoves" / "households.csv")
    wide = survey.pivot(index="household_id", columns="round", values="fuelwood_kg_day")
    direct = pre_post(wide["before"], wide["after"], paired=True)
    assert direct.estimate == pytest.approx(effect.estimate, rel=1e-12)
    assert direct.n == effect.n
    assert _covers(direct.ci_low, truth, direct.ci_high)


@pytest.mark.parametrize(
    ("name", "truth"),
    [
        ("water_filter", GEN.water_filter_expected_did() / WF.pilot_effect),
        ("tutoring", GEN.tutoring_expected_level_change() / TU.pilot_effect),
        # the paired pre/post estimand is the total change (programme + secular trend)
        ("cookstoves", GEN.cookstoves_expected_change() / CS.pilot_effect),
    ],
)
def test_voltage_ratio_covers_true_ratio(name: str, truth: float) -> None:
    voltage = _analysis(name).voltage
    assert _covers(voltage.ci_low, truth, voltage.ci_high), (voltage.ci_low, truth, voltage.ci_high)


# ------------------------------------------------------------------------------------------
# cascade conversions and sustained use: one case per interval
# ------------------------------------------------------------------------------------------


class Case(NamedTuple):
    """One interval to check: initiative, stage (or horizon), group ("all" = pooled), truth."""

    name: str
    where: str | float
    group: Any
    truth: float

    @property
    def id(self) -> str:
        return f"{self.name}-{self.where}-{self.group}"


def _cascade_cases() -> list[Case]:
    """Stages whose generating rule is a fixed per-unit probability (see sample_data/generate/).

    water_filter: ``eligible = ~prior_filter`` with P = 1 - prior_filter_share, then
    Bernoulli(receive_given_reached), Bernoulli(start_given_received) and
    Bernoulli(correct_given_using) for everyone; ``reach`` and ``using_12m_given_started``
    (the Weibull's S(365)) depend on the district.
    tutoring: not asserted for ``site_offered`` (1 by construction) and ``site_adopted`` (a
    fixed number of schools per district, so the student-level share depends on school
    sizes, not on a probability); enrolment and attendance depend on the district.
    cookstoves: ``aware``, ``attended_demo`` and ``installed`` are the same for everyone;
    purchase and use at 6 / 12 months (the Weibull through S(182) and S(365)) depend on
    urban (1) / rural (0).
    """
    cases = [
        Case("water_filter", "eligible", "all", 1 - WF.prior_filter_share),
        Case("water_filter", "received_filter", "all", WF.receive_given_reached),
        Case("water_filter", "started_use", "all", WF.start_given_received),
        Case("water_filter", "correct_use", "all", WF.correct_given_using),
    ]
    for d in WF.districts:
        cases.append(Case("water_filter", "reached", d, WF.reach[d]))
        cases.append(Case("water_filter", "using_at_12m", d, WF.using_12m_given_started[d]))
    for d in TU.districts:
        cases.append(Case("tutoring", "enrolled", d, TU.enrol_given_adopted[d]))
        cases.append(Case("tutoring", "attending_75", d, TU.attend75_given_enrolled[d]))
    cases += [
        Case("cookstoves", "aware", "all", CS.aware),
        Case("cookstoves", "attended_demo", "all", CS.attended_demo_given_aware),
        Case("cookstoves", "installed", "all", CS.installed_given_purchased),
    ]
    for code, g in ((1, "urban"), (0, "rural")):
        cases.append(Case("cookstoves", "purchased", code, CS.purchased_given_demo[g]))
        cases.append(Case("cookstoves", "using_6m", code, CS.using_6m_given_installed[g]))
        cases.append(Case("cookstoves", "using_12m", code, CS.using_12m_given_6m[g]))
    return cases


def water_filter_survival(district: str, t: float) -> float:
    """True P(still using at day t | started) in the water_filter generator.

    ``time_to_abandon = scale * Weibull(k)`` with ``scale = 365 / (-log p)^(1/k)`` and
    ``p = using_12m_given_started[district]``, so S(t) = exp(-(t / scale)^k) = p^((t/365)^k).
    Recorded days are ceil(time), so the KM estimate at a whole day t targets S(t) exactly.
    """
    p = WF.using_12m_given_started[district]
    return float(p ** ((t / 365.0) ** WF.weibull_shape_abandonment))


def cookstoves_survival(group: str, t: float) -> float:
    """True P(stove still in use at day t | installed) in the cookstoves generator.

    A Weibull through S(182) = s6 and S(365) = s12 = s6 x P(12 m | 6 m): shape
    k = log(log s12 / log s6) / log(365 / 182) and S(t) = s6^((t / 182)^k).
    """
    s6 = CS.using_6m_given_installed[group]
    s12 = s6 * CS.using_12m_given_6m[group]
    k = math.log(math.log(s12) / math.log(s6)) / math.log(365 / 182)
    return float(s6 ** ((t / 182.0) ** k))


def _survival_cases() -> list[Case]:
    cases = []
    for d in WF.districts:
        for h in (90.0, 180.0, 365.0):
            cases.append(Case("water_filter", h, d, water_filter_survival(d, h)))
    # cookstove monitors ran < 365 days (install Apr-Jun 2024, end 2025-03-31): 90 and 180 only
    for code, g in ((1, "urban"), (0, "rural")):
        for h in (90.0, 180.0):
            cases.append(Case("cookstoves", h, code, cookstoves_survival(g, h)))
    return cases


CASCADE_CASES = _cascade_cases()
SURVIVAL_CASES = _survival_cases()


@cache
def _cascade(name: str, confidence: float = 0.95) -> Cascade:
    """The report's cascade, computed directly from the initiative's cascade spec."""
    spec = load_initiative(SAMPLE_DATA / name / "initiative.yaml").cascade
    assert spec is not None
    data = _data_of(name, spec.data)
    return cascade(
        data,
        list(spec.stages),
        unit=spec.unit,
        by=spec.by,
        labels=dict(spec.labels) or None,
        confidence=confidence,
    )


@cache
def _survival(name: str, confidence: float = 0.95) -> SustainedUse:
    spec = load_initiative(SAMPLE_DATA / name / "initiative.yaml").sustained_use
    assert spec is not None
    data = _data_of(name, spec.data)
    return sustained_use(
        data,
        spec.duration,
        spec.abandoned,
        by=spec.by,
        horizons=(90, 180, 365),
        confidence=confidence,
    )


def _data_of(name: str, key: str) -> pd.DataFrame:
    """The data set ``key`` of the initiative's ``data:`` section, read from its CSV file."""
    files = load_initiative(SAMPLE_DATA / name / "initiative.yaml").data_files
    return pd.read_csv(SAMPLE_DATA / name / files[key].name)


def _conversion_interval(case: Case, confidence: float = 0.95) -> tuple[float, float, float]:
    c = _cascade(case.name, confidence)
    table = c.table if case.group == "all" else c.groups[case.group].table
    row = table.loc[table["stage"] == case.where].iloc[0]
    return (
        float(row["share_of_previous_ci_low"]),
        float(row["share_of_previous"]),
        float(row["share_of_previous_ci_high"]),
    )


def _survival_interval(case: Case, confidence: float = 0.95) -> tuple[float, float, float]:
    assert isinstance(case.where, float)
    at = _survival(case.name, confidence).at(case.where, case.group)
    return at.ci_low, at.survival, at.ci_high


def test_cases_match_the_report() -> None:
    """The cascades and curves checked here are the ones analyse() reports."""
    for name in INITIATIVES:
        report = _analysis(name).cascade
        assert report is not None
        pd.testing.assert_frame_equal(report.to_frame(), _cascade(name).to_frame())
    for name in ("water_filter", "cookstoves"):
        report_su = _analysis(name).sustained_use
        assert report_su is not None
        pd.testing.assert_frame_equal(report_su.table, _survival(name).table)


@pytest.mark.parametrize("case", CASCADE_CASES, ids=lambda c: c.id)
def test_cascade_conversion_covers_true_rate(case: Case) -> None:
    low, share, high = _conversion_interval(case)
    assert _covers(low, case.truth, high), (case.id, low, share, case.truth, high)


@pytest.mark.parametrize("case", SURVIVAL_CASES, ids=lambda c: c.id)
def test_sustained_use_covers_true_survival(case: Case) -> None:
    low, share, high = _survival_interval(case)
    assert _covers(low, case.truth, high), (case.id, low, share, case.truth, high)


def test_cookstoves_survival_beyond_follow_up_is_not_extrapolated() -> None:
    usage = pd.read_csv(SAMPLE_DATA / "cookstoves" / "usage.csv")
    assert usage["days_observed"].max() < 365
    table = _survival("cookstoves").table
    at_year = table.loc[table["horizon"] == 365]
    assert len(at_year) == 2
    assert at_year["survival"].isna().all() and (at_year["at_risk"] == 0).all()


def _misses(confidence: float) -> list[str]:
    """Ids of the cascade and sustained-use cases whose interval at ``confidence`` misses."""
    misses = []
    for case in CASCADE_CASES:
        low, _, high = _conversion_interval(case, confidence)
        if not _covers(low, case.truth, high):
            misses.append(case.id)
    for case in SURVIVAL_CASES:
        low, _, high = _survival_interval(case, confidence)
        if not _covers(low, case.truth, high):
            misses.append(case.id)
    return misses


def test_all_intervals_cover_truth_simultaneously() -> None:
    """Bonferroni: every interval at level 1 - 0.05 / m covers its truth (family-wise 95 %)."""
    m = len(CASCADE_CASES) + len(SURVIVAL_CASES)
    misses = _misses(1 - 0.05 / m)
    assert not misses, misses


# ------------------------------------------------------------------------------------------
# across many draws: unbiased, with nominal coverage (~6 s)
# ------------------------------------------------------------------------------------------


def _coverage_over_seeds(seeds: range, tmp: Any) -> Mapping[str, float]:
    import dataclasses

    hits: dict[str, list[bool]] = {"did": [], "cascade": [], "survival": []}
    for seed in seeds:
        truth = dataclasses.replace(WF, seed=seed)
        out = tmp / f"wf{seed}"
        GEN.generate_water_filter(out, truth)
        survey = pd.read_csv(out / "households.csv")
        res = did(
            survey, "child_diarrhoea_2wk", "treated", "post", unit="household_id", cluster="village"
        )
        hits["did"].append(_covers(res.ci_low, GEN.water_filter_expected_did(truth), res.ci_high))
        dist = pd.read_csv(out / "distribution.csv")
        c = cascade(dist, ["reached", "received_filter", "started_use"], by="district")
        for d in truth.districts:
            table = c.groups[d].table
            row = table.loc[table["stage"] == "started_use"].iloc[0]
            low, high = (
                float(row["share_of_previous_ci_low"]),
                float(row["share_of_previous_ci_high"]),
            )
            hits["cascade"].append(_covers(low, truth.start_given_received, high))
        su = sustained_use(
            pd.read_csv(out / "usage.csv"), "days_observed", "abandoned", by="district"
        )
        for _, r in su.table.iterrows():
            s = truth.using_12m_given_started[r["group"]] ** (
                (r["horizon"] / 365) ** truth.weibull_shape_abandonment
            )
            hits["survival"].append(_covers(r["ci_low"], s, r["ci_high"]))
    return {k: float(np.mean(v)) for k, v in hits.items()}


def test_water_filter_intervals_have_nominal_coverage_over_seeds(tmp_path: Any) -> None:
    coverage = _coverage_over_seeds(range(1000, 1060), tmp_path)
    # 60 draws: 60 DiD, 180 cascade and 540 KM intervals (9 per draw, correlated within a
    # district).  Nominal 95 %; a biased estimator or a wrong variance drops far below these.
    # (Measured: DiD 0.97, cascade 0.98, KM 0.92 here; KM 0.945 over 200 other seeds.)
    assert coverage["did"] >= 0.85, coverage
    assert coverage["cascade"] >= 0.90, coverage
    assert coverage["survival"] >= 0.90, coverage
