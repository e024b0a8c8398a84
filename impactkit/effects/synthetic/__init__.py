"""Synthetic control and synthetic difference-in-differences for one treated place.

:func:`synthetic_control` (Abadie, Diamond & Hainmueller 2010; Arkhangelsky, Athey,
Hirshberg, Imbens & Wager 2021) and its :class:`SyntheticControlResult`.
Validated against R ``synthdid`` 0.0.9 on California's Proposition 99 (see
:mod:`impactkit.effects.synthetic.estimator`).
"""

from .estimator import SyntheticControlResult, synthetic_control

__all__ = ["SyntheticControlResult", "synthetic_control"]
