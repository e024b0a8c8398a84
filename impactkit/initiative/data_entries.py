"""The ``data:`` and ``labels:`` sections of an initiative file.

A data entry is a file name (``survey: households.csv``) or a mapping with the options of
:func:`impactkit.readers.read_table`::

    data:
      survey: {file: households.xlsx, sheet: Data, missing_values: [99, "DK"]}
      kobo: {file: export.xlsx, form: form.xlsx}
      prices: {file: prices.csv, decimal: ","}

``labels:`` maps a column to ``{code: label}``; these labels win over the ones a Stata or
SPSS file or an XLSForm gives, and change only how groups are named, never a number.
Every error is a :class:`~impactkit.errors.ConfigError` naming the file and the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..readers import SUFFIXES, MissingSpec
from ..readers.missing import Code, parse_missing_values
from ._reader import Section, quote, regular_file

__all__ = ["DataEntry", "DATA_KEYS", "parse_data_entries", "parse_labels", "parse_narrative"]

DATA_KEYS = ("file", "sheet", "form", "decimal", "missing_values")


@dataclass(frozen=True)
class DataEntry:
    """One data set of the initiative file: its file and how to read it."""

    file: Path
    sheet: str | int | None = None
    form: Path | None = None
    decimal: str | None = None
    missing_values: MissingSpec | None = None

    @property
    def files(self) -> tuple[Path, ...]:
        """The files this entry reads (the data and, for a Kobo / ODK export, its form)."""
        return (self.file,) if self.form is None else (self.file, self.form)


def parse_data_entries(top: Section, path: Path) -> dict[str, DataEntry]:
    """Every entry of ``data:``, checked (the files must exist, suffixes be known)."""
    raw = top.get("data", required=True)
    if not isinstance(raw, dict) or not raw:
        raise top.error("data", "expected a mapping of data set names to files")
    return {str(name): _entry(top, path, str(name), value) for name, value in raw.items()}


def _entry(top: Section, path: Path, name: str, value: Any) -> DataEntry:
    key = f"data.{name}"
    if isinstance(value, str):
        return DataEntry(_file(top, path, key, value))
    if not isinstance(value, dict):
        raise top.error(
            key,
            f"expected a file path or a mapping with {', '.join(DATA_KEYS)}, got {quote(value)}",
        )
    section = Section(value, key, path, DATA_KEYS)
    file = _file(top, path, f"{key}.file", section.text("file", required=True) or "")
    sheet = _sheet(section, file)
    form = _form(section, path)
    decimal = section.text("decimal")
    if decimal not in (None, ".", ","):
        raise section.error(f"{key}.decimal", f'expected "." or ",", got {decimal!r}')
    missing = section.get("missing_values")
    _check_missing(section, key, missing)
    return DataEntry(file, sheet, form, decimal, missing)


def _file(top: Section, path: Path, key: str, rel: str) -> Path:
    """The data file ``rel`` resolved: a regular file whose suffix, as written and once
    resolved (a symlink), is a known format."""
    if not rel.strip() or "\x00" in rel:
        raise top.error(key, f"expected a file path, got {quote(rel)}")
    _check_suffix(top, key, rel, Path(rel))
    file = _resolved(top, key, path.parent / rel, "data file")
    _check_suffix(top, key, rel, file)
    return file


def _check_suffix(top: Section, key: str, rel: str, file: Path) -> None:
    if file.suffix.lower() not in SUFFIXES:
        raise top.error(
            key,
            f"{rel!r}: unknown data format {file.suffix or '(no suffix)'!r}"
            + (f" (it leads to {file})" if str(file) != rel else "")
            + "; accepted: "
            + ", ".join(SUFFIXES),
        )


def _resolved(section: Section, key: str, path: Path, what: str) -> Path:
    """``path`` resolved; a regular file, else a ConfigError naming the key (a folder, a
    device such as /dev/zero, a FIFO, a symlink loop, a missing file)."""
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError on a symlink loop
        raise section.error(key, f"{what} {path} is a symlink loop") from None
    refused = regular_file(resolved, what)
    if refused is not None:
        raise section.error(key, refused)
    return resolved


def _sheet(section: Section, file: Path) -> str | int | None:
    sheet = section.get("sheet")
    if sheet is None:
        return None
    key = section.key("sheet")
    if SUFFIXES[file.suffix.lower()] != "excel":
        raise section.error(key, f"applies to Excel workbooks only, not to {file.name}")
    if isinstance(sheet, bool) or not isinstance(sheet, str | int):
        raise section.error(key, f"expected a sheet name or a 0-based position, got {sheet!r}")
    if isinstance(sheet, int) and sheet < 0:
        raise section.error(key, f"a sheet position counts from 0, got {sheet}")
    return sheet


def _form(section: Section, path: Path) -> Path | None:
    rel = section.text("form")
    if rel is None:
        return None
    if Path(rel).suffix.lower() not in (".xlsx", ".xlsm", ".xls"):
        raise section.error(section.key("form"), f"expected an XLSForm workbook, got {rel!r}")
    return _resolved(section, section.key("form"), path.parent / rel, "form")


def _check_missing(section: Section, key: str, missing: Any) -> None:
    if missing is None:
        return
    if not isinstance(missing, list | dict):
        raise section.error(
            f"{key}.missing_values",
            f"expected a list of codes or a mapping column -> codes, got {missing!r}",
        )
    try:
        parse_missing_values(missing, where=f"{key}.missing_values")
    except ConfigError as exc:
        raise section.error(f"{key}.missing_values", str(exc)) from None


def parse_labels(top: Section) -> dict[str, dict[Code, str]]:
    """``labels:``: ``column -> {code: label}`` (codes are numbers or text, labels text)."""
    raw = top.get("labels")
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise top.error("labels", "expected a mapping of column -> {code: label}")
    out: dict[str, dict[Code, str]] = {}
    for column, mapping in raw.items():
        key = f"labels.{column}"
        if not isinstance(mapping, dict) or not mapping:
            raise top.error(key, f"expected a mapping of code -> label, got {mapping!r}")
        out[str(column)] = {_code(top, key, c): _label(top, key, c, v) for c, v in mapping.items()}
        _check_distinct(top, key, out[str(column)])
    return out


def _code(top: Section, key: str, code: Any) -> Code:
    if isinstance(code, bool) or not isinstance(code, str | int | float):
        raise top.error(key, f"a code must be a number or text, got {code!r}")
    return code


def _label(top: Section, key: str, code: Any, label: Any) -> str:
    if isinstance(label, bool) or not isinstance(label, str | int | float) or not str(label):
        raise top.error(f"{key}.{code}", f"expected the label as text, got {label!r}")
    return str(label)


def _check_distinct(top: Section, key: str, mapping: Mapping[Code, str]) -> None:
    seen: dict[str, Code] = {}
    for code, label in mapping.items():
        if label in seen:
            raise top.error(
                key,
                f"codes {seen[label]!r} and {code!r} have the same label {label!r}, which "
                "would merge their groups; give them different labels",
            )
        seen[label] = code


def parse_narrative(top: Section, path: Path) -> Path | None:
    """``narrative:``: a Markdown file in the initiative's folder (or below it)."""
    rel = top.text("narrative")
    if rel is None:
        return None
    file = (path.parent / rel).resolve()
    if file.suffix.lower() not in (".md", ".markdown"):
        raise top.error("narrative", f"expected a Markdown file (.md), got {rel!r}")
    if not file.is_relative_to(path.parent.resolve()):
        raise top.error("narrative", f"{rel!r} is outside the initiative's folder")
    if not file.is_file():
        raise top.error("narrative", f"file not found: {file}")
    return file
