"""The two-way fixed-effects DiD on a staggered roll-out, shown beside the staggered estimate.

``y_it = a_i + l_t + b D_it + e_it`` with ``D_it = 1`` from unit ``i``'s cohort on; ``b`` by
OLS with unit and period dummies, cluster-robust (CR1) errors by unit.  With staggered timing
and effects that differ by wave or grow with time ``b`` is a weighted average of ATT(g,t)
with some negative weights (Goodman-Bacon 2021, *Journal of Econometrics* 225(2), Theorem 1),
so the report shows it only as the comparison that the staggered estimator corrects.

Validated against: statsmodels' formula ``y ~ D + C(unit) + C(time)`` with cluster
covariance in tests/samples/test_recovery_designs.py (the same numbers to 1e-10).
"""

from __future__ import annotations

import pandas as pd

from ..._intervals import t_quantile
from ...results import Effect

__all__ = ["twfe"]


def twfe(
    data: pd.DataFrame,
    outcome: str,
    *,
    unit: str,
    time: str,
    cohort: str,
    confidence: float = 0.95,
    label: str = "outcome",
) -> Effect:
    """The TWFE coefficient of ``D_it = 1[cohort > 0 and time >= cohort]``."""
    import statsmodels.api as sm

    frame = data[[outcome, unit, time, cohort]].dropna()
    g = frame[cohort].to_numpy(dtype=float)
    t = frame[time].to_numpy(dtype=float)
    d = ((g > 0) & (t >= g)).astype(float)
    X = pd.concat(
        [
            pd.DataFrame({"const": 1.0, "D": d}, index=frame.index),
            pd.get_dummies(frame[unit].astype(str), prefix="u", drop_first=True).astype(float),
            pd.get_dummies(frame[time].astype(str), prefix="t", drop_first=True).astype(float),
        ],
        axis=1,
    )
    groups = pd.factorize(frame[unit])[0]
    fit = sm.OLS(frame[outcome].to_numpy(dtype=float), X).fit(
        cov_type="cluster", cov_kwds={"groups": groups}, use_t=True
    )
    est, se = float(fit.params["D"]), float(fit.bse["D"])
    q = t_quantile(confidence, int(groups.max()))
    return Effect(
        estimate=est,
        se=se,
        ci_low=est - q * se,
        ci_high=est + q * se,
        p_value=float(fit.pvalues["D"]),
        n=int(fit.nobs),
        confidence=confidence,
        method=f"two-way fixed effects OLS (unit and period dummies), CR1 by {unit}",
        notes=("biased under staggered timing with heterogeneous effects (Goodman-Bacon 2021)",),
        label=label,
    )
