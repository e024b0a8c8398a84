"""One entry point for every data format: :func:`read_table` -> :class:`LoadedTable`.

==================  ==========================================================  =============
suffix              read by                                                     rows named as
==================  ==========================================================  =============
.csv .tsv .txt      :mod:`~impactkit.readers.csv` (separator and decimal mark)  file lines
.xlsx .xlsm .xls    :mod:`~impactkit.readers.excel` (``sheet=`` name / index)   sheet rows
.dta                :mod:`~impactkit.readers.stata` (value, variable labels)    observations
.sav .zsav          :mod:`~impactkit.readers.spss` (labels, user-missing)       cases
.parquet .pq        pandas                                                      rows
==================  ==========================================================  =============

Order of work: read the cells, blank and count the ``missing_values`` codes (plus the
user-missing values an SPSS file declares), type the columns (CSV and workbooks), apply the
XLSForm (``form=``), then check that value labels cover the codes present (warnings).
"""

from __future__ import annotations

import warnings as _warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from impactkit.errors import DataError
from impactkit.readers._statfile import StatFile, whole_numbers_as_int
from impactkit.readers.columns import infer_column
from impactkit.readers.csv import check_iso_dates, read_csv_text
from impactkit.readers.excel import SheetRef, read_sheet
from impactkit.readers.kobo import apply_form
from impactkit.readers.kobo_form import read_form
from impactkit.readers.labels import ValueLabels, check_coverage
from impactkit.readers.missing import (
    COUNT_COLUMNS,
    MissingCodes,
    MissingSpec,
    apply_missing,
    parse_missing_values,
)
from impactkit.readers.source import Source
from impactkit.readers.spss import read_sav
from impactkit.readers.stata import read_dta

__all__ = ["LoadedTable", "read_table", "ReaderWarning", "SUFFIXES"]

SUFFIXES = {
    ".csv": "csv", ".tsv": "csv", ".txt": "csv",
    ".xlsx": "excel", ".xlsm": "excel", ".xls": "excel",
    ".dta": "stata", ".sav": "spss", ".zsav": "spss",
    ".parquet": "parquet", ".pq": "parquet",
}  # fmt: skip


class ReaderWarning(UserWarning):
    """Something in a data file deserves a look but did not stop it being read (a label set
    that does not cover a code, decimal commas detected, a form header clash)."""


def _empty_counts() -> pd.DataFrame:
    return pd.DataFrame(
        {c: pd.Series(dtype="int64" if c == "count" else "str") for c in COUNT_COLUMNS}
    )


@dataclass(frozen=True)
class LoadedTable:
    """A data set as read, with everything the file said about it.

    Attributes
    ----------
    frame
        The data, codes as they are (labels never replace numbers here).
    value_labels
        ``column -> {code: label}`` from the file or the form.
    variable_labels
        ``column -> text`` (question or variable labels).
    missing_counts
        Tidy counts of missing-value codes made missing: ``column``, ``code``, ``count``.
    source
        File, sheet, row naming and decimal mark (for messages).
    warnings
        Findings that did not stop the reading (also issued as :class:`ReaderWarning`).
    """

    frame: pd.DataFrame
    source: Source
    value_labels: ValueLabels = field(default_factory=dict)
    variable_labels: Mapping[str, str] = field(default_factory=dict)
    missing_counts: pd.DataFrame = field(default_factory=_empty_counts)
    warnings: tuple[str, ...] = ()


def read_table(
    path: str | Path,
    *,
    sheet: SheetRef = None,
    form: str | Path | None = None,
    decimal: str | None = None,
    missing_values: MissingSpec | None = None,
) -> LoadedTable:
    """Read a data file of any supported format (see the module docstring).

    Parameters
    ----------
    path
        The data file; its suffix decides the format.
    sheet
        Workbooks only: a sheet name or 0-based position (default: the first sheet).
    form
        The XLSForm of a KoboToolbox / ODK export (see :mod:`impactkit.readers.kobo`).
    decimal
        ``"."`` or ``","`` for numbers written as text; ``None`` detects it for CSV files and
        means ``"."`` elsewhere.
    missing_values
        Codes that mean missing: a list (every column) or ``{column: codes}``.

    Raises
    ------
    DataError
        Unknown suffix, unreadable / protected / corrupt file, missing sheet, answers not in
        the form's choice lists.
    ConfigError
        A malformed ``missing_values``, ``decimal`` or ``sheet`` option.
    """
    file = Path(path)
    kind = _check_kind(file)
    _check_options(file, kind, sheet, decimal)
    codes = parse_missing_values(missing_values)
    found: list[str] = []
    if kind == "csv":
        table = _read_csv(file, decimal, codes, found)
    elif kind == "excel":
        table = _read_excel(file, sheet, decimal or ".", codes)
    elif kind in ("stata", "spss"):
        table = _read_statfile(file, kind, codes)
    else:
        table = _read_parquet(file, codes)
    if form is not None:
        table = _with_form(table, Path(form))
    counted = table.missing_counts
    made_missing = {
        str(c): [*codes.for_column(str(c)), *counted["code"][counted["column"] == c]]
        for c in table.frame.columns
    }
    found += check_coverage(table.frame, table.value_labels, str(table.source), made_missing)
    return _finish(table, found)


def _check_kind(file: Path) -> str:
    kind = SUFFIXES.get(file.suffix.lower())
    if kind is None:
        raise DataError(
            f"{file.name}: unknown data format {file.suffix or '(no suffix)'!r}; impactkit reads "
            + ", ".join(SUFFIXES)
        )
    if not file.is_file():
        raise DataError(f"{file}: no such file")
    return kind


def _check_options(file: Path, kind: str, sheet: SheetRef, decimal: str | None) -> None:
    from impactkit.errors import ConfigError

    if sheet is not None and kind != "excel":
        raise ConfigError(f"{file.name}: 'sheet' applies to Excel workbooks only")
    if decimal not in (None, ".", ","):
        raise ConfigError(f'{file.name}: decimal must be "." or ",", got {decimal!r}')


def _read_csv(
    file: Path, decimal: str | None, codes: MissingCodes, found: list[str]
) -> LoadedTable:
    text = read_csv_text(file, decimal=decimal)
    if text.decimal_comma_columns:
        found.append(
            f"{file.name}: read with decimal commas (the file is {text.separator!r}-separated "
            f"and column{'s' if len(text.decimal_comma_columns) > 1 else ''} "
            f"{', '.join(text.decimal_comma_columns)} hold numbers like 3,5); set "
            'decimal: "." if that is wrong'
        )
    source = Source(file, "csv", decimal=text.decimal)
    return _typed(text.cells, source, codes)


def _read_excel(file: Path, sheet: SheetRef, decimal: str, codes: MissingCodes) -> LoadedTable:
    cells, name = read_sheet(file, sheet)
    return _typed(cells, Source(file, "excel", sheet=name, decimal=decimal), codes)


def _typed(cells: pd.DataFrame, source: Source, codes: MissingCodes) -> LoadedTable:
    codes, headers = _grouped_headers(codes, [str(c) for c in cells.columns])
    blanked, counts = apply_missing(cells, codes, decimal=source.decimal)
    if source.kind == "csv":
        check_iso_dates(blanked, source)
    counts["column"] = counts["column"].map(lambda c: headers.get(c, c))
    frame = pd.DataFrame(
        {c: infer_column(blanked[c], source.decimal) for c in blanked.columns}, index=blanked.index
    )
    return LoadedTable(frame, source, missing_counts=counts)


def _grouped_headers(
    codes: MissingCodes, headers: list[str]
) -> tuple[MissingCodes, dict[str, str]]:
    """Per-column codes named by question (``distance``) for a Kobo / ODK header with a group
    prefix (``household/distance``): re-keyed to that header when exactly one header ends so.
    Returns the codes and ``header -> question`` for the counts."""
    by_column = dict(codes.by_column)
    named: dict[str, str] = {}
    for key in [k for k in by_column if k not in headers]:
        found = [h for h in headers if any(h.endswith(sep + key) for sep in "/.-")]
        if len(found) == 1:
            by_column[found[0]] = by_column.pop(key)
            named[found[0]] = key
    return MissingCodes(codes.everywhere, by_column), named


def _read_statfile(file: Path, kind: str, codes: MissingCodes) -> LoadedTable:
    data: StatFile = read_dta(file) if kind == "stata" else read_sav(file)
    merged = codes.merged(data.declared_missing)
    blanked, counts = apply_missing(data.frame, merged)
    frame = whole_numbers_as_int(blanked)
    source = Source(file, "stata" if kind == "stata" else "spss")
    labels = {c: dict(m) for c, m in data.value_labels.items()}
    return LoadedTable(frame, source, labels, dict(data.variable_labels), counts)


def _read_parquet(file: Path, codes: MissingCodes) -> LoadedTable:
    try:
        raw = pd.read_parquet(file)
    except (OSError, ValueError, ImportError) as exc:
        raise DataError(f"{file.name}: could not read the Parquet file: {exc}") from exc
    frame, counts = apply_missing(raw, codes)
    return LoadedTable(frame, Source(file, "parquet"), missing_counts=counts)


def _with_form(table: LoadedTable, form_path: Path) -> LoadedTable:
    if not form_path.is_file():
        raise DataError(f"{form_path}: the form (XLSForm) does not exist")
    applied = apply_form(table.frame, read_form(form_path), table.source)
    return LoadedTable(
        applied.frame,
        table.source,
        {**table.value_labels, **applied.value_labels},
        {**table.variable_labels, **applied.variable_labels},
        table.missing_counts,
        table.warnings + applied.warnings,
    )


def _finish(table: LoadedTable, found: list[str]) -> LoadedTable:
    all_warnings = table.warnings + tuple(found)
    for message in all_warnings:
        _warnings.warn(message, ReaderWarning, stacklevel=3)
    return LoadedTable(
        table.frame,
        table.source,
        table.value_labels,
        table.variable_labels,
        table.missing_counts,
        all_warnings,
    )
