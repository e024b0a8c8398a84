"""evaluate(): the row-level outcome behind an indicator, for effect estimation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from ..errors import DataError, IndicatorDefinitionError, MissingColumnError
from .definitions import Indicator
from .frames import as_frame, collect, fresh_names
from .rows import row_parts

__all__ = ["evaluate"]


def evaluate(indicator: Indicator, data: Any, *, keep: Sequence[str] = ()) -> pd.DataFrame:
    """The row-level outcome behind an indicator, for effect estimation.

    Returns a pandas DataFrame with one row per input row (the same index for a pandas
    input), the ``keep`` columns first (their values copied unchanged — give an id column to
    match rows from an engine with no row order, such as DuckDB, Dask or Spark), then

    * ``in_population`` — the population condition is known to be True;
    * ``missing`` — the row would be counted in ``n_missing`` by :func:`compute`;
    * ``value`` — the unit-level outcome: 1.0/0.0 for a proportion's numerator condition,
      the ``value`` expression for mean/sum, ``events`` for a rate, the ``numerator``
      expression for a ratio; NaN when missing or outside the population;
    * ``exposure`` (rate) or ``denominator`` (ratio) — NaN likewise.

    A difference-in-differences on ``value`` then estimates the change in the indicator
    (for proportions and means; rates and ratios need both columns).

    Examples
    --------
    >>> import pandas as pd
    >>> reach = Indicator(id="reach", name="Reach", description="", unit="proportion",
    ...                   kind="proportion", population="eligible", numerator="reached")
    >>> df = pd.DataFrame({"eligible": [True, True, False], "reached": [True, None, True]})
    >>> evaluate(reach, df)
       in_population  missing  value
    0           True    False    1.0
    1           True     True    NaN
    2          False    False    NaN
    """
    if not isinstance(indicator, Indicator):
        raise IndicatorDefinitionError(
            f"evaluate() needs one Indicator, got {type(indicator).__name__}"
        )
    frame = as_frame(data, indicator.columns, "evaluate(data=)")
    schema = dict(frame.collect_schema())
    kept = _check_keep(keep, schema, indicator.kind)
    part = row_parts(indicator, schema, None)
    extra = {"rate": "exposure", "ratio": "denominator"}.get(indicator.kind)
    base = ["in_population", "missing", "value", *([extra] if extra else [])]
    names = fresh_names([*schema, *kept], *base)
    exprs = [
        part.in_population.alias(names[0]),
        part.missing.alias(names[1]),
        nw.when(part.ok).then(part.x).alias(names[2]),
    ]
    if extra:
        assert part.y is not None
        exprs.append(nw.when(part.ok).then(part.y).alias(names[3]))
    table = collect(frame.with_columns(*exprs).select(*kept, *names), [indicator.id])
    return pd.DataFrame(
        {
            **{k: table[k].array for k in kept},
            base[0]: table[names[0]].to_numpy(dtype=bool),
            base[1]: table[names[1]].to_numpy(dtype=bool),
            **{
                b: table[n].to_numpy(dtype=float, na_value=np.nan)
                for b, n in zip(base[2:], names[2:], strict=True)
            },
        },
        index=data.index if isinstance(data, pd.DataFrame) else None,
    )


def _check_keep(keep: Sequence[str], schema: dict[str, Any], kind: str) -> list[str]:
    """The ``keep`` columns as a list: columns of the data, each at most once, none named
    like an output column."""
    kept = [keep] if isinstance(keep, str) else list(keep)
    if len(set(kept)) != len(kept):
        raise DataError(f"evaluate(keep=) lists a column twice: {kept!r}")
    outputs = {"in_population", "missing", "value", "exposure", "denominator"}
    clash = [k for k in kept if k in outputs]
    if clash:
        raise DataError(
            f"evaluate(keep=) cannot keep {clash[0]!r}: the result has its own column of "
            f"that name ({kind}); rename the column first"
        )
    for col in kept:
        if col not in schema:
            raise MissingColumnError(col, list(schema), "evaluate(keep=)")
    return kept
