"""Random-effects meta-analysis vs statsmodels and the published BCG vaccine results.

Published numbers (see tests/portfolio/data/DATA.md): metafor's rma on dat.bcg (Colditz et al.
1994, log risk ratios): DL -0.7141, se 0.1787, CI -1.0644 to -0.3638, tau² 0.3088, I² 92.12 %;
REML -0.7145, se 0.1798, tau² 0.3132, I² 92.22 %; Q(12) = 152.2330.  They are printed to 4
decimals, so the tolerance is half a unit in the 4th decimal.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar
from statsmodels.stats.meta_analysis import combine_effects

from impactkit.errors import DataError, EstimationError
from impactkit.portfolio import load_results, meta_by_indicator, random_effects

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def bcg() -> tuple[np.ndarray, np.ndarray]:
    d = pd.read_csv(DATA / "dat_bcg.csv")
    yi = np.log(d.tpos / (d.tpos + d.tneg)) - np.log(d.cpos / (d.cpos + d.cneg))
    vi = 1 / d.tpos - 1 / (d.tpos + d.tneg) + 1 / d.cpos - 1 / (d.cpos + d.cneg)
    return yi.to_numpy(), np.sqrt(vi.to_numpy())


def test_bcg_dl_matches_published(bcg: tuple[np.ndarray, np.ndarray]) -> None:
    r = random_effects(*bcg, method="DL")
    assert r.estimate == pytest.approx(-0.7141, abs=5e-5)
    assert r.se == pytest.approx(0.1787, abs=5e-5)
    assert (r.ci_low, r.ci_high) == pytest.approx((-1.0644, -0.3638), abs=5e-5)
    assert r.tau2 == pytest.approx(0.3088, abs=5e-5)
    assert r.i2 * 100 == pytest.approx(92.1173, abs=5e-5)
    assert r.q == pytest.approx(152.2330, abs=5e-5)
    assert r.q_df == 12


def test_bcg_reml_matches_published(bcg: tuple[np.ndarray, np.ndarray]) -> None:
    r = random_effects(*bcg, method="REML")
    assert r.estimate == pytest.approx(-0.7145, abs=5e-5)
    assert r.se == pytest.approx(0.1798, abs=5e-5)
    assert r.tau2 == pytest.approx(0.3132, abs=5e-5)
    assert r.i2 * 100 == pytest.approx(92.22, abs=5e-3)


def test_dl_matches_statsmodels_combine_effects(bcg: tuple[np.ndarray, np.ndarray]) -> None:
    y, s = bcg
    ref = combine_effects(y, s**2, method_re="dl")
    row = ref.summary_frame().loc["random effect"]
    r = random_effects(y, s, method="DL")
    assert r.estimate == pytest.approx(row["eff"], rel=1e-10)
    assert r.se == pytest.approx(row["sd_eff"], rel=1e-10)
    assert (r.ci_low, r.ci_high) == pytest.approx((row["ci_low"], row["ci_upp"]), rel=1e-10)
    assert r.tau2 == pytest.approx(ref.tau2, rel=1e-10)
    assert r.q == pytest.approx(ref.q, rel=1e-10)
    assert r.i2 == pytest.approx(ref.i2, rel=1e-10)


def _reml_by_optimiser(y: np.ndarray, v: np.ndarray) -> float:
    """Independent REML: minimise the negative restricted log-likelihood numerically."""

    def nll(tau2: float) -> float:
        w = 1 / (v + tau2)
        mu = np.sum(w * y) / np.sum(w)
        return 0.5 * (np.sum(np.log(v + tau2)) + np.log(np.sum(w)) + np.sum(w * (y - mu) ** 2))

    res = minimize_scalar(
        nll, bounds=(0, 10 * np.var(y) + 1), method="bounded", options={"xatol": 1e-12}
    )
    return float(res.x) if nll(res.x) < nll(0.0) else 0.0


@given(st.lists(st.tuples(st.floats(-5, 5), st.floats(0.05, 2)), min_size=2, max_size=12))
def test_reml_tau2_maximises_the_restricted_likelihood(pairs: list[tuple[float, float]]) -> None:
    y = np.array([p[0] for p in pairs])
    s = np.array([p[1] for p in pairs])
    r = random_effects(y, s, method="REML")
    assert r.tau2 == pytest.approx(_reml_by_optimiser(y, s**2), abs=1e-5)
    # the pooled estimate with that tau² is statsmodels' weighted mean for a fixed tau²
    w = 1 / (s**2 + r.tau2)
    assert r.estimate == pytest.approx(np.sum(w * y) / np.sum(w), rel=1e-9, abs=1e-12)


_pairs = st.lists(st.tuples(st.floats(-100, 100), st.floats(0.01, 50)), min_size=2, max_size=15)


@given(_pairs, st.sampled_from(["DL", "REML"]))
def test_pooled_within_range_and_i2_in_unit_interval(
    pairs: list[tuple[float, float]], method: str
) -> None:
    y = [p[0] for p in pairs]
    r = random_effects(y, [p[1] for p in pairs], method=method)
    assert min(y) - 1e-9 <= r.estimate <= max(y) + 1e-9
    assert 0 <= r.i2 <= 1
    assert r.tau2 >= 0
    assert r.ci_low <= r.estimate <= r.ci_high
    assert sum(r.weights) == pytest.approx(1)


@given(st.floats(-10, 10), st.lists(st.floats(0.01, 5), min_size=2, max_size=10))
def test_dl_tau2_is_zero_when_all_estimates_are_equal(value: float, ses: list[float]) -> None:
    r = random_effects([value] * len(ses), ses, method="DL")
    assert r.tau2 == 0 and r.i2 == 0
    assert r.estimate == pytest.approx(value)


@given(_pairs, st.randoms(use_true_random=False), st.sampled_from(["DL", "REML"]))
def test_permutation_invariance(pairs: list[tuple[float, float]], rnd: object, method: str) -> None:
    shuffled = list(pairs)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    a = random_effects([p[0] for p in pairs], [p[1] for p in pairs], method=method)
    b = random_effects([p[0] for p in shuffled], [p[1] for p in shuffled], method=method)
    assert b.estimate == pytest.approx(a.estimate, rel=1e-7, abs=1e-9)
    assert b.tau2 == pytest.approx(a.tau2, rel=1e-6, abs=1e-9)


def test_bad_inputs() -> None:
    with pytest.raises(EstimationError, match="at least 2"):
        random_effects([0.1], [0.1])
    with pytest.raises(DataError, match="positions \\[1\\]"):
        random_effects([0.1, 0.2], [0.1, 0.0])
    with pytest.raises(DataError, match="positions \\[0\\]"):
        random_effects([float("nan"), 0.2], [0.1, 0.1])
    with pytest.raises(DataError, match="one length"):
        random_effects([0.1, 0.2, 0.3], [0.1, 0.1])
    with pytest.raises(DataError, match="method"):
        random_effects([0.1, 0.2], [0.1, 0.1], method="PM")


def test_inputs_not_mutated() -> None:
    y, s = np.array([0.1, 0.5, 0.3]), np.array([0.1, 0.2, 0.3])
    random_effects(y, s)
    assert y.tolist() == [0.1, 0.5, 0.3] and s.tolist() == [0.1, 0.2, 0.3]


def test_pools_only_the_same_indicator_and_scale(portfolio_results: dict[str, Path]) -> None:
    base = load_results(portfolio_results["water_filter"])
    h = base.headline[0]
    twin = replace(base, name="Twin", headline=(replace(h, estimate=h.estimate / 2),))
    other_scale = replace(
        base,
        name="Ratio",
        headline=(replace(h, scale="rate ratio", estimate=0.7, ci_low=0.5, ci_high=0.9),),
    )
    unscaled = replace(base, name="Unscaled", headline=(replace(h, scale=None),))
    analyses, notes = meta_by_indicator([base, twin, other_scale, unscaled])
    assert [(m.indicator, m.scale, m.k) for m in analyses if m.indicator == h.indicator] == [
        (h.indicator, "difference", 2)
    ]
    assert all(m.k >= 2 for m in analyses)
    assert any("different scales" in n for n in notes)
    assert any("Unscaled" in n and "scale is not recorded" in n for n in notes)
    # the sample initiatives share no indicator: nothing is pooled
    three = [load_results(p) for p in portfolio_results.values()]
    assert meta_by_indicator(three)[0] == []
