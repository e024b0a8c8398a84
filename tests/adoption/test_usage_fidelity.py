"""Tests for impactkit.adoption.usage: usage intensity (scipy t interval) and fidelity
(statsmodels Wilson, cluster-robust OLS).

Hypothesis properties are in tests/adoption/test_adoption_properties.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from impactkit.adoption import (
    Fidelity,
    UsageIntensity,
    fidelity,
    usage_intensity,
)
from impactkit.errors import DataError, EstimationError

# ----------------------------------------------------------------------------- usage intensity


def test_usage_intensity_sessions_matches_scipy_t_interval() -> None:
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"u": np.repeat(np.arange(15), 8), "used": rng.integers(0, 2, 120)})
    r = usage_intensity(df, "u", "used", confidence=0.9)
    shares = df.groupby("u")["used"].mean().to_numpy()
    ci = stats.ttest_1samp(shares, 0).confidence_interval(0.9)
    assert r.mean == pytest.approx(shares.mean(), rel=1e-12)
    assert r.ci_low == pytest.approx(max(ci.low, 0), rel=1e-10)
    assert r.ci_high == pytest.approx(min(ci.high, 1), rel=1e-10)
    assert r.median == pytest.approx(np.median(shares))
    assert r.n_units == 15 and r.basis == "sessions"
    assert len(r.per_unit) == 15


def test_usage_intensity_days_in_window() -> None:
    df = pd.DataFrame(
        {
            "hh": ["a", "a", "a", "b", "b", "c"],
            "day": [
                "2024-01-01",
                "2024-01-01",
                "2024-01-03",
                "2024-01-02",
                "2024-01-20",
                "2024-01-04",
            ],
            "used": [1, 1, 1, 1, 1, 0],
        }
    )
    r = usage_intensity(df, "hh", "used", date="day", window=("2024-01-01", "2024-01-10"))
    shares = dict(zip(r.per_unit["unit"], r.per_unit["share"], strict=True))
    # a: days 1 and 3 (day 1 twice counts once); b: day 2 (day 20 outside); c: never
    assert shares == {"a": pytest.approx(0.2), "b": pytest.approx(0.1), "c": 0.0}
    assert r.basis == "days"
    assert r.mean == pytest.approx(0.1)
    with pytest.raises(DataError, match="needs date"):
        usage_intensity(df, "hh", "used", window=("2024-01-01", "2024-01-10"))
    with pytest.raises(DataError, match="before it starts"):
        usage_intensity(df, "hh", "used", date="day", window=("2024-02-01", "2024-01-10"))


def test_usage_intensity_by_group_and_errors() -> None:
    df = pd.DataFrame(
        {"u": [1, 1, 2, 2, 3, 3, 4, 4], "used": [1, 0, 1, 1, 0, 0, 1, 0], "g": list("xxxxyyyy")}
    )
    before = df.copy()
    r = usage_intensity(df, "u", "used", by="g")
    pd.testing.assert_frame_equal(df, before)
    assert r.groups is not None
    assert r.groups.set_index("group").loc["x", "mean"] == pytest.approx(0.75)
    assert r.groups.set_index("group").loc["y", "mean"] == pytest.approx(0.25)
    assert list(r.to_frame()["group"]) == ["all", "x", "y"]
    assert isinstance(r, UsageIntensity) and "UsageIntensity(" in repr(r)
    assert "<table" in r._repr_html_() and "%" in r.summary()
    bad = df.copy()
    bad.loc[1, "g"] = "y"
    with pytest.raises(DataError, match="constant within each u"):
        usage_intensity(bad, "u", "used", by="g")
    with pytest.raises(EstimationError, match="two units"):
        usage_intensity(df[df["u"] == 1], "u", "used")


# ----------------------------------------------------------------------------- fidelity


def test_fidelity_wilson_matches_statsmodels() -> None:
    df = pd.DataFrame({"ok": [True] * 37 + [False] * 13})
    f = fidelity(df, "ok")
    lo, hi = proportion_confint(37, 50, alpha=0.05, method="wilson")
    assert f.share == pytest.approx(0.74)
    assert (f.ci_low, f.ci_high) == (pytest.approx(lo, rel=1e-12), pytest.approx(hi, rel=1e-12))
    assert f.n_units is None and "Wilson" in f.method


def test_fidelity_cluster_robust_matches_statsmodels_ols() -> None:
    rng = np.random.default_rng(11)
    units = np.repeat(np.arange(12), rng.integers(2, 9, 12))
    ok = (rng.random(len(units)) < np.repeat(rng.uniform(0.3, 0.95, 12), 1)[units]).astype(int)
    df = pd.DataFrame({"hh": units, "ok": ok})
    f = fidelity(df, "ok", unit="hh")
    fit = sm.OLS(ok.astype(float), np.ones(len(ok))).fit(
        cov_type="cluster", cov_kwds={"groups": units}
    )
    assert f.share == pytest.approx(float(fit.params[0]), rel=1e-12)
    assert f.se == pytest.approx(float(fit.bse[0]), rel=1e-10)  # CR1 with K = 1
    half = stats.t.ppf(0.975, 11) * f.se
    assert f.ci_low == pytest.approx(max(f.share - half, 0.0), rel=1e-10)
    assert f.n_units == 12 and "cluster-robust" in f.method


def test_fidelity_by_group_and_errors() -> None:
    df = pd.DataFrame({"ok": [1, 1, 0, 1, 0, 0], "g": list("aaabbb"), "u": [1, 1, 2, 3, 3, 4]})
    f = fidelity(df, "ok", by="g")
    assert f.groups is not None
    assert list(f.groups["share"]) == [pytest.approx(2 / 3), pytest.approx(1 / 3)]
    assert isinstance(f, Fidelity) and "Fidelity(" in repr(f) and "<table" in f._repr_html_()
    assert "uses" in f.summary()
    bad = df.astype({"ok": object})
    bad.loc[4, "ok"] = "no"
    with pytest.raises(DataError, match=r"'ok'.*'no'.*u 3"):
        fidelity(bad, "ok", unit="u")
    with pytest.raises(EstimationError, match="two units"):
        fidelity(df[df["u"] == 1], "ok", unit="u")


def test_fidelity_aggregated_counts_equal_long_format() -> None:
    agg = pd.DataFrame({"hh": ["a", "b", "c"], "uses": [4, 2, 3], "ok": [3, 0, 3]})
    long = pd.DataFrame(
        {"hh": ["a"] * 4 + ["b"] * 2 + ["c"] * 3, "ok": [1, 1, 1, 0, 0, 0, 1, 1, 1]}
    )
    for unit in (None, "hh"):
        a = fidelity(agg, "ok", uses="uses", unit=unit)
        b = fidelity(long, "ok", unit=unit)
        assert (a.share, a.ci_low, a.ci_high, a.n_uses) == (b.share, b.ci_low, b.ci_high, b.n_uses)
    bad = agg.assign(ok=[5, 0, 3])
    with pytest.raises(DataError, match=r"'ok' is larger than 'uses'.*hh a"):
        fidelity(bad, "ok", uses="uses", unit="hh")
    with pytest.raises(DataError, match=r"'uses'.*whole numbers.*row 1"):
        fidelity(agg.assign(uses=[4, 2.5, 3]), "ok", uses="uses")
