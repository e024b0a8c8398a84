"""Text on the charts: literal user labels, wrapped category labels, typographic minus signs
and the percent / value / interval formats of ticks and value labels."""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.axis import Axis
from matplotlib.ticker import FuncFormatter

from .._display import fmt, fmt_pct

_LABEL_WIDTH = 28  # characters before a category label wraps


def _plain(text: str) -> str:
    """User text drawn literally: ``$`` is escaped so that matplotlib never reads a label such
    as ``"Paid $5 or $10"`` as mathtext (an even number of ``$`` would switch it on)."""
    return text.replace("$", r"\$")


def _wrap(text: str, width: int = _LABEL_WIDTH) -> str:
    """``text`` wrapped at ``width`` characters (words are never broken), drawn literally."""
    return _plain(textwrap.fill(text, width=width, break_long_words=False) or text)


def _minus(text: str) -> str:
    """Typographic minus signs, as on matplotlib's own tick labels."""
    return text.replace("-", "\u2212")


def _percent_tick(value: float, _pos: int | None = None) -> str:
    """``0.05 -> "5 %"``, ``0.025 -> "2.5 %"``: no trailing zeros on percent ticks."""
    return _minus(f"{round(100 * value, 6):g} %")


def _percent_axis(axis: Axis) -> None:
    """Percent tick labels on ``axis`` (values are proportions)."""
    axis.set_major_formatter(FuncFormatter(_percent_tick))


def _value_text(value: float, pct: bool) -> str:
    """A value label: a percentage (one decimal below 10 %) when ``pct``, else 3 digits."""
    text = fmt_pct(value, 0 if abs(value) >= 0.1 else 1) if pct else fmt(value)
    return _minus(text)


def _interval_text(est: float, low: float, high: float, pct: bool) -> str:
    """``"estimate (low to high)"``, or the estimate alone when a bound is missing."""
    if np.isnan(low) or np.isnan(high):
        return _value_text(est, pct)
    return f"{_value_text(est, pct)} ({_value_text(low, pct)} to {_value_text(high, pct)})"
