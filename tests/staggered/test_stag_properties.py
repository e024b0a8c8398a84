"""Hypothesis properties of staggered_did that a wrong implementation would break."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from impactkit.effects.staggered import staggered_did

KINDS = ("simple", "group", "dynamic", "calendar")


@st.composite
def panels(draw: st.DrawFn) -> pd.DataFrame:
    n_periods = draw(st.integers(3, 5))
    periods = list(range(1, n_periods + 1))
    treated_cohorts = draw(
        st.lists(st.sampled_from(periods[1:]), min_size=1, max_size=5)
    )  # at least one treated unit
    n_never = draw(st.integers(2, 5))
    cohorts = [0] * n_never + treated_cohorts
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    rows = []
    for i, g in enumerate(cohorts):
        a = rng.normal(scale=3)
        for t in periods:
            y = a + rng.normal() + (rng.normal(1, 1) if g and t >= g else 0.0)
            rows.append({"unit": i, "time": t, "cohort": g, "y": y})
    return pd.DataFrame(rows)


def _fit(frame: pd.DataFrame, **kw):
    return staggered_did(frame, "y", unit="unit", time="time", cohort="cohort", **kw)


controls = st.sampled_from(["never", "not_yet"])


@given(
    panels(),
    controls,
    st.randoms(use_true_random=False),
    st.sampled_from([1, 2, 10]),
    st.integers(0, 2000),
)  # fmt: skip  (0 codes never treated: keep periods > 0)
def test_relabelling_units_and_periods_permutes_results_only(frame, control, rnd, a, b):
    res = _fit(frame, control=control)
    labels = [f"id-{k}" for k in range(frame["unit"].nunique())]
    rnd.shuffle(labels)
    other = frame.assign(
        unit=frame["unit"].map(dict(enumerate(labels))),
        time=a * frame["time"] + b,
        cohort=np.where(frame["cohort"] == 0, 0, a * frame["cohort"] + b),
    ).sample(frac=1.0, random_state=rnd.randint(0, 10**6))
    res2 = _fit(other, control=control)
    got, ref = res2.att_gt, res.att_gt
    np.testing.assert_allclose(got["time"], a * ref["time"] + b)
    np.testing.assert_allclose(got["cohort"], a * ref["cohort"] + b)
    np.testing.assert_allclose(got["estimate"], ref["estimate"], atol=1e-9)
    np.testing.assert_allclose(got["se"], ref["se"], rtol=1e-9, atol=1e-12)
    for kind in KINDS:
        x, y = res2.aggregate(kind), res.aggregate(kind)
        assert np.isclose(x.estimate, y.estimate, atol=1e-9)
        assert np.isclose(x.se, y.se, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(x.table["estimate"], y.table["estimate"], atol=1e-9)


@given(panels(), controls, st.data())
def test_unit_constant_leaves_every_att_unchanged(frame, control, data):
    unit = data.draw(st.sampled_from(sorted(frame["unit"].unique())))
    shift = data.draw(st.floats(-1e3, 1e3, allow_nan=False))
    moved = frame.assign(y=frame["y"] + np.where(frame["unit"] == unit, shift, 0.0))
    res, res2 = _fit(frame, control=control), _fit(moved, control=control)
    np.testing.assert_allclose(res2.att_gt["estimate"], res.att_gt["estimate"], atol=1e-8)
    np.testing.assert_allclose(res2.att_gt["se"], res.att_gt["se"], rtol=1e-6, atol=1e-9)
    for kind in KINDS:
        assert np.isclose(res2.aggregate(kind).estimate, res.aggregate(kind).estimate, atol=1e-8)


@given(panels(), controls, st.floats(0.5, 0.98), st.floats(0.001, 0.019))
def test_higher_confidence_never_narrows(frame, control, low, step):
    a, b = (
        _fit(frame, control=control, confidence=low),
        _fit(frame, control=control, confidence=low + step),
    )
    ok = a.att_gt["se"].notna()
    assert (b.att_gt["ci_low"][ok] <= a.att_gt["ci_low"][ok]).all()
    assert (b.att_gt["ci_high"][ok] >= a.att_gt["ci_high"][ok]).all()
    for kind in KINDS:
        x, y = a.aggregate(kind), b.aggregate(kind)
        assert y.ci_low <= x.ci_low and y.ci_high >= x.ci_high
        assert (y.table["ci_low"] <= x.table["ci_low"]).all()
