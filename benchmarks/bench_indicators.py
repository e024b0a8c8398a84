"""impactkit.indicators.compute against a hand-written baseline on the same engine, in one run.

Run on demand (not part of the test suite)::

    .venv/bin/python benchmarks/bench_indicators.py            # 10^5 and 10^6 rows
    .venv/bin/python benchmarks/bench_indicators.py 1e6 1e7    # other sizes
    .venv/bin/python benchmarks/bench_indicators.py 1e6 --spark  # add PySpark local[2]

Four indicators (a proportion with a population condition and missing outcomes, a mean with
missing values, a rate per 1,000 and a ratio of sums; :mod:`_indicator_data`) by one and by
two grouping columns.  Each engine's impactkit call is timed against that engine's own
hand-written query (pandas: one ``groupby().agg``; Polars eager and lazy: one ``group_by``
of expressions; DuckDB and Spark: one SQL ``GROUP BY``), each followed by the same interval
code.  Every pair is checked equal before it is timed, warmed up, then run alternately.  For
pandas the peak extra memory (tracemalloc) of both sides is printed too.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
from _indicator_data import (
    INDICATORS,
    check_agrees,
    intervals,
    pandas_sums,
    polars_sums,
    sql,
    survey,
)
from _timing import compare, peak_extra_bytes

from impactkit.indicators import compute

GROUPINGS: tuple[tuple[str, ...], ...] = (("region",), ("region", "sex"))
REPEAT = {10**5: 7, 10**6: 5, 10**7: 3}


def engines(df: pd.DataFrame, spark: Any) -> dict[str, tuple[Any, Callable[..., pd.DataFrame]]]:
    """engine -> (impactkit's input, baseline(keys) returning per-group sums)."""
    table = pa.Table.from_pandas(df, preserve_index=False)
    eager = pl.from_arrow(table)
    con = duckdb.connect()
    con.register("survey", table)
    out: dict[str, tuple[Any, Callable[..., pd.DataFrame]]] = {
        "pandas": (df, partial(pandas_sums, df)),
        "polars": (eager, partial(polars_sums, eager)),
        "polars lazy": (eager.lazy(), partial(polars_sums, eager.lazy())),
        "duckdb": (con.table("survey"), lambda keys: con.sql(sql("survey", keys)).df()),
    }
    if spark is not None:
        sdf = spark.createDataFrame(table)
        sdf.createOrReplaceTempView("survey")
        out["spark"] = (sdf, lambda keys: spark.sql(sql("survey", keys)).toPandas())
    return out


def _spark() -> Any:
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )


def run_size(size: int, spark: Any) -> None:
    df = survey(size)
    for engine, (data, sums) in engines(df, spark).items():
        for keys in GROUPINGS:
            by = list(keys)
            ours = partial(compute, INDICATORS, data, by=by)

            def base(sums: Callable[..., pd.DataFrame] = sums, by: list[str] = by) -> Any:
                return intervals(sums(by), by)

            check_agrees(ours(), base(), by, f"{size:,} rows, by={by}, {engine}")
            ours_s, base_s = compare(REPEAT.get(size, 3), ours, base)
            memory = ""
            if engine == "pandas":
                mine, theirs = peak_extra_bytes(ours), peak_extra_bytes(base)
                memory = (
                    f"  {mine / 2**20:8.0f} MiB  {theirs / 2**20:8.0f} MiB  {mine / theirs:5.2f}"
                )
            print(
                f"{size:>11,}  {'+'.join(keys):<11}  {engine:<12}  {ours_s * 1e3:9.1f}ms  "
                f"{base_s * 1e3:9.1f}ms  {ours_s / base_s:5.2f}{memory}",
                flush=True,
            )


def main(argv: Sequence[str]) -> None:
    sizes = [int(float(a)) for a in argv if not a.startswith("--")] or [10**5, 10**6]
    spark = _spark() if "--spark" in argv else None
    print(
        f"pandas {pd.__version__}, polars {pl.__version__}, duckdb {duckdb.__version__}, "
        f"numpy {np.__version__}; 4 indicators together; median wall time of alternating runs"
    )
    header = (
        f"{'rows':>11}  {'by':<11}  {'engine':<12}  {'impactkit':>11}  {'baseline':>11}  ratio"
        "  (pandas: peak extra memory impactkit, baseline, ratio)"
    )
    print(header)
    print("-" * len(header))
    run_size(10_000, spark)  # warm-up of every path, not reported
    print("(warm-up at 10,000 rows above)")
    for size in sizes:
        run_size(size, spark)


if __name__ == "__main__":
    main(sys.argv[1:])
