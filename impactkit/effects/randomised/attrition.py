"""Attrition in a randomised evaluation: who was lost by arm, whether it differs, Lee bounds.

Attrition is a unit randomised but without an outcome at endline.  When it differs between
arms, the comparison of those still observed is no longer randomised.  Lee (2009) bounds
trim the arm that kept more of its units by the excess share, from the top (lower bound)
and from the bottom (upper bound), under monotonicity (assignment only ever makes a unit
more, or only less, likely to be observed):

    p = (q_more - q_less) / q_more,

with q the share observed in each arm.  The bounds are the difference in means after
trimming a share p of the observed outcomes of the arm with more observed units (Lee 2009,
*Review of Economic Studies* 76(3), Proposition 1a).  Their interval is a seeded percentile
bootstrap: the lower limit is the alpha/2 quantile of the bootstrapped lower bound and the
upper limit the 1 - alpha/2 quantile of the upper bound (the conservative "union" interval;
Horowitz & Manski 2000).

Validated against a direct sort-and-slice computation of the trimmed means (tests/rct/).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .arms import Arms

__all__ = ["LeeBounds", "attrition_table", "lee_bounds", "trimmed_mean"]


@dataclass(frozen=True)
class LeeBounds:
    """Lee (2009) bounds on one treatment arm's effect among the always-observed."""

    arm: object
    lower: float
    upper: float
    ci_low: float
    ci_high: float
    trimmed_share: float
    trimmed_arm: str  # "treatment" or "control"
    confidence: float


def attrition_table(observed: pd.Series, arm_values: pd.Series, arms: Arms) -> pd.DataFrame:
    """Units assigned, observed and lost per arm (control first)."""
    rows = []
    for label in (arms.control, *arms.treatments):
        in_arm = (arm_values == label).to_numpy()
        n = int(in_arm.sum())
        seen = int(observed.to_numpy()[in_arm].sum())
        rows.append(
            {
                "arm": label,
                "assigned": n,
                "observed": seen,
                "lost": n - seen,
                "share_lost": (n - seen) / n if n else float("nan"),
            }
        )
    return pd.DataFrame(rows, columns=["arm", "assigned", "observed", "lost", "share_lost"])


def trimmed_mean(values: np.ndarray, share: float, side: str) -> float:
    """Mean of ``values`` after removing a ``share`` of them from ``side`` ("top"/"bottom").

    The empirical distribution is trimmed exactly: when ``share * n`` is not a whole number,
    the boundary observation keeps the fractional weight that remains (so ties and small
    samples are handled without rounding).
    """
    x = np.sort(np.asarray(values, dtype=float))
    if side == "top":
        x = x[::-1]
    n = len(x)
    drop = share * n
    weights = np.clip(np.arange(1, n + 1) - drop, 0.0, 1.0)
    return float(np.sum(weights * x) / np.sum(weights))


def _bounds_once(
    y_t: np.ndarray, y_c: np.ndarray, q_t: float, q_c: float
) -> tuple[float, float, float, str]:
    if q_t >= q_c:
        p = (q_t - q_c) / q_t if q_t > 0 else 0.0
        low = trimmed_mean(y_t, p, "top") - float(np.mean(y_c))
        high = trimmed_mean(y_t, p, "bottom") - float(np.mean(y_c))
        return low, high, p, "treatment"
    p = (q_c - q_t) / q_c
    low = float(np.mean(y_t)) - trimmed_mean(y_c, p, "bottom")
    high = float(np.mean(y_t)) - trimmed_mean(y_c, p, "top")
    return low, high, p, "control"


def lee_bounds(
    y: pd.Series,
    arm_values: pd.Series,
    arms: Arms,
    arm: object,
    *,
    confidence: float,
    seed: int | None,
    n_boot: int = 499,
) -> LeeBounds | None:
    """Lee bounds for ``arm`` against control; ``None`` when either arm has < 2 outcomes."""
    y_arr = y.to_numpy(dtype=float)
    obs = ~np.isnan(y_arr)
    a_arr = arm_values.to_numpy()
    in_t = a_arr == arm
    in_c = a_arr == arms.control
    if (obs & in_t).sum() < 2 or (obs & in_c).sum() < 2:
        return None
    low, high, p, trimmed = _bounds_once(
        y_arr[obs & in_t], y_arr[obs & in_c], obs[in_t].mean(), obs[in_c].mean()
    )
    rng = np.random.default_rng(seed)
    t_rows, c_rows = np.flatnonzero(in_t), np.flatnonzero(in_c)
    lows, highs = [], []
    for _ in range(n_boot):
        bt = rng.choice(t_rows, size=len(t_rows))
        bc = rng.choice(c_rows, size=len(c_rows))
        yt, yc = y_arr[bt], y_arr[bc]
        ot, oc = ~np.isnan(yt), ~np.isnan(yc)
        if ot.sum() < 2 or oc.sum() < 2:
            continue
        b = _bounds_once(yt[ot], yc[oc], ot.mean(), oc.mean())
        lows.append(b[0])
        highs.append(b[1])
    alpha = 1 - confidence
    ci_low = float(np.quantile(lows, alpha / 2)) if lows else float("nan")
    ci_high = float(np.quantile(highs, 1 - alpha / 2)) if highs else float("nan")
    return LeeBounds(arm, low, high, ci_low, ci_high, p, trimmed, confidence)
