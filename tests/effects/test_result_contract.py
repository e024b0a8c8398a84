"""Every effects result follows the one contract of impactkit.results (issue 10).

``summary()``, ``to_frame()``, ``notes``, ``confidence``, ``_repr_html_``; results with a
main effect (``DiDResult``, ``ITSResult``) forward ``estimate``, ``se``, ``ci_low``,
``ci_high`` and ``p_value``.  Reference numbers come from statsmodels / scipy fitted here,
never from the code under test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from hypothesis import given, settings
from hypothesis import strategies as st

from impactkit.effects import (
    Effect,
    EffectSize,
    ITSResult,
    PreTrendTest,
    Verdict,
    adjust,
    did,
    effect_size,
    its,
    verdict,
)
from impactkit.errors import DataError
from impactkit.results import HasEffect, Result

REL = 1e-6


def panel(seed: int = 3, units: int = 40, periods: int = 2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    unit = np.repeat(np.arange(units), periods)
    period = np.tile(np.arange(periods), units)
    treated = (unit < units // 2).astype(int)
    post = (period == periods - 1).astype(int)
    y = 5 + rng.normal(0, 2, units)[unit] + 1.5 * treated * post + rng.normal(0, 1, unit.size)
    return pd.DataFrame({"unit": unit, "period": period, "treated": treated, "post": post, "y": y})


def counts(seed: int = 4, n: int = 48, t0: int = 25) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    t = np.arange(1, n + 1)
    post = (t >= t0).astype(float)
    mu = np.exp(3 + 0.01 * t - 0.2 * post)
    return pd.DataFrame({"t": t, "count": rng.poisson(mu)})


def test_did_result_forwards_every_number_of_its_effect_including_se() -> None:
    df = panel()
    res = did(df, "y", "treated", "post", se="HC1", confidence=0.9)
    ref = smf.ols("y ~ treated * post", data=df).fit(cov_type="HC1", use_t=True)
    assert isinstance(res, HasEffect) and isinstance(res, Result)
    assert res.se == pytest.approx(ref.bse["treated:post"], rel=REL)
    assert res.estimate == pytest.approx(ref.params["treated:post"], rel=REL)
    assert res.p_value == pytest.approx(ref.pvalues["treated:post"], rel=REL)
    lo, hi = ref.conf_int(alpha=0.1).loc["treated:post"]
    assert (res.ci_low, res.ci_high) == (pytest.approx(lo, rel=REL), pytest.approx(hi, rel=REL))
    assert res.confidence == 0.9 and res.notes == res.effect.notes
    html = res._repr_html_()
    assert "Difference-in-differences" in html and "Group means" in html


def test_its_result_main_effect_is_the_level_change() -> None:
    df = counts()
    res = its(df, "t", "count", 25, family="poisson", confidence=0.9)
    t = df["t"].to_numpy(float)
    post = (t >= 25).astype(float)
    X = np.column_stack([np.ones_like(t), t, post, (t - 25) * post])
    ref = sm.GLM(df["count"], X, family=sm.families.Poisson()).fit()
    assert isinstance(res, ITSResult) and isinstance(res, HasEffect)
    assert res.effect is res.level_change
    assert res.estimate == pytest.approx(ref.params.iloc[2], rel=REL)
    assert res.se == pytest.approx(ref.bse.iloc[2], rel=REL)
    assert res.p_value == pytest.approx(ref.pvalues.iloc[2], rel=REL)
    lo, hi = np.asarray(ref.conf_int(alpha=0.1))[2]
    assert (res.ci_low, res.ci_high) == (pytest.approx(lo, rel=REL), pytest.approx(hi, rel=REL))
    assert res.confidence == 0.9
    assert "Interrupted time series" in res._repr_html_()
    # verdict and adjust now accept the ITS result itself: its level change is judged
    assert verdict(res) == verdict(res.level_change)
    assert adjust([res])["estimate"].iloc[0] == res.level_change.estimate


def test_effect_size_pre_trend_and_verdict_have_frames() -> None:
    x = np.array([1.0, 2.5, 3.0, 4.5, 5.0, 6.5])
    y = np.array([0.5, 1.0, 2.0, 2.5, 3.0, 3.5])
    es = effect_size(x, y, kind="glass_delta", confidence=0.8)
    frame = es.to_frame()
    assert list(frame.columns) == ["name", "value", "ci_low", "ci_high", "confidence"]
    glass = (x.mean() - y.mean()) / y.std(ddof=1)
    assert frame["value"].iloc[0] == pytest.approx(glass, rel=REL)
    assert frame["confidence"].iloc[0] == 0.8 and es.notes == ()
    assert es.summary().startswith("Glass's delta = ") and "<table" in es._repr_html_()

    df = panel(seed=14, units=60, periods=4)
    pre = did(df, "y", "treated", "post", unit="unit", period="period").pre_trend
    assert isinstance(pre, PreTrendTest)
    row = pre.to_frame().iloc[0]
    assert row["df_num"] == 2 and row["p_value"] == pre.p_value
    assert pre.notes == () and "Pre-trend" in pre._repr_html_()

    eff = Effect(2.0, 0.5, 1.0, 3.0, 0.001, 100, confidence=0.9)
    v = verdict(eff, direction="increase")
    assert isinstance(v, Verdict) and v.label == "improved" and v.confidence == 0.9
    vf = v.to_frame()
    assert list(vf.columns) == ["label", "reason", "confidence"]
    assert vf["label"].iloc[0] == "improved" and "90 % CI" in vf["reason"].iloc[0]
    assert v.summary() == str(v) and "<table" in v._repr_html_()


def test_effect_contract_and_unknown_objects_are_rejected() -> None:
    e = Effect(-2.0, 0.5, -3.0, -1.0, 0.0004, 120, label="waiting time")
    assert isinstance(e, Result) and e.notes == () and e.confidence == 0.95
    assert "Effect — " in e._repr_html_() and "Waiting time decreased" in e._repr_html_()
    with pytest.raises(DataError, match="expected an Effect"):
        verdict(EffectSize("d", 0.1, 0.0, 0.2))  # type: ignore[arg-type]


@settings(max_examples=30, deadline=None)
@given(effect=st.floats(-5, 5), seed=st.integers(0, 10_000))
def test_did_forwarded_numbers_always_equal_the_effect(effect: float, seed: int) -> None:
    df = panel(seed=seed, units=10)
    df["y"] = df["y"] + effect * df["treated"] * df["post"]
    res = did(df, "y", "treated", "post", se="HC1")
    e = res.effect
    assert (res.estimate, res.se, res.ci_low, res.ci_high, res.p_value) == (
        e.estimate,
        e.se,
        e.ci_low,
        e.ci_high,
        e.p_value,
    )
    assert res.ci_low <= res.estimate <= res.ci_high and res.se > 0
    assert res.to_frame().equals(e.to_frame())
