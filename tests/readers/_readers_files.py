"""Writers for the test files of tests/readers: every file is generated in the test itself
(CSV by pandas, workbooks by openpyxl, .dta / .sav by pyreadstat), never checked in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd


def write_xlsx(path: Path, sheets: dict[str, pd.DataFrame]) -> Path:
    """One sheet per frame; header in row 1; NaN cells left empty; dates as Excel dates."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, frame in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append([str(c) for c in frame.columns])
        for row in frame.itertuples(index=False):
            sheet.append([_cell(v) for v in row])
    book.save(path)
    return path


def write_rows_xlsx(path: Path, sheets: dict[str, Sequence[Sequence[object]]]) -> Path:
    """Sheets given as rows of cell values (first row = header)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


def _cell(value: object) -> object:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def households() -> pd.DataFrame:
    """A small survey frame with ints, floats with a gap, text, a date and a 0/1 code."""
    return pd.DataFrame(
        {
            "household_id": ["H1", "H2", "H3", "H4", "H5", "H6"],
            "district": ["Riverside", "Hills", "Riverside", "Hills", "Lake", "Lake"],
            "female_head": [0, 1, 1, 0, 0, 1],
            "hh_size": [4, 6, 3, 5, 7, 2],
            "income": [120.5, 80.25, np.nan, 99.75, 150.0, 60.5],
            "survey_date": pd.to_datetime(
                [dt.date(2024, 1, d) for d in (8, 9, 10, 11, 12, 15)]
            ).astype("datetime64[us]"),
        }
    )
