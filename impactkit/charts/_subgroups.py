"""Subgroup (equity) comparison with an optional overall reference line or band."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from .._checks import check_finite
from ._inputs import _interval_rows, _table
from ._layout import _category_axes, _finish_interval_rows, _xerr
from ._style import _INK, _LIGHT_GREY, OKABE_ITO, style
from ._text import _value_text

__all__ = ["subgroups"]


def subgroups(
    frame: Any,
    *,
    group: str = "group",
    estimate: str = "estimate",
    ci_low: str = "ci_low",
    ci_high: str = "ci_high",
    overall: Any = None,
    ax: Axes | None = None,
    title: str | None = None,
    xlabel: str | None = None,
    pct: bool = False,
    value_labels: bool = True,
) -> Axes:
    """Subgroup (equity) comparison: one dot and whisker per group.

    Parameters
    ----------
    frame
        One row per subgroup with ``group``, ``estimate``, ``ci_low``, ``ci_high``.
    overall
        Optional reference: a number (dashed vertical line), or a result with ``estimate``
        (and, if present, ``ci_low``/``ci_high``, drawn as a shaded band) such as an
        :class:`impactkit.effects.Effect`.
    pct
        Estimates are proportions: percent axis and labels.

    Groups whose interval lies wholly above or below the overall value get a filled marker,
    the others an open one, so the groups that differ stand out in greyscale.
    """
    context = "charts.subgroups"
    table = _table(frame, [group, estimate, ci_low, ci_high], context)
    labels, est, low, high = _interval_rows(table, group, estimate, ci_low, ci_high, context)
    ref, ref_low, ref_high = _overall(overall, context)

    with style():
        ax, y = _category_axes(ax, labels)
        handles: list[Any] = []
        color = OKABE_ITO["blue"]
        if ref is not None:
            if ref_low is not None and ref_high is not None:
                ax.axvspan(ref_low, ref_high, color=_LIGHT_GREY, alpha=0.6, linewidth=0, zorder=0)
            ax.axvline(ref, color=_INK, linestyle="--", linewidth=1.0, zorder=1, gid="overall")
            handles.append(
                Line2D(
                    [], [], color=_INK, linestyle="--", label=f"Overall: {_value_text(ref, pct)}"
                )
            )
            differs = (low > ref) | (high < ref)
        else:
            differs = np.ones(len(labels), dtype=bool)
        ax.errorbar(est, y, xerr=_xerr(est, low, high), fmt="none", ecolor=color,
                    elinewidth=1.4, capsize=3, zorder=2)  # fmt: skip
        ax.plot(est[differs], y[differs], linestyle="none", marker="o", markersize=7,
                color=color, zorder=3, gid="subgroup-estimates")  # fmt: skip
        ax.plot(
            est[~differs], y[~differs], linestyle="none", marker="o", markersize=7,
            markerfacecolor="white", markeredgecolor=color, markeredgewidth=1.6, zorder=3,
            gid="subgroup-estimates-overlap",
        )  # fmt: skip
        if ref is not None and differs.any():
            handles.append(Line2D([], [], linestyle="none", marker="o", color=color,
                                  label="Interval excludes overall"))  # fmt: skip
        if ref is not None and not differs.all():
            handles.append(Line2D([], [], linestyle="none", marker="o", markerfacecolor="white",
                                  markeredgecolor=color, markeredgewidth=1.6,
                                  label="Includes overall"))  # fmt: skip
        _finish_interval_rows(
            ax, y, est, low, high, pct=pct, xlabel=xlabel, value_labels=value_labels,
            title=title, handles=handles,
        )  # fmt: skip
    return ax


def _overall(overall: Any, context: str) -> tuple[float | None, float | None, float | None]:
    """Reference value and optional interval from a number or an Effect-like object."""
    if overall is None:
        return None, None, None
    if hasattr(overall, "estimate"):
        low, high = getattr(overall, "ci_low", None), getattr(overall, "ci_high", None)
        return (
            check_finite(overall.estimate, f"{context}: overall.estimate"),
            None if low is None else check_finite(low, f"{context}: overall.ci_low"),
            None if high is None else check_finite(high, f"{context}: overall.ci_high"),
        )
    return check_finite(overall, f"{context}: overall"), None, None
