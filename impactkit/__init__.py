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

``import impactkit`` is cheap: each top-level name is imported from its module the first time
it is used (PEP 562 module ``__getattr__``), so matplotlib, statsmodels and scipy.stats load
only when a function that needs them does (``benchmarks/bench_import.py`` measures it).
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

try:
    __version__ = version("impactkit")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+unknown"

if TYPE_CHECKING:  # what type checkers and IDEs see; at run time __getattr__ imports these
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
        ITSResult,
        RCTResult,
        StaggeredResult,
        SyntheticControlResult,
        Verdict,
        WildBootstrapResult,
        adjust,
        did,
        effect_size,
        its,
        mde,
        placebo_p_value,
        power,
        pre_post,
        rct,
        staggered_did,
        synthetic_control,
        verdict,
        wild_cluster_bootstrap,
    )
    from .indicators import Catalog, Indicator
    from .indicators.compute import compute
    from .indicators.evaluate import evaluate
    from .initiative import Initiative
    from .initiative import load as load_initiative
    from .results import Effect, EffectSize
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
    "rct",
    "RCTResult",
    "staggered_did",
    "StaggeredResult",
    "wild_cluster_bootstrap",
    "WildBootstrapResult",
    "placebo_p_value",
    "synthetic_control",
    "SyntheticControlResult",
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

#: Subpackages / modules available as attributes (``impactkit.charts``).
_SUBMODULES = frozenset({"errors", "catalogs", "charts"})
#: Public name -> (module that defines it, its name there).
_LAZY: dict[str, tuple[str, str]] = {
    **{n: ("indicators", n) for n in ("Indicator", "Catalog", "compute", "evaluate")},
    **{n: ("results", n) for n in ("Effect", "EffectSize")},
    "SurveyDesign": ("survey", "SurveyDesign"),
    **{
        n: ("effects", n)
        for n in (
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
            "rct",
            "RCTResult",
            "staggered_did",
            "StaggeredResult",
            "wild_cluster_bootstrap",
            "WildBootstrapResult",
            "placebo_p_value",
            "synthetic_control",
            "SyntheticControlResult",
        )
    },  # fmt: skip
    **{
        n: ("adoption", n)
        for n in (
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
        )
    },  # fmt: skip
    "Initiative": ("initiative", "Initiative"),
    "load_initiative": ("initiative", "load"),
    "ImpactAnalysis": ("analysis", "ImpactAnalysis"),
    "analyse": ("analysis", "analyse"),
}

if not TYPE_CHECKING:  # type checkers see the imports above, not an open-ended __getattr__

    def __getattr__(name: str) -> object:
        """Import a public name from its module on first use and keep it (PEP 562)."""
        if name in _SUBMODULES:
            value = importlib.import_module(f"{__name__}.{name}")
        elif name in _LAZY:
            module, attr = _LAZY[name]
            value = getattr(importlib.import_module(f"{__name__}.{module}"), attr)
        else:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
