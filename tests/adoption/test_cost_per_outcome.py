"""Tests for impactkit.adoption.costs.

Hypothesis properties are in tests/adoption/test_adoption_properties.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from impactkit.adoption import (
    CostPerOutcome,
    cascade,
    cost_per_outcome,
    effectiveness_gap,
)
from impactkit.errors import DataError

# ----------------------------------------------------------------------------- cost per outcome


def test_cost_per_outcome_cascade_and_gap() -> None:
    c = cascade({"reached": 800, "adopted": 400, "sustained": 0}, target=1000)
    r = cost_per_outcome(40_000, c, currency="EUR")
    assert isinstance(r, CostPerOutcome)
    np.testing.assert_allclose(r.table["cost_per_unit"].iloc[:2], [50.0, 100.0])
    assert math.isnan(r.table["cost_per_unit"].iloc[2]) and r.notes
    assert "EUR 50.0 per reached" in r.summary()
    g = effectiveness_gap(0.5, method="delta", reach=(0.4, 0.3, 0.5))
    r = cost_per_outcome(10_000, g, population=1000)
    row = r.table.iloc[0]
    assert row["cost_per_unit"] == pytest.approx(10_000 / (0.2 * 1000))
    assert row["ci_low"] == pytest.approx(10_000 / (g.ci_high * 1000))
    assert row["ci_high"] == pytest.approx(10_000 / (g.ci_low * 1000))
    assert "currency" in r.to_frame().columns and "<table" in r._repr_html_()
    with pytest.raises(DataError, match="population"):
        cost_per_outcome(10_000, g)
    with pytest.raises(DataError, match="cost"):
        cost_per_outcome(-1, c)
    with pytest.raises(DataError, match="Cascade or a Gap"):
        cost_per_outcome(10, 5)  # type: ignore[arg-type]
