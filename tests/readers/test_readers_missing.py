"""Missing-value codes: blanked, counted by column and code, exactly."""

from __future__ import annotations

import string
from pathlib import Path

import pandas as pd
import pytest
from _readers_files import write_rows_xlsx
from hypothesis import given
from hypothesis import strategies as st

from impactkit.errors import ConfigError, MissingColumnError
from impactkit.readers import ReaderWarning, read_table
from impactkit.readers.missing import apply_missing, parse_missing_values


def test_csv_codes_are_blanked_counted_and_the_column_becomes_numeric(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("id,age,income,answer\n1,34,120,yes\n2,.,99,DK\n3,-,80.5,Refused\n"
                    "4,41,-9,yes\n5, . ,99.0,DK\n")  # fmt: skip
    table = read_table(path, missing_values=[".", "-", 99, -9, "DK", "Refused"])
    assert table.frame["age"].tolist()[::3] == [34.0, 41.0]
    assert table.frame["age"].dtype == "float64"  # was text because of "." and "-"
    assert table.frame["income"].isna().tolist() == [False, True, False, True, True]
    counts = table.missing_counts.set_index(["column", "code"])["count"].to_dict()
    assert counts == {
        ("age", "."): 2, ("age", "-"): 1, ("income", "99"): 2, ("income", "-9"): 1,
        ("answer", "DK"): 2, ("answer", "Refused"): 1,
    }  # fmt: skip
    assert list(table.missing_counts.columns) == ["column", "code", "count"]


def test_per_column_codes_leave_other_columns_alone(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("age,children\n99,99\n30,2\n")
    table = read_table(path, missing_values={"age": 99})
    assert table.frame["children"].tolist() == [99, 2]
    assert table.missing_counts.to_dict("records") == [{"column": "age", "code": "99", "count": 1}]


def test_codes_in_a_workbook_and_with_decimal_commas(tmp_path: Path) -> None:
    rows = [["x", "y"], [1.5, "DK"], [99, 2], ["99", "n/a"]]
    table = read_table(write_rows_xlsx(tmp_path / "w.xlsx", {"S": rows}), missing_values=[99, "DK"])
    assert table.frame["x"].tolist()[0] == 1.5 and table.frame["x"].isna().sum() == 2
    assert table.missing_counts["count"].tolist() == [2, 1]
    path = tmp_path / "e.csv"
    path.write_text("a;b\n99,0;1,5\n2,5;-9\n")
    with pytest.warns(ReaderWarning, match="decimal commas"):
        table = read_table(path, missing_values=[99, -9])
    assert table.frame["a"].tolist()[1] == 2.5 and table.frame["b"].tolist()[0] == 1.5
    assert table.missing_counts["count"].sum() == 2


def test_bad_specifications(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("age\n1\n")
    with pytest.raises(
        MissingColumnError, match="missing_values: column 'agee' is not in the data"
    ):
        read_table(path, missing_values={"agee": [99]})
    with pytest.raises(ConfigError, match="expected a list of codes"):
        parse_missing_values("99")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match=r"missing_values.age: a missing-value code"):
        parse_missing_values({"age": [True]})


def test_booleans_never_match_number_codes() -> None:
    frame = pd.DataFrame({"flag": [True, False], "mixed": [True, 1]})
    out, counts = apply_missing(frame, parse_missing_values([1, 0]))
    assert out["flag"].tolist() == [True, False]
    assert counts.to_dict("records") == [{"column": "mixed", "code": "1", "count": 1}]


_CELLS = st.one_of(
    st.sampled_from([".", "-", "DK", "dk", " DK ", "99", "99.0", "9", "-9", "x", ""]),
    st.text(alphabet=string.ascii_letters + string.digits + ".-", max_size=4),
    st.integers(-10, 100),
)
_CODES = st.lists(st.sampled_from([".", "-", "DK", 99, -9, "x", 9]), unique=True, max_size=5)


def _brute_force(cell: object, code: object) -> bool:
    """Independent matcher: text compares stripped; numbers compare as numbers."""
    if isinstance(code, int):
        if isinstance(cell, int) and not isinstance(cell, bool):
            return cell == code
        try:
            return float(str(cell).strip()) == code
        except ValueError:
            return False
    return isinstance(cell, str) and cell.strip() == code


@given(st.lists(st.lists(_CELLS, min_size=2, max_size=2), min_size=1, max_size=15), _CODES)
def test_property_counting_counts_exactly_the_codes_present(
    rows: list[list[object]], codes: list[object]
) -> None:
    frame = pd.DataFrame(rows, columns=["a", "b"], dtype=object)
    out, counts = apply_missing(frame, parse_missing_values(codes))  # type: ignore[arg-type]
    expected: dict[tuple[str, str], int] = {}
    for column in frame.columns:
        for row, cell in enumerate(frame[column]):
            hit = next((c for c in codes if _brute_force(cell, c)), None)
            assert pd.isna(out[column].iloc[row]) == (hit is not None or pd.isna(cell))
            if hit is not None:
                expected[(column, str(hit))] = expected.get((column, str(hit)), 0) + 1
            else:
                assert out[column].iloc[row] == cell  # untouched
    got = {(r.column, r.code): r.count for r in counts.itertuples()}
    assert got == expected
    assert frame.equals(pd.DataFrame(rows, columns=["a", "b"], dtype=object))  # not mutated
