"""The machinery of the hostile corpus: a case, its mutations, and how one is run.

A :class:`Case` copies a small valid initiative (``_base``), breaks one thing with its
``mutate`` function, runs ``impactkit report`` in-process (:func:`impactkit.cli.main`), and
checks what must happen:

* the exit status (2 for bad input, 0 when the input must be accepted);
* the class of the error (recorded from the command's error path);
* the words the message must contain (file, key, column, rows, what was expected);
* no traceback on stderr, and the message is short (values quoted are cut);
* no output file left (not even a temporary one) after a failure;
* the inputs unchanged (every file of the initiative folder hashed before and after).

The notebook stage is replaced by an in-process rendering of the same report sections
(:func:`fake_execute` / :func:`fake_render`), so a case takes a fraction of a second while
still going through analysis, every section, the HTML escaping and the output writing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ._base import make_initiative

Mutation = Callable[[Path], list[str] | None]
SECTIONS = (
    "cover",
    "contents",
    "executive_summary",
    "adoption",
    "lab_vs_real_world",
    "outcomes",
    "subgroups",
    "methods",
    "data_quality",
)


@dataclass(frozen=True)
class Case:
    """One hostile input and what must happen."""

    id: str
    mutate: Mutation
    error: type[BaseException] | None
    words: tuple[str, ...] = ()
    design: str = "prepost"
    status: int | None = None  # default: 2 with an error, 0 without
    check: Callable[[Path, Path], None] | None = None  # (initiative folder, output) -> asserts
    format: str = "html"
    absent: tuple[str, ...] = field(default=())  # strings that must not be in the HTML

    @property
    def exit_status(self) -> int:
        if self.status is not None:
            return self.status
        return 2 if self.error is not None else 0


# ------------------------------------------------------------------ mutation helpers


def edit_yaml(
    change: Callable[[dict[str, Any]], object], file: str = "initiative.yaml"
) -> Mutation:
    """Parse ``file``, let ``change`` edit the mapping in place, write it back."""

    def mutate(folder: Path) -> None:
        path = folder / file
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")

    return mutate


def set_key(dotted: str, value: Any) -> Mutation:
    """Set ``a.b.c`` in the initiative file (``None`` deletes the key)."""

    def change(data: dict[str, Any]) -> None:
        *parents, last = dotted.split(".")
        node = data
        for p in parents:
            node = node.setdefault(p, {})
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value

    return edit_yaml(change)


def set_indicator(ident: str, key: str, value: Any) -> Mutation:
    """Set one key of one indicator of the catalog."""

    def change(data: dict[str, Any]) -> None:
        for entry in data["indicators"]:
            if entry["id"] == ident:
                entry[key] = value

    return edit_yaml(change, "indicators.yaml")


def replace(old: str, new: str, file: str = "initiative.yaml") -> Mutation:
    """Replace text in ``file`` (the text must be there)."""

    def mutate(folder: Path) -> None:
        path = folder / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {file}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return mutate


def write(data: str | bytes, file: str = "initiative.yaml") -> Mutation:
    def mutate(folder: Path) -> None:
        path = folder / file
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")

    return mutate


def edit_csv(file: str, change: Callable[[pd.DataFrame], pd.DataFrame | None]) -> Mutation:
    """Read ``file`` as text cells, let ``change`` edit (or return) the frame, write it."""

    def mutate(folder: Path) -> None:
        path = folder / file
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        out = change(frame)
        (frame if out is None else out).to_csv(path, index=False)

    return mutate


def set_cell(file: str, column: str, row: int, value: str) -> Mutation:
    """Set one cell; ``row`` counts data rows from 0 (the file's line ``row + 2``)."""

    def change(frame: pd.DataFrame) -> None:
        frame.loc[row, column] = value

    return edit_csv(file, change)


def chain(*mutations: Mutation) -> Mutation:
    def mutate(folder: Path) -> list[str] | None:
        extra: list[str] = []
        for m in mutations:
            extra += m(folder) or []
        return extra

    return mutate


def args(*extra: str) -> Mutation:
    """Extra command-line arguments; ``{folder}`` is the initiative folder."""

    def mutate(folder: Path) -> list[str]:
        return [a.replace("{folder}", str(folder)) for a in extra]

    return mutate


# ------------------------------------------------------------------ running a case


def snapshot(folder: Path) -> dict[str, str]:
    """SHA-256 of every regular file under ``folder``."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            out[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def fake_execute(
    notebook: Path, output: Path, parameters: dict[str, Any], kernel: str | None = None
) -> None:
    """Stand-in for papermill: remember the parameters (the sections run in fake_render)."""
    output.write_text(json.dumps(parameters), encoding="utf-8")


#: The analysis the build made (set by :func:`remembering`), reused by :func:`fake_render`.
LAST: dict[str, Any] = {}


def remembering(analyse: Callable[..., Any]) -> Callable[..., Any]:
    """``analyse`` that keeps its last result for :func:`fake_render`."""

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        LAST["analysis"] = analyse(*args, **kwargs)
        return LAST["analysis"]

    return wrapped


def fake_render(executed: Path, paper: str = "a4") -> str:
    """The report's sections rendered in-process, in a minimal HTML page."""
    from impactkit import analyse
    from impactkit.report import sections

    parameters = json.loads(executed.read_text(encoding="utf-8"))
    analysis = LAST.pop("analysis", None) or analyse(parameters["initiative"])
    body = "".join(str(getattr(sections, name)(analysis)) for name in SECTIONS)
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{body}</body></html>"


def prepare(case: Case, tmp: Path) -> tuple[Path, list[str]]:
    """The initiative folder with the case's mutation applied, and extra arguments."""
    initiative = make_initiative(tmp / "initiative", case.design)
    extra = case.mutate(initiative.parent) or []
    return initiative, extra
