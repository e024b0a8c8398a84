"""Timing of design-based compute against plain compute on the same engine, in one run.

Run on demand (not part of the test suite)::

    .venv/bin/python benchmarks/bench_survey.py            # 10^6 and 10^7 rows
    .venv/bin/python benchmarks/bench_survey.py --quick    # 10^5 rows only

Four indicators (a proportion with a population condition and missing outcomes, a mean with
missing values, a rate per 1,000 and a ratio of sums) by region (10 groups) on synthetic
cluster-survey data: 1,000 villages (PSUs) in 20 strata.  Each case times
``compute(..., design=SurveyDesign(weights, strata, psu))`` (and ``weights=`` alone, each row
its own PSU) against plain ``compute(...)`` on the same frame (pandas or Polars eager).  The
weights are all 2.0, so means, proportions, ratios and rates must equal plain compute's; before
timing every ``value`` and ``n`` is checked equal (relative 1e-10), so a wrong answer is never
timed.  Runs alternate after a warm-up; prints median wall times and the ratio design / plain.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import polars as pl
from _timing import compare

from impactkit.indicators import Indicator, compute
from impactkit.survey import SurveyDesign

TEXT = {"description": "benchmark", "unit": "u"}
INDICATORS = [
    Indicator(
        id="reach",
        name="Reach",
        kind="proportion",
        population="eligible",
        numerator="reached",
        **TEXT,
    ),  # fmt: skip
    Indicator(
        id="litres", name="Litres", kind="mean", population="eligible", value="litres", **TEXT
    ),  # fmt: skip
    Indicator(
        id="visits",
        name="Visits",
        kind="rate",
        events="visits",
        exposure="months",
        per=1000,
        **TEXT,
    ),  # fmt: skip
    Indicator(
        id="spend", name="Spend", kind="ratio", numerator="spent", denominator="budget", **TEXT
    ),  # fmt: skip
]
DESIGNS = {
    "strata + PSUs": SurveyDesign(weights="w", strata="stratum", psu="village"),
    "weights only": SurveyDesign(weights="w"),
}


def survey(n: int, seed: int = 0) -> pd.DataFrame:
    """Synthetic cluster survey: 1,000 villages in 20 strata, 10 regions, ~2 % missing."""
    rng = np.random.default_rng(seed)
    village = rng.integers(0, 1000, n)
    litres = rng.gamma(4.0, 5.0, n)
    litres[rng.random(n) < 0.03] = np.nan
    reached = (rng.random(n) < 0.6).astype(float)
    reached[rng.random(n) < 0.02] = np.nan
    return pd.DataFrame(
        {
            "region": rng.integers(0, 10, n),
            "village": village,
            "stratum": village % 20,
            "w": 2.0,
            "eligible": rng.random(n) < 0.8,
            "reached": reached,
            "litres": litres,
            "visits": rng.poisson(0.4, n),
            "months": rng.uniform(1, 12, n),
            "spent": rng.gamma(2.0, 50.0, n),
            "budget": rng.gamma(2.0, 60.0, n),
        }
    )


def check(plain: pd.DataFrame, design: pd.DataFrame, case: str) -> None:
    """Equal weights: the design-based values and counts are plain compute's."""
    for col in ("value", "n", "n_missing"):
        np.testing.assert_allclose(
            design[col].to_numpy(float), plain[col].to_numpy(float), rtol=1e-10, err_msg=case
        )


def main(sizes: tuple[int, ...]) -> None:
    print("| rows | engine | design | design-based | plain | ratio |")
    print("|---:|---|---|---:|---:|---:|")
    for n in sizes:
        base = survey(n)
        for engine, frame in (("pandas", base), ("polars", pl.from_pandas(base))):
            for label, design in DESIGNS.items():

                def ours(frame=frame, design=design):  # type: ignore[no-untyped-def]
                    return compute(INDICATORS, frame, by="region", design=design)

                def plain(frame=frame):  # type: ignore[no-untyped-def]
                    return compute(INDICATORS, frame, by="region")

                check(plain(), ours(), f"{n} {engine} {label}")  # also the warm-up
                t_ours, t_plain = compare(3 if n <= 1_000_000 else 2, ours, plain)
                print(
                    f"| {n:,} | {engine} | {label} | {t_ours * 1e3:,.0f} ms "
                    f"| {t_plain * 1e3:,.0f} ms | {t_ours / t_plain:.2f} |",
                    flush=True,
                )


if __name__ == "__main__":
    main((100_000,) if "--quick" in sys.argv else (1_000_000, 10_000_000))
