"""Integration tests of :func:`impactkit.analysis.analyse` on the three sample initiatives.

Every expected number is computed here from the raw CSV files with plain pandas, statsmodels
and scipy (the indicator definitions are translated by hand, and the translation is checked
against ``indicators.yaml``), never by calling impactkit a second way:

- water_filter (difference-in-differences): OLS ``y ~ treated * post`` with cluster-robust
  (CR1) standard errors by village, t with G - 1 df; CR1 is also rebuilt by hand;
- cookstoves (paired pre/post): ``scipy.stats.ttest_rel`` on the households in both rounds;
- tutoring (interrupted time series): segmented OLS on the monthly series (ratio = sum of
  numerators / sum of denominators per month), 2 harmonic pairs on the calendar month,
  Newey-West errors with 3 lags (also rebuilt by hand);
- multiplicity (statsmodels ``multipletests``), verdicts (the documented rule re-implemented),
  subgroups, attrition, data quality, the results files, findings, error paths and
  non-mutation of the input frames.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
import yaml
from _testpaths import SAMPLE_DATA
from scipy import stats
from statsmodels.stats.multitest import multipletests

from impactkit.analysis import ImpactAnalysis, analyse
from impactkit.effects import wild_cluster_bootstrap
from impactkit.errors import ConfigError, DataError, MissingColumnError
from impactkit.initiative import Initiative
from impactkit.readers import LoadedTable

REL = 1e-6
WATER = SAMPLE_DATA / "water_filter"
COOK = SAMPLE_DATA / "cookstoves"
TUTOR = SAMPLE_DATA / "tutoring"

Frame = pd.DataFrame
# indicator id -> (rows in the population with a non-missing outcome, row-level outcome)
Outcome = Callable[[Frame], tuple["pd.Series[bool]", "pd.Series[float]"]]


# ============================================================================ raw inputs


def read_yaml(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        out: dict[str, Any] = yaml.safe_load(fh)
    return out


def catalog_of(folder: Path) -> dict[str, dict[str, Any]]:
    return {d["id"]: d for d in read_yaml(folder / "indicators.yaml")["indicators"]}


def binary(column: str, population: Callable[[Frame], pd.Series] | None = None) -> Outcome:
    """Proportion with numerator ``column == 1`` among rows of the population."""

    def f(d: Frame) -> tuple[pd.Series, pd.Series]:
        keep = pd.Series(True, index=d.index) if population is None else population(d)
        keep = keep & d[column].notna()
        return keep, (d[column] == 1).astype(float)

    return f


def value(column: str) -> Outcome:
    """Mean of ``column`` over rows where it is present."""

    def f(d: Frame) -> tuple[pd.Series, pd.Series]:
        return d[column].notna(), d[column].astype(float)

    return f


# Hand translations of the catalogs; DEFINITIONS pins each to its YAML text.
WATER_OUTCOMES: dict[str, Outcome] = {
    "diarrhoea_prevalence": binary(
        "child_diarrhoea_2wk",
        lambda d: (d["children_under5"] > 0) & d["child_diarrhoea_2wk"].notna(),
    ),
    "water_treated_today": binary("water_treated_today"),
    "e_coli_contamination": binary("e_coli_positive", lambda d: d["e_coli_positive"].notna()),
    "filter_in_use": binary("filter_in_use"),
}
COOK_OUTCOMES: dict[str, Outcome] = {
    "fuelwood_use": value("fuelwood_kg_day"),
    "kitchen_pm25": value("kitchen_pm25"),
    "respiratory_symptoms": binary(
        "respiratory_symptoms", lambda d: d["respiratory_symptoms"].notna()
    ),
    "cooking_time": value("cooking_hours_day"),
    "stove_in_use": binary("stove_in_use"),
}
# ITS series: (numerator column, denominator column or None for a plain mean)
TUTOR_SERIES: dict[str, tuple[str, str | None]] = {
    "proficiency_rate": ("students_proficient", "students_assessed"),
    "mean_score": ("mean_score", None),
    "attendance_rate": ("attendance_days", "school_days"),
}
DEFINITIONS: dict[tuple[Path, str], dict[str, str | None]] = {
    (WATER, "diarrhoea_prevalence"): {
        "kind": "proportion",
        "population": "children_under5 > 0 and notnull(child_diarrhoea_2wk)",
        "numerator": "child_diarrhoea_2wk == 1",
    },
    (WATER, "water_treated_today"): {
        "kind": "proportion",
        "population": None,
        "numerator": "water_treated_today == 1",
    },
    (WATER, "e_coli_contamination"): {
        "kind": "proportion",
        "population": "notnull(e_coli_positive)",
        "numerator": "e_coli_positive == 1",
    },
    (WATER, "filter_in_use"): {
        "kind": "proportion",
        "population": None,
        "numerator": "filter_in_use == 1",
    },
    (COOK, "fuelwood_use"): {"kind": "mean", "population": None, "value": "fuelwood_kg_day"},
    (COOK, "kitchen_pm25"): {"kind": "mean", "population": None, "value": "kitchen_pm25"},
    (COOK, "respiratory_symptoms"): {
        "kind": "proportion",
        "population": "notnull(respiratory_symptoms)",
        "numerator": "respiratory_symptoms == 1",
    },
    (COOK, "cooking_time"): {"kind": "mean", "population": None, "value": "cooking_hours_day"},
    (COOK, "stove_in_use"): {
        "kind": "proportion",
        "population": None,
        "numerator": "stove_in_use == 1",
    },
    (TUTOR, "proficiency_rate"): {
        "kind": "ratio",
        "numerator": "students_proficient",
        "denominator": "students_assessed",
    },
    (TUTOR, "mean_score"): {"kind": "mean", "value": "mean_score"},
    (TUTOR, "attendance_rate"): {
        "kind": "ratio",
        "numerator": "attendance_days",
        "denominator": "school_days",
    },
}


@pytest.mark.parametrize(
    ("folder", "indicator"), list(DEFINITIONS), ids=lambda x: getattr(x, "name", x)
)
def test_hand_translations_match_the_catalogs(folder: Path, indicator: str) -> None:
    entry = catalog_of(folder)[indicator]
    for key, expected in DEFINITIONS[(folder, indicator)].items():
        assert entry.get(key) == expected, (indicator, key)


def test_sample_initiatives_are_the_ones_these_tests_assume() -> None:
    water = read_yaml(WATER / "initiative.yaml")
    assert water["design"] | {"covariates": []} == {
        "type": "did",
        "data": "survey",
        "treated": "treated",
        "post": "post",
        "cluster": "village",
        "covariates": [],
    }
    assert water["indicators"]["outcomes"] == list(WATER_OUTCOMES)
    cook = read_yaml(COOK / "initiative.yaml")
    assert cook["design"]["type"] == "pre_post" and cook["design"]["paired"] is True
    assert cook["indicators"]["outcomes"] == list(COOK_OUTCOMES)
    tutor = read_yaml(TUTOR / "initiative.yaml")
    assert tutor["design"]["seasonality"] == 2 and tutor["design"]["hac_lags"] == 3
    assert tutor["design"]["family"] == "gaussian"
    assert tutor["indicators"]["outcomes"] == list(TUTOR_SERIES)


# ============================================================================ fixtures


def run(folder: Path, confidence: float = 0.95) -> ImpactAnalysis:
    """analyse() on the initiative file in ``folder``."""
    return analyse(str(folder / "initiative.yaml"), confidence=confidence)


@pytest.fixture(scope="module")
def water() -> ImpactAnalysis:
    return run(WATER)


@pytest.fixture(scope="module")
def cook() -> ImpactAnalysis:
    return run(COOK)


@pytest.fixture(scope="module")
def tutor() -> ImpactAnalysis:
    return run(TUTOR)


@pytest.fixture(scope="module")
def analyses(
    water: ImpactAnalysis, cook: ImpactAnalysis, tutor: ImpactAnalysis
) -> dict[str, ImpactAnalysis]:
    return {"water_filter": water, "cookstoves": cook, "tutoring": tutor}


SAMPLE_NAMES = ["water_filter", "cookstoves", "tutoring"]


def close(actual: Any, expected: float, rel: float = REL, abs_: float = 1e-12) -> bool:
    assert actual is not None
    return bool(np.isclose(actual, expected, rtol=rel, atol=abs_))


# ============================================================================ independent fits


def did_reference(survey: Frame, outcome: Outcome, confidence: float = 0.95) -> dict[str, float]:
    """statsmodels OLS y ~ treated*post, CR1 by village, t with G - 1 df; with fewer than 30
    villages or 10 treated ones (the few-cluster rule of design.inference: auto) the interval
    and p-value of the wild cluster bootstrap (validated against wildboottest in tests/wild)
    on the same design, villages in sorted order, default seed."""
    keep, y = outcome(survey)
    rows = survey.loc[keep, ["treated", "post", "village"]].assign(y=y[keep])
    groups = pd.factorize(rows["village"])[0]
    fit = smf.ols("y ~ treated * post", data=rows).fit(
        cov_type="cluster", cov_kwds={"groups": groups}, use_t=True
    )
    low, high = fit.conf_int(alpha=1 - confidence).loc["treated:post"]
    p_value = float(fit.pvalues["treated:post"])
    treated = rows["treated"] == 1
    n_villages = rows["village"].nunique()
    if n_villages < 30 or rows.loc[treated, "village"].nunique() < 10:
        ordered = rows.sort_values("village", kind="stable")
        X = pd.DataFrame({"const": 1.0, "treated": ordered["treated"], "post": ordered["post"]})
        X["treated:post"] = X["treated"] * X["post"]
        boot = wild_cluster_bootstrap(
            ordered["y"], X, ordered["village"], coef="treated:post", confidence=confidence
        )
        low, high, p_value = boot.ci_low, boot.ci_high, boot.p_value
    return {
        "estimate": float(fit.params["treated:post"]),
        "se": float(fit.bse["treated:post"]),
        "ci_low": float(low),
        "ci_high": float(high),
        "p_value": p_value,
        "n": len(rows),
        "before": float(rows.loc[treated & (rows["post"] == 0), "y"].mean()),
        "after": float(rows.loc[treated & (rows["post"] == 1), "y"].mean()),
    }


def paired_reference(survey: Frame, outcome: Outcome, confidence: float = 0.95) -> dict[str, float]:
    """scipy ttest_rel on households with a value in both rounds."""
    keep, y = outcome(survey)
    rows = survey.loc[keep, ["household_id", "round"]].assign(y=y[keep])
    wide = rows.pivot(index="household_id", columns="round", values="y").dropna()
    res = stats.ttest_rel(wide["after"], wide["before"])
    ci = res.confidence_interval(confidence_level=confidence)
    return {
        "estimate": float((wide["after"] - wide["before"]).mean()),
        "ci_low": float(ci.low),
        "ci_high": float(ci.high),
        "p_value": float(res.pvalue),
        "n": len(wide),
        "before": float(wide["before"].mean()),
        "after": float(wide["after"].mean()),
    }


INTERVENTION = pd.Timestamp("2024-09-01")


def monthly_series(raw: Frame, indicator: str) -> pd.Series:
    num, den = TUTOR_SERIES[indicator]
    by_month = raw.groupby("month")
    if den is None:
        return by_month[num].mean().sort_index()
    return (by_month[num].sum() / by_month[den].sum()).sort_index()


def its_design(months: pd.DatetimeIndex) -> Frame:
    """Segmented regression: time 1..T, step, time since the intervention, 2 harmonic pairs
    on the calendar month (1-12)."""
    t = np.asarray(
        (months.year - months[0].year) * 12 + (months.month - months[0].month) + 1, dtype=float
    )
    t0 = float((INTERVENTION.year - months[0].year) * 12 + INTERVENTION.month - months[0].month)
    t0 += 1
    post = (months >= INTERVENTION).astype(float)
    cal = np.asarray(months.month, dtype=float)
    return pd.DataFrame(
        {
            "const": 1.0,
            "t": t,
            "step": post,
            "since": (t - t0) * post,
            "s1": np.sin(2 * np.pi * cal / 12),
            "c1": np.cos(2 * np.pi * cal / 12),
            "s2": np.sin(4 * np.pi * cal / 12),
            "c2": np.cos(4 * np.pi * cal / 12),
        },
        index=months,
    )


def newey_west_se(X: np.ndarray, resid: np.ndarray, lags: int) -> np.ndarray:
    """Newey & West (1987) with Bartlett weights 1 - l/(L+1), no small-sample factor."""
    scores = X * resid[:, None]
    S = scores.T @ scores
    for lag in range(1, lags + 1):
        gamma = scores[lag:].T @ scores[:-lag]
        S += (1 - lag / (lags + 1)) * (gamma + gamma.T)
    bread = np.linalg.inv(X.T @ X)
    return np.sqrt(np.diag(bread @ S @ bread))


def its_reference(raw: Frame, indicator: str, confidence: float = 0.95) -> dict[str, float]:
    y = monthly_series(raw, indicator)
    X = its_design(pd.DatetimeIndex(y.index))
    fit = sm.OLS(y.to_numpy(), X).fit(cov_type="HAC", cov_kwds={"maxlags": 3}, use_t=True)
    b = float(fit.params["step"])
    se = float(newey_west_se(X.to_numpy(), fit.resid.to_numpy(), 3)[X.columns.get_loc("step")])
    q = stats.t.ppf(0.5 + confidence / 2, len(y) - X.shape[1])
    pre = y[y.index < INTERVENTION]
    post = y[y.index >= INTERVENTION]
    return {
        "estimate": b,
        "se": se,
        "ci_low": b - q * se,
        "ci_high": b + q * se,
        "p_value": float(2 * stats.t.sf(abs(b / se), len(y) - X.shape[1])),
        "sm_se": float(fit.bse["step"]),
        "n": len(y),
        "before": float(pre.mean()),
        "after": float(post.mean()),
    }


@pytest.fixture(scope="module")
def water_survey() -> Frame:
    return pd.read_csv(WATER / "households.csv")


@pytest.fixture(scope="module")
def cook_survey() -> Frame:
    return pd.read_csv(COOK / "households.csv")


@pytest.fixture(scope="module")
def tutor_monthly() -> Frame:
    return pd.read_csv(TUTOR / "monthly.csv", parse_dates=["month"])


@pytest.fixture(scope="module")
def references(
    water_survey: Frame, cook_survey: Frame, tutor_monthly: Frame
) -> dict[str, dict[str, dict[str, float]]]:
    return {
        "water_filter": {k: did_reference(water_survey, f) for k, f in WATER_OUTCOMES.items()},
        "cookstoves": {k: paired_reference(cook_survey, f) for k, f in COOK_OUTCOMES.items()},
        "tutoring": {k: its_reference(tutor_monthly, k) for k in TUTOR_SERIES},
    }


# ============================================================================ effects


def check_effect(result: Any, ref: dict[str, float]) -> None:
    e = result.effect
    assert e is not None, result.skipped
    for key in ("estimate", "ci_low", "ci_high", "p_value"):
        assert close(getattr(e, key), ref[key]), (result.indicator.id, key)
    if "se" in ref:
        assert close(e.se, ref["se"]), (result.indicator.id, "se")
    assert e.n == ref["n"]
    assert close(result.before, ref["before"])
    assert close(result.after, ref["after"])


@pytest.mark.parametrize("indicator", list(WATER_OUTCOMES))
def test_water_filter_did_matches_statsmodels_cluster_ols(
    water: ImpactAnalysis, references: dict[str, Any], indicator: str
) -> None:
    check_effect(water.outcome(indicator), references["water_filter"][indicator])


def test_water_filter_cr1_convention_rebuilt_by_hand(
    water: ImpactAnalysis, water_survey: Frame
) -> None:
    """CR1 = G/(G-1)·(N-1)/(N-K) × sandwich; interval b ± t(G-1)·se."""
    keep, y = WATER_OUTCOMES["diarrhoea_prevalence"](water_survey)
    d = water_survey.loc[keep]
    yv = y[keep].to_numpy()
    t, p = d["treated"].to_numpy(float), d["post"].to_numpy(float)
    X = np.column_stack([np.ones(len(d)), t, p, t * p])
    beta = np.linalg.lstsq(X, yv, rcond=None)[0]
    u = yv - X @ beta
    bread = np.linalg.inv(X.T @ X)
    meat = np.zeros((4, 4))
    for _, idx in d.groupby("village").indices.items():
        s = X[idx].T @ u[idx]
        meat += np.outer(s, s)
    G, N, K = d["village"].nunique(), len(d), 4
    V = G / (G - 1) * (N - 1) / (N - K) * bread @ meat @ bread
    se = math.sqrt(V[3, 3])
    q = stats.t.ppf(0.975, G - 1)
    e = water.outcome("diarrhoea_prevalence").effect
    assert e is not None
    assert close(e.estimate, beta[3])
    assert close(e.se, se)
    assert close(e.ci_low, beta[3] - q * se) and close(e.ci_high, beta[3] + q * se)
    assert close(e.p_value, 2 * stats.t.sf(abs(beta[3] / se), G - 1))


def test_water_filter_did_equals_difference_of_cell_means(
    water: ImpactAnalysis, water_survey: Frame
) -> None:
    for indicator, outcome in WATER_OUTCOMES.items():
        keep, y = outcome(water_survey)
        m = y[keep].groupby([water_survey["treated"][keep], water_survey["post"][keep]]).mean()
        expected = (m[(1, 1)] - m[(1, 0)]) - (m[(0, 1)] - m[(0, 0)])
        e = water.outcome(indicator).effect
        assert e is not None and close(e.estimate, expected, abs_=1e-10)


@pytest.mark.parametrize("indicator", list(COOK_OUTCOMES))
def test_cookstoves_paired_change_matches_scipy_ttest_rel(
    cook: ImpactAnalysis, references: dict[str, Any], indicator: str
) -> None:
    check_effect(cook.outcome(indicator), references["cookstoves"][indicator])


@pytest.mark.parametrize("indicator", list(TUTOR_SERIES))
def test_tutoring_its_level_change_matches_segmented_ols(
    tutor: ImpactAnalysis, references: dict[str, Any], indicator: str
) -> None:
    ref = references["tutoring"][indicator]
    # the by-hand Newey-West equals statsmodels' HAC default (no small-sample factor)
    assert close(ref["se"], ref["sm_se"], rel=1e-9)
    check_effect(tutor.outcome(indicator), ref)


def test_tutoring_series_is_the_ratio_of_monthly_sums(
    tutor: ImpactAnalysis, tutor_monthly: Frame
) -> None:
    values = tutor.indicator_values
    for indicator in TUTOR_SERIES:
        got = values.loc[values["indicator"] == indicator].set_index("period")["value"]
        expected = monthly_series(tutor_monthly, indicator)
        assert list(pd.to_datetime(got.index)) == list(expected.index)
        np.testing.assert_allclose(got.to_numpy(), expected.to_numpy(), rtol=REL)


def test_effects_at_another_confidence_level(water_survey: Frame) -> None:
    a = run(WATER, confidence=0.90)
    for indicator, outcome in WATER_OUTCOMES.items():
        ref = did_reference(water_survey, outcome, confidence=0.90)
        e = a.outcome(indicator).effect
        assert e is not None and e.confidence == 0.90
        assert close(e.ci_low, ref["ci_low"]) and close(e.ci_high, ref["ci_high"])


def test_water_filter_did_with_covariates(tmp_path: Path, water_survey: Frame) -> None:
    """Covariates (one numeric with gaps, one text -> dummies) enter the OLS additively;
    rows with a missing covariate are dropped."""
    folder = copy_sample(WATER, tmp_path)
    edit(folder, "covariates: []", "covariates: [hh_size, distance_to_water_km, district]")
    a = run(folder)
    for indicator, outcome in WATER_OUTCOMES.items():
        keep, y = outcome(water_survey)
        keep = keep & water_survey["distance_to_water_km"].notna()
        rows = water_survey.loc[keep].assign(y=y[keep])
        fit = smf.ols(
            "y ~ treated * post + hh_size + distance_to_water_km + C(district)", data=rows
        ).fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(rows["village"])[0]}, use_t=True)
        low, high = fit.conf_int().loc["treated:post"]
        e = a.outcome(indicator).effect
        assert e is not None
        assert close(e.estimate, float(fit.params["treated:post"])), indicator
        assert close(e.se, float(fit.bse["treated:post"])), indicator
        assert close(e.ci_low, float(low)) and close(e.ci_high, float(high))
        assert e.n == len(rows) < keep.size


def test_cookstoves_unpaired_is_welch(tmp_path: Path, cook_survey: Frame) -> None:
    folder = copy_sample(COOK, tmp_path)
    edit(folder, "paired: true", "paired: false")
    a = run(folder)
    for indicator, outcome in COOK_OUTCOMES.items():
        keep, y = outcome(cook_survey)
        before = y[keep & (cook_survey["round"] == "before")]
        after = y[keep & (cook_survey["round"] == "after")]
        res = stats.ttest_ind(after, before, equal_var=False)
        ci = res.confidence_interval(0.95)
        r = a.outcome(indicator)
        assert r.effect is not None
        assert close(r.effect.estimate, after.mean() - before.mean()), indicator
        assert close(r.effect.ci_low, ci.low) and close(r.effect.ci_high, ci.high)
        assert close(r.effect.p_value, res.pvalue)
        assert r.effect.n == len(before) + len(after)
        assert close(r.before, before.mean()) and close(r.after, after.mean())


def test_effects_do_not_depend_on_row_order(
    tmp_path: Path, water: ImpactAnalysis, water_survey: Frame
) -> None:
    folder = copy_sample(WATER, tmp_path)
    water_survey.sample(frac=1.0, random_state=7).to_csv(folder / "households.csv", index=False)
    a = run(folder)
    for r in water.outcomes:
        e, e2 = r.effect, a.outcome(r.indicator.id).effect
        assert e is not None and e2 is not None
        for key in ("estimate", "se", "ci_low", "ci_high", "p_value"):
            assert close(getattr(e2, key), getattr(e, key), rel=1e-9), (r.indicator.id, key)
    pd.testing.assert_frame_equal(a.subgroups, water.subgroups, rtol=1e-9)


def test_affine_rescaling_of_an_outcome(tmp_path: Path, cook: ImpactAnalysis) -> None:
    """Fuelwood in grams plus an offset: the paired change scales by 1000, p is unchanged."""
    folder = copy_sample(COOK, tmp_path)
    raw = pd.read_csv(COOK / "households.csv")
    raw["fuelwood_kg_day"] = raw["fuelwood_kg_day"] * 1000 + 250
    raw.to_csv(folder / "households.csv", index=False)
    a = run(folder)
    e, e2 = cook.outcome("fuelwood_use").effect, a.outcome("fuelwood_use").effect
    assert e is not None and e2 is not None
    for key in ("estimate", "ci_low", "ci_high"):
        assert close(getattr(e2, key), 1000 * getattr(e, key)), key
    assert close(e2.p_value, e.p_value)
    before = cook.outcome("fuelwood_use").before
    assert before is not None
    assert close(a.outcome("fuelwood_use").before, 1000 * before + 250)


# ============================================================================ multiplicity


@pytest.mark.parametrize(
    ("sample", "method"),
    [("water_filter", "fdr_bh"), ("cookstoves", "holm"), ("tutoring", "fdr_bh")],
)
def test_p_adjusted_matches_multipletests(
    analyses: dict[str, ImpactAnalysis],
    references: dict[str, Any],
    sample: str,
    method: str,
) -> None:
    a = analyses[sample]
    assert a.initiative.multiplicity == method
    ids = list(references[sample])
    pvals = [references[sample][i]["p_value"] for i in ids]
    expected = multipletests(pvals, method=method)[1]
    for indicator, p in zip(ids, expected, strict=True):
        assert close(a.outcome(indicator).p_adjusted, float(p)), indicator


def test_multiplicity_none_leaves_p_unadjusted(tmp_path: Path) -> None:
    folder = copy_sample(WATER, tmp_path)
    edit(folder, "multiplicity: fdr_bh", "multiplicity: none")
    a = run(folder)
    assert all(r.p_adjusted is None for r in a.outcomes)
    assert a.outcome_table()["p_adjusted"].isna().all()


def test_unestimable_outcome_is_skipped_and_left_out_of_the_adjustment(
    tmp_path: Path, cook_survey: Frame
) -> None:
    """A constant outcome cannot be estimated: it is reported as skipped, and the other
    outcomes' p-values are adjusted among themselves (Holm over 4, not 5)."""
    folder = copy_sample(COOK, tmp_path)
    cook_survey.assign(stove_in_use=0).to_csv(folder / "households.csv", index=False)
    a = run(folder)
    skipped = a.outcome("stove_in_use")
    assert skipped.effect is None and skipped.p_adjusted is None
    # issue 11: a constant outcome is "not estimable: no variation", never a test of noise
    assert skipped.skipped is not None and skipped.skipped.startswith("not estimable: no variation")
    assert skipped.verdict == "not estimable"
    others = [k for k in COOK_OUTCOMES if k != "stove_in_use"]
    pvals = [paired_reference(cook_survey, COOK_OUTCOMES[k])["p_value"] for k in others]
    for indicator, p in zip(others, multipletests(pvals, method="holm")[1], strict=True):
        assert close(a.outcome(indicator).p_adjusted, float(p)), indicator
    table = a.outcome_table().set_index("indicator")
    assert table["change"].isna().loc["stove_in_use"]
    assert table.at["stove_in_use", "reason"] == skipped.skipped
    frame = a.results_frame()
    row = frame.loc[(frame["section"] == "effect") & (frame["item"] == "stove_in_use")]
    assert len(row) == 1 and row["value"].isna().all() and row["p_value"].isna().all()
    assert row["verdict"].iloc[0] == "not estimable"


# ============================================================================ verdicts


def expected_verdict(
    lo: float, hi: float, direction: str | None, mmc: float | None, null: float = 0.0
) -> str:
    """The rule of impactkit.effects.verdict's docstring, in its order."""
    if mmc is not None and null - mmc <= lo and hi <= null + mmc:
        return "no meaningful change"
    direction = direction or "neutral"
    if lo > null:
        return {"increase": "improved", "decrease": "worsened", "neutral": "changed"}[direction]
    if hi < null:
        return {"increase": "worsened", "decrease": "improved", "neutral": "changed"}[direction]
    return "inconclusive"


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_verdicts_follow_the_documented_rule(
    analyses: dict[str, ImpactAnalysis], references: dict[str, Any], sample: str
) -> None:
    a = analyses[sample]
    catalog = catalog_of(a.initiative.folder)
    seen = set()
    for indicator, ref in references[sample].items():
        entry = catalog[indicator]
        want = expected_verdict(
            ref["ci_low"],
            ref["ci_high"],
            entry.get("direction"),
            entry.get("minimum_meaningful_change"),
        )
        r = a.outcome(indicator)
        assert r.verdict == want, (indicator, r.reason)
        seen.add(want)
        table = a.outcome_table().set_index("indicator")
        assert table.loc[indicator, "verdict"] == want
    if sample == "cookstoves":  # the sample exercises three of the rule's branches
        assert seen == {"improved", "inconclusive", "no meaningful change"}


# ============================================================================ adoption / gap


def test_cascade_counts_gap_and_costs(water: ImpactAnalysis) -> None:
    dist = pd.read_csv(WATER / "distribution.csv")
    spec = read_yaml(WATER / "initiative.yaml")
    stages = spec["adoption"]["cascade"]["stages"]
    table = water.cascade.table
    assert list(table["stage"]) == stages
    assert list(table["count"]) == [int(dist[s].sum()) for s in stages]
    target = len(dist)  # no target given: every unit in the cascade data
    assert water.cascade.target == target
    lab = spec["lab"]["efficacy"]
    assert close(water.gap.real_world, lab * dist[stages[-1]].sum() / target)
    total = spec["costs"]["total"]
    costs = water.costs
    assert costs is not None
    for stage, (_, row) in zip(stages, costs.iterrows(), strict=True):
        assert row["units"] == dist[stage].sum()
        assert close(row["cost_per_unit"], total / dist[stage].sum())


def kaplan_meier(duration: np.ndarray, event: np.ndarray, horizon: float) -> float:
    surv = 1.0
    for t in np.unique(duration[event == 1]):
        if t > horizon:
            break
        at_risk = (duration >= t).sum()
        surv *= 1 - ((duration == t) & (event == 1)).sum() / at_risk
    return float(surv)


def test_sustained_use_is_kaplan_meier_by_district(water: ImpactAnalysis) -> None:
    usage = pd.read_csv(WATER / "usage.csv")
    table = water.sustained_use.table
    assert len(table) == 3 * usage["district"].nunique()
    for _, row in table.iterrows():
        part = usage.loc[usage["district"] == row["group"]]
        expected = kaplan_meier(
            part["days_observed"].to_numpy(), part["abandoned"].to_numpy(), row["horizon"]
        )
        assert close(row["survival"], expected), (row["group"], row["horizon"])


def fieller(a: float, va: float, b: float, vb: float, z: float) -> tuple[float, float]:
    """Roots in R of (a - R b)^2 = z^2 (va + R^2 vb)."""
    roots = np.roots([b * b - z * z * vb, -2 * a * b, a * a - z * z * va])
    return float(min(roots)), float(max(roots))


def test_voltage_ratio_is_fieller_of_field_did_over_pilot(
    water: ImpactAnalysis, references: dict[str, Any]
) -> None:
    pilot = read_yaml(WATER / "initiative.yaml")["lab"]["pilot_effect"]
    ref = references["water_filter"][pilot["indicator"]]
    z = stats.norm.ppf(0.975)
    se_lab = (pilot["ci"][1] - pilot["ci"][0]) / (2 * z)
    lo, hi = fieller(ref["estimate"], ref["se"] ** 2, pilot["estimate"], se_lab**2, z)
    v = water.voltage
    assert close(v.ratio, ref["estimate"] / pilot["estimate"])
    assert close(v.ci_low, lo) and close(v.ci_high, hi)


def test_pilot_se_does_not_depend_on_the_analysis_confidence(
    water_survey: Frame,
) -> None:
    a = run(WATER, confidence=0.90)
    pilot = read_yaml(WATER / "initiative.yaml")["lab"]["pilot_effect"]
    se_lab = (pilot["ci"][1] - pilot["ci"][0]) / (2 * stats.norm.ppf(0.975))
    z90 = stats.norm.ppf(0.95)
    assert close(a.voltage.g, z90**2 * se_lab**2 / pilot["estimate"] ** 2)


# ============================================================================ subgroups


def test_water_filter_subgroups_are_did_on_the_subset(
    water: ImpactAnalysis, water_survey: Frame
) -> None:
    columns = read_yaml(WATER / "initiative.yaml")["subgroups"]
    sub = water.subgroups
    expected_rows = sum(water_survey[c].nunique() for c in columns)
    assert len(sub) == expected_rows
    assert set(sub["indicator"]) == {"diarrhoea_prevalence"}
    for _, row in sub.iterrows():
        part = water_survey.loc[water_survey[row["subgroup"]] == row["level"]]
        ref = did_reference(part, WATER_OUTCOMES["diarrhoea_prevalence"])
        for key in ("estimate", "ci_low", "ci_high", "p_value"):
            assert close(row[key], ref[key]), (row["subgroup"], row["level"], key)
        assert row["n"] == ref["n"]


def test_cookstoves_subgroups_are_paired_t_on_the_subset(
    cook: ImpactAnalysis, cook_survey: Frame
) -> None:
    columns = read_yaml(COOK / "initiative.yaml")["subgroups"]
    sub = cook.subgroups
    assert len(sub) == sum(cook_survey[c].nunique() for c in columns)
    for _, row in sub.iterrows():
        part = cook_survey.loc[cook_survey[row["subgroup"]] == row["level"]]
        ref = paired_reference(part, COOK_OUTCOMES["fuelwood_use"])
        for key in ("estimate", "ci_low", "ci_high", "p_value"):
            assert close(row[key], ref[key]), (row["subgroup"], row["level"], key)
        assert row["n"] == ref["n"]


def test_no_subgroups_gives_an_empty_table(tutor: ImpactAnalysis) -> None:
    assert tutor.subgroups.empty
    assert "indicator" in tutor.subgroups.columns


# ============================================================================ data quality


def expected_attrition(survey: Frame, group: str | None, first: str, last: str) -> Frame:
    rows = []
    parts = survey.groupby(group) if group else [("all", survey)]
    for key, part in parts:
        label = key[0] if isinstance(key, tuple) else key
        at_first = set(part.loc[part["round"] == first, "household_id"])
        at_last = set(part.loc[part["round"] == last, "household_id"])
        rows.append((label, len(at_first), len(at_last), len(at_first - at_last)))
    return pd.DataFrame(rows, columns=["group", "first", "last", "lost"])


def check_attrition(table: Frame | None, expected: Frame, first: str, last: str) -> None:
    assert table is not None
    assert list(table.columns) == [
        "group",
        f"units at {first}",
        f"units at {last}",
        "lost to follow-up",
        "attrition",
    ]
    got = table.set_index("group")
    for _, row in expected.iterrows():
        g = row["group"]
        assert got.loc[g, f"units at {first}"] == row["first"]
        assert got.loc[g, f"units at {last}"] == row["last"]
        assert got.loc[g, "lost to follow-up"] == row["lost"]
        assert close(got.loc[g, "attrition"], row["lost"] / row["first"])
    assert len(got) == len(expected)


def test_attrition_water_filter_by_arm(water: ImpactAnalysis, water_survey: Frame) -> None:
    expected = expected_attrition(water_survey, "arm", "baseline", "endline")
    assert expected["lost"].gt(0).all()  # the sample has attrition in both arms
    check_attrition(water.attrition, expected, "baseline", "endline")


def test_attrition_cookstoves_overall(cook: ImpactAnalysis, cook_survey: Frame) -> None:
    expected = expected_attrition(cook_survey, None, "before", "after")
    check_attrition(cook.attrition, expected, "before", "after")


def test_no_attrition_table_for_its(tutor: ImpactAnalysis) -> None:
    assert tutor.attrition is None


def test_attrition_does_not_depend_on_row_order(tmp_path: Path, water_survey: Frame) -> None:
    folder = copy_sample(WATER, tmp_path)
    shuffled = water_survey.sort_values(["post", "household_id"], ascending=[False, True])
    shuffled.to_csv(folder / "households.csv", index=False)
    a = run(folder)
    expected = expected_attrition(water_survey, "arm", "baseline", "endline")
    check_attrition(a.attrition, expected, "baseline", "endline")


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_data_quality_counts_missing_values_per_file(
    analyses: dict[str, ImpactAnalysis], sample: str
) -> None:
    a = analyses[sample]
    quality = a.data_quality
    files = read_yaml(SAMPLE_DATA / sample / "initiative.yaml")["data"]
    assert list(dict.fromkeys(quality["data set"])) == list(files)
    for name, file in files.items():
        raw = pd.read_csv(SAMPLE_DATA / sample / file)
        missing = raw.isna().sum()
        got = quality.loc[quality["data set"] == name].set_index("column")
        assert (got["rows"] == len(raw)).all()
        if missing.sum() == 0:
            assert list(got.index) == ["(all)"] and got.loc["(all)", "missing"] == 0
            continue
        expected = missing[missing > 0]
        assert list(got.index) == list(expected.index)
        assert got["missing"].tolist() == expected.tolist()
        np.testing.assert_allclose(got["share missing"], expected / len(raw), rtol=REL)


# ============================================================================ results files


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_results_frame_effect_rows_match_outcomes(
    analyses: dict[str, ImpactAnalysis], sample: str
) -> None:
    a = analyses[sample]
    frame = a.results_frame()
    effects = frame.loc[(frame["section"] == "effect") & (frame["group"] == "")]
    estimated = [r for r in a.outcomes if r.effect is not None]
    assert len(estimated) == len(a.outcomes)  # every sample outcome is estimable
    for r in estimated:
        e = r.effect
        assert e is not None
        rows = effects.loc[effects["item"] == r.indicator.id].set_index("statistic")
        expected = ["change", *(o.name for o in r.others), "baseline", "endline"]
        assert list(rows.index)[: len(expected)] == expected
        assert rows.loc["change", "scale"] == r.scale
        change = rows.loc["change"]
        for col, want in (
            ("value", e.estimate),
            ("ci_low", e.ci_low),
            ("ci_high", e.ci_high),
            ("p_value", e.p_value),
            ("p_adjusted", r.p_adjusted),
            ("n", e.n),
        ):
            assert want is not None and close(change[col], want), (r.indicator.id, col)
        assert change["method"] == e.method and change["verdict"] == r.verdict
        assert r.before is not None and r.after is not None
        assert close(rows.loc["baseline", "value"], r.before)
        assert close(rows.loc["endline", "value"], r.after)
    assert (frame["initiative"] == a.initiative.name).all()


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_results_frame_values_lie_in_their_intervals(
    analyses: dict[str, ImpactAnalysis], sample: str
) -> None:
    frame = analyses[sample].results_frame()
    both = frame["ci_low"].notna() & frame["ci_high"].notna()
    assert both.sum() > 0
    sub = frame.loc[both]
    bad = sub.loc[~((sub["ci_low"] <= sub["value"]) & (sub["value"] <= sub["ci_high"]))]
    assert bad.empty, bad[["section", "item", "group", "value", "ci_low", "ci_high"]]


def test_results_frame_subgroup_rows(water: ImpactAnalysis) -> None:
    frame = water.results_frame()
    rows = frame.loc[frame["section"] == "subgroup"].reset_index(drop=True)
    sub = water.subgroups.reset_index(drop=True)
    assert len(rows) == len(sub)
    assert list(rows["group"]) == [
        f"{s}={lv}" for s, lv in zip(sub["subgroup"], sub["level"], strict=True)
    ]
    np.testing.assert_allclose(rows["value"], sub["estimate"], rtol=REL)
    np.testing.assert_allclose(rows["p_value"], sub["p_value"], rtol=REL)


def _refuse_constant(name: str) -> None:
    raise AssertionError(f"results.json contains the non-JSON constant {name}")


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_results_json_parses_and_mirrors_the_frame(
    analyses: dict[str, ImpactAnalysis], sample: str
) -> None:
    a = analyses[sample]
    payload = json.loads(a.results_json(), parse_constant=_refuse_constant)
    init = a.initiative
    assert payload["initiative"] == init.name
    assert payload["organisation"] == init.organisation
    assert (
        payload["design"] == read_yaml(SAMPLE_DATA / sample / "initiative.yaml")["design"]["type"]
    )
    assert payload["period"] == [init.period_start.isoformat(), init.period_end.isoformat()]
    assert payload["data_fingerprint"] == a.fingerprint and len(a.fingerprint) == 16
    dt.date.fromisoformat(payload["created"])
    frame = a.results_frame()
    records = payload["results"]
    assert len(records) == len(frame)
    assert set(records[0]) == set(frame.columns)
    nulls = 0
    for rec, (_, row) in zip(records, frame.iterrows(), strict=True):
        for col, v in row.items():
            if v is pd.NA or (isinstance(v, float) and math.isnan(v)):
                assert rec[col] is None, (col, rec)
                nulls += 1
            elif isinstance(v, float):
                assert close(rec[col], v), col
            else:
                assert rec[col] == v, col
    assert nulls > 0  # the NaN -> null path was exercised


def test_outcome_table_matches_outcomes(cook: ImpactAnalysis) -> None:
    table = cook.outcome_table().set_index("indicator")
    assert list(table.index) == list(COOK_OUTCOMES)
    for r in cook.outcomes:
        assert r.effect is not None
        assert r.before is not None
        assert close(table.at[r.indicator.id, "change"], r.effect.estimate)
        assert close(table.at[r.indicator.id, "baseline"], r.before)
        assert table.at[r.indicator.id, "verdict"] == r.verdict


# ============================================================================ findings


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_three_to_five_findings(analyses: dict[str, ImpactAnalysis], sample: str) -> None:
    a = analyses[sample]
    findings = a.findings()
    assert 3 <= len(findings) <= 5
    headline = read_yaml(SAMPLE_DATA / sample / "initiative.yaml")["indicators"]["headline"]
    assert [f.topic for f in findings[: len(headline)]] == headline
    for f, indicator in zip(findings, headline, strict=False):
        assert f.verdict == a.outcome(indicator).verdict
        assert str(f) == f"{f.text} Verdict: {f.verdict}."
    assert a.summary() == " ".join(str(f) for f in findings)


def test_water_filter_headline_sentence_in_percentages(
    water: ImpactAnalysis, references: dict[str, Any]
) -> None:
    ref = references["water_filter"]["diarrhoea_prevalence"]
    text = water.findings()[0].text
    assert f"from {100 * ref['before']:.1f} % to {100 * ref['after']:.1f} %" in text
    minus = {ord("-"): "\u2212"}  # the report prints one (typographic) minus sign
    assert f"is {100 * ref['estimate']:+.1f} percentage points".translate(minus) in text
    assert f"CI {100 * ref['ci_low']:+.1f} to {100 * ref['ci_high']:+.1f}".translate(minus) in text
    assert "net of the comparison group" in text
    assert text.startswith(water.catalog["diarrhoea_prevalence"].name + " went from ")


def test_cookstoves_headline_sentence_in_units(
    cook: ImpactAnalysis, references: dict[str, Any]
) -> None:
    ref = references["cookstoves"]["fuelwood_use"]
    text = cook.findings()[0].text
    assert f"is {ref['estimate']:+.3g} kg per day".replace("-", "\u2212") in text
    assert f"from {ref['before']:.2f} to {ref['after']:.2f}" in text  # 3 significant digits


def test_further_outcomes_finding_counts_verdicts(water: ImpactAnalysis) -> None:
    text = water.findings()[-1].text
    others = [r for r in water.outcomes if r.indicator.id != "diarrhoea_prevalence"]
    assert text.startswith(f"Of {len(others)} further outcome indicators")
    assert "Benjamini" in text


def test_headline_sentence_names_the_confidence_level() -> None:
    a = run(WATER, confidence=0.90)
    text = a.findings()[0].text
    assert "90 % CI" in text and "95 % CI" not in text


# ============================================================================ error paths


def copy_sample(source: Path, tmp_path: Path) -> Path:
    folder = tmp_path / source.name
    shutil.copytree(source, folder)
    return folder


def edit(folder: Path, old: str, new: str, file: str = "initiative.yaml") -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_headline_not_in_catalog_is_a_config_error(tmp_path: Path) -> None:
    folder = copy_sample(WATER, tmp_path)
    edit(folder, "headline: [diarrhoea_prevalence]", "headline: [child_mortality]")
    with pytest.raises(ConfigError, match="'child_mortality' is not in the catalog") as err:
        run(folder)
    assert "indicators" in str(err.value) and "initiative.yaml" in str(err.value)


def test_pre_post_before_value_absent_is_a_config_error(tmp_path: Path) -> None:
    folder = copy_sample(COOK, tmp_path)
    edit(folder, "before: before", "before: baseline")
    with pytest.raises(ConfigError, match=r"design\.before") as err:
        run(folder)
    assert "'baseline'" in str(err.value) and "round" in str(err.value)


def test_pre_post_after_value_absent_is_a_config_error(tmp_path: Path) -> None:
    folder = copy_sample(COOK, tmp_path)
    edit(folder, "after: after", "after: endline")
    with pytest.raises(ConfigError, match=r"design\.after"):
        run(folder)


@pytest.mark.parametrize(
    ("sample", "old", "new", "column"),
    [
        ("water_filter", "cluster: village", "cluster: village_code", "village_code"),
        ("water_filter", "post: post", "post: endline", "endline"),
        ("cookstoves", "subgroups: [urban,", "subgroups: [rural,", "rural"),
        ("tutoring", "time: month", "time: period_start", "period_start"),
    ],
)
def test_design_column_missing_is_a_missing_column_error(
    tmp_path: Path, sample: str, old: str, new: str, column: str
) -> None:
    folder = copy_sample(SAMPLE_DATA / sample, tmp_path)
    edit(folder, old, new)
    with pytest.raises(MissingColumnError) as err:
        run(folder)
    assert err.value.column == column
    assert repr(column) in str(err.value)


def test_duplicate_unit_in_paired_design_is_a_data_error(
    tmp_path: Path, cook_survey: Frame
) -> None:
    folder = copy_sample(COOK, tmp_path)
    pd.concat([cook_survey, cook_survey.iloc[[0]]]).to_csv(folder / "households.csv", index=False)
    unit = str(cook_survey["household_id"].iloc[0])
    with pytest.raises(DataError, match="more than once") as err:
        run(folder)
    assert unit in str(err.value)


# ============================================================================ no mutation


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_analyse_does_not_mutate_the_loaded_frames(
    monkeypatch: pytest.MonkeyPatch, sample: str
) -> None:
    loaded: list[tuple[str, Frame, Frame]] = []
    original = Initiative.load_table  # analyse reads each data set through load_table

    def spy(self: Initiative, name: str) -> LoadedTable:
        table = original(self, name)
        loaded.append((name, table.frame, table.frame.copy(deep=True)))
        return table

    monkeypatch.setattr(Initiative, "load_table", spy)
    a = run(SAMPLE_DATA / sample)
    monkeypatch.undo()
    assert {name for name, _, _ in loaded} == set(a.initiative.data_files)
    for name, frame, snapshot in loaded:
        pd.testing.assert_frame_equal(frame, snapshot, obj=name)
    fresh = a.initiative.load_data(a.initiative.design.data)
    pd.testing.assert_frame_equal(a.design_data, fresh)
    raw = pd.read_csv(a.initiative.data_files[a.initiative.design.data])
    assert list(a.design_data.columns) == list(raw.columns)
    assert len(a.design_data) == len(raw)


def test_units_per_group_match_pandas_counts() -> None:
    analysis = analyse(str(SAMPLE_DATA / "water_filter" / "initiative.yaml"))
    raw = pd.read_csv(SAMPLE_DATA / "water_filter" / "households.csv")
    expected = raw.groupby(["arm", "round"])["household_id"].nunique()
    got = analysis.units.set_index(["arm", "round"])["units"]
    assert got.to_dict() == expected.to_dict()
    villages = raw.groupby(["arm", "round"])["village"].nunique()
    assert analysis.units.set_index(["arm", "round"])["clusters"].to_dict() == villages.to_dict()


def test_no_attrition_for_independent_samples(tmp_path: Path) -> None:
    """Repeated cross-sections (no unit in both rounds) have no attrition to report."""
    folder = tmp_path / "cook"
    shutil.copytree(SAMPLE_DATA / "cookstoves", folder)
    survey = pd.read_csv(folder / "households.csv")
    after = survey["round"] == "after"
    survey.loc[after, "household_id"] = survey.loc[after, "household_id"] + "-resampled"
    survey.to_csv(folder / "households.csv", index=False)
    path = folder / "initiative.yaml"
    path.write_text(path.read_text().replace("paired: true", "paired: false"))
    independent = analyse(str(path))
    assert independent.attrition is None
    panel = analyse(str(SAMPLE_DATA / "cookstoves" / "initiative.yaml"))
    assert panel.attrition is not None and panel.attrition["lost to follow-up"].sum() > 0


def test_headline_typo_suggests_the_close_id(tmp_path: Path) -> None:
    folder = copy_sample(WATER, tmp_path)
    edit(folder, "headline: [diarrhoea_prevalence]", "headline: [diarrhea_prevalence]")
    with pytest.raises(ConfigError, match="did you mean 'diarrhoea_prevalence'") as err:
        run(folder)
    assert "'indicators.headline'" in str(err.value)
