"""Design-based inference for survey data: weights, strata, clusters, finite populations.

``SurveyDesign`` describes the sample; :func:`design_sums` runs one engine-side ``group_by``
over (domain, stratum, PSU) on any narwhals frame; :func:`linearise` turns the small table into
estimates, Taylor-linearised standard errors, degrees of freedom and design effects;
:mod:`impactkit.survey.intervals` gives t, logit, Korn–Graubard and Wilson intervals;
:func:`estimate` does all three steps.
"""

from .design import LONELY_PSU_OPTIONS, LonelyPSU, SurveyDesign
from .estimate import estimate
from .intervals import (
    PROPORTION_METHODS,
    korn_graubard_interval,
    logit_interval,
    t_interval,
    wilson_effective_interval,
)
from .sums import DesignSums, Estimand, design_sums
from .variance import RESULT_COLUMNS, DeffBasis, SurveyEstimates, linearise

__all__ = [
    "LONELY_PSU_OPTIONS",
    "PROPORTION_METHODS",
    "RESULT_COLUMNS",
    "DeffBasis",
    "DesignSums",
    "Estimand",
    "LonelyPSU",
    "SurveyDesign",
    "SurveyEstimates",
    "design_sums",
    "estimate",
    "korn_graubard_interval",
    "linearise",
    "logit_interval",
    "t_interval",
    "wilson_effective_interval",
]
