"""The design records of an initiative file: one typed record per design type.

Each design type has its own frozen record (:class:`PrePostDesign`, :class:`DiDDesign`,
:class:`ITSDesign`, :class:`RCTDesign`, :class:`StaggeredDesign`,
:class:`SyntheticControlDesign`, all sharing :class:`DesignBase`) and its own parser. :data:`PARSERS` maps
the ``design.type`` word to the parser; a new design type is one more record, one more
parser and one more entry there (plus its runner in :mod:`impactkit.analysis.designs`).
Every error names the file and the key (``design.<key>``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from ._reader import Section
from .model import Columns

__all__ = [
    "DesignBase",
    "PrePostDesign",
    "DiDDesign",
    "ITSDesign",
    "RCTDesign",
    "StaggeredDesign",
    "SyntheticControlDesign",
    "SYNTHETIC_METHODS",
    "Design",
    "DESIGNS",
    "DESIGN_KEYS",
    "ITS_FAMILIES",
    "INFERENCES",
    "RCT_SE",
    "parse_design",
]

ITS_FAMILIES = ("gaussian", "poisson", "quasipoisson")
#: ``design.inference`` of ``did`` and ``rct`` (see :mod:`impactkit.effects.wild.choice`).
INFERENCES = ("auto", "wild", "cr1")
#: ``design.se`` of ``rct`` without a cluster.
RCT_SE = ("HC2", "HC0", "HC1", "HC3", "nonrobust")
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
    "period",
    "inference",
    "arm",
    "control",
    "baseline",
    "strata",
    "se",
    "unit",
    "cohort",
    "anticipation",
    "base_period",
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
    period: str | None = None  # the column that orders rounds (event study, pre-trend test)
    inference: str = "auto"


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
class RCTDesign(DesignBase):
    """A randomised evaluation: one row per randomised unit, the assigned ``arm`` (with the
    ``control`` arm's value), the endline outcome from each indicator (missing = lost to
    follow-up), optional ``baseline`` columns for ANCOVA (one column for every outcome, or
    indicator id -> column), baseline ``covariates``, the ``cluster`` of a cluster-randomised
    trial, randomisation ``strata``, ``se`` and the few-cluster ``inference``."""

    type: ClassVar[str] = "rct"
    arm: str = ""
    control: Any = None  # a value of the arm column (text, number or bool)
    baseline: str | Mapping[str, str] | None = None
    covariates: tuple[str, ...] = ()
    cluster: str | None = None
    strata: str | None = None
    se: str = "HC2"
    inference: str = "auto"

    def baseline_for(self, indicator_id: str) -> str | None:
        """The baseline column of one outcome indicator (``None``: endline difference)."""
        if isinstance(self.baseline, Mapping):
            return self.baseline.get(indicator_id)
        return self.baseline


@dataclass(frozen=True)
class StaggeredDesign(DesignBase):
    """A staggered roll-out (Callaway & Sant'Anna 2021): a balanced panel of ``unit`` by
    ``time`` with each unit's ``cohort`` (first treated period, 0 = never treated)."""

    type: ClassVar[str] = "staggered_did"
    unit: str = ""
    time: str = ""
    cohort: str = ""
    control: str = "never"
    anticipation: int = 0
    base_period: str = "varying"


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
Design = (
    PrePostDesign | DiDDesign | ITSDesign | RCTDesign | StaggeredDesign | SyntheticControlDesign
)


def _did(section: Section, top: Section, data: str, columns: Columns) -> DiDDesign:
    return DiDDesign(
        data=data,
        treated=section.text("treated", required=True) or "",
        post=section.text("post", required=True) or "",
        cluster=section.text("cluster") or columns.unit,
        covariates=section.names("covariates"),
        period=section.text("period"),
        inference=section.choice("inference", INFERENCES, default="auto"),
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
    if hac is not None and (not isinstance(hac, int) or isinstance(hac, bool) or hac < 1):
        raise section.error(
            "design.hac_lags",
            f"expected a whole number >= 1 (and below a quarter of the time points), got {hac!r}",
        )
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


_OWN_KEYS = {
    "rct": ("arm", "control", "baseline", "covariates", "cluster", "strata", "se", "inference"),
    "staggered_did": ("unit", "time", "cohort", "control", "anticipation", "base_period"),
}


def _check_own_keys(section: Section, kind: str) -> None:
    """A key of another design type in this one is a mistake, not something to ignore."""
    allowed = ("type", "data", *_OWN_KEYS[kind])
    for key in section.raw:
        if key not in allowed:
            raise section.error(
                f"design.{key}",
                f"is not a key of a {kind} design; its keys are {', '.join(allowed)}",
            )


def _check_baseline(section: Section) -> str | Mapping[str, str] | None:
    value = section.get("baseline")
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        return dict(value)
    raise section.error(
        "design.baseline",
        f"expected a column name or a mapping indicator id -> column, got {value!r}",
    )


def _rct(section: Section, top: Section, data: str, columns: Columns) -> RCTDesign:
    _check_own_keys(section, "rct")
    control = section.get("control")
    if isinstance(control, list | dict):
        raise section.error(
            "design.control", f"expected one value of the arm column, got {control!r}"
        )
    return RCTDesign(
        data=data,
        arm=section.text("arm", required=True) or "",
        control=control,
        baseline=_check_baseline(section),
        covariates=section.names("covariates"),
        cluster=section.text("cluster"),
        strata=section.text("strata"),
        se=section.choice("se", RCT_SE, default="HC2"),
        inference=section.choice("inference", INFERENCES, default="auto"),
    )


def _check_anticipation(section: Section) -> int:
    value = section.get("anticipation")
    if value is None:
        return 0
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise section.error("design.anticipation", f"expected a whole number >= 0, got {value!r}")
    return value


def _staggered(section: Section, top: Section, data: str, columns: Columns) -> StaggeredDesign:
    _check_own_keys(section, "staggered_did")
    unit = section.text("unit") or columns.unit
    time = section.text("time") or columns.period
    if unit is None:
        raise section.error("design.unit", "is required (or set columns.unit)")
    if time is None:
        raise section.error("design.time", "is required (or set columns.period)")
    return StaggeredDesign(
        data=data,
        unit=unit,
        time=time,
        cohort=section.text("cohort", required=True) or "",
        control=section.choice("control", ("never", "not_yet"), default="never"),
        anticipation=_check_anticipation(section),
        base_period=section.choice("base_period", ("varying", "universal"), default="varying"),
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
PARSERS: dict[str, Parser] = {
    "pre_post": _pre_post,
    "did": _did,
    "its": _its,
    "rct": _rct,
    "staggered_did": _staggered,
    "synthetic_control": _synthetic,
}
DESIGNS = tuple(PARSERS)


def parse_design(top: Section, data_name: Callable[[Section], str], columns: Columns) -> Design:
    """Read the ``design`` section: its type, its data set, then the type's own keys."""
    section = top.section("design", DESIGN_KEYS, required=True)
    assert section is not None
    kind = section.choice("type", DESIGNS)
    data = data_name(section)
    return PARSERS[kind](section, top, data, columns)
