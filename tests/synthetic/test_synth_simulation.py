"""Simulation with a known effect: SDID and SC recover it (slow)."""

from __future__ import annotations

import numpy as np
import pytest
from synthetic._panels import factor_panel, long_panel

from impactkit.effects.synthetic import synthetic_control


@pytest.mark.slow
@pytest.mark.parametrize("method", ["sdid", "sc"])
def test_known_effect_is_recovered_and_covered(method):
    rng = np.random.default_rng(2024)
    estimates, covered = [], 0
    for _ in range(40):
        y = factor_panel(rng, 21, 20, effect=-5.0, t0=15, noise=0.5)
        r = synthetic_control(long_panel(y), "y", unit="unit", time="year", treated="u20",
                              intervention=2015, method=method, replications=50,
                              seed=int(rng.integers(1e9)))  # fmt: skip
        estimates.append(r.estimate)
        covered += r.ci_low <= -5.0 <= r.ci_high
    est = np.asarray(estimates)
    assert abs(est.mean() + 5.0) < 0.5
    assert covered >= 32  # nominal 95 %: at least 80 % of 40 intervals cover
