"""Sufficient statistics of indicators per group, in one pass over the data's own engine.

Each group is reduced to counts and weighted sums (``n``, ``n_missing``, Σw, Σw², Σwx,
Σwx², Σwy, Σwy², Σwxy, Σw²x, max w, ...) with one narwhals ``group_by().agg()``, so pandas,
Polars and Polars lazy frames do the heavy lifting; :mod:`impactkit.indicators.estimates`
turns the sums into values and intervals.  Numeric values are centred on their overall
mean before squaring, for accuracy (the centres are kept as ``cx``/``cy``).

Row-level pieces are materialised in three ``with_columns`` stages (membership and raw
values; weights and centred values; products) so that no engine evaluates a shared
sub-expression twice.  Helper columns get names from
:func:`~impactkit.indicators.frames.fresh_names`, which never clash with the user's
columns, and the sums are returned apart from the group labels, so any group column name
works.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from .definitions import Indicator
from .frames import collect, fresh_names
from .rows import RowParts

__all__ = ["Sums", "sufficient_statistics"]

STATS = (
    "ok",
    "inpop",
    "xr",
    "yr",
    "w",
    "xc",
    "yc",
    "n",
    "miss",
    "sw",
    "sw2",
    "wneg",
    "swx",
    "swxx",
    "swy",
    "swyy",
    "swxy",
    "sw2x",
    "neg",
    "wmax",
    "cx",
    "cy",
)


@dataclass(frozen=True)
class Sums:
    """Per-group sufficient statistics.

    ``groups`` holds the group label columns (one row per group, sorted by the labels with
    missing labels last); ``stats`` maps ``"<indicator position>_<stat>"`` to a float array
    aligned with ``groups``.
    """

    groups: pd.DataFrame
    stats: Mapping[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.groups)

    def get(self, i: int, stat: str) -> np.ndarray:
        """Statistic ``stat`` of the ``i``-th indicator (zeros when it was not needed)."""
        values = self.stats.get(f"{i}_{stat}")
        return np.zeros(len(self)) if values is None else values


class _Names:
    """Helper column names, one per (indicator, statistic), that do not clash with the data."""

    def __init__(self, schema: Mapping[str, Any], count: int, keys: Sequence[str]):
        labels = [f"{i}_{s}" for i in range(count) for s in STATS]
        key_labels = [f"key{j}" for j in range(len(keys))]
        fresh = fresh_names(schema, *labels, *key_labels)
        self.by_label = dict(zip(labels, fresh[: len(labels)], strict=True))
        #: Copies of the group columns under helper names: narwhals cannot group by some
        #: names (e.g. the empty string), and the user's names stay out of the query.
        self.keys = fresh[len(labels) :]

    def __call__(self, i: int, stat: str) -> str:
        return self.by_label[f"{i}_{stat}"]

    def col(self, i: int, stat: str) -> nw.Expr:
        return nw.col(self(i, stat))


def sufficient_statistics(
    frame: Any,
    schema: Mapping[str, Any],
    items: Sequence[Indicator],
    parts: Sequence[RowParts],
    keys: Sequence[str],
    weights: str | None,
) -> Sums:
    """Sums for every indicator in ``items`` (with row pieces ``parts``) by ``keys``."""
    names = _Names(schema, len(items), keys)
    ids = [ind.id for ind in items]
    key_copies = [nw.col(k).alias(c) for k, c in zip(keys, names.keys, strict=True)]
    frame = frame.with_columns(*key_copies, *_membership(parts, names, weights))
    centres = _centres(frame, items, names, ids)
    frame = frame.with_columns(*_centred(items, parts, names, centres, weights))
    products, sum_names, max_names = _products(items, names, weights)
    aggs = [nw.col(n).sum() for n in sum_names]
    aggs += [nw.col(names(i, "w")).max().alias(names(i, "wmax")) for i in max_names]
    widened = frame.with_columns(*products)
    reduced = widened.group_by(names.keys).agg(*aggs) if keys else widened.select(*aggs)
    table = collect(reduced, ids)
    if keys:
        table = table.sort_values(names.keys, na_position="last", kind="stable", ignore_index=True)
    label_of = {v: k for k, v in names.by_label.items()}
    label_of |= {names(i, "w"): f"{i}_sw" for i in range(len(items))}
    stats = {
        label_of[c]: table[c].to_numpy(dtype=float, na_value=np.nan)
        for c in table.columns
        if c in label_of
    }
    stats |= {label: np.full(len(table), v, dtype=float) for label, v in centres.items()}
    groups = table[names.keys].set_axis(list(keys), axis=1)
    return Sums(groups=groups, stats=stats)


def _membership(parts: Sequence[RowParts], names: _Names, weights: str | None) -> list[nw.Expr]:
    """Stage 1: in-population and ok flags, missing and row counts, raw values."""
    exprs: list[nw.Expr] = []
    for i, part in enumerate(parts):
        exprs += [
            part.ok.alias(names(i, "ok")),
            nw.when(part.missing).then(1).otherwise(0).alias(names(i, "miss")),
            nw.when(part.ok).then(1).otherwise(0).alias(names(i, "n")),
            part.x.alias(names(i, "xr")),
        ]
        if part.y is not None:
            exprs.append(part.y.alias(names(i, "yr")))
        if weights is not None:
            exprs.append(part.in_population.alias(names(i, "inpop")))
    return exprs


def _centres(
    frame: Any, items: Sequence[Indicator], names: _Names, ids: Sequence[str]
) -> dict[str, float]:
    """Overall unweighted means of the values (``"<i>_cx"``, ``"<i>_cy"``), 0 if undefined."""
    centring: list[nw.Expr] = []
    labels: dict[str, str] = {}
    for i, ind in enumerate(items):
        for var, stat in (("xr", "cx"), ("yr", "cy")):
            if ind.kind in ("mean", "sum", "ratio") and (var == "xr" or ind.kind == "ratio"):
                total = nw.when(names.col(i, "ok")).then(names.col(i, var)).otherwise(0.0).sum()
                centring.append((total / names.col(i, "n").sum()).alias(names(i, stat)))
                labels[names(i, stat)] = f"{i}_{stat}"
    centres: dict[str, float] = {}
    if centring:
        row = collect(frame.select(*centring), ids)
        for name in row.columns:
            v = float(row[name].iloc[0]) if len(row) else 0.0
            centres[labels[name]] = v if math.isfinite(v) else 0.0
    return centres


def _centred(
    items: Sequence[Indicator],
    parts: Sequence[RowParts],
    names: _Names,
    centres: Mapping[str, float],
    weights: str | None,
) -> list[nw.Expr]:
    """Stage 2: weights of ok rows, centred values, negative-weight and -count flags."""
    w_all = nw.col(weights).cast(nw.Float64) if weights is not None else nw.lit(1.0)
    exprs: list[nw.Expr] = []
    for i, (ind, part) in enumerate(zip(items, parts, strict=True)):
        ok, xr, yr = names.col(i, "ok"), names.col(i, "xr"), names.col(i, "yr")
        exprs.append(nw.when(ok).then(w_all).otherwise(0.0).alias(names(i, "w")))
        cx = centres.get(f"{i}_cx", 0.0)
        exprs.append(nw.when(ok).then(xr - cx).otherwise(0.0).alias(names(i, "xc")))
        if part.y is not None:
            cy = centres.get(f"{i}_cy", 0.0)
            exprs.append(nw.when(ok).then(yr - cy).otherwise(0.0).alias(names(i, "yc")))
        if weights is not None:
            neg = nw.when(names.col(i, "inpop") & (w_all < 0)).then(1).otherwise(0)
            exprs.append(neg.alias(names(i, "wneg")))
        if ind.kind == "rate":
            bad = ok & ((xr < 0) | (yr < 0))
            exprs.append(nw.when(bad).then(1).otherwise(0).alias(names(i, "neg")))
    return exprs


def _products(
    items: Sequence[Indicator], names: _Names, weights: str | None
) -> tuple[list[nw.Expr], list[str], list[int]]:
    """Stage 3: the weighted products each kind needs, the columns to sum, and the
    indicators (rates) whose largest weight is needed."""
    exprs: list[nw.Expr] = []
    sum_names: list[str] = []
    max_of: list[int] = []
    for i, ind in enumerate(items):
        w, x, y = names.col(i, "w"), names.col(i, "xc"), names.col(i, "yc")
        add: dict[str, nw.Expr] = {"sw2": w * w, "swx": w * x}
        if ind.kind in ("mean", "sum", "ratio"):
            add["swxx"] = w * x * x
        if ind.kind == "rate":
            add["swy"] = w * y
            add["sw2x"] = w * w * x
        if ind.kind == "ratio":
            add["swy"] = w * y
            add["swyy"] = w * y * y
            add["swxy"] = w * x * y
        exprs += [expr.alias(names(i, stat)) for stat, expr in add.items()]
        sum_names += [names(i, stat) for stat in ("n", "miss", "w", *add)]
        if weights is not None:
            sum_names.append(names(i, "wneg"))
        if ind.kind == "rate":
            sum_names.append(names(i, "neg"))
            max_of.append(i)
    return exprs, sum_names, max_of
