"""SPSS ``.sav`` and compressed ``.zsav`` files with value and variable labels (pyreadstat).

SPSS lets a file declare *user-missing* values per variable (discrete codes such as ``99``
or ranges such as ``-9 thru -1``).  They are read as values and handed back as declared
missing codes (a range becomes the codes in it that occur), so that
:mod:`impactkit.readers.missing` blanks **and counts** them like ``missing_values:``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from impactkit.readers._statfile import StatFile, labels_from, read_statfile
from impactkit.readers.missing import Code, MissingCodes

__all__ = ["read_sav"]


def read_sav(path: Path) -> StatFile:
    """Read a ``.sav`` or ``.zsav`` file.

    Raises
    ------
    DataError
        If the file is missing or not a readable SPSS file.
    """
    import pyreadstat

    frame, meta = read_statfile(path, pyreadstat.read_sav, "SPSS", user_missing=True)
    values, variables = labels_from(meta, frame)
    ranges: Mapping[str, Sequence[Mapping[str, object]]] = getattr(meta, "missing_ranges", {})
    declared = {
        column: codes
        for column, spans in ranges.items()
        if column in frame.columns and (codes := _codes_in(frame[column], spans))
    }
    return StatFile(frame, values, variables, MissingCodes((), declared))


def _codes_in(values: pd.Series, spans: Sequence[Mapping[str, object]]) -> tuple[Code, ...]:
    codes: list[Code] = []
    present = values.dropna()
    for span in spans:
        low, high = span.get("lo"), span.get("hi")
        if low == high and isinstance(low, int | float | str):
            codes.append(_plain(low))
            continue
        if values.dtype.kind in "iuf" and isinstance(low, int | float):
            if isinstance(high, int | float):
                inside = present[(present >= low) & (present <= high)]
                codes += [_plain(v) for v in sorted(set(inside)) if _plain(v) not in codes]
    return tuple(dict.fromkeys(codes))


def _plain(code: int | float | str) -> Code:
    if isinstance(code, float) and code.is_integer():
        return int(code)
    return code
