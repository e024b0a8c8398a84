"""The interrupted-time-series runner's checks and its outcome on the indicator's scale.

- :func:`check_intervention` — ``design.intervention`` must be one of the series' periods
  (a date between two observations, such as 1983-01-31 on monthly data, would otherwise be
  rounded silently);
- :func:`check_lags` — ``design.hac_lags`` below a quarter of the time points;
- :func:`its_outcome` — the main effect in the indicator's units: fitted minus
  counterfactual at the intervention (for log links :attr:`ITSResult.at_intervention` per
  unit of exposure, times ``per`` for a rate), with the rate ratio, slope change and average
  post-period change beside it, and the residual-autocorrelation diagnostic.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import pandas as pd

from ... import effects as eff
from ..._display import fmt_ci
from ...errors import ConfigError
from ..outcome import Diagnostic, LevelRow, OtherEffect, OutcomeResult
from ..scale import scale_of
from ..words import is_share

if TYPE_CHECKING:
    from ...indicators import Indicator
    from ...initiative import Initiative, ITSDesign

__all__ = ["check_intervention", "check_lags", "its_outcome", "its_effects_sentence"]


def _show(value: Any) -> str:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def check_intervention(init: Initiative, periods: pd.Series, intervention: Any) -> None:
    """The intervention is a period of the series, strictly after its first one."""
    values = pd.Series(periods.unique()).sort_values().reset_index(drop=True)
    if (values == intervention).any():
        return
    after = values[values > intervention]
    before = values[values < intervention]
    if before.empty or after.empty:
        raise ConfigError(
            f"{init.path}: key 'design.intervention': {_show(intervention)} is outside the "
            f"series ({_show(values.iloc[0])} to {_show(values.iloc[-1])})"
        )
    raise ConfigError(
        f"{init.path}: key 'design.intervention': {_show(intervention)} falls between the "
        f"observations {_show(before.iloc[-1])} and {_show(after.iloc[0])}; give the first "
        f"period of the programme as it appears in the data (e.g. {_show(after.iloc[0])})"
    )


def check_lags(init: Initiative, d: ITSDesign, n: int) -> None:
    """Newey–West lags from 1 to below n/4."""
    if d.hac_lags is not None and not 1 <= d.hac_lags < n / 4:
        raise ConfigError(
            f"{init.path}: key 'design.hac_lags': {d.hac_lags} lags for {n} time points; use "
            f"at least 1 and fewer than n/4 = {n / 4:g}"
        )


def _scaled(e: eff.Effect, factor: float, label: str, what: str) -> eff.Effect:
    base = e.baseline * factor if e.baseline is not None else None
    return dataclasses.replace(
        e,
        estimate=e.estimate * factor,
        se=e.se * factor,
        ci_low=e.ci_low * factor,
        ci_high=e.ci_high * factor,
        baseline=base,
        label=f"{label}: {what}",
    )


def _autocorrelation(res: eff.ITSResult) -> list[Diagnostic]:
    ac = res.autocorrelation
    if ac is None:
        return []
    hac = "Newey-West" in res.method or "Driscoll" in res.method
    caveat = None
    if ac.p_value < 0.05 and not hac:
        caveat = (
            "The residuals are autocorrelated (Ljung–Box test) and the intervals do not allow "
            "for it: they are too narrow (set design.hac_lags for a Gaussian model)."
        )
    return [
        Diagnostic(f"autocorrelation: Ljung-Box Q({ac.lags})", ac.ljung_box, ac.p_value,
                   ac.summary(), caveat),
        Diagnostic("autocorrelation: Durbin-Watson", ac.durbin_watson, text=ac.summary()),
    ]  # fmt: skip


def its_outcome(
    indicator: Indicator, res: eff.ITSResult, before: float, after: float, count: bool
) -> OutcomeResult:
    """The outcome with its main effect in the indicator's units (see the module text)."""
    factor = float(indicator.per or 1.0) if count and indicator.kind == "rate" else 1.0
    assert res.at_intervention is not None and res.average_change is not None
    main = _scaled(res.at_intervention, factor, indicator.name, "change at the intervention")
    average = _scaled(res.average_change, factor, indicator.name, "average change after")
    scale = scale_of(indicator)
    others = [OtherEffect("average change over the post period", average, scale)]
    if res.level_rate_ratio is not None:
        others.append(OtherEffect("level change (rate ratio)", res.level_rate_ratio, "rate ratio"))
    if res.slope_rate_ratio is not None:
        others.append(OtherEffect("slope change per period (rate ratio)", res.slope_rate_ratio,
                                  "rate ratio"))  # fmt: skip
    elif res.slope_change is not None:
        others.append(OtherEffect("slope change per period", res.slope_change, scale))
    cf = LevelRow("Without the programme (trend continued)", None, average.baseline)
    return OutcomeResult(
        indicator, main, before, after, detail=res, scale=scale, others=tuple(others),
        diagnostics=tuple(_autocorrelation(res)), levels=(cf,),
    )  # fmt: skip


def its_effects_sentence(result: OutcomeResult) -> str:
    """Level change, slope change and the average post-period change in words."""
    ind = result.indicator
    pct = is_share(ind)

    def show(e: eff.Effect, scale: str) -> str:
        if scale == "rate ratio":
            return (
                f"{e.estimate:.4g} ({100 * e.confidence:g} % CI {e.ci_low:.4g} to {e.ci_high:.4g})"
            )
        k = 100.0 if pct else 1.0
        unit = "percentage points" if pct else ind.unit
        ci = fmt_ci(k * e.ci_low, k * e.ci_high, confidence=e.confidence)
        return f"{k * e.estimate:+.3g} {unit} ({ci})"

    assert result.effect is not None
    parts = [f"{ind.name}: change at the intervention {show(result.effect, result.scale)}"]
    parts += [f"{o.name} {show(o.effect, o.scale)}" for o in result.others]
    return "; ".join(parts) + "."
