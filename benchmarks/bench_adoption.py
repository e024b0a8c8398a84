"""Timing of impactkit.adoption (cascade, sustained_use) against plain baselines, in one run.

Run on demand (not part of the test suite)::

    .venv/bin/python benchmarks/bench_adoption.py

* ``cascade`` on unit-level data (10^4 to 10^6 units, 6 nested 0/1 stage columns), pooled
  and by a 10-level group, against plain pandas column sums (``df[stages].sum()`` or
  ``groupby().sum()``) plus the shares and one vectorised statsmodels Wilson call.  The
  baseline does not validate the data; impactkit also checks that every value is 0/1 and
  that each stage is a subset of the one before.
* ``sustained_use`` (10^3 to 10^5 users, pooled and by a 3-level group) against statsmodels
  ``SurvfuncRight`` called directly (one fit per group plus the pooled fit, and
  ``survdiff`` for the log-rank test), reading survival at the same horizons.  Durations
  are whole days (at most 730 distinct times) or continuous (about one distinct time per
  user), because impactkit's cost depends on the number of distinct censoring times.

Before timing, impactkit's numbers are checked against the baseline's, so a wrong answer is
never timed.  Prints the median wall time of each and the ratio impactkit / baseline.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
from _timing import compare, peak_extra_bytes
from statsmodels.duration.survfunc import SurvfuncRight, survdiff
from statsmodels.stats.proportion import proportion_confint

from impactkit.adoption import cascade, sustained_use

CONFIDENCE = 0.95
STAGES = ["aware", "reached", "enrolled", "adopted", "sustained", "correct_use"]
HORIZONS = (90.0, 180.0, 365.0)
REPEAT = {1_000: 7, 10_000: 7, 100_000: 5, 1_000_000: 3}


# ---------------------------------------------------------------------------------------
# cascade
# ---------------------------------------------------------------------------------------


def funnel(n: int, seed: int = 0) -> pd.DataFrame:
    """Unit-level funnel: each stage a random subset of the one before, 10 districts."""
    rng = np.random.default_rng(seed)
    district = rng.integers(0, 10, n)
    conversion = [
        np.full(n, 0.9),
        np.full(n, 0.7),
        np.full(n, 0.8),
        0.4 + 0.04 * district,
        np.full(n, 0.6),
        np.full(n, 0.9),
    ]
    data: dict[str, Any] = {
        "district": pd.Series(np.array([f"d{i}" for i in range(10)])[district], dtype="str")
    }
    marked = np.ones(n, dtype=bool)
    for stage, p in zip(STAGES, conversion, strict=True):
        marked = marked & (rng.random(n) < p)
        data[stage] = marked
    return pd.DataFrame(data)


def _cascade_rows(counts: np.ndarray, target: float) -> pd.DataFrame:
    previous = np.concatenate([[target], counts[:-1]])
    alpha = 1 - CONFIDENCE
    t_low, t_high = proportion_confint(counts, target, alpha=alpha, method="wilson")
    p_low, p_high = proportion_confint(counts, previous, alpha=alpha, method="wilson")
    return pd.DataFrame(
        {
            "count": counts,
            "share_of_target": counts / target,
            "share_of_target_ci_low": t_low,
            "share_of_target_ci_high": t_high,
            "share_of_previous": counts / previous,
            "share_of_previous_ci_low": p_low,
            "share_of_previous_ci_high": p_high,
        },
        index=STAGES,
    )


def cascade_baseline(df: pd.DataFrame, by: str | None) -> dict[Any, pd.DataFrame]:
    """Counts by plain pandas sums, then shares and Wilson intervals (pooled and by group)."""
    if by is None:
        return {"all": _cascade_rows(df[STAGES].sum().to_numpy(float), len(df))}
    grouped = df.groupby(by)[STAGES]  # one grouping, reused for both aggregations
    sums, sizes = grouped.sum(), grouped.size()
    out = {g: _cascade_rows(sums.loc[g].to_numpy(float), sizes[g]) for g in sums.index}
    out["all"] = _cascade_rows(sums.sum().to_numpy(float), len(df))
    return out


def duckdb_cascade_baseline(con: Any, by: str | None) -> dict[Any, pd.DataFrame]:
    """The counts as one DuckDB SQL aggregation, then the same shares and intervals."""
    marks = ", ".join(f"SUM({s}::INT) AS {s}" for s in STAGES)
    if by is None:
        row = con.sql(f"SELECT COUNT(*) AS n, {marks} FROM funnel").df().iloc[0]
        return {"all": _cascade_rows(row[STAGES].to_numpy(float), float(row["n"]))}
    g = con.sql(f"SELECT {by}, COUNT(*) AS n, {marks} FROM funnel GROUP BY {by}").df()
    g = g.set_index(by)
    out = {
        k: _cascade_rows(g.loc[k, STAGES].to_numpy(float), float(g.loc[k, "n"])) for k in g.index
    }
    out["all"] = _cascade_rows(g[STAGES].sum().to_numpy(float), float(g["n"].sum()))
    return out


def check_cascade(data: Any, by: str | None, what: str, base: dict[Any, pd.DataFrame]) -> None:
    ours = cascade(data, STAGES, by=by, confidence=CONFIDENCE)
    tables = {"all": ours.table} | {g: c.table for g, c in ours.groups.items()}
    if set(tables) != set(base):
        raise AssertionError(f"{what}: groups {sorted(tables)} != {sorted(base)}")
    for g, table in tables.items():
        expected = base[g]
        for col in expected.columns:
            np.testing.assert_allclose(
                table[col].to_numpy(float),
                expected[col].to_numpy(float),
                rtol=1e-10,
                err_msg=f"{what}, group {g}: column {col!r} differs from the baseline",
            )


# ---------------------------------------------------------------------------------------
# sustained_use
# ---------------------------------------------------------------------------------------


def followup(n: int, continuous: bool, seed: int = 1) -> pd.DataFrame:
    """Time to abandonment (exponential, 3 arms) censored by the end of follow-up."""
    rng = np.random.default_rng(seed)
    arm = rng.integers(0, 3, n)
    t_stop = rng.exponential(np.array([300.0, 400.0, 550.0])[arm])
    t_end = rng.uniform(30, 730, n)
    days = np.minimum(t_stop, t_end)
    return pd.DataFrame(
        {
            "days": days if continuous else np.ceil(days),
            "abandoned": t_stop <= t_end,
            "arm": pd.Series(np.array(["a", "b", "c"])[arm], dtype="str"),
        }
    )


def _at(fit: SurvfuncRight, horizons: tuple[float, ...]) -> np.ndarray:
    idx = np.searchsorted(fit.surv_times, horizons, side="right") - 1
    return np.where(idx >= 0, fit.surv_prob[np.maximum(idx, 0)], 1.0)


def km_baseline(df: pd.DataFrame, by: str | None) -> dict[str, Any]:
    """SurvfuncRight fits (pooled and per group), survival at the horizons, log-rank."""
    dur = df["days"].to_numpy(float)
    status = df["abandoned"].to_numpy(float)
    fits = {"all": SurvfuncRight(dur, status)}
    chi2 = float("nan")
    if by is not None:
        groups = df[by].to_numpy(dtype=object)
        for g in pd.unique(groups):
            mask = groups == g
            fits[g] = SurvfuncRight(dur[mask], status[mask])
        chi2 = float(survdiff(dur, status, groups)[0])
    return {
        "survival": {g: _at(fit, HORIZONS) for g, fit in fits.items()},
        "median": {g: float(fit.quantile(0.5)) for g, fit in fits.items()},
        "chi2": chi2,
    }


def check_sustained(df: pd.DataFrame, by: str | None, what: str) -> None:
    ours = sustained_use(df, "days", "abandoned", by=by, horizons=HORIZONS)
    base = km_baseline(df, by)
    for g, expected in base["survival"].items():
        got = [ours.at(h).survival if g == "all" else ours.at(h, g).survival for h in HORIZONS]
        np.testing.assert_allclose(
            got, expected, rtol=1e-10, err_msg=f"{what}, group {g}: survival differs"
        )
    medians = {"all": ours.overall_median} | (dict(ours.medians) if by is not None else {})
    for g, expected_median in base["median"].items():
        got_median = medians[g]
        np.testing.assert_allclose(
            np.nan if got_median is None else got_median,
            expected_median,
            rtol=1e-12,
            err_msg=f"{what}, group {g}: median differs",
        )
    if by is not None:
        np.testing.assert_allclose(
            ours.logrank_chi2, base["chi2"], rtol=1e-10, err_msg=f"{what}: log-rank differs"
        )


# ---------------------------------------------------------------------------------------


def row(case: str, units: int, by: str | None, ours: float, base: float) -> None:
    print(
        f"{case:<28}  {units:>9,}  {by or '-':<8}  {ours * 1e3:9.1f}ms  {base * 1e3:9.1f}ms  "
        f"{ours / base:7.1f}",
        flush=True,
    )


def warm_up() -> None:
    """Run every code path a few times untimed: the first calls in a process are slower."""
    units, users = funnel(10_000, seed=99), followup(1_000, continuous=False, seed=99)
    for _ in range(5):
        for by in (None, "district"):
            cascade(units, STAGES, by=by)
            cascade_baseline(units, by)
        for by in (None, "arm"):
            sustained_use(users, "days", "abandoned", by=by, horizons=HORIZONS)
            km_baseline(users, by)


def main() -> None:
    header = f"{'case':<28}  {'units':>9}  {'by':<8}  {'impactkit':>11}  {'baseline':>11}    ratio"
    print(f"pandas {pd.__version__}, numpy {np.__version__}; median wall time")
    print(header)
    print("-" * len(header))
    warm_up()
    for n in (10_000, 100_000, 1_000_000):
        df = funnel(n)
        con = duckdb.connect()
        con.register("funnel", pa.Table.from_pandas(df, preserve_index=False))
        for by in (None, "district"):
            pairs = {
                "pandas": (df, partial(cascade_baseline, df, by)),
                "duckdb": (con.table("funnel"), partial(duckdb_cascade_baseline, con, by)),
            }
            for engine, (data, baseline) in pairs.items():
                check_cascade(data, by, f"cascade, {n:,} units, by={by}, {engine}", baseline())
                mine = partial(cascade, data, STAGES, by=by, confidence=CONFIDENCE)
                ours, base = compare(REPEAT[n], mine, baseline)
                row(f"cascade, 6 stages, {engine}", n, by, ours, base)
                if engine == "pandas":
                    extra = peak_extra_bytes(mine) / max(1, peak_extra_bytes(baseline))
                    print(f"{'':<28}  peak extra memory impactkit / baseline: {extra:.2f}")
    for continuous in (False, True):
        case = "sustained_use, " + ("continuous" if continuous else "whole days")
        for n in (1_000, 10_000, 100_000):
            df = followup(n, continuous)
            for by in (None, "arm"):
                check_sustained(df, by, f"{case}, {n:,} units, by={by}")
                ours, base = compare(
                    REPEAT[n],
                    partial(sustained_use, df, "days", "abandoned", by=by, horizons=HORIZONS),
                    partial(km_baseline, df, by),
                )
                row(case, n, by, ours, base)


if __name__ == "__main__":
    main()
