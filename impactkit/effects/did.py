"""Difference-in-differences: :func:`did`, :class:`DiDResult`, :class:`PreTrendTest`.

The estimator is split the way a reader checks it: row and column checks
(``_check_*``), the covariance choice (:func:`_choose_covariance`), the design matrix
(:func:`_did_design`, with the event study of :func:`_event_study`), the fit
(:func:`_fit_ols`) and the result assembly in :func:`did`.

Validated against statsmodels formula fits (``smf.ols`` with HC1 / cluster covariance,
rel. 1e-6) and the published Card & Krueger (1994) New Jersey minimum-wage DiD
(tests/effects/test_effects.py, tests/effects/test_effects_reference.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from .._checks import check_confidence
from .._display import fmt, fmt_p, html_block
from .._frames import as_pandas, require_columns
from .._intervals import t_quantile
from ..errors import DataError, EstimationError, describe_rows
from ..results import Effect, HasEffect, Result
from ._inputs import binary
from ._variation import check_residual_variation, check_varies
from .wild.choice import DEFAULT_SEED, check_inference, cluster_inference

if TYPE_CHECKING:
    from statsmodels.regression.linear_model import RegressionResultsWrapper

__all__ = ["DiDResult", "PreTrendTest", "did"]

_CONTEXT = "did"
_SE_WORDS = {
    "nonrobust": "classical (non-robust) standard errors",
    "HC0": "heteroskedasticity-robust (HC0) standard errors",
    "HC1": "heteroskedasticity-robust (HC1) standard errors",
    "HC2": "heteroskedasticity-robust (HC2) standard errors",
    "HC3": "heteroskedasticity-robust (HC3) standard errors",
}
_SE_KINDS = ("nonrobust", "HC0", "HC1", "HC2", "HC3", "cluster")


@dataclass(frozen=True)
class PreTrendTest(Result):
    """Joint Wald F test that every pre-period event-study coefficient is zero."""

    statistic: float
    df_num: int
    df_denom: float
    p_value: float

    @property
    def notes(self) -> tuple[str, ...]:
        """No warnings of its own (the DiD's notes apply)."""
        return ()

    @property
    def confidence(self) -> float:
        """0.95: the test has no interval; :meth:`summary` reads p < 0.05 as evidence."""
        return 0.95

    def summary(self) -> str:
        """One sentence: do treated and comparison groups move in parallel before?"""
        word = (
            "no evidence against parallel pre-trends"
            if self.p_value >= 0.05
            else "evidence that the groups were already diverging before the change"
        )
        return (
            f"Pre-trend (placebo) test over {self.df_num} earlier period(s): "
            f"F = {fmt(self.statistic)}, {fmt_p(self.p_value)} — {word}."
        )

    def to_frame(self) -> pd.DataFrame:
        """One row: ``statistic`` (F), ``df_num``, ``df_denom``, ``p_value``."""
        row = {
            "statistic": self.statistic,
            "df_num": self.df_num,
            "df_denom": self.df_denom,
            "p_value": self.p_value,
        }
        return pd.DataFrame([row])

    def _title(self) -> str:
        return "Pre-trend (placebo) test"


@dataclass(frozen=True, eq=False)
class DiDResult(HasEffect, Result):
    """Difference-in-differences result.

    Attributes
    ----------
    effect
        The DiD estimate (an :class:`Effect`; ``baseline`` = treated group's pre-period mean).
        ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``p_value``, ``notes`` and
        ``confidence`` are those of ``effect``.
    group_means
        Tidy 2x2 table: columns ``group`` ("treated"/"control"), ``period``
        ("pre"/"post"), ``mean``, ``n`` — on the rows used for estimation.
    n_clusters
        Number of clusters when the covariance is cluster-robust, else ``None``.
    pre_trend
        Joint test of the pre-period event-study coefficients (needs ``period=`` with at
        least two pre-periods), else ``None``.
    event_study
        One row per period: ``period``, ``estimate``, ``se``, ``ci_low``, ``ci_high``,
        ``p_value``, ``reference`` (the last pre-period, fixed at 0), else ``None``.
    """

    effect: Effect
    group_means: pd.DataFrame
    n_clusters: int | None = None
    pre_trend: PreTrendTest | None = None
    event_study: pd.DataFrame | None = None

    @property
    def notes(self) -> tuple[str, ...]:
        return self.effect.notes

    @property
    def confidence(self) -> float:
        return self.effect.confidence

    def to_frame(self) -> pd.DataFrame:
        """The effect as one tidy row (group means and event study are attributes)."""
        return self.effect.to_frame()

    def summary(self) -> str:
        """The effect sentence, plus the pre-trend test when there is one."""
        text = self.effect.summary()
        if self.pre_trend is not None:
            text += " " + self.pre_trend.summary()
        return text

    def __repr__(self) -> str:
        extra = f", pre-trend {fmt_p(self.pre_trend.p_value)}" if self.pre_trend else ""
        return f"DiDResult({self.effect!r}{extra})"

    def _title(self) -> str:
        return f"Difference-in-differences — {self.effect.method}"

    def _html_extra(self) -> str:
        return html_block("Group means", self.group_means)


# ------------------------------------------------------------------------------ checks


def _check_rows(
    data: pd.DataFrame, outcome: str, covariates: Sequence[str], cols: list[str]
) -> tuple[pd.DataFrame, np.ndarray, list[str]]:
    """The used columns, rows with a numeric outcome and complete covariates, and notes."""
    require_columns(data, cols, _CONTEXT)
    frame = data.loc[:, list(dict.fromkeys(cols))].copy()
    notes: list[str] = []
    y_all = pd.to_numeric(frame[outcome], errors="coerce")
    bad = y_all.isna() & frame[outcome].notna()
    if bad.any():
        raise DataError(
            f"{_CONTEXT}: outcome column {outcome!r} must be numeric; found "
            f"{frame[outcome][bad].iloc[0]!r} at {describe_rows(frame.index[bad])}"
        )
    infinite = np.isinf(y_all.to_numpy(dtype=float, na_value=np.nan))
    if infinite.any():
        raise DataError(
            f"{_CONTEXT}: outcome column {outcome!r} holds infinite values at "
            f"{describe_rows(frame.index[infinite])}; expected finite numbers"
        )
    keep = y_all.notna()
    for cov in covariates:
        keep &= frame[cov].notna()
    dropped = int((~keep).sum())
    if dropped:
        notes.append(f"dropped {dropped} row(s) with a missing outcome or covariate")
    return frame.loc[keep], y_all.loc[keep].to_numpy(dtype=float), notes


def _check_cells(t: np.ndarray, p: np.ndarray) -> None:
    """Every cell of the 2x2 (treated/control x pre/post) has observations."""
    cells = {(ti, pi): int(((t == ti) & (p == pi)).sum()) for ti in (0, 1) for pi in (0, 1)}
    empty = [k for k, v in cells.items() if v == 0]
    if empty:
        names = ", ".join(
            f"{'treated' if ti else 'control'}/{'post' if pi else 'pre'}" for ti, pi in empty
        )
        raise EstimationError(f"{_CONTEXT}: no observations in cell(s) {names}")


def _ordered_periods(s: pd.Series) -> list[Any]:
    if isinstance(s.dtype, pd.CategoricalDtype) and s.cat.ordered:
        return [c for c in s.cat.categories if c in set(s)]
    try:
        return sorted(s.unique())
    except TypeError as err:
        raise DataError(
            f"period column {s.name!r} mixes values that cannot be ordered; use numbers, "
            "dates or an ordered categorical"
        ) from err


class _Periods(NamedTuple):
    order: list[Any]
    pre: list[Any]
    values: np.ndarray


def _check_periods(frame: pd.DataFrame, period: str, post: str, p: np.ndarray) -> _Periods:
    """Periods in order; ``post`` constant within each and every post after every pre."""
    per = frame[period]
    if per.isna().any():
        raise DataError(
            f"{_CONTEXT}: period column {period!r} has missing values at "
            f"{describe_rows(frame.index[per.isna()])}"
        )
    order = _ordered_periods(per)
    post_by_period = pd.Series(p, index=frame.index).groupby(per.to_numpy()).agg(["min", "max"])
    mixed = post_by_period.index[post_by_period["min"] != post_by_period["max"]]
    if len(mixed):
        raise DataError(
            f"{_CONTEXT}: column {post!r} is not constant within period(s) "
            f"{', '.join(map(str, mixed[:5]))} of {period!r}"
        )
    is_post = {k: bool(post_by_period.loc[k, "max"]) for k in order}
    flags = [is_post[k] for k in order]
    if flags != sorted(flags):
        raise DataError(
            f"{_CONTEXT}: every post period must come after every pre period in {period!r}"
        )
    return _Periods(order, [k for k in order if not is_post[k]], per.to_numpy())


def _check_rank(X: pd.DataFrame) -> None:
    rank = np.linalg.matrix_rank(X.to_numpy())
    if rank < X.shape[1]:
        raise EstimationError(
            f"{_CONTEXT}: the design is collinear (rank {rank} < {X.shape[1]} columns); "
            "check that covariates do not duplicate the treated/post indicators"
        )


# ------------------------------------------------------------------ covariance choice


class _Covariance(NamedTuple):
    kind: str
    groups: np.ndarray | None
    n_clusters: int | None
    words: str
    column: str | None = None


def _cluster_groups(
    frame: pd.DataFrame, cluster_col: str, notes: list[str]
) -> tuple[np.ndarray, int]:
    cl = frame[cluster_col]
    if cl.isna().any():
        raise DataError(
            f"{_CONTEXT}: cluster column {cluster_col!r} has missing values at "
            f"{describe_rows(frame.index[cl.isna()])}"
        )
    groups = pd.factorize(cl)[0]
    n_clusters = int(groups.max()) + 1
    if n_clusters < 2:
        raise EstimationError(f"{_CONTEXT}: only one cluster in {cluster_col!r}")
    return groups, n_clusters


def _choose_covariance(
    frame: pd.DataFrame,
    se: str | None,
    unit: str | None,
    cluster: str | None,
    notes: list[str],
) -> _Covariance:
    """The covariance of :func:`did`: ``se`` if given; else cluster by ``cluster``, else by
    ``unit`` when units repeat (a note says so), else HC1."""
    se_kind = se
    cluster_col = cluster
    if se_kind is None:
        if cluster is not None:
            se_kind = "cluster"
        elif unit is not None and frame[unit].duplicated().any():
            se_kind, cluster_col = "cluster", unit
            notes.append(f"units in {unit!r} repeat across periods: errors clustered by {unit!r}")
        else:
            se_kind = "HC1"
    if se_kind not in _SE_KINDS:
        raise DataError(f"{_CONTEXT}: se must be one of {_SE_KINDS} or None, got {se!r}")
    if se_kind != "cluster":
        return _Covariance(se_kind, None, None, _SE_WORDS[se_kind])
    cluster_col = cluster_col or unit
    if cluster_col is None:
        raise DataError(f"{_CONTEXT}: se='cluster' needs cluster= or unit= (a column name)")
    groups, n_clusters = _cluster_groups(frame, cluster_col, notes)
    words = f"cluster-robust (CR1) standard errors by {cluster_col}"
    return _Covariance(se_kind, groups, n_clusters, words, cluster_col)


# ---------------------------------------------------------------------- design and fit


def _design_columns(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Covariates as numeric design columns; text/categorical ones become 0/1 dummies
    (first level dropped).  Names are only used as labels, never evaluated."""
    parts: list[pd.DataFrame] = []
    for col in columns:
        s = frame[col]
        if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
            parts.append(pd.DataFrame({col: s.astype(float)}, index=frame.index))
        else:
            dummies = pd.get_dummies(s.astype("category"), prefix=col, prefix_sep="=")
            parts.append(dummies.iloc[:, 1:].astype(float))
    if not parts:
        return pd.DataFrame(index=frame.index)
    return pd.concat(parts, axis=1)


def _fit_ols(y: np.ndarray, X: pd.DataFrame, cov: _Covariance) -> RegressionResultsWrapper:
    """``statsmodels.OLS`` with t inference; CR1 cluster covariance (df G − 1) or HC/classical
    (residual df), as statsmodels and Stata compute them."""
    import statsmodels.api as sm

    model = sm.OLS(y, X)
    if cov.kind == "cluster":
        return model.fit(cov_type="cluster", cov_kwds={"groups": cov.groups}, use_t=True)
    return model.fit(cov_type=cov.kind, use_t=True)


def _inference_df(fit: RegressionResultsWrapper, cov: _Covariance) -> float:
    return fit.df_resid_inference if cov.kind == "cluster" else fit.df_resid


def _event_study(
    y: np.ndarray,
    X_es: pd.DataFrame,
    periods: _Periods,
    cov: _Covariance,
    confidence: float,
) -> tuple[pd.DataFrame, PreTrendTest]:
    """Coefficients of treated × period (reference: the last pre-period, fixed at 0) and the
    joint Wald F test that every earlier pre-period coefficient is zero (placebo test;
    Angrist & Pischke 2009, §5.2)."""
    ref = periods.pre[-1]
    fit_es = _fit_ols(y, X_es, cov)
    q = t_quantile(confidence, _inference_df(fit_es, cov))
    rows = []
    for k in periods.order:
        name = f"treated:period={k}"
        if k == ref:
            rows.append((k, 0.0, 0.0, 0.0, 0.0, np.nan, True))
            continue
        b, s = float(fit_es.params[name]), float(fit_es.bse[name])
        rows.append((k, b, s, b - q * s, b + q * s, float(fit_es.pvalues[name]), False))
    event_study = pd.DataFrame(
        rows,
        columns=["period", "estimate", "se", "ci_low", "ci_high", "p_value", "reference"],
    )
    placebo = [f"treated:period={k}" for k in periods.pre if k != ref]
    R = np.zeros((len(placebo), X_es.shape[1]))
    for i, name in enumerate(placebo):
        R[i, list(X_es.columns).index(name)] = 1.0
    ftest = fit_es.f_test(R)
    pre_trend = PreTrendTest(
        statistic=float(np.squeeze(ftest.fvalue)),
        df_num=int(ftest.df_num),
        df_denom=float(ftest.df_denom),
        p_value=float(ftest.pvalue),
    )
    return event_study, pre_trend


class _Design(NamedTuple):
    X: pd.DataFrame
    words: str
    event_study: pd.DataFrame | None
    pre_trend: PreTrendTest | None


def _did_design(
    frame: pd.DataFrame,
    y: np.ndarray,
    t: np.ndarray,
    p: np.ndarray,
    covariates: Sequence[str],
    period: str | None,
    post: str,
    cov: _Covariance,
    confidence: float,
) -> _Design:
    """The 2x2 design (const, treated, post, treated:post, covariates) or, with ``period``,
    period fixed effects in place of ``post`` plus the event study."""
    cov_X = _design_columns(frame, covariates)
    X = pd.DataFrame({"const": 1.0, "treated": t}, index=frame.index)
    if period is None:
        X["post"] = p
        X["treated:post"] = t * p
        return _Design(pd.concat([X, cov_X], axis=1), "OLS difference-in-differences", None, None)
    periods = _check_periods(frame, period, post, p)
    dummies = pd.DataFrame(
        {f"period={k}": (periods.values == k).astype(float) for k in periods.order[1:]},
        index=frame.index,
    )
    X_main = pd.concat([X, dummies], axis=1)
    X_main["treated:post"] = t * p
    X_main = pd.concat([X_main, cov_X], axis=1)
    event_study: pd.DataFrame | None = None
    pre_trend: PreTrendTest | None = None
    if len(periods.pre) >= 2:
        ref = periods.pre[-1]
        inter = pd.DataFrame(
            {f"treated:period={k}": t * (periods.values == k) for k in periods.order if k != ref},
            index=frame.index,
        )
        X_es = pd.concat([X, dummies, inter, cov_X], axis=1)
        event_study, pre_trend = _event_study(y, X_es, periods, cov, confidence)
    words = "OLS difference-in-differences with period fixed effects"
    return _Design(X_main, words, event_study, pre_trend)


def _group_means(y: np.ndarray, t: np.ndarray, p: np.ndarray) -> pd.DataFrame:
    means = []
    for ti, gname in ((1, "treated"), (0, "control")):
        for pi, pname in ((0, "pre"), (1, "post")):
            m = (t == ti) & (p == pi)
            means.append((gname, pname, float(y[m].mean()), int(m.sum())))
    return pd.DataFrame(means, columns=["group", "period", "mean", "n"])


def _few_cluster_inference(
    effect: Effect,
    frame: pd.DataFrame,
    y: np.ndarray,
    t: np.ndarray,
    design: _Design,
    cov: _Covariance,
    names: tuple[str, str],
    inference: str,
    seed: int,
) -> Effect:
    """The interval and p-value :mod:`impactkit.effects.wild.choice` picks for a clustered
    DiD (CR1, wild cluster bootstrap, or the placebo p-value with one treated cluster)."""
    if cov.kind != "cluster" or cov.groups is None or cov.column is None:
        return effect
    column = cov.column
    labels = frame[column].to_numpy()
    treated_clusters = int(pd.Series(labels[t == 1]).nunique())

    def placebo() -> tuple[float, int] | None:
        from .wild.placebo import placebo_p_value

        cells = frame.assign(_did_y=y)
        try:
            res = placebo_p_value(cells, "_did_y", treated=names[0], post=names[1], cluster=column)
        except (DataError, EstimationError):
            return None
        return res.p_value, len(res.placebos)

    return cluster_inference(
        effect,
        y=y,
        X=design.X,
        groups=labels,
        coef="treated:post",
        treated=treated_clusters,
        inference=inference,
        seed=seed,
        placebo=placebo,
    )


# ---------------------------------------------------------------------------- estimator


def did(
    data: pd.DataFrame,
    outcome: str,
    treated: str,
    post: str,
    *,
    unit: str | None = None,
    cluster: str | None = None,
    covariates: Sequence[str] = (),
    se: str | None = None,
    confidence: float = 0.95,
    label: str | None = None,
    period: str | None = None,
    inference: str = "auto",
    seed: int = DEFAULT_SEED,
) -> DiDResult:
    """Difference-in-differences by OLS: the coefficient of treated × post.

    Model (Angrist & Pischke 2009, ch. 5; references.md)::

        y = b0 + b1·treated + b2·post + b3·treated×post [+ covariates]

    b3 = (Ȳ_T,post − Ȳ_T,pre) − (Ȳ_C,post − Ȳ_C,pre) without covariates.  With
    ``period=`` the post dummy is replaced by period fixed effects (common-timing
    two-way model) and an event study is fitted as well (see Returns).  The design matrix
    is built directly and fitted with ``statsmodels.OLS``; no formula strings.

    Parameters
    ----------
    data
        One row per observation (panel of units or repeated cross-sections).  Not modified.
    outcome
        Numeric outcome column; rows with a missing outcome or covariate are dropped
        (counted in ``notes``).
    treated, post
        0/1 or boolean columns: treated group, post-change period.
    unit
        Column identifying units (stores, villages...).  When units repeat across rows and
        ``se`` is ``None``, errors are clustered by unit.  The model keeps a treated dummy
        rather than unit fixed effects (identical estimate in a balanced panel).
    cluster
        Column to cluster on (defaults to ``unit`` when ``se="cluster"``).
    covariates
        Extra numeric columns (text columns become dummies).
    se
        ``"nonrobust"``, ``"HC0"``–``"HC3"`` or ``"cluster"`` (CR1: small-sample factor
        G/(G−1)·(N−1)/(N−K), as statsmodels and Stata).  Default ``None``: cluster by
        ``cluster`` if given, else by ``unit`` if units repeat, else HC1.
    confidence
        Interval level.
    label
        Outcome name for summaries (default: ``outcome``).
    period
        Optional column of period labels (numbers, dates, or an ordered categorical).
        ``post`` must be constant within a period, and every post period must come after
        every pre period.
    inference
        With cluster-robust errors: ``"auto"`` (default) uses the restricted wild cluster
        bootstrap for the interval and p-value when there are fewer than 30 clusters or fewer
        than 10 treated clusters, and with a single treated cluster reports no interval and the
        randomisation-inference (placebo) p-value (:mod:`impactkit.effects.wild.choice`);
        ``"wild"`` always bootstraps; ``"cr1"`` keeps the CR1 interval (with a note when
        clusters are few).
    seed
        Seed of the bootstrap draws (the same seed gives the same interval).

    Returns
    -------
    DiDResult
        ``effect`` (with ``baseline`` = treated pre-period mean), the 2×2 ``group_means``
        table, and — with ``period`` and at least two pre-periods — the event study
        (coefficients of treated × period, reference = last pre-period) and the joint
        pre-trend (placebo) F test that every earlier pre-period coefficient is zero.

    Notes
    -----
    Inference uses the t distribution: residual df for non-robust and HC errors,
    G − 1 for cluster-robust errors (statsmodels ``use_t=True``).  With few clusters see
    ``inference``; the event study and pre-trend test keep CR1 errors.
    """
    confidence = check_confidence(confidence)
    check_inference(inference, _CONTEXT)
    data = as_pandas(data, _CONTEXT)
    cols = [outcome, treated, post, *covariates]
    cols += [c for c in (unit, cluster, period) if c is not None]
    frame, y, notes = _check_rows(data, outcome, covariates, cols)
    check_varies(y, _CONTEXT, minimum=4)
    t = binary(frame[treated], treated, _CONTEXT)
    p = binary(frame[post], post, _CONTEXT)
    _check_cells(t, p)
    cov = _choose_covariance(frame, se, unit, cluster, notes)
    design = _did_design(frame, y, t, p, covariates, period, post, cov, confidence)
    _check_rank(design.X)
    fit = _fit_ols(y, design.X, cov)
    check_residual_variation(y, np.asarray(fit.resid), _CONTEXT)
    q = t_quantile(confidence, _inference_df(fit, cov))
    est = float(fit.params["treated:post"])
    s = float(fit.bse["treated:post"])
    design_words = design.words
    if covariates:
        design_words += f", adjusted for {', '.join(covariates)}"
    group_means = _group_means(y, t, p)
    effect = Effect(
        estimate=est,
        se=s,
        ci_low=est - q * s,
        ci_high=est + q * s,
        p_value=float(fit.pvalues["treated:post"]),
        n=int(fit.nobs),
        confidence=confidence,
        method=f"{design_words}, {cov.words}",
        baseline=group_means["mean"].iloc[0],
        effect_size=None,
        notes=tuple(notes),
        label=label or outcome,
    )
    effect = _few_cluster_inference(
        effect, frame, y, t, design, cov, (treated, post), inference, seed
    )
    return DiDResult(effect, group_means, cov.n_clusters, design.pre_trend, design.event_study)
