"""Which rows are in which arm of a randomised evaluation.

The arm column may hold 0/1, ``True``/``False`` or labels (``"control"``, ``"cash"``, ...).
With two values the control arm is ``0`` / ``False`` or, for labels, the one named by
``control=`` (required when neither value is 0/False); with more than two values
``control=`` must name the control arm, and every other value is a treatment arm.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...errors import DataError, describe_rows

__all__ = ["Arms", "resolve_arms"]


@dataclass(frozen=True)
class Arms:
    """The control label and the treatment labels, in the order they are reported."""

    column: str
    control: Hashable
    treatments: tuple[Hashable, ...]

    def dummies(self, values: pd.Series) -> pd.DataFrame:
        """One 0/1 column per treatment arm, named ``arm[<label>]``."""
        return pd.DataFrame(
            {self.term(t): (values == t).to_numpy(dtype=float) for t in self.treatments},
            index=values.index,
        )

    @staticmethod
    def term(label: Hashable) -> str:
        return f"arm[{label}]"


def _check_arm_values(values: pd.Series, column: str) -> list[Hashable]:
    missing = values.isna().to_numpy()
    if missing.any():
        rows = values.index[missing]
        raise DataError(
            f"arm column {column!r} is missing in {describe_rows(rows)}; every unit of a "
            "randomised evaluation has an assigned arm (drop units that were never randomised)"
        )
    labels = list(pd.unique(values))
    if len(labels) < 2:
        raise DataError(
            f"arm column {column!r} has only the value {labels[0]!r}; a randomised comparison "
            "needs a control arm and at least one treatment arm"
        )
    return labels


def _default_control(labels: list[Hashable]) -> Hashable | None:
    for label in labels:
        if isinstance(label, bool | np.bool_) and not label:
            return label
        if isinstance(label, int | float | np.integer | np.floating) and label == 0:
            return label
    return None


def resolve_arms(values: pd.Series, column: str, control: Hashable | None) -> Arms:
    """Validate the arm column and say which value is the control arm.

    Raises :class:`DataError` when values are missing, when there is only one arm, when
    ``control`` is not a value of the column, or when there are more than two arms (or two
    labels neither of which is 0/False) and ``control`` was not given.
    """
    labels = _check_arm_values(values, column)
    if control is None:
        if len(labels) > 2:
            shown = ", ".join(repr(v) for v in labels[:10])
            raise DataError(
                f"arm column {column!r} has {len(labels)} values ({shown}); name the control "
                "arm with control=<value> (design.control in the initiative file)"
            )
        control = _default_control(labels)
        if control is None:
            shown = ", ".join(repr(v) for v in labels)
            raise DataError(
                f"arm column {column!r} has the values {shown}; name the control arm with "
                "control=<value> (or code the arms 0 = control, 1 = treatment)"
            )
    elif control not in labels:
        shown = ", ".join(repr(v) for v in labels[:10])
        raise DataError(f"control arm {control!r} is not a value of {column!r}; it has {shown}")
    treatments = tuple(sorted((v for v in labels if v != control), key=str))
    return Arms(column=column, control=control, treatments=treatments)
