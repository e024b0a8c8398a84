"""Hostile text in every field: accepted, and escaped in the HTML and in results.csv."""

from __future__ import annotations

import csv
from pathlib import Path

from ._corpus import Case, chain, set_key

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src="file:///etc/passwd" onerror="alert(1)">'
IFRAME = '<iframe src="http://evil.example/"></iframe>'
JINJA = "{{ 7*7 }}{% raw %}"
MATH = r"$\undefinedcommand{x}$"


def _csv_cells(out: Path) -> list[str]:
    path = out.with_name(out.stem + ".results.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


def _shown(out: Path, text: str) -> None:
    assert text in out.read_text(encoding="utf-8"), f"{text!r} is not shown as written"


def replace_all(old: str, new: str, file: str) -> object:
    def mutate(folder: Path) -> None:
        path = folder / file
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")

    return mutate


def csv_escaped(*texts: str) -> object:
    """Every text of ``texts`` appears in results.csv only behind an apostrophe."""

    def check(folder: Path, out: Path) -> None:
        cells = _csv_cells(out)
        for text in texts:
            hits = [c for c in cells if text in c]
            assert hits, f"{text!r} not in results.csv"
            assert all(c.startswith("'") for c in hits if c[:1] in "=+-@\t\r'"), hits

    return check


FIELDS = (
    "name",
    "organisation",
    "description",
    "currency",
    "lab.source",
    "lab.pilot_effect.source",
)


def _everywhere(text: str) -> object:
    """``text`` in every text field, a stage label and a group value at once."""
    return chain(
        *[set_key(f, text) for f in FIELDS],
        set_key("adoption.cascade.labels.aware", text),
        replace_all("North", text, "survey.csv"),
    )


TEXT = [
    Case("script-everywhere", _everywhere(SCRIPT), None, absent=("<script>alert",)),
    Case("img-everywhere", _everywhere(IMG), None, absent=('<img src="file',)),
    Case(
        "markup-mix",
        chain(
            set_key("name", IFRAME),
            set_key("organisation", "</style><style>*{display:none}</style>"),
            set_key("description", JINJA),
        ),
        None,
        absent=("<iframe", "<style>*"),
        check=lambda f, o: _shown(o, "{{ 7*7 }}"),
    ),
    Case(
        "mathtext-and-dollars",
        chain(
            set_key("adoption.cascade.labels.bought", MATH),
            set_key("adoption.cascade.labels.using", "Paid $5 or $10"),
            set_key("name", MATH),
            replace_all("South", MATH, "survey.csv"),
        ),
        None,
    ),
    Case(
        "odd-unicode",
        chain(
            set_key("name", "abc\u202edcba 清洁炉灶 🔥 " + "N" * 3000),
            set_key("organisation", "http://evil.example/track.png"),
        ),
        None,
    ),
    Case(
        "formulas",
        chain(
            set_key("name", '=HYPERLINK("http://evil.example","x")'),
            set_key("adoption.cascade.labels.aware", "=1+2"),
            set_key("adoption.cascade.labels.bought", "+SUM(1,1)"),
            set_key("adoption.cascade.labels.using", "@SUM(1,1)"),
            replace_all("North", "=CMD()", "survey.csv"),
        ),
        None,
        check=csv_escaped("=HYPERLINK", "=1+2", "+SUM", "@SUM", "=CMD()"),
    ),
    Case(
        "formulas-minus-tab",
        chain(
            set_key("name", "-2+3+cmd|' /C calc'!A0"),
            set_key("adoption.cascade.labels.aware", "\t=1+1"),
        ),
        None,
        check=csv_escaped("-2+3", "=1+1"),
    ),
]
