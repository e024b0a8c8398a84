"""Cost per outcome: per person reached, adopter, sustained user, or unit of effect.

Glasgow RE et al. (2019). RE-AIM planning and evaluation framework: adapting to new science
and practice with a 20-year review. *Front Public Health* 7:64 (cost under implementation).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .._checks import check_finite
from .._display import fmt
from ..errors import DataError
from ..results import Result
from ._shared import NAN
from .cascade import Cascade
from .gap import Gap

__all__ = ["CostPerOutcome", "cost_per_outcome"]


@dataclass(frozen=True, eq=False, repr=False)
class CostPerOutcome(Result):
    """Cost per person at each stage of a cascade, or per unit of real-world effect.

    ``table`` columns: ``outcome, units, cost_per_unit, ci_low, ci_high`` (intervals only for
    a :class:`Gap`, from the real-world effect's interval, whose level is ``confidence``).
    """

    cost: float
    currency: str
    table: pd.DataFrame
    notes: tuple[str, ...] = ()
    confidence: float = 0.95

    def to_frame(self) -> pd.DataFrame:
        """The cost table (with the currency)."""
        return self.table.assign(currency=self.currency)

    def summary(self) -> str:
        """Plain-words sentence listing the cost per outcome."""
        parts = [
            f"{self.currency} {fmt(float(value))} {outcome}"
            for outcome, value in zip(
                self.table["outcome"], self.table["cost_per_unit"], strict=True
            )
        ]
        return f"A cost of {self.currency} {fmt(self.cost)} is " + ", ".join(parts) + "."

    def __repr__(self) -> str:
        return f"CostPerOutcome(cost={fmt(self.cost)} {self.currency}, outcomes={len(self.table)})"

    def _title(self) -> str:
        return "Cost per outcome"


def _per_stage(cost: float, cascade: Cascade, currency: str) -> CostPerOutcome:
    rows = []
    notes: list[str] = []
    for row in cascade.table.itertuples():
        count = int(row.count)  # type: ignore[call-overload]
        rows.append(
            {
                "outcome": f"per {row.label}",
                "units": count,
                "cost_per_unit": cost / count if count > 0 else NAN,
                "ci_low": NAN,
                "ci_high": NAN,
            }
        )
        if count == 0:
            notes.append(f"no one at stage {row.label!r}: cost per person undefined")
    return CostPerOutcome(cost, currency, pd.DataFrame(rows), tuple(notes), cascade.confidence)


def _per_effect(cost: float, gap: Gap, currency: str, population: float | None) -> CostPerOutcome:
    if population is None:
        raise DataError(
            "cost_per_outcome: for a Gap give population= (the number of people served) to "
            "turn the real-world effect per person into units of effect"
        )
    pop = check_finite(population, "population")
    if pop <= 0:
        raise DataError(f"population must be positive, got {population!r}")
    units = gap.real_world * pop

    def per(x: float) -> float:
        return cost / x if x > 0 else NAN

    notes: list[str] = []
    if gap.ci_low <= 0:
        notes.append(
            "the real-world effect's interval reaches 0: the upper cost bound is unbounded"
        )
    gap_row = {
        "outcome": "per unit of real-world effect",
        "units": units,
        "cost_per_unit": per(units),
        "ci_low": per(gap.ci_high * pop),
        "ci_high": per(gap.ci_low * pop),
    }
    return CostPerOutcome(cost, currency, pd.DataFrame([gap_row]), tuple(notes), gap.confidence)


def cost_per_outcome(
    cost: float,
    cascade_or_gap: Cascade | Gap,
    *,
    currency: str = "USD",
    population: float | None = None,
) -> CostPerOutcome:
    """Cost per person reached, per adopter, per sustained user — or per unit of effect.

    RE-AIM lists cost under implementation (Glasgow et al. 2019 review).

    Parameters
    ----------
    cost
        Total programme cost (positive).
    cascade_or_gap
        A :class:`Cascade`: cost / count at every stage ("per <stage label>").  A
        :class:`Gap`: cost / (real_world × population), the cost per unit of real-world effect
        (e.g. per case averted when the effect is a risk reduction per person), with the
        interval from the Gap's interval; ``population`` (the number of people the programme
        served, the people the effect applies to) is then required.
    currency
        Label for the numbers.
    """
    c = check_finite(cost, "cost")
    if c <= 0:
        raise DataError(f"cost must be positive, got {cost!r}")
    if isinstance(cascade_or_gap, Cascade):
        return _per_stage(c, cascade_or_gap, currency)
    if isinstance(cascade_or_gap, Gap):
        return _per_effect(c, cascade_or_gap, currency, population)
    raise DataError(f"expected a Cascade or a Gap, got {type(cascade_or_gap).__name__}")
