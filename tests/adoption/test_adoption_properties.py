"""Hypothesis properties of impactkit.adoption (each could fail on a wrong implementation)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy import stats

from impactkit.adoption import (
    cascade,
    effectiveness_gap,
    fidelity,
    sustained_use,
    usage_intensity,
    voltage_ratio,
)
from impactkit.effects import Effect

# ----------------------------------------------------------------------------- strategies


@st.composite
def funnel_counts(draw: st.DrawFn) -> tuple[dict[str, int], int]:
    """Non-increasing stage counts and a target at least the first count."""
    n_stages = draw(st.integers(1, 6))
    target = draw(st.integers(1, 5000))
    counts, previous = {}, target
    for i in range(n_stages):
        previous = draw(st.integers(0, previous))
        counts[f"stage{i}"] = previous
    return counts, target


@st.composite
def unit_matrix(draw: st.DrawFn) -> pd.DataFrame:
    """Unit-level funnel data: each unit reaches the first k stages."""
    n_units = draw(st.integers(1, 40))
    n_stages = draw(st.integers(1, 5))
    depth = draw(st.lists(st.integers(0, n_stages), min_size=n_units, max_size=n_units))
    cols = {f"s{j}": [int(k > j) for k in depth] for j in range(n_stages)}
    return pd.DataFrame(cols)


proportion = st.floats(0.0, 1.0, allow_nan=False)
positive_proportion = st.floats(0.01, 1.0, allow_nan=False)


@st.composite
def km_frame(draw: st.DrawFn, n_groups: int = 1) -> pd.DataFrame:
    n = draw(st.integers(1, 40))
    durations = draw(st.lists(st.integers(0, 400), min_size=n, max_size=n))
    events = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    groups = draw(st.lists(st.sampled_from("abc"[:n_groups]), min_size=n, max_size=n))
    return pd.DataFrame({"days": durations, "stopped": events, "g": groups})


def effect(est: float, se: float) -> Effect:
    return Effect(est, se, est - 1.96 * se, est + 1.96 * se, 0.05, 100)


# ----------------------------------------------------------------------------- cascade


@given(funnel_counts(), st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_cascade_shares_bounded_monotone_and_running_product(
    data: tuple[dict[str, int], int], confidence: float
) -> None:
    counts, target = data
    c = cascade(counts, target=target, confidence=confidence)
    t = c.table
    sot = t["share_of_target"].to_numpy()
    assert ((sot >= 0) & (sot <= 1)).all()
    assert (np.diff(sot) <= 1e-15).all()
    sop = t["share_of_previous"].to_numpy()
    finite = np.isfinite(sop)
    assert ((sop[finite] >= 0) & (sop[finite] <= 1)).all()
    # share_of_target is the running product of share_of_previous (while defined)
    running = np.cumprod(np.where(finite, sop, 0.0))
    np.testing.assert_allclose(running[finite], sot[finite], rtol=1e-12, atol=1e-15)
    for col in ("share_of_target", "share_of_previous"):
        low, high = t[f"{col}_ci_low"].to_numpy(), t[f"{col}_ci_high"].to_numpy()
        ok = np.isfinite(low)
        assert (low[ok] <= t[col].to_numpy()[ok] + 1e-12).all()
        assert (t[col].to_numpy()[ok] <= high[ok] + 1e-12).all()
        assert ((low[ok] >= 0) & (high[ok] <= 1)).all()
    # lost adds up to everyone who did not reach the last stage
    assert int(t["lost"].sum()) == target - int(t["count"].iloc[-1])
    # the bottleneck has the smallest share_of_previous
    if c.bottleneck is not None:
        b = t.loc[t["stage"] == c.bottleneck, "share_of_previous"].iloc[0]
        assert b == np.nanmin(sop) and b < 1
        assert t["bottleneck"].sum() == 1
    else:
        assert (sop[finite] == 1).all()


@given(unit_matrix())
def test_cascade_unit_level_equals_column_sums(df: pd.DataFrame) -> None:
    stages = list(df.columns)
    before = df.copy()
    c = cascade(df, stages)
    pd.testing.assert_frame_equal(df, before)
    assert list(c.table["count"]) == [int(df[s].sum()) for s in stages]
    assert c.target == len(df)
    # the same rows in another order give the same cascade
    shuffled = cascade(df.iloc[::-1], stages)
    pd.testing.assert_frame_equal(c.table, shuffled.table)


@given(unit_matrix(), st.integers(0, 2**31 - 1))
def test_cascade_relabelling_groups_permutes_results(df: pd.DataFrame, seed: int) -> None:
    rng = np.random.default_rng(seed)
    df = df.assign(grp=rng.choice(["x", "y", "z"], size=len(df)))
    renamed = df.assign(grp=df["grp"].map({"x": "Q", "y": "R", "z": "P"}))
    stages = [c for c in df.columns if c != "grp"]
    a = cascade(df, stages, by="grp")
    b = cascade(renamed, stages, by="grp")
    pd.testing.assert_frame_equal(a.table, b.table)
    for old, new in {"x": "Q", "y": "R", "z": "P"}.items():
        if old in a.groups:
            pd.testing.assert_frame_equal(a.groups[old].table, b.groups[new].table)


# ----------------------------------------------------------------------------- gap


@given(st.lists(proportion, min_size=1, max_size=6), st.floats(0.01, 5.0))
def test_gap_contributions_sum_to_one_or_zero(steps: list[float], lab: float) -> None:
    kwargs: dict[str, Any] = {f"step{i}": p for i, p in enumerate(steps)}
    g = effectiveness_gap(lab, method="delta", **kwargs)
    shares = np.array(list(g.contributions.values()))
    assert ((shares >= 0) & (shares <= 1 + 1e-12)).all()
    if all(p == 1 for p in steps):
        assert (shares == 0).all() and g.lost == 0
    else:
        assert shares.sum() == pytest.approx(1.0, abs=1e-12)
    assert g.real_world == pytest.approx(lab * math.prod(steps), rel=1e-12, abs=1e-300)
    assert g.real_world <= lab * (1 + 1e-12)
    assert 0 <= g.lost <= 1
    assert g.lost == pytest.approx(1 - g.real_world / lab, abs=1e-12)
    values = g.steps["value"].to_numpy()
    assert (np.diff(values[:-1]) <= 1e-12).all()  # each step keeps at most what there was


@given(
    st.lists(st.tuples(st.integers(1, 500), st.floats(0.05, 1.0)), min_size=2, max_size=5),
    st.randoms(use_true_random=False),
)
def test_gap_order_of_steps_does_not_change_real_world(
    spec: list[tuple[int, float]], rnd: object
) -> None:
    # each step as counts (s, n) built from a trial size and a proportion
    steps: dict[str, Any] = {f"k{i}": (round(n * p), n) for i, (n, p) in enumerate(spec)}
    names = list(steps)
    permuted = names[:]
    rnd.shuffle(permuted)  # type: ignore[attr-defined]
    reordered: dict[str, Any] = {k: steps[k] for k in permuted}
    a = effectiveness_gap(0.9, method="delta", **steps)
    b = effectiveness_gap(0.9, method="delta", **reordered)
    assert a.real_world == pytest.approx(b.real_world, rel=1e-12, abs=1e-15)
    if a.real_world > 0:
        assert a.ci_low == pytest.approx(b.ci_low, rel=1e-9)
        assert a.ci_high == pytest.approx(b.ci_high, rel=1e-9)
    for k in names:
        assert a.contributions[k] == pytest.approx(b.contributions[k], abs=1e-12)
    mc_a = effectiveness_gap(0.9, seed=1, n_draws=20_000, **steps)
    mc_b = effectiveness_gap(0.9, seed=1, n_draws=20_000, **reordered)
    assert mc_a.real_world == pytest.approx(mc_b.real_world, rel=1e-12, abs=1e-15)
    width = max(mc_a.ci_high - mc_a.ci_low, 1e-3)
    assert abs(mc_a.ci_low - mc_b.ci_low) < 0.1 * width + 1e-3
    assert abs(mc_a.ci_high - mc_b.ci_high) < 0.1 * width + 1e-3


@given(
    st.lists(positive_proportion, min_size=1, max_size=4), st.integers(0, 3), st.floats(0.1, 0.9)
)
def test_gap_lowering_a_step_lowers_real_world(
    steps: list[float], which: int, factor: float
) -> None:
    assume(which < len(steps))
    kwargs: dict[str, Any] = {f"s{i}": p for i, p in enumerate(steps)}
    lower: dict[str, Any] = dict(kwargs, **{f"s{which}": steps[which] * factor})
    a = effectiveness_gap(1.0, method="delta", **kwargs)
    b = effectiveness_gap(1.0, method="delta", **lower)
    assert b.real_world < a.real_world
    assert b.contributions[f"s{which}"] >= a.contributions[f"s{which}"] - 1e-12


# ----------------------------------------------------------------------------- voltage ratio


@given(st.floats(-10, 10).filter(lambda x: abs(x) > 0.05), st.floats(0.001, 5))
def test_voltage_ratio_of_an_effect_with_itself_is_one(est: float, se: float) -> None:
    e = effect(est, se)
    r = voltage_ratio(e, e)
    assert r.ratio == 1.0
    if r.method == "fieller":
        assert r.ci_low <= 1 <= r.ci_high


@given(
    st.floats(-5, 5),
    st.floats(0.001, 2),
    st.floats(0.2, 5),
    st.floats(0.001, 2),
    st.floats(0.01, 100),
)
def test_voltage_ratio_scales_with_the_field_effect(
    a: float, sa: float, b: float, sb: float, c: float
) -> None:
    base = voltage_ratio(effect(a, sa), effect(b, sb))
    scaled = voltage_ratio(effect(c * a, c * sa), effect(b, sb))
    assert scaled.method == base.method
    assert scaled.ratio == pytest.approx(c * base.ratio, rel=1e-9, abs=1e-12)
    assert scaled.ci_low == pytest.approx(c * base.ci_low, rel=1e-7, abs=1e-9)
    assert scaled.ci_high == pytest.approx(c * base.ci_high, rel=1e-7, abs=1e-9)
    assert base.ci_low <= base.ratio <= base.ci_high


@given(st.floats(-5, 5), st.floats(0.001, 2), st.floats(0.2, 5), st.floats(0.001, 2))
def test_fieller_limits_solve_the_quadratic(a: float, sa: float, b: float, sb: float) -> None:
    r = voltage_ratio(effect(a, sa), effect(b, sb))
    z = stats.norm.ppf(0.975)
    if r.method == "fieller":
        for limit in (r.ci_low, r.ci_high):
            lhs = (a - limit * b) ** 2
            rhs = z**2 * (sa**2 + limit**2 * sb**2)
            assert lhs == pytest.approx(rhs, rel=1e-7, abs=1e-9)
    else:
        assert z**2 * sb**2 / b**2 >= 1


# ----------------------------------------------------------------------------- survival


@given(km_frame(1))
def test_survival_starts_at_one_and_never_increases(df: pd.DataFrame) -> None:
    s = sustained_use(df, "days", "stopped", horizons=(30, 90))
    curve = s.curves
    assert curve["survival"].iloc[0] == 1.0 and curve["time"].iloc[0] == 0
    surv = curve["survival"].to_numpy()
    assert (np.diff(surv) <= 1e-15).all()
    assert ((surv >= 0) & (surv <= 1)).all()
    ok = np.isfinite(curve["ci_low"].to_numpy())
    assert (curve["ci_low"].to_numpy()[ok] <= surv[ok] + 1e-12).all()
    assert (surv[ok] <= curve["ci_high"].to_numpy()[ok] + 1e-12).all()
    # S(t) at the horizons follows the curve, and at_risk counts durations >= t
    for h in (30.0, 90.0):
        at = s.at(h)
        assert at.at_risk == int((df["days"] >= h).sum()) or math.isnan(at.survival)
    # all events -> the last survival is 0; no events -> 1 everywhere
    if df["stopped"].all():
        assert surv[-1] == 0
    if not df["stopped"].any():
        assert (surv == 1).all()


@given(km_frame(3))
def test_survival_relabelling_groups_permutes_results(df: pd.DataFrame) -> None:
    mapping = {"a": "zeta", "b": "alpha", "c": "mid"}
    renamed = df.assign(g=df["g"].map(mapping))
    a = sustained_use(df, "days", "stopped", by="g")
    b = sustained_use(renamed, "days", "stopped", by="g")
    ta = a.table.assign(group=a.table["group"].map(mapping))
    pd.testing.assert_frame_equal(ta, b.table)
    ca = a.curves.assign(group=a.curves["group"].map(mapping))
    pd.testing.assert_frame_equal(ca, b.curves)
    assert {mapping[str(k)]: v for k, v in a.medians.items()} == dict(b.medians)
    if a.logrank_df > 0:
        assert a.logrank_chi2 == pytest.approx(b.logrank_chi2, rel=1e-9, abs=1e-12)


@given(km_frame(3), st.lists(st.integers(0, 420), min_size=1, max_size=5, unique=True))
def test_few_at_risk_flags_rows_below_threshold_and_summary_skips_them(
    df: pd.DataFrame, horizons: list[int]
) -> None:
    hz = tuple(sorted(horizons))
    s = sustained_use(df, "days", "stopped", by="g", horizons=hz)
    for _, row in s.table.iterrows():
        part = df.loc[df["g"] == row["group"], "days"]
        followed = int((part >= row["horizon"]).sum())
        assert row["few_at_risk"] == (followed < max(10, 0.05 * len(part)))
    assert bool(s.table["few_at_risk"].any()) == (len(s.notes) > 0 and "few" in " ".join(s.notes))
    # the summary reports the largest horizon where enough of all users are still followed
    pooled_ok = [h for h in hz if (df["days"] >= h).sum() >= max(10, 0.05 * len(df))]
    text = s.summary()
    if pooled_ok:
        assert f"still using it at {pooled_ok[-1]} days (" in text
        for h in hz:
            if h > pooled_ok[-1]:
                assert f"still using it at {h} days" not in text


@st.composite
def grouped_counts(draw: st.DrawFn) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """{group: {stage: count}} with non-increasing counts, and a positive target per group."""
    n_stages = draw(st.integers(1, 4))
    counts, targets = {}, {}
    for g in ["grpA", "grpB", "grpC"][: draw(st.integers(2, 3))]:
        targets[g] = draw(st.integers(1, 300))
        previous, row = targets[g], {}
        for i in range(n_stages):
            previous = draw(st.integers(0, previous))
            row[f"stage{i}"] = previous
        counts[g] = row
    return counts, targets


@given(grouped_counts())
def test_equity_names_lowest_final_group_and_largest_gap_stage(
    data: tuple[dict[str, dict[str, int]], dict[str, int]],
) -> None:
    counts, targets = data
    c = cascade(counts, by="g", target=targets)
    text = c.equity_summary()
    final = {g: list(row.values())[-1] / targets[g] for g, row in counts.items()}
    low = min(final.values())
    if low == max(final.values()):
        assert text.startswith("Every g group reaches")
    else:
        named = text.split(" reaches ", 1)[0]
        assert final[named] == low
    # the gap per stage is the spread of the groups' conversion, computed by hand
    stages = list(next(iter(counts.values())))
    spreads = []
    for i, stage in enumerate(stages):
        conv = []
        for g, row in counts.items():
            before = targets[g] if i == 0 else row[stages[i - 1]]
            if before > 0:
                conv.append(row[stage] / before)
        spreads.append(max(conv) - min(conv) if len(conv) >= 2 else math.nan)
    gaps = c.equity_gaps
    assert gaps is not None
    np.testing.assert_allclose(gaps["gap"], spreads, rtol=1e-12, atol=1e-15)
    finite = [x for x in spreads if not math.isnan(x)]
    if finite and max(finite) > 0:
        first_max = stages[spreads.index(max(finite))]
        assert f"differ most at '{first_max}'" in text
        assert f"{100 * max(finite):.1f} percentage points" in text


# ----------------------------------------------------------------------------- intensity, fidelity


@given(
    st.lists(st.lists(st.booleans(), min_size=1, max_size=8), min_size=2, max_size=15),
    st.integers(0, 2**31 - 1),
)
def test_usage_intensity_bounded_and_row_order_free(units: list[list[bool]], seed: int) -> None:
    rows = [(f"u{i}", v) for i, uses in enumerate(units) for v in uses]
    df = pd.DataFrame(rows, columns=["unit", "used"])
    r = usage_intensity(df, "unit", "used")
    assert 0 <= r.ci_low <= r.mean <= r.ci_high <= 1
    assert r.mean == pytest.approx(np.mean([np.mean(u) for u in units]), rel=1e-12)
    shuffled = df.sample(frac=1.0, random_state=np.random.RandomState(seed % 2**32))
    r2 = usage_intensity(shuffled, "unit", "used")
    assert r2.mean == pytest.approx(r.mean, rel=1e-12)
    assert r2.ci_high == pytest.approx(r.ci_high, rel=1e-12)


@given(st.lists(st.tuples(st.integers(0, 9), st.booleans()), min_size=1, max_size=60))
def test_fidelity_share_in_interval_and_unit_relabelling(rows: list[tuple[int, bool]]) -> None:
    df = pd.DataFrame(rows, columns=["hh", "ok"])
    f = fidelity(df, "ok")
    assert 0 <= f.ci_low <= f.share <= f.ci_high <= 1
    assert f.share == pytest.approx(df["ok"].mean())
    assume(df["hh"].nunique() >= 2)
    a = fidelity(df, "ok", unit="hh")
    b = fidelity(df.assign(hh=df["hh"].map(lambda u: f"id-{9 - u}")), "ok", unit="hh")
    assert a.share == pytest.approx(b.share, rel=1e-12)
    assert a.ci_low == pytest.approx(b.ci_low, rel=1e-9, abs=1e-12)
    assert a.ci_high == pytest.approx(b.ci_high, rel=1e-9, abs=1e-12)
    assert 0 <= a.ci_low <= a.share <= a.ci_high <= 1
