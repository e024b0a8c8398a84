"""Tests for impactkit.adoption.voltage: Fieller's interval against the quadratic's roots.

Hypothesis properties are in tests/adoption/test_adoption_properties.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from impactkit.adoption import (
    VoltageRatio,
    voltage_ratio,
)
from impactkit.effects import Effect
from impactkit.errors import DataError, EstimationError

# ----------------------------------------------------------------------------- voltage ratio


def fieller_by_hand(
    a: float, se_a: float, b: float, se_b: float, conf: float
) -> tuple[float, float]:
    """Solve (a - R b)^2 = z^2 (se_a^2 + R^2 se_b^2) for R (Fieller 1954), via numpy.roots."""
    z = stats.norm.ppf(0.5 + conf / 2)
    coeffs = [b**2 - z**2 * se_b**2, -2 * a * b, a**2 - z**2 * se_a**2]
    roots = np.sort(np.roots(coeffs).real)
    return float(roots[0]), float(roots[1])


def effect(est: float, se: float, label: str = "x", conf: float = 0.95) -> Effect:
    z = stats.norm.ppf(0.5 + conf / 2)
    return Effect(est, se, est - z * se, est + z * se, 0.01, 100, confidence=conf, label=label)


def test_fieller_matches_quadratic() -> None:
    for a, sa, b, sb, conf in [
        (0.3, 0.08, 0.8, 0.1, 0.95),
        (-0.2, 0.1, 0.5, 0.2, 0.9),
        (5, 3, -10, 2, 0.99),
    ]:
        r = voltage_ratio(effect(a, sa, conf=conf), effect(b, sb, conf=conf))
        lo, hi = fieller_by_hand(a, sa, b, sb, conf)
        assert r.method == "fieller"
        assert r.ratio == pytest.approx(a / b)
        assert r.ci_low == pytest.approx(lo, rel=1e-9)
        assert r.ci_high == pytest.approx(hi, rel=1e-9)
        assert r.confidence == conf


def test_voltage_falls_back_to_delta_when_lab_not_significant() -> None:
    r = voltage_ratio(effect(0.3, 0.1), effect(0.2, 0.15))
    assert r.method == "delta" and r.g >= 1
    half = 1.959963984540054 * math.sqrt(0.1**2 + 1.5**2 * 0.15**2) / 0.2
    assert r.ci_low == pytest.approx(1.5 - half, rel=1e-9)
    assert r.ci_high == pytest.approx(1.5 + half, rel=1e-9)
    assert any("unbounded" in n for n in r.notes)
    with pytest.raises(EstimationError, match="0"):
        voltage_ratio(effect(0.3, 0.1), effect(0.0, 0.1))


def test_voltage_ratio_summary_and_object() -> None:
    r = voltage_ratio(effect(0.38, 0.05, "field"), effect(1.0, 0.02, "lab"))
    s = r.summary()
    assert s.startswith("The field effect is 38 % of the lab effect (95 % CI")
    assert isinstance(r, VoltageRatio) and "VoltageRatio(" in repr(r)
    assert "<table" in r._repr_html_()
    assert r.to_frame()["method"].iloc[0] == "fieller"
    with pytest.raises(DataError, match="field"):
        voltage_ratio(object(), effect(1, 0.1))
