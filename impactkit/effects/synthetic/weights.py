"""Unit and time weights of synthetic control and synthetic difference-in-differences.

The weights are found by the Frank-Wolfe algorithm with exact line search on the unit
simplex, as in Arkhangelsky, Athey, Hirshberg, Imbens & Wager (2021), "Synthetic
Difference-in-Differences", *American Economic Review* 111(12), Algorithm 1 and its
online appendix, in the form of the authors' R package ``synthdid`` (version 0.0.9):

* unit weights ``omega`` minimise ``zeta^2 * T_pre * |omega|^2 + |a + Y_co,pre' omega -
  ybar_tr,pre|^2`` over the simplex (``a`` an intercept for SDID, none for SC);
* time weights ``lambda`` minimise ``zeta_l^2 * N_co * |lambda|^2 + |b + Y_co,pre lambda -
  ybar_co,post|^2`` over the simplex;
* ``zeta_omega = (N_tr * T_post)^(1/4) * sigma`` with ``sigma`` the standard deviation of
  the first differences of the control units' pre-period outcomes, ``zeta_lambda = 1e-6 *
  sigma``;
* each weight vector is optimised for at most 100 iterations, "sparsified" (entries at or
  below a quarter of the largest are set to zero, the rest renormalised) and optimised
  again from there; iteration stops when the penalised objective decreases by less than
  ``(1e-5 * sigma)^2`` or after 10,000 iterations;
* with time-varying covariates the outcome is residualised on them, ``Y - X beta``, with
  ``beta`` updated by ``1/t`` gradient steps between Frank-Wolfe steps.

Synthetic control (Abadie, Diamond & Hainmueller 2010, JASA 105(490), 493-505) is the
special case without intercept, with an infinitesimal ridge (``eta = 1e-6``) and zero time
weights; plain difference-in-differences has uniform weights.

Validated against: the published R ``synthdid`` 0.0.9 estimates on California's
Proposition 99 (``tests/synthetic/test_synth_reference.py``): SDID -15.60383, SC
-19.61966, DiD -27.34911, each reproduced to 1e-4; and the Frank-Wolfe optimum against an
independent solver (``scipy.optimize.minimize`` with SLSQP on the simplex).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "Method",
    "Options",
    "Weights",
    "collapsed_form",
    "noise_level",
    "sparsify",
    "fw_step",
    "fw_step_batch",
    "simplex_fw",
    "simplex_fw_covariates",
    "fit_weights",
    "fit_weights_stack",
    "estimate_stack",
    "collapsed_stack",
    "sparsify_rows",
    "options_for",
    "estimate_from",
]

Array = NDArray[np.float64]
Method = Literal["sc", "sdid", "did"]


@dataclass(frozen=True)
class Options:
    """Tuning of one fit, kept so that placebo refits use the same penalties.

    ``zeta_omega`` and ``zeta_lambda`` are the ridge penalties (already multiplied by the
    noise level); ``omega_intercept`` / ``lambda_intercept`` say whether the fit allows a
    level shift; ``fixed_omega`` / ``fixed_lambda`` mean the weights are not optimised
    (uniform for DiD, zero time weights for SC).
    """

    method: Method
    zeta_omega: float
    zeta_lambda: float
    min_decrease: float
    omega_intercept: bool = True
    lambda_intercept: bool = True
    fixed_omega: bool = False
    fixed_lambda: bool = False
    max_iter: int = 10_000
    max_iter_pre_sparsify: int = 100
    sparsify: bool = True


@dataclass(frozen=True)
class Weights:
    """Unit weights ``omega`` (controls), time weights ``lambda_`` (pre-periods), ``beta``."""

    omega: Array
    lambda_: Array
    beta: Array = field(default_factory=lambda: np.zeros(0))
    iterations: int = 0


def collapsed_form(y: Array, n0: int, t0: int) -> Array:
    """Average the treated rows and the post-period columns: an ``(N0+1) x (T0+1)`` matrix."""
    top = np.column_stack([y[:n0, :t0], y[:n0, t0:].mean(axis=1)])
    bottom = np.append(y[n0:, :t0].mean(axis=0), y[n0:, t0:].mean())
    return np.vstack([top, bottom])


def noise_level(y: Array, n0: int, t0: int) -> float:
    """Standard deviation (n - 1 denominator) of the controls' pre-period first differences.

    This is ``sigma`` of Arkhangelsky et al. (2021), eq. (2.4) and footnote; ``synthdid``
    computes it as ``sd(apply(Y[1:N0, 1:T0], 1, diff))``.
    """
    diffs = np.diff(y[:n0, :t0], axis=1)
    if diffs.size < 2:
        return 0.0
    return float(np.std(diffs, ddof=1))


def sparsify(v: Array) -> Array:
    """Zero the entries at or below a quarter of the largest and renormalise to sum 1
    (``synthdid``'s ``sparsify_function``)."""
    return sparsify_rows(v)


def fw_step(a: Array, x: Array, b: Array, eta: float, ax: Array | None = None) -> Array:
    """One Frank-Wolfe step with exact line search for ``|A x - b|^2 + eta |x|^2`` on the
    simplex (Frank & Wolfe 1956; the step is the closed-form minimiser along the segment
    towards the vertex with the smallest gradient coordinate).  ``ax`` is ``A x`` when the
    caller has it already."""
    if ax is None:
        ax = a @ x
    half_grad = (ax - b) @ a + eta * x
    i = int(np.argmin(half_grad))
    d_x = -x.copy()
    d_x[i] = 1.0 - x[i]
    if not np.any(d_x):
        return x
    d_err = a[:, i] - ax
    denom = float(d_err @ d_err + eta * (d_x @ d_x))
    if denom <= 0:
        return x
    step = -float(half_grad @ d_x) / denom
    return x + min(1.0, max(0.0, step)) * d_x


def fw_step_batch(a: Array, x: Array, b: Array, eta: Array, ax: Array | None = None) -> Array:
    """:func:`fw_step` for a stack of problems: ``a`` is ``R x n x k``, ``x`` ``R x k``,
    ``b`` ``R x n``, ``eta`` ``R``; each row of the result is that problem's step.  ``ax``
    is ``A x`` when the caller has it already (the same product, not recomputed)."""
    if ax is None:
        ax = np.matmul(a, x[:, :, None])[:, :, 0]
    half_grad = np.matmul((ax - b)[:, None, :], a)[:, 0, :] + eta[:, None] * x
    idx = np.argmin(half_grad, axis=1)
    rows = np.arange(x.shape[0])
    d_x = -x.copy()
    d_x[rows, idx] = 1.0 - x[rows, idx]
    d_err = a[rows, :, idx] - ax
    denom = (d_err * d_err).sum(axis=1) + eta * (d_x * d_x).sum(axis=1)
    num = -(half_grad * d_x).sum(axis=1)
    safe = denom > 0
    step = np.where(safe, num / np.where(safe, denom, 1.0), 0.0)
    return x + np.clip(step, 0.0, 1.0)[:, None] * d_x


def _fw_single(
    a: Array, b: Array, w: Array, zeta: float, threshold: float, max_iter: int
) -> tuple[Array, int]:
    n = a.shape[0]
    eta = n * zeta**2
    previous = current = np.inf
    t = 0
    ax = None
    while t < max_iter and (t < 2 or previous - current > threshold):
        t += 1
        w = fw_step(a, w, b, eta, ax)
        ax = a @ w
        err = ax - b
        previous, current = current, zeta**2 * float(w @ w) + float(err @ err) / n
    return w, t


def _fw_stack(
    a: Array, b: Array, w: Array, zeta: Array, threshold: Array, max_iter: int
) -> tuple[Array, int]:
    """Iterate every problem of the stack until its own stopping rule holds; the problems
    still running are gathered into a smaller stack whenever one stops (the arithmetic of
    each problem is the same as alone)."""
    n = a.shape[1]
    w = w.copy()
    idx = np.arange(a.shape[0])  # the problems still running
    a_i, b_i, z_i, th_i, w_i = a, b, zeta, threshold, w.copy()
    eta_i = n * z_i**2
    previous = np.full(len(idx), np.inf)
    current = np.full(len(idx), np.inf)
    t = 0
    ax = None
    while t < max_iter and len(idx):
        t += 1
        w_i = fw_step_batch(a_i, w_i, b_i, eta_i, ax)
        ax = np.matmul(a_i, w_i[:, :, None])[:, :, 0]
        err = ax - b_i
        previous, current = current, z_i**2 * (w_i * w_i).sum(axis=1) + (err * err).sum(axis=1) / n
        w[idx] = w_i
        if t >= 2:
            keep = previous - current > th_i
            if not keep.all():
                idx, a_i, b_i, w_i, ax = idx[keep], a_i[keep], b_i[keep], w_i[keep], ax[keep]
                z_i, th_i, eta_i = z_i[keep], th_i[keep], eta_i[keep]
                previous, current = previous[keep], current[keep]
    return w, t


def simplex_fw(
    y: Array,
    zeta: float | Array,
    *,
    intercept: bool,
    start: Array | None,
    min_decrease: float | Array,
    max_iter: int,
) -> tuple[Array, int]:
    """Frank-Wolfe for weights on the columns ``0..k-1`` of ``y`` that reproduce its last
    column: minimise ``zeta^2 |w|^2 + |Y[:, :k] w - Y[:, k]|^2 / n`` (columns demeaned
    first when ``intercept``).  Stops when an iteration lowers the objective by less than
    ``min_decrease^2`` or after ``max_iter`` iterations (``synthdid``'s ``sc.weight.fw``).

    ``y`` may be a stack ``R x n x (k+1)`` of problems of one shape (``start`` then
    ``R x k``, ``zeta`` and ``min_decrease`` scalars or length ``R``): each is iterated
    and stopped on its own, in one vectorised loop.  Returns the weights and the largest
    number of iterations.
    """
    k = y.shape[-1] - 1
    if intercept:
        y = y - y.mean(axis=-2, keepdims=True)
    if y.ndim == 2:
        w0 = np.full(k, 1.0 / k) if start is None else np.array(start, dtype=float)
        return _fw_single(y[:, :k], y[:, k], w0, float(zeta), float(min_decrease) ** 2, max_iter)
    r = y.shape[0]
    w0 = np.full((r, k), 1.0 / k) if start is None else np.array(start, dtype=float)
    zetas = np.broadcast_to(np.asarray(zeta, dtype=float), (r,))
    thresholds = np.broadcast_to(np.asarray(min_decrease, dtype=float), (r,)) ** 2
    return _fw_stack(y[:, :, :k], y[:, :, k], w0, zetas, thresholds, max_iter)


def sparsify_rows(v: Array) -> Array:
    """:func:`sparsify` applied to each row of ``v`` (or to ``v`` itself when 1-d)."""
    out = np.where(v <= v.max(axis=-1, keepdims=True) / 4, 0.0, v)
    return out / out.sum(axis=-1, keepdims=True)


def _fw_sparse(
    y: Array,
    zeta: float | Array,
    intercept: bool,
    start: Array | None,
    opts: Options,
    min_decrease: float | Array,
) -> tuple[Array, int]:
    """A first short round, sparsification, and a second round (``synthdid``'s default)."""
    first_iter = opts.max_iter_pre_sparsify if opts.sparsify else opts.max_iter
    kw = {"intercept": intercept, "min_decrease": min_decrease}
    w, n1 = simplex_fw(y, zeta, start=start, max_iter=first_iter, **kw)  # type: ignore[arg-type]
    if not opts.sparsify:
        return w, n1
    w, n2 = simplex_fw(y, zeta, start=sparsify_rows(w), max_iter=opts.max_iter, **kw)  # type: ignore[arg-type]
    return w, n1 + n2


def collapsed_stack(ys: Array, n0: int, t0: int) -> Array:
    """:func:`collapsed_form` of each panel in a stack ``R x N x T``."""
    top = np.concatenate([ys[:, :n0, :t0], ys[:, :n0, t0:].mean(axis=2, keepdims=True)], axis=2)
    bottom = np.concatenate(
        [ys[:, n0:, :t0].mean(axis=1), ys[:, n0:, t0:].mean(axis=(1, 2))[:, None]], axis=1
    )
    return np.concatenate([top, bottom[:, None, :]], axis=1)


def fit_weights_stack(
    ys: Array,
    n0: int,
    t0: int,
    opts: Options,
    *,
    omega0: Array | None = None,
    lambda0: Array | None = None,
    zeta_omega: Array | None = None,
    zeta_lambda: Array | None = None,
    min_decrease: Array | None = None,
) -> tuple[Array, Array]:
    """Unit weights ``R x n0`` and time weights ``R x t0`` for a stack of panels of one
    shape (placebo refits); per-panel penalties override those of ``opts`` when given."""
    r = ys.shape[0]
    yc = collapsed_stack(ys, n0, t0)
    md = opts.min_decrease if min_decrease is None else min_decrease
    if opts.fixed_lambda:
        lam = np.zeros((r, t0)) if opts.method == "sc" else np.full((r, t0), 1.0 / t0)
    else:
        zl = opts.zeta_lambda if zeta_lambda is None else zeta_lambda
        lam, _ = _fw_sparse(yc[:, :n0, :], zl, opts.lambda_intercept, lambda0, opts, md)
    if opts.fixed_omega:
        om = np.full((r, n0), 1.0 / n0)
    else:
        zo = opts.zeta_omega if zeta_omega is None else zeta_omega
        y_om = np.transpose(yc[:, :, :t0], (0, 2, 1))
        om, _ = _fw_sparse(y_om, zo, opts.omega_intercept, omega0, opts, md)
    return om, lam


def estimate_stack(ys: Array, n0: int, t0: int, omega: Array, lam: Array) -> Array:
    """:func:`estimate_from` for each panel of a stack (no covariates)."""
    n1, t1 = ys.shape[1] - n0, ys.shape[2] - t0
    rows = np.concatenate([-omega, np.full((omega.shape[0], n1), 1.0 / n1)], axis=1)
    cols = np.concatenate([-lam, np.full((lam.shape[0], t1), 1.0 / t1)], axis=1)
    return np.einsum("rn,rnt,rt->r", rows, ys, cols)


def fit_weights(
    y: Array,
    n0: int,
    t0: int,
    opts: Options,
    *,
    x: Array | None = None,
    start: Weights | None = None,
) -> Weights:
    """Unit and time weights for the panel ``y`` (controls in rows ``0..n0-1``, pre-periods
    in columns ``0..t0-1``), optionally with covariates ``x`` of shape ``N x T x C``.

    ``start`` initialises the weights (and fixes them where ``opts`` says so).
    """
    omega0 = start.omega if start is not None else None
    lambda0 = start.lambda_ if start is not None else None
    if opts.fixed_lambda and lambda0 is None:
        lambda0 = np.zeros(t0) if opts.method == "sc" else np.full(t0, 1.0 / t0)
    if opts.fixed_omega and omega0 is None:
        omega0 = np.full(n0, 1.0 / n0)
    if x is not None and x.shape[2] > 0:
        return simplex_fw_covariates(y, x, n0, t0, opts, omega=omega0, lambda_=lambda0)
    yc = collapsed_form(y, n0, t0)
    iterations = 0
    if opts.fixed_lambda:
        lam = np.asarray(lambda0, dtype=float)
    else:
        lam, it = _fw_sparse(
            yc[:n0, :], opts.zeta_lambda, opts.lambda_intercept, lambda0, opts, opts.min_decrease
        )
        iterations += it
    if opts.fixed_omega:
        om = np.asarray(omega0, dtype=float)
    else:
        om, it = _fw_sparse(
            yc[:, :t0].T, opts.zeta_omega, opts.omega_intercept, omega0, opts, opts.min_decrease
        )
        iterations += it
    return Weights(omega=om, lambda_=lam, iterations=iterations)


def _demeaned(m: Array, on: bool) -> Array:
    return m - m.mean(axis=0) if on else m


def _covariate_weights_step(
    y: Array, n0: int, t0: int, opts: Options, omega: Array, lam: Array
) -> tuple[float, Array, Array, Array, Array]:
    """One Frank-Wolfe step on each weight vector for the residualised collapsed panel."""
    y_l = _demeaned(y[:n0, :], opts.lambda_intercept)
    if not opts.fixed_lambda:
        lam = fw_step(y_l[:, :t0], lam, y_l[:, t0], n0 * opts.zeta_lambda**2)
    err_l = y_l @ np.append(lam, -1.0)
    y_o = _demeaned(y[:, :t0].T, opts.omega_intercept)
    if not opts.fixed_omega:
        omega = fw_step(y_o[:, :n0], omega, y_o[:, n0], t0 * opts.zeta_omega**2)
    err_o = y_o @ np.append(omega, -1.0)
    val = (
        opts.zeta_omega**2 * float(omega @ omega)
        + opts.zeta_lambda**2 * float(lam @ lam)
        + float(err_o @ err_o) / t0
        + float(err_l @ err_l) / n0
    )
    return val, omega, lam, err_o, err_l


def simplex_fw_covariates(
    y: Array,
    x: Array,
    n0: int,
    t0: int,
    opts: Options,
    *,
    omega: Array | None = None,
    lambda_: Array | None = None,
) -> Weights:
    """Weights and covariate coefficients ``beta`` for ``Y - X beta`` (Arkhangelsky et al.
    2021, Section 2 footnote on covariates; ``synthdid``'s ``sc.weight.fw.covariates``):
    alternate one Frank-Wolfe step on ``lambda`` and ``omega`` with a ``1/t`` gradient step
    on ``beta``, until the objective changes by less than ``min_decrease^2``."""
    yc = collapsed_form(y, n0, t0)
    xc = np.stack([collapsed_form(x[:, :, c], n0, t0) for c in range(x.shape[2])], axis=2)
    om = np.full(n0, 1.0 / n0) if omega is None else omega.astype(float).copy()
    lam = np.full(t0, 1.0 / t0) if lambda_ is None else lambda_.astype(float).copy()
    beta = np.zeros(x.shape[2])
    _, om, lam, err_o, err_l = _covariate_weights_step(yc, n0, t0, opts, om, lam)
    threshold = opts.min_decrease**2
    previous = current = np.inf
    t = 0
    while t < opts.max_iter and (t < 2 or abs(previous - current) > threshold):
        t += 1
        grad = np.array(
            [
                -(
                    float(err_l @ xc[:n0, :, c] @ np.append(lam, -1.0)) / n0
                    + float(err_o @ xc[:, :t0, c].T @ np.append(om, -1.0)) / t0
                )
                for c in range(x.shape[2])
            ]
        )
        beta = beta - grad / t
        y_beta = yc - xc @ beta
        val, om, lam, err_o, err_l = _covariate_weights_step(y_beta, n0, t0, opts, om, lam)
        previous, current = current, val
    return Weights(omega=om, lambda_=lam, beta=beta, iterations=t)


def options_for(
    method: Method, y: Array, n0: int, t0: int, *, eta_omega: float | None = None
) -> Options:
    """The default tuning of ``synthdid_estimate`` / ``sc_estimate`` / ``did_estimate``.

    ``zeta_omega = (N_tr T_post)^(1/4) sigma`` for SDID (Arkhangelsky et al. 2021, eq. 2.4),
    ``1e-6 sigma`` for SC; ``zeta_lambda = 1e-6 sigma``; stopping at ``1e-5 sigma``.
    """
    sigma = noise_level(y, n0, t0)
    n1, t1 = y.shape[0] - n0, y.shape[1] - t0
    if eta_omega is None:
        eta_omega = (n1 * t1) ** 0.25 if method == "sdid" else 1e-6
    base = Options(method, eta_omega * sigma, 1e-6 * sigma, 1e-5 * sigma)
    if method == "sc":
        return replace(base, omega_intercept=False, fixed_lambda=True)
    if method == "did":
        return replace(base, fixed_omega=True, fixed_lambda=True)
    return base


def estimate_from(y: Array, n0: int, t0: int, w: Weights, x: Array | None = None) -> float:
    """``(-omega, 1/N_tr) (Y - X beta) (-lambda, 1/T_post)'``: the weighted double
    difference of Arkhangelsky et al. (2021), eq. (2.3)."""
    n1, t1 = y.shape[0] - n0, y.shape[1] - t0
    adj = y if x is None or x.shape[2] == 0 else y - x @ w.beta
    rows = np.append(-w.omega, np.full(n1, 1.0 / n1))
    cols = np.append(-w.lambda_, np.full(t1, 1.0 / t1))
    return float(rows @ adj @ cols)
