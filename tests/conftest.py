"""Shared test configuration.

Hypothesis profiles: ``ci`` (the default under ``make test``: derandomised so a CI run is
reproducible, no deadline because CI machines are noisy) and ``dev`` (more examples, for
hunting bugs locally: ``HYPOTHESIS_PROFILE=dev pytest``).
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest
from _testpaths import ROOT
from hypothesis import HealthCheck, settings

matplotlib.use("Agg")

settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=500, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--runslow", action="store_true", default=False, help="run slow tests")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--runslow"):
        return
    skip_slow = pytest.mark.skip(reason="slow: run with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip_slow)


@pytest.fixture
def root() -> Path:
    return ROOT
