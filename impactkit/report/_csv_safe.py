"""Spreadsheet-safe CSV cells (CSV / formula injection).

A spreadsheet reads a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula.  ``results.csv`` carries text the initiative file chose (its name, stage
names, group values), so every such text cell is prefixed with an apostrophe, as the OWASP
"CSV Injection" page recommends.  Numbers stay numbers: numeric columns are left alone, and
a text cell that is exactly a number (``-3``, ``-0.5e-3``) is not a formula either.
The OWASP page: https://owasp.org/www-community/attacks/CSV_Injection
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

__all__ = ["spreadsheet_safe", "escape_cell", "FORMULA_START"]

#: First characters that make a spreadsheet evaluate a cell (OWASP, CSV Injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def escape_cell(value: Any) -> Any:
    """``value`` with a leading apostrophe if a spreadsheet would read it as a formula.

    A carriage return inside a text becomes a line feed: CSV writers quote a cell holding
    ``\n`` but not one holding a lone ``\r``, which readers would take for a line end.
    """
    if not isinstance(value, str):
        return value
    escaped = value
    if value.startswith(FORMULA_START) and not _NUMBER.match(value):
        escaped = "'" + value
    if "\r" in escaped:
        escaped = escaped.replace("\r\n", "\n").replace("\r", "\n")
    return value if escaped == value else escaped


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells cannot be read as formulas (see the module)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(escape_cell)
    return out
