"""Reading and validating an initiative file: :func:`load`.

Every key is checked; every error is a :class:`~impactkit.errors.ConfigError` that names the
file and the key.  The design section is read by :func:`impactkit.initiative.designs.parse_design`.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ._reader import Section, date_value, interval_value, quote, read_yaml, regular_file
from .data_entries import parse_data_entries, parse_labels, parse_narrative
from .designs import DiDDesign, parse_design
from .model import (
    CascadeSpec,
    Columns,
    Costs,
    IndicatorChoice,
    Initiative,
    LabEvidence,
    PilotEffect,
    SustainedUseSpec,
)
from .portfolio_keys import PORTFOLIO_KEYS, parse_portfolio_keys
from .sampling import parse_sampling

__all__ = ["load", "TOP_KEYS", "MULTIPLICITY_METHODS"]

MULTIPLICITY_METHODS = ("fdr_bh", "holm", "bonferroni", "none")
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
    *PORTFOLIO_KEYS,
    "sampling",
    "labels",
    "narrative",
    "report_date",
)
#: The README's promise: one to three headline indicators.
MAX_HEADLINES = 3


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
    path = _resolve(Path(path), "initiative file")
    top = Section(read_yaml(path), "", path, TOP_KEYS)
    start, end = _period(top)
    data_entries = parse_data_entries(top, path)
    data_files = {name: entry.file for name, entry in data_entries.items()}

    def data_name(section: Section, key: str = "data") -> str:
        name = section.text(key, required=True)
        assert name is not None
        if name not in data_files:
            raise section.error(
                section.key(key), f"no data set {name!r}; declared: {', '.join(data_files)}"
            )
        return name

    cols = top.section("columns", ("unit", "period", "group")) or Section({}, "columns", path, ())
    columns = Columns(cols.text("unit"), cols.text("period"), cols.text("group"))
    indicators = _indicators(top, path)
    design = parse_design(top, data_name, columns)
    sampling = parse_sampling(top, data_files)
    psu = sampling[design.data].psu if design.data in sampling else None
    explicit = isinstance(top.raw.get("design"), dict) and "cluster" in top.raw["design"]
    if isinstance(design, DiDDesign) and psu is not None and not explicit:
        design = replace(design, cluster=psu)  # cluster on the PSU by default
    cascade, sustained = _adoption(top, data_name)
    lab = _lab(top)
    costs = _costs(top)
    where = parse_portfolio_keys(top, tuple(data_files))
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
        location=where.location,
        impact_areas=where.impact_areas,
        asset_class=where.asset_class,
        sector=where.sector,
        funder=where.funder,
        geography=where.geography,
        sampling=sampling,
        data_entries=data_entries,
        labels=parse_labels(top),
        narrative=parse_narrative(top, path),
        report_date=date_value(top, "report_date") if top.has("report_date") else None,
    )


def _resolve(path: Path, what: str) -> Path:
    """``path`` made absolute with its symlinks followed; a loop is a ConfigError."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        raise ConfigError(f"{what} {path} is a symlink loop or cannot be resolved") from None


def _period(top: Section) -> tuple[dt.date, dt.date]:
    period = top.section("period", ("start", "end"), required=True)
    assert period is not None
    start, end = date_value(period, "start"), date_value(period, "end")
    if end < start:
        raise top.error("period", f"ends ({end}) before it starts ({start})")
    return start, end


def _indicators(top: Section, path: Path) -> IndicatorChoice:
    ind = top.section("indicators", ("catalog", "headline", "outcomes"), required=True)
    assert ind is not None
    catalog = ind.names("catalog", required=True)
    for entry in catalog:
        if entry == "standard":
            continue
        if "\x00" in entry or Path(entry).suffix.lower() not in (".yaml", ".yml"):
            raise ind.error(
                "indicators.catalog",
                f"a catalog must be a .yaml or .yml file (or 'standard'), got {quote(entry)}",
            )
        _file(ind, "indicators.catalog", path.parent / entry, "catalog file")
    headline = ind.names("headline", required=True)
    if len(headline) > MAX_HEADLINES:
        raise ind.error(
            "indicators.headline",
            f"name one to {MAX_HEADLINES} headline indicators, got {len(headline)}; "
            "list the others under 'outcomes'",
        )
    outcomes = ind.names("outcomes") or headline
    return IndicatorChoice(catalog, headline, tuple(dict.fromkeys(headline + outcomes)))


def _file(section: Section, key: str, path: Path, what: str) -> Path:
    """``path`` resolved; it must be a regular file (not a folder, device, FIFO or loop)."""
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):
        raise section.error(key, f"{what} {path} is a symlink loop") from None
    refused = regular_file(resolved, what)
    if refused is not None:
        raise section.error(key, refused)
    return resolved


def _costs(top: Section) -> Costs | None:
    cost_section = top.section("costs", ("total", "items"))
    if cost_section is None:
        return None
    total = cost_section.number("total", required=True)
    items_raw = cost_section.get("items") or {}
    if not isinstance(items_raw, dict) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in items_raw.values()
    ):
        raise cost_section.error("costs.items", "expected a mapping of item names to amounts")
    for item, amount in items_raw.items():
        if not math.isfinite(amount) or amount < 0:
            raise cost_section.error(
                f"costs.items.{item}", f"expected a finite amount >= 0, got {quote(amount)}"
            )
    assert total is not None
    if total <= 0:
        raise cost_section.error("costs.total", f"must be positive, got {total}")
    items_sum = sum(float(v) for v in items_raw.values())
    if items_raw and abs(items_sum - total) > 0.005 * total:
        raise cost_section.error(
            "costs.items",
            f"the items add up to {items_sum:,.2f}, not to costs.total {total:,.2f}",
        )
    return Costs(total, {str(k): float(v) for k, v in items_raw.items()})


def _adoption(
    top: Section, data_name: Callable[[Section], str]
) -> tuple[CascadeSpec | None, SustainedUseSpec | None]:
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
            raise cas.error(
                "adoption.cascade.labels", f"{quote(unknown[0])} is not one of the stages"
            )
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
            isinstance(h, int | float) and not isinstance(h, bool) and 0 < h < math.inf
            for h in horizons
        ):
            raise sus.error(
                "adoption.sustained_use.horizons",
                f"expected positive finite numbers, got {quote(horizons)}",
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


def _target(cas: Section) -> int | dict[Any, int] | None:
    """``adoption.cascade.target``: the number of people in the target population, or with
    ``by`` a mapping of each group to its number (counts, not shares)."""
    value = cas.get("target")
    if value is None:
        return None

    def count(v: Any, key: str) -> int:
        if (
            isinstance(v, bool)
            or not isinstance(v, int | float)
            or not math.isfinite(v)
            or v != int(v)
            or v < 1
        ):
            raise cas.error(
                key,
                f"expected a number of people (a whole number >= 1, not a share), got {quote(v)}",
            )
        return int(v)

    if isinstance(value, dict):
        if not cas.has("by"):
            raise cas.error("adoption.cascade.target", "a mapping of groups needs 'by'")
        return {g: count(v, f"adoption.cascade.target.{g}") for g, v in value.items()}
    return count(value, "adoption.cascade.target")


def _lab(top: Section) -> LabEvidence | None:
    section = top.section("lab", ("efficacy", "ci", "source", "pilot_effect"))
    if section is None:
        return None
    efficacy = section.number("efficacy", required=not section.has("pilot_effect"))
    if efficacy is not None and not 0 < efficacy <= 1:
        raise section.error("lab.efficacy", f"expected a proportion in (0, 1], got {efficacy}")
    low, high = interval_value(section, "ci")
    pilot = None
    pil = section.section("pilot_effect", ("indicator", "estimate", "ci", "n", "source"))
    if pil is not None:
        p_low, p_high = interval_value(pil, "ci")
        if p_low is None or p_high is None:
            raise pil.error("lab.pilot_effect.ci", "is required: [low, high] of the pilot effect")
        estimate = pil.number("estimate", required=True)
        assert estimate is not None
        n = pil.number("n")
        if n is not None and (n < 2 or n != int(n)):
            raise pil.error(
                "lab.pilot_effect.n",
                f"expected the pilot's sample size (a whole number >= 2), got {n:g}",
            )
        pilot = PilotEffect(
            indicator=pil.text("indicator", required=True) or "",
            estimate=estimate,
            ci_low=p_low,
            ci_high=p_high,
            source=pil.text("source", default="") or "",
            n=int(n) if n is not None else None,
        )
    return LabEvidence(efficacy, low, high, section.text("source", default="") or "", pilot)
