"""Missing-value codes: ``missing_values:`` for a whole data set or per column.

Survey data mark "no answer" with codes: ``99``, ``-9``, ``"."``, ``"-"``, ``"n/a"``,
``"DK"`` (don't know), ``"Refused"``...  Left in, they are averaged as numbers (a mean age
with 99s in it) or make a numeric column text.  :func:`apply_missing` turns every cell equal
to a declared code into a missing value and **counts** them by column and code, for the
data-quality appendix.

Matching rules (exact, so that the counts are exact):

* a *text* code (``"DK"``, ``"."``) matches text cells equal to it after stripping spaces
  at either end; case matters (``"dk"`` is not ``"DK"``);
* a *number* code (``99``, ``-9``, or text that is a number such as ``"99"``) matches numeric
  cells equal to it and text cells that read as that number (``"99"``, ``"99.0"``; with
  decimal commas also ``"99,0"``).  Booleans never match a number code;
* a cell matching several codes is counted once, under the first code listed.

The specification is a list (every column) or a mapping ``column -> code or list`` (those
columns); a column the data do not have is an error naming ``missing_values``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from impactkit.errors import ConfigError, MissingColumnError
from impactkit.readers.columns import is_text, parse_numbers

__all__ = ["Code", "MissingSpec", "MissingCodes", "parse_missing_values", "apply_missing"]

Code = str | int | float
MissingSpec = Sequence[Code] | Mapping[str, Code | Sequence[Code]]
COUNT_COLUMNS = ("column", "code", "count")


@dataclass(frozen=True)
class MissingCodes:
    """Parsed ``missing_values``: codes for every column and codes for named columns."""

    everywhere: tuple[Code, ...] = ()
    by_column: Mapping[str, tuple[Code, ...]] = field(default_factory=dict)

    def for_column(self, column: str) -> tuple[Code, ...]:
        """The codes that apply to ``column``, everywhere-codes first, without repeats."""
        codes = list(self.everywhere)
        codes += [c for c in self.by_column.get(column, ()) if c not in codes]
        return tuple(codes)

    def merged(self, other: MissingCodes) -> MissingCodes:
        """These codes plus ``other``'s (e.g. the user-missing values an SPSS file declares)."""
        columns = {c: self.for_column(c) for c in {*self.by_column, *other.by_column}}
        for column, codes in other.by_column.items():
            columns[column] = columns[column] + tuple(c for c in codes if c not in columns[column])
        everywhere = self.everywhere + tuple(
            c for c in other.everywhere if c not in self.everywhere
        )
        return MissingCodes(everywhere, columns)


def parse_missing_values(
    spec: MissingSpec | None, *, where: str = "missing_values"
) -> MissingCodes:
    """Check and parse a ``missing_values`` specification (``None`` means none).

    Raises
    ------
    ConfigError
        If it is neither a list nor a mapping, or a code is not text or a number.
    """
    if spec is None:
        return MissingCodes()
    if isinstance(spec, Mapping):
        by_column = {}
        for column, codes in spec.items():
            listed = codes if isinstance(codes, list | tuple) else [codes]
            by_column[str(column)] = _check_codes(listed, f"{where}.{column}")
        return MissingCodes((), by_column)
    if isinstance(spec, str | bytes) or not isinstance(spec, Sequence):
        raise ConfigError(
            f"{where}: expected a list of codes (for every column) or a mapping "
            f"column -> codes, got {spec!r}"
        )
    return MissingCodes(_check_codes(spec, where))


def _check_codes(codes: Sequence[object], where: str) -> tuple[Code, ...]:
    out: list[Code] = []
    for code in codes:
        if isinstance(code, bool) or not isinstance(code, str | int | float):
            raise ConfigError(
                f"{where}: a missing-value code must be text or a number, got {code!r}"
            )
        if isinstance(code, float) and np.isnan(code):
            raise ConfigError(f"{where}: NaN is already missing; list the codes that mean missing")
        if code not in out:
            out.append(code)
    return tuple(out)


def apply_missing(
    frame: pd.DataFrame, codes: MissingCodes, *, decimal: str = "."
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A copy of ``frame`` with the declared codes made missing, and the tidy counts
    (``column``, ``code``, ``count``; one row per code found, ``code`` as text).

    Raises
    ------
    MissingColumnError
        If a per-column code names a column the data do not have.
    """
    for column in codes.by_column:
        if column not in frame.columns:
            raise MissingColumnError(column, frame.columns, context="missing_values")
    out = frame.copy()
    counts: list[tuple[str, str, int]] = []
    for column in frame.columns:
        column_codes = codes.for_column(str(column))
        if not column_codes:
            continue
        values = frame[column]
        taken = pd.Series(False, index=frame.index)
        for code in column_codes:
            hit = matches(values, code, decimal) & ~taken
            if hit.any():
                counts.append((str(column), str(code), int(hit.sum())))
                taken |= hit
        if taken.any():
            out[column] = _blank(values, taken)
    table = pd.DataFrame(counts, columns=list(COUNT_COLUMNS))
    return out, table.astype({"column": "str", "code": "str", "count": "int64"})


def matches(values: pd.Series, code: Code, decimal: str = ".") -> pd.Series:
    """The cells of ``values`` that hold ``code`` (rules in the module docstring)."""
    number = _code_number(code, decimal)
    none = pd.Series(False, index=values.index)
    if values.dtype == bool or values.dtype.kind in "mM":
        return none
    if values.dtype.kind in "iuf":
        return none if number is None else (values == number).astype(bool)
    texts = is_text(values)
    stripped = values.where(texts).map(lambda v: v.strip() if isinstance(v, str) else v)
    if number is None:
        return (texts & (stripped == str(code).strip())).fillna(False).astype(bool)
    hit = texts & (parse_numbers(stripped.where(texts), decimal) == number)
    numeric = values.map(
        lambda v: (
            isinstance(v, int | float | np.integer | np.floating)
            and not isinstance(v, bool | np.bool_)
        )
    ).astype(bool)
    if numeric.any():
        hit |= numeric & (pd.to_numeric(values.where(numeric), errors="coerce") == number)
    return hit.fillna(False).astype(bool)


def _code_number(code: Code, decimal: str) -> float | None:
    if isinstance(code, int | float):
        return float(code)
    parsed = parse_numbers(pd.Series([code.strip()]), decimal).iloc[0]
    return None if pd.isna(parsed) else float(parsed)


def _blank(values: pd.Series, taken: pd.Series) -> pd.Series:
    if values.dtype.kind in "iub":
        return values.astype("float64").where(~taken)
    if values.dtype.kind == "M" or isinstance(values.dtype, pd.StringDtype):
        return values.where(~taken)
    return values.astype(object).where(~taken)
