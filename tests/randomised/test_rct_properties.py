"""Properties of rct(), Lee bounds and balance that could fail."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from impactkit.effects.randomised import lee_bounds, rct, trimmed_mean
from impactkit.effects.randomised.arms import resolve_arms
from impactkit.errors import DataError, EstimationError, MissingColumnError


def _trial(seed: int, n: int = 60, lost: float = 0.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    arm = np.tile([0, 1], n // 2)
    y = 1.0 + 0.5 * arm + rng.normal(size=n)
    if lost:
        y[rng.random(n) < lost * (1 + arm)] = np.nan
    return pd.DataFrame(
        {"y": y, "arm": arm, "x": rng.normal(size=n), "v": np.repeat(np.arange(n // 4), 4)}
    )


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), shift=st.floats(-1e3, 1e3))
def test_adding_a_constant_leaves_the_effect(seed: int, shift: float) -> None:
    d = _trial(seed)
    a = rct(d, "y", "arm")
    b = rct(d.assign(y=d["y"] + shift), "y", "arm")
    assert b.estimate == pytest.approx(a.estimate, abs=1e-8)
    assert b.se == pytest.approx(a.se, rel=1e-6)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_relabelled_arms_give_the_same_effect(seed: int) -> None:
    d = _trial(seed)
    a = rct(d, "y", "arm")
    labelled = d.assign(arm=d["arm"].map({0: "control", 1: "cash"}))
    b = rct(labelled, "y", "arm", control="control")
    assert b.estimate == pytest.approx(a.estimate, rel=1e-12)
    assert b.se == pytest.approx(a.se, rel=1e-12)
    # swapping which arm is control flips the sign
    c = rct(labelled, "y", "arm", control="cash")
    assert c.estimate == pytest.approx(-a.estimate, rel=1e-12)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), c1=st.floats(0.5, 0.98), c2=st.floats(0.5, 0.98))
def test_a_larger_confidence_never_narrows(seed: int, c1: float, c2: float) -> None:
    d = _trial(seed)
    lo, hi = sorted((c1, c2))
    a, b = rct(d, "y", "arm", confidence=lo), rct(d, "y", "arm", confidence=hi)
    assert b.ci_high - b.ci_low >= a.ci_high - a.ci_low - 1e-12


@settings(max_examples=50, deadline=None)
@given(
    values=st.lists(st.floats(-100, 100), min_size=4, max_size=40),
    share=st.floats(0, 0.9),
)
def test_trimmed_mean_matches_sort_and_slice(values: list[float], share: float) -> None:
    x = np.array(values)
    k = int(np.floor(share * len(x)))
    s = k / len(x)  # a whole number of observations, where slicing is exact
    assert trimmed_mean(x, s, "top") == pytest.approx(np.sort(x)[: len(x) - k].mean(), abs=1e-9)
    assert trimmed_mean(x, s, "bottom") == pytest.approx(np.sort(x)[k:].mean(), abs=1e-9)
    assert trimmed_mean(x, share, "top") <= trimmed_mean(x, share, "bottom") + 1e-9


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_lee_bounds_are_ordered_and_collapse_without_differential_attrition(seed: int) -> None:
    d = _trial(seed, n=80, lost=0.15)
    arms = resolve_arms(d["arm"], "arm", None)
    b = lee_bounds(d["y"], d["arm"], arms, 1, confidence=0.9, seed=seed)
    assert b is not None and b.lower <= b.upper + 1e-12
    assert b.ci_low <= b.lower + 1e-12 and b.ci_high >= b.upper - 1e-12
    same = _trial(seed, n=80)
    same.loc[[0, 1], "y"] = np.nan  # one unit lost in each arm: equal shares
    eq = lee_bounds(same["y"], same["arm"], arms, 1, confidence=0.9, seed=seed)
    diff = same.groupby("arm")["y"].mean()
    assert eq is not None
    assert eq.lower == pytest.approx(diff[1] - diff[0], abs=1e-12)
    assert eq.upper == pytest.approx(diff[1] - diff[0], abs=1e-12)


def test_inputs_are_not_mutated() -> None:
    d = _trial(1, lost=0.1)
    before = d.copy()
    rct(d, "y", "arm", covariates=["x"], cluster="v", seed=1)
    pd.testing.assert_frame_equal(d, before)


def test_lee_bounds_are_reproducible_with_the_seed() -> None:
    d = _trial(5, n=200, lost=0.2)
    a, b = rct(d, "y", "arm", seed=9), rct(d, "y", "arm", seed=9)
    assert a.lee and a.lee[0].ci_low == b.lee[0].ci_low


def test_bad_inputs_are_named_errors() -> None:
    d = _trial(2)
    with pytest.raises(MissingColumnError, match="'nope'"):
        rct(d, "nope", "arm")
    three = d.assign(arm=np.tile(["a", "b", "c"], 20))
    with pytest.raises(DataError, match="3 values.*control="):
        rct(three, "y", "arm")
    with pytest.raises(DataError, match="name the control arm"):
        rct(d.assign(arm=d["arm"].map({0: "x", 1: "z"})), "y", "arm")
    with pytest.raises(DataError, match="not a value"):
        rct(d, "y", "arm", control=7)
    with pytest.raises(EstimationError, match="no variation"):
        rct(d.assign(y=1.0), "y", "arm")
    with pytest.raises(DataError, match="missing in row"):
        rct(d.assign(arm=d["arm"].where(d.index != 3)), "y", "arm")
    with pytest.raises(DataError, match="must be numeric"):
        rct(d.assign(y=d["y"].astype(object).where(d.index != 4, "n/a")), "y", "arm")
    with pytest.raises(DataError, match="se must be"):
        rct(d, "y", "arm", se="HC9")


def test_multi_arm_with_named_control() -> None:
    rng = np.random.default_rng(0)
    arm = np.tile(["control", "cash", "voucher"], 40)
    y = rng.normal(size=120) + (arm == "cash") * 1.0 + (arm == "voucher") * 0.5
    res = rct(pd.DataFrame({"y": y, "arm": arm}), "y", "arm", control="control")
    assert set(res.effects) == {"cash", "voucher"}
    means = pd.DataFrame({"y": y, "arm": arm}).groupby("arm")["y"].mean()
    assert res.effects["voucher"].estimate == pytest.approx(means["voucher"] - means["control"])
    assert len(res.to_frame()) == 2
    assert "Randomised" in res._repr_html_()
