"""KoboToolbox / ODK exports read together with their XLSForm (``form: form.xlsx``).

What the form adds to the exported table:

* **group prefixes resolve** to question names: ``household/hh_size`` (Kobo's default group
  separator ``/``; ``.`` and ODK Central's ``-`` too) becomes ``hh_size``.  Only prefixes that
  are groups of the form (or Kobo's own ``meta`` / ``formhub``) are removed; when two
  headers would get the same name, both keep their full header and a warning says so;
* **select_one** columns get their choice labels as value labels (codes stay in the data).
  Exports written "with labels" (the answers are the choice labels) are mapped back to the
  choice names, with a warning;
* **select_multiple** answers become 0/1 columns named ``question/choice`` (Kobo's own
  naming), one per choice in form order, whether the export has one space-separated column
  (kept as it is) or already-split ``question/choice`` columns.  A missing answer stays
  missing in every 0/1 column;
* **meta columns** (``_id``, ``_uuid``, ``_submission_time``, ``_index``, ``start``,
  ``end``, ``meta/instanceID`` ...) are kept, get variable labels, and ISO timestamps
  become datetimes;
* answers that are not in the question's choice list raise a
  :class:`~impactkit.errors.DataError` that lists each unknown answer with its count and
  rows, and the choices the list does have.

Reference: KoboToolbox "Exporting and downloading your data" (export types, group separator,
"XML values and headers" vs labels, select_multiple formats),
https://support.kobotoolbox.org/export_download.html; the XLSForm specification,
https://xlsform.org/en/.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from impactkit.errors import DataError
from impactkit.readers.columns import infer_column
from impactkit.readers.kobo_form import Form, Question
from impactkit.readers.labels import normalise_labels
from impactkit.readers.missing import Code
from impactkit.readers.source import Source

__all__ = ["FormApplied", "apply_form", "META_LABELS"]

META_LABELS = {
    "_id": "submission number (KoboToolbox)",
    "_uuid": "submission UUID",
    "_submission_time": "time the submission reached the server (UTC)",
    "_index": "row number of the export",
    "_parent_index": "row of the parent record (repeat groups)",
    "_parent_table_name": "sheet of the parent record (repeat groups)",
    "_validation_status": "validation status set on the server",
    "_status": "submission status",
    "_submitted_by": "account that submitted",
    "_notes": "notes added on the server",
    "_tags": "tags added on the server",
    "_xform_id_string": "form identifier",
    "_attachments": "attached files",
    "_geolocation": "location of the submission",
    "__version__": "form version",
    "_version_": "form version",
    "instanceID": "submission identifier (meta/instanceID)",
    "deprecatedID": "identifier of the edited submission (meta/deprecatedID)",
    "rootUuid": "identifier of the first version of the submission",
    "start": "time the interview started",
    "end": "time the interview ended",
    "today": "day of the interview",
    "deviceid": "device identifier",
}
_TIMESTAMP_COLUMNS = ("_submission_time", "start", "end", "today")
_IMPLICIT_GROUPS = frozenset({"meta", "formhub"})
_SEPARATORS = ("/", ".", "-")


@dataclass(frozen=True)
class FormApplied:
    """The export with the form applied."""

    frame: pd.DataFrame
    value_labels: Mapping[str, Mapping[Code, str]]
    variable_labels: Mapping[str, str]
    warnings: tuple[str, ...]


def apply_form(frame: pd.DataFrame, form: Form, source: Source) -> FormApplied:
    """Apply ``form`` to the export ``frame`` read from ``source`` (see module docstring).

    Raises
    ------
    DataError
        If answers are not in their question's choice list (all such answers are listed).
    """
    warnings: list[str] = []
    renamed = frame.rename(columns=_header_names(list(frame.columns), form, source, warnings))
    problems: list[str] = []
    labels: dict[str, dict[Code, str]] = {}
    out = renamed.copy()
    for question in form.questions.values():
        if question.kind == "select_one" and question.name in out.columns:
            out[question.name] = _select_one(out, question, form, source, problems, warnings)
            labels[question.name] = normalise_labels(out[question.name], _choices(question, form))
    out = _select_multiples(out, form, source, problems, warnings)
    if problems:
        raise DataError(
            f"{source}: answers that are not in the form {form.path.name}'s choice lists:\n  "
            + "\n  ".join(problems)
        )
    out = _timestamps(out)
    return FormApplied(out, labels, _variable_labels(out, form), tuple(warnings))


def _choices(question: Question, form: Form) -> dict[str, str]:
    choices = dict(form.choices.get(question.list_name or "", {}))
    if question.or_other:
        choices.setdefault("other", "Other")
    return choices


def _header_names(
    columns: list[str], form: Form, source: Source, warnings: list[str]
) -> dict[str, str]:
    wanted = {column: _resolve(str(column), form) for column in columns}
    targets = pd.Series(list(wanted.values()))
    clashing = set(targets[targets.duplicated()])
    if clashing:
        warnings.append(
            f"{source}: headers {', '.join(sorted(c for c in columns if wanted[c] in clashing))}"
            " would get the same question name; they keep their full names"
        )
    return {c: n for c, n in wanted.items() if n != c and n not in clashing}


def _resolve(header: str, form: Form) -> str:
    if header in form.questions or header in META_LABELS:
        return header
    groups = form.groups | _IMPLICIT_GROUPS
    for sep in _SEPARATORS:
        parts = header.split(sep)
        while len(parts) > 1 and parts[0] in groups:
            parts = parts[1:]
        if len(parts) == 1 and (parts[0] in form.questions or parts[0] in META_LABELS):
            return parts[0]
        question = form.questions.get(parts[0])
        if len(parts) == 2 and question is not None and question.kind == "select_multiple":
            return f"{parts[0]}/{parts[1]}"
    return header


def _select_one(
    frame: pd.DataFrame,
    question: Question,
    form: Form,
    source: Source,
    problems: list[str],
    warnings: list[str],
) -> pd.Series:
    values = frame[question.name]
    choices = _choices(question, form)
    answers = values.dropna().map(_code_text)
    unknown = answers[~answers.isin(list(choices))]
    if unknown.empty:
        return values
    by_label = {label: name for name, label in choices.items()}
    if answers.isin(list(by_label)).all():
        warnings.append(
            f"{source}: column {question.name!r} holds choice labels instead of choice names "
            "(an export 'with labels'); they were mapped back to the names of the form"
        )
        names = values.map(lambda v: by_label[_code_text(v)] if not pd.isna(v) else None)
        return infer_column(names.astype(object))
    problems.append(_unknown(question, unknown, choices, source))
    return values


def _unknown(
    question: Question, unknown: pd.Series, choices: Mapping[str, str], source: Source
) -> str:
    counts = unknown.value_counts()
    listed = ", ".join(
        f"{answer!r} ({n}x, {source.rows(unknown.index[unknown == answer], limit=3)})"
        for answer, n in counts.head(10).items()
    )
    more = f" and {len(counts) - 10} other answers" if len(counts) > 10 else ""
    have = ", ".join(repr(c) for c in list(choices)[:20])
    return (
        f"column {question.name!r} ({question.kind} {question.list_name}): {listed}{more}; "
        f"the list {question.list_name!r} has {have}"
    )


def _select_multiples(
    frame: pd.DataFrame, form: Form, source: Source, problems: list[str], warnings: list[str]
) -> pd.DataFrame:
    out = frame
    for question in form.questions.values():
        if question.kind != "select_multiple":
            continue
        prefix = f"{question.name}/"
        split = [c for c in out.columns if str(c).startswith(prefix)]
        if question.name in out.columns:
            built = _split(out[question.name], question, form, source, problems)
            _compare(out, built, split, source, warnings)
            kept = [c for c in out.columns if c not in split]
            at = kept.index(question.name) + 1
            out = pd.concat([out[kept[:at]], built, out[kept[at:]]], axis=1)
        elif split:
            _check_split(out, split, question, form, source, problems)
    return out


def _split(
    values: pd.Series, question: Question, form: Form, source: Source, problems: list[str]
) -> pd.DataFrame:
    choices = _choices(question, form)
    present = values.dropna()
    tokens = present.map(lambda v: _code_text(v).split())
    flat = tokens.explode().dropna()
    unknown = flat[~flat.isin(list(choices))]
    if not unknown.empty:
        problems.append(_unknown(question, unknown, choices, source))
    columns = {}
    for choice in choices:
        column = pd.Series(np.nan, index=values.index, dtype="float64")
        column[present.index] = tokens.map(lambda ts, c=choice: float(c in ts))
        columns[f"{question.name}/{choice}"] = (
            column.astype("int64") if len(present) == len(values) else column
        )
    return pd.DataFrame(columns, index=values.index)


def _compare(
    frame: pd.DataFrame, built: pd.DataFrame, split: list[str], source: Source, warnings: list[str]
) -> None:
    for column in split:
        if column not in built.columns:
            continue
        exported = pd.to_numeric(frame[column], errors="coerce")
        differ = ~((exported == built[column]) | (exported.isna() & built[column].isna()))
        if differ.any():
            warnings.append(
                f"{source}: column {column!r} disagrees with the answers in "
                f"{column.split('/')[0]!r} in {source.rows(frame.index[differ])}; "
                "the 0/1 columns were rebuilt from the answers"
            )


def _check_split(
    frame: pd.DataFrame,
    split: list[str],
    question: Question,
    form: Form,
    source: Source,
    problems: list[str],
) -> None:
    choices = _choices(question, form)
    strange = [c for c in split if c.split("/", 1)[1] not in choices]
    if strange:
        problems.append(
            f"columns {', '.join(repr(c) for c in strange)} are answers of "
            f"{question.name!r} that the list {question.list_name!r} does not have "
            f"(it has {', '.join(repr(c) for c in choices)})"
        )
    for column in split:
        values = frame[column].dropna()
        bad = values[~values.map(lambda v: _code_text(v) in ("0", "1", "True", "False"))]
        if not bad.empty:
            problems.append(
                f"column {column!r} must hold 0 or 1, but holds {', '.join(map(repr, bad.unique()[:5]))}"
                f" in {source.rows(bad.index)}"
            )


def _timestamps(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in _TIMESTAMP_COLUMNS:
        if column not in out.columns or out[column].dtype.kind == "M":
            continue
        values = out[column]
        texts = values.dropna().astype(str)
        if texts.empty or not texts.str.match(r"^\d{4}-\d{2}-\d{2}").all():
            continue
        offsets = texts.str.contains(r"(?:[+-]\d{2}:?\d{2}|Z)$", regex=True).any()
        try:
            out[column] = pd.to_datetime(values, format="ISO8601", utc=bool(offsets))
        except (ValueError, TypeError):
            continue
    return out


def _variable_labels(frame: pd.DataFrame, form: Form) -> dict[str, str]:
    labels: dict[str, str] = {}
    for column in frame.columns:
        name = str(column)
        question = form.questions.get(name)
        if question is not None and question.label:
            labels[name] = question.label
        elif name in META_LABELS:
            labels[name] = META_LABELS[name]
        elif "/" in name and (parent := form.questions.get(name.split("/", 1)[0])):
            choice = form.choices.get(parent.list_name or "", {}).get(name.split("/", 1)[1])
            labels[name] = f"{parent.label or parent.name}: {choice or name.split('/', 1)[1]}"
    return labels


def _code_text(code: object) -> str:
    if isinstance(code, float) and code.is_integer():
        return str(int(code))
    return str(code)
