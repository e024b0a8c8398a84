"""Typing columns from cell values: numbers (with either decimal mark), booleans, ISO dates,
text.

CSV cells are all text, spreadsheet cells are a mix of numbers, text, booleans and dates.
:func:`infer_column` turns either into the column pandas would give for the same data written
as a comma-separated file (``pd.read_csv`` with its default missing-value markers): integers
stay ``int64`` unless a value is missing (then ``float64``), ``True``/``False`` become
booleans, columns whose every value is an ISO date (``YYYY-MM-DD``) become datetimes, anything
else is text.  A workbook has no integer type (every number is a double), so a column of whole
numbers there reads as ``int64`` -- as Excel's own CSV export writes them (``3``, not ``3.0``).
So a workbook and the same data saved as CSV give identical frames (tested in
``tests/readers``, against ``pd.read_csv`` itself for CSV).

With ``decimal=","`` a text number must be written with a decimal comma (``3,5``, ``-0,25``,
``12``); text containing a point is then *not* read as a number, because ``1.250`` in a
comma-decimal file may be a thousands separator -- such a column stays text and a numeric use
of it is reported (see :mod:`impactkit.readers.text_in_numbers`) instead of guessed.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

__all__ = [
    "NA_TOKENS", "ISO_DATE", "infer_column", "parse_numbers", "is_text", "DECIMAL_COMMA"
]  # fmt: skip

# pandas' default missing-value markers of read_csv (pandas._libs.parsers.STR_NA_VALUES);
# an empty cell is missing too.  Kept literally so that CSV reading matches today's pandas.
NA_TOKENS = frozenset(
    {"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
     "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"}
)  # fmt: skip

#: The shape of an ISO date cell (whether it is a calendar date is checked apart).
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
_BOOL_TEXT = {"True": True, "TRUE": True, "true": True, "False": False, "FALSE": False,
              "false": False}  # fmt: skip
DECIMAL_COMMA = re.compile(r"^\s*[+-]?(\d+(,\d*)?|,\d+)([eE][+-]?\d+)?\s*$")


def is_text(values: pd.Series) -> pd.Series:
    """A boolean mask: which cells hold Python/pandas text."""
    if _is_string_dtype(values):
        return values.notna()
    return values.map(lambda v: isinstance(v, str)).astype(bool)


def parse_numbers(texts: pd.Series, decimal: str = ".") -> pd.Series:
    """Parse text cells as numbers; cells that are not numbers become NaN.

    With ``decimal=","`` only comma-decimal text (``3,5``) counts as a number."""
    texts = texts.astype(object)
    if decimal == ",":
        ok = texts.map(lambda t: isinstance(t, str) and bool(DECIMAL_COMMA.match(t)))
        texts = texts.where(ok.astype(bool)).map(
            lambda t: t.replace(",", ".") if isinstance(t, str) else t
        )
    return pd.to_numeric(texts, errors="coerce")


def infer_column(values: pd.Series, decimal: str = ".") -> pd.Series:
    """The typed column for ``values`` (text or mixed cells); see the module docstring."""
    cleaned = _blank_na_tokens(values)
    present = cleaned.dropna()
    if present.empty:
        return pd.Series(np.nan, index=values.index, dtype="float64", name=values.name)
    for convert in (_as_bool, _as_number, _as_datetime):
        result = convert(cleaned, present, decimal)
        if result is not None:
            return result
    return _as_text(cleaned)


def _is_string_dtype(values: pd.Series) -> bool:
    return isinstance(values.dtype, pd.StringDtype)


def _blank_na_tokens(values: pd.Series) -> pd.Series:
    out = values.astype(object)
    texts = is_text(out)
    token = texts & out.map(lambda v: isinstance(v, str) and v in NA_TOKENS).astype(bool)
    return out.where(~token)


def _as_bool(cleaned: pd.Series, present: pd.Series, decimal: str) -> pd.Series | None:
    def as_bool(v: object) -> bool | None:
        if isinstance(v, bool | np.bool_):
            return bool(v)
        return _BOOL_TEXT.get(v) if isinstance(v, str) else None

    flags = present.map(as_bool)
    if flags.isna().any():
        return None
    out = cleaned.astype(object)
    out[present.index] = flags
    return out.astype(bool) if len(present) == len(cleaned) else out


def _as_number(cleaned: pd.Series, present: pd.Series, decimal: str) -> pd.Series | None:
    kinds = present.map(_number_kind)
    if (kinds == "other").any():
        return None
    values = present.copy()
    texts = kinds == "text"
    if texts.any():
        parsed = parse_numbers(present[texts], decimal)
        if parsed.isna().any():
            return None
        values[texts] = parsed
    numbers = pd.to_numeric(values)
    if len(present) == len(cleaned):
        return pd.Series(numbers.to_numpy(), index=cleaned.index, name=cleaned.name)
    out = pd.Series(np.nan, index=cleaned.index, dtype="float64", name=cleaned.name)
    out[present.index] = numbers.astype("float64")
    return out


def _number_kind(v: object) -> str:
    if isinstance(v, bool | np.bool_):
        return "other"
    if isinstance(v, int | float | np.integer | np.floating):
        return "number"
    return "text" if isinstance(v, str) else "other"


def _as_datetime(cleaned: pd.Series, present: pd.Series, decimal: str) -> pd.Series | None:
    if present.map(lambda v: isinstance(v, dt.datetime | dt.date | pd.Timestamp)).all():
        return pd.Series(pd.to_datetime(cleaned), index=cleaned.index, name=cleaned.name)
    if present.map(lambda v: isinstance(v, str)).all():
        if present.astype(str).str.fullmatch(ISO_DATE).all():
            return pd.Series(
                pd.to_datetime(cleaned, format="%Y-%m-%d", errors="coerce"),
                index=cleaned.index,
                name=cleaned.name,
            )
    return None


def _as_text(cleaned: pd.Series) -> pd.Series:
    return cleaned.map(lambda v: v if isinstance(v, str) or pd.isna(v) else str(v)).astype("str")
