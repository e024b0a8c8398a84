"""The initiative file: one YAML document that says what a report is about.

An ``initiative.yaml`` names the initiative, its data files, its design (pre/post,
difference-in-differences or interrupted time series), its indicators, the lab or pilot
evidence and the adoption records.  :func:`load` reads it with ``yaml.safe_load`` (nothing in
it is ever executed), checks every key, and returns a frozen :class:`Initiative`.  Every error
is a :class:`~impactkit.errors.ConfigError` that names the file and the key.

The fields are documented in the README ("The initiative file") and in
``sample_data/water_filter/initiative.yaml``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from . import _yaml
from .errors import ConfigError, DataError

__all__ = [
    "Initiative",
    "Columns",
    "IndicatorChoice",
    "Design",
    "CascadeSpec",
    "SustainedUseSpec",
    "PilotEffect",
    "LabEvidence",
    "Costs",
    "load",
    "DESIGNS",
    "MULTIPLICITY_METHODS",
]

DESIGNS = ("pre_post", "did", "its")
MULTIPLICITY_METHODS = ("fdr_bh", "holm", "bonferroni", "none")
ITS_FAMILIES = ("gaussian", "poisson", "quasipoisson")


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
class Design:
    """The before/after design and its columns.

    ``type`` is ``"did"`` (``treated``, ``post``, optional ``cluster`` and ``covariates``),
    ``"pre_post"`` (``before`` and ``after`` values of the period column, ``paired``) or
    ``"its"`` (``time``, ``intervention``, ``seasonality``, ``family``, ``hac_lags``).
    """

    type: str
    data: str
    treated: str | None = None
    post: str | None = None
    cluster: str | None = None
    covariates: tuple[str, ...] = ()
    before: Any = None
    after: Any = None
    paired: bool = True
    time: str | None = None
    intervention: Any = None
    seasonality: int | str | None = None
    family: str = "gaussian"
    hac_lags: int | None = None


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


# ----------------------------------------------------------------------------- reading

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


class _Section:
    """Typed access to one mapping of the YAML file, with errors naming file and key."""

    def __init__(self, raw: Any, where: str, file: Path, allowed: tuple[str, ...]):
        self.file = file
        self.where = where
        if not isinstance(raw, dict):
            raise self.error(where, f"expected a mapping, got {type(raw).__name__}")
        unknown = [k for k in raw if k not in allowed]
        if unknown:
            raise self.error(
                f"{where}.{unknown[0]}" if where else str(unknown[0]),
                f"unknown key; allowed keys are {', '.join(allowed)}",
            )
        self.raw: dict[str, Any] = raw

    def key(self, name: str) -> str:
        return f"{self.where}.{name}" if self.where else name

    def error(self, key: str, message: str) -> ConfigError:
        return ConfigError(f"{self.file}: key '{key}': {message}")

    def has(self, name: str) -> bool:
        return self.raw.get(name) is not None

    def get(self, name: str, required: bool = False) -> Any:
        if self.raw.get(name) is None:
            if required:
                raise self.error(self.key(name), "is required")
            return None
        return self.raw[name]

    def text(self, name: str, required: bool = False, default: str | None = None) -> str | None:
        value = self.get(name, required)
        if value is None:
            return default
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise self.error(self.key(name), f"expected text, got {type(value).__name__}")
        return str(value).strip()

    def number(self, name: str, required: bool = False) -> float | None:
        value = self.get(name, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(self.key(name), f"expected a number, got {value!r}")
        return float(value)

    def names(self, name: str, required: bool = False) -> tuple[str, ...]:
        value = self.get(name, required)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(self.key(name), f"expected a list of names, got {value!r}")
        if required and not value:
            raise self.error(self.key(name), "must name at least one entry")
        return tuple(value)

    def choice(self, name: str, options: tuple[str, ...], default: str | None = None) -> str:
        value = self.text(name, required=default is None, default=default)
        if value not in options:
            raise self.error(self.key(name), f"expected one of {', '.join(options)}; got {value!r}")
        return value

    def section(
        self, name: str, allowed: tuple[str, ...], required: bool = False
    ) -> _Section | None:
        value = self.get(name, required)
        if value is None:
            return None
        return _Section(value, self.key(name), self.file, allowed)


def _date(section: _Section, name: str) -> dt.date:
    value = section.get(name, required=True)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise section.error(
            section.key(name), f"expected a date YYYY-MM-DD, got {value!r}"
        ) from None


def _interval(section: _Section, name: str) -> tuple[float | None, float | None]:
    value = section.get(name)
    if value is None:
        return None, None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        or value[0] > value[1]
    ):
        raise section.error(
            section.key(name), f"expected [low, high] with low <= high, got {value!r}"
        )
    return float(value[0]), float(value[1])


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"{path}: cannot read the initiative file: {exc.strerror or exc}"
        ) from exc
    try:
        raw = _yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of keys at the top level")
    return raw


TOP_KEYS = (
    "name",
    "organisation",
    "description",
    "period",
    "currency",
    "data",
    "columns",
    "indicators",
    "design",
    "adoption",
    "lab",
    "costs",
    "subgroups",
    "multiplicity",
)


def load(path: str | os.PathLike[str]) -> Initiative:
    """Read and validate an initiative file.

    Parameters
    ----------
    path
        The ``initiative.yaml`` file.  Data and catalog paths in it are relative to its folder.

    Returns
    -------
    Initiative
        A frozen, validated description.  Data are not read until
        :meth:`Initiative.load_data` is called, but every declared file must exist.

    Raises
    ------
    ConfigError
        Naming the file and the key, for a missing or unknown key, a wrong type, a data
        set or catalog file that does not exist, or a design without its columns.
    """
    path = Path(path).resolve()
    top = _Section(_read_yaml(path), "", path, TOP_KEYS)

    period = top.section("period", ("start", "end"), required=True)
    assert period is not None
    start, end = _date(period, "start"), _date(period, "end")
    if end < start:
        raise top.error("period", f"ends ({end}) before it starts ({start})")

    data_raw = top.get("data", required=True)
    if not isinstance(data_raw, dict) or not data_raw:
        raise top.error("data", "expected a mapping of data set names to files")
    data_files: dict[str, Path] = {}
    for name, rel in data_raw.items():
        if not isinstance(rel, str):
            raise top.error(f"data.{name}", f"expected a file path, got {rel!r}")
        file = (path.parent / rel).resolve()
        if file.suffix.lower() not in (".csv", ".parquet", ".pq"):
            raise top.error(f"data.{name}", f"expected a .csv or .parquet file, got {rel!r}")
        if not file.is_file():
            raise top.error(f"data.{name}", f"file not found: {file}")
        data_files[str(name)] = file

    def data_name(section: _Section, key: str = "data") -> str:
        name = section.text(key, required=True)
        assert name is not None
        if name not in data_files:
            raise section.error(
                section.key(key), f"no data set {name!r}; declared: {', '.join(data_files)}"
            )
        return name

    cols = top.section("columns", ("unit", "period", "group")) or _Section({}, "columns", path, ())
    columns = Columns(cols.text("unit"), cols.text("period"), cols.text("group"))

    ind = top.section("indicators", ("catalog", "headline", "outcomes"), required=True)
    assert ind is not None
    catalog = ind.names("catalog", required=True)
    for entry in catalog:
        if entry != "standard" and not (path.parent / entry).is_file():
            raise ind.error("indicators.catalog", f"catalog file not found: {path.parent / entry}")
    headline = ind.names("headline", required=True)
    outcomes = ind.names("outcomes") or headline
    indicators = IndicatorChoice(catalog, headline, tuple(dict.fromkeys(headline + outcomes)))

    design = _design(top, data_name, columns)
    cascade, sustained = _adoption(top, data_name)
    lab = _lab(top)

    costs = None
    cost_section = top.section("costs", ("total", "items"))
    if cost_section is not None:
        total = cost_section.number("total", required=True)
        items_raw = cost_section.get("items") or {}
        if not isinstance(items_raw, dict) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in items_raw.values()
        ):
            raise cost_section.error("costs.items", "expected a mapping of item names to amounts")
        assert total is not None
        if total <= 0:
            raise cost_section.error("costs.total", f"must be positive, got {total}")
        items_sum = sum(float(v) for v in items_raw.values())
        if items_raw and abs(items_sum - total) > 0.005 * total:
            raise cost_section.error(
                "costs.items",
                f"the items add up to {items_sum:,.2f}, not to costs.total {total:,.2f}",
            )
        costs = Costs(total, {str(k): float(v) for k, v in items_raw.items()})

    return Initiative(
        path=path,
        name=top.text("name", required=True) or "",
        organisation=top.text("organisation", required=True) or "",
        description=top.text("description", required=True) or "",
        period_start=start,
        period_end=end,
        data_files=data_files,
        columns=columns,
        indicators=indicators,
        design=design,
        currency=top.text("currency", default="USD") or "USD",
        cascade=cascade,
        sustained_use=sustained,
        lab=lab,
        costs=costs,
        subgroups=top.names("subgroups"),
        multiplicity=top.choice("multiplicity", MULTIPLICITY_METHODS, default="fdr_bh"),
    )


def _design(top: _Section, data_name: Any, columns: Columns) -> Design:
    section = top.section(
        "design",
        (
            "type",
            "data",
            "treated",
            "post",
            "cluster",
            "covariates",
            "before",
            "after",
            "paired",
            "time",
            "intervention",
            "seasonality",
            "family",
            "hac_lags",
        ),
        required=True,
    )
    assert section is not None
    kind = section.choice("type", DESIGNS)
    data = data_name(section)
    if kind == "did":
        return Design(
            type=kind,
            data=data,
            treated=section.text("treated", required=True),
            post=section.text("post", required=True),
            cluster=section.text("cluster") or columns.unit,
            covariates=section.names("covariates"),
        )
    if kind == "pre_post":
        if columns.period is None:
            raise top.error("columns.period", "is required for a pre_post design")
        paired = section.get("paired")
        if paired is not None and not isinstance(paired, bool):
            raise section.error("design.paired", f"expected true or false, got {paired!r}")
        paired = True if paired is None else paired
        if paired and columns.unit is None:
            raise top.error("columns.unit", "is required for a paired pre_post design")
        return Design(
            type=kind,
            data=data,
            before=section.get("before", required=True),
            after=section.get("after", required=True),
            paired=paired,
        )
    seasonality = section.get("seasonality")
    if seasonality is not None and not (
        (isinstance(seasonality, int) and not isinstance(seasonality, bool) and seasonality >= 0)
        or seasonality == "month"
    ):
        raise section.error(
            "design.seasonality", f"expected a number of harmonics or 'month', got {seasonality!r}"
        )
    hac = section.get("hac_lags")
    if hac is not None and (not isinstance(hac, int) or isinstance(hac, bool) or hac < 0):
        raise section.error("design.hac_lags", f"expected a whole number >= 0, got {hac!r}")
    return Design(
        type=kind,
        data=data,
        time=section.text("time", required=True),
        intervention=section.get("intervention", required=True),
        seasonality=seasonality,
        family=section.choice("family", ITS_FAMILIES, default="gaussian"),
        hac_lags=hac,
    )


def _adoption(top: _Section, data_name: Any) -> tuple[CascadeSpec | None, SustainedUseSpec | None]:
    section = top.section("adoption", ("cascade", "sustained_use"))
    if section is None:
        return None, None
    cascade = None
    cas = section.section("cascade", ("data", "stages", "labels", "unit", "by", "target"))
    if cas is not None:
        stages = cas.names("stages", required=True)
        if len(stages) < 2:
            raise cas.error("adoption.cascade.stages", "needs at least two stages")
        labels = cas.get("labels") or {}
        if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
            raise cas.error("adoption.cascade.labels", "expected a mapping of stage to label")
        unknown = [k for k in labels if k not in stages]
        if unknown:
            raise cas.error("adoption.cascade.labels", f"{unknown[0]!r} is not one of the stages")
        target = _target(cas)
        cascade = CascadeSpec(
            data=data_name(cas),
            stages=stages,
            labels={str(k): v for k, v in labels.items()},
            unit=cas.text("unit"),
            by=cas.text("by"),
            target=target,
        )
    sustained = None
    sus = section.section(
        "sustained_use", ("data", "duration", "abandoned", "horizons", "by", "time_unit")
    )
    if sus is not None:
        horizons = sus.get("horizons") or [90, 180, 365]
        if not isinstance(horizons, list) or not all(
            isinstance(h, int | float) and not isinstance(h, bool) and h > 0 for h in horizons
        ):
            raise sus.error(
                "adoption.sustained_use.horizons", f"expected positive numbers, got {horizons!r}"
            )
        sustained = SustainedUseSpec(
            data=data_name(sus),
            duration=sus.text("duration", required=True) or "",
            abandoned=sus.text("abandoned", required=True) or "",
            horizons=tuple(float(h) for h in horizons),
            by=sus.text("by"),
            time_unit=sus.text("time_unit", default="days") or "days",
        )
    return cascade, sustained


def _target(cas: _Section) -> int | dict[Any, int] | None:
    """``adoption.cascade.target``: the number of people in the target population, or with
    ``by`` a mapping of each group to its number (counts, not shares)."""
    value = cas.get("target")
    if value is None:
        return None

    def count(v: Any, key: str) -> int:
        if isinstance(v, bool) or not isinstance(v, int | float) or v != int(v) or v < 1:
            raise cas.error(
                key, f"expected a number of people (a whole number >= 1, not a share), got {v!r}"
            )
        return int(v)

    if isinstance(value, dict):
        if not cas.has("by"):
            raise cas.error("adoption.cascade.target", "a mapping of groups needs 'by'")
        return {g: count(v, f"adoption.cascade.target.{g}") for g, v in value.items()}
    return count(value, "adoption.cascade.target")


def _lab(top: _Section) -> LabEvidence | None:
    section = top.section("lab", ("efficacy", "ci", "source", "pilot_effect"))
    if section is None:
        return None
    efficacy = section.number("efficacy", required=not section.has("pilot_effect"))
    if efficacy is not None and not 0 < efficacy <= 1:
        raise section.error("lab.efficacy", f"expected a proportion in (0, 1], got {efficacy}")
    low, high = _interval(section, "ci")
    pilot = None
    pil = section.section("pilot_effect", ("indicator", "estimate", "ci", "n", "source"))
    if pil is not None:
        p_low, p_high = _interval(pil, "ci")
        if p_low is None or p_high is None:
            raise pil.error("lab.pilot_effect.ci", "is required: [low, high] of the pilot effect")
        estimate = pil.number("estimate", required=True)
        assert estimate is not None
        n = pil.number("n")
        pilot = PilotEffect(
            indicator=pil.text("indicator", required=True) or "",
            estimate=estimate,
            ci_low=p_low,
            ci_high=p_high,
            source=pil.text("source", default="") or "",
            n=int(n) if n is not None else None,
        )
    return LabEvidence(efficacy, low, high, section.text("source", default="") or "", pilot)
