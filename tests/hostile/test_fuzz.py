"""Fuzzing (slow; ``pytest --runslow tests/hostile/test_fuzz.py``): a few thousand generated
initiative files, data frames with edge values, and expressions.

A failure is any exception that is not an :class:`~impactkit.errors.ImpactkitError`, any
output left after a failed build, and any NaN or infinite result without a note.
"""

from __future__ import annotations

import math
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import impactkit as ik
import impactkit.cli as cli
from impactkit.errors import ImpactkitError
from impactkit.indicators import Indicator

from ._base import make_initiative

pytestmark = pytest.mark.slow


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


TEMPLATE = Path(tempfile.mkdtemp(prefix="ik-fuzz-")) / "base"
make_initiative(TEMPLATE, "did")
BASE = yaml.safe_load((TEMPLATE / "initiative.yaml").read_text())

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["survey", "fuel", "treated", "post", "did", "2024-02-30", "=1+1", "$x$"]),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
KEYS = [
    "name",
    "organisation",
    "description",
    "period",
    "period.start",
    "period.end",
    "data",
    "data.survey",
    "columns",
    "columns.unit",
    "indicators",
    "indicators.catalog",
    "indicators.headline",
    "design",
    "design.type",
    "design.data",
    "design.treated",
    "design.post",
    "design.cluster",
    "report_date",
    "costs",
    "lab",
    "subgroups",
    "multiplicity",
    "adoption",
    "unknown_key",
]


def _set(tree: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    node: Any = tree
    for p in parents:
        if not isinstance(node, dict):
            return
        node = node.setdefault(p, {})
    if isinstance(node, dict):
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value


def _folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="ik-fuzz-"))
    shutil.copytree(TEMPLATE, folder / "init")
    return folder


def _no_nan_without_note(analysis: ik.ImpactAnalysis) -> None:
    for r in analysis.outcomes:
        e = r.effect
        if e is None:
            assert r.skipped, "an outcome without an effect and without a reason"
            continue
        for name in ("estimate", "ci_low", "ci_high"):
            value = getattr(e, name)
            assert math.isfinite(value) or e.notes, f"{name} = {value} without a note"
    frame = analysis.results_frame()
    assert not np.isinf(frame["value"].dropna().to_numpy(dtype=float)).any()


@fuzz(1500)
@given(st.lists(st.tuples(st.sampled_from(KEYS), values), min_size=1, max_size=4))
def test_generated_initiative_files(edits: list[tuple[str, Any]]) -> None:
    folder = _folder()
    try:
        tree = yaml.safe_load(yaml.safe_dump(BASE))
        for key, value in edits:
            _set(tree, key, value)
        path = folder / "init" / "initiative.yaml"
        try:
            path.write_text(yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8")
        except (yaml.YAMLError, UnicodeEncodeError):
            return
        try:
            init = ik.load_initiative(path)
        except ImpactkitError:
            out = folder / "out"
            assert cli.main(["report", str(path), "--out", str(out / "r.pdf"), "--quiet"]) == 2
            assert not out.exists() or list(out.iterdir()) == []
            return
        try:
            _no_nan_without_note(ik.analyse(init))
        except ImpactkitError:
            pass
    finally:
        shutil.rmtree(folder, ignore_errors=True)


cells = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1.7e308, -1.7e308, 5e-324, 0.0, -0.0, 1e15, "", "x", "1", "0", " ", "nan"]),
    st.integers(min_value=-(10**20), max_value=10**20),
)


@fuzz(700)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["fuel_kg", "treated", "post", "round", "household_id"]),
            st.integers(0, 59),
            cells,
        ),
        min_size=1,
        max_size=6,
    )
)
def test_data_with_edge_values(changes: list[tuple[str, int, Any]]) -> None:
    folder = _folder()
    try:
        survey = folder / "init" / "survey.csv"
        frame = pd.read_csv(survey, dtype=str, keep_default_na=False)
        for column, row, value in changes:
            frame.loc[row, column] = str(value)
        frame.to_csv(survey, index=False)
        try:
            _no_nan_without_note(ik.analyse(folder / "init" / "initiative.yaml"))
        except ImpactkitError:
            pass
    finally:
        shutil.rmtree(folder, ignore_errors=True)


atoms = st.one_of(
    st.sampled_from(
        [
            "y",
            "z",
            "t",
            "`y`",
            "\uff59",
            "\ufb01",
            "1",
            "0",
            "1e308",
            "'a'",
            "True",
            "isnull(y)",
            "notnull(z)",
            "1" + "0" * 40,
        ]
    ),
    st.text(max_size=6),
)
expressions = st.recursive(
    atoms,
    lambda inner: (
        st.tuples(
            inner,
            st.sampled_from(
                [" + ", " - ", " * ", " / ", " == ", " and ", " or ", " < ", " in ", " ** ", "."]
            ),
            inner,
        ).map("".join)
        | inner.map(lambda e: f"({e})")
        | inner.map(lambda e: f"not {e}")
    ),
    max_leaves=30,
)
FRAME = pd.DataFrame(
    {"y": [1.0, np.nan, 3.0, 1e308, -0.0], "z": [0, 1, 1, 0, 1], "t": list("abcde")}
)


@fuzz(1500)
@given(expressions, st.sampled_from(["mean", "sum", "proportion"]))
def test_generated_expressions(expression: str, kind: str) -> None:
    fields = {"value": expression} if kind != "proportion" else {"numerator": expression}
    try:
        indicator = Indicator(id="x", name="x", description="", unit="u", kind=kind, **fields)
        table = ik.evaluate(indicator, FRAME)
        ik.compute(indicator, FRAME)
    except ImpactkitError:
        return
    assert table.index.equals(FRAME.index)
