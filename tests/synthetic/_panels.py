"""Small panels shared by the synthetic-control tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
from _testpaths import REFERENCE_DATA


def prop99() -> pd.DataFrame:
    """California Proposition 99 as shipped with R synthdid (sample_data/reference)."""
    return pd.read_csv(REFERENCE_DATA / "california_prop99.csv", sep=";")


def long_panel(y: np.ndarray, units: list[str] | None = None, start: int = 2000) -> pd.DataFrame:
    """Long data from a units x periods matrix (row i -> unit ``units[i]``)."""
    n, t = y.shape
    units = units or [f"u{i:02d}" for i in range(n)]
    return pd.DataFrame(
        {
            "unit": np.repeat(units, t),
            "year": np.tile(np.arange(start, start + t), n),
            "y": y.ravel(),
        }
    )


def factor_panel(rng: np.random.Generator, n: int, t: int, effect: float = 0.0,
                 t0: int | None = None, noise: float = 0.5) -> np.ndarray:  # fmt: skip
    """Interactive fixed effects: unit level + unit loading x common trend + noise; the
    last row is the treated unit, with ``effect`` added from period ``t0`` on."""
    alpha = rng.normal(10, 2, n)
    load = rng.uniform(0.5, 1.5, n)
    trend = np.cumsum(rng.normal(0.3, 1.0, t))
    y = alpha[:, None] + load[:, None] * trend[None, :] + rng.normal(0, noise, (n, t))
    if t0 is not None:
        y[-1, t0:] += effect
    return y
