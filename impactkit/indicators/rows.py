"""The row-level pieces of an indicator, compiled for one data schema.

Both :func:`~impactkit.indicators.compute.compute` (which sums them per group) and
:func:`~impactkit.indicators.evaluate.evaluate` (which returns them per row) start here, so
the two agree on who is in the population and which rows are missing.

A row whose population condition is missing, or that is in the population but has a
missing outcome (or weight), is *missing*: it is dropped from the indicator and counted in
``n_missing``, never turned into a 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import narwhals as nw

from .compiler import CompiledExpression
from .definitions import EXPRESSION_KEYS, Indicator

__all__ = ["RowParts", "row_parts"]


@dataclass(frozen=True)
class RowParts:
    """The per-row pieces of one indicator, compiled for one schema."""

    in_population: nw.Expr  # population known to be True (never null)
    ok: nw.Expr  # in population and outcome (and weight) not missing
    missing: nw.Expr  # counted in n_missing
    x: nw.Expr  # numerator condition (0/1), value, events or ratio numerator
    y: nw.Expr | None  # exposure or ratio denominator


def row_parts(ind: Indicator, schema: Mapping[str, Any], weights: str | None) -> RowParts:
    """Compile ``ind`` for ``schema``; ``weights`` (a column name) adds missing weights to
    the missing rows."""
    exprs = {k: e.compile(schema) for k, e in ind.expressions().items()}
    if "population" in exprs:
        pop = exprs["population"].as_condition(f"indicator {ind.id!r}, key 'population'")
        in_pop = ~pop.missing & pop.value
        pop_missing = pop.missing
    else:
        in_pop, pop_missing = nw.lit(True), nw.lit(False)
    parts = _outcome_parts(ind, exprs)
    out_missing = parts[0].missing
    for p in parts[1:]:
        out_missing = out_missing | p.missing
    if weights is not None:
        w = nw.col(weights)
        w_missing = w.is_null()
        if schema[weights].is_float():
            w_missing = w_missing | w.is_nan().fill_null(True)
        out_missing = out_missing | w_missing
    ok = in_pop & ~out_missing
    missing = pop_missing | (in_pop & out_missing)
    return RowParts(
        in_population=in_pop,
        ok=ok,
        missing=missing,
        x=parts[0].value,
        y=parts[1].value if len(parts) > 1 else None,
    )


def _outcome_parts(
    ind: Indicator, exprs: Mapping[str, CompiledExpression]
) -> list[CompiledExpression]:
    """The kind's expressions as numbers (a proportion's numerator as a 0/1 condition)."""
    if ind.kind == "proportion":
        x = exprs["numerator"].as_condition(f"indicator {ind.id!r}, key 'numerator'")
        return [x.as_number(f"indicator {ind.id!r}, key 'numerator'")]
    keys = EXPRESSION_KEYS[ind.kind]
    return [exprs[k].as_number(f"indicator {ind.id!r}, key {k!r}") for k in keys]
