"""Baseline balance of a randomised evaluation: standardised mean differences by arm.

The standardised mean difference of covariate x between a treatment arm T and control C is

    SMD = (mean_T - mean_C) / sqrt((s_T^2 + s_C^2) / 2)

with s the within-arm sample standard deviations (ddof = 1).  |SMD| > 0.1 is the usual flag
for an imbalance worth reporting (Austin 2009, *Statistics in Medicine* 28(25), eq. 1;
Imbens & Rubin 2015, ch. 14).  Unlike a t-test it does not grow with the sample size.

Validated against a direct pandas computation of the same formula (tests/rct/).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .arms import Arms

__all__ = ["SMD_FLAG", "balance_table"]

SMD_FLAG = 0.1


def _smd(treated: np.ndarray, control: np.ndarray) -> float:
    if len(treated) < 2 or len(control) < 2:
        return float("nan")
    pooled = np.sqrt((np.var(treated, ddof=1) + np.var(control, ddof=1)) / 2)
    diff = float(np.mean(treated) - np.mean(control))
    if pooled == 0:
        return 0.0 if diff == 0 else float("inf") * np.sign(diff)
    return diff / float(pooled)


def balance_table(frame: pd.DataFrame, arms: Arms, covariates: Sequence[str]) -> pd.DataFrame:
    """One row per (covariate, treatment arm): arm means, SMD, n per arm and a flag.

    Columns: ``covariate``, ``arm``, ``mean_control``, ``mean_arm``, ``difference``,
    ``smd``, ``n_control``, ``n_arm``, ``imbalanced`` (|SMD| > 0.1).  Missing covariate
    values are left out per covariate (and counted in ``n_*``).
    """
    rows = []
    values = frame[arms.column]
    for cov in covariates:
        x = pd.to_numeric(frame[cov], errors="coerce")
        ctrl = x[values == arms.control].dropna().to_numpy(dtype=float)
        for arm in arms.treatments:
            trt = x[values == arm].dropna().to_numpy(dtype=float)
            smd = _smd(trt, ctrl)
            rows.append(
                {
                    "covariate": cov,
                    "arm": arm,
                    "mean_control": float(np.mean(ctrl)) if len(ctrl) else float("nan"),
                    "mean_arm": float(np.mean(trt)) if len(trt) else float("nan"),
                    "difference": float(np.mean(trt) - np.mean(ctrl))
                    if len(trt) and len(ctrl)
                    else float("nan"),
                    "smd": smd,
                    "n_control": len(ctrl),
                    "n_arm": len(trt),
                    "imbalanced": bool(abs(smd) > SMD_FLAG) if np.isfinite(smd) else False,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "covariate",
            "arm",
            "mean_control",
            "mean_arm",
            "difference",
            "smd",
            "n_control",
            "n_arm",
            "imbalanced",
        ],
    )
