"""All three steps at once: engine sums, local linearisation, intervals.

Validated against: R ``survey`` 4.5 published numbers and the textbook numpy implementation
(tests/survey/test_survey_reference.py, test_survey_textbook.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import narwhals as nw

from ..errors import DataError
from .design import SurveyDesign
from .intervals import proportion_interval, t_interval
from .sums import Estimand, design_sums
from .variance import DeffBasis, SurveyEstimates, linearise

__all__ = ["estimate", "as_narwhals"]


def as_narwhals(data: Any) -> nw.DataFrame[Any] | nw.LazyFrame[Any]:
    """A narwhals frame over pandas, Polars, DuckDB, ... data (narwhals frames pass through)."""
    if isinstance(data, nw.DataFrame | nw.LazyFrame):
        return data
    try:
        return nw.from_native(data)
    except TypeError:
        raise DataError(
            "survey estimation needs a data frame narwhals can read (pandas, Polars, DuckDB, "
            f"...); got {type(data).__name__}"
        ) from None


def estimate(
    data: Any,
    estimands: Sequence[Estimand],
    design: SurveyDesign,
    by: str | Sequence[str] = (),
    *,
    confidence: float = 0.95,
    deff: DeffBasis = "srswor",
    proportions: Mapping[str, str] | None = None,
) -> SurveyEstimates:
    """Design-based estimates with ``ci_low``/``ci_high`` added to every table.

    ``proportions`` maps an estimand name to ``"logit"``, ``"korn-graubard"`` or ``"wilson"``;
    every other estimand gets the t interval on the design df.
    """
    if not isinstance(design, SurveyDesign):
        raise DataError(f"design must be a SurveyDesign, got {type(design).__name__}")
    keys = [by] if isinstance(by, str) else list(by)
    sums = design_sums(as_narwhals(data), estimands, keys, design)
    result = linearise(sums, deff=deff)
    methods = dict(proportions or {})
    unknown = sorted(set(methods) - set(result.tables))
    if unknown:
        raise DataError(f"proportions= names unknown estimands {unknown}")
    tables = {}
    for name, table in result.tables.items():
        table = table.copy()
        if name in methods:
            low, high = proportion_interval(
                methods[name], table["estimate"], table["se"], table["df"], table["n"], confidence
            )
        else:
            low, high = t_interval(table["estimate"], table["se"], table["df"], confidence)
        table["ci_low"], table["ci_high"] = low, high
        tables[name] = table
    return replace(result, tables=tables)
