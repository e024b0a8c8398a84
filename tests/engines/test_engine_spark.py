"""compute(), evaluate() and cascade() on PySpark ``local[2]`` give pandas' numbers (1e-10).

One Spark session for the whole module and tiny data, to keep ``make test`` fast.  Needs
pyspark (dev extra) and Java (``make test`` installs ``default-jre-headless`` as root, in
scripts/check_system_libs.sh); without either the tests are skipped, saying which is missing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from _engines import INDICATORS, STAGES, TOL, arrow, assert_same_table, make_data
from test_engine_cascade import assert_same_cascade

import impactkit as ik

DATA = make_data(n=120)
CASCADE_DATA = DATA.assign(region=DATA["region"].fillna("west"))


def _java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and os.path.exists(os.path.join(home, "bin", "java")):
        return os.path.join(home, "bin", "java")
    return shutil.which("java")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    pytest.importorskip("pyspark", reason="PySpark tests need pyspark (pip install -e '.[dev]')")
    if _java() is None:
        pytest.skip(
            "PySpark tests need Java, which is missing: apt-get install default-jre-headless "
            "(make test installs it when run as root) or set JAVA_HOME"
        )
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("impactkit-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _frame(spark: Any, df: Any) -> Any:
    return spark.createDataFrame(arrow(df))


def test_compute_on_spark(spark: Any) -> None:
    """One call covers every kind, weights and missing group labels (each Spark call costs
    seconds of query planning; the unweighted and overall paths are tested on the other
    lazy engines)."""
    by = ["region", "sex"]
    ref = ik.compute(INDICATORS, DATA, by=by, weights="w")
    out = ik.compute(INDICATORS, _frame(spark, DATA), by=by, weights="w")
    assert_same_table(out, ref, by)


def test_evaluate_on_spark(spark: Any) -> None:
    ind = INDICATORS[3]  # a rate: value and exposure
    ref = ik.evaluate(ind, DATA, keep=["hh"])
    out = ik.evaluate(ind, _frame(spark, DATA), keep=["hh"]).sort_values("hh", ignore_index=True)
    assert out[["hh", "in_population", "missing"]].equals(ref[["hh", "in_population", "missing"]])
    for col in ("value", "exposure"):
        np.testing.assert_allclose(out[col], ref[col], rtol=TOL, atol=0, err_msg=col)


def test_cascade_on_spark(spark: Any) -> None:
    ref = ik.cascade(CASCADE_DATA, STAGES, by="region")
    out = ik.cascade(_frame(spark, CASCADE_DATA), STAGES, by="region")
    assert_same_cascade(out, ref, ordered=False)
