"""The checks every loaded data set passes, whatever its format.

:meth:`Initiative.load_table` reads with :func:`impactkit.readers.read_table` (which names
text that is not UTF-8 by line and byte, and dates that are not calendar dates) and checks
with :func:`check_frame`. Each failure is a :class:`~impactkit.errors.DataError` naming the
file, the column and the rows (numbered like the lines of the file, header = line 1):

* a header with no rows;
* column names that are blank, repeated, or equal to another once Unicode compatibility
  forms are folded (fullwidth letters, ligatures: ``ｈｈ_size`` against ``hh_size``);
* text cells holding NUL or other control characters (``"River\\0side"`` prints like
  ``"Riverside"`` but would be a separate group);
* infinite numbers (``inf``), which no estimator can use.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError, describe_rows

__all__ = ["check_frame"]

_CONTROL = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"


def check_frame(frame: pd.DataFrame, path: Path, name: str) -> None:
    """The checks of the module docstring; nothing is changed."""
    where = f"{path}: data set {name!r}"
    if frame.empty and len(frame.columns):
        raise DataError(f"{where} has a header ({len(frame.columns)} columns) but no rows")
    _check_column_names(frame, where)
    for column in frame.columns:
        values = frame[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            text = values.dropna().astype(str)
            bad = text.str.contains(_CONTROL, regex=True)
            if bad.any():
                raise DataError(
                    f"{where}: column {str(column)!r}: {describe_rows(text.index[bad])} hold "
                    f"control characters (e.g. {text[bad].iloc[0][:60]!r}); remove them"
                )
        elif pd.api.types.is_float_dtype(values):
            infinite = np.isinf(values.to_numpy(dtype=float, na_value=np.nan))
            if infinite.any():
                raise DataError(
                    f"{where}: column {str(column)!r}: {describe_rows(values.index[infinite])} "
                    "are infinite (inf); expected finite numbers or empty cells"
                )


def _check_column_names(frame: pd.DataFrame, where: str) -> None:
    seen: dict[str, str] = {}
    for column in frame.columns:
        label = str(column)
        if not label.strip() or label.startswith("Unnamed: "):
            raise DataError(f"{where}: a column has no name (header {label!r}); name every column")
        base, _, suffix = label.rpartition(".")
        if base and suffix.isdigit() and base in frame.columns:  # pandas renames repeats
            raise DataError(f"{where}: the column {base!r} appears more than once in the header")
        folded = unicodedata.normalize("NFKC", label)
        if folded in seen:
            raise DataError(
                f"{where}: the columns {seen[folded]!r} and {label!r} x compatibility forms (fullwidth letters, ligatures); rename one"
            )
        seen[folded] = label
