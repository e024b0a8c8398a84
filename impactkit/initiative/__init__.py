"""The initiative file: one YAML document that says what a report is about.

An ``initiative.yaml`` names the initiative, its data files, its design (pre/post,
difference-in-differences or interrupted time series), its indicators, the lab or pilot
evidence and the adoption records.  :func:`load` reads it with ``yaml.safe_load`` (nothing in
it is ever executed), checks every key, and returns a frozen :class:`Initiative`.  Every error
is a :class:`~impactkit.errors.ConfigError` that names the file and the key.

Layout: :mod:`.model` (the :class:`Initiative` record and its parts), :mod:`.designs` (one
typed record and parser per design type), :mod:`.loading` (reading and validation) and
:mod:`._reader` (typed access to the YAML mappings).

The fields are documented in the README ("The initiative file") and in
``sample_data/water_filter/initiative.yaml``.
"""

from __future__ import annotations

from .designs import (
    DESIGNS,
    ITS_FAMILIES,
    Design,
    DesignBase,
    DiDDesign,
    ITSDesign,
    PrePostDesign,
    RCTDesign,
    StaggeredDesign,
    SyntheticControlDesign,
)
from .loading import MULTIPLICITY_METHODS, TOP_KEYS, load
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
from .portfolio_keys import ASSET_CLASSES, IMP_DIMENSIONS, Geography, PortfolioKeys

__all__ = [
    "Initiative",
    "Columns",
    "IndicatorChoice",
    "Design",
    "DesignBase",
    "PrePostDesign",
    "DiDDesign",
    "ITSDesign",
    "RCTDesign",
    "StaggeredDesign",
    "SyntheticControlDesign",
    "CascadeSpec",
    "SustainedUseSpec",
    "PilotEffect",
    "LabEvidence",
    "Costs",
    "load",
    "DESIGNS",
    "ITS_FAMILIES",
    "MULTIPLICITY_METHODS",
    "TOP_KEYS",
    "Geography",
    "PortfolioKeys",
    "ASSET_CLASSES",
    "IMP_DIMENSIONS",
]
