"""With one cohort, ATT(g,t) is the 2x2 difference-in-differences.

Independent implementations: impactkit's own OLS ``did`` (statsmodels, CR1) and a direct
statsmodels OLS fit with CR0 cluster-robust errors.  The influence-function SE of
Callaway & Sant'Anna equals the CR0 cluster-robust OLS SE of the interaction in a balanced
2-period panel (no small-sample factor, as R ``did``), so CR1 = CR0 * sqrt(c).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from _panels import make_panel

from impactkit.effects import did
from impactkit.effects.staggered import staggered_did


def _two_periods(panel: pd.DataFrame, base: int, t: int) -> pd.DataFrame:
    sub = panel[panel["year"].isin([base, t])].copy()
    sub["treated"] = (sub["g"] != 0).astype(int)
    sub["post"] = (sub["year"] == t).astype(int)
    return sub


def _ols(sub: pd.DataFrame, cluster: str) -> tuple[float, float]:
    X = pd.DataFrame({"const": 1.0, "treated": sub["treated"], "post": sub["post"]})
    X["tp"] = X["treated"] * X["post"]
    groups = pd.factorize(sub[cluster])[0]
    fit = sm.OLS(sub["y"].to_numpy(), X).fit(
        cov_type="cluster", cov_kwds={"groups": groups, "use_correction": False}
    )
    return float(fit.params["tp"]), float(fit.bse["tp"])


@pytest.fixture(scope="module")
def one_cohort() -> pd.DataFrame:
    return make_panel(seed=3, n_units=40, cohorts=(0, 4))


@pytest.mark.parametrize("t", [4, 5])
def test_post_cells_equal_2x2_did(one_cohort, t):
    res = staggered_did(one_cohort, "y", unit="unit", time="year", cohort="g")
    row = res.att_gt.query("time == @t").iloc[0]
    sub = _two_periods(one_cohort, 3, t)  # base period g - 1 = 3
    ref = did(sub, "y", "treated", "post", unit="unit")
    assert row["estimate"] == pytest.approx(ref.estimate, abs=1e-10)
    est, se_cr0 = _ols(sub, "unit")
    assert row["estimate"] == pytest.approx(est, abs=1e-10)
    assert row["se"] == pytest.approx(se_cr0, rel=1e-10)
    n, k, g = len(sub), 4, sub["unit"].nunique()
    cr1 = se_cr0 * np.sqrt(g / (g - 1) * (n - 1) / (n - k))
    assert ref.effect.se == pytest.approx(cr1, rel=1e-10)


def test_pre_cells_compare_consecutive_periods(one_cohort):
    res = staggered_did(one_cohort, "y", unit="unit", time="year", cohort="g")
    for t in (2, 3):
        row = res.att_gt.query("time == @t").iloc[0]
        est, se = _ols(_two_periods(one_cohort, t - 1, t), "unit")
        assert row["estimate"] == pytest.approx(est, abs=1e-10)
        assert row["se"] == pytest.approx(se, rel=1e-10)


def test_universal_base_pre_cells(one_cohort):
    res = staggered_did(one_cohort, "y", unit="unit", time="year", cohort="g",
                        base_period="universal")  # fmt: skip
    for t in (1, 2):
        row = res.att_gt.query("time == @t").iloc[0]
        sub = _two_periods(one_cohort, 3, t)
        sub["post"] = 1 - sub["post"]  # the later period (3) is the base: estimate Y_t - Y_3
        est, _ = _ols(sub, "unit")
        assert row["estimate"] == pytest.approx(-est, abs=1e-10)
    ref_row = res.att_gt.query("time == 3").iloc[0]
    assert ref_row["reference"] and ref_row["estimate"] == 0


def test_two_period_panel_and_coarse_cluster(one_cohort):
    sub = one_cohort[one_cohort["year"].isin([3, 4])]
    res = staggered_did(sub, "y", unit="unit", time="year", cohort="g", cluster="state")
    assert len(res.att_gt) == 1
    est, se = _ols(_two_periods(one_cohort, 3, 4), "state")
    assert res.estimate == pytest.approx(est, abs=1e-10)
    assert res.se == pytest.approx(se, rel=1e-10)
    assert res.n_clusters == 7
    assert res.pre_trend is None
