"""compute() under a survey design: every indicator kind through :mod:`impactkit.survey`.

Each indicator becomes one :class:`~impactkit.survey.Estimand` — ``y`` the numerator
condition (0/1), value, events or ratio numerator; ``x`` the exposure or ratio denominator
(1 for proportions and means); ``include`` the rows in the population with the outcome
observed; ``total=True`` for a ``sum`` — and all of them go through *one* engine-side
``group_by`` over (domain, stratum, PSU) (:func:`~impactkit.survey.design_sums`), so pandas,
Polars eager or lazy and DuckDB run the same query.  The ``by`` (and ``period``) columns are
*domains*: rows outside a group stay in the design with value 0 and every PSU counts
(Lumley 2010, *Complex Surveys*, §2.4; R ``svyby``).

Estimates and intervals (Lumley 2010 §2.3; Wolter 2007 §6.11):

* proportion — ``Σw·x / Σw``; logit interval (default, as Stata ``svy: proportion`` and R
  ``svyciprop(method = "logit")``), Korn–Graubard (``"korn-graubard"``, alias
  ``"clopper-pearson"`` / ``"beta"``) or Wilson on the effective sample size (``"wilson"``);
* mean, ratio, rate — the ratio estimator ``Σw·y / Σw·x`` (a rate times ``per``) with a
  t interval on the design degrees of freedom (PSUs − strata);
* sum — the total ``Σw·y`` with a t interval.

``deff`` is Kish's design effect against simple random sampling *with replacement* of the
same size (R ``deff = "replace"``), so a design with one row per PSU and equal weights has
``deff = 1``; ``n_eff = n / deff``.

Validated against: R ``survey`` 4.5 published numbers (api data) and the numpy textbook
implementation in tests/survey/survey_textbook.py, through ``compute`` on every engine
(tests/indicators/test_compute_design.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from ..errors import DataError
from ..survey import Estimand, SurveyDesign, design_sums, linearise
from ..survey.intervals import proportion_interval, t_interval
from .definitions import Indicator
from .estimates import Estimate
from .frames import fresh_names
from .rows import RowParts

__all__ = ["DESIGN_CI_METHODS", "design_estimates", "resolve_design_methods"]

#: Interval methods under a design, by kind; the first is the default.
DESIGN_CI_METHODS: dict[str, tuple[str, ...]] = {
    "proportion": ("logit", "korn-graubard", "wilson"),
    "mean": ("t",),
    "sum": ("t",),
    "rate": ("t",),
    "ratio": ("t",),
}
_ALIASES = {"beta": "korn-graubard", "clopper-pearson": "korn-graubard", "kg": "korn-graubard"}
_LABELS = {
    "logit": "logit, design-based (df = PSUs - strata)",
    "korn-graubard": "Korn-Graubard, design-based (df = PSUs - strata)",
    "wilson": "Wilson on the effective sample size, design-based",
    "t": "t, design-based (df = PSUs - strata)",
}


def resolve_design_methods(method: str | Mapping[str, str] | None) -> dict[str, str]:
    """The design-based interval method per kind (see :data:`DESIGN_CI_METHODS`)."""
    chosen = {kind: names[0] for kind, names in DESIGN_CI_METHODS.items()}
    if method is None:
        return chosen
    valid = "; ".join(f"{k}: {', '.join(v)}" for k, v in DESIGN_CI_METHODS.items())
    pairs: list[tuple[str | None, str]]
    if isinstance(method, str):
        pairs = [(None, method)]
    elif isinstance(method, Mapping):
        pairs = [(str(k), str(v)) for k, v in method.items()]
    else:
        raise DataError(f"method must be None, a name or a mapping kind -> name; valid: {valid}")
    for kind, raw in pairs:
        name = _ALIASES.get(raw.lower(), raw.lower())
        kinds = [k for k, v in DESIGN_CI_METHODS.items() if name in v and kind in (None, k)]
        if kind is not None and kind not in DESIGN_CI_METHODS:
            raise DataError(f"method: unknown kind {kind!r}; valid: {valid}")
        if not kinds:
            raise DataError(
                f"interval method {raw!r} is not available with a survey design; valid: {valid}"
            )
        for k in kinds:
            chosen[k] = name
    return chosen


def design_estimates(
    frame: Any,
    schema: Mapping[str, Any],
    items: Sequence[Indicator],
    parts: Sequence[RowParts],
    keys: Sequence[str],
    design: SurveyDesign,
    confidence: float,
    methods: Mapping[str, str],
) -> tuple[pd.DataFrame, list[Estimate]]:
    """The group labels (one row per domain, sorted, missing labels last) and each
    indicator's design-based estimates aligned with them."""
    copies = fresh_names(schema, *(f"dom{j}" for j in range(len(keys))))
    frame = frame.with_columns(*(nw.col(k).alias(c) for k, c in zip(keys, copies, strict=True)))
    estimands, counts = [], {}
    for i, (ind, part) in enumerate(zip(items, parts, strict=True)):
        estimands.append(_estimand(i, ind, part))
        counts[f"{i}_miss"] = part.missing
        if ind.kind == "rate":
            assert part.y is not None
            counts[f"{i}_neg"] = part.ok & ((part.x < 0) | (part.y < 0)).fill_null(False)
    sums = design_sums(frame, estimands, copies, design, counts=counts)
    for i, ind in enumerate(items):
        negative = sums.cells.get(f"count|{i}_neg")
        if negative is not None and negative.sum() > 0:
            raise DataError(
                f"indicator {ind.id!r}: {int(negative.sum())} rows have negative events or exposure"
            )
    result = linearise(sums, deff="srswr")
    groups = result.tables["0"][copies].set_axis(list(keys), axis=1).reset_index(drop=True)
    missing = _domain_counts(sums.cells, copies, len(groups))
    out = [
        _estimate(ind, result.tables[str(i)], missing[f"count|{i}_miss"], confidence, methods)
        for i, ind in enumerate(items)
    ]
    return groups, out


def _estimand(i: int, ind: Indicator, part: RowParts) -> Estimand:
    """``x`` of the row pieces is the kind's first expression, ``y`` its second (if any)."""
    if ind.kind in ("rate", "ratio"):
        return Estimand(name=str(i), y=part.x, x=part.y, include=part.ok)
    return Estimand(name=str(i), y=part.x, include=part.ok, total=ind.kind == "sum")


def _domain_counts(cells: pd.DataFrame, copies: Sequence[str], n: int) -> pd.DataFrame:
    """The ``count|...`` columns summed per domain, in :func:`linearise`'s domain order."""
    cols = [c for c in cells.columns if c.startswith("count|")]
    if not copies:
        return cells[cols].sum().to_frame().T.reset_index(drop=True)
    table = cells.groupby(list(copies), dropna=False, sort=True)[cols].sum()
    assert len(table) == n
    return table.reset_index(drop=True)


def _estimate(
    ind: Indicator,
    table: pd.DataFrame,
    missing: pd.Series,
    confidence: float,
    methods: Mapping[str, str],
) -> Estimate:
    """One indicator's columns from the survey table (a rate scaled by ``per``)."""
    method = methods[ind.kind]
    est, se, df, n = (table[c].to_numpy(dtype=float) for c in ("estimate", "se", "df", "n"))
    if method == "t":
        low, high = t_interval(est, se, df, confidence)
    else:
        low, high = proportion_interval(method, est, se, df, n, confidence)
    scale = ind.scale if ind.kind == "rate" else 1.0
    deff = table["deff"].to_numpy(dtype=float)
    ok = np.isfinite(est)
    numerator = table["numerator"].to_numpy(dtype=float)
    if ind.kind == "sum":
        denominator = table["sum_w"].to_numpy(dtype=float)
        numerator = np.where(n > 0, numerator, np.nan)
    else:
        denominator = table["denominator"].to_numpy(dtype=float)
    if ind.kind in ("mean", "ratio", "rate"):
        numerator = np.where(n > 0, numerator, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        n_eff = np.where(np.isfinite(deff) & (deff > 0), n / deff, np.nan)
    return Estimate(
        value=est * scale,
        ci_low=np.where(ok, low * scale, np.nan),
        ci_high=np.where(ok, high * scale, np.nan),
        n=n.astype(np.int64),
        n_missing=missing.to_numpy(dtype=float).astype(np.int64),
        numerator=numerator,
        denominator=denominator,
        n_eff=n_eff,
        ci_method=_LABELS[method],
        se=np.where(ok, se * scale, np.nan),
        df=df,
        deff=deff,
        n_psu=table["n_psu"].to_numpy(dtype=float).astype(np.int64),
    )
