"""Comma-, semicolon-, tab- or pipe-separated text files, in UTF-8, with either decimal mark.

The separator is read from the header line (``,`` unless the header is clearly split by ``;``,
a tab or ``|``), as :meth:`impactkit.initiative.Initiative.load_data` always did.  The decimal
mark is ``"."`` unless ``decimal=","`` is given or *detected*: a file not separated by commas
in which some column holds only numbers written with a decimal comma (``3,5``) and integers is
read with decimal commas, and the table's warnings say which columns showed it (so
``decimal: "."`` can switch it off).

Cells are read as text first (:func:`read_csv_text`), so that missing-value codes can be found
and counted as written (:mod:`impactkit.readers.missing`) before the columns are typed
(:func:`impactkit.readers.columns.infer_column`).  Rows are numbered by their line in the file
(header = line 1).

A column written as ISO dates (``YYYY-MM-DD``) must hold calendar dates only
(:func:`check_iso_dates`): ``2024-02-30`` or month 13 is a :class:`~impactkit.errors.DataError`
naming the column and the lines, never a silently missing date.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from impactkit.errors import DataError
from impactkit.readers.columns import DECIMAL_COMMA, ISO_DATE, NA_TOKENS
from impactkit.readers.source import Source

__all__ = ["CsvText", "read_csv_text", "delimiter", "detect_decimal", "check_iso_dates"]

_SEPARATORS = (",", ";", "\t", "|")


@dataclass(frozen=True)
class CsvText:
    """A CSV file's cells as text (``str`` cells, ``""`` for empty ones), rows numbered by
    line, with the separator found and the decimal mark chosen."""

    cells: pd.DataFrame
    separator: str
    decimal: str
    decimal_comma_columns: tuple[str, ...] = ()


def read_csv_text(path: Path, *, decimal: str | None = None) -> CsvText:
    """Read ``path`` as text cells; ``decimal`` ``None`` means detect (see module docstring).

    Raises
    ------
    DataError
        If the file is not UTF-8 (names the line and the byte), is empty or cannot be parsed.
    """
    text = _decode(path)
    separator = delimiter(text.partition("\n")[0])
    try:
        cells = pd.read_csv(
            io.StringIO(text), sep=separator, dtype=str, keep_default_na=False, na_filter=False
        )
    except pd.errors.EmptyDataError as exc:
        raise DataError(f"{path.name}: the file is empty (no header line)") from exc
    except (ValueError, pd.errors.ParserError) as exc:
        raise DataError(f"{path.name}: not a readable {separator!r}-separated file: {exc}") from exc
    # number rows like the lines of the file (header = line 1)
    cells.index = pd.RangeIndex(2, len(cells) + 2)
    if decimal is not None:
        return CsvText(cells, separator, decimal)
    found = detect_decimal(cells) if separator != "," else ()
    return CsvText(cells, separator, "," if found else ".", found)


def delimiter(header: str) -> str:
    """The field separator of a CSV file from its header line: ``,`` unless the header is
    clearly split by ``;`` (common where the decimal mark is a comma), a tab or ``|``."""
    counts = {sep: header.count(sep) for sep in _SEPARATORS}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > counts[","] else ","


def detect_decimal(cells: pd.DataFrame) -> tuple[str, ...]:
    """The columns whose every non-missing cell is a comma-decimal number or an integer, at
    least one with a comma: the evidence for reading the file with ``decimal=","``."""
    found = []
    for column in cells.columns:
        values = cells[column]
        present = values[~values.isin(NA_TOKENS)]
        if present.empty or not present.str.contains(",", regex=False).any():
            continue
        if present.map(lambda t: bool(DECIMAL_COMMA.match(t))).all():
            found.append(str(column))
    return tuple(found)


def check_iso_dates(cells: pd.DataFrame, source: Source) -> None:
    """Refuse a date column (every present cell shaped ``YYYY-MM-DD``) holding a cell that is
    no calendar date; ``cells`` are text with missing cells blanked (``NaN`` or an NA token).

    Raises
    ------
    DataError
        Naming the file, the column and the lines (e.g. ``2024-02-30`` on line 5).
    """
    for column in cells.columns:
        values = cells[column]
        present = values[values.map(lambda v: isinstance(v, str) and v not in NA_TOKENS)]
        if present.empty:
            continue
        if not present.astype(str).str.fullmatch(ISO_DATE).all():
            continue  # not a date column (a time column's other forms are the design's check)
        bad = ~present.map(_is_calendar_date).astype(bool)
        if bad.any():
            raise DataError(
                f"{source}: column {str(column)!r}: {source.rows(present.index[bad])} "
                f"{'is not a calendar date' if bad.sum() == 1 else 'are not calendar dates'} (e.g. "
                f"{present[bad].iloc[0][:40]!r}); expected YYYY-MM-DD"
            )


def _is_calendar_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _decode(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot read the file: {exc.strerror or exc}") from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start : exc.start + 1].hex()
        raise DataError(
            f"{path.name}: the file is not UTF-8 text: line {line} has the byte 0x{byte}, "
            "which is not valid UTF-8 (the file is probably in a Windows or Latin-1 encoding, "
            "as Excel's plain 'CSV' writes it); save it again as 'CSV UTF-8' (Excel) or "
            "with UTF-8 encoding (LibreOffice: Text CSV, character set Unicode UTF-8)"
        ) from exc
