"""Hypothesis properties of synthetic_control that could fail.

Unit weights lie on the simplex; relabelling donors permutes the weights only; adding a
constant to every outcome leaves SDID and DiD unchanged (their intercepts absorb it —
Arkhangelsky et al. 2021, Section 2); a treated unit equal to one donor is matched by that
donor alone under SC (Abadie et al. 2010) with an effect of ~0.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from synthetic._panels import factor_panel, long_panel

from impactkit.effects.synthetic import synthetic_control

# each call fits, refits 2 placebo draws and 5 in-space placebos (~1 s): few examples
FAST = settings(max_examples=6, deadline=None)
KW = dict(unit="unit", time="year", treated="u05", intervention=2006, replications=2)


@st.composite
def panels(draw):
    seed = draw(st.integers(0, 2**32 - 1))
    return factor_panel(np.random.default_rng(seed), n=6, t=9, effect=draw(st.floats(-3, 3)),
                        t0=6)  # fmt: skip


@FAST
@given(panels(), st.sampled_from(["sdid", "sc"]), st.permutations(range(5)))
def test_relabelling_donors_permutes_the_weights(y, method, perm):
    names = [f"d{i}" for i in range(5)]
    a = synthetic_control(long_panel(y, [*names, "u05"]), "y", method=method, seed=0, **KW)
    relabelled = [names[p] for p in perm]
    b = synthetic_control(long_panel(y, [*relabelled, "u05"]), "y", method=method, seed=0,
                          **KW)  # fmt: skip
    mapping = dict(zip(names, relabelled, strict=True))
    for donor, weight in a.unit_weights.items():
        assert b.unit_weights[mapping[donor]] == pytest.approx(weight, abs=1e-6)
    assert b.estimate == pytest.approx(a.estimate, abs=1e-6)


@FAST
@given(panels(), st.sampled_from(["sdid", "did"]), st.floats(-1e3, 1e3))
def test_adding_a_constant_leaves_sdid_and_did_unchanged(y, method, c):
    a = synthetic_control(long_panel(y), "y", method=method, seed=0, **KW)
    b = synthetic_control(long_panel(y + c), "y", method=method, seed=0, **KW)
    assert b.estimate == pytest.approx(a.estimate, abs=1e-6)
    assert np.allclose(b.unit_weights.sort_index(), a.unit_weights.sort_index(), atol=1e-6)


@FAST
@given(panels(), st.integers(0, 4))
def test_treated_equal_to_a_donor_gets_that_donor(y, donor):
    y = y.copy()
    y[-1] = y[donor]
    r = synthetic_control(long_panel(y), "y", method="sc", seed=0, **KW)
    assert r.unit_weights[f"u{donor:02d}"] == pytest.approx(1, abs=1e-3)
    assert abs(r.estimate) < 1e-2 * max(1.0, float(np.abs(y).max()))
    assert r.pre_fit < 1e-2 * max(1.0, float(np.abs(y).max()))


@FAST
@given(panels())
def test_weights_on_the_simplex_and_mean_post_gap_is_the_estimate(y):
    # one fit per method and panel serves both properties
    for method in ("sdid", "sc", "did"):
        r = synthetic_control(long_panel(y), "y", method=method, seed=0, **KW)
        assert (r.unit_weights >= 0).all()
        assert r.unit_weights.sum() == pytest.approx(1, abs=1e-9)
        if method == "sdid":
            assert (r.time_weights >= 0).all() and r.time_weights.sum() == pytest.approx(1)
        post = r.trajectory[r.trajectory["post"]]
        assert post["gap"].mean() == pytest.approx(r.estimate, abs=1e-9)
        assert np.allclose(r.trajectory["treated"] - r.trajectory["synthetic"],
                           r.trajectory["gap"])  # fmt: skip
