"""Before-and-after impact estimates.

This module holds the result objects shared by every estimator (:class:`Effect`,
:class:`EffectSize`).  The estimators themselves (pre/post, difference-in-differences,
interrupted time series, effect sizes, multiplicity, power) are added beside them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ._display import fmt, fmt_ci, fmt_p, html_block

__all__ = ["Effect", "EffectSize"]


@dataclass(frozen=True)
class EffectSize:
    """A standardised effect size with its confidence interval.

    ``name`` says which one (e.g. ``"Hedges' g"``, ``"d_z (paired)"``,
    ``"rank-biserial correlation"``).
    """

    name: str
    value: float
    ci_low: float
    ci_high: float
    confidence: float = 0.95

    def __str__(self) -> str:
        return f"{self.name} = {fmt(self.value)} ({fmt_ci(self.ci_low, self.ci_high, confidence=self.confidence)})"


@dataclass(frozen=True)
class Effect:
    """One estimated change with its uncertainty.

    Attributes
    ----------
    estimate, se, ci_low, ci_high, p_value
        The change (after minus before, or treated minus control), its standard error,
        the confidence interval at ``confidence``, and the two-sided p-value for no change.
    n
        Number of observations used.
    method
        Estimator and covariance in words, e.g.
        ``"OLS difference-in-differences, cluster-robust (CR1) by store"``.
    baseline
        The comparison level where one exists (e.g. the treated group's pre-period mean);
        ``relative`` is ``estimate / baseline``.
    effect_size
        A standardised effect size where one is defined.
    notes
        Warnings an evaluator should read (few clusters, dropped rows, ...).
    label
        What was estimated (indicator or outcome name), used in summaries and tables.
    """

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    n: int
    confidence: float = 0.95
    method: str = ""
    baseline: float | None = None
    effect_size: EffectSize | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    label: str = "outcome"

    @property
    def relative(self) -> float | None:
        """``estimate / baseline``, or ``None`` when there is no non-zero baseline."""
        if self.baseline is None or self.baseline == 0:
            return None
        return self.estimate / self.baseline

    def to_frame(self) -> pd.DataFrame:
        """One tidy row with every number of the result."""
        es = self.effect_size
        row = {
            "label": self.label,
            "estimate": self.estimate,
            "se": self.se,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "p_value": self.p_value,
            "n": self.n,
            "confidence": self.confidence,
            "baseline": self.baseline,
            "relative": self.relative,
            "effect_size_name": es.name if es else None,
            "effect_size": es.value if es else None,
            "effect_size_ci_low": es.ci_low if es else None,
            "effect_size_ci_high": es.ci_high if es else None,
            "method": self.method,
            "notes": "; ".join(self.notes),
        }
        return pd.DataFrame([row])

    def summary(self) -> str:
        """One sentence in plain words with the numbers and the direction."""
        if self.ci_low > 0:
            direction = "increased"
        elif self.ci_high < 0:
            direction = "decreased"
        else:
            direction = "changed by"
        change = fmt(abs(self.estimate)) if direction != "changed by" else fmt(self.estimate)
        rel = ""
        if self.relative is not None:
            rel = f", {100 * self.relative:+.1f} % of the baseline {fmt(self.baseline)}"
        sentence = (
            f"{self.label[:1].upper()}{self.label[1:]} {direction} {change}{rel} "
            f"({fmt_ci(self.ci_low, self.ci_high, confidence=self.confidence)}, "
            f"{fmt_p(self.p_value)}, n = {self.n:,})"
        )
        if direction == "changed by":
            sentence += "; the interval includes no change"
        return sentence + "."

    def __repr__(self) -> str:
        return (
            f"Effect({self.label}: {fmt(self.estimate)} "
            f"[{fmt(self.ci_low)}, {fmt(self.ci_high)}], {fmt_p(self.p_value)}, "
            f"n={self.n}, method={self.method!r})"
        )

    def _repr_html_(self) -> str:
        return html_block(f"Effect — {self.method}", self.to_frame(), self.notes, self.summary())
