"""Randomisation-inference (placebo) p-value for a difference-in-differences with one (or a
few) treated clusters.

With a single treated cluster no cluster-robust or wild-bootstrap interval is reliable
(MacKinnon & Webb 2017, *Journal of Applied Econometrics* 32(2), Section 6; Conley & Taber
2011, *Review of Economics and Statistics* 93(1), 113-125).  The placebo test instead asks how
unusual the treated cluster's DiD is among the DiDs obtained by pretending, in turn, that each
untreated cluster had been treated (Abadie, Diamond & Hainmueller 2010, Section 2.4; Fisher's
exact test under random assignment of the treated cluster)::

    p = #{c in all clusters : |DiD_c| >= |DiD_treated|} / (number of untreated clusters + 1)

Each DiD is the 2x2 difference of cell means, (mean post - mean pre) of the cluster minus the
same for the untreated clusters other than it — equal to the OLS interaction coefficient.

Validated against: a direct enumeration with statsmodels OLS on Card & Krueger's data
(tests/wild/test_wild_placebo.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..._checks import require_columns
from ..._display import fmt, fmt_p
from ..._frames import as_pandas as _as_pandas
from ...errors import DataError, EstimationError
from ...results import Result
from .._inputs import binary

__all__ = ["PlaceboResult", "placebo_p_value"]

_CONTEXT = "placebo_p_value"


@dataclass(frozen=True, eq=False)
class PlaceboResult(Result):
    """The treated clusters' DiD, every placebo DiD and the randomisation p-value.

    ``placebos``: one row per untreated cluster (``cluster``, ``estimate``).
    """

    estimate: float
    p_value: float
    placebos: pd.DataFrame
    treated_clusters: tuple[object, ...]
    confidence: float = 0.95
    notes: tuple[str, ...] = ()

    def summary(self) -> str:
        """One sentence: where the treated DiD ranks among the placebos."""
        k = int((self.placebos["estimate"].abs() >= abs(self.estimate)).sum())
        return (
            f"Placebo (randomisation) test: the treated DiD {fmt(self.estimate)} is matched or "
            f"exceeded in size by {k} of {len(self.placebos)} placebo DiDs that treat an "
            f"untreated cluster instead ({fmt_p(self.p_value)}; smallest attainable p = "
            f"{1 / (len(self.placebos) + 1):.3f})."
        )

    def to_frame(self) -> pd.DataFrame:
        """The placebo table plus the treated row."""
        treated = pd.DataFrame(
            {"cluster": [", ".join(map(str, self.treated_clusters))], "estimate": [self.estimate]}
        )
        frame = pd.concat([treated.assign(role="treated"), self.placebos.assign(role="placebo")])
        return frame.reset_index(drop=True)

    def _title(self) -> str:
        return "Randomisation inference: placebo DiDs"


def _did_of(means: pd.DataFrame, treated: list[object], controls: list[object]) -> float:
    """2x2 DiD from cluster-by-period cell sums (rows weighted by observations, as OLS)."""
    t = means.loc[treated].sum()
    c = means.loc[controls].sum()
    return float(
        (t["sum_post"] / t["n_post"] - t["sum_pre"] / t["n_pre"])
        - (c["sum_post"] / c["n_post"] - c["sum_pre"] / c["n_pre"])
    )


def _cluster_cells(frame: pd.DataFrame, outcome: str, cluster: str, post: np.ndarray) -> Any:
    y = frame[outcome].to_numpy(dtype=float)
    parts = pd.DataFrame(
        {
            "cl": frame[cluster].to_numpy(),
            "sum_post": y * post,
            "sum_pre": y * (1 - post),
            "n_post": post,
            "n_pre": 1 - post,
        }
    )
    cells = parts.groupby("cl", sort=True).sum()
    empty = cells.index[(cells["n_post"] == 0) | (cells["n_pre"] == 0)]
    if len(empty):
        raise EstimationError(
            f"{_CONTEXT}: cluster(s) {list(empty)[:5]} of {cluster!r} have no rows before or "
            "after; every cluster needs both periods"
        )
    return cells


def placebo_p_value(
    data: Any, outcome: str, *, treated: str, post: str, cluster: str
) -> PlaceboResult:
    """Randomisation-inference p-value for a DiD whose treatment is assigned by cluster.

    ``treated`` (0/1) must be constant within each cluster; ``post`` is 0/1.  Every untreated
    cluster is, in turn, treated as if it were the treated one(s) — with several treated
    clusters the placebo DiD compares one untreated cluster at a time, so the test asks
    whether the treated clusters' average effect is unusual for a single cluster.
    """
    frame = _as_pandas(data, _CONTEXT)
    require_columns(frame, [outcome, treated, post, cluster], _CONTEXT)
    frame = frame.dropna(subset=[outcome])
    d = binary(frame[treated], treated, _CONTEXT)
    p = binary(frame[post], post, _CONTEXT)
    by_cluster = (
        pd.Series(d, index=frame.index).groupby(frame[cluster].to_numpy()).agg(["min", "max"])
    )
    mixed = by_cluster.index[by_cluster["min"] != by_cluster["max"]]
    if len(mixed):
        raise DataError(
            f"{_CONTEXT}: {treated!r} changes within cluster(s) {list(mixed)[:5]} of "
            f"{cluster!r}; treatment must be assigned by cluster"
        )
    cells = _cluster_cells(frame, outcome, cluster, p)
    treated_cl = list(by_cluster.index[by_cluster["max"] == 1])
    control_cl = list(by_cluster.index[by_cluster["max"] == 0])
    if not treated_cl or len(control_cl) < 2:
        raise EstimationError(
            f"{_CONTEXT}: need at least one treated and two untreated clusters in {cluster!r}"
        )
    actual = _did_of(cells, treated_cl, control_cl)
    rows = [(c, _did_of(cells, [c], [o for o in control_cl if o != c])) for c in control_cl]
    placebos = pd.DataFrame(rows, columns=["cluster", "estimate"])
    k = int((placebos["estimate"].abs() >= abs(actual) * (1 - 1e-12)).sum())
    notes = [
        f"{len(control_cl)} placebo clusters: the smallest attainable p-value is "
        f"{1 / (len(control_cl) + 1):.3f}"
    ]
    return PlaceboResult(
        estimate=actual,
        p_value=(k + 1) / (len(control_cl) + 1),
        placebos=placebos,
        treated_clusters=tuple(treated_cl),
        notes=tuple(notes),
    )
