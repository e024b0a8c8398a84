"""impactkit._intervals against independent implementations (statsmodels, scipy, algebra)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from impactkit._intervals import (
    fieller_interval,
    loglog_survival_interval,
    mean_t_interval,
    t_quantile,
    wilson,
    wilson_interval,
    z_quantile,
)


def test_quantiles_match_scipy() -> None:
    assert z_quantile(0.95) == pytest.approx(1.959963984540054, abs=1e-15)
    assert t_quantile(0.95, 10) == pytest.approx(2.2281, abs=5e-5)  # printed t table, df 10
    assert t_quantile(0.9, 4) == pytest.approx(stats.t.interval(0.9, 4)[1], rel=1e-14)


@pytest.mark.parametrize("k,n", [(3, 10), (0, 5), (5, 5), (17, 123), (1234, 5678)])
def test_wilson_equals_statsmodels(k: int, n: int) -> None:
    # identical at 0.95 (same quantile bit for bit); within rounding at other levels
    got = tuple(wilson(k, n, 0.95))
    want = tuple(float(x) for x in proportion_confint(k, n, alpha=1 - 0.95, method="wilson"))
    assert got == want
    low, high = wilson(k, n, 0.9)
    ref = proportion_confint(k, n, alpha=0.1, method="wilson")
    assert (low, high) == pytest.approx(ref, abs=1e-14)


def test_wilson_published_value_and_no_denominator() -> None:
    # Newcombe (1998, Stat Med 17:857), table I: 81/263 -> Wilson 0.2553 to 0.3662
    low, high = wilson(81, 263, 0.95)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    assert all(math.isnan(x) for x in wilson(0, 0, 0.95))
    lo, hi = wilson_interval(np.array([1.0, 2.0]), np.array([0.0, 4.0]))
    assert math.isnan(lo[0]) and 0 < lo[1] < 0.5 < hi[1] < 1


def test_mean_t_interval_matches_scipy() -> None:
    x = np.array([0.2, 0.5, 0.9, 0.4, 0.35])
    mean, se, low, high = mean_t_interval(x, 0.9)
    ref = stats.t.interval(0.9, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
    assert (low, high) == pytest.approx(ref, rel=1e-12)
    assert se == pytest.approx(stats.sem(x), rel=1e-12) and mean == pytest.approx(x.mean())
    assert mean_t_interval(np.array([0.3, 0.3]), 0.95) == (0.3, 0.0, 0.3, 0.3)


def test_fieller_bounds_are_the_quadratic_roots() -> None:
    a, va, b, vb = 0.3, 0.01, 0.6, 0.02
    interval, g = fieller_interval(a, va, b, vb, 0.95)
    z = stats.norm.ppf(0.975)
    # (a - R b)^2 = z^2 (va + R^2 vb)  <=>  (b^2 - z^2 vb) R^2 - 2ab R + a^2 - z^2 va = 0
    roots = np.sort(np.roots([b**2 - z**2 * vb, -2 * a * b, a**2 - z**2 * va]))
    assert (interval.low, interval.high) == pytest.approx(tuple(roots), rel=1e-10)
    assert g == pytest.approx(z**2 * vb / b**2) and interval.method == "fieller"
    wide, g2 = fieller_interval(a, va, 0.1, 0.02, 0.95)
    assert g2 >= 1 and wide.method == "delta"
    half = z * math.sqrt(va + (a / 0.1) ** 2 * 0.02) / 0.1
    assert (wide.low, wide.high) == pytest.approx((a / 0.1 - half, a / 0.1 + half))


def test_loglog_by_hand() -> None:
    s, se = np.array([0.8, 0.5, 0.0]), np.array([0.05, 0.1, 0.0])
    low, high = loglog_survival_interval(s, se, 0.95)
    z = stats.norm.ppf(0.975)
    theta, sd = math.log(-math.log(0.8)), 0.05 / 0.8 / abs(math.log(0.8))
    assert low[0] == pytest.approx(math.exp(-math.exp(theta + z * sd)))
    assert high[0] == pytest.approx(math.exp(-math.exp(theta - z * sd)))
    assert math.isnan(low[2]) and math.isnan(high[2])


@given(st.integers(1, 10_000), st.data(), st.floats(0.5, 0.999))
def test_wilson_contains_the_share_and_stays_in_0_1(n: int, data: st.DataObject, c: float) -> None:
    k = data.draw(st.integers(0, n))
    low, high = wilson(k, n, c)
    assert 0.0 <= low <= k / n + 1e-12 and k / n - 1e-12 <= high <= 1.0
    wider = wilson(k, n, min(c + 0.0005, 0.9995))
    assert wider.low <= low + 1e-12 and wider.high >= high - 1e-12


@given(
    st.floats(-5, 5),
    st.floats(0.001, 1),
    st.floats(0.5, 5) | st.floats(-5, -0.5),
    st.floats(0.001, 0.5),
)
def test_fieller_contains_the_ratio(a: float, va: float, b: float, vb: float) -> None:
    interval, _ = fieller_interval(a, va, b, vb, 0.95)
    assert interval.low <= a / b + 1e-9 <= interval.high + 2e-9
