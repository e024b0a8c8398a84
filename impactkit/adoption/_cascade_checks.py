"""Checks and row-level counts of :func:`impactkit.adoption.cascade` (private).

The row-level checks name offending rows or units; :mod:`._stage_counts` does the same
counting in the data's engine and hands eager inputs here when a rule is broken.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._frames import binary_column, describe_ids
from ..errors import DataError, MissingColumnError
from ._shared import unit_ids, whole


def _check_order(counts: Sequence[int], stages: Sequence[str], target: int, where: str) -> None:
    if counts and counts[0] > target:
        raise DataError(
            f"{where}first stage {stages[0]!r} ({counts[0]:,}) is larger than the target "
            f"population ({target:,}); give a target at least as large as the first stage"
        )
    for i in range(1, len(counts)):
        if counts[i] > counts[i - 1]:
            raise DataError(
                f"{where}stage {stages[i]!r} ({counts[i]:,}) is larger than the stage before it, "
                f"{stages[i - 1]!r} ({counts[i - 1]:,}); stages must be in funnel order, each "
                "a subset of the one before"
            )


def _check_stages(columns: list[str], stages: Sequence[str] | None, need: list[str]) -> list[str]:
    if stages is None or isinstance(stages, str) or len(stages) == 0:
        raise DataError(
            "cascade: with unit-level data, give stages= as a list of the stage columns in "
            f"funnel order; the data have columns {columns}"
        )
    for col in [str(s) for s in stages] + need:
        if col not in columns:
            raise MissingColumnError(col, columns, "cascade")
    return [str(s) for s in stages]


def _check_no_group_target(target: Any) -> None:
    if isinstance(target, Mapping):
        raise DataError("cascade: target is a mapping of groups but by= was not given")


def _resolve_labels(
    stages: Sequence[str], labels: Mapping[str, str] | Sequence[str] | None
) -> list[str]:
    if labels is None:
        return [str(s) for s in stages]
    if isinstance(labels, Mapping):
        unknown = [k for k in labels if k not in stages]
        if unknown:
            raise DataError(f"labels given for unknown stages {unknown}; stages are {list(stages)}")
        return [str(labels.get(s, s)) for s in stages]
    if isinstance(labels, str) or len(labels) != len(stages):
        raise DataError(
            f"labels must be a mapping stage -> label or a list of {len(stages)} labels, "
            f"got {labels!r}"
        )
    return [str(x) for x in labels]


def _counts_from_mapping(
    counts: Mapping[Any, Any], stages: Sequence[str] | None, where: str
) -> tuple[list[str], list[int]]:
    keys = [str(k) for k in counts]
    by_name = {str(k): v for k, v in counts.items()}
    chosen = keys if stages is None else [str(s) for s in stages]
    missing = [s for s in chosen if s not in by_name]
    if missing:
        raise DataError(f"{where}stage {missing[0]!r} has no count; counts are given for {keys}")
    values = [whole(by_name[s], f"{where}count of stage {s!r}") for s in chosen]
    return chosen, values


def _counts_from_units(
    data: pd.DataFrame, stages: Sequence[str], unit: str | None, where: str
) -> list[int]:
    ids = unit_ids(data, unit)
    counts: list[int] = []
    previous: np.ndarray | None = None
    for i, stage in enumerate(stages):
        marked = binary_column(data[stage], stage, ids=ids, unit=unit).astype(bool)
        if previous is not None:
            bad = marked & ~previous
            if bad.any():
                raise DataError(
                    f"{where}{int(bad.sum())} units are marked at stage {stage!r} but not at the "
                    f"stage before it, {stages[i - 1]!r}: {describe_ids(ids, bad, unit)}; each "
                    "stage must be a subset of the one before"
                )
        counts.append(int(marked.sum()))
        previous = marked
    return counts


def _target_value(target: Any, default: int, where: str) -> int:
    if target is None:
        return default
    value = whole(target, f"{where}target")
    if value <= 0:
        raise DataError(f"{where}target must be positive, got {target!r}")
    return value


def _group_targets(target: Any, groups: Sequence[Hashable], by: str) -> dict[Hashable, Any]:
    if target is None:
        return {}
    if not isinstance(target, Mapping):
        raise DataError(
            f"cascade: with by={by!r}, give target as a mapping {{group: target}} (one per "
            f"group: {list(groups)}) or leave it None"
        )
    missing = [g for g in groups if g not in target]
    if missing:
        raise DataError(f"cascade: target has no value for groups {missing}")
    return dict(target)
