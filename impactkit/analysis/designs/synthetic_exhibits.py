"""What the synthetic-control design adds to the report, for one headline outcome.

The treated place against its synthetic comparison, the pre-period fit (a warning when it is
poor or the treated place lies outside the donors' range), the gap with every donor's placebo
gap, the largest donor weights, and the in-space placebo test (Abadie, Diamond & Hainmueller
2010, Section 4 and Figures 2-8; Arkhangelsky et al. 2021 for the time weights).

Validated against: every number shown is a field of the
:class:`~impactkit.effects.SyntheticControlResult` (``tests/synthetic/test_synth_design.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd

from ..._display import fmt, fmt_p
from ..words import is_share, level_format
from .base import Chart, Exhibit, Note, Table

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ...effects import SyntheticControlResult
    from ...indicators import Indicator
    from ...initiative import SyntheticControlDesign

__all__ = ["METHOD_WORDS", "exhibits_for", "TOP_DONORS"]

METHOD_WORDS = {
    "sdid": "Synthetic difference-in-differences (Arkhangelsky et al. 2021)",
    "sc": "Synthetic control (Abadie, Diamond & Hainmueller 2010)",
    "did": "Difference-in-differences against the average of the comparison units",
}
#: How many donors the weights table lists.
TOP_DONORS = 8
#: Notes of the estimator that the report shows as warnings.
WARNING_MARKS = ("Poor pre-period fit", "no convex combination")


def _gap_format(indicator: Indicator) -> Callable[[float], str]:
    """A difference in the indicator's units: percentage points for shares."""
    if is_share(indicator):
        return lambda v: f"{100 * v:+.1f} pp"
    return lambda v: ("+" if v > 0 else "") + fmt(v)


def _untitled(
    plot: Callable[..., Axes], ylabel: str, pct: str = ""
) -> Callable[[Axes], Axes]:  # the caption says what the chart shows
    """``plot`` without its title; ``pct``: ``"level"`` (shares as percentages), ``"gap"``
    (differences of shares in percentage points) or ``""``."""

    def draw(ax: Axes) -> Axes:
        plot(ax=ax)
        ax.set_title("")
        ax.set_ylabel(ylabel)
        if pct:
            from matplotlib.ticker import FuncFormatter

            unit = " %" if pct == "level" else " pp"
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{100 * v:.4g}{unit}"))
        if not ylabel:  # the placebo ranking: one label per unit
            ax.tick_params(axis="y", labelsize=7)
        return ax

    return draw


def _fit(indicator: Indicator, res: SyntheticControlResult) -> list[Exhibit]:
    """The pre-period fit in words, and the estimator's warnings about it."""
    pre = res.trajectory.loc[~res.trajectory["post"], "treated"]
    level, sd = float(pre.abs().mean()), float(pre.std(ddof=1))
    show = _gap_format(indicator)
    scale = f"{res.pre_fit / level:.1%} of the treated unit's mean level" if level > 0 else ""
    spread = f"{res.pre_fit / sd:.0%} of its year-to-year standard deviation" if sd > 0 else ""
    where = " and ".join(p for p in (scale, spread) if p)
    out: list[Exhibit] = [
        f"Pre-period fit for {indicator.name}: the synthetic comparison misses the treated "
        f"unit by {show(res.pre_fit).lstrip('+')} on average before the intervention "
        f"(root mean squared gap{', ' + where if where else ''})."
    ]
    for note in res.notes:
        if any(mark in note for mark in WARNING_MARKS):
            out.append(Note(f"{indicator.name}: {note}"))
    return out


def _donor_table(res: SyntheticControlResult, unit: str) -> Table:
    top = res.top_donors(TOP_DONORS)
    n_used = int((res.unit_weights > 0).sum())
    frame = pd.DataFrame({unit: [str(u) for u in top.index], "weight": [f"{w:.3f}" for w in top]})
    rest = float(res.unit_weights.iloc[len(top) :].sum())
    if rest > 0:
        others = n_used - len(top)
        frame.loc[len(frame)] = [f"{others} other(s)", f"{rest:.3f}"]
    caption = (
        f"Largest donor weights: the synthetic comparison is {n_used} of the "
        f"{res.n_donors} comparison units, weighted as below (weights sum to 1)."
    )
    return Table(frame, caption, numbers=("weight",))


def _time_weights(res: SyntheticControlResult) -> list[Exhibit]:
    if res.method != "sdid":
        return []
    lam = res.time_weights[res.time_weights > 0].sort_values(ascending=False).head(4)
    shown = ", ".join(f"{t} ({w:.2f})" for t, w in lam.items())
    return [
        "Synthetic difference-in-differences compares the post-period with a weighted mix "
        f"of pre-periods that resembles it most: {shown}."
    ]


def _placebo(
    indicator: Indicator, res: SyntheticControlResult, d: SyntheticControlDesign
) -> list[Exhibit]:
    n = len(res.placebo)
    rank = int(res.placebo.loc[res.placebo["treated"], "rank"].iloc[0])
    chart = Chart(
        _untitled(res.plot_placebo, ""),
        f"{indicator.name}, in-space placebos: each of the {n - 1} comparison units treated "
        "in turn as if it "
        "had had the programme; bars are the ratio of post- to pre-period root mean squared "
        f"gap, {d.treated} in dark blue.",
        (6.3, 1.0 + 0.13 * n),
    )
    words = (
        f"Placebo test: {d.treated}'s post/pre ratio ranks {rank} of {n} "
        f"({fmt_p(res.placebo_p_value)}; with {n} units the smallest possible p is "
        f"{1 / n:.3f}). The interval uses the placebo standard error of Arkhangelsky et al. "
        f"(2021, Algorithm 4), {res.replications} replications, seed {d.seed}."
    )
    return [chart, words]


def exhibits_for(
    indicator: Indicator, res: SyntheticControlResult, d: SyntheticControlDesign
) -> list[Exhibit]:
    """Charts, tables and sentences of one outcome's synthetic-control result."""
    show_level = level_format(indicator)
    post = res.trajectory[res.trajectory["post"]]
    gap = _gap_format(indicator)
    ylabel = indicator.unit
    out: list[Exhibit] = [
        Chart(
            _untitled(res.plot, ylabel, "level" if is_share(indicator) else ""),
            f"{indicator.name}: {d.treated} (solid) and its synthetic comparison (dash-dot); "
            f"the dashed line marks the intervention ({d.intervention}). After it, "
            f"{d.treated} averages {show_level(post['treated'].mean())} against "
            f"{show_level(post['synthetic'].mean())} for the synthetic comparison: an effect "
            f"of {gap(res.estimate)}.",
        ),
        *_fit(indicator, res),
        Chart(
            _untitled(res.plot_gap, f"gap ({ylabel})", "gap" if is_share(indicator) else ""),
            f"{indicator.name}: gap between {d.treated} and its synthetic comparison (blue) "
            "and the gap of each comparison unit treated as a placebo (grey).",
        ),
        _donor_table(res, d.unit),
        *_time_weights(res),
        *_placebo(indicator, res, d),
    ]
    return out
