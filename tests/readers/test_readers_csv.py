"""CSV reading: today's behaviour kept (checked against pandas.read_csv), European files
(';' and decimal commas) detected or declared, non-UTF-8 files named."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from _readers_files import households

from impactkit.errors import ConfigError, DataError
from impactkit.readers import ReaderWarning, describe_text_in_numbers, read_table

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "sample_data").glob("*/*.csv"))


def _pandas_reference(path: Path, sep: str = ",") -> pd.DataFrame:
    """Independent expectation: pandas.read_csv, then ISO-date text columns as dates."""
    frame = pd.read_csv(path, sep=sep)
    for column in frame.columns:
        values = frame[column].dropna()
        if frame[column].dtype == object or isinstance(frame[column].dtype, pd.StringDtype):
            if len(values) and values.astype(str).str.fullmatch(r"\d{4}-\d{2}-\d{2}").all():
                frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d")
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    return frame


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_sample_csv_files_read_as_pandas_reads_them(path: Path) -> None:
    table = read_table(path)
    header = path.read_text(encoding="utf-8").splitlines()[0]
    sep = ";" if ";" in header and "," not in header else ","  # e.g. california_prop99.csv
    pd.testing.assert_frame_equal(table.frame, _pandas_reference(path, sep=sep))
    assert table.warnings == ()
    assert table.missing_counts.empty
    assert table.source.kind == "csv"


def test_european_csv_detected_gives_the_same_frame(tmp_path: Path) -> None:
    data = households()
    plain = tmp_path / "plain.csv"
    european = tmp_path / "european.csv"
    data.to_csv(plain, index=False)
    data.to_csv(european, index=False, sep=";", decimal=",")
    assert "120,5" in european.read_text()
    with pytest.warns(ReaderWarning, match="decimal commas.*income"):
        table = read_table(european)
    pd.testing.assert_frame_equal(table.frame, read_table(plain).frame)
    assert table.source.decimal == ","
    assert table.frame["income"].iloc[0] == 120.5


def test_decimal_comma_declared_and_semicolon_only_file(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("a;b\n1;2\n3;4\n")  # nothing to detect: integers only
    table = read_table(path, decimal=",")
    assert table.frame["a"].tolist() == [1, 3] and table.warnings == ()


def test_decimal_point_declared_keeps_commas_as_text_and_the_message_says_decimal(
    tmp_path: Path,
) -> None:
    path = tmp_path / "d.csv"
    path.write_text("id;income\n1;3,5\n2;4\n")
    table = read_table(path, decimal=".")
    assert table.frame["income"].tolist() == ["3,5", "4"]
    message = describe_text_in_numbers(table.frame, "income", table.source)
    assert "d.csv" in message and "'income'" in message and "line 2" in message
    assert "'3,5'" in message and 'decimal: ","' in message


def test_point_in_a_decimal_comma_file_is_not_guessed(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("id;price;weight\n1;3,5;1.250\n2;4,25;2.500\n")
    with pytest.warns(ReaderWarning):
        table = read_table(path)
    assert table.frame["price"].tolist() == [3.5, 4.25]
    assert table.frame["weight"].tolist() == ["1.250", "2.500"]  # 1.25 or 1250? not guessed
    message = describe_text_in_numbers(table.frame, "weight", table.source)
    assert "thousands separator" in message and "lines 2, 3" in message


def test_non_utf8_csv_is_a_named_error(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("name,town\nAna,Bogota\nJosé,Medellín\n".encode("cp1252"))
    with pytest.raises(DataError, match=r"latin.csv: the file is not UTF-8.*line 3.*0xe9"):
        read_table(path)


def test_utf8_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffname,n\nJosé,1\n".encode())
    assert list(read_table(path).frame.columns) == ["name", "n"]


def test_empty_csv_and_unknown_format_and_missing_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(DataError, match="empty.csv: the file is empty"):
        read_table(empty)
    odd = tmp_path / "data.json"
    odd.write_text("{}")
    with pytest.raises(DataError, match=r"unknown data format '.json'.*\.xlsx.*\.dta"):
        read_table(odd)
    with pytest.raises(DataError, match="no such file"):
        read_table(tmp_path / "absent.csv")


def test_bad_options_are_config_errors(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("a\n1\n")
    with pytest.raises(ConfigError, match="decimal must be"):
        read_table(path, decimal=";")
    with pytest.raises(ConfigError, match="'sheet' applies to Excel workbooks only"):
        read_table(path, sheet="Data")


def test_a_date_that_is_no_calendar_date_is_named_by_line(tmp_path: Path) -> None:
    path = tmp_path / "visits.csv"
    path.write_text("id,day\n1,2024-02-28\n2,2024-02-30\n3,\n4,2024-13-01\n")
    with pytest.raises(DataError) as info:
        read_table(path)
    message = str(info.value)
    assert "visits.csv: column 'day': lines 3, 5 are not calendar dates" in message
    assert "'2024-02-30'" in message
    # a missing-value code written like a date is blanked before the dates are checked
    table = read_table(path, missing_values={"day": ["2024-02-30", "2024-13-01"]})
    assert table.frame["day"].isna().tolist() == [False, True, True, True]
    assert table.frame["day"].iloc[0] == pd.Timestamp("2024-02-28")
