"""Charts of a synthetic control result: trajectory, gap with placebos, placebo ratios.

The charts follow Abadie, Diamond & Hainmueller (2010), Figures 2-5 (treated against
synthetic, the gap, the gaps of the in-space placebos) and the ranking of post/pre RMSPE
ratios (their Figure 8).  matplotlib is imported inside each function.  Each takes
``ax=`` and returns the Axes.

Validated against: the lines drawn are the columns of ``trajectory`` and
``placebo_gaps`` (checked in ``tests/synthetic/test_synth_result.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .estimator import SyntheticControlResult

__all__ = ["plot_trajectory", "plot_gap", "plot_placebo"]

TREATED_COLOUR = "#1f4e79"
SYNTHETIC_COLOUR = "#c55a11"
PLACEBO_COLOUR = "#b0b0b0"


def _axes(ax: Axes | None) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=(7, 4))
    return new


def _intervention_line(ax: Axes, result: SyntheticControlResult) -> None:
    times = result.trajectory["time"].tolist()
    t0 = result.n_pre
    try:
        x = (float(times[t0 - 1]) + float(times[t0])) / 2
    except (TypeError, ValueError):
        x = t0 - 0.5
    ax.axvline(x, color="#555555", linestyle="--", linewidth=1)


def _xs(result: SyntheticControlResult) -> list[float] | list[int]:
    times = result.trajectory["time"].tolist()
    try:
        return [float(t) for t in times]
    except (TypeError, ValueError):
        return list(range(len(times)))


def plot_trajectory(result: SyntheticControlResult, ax: Axes | None = None) -> Axes:
    """The treated unit and its synthetic comparison; the intervention as a dashed line."""
    ax = _axes(ax)
    tr = result.trajectory
    xs = _xs(result)
    who = " + ".join(str(t) for t in result.treated)
    ax.plot(xs, tr["treated"], color=TREATED_COLOUR, linewidth=2, label=who)
    ax.plot(xs, tr["synthetic"], color=SYNTHETIC_COLOUR, linewidth=2, linestyle="-.",
            label=f"synthetic {who}")  # fmt: skip
    _intervention_line(ax, result)
    ax.set_ylabel(result.outcome)
    ax.set_title(f"{who} and its synthetic comparison ({result.method})")
    ax.legend(frameon=False)
    return ax


def plot_gap(result: SyntheticControlResult, ax: Axes | None = None) -> Axes:
    """Treated minus synthetic over time, with each donor placebo's gap in grey."""
    ax = _axes(ax)
    xs = _xs(result)
    gaps = result.placebo_gaps
    for _unit, g in gaps[~gaps["treated"]].groupby("unit", sort=False):
        ax.plot(xs, g["gap"].to_numpy(), color=PLACEBO_COLOUR, linewidth=0.8, alpha=0.7)
    ax.plot(xs, result.trajectory["gap"], color=TREATED_COLOUR, linewidth=2,
            label=" + ".join(str(t) for t in result.treated))  # fmt: skip
    ax.axhline(0, color="#555555", linewidth=0.8)
    _intervention_line(ax, result)
    ax.set_ylabel(f"gap in {result.outcome}")
    ax.set_title("Gap between treated and synthetic (grey: donors as placebos)")
    ax.legend(frameon=False)
    return ax


def plot_placebo(result: SyntheticControlResult, ax: Axes | None = None) -> Axes:
    """Post/pre RMSPE ratios of the treated unit and every donor, largest first."""
    ax = _axes(ax)
    pl = result.placebo.iloc[::-1]
    colours = [TREATED_COLOUR if t else PLACEBO_COLOUR for t in pl["treated"]]
    ax.barh([str(u) for u in pl["unit"]], pl["ratio"], color=colours)
    ax.set_xlabel("post/pre-period RMSPE ratio")
    ax.set_title(f"In-space placebos (p = {result.placebo_p_value:.3f})")
    return ax
