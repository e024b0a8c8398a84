"""The water-filter sample read from Excel, a labelled Stata file and a Kobo export with its
form gives the report numbers of the CSV, with labels instead of codes (issue 16).

Independent reference: the analysis of the committed CSV files (a different reader path:
text cells typed by impactkit.readers.csv); labels may only rename groups."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
import yaml
from _testpaths import ROOT

from impactkit.analysis import analyse
from impactkit.errors import ConfigError, DataError
from impactkit.initiative import load
from impactkit.readers import read_table

SAMPLE = ROOT / "sample_data" / "water_filter"
KOBO = ROOT / "sample_data" / "kobo_export"
HEAD = {0: "Male-headed", 1: "Female-headed"}
NUMBERS = ["value", "ci_low", "ci_high", "p_value", "n"]


def _initiative(folder: Path, data: dict, labels: dict | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in (
        "indicators.yaml",
        "households.csv",
        "distribution.csv",
        "usage.csv",
        "districts.geojson",
    ):
        shutil.copy(SAMPLE / name, folder / name)
    config = yaml.safe_load((SAMPLE / "initiative.yaml").read_text(encoding="utf-8"))
    config["data"] = data
    if labels is not None:
        config["labels"] = labels
    path = folder / "initiative.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def _numbers(path: Path) -> pd.DataFrame:
    frame = analyse(path).results_frame()
    return frame[frame["section"] != "data quality"].reset_index(drop=True)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    folder = tmp_path_factory.mktemp("csv")
    csv = {"survey": "households.csv", "distribution": "distribution.csv", "usage": "usage.csv"}
    return _numbers(_initiative(folder, csv, {"female_head": HEAD}))


def _same_numbers(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(got["item"]) == list(expected["item"])
    pd.testing.assert_frame_equal(got[NUMBERS], expected[NUMBERS], check_dtype=False)
    assert list(got["group"].astype(str)) == list(expected["group"].astype(str))


def test_labels_name_the_subgroups_and_never_change_a_number(
    tmp_path: Path, reference: pd.DataFrame
) -> None:
    groups = set(reference["group"].astype(str))
    assert {"female_head=Male-headed", "female_head=Female-headed"} <= groups
    csv = {"survey": "households.csv", "distribution": "distribution.csv", "usage": "usage.csv"}
    codes = _numbers(_initiative(tmp_path, csv))
    assert {"female_head=0", "female_head=1"} <= set(codes["group"].astype(str))
    pd.testing.assert_frame_equal(codes[NUMBERS], reference[NUMBERS])


def test_excel_workbook_gives_the_csv_numbers(tmp_path: Path, reference: pd.DataFrame) -> None:
    book = tmp_path / "water.xlsx"
    with pd.ExcelWriter(book, engine="openpyxl") as writer:
        for name in ("households", "distribution", "usage"):
            frame = read_table(SAMPLE / f"{name}.csv").frame
            frame.to_excel(writer, sheet_name=name, index=False)
    data = {n: {"file": "water.xlsx", "sheet": s} for n, s in
            (("survey", "households"), ("distribution", 1), ("usage", "usage"))}  # fmt: skip
    path = _initiative(tmp_path / "w", data, {"female_head": HEAD})
    shutil.copy(book, path.parent / "water.xlsx")
    _same_numbers(_numbers(path), reference)


def test_labelled_stata_file_gives_the_csv_numbers_with_its_labels(
    tmp_path: Path, reference: pd.DataFrame
) -> None:
    folder = tmp_path / "dta"
    path = _initiative(folder, {"survey": "households.csv"})
    survey = read_table(SAMPLE / "households.csv").frame
    pyreadstat.write_dta(
        survey.assign(survey_date=pd.to_datetime(survey["survey_date"])),
        str(folder / "households.dta"),
        column_labels={"female_head": "Household head is a woman"},
        variable_value_labels={"female_head": HEAD},
    )
    data = {"survey": "households.dta", "distribution": "distribution.csv", "usage": "usage.csv"}
    path = _initiative(folder, data)  # no labels: key -- the labels come from the file
    _same_numbers(_numbers(path), reference)
    analysis = analyse(path)
    row = analysis.data_dictionary.query("column == 'female_head' and `data set` == 'survey'")
    assert row["label"].iloc[0] == "Household head is a woman"
    assert "1 = Female-headed" in row["values"].iloc[0]


def test_kobo_export_with_its_form_gives_the_csv_numbers(
    tmp_path: Path, reference: pd.DataFrame
) -> None:
    folder = tmp_path / "kobo"
    folder.mkdir()
    for name in ("households_kobo.xlsx", "form.xlsx"):
        shutil.copy(KOBO / name, folder / name)
    survey = {
        "file": "households_kobo.xlsx",
        "form": "form.xlsx",
        "missing_values": {"distance_to_water_km": [99]},
    }
    data = {"survey": survey, "distribution": "distribution.csv", "usage": "usage.csv"}
    path = _initiative(folder, data)
    _same_numbers(_numbers(path), reference)
    codes = analyse(path).missing_codes
    assert codes.to_dict("records") == [
        {"data set": "survey", "column": "distance_to_water_km", "code": "99", "count": 55}
    ]


def test_text_in_a_numeric_column_names_file_column_lines_and_the_fix(tmp_path: Path) -> None:
    folder = tmp_path / "dots"
    path = _initiative(folder, {"survey": "households.csv", "distribution": "distribution.csv"})
    lines = (folder / "households.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    at = header.index("water_treated_today")
    for number in (4, 9):  # file lines 4 and 9
        cells = lines[number - 1].split(",")
        cells[at] = "."
        lines[number - 1] = ",".join(cells)
    (folder / "households.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    del config["adoption"]["sustained_use"]
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    with pytest.raises(DataError) as err:
        analyse(path)
    message = str(err.value)
    for part in ("households.csv", "'water_treated_today'", "lines 4, 9", "'.' (2x)",
                 'missing_values: ["."]'):  # fmt: skip
        assert part in message, message


def test_bad_data_entries_name_the_file_and_key(tmp_path: Path) -> None:
    bad = [
        ({"survey": "households.json"}, "accepted: .csv"),
        ({"survey": {"file": "households.csv", "sheet": 1}}, "Excel workbooks only"),
        ({"survey": {"file": "households.csv", "colour": 1}}, "unknown key"),
        ({"survey": {"file": "households.csv", "decimal": ";"}}, "data.survey.decimal"),
        ({"survey": {"file": "households.csv", "missing_values": "DK"}}, "missing_values"),
        ({"survey": {"file": "households.csv", "form": "nope.xlsx"}}, "file not found"),
    ]
    for i, (data, expected) in enumerate(bad):
        path = _initiative(tmp_path / str(i), {**data, "distribution": "distribution.csv"})
        with pytest.raises(ConfigError, match="initiative.yaml") as err:
            load(path)
        assert expected in str(err.value)
    csv = {"survey": "households.csv", "distribution": "distribution.csv", "usage": "usage.csv"}
    path = _initiative(tmp_path / "lab", csv, {"no_such": {1: "a"}})
    with pytest.raises(ConfigError, match="labels.no_such"):
        analyse(path)
