"""Random-effects meta-analysis of initiatives that measured the same indicator on the same scale.

Model: y_i = mu + u_i + e_i, u_i ~ N(0, tau^2), e_i ~ N(0, v_i) with v_i = se_i^2 known.

* DerSimonian & Laird (1986), *Controlled Clinical Trials* 7:177-188: tau^2 =
  max(0, (Q - (k - 1)) / (sum w - sum w^2 / sum w)) with w = 1 / v and Cochran's
  Q = sum w (y - y_FE)^2.
* REML: Fisher scoring on the restricted log-likelihood (Viechtbauer 2005, *J. Educ. Behav.
  Stat.* 30:261-293, eqs. 6-11): tau^2 += (sum w*^2 (y - mu)^2 - tr P) / tr(P P), with
  w* = 1 / (v + tau^2), P = W* - W* 1 1' W* / sum w*, truncated at 0.
* Pooled mu = sum w* y / sum w*, se = (sum w*)^-1/2, normal (Wald) interval.
* I^2 = tau^2 / (tau^2 + s^2), s^2 = (k - 1) sum w / ((sum w)^2 - sum w^2) (Higgins &
  Thompson 2002, *Stat. Med.* 21:1539-1558, eqs. 9-10; equals (Q - df) / Q for DL).

Validated against statsmodels.stats.meta_analysis.combine_effects (DL: estimate, se, interval,
tau^2, Q, I^2 to 1e-10) and the published BCG vaccine results (Colditz et al. 1994, 13 trials,
log risk ratios; metafor's ``rma``: DL -0.7141 (se 0.1787, tau^2 0.3088, I^2 92.12 %),
REML -0.7145 (se 0.1798, tau^2 0.3132, I^2 92.22 %), Q 152.23): see
tests/portfolio/test_portfolio_meta.py.

Effects are pooled only within one (indicator id, scale): never across indicators or scales.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from impactkit.errors import DataError, EstimationError
from impactkit.portfolio.records import InitiativeRecord
from impactkit.results import Result

__all__ = ["MetaAnalysis", "random_effects", "meta_by_indicator", "METHODS"]

METHODS = ("REML", "DL")


@dataclass(frozen=True)
class MetaAnalysis(Result):
    """A random-effects pooled effect with its heterogeneity (tau^2, I^2, Q)."""

    indicator: str
    scale: str
    method: str
    labels: tuple[str, ...]
    estimates: tuple[float, ...]
    ses: tuple[float, ...]
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    tau2: float
    i2: float
    q: float
    q_df: int
    q_p_value: float
    weights: tuple[float, ...]
    confidence: float = 0.95
    notes: tuple[str, ...] = ()

    @property
    def k(self) -> int:
        return len(self.estimates)

    def _title(self) -> str:
        return f"Meta-analysis — {self.indicator} ({self.scale})"

    def summary(self) -> str:
        pct = round(self.confidence * 100)
        what = f"{self.indicator} ({self.scale}), " if self.indicator else ""
        return (
            f"{what}{self.k} estimates, {self.method}: pooled "
            f"{self.estimate:.4g} ({pct}% CI {self.ci_low:.4g} to {self.ci_high:.4g}); "
            f"tau² {self.tau2:.4g}, I² {self.i2:.0%}, Q {self.q:.3g} on {self.q_df} df "
            f"(p {self.q_p_value:.2g})"
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per initiative and a last ``pooled`` row."""
        from scipy.stats import norm

        z = float(norm.ppf(0.5 + self.confidence / 2))
        rows = [
            {
                "label": label,
                "estimate": y,
                "se": s,
                "ci_low": y - z * s,
                "ci_high": y + z * s,
                "weight": w,
            }
            for label, y, s, w in zip(
                self.labels, self.estimates, self.ses, self.weights, strict=True
            )
        ]
        rows.append(
            {
                "label": "pooled",
                "estimate": self.estimate,
                "se": self.se,
                "ci_low": self.ci_low,
                "ci_high": self.ci_high,
                "weight": 1.0,
            }
        )
        return pd.DataFrame(rows)


def _check_inputs(
    estimates: Sequence[float], ses: Sequence[float]
) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(estimates, dtype=float)
    s = np.asarray(ses, dtype=float)
    if y.ndim != 1 or s.shape != y.shape:
        raise DataError(
            f"estimates ({y.shape}) and standard errors ({s.shape}) must be two lists of one length"
        )
    if len(y) < 2:
        raise EstimationError(f"a meta-analysis needs at least 2 estimates; got {len(y)}")
    bad = [
        i for i in range(len(y)) if not (math.isfinite(y[i]) and math.isfinite(s[i]) and s[i] > 0)
    ]
    if bad:
        raise DataError(
            f"estimates/standard errors at positions {bad}: need finite estimates and standard "
            f"errors > 0; got {[(float(y[i]), float(s[i])) for i in bad]}"
        )
    return y, s


def _dl_tau2(y: np.ndarray, v: np.ndarray) -> float:
    w = 1 / v
    mu_fe = float(np.sum(w * y) / np.sum(w))
    q = float(np.sum(w * (y - mu_fe) ** 2))
    c = float(np.sum(w) - np.sum(w**2) / np.sum(w))
    return max(0.0, (q - (len(y) - 1)) / c)


def _reml_tau2(y: np.ndarray, v: np.ndarray, tol: float = 1e-12, max_iter: int = 500) -> float:
    tau2 = _dl_tau2(y, v)
    for _ in range(max_iter):
        w = 1 / (v + tau2)
        mu = np.sum(w * y) / np.sum(w)
        tr_p = np.sum(w) - np.sum(w**2) / np.sum(w)
        tr_pp = np.sum(w**2) - 2 * np.sum(w**3) / np.sum(w) + np.sum(w**2) ** 2 / np.sum(w) ** 2
        step = (np.sum(w**2 * (y - mu) ** 2) - tr_p) / tr_pp
        new = max(0.0, float(tau2 + step))
        if abs(new - tau2) <= tol * max(1.0, tau2):
            return new
        tau2 = new
    raise EstimationError(
        f"REML for tau² did not converge in {max_iter} iterations; use method='DL'"
    )


def random_effects(
    estimates: Sequence[float],
    ses: Sequence[float],
    *,
    method: str = "REML",
    confidence: float = 0.95,
    labels: Sequence[str] | None = None,
    indicator: str = "",
    scale: str = "",
) -> MetaAnalysis:
    """Pool ``estimates`` with standard errors ``ses`` under a random-effects model.

    ``method`` is ``"REML"`` or ``"DL"`` (see the module docstring for formulas, sources and
    what this was validated against).  Inputs are not changed.
    """
    if method not in METHODS:
        raise DataError(f"method {method!r} is not one of {', '.join(METHODS)}")
    if not 0 < confidence < 1:
        raise DataError(f"confidence must be between 0 and 1; got {confidence!r}")
    y, s = _check_inputs(estimates, ses)
    names = tuple(labels) if labels is not None else tuple(f"#{i + 1}" for i in range(len(y)))
    if len(names) != len(y):
        raise DataError(f"{len(names)} labels for {len(y)} estimates")
    from scipy.stats import chi2, norm

    v = s**2
    tau2 = _reml_tau2(y, v) if method == "REML" else _dl_tau2(y, v)
    w_fe = 1 / v
    mu_fe = float(np.sum(w_fe * y) / np.sum(w_fe))
    q = float(np.sum(w_fe * (y - mu_fe) ** 2))
    s2 = (len(y) - 1) * np.sum(w_fe) / (np.sum(w_fe) ** 2 - np.sum(w_fe**2))
    w = 1 / (v + tau2)
    mu = float(np.sum(w * y) / np.sum(w))
    se = float(1 / math.sqrt(np.sum(w)))
    z = float(norm.ppf(0.5 + confidence / 2))
    notes = (
        ("tau² is 0: the spread of the estimates is no larger than chance",) if tau2 == 0 else ()
    )
    return MetaAnalysis(
        indicator=indicator,
        scale=scale,
        method=method,
        labels=names,
        estimates=tuple(float(x) for x in y),
        ses=tuple(float(x) for x in s),
        estimate=mu,
        se=se,
        ci_low=mu - z * se,
        ci_high=mu + z * se,
        tau2=float(tau2),
        i2=float(tau2 / (tau2 + s2)),
        q=q,
        q_df=len(y) - 1,
        q_p_value=float(chi2.sf(q, len(y) - 1)),
        weights=tuple(float(x) for x in w / np.sum(w)),
        confidence=confidence,
        notes=notes,
    )


def meta_by_indicator(
    records: Sequence[InitiativeRecord], *, method: str = "REML", confidence: float = 0.95
) -> tuple[list[MetaAnalysis], list[str]]:
    """One meta-analysis per (indicator id, scale) measured by two or more initiatives.

    Returns the analyses and notes on what was not pooled and why (scale not recorded, the
    same indicator on different scales).  Different indicators are never pooled.
    """
    groups: dict[tuple[str, str], list[tuple[str, float, float]]] = defaultdict(list)
    unscaled: dict[str, list[str]] = defaultdict(list)
    for record in records:
        for effect in record.headline:
            if effect.scale is None:
                unscaled[effect.indicator].append(record.name)
            else:
                groups[(effect.indicator, effect.scale)].append(
                    (record.name, effect.estimate, effect.standard_error)
                )
    notes: list[str] = []
    scales_of: dict[str, list[str]] = defaultdict(list)
    for indicator, scale in groups:
        scales_of[indicator].append(scale)
    for indicator, scales in sorted(scales_of.items()):
        if len(scales) > 1:
            notes.append(
                f"{indicator}: measured on different scales ({', '.join(sorted(scales))}); pooled within each scale only"
            )
    for indicator, names in sorted(unscaled.items()):
        if len(names) + sum(len(groups[(indicator, s)]) for s in scales_of.get(indicator, [])) > 1:
            notes.append(
                f"{indicator}: not pooled for {', '.join(names)}: the effect's scale is not recorded"
            )
    analyses = [
        random_effects(
            [e for _, e, _ in items],
            [s for _, _, s in items],
            method=method,
            confidence=confidence,
            labels=[n for n, _, _ in items],
            indicator=indicator,
            scale=scale,
        )
        for (indicator, scale), items in sorted(groups.items())
        if len(items) >= 2
    ]
    return analyses, notes
