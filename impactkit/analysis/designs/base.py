"""The seam between the analysis (and the report) and one design type: :class:`DesignRunner`.

A runner supplies everything that depends on the design: the columns it needs, how the
indicator table is grouped, the estimate of each outcome, the rounds and groups of the data
quality tables, its words for the report (the design, the change, what it cannot rule out)
and its own charts.  Neither :mod:`impactkit.analysis` nor :mod:`impactkit.report` looks at
the design's name: they ask the runner (see :mod:`impactkit.analysis.designs`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from ...indicators import Indicator
    from ...initiative import Initiative
    from ..model import ImpactAnalysis
    from ..outcome import OutcomeResult

__all__ = [
    "Chart",
    "Table",
    "DesignRunner",
    "Exhibit",
    "Note",
    "Table",
    "ESTIMABLE_KINDS",
    "EvidenceStrength",
    "EVIDENCE_STRENGTHS",
]

#: The strength of the evidence a design gives, strongest first: a randomised comparison, a
#: comparison group or series without randomisation, a before/after change, or a description.
EvidenceStrength = Literal["randomised", "quasi-experimental", "before-after", "descriptive"]
EVIDENCE_STRENGTHS: tuple[EvidenceStrength, ...] = (
    "randomised",
    "quasi-experimental",
    "before-after",
    "descriptive",
)

#: Indicator kinds with a value per unit (row), which DiD and pre/post compare.
ESTIMABLE_KINDS = ("proportion", "mean", "sum")


@dataclass(frozen=True)
class Chart:
    """A chart a design adds to the outcome section: a drawing function and its caption."""

    draw: Callable[[Axes], object]
    caption: str
    size: tuple[float, float] | None = None  # inches; None: the one chart size


@dataclass(frozen=True)
class Table:
    """A table a design adds to the outcome section: cells already formatted as text, the
    columns to right-align, and a caption."""

    frame: pd.DataFrame
    caption: str
    numbers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Note:
    """A sentence the report shows as a warning (e.g. a poor pre-period fit)."""

    text: str


#: What a design adds below the outcome table: a chart, a table, a warning or a paragraph.
Exhibit = Chart | Table | Note | str


class DesignRunner(Protocol):
    """Everything the analysis and the report need to know about one design type.

    Each method receives the whole :class:`~impactkit.initiative.Initiative`; the runner reads
    its own typed design record from ``initiative.design``.
    """

    #: The ``design.type`` word of the initiative file.
    type: str

    # ---------------------------------------------------------------- data
    def required_columns(self, init: Initiative) -> list[str]:
        """Columns of the design's data set the design reads (besides unit and subgroups)."""
        ...

    def check_data(self, init: Initiative, data: pd.DataFrame) -> None:
        """Raise :class:`~impactkit.errors.ConfigError` where the data do not fit the design."""
        ...

    def group_columns(self, init: Initiative) -> dict[str, str]:
        """Columns of :meth:`indicator_values` that identify a group, with the name that
        ``results.csv`` shows for each."""
        ...

    def indicator_values(
        self,
        init: Initiative,
        indicators: Sequence[Indicator],
        data: pd.DataFrame,
        confidence: float,
    ) -> pd.DataFrame:
        """Every outcome indicator's value by the design's groups and periods."""
        ...

    def estimate(
        self, init: Initiative, indicator: Indicator, data: pd.DataFrame, confidence: float
    ) -> OutcomeResult:
        """The change in one indicator; may raise :class:`~impactkit.errors.EstimationError`."""
        ...

    def rounds(self, init: Initiative, data: pd.DataFrame) -> tuple[Any, Any] | None:
        """The first and last round of a panel (values of ``columns.period``), ``None`` where
        attrition is not defined."""
        ...

    def arm(self, init: Initiative) -> str | None:
        """The column that splits units into arms for the attrition table, if any."""
        ...

    def unit_groups(self, init: Initiative, data: pd.DataFrame) -> list[pd.Series]:
        """The keys of the units-per-group table."""
        ...

    def cluster(self, init: Initiative) -> str | None:
        """The cluster column whose levels the units-per-group table counts, if any."""
        ...

    # ---------------------------------------------------------------- words and charts
    def design_words(self, init: Initiative) -> str:
        """The design in one line (cover page and methods)."""
        ...

    def change_words(self) -> str:
        """What the change is relative to, for the findings (e.g. "from before to after")."""
        ...

    def caveat(self) -> str:
        """What the design cannot rule out (methods section)."""
        ...

    def evidence_strength(self) -> EvidenceStrength:
        """How strong the design's evidence of an effect is (cover, ``results.json``)."""
        ...

    def level_labels(self) -> tuple[str, str]:
        """Labels of the before and after values in the dumbbell chart."""
        ...

    def levels_caption(self, init: Initiative) -> str:
        """Caption of the dumbbell chart: which before and after values it shows."""
        ...

    def exhibits(self, analysis: ImpactAnalysis) -> list[Exhibit]:
        """Charts and sentences the design adds to the outcome section (may be empty)."""
        ...

    def result_rows(self, analysis: ImpactAnalysis) -> list[dict[str, Any]]:
        """The design's own rows of ``results.csv`` / ``results.json`` (balance, attrition,
        cohort effects, pre-trend tests...), built with
        :func:`impactkit.analysis.results_table.result_row`; may be empty."""
        ...
