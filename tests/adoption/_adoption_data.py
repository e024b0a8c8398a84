"""Reference data shared by the adoption tests (imported as ``_adoption_data``)."""

from __future__ import annotations

import pandas as pd

# Freireich et al. (1963), Blood 21:699-716 — remission times (weeks) of 21 leukaemia
# patients on 6-mercaptopurine (status 1 = relapse) and 21 on placebo (all relapsed); the
# classic Kaplan–Meier example (Kleinbaum & Klein, *Survival Analysis: A Self-Learning Text*,
# ch. 2; MASS::gehan in R).
SIX_MP_TIME = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
SIX_MP_EVENT = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
PLACEBO_TIME = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23]
# Published KM estimates for the 6-MP group (Kleinbaum & Klein, table in ch. 2):
SIX_MP_KM = {6: 0.857, 7: 0.807, 10: 0.753, 13: 0.690, 16: 0.627, 22: 0.538, 23: 0.448}


def six_mp_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "weeks": SIX_MP_TIME + PLACEBO_TIME,
            "relapse": SIX_MP_EVENT + [1] * len(PLACEBO_TIME),
            "arm": ["6-MP"] * 21 + ["placebo"] * 21,
        }
    )


def unit_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "hh": [f"h{i}" for i in range(10)],
            "reached": [1, 1, 1, 1, 1, 1, 1, 1, 0, 0],
            "adopted": [1, 1, 1, 1, 1, 1, 0, 0, 0, 0],
            "sustained": [True, True, True, False, False, False, False, False, False, False],
            "region": ["n", "s"] * 5,
        }
    )
