"""Indicators: definitions and catalogs, the expression language, and their computation.

The pipeline, one module per step:

- :mod:`~impactkit.indicators.definitions` — :class:`Indicator`: *who counts*
  (``population``), *what is counted* (``numerator``, ``value``, ``events``/``exposure``
  or ``numerator``/``denominator`` depending on ``kind``) and how to read it (``unit``,
  ``direction``, ``frameworks``);
- :mod:`~impactkit.indicators.catalog` — :class:`Catalog` (id -> Indicator, usually read
  from YAML; the YAML form is documented there) and :func:`resolve_catalog`, the one place
  where ``"standard"``, a path or a list of them becomes a catalog;
- :mod:`~impactkit.indicators.expressions` — the small, safe expression language
  (grammar and missing-value rules; :mod:`~impactkit.indicators.parser` reads text,
  :mod:`~impactkit.indicators.compiler` turns it into narwhals expressions);
- :mod:`~impactkit.indicators.rows` — an indicator's row-level pieces for one schema;
- :mod:`~impactkit.indicators.statistics` — per-group sufficient statistics in one pass;
- :mod:`~impactkit.indicators.estimates` — values and intervals by kind (the formulas and
  their sources);
- :mod:`~impactkit.indicators.compute` — :func:`compute`, the tidy table of estimates;
- :mod:`~impactkit.indicators.evaluate` — :func:`evaluate`, the row-level outcome used for
  effect estimation (pre/post, difference-in-differences).

The interval formulas themselves live in :mod:`impactkit._intervals` and are re-exported
here.

Missing values
--------------
A row whose population condition is missing, or that is in the population but has a
missing outcome (or weight), is dropped from that indicator and counted in ``n_missing``;
it is never turned into a 0.  See :mod:`impactkit.indicators.expressions` for when an
expression is missing.
"""

from __future__ import annotations

from .._intervals import (
    clopper_pearson_interval,
    delta_ratio_interval,
    poisson_interval,
    t_interval,
    wilson_interval,
)
from .catalog import Catalog, CatalogSpec, resolve_catalog
from .compute import STATISTIC_COLUMNS, compute, output_names
from .definitions import DIRECTIONS, EXPRESSION_KEYS, KINDS, Indicator
from .estimates import CI_METHODS
from .evaluate import evaluate
from .expressions import Expression, parse

__all__ = [
    "CI_METHODS",
    "DIRECTIONS",
    "EXPRESSION_KEYS",
    "KINDS",
    "STATISTIC_COLUMNS",
    "Catalog",
    "CatalogSpec",
    "Expression",
    "Indicator",
    "clopper_pearson_interval",
    "compute",
    "delta_ratio_interval",
    "evaluate",
    "output_names",
    "parse",
    "poisson_interval",
    "resolve_catalog",
    "t_interval",
    "wilson_interval",
]
