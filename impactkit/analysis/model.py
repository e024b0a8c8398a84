""":class:`ImpactAnalysis`: every number of an impact report, built by :func:`~.run.analyse`."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._display import html_block
from . import results_table, words
from .designs import DesignRunner, runner_for
from .outcome import Finding, OutcomeResult

if TYPE_CHECKING:
    from ..adoption import Cascade, Gap, SustainedUse, VoltageRatio
    from ..indicators import Catalog
    from ..initiative import Initiative
    from .geography import AreaMaps

__all__ = ["ImpactAnalysis"]


@dataclass(frozen=True, eq=False)  # holds DataFrames: compare the parts, not the whole
class ImpactAnalysis:
    """All numbers of an impact report.  Build it with :func:`analyse`."""

    initiative: Initiative
    catalog: Catalog
    design_data: pd.DataFrame
    indicator_values: pd.DataFrame
    outcomes: tuple[OutcomeResult, ...]
    cascade: Cascade | None = None
    sustained_use: SustainedUse | None = None
    gap: Gap | None = None
    voltage: VoltageRatio | None = None
    costs: pd.DataFrame | None = None
    subgroups: pd.DataFrame = field(default_factory=pd.DataFrame)
    subgroup_notes: tuple[str, ...] = ()  # subgroups whose effect could not be estimated
    data_quality: pd.DataFrame = field(default_factory=pd.DataFrame)
    attrition: pd.DataFrame | None = None
    units: pd.DataFrame = field(default_factory=pd.DataFrame)
    design_strata: pd.DataFrame | None = None  # PSUs per stratum under ``sampling:``
    fingerprint: str = ""
    created: dt.date = field(default_factory=dt.date.today)
    confidence: float = 0.95  # the level of every interval
    maps: AreaMaps | None = None  # the district maps of ``geography:`` (analysis.geography)
    #: missing-value codes made missing, by data set, column and code (data-quality appendix)
    missing_codes: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: the columns the report uses, with variable and value labels (data dictionary)
    data_dictionary: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: what the readers noted (label sets missing a code, decimal commas detected)
    data_notes: tuple[str, ...] = ()
    #: value labels of the design's data set (file, form, then the initiative's ``labels:``)
    labels: Mapping[str, Mapping[str | int | float, str]] = field(default_factory=dict)

    # ------------------------------------------------------------------ look-ups
    @property
    def runner(self) -> DesignRunner:
        """The runner of the initiative's design (its words, caveats and charts)."""
        return runner_for(self.initiative.design)

    def outcome(self, indicator_id: str) -> OutcomeResult:
        """The result for one outcome indicator."""
        for result in self.outcomes:
            if result.indicator.id == indicator_id:
                return result
        raise KeyError(indicator_id)

    @property
    def headline(self) -> list[OutcomeResult]:
        """Results of the headline indicators, in the order the initiative file lists them."""
        return [self.outcome(i) for i in self.initiative.indicators.headline]

    # ------------------------------------------------------------------ words
    def findings(self) -> list[Finding]:
        """Three to five findings in plain words, each with its number, interval and verdict."""
        return words.findings(self)

    def voltage_summary(self) -> str:
        """The effect at scale as a share of the pilot's, in words (needs a pilot effect)."""
        return words.voltage_sentence(self)

    def summary(self) -> str:
        """The findings as one paragraph."""
        return " ".join(str(f) for f in self.findings())

    # ------------------------------------------------------------------ tables
    def outcome_table(self) -> pd.DataFrame:
        """One row per outcome: baseline, endline, change, interval, adjusted p, verdict."""
        rows = []
        for r in self.outcomes:
            e = r.effect
            rows.append(
                {
                    "indicator": r.indicator.id,
                    "name": r.indicator.name,
                    "unit": r.indicator.unit,
                    "direction": r.indicator.direction,
                    "baseline": r.before,
                    "endline": r.after,
                    "change": e.estimate if e else np.nan,
                    "ci_low": e.ci_low if e else np.nan,
                    "ci_high": e.ci_high if e else np.nan,
                    "p_value": e.p_value if e else np.nan,
                    "p_adjusted": r.p_adjusted if r.p_adjusted is not None else np.nan,
                    "minimum_meaningful_change": r.mmc,
                    "scale": r.scale if e else "",
                    "target": r.indicator.target,
                    "verdict": r.verdict,
                    "reason": r.reason if r.skipped is None else r.skipped,
                    "method": e.method if e else "",
                    "n": e.n if e else np.nan,
                }
            )
        return pd.DataFrame(rows)

    def results_frame(self) -> pd.DataFrame:
        """Every number of the report in one tidy table (what ``results.csv`` holds); see
        :func:`impactkit.analysis.results_table.results_frame` for the columns."""
        return results_table.results_frame(self)

    def results_json(self, report_file: str | os.PathLike[str] | None = None) -> str:
        """``results.json``: metadata, the portfolio keys (schema 1.0; ``report_file`` is the
        report's path) and the rows of :meth:`results_frame`."""
        return results_table.results_json(self, report_file)

    def to_frame(self) -> pd.DataFrame:
        """Same as :meth:`results_frame`."""
        return self.results_frame()

    def __repr__(self) -> str:
        return (
            f"ImpactAnalysis({self.initiative.name!r}, design={self.initiative.design.type}, "
            f"{len(self.outcomes)} outcomes, cascade={'yes' if self.cascade is not None else 'no'})"
        )

    def _repr_html_(self) -> str:
        return html_block(
            f"Impact analysis — {self.initiative.name}",
            self.outcome_table()[
                ["name", "baseline", "endline", "change", "ci_low", "ci_high", "verdict"]
            ],
            summary=self.summary(),
        )
