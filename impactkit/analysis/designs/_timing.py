"""Staggered treatment timing in a ``did`` design: units first treated in different periods.

With staggered timing the two-way fixed-effects DiD averages comparisons that use
already-treated units as controls; when effects differ across waves or grow over time some
of those comparisons get negative weight and the estimate is biased, even of the wrong sign
(Goodman-Bacon 2021, *Journal of Econometrics* 225(2), 254-277; de Chaisemartin &
D'Haultfœuille 2020, *American Economic Review* 110(9)).  The staggered estimator of
Callaway & Sant'Anna (2021), ``design.type: staggered_did``, avoids those comparisons.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from ...initiative import DiDDesign
from ._rows import design_of

if TYPE_CHECKING:
    from ...initiative import Initiative

__all__ = ["staggered_timing", "first_treated_periods"]


def _order(periods: pd.Series) -> dict[Any, int]:
    values = list(pd.unique(periods.dropna()))
    try:
        values = sorted(values)
    except TypeError:
        pass  # keep the order of appearance
    return {v: i for i, v in enumerate(values)}


def first_treated_periods(
    data: pd.DataFrame, unit: str, period: str, treated: str, post: str
) -> pd.Series:
    """Each treated unit's first period with ``treated == post == 1`` (units never treated
    are left out)."""
    d = pd.to_numeric(data[treated], errors="coerce") * pd.to_numeric(data[post], errors="coerce")
    on = data.loc[d == 1, [unit, period]]
    if on.empty:
        return pd.Series(dtype=object)
    rank = on[period].map(_order(data[period]))
    first = rank.groupby(on[unit].to_numpy()).min()
    back = {i: v for v, i in _order(data[period]).items()}
    return first.map(back)


def staggered_timing(init: Initiative, data: pd.DataFrame) -> str | None:
    """The warning for a ``did`` design whose treated units start in different periods
    (needs ``columns.unit`` and ``columns.period``), else ``None``."""
    d = design_of(init, DiDDesign)
    unit, period = init.columns.unit, init.columns.period
    if unit is None or period is None or unit not in data or period not in data:
        return None
    first = first_treated_periods(data, unit, period, d.treated, d.post)
    starts = sorted(pd.unique(first), key=str)
    if len(starts) < 2:
        return None
    shown = ", ".join(str(s) for s in starts[:6]) + (", ..." if len(starts) > 6 else "")
    return (
        f"Treatment timing is staggered: units were first treated in {len(starts)} different "
        f"periods ({shown}). A two-way fixed-effects difference-in-differences is biased when "
        "effects differ between waves or grow over time, because it compares later-treated "
        "units with already-treated ones (Goodman-Bacon 2021). Use design.type: staggered_did "
        "(Callaway & Sant'Anna 2021) with each unit's first treated period as its cohort."
    )
