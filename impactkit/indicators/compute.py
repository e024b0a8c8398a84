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
outcome), ``numerator``, ``denominator``, ``n_eff`` (effective sample size ``n / deff``;
``n`` without a design), ``se`` (standard error of ``value``), ``df`` (degrees of freedom:
PSUs − strata under a design, ``n − 1`` without), ``deff`` (Kish's design effect against
simple random sampling with replacement of the same size; 1 without a design), ``n_psu``
(PSUs with rows in the group; ``n`` without a design), ``name``, ``unit``, ``kind``,
``confidence`` and ``ci_method``.  The columns are the same with and without a design.

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
from ..survey import SurveyDesign
from .catalog import Catalog
from .definitions import Indicator
from .design_based import design_estimates, resolve_design_methods
from .estimates import Estimate, estimate, resolve_methods
from .frames import as_frame
from .rows import row_parts
from .statistics import sufficient_statistics

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
    "se",
    "df",
    "deff",
    "n_psu",
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
    design: SurveyDesign | None = None,
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
        Optional column of sampling weights (numbers >= 0, never missing): the same as
        ``design=SurveyDesign(weights=...)``, each row its own PSU (R ``svydesign(ids = ~1,
        weights = ~w)``).  Changed in 0.2: this replaces Kish's effective-sample-size
        approximation, and a missing weight is an error naming the rows.
    confidence
        Confidence level of the intervals, in (0, 1).
    method
        Interval method: ``None`` for the defaults, a name applied to every kind it fits
        (``"clopper-pearson"`` — alias ``"beta"`` — for proportions), or a mapping such as
        ``{"proportion": "clopper-pearson"}``.  With a design (or weights) the methods are
        ``"logit"`` (default), ``"korn-graubard"`` (alias ``"clopper-pearson"``) and
        ``"wilson"`` for proportions and ``"t"`` for every other kind — see
        :mod:`impactkit.indicators.design_based`.
    design
        A :class:`~impactkit.SurveyDesign` (weights, strata, PSUs, fpc): estimates and
        intervals are design-based and ``by=`` groups are domains (every PSU of the design
        counts in each group's variance, as R ``svyby``).  ``None`` without ``weights``:
        simple random sampling of rows, with the intervals below.

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
    design = _check_design(design, weights)
    _check_weights_name(weights)
    if design is None and weights is not None:
        design = SurveyDesign(weights=weights)  # R: svydesign(ids = ~1, weights = ~w)
    methods = resolve_methods(method) if design is None else resolve_design_methods(method)
    referenced = set(keys) | set(design.columns if design is not None else ())
    for ind in items:
        referenced |= ind.columns
    frame = as_frame(data, referenced, "compute(data=)")
    schema = dict(frame.collect_schema())
    _check_columns(schema, keys, design.weights if design is not None else None)
    groups, estimates = _estimates(items, frame, schema, keys, design, confidence, methods)
    return _assemble(items, groups, estimates, group_by, period, confidence)


def _estimates(
    items: Sequence[Indicator],
    frame: Any,
    schema: Mapping[str, Any],
    keys: Sequence[str],
    design: SurveyDesign | None,
    confidence: float,
    methods: Mapping[str, str],
) -> tuple[pd.DataFrame, list[Estimate]]:
    """Group labels and each indicator's estimates: simple random sampling of rows without
    a design, else design-based (:mod:`~impactkit.indicators.design_based`)."""
    parts = [row_parts(ind, schema, None) for ind in items]
    if design is not None:
        return design_estimates(frame, schema, items, parts, keys, design, confidence, methods)
    sums = sufficient_statistics(frame, schema, items, parts, keys, None)
    estimates = [
        estimate(ind, sums, i, confidence, methods[ind.kind]) for i, ind in enumerate(items)
    ]
    return sums.groups, estimates


def _assemble(
    items: Sequence[Indicator],
    groups: pd.DataFrame,
    estimates: Sequence[Estimate],
    by: Sequence[str],
    period: str | None,
    confidence: float,
) -> pd.DataFrame:
    """The output table: every indicator's rows, columns in the documented order."""
    names = output_names(by, period)
    tables = [
        _table(ind, groups, est, by, period, names, confidence)
        for ind, est in zip(items, estimates, strict=True)
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
    groups: pd.DataFrame,
    est: Estimate,
    by: Sequence[str],
    period: str | None,
    names: Mapping[str, str],
    confidence: float,
) -> pd.DataFrame:
    """One indicator's rows: the group labels, then its estimates."""
    out = pd.DataFrame({names["indicator"]: [ind.id] * len(groups)})
    for key in by:
        out[key] = groups[key].to_numpy()
    if period is not None:
        out[names["period"]] = groups[period].to_numpy()
    for col in ("value", "ci_low", "ci_high", "n", "n_missing", "numerator", "denominator"):
        out[names[col]] = getattr(est, col)
    for col in ("n_eff", "se", "df", "deff", "n_psu"):
        out[names[col]] = getattr(est, col)
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


def _check_design(design: object, weights: str | None) -> SurveyDesign | None:
    if design is None:
        return None
    if not isinstance(design, SurveyDesign):
        raise DataError(
            f"design must be an impactkit.SurveyDesign or None, got {type(design).__name__}"
        )
    if weights is not None and weights != design.weights:
        raise DataError(
            f"compute(weights={weights!r}) and design=SurveyDesign(weights={design.weights!r}) "
            "disagree; give the weights in the design only"
        )
    return design


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
