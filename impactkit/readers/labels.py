"""Value labels: codes -> the words a reader should see (``1`` -> ``"female-headed"``).

Labels come from a Stata or SPSS file, a KoboToolbox / ODK form, or a ``labels:`` mapping.
They are for *display*: :func:`labelled` returns a copy in which chosen columns show labels
instead of codes, as an ordered categorical in code order, and never changes a number.
Because a report groups rows by the displayed value, two codes with the same label would
merge two groups; that is refused (:class:`~impactkit.errors.DataError` naming the column,
the codes and the label), as is a label equal to another code's text.

:func:`check_coverage` finds codes in the data that a column's label set does not cover (an
SPSS label set written for an older questionnaire, a new answer option): a warning naming
the column and the codes, so the report does not silently show a bare code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

import pandas as pd

from impactkit.errors import DataError, MissingColumnError
from impactkit.readers.missing import Code

__all__ = ["ValueLabels", "labelled", "check_coverage", "normalise_labels"]

ValueLabels = Mapping[str, Mapping[Code, str]]
_K = TypeVar("_K", bound=Code)


def normalise_labels(values: pd.Series, labels: Mapping[_K, object]) -> dict[Code, str]:
    """Label keys in the column's own type: integral numbers as ``int`` for a numeric
    column (SPSS stores ``1.0``), text for a text column; labels as text."""
    numeric = values.dtype.kind in "iuf"
    out: dict[Code, str] = {}
    for code, label in labels.items():
        key: Code
        if numeric:
            try:
                number = float(str(code).replace(",", ".")) if isinstance(code, str) else code
            except ValueError:
                continue  # a text code cannot occur in a numeric column
            if not isinstance(number, int | float):
                continue
            key = int(number) if float(number).is_integer() else float(number)
        else:
            key = _code_text(code)
        out[key] = str(label)
    return out


def check_coverage(
    frame: pd.DataFrame,
    labels: ValueLabels,
    where: str,
    missing: Mapping[str, Iterable[Code]] | None = None,
) -> list[str]:
    """Warnings for codes present in a labelled column that its label set does not cover.

    A label set that labels only missing-value codes (``99 = "Refused"`` on an age column) is
    not a label set for the answers and is not checked.  ``missing`` gives, per column, the
    codes that were made missing."""
    warnings = []
    for column, mapping in labels.items():
        if column not in frame.columns:
            continue
        skip = {_code_text(c) for c in (missing or {}).get(column, ())}
        answers = {_code_text(k) for k in mapping} - skip
        if not answers:
            continue
        present = frame[column].dropna()
        uncovered = present[~present.map(_code_text).isin(answers | skip)]
        if uncovered.empty:
            continue
        codes = sorted(set(uncovered), key=_sort_key)
        shown = ", ".join(_code_text(c) for c in codes[:10])
        more = f" and {len(codes) - 10} more" if len(codes) > 10 else ""
        warnings.append(
            f"{where}: column {column!r}: the value labels do not cover code"
            f"{'s' if len(codes) > 1 else ''} {shown}{more} ({len(uncovered)} rows); "
            "they are shown as codes"
        )
    return warnings


def labelled(frame: pd.DataFrame, labels: ValueLabels) -> pd.DataFrame:
    """A copy of ``frame`` whose ``labels`` columns show labels instead of codes.

    Each such column becomes an ordered categorical (categories in code order; a code with
    no label shows as its text; missing stays missing).  Other columns and the input are
    unchanged.  Use it for group columns in tables and charts, not for columns used in sums.

    Raises
    ------
    MissingColumnError
        If ``labels`` names a column the frame does not have.
    DataError
        If two codes present would show the same text (their groups would merge).
    """
    out = frame.copy()
    for column, mapping in labels.items():
        if column not in frame.columns:
            raise MissingColumnError(column, frame.columns, context="labels")
        out[column] = _display(frame[column], normalise_labels(frame[column], mapping), column)
    return out


def _display(values: pd.Series, mapping: Mapping[Code, str], column: str) -> pd.Series:
    codes = sorted(set(values.dropna()), key=_sort_key)
    shown: dict[object, str] = {}
    owner: dict[str, object] = {}
    for code in codes:
        text = mapping.get(code, _code_text(code))
        if text in owner:
            raise DataError(
                f"labels for column {column!r}: codes {_code_text(owner[text])} and "
                f"{_code_text(code)} would both show as {text!r}, which would merge their "
                "groups; give them different labels"
            )
        owner[text] = code
        shown[code] = text
    categories = list(shown.values())
    display = values.map(lambda v: shown.get(v) if not pd.isna(v) else None)
    return pd.Series(
        pd.Categorical(display, categories=categories, ordered=True),
        index=values.index,
        name=values.name,
    )


def _code_text(code: object) -> str:
    if isinstance(code, float) and code.is_integer():
        return str(int(code))
    return str(code)


def _sort_key(code: object) -> tuple[int, float, str]:
    if isinstance(code, int | float) and not isinstance(code, bool):
        return (0, float(code), "")
    return (1, 0.0, str(code))
