"""Excel workbooks: ``.xlsx`` / ``.xlsm`` through openpyxl, legacy ``.xls`` through xlrd.

:func:`read_sheet` returns one worksheet's cells as they are stored (numbers, text, booleans,
dates; the first row is the header) with rows numbered as on the sheet (header = row 1), so
that messages point at the row the analyst sees.  Fully empty rows are skipped and keep their
numbers out of the index; formulas give their last computed value.

Errors name the file: a sheet that does not exist lists the sheets there are; a workbook saved
with a password (Excel stores it encrypted inside an OLE2 container, so it is not a zip file)
or a corrupt one raises :class:`~impactkit.errors.DataError` saying so.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pandas as pd

from impactkit.errors import DataError

__all__ = ["read_sheet", "sheet_names", "SheetRef"]

SheetRef = str | int | None
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
Row = tuple[object, ...]


def read_sheet(path: Path, sheet: SheetRef = None) -> tuple[pd.DataFrame, str]:
    """The cells of one worksheet (first row = header) and the sheet's name.

    ``sheet`` is a name, a 0-based position, or ``None`` for the first sheet.
    """
    names, rows = _open(path, sheet)
    return _frame(rows, path, names), names


def sheet_names(path: Path) -> list[str]:
    """The worksheet names of a workbook, in order."""
    if _is_legacy(path):
        return list(_open_xls(path).sheet_names())
    book = _open_xlsx(path)
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def _open(path: Path, sheet: SheetRef) -> tuple[str, list[Row]]:
    if _is_legacy(path):
        return _rows_xls(path, sheet)
    book = _open_xlsx(path)
    try:
        name = _choose(path, list(book.sheetnames), sheet)
        rows = [tuple(r) for r in book[name].iter_rows(values_only=True)]
    finally:
        book.close()
    return name, rows


def _is_legacy(path: Path) -> bool:
    """True for a BIFF ``.xls`` (also when misnamed ``.xlsx``); raises for encrypted files."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
            is_ole = head == _OLE_MAGIC
            if is_ole and _ENCRYPTED_MARK in handle.read(1 << 20):
                raise DataError(_protected(path))
    except OSError as exc:
        raise DataError(f"{path}: cannot read the file: {exc.strerror or exc}") from exc
    return is_ole or path.suffix.lower() == ".xls"


def _protected(path: Path) -> str:
    return (
        f"{path.name}: the workbook is password-protected (encrypted), so it cannot be read; "
        "open it in Excel or LibreOffice and save a copy without a password"
    )


def _open_xlsx(path: Path):  # type: ignore[no-untyped-def]  # openpyxl is untyped
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError) as exc:
        raise DataError(
            f"{path.name}: not a readable Excel workbook (the file is corrupt or not an .xlsx "
            f"file: {exc}); open it in Excel or LibreOffice and save it again as .xlsx"
        ) from exc


def _open_xls(path: Path):  # type: ignore[no-untyped-def]  # xlrd is untyped
    try:
        import xlrd
    except ImportError as exc:  # pragma: no cover - xlrd is a dependency
        raise DataError(f"{path.name}: reading .xls needs the xlrd package") from exc
    try:
        return xlrd.open_workbook(str(path), on_demand=True)
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            raise DataError(_protected(path)) from exc
        raise DataError(f"{path.name}: not a readable .xls workbook: {exc}") from exc
    except (OSError, ValueError, AssertionError, IndexError) as exc:
        raise DataError(f"{path.name}: not a readable .xls workbook (corrupt?): {exc}") from exc


def _rows_xls(path: Path, sheet: SheetRef) -> tuple[str, list[Row]]:
    import xlrd

    book = _open_xls(path)
    name = _choose(path, list(book.sheet_names()), sheet)
    table = book.sheet_by_name(name)

    def value(cell: xlrd.sheet.Cell) -> object:
        if cell.ctype == xlrd.XL_CELL_DATE:
            return xlrd.xldate_as_datetime(cell.value, book.datemode)
        if cell.ctype == xlrd.XL_CELL_BOOLEAN:
            return bool(cell.value)
        if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
            return None
        if cell.ctype == xlrd.XL_CELL_NUMBER and float(cell.value).is_integer():
            return int(cell.value)  # BIFF stores every number as a double
        return cell.value

    rows = [tuple(value(c) for c in table.row(i)) for i in range(table.nrows)]
    book.release_resources()
    return name, rows


def _choose(path: Path, names: list[str], sheet: SheetRef) -> str:
    listed = ", ".join(f"{i}: {n!r}" for i, n in enumerate(names))
    if sheet is None:
        if not names:
            raise DataError(f"{path.name}: the workbook has no worksheets")
        return names[0]
    if isinstance(sheet, bool) or not isinstance(sheet, str | int):
        raise DataError(f"{path.name}: sheet must be a name or a 0-based position, got {sheet!r}")
    if isinstance(sheet, int):
        if 0 <= sheet < len(names):
            return names[sheet]
        raise DataError(
            f"{path.name}: there is no sheet at position {sheet} (positions count from 0); "
            f"the workbook has sheets {listed}"
        )
    if sheet in names:
        return sheet
    close = [n for n in names if n.strip().casefold() == sheet.strip().casefold()]
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise DataError(
        f"{path.name}: there is no sheet called {sheet!r}{hint}; the workbook has sheets {listed}"
    )


def _frame(rows: list[Row], path: Path, sheet: str) -> pd.DataFrame:
    numbered = [(i, r) for i, r in enumerate(rows, start=1) if any(_filled(v) for v in r)]
    if not numbered or numbered[0][0] != 1:
        raise DataError(
            f"{path.name}, sheet {sheet!r}: row 1 must hold the column names "
            f"({'the sheet is empty' if not numbered else 'it is empty'})"
        )
    header = list(numbered[0][1])
    width = max(
        [i + 1 for i, v in enumerate(header) if _filled(v)]
        + [i + 1 for _, r in numbered[1:] for i, v in enumerate(r) if _filled(v)]
    )
    names = _unique([_column_name(header[i] if i < len(header) else None, i) for i in range(width)])
    body = [list(r[:width]) + [None] * (width - len(r)) for _, r in numbered[1:]]
    frame = pd.DataFrame(body, columns=names, dtype=object)
    labels = [i for i, _ in numbered[1:]]
    contiguous = labels == list(range(2, len(labels) + 2))
    frame.index = pd.RangeIndex(2, len(labels) + 2) if contiguous else pd.Index(labels)
    return frame


def _unique(names: list[str]) -> list[str]:
    """Repeated column names get ``.1``, ``.2`` ... as pandas.read_csv names them."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        count = seen.get(name, 0)
        seen[name] = count + 1
        out.append(name if count == 0 else f"{name}.{count}")
    return out


def _filled(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and value == "")


def _column_name(value: object, position: int) -> str:
    if not _filled(value):
        return f"Unnamed: {position}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    return str(value)
