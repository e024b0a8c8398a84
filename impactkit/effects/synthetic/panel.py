"""Long-format data to the unit-by-period matrix that synthetic control works on.

One row per unit and period goes in; out comes the ``N x T`` outcome matrix with the donors
(controls) in the first rows and the treated unit(s) last, the periods in order and the
pre-periods (before ``intervention``) first — the layout of ``synthdid::panel.matrices``
(Arkhangelsky et al. 2021).  Every check raises a named error from :mod:`impactkit.errors`
that says which column, unit or period is wrong.

Validated against: the California Proposition 99 panel (39 states x 31 years, 38 donors,
19 pre-periods), whose shape and layout are asserted in the reference tests.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..._checks import numeric_array, require_columns
from ...errors import DataError, EstimationError, describe_rows
from .weights import Array

__all__ = ["Panel", "build_panel"]

CONTEXT = "synthetic_control"


@dataclass(frozen=True)
class Panel:
    """Outcome ``y`` (``N x T``), covariates ``x`` (``N x T x C``), row and column labels."""

    y: Array
    x: Array | None
    donors: list[Hashable]
    treated: list[Hashable]
    times: list[Hashable]
    n0: int
    t0: int


def _as_labels(treated: Hashable | Sequence[Hashable]) -> list[Hashable]:
    if isinstance(treated, list | tuple | set | frozenset):
        labels = list(treated)
        if not labels:
            raise DataError(f"{CONTEXT}: treated must name at least one unit, got {treated!r}")
        return labels
    return [treated]


def _check_treated(data: pd.DataFrame, unit: str, labels: list[Hashable]) -> None:
    present = set(data[unit].unique())
    missing = [t for t in labels if t not in present]
    if missing:
        shown = ", ".join(repr(u) for u in sorted(present, key=str)[:15])
        more = f", ... ({len(present)} in all)" if len(present) > 15 else ""
        raise DataError(
            f"{CONTEXT}: treated unit {', '.join(repr(m) for m in missing)} is not in column "
            f"{unit!r}; the units are: {shown}{more}"
        )


def _check_unique(data: pd.DataFrame, unit: str, time: str) -> None:
    dup = data.duplicated([unit, time], keep=False)
    if dup.any():
        raise DataError(
            f"{CONTEXT}: more than one row per {unit!r} and {time!r} at "
            f"{describe_rows(data.index[dup])}; expected one row per unit and period"
        )


def _split_periods(times: list[Hashable], intervention: Hashable) -> int:
    try:
        pre = [t for t in times if t < intervention]  # type: ignore[operator]
    except TypeError:
        raise DataError(
            f"{CONTEXT}: intervention {intervention!r} cannot be compared with the periods "
            f"({times[0]!r}, ...); give the first post-intervention period"
        ) from None
    t0 = len(pre)
    if t0 < 2:
        raise DataError(
            f"{CONTEXT}: {t0} period(s) before the intervention {intervention!r}; at least two "
            f"pre-periods are needed (periods: {times[0]!r} to {times[-1]!r})"
        )
    if t0 == len(times):
        raise DataError(
            f"{CONTEXT}: no period at or after the intervention {intervention!r} (the last "
            f"period is {times[-1]!r}); there is nothing to estimate"
        )
    return t0


def _check_complete(wide: pd.DataFrame, treated: list[Hashable], what: str) -> None:
    missing = wide.isna()
    gaps = {
        u: list(wide.columns[missing.loc[u].to_numpy()]) for u in wide.index[missing.any(axis=1)]
    }
    if not gaps:
        return
    bad_treated = [u for u in gaps if u in treated]
    donors = [u for u in gaps if u not in treated]
    parts = [
        f"{u!r} (periods {', '.join(str(t) for t in gaps[u][:5])}"
        f"{' ...' if len(gaps[u]) > 5 else ''})"
        for u in bad_treated + donors
    ][:10]
    who = "treated unit" if bad_treated and not donors else "donors"
    raise DataError(
        f"{CONTEXT}: {what} missing for {who} {'; '.join(parts)}"
        f"{f' and {len(gaps) - 10} more units' if len(gaps) > 10 else ''}; every unit needs "
        "a value in every period (drop those donors or fill the gaps)"
    )


def _wide(data: pd.DataFrame, unit: str, time: str, column: str) -> pd.DataFrame:
    values = numeric_array(data[column], column, allow_nan=True)
    frame = pd.DataFrame({"u": data[unit].to_numpy(), "t": data[time].to_numpy(), "v": values})
    return frame.pivot(index="u", columns="t", values="v")


def build_panel(
    data: pd.DataFrame,
    outcome: str,
    *,
    unit: str,
    time: str,
    treated: Hashable | Sequence[Hashable],
    intervention: Hashable,
    covariates: Sequence[str] = (),
) -> Panel:
    """Check the long data and return the :class:`Panel` (donors first, treated last)."""
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"{CONTEXT}: expected a pandas DataFrame, got {type(data).__name__}")
    covariates = [covariates] if isinstance(covariates, str) else list(covariates)
    require_columns(data, [outcome, unit, time, *covariates], CONTEXT)
    labels = _as_labels(treated)
    _check_treated(data, unit, labels)
    _check_unique(data, unit, time)
    wide = _wide(data, unit, time, outcome)
    times: list[Hashable] = list(sorted(wide.columns.tolist()))
    t0 = _split_periods(times, intervention)
    donors = sorted((u for u in wide.index if u not in labels), key=str)
    if len(donors) < 2:
        raise DataError(
            f"{CONTEXT}: {len(donors)} donor unit(s) besides the treated; at least two are needed"
        )
    order = donors + labels
    wide = wide.reindex(index=order, columns=times)
    _check_complete(wide, labels, f"outcome {outcome!r}")
    y = wide.to_numpy(dtype=float)
    if np.ptp(y) == 0:
        raise EstimationError(
            f"{CONTEXT}: outcome {outcome!r} is the same ({y.flat[0]:g}) for every unit and "
            "period; no effect can be estimated"
        )
    x = None
    if covariates:
        mats = []
        for c in covariates:
            w = _wide(data, unit, time, c).reindex(index=order, columns=times)
            _check_complete(w, labels, f"covariate {c!r}")
            mats.append(w.to_numpy(dtype=float))
        x = np.stack(mats, axis=2)
    return Panel(y, x, donors, labels, times, len(donors), t0)
