"""Issue 11, items 1, 2 and 5: "not estimable: no variation" in every estimator; the ITS
change at the intervention on the outcome's scale; hac_lags bounds.

Validated against: statsmodels OLS (the Gaussian change at t0 is b2) and a Poisson GLM
fitted here (fitted minus counterfactual at t0 by hand, numerical-gradient delta method).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st

from impactkit.effects import did, its, pre_post
from impactkit.errors import DataError, EstimationError
from impactkit.indicators import Indicator


def _panel(y: np.ndarray) -> pd.DataFrame:
    n = len(y)
    return pd.DataFrame(
        {"y": y, "t": np.arange(n) % 2, "p": (np.arange(n) // 2) % 2, "u": np.arange(n) // 4}
    )


@settings(max_examples=25, deadline=None)
@given(st.floats(-1e6, 1e6, allow_nan=False), st.integers(8, 40))
def test_did_constant_outcome_is_not_estimable(value: float, n: int) -> None:
    with pytest.raises(EstimationError, match="^not estimable: no variation"):
        did(_panel(np.full(n, value)), "y", "t", "p")


def test_did_constant_within_every_cell_is_not_estimable() -> None:
    frame = _panel(np.zeros(16))
    frame["y"] = 1.0 + frame["t"] * 2.0 + frame["p"] * 0.5 + frame["t"] * frame["p"]
    with pytest.raises(EstimationError, match="does not vary within the groups"):
        did(frame, "y", "t", "p")


def test_did_all_missing_outcome_is_not_estimable() -> None:
    frame = _panel(np.full(12, np.nan))
    with pytest.raises(EstimationError, match="every value of the outcome is missing"):
        did(frame, "y", "t", "p")


@pytest.mark.parametrize("paired", [True, False])
def test_pre_post_no_variation(paired: bool) -> None:
    with pytest.raises(EstimationError, match="^not estimable: no variation"):
        pre_post([1.0, 1.0, 1.0], [1.0, 1.0, 1.0], paired=paired)
    with pytest.raises(EstimationError, match="^not estimable: no variation"):
        pre_post([2.0], [3.0], paired=paired)


def _series(n: int = 48, t0: int = 24, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    t = np.arange(n, dtype=float)
    mu = np.exp(3.0 + 0.01 * t - 0.3 * (t >= t0))
    return pd.DataFrame({"t": t, "y": rng.poisson(mu).astype(float), "pop": 1000.0})


def test_its_constant_series_is_not_estimable() -> None:
    frame = _series().assign(y=5.0)
    with pytest.raises(EstimationError, match="^not estimable: no variation"):
        its(frame, "t", "y", 24)


def test_its_gaussian_change_at_t0_is_the_level_change() -> None:
    frame = _series()
    res = its(frame, "t", "y", 24)
    assert res.at_intervention is not None
    assert res.at_intervention.estimate == pytest.approx(res.level_change.estimate, rel=1e-9)
    assert res.at_intervention.se == pytest.approx(res.level_change.se, rel=1e-9)


def test_its_poisson_change_at_t0_by_hand() -> None:
    frame = _series()
    res = its(frame, "t", "y", 24, family="poisson", exposure="pop")
    t = frame["t"].to_numpy()
    post = (t >= 24).astype(float)
    X = np.column_stack([np.ones_like(t), t, post, (t - 24) * post])
    fit = sm.GLM(frame["y"], X, family=sm.families.Poisson(), offset=np.log(frame["pop"])).fit()
    b = np.asarray(fit.params)
    x, xcf = X[24], X[24] * np.array([1, 1, 0, 0])

    def change(beta: np.ndarray) -> float:
        return float(np.exp(x @ beta) - np.exp(xcf @ beta))  # per unit of exposure

    grad = np.array([(change(b + h) - change(b - h)) / 2e-7 for h in np.eye(4) * 1e-7])
    se = float(np.sqrt(grad @ np.asarray(fit.cov_params()) @ grad))
    assert res.at_intervention is not None
    assert res.at_intervention.estimate == pytest.approx(change(b), rel=1e-6)
    assert res.at_intervention.se == pytest.approx(se, rel=1e-4)
    assert res.level_rate_ratio is not None
    assert res.level_rate_ratio.estimate == pytest.approx(np.exp(b[2]), rel=1e-8)


@pytest.mark.parametrize("lags", [12, 1_000_000])
def test_its_hac_lags_below_a_quarter_of_the_series(lags: int) -> None:
    with pytest.raises(DataError, match="hac_lags"):
        its(_series(), "t", "y", 24, hac_lags=lags)


@settings(max_examples=30, deadline=None)
@given(st.floats(0.1, 99.0))
def test_relative_minimum_meaningful_change_parses(percent: float) -> None:
    ind = Indicator(id="a", name="A", description="d", unit="cases", kind="sum", value="y",
                    minimum_meaningful_change=f"{percent:g} %")  # fmt: skip
    assert ind.minimum_meaningful_change is None
    assert ind.minimum_meaningful_change_relative == pytest.approx(float(f"{percent:g}") / 100)
    assert Indicator.from_dict(ind.to_dict()) == ind
