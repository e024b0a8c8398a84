"""Roll-ups of a portfolio: how many initiatives, with which verdicts, by a grouping.

Counts only: an initiative's headline verdict is counted once per group it belongs to (under
each of its SDG goals for ``by="sdg"``).  Effects on different indicators are never summed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from impactkit.errors import DataError
from impactkit.portfolio.records import InitiativeRecord

__all__ = ["ROLLUPS", "rollup", "group_keys"]

NOT_RECORDED = "(not recorded)"
VERDICTS = ("improved", "no meaningful change", "inconclusive", "worsened")


def _one(value: str | None) -> list[str]:
    return [value] if value else [NOT_RECORDED]


_KEYS: dict[str, Callable[[InitiativeRecord], list[str]]] = {
    "country": lambda r: _one(r.location.country),
    "region": lambda r: _one(r.location.region),
    "sdg": lambda r: [f"SDG {g}" for g in r.impact_areas.sdg_goals] or [NOT_RECORDED],
    "evidence_strength": lambda r: _one(r.evidence_strength),
    "verdict": lambda r: _one(r.verdict),
    "asset_class": lambda r: _one(r.asset_class),
    "sector": lambda r: _one(r.sector),
}
ROLLUPS = tuple(_KEYS)


def group_keys(record: InitiativeRecord, by: str) -> list[str]:
    """The groups ``record`` falls in for the roll-up ``by``."""
    if by not in _KEYS:
        raise DataError(f"roll-up {by!r} is not one of {', '.join(ROLLUPS)}")
    return _KEYS[by](record)


def rollup(records: Sequence[InitiativeRecord], by: str) -> pd.DataFrame:
    """Initiatives per group, their headline verdicts, respondents and total cost.

    Columns: ``by``, ``initiatives``, one column per verdict, ``other verdict``,
    ``respondents`` (sum of the first headline effect's n) and ``total_cost`` (sum where
    recorded; currencies are not converted, so mixed currencies give NaN with a note in
    ``DataFrame.attrs["notes"]``).
    """
    rows: dict[str, dict[str, float]] = {}
    currencies: dict[str, set[str | None]] = {}
    for record in records:
        for key in group_keys(record, by):
            row = rows.setdefault(
                key,
                {
                    "initiatives": 0,
                    **{v: 0 for v in VERDICTS},
                    "other verdict": 0,
                    "respondents": 0,
                    "total_cost": 0.0,
                },
            )
            row["initiatives"] += 1
            verdict = record.verdict if record.verdict in VERDICTS else "other verdict"
            row[verdict] += 1
            n = record.headline[0].n if record.headline else None
            row["respondents"] += n or 0
            if record.costs.total is not None:
                row["total_cost"] += record.costs.total
                currencies.setdefault(key, set()).add(record.costs.currency)
    frame = pd.DataFrame([{by: k, **v} for k, v in sorted(rows.items())])
    notes = []
    for key, found in currencies.items():
        if len(found) > 1:
            frame.loc[frame[by] == key, "total_cost"] = float("nan")
            notes.append(
                f"{key}: costs in different currencies ({sorted(map(str, found))}) are not added"
            )
    frame.attrs["notes"] = notes
    return frame
