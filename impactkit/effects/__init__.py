"""Before-and-after impact estimates, one file per design.

===================  =====================================================================
module               what it holds
===================  =====================================================================
:mod:`.sizes`        :func:`effect_size` — Cohen's d, Hedges' g, d_z, d_av, Glass's delta
:mod:`.prepost`      :func:`pre_post` — paired / independent before-after comparison
                     (t, Wilcoxon / Mann-Whitney with Hodges-Lehmann, BCa bootstrap)
:mod:`.did`          :func:`did`, :class:`DiDResult`, :class:`PreTrendTest` — 2x2 and
                     multi-period difference-in-differences, covariance choice, event study
:mod:`.its`          :func:`its`, :class:`ITSResult` — segmented regression for interrupted
                     time series (Gaussian / Poisson / quasi-Poisson, optional control)
:mod:`.its_terms`    time axis, seasonal terms, series checks and design of :func:`its`
:mod:`.its_fit`      covariance choice, fit, counterfactual and cumulative effect of
                     :func:`its`
:mod:`.judgement`    :func:`adjust` (multiplicity), :func:`verdict`, :class:`Verdict`
:mod:`.power`        :func:`mde`, :func:`power`, :func:`design_effect`
:mod:`.randomised`   :func:`rct`, :class:`RCTResult` — randomised evaluations: endline
                     difference or ANCOVA, strata, clusters, balance, attrition, Lee bounds
:mod:`.staggered`    :func:`staggered_did` — Callaway & Sant'Anna (2021) staggered adoption
:mod:`.wild`         :func:`wild_cluster_bootstrap`, :func:`placebo_p_value` — inference
                     with few clusters
:mod:`.synthetic`    :func:`synthetic_control` — synthetic control and synthetic DiD for
                     one treated place
===================  =====================================================================

:class:`~impactkit.results.Effect` and :class:`~impactkit.results.EffectSize` live in
:mod:`impactkit.results` and are re-exported here.  Every estimate is a thin layer over
scipy.stats and statsmodels, which are imported inside the functions that use them; the
sources of the formulas are cited in each docstring (see also ``shared/references.md``).
"""

from __future__ import annotations

from ..results import Effect, EffectSize
from .did import DiDResult, PreTrendTest, did
from .its import ITSResult, its
from .judgement import Verdict, adjust, verdict
from .power import design_effect, mde, power
from .prepost import pre_post
from .randomised import RCTResult, rct
from .sizes import effect_size
from .staggered import StaggeredResult, staggered_did
from .synthetic import SyntheticControlResult, synthetic_control
from .wild import WildBootstrapResult, placebo_p_value, wild_cluster_bootstrap

__all__ = [
    "Effect",
    "EffectSize",
    "DiDResult",
    "ITSResult",
    "PreTrendTest",
    "Verdict",
    "pre_post",
    "effect_size",
    "did",
    "its",
    "adjust",
    "verdict",
    "mde",
    "power",
    "design_effect",
    "rct",
    "RCTResult",
    "staggered_did",
    "StaggeredResult",
    "wild_cluster_bootstrap",
    "WildBootstrapResult",
    "placebo_p_value",
    "synthetic_control",
    "SyntheticControlResult",
]
