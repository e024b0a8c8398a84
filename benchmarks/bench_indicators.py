"""Timing of impactkit.indicators.compute against a hand-written pandas baseline, in one run.

Run on demand (not part of the test suite)::

    .venv/bin/python benchmarks/bench_indicators.py

Four indicators (a proportion with a population condition and missing outcomes, a mean with
missing values, a rate per 1,000 and a ratio of sums) are computed together, by one and by
two grouping columns, on synthetic data of 10^4, 10^5 and 10^6 rows.  impactkit runs on a
pandas DataFrame, a Polars DataFrame and a Polars LazyFrame (the conversion to Polars is not
timed); the baseline is the obvious pandas code: filter, ``groupby().agg()``, then the
Wilson, t, Garwood and delta-method intervals in numpy/scipy.  Before timing, every value,
interval bound and ``n`` of impactkit is checked against the baseline, so a wrong answer is
never timed.  Prints the median wall time of each and the ratio impactkit / baseline.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import numpy as np
import pandas as pd
import polars as pl
from _timing import compare
from scipy import stats

from impactkit.indicators import Indicator, compute

CONFIDENCE = 0.95
SIZES = (10_000, 100_000, 1_000_000)
GROUPINGS: tuple[tuple[str, ...], ...] = (("region",), ("region", "sex"))
REPEAT = {10_000: 9, 100_000: 5, 1_000_000: 3}

INDICATORS = [
    Indicator(
        id="reach",
        name="Reach",
        description="Eligible people reached",
        unit="proportion",
        kind="proportion",
        population="eligible",
        numerator="reached",
    ),
    Indicator(
        id="litres",
        name="Water use",
        description="Litres per person per day among the eligible",
        unit="litres",
        kind="mean",
        population="eligible",
        value="litres",
    ),
    Indicator(
        id="visits",
        name="Visit rate",
        description="Clinic visits per 1,000 person-months",
        unit="per 1,000 person-months",
        kind="rate",
        events="visits",
        exposure="months",
        per=1000,
    ),
    Indicator(
        id="spend",
        name="Budget execution",
        description="Money spent over money budgeted",
        unit="share",
        kind="ratio",
        numerator="spent",
        denominator="budget",
    ),
]


def survey(n: int, seed: int = 0) -> pd.DataFrame:
    """Synthetic household data: 10 regions x 2 sexes, about 2% missing outcomes."""
    rng = np.random.default_rng(seed)
    region = rng.integers(0, 10, n)
    sex = rng.integers(0, 2, n)
    reached = rng.random(n) < 0.3 + 0.04 * region
    litres = rng.gamma(4.0, 5.0, n) + region
    litres[rng.random(n) < 0.03] = np.nan
    months = rng.uniform(1, 12, n)
    budget = rng.uniform(50, 150, n)
    return pd.DataFrame(
        {
            "region": pd.Series(np.array([f"r{i:02d}" for i in range(10)])[region], dtype="str"),
            "sex": pd.Series(np.array(["f", "m"])[sex], dtype="str"),
            "eligible": rng.random(n) < 0.8,
            "reached": pd.Series(reached, dtype="boolean").mask(rng.random(n) < 0.02),
            "litres": litres,
            "visits": rng.poisson(months * 0.05),
            "months": months,
            "spent": budget * rng.beta(5, 2, n),
            "budget": budget,
        }
    )


def _table(index: pd.Index, indicator: str, *columns: np.ndarray) -> pd.DataFrame:
    out = index.to_frame(index=False)
    out.insert(0, "indicator", indicator)
    for name, values in zip(("value", "ci_low", "ci_high", "n"), columns, strict=True):
        out[name] = values
    return out


def baseline(df: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """The four indicators by ``keys``, written the obvious way in pandas + numpy/scipy."""
    keys = list(keys)
    alpha = 1 - CONFIDENCE
    z = stats.norm.ppf(1 - alpha / 2)
    parts = []

    # proportion: Wilson (1927) score interval
    sub = df.loc[df["eligible"] & df["reached"].notna(), [*keys, "reached"]]
    g = sub.groupby(keys)["reached"].agg(["sum", "count"])
    k, n = g["sum"].to_numpy(float), g["count"].to_numpy(float)
    p = k / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    parts.append(_table(g.index, "reach", p, centre - half, centre + half, n))

    # mean: t interval, s / sqrt(n), df = n - 1
    sub = df.loc[df["eligible"] & df["litres"].notna(), [*keys, "litres"]]
    g = sub.groupby(keys)["litres"].agg(["mean", "std", "count"])
    m, s, n = g["mean"].to_numpy(), g["std"].to_numpy(), g["count"].to_numpy(float)
    q = stats.t.ppf(1 - alpha / 2, n - 1) * s / np.sqrt(n)
    parts.append(_table(g.index, "litres", m, m - q, m + q, n))

    # rate: exact Poisson (Garwood 1936) for the events, exposure taken as known
    g = df.groupby(keys).agg(k=("visits", "sum"), t=("months", "sum"), n=("visits", "size"))
    k, t = g["k"].to_numpy(float), g["t"].to_numpy()
    low = np.where(k > 0, stats.chi2.ppf(alpha / 2, 2 * k) / 2, 0.0)
    high = stats.chi2.ppf(1 - alpha / 2, 2 * k + 2) / 2
    parts.append(
        _table(g.index, "visits", k / t * 1000, low / t * 1000, high / t * 1000, g["n"].to_numpy())
    )

    # ratio of sums: delta method (Cochran 1977, section 6.4)
    g = (
        df[[*keys, "spent", "budget"]]
        .assign(prod=df["spent"] * df["budget"])
        .groupby(keys)
        .agg(
            n=("spent", "size"),
            sy=("spent", "sum"),
            sx=("budget", "sum"),
            vy=("spent", "var"),
            vx=("budget", "var"),
            sxy=("prod", "sum"),
        )
    )
    n = g["n"].to_numpy(float)
    my, mx = g["sy"].to_numpy() / n, g["sx"].to_numpy() / n
    cov = (g["sxy"].to_numpy() - n * mx * my) / (n - 1)
    r = my / mx
    se = np.sqrt((g["vy"].to_numpy() - 2 * r * cov + r**2 * g["vx"].to_numpy()) / (n * mx**2))
    parts.append(_table(g.index, "spend", r, r - z * se, r + z * se, n))
    return pd.concat(parts, ignore_index=True)


def check_agrees(ours: pd.DataFrame, base: pd.DataFrame, keys: Sequence[str], what: str) -> None:
    """Raise AssertionError unless impactkit and the baseline give the same table."""
    on = ["indicator", *keys]
    left = ours.astype({k: str for k in keys})
    right = base.astype({k: str for k in keys})
    merged = left.merge(right, on=on, suffixes=("", "_base"), validate="one_to_one")
    if not len(merged) == len(ours) == len(base):
        raise AssertionError(f"{what}: {len(ours)} impactkit rows, {len(base)} baseline rows")
    for col in ("value", "ci_low", "ci_high", "n"):
        np.testing.assert_allclose(
            merged[col].to_numpy(float),
            merged[f"{col}_base"].to_numpy(float),
            rtol=1e-8,
            err_msg=f"{what}: column {col!r} differs from the baseline",
        )


def warm_up() -> None:
    """Run every code path a few times untimed: the first calls in a process are slower."""
    df = survey(10_000, seed=99)
    for keys in GROUPINGS:
        for data in (df, pl.from_pandas(df), pl.from_pandas(df).lazy()):
            for _ in range(5):
                compute(INDICATORS, data, by=list(keys))
                baseline(df, keys)


def main() -> None:
    print(
        f"pandas {pd.__version__}, polars {pl.__version__}, numpy {np.__version__}; "
        f"4 indicators (proportion, mean, rate, ratio) computed together; median wall time"
    )
    header = f"{'rows':>9}  {'by':<11}  {'engine':<15}  {'impactkit':>10}  {'baseline':>10}  ratio"
    print(header)
    print("-" * len(header))
    warm_up()
    for size in SIZES:
        df = survey(size)
        frames = {
            "pandas": df,
            "polars": pl.from_pandas(df),
            "polars lazy": pl.from_pandas(df).lazy(),
        }
        for keys in GROUPINGS:
            base = baseline(df, keys)
            for engine, data in frames.items():
                label = f"{size:,} rows, by={list(keys)}, {engine}"
                check_agrees(compute(INDICATORS, data, by=list(keys)), base, keys, label)
                ours_s, base_s = compare(
                    REPEAT[size],
                    partial(compute, INDICATORS, data, by=list(keys)),
                    partial(baseline, df, keys),
                )
                print(
                    f"{size:>9,}  {'+'.join(keys):<11}  {engine:<15}  {ours_s * 1e3:8.1f}ms  "
                    f"{base_s * 1e3:8.1f}ms  {ours_s / base_s:5.2f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
