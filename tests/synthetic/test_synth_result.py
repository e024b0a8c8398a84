"""The result contract of synthetic_control: summary, to_frame, HTML, plots, jackknife."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from synthetic._panels import factor_panel, long_panel

from impactkit.effects import Effect
from impactkit.effects.synthetic import SyntheticControlResult, synthetic_control
from impactkit.effects.synthetic.inference import jackknife_se
from impactkit.effects.synthetic.panel import build_panel
from impactkit.effects.synthetic.weights import Weights, estimate_from

KW = dict(unit="unit", time="year", intervention=2010, replications=20, seed=0)


@pytest.fixture(scope="module")
def result() -> SyntheticControlResult:
    y = factor_panel(np.random.default_rng(5), 12, 14, effect=-4.0, t0=10)
    return synthetic_control(long_panel(y), "y", treated="u11", **KW)


def test_contract(result):
    assert isinstance(result.effect, Effect)
    assert result.estimate == result.effect.estimate and result.se == result.se_placebo
    assert result.ci_low < result.estimate < result.ci_high
    frame = result.to_frame()
    assert len(frame) == 1
    for col in ("estimate", "se", "ci_low", "ci_high", "pre_rmspe", "placebo_p_value",
                "n_donors", "design"):  # fmt: skip
        assert col in frame
    assert "u11" in result.summary() and "placebo" in result.summary()
    html = result._repr_html_()
    assert "Largest donor weights" in html and "Synthetic control" in html
    assert math.isnan(result.se_jackknife)  # one treated unit: not defined


def test_shapes(result):
    assert list(result.trajectory.columns) == ["time", "treated", "synthetic", "gap", "post"]
    assert len(result.trajectory) == 14 and result.trajectory["post"].sum() == 4
    assert result.time_weights.index.tolist() == list(range(2000, 2010))
    assert len(result.unit_weights) == 11
    assert list(result.placebo.columns) == ["unit", "treated", "estimate", "pre_rmspe",
                                            "post_rmspe", "ratio", "rank"]  # fmt: skip
    assert len(result.placebo) == 12 and result.placebo["treated"].sum() == 1
    treated_row = result.placebo[result.placebo["treated"]].iloc[0]
    assert result.placebo_p_value == treated_row["rank"] / 12
    assert treated_row["estimate"] == pytest.approx(result.estimate)
    assert set(result.placebo_gaps.columns) == {"unit", "time", "gap", "treated"}


def test_in_space_rank_by_hand(result):
    ratios = result.placebo.set_index("unit")["ratio"]
    mine = ratios[result.placebo.loc[result.placebo["treated"], "unit"].iloc[0]]
    assert result.placebo_p_value == pytest.approx((ratios >= mine).sum() / len(ratios))
    pre = result.trajectory.loc[~result.trajectory["post"], "gap"]
    assert result.pre_fit == pytest.approx(float(np.sqrt((pre**2).mean())))


def test_plots_take_and_return_axes(result):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3)
    assert result.plot(ax=axes[0]) is axes[0]
    assert result.plot_gap(ax=axes[1]) is axes[1]
    assert result.plot_placebo(ax=axes[2]) is axes[2]
    line = axes[0].get_lines()[0]
    assert np.allclose(line.get_ydata(), result.trajectory["treated"])
    assert len(axes[1].get_lines()) >= 12  # 11 placebo gaps + treated (+ zero line)
    assert result.plot() is not None
    plt.close("all")


def test_jackknife_by_hand_with_two_treated_units():
    y = factor_panel(np.random.default_rng(9), 10, 12, effect=2.0, t0=10)
    y[-2, 10:] += 2.0
    data = long_panel(y)
    r = synthetic_control(data, "y", treated=["u08", "u09"], method="did", **KW)
    # Algorithm 3 with fixed (uniform) weights, computed here from scratch
    p = build_panel(data, "y", unit="unit", time="year", treated=["u08", "u09"],
                    intervention=2010)  # fmt: skip
    u = []
    for i in range(10):
        keep = [j for j in range(10) if j != i]
        n0 = 7 if i < 8 else 8
        u.append(estimate_from(p.y[keep], n0, 10, Weights(np.full(n0, 1 / n0), np.full(10, 0.1))))
    expected = math.sqrt((9 / 10) * 9 * np.var(u, ddof=1))
    assert r.se_jackknife == pytest.approx(expected)
    assert jackknife_se(p.y, 8, 10, Weights(np.full(8, 1 / 8), np.full(10, 0.1))) == pytest.approx(
        expected
    )
    # the DiD estimate itself: difference of the four means
    pre, post = slice(0, 10), slice(10, 12)
    did = (y[8:, post].mean() - y[8:, pre].mean()) - (y[:8, post].mean() - y[:8, pre].mean())
    assert r.estimate == pytest.approx(did)


def test_covariates_residualise_the_outcome():
    rng = np.random.default_rng(4)
    y = factor_panel(rng, 10, 12, effect=3.0, t0=8)
    x = rng.normal(0, 1, y.shape)
    data = long_panel(y + 2.0 * x).assign(x=x.ravel())
    kw = {**KW, "replications": 2}  # the covariate path refits one draw at a time
    r = synthetic_control(data, "y", treated="u09", covariates=["x"], method="sdid", **kw)
    assert r.covariate_coefficients.index.tolist() == ["x"]
    # synthdid's 1/t gradient steps on beta are not OLS: beta moves most of the way to 2
    assert r.covariate_coefficients["x"] == pytest.approx(2.0, abs=0.5)
    plain = synthetic_control(long_panel(y), "y", treated="u09", method="sdid", **kw)
    assert r.estimate == pytest.approx(plain.estimate, abs=1.0)
    assert isinstance(r.trajectory, pd.DataFrame)
