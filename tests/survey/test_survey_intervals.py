"""Proportion and t intervals against independent implementations (statsmodels, scipy)."""

from __future__ import annotations

from pathlib import Path

import narwhals as nw
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

import impactkit.survey as sv
from impactkit.errors import DataError
from impactkit.survey.intervals import proportion_interval

REF = Path(__file__).resolve().parents[2] / "sample_data" / "reference"


@pytest.mark.filterwarnings("ignore:cov_type not fully supported")
def test_logit_interval_is_the_quasibinomial_svyglm_wald_interval():
    """R svyciprop(method = "logit") is the Wald interval of an intercept-only quasi-binomial
    svyglm; statsmodels' cluster-robust GLM (no small-sample factor) times G/(G − 1) is that
    sandwich for one stratum without fpc."""
    data = pd.read_csv(REF / "apiclus1.csv")
    y = (data["sch.wide"] == "Yes").to_numpy(float)
    design = sv.SurveyDesign(weights="pw", psu="dnum")
    est = sv.Estimand("p", nw.col("sch.wide") == "Yes")
    row = sv.estimate(data, [est], design, proportions={"p": "logit"}).tables["p"].iloc[0]
    fit = sm.GLM(
        y, np.ones((len(y), 1)), family=sm.families.Binomial(), var_weights=data["pw"].to_numpy()
    ).fit(cov_type="cluster", cov_kwds={"groups": data["dnum"].to_numpy(), "use_correction": False})
    groups = data["dnum"].nunique()
    se_logit = float(fit.bse[0]) * np.sqrt(groups / (groups - 1))
    beta = float(fit.params[0])
    q = stats.t.ppf(0.975, groups - 1)
    np.testing.assert_allclose(row.estimate, 1 / (1 + np.exp(-beta)), rtol=1e-10)
    np.testing.assert_allclose(row.se / (row.estimate * (1 - row.estimate)), se_logit, rtol=1e-7)
    expit = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    np.testing.assert_allclose(
        [row.ci_low, row.ci_high],
        [expit(beta - q * se_logit), expit(beta + q * se_logit)],
        rtol=1e-7,
    )


@given(st.integers(1, 300), st.data())
def test_korn_graubard_and_wilson_reduce_to_binomial_intervals(n, data):
    """With se² = p(1 − p)/n and df = n − 1 the effective size is n: Korn–Graubard is
    Clopper–Pearson (scipy) and Wilson on n_eff with a huge df is Wilson (statsmodels)."""
    k = data.draw(st.integers(0, n))
    p = k / n
    se = np.sqrt(p * (1 - p) / n)
    low, high = sv.korn_graubard_interval(p, se, max(n - 1, 1), n)
    if n > 1:
        ref = stats.binomtest(k, n).proportion_ci(0.95, method="exact")
        np.testing.assert_allclose([low, high], [ref.low, ref.high], rtol=1e-7, atol=1e-12)
    wl, wh = sv.wilson_effective_interval(p, se, 1e12, n)
    ref_w = proportion_confint(k, n, alpha=0.05, method="wilson")
    np.testing.assert_allclose([wl, wh], ref_w, rtol=1e-6, atol=1e-9)


def test_logit_at_zero_and_one_uses_the_exact_interval_on_n():
    low, high = sv.logit_interval(np.array([0.0, 1.0]), np.array([0.0, 0.0]), 20, 40)
    ref = stats.binomtest(0, 40).proportion_ci(0.95, method="exact")
    np.testing.assert_allclose([low[0], high[0]], [0.0, ref.high], rtol=1e-10)
    np.testing.assert_allclose([low[1], high[1]], [1 - ref.high, 1.0], rtol=1e-10)


def test_korn_graubard_df_adjustment():
    """n* = n_eff (t(n − 1)/t(df))²: fewer design df make the interval wider."""
    p, se, n = 0.2, 0.03, 400
    narrow = sv.korn_graubard_interval(p, se, 399, n)
    wide = sv.korn_graubard_interval(p, se, 10, n)
    assert wide[0] < narrow[0] and wide[1] > narrow[1]
    n_star = p * (1 - p) / se**2 * (stats.t.ppf(0.975, 399) / stats.t.ppf(0.975, 10)) ** 2
    ref = (
        stats.beta.ppf(0.025, n_star * p, n_star * (1 - p) + 1),
        stats.beta.ppf(0.975, n_star * p + 1, n_star * (1 - p)),
    )
    np.testing.assert_allclose(wide, ref, rtol=1e-10)


def test_t_interval_and_bad_input():
    low, high = sv.t_interval(10.0, 2.0, 14)
    np.testing.assert_allclose([low, high], stats.t.interval(0.95, 14, loc=10, scale=2))
    assert np.isnan(sv.t_interval(1.0, 1.0, 0)[0])
    with pytest.raises(DataError, match="confidence"):
        sv.t_interval(1.0, 1.0, 3, confidence=95)
    with pytest.raises(DataError, match="'logit', 'korn-graubard', 'wilson'"):
        proportion_interval("exact", 0.5, 0.1, 3, 10)
