"""impactkit: measure whether an initiative really changed anything.

The library is a pipeline of small modules::

    indicators -> adoption / effects -> charts -> analysis -> report

It never reads files it was not given and never prints.  The names most analysts need are
available at the top level::

    import impactkit as ik
    catalog = ik.Catalog.from_yaml("indicators.yaml")
    ik.compute(catalog, data, by="district")
    ik.did(data, "outcome", "treated", "post", unit="household_id")
    ik.cascade(data, ["reached", "adopted", "still_using"])
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("impactkit")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+unknown"

from . import catalogs, charts, errors
from .adoption import (
    Cascade,
    CostPerOutcome,
    Fidelity,
    Gap,
    SustainedUse,
    UsageIntensity,
    VoltageRatio,
    cascade,
    cost_per_outcome,
    effectiveness_gap,
    effectiveness_gap_from_cascade,
    fidelity,
    sustained_use,
    usage_intensity,
    voltage_ratio,
)
from .analysis import ImpactAnalysis, analyse
from .effects import (
    DiDResult,
    Effect,
    EffectSize,
    ITSResult,
    Verdict,
    adjust,
    did,
    effect_size,
    its,
    mde,
    power,
    pre_post,
    verdict,
)
from .indicators import Catalog, Indicator, compute, evaluate
from .initiative import Initiative
from .initiative import load as load_initiative
from .survey import SurveyDesign

__all__ = [
    "__version__",
    "errors",
    "catalogs",
    "charts",
    # indicators
    "Indicator",
    "Catalog",
    "compute",
    "evaluate",
    "SurveyDesign",
    # effects
    "Effect",
    "EffectSize",
    "DiDResult",
    "ITSResult",
    "Verdict",
    "pre_post",
    "effect_size",
    "did",
    "its",
    "adjust",
    "verdict",
    "mde",
    "power",
    # adoption
    "Cascade",
    "SustainedUse",
    "UsageIntensity",
    "Fidelity",
    "Gap",
    "VoltageRatio",
    "CostPerOutcome",
    "cascade",
    "sustained_use",
    "usage_intensity",
    "fidelity",
    "effectiveness_gap",
    "effectiveness_gap_from_cascade",
    "voltage_ratio",
    "cost_per_outcome",
    # reports
    "Initiative",
    "load_initiative",
    "ImpactAnalysis",
    "analyse",
]
