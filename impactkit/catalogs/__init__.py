"""Built-in indicator catalogs.

:func:`standard` returns the catalog shipped with impactkit (``standard.yaml`` in this
package): the RE-AIM dimensions, the Tanahashi coverage stages, and common outcome
indicators with their SDG codes.  Each indicator's description lists the generic column
names it expects (e.g. ``eligible``, ``reached``).  :func:`load` resolves ``"standard"``, a
:class:`~impactkit.indicators.Catalog`, or a YAML path.

Examples
--------
>>> cat = standard()
>>> cat["reach"].frameworks["re_aim"]
'reach'
>>> cat["safely_managed_water"].frameworks["sdg"]
'6.1.1'
"""

from __future__ import annotations

import os
from importlib import resources

from ..indicators.catalog import Catalog, resolve_catalog

__all__ = ["standard", "load", "STANDARD_FILE"]

STANDARD_FILE = "standard.yaml"


def standard() -> Catalog:
    """The built-in catalog, read from ``impactkit/catalogs/standard.yaml``.

    Sources: Glasgow, Vogt & Boles (1999) and Glasgow et al. (2019) for RE-AIM; Tanahashi
    (1978) and Ng et al. (2014) for coverage; the UN SDG global indicator framework for the
    outcome indicators (see each indicator's ``source``).  IRIS+ ids are not included
    because they could not be verified.
    """
    text = resources.files(__name__).joinpath(STANDARD_FILE).read_text(encoding="utf-8")
    return Catalog.from_yaml(text, origin=f"impactkit/catalogs/{STANDARD_FILE}")


def load(
    spec: str | os.PathLike[str] | Catalog, base_dir: str | os.PathLike[str] | None = None
) -> Catalog:
    """Resolve a catalog: ``"standard"``, a :class:`Catalog`, or a path to a YAML file.

    A relative path is taken relative to ``base_dir`` when given (e.g. the folder of an
    initiative file).  Errors name the file.  The same as
    :func:`impactkit.indicators.resolve_catalog`, which also merges a list of them.
    """
    return resolve_catalog(spec, base_dir)
