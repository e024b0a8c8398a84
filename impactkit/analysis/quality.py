"""The data-quality appendix: missing values, attrition between rounds, units per group,
PSUs per stratum of the survey design."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from ..initiative import Initiative
    from .designs import DesignRunner

__all__ = ["data_quality", "attrition", "units_per_group", "design_strata"]


def data_quality(init: Initiative, frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows and missing values per data set and column (one ``(all)`` row when none)."""
    rows: list[dict[str, Any]] = []
    for name in init.data_files:
        frame = frames[name]
        missing = frame.isna().sum()
        for column, n_missing in missing.items():
            if n_missing:
                rows.append(
                    {
                        "data set": name,
                        "column": str(column),
                        "rows": len(frame),
                        "missing": int(n_missing),
                        "share missing": n_missing / len(frame),
                    }
                )
        if not missing.any():
            rows.append(
                {
                    "data set": name,
                    "column": "(all)",
                    "rows": len(frame),
                    "missing": 0,
                    "share missing": 0.0,
                }
            )
    return pd.DataFrame(rows)


def attrition(init: Initiative, runner: DesignRunner, data: pd.DataFrame) -> pd.DataFrame | None:
    """Units seen in the first round and lost by the last, per group (panels only).

    ``None`` where the design has no rounds (interrupted time series) and for repeated
    cross-sections (independent samples: no unit is interviewed in both rounds), where
    attrition is not defined.
    """
    unit, period = init.columns.unit, init.columns.period
    if not unit or not period:
        return None
    rounds = runner.rounds(init, data)
    if rounds is None:
        return None
    first, last = rounds
    labels = data[period].astype(str)
    if not set(data.loc[labels == str(first), unit]) & set(data.loc[labels == str(last), unit]):
        return None  # a repeated cross-section
    group = runner.arm(init)
    grouped = data.groupby([group]) if group else [(("all",), data)]
    rows = []
    for key, part in grouped:
        part_rounds = part[period].astype(str)
        at_first = set(part.loc[part_rounds == str(first), unit])
        at_last = set(part.loc[part_rounds == str(last), unit])
        lost = len(at_first - at_last)
        rows.append(
            {
                "group": key[0],
                f"units at {first}": len(at_first),
                f"units at {last}": len(at_last),
                "lost to follow-up": lost,
                "attrition": lost / len(at_first) if at_first else np.nan,
            }
        )
    return pd.DataFrame(rows)


def units_per_group(init: Initiative, runner: DesignRunner, data: pd.DataFrame) -> pd.DataFrame:
    """Rows and distinct units in each group and round of the design's data (the groups are
    the runner's: DiD by arm and period, pre/post by round, ITS before / after)."""
    unit = init.columns.unit
    grouped = data.groupby(runner.unit_groups(init, data), sort=True, dropna=False)
    table = grouped.size().rename("rows").to_frame()
    if unit and unit in data:
        table["units"] = grouped[unit].nunique()
    cluster = runner.cluster(init)
    if init.columns.group and cluster and cluster in data:
        table["clusters"] = grouped[cluster].nunique()
    return table.reset_index()


def design_strata(init: Initiative, data: pd.DataFrame) -> pd.DataFrame | None:
    """PSUs and rows per stratum of the design data set's sampling design (``sampling:``);
    ``None`` without one.  A design without strata is one stratum, ``(all)``; without a PSU
    column every row is its own PSU."""
    design = init.sampling_of(init.design.data)
    if design is None:
        return None
    strata = data[design.strata] if design.strata else pd.Series("(all)", index=data.index)
    grouped = data.groupby(strata.rename("stratum"), sort=True, dropna=False)
    table = grouped.size().rename("rows").to_frame()
    table["PSUs"] = grouped[design.psu].nunique() if design.psu else table["rows"]
    return table[["PSUs", "rows"]].reset_index()
