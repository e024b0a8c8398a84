"""What Stata and SPSS files have in common: read through pyreadstat, with labels.

Both formats store numbers as doubles (SPSS only has doubles); a numeric column whose every
value is a whole number and none is missing becomes ``int64`` -- what the same data give as
CSV -- so counts and codes print as ``1``, not ``1.0``.  Dates become datetimes.  Records are
numbered from 1 (Stata's observation number, SPSS's case number).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from impactkit.errors import DataError
from impactkit.readers.labels import normalise_labels
from impactkit.readers.missing import Code, MissingCodes

__all__ = ["StatFile", "read_statfile", "whole_numbers_as_int"]


@dataclass(frozen=True)
class StatFile:
    """A Stata/SPSS file's data and metadata, before missing codes are applied."""

    frame: pd.DataFrame
    value_labels: Mapping[str, Mapping[Code, str]]
    variable_labels: Mapping[str, str]
    declared_missing: MissingCodes = field(default_factory=MissingCodes)


def read_statfile(
    path: Path, read: Callable[..., tuple[pd.DataFrame, object]], what: str, **options: object
) -> tuple[pd.DataFrame, object]:
    """Call a pyreadstat reader; its errors become a DataError naming the file."""
    import pyreadstat

    if not path.is_file():
        raise DataError(f"{path}: no such file")
    try:
        frame, meta = read(str(path), dates_as_pandas_datetime=True, **options)
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError, OSError, ValueError) as exc:
        raise DataError(f"{path.name}: not a readable {what} file (corrupt?): {exc}") from exc
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return frame, meta


def labels_from(
    meta: object, frame: pd.DataFrame
) -> tuple[dict[str, dict[Code, str]], dict[str, str]]:
    """Value labels (keys in the column's type) and variable labels from pyreadstat's meta."""
    raw_values: Mapping[str, Mapping[Code, object]] = getattr(meta, "variable_value_labels", {})
    values = {
        col: normalise_labels(frame[col], mapping)
        for col, mapping in raw_values.items()
        if col in frame.columns
    }
    names: Mapping[str, object] = getattr(meta, "column_names_to_labels", {})
    variables = {col: str(text) for col, text in names.items() if text}
    return values, variables


def whole_numbers_as_int(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy in which float columns of whole numbers with nothing missing are ``int64``."""
    out = frame.copy()
    for column in frame.columns:
        values = frame[column]
        if values.dtype.kind != "f" or values.isna().any() or len(values) == 0:
            continue
        as_array = values.to_numpy()
        if np.all(np.isfinite(as_array)) and np.all(as_array == np.round(as_array)):
            if np.all(np.abs(as_array) < 2**53):
                out[column] = values.astype("int64")
    return out
