"""The result of one outcome indicator and one sentence of the executive summary."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import pandas as pd

    from ..effects import Effect
    from ..indicators import Indicator

__all__ = ["Finding", "OutcomeResult", "DesignDetail"]


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
