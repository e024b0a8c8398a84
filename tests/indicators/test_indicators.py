"""Tests for impactkit.indicators: definitions, compute() against reference implementations,
properties, engines, evaluate()."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from _guards import no_eval
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.rates import confint_poisson

from impactkit.errors import DataError, IndicatorDefinitionError, MissingColumnError
from impactkit.indicators import Catalog, Indicator, compute, evaluate

RTOL = 1e-9


def make(kind: str, **kw: object) -> Indicator:
    defaults: dict[str, dict[str, object]] = {
        "proportion": {"numerator": "hit"},
        "mean": {"value": "y"},
        "sum": {"value": "y"},
        "rate": {"events": "events", "exposure": "exposure", "per": 1000},
        "ratio": {"numerator": "y", "denominator": "x"},
    }
    args: dict[str, object] = {
        "id": f"ind_{kind}",
        "name": kind.title(),
        "description": "test",
        "unit": "u",
        "kind": kind,
    }
    args.update(defaults[kind])
    args.update(kw)
    return Indicator(**args)  # type: ignore[arg-type]


ALL_KINDS = ("proportion", "mean", "sum", "rate", "ratio")


def sample(n: int = 120, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "g": rng.choice(["north", "south", "east"], n),
            "t": rng.choice([2023, 2024], n),
            "hit": rng.random(n) < 0.35,
            "y": rng.normal(50, 8, n),
            "x": rng.uniform(1, 3, n),
            "events": rng.poisson(1.5, n),
            "exposure": rng.uniform(0.5, 2.0, n),
            "w": rng.uniform(0.2, 4.0, n),
            "elig": rng.random(n) < 0.8,
        }
    )


def one(out: pd.DataFrame) -> pd.Series:
    assert len(out) == 1
    return out.iloc[0]


# ------------------------------------------------------------ reference values ------------


@pytest.mark.parametrize("k, n", [(0, 10), (1, 10), (7, 23), (23, 23), (180, 400), (3, 1000)])
@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_proportion_matches_statsmodels(k: int, n: int, confidence: float) -> None:
    df = pd.DataFrame({"hit": [True] * k + [False] * (n - k)})
    ind = make("proportion")
    alpha = 1 - confidence
    r = one(compute(ind, df, confidence=confidence))
    assert r["value"] == pytest.approx(k / n, rel=RTOL)
    lo, hi = proportion_confint(k, n, alpha=alpha, method="wilson")
    assert r["ci_low"] == pytest.approx(lo, rel=1e-9, abs=1e-12)
    assert r["ci_high"] == pytest.approx(hi, rel=1e-9, abs=1e-12)
    assert r["ci_method"] == "Wilson score"
    cp = one(compute(ind, df, confidence=confidence, method="clopper-pearson"))
    lo, hi = proportion_confint(k, n, alpha=alpha, method="beta")
    assert cp["ci_low"] == pytest.approx(lo, rel=1e-9, abs=1e-12)
    assert cp["ci_high"] == pytest.approx(hi, rel=1e-9, abs=1e-12)
    alias = one(compute(ind, df, confidence=confidence, method={"proportion": "beta"}))
    assert alias["ci_low"] == cp["ci_low"] and alias["ci_high"] == cp["ci_high"]


def test_mean_matches_scipy_t_interval() -> None:
    df = sample()
    r = one(compute(make("mean"), df, confidence=0.9))
    ref = stats.ttest_1samp(df["y"], 0).confidence_interval(0.9)
    assert r["value"] == pytest.approx(df["y"].mean(), rel=RTOL)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((ref.low, ref.high), rel=RTOL)
    assert r["numerator"] == pytest.approx(df["y"].sum(), rel=RTOL)
    assert r["denominator"] == len(df)


def test_sum_is_n_times_the_mean_interval() -> None:
    df = sample()
    r = one(compute(make("sum"), df))
    lo, hi = stats.t.interval(0.95, len(df) - 1, df["y"].mean(), stats.sem(df["y"]))
    assert r["value"] == pytest.approx(df["y"].sum(), rel=RTOL)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((len(df) * lo, len(df) * hi), rel=RTOL)


@pytest.mark.parametrize("k", [0, 1, 7, 60])
def test_rate_matches_exact_poisson(k: int) -> None:
    df = pd.DataFrame({"events": [k, 0, 0, 0], "exposure": [1.5, 0.5, 2.0, 1.0]})
    r = one(compute(make("rate"), df))
    lo, hi = confint_poisson(k, 5.0, method="exact-c")
    assert r["value"] == pytest.approx(k / 5.0 * 1000, rel=RTOL)
    assert r["ci_low"] == pytest.approx(1000 * lo, rel=1e-9, abs=1e-12)
    assert r["ci_high"] == pytest.approx(1000 * hi, rel=1e-9)
    # Garwood directly from the chi-square quantiles
    garwood_hi = stats.chi2.ppf(0.975, 2 * k + 2) / 2 / 5.0 * 1000
    assert r["ci_high"] == pytest.approx(garwood_hi, rel=1e-9)
    assert (r["numerator"], r["denominator"]) == (k, 5.0)


def test_ratio_matches_independent_delta_method() -> None:
    df = sample(200, seed=3)
    r = one(compute(make("ratio"), df))
    y, x = df["y"].to_numpy(), df["x"].to_numpy()
    ratio = y.mean() / x.mean()
    cov = np.cov(np.vstack([y, x]))  # ddof = 1
    grad = np.array([1 / x.mean(), -y.mean() / x.mean() ** 2])
    se = np.sqrt(grad @ cov @ grad / len(df))
    z = stats.norm.ppf(0.975)
    assert r["value"] == pytest.approx(ratio, rel=RTOL)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((ratio - z * se, ratio + z * se), rel=1e-9)
    # same thing from linearised residuals d_i = y_i - R x_i
    d = y - ratio * x
    se2 = np.sqrt(np.sum(d**2) / (len(d) - 1) / len(d)) / x.mean()
    assert se2 == pytest.approx(se, rel=1e-9)


# Weighted estimates are design-based (weights= alone is R's svydesign(ids = ~1, weights = ~w)):
# they are checked against R survey and the numpy textbook code in
# tests/survey/test_survey_compute.py.  (Kish's n_eff approximation was replaced.)


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_constant_weights_change_nothing(kind: str) -> None:
    """Weights 2.5 and weights 1 give the same means, proportions, ratios, rates and SEs;
    a total scales by 2.5 (a weighted sum is a population total)."""
    df = sample(60, seed=8)
    ones = one(compute(make(kind), df.assign(w=1.0), weights="w"))
    weighted = one(compute(make(kind), df.assign(w=2.5), weights="w"))
    factor = 2.5 if kind == "sum" else 1.0
    for c in ("value", "ci_low", "ci_high", "se"):
        assert weighted[c] == pytest.approx(factor * ones[c], rel=1e-9), c
    for c in ("n_eff", "deff", "df"):
        assert weighted[c] == pytest.approx(ones[c], rel=1e-9), c
    # one row per PSU with equal weights is simple random sampling: deff = 1
    assert weighted["deff"] == pytest.approx(1.0, rel=1e-9)
    if kind == "mean":  # ... and the SRS standard error s / sqrt(n)
        assert weighted["se"] == pytest.approx(df["y"].std(ddof=1) / np.sqrt(len(df)), rel=1e-9)
        assert weighted["se"] == pytest.approx(one(compute(make(kind), df))["se"], rel=1e-9)


def test_population_and_missing_counts() -> None:
    df = pd.DataFrame(
        {
            "elig": [True, True, True, True, False, None],
            "hit": [True, False, None, True, True, True],
        }
    )
    r = one(compute(make("proportion", population="elig"), df))
    assert (r["n"], r["n_missing"]) == (3, 2)  # row 2 (outcome) and row 5 (population)
    assert r["value"] == pytest.approx(2 / 3)
    assert (r["numerator"], r["denominator"]) == (2, 3)


def test_missing_outcomes_are_dropped_not_zero() -> None:
    df = sample(50, seed=9)
    holes = df.copy()
    holes.loc[[3, 10, 11], "y"] = np.nan
    out = one(compute(make("mean"), holes))
    ref = one(compute(make("mean"), df.drop(index=[3, 10, 11])))
    assert out["n_missing"] == 3 and out["n"] == 47
    for c in ("value", "ci_low", "ci_high", "n"):
        assert out[c] == pytest.approx(ref[c], rel=1e-12)


def test_empty_population_gives_nan_with_zero_n() -> None:
    df = sample(20).assign(elig=False)
    r = one(compute(make("mean", population="elig"), df))
    assert r["n"] == 0 and np.isnan(r["value"]) and np.isnan(r["ci_low"])


def test_single_row_mean_has_no_interval() -> None:
    r = one(compute(make("mean"), pd.DataFrame({"y": [4.0]})))
    assert r["value"] == 4.0 and np.isnan(r["ci_low"]) and np.isnan(r["ci_high"])


# ------------------------------------------------------------ output shape ----------------


def test_output_columns_by_and_period() -> None:
    df = sample()
    out = compute([make(k) for k in ALL_KINDS], df, by="g", period="t")
    assert list(out.columns[:3]) == ["indicator", "g", "period"]
    for c in ("value", "ci_low", "ci_high", "n", "n_missing", "numerator", "denominator"):
        assert c in out.columns
    assert len(out) == 5 * 3 * 2
    assert out["indicator"].tolist()[:6] == ["ind_proportion"] * 6
    sub = out[(out["indicator"] == "ind_mean") & (out["g"] == "north") & (out["period"] == 2024)]
    rows = df[(df["g"] == "north") & (df["t"] == 2024)]
    assert one(sub)["value"] == pytest.approx(rows["y"].mean(), rel=RTOL)
    assert one(sub)["n"] == len(rows)


def test_catalog_and_list_inputs_agree() -> None:
    df = sample()
    inds = [make(k) for k in ALL_KINDS]
    a = compute(inds, df)
    b = compute(Catalog(inds), df)
    pd.testing.assert_frame_equal(a, b)


def test_default_disaggregation_is_documented_usage() -> None:
    ind = make("proportion", disaggregate_by=["g"])
    out = compute(ind, sample(), by=list(ind.disaggregate_by))
    assert sorted(out["g"]) == ["east", "north", "south"]


# ------------------------------------------------------------ errors ----------------------


def test_missing_column_in_definition() -> None:
    with pytest.raises(MissingColumnError) as info:
        compute(make("mean", value="income"), sample())
    msg = str(info.value)
    assert "ind_mean" in msg and "'income'" in msg and "'y'" in msg


@pytest.mark.parametrize("kw", [{"by": "district"}, {"period": "month"}, {"weights": "pw"}])
def test_missing_grouping_or_weight_columns(kw: dict[str, str]) -> None:
    with pytest.raises(MissingColumnError, match=next(iter(kw.values()))):
        compute(make("mean"), sample(), **kw)  # type: ignore[arg-type]


def test_negative_weights_are_rejected() -> None:
    df = sample().assign(w=lambda d: d["w"] - 3.0)
    with pytest.raises(DataError, match="negative"):
        compute(make("mean"), df, weights="w")


def test_negative_events_are_rejected() -> None:
    df = sample()
    df.loc[0, "events"] = -1
    with pytest.raises(DataError, match="negative events"):
        compute(make("rate"), df)


@pytest.mark.parametrize(
    "kw, match",
    [
        ({"method": "bootstrap"}, "unknown interval method"),
        ({"method": {"mean": "wilson"}}, "unknown"),
        ({"method": {"proportions": "wilson"}}, "unknown kind"),
        ({"confidence": 1.5}, "confidence"),
        ({"by": ["g", "g"]}, "twice"),
        ({"by": "g", "period": "g"}, "both"),
        ({"weights": "g"}, "numeric"),
    ],
)
def test_bad_arguments(kw: dict[str, object], match: str) -> None:
    with pytest.raises(DataError, match=match):
        compute(make("proportion"), sample(), **kw)  # type: ignore[arg-type]


def test_by_column_named_like_an_output_column() -> None:
    # Issue 10, item 4: this used to raise "has the name of an output column"; now the group
    # column keeps its name and the clashing statistic is reported as "value_"
    # (more in test_group_names.py).
    out = compute(make("mean"), sample().rename(columns={"g": "value"}), by="value")
    ref = compute(make("mean"), sample(), by="g")
    assert list(out["value"]) == list(ref["g"])
    assert list(out["value_"]) == list(ref["value"])


def test_text_where_a_number_is_needed() -> None:
    with pytest.raises(DataError, match="ind_mean"):
        compute(make("mean", value="g"), sample())


def test_not_a_frame() -> None:
    with pytest.raises(DataError, match="pandas"):
        compute(make("mean"), {"y": [1, 2]})


def test_duplicate_ids_in_a_list() -> None:
    with pytest.raises(IndicatorDefinitionError, match="duplicate"):
        compute([make("mean"), make("mean")], sample())


@pytest.mark.parametrize(
    "kw, match",
    [
        ({"kind": "median"}, "'kind'"),
        ({"kind": "mean", "numerator": None}, "'value' is required"),
        ({"events": "e"}, "'events' does not apply"),
        ({"per": 100}, "'per' only applies"),
        ({"direction": "up"}, "'direction'"),
        ({"id": "Bad-Id"}, "'id'"),
        ({"name": 3}, "'name'"),
        ({"minimum_meaningful_change": -1}, "minimum_meaningful_change"),
        ({"disaggregate_by": [1]}, "disaggregate_by"),
        ({"frameworks": {"sdg": 6.1}}, "frameworks"),
        ({"numerator": "hit.__class__"}, "hit.__class__"),
        ({"population": "open('x')"}, "open"),
    ],
)
def test_bad_definitions_name_indicator_and_key(kw: dict[str, object], match: str) -> None:
    args: dict[str, object] = {
        "id": "ind_proportion",
        "name": "P",
        "description": "",
        "unit": "u",
        "kind": "proportion",
        "numerator": "hit",
    }
    with pytest.raises(IndicatorDefinitionError, match=match) as info:
        Indicator(**(args | kw))  # type: ignore[arg-type]
    if "id" not in kw:
        assert "ind_proportion" in str(info.value)


def test_indicator_is_frozen_and_hashable() -> None:
    ind = make("proportion", frameworks={"sdg": "6.1.1"}, disaggregate_by=["g"])
    with pytest.raises(AttributeError):
        ind.name = "x"  # type: ignore[misc]
    assert hash(ind) == hash(make("proportion", frameworks={"sdg": "6.1.1"}, disaggregate_by=["g"]))
    assert ind.disaggregate_by == ("g",)
    with pytest.raises(TypeError):
        ind.frameworks["sdg"] = "1"  # type: ignore[index]


# ------------------------------------------------------------ safety ----------------------


def test_compute_and_evaluate_never_call_eval() -> None:
    df = sample()
    with no_eval():
        inds = [make(k, population="elig and y > 40") for k in ALL_KINDS]
        compute(inds, df, by="g", weights="w")
        compute(inds, pl.from_pandas(df).lazy(), by="g")
        evaluate(inds[0], df)


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_inputs_are_never_mutated(kind: str) -> None:
    df = sample()
    df["flag"] = pd.Series([True, None] * 60, dtype=object)
    before = df.copy()
    ind = make(kind, population="flag or elig")
    compute(ind, df, by="g", period="t", weights="w")
    evaluate(ind, df)
    pd.testing.assert_frame_equal(df, before)
    lf = pl.from_pandas(before)
    compute(ind, lf, by="g")
    assert lf.equals(pl.from_pandas(before))


# ------------------------------------------------------------ properties ------------------

maybe_nan = st.one_of(st.floats(-100, 100, allow_nan=False), st.just(float("nan")))


@st.composite
def frames(draw: st.DrawFn, min_size: int = 1) -> pd.DataFrame:
    n = draw(st.integers(min_size, 40))
    ints = st.integers(0, 6)
    return pd.DataFrame(
        {
            "g": draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=n, max_size=n)),
            "hit": pd.array(
                draw(st.lists(st.one_of(st.booleans(), st.none()), min_size=n, max_size=n)),
                dtype="boolean",
            ),
            "y": draw(st.lists(maybe_nan, min_size=n, max_size=n)),
            "x": draw(st.lists(st.floats(0.5, 10), min_size=n, max_size=n)),
            "events": draw(st.lists(ints, min_size=n, max_size=n)),
            "exposure": draw(st.lists(st.floats(0.1, 5), min_size=n, max_size=n)),
            "w": draw(st.lists(st.floats(0.1, 10), min_size=n, max_size=n)),
            "elig": draw(st.lists(st.booleans(), min_size=n, max_size=n)),
        }
    )


kinds = st.sampled_from(ALL_KINDS)
weighted = st.sampled_from([None, "w"])


@given(df=frames(), kind=kinds, w=weighted, conf=st.sampled_from([0.8, 0.95, 0.99]))
def test_value_lies_inside_its_interval(
    df: pd.DataFrame, kind: str, w: str | None, conf: float
) -> None:
    out = compute(make(kind, population="elig"), df, by="g", weights=w, confidence=conf)
    ok = out["ci_low"].notna()
    tol = 1e-9 * (1 + out["value"].abs())
    assert (out.loc[ok, "ci_low"] <= out.loc[ok, "value"] + tol[ok]).all()
    assert (out.loc[ok, "value"] <= out.loc[ok, "ci_high"] + tol[ok]).all()
    if kind == "proportion":
        has = out["value"].notna()
        assert out.loc[has, "value"].between(0, 1).all()
        assert (
            out.loc[ok, "ci_low"].between(0, 1).all() and out.loc[ok, "ci_high"].between(0, 1).all()
        )
    assert (out["n"] + out["n_missing"] <= df.groupby("g").size().loc[out["g"]].to_numpy()).all()


@given(df=frames(min_size=2), kind=kinds, w=weighted, seed=st.integers(0, 2**16))
def test_row_order_does_not_matter(df: pd.DataFrame, kind: str, w: str | None, seed: int) -> None:
    shuffled = df.sample(frac=1.0, random_state=seed)
    a = compute(make(kind), df, by="g", weights=w)
    b = compute(make(kind), shuffled, by="g", weights=w)
    pd.testing.assert_frame_equal(a, b, rtol=1e-9, atol=1e-9)


@given(df=frames(), kind=kinds, w=weighted)
def test_groups_recombine_to_the_overall_value(df: pd.DataFrame, kind: str, w: str | None) -> None:
    ind = make(kind, population="elig")
    overall = one(compute(ind, df, weights=w))
    groups = compute(ind, df, by="g", weights=w)
    assume(groups["denominator"].sum() > 0)
    assert overall["n"] == groups["n"].sum()
    assert overall["n_missing"] == groups["n_missing"].sum()
    num, den = groups["numerator"].fillna(0).sum(), groups["denominator"].sum()
    assert overall["numerator"] == pytest.approx(num, rel=1e-9, abs=1e-9)
    assert overall["denominator"] == pytest.approx(den, rel=1e-9, abs=1e-9)
    has = groups["value"].notna()
    if kind in ("proportion", "mean"):
        recombined = np.sum(groups.loc[has, "value"] * groups.loc[has, "denominator"]) / den
    elif kind == "sum":
        recombined = groups.loc[has, "value"].sum()
    else:
        scale = 1000.0 if kind == "rate" else 1.0
        assume(den > 0)
        recombined = num / den * scale
    assert overall["value"] == pytest.approx(recombined, rel=1e-9, abs=1e-9)


@given(df=frames(), kind=kinds, w=weighted)
def test_pandas_and_polars_eager_and_lazy_agree(df: pd.DataFrame, kind: str, w: str | None) -> None:
    ind = make(kind, population="elig or isnull(hit)")
    ref = compute(ind, df, by="g", weights=w)
    polars_df = pl.from_pandas(df)
    for native in (polars_df, polars_df.lazy()):
        got = compute(ind, native, by="g", weights=w)
        pd.testing.assert_frame_equal(ref, got, check_dtype=False, rtol=1e-9, atol=1e-9)


def test_polars_nan_counts_as_missing_like_pandas() -> None:
    df = pd.DataFrame({"y": [1.0, np.nan, 3.0, 4.0]})
    polars_nan = pl.DataFrame({"y": pl.Series([1.0, float("nan"), 3.0, 4.0], nan_to_null=False)})
    a, b = one(compute(make("mean"), df)), one(compute(make("mean"), polars_nan))
    assert (a["n"], a["n_missing"]) == (b["n"], b["n_missing"]) == (3, 1)
    assert a["value"] == b["value"]


@given(df=frames(min_size=3), c=st.floats(0.01, 1000), w=weighted)
def test_scaling_the_value_scales_mean_and_interval(
    df: pd.DataFrame, c: float, w: str | None
) -> None:
    a = one(compute(make("mean"), df, weights=w))
    b = one(compute(make("mean"), df.assign(y=df["y"] * c), weights=w))
    for col in ("value", "ci_low", "ci_high"):
        if np.isnan(a[col]):
            assert np.isnan(b[col])
        else:
            assert b[col] == pytest.approx(c * a[col], rel=1e-7, abs=1e-9 * c)


@given(df=frames(min_size=3), shift=st.floats(-1e4, 1e4), w=weighted)
def test_adding_a_constant_shifts_the_mean_and_interval(
    df: pd.DataFrame, shift: float, w: str | None
) -> None:
    a = one(compute(make("mean"), df, weights=w))
    b = one(compute(make("mean"), df.assign(y=df["y"] + shift), weights=w))
    for col in ("value", "ci_low", "ci_high"):
        if np.isnan(a[col]):
            assert np.isnan(b[col])
        else:
            assert b[col] == pytest.approx(a[col] + shift, rel=1e-9, abs=1e-7)


@given(df=frames(), extra=st.integers(1, 5))
def test_more_hits_never_lower_a_proportion(df: pd.DataFrame, extra: int) -> None:
    ind = make("proportion")
    base = one(compute(ind, df))
    more = pd.concat([df, df.iloc[[0] * extra].assign(hit=True)], ignore_index=True)
    after = one(compute(ind, more))
    if not np.isnan(base["value"]):
        assert after["value"] >= base["value"] - 1e-12
    assert after["n"] == base["n"] + extra


# ------------------------------------------------------------ evaluate --------------------


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_evaluate_matches_compute(kind: str) -> None:
    df = sample(90, seed=11).set_index(pd.RangeIndex(1000, 1090))
    df.loc[[1003, 1010], "y"] = np.nan
    df["hit"] = df["hit"].astype(object)
    df.loc[1004, "hit"] = None
    ind = make(kind, population="elig")
    rows = evaluate(ind, df)
    assert rows.index.equals(df.index)
    extra = {"rate": ["exposure"], "ratio": ["denominator"]}.get(kind, [])
    assert list(rows.columns) == ["in_population", "missing", "value", *extra]
    assert rows["in_population"].dtype == bool
    np.testing.assert_array_equal(rows["in_population"], df["elig"].to_numpy(dtype=bool))
    r = one(compute(ind, df))
    used = rows["value"].notna()
    assert used.sum() == r["n"] and rows["missing"].sum() == r["n_missing"]
    assert not rows.loc[~rows["in_population"], "value"].notna().any()
    if kind in ("proportion", "mean", "sum"):
        assert rows["value"].sum() == pytest.approx(r["numerator"], rel=1e-9)
        assert used.sum() == pytest.approx(r["denominator"])
    else:
        assert rows["value"].sum() == pytest.approx(r["numerator"], rel=1e-9)
        assert rows[extra[0]].sum() == pytest.approx(r["denominator"], rel=1e-9)
    if kind == "proportion":
        assert set(rows["value"].dropna().unique()) <= {0.0, 1.0}


def test_evaluate_on_polars_gives_a_range_index() -> None:
    df = sample(10)
    rows = evaluate(make("mean"), pl.from_pandas(df))
    assert list(rows.index) == list(range(10))
    np.testing.assert_allclose(rows["value"], df["y"])


@pytest.mark.parametrize("bad", ["reach", 3, None, [make("mean"), "x"]])
def test_compute_needs_indicators(bad: object) -> None:
    with pytest.raises(IndicatorDefinitionError, match="Indicator"):
        compute(bad, sample())  # type: ignore[arg-type]


def test_srs_columns_without_a_design() -> None:
    """se, df, deff and n_psu are there without a design, with the SRS values: binomial
    sqrt(p(1-p)/n), statsmodels DescrStatsW.std_mean, Poisson sqrt(k)/exposure."""
    from statsmodels.stats.weightstats import DescrStatsW

    df = sample(90, seed=11)
    out = compute([make(k) for k in ALL_KINDS], df).set_index("indicator")
    n = len(df)
    p = df["hit"].mean()
    assert out.loc["ind_proportion", "se"] == pytest.approx(np.sqrt(p * (1 - p) / n), rel=1e-9)
    assert out.loc["ind_mean", "se"] == pytest.approx(DescrStatsW(df["y"]).std_mean, rel=1e-9)
    assert out.loc["ind_sum", "se"] == pytest.approx(n * DescrStatsW(df["y"]).std_mean, rel=1e-9)
    rate_se = np.sqrt(df["events"].sum()) / df["exposure"].sum() * 1000
    assert out.loc["ind_rate", "se"] == pytest.approx(rate_se, rel=1e-9)
    assert (out["deff"] == 1.0).all() and (out["n_psu"] == n).all() and (out["df"] == n - 1).all()
