"""rct() against independent computations and the Thornton (2008) HIV-incentive trial.

References
- Thornton (2008), "The Demand for, and Impact of, Learning HIV Status", AER 98(5): any
  incentive raised learning one's HIV result from 33.9 % to 78.9 % of those followed up
  (Table 3 / Figure 3 report ~34 % vs ~79 %); data: causaldata ``thornton_hiv``.
- HC2 and CR1 sandwich covariances written out in numpy below (MacKinnon & White 1985;
  Cameron & Miller 2015, eq. 11 with the G/(G-1)(N-1)/(N-K) factor), not taken from the code
  under test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from impactkit.effects.randomised import rct

causaldata = pytest.importorskip("causaldata")


@pytest.fixture(scope="module")
def hiv() -> pd.DataFrame:
    d = causaldata.thornton_hiv.load_pandas().data
    return d[d["any"].notna()].reset_index(drop=True)


def _ols_hc2(y: np.ndarray, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    xtx_inv = np.linalg.inv(X.T @ X)
    beta = xtx_inv @ X.T @ y
    e = y - X @ beta
    h = np.einsum("ij,jk,ik->i", X, xtx_inv, X)
    meat = (X * (e**2 / (1 - h))[:, None]).T @ X
    return beta, np.sqrt(np.diag(xtx_inv @ meat @ xtx_inv))


def _ols_cr1(y: np.ndarray, X: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    n, k = X.shape
    xtx_inv = np.linalg.inv(X.T @ X)
    beta = xtx_inv @ X.T @ y
    e = y - X @ beta
    meat = np.zeros((k, k))
    labels = np.unique(g)
    for lab in labels:
        s = (X[g == lab] * e[g == lab, None]).sum(axis=0)
        meat += np.outer(s, s)
    G = len(labels)
    c = G / (G - 1) * (n - 1) / (n - k)
    return beta, np.sqrt(np.diag(c * xtx_inv @ meat @ xtx_inv)), G


def test_thornton_difference_in_means_and_published_shares(hiv: pd.DataFrame) -> None:
    res = rct(hiv, "got", "any")
    seen = hiv.dropna(subset=["got"])
    means = seen.groupby("any")["got"].mean()
    assert res.estimate == pytest.approx(means[1.0] - means[0.0], abs=1e-12)
    # the published shares: about 34 % without and 79 % with an incentive
    assert means[0.0] == pytest.approx(0.34, abs=0.005)
    assert means[1.0] == pytest.approx(0.79, abs=0.005)
    assert res.effect.baseline == pytest.approx(means[0.0], abs=1e-12)
    assert res.evidence_strength == "randomised"


def test_hc2_matches_numpy_sandwich(hiv: pd.DataFrame) -> None:
    seen = hiv.dropna(subset=["got"])
    X = np.column_stack([np.ones(len(seen)), seen["any"].to_numpy()])
    beta, se = _ols_hc2(seen["got"].to_numpy(), X)
    res = rct(hiv, "got", "any")
    assert res.estimate == pytest.approx(beta[1], rel=1e-10)
    assert res.se == pytest.approx(se[1], rel=1e-8)
    t = stats.t.ppf(0.975, len(seen) - 2)
    assert res.ci_low == pytest.approx(beta[1] - t * se[1], rel=1e-8)


def test_ancova_with_covariates_matches_numpy(hiv: pd.DataFrame) -> None:
    d = hiv.dropna(subset=["got", "age", "distvct"])
    X = np.column_stack([np.ones(len(d)), d["any"], d["age"], d["distvct"]])
    beta, se = _ols_hc2(d["got"].to_numpy(), X)
    res = rct(hiv, "got", "any", covariates=["age", "distvct"])
    assert res.estimate == pytest.approx(beta[1], rel=1e-10)
    assert res.se == pytest.approx(se[1], rel=1e-8)
    assert any("left out" in n for n in res.notes)


def test_cluster_randomised_cr1_matches_numpy(hiv: pd.DataFrame) -> None:
    d = hiv.dropna(subset=["got", "villnum"])
    X = np.column_stack([np.ones(len(d)), d["any"]])
    beta, se, G = _ols_cr1(d["got"].to_numpy(), X, d["villnum"].to_numpy())
    res = rct(hiv, "got", "any", cluster="villnum")
    assert res.n_clusters == G
    assert res.se == pytest.approx(se[1], rel=1e-8)
    t = stats.t.ppf(0.975, G - 1)
    assert res.ci_high == pytest.approx(beta[1] + t * se[1], rel=1e-8)


def test_strata_fixed_effects_match_statsmodels_formula(hiv: pd.DataFrame) -> None:
    import statsmodels.formula.api as smf

    d = hiv.dropna(subset=["got", "villnum"]).copy()
    d["stratum"] = (d["villnum"] % 4).astype(int).astype(str)
    fit = smf.ols("got ~ any + C(stratum)", data=d).fit(cov_type="HC2")
    res = rct(d, "got", "any", strata="stratum")
    assert res.estimate == pytest.approx(fit.params["any"], rel=1e-10)
    assert res.se == pytest.approx(fit.bse["any"], rel=1e-8)


def test_differential_attrition_test_and_balance(hiv: pd.DataFrame) -> None:
    res = rct(hiv, "got", "any", covariates=["age"], seed=3)
    lost = hiv["got"].isna().astype(float)
    X = np.column_stack([np.ones(len(hiv)), hiv["any"]])
    beta, se = _ols_hc2(lost.to_numpy(), X)
    p = 2 * stats.t.sf(abs(beta[1] / se[1]), len(hiv) - 2)
    assert res.attrition_p == pytest.approx(p, rel=1e-6)
    a = hiv["age"]
    t_, c_ = a[hiv["any"] == 1].dropna(), a[hiv["any"] == 0].dropna()
    smd = (t_.mean() - c_.mean()) / np.sqrt((t_.var() + c_.var()) / 2)
    assert res.balance.loc[0, "smd"] == pytest.approx(smd, rel=1e-10)
    assert len(res.lee) == 1 and res.lee[0].lower <= res.lee[0].upper
