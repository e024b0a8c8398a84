"""Small simulated staggered panels shared by the staggered tests."""

from __future__ import annotations

import numpy as np
import pandas as pd


def make_panel(
    seed: int = 0,
    n_units: int = 60,
    periods: tuple[int, ...] = (1, 2, 3, 4, 5),
    cohorts: tuple[int, ...] = (0, 3, 4),
    effect: float = 1.0,
) -> pd.DataFrame:
    """Balanced panel: unit effects, common period shocks, cohorts assigned in turn, and an
    effect ``effect * (1 + event time)`` once treated."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_units):
        g = cohorts[i % len(cohorts)]
        alpha = rng.normal()
        for t in periods:
            treated = g != 0 and t >= g
            y = alpha + 0.3 * t + rng.normal() + (effect * (1 + t - g) if treated else 0.0)
            rows.append({"unit": f"u{i:03d}", "year": t, "g": g, "y": y, "state": i % 7})
    return pd.DataFrame(rows)
