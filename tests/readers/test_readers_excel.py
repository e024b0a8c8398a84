"""Excel workbooks: the same frame as the same data saved as CSV; sheets by name or position;
missing sheets, corrupt and password-protected workbooks are named errors."""

from __future__ import annotations

import string
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _readers_files import households, write_rows_xlsx, write_xlsx
from hypothesis import given, settings
from hypothesis import strategies as st

from impactkit.errors import DataError
from impactkit.readers import describe_text_in_numbers, read_table


def test_xlsx_gives_the_same_frame_as_csv(tmp_path: Path) -> None:
    data = households()
    data.to_csv(tmp_path / "h.csv", index=False)
    write_xlsx(tmp_path / "h.xlsx", {"Data": data})
    from_csv = read_table(tmp_path / "h.csv").frame
    table = read_table(tmp_path / "h.xlsx")
    pd.testing.assert_frame_equal(table.frame, from_csv)
    assert table.source.sheet == "Data" and table.source.kind == "excel"
    assert table.frame["survey_date"].dtype.kind == "M"


def test_sheet_by_name_and_position(tmp_path: Path) -> None:
    first = pd.DataFrame({"a": [1, 2]})
    second = pd.DataFrame({"b": ["x", "y"], "c": [0.5, 1.5]})
    path = write_xlsx(tmp_path / "w.xlsx", {"Cover": first, "Survey": second})
    pd.testing.assert_frame_equal(
        read_table(path, sheet="Survey").frame, read_table(path, sheet=1).frame
    )
    assert list(read_table(path).frame.columns) == ["a"]  # default: first sheet
    assert read_table(path, sheet=1).source.sheet == "Survey"


def test_missing_sheet_lists_the_sheets(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "w.xlsx", {"Cover": households(), "Survey": households()})
    with pytest.raises(
        DataError,
        match=r"no sheet called 'survey' \(did you mean 'Survey'\?\).*0: 'Cover', 1: 'Survey'",
    ):
        read_table(path, sheet="survey")
    with pytest.raises(DataError, match=r"no sheet at position 2.*0: 'Cover', 1: 'Survey'"):
        read_table(path, sheet=2)


def test_corrupt_workbooks_are_named_errors(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(b"this is not a workbook at all" * 10)
    with pytest.raises(DataError, match="garbage.xlsx: not a readable Excel workbook"):
        read_table(garbage)
    good = write_xlsx(tmp_path / "good.xlsx", {"Data": households()})
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    with pytest.raises(DataError, match="truncated.xlsx: not a readable Excel workbook"):
        read_table(truncated)
    no_workbook = tmp_path / "zip.xlsx"
    with zipfile.ZipFile(no_workbook, "w") as archive:
        archive.writestr("hello.txt", "a zip, but not a workbook")
    with pytest.raises(DataError, match="zip.xlsx: not a readable Excel workbook"):
        read_table(no_workbook)
    old = tmp_path / "old.xls"
    old.write_bytes(b"\x00" * 600)
    with pytest.raises(DataError, match=r"old.xls: not a readable \.xls workbook"):
        read_table(old)


def test_password_protected_workbook_is_a_named_error(tmp_path: Path) -> None:
    pytest.importorskip("msoffcrypto")  # dev extra: makes the encrypted file
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = write_xlsx(tmp_path / "plain.xlsx", {"Data": households()})
    locked = tmp_path / "locked.xlsx"
    with plain.open("rb") as source, locked.open("wb") as target:
        OOXMLFile(source).encrypt("secret", target)
    with pytest.raises(DataError, match="locked.xlsx: the workbook is password-protected"):
        read_table(locked)


def test_text_in_a_number_column_names_sheet_rows(tmp_path: Path) -> None:
    rows = [["id", "age"], ["a", 31], ["b", "."], ["c", 40], ["d", "n/a"], ["e", "-"]]
    path = write_rows_xlsx(tmp_path / "w.xlsx", {"Survey": rows})
    table = read_table(path)
    # "n/a" is one of pandas' missing markers (as in CSV); "." and "-" are not
    assert table.frame["age"].tolist()[:3] == ["31", ".", "40"]
    assert pd.isna(table.frame["age"].loc[5])
    message = describe_text_in_numbers(table.frame, "age", table.source)
    assert "w.xlsx, sheet 'Survey'" in message and "column 'age'" in message
    assert "rows 3, 6 of sheet 'Survey'" in message
    assert "missing_values" in message and '"."' in message and '"-"' in message


def test_blank_rows_keep_their_sheet_row_numbers(tmp_path: Path) -> None:
    rows = [["id", "n"], ["a", 1], [None, None], ["b", 2]]
    table = read_table(write_rows_xlsx(tmp_path / "w.xlsx", {"S": rows}))
    assert table.frame.index.tolist() == [2, 4]
    assert table.frame["n"].tolist() == [1, 2]


# ------------------------------------------------------------------ property: xlsx == csv

_TEXT = st.text(alphabet=string.ascii_letters + " _-", min_size=1, max_size=8).filter(
    lambda s: (
        s.strip() == s
        and s not in {"NA", "NULL", "NaN", "None", "nan", "null"}
        and s.lower() not in {"true", "false"}
    )
)


@st.composite
def frames(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(1, 12))
    columns: dict[str, list[object]] = {}
    kinds = draw(st.lists(st.sampled_from(["int", "float", "text", "gap"]), min_size=1, max_size=5))
    for i, kind in enumerate(kinds):
        if kind == "int":
            columns[f"c{i}"] = draw(st.lists(st.integers(-(10**9), 10**9), min_size=n, max_size=n))
        elif kind == "float":
            # Excel keeps 15 significant digits: draw numbers a workbook holds exactly
            floats = st.floats(-1e14, 1e14).map(lambda x: float(f"{x:.15g}"))
            columns[f"c{i}"] = draw(st.lists(floats, min_size=n, max_size=n))
        elif kind == "text":
            columns[f"c{i}"] = draw(st.lists(_TEXT, min_size=n, max_size=n))
        else:
            cell = st.one_of(st.none(), st.integers(0, 99), st.floats(-1e6, 1e6))
            columns[f"c{i}"] = draw(st.lists(cell, min_size=n, max_size=n))
    frame = pd.DataFrame(columns)
    # a sheet cannot hold an empty row (it is no row); CSV can (",,"): not compared
    return frame[frame.notna().any(axis=1)].reset_index(drop=True)


def _as_excel_writes_csv(data: pd.DataFrame) -> pd.DataFrame:
    def cell(v: object) -> object:
        whole = isinstance(v, float) and v.is_integer()
        return int(v) if whole else v

    return pd.DataFrame({c: data[c].astype(object).map(cell) for c in data.columns})


@settings(max_examples=25)  # each example writes and reads a workbook
@given(frames())
def test_property_csv_and_xlsx_give_identical_frames(
    tmp_path_factory: pytest.TempPathFactory, data: pd.DataFrame
) -> None:
    folder = tmp_path_factory.mktemp("prop")
    # a workbook has no integer type: whole numbers are saved as "3", as Excel's own CSV
    # export writes them; write the CSV the same way (pandas would write "3.0")
    _as_excel_writes_csv(data).to_csv(folder / "d.csv", index=False)
    write_xlsx(folder / "d.xlsx", {"Data": data})
    from_csv = read_table(folder / "d.csv").frame
    from_xlsx = read_table(folder / "d.xlsx").frame
    pd.testing.assert_frame_equal(from_xlsx, from_csv)
    for column in data.columns:  # and both hold the numbers that were written
        if data[column].dtype.kind in "if":
            written = data[column].to_numpy(dtype=float)
            assert np.array_equal(from_csv[column].to_numpy(dtype=float), written, equal_nan=True)
