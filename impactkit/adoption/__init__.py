"""Adoption: how much of the lab result reaches people.

A product that works in the lab (*efficacy*) helps people only as far as it reaches them,
is taken up, is still used months later and is used correctly (*effectiveness*).  This
package measures each of those steps and shows where the lab result is lost:

- :mod:`~impactkit.adoption.cascade` — :func:`cascade`, a coverage cascade (Tanahashi 1978)
  with Wilson intervals, its bottleneck, and an equity comparison of groups;
- :mod:`~impactkit.adoption.survival` — :func:`sustained_use`, Kaplan–Meier survival of
  continued use (Kaplan & Meier 1958, Greenwood 1926), log-rank comparison of groups;
- :mod:`~impactkit.adoption.usage` — :func:`usage_intensity` and :func:`fidelity`, how often
  and how correctly it is used (RE-AIM "implementation"; Glasgow, Vogt & Boles 1999);
- :mod:`~impactkit.adoption.gap` — :func:`effectiveness_gap` and :meth:`Gap.from_cascade`:
  real-world effect = lab efficacy × reach × adoption × sustained use × correct use, the
  share of the loss due to each step (the multiplicative logic of effective coverage, Ng et
  al. 2014);
- :mod:`~impactkit.adoption.voltage` — :func:`voltage_ratio`, field effect / lab effect with
  Fieller's (1954) interval (List 2022, *The Voltage Effect*);
- :mod:`~impactkit.adoption.costs` — :func:`cost_per_outcome`, cost per person reached,
  adopter, sustained user, or unit of real-world effect.

Every function returns a frozen result following the contract of :mod:`impactkit.results`
(``summary()``, ``to_frame()``, ``notes``, ``confidence``, ``_repr_html_``).  Plots go through
:mod:`impactkit.charts`, imported only when ``.plot()`` is called.  The interval formulas
live in :mod:`impactkit._intervals`.
"""

from .cascade import Cascade, cascade
from .costs import CostPerOutcome, cost_per_outcome
from .gap import Gap, effectiveness_gap, effectiveness_gap_from_cascade
from .survival import SurvivalAt, SustainedUse, sustained_use
from .usage import Fidelity, UsageIntensity, fidelity, usage_intensity
from .voltage import VoltageRatio, voltage_ratio

__all__ = [
    "cascade",
    "Cascade",
    "sustained_use",
    "SustainedUse",
    "SurvivalAt",
    "usage_intensity",
    "UsageIntensity",
    "fidelity",
    "Fidelity",
    "effectiveness_gap",
    "effectiveness_gap_from_cascade",
    "Gap",
    "voltage_ratio",
    "VoltageRatio",
    "cost_per_outcome",
    "CostPerOutcome",
]
