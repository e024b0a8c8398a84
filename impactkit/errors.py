"""Errors raised by impactkit.

Every error a user can trigger with bad input is a subclass of :class:`ImpactkitError`,
and its message says *what* was wrong, *where* (column, rows, key, file) and *what was
expected*.  The classes also inherit from the closest built-in exception so that code
catching ``ValueError`` or ``KeyError`` keeps working.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = [
    "ImpactkitError",
    "DataError",
    "MissingColumnError",
    "IndicatorDefinitionError",
    "ConfigError",
    "EstimationError",
    "ReportError",
    "PortfolioError",
    "SchemaVersionError",
    "DuplicateInitiativeError",
    "CoordinateError",
    "GeoKeyError",
    "AreaKeyError",
    "OutputError",
    "describe_rows",
]


class ImpactkitError(Exception):
    """Base class of every error impactkit raises on purpose."""


class DataError(ImpactkitError, ValueError):
    """The data do not fit what a function needs (types, ranges, order, missing values)."""


class MissingColumnError(DataError, KeyError):
    """A column named by the caller or a definition is not in the data.

    Parameters
    ----------
    column
        The missing column.
    available
        The columns the data do have.
    context
        Who asked for it, e.g. ``"indicator 'reach'"``.
    """

    def __init__(self, column: str, available: Iterable[object], context: str | None = None):
        self.column = column
        self.available = [str(c) for c in available]
        self.context = context
        where = f"{context}: " if context else ""
        shown = ", ".join(repr(c) for c in self.available[:30])
        more = f", ... ({len(self.available)} in all)" if len(self.available) > 30 else ""
        super().__init__(
            f"{where}column {column!r} is not in the data; the data have columns: {shown}{more}"
        )

    def __str__(self) -> str:  # KeyError would otherwise quote the whole message
        return str(self.args[0])


class IndicatorDefinitionError(ImpactkitError, ValueError):
    """An indicator definition is malformed or uses a forbidden expression."""


class ConfigError(ImpactkitError, ValueError):
    """An initiative or report configuration file is invalid (names the file and key)."""


class EstimationError(ImpactkitError, ValueError):
    """An estimate cannot be computed from the data given (too few rows, no variation...)."""


class ReportError(ImpactkitError, RuntimeError):
    """Building a report failed; no output file was left behind."""


class OutputError(ReportError):
    """An output cannot be written (full disk, read-only folder, an input as the output...);
    the message names the file, and nothing new was left behind."""


def describe_rows(index: Sequence[object] | Iterable[object], limit: int = 10) -> str:
    """Format row labels for an error message: ``"rows 3, 7, 12 (and 40 more)"``."""
    rows = list(index)
    shown = ", ".join(str(r) for r in rows[:limit])
    more = f" (and {len(rows) - limit} more)" if len(rows) > limit else ""
    noun = "row" if len(rows) == 1 else "rows"
    return f"{noun} {shown}{more}"


class PortfolioError(ImpactkitError, ValueError):
    """A portfolio cannot be built from the results files given (names the file and key)."""


class SchemaVersionError(PortfolioError):
    """A results file was written for another version of the results schema."""


class DuplicateInitiativeError(PortfolioError):
    """Two results files in one portfolio carry the same initiative name."""


class CoordinateError(PortfolioError):
    """A latitude or longitude is outside [-90, 90] / [-180, 180] (names file and point)."""


class GeoKeyError(PortfolioError):
    """A GeoJSON file's area keys do not match the areas named by the data (lists them)."""


class AreaKeyError(GeoKeyError, ConfigError):
    """The areas an initiative's data name are not features of its ``geography`` GeoJSON
    file (lists the unmatched names and the features there are)."""
