"""Checks of a design against the collected (domain, stratum, PSU) sums.

Each check turns a design the data do not support into a named error that says which column,
which rows and what was expected -- R ``survey`` stops on the same conditions (``svydesign``:
"Clusters not nested in strata", ``as.fpc``: "FPC implies >100% sampling", ``onestrat``:
"Stratum (413) has only one PSU at stage 1").
"""

from __future__ import annotations

import narwhals as nw
import numpy as np
import pandas as pd

from ..errors import DataError, EstimationError
from .sums import PSU, STRATUM, DesignSums, bad_weight_condition, offending_rows

__all__ = ["check_design", "check_estimand_values", "check_lonely", "fpc_factor", "label"]


def label(value: object) -> str:
    """A data label as the user wrote it (numpy scalars unwrapped): ``'a'``, ``413``."""
    item = getattr(value, "item", None)
    return repr(item() if callable(item) else value)


def check_design(sums: DesignSums) -> None:
    """Missing design labels, bad weights, PSUs shared across strata, a bad fpc."""
    design, cells, frame = sums.design, sums.cells, sums.frame
    schema = dict(frame.collect_schema())
    show = [c for c in dict.fromkeys([*sums.by, *design.columns])]
    for role, col in (("strata", design.strata), ("psu", design.psu)):
        key = STRATUM if role == "strata" else PSU
        if col is not None and cells[key].isna().any():
            rows = offending_rows(frame, nw.col(col).is_null(), show)
            raise DataError(
                f"survey design: the {role} column {col!r} is missing at {rows}; every sampled "
                "row needs its label"
            )
    if design.weights is not None and cells["wbad"].sum() > 0:
        rows = offending_rows(frame, bad_weight_condition(design, schema), show)
        raise DataError(
            f"survey design: the weights column {design.weights!r} is missing, not a number or "
            f"negative at {rows}; sampling weights must be numbers ≥ 0"
        )
    if design.psu is not None and design.strata is not None and not design.nest:
        _check_nested(sums)


def _check_nested(sums: DesignSums) -> None:
    design, cells = sums.design, sums.cells
    pairs = cells[[STRATUM, PSU]].drop_duplicates()
    counts = pairs.groupby(PSU, dropna=False)[STRATUM].nunique()
    shared = counts[counts > 1]
    if len(shared):
        first = shared.index[0]
        strata = pairs.loc[pairs[PSU] == first, STRATUM].drop_duplicates().tolist()
        more = f" ({len(shared)} PSU labels in all)" if len(shared) > 1 else ""
        raise DataError(
            f"survey design: PSU {label(first)} of column {design.psu!r} appears in strata "
            f"{', '.join(label(s) for s in strata)} of column {design.strata!r}{more}. If PSU "
            "labels restart within each stratum, pass nest=True; otherwise fix the labels"
        )


def fpc_factor(sums: DesignSums, n_psu: pd.Series) -> pd.Series:
    """Per stratum ``1 - n_h / N_h`` (1 without fpc); checks the fpc against the sample.

    ``n_psu`` is the number of sampled PSUs per stratum (index: stratum label).  The fpc is
    a population count of PSUs when every value is ≥ 1 and a sampling fraction when every
    value is ≤ 1, as R ``survey``'s ``as.fpc``.
    """
    design, cells = sums.design, sums.cells
    if design.fpc is None:
        return pd.Series(1.0, index=n_psu.index)
    if isinstance(design.fpc, str):
        _check_fpc_column(sums)
        grouped = cells.groupby(STRATUM, dropna=False)
        fpc = grouped["fpc_min"].min().reindex(n_psu.index)
        if (grouped["fpc_max"].max().reindex(n_psu.index) != fpc).any():
            bad = fpc.index[grouped["fpc_max"].max().reindex(n_psu.index) != fpc][0]
            raise DataError(
                f"survey design: the fpc column {design.fpc!r} varies within stratum {label(bad)}; "
                "it must be one population count (or sampling fraction) per stratum"
            )
    else:
        fpc = pd.Series(float(design.fpc), index=n_psu.index)
    if (fpc >= 1).all() and (fpc > 1).any():
        population = fpc
    elif (fpc <= 1).all():
        population = n_psu / fpc.where(fpc > 0, 0.0).replace(0.0, np.nan)
        population = population.fillna(np.inf)
    else:
        raise DataError(
            f"survey design: fpc {design.fpc!r} mixes population counts (≥ 1) and sampling "
            "fractions (< 1); use one or the other for every stratum"
        )
    _check_population(design.fpc, population, n_psu)
    return ((population - n_psu) / population).where(np.isfinite(population), 1.0)


def _check_fpc_column(sums: DesignSums) -> None:
    design, cells = sums.design, sums.cells
    assert isinstance(design.fpc, str)
    if cells["fpc_null"].sum() > 0:
        show = list(dict.fromkeys([*sums.by, *design.columns]))
        rows = offending_rows(sums.frame, nw.col(design.fpc).is_null(), show)
        raise DataError(f"survey design: the fpc column {design.fpc!r} is missing at {rows}")
    if (cells["fpc_min"] < 0).any():
        raise DataError(f"survey design: the fpc column {design.fpc!r} has negative values")


def _check_population(fpc: object, population: pd.Series, n_psu: pd.Series) -> None:
    small = population < n_psu - 1e-9
    if small.any():
        h = population.index[small][0]
        raise DataError(
            f"survey design: fpc {fpc!r} gives stratum {label(h)} a population of "
            f"{population[h]:g} PSUs but the sample has {int(n_psu[h])} PSUs there; the "
            "population count cannot be smaller than the sample"
        )


def check_lonely(sums: DesignSums, n_psu: pd.Series, factor: pd.Series) -> None:
    """Under ``lonely_psu="error"`` a stratum with one PSU (and not self-representing) fails."""
    lonely = n_psu[(n_psu == 1) & (factor > 1e-7)]
    if sums.design.lonely_psu == "error" and len(lonely):
        col = sums.design.strata
        labels = ", ".join(label(h) for h in lonely.index[:10])
        where = f"stratum {labels} of column {col!r}" if col else "the only stratum"
        plural = "have" if len(lonely) > 1 else "has"
        raise EstimationError(
            f"survey design: {where} {plural} only one PSU, so its variance cannot be "
            "estimated; choose SurveyDesign(lonely_psu='remove' | 'certainty' | 'adjust' | "
            "'average'), give its fpc if it was taken with certainty, or merge strata"
        )


def check_estimand_values(sums: DesignSums) -> None:
    """An included row with a missing value, or values that are not finite numbers."""
    cells = sums.cells
    for est in sums.estimands:
        if cells[f"{est.name}|nully"].sum() > 0:
            raise DataError(
                f"estimand {est.name!r}: {int(cells[f'{est.name}|nully'].sum())} rows are "
                "included but have a missing value; exclude them with include="
            )
        for stat in ("swy", "swx", "swyy", "swxx"):
            values = cells[f"{est.name}|{stat}"].to_numpy(dtype=float)
            if not np.isfinite(values).all():
                raise DataError(
                    f"estimand {est.name!r}: the values (or weights) include NaN or infinite "
                    "numbers in included rows"
                )
