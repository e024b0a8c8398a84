"""Cascade stage counts computed by the data's own engine, in one aggregation.

:func:`stage_counts` asks the engine (pandas, Polars, pyarrow, DuckDB, Ibis, Dask, Spark,
through narwhals) for one ``group_by().agg()`` of sums: per group the number of rows, and per
stage the units marked at it and the rows that break a rule (a missing or non-0/1 mark, or a
mark without the stage before).  Only those per-group sums come back to Python, so a cascade
over a Parquet dataset or a Spark table never loads its rows.

When a rule is broken, an eager input (pandas, Polars, pyarrow) is handed back to the
row-level pandas checks of :mod:`impactkit.adoption.cascade`, which name the offending rows;
for a lazy input, :func:`explain_lazy` asks the engine for the first ten offending units and
raises.  Validated against the row-level pandas path (the counts, and the same errors) in
``tests/engines/test_cascade_engines.py``.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import narwhals as nw

from ..errors import DataError
from ..indicators.frames import collect, fresh_names

__all__ = ["Found", "stage_counts", "explain_lazy"]


@dataclass(frozen=True)
class Found:
    """Per group (``None`` without ``by``): the stage counts and the number of rows, in the
    order of first appearance (eager inputs) or of the group labels (lazy inputs)."""

    per_group: dict[Hashable, tuple[list[int], int]]


def _is_binary_dtype(dtype: Any) -> bool:
    return bool(dtype == nw.Boolean or dtype.is_numeric())


def _marked(col: str, dtype: Any) -> nw.Expr:
    """1 where the unit is marked at the stage (True or 1), else 0 (missing counts as 0 here;
    it is reported through the rule column)."""
    c = nw.col(col)
    hit = c if dtype == nw.Boolean else (c == 1)
    return nw.when(hit.fill_null(False)).then(1).otherwise(0)


def _broken(col: str, dtype: Any, before: str | None, before_dtype: Any) -> nw.Expr:
    """1 where the row breaks a rule at this stage: missing, not 0/1, or marked without the
    stage before."""
    c = nw.col(col)
    missing = c.is_null()
    if dtype.is_float():
        missing = missing | c.is_nan().fill_null(True)
    bad = missing
    if dtype != nw.Boolean:
        bad = bad | ((c != 0) & (c != 1)).fill_null(False)
    if before is not None:
        now = (c if dtype == nw.Boolean else c == 1).fill_null(False)
        prev = nw.col(before)
        was = (prev if before_dtype == nw.Boolean else prev == 1).fill_null(False)
        bad = bad | (now & ~was)
    return nw.when(bad).then(1).otherwise(0)


def stage_counts(
    frame: Any, schema: dict[str, Any], stages: Sequence[str], by: str | None
) -> Found | None:
    """Counts per stage (and group) from one engine aggregation; ``None`` when a rule is
    broken (or a stage column is not boolean or numeric), for the caller to explain."""
    if not all(_is_binary_dtype(schema[s]) for s in stages):
        return None
    mark = fresh_names(schema, *[f"m{i}" for i in range(len(stages))])
    bad = fresh_names(schema, *[f"b{i}" for i in range(len(stages))])
    rows, first, key = fresh_names(schema, "rows", "first", "key")
    exprs = [_marked(s, schema[s]).alias(m) for s, m in zip(stages, mark, strict=True)]
    for i, s in enumerate(stages):
        prev = stages[i - 1] if i else None
        exprs.append(_broken(s, schema[s], prev, schema[prev] if prev else None).alias(bad[i]))
    eager = isinstance(frame, nw.DataFrame)
    if eager and by is not None:
        frame = frame.with_row_index(first)
    if by is not None:
        exprs.append(nw.col(by).alias(key))
    widened = frame.with_columns(*exprs)
    aggs = [nw.col(*mark, *bad).sum(), nw.len().alias(rows)]
    if eager and by is not None:
        aggs.append(nw.col(first).min())
    reduced = widened.group_by(key).agg(*aggs) if by is not None else widened.select(*aggs)
    table = collect(reduced, ["cascade"])
    if int(table[bad].to_numpy().sum()) > 0 or (by is not None and table[key].isna().any()):
        return None
    if by is not None:
        order = first if eager else key
        table = table.sort_values(order, kind="stable", ignore_index=True)
    per_group: dict[Hashable, tuple[list[int], int]] = {}
    for r in range(len(table)):
        group = table[key].iloc[r] if by is not None else None
        counts = [int(table[m].iloc[r]) for m in mark]
        per_group[_plain(group)] = (counts, int(table[rows].iloc[r]))
    return Found(per_group)


def _plain(value: Any) -> Hashable:
    """A group label as a plain Python value (numpy scalars unwrapped)."""
    item = getattr(value, "item", None)
    return item() if callable(item) else value


def explain_lazy(
    frame: Any, schema: dict[str, Any], stages: Sequence[str], by: str | None, unit: str | None
) -> DataError:
    """The error for a lazy input whose stage counts broke a rule: the first rule broken (in
    stage order: missing marks, marks that are not 0/1, marks without the stage before),
    naming up to ten offending units by ``unit`` (or saying how many rows)."""
    for s in stages:
        if not _is_binary_dtype(schema[s]):
            return DataError(
                f"cascade: column {s!r} must hold 0/1 or True/False; it holds {schema[s]}"
            )
    if by is not None:
        problem = _first_rows(frame, nw.col(by).is_null(), unit)
        if problem is not None:
            return DataError(f"cascade: group column {by!r} has missing values at {problem}")
    for i, s in enumerate(stages):
        c, dtype = nw.col(s), schema[s]
        missing = c.is_null()
        if dtype.is_float():
            missing = missing | c.is_nan().fill_null(True)
        checks = [
            (
                missing,
                f"column {s!r} has missing values at {{}}; expected 0/1 or True/False in every row",
            )
        ]
        if dtype != nw.Boolean:
            checks.append(
                (
                    ~missing & (c != 0) & (c != 1),
                    f"column {s!r} must hold 0/1 or True/False; found other values at {{}}",
                )
            )
        if i:
            now, was = _marked(s, dtype) == 1, _marked(stages[i - 1], schema[stages[i - 1]]) == 1
            checks.append(
                (
                    now & ~was,
                    f"units are marked at stage {s!r} but not at the stage "
                    f"before it, {stages[i - 1]!r}: {{}}; each stage must be a subset "
                    "of the one before",
                )
            )
        for condition, words in checks:
            problem = _first_rows(frame, condition, unit)
            if problem is not None:
                return DataError("cascade: " + words.format(problem))
    return DataError("cascade: the engine reported a broken rule that could not be located")


def _first_rows(frame: Any, condition: nw.Expr, unit: str | None) -> str | None:
    """Up to ten offending units (by ``unit``), or how many rows, where ``condition`` holds;
    ``None`` where it never does.  One small query to the engine."""
    (flag,) = fresh_names(frame.collect_schema(), "flag")
    hits = frame.filter(condition.fill_null(False))
    if unit is not None:
        table = collect(hits.select(nw.col(unit)).head(11), ["cascade"])
        if len(table) == 0:
            return None
        shown = ", ".join(str(v) for v in table[unit].head(10))
        return f"{unit} {shown}" + (" (and more)" if len(table) > 10 else "")
    table = collect(hits.select(nw.len().alias(flag)), ["cascade"])
    n = int(table[flag].iloc[0]) if len(table) else 0
    return f"{n:,} rows (give unit= to name them)" if n else None
