"""A straight, row-level numpy implementation of the textbook survey formulas, for the tests.

Written from Wolter (2007), *Introduction to Variance Estimation*, 2nd ed., §6.11 (Taylor
series / ultimate cluster variance of a ratio and a total), Lumley (2010), *Complex Surveys*,
§2.3, §2.4 (domains) and appendix C.2, and the R ``survey`` documentation of
``survey.lonely.psu`` and ``deff``.  It shares no code with ``impactkit.survey``: it loops over
strata and PSUs of the *rows*, where the library works from engine-side sums.
"""

from __future__ import annotations

import numpy as np


def textbook(
    y: np.ndarray,
    x: np.ndarray | None,
    w: np.ndarray,
    strata: np.ndarray | None,
    psu: np.ndarray | None,
    include: np.ndarray,
    *,
    total: bool = False,
    fpc_pop: dict[object, float] | None = None,
    lonely: str = "error",
) -> dict[str, float]:
    """Estimate, variance and both design effects of one domain ``include``."""
    n_rows = len(y)
    strata = np.zeros(n_rows, dtype=object) if strata is None else np.asarray(strata, dtype=object)
    psu = np.arange(n_rows).astype(object) if psu is None else np.asarray(psu, dtype=object)
    x = np.ones(n_rows) if x is None else np.asarray(x, dtype=float)
    d = np.asarray(include, dtype=bool)
    yd = np.where(d, y, 0.0)
    xd = np.where(d, x, 0.0)
    big_y, big_x = float(np.sum(w * yd)), float(np.sum(w * xd))
    if total:
        est = big_y
        z = w * yd
    else:
        est = big_y / big_x
        z = w * (yd - est * xd) / big_x
    # PSU totals z_hi: a PSU is a (stratum, psu label) pair
    per_stratum: dict[object, list[float]] = {}
    for h in dict.fromkeys(strata.tolist()):
        in_h = strata == h
        labels = list(dict.fromkeys(psu[in_h].tolist()))
        per_stratum[h] = [float(z[in_h & (psu == lab)].sum()) for lab in labels]
    n_psu_total = sum(len(v) for v in per_stratum.values())
    grand = float(z.sum()) / n_psu_total
    var, n_bad = 0.0, 0
    for h, zh in per_stratum.items():
        n_h = len(zh)
        one_minus_f = 1.0 if fpc_pop is None else (fpc_pop[h] - n_h) / fpc_pop[h]
        if one_minus_f < 1e-7:
            continue  # census stratum
        if n_h > 1:
            mean = sum(zh) / n_h
            var += one_minus_f * n_h / (n_h - 1) * sum((v - mean) ** 2 for v in zh)
        elif lonely == "error":
            raise ValueError(f"stratum {h} has one PSU")
        elif lonely == "adjust":
            var += one_minus_f * (zh[0] - grand) ** 2
        elif lonely == "average":
            n_bad += 1
    if n_bad:
        var *= len(per_stratum) / (len(per_stratum) - n_bad)
    return {"estimate": est, "variance": var, **_deffs(y, x, w, d, est, var, total)}


def _deffs(y, x, w, d, est, var, total) -> dict[str, float]:
    """R survey's deff: V / (svyvar · N̂² (N̂ − n)/(N̂ n)) and the 'replace' variant."""
    keep = d & (w != 0)
    wd, n = w[keep], int(keep.sum())
    n_hat = float(wd.sum())
    if total:
        r = y[keep]
    else:
        big_x = float(np.sum(wd * x[keep]))
        r = (y[keep] - est * x[keep]) / big_x  # the linearised variable of R's svyratio
    scale = n_hat**2  # svytotal(r): N̂²; for a mean r = (y − ȳ)/N̂ gives svymean's svyvar(y)
    r_bar = np.sum(wd * r) / n_hat
    svyvar = np.sum(wd * (r - r_bar) ** 2) / n_hat * n / (n - 1)
    wor = svyvar * scale * (n_hat - n) / (n_hat * n)
    wr = svyvar * scale / n
    return {"deff_srswor": var / wor if wor > 0 else np.nan, "deff_srswr": var / wr}
