"""Tests for impactkit.adoption.survival: Kaplan–Meier against the published 6-MP values
(Freireich et al. 1963), Greenwood by hand, statsmodels, log-rank, errors.

Hypothesis properties are in tests/adoption/test_adoption_properties.py.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from _adoption_data import (
    PLACEBO_TIME,
    SIX_MP_EVENT,
    SIX_MP_KM,
    SIX_MP_TIME,
    six_mp_frame,
)
from scipy import stats
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

from impactkit.adoption import (
    SustainedUse,
    sustained_use,
)
from impactkit.errors import DataError, MissingColumnError

# ----------------------------------------------------------------------------- sustained use


def greenwood_loglog_by_hand(
    time: list[int], event: list[int], confidence: float = 0.95
) -> pd.DataFrame:
    """Kaplan–Meier (1958) with Greenwood (1926) variance and log(-log) limits, written out
    with a plain loop over the distinct event times."""
    z = stats.norm.ppf(0.5 + confidence / 2)
    t = np.asarray(time, float)
    e = np.asarray(event, int)
    s, gw, rows = 1.0, 0.0, []
    for u in sorted(set(t[e == 1])):
        n = int((t >= u).sum())
        d = int(((t == u) & (e == 1)).sum())
        s *= 1 - d / n
        if n > d:
            gw += d / (n * (n - d))
            sd = math.sqrt(gw) / abs(math.log(s))
            lo = math.exp(-math.exp(math.log(-math.log(s)) + z * sd))
            hi = math.exp(-math.exp(math.log(-math.log(s)) - z * sd))
        else:
            lo = hi = float("nan")
        rows.append((u, s, lo, hi, n))
    return pd.DataFrame(rows, columns=["time", "survival", "ci_low", "ci_high", "at_risk"])


def test_km_matches_published_six_mp_values() -> None:
    df = six_mp_frame().iloc[:21]
    s = sustained_use(df, "weeks", "relapse", horizons=(6, 10, 23))
    curve = s.curves.set_index("time")["survival"]
    for t, published in SIX_MP_KM.items():
        assert curve[float(t)] == pytest.approx(published, abs=5e-4)
    assert s.median == 23.0


def test_km_matches_hand_calculation_and_statsmodels() -> None:
    df = six_mp_frame().iloc[:21]
    s = sustained_use(df, "weeks", "relapse")
    curve = s.curves.iloc[1:].reset_index(drop=True)
    hand = greenwood_loglog_by_hand(SIX_MP_TIME, SIX_MP_EVENT)
    np.testing.assert_allclose(curve["time"], hand["time"])
    np.testing.assert_allclose(curve["survival"], hand["survival"], rtol=1e-10)
    np.testing.assert_allclose(curve["ci_low"], hand["ci_low"], rtol=1e-8)
    np.testing.assert_allclose(curve["ci_high"], hand["ci_high"], rtol=1e-8)
    np.testing.assert_array_equal(curve["at_risk"], hand["at_risk"])
    sf = SurvfuncRight(np.array(SIX_MP_TIME, float), np.array(SIX_MP_EVENT, float))
    np.testing.assert_allclose(curve["survival"], sf.surv_prob, rtol=1e-12)
    assert s.median == sf.quantile(0.5)


def test_km_at_steps_and_horizon_table() -> None:
    df = six_mp_frame().iloc[:21]
    s = sustained_use(df, "weeks", "relapse", horizons=(5, 12, 40))
    assert s.at(5).survival == 1.0
    at12 = s.at(12)
    assert at12.survival == pytest.approx(0.753, abs=5e-4)  # S(10) carries to 12
    assert at12.at_risk == 12  # weeks >= 12
    assert at12.ci_low < at12.survival < at12.ci_high
    row = s.table.set_index("horizon").loc[12.0]
    assert row["survival"] == pytest.approx(at12.survival)
    assert row["at_risk"] == 12
    assert math.isnan(s.table.set_index("horizon")["survival"][40.0])  # beyond follow-up
    assert s.censored["time"].tolist() == [
        6.0,
        9.0,
        10.0,
        11.0,
        17.0,
        19.0,
        20.0,
        25.0,
        32.0,
        34.0,
        35.0,
    ]
    assert s.censored.set_index("time")["survival"][9.0] == pytest.approx(0.807, abs=5e-4)
    assert "still using" in s.summary()


def test_logrank_matches_survdiff_and_published_gehan() -> None:
    df = six_mp_frame()
    s = sustained_use(df, "weeks", "relapse", by="arm")
    chi2, p = survdiff(
        df["weeks"].to_numpy(float), df["relapse"].to_numpy(float), df["arm"].to_numpy()
    )
    assert s.logrank_chi2 == pytest.approx(chi2, rel=1e-10)
    assert s.logrank_p == pytest.approx(p, rel=1e-10)
    # R: survdiff(Surv(time, cens) ~ treat, data = MASS::gehan) -> Chisq = 16.8 on 1 df
    assert s.logrank_chi2 == pytest.approx(16.8, abs=0.05)
    assert s.logrank_df == 1
    assert s.median == {"6-MP": 23.0, "placebo": 8.0}
    assert set(s.table["group"]) == {"6-MP", "placebo"}
    placebo = SurvfuncRight(np.array(PLACEBO_TIME, float), np.ones(21))
    assert placebo.surv_times[5] == 8  # the last event time before week 10
    assert s.at(10, group="placebo").survival == pytest.approx(placebo.surv_prob[5])
    assert s.at(10, group="placebo").survival == pytest.approx(8 / 21)  # 8 of 21 past week 8
    assert "log-rank" in s.summary()
    with pytest.raises(DataError, match="unknown group"):
        s.at(10, group="nope")


def test_sustained_use_median_not_reached() -> None:
    df = pd.DataFrame({"d": [10, 20, 30, 40], "a": [1, 0, 0, 0]})
    s = sustained_use(df, "d", "a")
    assert s.median is None
    assert "not reached" in s.summary()


def test_sustained_use_errors_and_no_mutation() -> None:
    df = six_mp_frame()
    before = df.copy()
    sustained_use(df, "weeks", "relapse", by="arm")
    pd.testing.assert_frame_equal(df, before)
    bad = df.copy()
    bad.loc[[3, 7], "weeks"] = -1
    with pytest.raises(DataError, match=r"'weeks'.*negative.*rows 3, 7"):
        sustained_use(bad, "weeks", "relapse")
    bad = df.copy()
    bad.loc[2, "relapse"] = 2
    with pytest.raises(DataError, match=r"'relapse'.*0/1.*row 2"):
        sustained_use(bad, "weeks", "relapse")
    bad = df.astype({"weeks": float})
    bad.loc[4, "weeks"] = np.nan
    with pytest.raises(DataError, match=r"'weeks'.*missing.*row 4"):
        sustained_use(bad, "weeks", "relapse")
    with pytest.raises(MissingColumnError):
        sustained_use(df, "weeks", "status")
    with pytest.raises(DataError, match="non-negative"):
        sustained_use(df, "weeks", "relapse").at(-1)


def test_sustained_use_result_object() -> None:
    s = sustained_use(six_mp_frame(), "weeks", "relapse", by="arm")
    assert isinstance(s, SustainedUse)
    assert "SustainedUse(" in repr(s)
    assert "<table" in s._repr_html_()
    assert list(s.to_frame().columns) == [
        "group",
        "horizon",
        "survival",
        "ci_low",
        "ci_high",
        "at_risk",
        "few_at_risk",
        "time_unit",
    ]
    assert "survival" in s.at(10).to_frame().columns
    assert "%" in s.at(10).summary()


def few_at_risk_frame() -> pd.DataFrame:
    """'big': 300 users followed 1..300 days (threshold 5 % of 300 = 15); 'small': 12 users
    followed 10, 20, ..., 120 days (threshold 10)."""
    big = pd.DataFrame({"d": np.arange(1, 301), "a": np.arange(300) % 2, "g": "big"})
    small = pd.DataFrame({"d": np.arange(1, 13) * 10, "a": np.arange(12) % 3 == 0, "g": "small"})
    return pd.concat([big, small.assign(a=small["a"].astype(int))], ignore_index=True)


def test_few_at_risk_flags_exactly_the_rows_below_the_threshold() -> None:
    df = few_at_risk_frame()
    horizons = (5, 30, 100, 286, 287, 400)
    s = sustained_use(df, "d", "a", by="g", horizons=horizons)
    table = s.table.set_index(["group", "horizon"])
    assert table["few_at_risk"].dtype == bool
    # big: at risk at h = 301 - h -> 296, 271, 201, 15, 14, 0; fewer than 15 from 287 on
    assert list(table.loc["big", "at_risk"]) == [296, 271, 201, 15, 14, 0]
    assert list(table.loc["big", "few_at_risk"]) == [False, False, False, False, True, True]
    # small: 12, 10, 3, 0, 0, 0 still followed; fewer than 10 from 100 on
    assert list(table.loc["small", "at_risk"]) == [12, 10, 3, 0, 0, 0]
    assert list(table.loc["small", "few_at_risk"]) == [False, False, True, True, True, True]
    # the rule, checked row by row against the raw data
    for (g, h), row in table.iterrows():
        part = df.loc[df["g"] == g, "d"]
        assert row["few_at_risk"] == ((part >= h).sum() < max(10, 0.05 * len(part)))
    assert len(s.notes) == 2
    assert "g big" in s.notes[0] and "287 days (14 still followed)" in s.notes[0]
    assert "286 days" not in s.notes[0] and "fewer than 15" in s.notes[0]
    assert "g small" in s.notes[1] and "100 days (3 still followed)" in s.notes[1]
    assert "400 days (no one still followed)" in s.notes[1]
    # pooled (312 users, threshold 15.6): 204 followed at 100 days, 15 at 286 -> 100 is the
    # largest reliable horizon
    assert "still using it at 100 days" in s.summary()
    none_few = sustained_use(df, "d", "a", by="g", horizons=(5, 30))
    assert not none_few.table["few_at_risk"].any() and none_few.notes == ()


def test_summary_with_every_horizon_few_at_risk_says_how_few() -> None:
    df = pd.DataFrame({"d": [5, 8, 12, 20, 30, 40, 50, 60], "a": [1, 0, 1, 0, 1, 0, 0, 0]})
    s = sustained_use(df, "d", "a", horizons=(10, 35, 100), time_unit="weeks")
    assert s.table["few_at_risk"].all()  # 8 users: never 10 followed
    text = s.summary()
    assert "still using it at 10 weeks" in text and "only 6 still followed then" in text


def test_time_unit_in_sentences_and_table() -> None:
    df = six_mp_frame().iloc[:21]
    s = sustained_use(df, "weeks", "relapse", horizons=(6, 10, 13), time_unit="weeks")
    text = s.summary()
    assert s.time_unit == "weeks"
    assert "still using it at 13 weeks" in text  # 12 of 21 followed at week 13 (>= 10)
    assert "median time to abandonment 23 weeks" in text  # published median, 23 weeks
    assert "days" not in text
    assert (s.table["time_unit"] == "weeks").all()
    assert s.at(10).summary().startswith("At 10 weeks, 75.3 %")
    default = sustained_use(df, "weeks", "relapse", horizons=(10,))
    assert default.time_unit == "days" and "at 10 days" in default.summary()
    for bad in ("", "  ", 7):
        with pytest.raises(DataError, match="time_unit"):
            sustained_use(df, "weeks", "relapse", time_unit=bad)  # type: ignore[arg-type]


def test_logrank_in_plain_words() -> None:
    s = sustained_use(six_mp_frame(), "weeks", "relapse", by="arm")
    text = s.summary()
    assert "chi2" not in text and "df =" not in text
    assert s.logrank_p < 0.001  # chi2 16.8 on 1 df (Gehan)
    assert text.endswith("Use lasts differently across arm groups (log-rank test, p < 0.001).")
    same = pd.concat([six_mp_frame().iloc[:21].assign(arm=arm) for arm in ("x", "y")])
    t = sustained_use(same, "weeks", "relapse", by="arm")
    assert t.logrank_p == pytest.approx(1.0)  # identical groups
    assert t.summary().endswith(
        "No clear difference in how long use lasts across arm groups (log-rank test, p = 1.000)."
    )


def test_logrank_without_events_is_reported_not_raised() -> None:
    df = pd.DataFrame({"d": [5, 10, 15, 20], "a": [0, 0, 0, 0], "g": ["x", "y", "x", "y"]})
    s = sustained_use(df, "d", "a", by="g")
    assert math.isnan(s.logrank_p) and s.logrank_df == 0
    assert any("log-rank test undefined" in n for n in s.notes)
    assert (s.curves["survival"] == 1).all()


def test_logrank_of_three_groups_matches_survdiff() -> None:
    """k = 3 groups: the generalised-inverse statistic equals statsmodels' (which drops
    one group) whenever the covariance has rank k - 1."""
    rng = np.random.default_rng(7)
    days = rng.integers(1, 400, size=90).astype(float)
    stopped = rng.random(90) < 0.6
    group = np.repeat(["a", "b", "c"], 30)
    frame = pd.DataFrame({"days": days, "stopped": stopped, "g": group})
    s = sustained_use(frame, "days", "stopped", by="g")
    chi2, p = survdiff(days, stopped.astype(float), group)
    assert s.logrank_df == 2
    assert s.logrank_chi2 == pytest.approx(chi2, rel=1e-9)
    assert s.logrank_p == pytest.approx(p, rel=1e-9)
