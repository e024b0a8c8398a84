"""The message for text found where a number is needed, pointing at the data.

"A number is needed but the expression gives text" does not say where to look.
:func:`describe_text_in_numbers` names the file (and sheet), the column, the first rows
holding text -- as file lines for CSV (header = line 1), as sheet rows for workbooks -- and
the offending values with how often each occurs, and says what is the likely cause:

* values without any digit (``"."``, ``"-"``, ``"n/a"``, ``"DK"``, ``"Refused"``) look like
  missing-value codes -> suggest ``missing_values:``;
* numbers written with a decimal comma (``"3,5"``) in a file read with a decimal point ->
  suggest ``decimal: ","``; with a point in a file read with decimal commas -> say so.
"""

from __future__ import annotations

import re

import pandas as pd

from impactkit.readers.columns import DECIMAL_COMMA, is_text, parse_numbers
from impactkit.readers.source import Source

__all__ = ["describe_text_in_numbers", "text_cells"]

_POINT_NUMBER = re.compile(r"^\s*[+-]?(\d+\.\d*|\.\d+|\d{1,3}(\.\d{3})+(,\d+)?)\s*$")


def text_cells(values: pd.Series, decimal: str = ".") -> pd.Series:
    """The cells of ``values`` that are text and do not read as numbers."""
    texts = is_text(values)
    if not texts.any():
        return values.iloc[0:0]
    candidates = values[texts]
    return candidates[parse_numbers(candidates, decimal).isna()]


def describe_text_in_numbers(
    frame: pd.DataFrame, column: str, source: Source, *, limit: int = 6
) -> str:
    """Say where ``column`` of ``frame`` (read from ``source``) holds text, which values, and
    the likely fix.  Returns the message; wrap it in a ``DataError`` with your context."""
    bad = text_cells(frame[column], source.decimal)
    if bad.empty:
        return f"{source}: column {column!r} holds no text (its type is {frame[column].dtype})"
    counts = bad.value_counts(sort=True)
    shown = ", ".join(f"{v!r} ({n}x)" for v, n in counts.head(limit).items())
    more = f" and {len(counts) - limit} other values" if len(counts) > limit else ""
    message = (
        f"{source}: column {column!r} holds text where a number is needed: {shown}{more}, "
        f"in {source.rows(bad.index)}"
    )
    hints = _hints([str(v) for v in counts.index], column, source)
    return message + (". " + " ".join(hints) if hints else "")


def _hints(values: list[str], column: str, source: Source) -> list[str]:
    hints = []
    codes = [v for v in values if not any(ch.isdigit() for ch in v)]
    if codes:
        listed = ", ".join(_yaml_text(v) for v in codes[:8])
        hints.append(
            f"{_quoted(codes)} look{'s' if len(codes) == 1 else ''} like missing-value "
            f"code{'s' if len(codes) > 1 else ''}: declare them in the data entry with "
            f"missing_values: [{listed}] (every column) or "
            f"missing_values: {{{column}: [{listed}]}} (this column)"
        )
    commas = [v for v in values if "," in v and DECIMAL_COMMA.match(v)]
    if commas and source.decimal != ",":
        hints.append(
            f"{_quoted(commas)} look{'s' if len(commas) == 1 else ''} like "
            'numbers with a decimal comma: set decimal: "," in the data entry'
        )
    points = [v for v in values if _POINT_NUMBER.match(v)]
    if points and source.decimal == ",":
        hints.append(
            f"the file is read with decimal commas, so {_quoted(points)} "
            f"{'is' if len(points) == 1 else 'are'} not read as numbers (a point may be a "
            'thousands separator there); fix those cells, or set decimal: "." if the file '
            "uses decimal points"
        )
    return hints


def _quoted(values: list[str], limit: int = 4) -> str:
    text = ", ".join(repr(v) for v in values[:limit])
    return text + (" ..." if len(values) > limit else "")


def _yaml_text(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
