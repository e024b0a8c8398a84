"""The design records of an initiative file: one typed record per design type.

Each design type has its own frozen record (:class:`PrePostDesign`, :class:`DiDDesign`,
:class:`ITSDesign`, :class:`SyntheticControlDesign`, all sharing :class:`DesignBase`) and its own parser. :data:`PARSERS` maps
the ``design.type`` word to the parser; a new design type is one more record, one more
parser and one more entry there (plus its runner in :mod:`impactkit.analysis.designs`).
Every error names the file and the key (``design.<key>``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from ._reader import Section
from .model import Columns

__all__ = [
    "DesignBase",
    "PrePostDesign",
    "DiDDesign",
    "ITSDesign",
    "SyntheticControlDesign",
    "SYNTHETIC_METHODS",
    "Design",
    "DESIGNS",
    "DESIGN_KEYS",
    "ITS_FAMILIES",
    "parse_design",
]

ITS_FAMILIES = ("gaussian", "poisson", "quasipoisson")
SYNTHETIC_METHODS = ("sdid", "sc", "did")
#: Every key a ``design`` section may hold (whatever its type).
DESIGN_KEYS = (
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
    "unit",
    "method",
    "replications",
    "seed",
)


@dataclass(frozen=True)
class DesignBase:
    """What every design has: its type word and the data set it is estimated on."""

    type: ClassVar[str]
    data: str


@dataclass(frozen=True)
class PrePostDesign(DesignBase):
    """Before and after: the ``before`` and ``after`` values of ``columns.period``; ``paired``
    when the same units are measured at both rounds (needs ``columns.unit``)."""

    type: ClassVar[str] = "pre_post"
    before: Any = None  # a value of the period column (text, number or date)
    after: Any = None
    paired: bool = True


@dataclass(frozen=True)
class DiDDesign(DesignBase):
    """Difference-in-differences: 0/1 ``treated`` and ``post`` columns, optional ``cluster``
    (defaults to ``columns.unit``) and ``covariates``."""

    type: ClassVar[str] = "did"
    treated: str = ""
    post: str = ""
    cluster: str | None = None
    covariates: tuple[str, ...] = ()


@dataclass(frozen=True)
class ITSDesign(DesignBase):
    """Interrupted time series on the ``time`` column, interrupted at ``intervention``."""

    type: ClassVar[str] = "its"
    time: str = ""
    intervention: Any = None  # a value of the time column (number or date)
    seasonality: int | str | None = None
    family: str = "gaussian"
    hac_lags: int | None = None


@dataclass(frozen=True)
class SyntheticControlDesign(DesignBase):
    """One treated place against a pool of comparison places: the ``treated`` label of the
    ``unit`` column, the ``time`` column, the first post-period ``intervention``, the
    estimator (``sdid``, ``sc`` or ``did``), time-varying ``covariates``, and the placebo
    ``replications`` and ``seed`` of the standard error."""

    type: ClassVar[str] = "synthetic_control"
    unit: str = ""
    time: str = ""
    treated: Any = None  # a value of the unit column (text or number)
    intervention: Any = None  # a value of the time column (number or date)
    method: str = "sdid"
    covariates: tuple[str, ...] = ()
    replications: int = 200
    seed: int = 0  # fixed by default: the same data give the same report


#: Any design record.
Design = PrePostDesign | DiDDesign | ITSDesign | SyntheticControlDesign


def _did(section: Section, top: Section, data: str, columns: Columns) -> DiDDesign:
    return DiDDesign(
        data=data,
        treated=section.text("treated", required=True) or "",
        post=section.text("post", required=True) or "",
        cluster=section.text("cluster") or columns.unit,
        covariates=section.names("covariates"),
    )


def _pre_post(section: Section, top: Section, data: str, columns: Columns) -> PrePostDesign:
    if columns.period is None:
        raise top.error("columns.period", "is required for a pre_post design")
    paired = section.get("paired")
    if paired is not None and not isinstance(paired, bool):
        raise section.error("design.paired", f"expected true or false, got {paired!r}")
    paired = True if paired is None else paired
    if paired and columns.unit is None:
        raise top.error("columns.unit", "is required for a paired pre_post design")
    return PrePostDesign(
        data=data,
        before=section.get("before", required=True),
        after=section.get("after", required=True),
        paired=paired,
    )


def _check_seasonality(section: Section) -> int | str | None:
    seasonality = section.get("seasonality")
    if seasonality is not None and not (
        (isinstance(seasonality, int) and not isinstance(seasonality, bool) and seasonality >= 0)
        or seasonality == "month"
    ):
        raise section.error(
            "design.seasonality", f"expected a number of harmonics or 'month', got {seasonality!r}"
        )
    return seasonality  # checked above: int, "month" or None


def _check_hac_lags(section: Section) -> int | None:
    hac = section.get("hac_lags")
    if hac is not None and (not isinstance(hac, int) or isinstance(hac, bool) or hac < 0):
        raise section.error("design.hac_lags", f"expected a whole number >= 0, got {hac!r}")
    return hac  # checked above: int or None


def _its(section: Section, top: Section, data: str, columns: Columns) -> ITSDesign:
    seasonality = _check_seasonality(section)
    hac = _check_hac_lags(section)
    return ITSDesign(
        data=data,
        time=section.text("time", required=True) or "",
        intervention=section.get("intervention", required=True),
        seasonality=seasonality,
        family=section.choice("family", ITS_FAMILIES, default="gaussian"),
        hac_lags=hac,
    )


def _whole(section: Section, key: str, minimum: int) -> int | None:
    value = section.get(key)
    if value is not None and (
        not isinstance(value, int) or isinstance(value, bool) or value < minimum
    ):
        raise section.error(f"design.{key}", f"expected a whole number >= {minimum}, got {value!r}")
    return value  # checked above: int or None


def _synthetic(
    section: Section, top: Section, data: str, columns: Columns
) -> SyntheticControlDesign:
    unit = section.text("unit") or columns.unit
    if not unit:
        raise section.error(
            "design.unit", "is required (or columns.unit) for a synthetic_control design"
        )
    treated = section.get("treated", required=True)
    if not isinstance(treated, str | int) or isinstance(treated, bool):
        raise section.error(
            "design.treated", f"expected the treated unit's label (text or number), got {treated!r}"
        )
    replications = _whole(section, "replications", 2)
    return SyntheticControlDesign(
        data=data,
        unit=unit,
        time=section.text("time", required=True) or "",
        treated=treated,
        intervention=section.get("intervention", required=True),
        method=section.choice("method", SYNTHETIC_METHODS, default="sdid"),
        covariates=section.names("covariates"),
        replications=200 if replications is None else replications,
        seed=_whole(section, "seed", 0) or 0,
    )


Parser = Callable[[Section, Section, str, Columns], Design]
#: ``design.type`` -> the function that reads that design's keys.
PARSERS: dict[str, Parser] = {"pre_post": _pre_post, "did": _did, "its": _its}
PARSERS["synthetic_control"] = _synthetic
DESIGNS = tuple(PARSERS)


def parse_design(top: Section, data_name: Callable[[Section], str], columns: Columns) -> Design:
    """Read the ``design`` section: its type, its data set, then the type's own keys."""
    section = top.section("design", DESIGN_KEYS, required=True)
    assert section is not None
    kind = section.choice("type", DESIGNS)
    data = data_name(section)
    return PARSERS[kind](section, top, data, columns)
