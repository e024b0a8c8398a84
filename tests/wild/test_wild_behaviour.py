"""Seeds, weight choice, notes, bad input, and the placebo p-value."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from impactkit.effects.wild import placebo_p_value, wild_cluster_bootstrap
from impactkit.errors import DataError, EstimationError

NJMIN = Path(__file__).resolve().parents[2] / "sample_data" / "reference" / "njmin3.csv"


def _clustered(seed=0, g=20, m=15, effect=0.0):
    rng = np.random.default_rng(seed)
    cl = np.repeat(np.arange(g), m)
    d = (cl < g // 2).astype(float)
    y = effect * d + rng.normal(size=g)[cl] + rng.normal(size=g * m)
    return y, pd.DataFrame({"const": 1.0, "d": d}), cl


def test_seed_reproducible_and_draws_random():
    y, X, cl = _clustered()
    a = wild_cluster_bootstrap(y, X, cl, coef="d", draws=999, seed=3)
    b = wild_cluster_bootstrap(y, X, cl, coef="d", draws=999, seed=3)
    c = wild_cluster_bootstrap(y, X, cl, coef="d", draws=999, seed=4)
    assert (a.p_value, a.ci_low, a.ci_high) == (b.p_value, b.ci_low, b.ci_high)
    assert not a.enumerated and a.weights == "rademacher" and a.draws == 999
    assert (a.p_value, a.ci_low) != (c.p_value, c.ci_low)


def test_webb_below_12_clusters_and_enumeration():
    y, X, cl = _clustered(g=8)
    res = wild_cluster_bootstrap(y, X, cl, coef="d", draws=999)
    assert res.weights == "webb" and not res.enumerated  # 6^8 > 999
    small = wild_cluster_bootstrap(*_clustered(g=4), coef="d", draws=9999)
    assert small.enumerated and small.draws == 6**4
    assert any("enumerated" in n for n in small.notes)
    rad = wild_cluster_bootstrap(y, X, cl, coef="d", weights="rademacher")
    assert rad.enumerated and rad.draws == 2**8


def test_ols_estimate_and_cr1_se_match_statsmodels():
    y, X, cl = _clustered(seed=2, effect=0.5)
    res = wild_cluster_bootstrap(y, X, cl, coef="d", draws=199)
    fit = sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": cl})
    assert res.estimate == pytest.approx(fit.params["d"], rel=1e-12)
    assert res.se == pytest.approx(fit.bse["d"], rel=1e-10)
    assert res.treated_clusters == 10
    assert res.summary() and "<table" in res._repr_html_()
    assert res.to_frame()["draws"].iloc[0] == 199


def test_single_treated_cluster_note():
    y, X, cl = _clustered(g=12)
    X["d"] = (cl == 0).astype(float)
    res = wild_cluster_bootstrap(y, X, cl, coef="d", draws=199)
    assert res.treated_clusters == 1
    assert any("only one treated cluster" in n and "placebo" in n for n in res.notes)


def test_bad_input():
    y, X, cl = _clustered()
    with pytest.raises(DataError, match="coef 'x' is not a column"):
        wild_cluster_bootstrap(y, X, cl, coef="x")
    with pytest.raises(DataError, match="same number of rows"):
        wild_cluster_bootstrap(y[:-1], X, cl, coef="d")
    with pytest.raises(DataError, match="weights must be"):
        wild_cluster_bootstrap(y, X, cl, coef="d", weights="mammen")  # type: ignore[arg-type]
    with pytest.raises(EstimationError, match="collinear"):
        wild_cluster_bootstrap(y, X.assign(e=X["d"]), cl, coef="d")
    with pytest.raises(EstimationError, match="only one cluster"):
        wild_cluster_bootstrap(y, X, np.zeros(len(y)), coef="d")


def test_placebo_matches_direct_ols_enumeration():
    """Card & Krueger with one treated 'cluster' (NJ) against the 2 PA regions plus NJ
    split: independent check by statsmodels OLS on every relabelled sample."""
    d = pd.read_csv(NJMIN).dropna(subset=["fte"])
    # clusters: chain within state; treated = New Jersey's Burger King stores only
    d["chain"] = np.select([d["bk"] == 1, d["kfc"] == 1, d["roys"] == 1], ["bk", "kfc", "roys"],
                           "wendys")  # fmt: skip
    d["cluster"] = np.where(d["nj"] == 1, "NJ-" + d["chain"], "PA-" + d["chain"])
    d = d[(d["nj"] == 0) | (d["chain"] == "bk")]
    d["treated"] = (d["cluster"] == "NJ-bk").astype(int)
    res = placebo_p_value(d, "fte", treated="treated", post="d", cluster="cluster")
    assert res.treated_clusters == ("NJ-bk",)

    def ols(sample, treated_cluster):
        tr = (sample["cluster"] == treated_cluster).astype(float)
        X = pd.DataFrame({"c": 1.0, "t": tr, "p": sample["d"], "tp": tr * sample["d"]})
        return sm.OLS(sample["fte"], X).fit().params["tp"]

    assert res.estimate == pytest.approx(ols(d, "NJ-bk"), abs=1e-10)
    controls = d[d["treated"] == 0]
    expected = {c: ols(controls, c) for c in sorted(controls["cluster"].unique())}
    got = dict(zip(res.placebos["cluster"], res.placebos["estimate"], strict=True))
    assert got.keys() == expected.keys()
    for c in expected:
        assert got[c] == pytest.approx(expected[c], abs=1e-10)
    k = sum(abs(v) >= abs(res.estimate) for v in expected.values())
    assert res.p_value == pytest.approx((k + 1) / (len(expected) + 1))
    assert "placebo" in res.summary().lower() and len(res.to_frame()) == len(expected) + 1


def test_placebo_rejects_treatment_varying_within_cluster():
    d = pd.DataFrame({"y": [1.0, 2, 3, 4] * 3, "t": [1, 0, 1, 1] * 3, "p": [0, 1] * 6,
                      "c": np.repeat([1, 2, 3], 4)})  # fmt: skip
    with pytest.raises(DataError, match="changes within cluster"):
        placebo_p_value(d, "y", treated="t", post="p", cluster="c")
