"""Stata ``.dta`` files with their value labels and variable labels (pyreadstat).

Stata's extended missing values (``.a`` ... ``.z``) are read as missing.  Label keys are
given in the column's type (see :mod:`impactkit.readers._statfile`).
"""

from __future__ import annotations

from pathlib import Path

from impactkit.readers._statfile import StatFile, labels_from, read_statfile

__all__ = ["read_dta"]


def read_dta(path: Path) -> StatFile:
    """Read a ``.dta`` file.

    Raises
    ------
    DataError
        If the file is missing or not a readable Stata file.
    """
    import pyreadstat

    frame, meta = read_statfile(path, pyreadstat.read_dta, "Stata")
    values, variables = labels_from(meta, frame)
    return StatFile(frame, values, variables)
