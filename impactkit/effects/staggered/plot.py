"""Event-study chart for the Callaway & Sant'Anna aggregations."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .aggregate import StaggeredAggregate

__all__ = ["event_study_plot"]

_XLABEL = {
    "dynamic": "periods since treatment started (event time)",
    "group": "cohort (first treated period)",
    "calendar": "period",
}


def event_study_plot(
    agg: StaggeredAggregate, ax: Axes | None = None, *, title: str | None = None
) -> Axes:
    """Estimates with pointwise intervals by event time (pre-periods grey, effects dark),
    a zero line, and for event time a dashed line where treatment starts.  Returns the Axes.
    """
    import matplotlib.pyplot as plt

    if agg.kind == "simple":
        raise ValueError("the 'simple' aggregation has no table to plot; use 'dynamic'")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    table = agg.table
    x = table[agg.key].to_numpy(dtype=float)
    est = table["estimate"].to_numpy(dtype=float)
    err = np.vstack([est - table["ci_low"].to_numpy(), table["ci_high"].to_numpy() - est])
    post = x >= 0 if agg.kind == "dynamic" else np.ones(len(x), dtype=bool)
    for mask, colour, name in ((~post, "#9e9e9e", "before treatment"), (post, "#1f4e79", "after")):
        if mask.any():
            ax.errorbar(
                x[mask], est[mask], yerr=err[:, mask], fmt="o", color=colour, capsize=3, label=name
            )
    ax.axhline(0, color="black", linewidth=0.8)
    if agg.kind == "dynamic":
        ax.axvline(-0.5, color="black", linestyle="--", linewidth=0.8)
        ax.legend(frameon=False)
    ax.set_xlabel(_XLABEL[agg.kind])
    ax.set_ylabel(f"effect on {agg.effect.label} ({100 * agg.confidence:g} % CI)")
    ax.set_title(title or f"Staggered DiD: effect by {_XLABEL[agg.kind].split(' (')[0]}")
    return ax
