"""Tests of impactkit.effects.power against statsmodels and the normal approximation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.power import TTestIndPower, TTestPower

from impactkit.effects.power import design_effect, mde, power
from impactkit.errors import DataError


def z(p: float) -> float:
    return float(stats.norm.ppf(p))


def test_independent_mde_matches_statsmodels_and_hand_formula() -> None:
    got = mde(64, sd=3.0, ratio=1.5)
    assert TTestIndPower().power(
        effect_size=got / 3.0, nobs1=64, alpha=0.05, ratio=1.5
    ) == pytest.approx(0.8, rel=1e-9)
    d = TTestIndPower().solve_power(nobs1=64, alpha=0.05, power=0.8, ratio=1.5)
    assert got == pytest.approx(3.0 * d, rel=1e-4)
    # large n: (z_{1-a/2} + z_power) * sd * sqrt(1/n1 + 1/n2)
    hand = (z(0.975) + z(0.8)) * 2.0 * math.sqrt(1 / 5000 + 1 / 5000)
    assert mde(5000, sd=2.0) == pytest.approx(hand, rel=1e-3)


def test_paired_mde_and_power_match_statsmodels() -> None:
    got = mde(30, design="paired", sd=1.2, power=0.9)
    assert TTestPower().power(effect_size=got / 1.2, nobs=30, alpha=0.05) == pytest.approx(
        0.9, rel=1e-9
    )
    d = TTestPower().solve_power(nobs=30, alpha=0.05, power=0.9)
    assert got == pytest.approx(1.2 * d, rel=1e-4)
    # with occasion SD and a pre/post correlation: SD of differences = sd * sqrt(2 (1 - r))
    sd_diff = 2.0 * math.sqrt(2 * (1 - 0.6))
    assert mde(30, design="paired", sd=2.0, correlation=0.6) == pytest.approx(
        sd_diff * TTestPower().solve_power(nobs=30, alpha=0.05, power=0.8), rel=1e-4
    )
    assert power(0.5, 30, design="paired", sd=1.0) == pytest.approx(
        TTestPower().power(effect_size=0.5, nobs=30, alpha=0.05), rel=1e-9
    )


def test_did_with_clusters_uses_the_design_effect() -> None:
    deff = 1 + (20 - 1) * 0.05
    assert design_effect(20, 0.05) == pytest.approx(deff)
    n = 400
    # repeated cross-sections: Var(DiD) = 4 sd^2 DEFF / n, i.e. SD of a change sd * sqrt(2)
    hand = (z(0.975) + z(0.8)) * math.sqrt(4 * 1.5**2 * deff / n)
    got = mde(n, design="did", sd=1.5, icc=0.05, cluster_size=20)
    assert got == pytest.approx(hand, rel=2e-2)
    # statsmodels' power at our MDE is exactly the requested power (its solve_power is
    # only accurate to ~1e-5, so the power is the sharper comparison)
    d = got / (math.sqrt(2) * 1.5)
    assert TTestIndPower().power(effect_size=d, nobs1=n / deff, alpha=0.05) == pytest.approx(
        0.8, rel=1e-9
    )
    ref = math.sqrt(2) * 1.5 * TTestIndPower().solve_power(nobs1=n / deff, alpha=0.05, power=0.8)
    assert got == pytest.approx(ref, rel=1e-4)
    # a panel with correlated pre/post outcomes needs a smaller effect
    assert mde(n, design="did", sd=1.5, correlation=0.7) < mde(n, design="did", sd=1.5)


def test_power_of_the_mde_is_the_requested_power() -> None:
    for design in ("paired", "independent", "did"):
        m = mde(50, design=design, sd=2.0, power=0.85, icc=0.1, cluster_size=5)  # type: ignore[arg-type]
        p = power(m, 50, design=design, sd=2.0, icc=0.1, cluster_size=5)  # type: ignore[arg-type]
        assert p == pytest.approx(0.85, abs=1e-9)


def test_errors() -> None:
    with pytest.raises(DataError, match="n must"):
        mde(1)
    with pytest.raises(DataError, match="sd"):
        mde(10, sd=0)
    with pytest.raises(DataError, match="icc"):
        mde(10, icc=1.5)
    with pytest.raises(DataError, match="cluster_size"):
        mde(10, cluster_size=0.5)
    with pytest.raises(DataError, match="design"):
        mde(10, design="rct")  # type: ignore[arg-type]
    with pytest.raises(DataError, match="power"):
        mde(10, power=1.0)
    with pytest.raises(DataError, match="correlation"):
        mde(10, design="paired", correlation=1.0)
    with pytest.raises(DataError, match="between alpha"):
        mde(10, power=0.04)
    with pytest.raises(DataError, match="effective sample size"):
        mde(10, icc=0.5, cluster_size=20)


def test_large_effects_have_power_near_one_not_nan() -> None:
    # scipy's noncentral t returns NaN in the far tail here; statsmodels' power is NaN
    p = power(1.475, 74, sd=1.0)
    assert p == pytest.approx(1.0, abs=1e-9)


@given(
    st.integers(5, 2000),
    st.floats(0.2, 0.95),
    st.floats(0.0, 0.2),
    st.integers(1, 10),
    st.sampled_from(["paired", "independent", "did"]),
)
def test_mde_monotone_in_n_power_and_clustering(
    n: int, pw: float, icc: float, m: int, design: str
) -> None:
    assume(n / (1 + (m + 5 - 1) * icc) >= 3)
    base = mde(n, design=design, power=pw, icc=icc, cluster_size=m)  # type: ignore[arg-type]
    assert base > 0
    assert mde(n + 10, design=design, power=pw, icc=icc, cluster_size=m) < base  # type: ignore[arg-type]
    assert mde(n, design=design, power=min(pw + 0.04, 0.99), icc=icc, cluster_size=m) > base  # type: ignore[arg-type]
    assert mde(n, design=design, power=pw, icc=icc, cluster_size=m + 5) >= base * (1 - 1e-9)  # type: ignore[arg-type]
    # scaling the SD scales the MDE
    assert mde(n, design=design, sd=3.0, power=pw, icc=icc, cluster_size=m) == pytest.approx(  # type: ignore[arg-type]
        3.0 * base, rel=1e-6
    )


@given(st.floats(0.0, 3.0), st.integers(5, 500))
def test_power_is_between_alpha_and_one_and_increases_with_effect(effect: float, n: int) -> None:
    p = power(effect, n, sd=1.0)
    assert 0.05 - 1e-9 <= p <= 1.0
    assert power(effect + 0.1, n, sd=1.0) >= p
    assert power(-effect, n, sd=1.0) == pytest.approx(p)
    assert np.isfinite(p)
