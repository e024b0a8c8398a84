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

from ..errors import ConfigError, DataError, MissingColumnError

if TYPE_CHECKING:
    from ..portfolio.records import ImpactAreas, Location
    from ..readers import LoadedTable
    from ..readers.missing import Code
    from ..survey import SurveyDesign
    from .data_entries import DataEntry
    from .designs import Design
    from .portfolio_keys import Geography

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
    # where it works, what it serves, who pays (impactkit.initiative.portfolio_keys)
    location: Location | None = None
    impact_areas: ImpactAreas | None = None
    asset_class: str | None = None
    sector: str | None = None
    funder: str | None = None
    geography: Geography | None = None
    #: ``sampling:``: the survey design of each data set that has one
    sampling: Mapping[str, SurveyDesign] = field(default_factory=dict)

    def sampling_of(self, name: str) -> SurveyDesign | None:
        """The survey design of data set ``name`` (``None``: a simple random sample)."""
        return self.sampling.get(name)

    #: ``labels:`` — words for coded values, column -> {code: label}
    labels: Mapping[str, Mapping[Code, str]] = field(default_factory=dict, hash=False)

    def label(self, column: str | None, value: Any) -> str:
        """The label of ``value`` of ``column`` (codes 1, 1.0 and "1" match alike), else
        the value as text (whole floats without ``.0``)."""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        codes = self.labels.get(column or "", {})
        for code, text in codes.items():
            if code == value or str(code) == str(value):
                return text
        return str(value)

    data_entries: Mapping[str, DataEntry] = field(default_factory=dict)
    narrative: Path | None = None
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

    def load_table(self, name: str) -> LoadedTable:
        """Read the data set called ``name`` with :func:`impactkit.readers.read_table`: the
        frame with its value and variable labels and the missing-value codes counted.

        CSV rows are indexed by their line number in the file (the header is line 1),
        spreadsheet rows by their row on the sheet, so errors that name rows name the places
        to look at.

        Raises
        ------
        ConfigError
            If no data set of that name is declared.
        DataError
            If the file cannot be read.
        """
        from ..readers import read_table
        from .data_entries import DataEntry

        if name not in self.data_files:
            raise ConfigError(
                f"{self.path}: no data set called {name!r} under 'data' "
                f"(declared: {', '.join(self.data_files) or 'none'})"
            )
        from ._reader import regular_file
        from .data_checks import check_frame

        entry = self.data_entries.get(name) or DataEntry(self.data_files[name])
        refused = regular_file(entry.file, "data file")
        if refused is not None:
            raise DataError(f"{refused} (data set {name!r})")
        try:
            table = read_table(
                entry.file,
                sheet=entry.sheet,
                form=entry.form,
                decimal=entry.decimal,
                missing_values=entry.missing_values,
            )
            check_frame(table.frame, entry.file, name)
            return table
        except MissingColumnError as exc:
            where = f"{self.path.name}, key 'data.{name}'"
            context = f"{where}: {exc.context}" if exc.context else where
            raise MissingColumnError(exc.column, exc.available, context) from None
        except (DataError, ConfigError) as exc:
            raise type(exc)(f"{self.path.name}, key 'data.{name}': {exc}") from None

    def load_data(self, name: str) -> pd.DataFrame:
        """The frame of :meth:`load_table` (codes as they are; labels never replace numbers)."""
        return self.load_table(name).frame

    def fingerprint(self) -> str:
        """SHA-256 over the initiative file, its catalogs and its data files (first 16 hex)."""
        digest = hashlib.sha256()
        files = [self.path, *self.data_files.values()]
        files += [e.form for e in self.data_entries.values() if e.form is not None]
        files += [self.narrative] if self.narrative is not None else []
        files += [Path(c) for c in self.catalog_paths() if c != "standard"]
        for path in files:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()[:16]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())
