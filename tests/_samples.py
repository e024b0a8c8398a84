"""Helpers shared by the tests of the sample initiatives (test_sample_data, test_recovery)."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from types import ModuleType

from conftest import SAMPLE_DATA

INITIATIVES = ("water_filter", "tutoring", "cookstoves")


@cache
def load_generator() -> ModuleType:
    """``sample_data/generate.py`` imported as a module (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location(
        "_impactkit_sample_generate", SAMPLE_DATA / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module
