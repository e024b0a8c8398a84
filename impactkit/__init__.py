"""impactkit: measure whether an initiative really changed anything.

The library is a pipeline of small modules::

    validate -> indicators -> adoption / effects -> charts -> report

It never reads files it was not given and never prints.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from . import errors
from .effects import Effect, EffectSize

try:
    __version__ = version("impactkit")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+unknown"

__all__ = [
    "__version__",
    "errors",
    "Effect",
    "EffectSize",
]
