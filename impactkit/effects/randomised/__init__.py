"""Randomised evaluations: :func:`rct` and its parts (arms, balance, attrition, Lee bounds)."""

from .attrition import LeeBounds, lee_bounds, trimmed_mean
from .balance import balance_table
from .estimator import RCTResult, rct

__all__ = ["rct", "RCTResult", "LeeBounds", "lee_bounds", "trimmed_mean", "balance_table"]
