"""The validated initiative: what a report is about, its data sets and their roles.

:class:`Initiative` is built by :func:`impactkit.initiative.load`; its ``design`` is one of
the typed records of :mod:`impactkit.initiative.designs`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import ConfigError, DataError

if TYPE_CHECKING:
    from .designs import Design

__all__ = [
    "Initiative",
    "Columns",
    "IndicatorChoice",
    "CascadeSpec",
    "SustainedUseSpec",
    "PilotEffect",
    "LabEvidence",
    "Costs",
]


@dataclass(frozen=True)
class Columns:
    """Column roles in the design's data set."""

    unit: str | None = None
    period: str | None = None
    group: str | None = None


@dataclass(frozen=True)
class IndicatorChoice:
    """Which catalogs to load and which indicators to report."""

    catalog: tuple[str, ...]
    headline: tuple[str, ...]
    outcomes: tuple[str, ...]


@dataclass(frozen=True)
class CascadeSpec:
    """Coverage cascade: boolean stage columns, in order, in one data set."""

    data: str
    stages: tuple[str, ...]
    labels: Mapping[str, str] = field(default_factory=dict)
    unit: str | None = None
    by: str | None = None
    target: int | Mapping[Any, int] | None = None


@dataclass(frozen=True)
class SustainedUseSpec:
    """Follow-up records for the Kaplan–Meier curve of continued use."""

    data: str
    duration: str
    abandoned: str
    horizons: tuple[float, ...] = (90, 180, 365)
    by: str | None = None
    time_unit: str = "days"  # the unit of ``duration`` and ``horizons``


@dataclass(frozen=True)
class PilotEffect:
    """The pilot or trial effect on one indicator, for the voltage ratio."""

    indicator: str
    estimate: float
    ci_low: float
    ci_high: float
    source: str = ""
    n: int | None = None


@dataclass(frozen=True)
class LabEvidence:
    """Efficacy under ideal conditions, with its interval and source.

    ``efficacy`` may be ``None`` when only a pilot effect is given.
    """

    efficacy: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    source: str = ""
    pilot_effect: PilotEffect | None = None


@dataclass(frozen=True)
class Costs:
    """Programme costs (total and optional items), in ``currency``."""

    total: float
    items: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Initiative:
    """A validated initiative file.  Build it with :func:`load`."""

    path: Path
    name: str
    organisation: str
    description: str
    period_start: dt.date
    period_end: dt.date
    data_files: Mapping[str, Path]
    columns: Columns
    indicators: IndicatorChoice
    design: Design
    currency: str = "USD"
    cascade: CascadeSpec | None = None
    sustained_use: SustainedUseSpec | None = None
    lab: LabEvidence | None = None
    costs: Costs | None = None
    subgroups: tuple[str, ...] = ()
    multiplicity: str = "fdr_bh"
    report_date: dt.date | None = None  # ``report_date:``; None = the build's date

    @property
    def folder(self) -> Path:
        """The folder holding the initiative file; data paths are relative to it."""
        return self.path.parent

    @property
    def slug(self) -> str:
        """A file-name-safe name: the initiative folder's name."""
        return self.folder.name

    def catalog_paths(self) -> list[str | Path]:
        """Catalog entries resolved: ``"standard"`` stays a word, paths become absolute."""
        return [c if c == "standard" else self.folder / c for c in self.indicators.catalog]

    def report_day(self) -> dt.date:
        """The report's date: ``report_date:`` if given, else the build's date — taken from
        ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else today."""
        if self.report_date is not None:
            return self.report_date
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if epoch:
            try:
                return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
            except (ValueError, OverflowError, OSError):
                raise ConfigError(
                    f"SOURCE_DATE_EPOCH must be a whole number of seconds, got {epoch[:40]!r}"
                ) from None
        return dt.date.today()

    def input_files(self) -> list[Path]:
        """The initiative file, its catalog files and its data files (what a build reads)."""
        files = [self.path, *self.data_files.values()]
        return files + [Path(c) for c in self.catalog_paths() if c != "standard"]

    def outside_files(self) -> list[tuple[Path, str]]:
        """Inputs outside the initiative's folder, each with its SHA-256 (for the appendix)."""
        return [
            (p, _sha256(p))
            for p in dict.fromkeys(self.input_files())
            if not _inside(p, self.folder)
        ]

    def load_data(self, name: str) -> pd.DataFrame:
        """Read the data set called ``name`` (CSV or Parquet) into a new DataFrame.

        CSV rows are indexed by their line number in the file (the header is line 1), so
        errors that name rows name the lines to look at.

        Raises
        ------
        ConfigError
            If no data set of that name is declared.
        DataError
            If the file cannot be read.
        """
        if name not in self.data_files:
            raise ConfigError(
                f"{self.path}: no data set called {name!r} under 'data' "
                f"(declared: {', '.join(self.data_files) or 'none'})"
            )
        path = self.data_files[name]
        from ._reader import regular_file
        from .data_checks import check_frame, read_csv

        refused = regular_file(path, "data file")
        if refused is not None:
            raise DataError(f"{refused} (data set {name!r})")
        try:
            if path.suffix.lower() in (".parquet", ".pq"):
                frame = pd.read_parquet(path)
            else:
                frame = read_csv(path, name)
                # number rows like the lines of the file (header = line 1), so that an error
                # about "row 7" points at line 7 in a spreadsheet or editor
                frame.index = pd.RangeIndex(2, len(frame) + 2)
                frame = _parse_iso_dates(frame, path)
        except (OSError, ValueError, ImportError) as exc:
            if isinstance(exc, DataError):
                raise
            raise DataError(f"{path}: could not read data set {name!r}: {str(exc)[:300]}") from exc
        check_frame(frame, path, name)
        return frame

    def fingerprint(self) -> str:
        """SHA-256 over the initiative file, its catalogs and its data files (first 16 hex)."""
        digest = hashlib.sha256()
        for path in self.input_files():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()[:16]


_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def _parse_iso_dates(frame: pd.DataFrame, path: Path | None = None) -> pd.DataFrame:
    """Turn text columns whose every value is an ISO date (YYYY-MM-DD) into datetimes.

    CSV has no date type; this is the one conversion :meth:`Initiative.load_data` makes, so
    that dates in the data behave as dates (e.g. the time axis of an interrupted time series).
    A value shaped like a date that is no date (2024-02-30) is a DataError naming the column
    and the rows, never a silent missing value.
    """
    from ..errors import describe_rows

    for column in frame.columns:
        values = frame[column]
        if values.dtype.kind not in "OSU" and str(values.dtype) not in ("string", "str"):
            continue
        present = values.dropna().astype(str)
        iso = present.str.fullmatch(_ISO_DATE)
        if len(present) >= 2 and iso.mean() >= 0.5 and not iso.all():
            raise DataError(
                f"{path or 'data'}: column {str(column)!r} holds dates (YYYY-MM-DD) but "
                f"{describe_rows(present.index[~iso])} are written otherwise (e.g. "
                f"{present[~iso].iloc[0][:40]!r}); write every date as YYYY-MM-DD"
            )
        if len(present) and iso.all():
            parsed = pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")
            bad = parsed.isna() & values.notna()
            if bad.any():
                first = values[bad].iloc[0]
                raise DataError(
                    f"{path or 'data'}: column {str(column)!r}: {describe_rows(values.index[bad])} "
                    f"are not calendar dates (e.g. {str(first)[:40]!r}); expected YYYY-MM-DD"
                )
            frame[column] = parsed
    return frame
