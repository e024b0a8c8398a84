"""compute(): indicators with confidence intervals, overall or by group, as a tidy table.

The pipeline: check the arguments (``_check_*``), compile each indicator's row pieces
(:mod:`~impactkit.indicators.rows`), reduce every group to sufficient statistics on the
data's own engine (:mod:`~impactkit.indicators.statistics`), compute values and intervals
(:mod:`~impactkit.indicators.estimates`, where the formulas by kind and their sources are),
and assemble one row per indicator and group.

Output columns
--------------
``indicator``, the ``by`` columns, ``period`` (if given), ``value``, ``ci_low``,
``ci_high``, ``n`` (rows in the population with a non-missing outcome), ``n_missing`` (rows
whose population membership is missing, or that are in the population with a missing
outcome or weight), ``numerator``, ``denominator``, ``n_eff`` (Kish's effective sample
size; ``n`` without weights), ``name``, ``unit``, ``kind``, ``confidence`` and
``ci_method``.

Group columns always keep the user's names, so *any* column can be a ``by=`` column
(``period``, ``value``, ``n``, ...).  The table's own columns have their standard names
(``indicator``, ``period``, ``value``, ``ci_low``, ... — see :data:`STATISTIC_COLUMNS`)
unless a group column already has that name: then

* the ``period=`` column is reported under its own name instead of ``period``;
* any other standard column gets ``_`` appended until its name is free (``by="value"``
  gives the group column ``value`` and the estimate in ``value_``).

:func:`output_names` gives the mapping for a call.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from .._checks import check_confidence
from ..errors import DataError, IndicatorDefinitionError, MissingColumnError
from .catalog import Catalog
from .definitions import Indicator
from .estimates import estimate, resolve_methods
from .frames import as_frame
from .rows import row_parts
from .statistics import Sums, sufficient_statistics

__all__ = ["STATISTIC_COLUMNS", "compute", "output_names"]

#: The table's own columns after the group columns, in order (``indicator`` comes first).
STATISTIC_COLUMNS = (
    "indicator",
    "value",
    "ci_low",
    "ci_high",
    "n",
    "n_missing",
    "numerator",
    "denominator",
    "n_eff",
    "name",
    "unit",
    "kind",
    "confidence",
    "ci_method",
)


def compute(
    indicators: Indicator | Iterable[Indicator] | Catalog,
    data: Any,
    *,
    by: str | Sequence[str] | None = None,
    period: str | None = None,
    weights: str | None = None,
    confidence: float = 0.95,
    method: str | Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Compute indicators with confidence intervals, overall or by group.

    The aggregation runs on the data's own engine (pandas, or Polars eager or lazy, through
    narwhals); values and intervals are then computed with numpy/scipy — the formulas by
    kind, with their sources, are in :mod:`impactkit.indicators.estimates`.  The input is
    never modified.

    Parameters
    ----------
    indicators
        One :class:`Indicator`, a list of them, or a :class:`Catalog`.
    data
        A pandas DataFrame, or a Polars DataFrame or LazyFrame.
    by
        Column(s) to disaggregate by, any names; ``None`` gives one overall row per
        indicator.  To use an indicator's defaults: ``by=list(ind.disaggregate_by)``.
        Missing group labels form their own group.
    period
        Optional time column; reported in a column named ``period`` (under its own name if
        a ``by`` column is called ``period``).
    weights
        Optional column of non-negative sampling weights.  Estimates are weighted; intervals
        use Kish's effective sample size ``n_eff = (Σw)² / Σw²`` (Kish 1965, Survey
        Sampling) in place of ``n``.  Rows with a missing weight count as missing.
    confidence
        Confidence level of the intervals, in (0, 1).
    method
        Interval method: ``None`` for the defaults, a name applied to every kind it fits
        (``"clopper-pearson"`` — alias ``"beta"`` — for proportions), or a mapping such as
        ``{"proportion": "clopper-pearson"}``.

    Returns
    -------
    pandas.DataFrame
        One row per indicator and group, ordered by indicator then group labels: columns
        ``indicator``, the ``by`` columns, ``period`` (if given), then the estimates —
        described, with the renaming rule for clashing names, in the module docstring.

    Examples
    --------
    >>> import pandas as pd
    >>> reach = Indicator(id="reach", name="Reach", description="", unit="proportion",
    ...                   kind="proportion", population="eligible", numerator="reached")
    >>> df = pd.DataFrame({"eligible": [True, True, True, True, False],
    ...                    "reached": [True, False, True, None, True],
    ...                    "site": ["a", "a", "b", "b", "b"]})
    >>> out = compute(reach, df)
    >>> out[["indicator", "value", "n", "n_missing", "numerator", "denominator"]]
      indicator     value  n  n_missing  numerator  denominator
    0     reach  0.666667  3          1        2.0          3.0
    >>> [round(float(out.loc[0, c]), 4) for c in ("ci_low", "ci_high")]
    [0.2077, 0.9385]
    >>> compute(reach, df, by="site")[["site", "value", "n"]]
      site  value  n
    0    a    0.5  2
    1    b    1.0  1
    """
    items = _as_list(indicators)
    confidence = check_confidence(confidence)
    group_by = _check_by(by)
    _check_period(period, group_by)
    keys = group_by + ([period] if period is not None else [])
    methods = resolve_methods(method)
    _check_weights_name(weights)
    referenced = set(keys) | ({weights} if weights else set())
    for ind in items:
        referenced |= ind.columns
    frame = as_frame(data, referenced, "compute(data=)")
    schema = dict(frame.collect_schema())
    _check_columns(schema, keys, weights)
    parts = [row_parts(ind, schema, weights) for ind in items]
    sums = sufficient_statistics(frame, schema, items, parts, keys, weights)
    return _assemble(items, sums, group_by, period, confidence, methods, weights)


def _assemble(
    items: Sequence[Indicator],
    sums: Sums,
    by: Sequence[str],
    period: str | None,
    confidence: float,
    methods: Mapping[str, str],
    weights: str | None,
) -> pd.DataFrame:
    """The output table: every indicator's rows, columns in the documented order."""
    names = output_names(by, period)
    tables = [
        _table(ind, sums, i, by, period, names, confidence, methods[ind.kind], weights)
        for i, ind in enumerate(items)
    ]
    out = pd.concat(tables, ignore_index=True)
    ordered = [names["indicator"], *by]
    ordered += [names["period"]] if period is not None else []
    ordered += [names[c] for c in STATISTIC_COLUMNS[1:]]
    return out[ordered]


def output_names(by: Sequence[str], period: str | None) -> dict[str, str]:
    """Map each standard output column (``"period"`` if ``period`` is given, and every name
    in :data:`STATISTIC_COLUMNS`) to its name in :func:`compute`'s table for these ``by``
    columns.  The ``by`` columns themselves keep their names.

    >>> output_names(["district"], "month")["period"], output_names(["value"], None)["value"]
    ('period', 'value_')
    """
    taken = set(by)
    names: dict[str, str] = {}
    if period is not None:
        names["period"] = period if "period" in taken else "period"
        taken.add(names["period"])
    for col in STATISTIC_COLUMNS:
        name = col
        while name in taken:
            name += "_"
        names[col] = name
        taken.add(name)
    return names


def _table(
    ind: Indicator,
    sums: Sums,
    i: int,
    by: Sequence[str],
    period: str | None,
    names: Mapping[str, str],
    confidence: float,
    method: str,
    weights: str | None,
) -> pd.DataFrame:
    """One indicator's rows: the group labels, then its estimates."""
    est = estimate(ind, sums, i, confidence, method, weights is not None)
    out = pd.DataFrame({names["indicator"]: [ind.id] * len(sums)})
    for key in by:
        out[key] = sums.groups[key].to_numpy()
    if period is not None:
        out[names["period"]] = sums.groups[period].to_numpy()
    out[names["value"]] = est.value
    out[names["ci_low"]] = est.ci_low
    out[names["ci_high"]] = est.ci_high
    out[names["n"]] = est.n
    out[names["n_missing"]] = est.n_missing
    out[names["numerator"]] = est.numerator
    out[names["denominator"]] = est.denominator
    out[names["n_eff"]] = est.n_eff
    out[names["name"]] = ind.name
    out[names["unit"]] = ind.unit
    out[names["kind"]] = ind.kind
    out[names["confidence"]] = confidence
    out[names["ci_method"]] = est.ci_method
    return out


def _as_list(indicators: Indicator | Iterable[Indicator] | Catalog) -> list[Indicator]:
    if isinstance(indicators, Indicator):
        return [indicators]
    if isinstance(indicators, Catalog):
        return list(indicators.values())
    if isinstance(indicators, str | bytes) or not isinstance(indicators, Iterable):
        raise IndicatorDefinitionError(
            "expected an Indicator, a list of Indicators or a Catalog, got "
            f"{type(indicators).__name__}"
        )
    return list(Catalog(indicators).values())  # checks types and duplicate ids


def _check_by(by: str | Sequence[str] | None) -> list[str]:
    """The ``by`` columns as a list; any names are allowed, each at most once."""
    if by is None:
        return []
    keys = [by] if isinstance(by, str) else list(by)
    if not all(isinstance(k, str) for k in keys):
        raise DataError(f"by must be a column name or a list of column names, got {by!r}")
    if len(set(keys)) != len(keys):
        raise DataError(f"by lists a column twice: {keys!r}")
    return keys


def _check_period(period: str | None, by: Sequence[str]) -> None:
    if period is None:
        return
    if not isinstance(period, str):
        raise DataError(f"period must be one column name, got {period!r}")
    if period in by:
        raise DataError(f"column {period!r} is given both in by and as period")


def _check_weights_name(weights: str | None) -> None:
    if weights is not None and not isinstance(weights, str):
        raise DataError(f"weights must be one column name, got {weights!r}")


def _check_columns(schema: Mapping[str, Any], keys: Sequence[str], weights: str | None) -> None:
    for col in keys:
        if col not in schema:
            raise MissingColumnError(col, list(schema), "compute(by=/period=)")
    if weights is not None:
        if weights not in schema:
            raise MissingColumnError(weights, list(schema), "compute(weights=)")
        if not schema[weights].is_numeric():
            raise DataError(f"weights column {weights!r} must be numeric, got {schema[weights]}")
