"""The engine-side step: one ``group_by`` over (domain, stratum, PSU) that reduces the rows.

Everything the Taylor-linearised variance needs is a sum over the rows of one primary sampling
unit (Wolter 2007, *Introduction to Variance Estimation*, §6.11; Lumley 2010, *Complex
Surveys*, §2.3 and appendix C): for an estimand with per-row value ``y`` and denominator ``x``
the PSU totals ``Σw·y`` and ``Σw·x`` of every (domain, stratum, PSU) cell.  When every row is
its own PSU the cells would be the rows, so the reduction is per (domain, stratum) instead and
carries the row-level second moments ``Σw²y²``, ``Σw²xy``, ``Σw²x²``.  The small aggregate
table is collected and everything else is computed locally (:mod:`impactkit.survey.variance`),
so pandas, Polars (eager or lazy), DuckDB and any other narwhals backend run the same query and
no row ever reaches Python.

Validated against: the numpy textbook implementation in tests/survey/_textbook.py on pandas,
Polars eager/lazy and DuckDB (tests/survey/test_survey_engines.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from ..errors import DataError, MissingColumnError, describe_rows
from .design import SurveyDesign

__all__ = ["Estimand", "DesignSums", "design_sums", "STRATUM", "PSU"]

STRATUM = "_stratum"
PSU = "_psu"
_ROW_STATS = ("n", "nnz", "sw", "swy", "swx", "swyy", "swxy", "swxx", "nully")
_SELF_PSU_STATS = ("s2yy", "s2xy", "s2xx")


@dataclass(frozen=True)
class Estimand:
    """One quantity to estimate, as per-row narwhals expressions.

    Parameters
    ----------
    name
        Label of the estimand in the result (e.g. the indicator id).
    y
        Per-row value: the numerator condition of a proportion (as 0/1), the value of a mean or
        a total, the events of a rate, the numerator of a ratio.
    x
        Per-row denominator of a ratio or exposure of a rate; ``None`` means 1 (a mean or
        proportion).  Ignored when ``total`` is true.
    include
        Rows that belong to the estimation population and have ``y`` (and ``x``) observed;
        ``None`` means every row.  Excluded rows stay in the design with value 0, so a
        subpopulation keeps every PSU (a *domain*, not a subset: Lumley 2010, §2.4).
    total
        ``True`` estimates the population total ``Σw·y``; ``False`` the ratio ``Σw·y / Σw·x``.
    """

    name: str
    y: nw.Expr
    x: nw.Expr | None = None
    include: nw.Expr | None = None
    total: bool = False


@dataclass(frozen=True)
class DesignSums:
    """The collected aggregate table and what is needed to read it.

    ``cells`` has one row per (domain, stratum, PSU) -- or per (domain, stratum) when each row
    is its own PSU -- with the domain columns, ``_stratum``, ``_psu`` (absent for row PSUs),
    ``rows`` (all rows of the cell, included or not), ``wbad``, ``fpc_min``/``fpc_max``/
    ``fpc_null`` (with an fpc column) and for every estimand ``<name>|<stat>`` sums.
    """

    design: SurveyDesign
    by: tuple[str, ...]
    estimands: tuple[Estimand, ...]
    cells: pd.DataFrame
    frame: Any = field(repr=False, compare=False)  # the narwhals frame, for error messages


def design_sums(
    frame: nw.DataFrame[Any] | nw.LazyFrame[Any],
    estimands: Sequence[Estimand],
    by: Sequence[str],
    design: SurveyDesign,
    counts: Mapping[str, nw.Expr] | None = None,
) -> DesignSums:
    """Run the single engine-side ``group_by`` and collect the small table of sums.

    ``frame`` is a narwhals DataFrame or LazyFrame (``nw.from_native(...)``); ``by`` are the
    domain columns.  ``counts`` maps a label to a row condition; the number of rows where it
    holds is carried per cell as ``count|<label>`` (in the same ``group_by``).  Raises :class:`MissingColumnError` for a design or domain column that is
    not in the data and :class:`DataError` for duplicate estimand names.
    """
    by = tuple(by)
    schema = dict(frame.collect_schema())
    _check_columns(schema, [*by, *design.columns])
    _check_estimands(estimands)
    keys = list(dict.fromkeys([*by, *(c for c in (design.strata, design.psu) if c)]))
    names = _internal_names(schema, len(estimands))
    extra = dict(counts or {})
    for c, label in enumerate(extra):
        names["count", label] = f"{names['rows']}_count{c}"
    w = _weight_expr(design)
    stage1: list[nw.Expr] = []
    for j, est in enumerate(estimands):
        inc = est.include if est.include is not None else nw.lit(True)
        y = est.y.cast(nw.Float64)
        x = est.x.cast(nw.Float64) if est.x is not None else nw.lit(1.0)
        stage1 += [
            nw.when(inc).then(1.0).otherwise(0.0).alias(names[j, "n"]),
            nw.when(inc).then(w).otherwise(0.0).alias(names[j, "sw"]),
            nw.when(inc).then(y).otherwise(0.0).alias(names[j, "y"]),
            nw.when(inc).then(x).otherwise(0.0).alias(names[j, "x"]),
            nw.when(inc & (y.is_null() | x.is_null()))
            .then(1)
            .otherwise(0)
            .alias(names[j, "nully"]),
        ]
    stage1 += _design_columns(design, schema, names)
    stage1 += [
        nw.when(cond).then(1).otherwise(0).alias(names["count", label])
        for label, cond in extra.items()
    ]
    frame2 = _query_frame(frame).with_columns(*stage1)
    stage2: list[nw.Expr] = []
    for j in range(len(estimands)):
        wj, yj, xj = (nw.col(names[j, s]) for s in ("sw", "y", "x"))
        stage2 += [
            nw.when(wj != 0).then(nw.col(names[j, "n"])).otherwise(0.0).alias(names[j, "nnz"]),
            (wj * yj).alias(names[j, "swy"]),
            (wj * xj).alias(names[j, "swx"]),
            (wj * yj * yj).alias(names[j, "swyy"]),
            (wj * xj * yj).alias(names[j, "swxy"]),
            (wj * xj * xj).alias(names[j, "swxx"]),
        ]
        if design.row_is_psu:
            stage2 += [
                (wj * wj * yj * yj).alias(names[j, "s2yy"]),
                (wj * wj * xj * yj).alias(names[j, "s2xy"]),
                (wj * wj * xj * xj).alias(names[j, "s2xx"]),
            ]
    frame3 = frame2.with_columns(*stage2)
    aggs = _aggregations(design, names, len(estimands))
    aggs += [nw.col(names["count", k]).sum().alias(names["count", k]) for k in extra]
    reduced = frame3.group_by(keys).agg(*aggs) if keys else frame3.select(*aggs)
    table = _collect(reduced)
    cells = _tidy(table, design, by, estimands, names)
    return DesignSums(design=design, by=by, estimands=tuple(estimands), cells=cells, frame=frame)


def _query_frame(frame: nw.DataFrame[Any] | nw.LazyFrame[Any]) -> Any:
    """The frame the query runs on: an eager Polars frame runs lazily, so Polars plans the
    three stages and the many-group aggregation together (about 4x faster at 10^6 rows and
    10^4 cells than eager ``group_by``; benchmarks/README.md)."""
    if isinstance(frame, nw.DataFrame) and frame.implementation.is_polars():
        return frame.lazy()
    return frame


def _design_columns(
    design: SurveyDesign, schema: Mapping[str, Any], names: dict[Any, str]
) -> list[nw.Expr]:
    """Per-row design flags, materialised before the group_by so every aggregation is simple."""
    cols = [_bad_weight(design, schema).alias(names["wbad"])]
    if isinstance(design.fpc, str):
        fpc = nw.col(design.fpc).cast(nw.Float64)
        cols += [
            fpc.alias(names["fpc_min"]),
            nw.when(fpc.is_null()).then(1).otherwise(0).alias(names["fpc_null"]),
        ]
    return cols


def _aggregations(design: SurveyDesign, names: dict[Any, str], k: int) -> list[nw.Expr]:
    stats = (*_ROW_STATS, *(_SELF_PSU_STATS if design.row_is_psu else ()))
    aggs = [nw.col(names[j, s]).sum().alias(names[j, s]) for j in range(k) for s in stats]
    aggs.append(nw.len().alias(names["rows"]))
    aggs.append(nw.col(names["wbad"]).sum().alias(names["wbad"]))
    if isinstance(design.fpc, str):
        aggs += [
            nw.col(names["fpc_min"]).min().alias(names["fpc_min"]),
            nw.col(names["fpc_min"]).max().alias(names["fpc_max"]),
            nw.col(names["fpc_null"]).sum().alias(names["fpc_null"]),
        ]
    return aggs


def _weight_expr(design: SurveyDesign) -> nw.Expr:
    if design.weights is None:
        return nw.lit(1.0)
    return nw.col(design.weights).cast(nw.Float64)


def bad_weight_condition(design: SurveyDesign, schema: Mapping[str, Any]) -> nw.Expr:
    """Rows whose weight is missing, not a number or negative."""
    if design.weights is None:
        return nw.lit(False)
    w = nw.col(design.weights)
    bad = w.is_null()
    if schema[design.weights].is_float():
        bad = bad | w.is_nan().fill_null(True)
    return bad | (w.cast(nw.Float64) < 0).fill_null(True)


def _bad_weight(design: SurveyDesign, schema: Mapping[str, Any]) -> nw.Expr:
    return nw.when(bad_weight_condition(design, schema)).then(1).otherwise(0)


def _internal_names(schema: Mapping[str, Any], k: int) -> dict[Any, str]:
    """Column names for the intermediate columns that clash with nothing in the data."""
    prefix = "__ik_svy"
    while any(str(c).startswith(prefix) for c in schema):
        prefix += "_"
    names: dict[Any, str] = {}
    for j in range(k):
        for s in (*_ROW_STATS, *_SELF_PSU_STATS, "y", "x"):
            names[j, s] = f"{prefix}{j}_{s}"
    for s in ("w", "rows", "wbad", "fpc_min", "fpc_max", "fpc_null"):
        names[s] = f"{prefix}_{s}"
    return names


def _collect(frame: nw.DataFrame[Any] | nw.LazyFrame[Any]) -> pd.DataFrame:
    """Run the (possibly lazy) query; an engine's own error becomes a DataError."""
    try:
        if isinstance(frame, nw.LazyFrame):
            return frame.collect().to_pandas()
        return frame.to_pandas()
    except Exception as exc:  # the engine's error, e.g. a text column where numbers are needed
        raise DataError(f"design-based variance: the data engine failed: {exc}") from exc


def _tidy(
    table: pd.DataFrame,
    design: SurveyDesign,
    by: tuple[str, ...],
    estimands: Sequence[Estimand],
    names: dict[Any, str],
) -> pd.DataFrame:
    out = pd.DataFrame({c: table[c] for c in by}, index=table.index)
    out[STRATUM] = table[design.strata] if design.strata else 0
    if design.psu:
        out[PSU] = table[design.psu]
    rename = {names[s]: s for s in ("rows", "wbad", "fpc_min", "fpc_max", "fpc_null")}
    rename |= {
        v: f"count|{k[1]}" for k, v in names.items() if isinstance(k, tuple) and k[0] == "count"
    }
    for j, est in enumerate(estimands):
        for s in (*_ROW_STATS, *_SELF_PSU_STATS):
            rename[names[j, s]] = f"{est.name}|{s}"
    for src, dst in rename.items():
        if src in table.columns:
            out[dst] = pd.to_numeric(table[src], errors="coerce").astype(float)
    return out.reset_index(drop=True)


def _check_columns(schema: Mapping[str, Any], columns: Sequence[str]) -> None:
    for col in columns:
        if col not in schema:
            raise MissingColumnError(col, list(schema), "survey design")


def _check_estimands(estimands: Sequence[Estimand]) -> None:
    if not estimands:
        raise DataError("design-based variance: no estimand given")
    seen: set[str] = set()
    for est in estimands:
        if not isinstance(est, Estimand):
            raise DataError(f"expected an Estimand, got {type(est).__name__}")
        if est.name in seen:
            raise DataError(f"two estimands are named {est.name!r}; names must be unique")
        seen.add(est.name)


def offending_rows(frame: Any, condition: nw.Expr, show: Sequence[str], limit: int = 10) -> str:
    """Describe the rows where ``condition`` holds, for an error message (error path only).

    An eager frame reports row positions (0-based); a lazy frame has no row order, so the
    first rows found are described by the values of ``show``.
    """
    try:
        if isinstance(frame, nw.DataFrame):
            idx = "__ik_svy_row"
            hits = frame.with_row_index(idx).filter(condition).select(idx)
            rows = hits[idx].to_list()
            return describe_rows(rows, limit)
        found = frame.filter(condition).select(*show).head(limit).collect().to_pandas()
    except Exception:  # describing must never hide the real error
        return "some rows"
    if found.empty:
        return "some rows"
    cells = [
        ", ".join(f"{c}={v!r}" for c, v in zip(show, row, strict=True)) for row in found.values
    ]
    return "rows with " + "; ".join(cells)


def cell_values(cells: pd.DataFrame, column: str) -> np.ndarray:
    """A stat column of the cells as floats (0 where absent)."""
    if column not in cells.columns:
        return np.zeros(len(cells))
    return cells[column].to_numpy(dtype=float)
