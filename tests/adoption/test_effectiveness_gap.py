"""Tests for impactkit.adoption.gap: delta method by hand, Monte Carlo, Gap.from_cascade.

Hypothesis properties are in tests/adoption/test_adoption_properties.py.
"""

from __future__ import annotations

import math
import types
from typing import Any

import numpy as np
import pytest
from scipy import stats

from impactkit.adoption import (
    Gap,
    cascade,
    effectiveness_gap,
    effectiveness_gap_from_cascade,
)
from impactkit.effects import Effect
from impactkit.errors import DataError

# ----------------------------------------------------------------------------- effectiveness gap


def test_gap_delta_method_by_hand() -> None:
    z = stats.norm.ppf(0.975)
    g = effectiveness_gap(
        0.99, method="delta", reach=0.8, adoption=(600, 800), sustained=(0.45, 0.40, 0.50)
    )
    p = [0.8, 0.75, 0.45]
    rw = 0.99 * np.prod(p)
    var_log = (math.sqrt(0.75 * 0.25 / 800) / 0.75) ** 2 + ((0.10 / (2 * z)) / 0.45) ** 2
    assert g.real_world == pytest.approx(rw, rel=1e-12)
    assert g.ci_low == pytest.approx(rw * math.exp(-z * math.sqrt(var_log)), rel=1e-10)
    assert g.ci_high == pytest.approx(rw * math.exp(z * math.sqrt(var_log)), rel=1e-10)
    assert g.lost == pytest.approx(1 - np.prod(p), rel=1e-12)
    logs = np.log(p)
    for name, expected in zip(["reach", "adoption", "sustained"], logs / logs.sum(), strict=True):
        assert g.contributions[name] == pytest.approx(expected, rel=1e-12)
    assert g.largest_loss == "sustained"
    assert g.method == "delta (log scale)"
    steps = g.steps
    assert list(steps["step"]) == [
        "lab efficacy",
        "reach",
        "adoption",
        "sustained",
        "real-world effect",
    ]
    np.testing.assert_allclose(steps["value"].iloc[1:4], 0.99 * np.cumprod(p))
    assert steps["value"].iloc[-1] == pytest.approx(rw)


def test_gap_monte_carlo_is_seeded_and_close_to_delta() -> None:
    kw: dict[str, Any] = {"reach": (640, 800), "adoption": (0.7, 0.65, 0.75), "use": 0.5}
    a = effectiveness_gap(0.9, seed=5, n_draws=50_000, **kw)
    b = effectiveness_gap(0.9, seed=5, n_draws=50_000, **kw)
    d = effectiveness_gap(0.9, method="delta", **kw)
    assert (a.ci_low, a.ci_high) == (b.ci_low, b.ci_high)
    assert a.real_world == d.real_world == pytest.approx(0.9 * 0.8 * 0.7 * 0.5)
    assert a.ci_low == pytest.approx(d.ci_low, rel=0.03)
    assert a.ci_high == pytest.approx(d.ci_high, rel=0.03)
    assert a.method == "monte carlo" and "seed 5" in a.method_detail
    assert a.lost_ci_low < a.lost < a.lost_ci_high


def test_gap_beta_matched_to_interval() -> None:
    # A single uncertain step with lab efficacy 1: the draws are the Beta itself, whose
    # mean and sd must match the value and the interval's implied standard error.
    z = stats.norm.ppf(0.975)
    g = effectiveness_gap(1.0, seed=1, n_draws=200_000, step=(0.3, 0.25, 0.35))
    se = 0.1 / (2 * z)
    k = 0.3 * 0.7 / se**2 - 1
    ref = stats.beta(0.3 * k, 0.7 * k)
    assert g.ci_low == pytest.approx(ref.ppf(0.025), abs=2e-3)
    assert g.ci_high == pytest.approx(ref.ppf(0.975), abs=2e-3)


def test_gap_accepts_effect_like_and_lab_interval() -> None:
    lab = Effect(0.5, 0.05, 0.4, 0.6, 0.001, 200, label="lab")
    g = effectiveness_gap(
        lab, method="delta", reach=types.SimpleNamespace(value=0.5, ci_low=0.4, ci_high=0.6)
    )
    assert g.lab_efficacy == 0.5
    assert g.real_world == pytest.approx(0.25)
    assert g.steps["ci_low"].iloc[0] < 0.5 < g.steps["ci_high"].iloc[0]
    assert "becomes a real-world effect" in g.summary()


def test_gap_zero_and_one_steps() -> None:
    g = effectiveness_gap(0.8, method="delta", reach=1.0, use=1.0)
    assert g.lost == 0 and g.real_world == 0.8
    assert dict(g.contributions) == {"reach": 0.0, "use": 0.0}
    assert g.largest_loss is None
    g = effectiveness_gap(0.8, method="delta", reach=0.5, use=0.0, fix=0.0)
    assert g.real_world == 0 and g.lost == 1
    assert dict(g.contributions) == {"reach": 0.0, "use": 0.5, "fix": 0.5}
    assert g.notes


def test_gap_errors() -> None:
    with pytest.raises(DataError, match="step 'reach'.*proportion"):
        effectiveness_gap(0.9, reach=1.2)
    with pytest.raises(DataError, match="step 'use'.*too wide"):
        effectiveness_gap(0.9, use=(0.02, 0.0, 0.9))
    with pytest.raises(DataError, match="step 'use'.*successes"):
        effectiveness_gap(0.9, use=(0.5, 0.6))
    with pytest.raises(DataError, match="step 'use'.*ci_low <= value"):
        effectiveness_gap(0.9, use=(0.5, 0.6, 0.7))
    with pytest.raises(DataError, match="at least one step"):
        effectiveness_gap(0.9)
    with pytest.raises(DataError, match="positive"):
        effectiveness_gap(-0.1, use=0.5)
    with pytest.raises(DataError, match="method"):
        effectiveness_gap(0.9, method="bootstrap", use=0.5)  # type: ignore[arg-type]


def test_gap_from_cascade() -> None:
    c = cascade({"reached": 800, "adopted": 600, "sustained": 270}, target=1000)
    g = Gap.from_cascade(0.99, c, method="delta")
    assert list(g.contributions) == ["reached", "adopted", "sustained"]
    assert g.real_world == pytest.approx(0.99 * 0.27)
    c2 = cascade({"reached": 800, "adopted": 600})  # target = first stage: reach not a step
    g2 = effectiveness_gap_from_cascade(0.99, c2, method="delta")
    assert list(g2.contributions) == ["adopted"]
    with pytest.raises(DataError, match="Cascade"):
        effectiveness_gap_from_cascade(0.99, {"a": 1})  # type: ignore[arg-type]


def test_gap_result_object() -> None:
    g = effectiveness_gap(0.99, seed=2, n_draws=1000, reach=0.8, sustained_use=0.4)
    assert "Gap(" in repr(g) and "<table" in g._repr_html_()
    s = g.summary()
    assert "99.0 %" in s and "sustained use" in s
    assert g.to_frame().equals(g.steps)
