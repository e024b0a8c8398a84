"""A KoboToolbox-style export of the water-filter household survey, with its XLSForm.

``python -m sample_data.generate.kobo_export`` writes ``sample_data/kobo_export/``:

* ``form.xlsx`` -- the XLSForm (``survey`` and ``choices`` sheets) the survey was collected
  with: questions in the groups ``household`` and ``health``, ``select_one`` questions whose
  choices carry the labels the report shows (``female_head``: 0 = "Male-headed", 1 =
  "Female-headed"; the yes/no questions), and one ``select_multiple`` question;
* ``households_kobo.xlsx`` -- the export as KoboToolbox writes it with "XML values and
  headers": group prefixes in the headers (``household/hh_size``), answers as choice names,
  the ``select_multiple`` answer as one space-separated column, the meta columns (``start``,
  ``end``, ``_id``, ``_uuid``, ``_submission_time``, ``_index``), and the code ``99`` ("don't
  know") where the household could not say how far its water source is.

The answers are those of ``sample_data/water_filter/households.csv`` (so an analysis of the
export gives the CSV's numbers once ``missing_values: {distance_to_water_km: [99]}`` is
declared); the meta values and the water sources are drawn from a generator seeded with
:data:`SEED`, so the cell content is the same on every run (the workbook's document
dates are pinned; the zip container's own timestamps are not, so the bytes may differ).
"""

from __future__ import annotations

import argparse
import datetime as dt
import uuid
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

__all__ = ["SEED", "FORM_SURVEY", "FORM_CHOICES", "kobo_export", "write_kobo_export"]

SEED = 20240416
ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("borehole", "river", "rain", "vendor")

#: (type, name, label) rows of the form's ``survey`` sheet.
FORM_SURVEY: tuple[tuple[str, str, str], ...] = (
    ("start", "start", ""),
    ("end", "end", ""),
    ("begin_group", "household", "Household"),
    ("text", "household_id", "Household identifier"),
    ("text", "village", "Village"),
    ("select_one district", "district", "District"),
    ("select_one arm", "arm", "Study arm"),
    ("integer", "treated", "Village received the filter programme (1 = yes)"),
    ("select_one round", "round", "Survey round"),
    ("integer", "post", "Endline round (1 = yes)"),
    ("date", "survey_date", "Date of the interview"),
    ("integer", "hh_size", "People living in the household"),
    ("select_one head", "female_head", "Who heads the household?"),
    ("integer", "wealth_quintile", "Wealth quintile (1 = poorest)"),
    ("decimal", "distance_to_water_km", "Distance to the main water source (km; 99 = don't know)"),
    ("integer", "children_under5", "Children under five in the household"),
    ("end_group", "", ""),
    ("begin_group", "health", "Water and health"),
    ("select_one yes_no", "child_diarrhoea_2wk", "A child under five had diarrhoea (2 weeks)"),
    ("select_one yes_no", "water_treated_today", "Treated water seen in the storage container"),
    ("select_one yes_no", "e_coli_positive", "Stored water tested positive for E. coli"),
    ("select_one yes_no", "filter_in_use", "Filter seen in use"),
    ("select_multiple sources", "water_sources", "Where does the household get drinking water?"),
    ("end_group", "", ""),
)

#: (list_name, name, label) rows of the form's ``choices`` sheet.
FORM_CHOICES: tuple[tuple[str, object, str], ...] = (
    ("district", "Central", "Central"),
    ("district", "Hillside", "Hillside"),
    ("district", "Riverside", "Riverside"),
    ("arm", "comparison", "comparison"),
    ("arm", "treatment", "treatment"),
    ("round", "baseline", "baseline"),
    ("round", "endline", "endline"),
    ("head", 0, "Male-headed"),
    ("head", 1, "Female-headed"),
    ("yes_no", 0, "No"),
    ("yes_no", 1, "Yes"),
    *(("sources", s, s.capitalize()) for s in SOURCES),
)

_GROUPS = {"household": range(3, 16), "health": range(18, 23)}
_PINNED = dt.datetime(2025, 7, 1)


def kobo_export(households: pd.DataFrame, seed: int = SEED) -> pd.DataFrame:
    """The export frame for ``households`` (the CSV's rows, in order)."""
    rng = np.random.default_rng(seed)
    n = len(households)
    group_of = {FORM_SURVEY[i][1]: g for g, rows in _GROUPS.items() for i in rows}
    dates = pd.to_datetime(households["survey_date"])
    start = dates + pd.to_timedelta(rng.integers(8 * 60, 16 * 60, n), unit="min")
    out = pd.DataFrame({"start": start.dt.strftime("%Y-%m-%dT%H:%M:%S")})
    out["end"] = (start + pd.to_timedelta(rng.integers(12, 40, n), unit="min")).dt.strftime(
        "%Y-%m-%dT%H:%M:%S"
    )
    for column in households.columns:
        values = households[column]
        if column == "distance_to_water_km":
            values = values.fillna(99)  # the enumerators' code for "don't know"
        out[f"{group_of[column]}/{column}"] = values
    picks = rng.random((n, len(SOURCES))) < (0.6, 0.3, 0.2, 0.1)
    picks[~picks.any(axis=1), 0] = True
    out["health/water_sources"] = [
        " ".join(s for s, p in zip(SOURCES, row, strict=True) if p) for row in picks
    ]
    out["_id"] = np.arange(1, n + 1) + 41000
    out["_uuid"] = [str(uuid.UUID(bytes=rng.bytes(16), version=4)) for _ in range(n)]
    out["_submission_time"] = (start + pd.Timedelta(hours=6)).dt.strftime("%Y-%m-%dT%H:%M:%S")
    out["_index"] = np.arange(1, n + 1)
    return out


def _write(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append([None if isinstance(v, float) and np.isnan(v) else v for v in row])
    book.properties.created = book.properties.modified = _PINNED
    book.save(path)


def write_kobo_export(out: Path = ROOT / "kobo_export") -> tuple[Path, Path]:
    """Write ``form.xlsx`` and ``households_kobo.xlsx`` into ``out``; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    households = pd.read_csv(ROOT / "water_filter" / "households.csv")
    form = out / "form.xlsx"
    survey = [["type", "name", "label"], *[list(r) for r in FORM_SURVEY]]
    choices = [["list_name", "name", "label"], *[list(r) for r in FORM_CHOICES]]
    _write(form, {"survey": survey, "choices": choices})
    export = kobo_export(households)
    data = out / "households_kobo.xlsx"
    rows = [list(export.columns), *export.astype(object).to_numpy().tolist()]
    _write(data, {"Clean Water at Home": rows})
    return form, data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "kobo_export")
    args = parser.parse_args()
    for path in write_kobo_export(args.out):
        print(path)


if __name__ == "__main__":
    main()
