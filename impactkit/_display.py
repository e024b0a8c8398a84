"""Number formatting and HTML rendering shared by result objects.

One place decides how impactkit prints an estimate, a percentage or an interval, so that
the notebook, the ``summary()`` sentences and the PDF report agree digit for digit.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable

import pandas as pd

__all__ = ["fmt", "fmt_pct", "fmt_ci", "fmt_p", "html_block"]


def fmt(x: float | None, digits: int = 3) -> str:
    """Format ``x`` with ``digits`` significant digits (thousands separated, no exponent
    for ordinary magnitudes).  ``None`` and NaN print as ``"n/a"``."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    x = float(x)
    if x == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(x)))
    if magnitude >= 15 or magnitude < -5:
        return f"{x:.{digits - 1}e}"
    decimals = max(digits - 1 - magnitude, 0)
    return f"{x:,.{decimals}f}"


def fmt_pct(p: float | None, decimals: int = 1) -> str:
    """Format a proportion as a percentage: ``0.1234 -> "12.3 %"``."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "n/a"
    return f"{100 * float(p):.{decimals}f} %"


def fmt_ci(
    low: float | None,
    high: float | None,
    *,
    confidence: float = 0.95,
    pct: bool = False,
    digits: int = 3,
) -> str:
    """Format an interval: ``"95 % CI 1.23 to 4.56"`` (or percentages with ``pct``)."""
    f = (lambda v: fmt_pct(v)) if pct else (lambda v: fmt(v, digits))
    level = f"{100 * confidence:g} % CI"
    return f"{level} {f(low)} to {f(high)}"


def fmt_p(p: float | None) -> str:
    """Format a p-value the way journals do: ``p = 0.032``, ``p < 0.001``."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "p = n/a"
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.3f}"


def html_block(
    title: str, frame: pd.DataFrame, notes: Iterable[str] = (), summary: str = ""
) -> str:
    """Render a result as a small HTML block: a title, a sentence, a table and notes."""
    parts = [f"<div class='impactkit-result'><strong>{html.escape(title)}</strong>"]
    if summary:
        parts.append(f"<p>{html.escape(summary)}</p>")
    parts.append(frame.to_html(index=False, float_format=lambda v: fmt(v, 4), na_rep="—"))
    notes = list(notes)
    if notes:
        parts.append("<ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in notes) + "</ul>")
    parts.append("</div>")
    return "".join(parts)
