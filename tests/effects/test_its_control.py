"""Comparative (controlled) interrupted time series: ``its(..., control=...)``.

The reference for every number is statsmodels fitted here on a design matrix built in the
test from the model of Lopez Bernal, Cummins & Gasparrini (2018, IJE 47(6)):
y = b0 + b1·t + b2·post + b3·(t − t0)·post + b4·G + b5·G·t + b6·G·post + b7·G·(t − t0)·post,
G = 1 for the intervention series.  The Driscoll–Kraay covariance is also recomputed by hand.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from impactkit.effects import ITSResult, its
from impactkit.errors import DataError, EstimationError, MissingColumnError

TOL = 1e-8
T0 = 25


def two_series(
    seed: int = 7, n: int = 48, t0: int = T0, bool_control: bool = False
) -> pd.DataFrame:
    """Intervention and control series on the same monthly axis (t = 1..n), stacked.

    Both share a seasonal pattern and a common shock at t0 (a "co-intervention"); only the
    intervention series gets the extra step (−4) and slope change (+0.25) / rate changes.
    """
    rng = np.random.default_rng(seed)
    t = np.arange(1, n + 1, dtype=float)
    post = (t >= t0).astype(float)
    since = (t - t0) * post
    season = np.sin(2 * np.pi * t / 12)
    shock = rng.normal(0, 0.8, n)  # shared by both series at each time
    frames = []
    for g in (1, 0):
        common = 15 + 0.2 * t + 2.0 * post - 0.1 * since + 1.5 * season
        own = g * (3 + 0.1 * t - 4.0 * post + 0.25 * since)
        y = common + own + shock + rng.normal(0, 1, n)
        log_mu = 3.5 + 0.01 * t + 0.1 * post + 0.1 * season + g * (0.3 - 0.25 * post - 0.01 * since)
        pop = rng.uniform(800, 1200, n)
        count = rng.poisson(np.exp(log_mu) * pop / 1000)
        frames.append(
            pd.DataFrame({"t": t, "y": y, "count": count, "pop": pop, "ctrl": 1 - g, "g": g})
        )
    df = pd.concat(frames, ignore_index=True)
    if bool_control:
        df["ctrl"] = df["ctrl"].astype(bool)
    return df


def design(df: pd.DataFrame, t0: float = T0, slope: bool = True, harmonics: int = 0) -> np.ndarray:
    t = df["t"].to_numpy(float)
    g = 1.0 - df["ctrl"].to_numpy(float)
    post = (t >= t0).astype(float)
    since = (t - t0) * post
    cols = [np.ones_like(t), t, post, since, g, g * t, g * post, g * since]
    if not slope:
        cols = [np.ones_like(t), t, post, g, g * t, g * post]
    for j in range(1, harmonics + 1):
        cols += [np.sin(2 * np.pi * j * t / 12), np.cos(2 * np.pi * j * t / 12)]
    return np.column_stack(cols)


B6, B7 = 6, 7  # positions of the level and slope changes in the full design


def check_coefficient(eff: object, ref: object, k: int) -> None:
    """Estimate, SE, CI and p-value of ``eff`` equal column ``k`` of statsmodels ``ref``."""
    ci = np.asarray(ref.conf_int())[k]  # type: ignore[attr-defined]
    assert eff.estimate == pytest.approx(ref.params[k], rel=TOL)  # type: ignore[attr-defined]
    assert eff.se == pytest.approx(ref.bse[k], rel=TOL)  # type: ignore[attr-defined]
    assert eff.ci_low == pytest.approx(ci[0], rel=TOL)  # type: ignore[attr-defined]
    assert eff.ci_high == pytest.approx(ci[1], rel=TOL)  # type: ignore[attr-defined]
    assert eff.p_value == pytest.approx(ref.pvalues[k], rel=TOL)  # type: ignore[attr-defined]


# ----------------------------------------------------------------------------- statsmodels


def test_gaussian_matches_ols_counterfactual_and_cumulative() -> None:
    df = two_series()
    X = design(df)
    ref = sm.OLS(df["y"].to_numpy(), X).fit()
    res = its(df, "t", "y", T0, control="ctrl")
    assert res.slope_change is not None
    check_coefficient(res.level_change, ref, B6)
    check_coefficient(res.slope_change, ref, B7)
    assert "comparative interrupted time series" in res.method and "'ctrl'" in res.method
    assert res.level_change.n == len(df)

    # counterfactual frame: intervention series only, b6 and b7 switched off
    inter = df["ctrl"].to_numpy() == 0
    Xi = X[inter]
    Xcf = Xi.copy()
    Xcf[:, [B6, B7]] = 0.0
    cf = res.counterfactual
    assert len(cf) == inter.sum()
    np.testing.assert_allclose(cf["time"], df.loc[inter, "t"])
    np.testing.assert_allclose(cf["observed"], df.loc[inter, "y"])
    np.testing.assert_allclose(cf["fitted"], ref.fittedvalues[inter], rtol=TOL)
    pred = ref.get_prediction(Xcf).summary_frame(alpha=0.05)
    np.testing.assert_allclose(cf["counterfactual"], pred["mean"], rtol=TOL)
    np.testing.assert_allclose(cf["cf_ci_low"], pred["mean_ci_lower"], rtol=TOL)
    np.testing.assert_allclose(cf["cf_ci_high"], pred["mean_ci_upper"], rtol=TOL)
    # = own pre-trend + the control series' change at t0, in the coefficients' words
    b = ref.params
    t = df.loc[inter, "t"].to_numpy()
    post, since = (t >= T0) * 1.0, (t - T0) * (t >= T0)
    by_hand = b[0] + b[4] + (b[1] + b[5]) * t + b[2] * post + b[3] * since
    np.testing.assert_allclose(cf["counterfactual"], by_hand, rtol=TOL)

    # cumulative = sum over the intervention series' post period of b6 + b7 (t - t0)
    c = np.zeros(X.shape[1])
    c[B6], c[B7] = post.sum(), since.sum()
    tt = ref.t_test(c)
    assert res.cumulative.estimate == pytest.approx(float(np.squeeze(tt.effect)), rel=TOL)
    assert res.cumulative.se == pytest.approx(float(np.squeeze(tt.sd)), rel=TOL)
    assert res.cumulative.p_value == pytest.approx(float(np.squeeze(tt.pvalue)), rel=1e-6)
    assert res.cumulative.baseline == pytest.approx(float(pred["mean"][post == 1].sum()), rel=TOL)


def driscoll_kraay(X: np.ndarray, resid: np.ndarray, period: np.ndarray, lags: int) -> np.ndarray:
    """(X'X)⁻¹ S (X'X)⁻¹ with S the Bartlett-weighted autocovariance of the scores summed
    within each time period (Driscoll & Kraay 1998; Hoechle 2007, eq. 12), no correction."""
    periods = np.unique(period)
    h = np.array([(X[period == p] * resid[period == p, None]).sum(axis=0) for p in periods])
    S = h.T @ h
    for lag in range(1, lags + 1):
        gamma = h[lag:].T @ h[:-lag]
        S += (1 - lag / (lags + 1)) * (gamma + gamma.T)
    bread = np.linalg.inv(X.T @ X)
    return bread @ S @ bread


def test_gaussian_hac_is_driscoll_kraay_and_ignores_row_order() -> None:
    df = two_series(seed=11)
    X = design(df, harmonics=1)
    y = df["y"].to_numpy()
    ols = sm.OLS(y, X).fit()
    for lags in (0, 2, 4):
        period = df["t"].to_numpy().astype(int) - 1
        ref = sm.OLS(y, X).fit(
            cov_type="hac-groupsum",
            cov_kwds={
                "time": period,
                "maxlags": lags,
                "use_correction": False,
                "df_correction": False,
            },
            use_t=True,
        )
        res = its(df, "t", "y", T0, control="ctrl", seasonality=1, hac_lags=lags)
        assert res.slope_change is not None
        check_coefficient(res.level_change, ref, B6)
        check_coefficient(res.slope_change, ref, B7)
        V = driscoll_kraay(X, ols.resid, period, lags)
        assert res.level_change.se == pytest.approx(math.sqrt(V[B6, B6]), rel=TOL)
        assert res.slope_change.se == pytest.approx(math.sqrt(V[B7, B7]), rel=TOL)
        # t with the residual df, as for one series
        t_stat = res.level_change.estimate / res.level_change.se
        p = 2 * stats.t.sf(abs(t_stat), len(df) - X.shape[1])
        assert res.level_change.p_value == pytest.approx(p, rel=1e-6)
        assert "Driscoll-Kraay" in res.method
        # rows of the two series interleaved and shuffled: same model, same errors
        shuffled = df.sample(frac=1, random_state=lags)
        again = its(shuffled, "t", "y", T0, control="ctrl", seasonality=1, hac_lags=lags)
        assert again.level_change.se == pytest.approx(res.level_change.se, rel=TOL)
        assert again.cumulative.se == pytest.approx(res.cumulative.se, rel=TOL)
        pd.testing.assert_frame_equal(again.counterfactual, res.counterfactual, rtol=TOL)
    # stacking the series and applying single-series Newey-West would be a different number
    naive = sm.OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": 4})
    assert naive.bse[B6] != pytest.approx(res.level_change.se, rel=1e-3)


@pytest.mark.parametrize("family", ["poisson", "quasipoisson"])
def test_counts_match_glm_with_offset(family: str) -> None:
    df = two_series(seed=5)
    X = design(df, harmonics=1)
    offset = np.log(df["pop"].to_numpy())
    kw = {"scale": "X2"} if family == "quasipoisson" else {}
    ref = sm.GLM(df["count"].to_numpy(), X, family=sm.families.Poisson(), offset=offset).fit(**kw)
    res = its(df, "t", "count", T0, family=family, exposure="pop", seasonality=1, control="ctrl")
    assert res.slope_change is not None and res.level_rate_ratio is not None
    check_coefficient(res.level_change, ref, B6)
    check_coefficient(res.slope_change, ref, B7)
    lo, hi = np.exp(np.asarray(ref.conf_int())[B6])
    assert res.level_rate_ratio.estimate == pytest.approx(math.exp(ref.params[B6]), rel=TOL)
    assert res.level_rate_ratio.ci_low == pytest.approx(lo, rel=TOL)
    assert res.level_rate_ratio.ci_high == pytest.approx(hi, rel=TOL)
    assert res.slope_rate_ratio is not None
    assert res.slope_rate_ratio.estimate == pytest.approx(math.exp(ref.params[B7]), rel=TOL)

    # cumulative over the intervention series' post period, numerical-gradient delta method
    inter = df["ctrl"].to_numpy() == 0
    post = (df["t"].to_numpy() >= T0) & inter
    Xcf = X.copy()
    Xcf[:, [B6, B7]] = 0.0
    beta, V = ref.params, ref.cov_params()

    def cum(b: np.ndarray) -> float:
        return float((np.exp(X @ b + offset) - np.exp(Xcf @ b + offset))[post].sum())

    step = 1e-6
    grad = np.array(
        [(cum(beta + step * e) - cum(beta - step * e)) / (2 * step) for e in np.eye(beta.size)]
    )
    assert res.cumulative.estimate == pytest.approx(cum(beta), rel=TOL)
    assert res.cumulative.se == pytest.approx(math.sqrt(grad @ V @ grad), rel=1e-5)
    cf = res.counterfactual
    np.testing.assert_allclose(cf["fitted"], ref.fittedvalues[inter], rtol=TOL)
    np.testing.assert_allclose(cf["counterfactual"], np.exp(Xcf @ beta + offset)[inter], rtol=TOL)


def test_level_only_model_drops_b3_and_b7() -> None:
    df = two_series(seed=3)
    ref = sm.OLS(df["y"].to_numpy(), design(df, slope=False)).fit()
    res = its(df, "t", "y", T0, control="ctrl", slope_change=False)
    assert res.slope_change is None and res.slope_rate_ratio is None
    check_coefficient(res.level_change, ref, 5)
    assert set(res.to_frame()["term"]) == {"level_change", "cumulative"}


def test_dates_boolean_control_display_and_plot() -> None:
    df = two_series(seed=9, bool_control=True)
    months = [pd.Timestamp(2020, 1, 1) + pd.DateOffset(months=int(k) - 1) for k in df["t"]]
    dated = df.assign(month=pd.to_datetime(months))  # t = 25 is January 2022
    snapshot = dated.copy()
    by_date = its(dated, "month", "y", pd.Timestamp(2022, 1, 1), control="ctrl", seasonality=1)
    pd.testing.assert_frame_equal(dated, snapshot)  # input not modified
    by_index = its(df, "t", "y", T0, control="ctrl", seasonality=1)
    assert by_date.level_change.estimate == pytest.approx(by_index.level_change.estimate, rel=TOL)
    assert by_date.level_change.se == pytest.approx(by_index.level_change.se, rel=TOL)
    assert by_date.counterfactual["time"].is_monotonic_increasing
    import matplotlib.pyplot as plt

    assert isinstance(by_date, ITSResult) and "ITSResult" in repr(by_date)
    assert "At the intervention" in by_date.summary() and "<table" in by_date._repr_html_()
    ax = by_date.plot()
    assert ax.get_lines()
    plt.close("all")


# ----------------------------------------------------------------------------- properties

seeds = st.integers(0, 2**31 - 1)
finite = st.floats(-1e3, 1e3, allow_nan=False)


def close(a: float, b: float, scale: float) -> bool:
    return abs(a - b) <= 1e-7 * (1.0 + scale)


@given(seed=seeds, a=finite, c=st.floats(-50, 50), season=st.booleans())
def test_common_linear_trend_leaves_b6_b7_unchanged(
    seed: int, a: float, c: float, season: bool
) -> None:
    df = two_series(seed=seed)
    kw = {"control": "ctrl", "seasonality": 1 if season else None}
    base = its(df, "t", "y", T0, **kw)  # type: ignore[arg-type]
    moved = its(df.assign(y=df["y"] + a + c * df["t"]), "t", "y", T0, **kw)  # type: ignore[arg-type]
    scale = abs(a) + abs(c) * 48
    for old, new in (
        (base.level_change, moved.level_change),
        (base.slope_change, moved.slope_change),
    ):
        assert old is not None and new is not None
        assert close(new.estimate, old.estimate, scale)
        assert close(new.se, old.se, scale)


@given(seed=seeds, k=finite, step=finite)
def test_shift_of_control_series_or_common_step_leaves_b6_unchanged(
    seed: int, k: float, step: float
) -> None:
    df = two_series(seed=seed)
    base = its(df, "t", "y", T0, control="ctrl")
    # a constant added to the control series only
    y1 = df["y"] + k * df["ctrl"]
    shifted = its(df.assign(y=y1), "t", "y", T0, control="ctrl")
    assert close(shifted.level_change.estimate, base.level_change.estimate, abs(k))
    # a co-intervention: the same step at t0 in both series is netted out of b6
    y2 = df["y"] + step * (df["t"] >= T0)
    co = its(df.assign(y=y2), "t", "y", T0, control="ctrl")
    assert close(co.level_change.estimate, base.level_change.estimate, abs(step))
    # ... while a step in the intervention series only moves b6 by exactly that step
    y3 = df["y"] + step * (df["t"] >= T0) * (1 - df["ctrl"])
    own = its(df.assign(y=y3), "t", "y", T0, control="ctrl")
    assert close(own.level_change.estimate, base.level_change.estimate + step, abs(step))


@given(seed=seeds, slope=st.booleans(), hac=st.sampled_from([None, 0, 3]))
def test_swapping_the_control_negates_b6_and_b7(seed: int, slope: bool, hac: int | None) -> None:
    df = two_series(seed=seed)
    a = its(df, "t", "y", T0, control="ctrl", slope_change=slope, hac_lags=hac)
    b = its(df.assign(ctrl=1 - df["ctrl"]), "t", "y", T0, control="ctrl", slope_change=slope,
            hac_lags=hac)  # fmt: skip
    pairs = [(a.level_change, b.level_change)]
    if slope:
        pairs.append((a.slope_change, b.slope_change))  # type: ignore[arg-type]
    for x, z in pairs:
        assert z.estimate == pytest.approx(-x.estimate, rel=1e-7, abs=1e-9)
        assert z.se == pytest.approx(x.se, rel=1e-7)


@given(
    seed=seeds,
    family=st.sampled_from(["gaussian", "poisson", "quasipoisson"]),
    confidence=st.floats(0.5, 0.99),
    slope=st.booleans(),
)
def test_intervals_contain_estimates(
    seed: int, family: str, confidence: float, slope: bool
) -> None:
    df = two_series(seed=seed)
    outcome = "y" if family == "gaussian" else "count"
    res = its(df, "t", outcome, T0, family=family, control="ctrl", confidence=confidence,
              slope_change=slope)  # type: ignore[arg-type]  # fmt: skip
    for eff in res.effects().values():
        assert eff.ci_low <= eff.estimate <= eff.ci_high
        assert 0.0 <= eff.p_value <= 1.0
    cf = res.counterfactual
    assert (cf["cf_ci_low"] <= cf["counterfactual"] + 1e-12).all()
    assert (cf["counterfactual"] <= cf["cf_ci_high"] + 1e-12).all()
    if family != "gaussian":
        assert res.level_rate_ratio is not None
        assert res.level_rate_ratio.ci_low <= res.level_rate_ratio.estimate
        assert res.level_rate_ratio.estimate <= res.level_rate_ratio.ci_high


# ----------------------------------------------------------------------------- validation


def test_validation_errors_name_the_column() -> None:
    df = two_series()
    with pytest.raises(MissingColumnError, match="'arm'"):
        its(df, "t", "y", T0, control="arm")
    with pytest.raises(DataError, match="'ctrl'.*0/1"):
        its(df.assign(ctrl=df["ctrl"] * 2), "t", "y", T0, control="ctrl")
    with pytest.raises(DataError, match="'ctrl'.*missing"):
        its(df.assign(ctrl=df["ctrl"].where(df.index != 3)), "t", "y", T0, control="ctrl")
    with pytest.raises(DataError, match="'ctrl'.*no control"):
        its(df.assign(ctrl=0), "t", "y", T0, control="ctrl")
    with pytest.raises(DataError, match="'ctrl'.*no intervention"):
        its(df.assign(ctrl=1), "t", "y", T0, control="ctrl")
    late_control = df[(df["ctrl"] == 0) | (df["t"] >= T0)]
    with pytest.raises(DataError, match=r"control series \(rows with 'ctrl' = 1\).*before"):
        its(late_control, "t", "y", T0, control="ctrl")
    early_treated = df[(df["ctrl"] == 1) | (df["t"] < T0)]
    with pytest.raises(DataError, match=r"intervention series \(rows with 'ctrl' = 0\).*after"):
        its(early_treated, "t", "y", T0, control="ctrl")
    short = df[(df["ctrl"] == 0) | (df["t"] >= T0 - 2)]
    with pytest.raises(EstimationError, match="'ctrl' = 1.*at least 3"):
        its(short, "t", "y", T0, control="ctrl")
    doubled = pd.concat([df, df[(df["ctrl"] == 1) & (df["t"] == 5)]], ignore_index=True)
    with pytest.raises(DataError, match="unique within each series of control column 'ctrl'"):
        its(doubled, "t", "y", T0, control="ctrl")
    with pytest.raises(DataError, match="hac_lags"):
        its(df, "t", "count", T0, family="poisson", control="ctrl", hac_lags=2)
    # the same time in the two series is not a duplicate, and text 0/1 is accepted
    res = its(df.assign(ctrl=df["ctrl"].astype(str)), "t", "y", T0, control="ctrl")
    assert res.level_change.estimate == pytest.approx(
        its(df, "t", "y", T0, control="ctrl").level_change.estimate, rel=1e-12
    )


def test_polars_input() -> None:
    pl = pytest.importorskip("polars")
    df = two_series()
    a = its(pl.from_pandas(df), "t", "y", T0, control="ctrl")
    b = its(df, "t", "y", T0, control="ctrl")
    assert a.level_change.estimate == pytest.approx(b.level_change.estimate, rel=1e-12)


def test_single_series_hac_does_not_depend_on_row_order() -> None:
    """Newey-West needs the rows in time order; shuffled input must give the same answer."""
    rng = np.random.default_rng(7)
    t = np.arange(1, 49)
    y = 10 + 0.2 * t + 3 * (t >= 25) + np.convolve(rng.normal(0, 1, 60), [1, 0.7, 0.4])[: len(t)]
    frame = pd.DataFrame({"t": t, "y": y})
    ordered = its(frame, "t", "y", 25, hac_lags=3)
    shuffled = its(frame.sample(frac=1, random_state=3), "t", "y", 25, hac_lags=3)
    assert shuffled.level_change.se == pytest.approx(ordered.level_change.se, rel=1e-12)
    assert shuffled.slope_change is not None and ordered.slope_change is not None
    assert shuffled.slope_change.se == pytest.approx(ordered.slope_change.se, rel=1e-12)
