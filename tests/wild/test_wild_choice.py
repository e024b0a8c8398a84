"""The few-cluster rule of did and rct: which inference each gets, and that the numbers are
exactly those of the validated wild bootstrap (impactkit.effects.wild_cluster_bootstrap,
checked against wildboottest) and of a direct placebo enumeration with statsmodels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st

from impactkit.effects import did, rct, wild_cluster_bootstrap
from impactkit.effects.wild.choice import choose
from impactkit.errors import DataError


def _did_panel(clusters: int, treated: int, seed: int = 3, per: int = 6) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(clusters):
        shock = rng.normal(0, 1)
        for post in (0, 1):
            for _ in range(per):
                t = int(c < treated)
                y = shock + 0.5 * post + 1.0 * t * post + rng.normal(0, 1)
                rows.append((c, t, post, y))
    return pd.DataFrame(rows, columns=["village", "treated", "post", "y"])


@given(
    n=st.integers(2, 80),
    treated=st.integers(1, 40),
    inference=st.sampled_from(["auto", "wild", "cr1"]),
)
def test_rule(n: int, treated: int, inference: str) -> None:
    kind = choose(inference, n, treated)
    if inference == "cr1":
        assert kind == "cr1"
    elif treated == 1:
        assert kind == "placebo"
    elif inference == "wild" or n < 30 or treated < 10:
        assert kind == "wild"
    else:
        assert kind == "cr1"


def test_did_with_eight_clusters_uses_the_wild_bootstrap() -> None:
    df = _did_panel(8, 4)
    res = did(df, "y", "treated", "post", cluster="village")
    X = pd.DataFrame({"const": 1.0, "treated": df["treated"], "post": df["post"]})
    X["treated:post"] = X["treated"] * X["post"]
    ref = wild_cluster_bootstrap(df["y"], X, df["village"], coef="treated:post", seed=20080101)
    assert (res.ci_low, res.ci_high, res.p_value) == (ref.ci_low, ref.ci_high, ref.p_value)
    assert "8 clusters, 4 of them treated" in " ".join(res.notes)
    cr1 = did(df, "y", "treated", "post", cluster="village", inference="cr1")
    assert (cr1.ci_low, cr1.ci_high) != (res.ci_low, res.ci_high)  # not the CR1 interval
    assert cr1.effect.se == res.effect.se  # the CR1 standard error is kept in both
    assert any("too narrow" in n for n in cr1.notes)
    again = did(df, "y", "treated", "post", cluster="village", seed=20080101)
    assert again.ci_low == res.ci_low  # seeded


def test_did_with_many_clusters_keeps_cr1_unless_asked() -> None:
    df = _did_panel(40, 20, per=2)
    auto = did(df, "y", "treated", "post", cluster="village")
    assert "wild" not in auto.effect.method
    wild = did(df, "y", "treated", "post", cluster="village", inference="wild")
    assert "wild cluster bootstrap" in wild.effect.method
    assert wild.estimate == auto.estimate and wild.effect.se == auto.effect.se


def test_did_with_one_treated_cluster_reports_the_placebo_p_and_no_interval() -> None:
    df = _did_panel(12, 1)
    res = did(df, "y", "treated", "post", cluster="village")
    assert np.isnan(res.ci_low) and np.isnan(res.ci_high)
    text = " ".join(res.notes)
    assert "no cluster-based interval is reliable" in text and "placebo" in text

    # direct enumeration: each untreated village in turn as the treated one (statsmodels OLS)
    def coef(frame: pd.DataFrame, treated_village: int) -> float:
        t = (frame["village"] == treated_village).astype(float)
        X = sm.add_constant(pd.DataFrame({"t": t, "p": frame["post"], "tp": t * frame["post"]}))
        return float(sm.OLS(frame["y"], X).fit().params["tp"])

    actual = coef(df, 0)
    controls = df[df["village"] != 0]
    placebo = [coef(controls, v) for v in range(1, 12)]
    expected = (1 + sum(abs(b) >= abs(actual) for b in placebo)) / 12
    assert res.p_value == pytest.approx(expected, abs=1e-12)


def _trial(clusters: int, treated: int, seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(clusters):
        u = rng.normal(0, 0.7)
        for _ in range(10):
            arm = int(c < treated)
            base = rng.normal(5, 1)
            rows.append((c, arm, base, base + u + 0.8 * arm + rng.normal(0, 1)))
    return pd.DataFrame(rows, columns=["village", "arm", "y0", "y"])


def test_rct_few_clusters_equals_the_wild_bootstrap_on_its_design() -> None:
    df = _trial(10, 5)
    res = rct(df, "y", "arm", baseline="y0", cluster="village")
    X = pd.DataFrame({"const": 1.0, "arm[1]": df["arm"].astype(float), "baseline[y0]": df["y0"]})
    ref = wild_cluster_bootstrap(df["y"], X, df["village"], coef="arm[1]", seed=20080101)
    assert (res.ci_low, res.ci_high, res.p_value) == (ref.ci_low, ref.ci_high, ref.p_value)


def test_rct_one_treated_cluster_placebo_equals_direct_enumeration() -> None:
    df = _trial(9, 1)
    res = rct(df, "y", "arm", cluster="village")
    assert np.isnan(res.ci_low)
    assert "no cluster-based interval is reliable" in " ".join(res.effect.notes)

    def coef(frame: pd.DataFrame, village: int) -> float:
        X = sm.add_constant((frame["village"] == village).astype(float).rename("t"))
        return float(sm.OLS(frame["y"], X).fit().params["t"])

    actual = coef(df, 0)
    controls = df[df["village"] != 0]
    placebo = [coef(controls, v) for v in range(1, 9)]
    assert res.p_value == pytest.approx((1 + sum(abs(b) >= abs(actual) for b in placebo)) / 9)


@settings(max_examples=10, deadline=None)
@given(low=st.floats(0.5, 0.9), high=st.floats(0.91, 0.99))
def test_a_higher_confidence_never_narrows_the_wild_interval(low: float, high: float) -> None:
    df = _did_panel(8, 4, per=3)
    a = did(df, "y", "treated", "post", cluster="village", confidence=low)
    b = did(df, "y", "treated", "post", cluster="village", confidence=high)
    assert b.ci_low <= a.ci_low + 1e-9 and b.ci_high >= a.ci_high - 1e-9


def test_bad_inference_is_a_named_error() -> None:
    df = _did_panel(8, 4, per=2)
    with pytest.raises(DataError, match="inference must be one of auto, wild, cr1"):
        did(df, "y", "treated", "post", cluster="village", inference="bootstrap")
    with pytest.raises(DataError, match="inference"):
        rct(_trial(8, 4), "y", "arm", cluster="village", inference="x")


def test_the_wild_interval_does_not_depend_on_row_order() -> None:
    df = _did_panel(10, 5, per=3)
    res = did(df, "y", "treated", "post", cluster="village")
    shuffled = did(df.sample(frac=1.0, random_state=1), "y", "treated", "post", cluster="village")
    assert shuffled.ci_low == pytest.approx(res.ci_low, rel=1e-9)
    assert shuffled.ci_high == pytest.approx(res.ci_high, rel=1e-9)
    assert shuffled.p_value == res.p_value
