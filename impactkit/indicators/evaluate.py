"""evaluate(): the row-level outcome behind an indicator, for effect estimation."""

from __future__ import annotations

from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from ..errors import IndicatorDefinitionError
from .definitions import Indicator
from .frames import as_frame, collect, fresh_names
from .rows import row_parts

__all__ = ["evaluate"]


def evaluate(indicator: Indicator, data: Any) -> pd.DataFrame:
    """The row-level outcome behind an indicator, for effect estimation.

    Returns a pandas DataFrame with one row per input row (the same index for a pandas
    input) and columns

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
    part = row_parts(indicator, schema, None)
    extra = {"rate": "exposure", "ratio": "denominator"}.get(indicator.kind)
    base = ["in_population", "missing", "value", *([extra] if extra else [])]
    names = fresh_names(schema, *base)
    exprs = [
        part.in_population.alias(names[0]),
        part.missing.alias(names[1]),
        nw.when(part.ok).then(part.x).alias(names[2]),
    ]
    if extra:
        assert part.y is not None
        exprs.append(nw.when(part.ok).then(part.y).alias(names[3]))
    table = collect(frame.with_columns(*exprs).select(*names), [indicator.id])
    return pd.DataFrame(
        {
            base[0]: table[names[0]].to_numpy(dtype=bool),
            base[1]: table[names[1]].to_numpy(dtype=bool),
            **{
                b: table[n].to_numpy(dtype=float, na_value=np.nan)
                for b, n in zip(base[2:], names[2:], strict=True)
            },
        },
        index=data.index if isinstance(data, pd.DataFrame) else None,
    )
