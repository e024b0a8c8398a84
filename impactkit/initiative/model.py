"""The validated initiative: what a report is about, its data sets and their roles.

:class:`Initiative` is built by :func:`impactkit.initiative.load`; its ``design`` is one of
the typed records of :mod:`impactkit.initiative.designs`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import ConfigError, DataError

if TYPE_CHECKING:
    from ..portfolio.records import ImpactAreas, Location
    from ..survey import SurveyDesign
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
    labels: Mapping[str, Mapping[Any, str]] = field(default_factory=dict, hash=False)

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
        try:
            if path.suffix.lower() in (".parquet", ".pq"):
                return pd.read_parquet(path)
            frame = _parse_iso_dates(pd.read_csv(path, sep=_delimiter(path)))
            # number rows like the lines of the file (header = line 1), so that an error
            # about "row 7" points at line 7 in a spreadsheet or editor
            frame.index = pd.RangeIndex(2, len(frame) + 2)
            return frame
        except (OSError, ValueError, ImportError) as exc:
            raise DataError(f"{path}: could not read data set {name!r}: {exc}") from exc

    def fingerprint(self) -> str:
        """SHA-256 over the initiative file, its catalogs and its data files (first 16 hex)."""
        digest = hashlib.sha256()
        files = [self.path, *self.data_files.values()]
        files += [Path(c) for c in self.catalog_paths() if c != "standard"]
        for path in files:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()[:16]


_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


def _delimiter(path: Path) -> str:
    """The field separator of a CSV file: ``,`` unless the header line is clearly split by
    ``;`` (common where the decimal mark is a comma), a tab or ``|`` instead."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        header = handle.readline()
    counts = {sep: header.count(sep) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > counts[","] else ","


def _parse_iso_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """Turn text columns whose every value is an ISO date (YYYY-MM-DD) into datetimes.

    CSV has no date type; this is the one conversion :meth:`Initiative.load_data` makes, so
    that dates in the data behave as dates (e.g. the time axis of an interrupted time series).
    """
    for column in frame.columns:
        values = frame[column]
        if values.dtype.kind not in "OSU" and str(values.dtype) not in ("string", "str"):
            continue
        present = values.dropna().astype(str)
        if len(present) and present.str.fullmatch(_ISO_DATE).all():
            frame[column] = pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")
    return frame
