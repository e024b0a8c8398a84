"""Errors that point at the data: text where an indicator needs a number.

The indicator compiler knows only the expression ("a number is needed but the expression
gives text").  Here the file is known: :func:`text_in_numbers` catches that error and raises
one that names the file (and sheet), the column, the first file lines or sheet rows holding
text and the offending values, with the likely fix (``missing_values:`` or ``decimal:``),
from :func:`impactkit.readers.describe_text_in_numbers`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator

from ..errors import DataError, MissingColumnError
from ..readers import LoadedTable, describe_text_in_numbers, text_cells

__all__ = ["text_in_numbers", "TEXT_MARKERS"]

#: The words of the indicator compiler's message when an expression meets text.
TEXT_MARKERS = ("the expression gives text", "holds text but is compared with")


@contextlib.contextmanager
def text_in_numbers(table: LoadedTable, columns: Iterable[str], where: str) -> Iterator[None]:
    """Re-raise a "gives text" :class:`DataError` raised inside the block with the data named.

    ``columns`` are the columns the failing computation reads (an indicator's columns);
    ``where`` says who computed (``"initiative.yaml, indicator 'x'"``).  Other errors pass
    through unchanged, and so does this one if none of ``columns`` holds text."""
    try:
        yield
    except MissingColumnError:
        raise
    except DataError as exc:
        if not any(marker in str(exc) for marker in TEXT_MARKERS):
            raise
        frame = table.frame
        texts = [
            c
            for c in sorted(columns)
            if c in frame.columns and not text_cells(frame[c], table.source.decimal).empty
        ]
        if not texts:
            raise
        described = " ".join(describe_text_in_numbers(frame, c, table.source) for c in texts)
        raise DataError(f"{where}: {exc}. {described}") from None
