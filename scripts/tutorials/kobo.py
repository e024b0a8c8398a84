"""Tutorial 05: from a KoboToolbox export (with its XLSForm) to the impact report's numbers."""

from __future__ import annotations

from ._cells import code, md

__all__ = ["KOBO"]

KOBO = [
    md(
        """
# From a KoboToolbox export to an impact report

Survey teams collect data with KoboToolbox or ODK Collect and download an **export**: an Excel
workbook whose headers carry the form's groups (`household/hh_size`), whose answers are the
choices' *names* (`0`, `1`, `Riverside`), with the server's meta columns (`_uuid`,
`_submission_time`, ...) and the codes enumerators type when there is no answer (`99` = don't
know). The **XLSForm** the survey was built with says what each code means.

`sample_data/kobo_export/` holds such an export of the water-filter household survey and its
form, written by `python -m sample_data.generate.kobo_export` (seeded; the answers are those of
`sample_data/water_filter/households.csv`).
"""
    ),
    code(
        """
import pandas as pd

import impactkit as ik
from impactkit.readers import read_table

export = pd.read_excel("../sample_data/kobo_export/households_kobo.xlsx")
export.iloc[:3, :8]
"""
    ),
    md(
        """
## Read it with its form

`read_table` with `form=` resolves the group prefixes to question names, gives `select_one`
questions their choice labels (as *value labels*: the codes stay in the data), splits the
`select_multiple` answer into 0/1 columns, understands the meta columns, and makes the declared
missing-value codes missing -- counting them by code.
"""
    ),
    code(
        """
table = read_table(
    "../sample_data/kobo_export/households_kobo.xlsx",
    form="../sample_data/kobo_export/form.xlsx",
    missing_values={"distance_to_water_km": [99]},
)
survey = table.frame
print(table.value_labels["female_head"])
print(table.variable_labels["distance_to_water_km"])
table.missing_counts
"""
    ),
    code(
        """
survey.filter(like="water_sources").head()
"""
    ),
    md(
        """
## The same numbers as the CSV

The indicators read the codes, so the export gives exactly the numbers of the CSV file.
"""
    ),
    code(
        """
catalog = ik.Catalog.from_yaml("../sample_data/water_filter/indicators.yaml")
from_kobo = ik.compute(catalog["diarrhoea_prevalence"], survey, by=["arm", "round"])
from_csv = ik.compute(
    catalog["diarrhoea_prevalence"],
    read_table("../sample_data/water_filter/households.csv").frame,
    by=["arm", "round"],
)
assert from_kobo[["value", "ci_low", "ci_high", "n"]].equals(
    from_csv[["value", "ci_low", "ci_high", "n"]]
)
from_kobo[["arm", "round", "value", "ci_low", "ci_high", "n"]]
"""
    ),
    md(
        """
## Labels for the groups

Labels only rename groups; every number stays as it is.
"""
    ),
    code(
        """
from impactkit.analysis import display_labels

by_head = ik.compute(catalog["diarrhoea_prevalence"], survey, by=["female_head", "round"])
display_labels(by_head, table.value_labels)[["female_head", "round", "value", "n"]]
"""
    ),
    md(
        """
## In an initiative file

A data entry may be a file name or a mapping with `file`, `sheet`, `form`, `decimal` and
`missing_values`; `labels:` adds or overrides labels. The report then names groups by their
labels, counts the missing-value codes in the data-quality appendix and lists the form's
question labels in its data dictionary:

```yaml
data:
  survey:
    file: households_kobo.xlsx
    form: form.xlsx
    missing_values: {distance_to_water_km: [99]}
  distribution: distribution.csv
labels:
  wealth_quintile: {1: poorest, 2: second, 3: middle, 4: fourth, 5: richest}
```

`impactkit report initiative.yaml --format docx` writes the same report as a Word document.
"""
    ),
]
