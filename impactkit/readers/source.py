"""Where a table came from, and how its rows are named in messages.

Every reader numbers the rows of its frame the way the analyst finds them again in the
original file: CSV rows by their **line** in the file (the header is line 1), spreadsheet rows
by their **row number** on the sheet (the header is row 1), Stata and SPSS records by their
**observation** number (first record = 1, as in Stata's browser and SPSS's data view).
:class:`Source` carries that convention so that an error can say "lines 4, 9" or
"rows 4, 9 of sheet 'Data'" and mean the right places.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

__all__ = ["Source", "FileKind"]

FileKind = Literal["csv", "excel", "stata", "spss", "parquet"]

_ROW_NOUNS: dict[FileKind, tuple[str, str]] = {
    "csv": ("line", "lines"),
    "excel": ("row", "rows"),
    "stata": ("observation", "observations"),
    "spss": ("case", "cases"),
    "parquet": ("row", "rows"),
}


@dataclass(frozen=True)
class Source:
    """The file (and sheet) a table was read from.

    Attributes
    ----------
    path
        The data file.
    kind
        Its format; decides how rows are named (see the module docstring).
    sheet
        The worksheet's name for spreadsheets, else ``None``.
    decimal
        The decimal mark used to read numbers written as text (``"."`` or ``","``).
    """

    path: Path
    kind: FileKind
    sheet: str | None = None
    decimal: str = "."

    def __str__(self) -> str:
        return f"{self.path.name}, sheet {self.sheet!r}" if self.sheet else self.path.name

    def rows(self, labels: Iterable[object], limit: int = 8) -> str:
        """Name rows for a message: ``"lines 4, 9 (and 3 more)"``,
        ``"rows 4, 9 of sheet 'Data'"``, ``"observations 1, 2"``."""
        shown = list(labels)
        singular, plural = _ROW_NOUNS[self.kind]
        noun = singular if len(shown) == 1 else plural
        text = ", ".join(str(r) for r in shown[:limit])
        more = f" (and {len(shown) - limit} more)" if len(shown) > limit else ""
        sheet = f" of sheet {self.sheet!r}" if self.sheet else ""
        return f"{noun} {text}{more}{sheet}"
