"""Tests of impactkit.effects against scipy, statsmodels and pingouin, plus properties.

Every reference number is computed here by an independent implementation on data made
in the test (seeded numpy), never by the code under test.
"""

from __future__ import annotations

import itertools
import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats
from statsmodels.stats.multitest import multipletests

from impactkit.effects import (
    DiDResult,
    Effect,
    EffectSize,
    ITSResult,
    Verdict,
    adjust,
    did,
    effect_size,
    its,
    pre_post,
    verdict,
)
from impactkit.errors import DataError, EstimationError, MissingColumnError

REL = 1e-6


# ----------------------------------------------------------------------------- data


def paired_data(seed: int = 1, n: int = 40) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    before = rng.normal(10, 2, n)
    after = before + rng.normal(0.8, 1.5, n)
    return before, after


def two_samples(seed: int = 2) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.normal(10, 2, 35), rng.normal(11, 3, 50)


def panel(seed: int = 3, units: int = 40, periods: int = 2, effect: float = 1.5) -> pd.DataFrame:
    """Units observed in every period; treated half gets ``effect`` in the last period(s)."""
    rng = np.random.default_rng(seed)
    unit = np.repeat(np.arange(units), periods)
    period = np.tile(np.arange(periods), units)
    treated = (unit < units // 2).astype(int)
    post = (period == periods - 1).astype(int)
    unit_effect = rng.normal(0, 2, units)[unit]
    y = 5 + unit_effect + 0.5 * period + effect * treated * post + rng.normal(0, 1, unit.size)
    x = rng.normal(0, 1, unit.size)
    return pd.DataFrame(
        {"unit": unit, "period": period, "treated": treated, "post": post, "y": y + 0.3 * x, "x": x}
    )


def series(seed: int = 4, n: int = 48, t0: int = 25) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    t = np.arange(1, n + 1)
    post = (t >= t0).astype(float)
    mu = np.exp(
        4 + 0.01 * t - 0.2 * post - 0.01 * (t - t0) * post + 0.1 * np.sin(2 * np.pi * t / 12)
    )
    pop = rng.uniform(900, 1100, n)
    counts = rng.poisson(mu * pop / 1000)
    y = 20 + 0.3 * t - 3 * post + 0.2 * (t - t0) * post + rng.normal(0, 1, n)
    return pd.DataFrame({"t": t, "count": counts, "pop": pop, "y": y})


# ----------------------------------------------------------------------------- pre_post


def test_pre_post_paired_t_matches_scipy() -> None:
    before, after = paired_data()
    ref = stats.ttest_rel(after, before)
    ci = ref.confidence_interval(0.9)
    res = pre_post(before, after, paired=True, confidence=0.9, label="score")
    assert res.estimate == pytest.approx(np.mean(after - before), rel=REL)
    assert res.p_value == pytest.approx(ref.pvalue, rel=REL)
    assert res.ci_low == pytest.approx(ci.low, rel=REL)
    assert res.ci_high == pytest.approx(ci.high, rel=REL)
    assert res.se == pytest.approx(np.std(after - before, ddof=1) / math.sqrt(40), rel=REL)
    assert res.baseline == pytest.approx(before.mean())
    assert res.effect_size is not None and res.effect_size.name.startswith("d_z")
    assert res.n == 40


def test_pre_post_welch_matches_scipy() -> None:
    before, after = two_samples()
    ref = stats.ttest_ind(after, before, equal_var=False)
    ci = ref.confidence_interval(0.95)
    res = pre_post(pd.Series(before), list(after), paired=False)
    assert res.estimate == pytest.approx(after.mean() - before.mean(), rel=REL)
    assert res.p_value == pytest.approx(ref.pvalue, rel=REL)
    assert (res.ci_low, res.ci_high) == (
        pytest.approx(ci.low, rel=REL),
        pytest.approx(ci.high, rel=REL),
    )
    assert res.effect_size is not None and res.effect_size.name == "Hedges' g"
    assert res.n == 85


def test_wilcoxon_p_rank_biserial_and_hodges_lehmann() -> None:
    before, after = paired_data(seed=5, n=25)
    res = pre_post(before, after, paired=True, method="wilcoxon")
    assert res.p_value == pytest.approx(stats.wilcoxon(after, before).pvalue, rel=REL)
    rbc = pg.wilcoxon(after, before, correction=False)["RBC"].iloc[0]
    assert res.effect_size is not None
    assert res.effect_size.value == pytest.approx(rbc, rel=REL)
    d = after - before
    walsh = [
        (d[i] + d[j]) / 2 for i, j in itertools.combinations_with_replacement(range(d.size), 2)
    ]
    assert res.estimate == pytest.approx(np.median(walsh), rel=REL)
    assert res.ci_low <= res.estimate <= res.ci_high
    assert res.effect_size.ci_low <= res.effect_size.value <= res.effect_size.ci_high


def test_mann_whitney_p_rank_biserial_and_hodges_lehmann() -> None:
    before, after = two_samples(seed=6)
    res = pre_post(before, after, paired=False, method="mann-whitney")
    assert res.p_value == pytest.approx(stats.mannwhitneyu(after, before).pvalue, rel=REL)
    rbc = pg.mwu(after, before)["RBC"].iloc[0]
    assert res.effect_size is not None
    assert res.effect_size.value == pytest.approx(rbc, rel=REL)
    diffs = [a - b for a in after for b in before]
    assert res.estimate == pytest.approx(np.median(diffs), rel=REL)
    assert res.ci_low < res.estimate < res.ci_high


@pytest.mark.parametrize("paired", [True, False])
def test_bootstrap_is_seeded_and_close_to_scipy(paired: bool) -> None:
    before, after = paired_data(seed=7, n=30) if paired else two_samples(seed=7)
    res = pre_post(before, after, paired=paired, method="bootstrap", seed=11, n_resamples=2000)
    again = pre_post(before, after, paired=paired, method="bootstrap", seed=11, n_resamples=2000)
    assert (res.ci_low, res.ci_high, res.p_value) == (again.ci_low, again.ci_high, again.p_value)
    data = (after - before,) if paired else (after, before)

    def stat(*arrs: np.ndarray, axis: int = -1) -> np.ndarray:
        if paired:
            return np.mean(arrs[0], axis=axis)
        return np.mean(arrs[0], axis=axis) - np.mean(arrs[1], axis=axis)

    ref = stats.bootstrap(data, stat, n_resamples=20000, method="BCa", rng=np.random.default_rng(3))
    width = ref.confidence_interval.high - ref.confidence_interval.low
    assert res.ci_low == pytest.approx(ref.confidence_interval.low, abs=0.1 * width)
    assert res.ci_high == pytest.approx(ref.confidence_interval.high, abs=0.1 * width)
    assert res.se == pytest.approx(ref.standard_error, rel=0.1)
    t_p = (
        stats.ttest_rel(after, before)
        if paired
        else stats.ttest_ind(after, before, equal_var=False)
    ).pvalue
    assert abs(res.p_value - t_p) < 0.05
    assert "BCa" in res.method


def test_bootstrap_progress_does_not_change_the_result() -> None:
    before, after = paired_data(seed=8, n=20)
    quiet = pre_post(
        before, after, paired=True, method="bootstrap", seed=1, n_resamples=500, progress=False
    )
    shown = pre_post(
        before, after, paired=True, method="bootstrap", seed=1, n_resamples=500, progress=True
    )
    assert (quiet.ci_low, quiet.ci_high) == (shown.ci_low, shown.ci_high)


def test_paired_drops_incomplete_pairs_and_says_so() -> None:
    before, after = paired_data(n=12)
    b = before.copy()
    b[[2, 5]] = np.nan
    res = pre_post(b, after, paired=True)
    ref = stats.ttest_rel(np.delete(after, [2, 5]), np.delete(before, [2, 5]))
    assert res.n == 10
    assert res.p_value == pytest.approx(ref.pvalue, rel=REL)
    assert any("2 pair(s)" in n for n in res.notes)


def test_pre_post_errors() -> None:
    with pytest.raises(DataError, match="equal lengths"):
        pre_post([1, 2, 3], [1, 2], paired=True)
    with pytest.raises(EstimationError, match="at least 2"):
        pre_post([1.0], [2.0, 3.0], paired=False)
    with pytest.raises(EstimationError, match="every paired difference"):
        pre_post([1, 2, 3], [2, 3, 4], paired=True)
    with pytest.raises(EstimationError, match="constant"):
        pre_post([1, 1, 1], [2, 2, 2], paired=False)
    with pytest.raises(DataError, match="mann-whitney"):
        pre_post([1, 2, 3], [2, 4, 5], paired=True, method="mann-whitney")
    with pytest.raises(DataError, match="wilcoxon"):
        pre_post([1, 2, 3], [2, 4, 5], paired=False, method="wilcoxon")
    with pytest.raises(DataError, match="expected numbers"):
        pre_post(["a", "b", "c"], [1, 2, 3], paired=False)
    with pytest.raises(DataError, match="confidence"):
        pre_post([1, 2, 3], [2, 4, 5], paired=False, confidence=95)


# ----------------------------------------------------------------------------- effect sizes


def test_effect_sizes_match_pingouin() -> None:
    x, y = two_samples(seed=9)
    assert effect_size(x, y, kind="cohen_d").value == pytest.approx(
        pg.compute_effsize(x, y, eftype="cohen"), rel=REL
    )
    # pingouin's "hedges" uses the same approximate correction 1 - 3 / (4 (n1 + n2) - 9)
    assert effect_size(x, y, kind="hedges_g").value == pytest.approx(
        pg.compute_effsize(x, y, eftype="hedges"), rel=REL
    )
    before, after = paired_data(seed=9)
    assert effect_size(after, before, kind="d_z", paired=True).value == pytest.approx(
        pg.compute_effsize(after, before, paired=True, eftype="cohen_dz"), rel=REL
    )
    # pingouin's paired "cohen" is d_av (Cumming 2012)
    assert effect_size(after, before, kind="d_av", paired=True).value == pytest.approx(
        pg.compute_effsize(after, before, paired=True, eftype="cohen"), rel=REL
    )
    glass = (x.mean() - y.mean()) / y.std(ddof=1)
    assert effect_size(x, y, kind="glass_delta").value == pytest.approx(glass, rel=REL)


def test_noncentral_t_interval_inverts_the_distribution() -> None:
    x, y = two_samples(seed=10)
    es = effect_size(x, y, kind="cohen_d", confidence=0.9)
    scale = math.sqrt(1 / x.size + 1 / y.size)
    t = es.value / scale
    df = x.size + y.size - 2
    # the observed t is the 95th / 5th percentile of the nct at the interval's ends
    assert stats.nct.ppf(0.95, df, es.ci_low / scale) == pytest.approx(t, rel=1e-6)
    assert stats.nct.ppf(0.05, df, es.ci_high / scale) == pytest.approx(t, rel=1e-6)
    # and agrees with the large-sample normal approximation to about 1 %
    se = math.sqrt((x.size + y.size) / (x.size * y.size) + es.value**2 / (2 * (x.size + y.size)))
    assert es.ci_low == pytest.approx(es.value - 1.645 * se, abs=0.02)


def test_d_z_interval_against_pingouin_normal_approximation_for_large_n() -> None:
    before, after = paired_data(seed=12, n=400)
    es = effect_size(after, before, kind="d_z", paired=True)
    n = 400
    se = math.sqrt(1 / n + es.value**2 / (2 * n))
    assert es.ci_low == pytest.approx(es.value - 1.96 * se, abs=5e-3)
    assert es.ci_high == pytest.approx(es.value + 1.96 * se, abs=5e-3)


def test_effect_size_errors() -> None:
    with pytest.raises(DataError, match="paired"):
        effect_size([1, 2, 3], [2, 3, 5], kind="d_z")
    with pytest.raises(DataError, match="independent"):
        effect_size([1, 2, 3], [2, 3, 5], kind="cohen_d", paired=True)
    with pytest.raises(DataError, match="kind"):
        effect_size([1, 2, 3], [2, 3, 5], kind="eta")  # type: ignore[arg-type]
    with pytest.raises(EstimationError, match="zero variance"):
        effect_size([1, 1, 1], [2, 2, 2], kind="cohen_d")


# ----------------------------------------------------------------------------- DiD


def test_did_hc1_and_cluster_match_statsmodels() -> None:
    df = panel()
    model = smf.ols("y ~ treated * post", data=df)
    hc1 = model.fit(cov_type="HC1", use_t=True)
    res = did(df, "y", "treated", "post", se="HC1")
    assert res.estimate == pytest.approx(hc1.params["treated:post"], rel=REL)
    assert res.effect.se == pytest.approx(hc1.bse["treated:post"], rel=REL)
    cl = model.fit(cov_type="cluster", cov_kwds={"groups": df["unit"]}, use_t=True)
    res_cl = did(df, "y", "treated", "post", unit="unit")  # default: cluster by repeating unit
    assert res_cl.effect.se == pytest.approx(cl.bse["treated:post"], rel=REL)
    assert res_cl.p_value == pytest.approx(cl.pvalues["treated:post"], rel=REL)
    lo, hi = cl.conf_int().loc["treated:post"]
    assert (res_cl.ci_low, res_cl.ci_high) == (
        pytest.approx(lo, rel=REL),
        pytest.approx(hi, rel=REL),
    )
    assert res_cl.n_clusters == 40
    assert "CR1" in res_cl.effect.method and "unit" in res_cl.effect.method
    assert any("clustered by 'unit'" in n for n in res_cl.notes)
    assert res.n_clusters is None and "HC1" in res.effect.method


def test_did_few_clusters_warns_and_covariates_match() -> None:
    df = panel(units=12)
    res = did(df, "y", "treated", "post", cluster="unit", covariates=["x"])
    ref = smf.ols("y ~ treated * post + x", data=df).fit(
        cov_type="cluster", cov_kwds={"groups": df["unit"]}, use_t=True
    )
    assert res.estimate == pytest.approx(ref.params["treated:post"], rel=REL)
    assert res.effect.se == pytest.approx(ref.bse["treated:post"], rel=REL)
    # 12 clusters: the interval and p-value come from the wild cluster bootstrap (auto rule)
    assert any("12 clusters, 6 of them treated" in n and "wild" in n for n in res.notes)
    assert "adjusted for x" in res.effect.method


def test_did_group_means_are_cell_means_and_estimate_is_their_did() -> None:
    df = panel(seed=13)
    res = did(df, "y", "treated", "post", se="HC1")
    cell = df.groupby(["treated", "post"])["y"].mean()
    assert res.estimate == pytest.approx(
        (cell[1, 1] - cell[1, 0]) - (cell[0, 1] - cell[0, 0]), rel=REL
    )
    gm = res.group_means.set_index(["group", "period"])
    assert gm.loc[("treated", "pre"), "mean"] == pytest.approx(cell[1, 0])
    assert int(gm["n"].sum()) == len(df)
    assert res.effect.baseline == pytest.approx(cell[1, 0])


def test_did_event_study_and_pretrend_test_match_statsmodels() -> None:
    df = panel(seed=14, units=60, periods=4)  # periods 0,1,2 pre; 3 post; reference = 2
    res = did(df, "y", "treated", "post", unit="unit", period="period")
    assert res.event_study is not None and res.pre_trend is not None
    frame = df.copy()
    for k in (0, 1, 3):
        frame[f"tp{k}"] = frame["treated"] * (frame["period"] == k)
    ref = smf.ols("y ~ treated + C(period) + tp0 + tp1 + tp3", data=frame).fit(
        cov_type="cluster", cov_kwds={"groups": frame["unit"]}, use_t=True
    )
    es = res.event_study.set_index("period")
    for k in (0, 1, 3):
        assert es.loc[k, "estimate"] == pytest.approx(ref.params[f"tp{k}"], rel=REL)
        assert es.loc[k, "se"] == pytest.approx(ref.bse[f"tp{k}"], rel=REL)
    assert bool(es.loc[2, "reference"]) and es.loc[2, "estimate"] == 0
    wald = ref.f_test("tp0 = 0, tp1 = 0")
    assert res.pre_trend.p_value == pytest.approx(float(wald.pvalue), rel=REL)
    assert res.pre_trend.df_num == 2
    # the main effect: period fixed effects + treated x post
    main = smf.ols("y ~ treated + C(period) + treated:post", data=df).fit(
        cov_type="cluster", cov_kwds={"groups": df["unit"]}, use_t=True
    )
    assert res.estimate == pytest.approx(main.params["treated:post"], rel=REL)
    assert "pre-trend" in res.summary().lower()


def test_did_validation_errors_name_column_and_rows() -> None:
    df = panel()
    bad = df.copy()
    bad.loc[[3, 7], "treated"] = 2
    with pytest.raises(DataError, match=r"'treated'.*rows 3, 7"):
        did(bad, "y", "treated", "post")
    with pytest.raises(MissingColumnError, match="'nope'"):
        did(df, "nope", "treated", "post")
    with pytest.raises(DataError, match="cluster"):
        did(df, "y", "treated", "post", se="cluster")
    with pytest.raises(DataError, match="se must be"):
        did(df, "y", "treated", "post", se="HC9")
    only_treated = df[df["treated"] == 1]
    with pytest.raises(EstimationError, match="control/pre"):
        did(only_treated, "y", "treated", "post")


def test_did_accepts_booleans_and_does_not_mutate_input() -> None:
    df = panel()
    df_bool = df.assign(treated=df["treated"].astype(bool), post=df["post"].astype(bool))
    snapshot = df_bool.copy()
    a = did(df_bool, "y", "treated", "post", se="HC1")
    b = did(df, "y", "treated", "post", se="HC1")
    pd.testing.assert_frame_equal(df_bool, snapshot)
    assert a.estimate == pytest.approx(b.estimate, rel=1e-12)


def test_did_result_display() -> None:
    res = did(panel(effect=6.0), "y", "treated", "post", se="HC1", label="water use")
    assert isinstance(res, DiDResult)
    assert res.summary().startswith("Water use increased by")
    assert "DiDResult" in repr(res) and "<table" in res._repr_html_()
    row = res.to_frame()
    assert list(row["label"]) == ["water use"] and row["estimate"].iloc[0] == res.estimate


# ----------------------------------------------------------------------------- ITS


def test_its_gaussian_matches_ols_and_hac() -> None:
    df = series()
    t = df["t"].to_numpy(float)
    post = (t >= 25).astype(float)
    X = np.column_stack([np.ones_like(t), t, post, (t - 25) * post])
    for lags in (None, 3):
        res = its(df, "t", "y", 25, hac_lags=lags)
        if lags is None:
            ref = sm.OLS(df["y"], X).fit()
        else:
            ref = sm.OLS(df["y"], X).fit(cov_type="HAC", cov_kwds={"maxlags": lags}, use_t=True)
        assert res.level_change.estimate == pytest.approx(ref.params.iloc[2], rel=REL)
        assert res.level_change.se == pytest.approx(ref.bse.iloc[2], rel=REL)
        assert res.slope_change is not None
        assert res.slope_change.se == pytest.approx(ref.bse.iloc[3], rel=REL)
        assert res.level_change.p_value == pytest.approx(ref.pvalues.iloc[2], rel=REL)
        # cumulative = sum over post of (b2 + b3 (t - t0)): a linear contrast
        c = np.array([0, 0, post.sum(), ((t - 25) * post).sum()])
        tt = ref.t_test(c)
        assert res.cumulative.estimate == pytest.approx(float(np.squeeze(tt.effect)), rel=REL)
        assert res.cumulative.se == pytest.approx(float(np.squeeze(tt.sd)), rel=REL)


def test_its_poisson_matches_glm_and_cumulative_delta_method() -> None:
    df = series()
    t = df["t"].to_numpy(float)
    post = (t >= 25).astype(float)
    X = np.column_stack(
        [
            np.ones_like(t),
            t,
            post,
            (t - 25) * post,
            np.sin(2 * np.pi * t / 12),
            np.cos(2 * np.pi * t / 12),
        ]
    )
    offset = np.log(df["pop"].to_numpy())
    Xcf = X.copy()
    Xcf[:, 2:4] = 0
    for family, kw in (("poisson", {}), ("quasipoisson", {"scale": "X2"})):
        ref = sm.GLM(df["count"], X, family=sm.families.Poisson(), offset=offset).fit(**kw)
        res = its(df, "t", "count", 25, family=family, exposure="pop", seasonality=1)
        assert res.level_change.estimate == pytest.approx(ref.params.iloc[2], rel=REL)
        assert res.level_change.se == pytest.approx(ref.bse.iloc[2], rel=REL)
        assert res.slope_change is not None and res.slope_rate_ratio is not None
        assert res.slope_change.estimate == pytest.approx(ref.params.iloc[3], rel=REL)
        assert res.level_rate_ratio is not None
        assert res.level_rate_ratio.estimate == pytest.approx(math.exp(ref.params.iloc[2]), rel=REL)
        lo, hi = np.exp(np.asarray(ref.conf_int())[2])
        assert res.level_rate_ratio.ci_low == pytest.approx(lo, rel=REL)
        assert res.level_rate_ratio.ci_high == pytest.approx(hi, rel=REL)

        # cumulative via a numerical gradient of sum(fitted - counterfactual)
        beta, V = ref.params.to_numpy(), ref.cov_params().to_numpy()

        def cum(b: np.ndarray) -> float:
            return float((np.exp(X @ b + offset) - np.exp(Xcf @ b + offset))[post == 1].sum())

        h = 1e-6
        grad = np.array(
            [(cum(beta + h * e) - cum(beta - h * e)) / (2 * h) for e in np.eye(beta.size)]
        )
        assert res.cumulative.estimate == pytest.approx(cum(beta), rel=REL)
        assert res.cumulative.se == pytest.approx(math.sqrt(grad @ V @ grad), rel=1e-5)


def test_its_counterfactual_frame_contract() -> None:
    df = series()
    res = its(df.sample(frac=1, random_state=0), "t", "count", 25, family="poisson", exposure="pop")
    cf = res.counterfactual
    assert list(cf.columns) == [
        "time",
        "observed",
        "fitted",
        "counterfactual",
        "cf_ci_low",
        "cf_ci_high",
    ]
    assert cf["time"].is_monotonic_increasing
    pre = cf["time"] < 25
    np.testing.assert_allclose(cf.loc[pre, "fitted"], cf.loc[pre, "counterfactual"], rtol=1e-12)
    assert (cf["cf_ci_low"] <= cf["counterfactual"]).all() and (
        cf["counterfactual"] <= cf["cf_ci_high"]
    ).all()
    np.testing.assert_array_equal(
        cf["observed"], np.sort(df["t"]) * 0 + df.sort_values("t")["count"].to_numpy()
    )


def test_its_month_dummies_and_plot() -> None:
    df = series()
    res = its(df, "t", "y", 25, seasonality="month")
    ref = smf.ols(
        "y ~ t + post + since + C(t % 12)",
        data=df.assign(post=(df.t >= 25) * 1.0, since=(df.t - 25) * (df.t >= 25)),
    ).fit()
    assert res.level_change.estimate == pytest.approx(ref.params["post"], rel=REL)
    import matplotlib.pyplot as plt

    ax = res.plot()
    assert ax is not None and hasattr(ax, "get_lines")
    plt.close("all")
    assert isinstance(res, ITSResult) and "ITSResult" in repr(res)
    assert set(res.to_frame()["term"]) == {"level_change", "slope_change", "cumulative"}
    assert "At the intervention" in res.summary()


def test_its_errors() -> None:
    df = series()
    with pytest.raises(MissingColumnError, match="'group'"):
        its(df, "t", "y", 25, control="group")  # comparative ITS: see test_its_control.py
    with pytest.raises(DataError, match="hac_lags"):
        its(df, "t", "count", 25, family="poisson", hac_lags=2)
    with pytest.raises(EstimationError, match="at least 3"):
        its(df, "t", "y", 2)
    with pytest.raises(DataError, match="unique"):
        its(pd.concat([df, df.iloc[:1]]), "t", "y", 25)
    with pytest.raises(DataError, match="counts"):
        its(df, "t", "y", 25, family="poisson")
    with pytest.raises(DataError, match="seasonality"):
        its(df, "t", "y", 25, seasonality=0)
    snapshot = df.copy()
    its(df, "t", "count", 25, family="quasipoisson", exposure="pop", seasonality=2)
    pd.testing.assert_frame_equal(df, snapshot)


# ----------------------------------------------------------------------------- adjust / verdict


def test_adjust_matches_multipletests() -> None:
    effects = [
        Effect(1.0, 0.5, 0.0, 2.0, p, 100, label=f"ind{i}")
        for i, p in enumerate([0.001, 0.02, 0.04, 0.3, 0.049])
    ]
    for method in ("fdr_bh", "holm", "bonferroni"):
        table = adjust(effects, method=method)
        _, ref, _, _ = multipletests([e.p_value for e in effects], method=method)
        np.testing.assert_allclose(table["p_adjusted"], ref, rtol=1e-12)
        assert list(table["label"]) == [f"ind{i}" for i in range(5)]
    named = adjust({"a": effects[0], "b": did(panel(), "y", "treated", "post")})
    assert list(named["label"]) == ["a", "b"]
    with pytest.raises(DataError):
        adjust([1.0])
    with pytest.raises(DataError, match="method"):
        adjust(effects, method="sidak")  # type: ignore[arg-type]


def eff(lo: float, est: float, hi: float, null: float = 0.0) -> Effect:
    return Effect(est, (hi - lo) / 4, lo, hi, 0.01, 50, null=null)


@pytest.mark.parametrize(
    ("ci", "direction", "mmc", "label", "phrase"),
    [
        ((1.0, 2.0, 3.0), "increase", None, "improved", "entirely above"),
        ((1.0, 2.0, 3.0), "decrease", None, "worsened", "entirely above"),
        ((-3.0, -2.0, -1.0), "decrease", None, "improved", "entirely below"),
        ((-3.0, -2.0, -1.0), "neutral", None, "changed", "below"),
        ((-1.0, 0.5, 2.0), "increase", None, "inconclusive", "no minimum"),
        ((-1.0, 0.5, 2.0), "increase", 3.0, "no meaningful change", "within"),
        ((0.1, 0.2, 0.3), "increase", 0.5, "no meaningful change", "within"),
        ((0.1, 0.3, 0.9), "increase", 0.5, "improved", "less than"),
        ((0.1, 0.7, 1.3), "increase", 0.5, "improved", "estimate exceeds"),
        ((0.6, 0.9, 1.3), "increase", 0.5, "improved", "at least"),
        ((-1.0, 0.5, 2.0), "increase", 1.0, "inconclusive", "reaches beyond"),
    ],
)
def test_verdict_rules(
    ci: tuple[float, float, float], direction: str, mmc: float | None, label: str, phrase: str
) -> None:
    v = verdict(eff(*ci), direction=direction, minimum_meaningful_change=mmc)
    assert isinstance(v, Verdict)
    assert v.label == label
    assert phrase in v.reason


def test_verdict_duck_types_an_indicator_and_handles_ratios() -> None:
    indicator = SimpleNamespace(direction="decrease", minimum_meaningful_change=0.05)
    rr = eff(0.86, 0.89, 0.93, null=1.0)
    assert verdict(rr, indicator).label == "improved"
    assert verdict(rr, indicator, direction="increase").label == "worsened"
    assert verdict(eff(0.97, 0.99, 1.02, null=1.0), indicator).label == "no meaningful change"
    with pytest.raises(DataError, match="direction"):
        verdict(rr, direction="up")
    with pytest.raises(DataError, match="minimum_meaningful_change"):
        verdict(rr, minimum_meaningful_change=-1)


def test_effect_summary_and_frame() -> None:
    e = Effect(
        -2.0,
        0.5,
        -3.0,
        -1.0,
        0.0004,
        120,
        baseline=10.0,
        label="waiting time",
        effect_size=EffectSize("Hedges' g", -0.4, -0.6, -0.2),
    )
    s = e.summary()
    assert s.startswith("Waiting time decreased by 2.00") and "p < 0.001" in s and "-20.0 %" in s
    assert e.to_frame()["effect_size"].iloc[0] == -0.4
    ratio = Effect(0.894, 0.01, 0.865, 0.925, 1e-6, 59, null=1.0, label="rate")
    assert "fell by 10.6 %" in ratio.summary()


# ----------------------------------------------------------------------------- properties

finite = st.floats(-100, 100, allow_nan=False, allow_infinity=False, allow_subnormal=False)
samples = arrays(np.float64, st.integers(4, 25), elements=finite)


def spread(a: np.ndarray) -> bool:
    return bool(np.std(a) > 1e-3 * (1 + np.abs(a).max()))


@given(samples, st.booleans(), st.booleans())
def test_pre_post_is_antisymmetric(x: np.ndarray, paired: bool, ranks: bool) -> None:
    y = x[::-1] * 0.7 + np.arange(x.size) if paired else x[: max(2, x.size // 2)] + 1.5
    assume(spread(y - x if paired else x) and spread(y))
    method = ("wilcoxon" if paired else "mann-whitney") if ranks else "t"
    ab = pre_post(x, y, paired=paired, method=method)  # type: ignore[arg-type]
    ba = pre_post(y, x, paired=paired, method=method)  # type: ignore[arg-type]
    if ab.effect_size is not None and ba.effect_size is not None:
        assert ba.effect_size.value == pytest.approx(-ab.effect_size.value, rel=1e-9, abs=1e-12)
    assert ba.estimate == pytest.approx(-ab.estimate, rel=1e-9, abs=1e-9)
    assert ba.ci_low == pytest.approx(-ab.ci_high, rel=1e-9, abs=1e-9)
    assert ba.ci_high == pytest.approx(-ab.ci_low, rel=1e-9, abs=1e-9)
    assert ba.p_value == pytest.approx(ab.p_value, rel=1e-9, abs=1e-12)


@given(
    samples,
    samples,
    st.floats(0.01, 100),
    st.floats(-50, 50),
    st.sampled_from(["cohen_d", "hedges_g", "glass_delta"]),
)
def test_independent_effect_sizes_affine_invariant(
    x: np.ndarray, y: np.ndarray, scale: float, shift: float, kind: str
) -> None:
    assume(spread(x) and spread(y))
    base = effect_size(x, y, kind=kind)  # type: ignore[arg-type]
    moved = effect_size(scale * x + shift, scale * y + shift, kind=kind)  # type: ignore[arg-type]
    flipped = effect_size(-x, -y, kind=kind)  # type: ignore[arg-type]
    assert moved.value == pytest.approx(base.value, rel=1e-6, abs=1e-9)
    assert moved.ci_low == pytest.approx(base.ci_low, rel=1e-5, abs=1e-6)
    assert flipped.value == pytest.approx(-base.value, rel=1e-9, abs=1e-12)
    assert flipped.ci_low == pytest.approx(-base.ci_high, rel=1e-5, abs=1e-6)
    assert base.ci_low <= base.value <= base.ci_high


@given(samples, st.floats(0.01, 100), st.floats(-50, 50), st.sampled_from(["d_z", "d_av"]))
def test_paired_effect_sizes_affine_invariant(
    x: np.ndarray, scale: float, shift: float, kind: str
) -> None:
    y = np.roll(x, 1) + 0.37 * np.arange(x.size)
    assume(spread(x - y) and spread(x) and spread(y))
    base = effect_size(x, y, kind=kind, paired=True)  # type: ignore[arg-type]
    moved = effect_size(scale * x + shift, scale * y + shift, kind=kind, paired=True)  # type: ignore[arg-type]
    flipped = effect_size(-x, -y, kind=kind, paired=True)  # type: ignore[arg-type]
    assert moved.value == pytest.approx(base.value, rel=1e-6, abs=1e-9)
    assert flipped.value == pytest.approx(-base.value, rel=1e-9, abs=1e-12)
    assert flipped.ci_high == pytest.approx(-base.ci_low, rel=1e-5, abs=1e-6)
    assert base.ci_low <= base.value <= base.ci_high


@given(st.integers(0, 10_000), st.floats(-1e3, 1e3), st.floats(-1e3, 1e3))
def test_did_invariant_to_group_and_period_shifts(
    seed: int, group_shift: float, period_shift: float
) -> None:
    df = panel(seed=seed, units=10)
    base = did(df, "y", "treated", "post", se="HC1")
    shifted = df.assign(y=df["y"] + group_shift * df["treated"] + period_shift * df["post"])
    res = did(shifted, "y", "treated", "post", se="HC1")
    assert res.estimate == pytest.approx(base.estimate, rel=1e-6, abs=1e-7)
    assert res.effect.se == pytest.approx(base.effect.se, rel=1e-5, abs=1e-7)


@given(samples, st.floats(0.5, 0.99), st.floats(0.5, 0.99))
def test_interval_contains_estimate_and_grows_with_confidence(
    x: np.ndarray, c1: float, c2: float
) -> None:
    y = x + np.linspace(-1, 2, x.size) ** 2
    assume(spread(y - x))
    lo_c, hi_c = sorted((c1, c2))
    narrow = pre_post(x, y, paired=True, confidence=lo_c)
    wide = pre_post(x, y, paired=True, confidence=hi_c)
    assert narrow.ci_low <= narrow.estimate <= narrow.ci_high
    assert wide.ci_low <= narrow.ci_low + 1e-12 and narrow.ci_high <= wide.ci_high + 1e-12
    es_n, es_w = narrow.effect_size, wide.effect_size
    assert es_n is not None and es_w is not None
    assert es_w.ci_low <= es_n.ci_low + 1e-9 and es_n.ci_high <= es_w.ci_high + 1e-9


@given(st.integers(0, 10_000), st.floats(0.5, 0.99), st.floats(0.5, 0.99))
def test_did_interval_grows_with_confidence(seed: int, c1: float, c2: float) -> None:
    lo_c, hi_c = sorted((c1, c2))
    df = panel(seed=seed, units=8)
    a = did(df, "y", "treated", "post", unit="unit", confidence=lo_c)
    b = did(df, "y", "treated", "post", unit="unit", confidence=hi_c)
    assert a.ci_low <= a.estimate <= a.ci_high
    assert b.ci_low <= a.ci_low + 1e-12 and a.ci_high <= b.ci_high + 1e-12


# ----------------------------------------------------------------------------- coverage (slow)


@pytest.mark.slow
def test_coverage_of_95_percent_intervals_by_simulation() -> None:
    """1,000 synthetic studies with a known effect: 95 % intervals cover 93-97 %."""
    rng = np.random.default_rng(2024)
    hits = {"paired t": 0, "welch": 0, "did cluster": 0, "its": 0, "d_z": 0}
    true_dz = 0.5 / 1.0
    for _ in range(1000):
        before = rng.normal(10, 2, 30)
        after = before + rng.normal(0.5, 1.0, 30)
        e = pre_post(before, after, paired=True)
        hits["paired t"] += e.ci_low <= 0.5 <= e.ci_high
        assert e.effect_size is not None
        hits["d_z"] += e.effect_size.ci_low <= true_dz <= e.effect_size.ci_high
        w = pre_post(rng.normal(0, 1, 20), rng.normal(0.3, 2, 35), paired=False)
        hits["welch"] += w.ci_low <= 0.3 <= w.ci_high
        units = 40
        unit = np.repeat(np.arange(units), 2)
        post = np.tile([0, 1], units)
        treated = (unit < units // 2).astype(int)
        y = (
            rng.normal(0, 1, units)[unit]
            + post
            + 1.0 * treated * post
            + rng.normal(0, 1, unit.size)
        )
        frame = pd.DataFrame({"y": y, "t": treated, "p": post, "u": unit})
        d = did(frame, "y", "t", "p", unit="u")
        hits["did cluster"] += d.ci_low <= 1.0 <= d.ci_high
        t = np.arange(1, 41)
        ts = pd.DataFrame({"t": t, "y": 5 + 0.1 * t + 2 * (t >= 21) + rng.normal(0, 1, 40)})
        r = its(ts, "t", "y", 21)
        hits["its"] += r.level_change.ci_low <= 2 <= r.level_change.ci_high
    for name, k in hits.items():
        assert 930 <= k <= 970, f"{name}: {k / 10:.1f} % coverage"


def test_polars_frames_are_accepted() -> None:
    pl = pytest.importorskip("polars")
    df = panel()
    a = did(pl.from_pandas(df), "y", "treated", "post", unit="unit")
    b = did(df, "y", "treated", "post", unit="unit")
    assert a.estimate == pytest.approx(b.estimate, rel=1e-12)
    s = series()
    r = its(pl.from_pandas(s), "t", "y", 25)
    assert r.level_change.estimate == pytest.approx(its(s, "t", "y", 25).level_change.estimate)
    with pytest.raises(DataError, match="data frame"):
        did([1, 2], "y", "treated", "post")  # type: ignore[arg-type]
