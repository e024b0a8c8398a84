"""The adoption part of the analysis: cascade, sustained use, the lab-to-real-world gap, the
voltage ratio and the costs, each from its section of the initiative file."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from .. import adoption as adopt
from .. import effects as eff
from .._intervals import z_quantile
from ..errors import ConfigError

if TYPE_CHECKING:
    from ..adoption import Cascade, Gap, SustainedUse, VoltageRatio
    from ..initiative import Initiative, LabEvidence
    from .outcome import OutcomeResult

__all__ = ["GAP_SEED", "PUBLISHED_CONFIDENCE", "cascade", "sustained_use", "gap", "voltage"]

#: Seed of the Monte Carlo interval of the lab-to-real-world gap: the same data always give
#: the same report.
GAP_SEED = 20240101
#: The level of the intervals the initiative file gives for the lab and the pilot (README,
#: "The initiative file": published 95 % intervals).
PUBLISHED_CONFIDENCE = 0.95


def cascade(
    init: Initiative, frames: Mapping[str, pd.DataFrame], confidence: float
) -> Cascade | None:
    """The coverage cascade of ``adoption.cascade`` (``None`` without that section)."""
    spec = init.cascade
    if spec is None:
        return None
    return adopt.cascade(
        frames[spec.data],
        list(spec.stages),
        unit=spec.unit,
        by=spec.by,
        labels=dict(spec.labels) or None,
        target=spec.target,
        confidence=confidence,
    )


def sustained_use(
    init: Initiative, frames: Mapping[str, pd.DataFrame], confidence: float
) -> SustainedUse | None:
    """Kaplan–Meier continued use of ``adoption.sustained_use`` (``None`` without it)."""
    s = init.sustained_use
    if s is None:
        return None
    return adopt.sustained_use(
        frames[s.data],
        s.duration,
        s.abandoned,
        by=s.by,
        horizons=tuple(s.horizons),
        confidence=confidence,
        time_unit=s.time_unit,
    )


def gap(init: Initiative, casc: Cascade | None, confidence: float) -> Gap | None:
    """Lab efficacy carried through the cascade (needs ``lab.efficacy`` and a cascade)."""
    if init.lab is None or init.lab.efficacy is None or casc is None:
        return None
    lab_value: float | tuple[float, float, float] = init.lab.efficacy
    if init.lab.ci_low is not None and init.lab.ci_high is not None:
        lab_value = (init.lab.efficacy, *_rescale_interval(init.lab, confidence))
    return adopt.Gap.from_cascade(lab_value, casc, seed=GAP_SEED, confidence=confidence)


def _rescale_interval(lab: LabEvidence, confidence: float) -> tuple[float, float]:
    """The lab's published 95 % interval widened or narrowed to ``confidence`` (normal scale)."""
    assert lab.efficacy is not None and lab.ci_low is not None and lab.ci_high is not None
    factor = z_quantile(confidence) / z_quantile(PUBLISHED_CONFIDENCE)
    low = lab.efficacy - (lab.efficacy - lab.ci_low) * factor
    high = lab.efficacy + (lab.ci_high - lab.efficacy) * factor
    return max(low, 0.0), min(high, 1.0)


def voltage(
    init: Initiative, results: Sequence[OutcomeResult], confidence: float
) -> VoltageRatio | None:
    """The effect at scale over the pilot's (List 2022), with Fieller's interval (needs
    ``lab.pilot_effect`` on an estimated outcome)."""
    if init.lab is None or init.lab.pilot_effect is None:
        return None
    pilot = init.lab.pilot_effect
    field_result = next((r for r in results if r.indicator.id == pilot.indicator), None)
    if field_result is not None and field_result.effect is None:
        return None  # not estimated (the outcome table says why): no ratio to give
    if field_result is None or field_result.effect is None:
        raise ConfigError(
            f"{init.path}: key 'lab.pilot_effect.indicator': {pilot.indicator!r} must be one of the "
            "outcome indicators with an estimated effect"
        )
    from scipy import stats

    se = (pilot.ci_high - pilot.ci_low) / (2 * z_quantile(PUBLISHED_CONFIDENCE))
    p = float(2 * stats.norm.sf(abs(pilot.estimate) / se)) if se > 0 else float("nan")
    lab_effect = eff.Effect(
        estimate=pilot.estimate,
        se=se,
        ci_low=pilot.ci_low,
        ci_high=pilot.ci_high,
        p_value=p,
        n=pilot.n or 0,
        confidence=PUBLISHED_CONFIDENCE,
        method=f"as published: {pilot.source}",
        label=f"pilot effect on {field_result.indicator.name}",
    )
    return adopt.voltage_ratio(field_result.effect, lab_effect, confidence=confidence)


def costs(init: Initiative, casc: Cascade | None) -> pd.DataFrame | None:
    """Cost per person at each cascade stage (needs ``costs`` and a cascade)."""
    if init.costs is None or casc is None:
        return None
    return adopt.cost_per_outcome(init.costs.total, casc, currency=init.currency).to_frame()
