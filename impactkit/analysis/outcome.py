"""The result of one outcome indicator and one sentence of the executive summary."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import pandas as pd

    from ..effects import Effect
    from ..indicators import Indicator

__all__ = ["Finding", "OutcomeResult", "DesignDetail", "Diagnostic", "OtherEffect", "LevelRow"]


class DesignDetail(Protocol):
    """A design's full result (e.g. :class:`~impactkit.effects.DiDResult`,
    :class:`~impactkit.effects.ITSResult`): it reads as words and as a table."""

    def summary(self) -> str: ...

    def to_frame(self) -> pd.DataFrame: ...


@dataclass(frozen=True)
class Finding:
    """One sentence of the executive summary, with its verdict (or ``None``)."""

    text: str
    verdict: str | None = None
    topic: str = ""

    def __str__(self) -> str:
        return f"{self.text} Verdict: {self.verdict}." if self.verdict else self.text


@dataclass(frozen=True)
class Diagnostic:
    """A check of what a design rests on (pre-trend test, treated clusters, residual
    autocorrelation, ...): its value, a p-value where it is a test, a sentence, and a
    ``caveat`` for the cover when the check warns."""

    name: str
    value: float
    p_value: float | None = None
    text: str = ""
    caveat: str | None = None


@dataclass(frozen=True)
class OtherEffect:
    """A further effect reported beside the main one (a rate ratio, a slope change, the
    average post-period change) with its ``scale``: ``difference``, ``percentage points``
    or ``rate ratio``."""

    name: str
    effect: Effect
    scale: str


@dataclass(frozen=True)
class LevelRow:
    """A row of values shown beside the change on the cover, e.g. the comparison group's
    before and after values or the counterfactual (``None`` where a value does not apply)."""

    label: str
    before: float | None
    after: float | None


@dataclass(frozen=True)
class OutcomeResult:
    """The estimated change in one outcome indicator."""

    indicator: Indicator
    effect: Effect | None
    before: float | None
    after: float | None
    p_adjusted: float | None = None
    verdict: str = "inconclusive"
    reason: str = ""
    detail: DesignDetail | None = None  # the design's full result (DiD, ITS) where there is one
    skipped: str | None = None  # why no effect was estimated
    #: the scale of ``effect``: "difference" or "percentage points" (indicator's own units);
    #: left empty, it is the indicator's own (:func:`impactkit.analysis.scale.scale_of`)
    scale: str = ""
    others: tuple[OtherEffect, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    levels: tuple[LevelRow, ...] = ()  # shown beside the treated / series values
    mmc: float | None = None  # the minimum meaningful change in the indicator's units
    covered: int | None = None  # people the change was measured on (treated group, after)

    def __post_init__(self) -> None:
        if not self.scale:  # one rule for every runner: shares in points, else differences
            from .scale import scale_of

            object.__setattr__(self, "scale", scale_of(self.indicator))

    @property
    def caveats(self) -> tuple[str, ...]:
        """The diagnostics' warnings, for the cover."""
        return tuple(d.caveat for d in self.diagnostics if d.caveat)
