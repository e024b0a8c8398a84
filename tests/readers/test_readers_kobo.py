"""KoboToolbox / ODK exports with their XLSForm: group prefixes, select_one labels,
select_multiple split (both export styles), meta columns, unknown answers listed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from _readers_files import write_rows_xlsx

from impactkit.errors import DataError
from impactkit.readers import ReaderWarning, read_table

SURVEY = [
    ["type", "name", "label"],
    ["start", "start", None],
    ["begin_group", "household", "Household"],
    ["integer", "hh_size", "How many people live here?"],
    ["select_one yes_no", "female_head", "Is the head of household a woman?"],
    ["end_group", None, None],
    ["begin_group", "water", "Water"],
    ["select_multiple sources", "water_source", "Where do you get water?"],
    ["select_one treat", "treated", "Did you treat the water today?"],
    ["end_group", None, None],
]
CHOICES = [
    ["list_name", "name", "label"],
    ["yes_no", 1, "Yes"],
    ["yes_no", 0, "No"],
    ["sources", "well", "Protected well"],
    ["sources", "river", "River or stream"],
    ["sources", "rain", "Rainwater"],
    ["treat", "boil", "Boiled"],
    ["treat", "filter", "Filtered"],
    ["treat", "none", "Not treated"],
]
META = ["_id", "_uuid", "_submission_time", "_index"]
ANSWERS = [  # hh_size, female_head, water_source, treated
    (5, 1, "well rain", "filter"),
    (3, 0, "river", "none"),
    (7, 0, None, "boil"),
    (2, 1, "rain", "filter"),
]


def _form(folder: Path, choices: list[list[object]] = CHOICES) -> Path:
    return write_rows_xlsx(folder / "form.xlsx", {"survey": SURVEY, "choices": choices})


def _meta(i: int) -> list[object]:
    return [100 + i, f"uuid-{i}", f"2024-03-0{i + 1}T10:15:00", i + 1]


def _export_space_separated(folder: Path, answers: list[tuple[object, ...]] = ANSWERS) -> Path:
    """Kobo's default: the select_multiple column plus its question/choice 0/1 columns."""
    header = ["start", "household/hh_size", "household/female_head", "water/water_source",
              "water/water_source/well", "water/water_source/river", "water/water_source/rain",
              "water/treated", *META]  # fmt: skip
    rows: list[list[object]] = [header]
    for i, (size, female, source, treated) in enumerate(answers):
        picked = str(source or "").split()
        flags = [None if source is None else int(c in picked) for c in ("well", "river", "rain")]
        rows.append([f"2024-03-0{i + 1}T09:00:00.000+03:00", size, female, source, *flags,
                     treated, *_meta(i)])  # fmt: skip
    return write_rows_xlsx(folder / "export.xlsx", {"data": rows})


def _export_split_only(folder: Path) -> Path:
    """Only question/choice columns, CSV with ';' (Kobo's CSV default) and '.' groups."""
    header = ["household.hh_size", "household.female_head", "water_source/well",
              "water_source/river", "water_source/rain", "water.treated", *META]  # fmt: skip
    lines = [";".join(header)]
    for i, (size, female, source, treated) in enumerate(ANSWERS):
        picked = str(source or "").split()
        flags = ["" if source is None else str(int(c in picked)) for c in ("well", "river", "rain")]
        lines.append(";".join(map(str, [size, female, *flags, treated, *_meta(i)])))
    path = folder / "export.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def _expected() -> pd.DataFrame:
    """The frame an analyst means, written out by hand."""
    return pd.DataFrame(
        {
            "hh_size": [5, 3, 7, 2],
            "female_head": [1, 0, 0, 1],
            "water_source/well": [1.0, 0.0, float("nan"), 0.0],
            "water_source/river": [0.0, 1.0, float("nan"), 0.0],
            "water_source/rain": [1.0, 0.0, float("nan"), 1.0],
            "treated": ["filter", "none", "boil", "filter"],
        }
    )


def test_kobo_xlsx_export_with_form(tmp_path: Path) -> None:
    table = read_table(_export_space_separated(tmp_path), form=_form(tmp_path))
    frame = table.frame.reset_index(drop=True)
    expected = _expected()
    pd.testing.assert_frame_equal(frame[expected.columns], expected, check_dtype=False)
    assert frame["water_source"].tolist()[:2] == ["well rain", "river"]  # answers kept
    assert (
        list(frame.columns).index("water_source/well")
        == list(frame.columns).index("water_source") + 1
    )
    assert table.value_labels["female_head"] == {1: "Yes", 0: "No"}
    assert table.value_labels["treated"]["filter"] == "Filtered"
    assert table.variable_labels["hh_size"] == "How many people live here?"
    assert table.variable_labels["water_source/rain"] == "Where do you get water?: Rainwater"
    assert table.variable_labels["_uuid"] == "submission UUID"
    assert frame["_submission_time"].dtype.kind == "M"
    assert frame["start"].dtype.kind == "M"  # offsets -> UTC
    assert frame["start"].iloc[0] == pd.Timestamp("2024-03-01T06:00:00", tz="UTC")
    assert frame["_index"].tolist() == [1, 2, 3, 4]
    assert table.warnings == ()


def test_both_export_styles_give_the_same_answers(tmp_path: Path) -> None:
    form = _form(tmp_path)
    one = read_table(_export_space_separated(tmp_path), form=form).frame
    split = read_table(_export_split_only(tmp_path), form=form)
    assert split.warnings == ()
    two = split.frame
    columns = list(_expected().columns) + ["_id", "_uuid", "_submission_time", "_index"]
    pd.testing.assert_frame_equal(
        one[columns].reset_index(drop=True), two[columns].reset_index(drop=True)
    )


def test_answers_not_in_the_choice_list_are_listed(tmp_path: Path) -> None:
    answers = [*ANSWERS[:2], (4, 1, "well tap", "chlorine"), (2, 1, "tap", "chlorine")]
    path = _export_space_separated(tmp_path, answers)
    with pytest.raises(DataError) as caught:
        read_table(path, form=_form(tmp_path))
    message = str(caught.value)
    assert "export.xlsx, sheet 'data'" in message and "form.xlsx" in message
    assert "'treated' (select_one treat): 'chlorine' (2x, rows 4, 5" in message
    assert "'water_source' (select_multiple sources): 'tap' (2x, rows 4, 5" in message
    assert "'boil', 'filter', 'none'" in message


def test_export_with_labels_is_mapped_back_to_names(tmp_path: Path) -> None:
    answers = [(s, f, src, {"filter": "Filtered", "none": "Not treated", "boil": "Boiled"}[t])
               for s, f, src, t in ANSWERS]  # fmt: skip
    with pytest.warns(ReaderWarning, match="'treated' holds choice labels"):
        table = read_table(_export_space_separated(tmp_path, answers), form=_form(tmp_path))
    assert table.frame["treated"].tolist() == ["filter", "none", "boil", "filter"]


def test_form_without_survey_sheet_lists_sheets(tmp_path: Path) -> None:
    form = write_rows_xlsx(tmp_path / "f.xlsx", {"questions": SURVEY})
    with pytest.raises(DataError, match=r"needs a 'survey' sheet.*'questions'"):
        read_table(_export_space_separated(tmp_path), form=form)
    with pytest.raises(DataError, match="does not exist"):
        read_table(_export_space_separated(tmp_path), form=tmp_path / "nope.xlsx")
