"""Portfolios: many initiatives' results files joined into one map, table and meta-analysis.

``build_portfolio(paths, out_pdf=..., out_html=...)`` reads ``<name>.results.json`` files
(validated against ``impactkit/schemas/results.schema.json``) and writes a PDF and/or one
self-contained, offline HTML page.  See the README section "Portfolios and results.json".
"""

from impactkit.portfolio.build import PortfolioBuild, build_portfolio, load_areas
from impactkit.portfolio.forest import forest_plot
from impactkit.portfolio.geo import Area, read_geojson
from impactkit.portfolio.meta import MetaAnalysis, meta_by_indicator, random_effects
from impactkit.portfolio.records import (
    SCHEMA_VERSION,
    InitiativeRecord,
    load_portfolio,
    load_results,
    results_schema,
    validate_results,
)
from impactkit.portfolio.rollup import ROLLUPS, rollup

__all__ = [
    "SCHEMA_VERSION",
    "Area",
    "InitiativeRecord",
    "MetaAnalysis",
    "PortfolioBuild",
    "ROLLUPS",
    "build_portfolio",
    "forest_plot",
    "load_areas",
    "load_portfolio",
    "load_results",
    "meta_by_indicator",
    "random_effects",
    "read_geojson",
    "results_schema",
    "rollup",
    "validate_results",
]
