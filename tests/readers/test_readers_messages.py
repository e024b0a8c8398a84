"""describe_text_in_numbers: file, column, rows as file lines / sheet rows, values, fixes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from impactkit.readers import Source, describe_text_in_numbers, read_table


def test_csv_lines_values_and_missing_values_hint(tmp_path: Path) -> None:
    path = tmp_path / "households.csv"
    path.write_text("id,income\n1,120\n2,.\n3,-\n4,.\n5,80\n")
    table = read_table(path)
    message = describe_text_in_numbers(table.frame, "income", table.source)
    assert message.startswith("households.csv: column 'income' holds text where a number")
    assert "'.' (2x), '-' (1x)" in message
    assert "lines 3, 4, 5" in message  # header is line 1; "." is on line 3
    assert path.read_text().splitlines()[2].endswith(",.")
    assert (
        'missing_values: [".", "-"]' in message
        and 'missing_values: {income: [".", "-"]}' in message
    )
    assert "decimal" not in message


def test_decimal_hint_and_many_rows() -> None:
    frame = pd.DataFrame({"w": [f"{i},5" for i in range(20)]}, index=range(2, 22))
    message = describe_text_in_numbers(frame, "w", Source(Path("x.csv"), "csv"))
    assert 'decimal: ","' in message and "missing_values" not in message
    assert "(and 12 more)" in message and "and 14 other values" in message


def test_observations_and_a_column_without_text() -> None:
    frame = pd.DataFrame({"a": ["1", "DK"], "b": [1.0, 2.0]}, index=[1, 2])
    source = Source(Path("s.dta"), "stata")
    assert "observation 2" in describe_text_in_numbers(frame, "a", source)
    assert "holds no text" in describe_text_in_numbers(frame, "b", source)
