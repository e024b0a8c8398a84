"""The XLSForm behind a KoboToolbox / ODK export: questions, groups and choice lists.

An XLSForm is a workbook with a ``survey`` sheet (``type``, ``name``, ``label`` of each
question; ``begin_group`` / ``end_group`` rows around groups and repeats) and a ``choices``
sheet (``list_name``, ``name``, ``label``).  Labels may be per language
(``label::English (en)``); the ``settings`` sheet's ``default_language`` is used when present,
else plain ``label``, else the first language.  Reference: the XLSForm specification,
https://xlsform.org/en/ (sections "Multiple choice", "Grouping questions", "Multiple language
support").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from impactkit.errors import DataError
from impactkit.readers.excel import read_sheet, sheet_names

__all__ = ["Question", "Form", "read_form"]

_BEGIN = ("begin_group", "begin group", "begin_repeat", "begin repeat")
_END = ("end_group", "end group", "end_repeat", "end repeat")


@dataclass(frozen=True)
class Question:
    """One question of the form: its ``name``, type word (``select_one``, ``integer``...),
    choice list for select questions, label, and the groups it sits in (outermost first)."""

    name: str
    kind: str
    list_name: str | None = None
    label: str | None = None
    groups: tuple[str, ...] = ()
    or_other: bool = False
    in_repeat: bool = False


@dataclass(frozen=True)
class Form:
    """A parsed XLSForm: questions by name, choice lists (list -> choice name -> label, names
    as text), and the names of all groups."""

    path: Path
    questions: Mapping[str, Question]
    choices: Mapping[str, Mapping[str, str]]
    groups: frozenset[str]


def read_form(path: Path) -> Form:
    """Read an XLSForm workbook.

    Raises
    ------
    DataError
        If the workbook cannot be read, has no ``survey`` sheet (lists the sheets), lacks the
        ``type``/``name`` columns, or a select question names a choice list that is missing.
    """
    sheets = {name.strip().casefold(): name for name in sheet_names(path)}
    if "survey" not in sheets:
        raise DataError(
            f"{path.name}: an XLSForm needs a 'survey' sheet; the workbook has sheets "
            f"{', '.join(repr(s) for s in sheets.values())}"
        )
    language = _default_language(path, sheets)
    survey, _ = read_sheet(path, sheets["survey"])
    choices = _choices(path, sheets, language)
    questions, groups = _questions(path, survey, language)
    for question in questions.values():
        if question.list_name is not None and question.list_name not in choices:
            raise DataError(
                f"{path.name}: question {question.name!r} uses choice list "
                f"{question.list_name!r}, which is not on the 'choices' sheet (lists there: "
                f"{', '.join(repr(c) for c in choices) or 'none'})"
            )
    return Form(path, questions, choices, frozenset(groups))


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def _label_column(columns: list[str], language: str | None) -> str | None:
    if language and f"label::{language}" in columns:
        return f"label::{language}"
    if "label" in columns:
        return "label"
    return next((c for c in columns if c.startswith("label::")), None)


def _default_language(path: Path, sheets: Mapping[str, str]) -> str | None:
    if "settings" not in sheets:
        return None
    settings, _ = read_sheet(path, sheets["settings"])
    if "default_language" not in settings.columns or settings.empty:
        return None
    return _text(settings["default_language"].iloc[0])


def _choices(
    path: Path, sheets: Mapping[str, str], language: str | None
) -> dict[str, dict[str, str]]:
    if "choices" not in sheets:
        return {}
    table, _ = read_sheet(path, sheets["choices"])
    table.columns = [str(c).strip() for c in table.columns]
    if "list_name" not in table.columns and "list name" in table.columns:
        table = table.rename(columns={"list name": "list_name"})
    for needed in ("list_name", "name"):
        if needed not in table.columns:
            raise DataError(f"{path.name}, sheet 'choices': no {needed!r} column")
    label = _label_column(list(table.columns), language)
    lists: dict[str, dict[str, str]] = {}
    for _, row in table.iterrows():
        list_name, name = _text(row["list_name"]), _text(row["name"])
        if list_name is None or name is None:
            continue
        text = _text(row[label]) if label else None
        lists.setdefault(list_name, {})[name] = text or name
    return lists


def _questions(
    path: Path, survey: pd.DataFrame, language: str | None
) -> tuple[dict[str, Question], set[str]]:
    survey.columns = [str(c).strip() for c in survey.columns]
    for needed in ("type", "name"):
        if needed not in survey.columns:
            raise DataError(f"{path.name}, sheet 'survey': no {needed!r} column")
    label = _label_column(list(survey.columns), language)
    questions: dict[str, Question] = {}
    groups: set[str] = set()
    stack: list[tuple[str, bool]] = []
    for _, row in survey.iterrows():
        kind_text, name = _text(row["type"]), _text(row["name"])
        if kind_text is None:
            continue
        kind = kind_text.casefold()
        if kind in _END:
            if stack:
                stack.pop()
            continue
        if name is None:
            continue
        if kind in _BEGIN:
            stack.append((name, "repeat" in kind))
            groups.add(name)
            continue
        words = kind_text.split()
        select = words[0].casefold() in ("select_one", "select_multiple") and len(words) > 1
        question = Question(
            name=name,
            kind=words[0].casefold(),
            list_name=words[1] if select else None,
            label=_text(row[label]) if label else None,
            groups=tuple(g for g, _ in stack),
            or_other=select and "or_other" in (w.casefold() for w in words[2:]),
            in_repeat=any(r for _, r in stack),
        )
        questions[name] = question
        if question.or_other:
            other = f"{name}_other"
            questions[other] = Question(other, "text", None, "Other (specify)", question.groups)
    return questions, groups
