"""Slow: coverage of the staggered estimator where two-way fixed effects fails.

Cohorts first treated in periods 3, 4, 5 (and never), drawn at random (so cohort shares are
estimated, as the influence function of the weights assumes); effects grow with event time
at a rate that differs by cohort — the case where TWFE's "forbidden comparisons" (already-
treated units as controls) bias it (Goodman-Bacon 2021).  Target: the simple aggregate
theta = mean over post cells of delta_g * (t - g + 1) = 4.5.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from impactkit.effects.staggered import staggered_did

PERIODS = np.arange(1, 7)
COHORTS = np.array([0, 3, 4, 5])
DELTA = {3: 3.0, 4: 1.5, 5: 0.5}
TRUTH = float(np.mean([d * (t - g + 1) for g, d in DELTA.items() for t in PERIODS if t >= g]))


def _simulate(rep: int, n: int = 200) -> pd.DataFrame:
    rng = np.random.default_rng(rep)
    g = rng.choice(COHORTS, size=n)
    y = rng.normal(size=n)[:, None] + 0.5 * PERIODS + rng.normal(size=(n, len(PERIODS)))
    e = PERIODS[None, :] - g[:, None]
    rate = np.array([DELTA.get(int(c), 0.0) for c in g])[:, None]
    effect = np.where((g[:, None] > 0) & (e >= 0), rate * (e + 1), 0.0)
    return pd.DataFrame({"unit": np.repeat(np.arange(n), len(PERIODS)),
                         "t": np.tile(PERIODS, n), "g": np.repeat(g, len(PERIODS)),
                         "y": (y + effect).ravel(), "D": (effect != 0).ravel().astype(float)})  # fmt: skip


def _twfe(df: pd.DataFrame) -> tuple[float, float]:
    """Two-way within estimator of y on D with unit-clustered (CR1-type) SE."""
    y = df.pivot(index="unit", columns="t", values="y").to_numpy()
    d = df.pivot(index="unit", columns="t", values="D").to_numpy()

    def within(z: np.ndarray) -> np.ndarray:
        return z - z.mean(1, keepdims=True) - z.mean(0, keepdims=True) + z.mean()

    yt, dt = within(y), within(d)
    b = float((yt * dt).sum() / (dt**2).sum())
    scores = (dt * (yt - b * dt)).sum(1)
    n = len(scores)
    return b, float(np.sqrt((scores**2).sum() * n / (n - 1)) / (dt**2).sum())


@pytest.mark.slow
def test_staggered_covers_where_twfe_does_not():
    reps = 1000
    cs = twfe = 0
    for rep in range(reps):
        df = _simulate(rep)
        res = staggered_did(df, "y", unit="unit", time="t", cohort="g")
        cs += res.ci_low <= TRUTH <= res.ci_high
        b, se = _twfe(df)
        twfe += abs(b - TRUTH) <= 1.96 * se
    assert 0.93 <= cs / reps <= 0.97
    assert twfe / reps < 0.5
