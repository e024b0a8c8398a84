"""Timing of impactkit.effects estimators against plain statsmodels, in the same run.

Run on demand (not part of the test suite)::

    .venv/bin/python benchmarks/bench_effects.py

Prints, for each estimator, the median wall time of impactkit and of the bare statsmodels
fit it wraps, and their ratio (the overhead of validation, notes, group means, event
study and the counterfactual frame).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm
from _timing import compare

from impactkit.effects import did, its


def panel(units: int, periods: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    unit = np.repeat(np.arange(units), periods)
    period = np.tile(np.arange(periods), units)
    treated = (unit < units // 2).astype(int)
    post = (period >= periods // 2).astype(int)
    y = rng.normal(0, 1, units)[unit] + 0.2 * period + treated * post + rng.normal(0, 1, unit.size)
    return pd.DataFrame({"unit": unit, "period": period, "treated": treated, "post": post, "y": y})


def counts(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    t = np.arange(1, n + 1)
    post = t >= n // 2
    pop = rng.uniform(9e4, 1.1e5, n)
    mu = pop * 1e-3 * np.exp(0.002 * t - 0.1 * post + 0.1 * np.sin(2 * np.pi * t / 12))
    return pd.DataFrame({"t": t, "count": rng.poisson(mu), "pop": pop})


def _same(ours: float, base: float, what: str) -> None:
    """Values are checked equal before anything is timed."""
    np.testing.assert_allclose(ours, base, rtol=1e-10, err_msg=what)


def bench_did(units: int, periods: int) -> tuple[str, float, float]:
    df = panel(units, periods)

    def plain() -> object:
        X = np.column_stack([np.ones(len(df)), df.treated, df.post, df.treated * df.post]).astype(
            float
        )
        return sm.OLS(df.y.to_numpy(), X).fit(
            cov_type="cluster", cov_kwds={"groups": df.unit.to_numpy()}, use_t=True
        )

    def mine() -> object:
        return did(df, "y", "treated", "post", unit="unit")

    _same(mine().estimate, plain().params[3], "did 2x2")  # type: ignore[attr-defined]
    ours, base = compare(7, mine, plain)
    return f"did 2x2, cluster, {len(df):,} rows", ours, base


def bench_did_event_study(units: int, periods: int) -> tuple[str, float, float]:
    df = panel(units, periods)

    def plain() -> object:
        dummies = pd.get_dummies(df.period, prefix="p", drop_first=True).astype(float)
        inter = dummies.mul(df.treated, axis=0).add_prefix("t:")
        X = pd.concat(
            [pd.Series(1.0, index=df.index, name="c"), df.treated, dummies, inter], axis=1
        )
        return sm.OLS(df.y, X.astype(float)).fit(
            cov_type="cluster", cov_kwds={"groups": df.unit.to_numpy()}, use_t=True
        )

    def mine() -> object:
        return did(df, "y", "treated", "post", unit="unit", period="period")

    ours, base = compare(5, mine, plain)
    return f"did event study, {periods} periods, {len(df):,} rows", ours, base


def bench_its(n: int) -> tuple[str, float, float]:
    df = counts(n)
    t0 = n // 2

    def plain() -> object:
        t = df.t.to_numpy(float)
        post = (t >= t0).astype(float)
        X = np.column_stack(
            [
                np.ones(n),
                t,
                post,
                (t - t0) * post,
                np.sin(2 * np.pi * t / 12),
                np.cos(2 * np.pi * t / 12),
            ]
        )
        return sm.GLM(df["count"], X, family=sm.families.Poisson(), offset=np.log(df["pop"])).fit(
            scale="X2"
        )

    def mine() -> object:
        return its(df, "t", "count", t0, family="quasipoisson", exposure="pop", seasonality=1)

    _same(len(plain().params), 6, "its parameters")  # type: ignore[attr-defined]
    ours, base = compare(7, mine, plain)
    return f"its quasi-Poisson, {n} periods", ours, base


def main() -> None:
    rows = [
        bench_did(2_000, 2),
        bench_did(50_000, 2),
        bench_did_event_study(2_000, 8),
        bench_its(60),
        bench_its(600),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'case':<{width}}  {'impactkit':>10}  {'statsmodels':>11}  {'ratio':>6}")
    for name, ours, base in rows:
        print(f"{name:<{width}}  {ours * 1e3:8.1f}ms  {base * 1e3:9.1f}ms  {ours / base:6.2f}")


if __name__ == "__main__":
    main()
