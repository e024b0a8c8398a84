"""The four benchmark indicators, their synthetic data, and hand-written baselines per engine.

Each baseline is what a competent user of that engine would write: ONE grouped aggregation
(pandas ``groupby().agg`` with named aggregations; Polars expressions; one SQL ``GROUP BY``
for DuckDB and Spark), then the same intervals from those sums in numpy/scipy
(:func:`intervals`): Wilson (1927) for the proportion, t for the mean, exact Poisson
(Garwood 1936) for the rate, the delta method (Cochran 1977, 6.4) for the ratio.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from impactkit.indicators import Indicator

CONFIDENCE = 0.95

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


SUMS = ["p_n", "p_k", "m_n", "m_mean", "m_sd", "k", "t", "n", "sy", "sx", "vy", "vx", "sxy"]


def pandas_sums(df: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """One ``groupby().agg`` over the masked columns (NaN outside a population is skipped)."""
    elig = df["eligible"]
    known = elig & df["reached"].notna()
    return (
        df.assign(
            p_n=known,
            p_k=known & df["reached"].fillna(False),
            m_x=df["litres"].where(elig),
            yx=df["spent"] * df["budget"],
        )
        .groupby(list(keys), observed=True)
        .agg(
            p_n=("p_n", "sum"),
            p_k=("p_k", "sum"),
            m_n=("m_x", "count"),
            m_mean=("m_x", "mean"),
            m_sd=("m_x", "std"),
            k=("visits", "sum"),
            t=("months", "sum"),
            n=("visits", "size"),
            sy=("spent", "sum"),
            sx=("budget", "sum"),
            vy=("spent", "var"),
            vx=("budget", "var"),
            sxy=("yx", "sum"),
        )
        .reset_index()
    )


def polars_sums(frame: Any, keys: Sequence[str]) -> pd.DataFrame:
    """The same sums as one Polars ``group_by().agg`` of expressions (eager or lazy)."""
    import polars as pl

    elig, reached = pl.col("eligible"), pl.col("reached")
    known = elig & reached.is_not_null()
    litres = pl.when(elig).then(pl.col("litres").fill_nan(None))
    out = frame.group_by(list(keys)).agg(
        known.sum().alias("p_n"),
        (known & reached.fill_null(False)).sum().alias("p_k"),
        litres.count().alias("m_n"),
        litres.mean().alias("m_mean"),
        litres.std().alias("m_sd"),
        pl.col("visits").sum().alias("k"),
        pl.col("months").sum().alias("t"),
        pl.len().alias("n"),
        pl.col("spent").sum().alias("sy"),
        pl.col("budget").sum().alias("sx"),
        pl.col("spent").var().alias("vy"),
        pl.col("budget").var().alias("vx"),
        (pl.col("spent") * pl.col("budget")).sum().alias("sxy"),
    )
    out = out.collect() if isinstance(out, pl.LazyFrame) else out
    return out.sort(list(keys)).to_pandas()


def sql(table: str, keys: Sequence[str]) -> str:
    """The same sums as one SQL ``GROUP BY`` (DuckDB and Spark SQL)."""
    k = ", ".join(keys)
    return f"""
        SELECT {k},
          SUM(CASE WHEN eligible AND reached IS NOT NULL THEN 1 ELSE 0 END) AS p_n,
          SUM(CASE WHEN eligible AND reached THEN 1 ELSE 0 END) AS p_k,
          COUNT(CASE WHEN eligible THEN litres END) AS m_n,
          AVG(CASE WHEN eligible THEN litres END) AS m_mean,
          STDDEV_SAMP(CASE WHEN eligible THEN litres END) AS m_sd,
          SUM(visits) AS k, SUM(months) AS t, COUNT(*) AS n,
          SUM(spent) AS sy, SUM(budget) AS sx,
          VAR_SAMP(spent) AS vy, VAR_SAMP(budget) AS vx, SUM(spent * budget) AS sxy
        FROM {table} GROUP BY {k} ORDER BY {k}"""


def intervals(g: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Values, intervals and n of the four indicators from the per-group sums ``g``."""
    alpha = 1 - CONFIDENCE
    z = stats.norm.ppf(1 - alpha / 2)
    col = {c: g[c].to_numpy(float) for c in SUMS}
    parts = []
    n, p = col["p_n"], col["p_k"] / col["p_n"]
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    parts.append(("reach", p, centre - half, centre + half, n))
    m, n = col["m_mean"], col["m_n"]
    q = stats.t.ppf(1 - alpha / 2, n - 1) * col["m_sd"] / np.sqrt(n)
    parts.append(("litres", m, m - q, m + q, n))
    k, t = col["k"], col["t"]
    low = np.where(k > 0, stats.chi2.ppf(alpha / 2, 2 * k) / 2, 0.0)
    high = stats.chi2.ppf(1 - alpha / 2, 2 * k + 2) / 2
    parts.append(("visits", k / t * 1000, low / t * 1000, high / t * 1000, col["n"]))
    n = col["n"]
    my, mx = col["sy"] / n, col["sx"] / n
    cov = (col["sxy"] - n * mx * my) / (n - 1)
    r = my / mx
    se = np.sqrt((col["vy"] - 2 * r * cov + r**2 * col["vx"]) / (n * mx**2))
    parts.append(("spend", r, r - z * se, r + z * se, n))
    labels = g[list(keys)].reset_index(drop=True)
    tables = []
    for name, value, low_, high_, count in parts:
        out = labels.copy()
        out.insert(0, "indicator", name)
        out["value"], out["ci_low"], out["ci_high"], out["n"] = value, low_, high_, count
        tables.append(out)
    return pd.concat(tables, ignore_index=True)


def check_agrees(ours: pd.DataFrame, base: pd.DataFrame, keys: Sequence[str], what: str) -> None:
    """Raise AssertionError unless impactkit and the baseline give the same table (1e-8)."""
    on = ["indicator", *keys]
    left = ours.astype({k: str for k in keys})
    right = base.astype({k: str for k in keys})
    merged = left.merge(right, on=on, suffixes=("", "_base"), validate="one_to_one")
    if not len(merged) == len(ours) == len(base):
        raise AssertionError(f"{what}: {len(ours)} impactkit rows, {len(base)} baseline rows")
    for c in ("value", "ci_low", "ci_high", "n"):
        np.testing.assert_allclose(
            merged[c].to_numpy(float),
            merged[f"{c}_base"].to_numpy(float),
            rtol=1e-8,
            err_msg=f"{what}: column {c!r} differs from the baseline",
        )
