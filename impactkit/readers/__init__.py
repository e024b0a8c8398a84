"""Reading data as NGOs have it: CSV (either decimal mark), Excel, Stata, SPSS, Parquet, and
KoboToolbox / ODK exports with their XLSForm; missing-value codes, value labels, and error
messages that point at the file, column and rows.

>>> from impactkit.readers import read_table            # doctest: +SKIP
>>> table = read_table("households.xlsx", sheet="Data", missing_values=[99, "DK"])
>>> table.frame, table.value_labels, table.missing_counts
"""

from impactkit.readers.labels import ValueLabels, labelled
from impactkit.readers.missing import Code, MissingSpec
from impactkit.readers.source import Source
from impactkit.readers.table import SUFFIXES, LoadedTable, ReaderWarning, read_table
from impactkit.readers.text_in_numbers import describe_text_in_numbers, text_cells

__all__ = [
    "read_table",
    "LoadedTable",
    "ReaderWarning",
    "Source",
    "labelled",
    "describe_text_in_numbers",
    "text_cells",
    "ValueLabels",
    "Code",
    "MissingSpec",
    "SUFFIXES",
]
