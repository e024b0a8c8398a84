"""Helpers shared by the runners of unit-level designs (DiD, pre/post)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeVar

import pandas as pd

from ...indicators import Indicator, evaluate
from ..outcome import OutcomeResult
from .base import ESTIMABLE_KINDS

if TYPE_CHECKING:
    from ...initiative import Initiative

__all__ = ["unit_outcome", "not_estimable", "needed_columns", "design_of"]

D = TypeVar("D")


def not_estimable(indicator: Indicator, design_type: str) -> OutcomeResult | None:
    """A skipped result for an indicator with no unit-level value (rates, ratios), else None."""
    if indicator.kind in ESTIMABLE_KINDS:
        return None
    return OutcomeResult(
        indicator,
        None,
        None,
        None,
        skipped=f"a {indicator.kind} indicator has no unit-level outcome for a {design_type} design",
    )


def unit_outcome(indicator: Indicator, data: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``data`` in the indicator's population, with its row-level value as ``_y``."""
    ev = evaluate(indicator, data)
    keep = ev["in_population"].to_numpy(dtype=bool) & ev["value"].notna().to_numpy()
    out = data.loc[keep].copy()
    out["_y"] = ev.loc[keep, "value"].astype(float).to_numpy()
    return out


def needed_columns(
    init: Initiative,
    design_columns: Sequence[str | None],
    covariates: Sequence[str] = (),
    after: Sequence[str] = (),
) -> list[str]:
    """The design's columns, the unit, the covariates, the subgroups, then ``after``."""
    needed = [c for c in (*design_columns, init.columns.unit) if c]
    return needed + list(covariates) + list(init.subgroups) + list(after)


def design_of(init: Initiative, kind: type[D]) -> D:
    """The initiative's design record, checked to be the runner's own type."""
    design = init.design
    if not isinstance(design, kind):
        raise TypeError(f"expected a {kind.__name__}, got {type(design).__name__}")
    return design
