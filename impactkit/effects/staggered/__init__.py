"""Staggered adoption: the Callaway & Sant'Anna (2021) difference-in-differences estimator.

:func:`staggered_did` estimates every group-time effect ATT(g,t) with influence-function
standard errors; :meth:`StaggeredResult.aggregate` averages them overall, by cohort, by
event time or by calendar period, exactly as R ``did``'s ``att_gt`` / ``aggte``.
"""

from .aggregate import AggregateKind, StaggeredAggregate
from .att_gt import StaggeredResult, staggered_did
from .influence import WaldPreTrend

__all__ = [
    "staggered_did",
    "StaggeredResult",
    "StaggeredAggregate",
    "AggregateKind",
    "WaldPreTrend",
]
