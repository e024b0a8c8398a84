"""wild_cluster_bootstrap against ``wildboottest`` 0.3 (a Python port tested against R
``fwildclusterboot``).

* Full enumeration (Rademacher, 2^G patterns in the same order): every bootstrap t statistic,
  the observed t and the p-value agree to 1e-9.  wildboottest's own p-value counts the exact
  ties |t*| = |t| (the identity pattern) at random through rounding; we count them as not
  exceeding, so its p-value is compared with that tie rule applied to its own t*.
* Webb weights: our weight matrix is fed to ``WildboottestCL``; its t* agree to 1e-9.
* Interval: at each endpoint the wildboottest p-value (testing ``coef = endpoint -+ delta``)
  is above 0.05 just inside and at most 0.05 just outside.

Data: statsmodels' Grunfeld investment data (11 firms x 20 years; Grunfeld 1958) and Card &
Krueger (1994) New Jersey / Pennsylvania fast food, DiD clustered by the 5 regions.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from impactkit.effects.wild import bootstrap_t, wild_cluster_bootstrap
from impactkit.effects.wild.bootstrap import exceeds, weight_matrix

# wildboottest compiles its denominator with numba on every call (seconds each); the
# interpreted loop is fast enough for these sizes and gives the same numbers.
os.environ.setdefault("NUMBA_DISABLE_JIT", "1")
wbt = pytest.importorskip("wildboottest.wildboottest")
NJMIN = Path(__file__).resolve().parents[2] / "sample_data" / "reference" / "njmin3.csv"


def _grunfeld():
    d = sm.datasets.grunfeld.load_pandas().data
    X = sm.add_constant(d[["value", "capital"]])
    return d["invest"].to_numpy(), X, pd.factorize(d["firm"])[0]


def _card_krueger():
    d = pd.read_csv(NJMIN).dropna(subset=["fte"])
    region = np.select(
        [d["centralj"] == 1, d["southj"] == 1, d["pa1"] == 1, d["pa2"] == 1, d["nj"] == 1],
        [1, 2, 3, 4, 0],
    )
    d = d.assign(region=region).sort_values("region")
    X = pd.DataFrame({"const": 1.0, "nj": d["nj"], "d": d["d"], "d_nj": d["d_nj"]})
    return d["fte"].to_numpy(), X, d["region"].to_numpy()


CASES = {"grunfeld-value": (_grunfeld, "value"), "grunfeld-capital": (_grunfeld, "capital"),
         "card-krueger": (_card_krueger, "d_nj")}  # fmt: skip


def _their_boot(y, X, cl, coef, v=None):
    R = np.zeros(X.shape[1])
    R[list(X.columns).index(coef)] = 1
    boot = wbt.WildboottestCL(X=X.to_numpy(), Y=y, cluster=cl, R=R, B=9999, seed=1)
    boot.get_scores(bootstrap_type="11", impose_null=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        boot.get_weights(weights_type="rademacher")
    if v is not None:
        boot.v, boot.B = v, v.shape[1]
    boot.get_numer()
    boot.get_denom()
    boot.get_tboot()
    boot.get_vcov()
    boot.get_tstat()
    boot.get_pvalue()
    return boot


@pytest.mark.parametrize("case", CASES)
def test_full_enumeration_matches_wildboottest(case):
    make, coef = CASES[case]
    y, X, cl = make()
    g = len(np.unique(cl))
    res = wild_cluster_bootstrap(y, X, cl, coef=coef, weights="rademacher")
    assert res.enumerated and res.draws == 2**g
    boot = _their_boot(y, X, cl, coef)
    assert boot.full_enumeration and boot.v.shape[1] == 2**g
    t_obs, t_star = bootstrap_t(y, X, cl, weight_matrix(g, 9999, "rademacher", 0)[0], coef=coef)
    assert t_obs == pytest.approx(float(np.squeeze(boot.t_stat)), rel=1e-9)
    assert res.t_stat == pytest.approx(t_obs, rel=1e-12)
    np.testing.assert_allclose(t_star, boot.t_boot, rtol=1e-9, atol=1e-9)
    assert res.p_value == pytest.approx(exceeds(boot.t_boot, float(boot.t_stat)), abs=1e-9)
    # and wildboottest's own p-value differs from ours by at most the two exact ties
    assert abs(res.p_value - float(boot.pvalue)) <= 2 / 2**g + 1e-12


@pytest.mark.parametrize("case", CASES)
def test_webb_weights_match_wildboottest(case):
    make, coef = CASES[case]
    y, X, cl = make()
    v, enumerated = weight_matrix(len(np.unique(cl)), 999, "webb", seed=7)
    if enumerated:
        pytest.skip("6^G <= draws: enumerated")
    _, t_star = bootstrap_t(y, X, cl, v, coef=coef)
    boot = _their_boot(y, X, cl, coef, v=v)
    np.testing.assert_allclose(t_star, boot.t_boot, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("case", CASES)
def test_interval_endpoints_invert_wildboottest_pvalue(case):
    make, coef = CASES[case]
    y, X, cl = make()
    res = wild_cluster_bootstrap(y, X, cl, coef=coef, weights="rademacher")
    assert res.ci_low < res.estimate < res.ci_high
    j = list(X.columns).index(coef)
    delta = 1e-6 * res.se
    for end, inward in ((res.ci_low, +1), (res.ci_high, -1)):
        p = {}
        for side, b0 in (("inside", end + inward * delta), ("outside", end - inward * delta)):
            boot = _their_boot(y - b0 * X.iloc[:, j].to_numpy(), X, cl, coef)
            p[side] = exceeds(boot.t_boot, float(boot.t_stat))
        assert p["inside"] > 0.05 >= p["outside"]
