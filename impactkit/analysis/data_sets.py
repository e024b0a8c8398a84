"""The initiative's data sets as read: frames, labels, missing-value codes and a dictionary.

:func:`load_data_sets` reads every data set once with :func:`impactkit.readers.read_table`
(through :meth:`Initiative.load_table`), merges each one's value labels with the initiative's
``labels:``, and keeps what the readers found (missing-value codes made missing, reader
warnings) for the data-quality appendix.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import ConfigError
from ..readers import LoadedTable, ReaderWarning
from .labels import merged_labels

if TYPE_CHECKING:
    from ..indicators import Indicator
    from ..initiative import Initiative

__all__ = [
    "DataSets",
    "load_data_sets",
    "data_dictionary",
    "MISSING_CODE_COLUMNS",
    "DICTIONARY_COLUMNS",
]

MISSING_CODE_COLUMNS = ("data set", "column", "code", "count")
DICTIONARY_COLUMNS = ("data set", "column", "label", "values")


@dataclass(frozen=True)
class DataSets:
    """Every data set of an initiative, read."""

    tables: Mapping[str, LoadedTable]
    labels: Mapping[str, Mapping[str, Mapping[str | int | float, str]]]

    @property
    def frames(self) -> dict[str, pd.DataFrame]:
        """``name -> frame`` (codes as they are)."""
        return {name: table.frame for name, table in self.tables.items()}

    def notes(self) -> tuple[str, ...]:
        """What the readers noted while reading (label sets that miss codes, decimal commas)."""
        return tuple(w for t in self.tables.values() for w in t.warnings)

    def missing_codes(self) -> pd.DataFrame:
        """Missing-value codes made missing, counted by data set, column and code."""
        parts = [
            t.missing_counts.assign(**{"data set": name})
            for name, t in self.tables.items()
            if not t.missing_counts.empty
        ]
        if not parts:
            return pd.DataFrame({c: pd.Series(dtype="str") for c in MISSING_CODE_COLUMNS})
        table = pd.concat(parts, ignore_index=True)
        return table[list(MISSING_CODE_COLUMNS)].astype({"count": "int64"})


def load_data_sets(init: Initiative) -> DataSets:
    """Read each data set once (reader warnings are kept, not printed twice)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReaderWarning)
        tables = {name: init.load_table(name) for name in init.data_files}
    _check_label_columns(init, tables)
    labels = {
        name: merged_labels(t.frame, t.value_labels, init.labels) for name, t in tables.items()
    }
    return DataSets(tables, labels)


def _check_label_columns(init: Initiative, tables: Mapping[str, LoadedTable]) -> None:
    for column in init.labels:
        if not any(column in t.frame.columns for t in tables.values()):
            raise ConfigError(
                f"{init.path}: key 'labels.{column}': no data set has a column {column!r}"
            )


def data_dictionary(
    init: Initiative,
    indicators: list[Indicator],
    data_sets: DataSets,
    design_columns: Iterable[str] = (),
) -> pd.DataFrame:
    """The columns the report's indicators and design use, with their variable labels (from
    the file or form) and value labels: one row per data set and column."""
    used: list[str] = []
    for ind in indicators:
        used += sorted(ind.columns)
    used += [c for c in (*design_columns, *_design_columns(init)) if c]
    rows = []
    for name, table in data_sets.tables.items():
        frame = table.frame
        for column in dict.fromkeys(used):
            if column not in frame.columns:
                continue
            values = data_sets.labels[name].get(column, {})
            rows.append(
                {
                    "data set": name,
                    "column": column,
                    "label": table.variable_labels.get(column, ""),
                    "values": "; ".join(f"{_code(c)} = {v}" for c, v in values.items()),
                }
            )
    return pd.DataFrame(rows, columns=list(DICTIONARY_COLUMNS))


def _design_columns(init: Initiative) -> list[str | None]:
    cols = [init.columns.unit, init.columns.period, init.columns.group, *init.subgroups]
    if init.cascade is not None:
        cols += [*init.cascade.stages, init.cascade.by]
    if init.sustained_use is not None:
        s = init.sustained_use
        cols += [s.duration, s.abandoned, s.by]
    return cols


def _code(code: object) -> str:
    return str(int(code)) if isinstance(code, float) and code.is_integer() else str(code)
