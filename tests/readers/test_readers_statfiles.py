"""Stata and SPSS files written by pyreadstat with labels: the CSV's numbers, their value and
variable labels, SPSS user-missing values counted, label sets that miss a code warned."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _readers_files import households

from impactkit.errors import DataError
from impactkit.readers import ReaderWarning, read_table

pyreadstat = pytest.importorskip("pyreadstat")

LABELS = {"female_head": {0: "male-headed", 1: "female-headed"}}
COLUMN_LABELS = {"female_head": "Household head is a woman", "hh_size": "Household size"}


def _csv_frame(tmp_path: Path) -> pd.DataFrame:
    households().to_csv(tmp_path / "h.csv", index=False)
    return read_table(tmp_path / "h.csv").frame.reset_index(drop=True)


def test_dta_gives_the_csv_frame_and_its_labels(tmp_path: Path) -> None:
    data = households()
    path = tmp_path / "h.dta"
    pyreadstat.write_dta(data, str(path), variable_value_labels=LABELS, column_labels=COLUMN_LABELS)
    table = read_table(path)
    pd.testing.assert_frame_equal(table.frame.reset_index(drop=True), _csv_frame(tmp_path))
    assert table.frame.index[0] == 1 and table.source.kind == "stata"
    assert table.value_labels == LABELS
    assert table.variable_labels == COLUMN_LABELS
    assert table.warnings == ()


@pytest.mark.parametrize("suffix", [".sav", ".zsav"])
def test_sav_and_zsav_give_the_csv_frame_and_labels(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"h{suffix}"
    pyreadstat.write_sav(
        households(),
        str(path),
        variable_value_labels=LABELS,
        column_labels=COLUMN_LABELS,
        compress=suffix == ".zsav",
    )
    table = read_table(path)
    pd.testing.assert_frame_equal(table.frame.reset_index(drop=True), _csv_frame(tmp_path))
    assert table.value_labels == LABELS  # keys are ints, as in the data (SPSS stores 1.0)
    assert table.variable_labels == COLUMN_LABELS
    assert table.source.kind == "spss"


def test_sav_user_missing_values_are_blanked_and_counted(tmp_path: Path) -> None:
    data = pd.DataFrame({"age": [30.0, 99.0, 41.0, -9.0, 99.0], "q1": [1.0, 2.0, 8.0, 1.0, 2.0]})
    path = tmp_path / "m.sav"
    pyreadstat.write_sav(
        data,
        str(path),
        variable_value_labels={"age": {99: "Refused", -9: "Don't know"}, "q1": {1: "yes", 2: "no"}},
        missing_ranges={"age": [99, -9], "q1": [{"lo": 7, "hi": 9}]},
    )
    table = read_table(path)
    assert table.frame["age"].dropna().tolist() == [30.0, 41.0]
    assert table.frame["age"].isna().tolist() == [False, True, False, True, True]
    assert table.frame["q1"].isna().tolist() == [False, False, True, False, False]
    counts = {(r.column, r.code): r.count for r in table.missing_counts.itertuples()}
    assert counts == {("age", "99"): 2, ("age", "-9"): 1, ("q1", "8"): 1}
    # a label set for missing codes only (age) is not an answer label set: no warning
    assert table.warnings == ()


def test_sav_label_set_not_covering_a_code_warns_with_the_code(tmp_path: Path) -> None:
    data = pd.DataFrame({"region": [1.0, 2.0, 3.0, 4.0, 4.0, 2.0]})
    path = tmp_path / "r.sav"
    pyreadstat.write_sav(
        data, str(path), variable_value_labels={"region": {1: "North", 2: "South"}}
    )
    with pytest.warns(ReaderWarning, match=r"column 'region'.*do not cover codes 3, 4 \(3 rows\)"):
        table = read_table(path)
    assert len(table.warnings) == 1 and "r.sav" in table.warnings[0]
    assert table.frame["region"].tolist() == [1, 2, 3, 4, 4, 2]  # numbers untouched


def test_missing_values_option_adds_to_the_file(tmp_path: Path) -> None:
    path = tmp_path / "h.dta"
    data = households().assign(hh_size=[4, 99, 3, 5, 99, 2])
    pyreadstat.write_dta(data, str(path))
    table = read_table(path, missing_values={"hh_size": [99]})
    assert table.frame["hh_size"].isna().sum() == 2
    assert table.missing_counts.to_dict("records") == [
        {"column": "hh_size", "code": "99", "count": 2}
    ]
    assert np.nanmean(table.frame["hh_size"]) == 3.5


def test_corrupt_statfiles_are_named_errors(tmp_path: Path) -> None:
    for name in ("bad.dta", "bad.sav"):
        path = tmp_path / name
        path.write_bytes(b"\x00not a stat file" * 20)
        with pytest.raises(DataError, match=rf"{name}: not a readable (Stata|SPSS) file"):
            read_table(path)


def test_water_filter_sample_as_xlsx_and_dta_gives_the_csv_frame(tmp_path: Path) -> None:
    from _readers_files import write_xlsx

    csv = Path(__file__).resolve().parents[2] / "sample_data/water_filter/households.csv"
    expected = read_table(csv).frame
    write_xlsx(tmp_path / "h.xlsx", {"households": expected})
    pd.testing.assert_frame_equal(read_table(tmp_path / "h.xlsx").frame, expected)
    pyreadstat.write_dta(expected, str(tmp_path / "h.dta"))
    from_dta = read_table(tmp_path / "h.dta").frame
    pd.testing.assert_frame_equal(from_dta.reset_index(drop=True), expected.reset_index(drop=True))
