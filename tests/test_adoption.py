"""Tests for impactkit.adoption: reference values, errors, result objects.

Hypothesis properties are in tests/test_adoption_properties.py.
"""

from __future__ import annotations

import math
import sys
import types
from typing import Any

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from conftest import SAMPLE_DATA
from scipy import stats
from statsmodels.duration.survfunc import SurvfuncRight, survdiff
from statsmodels.stats.proportion import proportion_confint

from impactkit.adoption import (
    Cascade,
    CostPerOutcome,
    Fidelity,
    Gap,
    SustainedUse,
    UsageIntensity,
    VoltageRatio,
    cascade,
    cost_per_outcome,
    effectiveness_gap,
    effectiveness_gap_from_cascade,
    fidelity,
    sustained_use,
    usage_intensity,
    voltage_ratio,
)
from impactkit.effects import Effect
from impactkit.errors import DataError, EstimationError, MissingColumnError

# Freireich et al. (1963), Blood 21:699-716 — remission times (weeks) of 21 leukaemia
# patients on 6-mercaptopurine (status 1 = relapse) and 21 on placebo (all relapsed); the
# classic Kaplan–Meier example (Kleinbaum & Klein, *Survival Analysis: A Self-Learning Text*,
# ch. 2; MASS::gehan in R).
SIX_MP_TIME = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
SIX_MP_EVENT = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
PLACEBO_TIME = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23]
# Published KM estimates for the 6-MP group (Kleinbaum & Klein, table in ch. 2):
SIX_MP_KM = {6: 0.857, 7: 0.807, 10: 0.753, 13: 0.690, 16: 0.627, 22: 0.538, 23: 0.448}


def six_mp_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "weeks": SIX_MP_TIME + PLACEBO_TIME,
            "relapse": SIX_MP_EVENT + [1] * len(PLACEBO_TIME),
            "arm": ["6-MP"] * 21 + ["placebo"] * 21,
        }
    )


def unit_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "hh": [f"h{i}" for i in range(10)],
            "reached": [1, 1, 1, 1, 1, 1, 1, 1, 0, 0],
            "adopted": [1, 1, 1, 1, 1, 1, 0, 0, 0, 0],
            "sustained": [True, True, True, False, False, False, False, False, False, False],
            "region": ["n", "s"] * 5,
        }
    )


# ----------------------------------------------------------------------------- cascade


def wilson_by_hand(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson (1927) score interval written out."""
    z = stats.norm.ppf(0.5 + confidence / 2)
    p = k / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    return centre - half, centre + half


def test_cascade_counts_table_and_wilson() -> None:
    c = cascade({"reached": 800, "adopted": 600, "sustained": 270, "correct": 250}, target=1000)
    t = c.table
    assert list(t["stage"]) == ["reached", "adopted", "sustained", "correct"]
    assert list(t["count"]) == [800, 600, 270, 250]
    np.testing.assert_allclose(t["share_of_target"], [0.8, 0.6, 0.27, 0.25])
    np.testing.assert_allclose(t["share_of_previous"], [0.8, 0.75, 0.45, 250 / 270])
    assert list(t["lost"]) == [200, 200, 330, 20]
    for i, prev in enumerate([1000, 800, 600, 270]):
        row = t.iloc[i]
        lo, hi = proportion_confint(int(row["count"]), 1000, alpha=0.05, method="wilson")
        assert row["share_of_target_ci_low"] == pytest.approx(lo, rel=1e-12)
        assert row["share_of_target_ci_high"] == pytest.approx(hi, rel=1e-12)
        lo, hi = wilson_by_hand(int(row["count"]), prev)
        assert row["share_of_previous_ci_low"] == pytest.approx(lo, rel=1e-9)
        assert row["share_of_previous_ci_high"] == pytest.approx(hi, rel=1e-9)
    assert c.bottleneck == "sustained"
    assert list(t["bottleneck"]) == [False, False, True, False]
    assert c.target == 1000


def test_cascade_target_defaults_and_stage_subset() -> None:
    c = cascade({"a": 50, "b": 40, "c": 10})
    assert c.target == 50
    assert c.table["share_of_previous"].iloc[0] == 1.0
    assert c.table["lost"].iloc[0] == 0
    c2 = cascade({"a": 50, "b": 40, "c": 10}, ["a", "c"])
    assert c2.stages == ["a", "c"]
    assert c2.table["share_of_previous"].iloc[1] == pytest.approx(0.2)


def test_cascade_bottleneck_ties_go_to_earliest_and_none_without_loss() -> None:
    c = cascade({"a": 100, "b": 50, "c": 25})
    assert c.bottleneck == "b"  # b and c both keep 50 %
    assert cascade({"a": 10, "b": 10}).bottleneck is None
    assert not cascade({"a": 10, "b": 10}).table["bottleneck"].any()


def test_cascade_unit_level_matches_counts() -> None:
    df = unit_frame()
    before = df.copy()
    c = cascade(df, ["reached", "adopted", "sustained"], unit="hh")
    pd.testing.assert_frame_equal(df, before)
    ref = cascade({"reached": 8, "adopted": 6, "sustained": 3}, target=10)
    pd.testing.assert_frame_equal(c.table, ref.table)
    assert c.target == 10


def test_cascade_labels() -> None:
    c = cascade({"r": 10, "a": 5}, labels={"r": "Reached", "a": "Adopted"})
    assert list(c.table["label"]) == ["Reached", "Adopted"]
    c = cascade({"r": 10, "a": 5}, labels=["R", "A"])
    assert list(c.table["label"]) == ["R", "A"]
    with pytest.raises(DataError, match="unknown stages"):
        cascade({"r": 10, "a": 5}, labels={"x": "X"})


def test_cascade_stage_order_error_names_both_stages() -> None:
    with pytest.raises(DataError, match=r"'adopted' \(120\).*'reached' \(100\)"):
        cascade({"reached": 100, "adopted": 120})
    with pytest.raises(DataError, match="larger than the target"):
        cascade({"reached": 100, "adopted": 20}, target=50)


def test_cascade_unit_out_of_order_names_units() -> None:
    df = unit_frame()
    df.loc[8, "adopted"] = 1  # h8 adopted without being reached
    with pytest.raises(DataError, match=r"'adopted'.*'reached'.*hh h8"):
        cascade(df, ["reached", "adopted", "sustained"], unit="hh")
    with pytest.raises(DataError, match=r"row 8"):
        cascade(df, ["reached", "adopted", "sustained"])


def test_cascade_missing_and_bad_values_name_column_and_rows() -> None:
    df = unit_frame().astype({"adopted": float})
    df.loc[3, "adopted"] = np.nan
    with pytest.raises(DataError, match=r"'adopted'.*missing.*hh h3"):
        cascade(df, ["reached", "adopted"], unit="hh")
    df = unit_frame().astype({"adopted": object})
    df.loc[2, "adopted"] = "yes"
    with pytest.raises(DataError, match=r"'adopted'.*0/1.*'yes'.*row 2"):
        cascade(df, ["reached", "adopted"])
    df = unit_frame()
    df.loc[1, "reached"] = 2
    with pytest.raises(DataError, match="'reached'"):
        cascade(df, ["reached", "adopted"])
    with pytest.raises(MissingColumnError, match="'nope'"):
        cascade(unit_frame(), ["reached", "nope"])
    with pytest.raises(DataError, match="stages="):
        cascade(unit_frame())


def test_cascade_count_errors() -> None:
    with pytest.raises(DataError, match="'b'.*whole number"):
        cascade({"a": 10, "b": 2.5})
    with pytest.raises(DataError, match="'b'.*whole number"):
        cascade({"a": 10, "b": -1})
    with pytest.raises(DataError, match="'c' has no count"):
        cascade({"a": 10, "b": 5}, ["a", "c"])
    with pytest.raises(DataError, match="give target"):
        cascade({"a": 0, "b": 0})
    with pytest.raises(DataError, match="confidence"):
        cascade({"a": 10}, confidence=1.5)


def test_cascade_by_group_unit_level_and_equity() -> None:
    df = unit_frame()
    c = cascade(df, ["reached", "adopted", "sustained"], by="region", unit="hh")
    assert set(c.groups) == {"n", "s"}
    # region n: rows 0,2,4,6,8 -> reached 4, adopted 3, sustained 2
    # region s: rows 1,3,5,7,9 -> reached 4, adopted 3, sustained 1
    assert list(c.groups["n"].table["count"]) == [4, 3, 2]
    assert list(c.groups["s"].table["count"]) == [4, 3, 1]
    assert list(c.table["count"]) == [8, 6, 3]
    assert c.target == 10
    bg = c.by_group
    assert bg is not None and list(bg.columns[:2]) == ["group", "stage"]
    assert len(bg) == 6
    eq = c.equity
    assert eq is not None
    assert eq.loc[eq["group"] == "s", "sustained"].iloc[0] == pytest.approx(1 / 3)
    assert eq.loc[eq["group"] == "n", "sustained"].iloc[0] == pytest.approx(2 / 3)
    assert c.bottleneck == "sustained"
    text = c.equity_summary()
    # last stage: s 1 of 5 (20 %), n 2 of 5 (40 %); largest gap at 'sustained': 1/3 vs 2/3
    assert "s reaches 20.0 % of its target at 'sustained', against 40.0 % in n" in text
    assert "33.3 % of the stage before continue in s, 66.7 % in n" in text
    assert "33.3 percentage points" in text
    assert text in c.summary()
    frame = c.to_frame()
    assert list(frame["group"].unique()) == ["all", "n", "s"]


# Three districts, target 1000 each.  The pooled cascade loses most at 'adopted' (every
# district keeps 50 % there, so the districts do not differ at all at the bottleneck); the
# districts differ most at 'sustained' (A 50.0 % vs C 95.1 %), and B ends lowest overall
# (20.0 % of its target) because of reach, not because of the largest-gap stage.
SPLIT_COUNTS = {
    "A": {"reached": 900, "adopted": 450, "sustained": 225},
    "B": {"reached": 500, "adopted": 250, "sustained": 200},
    "C": {"reached": 700, "adopted": 350, "sustained": 333},
}
SPLIT_LABELS = {"reached": "Reached", "adopted": "Took it up", "sustained": "Kept using"}


def test_equity_summary_names_lowest_group_and_largest_gap_stage() -> None:
    targets = {"A": 1000, "B": 1000, "C": 1000}
    c = cascade(SPLIT_COUNTS, by="district", target=targets, labels=SPLIT_LABELS)
    assert c.bottleneck == "adopted"  # pooled 1050 / 2100 = 50 %, the lowest conversion
    # (a) share of target at the last stage, by hand: A 22.5 %, B 20.0 %, C 33.3 %
    final = {g: counts["sustained"] / targets[g] for g, counts in SPLIT_COUNTS.items()}
    worst, best = min(final, key=final.__getitem__), max(final, key=final.__getitem__)
    assert (worst, best) == ("B", "C")
    # (b) conversion per stage and its spread across districts, by hand
    stages = ["reached", "adopted", "sustained"]
    conversion = {
        g: [
            counts[stage] / before
            for stage, before in zip(stages, [targets[g], *list(counts.values())[:-1]], strict=True)
        ]
        for g, counts in SPLIT_COUNTS.items()
    }
    spread = [
        max(v[i] for v in conversion.values()) - min(v[i] for v in conversion.values())
        for i in range(3)
    ]
    assert int(np.argmax(spread)) == 2  # 'sustained', not the bottleneck 'adopted'
    text = c.equity_summary()
    first, second = text.split(". ", 1)
    assert first == "B reaches 20.0 % of its target at 'Kept using', against 33.3 % in C"
    assert "differ most at 'Kept using'" in second
    assert "50.0 % of the stage before continue in A, 95.1 % in C" in second
    assert f"a gap of {100 * spread[2]:.1f} percentage points" in second
    assert "45.1 percentage points" in second
    assert "Took it up" not in text  # the pooled bottleneck is not where districts differ
    gaps = c.equity_gaps
    assert gaps is not None
    assert list(gaps["stage"]) == stages
    np.testing.assert_allclose(gaps["gap"], spread, rtol=1e-12)
    assert list(gaps["lowest_group"]) == ["B", "A", "A"]  # ties at 'adopted': first group
    assert list(gaps["highest_group"]) == ["A", "A", "C"]
    eq = c.equity
    assert eq is not None  # unchanged columns
    assert list(eq.columns) == ["group", *stages, "final_share_of_target", "bottleneck"]


def test_equity_summary_equal_groups_numbers_and_no_groups() -> None:
    same = {"x": {"a": 10, "b": 5}, "y": {"a": 10, "b": 5}}
    c = cascade(same, by="arm", target={"x": 20, "y": 20})
    text = c.equity_summary()
    assert text.startswith("Every arm group reaches 25.0 % of its target at 'b'.")
    assert "convert equally at every stage" in text
    df = pd.DataFrame(
        {
            "got": [1, 1, 1, 1, 0, 1],
            "kept": [1, 1, 0, 1, 0, 0],
            "wealth_quintile": [1, 1, 1, 2, 2, 2],
        }
    )
    text = cascade(df, ["got", "kept"], by="wealth_quintile").equity_summary()
    # quintile 1: 2 of 3 kept (66.7 %); quintile 2: 1 of 3 (33.3 %) — numbers are named
    # with their grouping
    assert text.startswith(
        "wealth quintile 2 reaches 33.3 % of its target at 'kept', against 66.7 % in "
        "wealth quintile 1."
    )
    assert cascade({"a": 10, "b": 5}).equity_summary().startswith("No group comparison")


def test_cascade_by_group_counts_and_targets() -> None:
    counts = {"urban": {"reached": 90, "adopted": 70}, "rural": {"reached": 60, "adopted": 20}}
    c = cascade(counts, by="area", target={"urban": 100, "rural": 100})
    assert c.target == 200
    assert list(c.table["count"]) == [150, 90]
    assert c.groups["rural"].bottleneck == "adopted"
    with pytest.raises(DataError, match="pass by="):
        cascade(counts)
    with pytest.raises(DataError, match="mapping"):
        cascade(counts, by="area", target=100)
    with pytest.raises(DataError, match="group rural.*'adopted'"):
        cascade({"urban": {"r": 9, "adopted": 7}, "rural": {"r": 6, "adopted": 8}}, by="area")


def test_cascade_result_object() -> None:
    c = cascade({"reached": 800, "adopted": 600}, target=1000)
    assert isinstance(c, Cascade)
    assert "Cascade(" in repr(c) and "bottleneck='adopted'" in repr(c)
    assert "<table" in c._repr_html_()
    s = c.summary()
    assert "1,000" in s and "60.0 %" in s and "'adopted'" in s
    assert c.to_frame() is not c.table
    with pytest.raises(AttributeError):
        c.target = 5  # type: ignore[misc]


# ----------------------------------------------------------------------------- plots


class _Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Any:
        def record(*args: Any, **kwargs: Any) -> str:
            self.calls.append((name, args, kwargs))
            return "axes"

        return record


@pytest.fixture
def fake_charts(monkeypatch: pytest.MonkeyPatch) -> _Recorder:
    rec = _Recorder()
    module = types.ModuleType("impactkit.charts")
    for name in ("funnel", "survival", "waterfall"):
        setattr(module, name, getattr(rec, name))
    monkeypatch.setitem(sys.modules, "impactkit.charts", module)
    return rec


def test_plots_follow_the_charts_contract(fake_charts: _Recorder) -> None:
    c = cascade({"reached": 800, "adopted": 600}, target=1000)
    assert c.plot(ax=None) == "axes"
    name, args, kwargs = fake_charts.calls[-1]
    assert name == "funnel" and "ax" in kwargs
    for col in [
        "stage",
        "count",
        "share_of_target",
        "share_of_target_ci_low",
        "share_of_target_ci_high",
    ]:
        assert col in args[0].columns
    s = sustained_use(six_mp_frame(), "weeks", "relapse", by="arm")
    s.plot(ax="my-ax")  # type: ignore[arg-type]
    name, args, kwargs = fake_charts.calls[-1]
    assert name == "survival" and kwargs["ax"] == "my-ax"
    assert {"group", "time", "survival", "ci_low", "ci_high"} <= set(args[0].columns)
    assert {"group", "time", "survival"} <= set(kwargs["censored"].columns)
    g = effectiveness_gap(0.9, method="delta", reach=0.5)
    g.plot()
    name, args, kwargs = fake_charts.calls[-1]
    assert name == "waterfall"
    steps = args[0]
    assert {"step", "value", "ci_low", "ci_high"} <= set(steps.columns)
    assert steps["step"].iloc[0] == "lab efficacy" and steps["step"].iloc[-1] == "real-world effect"


def test_plots_with_real_charts() -> None:
    pytest.importorskip("impactkit.charts")
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes

    c = cascade({"reached": 800, "adopted": 600, "used": 300}, target=1000)
    s = sustained_use(six_mp_frame(), "weeks", "relapse", by="arm", horizons=(10, 20))
    g = effectiveness_gap(0.99, seed=1, n_draws=2000, reach=0.8, adoption=(600, 800))
    for result in (c, s, g):
        fig, ax = plt.subplots()
        assert result.plot(ax=ax) is ax
        plt.close(fig)
    ax = c.plot()
    assert isinstance(ax, Axes)
    plt.close("all")


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


def test_logrank_without_events_is_reported_not_raised() -> None:
    df = pd.DataFrame({"d": [5, 10, 15, 20], "a": [0, 0, 0, 0], "g": ["x", "y", "x", "y"]})
    s = sustained_use(df, "d", "a", by="g")
    assert math.isnan(s.logrank_p) and s.logrank_df == 0
    assert any("log-rank test undefined" in n for n in s.notes)
    assert (s.curves["survival"] == 1).all()


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


# ----------------------------------------------------------------------------- sample data


WATER = SAMPLE_DATA / "water_filter"
STAGES = ["eligible", "reached", "received_filter", "started_use", "using_at_12m", "correct_use"]


@pytest.mark.skipif(not WATER.exists(), reason="sample data not present")
def test_water_filter_sample_story() -> None:
    """The sample's generator makes Hillside reach and sustain less (DATA.md truth table)."""
    dist = pd.read_csv(WATER / "distribution.csv")
    c = cascade(dist, STAGES, by="district", unit="household_id")
    assert c.bottleneck == "using_at_12m"
    eq = c.equity
    assert eq is not None
    by_district = eq.set_index("group")
    hill = float(by_district["using_at_12m"]["Hillside"])
    river = float(by_district["using_at_12m"]["Riverside"])
    assert hill < river
    text = c.equity_summary()
    # Hillside (district with the lowest reach and retention, DATA.md) ends lowest and the
    # districts differ most at the 12-month stage
    assert text.startswith("Hillside reaches ")
    assert "differ most at 'using_at_12m'" in text
    # true conversion given started use: 0.66 (Riverside) and 0.42 (Hillside)
    for district, truth in (("Riverside", 0.66), ("Hillside", 0.42)):
        row = c.groups[district].table.set_index("stage").loc["using_at_12m"]
        assert (
            row["share_of_previous_ci_low"] - 0.05 < truth < row["share_of_previous_ci_high"] + 0.05
        )

    usage = pd.read_csv(WATER / "usage.csv")
    s = sustained_use(usage, "days_observed", "abandoned", by="district")
    assert s.at(365, "Hillside").survival < s.at(365, "Riverside").survival
    assert s.logrank_p < 0.05
    f = fidelity(usage, "uses_correct", uses="uses_logged", unit="household_id")
    assert 0 < f.ci_low < f.share < f.ci_high < 1

    gap = Gap.from_cascade((0.99, 0.985, 0.995), cascade(dist, STAGES), seed=1, n_draws=20_000)
    assert gap.largest_loss == "using_at_12m"
    assert gap.real_world < 0.5 * 0.99


def test_polars_frames_are_accepted_and_inputs_not_mutated() -> None:
    pl = pytest.importorskip("polars")
    df = unit_frame()
    c_pd = cascade(df, ["reached", "adopted"])
    c_pl = cascade(pl.from_pandas(df), ["reached", "adopted"])
    pd.testing.assert_frame_equal(c_pd.table, c_pl.table)
    km = six_mp_frame()
    s_pl = sustained_use(pl.from_pandas(km), "weeks", "relapse", by="arm")
    assert s_pl.logrank_chi2 == pytest.approx(
        sustained_use(km, "weeks", "relapse", by="arm").logrank_chi2
    )
    uses = pd.DataFrame({"u": [1, 1, 2, 2, 3], "ok": [True, False, True, True, False]})
    before = uses.copy()
    fidelity(uses, "ok", unit="u")
    usage_intensity(uses, "u", "ok")
    pd.testing.assert_frame_equal(uses, before)
    with pytest.raises(DataError, match="DataFrame|columns"):
        sustained_use([1, 2, 3], "weeks", "relapse")  # type: ignore[arg-type]
