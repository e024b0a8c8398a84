"""Inference with few clusters: the restricted wild cluster bootstrap and, for a single
treated cluster, randomisation-inference (placebo) p-values."""

from .bootstrap import WildBootstrapResult, bootstrap_t, wild_cluster_bootstrap
from .placebo import PlaceboResult, placebo_p_value

__all__ = [
    "wild_cluster_bootstrap",
    "WildBootstrapResult",
    "bootstrap_t",
    "placebo_p_value",
    "PlaceboResult",
]
