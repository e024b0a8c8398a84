"""The one contract every impactkit result follows, and the effect types shared by all.

Every result object (an effect, a cascade, a survival curve, a design's full result) is a
frozen dataclass that subclasses :class:`Result` and so offers the same five things:

``summary()``
    One or a few sentences in plain words, with the numbers.
``to_frame()``
    A tidy :class:`pandas.DataFrame` with every number of the result.
``notes``
    A tuple of warnings an evaluator should read (empty when there are none).
``confidence``
    The confidence level of every interval in the result (e.g. ``0.95``).
``_repr_html_()``
    Derived from the above (a title, the sentence, the table and the notes), so that
    notebooks show every result the same way.  ``__repr__`` stays short and per class.

A result that carries one main effect subclasses :class:`HasEffect` as well and so exposes
``estimate``, ``se``, ``ci_low``, ``ci_high`` and ``p_value`` of its ``effect`` — the same
names on every design.

:class:`Effect` (one estimated change with its interval) and :class:`EffectSize` (a
standardised effect size) are defined here because every part of the library — effects,
adoption (voltage ratio), charts, analysis and report — passes them around.
:class:`Interval` is the one interval type shared by every formula in
:mod:`impactkit._intervals`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from ._display import fmt, fmt_ci, fmt_p, html_block

__all__ = ["Interval", "Result", "HasEffect", "Effect", "EffectSize"]


@dataclass(frozen=True)
class Interval:
    """A confidence interval: ``low`` to ``high`` at level ``confidence``.

    ``method`` names the formula (e.g. ``"Wilson"``, ``"Clopper-Pearson"``, ``"t"``); the
    formulas live in :mod:`impactkit._intervals`, each with its reference.
    """

    low: float
    high: float
    confidence: float = 0.95
    method: str = ""

    def __iter__(self) -> Iterator[float]:
        """Unpack as ``low, high = interval``."""
        yield self.low
        yield self.high

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies in the closed interval."""
        return self.low <= value <= self.high


class Result:
    """Base class of every result: ``summary``, ``to_frame``, ``notes``, ``confidence``.

    Subclasses are frozen dataclasses that define ``summary()`` and ``to_frame()`` and
    have ``notes`` and ``confidence`` fields or properties.  ``_title()`` names the result
    in its HTML block; ``_html_extra()`` may append further tables.
    """

    if TYPE_CHECKING:  # declared read-only so that subclasses may use fields or properties

        @property
        def notes(self) -> tuple[str, ...]: ...

        @property
        def confidence(self) -> float: ...

    def summary(self) -> str:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def to_frame(self) -> pd.DataFrame:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def _title(self) -> str:
        return type(self).__name__

    def _html_extra(self) -> str:
        return ""

    def _repr_html_(self) -> str:
        block = html_block(self._title(), self.to_frame(), self.notes, self.summary())
        return block + self._html_extra()


class HasEffect:
    """Mixin for results with one main ``effect``: forwards its numbers by the same names.

    The subclass provides ``effect`` (an :class:`Effect`) as a field or a property.
    """

    if TYPE_CHECKING:

        @property
        def effect(self) -> Effect: ...

    @property
    def estimate(self) -> float:
        """The main effect's estimate."""
        return self.effect.estimate

    @property
    def se(self) -> float:
        """The main effect's standard error."""
        return self.effect.se

    @property
    def ci_low(self) -> float:
        """Lower end of the main effect's interval."""
        return self.effect.ci_low

    @property
    def ci_high(self) -> float:
        """Upper end of the main effect's interval."""
        return self.effect.ci_high

    @property
    def p_value(self) -> float:
        """The main effect's two-sided p-value for no change."""
        return self.effect.p_value

    def _effect_repr(self) -> str:
        e = self.effect
        return f"{fmt(e.estimate)} [{fmt(e.ci_low)}, {fmt(e.ci_high)}]"


@dataclass(frozen=True)
class EffectSize(Result):
    """A standardised effect size with its confidence interval.

    ``name`` says which one (e.g. ``"Hedges' g"``, ``"d_z (paired)"``,
    ``"rank-biserial correlation"``).  The formulas and interval methods are those of
    :func:`impactkit.effects.effect_size` (see its docstring for the sources).
    """

    name: str
    value: float
    ci_low: float
    ci_high: float
    confidence: float = 0.95

    @property
    def notes(self) -> tuple[str, ...]:
        """An effect size carries no warnings of its own (see the :class:`Effect`'s)."""
        return ()

    def __str__(self) -> str:
        ci = fmt_ci(self.ci_low, self.ci_high, confidence=self.confidence)
        return f"{self.name} = {fmt(self.value)} ({ci})"

    def summary(self) -> str:
        """``"Hedges' g = 0.512 (95 % CI 0.1 to 0.9)"``."""
        return str(self)

    def to_frame(self) -> pd.DataFrame:
        """One row: ``name``, ``value``, ``ci_low``, ``ci_high``, ``confidence``."""
        row = {
            "name": self.name,
            "value": self.value,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "confidence": self.confidence,
        }
        return pd.DataFrame([row])


@dataclass(frozen=True)
class Effect(Result):
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
    null
        The value meaning "no change": 0 for differences (the default), 1 for ratios such
        as the rate ratios of :func:`impactkit.effects.its`.  :meth:`summary` and
        :func:`impactkit.effects.verdict` use it.
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
    null: float = 0.0

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
            "null": self.null,
        }
        return pd.DataFrame([row])

    def summary(self) -> str:
        """One sentence in plain words with the numbers and the direction.

        For a difference (``null == 0``) the sentence says "increased by" / "decreased by"
        when the interval excludes no change, "changed by" otherwise.  For a ratio
        (``null == 1``, e.g. a rate ratio) it says by what percentage the rate rose or fell.
        """
        ci = fmt_ci(self.ci_low, self.ci_high, confidence=self.confidence)
        name = f"{self.label[:1].upper()}{self.label[1:]}"
        tail = f"{ci}, {fmt_p(self.p_value)}, n = {self.n:,}"
        if self.null != 0:
            return f"{name}: ratio {fmt(self.estimate)} ({tail}); the rate {self._ratio_how()}."
        if self.ci_low > 0:
            direction = "increased by"
        elif self.ci_high < 0:
            direction = "decreased by"
        else:
            direction = "changed by"
        change = fmt(abs(self.estimate)) if direction != "changed by" else fmt(self.estimate)
        rel = ""
        if self.relative is not None:
            rel = f"{100 * self.relative:+.1f} % of the baseline {fmt(self.baseline)}; "
        sentence = f"{name} {direction} {change} ({rel}{tail})"
        if direction == "changed by":
            sentence += "; the interval includes no change"
        return sentence + "."

    def _ratio_how(self) -> str:
        """How a ratio moved, in words: ``"rose by 12.0 %"``, ``"fell by 3.1 %"``, ..."""
        pct = 100 * (self.estimate / self.null - 1)
        if self.ci_low > self.null:
            return f"rose by {abs(pct):.1f} %"
        if self.ci_high < self.null:
            return f"fell by {abs(pct):.1f} %"
        return f"changed by {pct:+.1f} %, and the interval includes no change"

    def __repr__(self) -> str:
        return (
            f"Effect({self.label}: {fmt(self.estimate)} "
            f"[{fmt(self.ci_low)}, {fmt(self.ci_high)}], {fmt_p(self.p_value)}, "
            f"n={self.n}, method={self.method!r})"
        )

    def _title(self) -> str:
        return f"Effect — {self.method}"
