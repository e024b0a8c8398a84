"""Taylor-linearised (ultimate cluster) variance from per-(domain, stratum, PSU) sums.

For a ratio ``R = Σw·y / Σw·x`` (a mean or proportion when ``x = 1``, a rate, a ratio) the
linearised PSU totals are ``z_hi = (Y_hi − R·X_hi) / X`` with ``Y_hi = Σ_{PSU hi} w·y``,
``X_hi = Σ w·x`` and ``X = Σ_hi X_hi``; for a total ``z_hi = Y_hi``.  The with-replacement
first-stage estimator is

    V = Σ_h (1 − f_h) · n_h / (n_h − 1) · Σ_i (z_hi − z̄_h)²

with ``n_h`` PSUs in stratum ``h`` and ``f_h = n_h / N_h`` the first-stage sampling fraction
(0 without fpc): Wolter (2007), *Introduction to Variance Estimation*, 2nd ed., §6.11 and
(6.11.2); Lumley (2010), *Complex Surveys*, §2.3 and appendix C.2; R ``survey``'s
``svyrecvar``/``onestrat``.  A domain (``by=``) is a subpopulation: rows outside it count as
``y = x = 0`` and every PSU of the design stays in the sum, a PSU without domain rows
contributing ``z = 0`` (as R ``svyby``; Lumley 2010, §2.4).  Degrees of freedom are
PSUs − strata of the whole design.  Single-PSU strata follow ``SurveyDesign.lonely_psu`` with R
``survey``'s meanings.

The design effect is Kish's ``V_design / V_SRS`` with R ``survey``'s conventions: ``"srswor"``
(R ``deff = TRUE``) compares with simple random sampling *without* replacement of the same
``n`` from ``N̂ = Σw``, ``V_SRS = S·(N̂ − n)/(n − 1)/X²``; ``"srswr"`` (R ``deff = "replace"``)
with replacement, ``V_SRS = S·N̂/(n − 1)/X²``, where ``S = Σw(y − R·x)²`` (for a total
``S = Σw(y − ȳ)²`` and no ``X²``) over the domain's rows with non-zero weight.

Validated against: R ``survey`` 4.5 published numbers on the California API samples
(``svymean``, ``svytotal``, ``svyratio``, ``svyby``, ``deff``, every ``survey.lonely.psu``
option) and a straight numpy implementation of the textbook formulas to 1e-8
(tests/survey/test_survey_reference.py, test_survey_textbook.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from ..errors import DataError
from .checks import (
    check_design,
    check_estimand_values,
    check_lonely,
    fpc_factor,
    label,
)
from .sums import PSU, STRATUM, DesignSums, Estimand, cell_values

__all__ = ["DeffBasis", "SurveyEstimates", "linearise", "RESULT_COLUMNS"]

DeffBasis = Literal["srswor", "srswr"]
RESULT_COLUMNS = (
    "estimate",
    "se",
    "variance",
    "df",
    "deff",
    "n",
    "n_psu",
    "sum_w",
    "numerator",
    "denominator",
)
_SELF_REPRESENTING = 1e-7  # R survey: a stratum with 1 - f below this is taken with certainty


@dataclass(frozen=True)
class SurveyEstimates:
    """Estimates of every estimand and the design facts behind them.

    ``tables[name]`` has the domain columns then :data:`RESULT_COLUMNS`; ``strata`` has one
    row per stratum (``n_psu`` sampled, ``fpc_factor`` = 1 − f_h, ``lonely``); ``notes`` say
    why a number is NaN or how a lonely PSU was treated.
    """

    tables: dict[str, pd.DataFrame]
    strata: pd.DataFrame
    df: int
    n_psu: int
    n_strata: int
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Structure:
    dom: np.ndarray  # domain code of every cell
    domains: pd.DataFrame  # one row per domain: the by columns
    cell_stratum: np.ndarray  # stratum code of every cell
    psu_code: np.ndarray | None  # PSU code of every cell (None: each row its own PSU)
    psu_stratum: np.ndarray | None  # stratum code of every PSU
    n_h: np.ndarray  # PSUs per stratum
    g_h: np.ndarray  # 1 - f_h per stratum
    n_psu: int


def linearise(sums: DesignSums, *, deff: DeffBasis = "srswor") -> SurveyEstimates:
    """Estimates, linearised variances, df, design effects from :func:`design_sums` output.

    Raises :class:`DataError` for a design the data contradict and
    :class:`EstimationError` for a single-PSU stratum under ``lonely_psu="error"``.
    """
    if deff not in ("srswor", "srswr"):
        raise DataError(f"deff must be 'srswor' or 'srswr', got {deff!r}")
    check_design(sums)
    check_estimand_values(sums)
    st, strata = _structure(sums)
    check_lonely(sums, strata["n_psu"], strata["fpc_factor"])
    notes: list[str] = []
    lonely = strata.index[strata["lonely"]].tolist()
    if lonely:
        notes.append(
            f"{len(lonely)} single-PSU stratum(s) ({', '.join(map(label, lonely[:5]))}"
            f") treated as lonely_psu={sums.design.lonely_psu!r}"
        )
    tables = {}
    for est in sums.estimands:
        tables[est.name] = _one_estimand(sums, st, est, deff, notes)
    df = int(st.n_psu - len(st.n_h))
    return SurveyEstimates(
        tables=tables, strata=strata, df=df, n_psu=st.n_psu, n_strata=len(st.n_h), notes=notes
    )


def _structure(sums: DesignSums) -> tuple[_Structure, pd.DataFrame]:
    cells, by = sums.cells, list(sums.by)
    if by:
        dom = cells.groupby(by, dropna=False, sort=True).ngroup().to_numpy()
        domains = cells.groupby(by, dropna=False, sort=True)[by].first().reset_index(drop=True)
    else:
        dom, domains = np.zeros(len(cells), dtype=int), pd.DataFrame(index=[0])
    labels, cell_stratum = np.unique(cells[STRATUM].astype(str), return_inverse=True)
    first = cells.groupby(cell_stratum, sort=True)[STRATUM].first()
    psu_code: np.ndarray | None = None
    psu_stratum: np.ndarray | None = None
    if sums.design.psu is not None:
        psu_code = cells.groupby([STRATUM, PSU], dropna=False, sort=True).ngroup().to_numpy()
        psu_stratum = np.zeros(psu_code.max() + 1, dtype=int)
        psu_stratum[psu_code] = cell_stratum
        n_h = np.bincount(psu_stratum, minlength=len(labels))
    else:
        n_h = np.bincount(cell_stratum, weights=cell_values(cells, "rows"), minlength=len(labels))
        n_h = np.rint(n_h).astype(int)
    index = pd.Index(first.to_numpy(), name="stratum")
    n_series = pd.Series(n_h, index=index, dtype=float)
    g = fpc_factor(sums, n_series).to_numpy(dtype=float)
    strata = pd.DataFrame(
        {"n_psu": n_h, "fpc_factor": g, "lonely": (n_h == 1) & (g > _SELF_REPRESENTING)},
        index=index,
    )
    st = _Structure(dom, domains, cell_stratum, psu_code, psu_stratum, n_h, g, int(n_h.sum()))
    return st, strata


def _one_estimand(
    sums: DesignSums, st: _Structure, est: Estimand, deff: DeffBasis, notes: list[str]
) -> pd.DataFrame:
    cells, k = sums.cells, est.name
    n_dom = len(st.domains)

    def dsum(stat: str) -> np.ndarray:
        return np.bincount(st.dom, weights=cell_values(cells, f"{k}|{stat}"), minlength=n_dom)

    ysum, xsum = dsum("swy"), dsum("swx")
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(xsum != 0, ysum / xsum, np.nan)
    estimate = ysum if est.total else ratio
    if st.psu_code is not None:
        variance = _variance_clusters(sums, st, est, ratio, xsum)
        has = cell_values(cells, f"{k}|n") > 0
        pairs = np.unique(np.stack([st.dom[has], st.psu_code[has]]), axis=1)
        n_psu = np.bincount(pairs[0], minlength=n_dom).astype(float)
    else:
        variance = _variance_rows(sums, st, est, ratio, xsum)
        n_psu = dsum("n")
    if not est.total:
        variance = np.where(np.isfinite(ratio), variance, np.nan)
    n, nnz, sw = dsum("n"), dsum("nnz"), dsum("sw")
    design_effect = _deff(est, deff, ratio, ysum, xsum, sw, nnz, dsum, variance, notes)
    out = st.domains.copy()
    out["estimate"] = estimate
    out["se"] = np.sqrt(np.maximum(variance, 0.0))
    out["variance"] = variance
    out["df"] = float(st.n_psu - len(st.n_h))
    out["deff"] = design_effect
    out["n"] = n
    out["n_psu"] = n_psu
    out["sum_w"] = sw
    out["numerator"] = ysum
    out["denominator"] = np.nan if est.total else xsum
    if not est.total and (xsum == 0).any():
        notes.append(
            f"estimand {k!r}: {int((xsum == 0).sum())} domain(s) have a zero denominator "
            "(no rows, or Σw·x = 0); their estimate is NaN"
        )
    return out


def _stratum_scale(st: _Structure) -> np.ndarray:
    """``(1 − f_h) n_h / (n_h − 1)`` for strata with several PSUs, 0 for single-PSU strata."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(st.n_h > 1, st.g_h * st.n_h / (st.n_h - 1), 0.0)


def _variance_clusters(
    sums: DesignSums, st: _Structure, est: Estimand, ratio: np.ndarray, xsum: np.ndarray
) -> np.ndarray:
    """Σ_h c_h Σ_i (z_hi − z̄_h)² over a (domain × PSU) matrix of linearised totals."""
    assert st.psu_code is not None and st.psu_stratum is not None
    cells, k = sums.cells, est.name
    n_dom, n_psu, n_str = len(st.domains), st.n_psu, len(st.n_h)
    y = np.zeros((n_dom, n_psu))
    np.add.at(y, (st.dom, st.psu_code), cell_values(cells, f"{k}|swy"))
    if est.total:
        z = y
    else:
        x = np.zeros((n_dom, n_psu))
        np.add.at(x, (st.dom, st.psu_code), cell_values(cells, f"{k}|swx"))
        safe_r = np.where(np.isfinite(ratio), ratio, 0.0)
        safe_x = np.where(xsum != 0, xsum, 1.0)
        z = (y - safe_r[:, None] * x) / safe_x[:, None]
    member = np.zeros((n_psu, n_str))
    member[np.arange(n_psu), st.psu_stratum] = 1.0
    zbar = (z @ member) / np.maximum(st.n_h, 1)
    dev = z - zbar[:, st.psu_stratum]
    within = (dev * dev) @ member  # (domain, stratum) sums of squares
    return _combine(sums, st, within, z @ member, z.sum(axis=1))


def _variance_rows(
    sums: DesignSums, st: _Structure, est: Estimand, ratio: np.ndarray, xsum: np.ndarray
) -> np.ndarray:
    """Each row its own PSU: Σz² − (Σz)²/n_h per (domain, stratum) from the second moments."""
    cells, k = sums.cells, est.name
    n_dom, n_str = len(st.domains), len(st.n_h)

    def grid(stat: str) -> np.ndarray:
        out = np.zeros((n_dom, n_str))
        np.add.at(out, (st.dom, st.cell_stratum), cell_values(cells, f"{k}|{stat}"))
        return out

    if est.total:
        s1, s2 = grid("swy"), grid("s2yy")
    else:
        r = np.where(np.isfinite(ratio), ratio, 0.0)[:, None]
        xs = np.where(xsum != 0, xsum, 1.0)[:, None]
        s1 = (grid("swy") - r * grid("swx")) / xs
        s2 = (grid("s2yy") - 2 * r * grid("s2xy") + r * r * grid("s2xx")) / (xs * xs)
    within = np.maximum(s2 - s1 * s1 / np.maximum(st.n_h, 1), 0.0)
    return _combine(sums, st, within, s1, s1.sum(axis=1))


def _combine(
    sums: DesignSums,
    st: _Structure,
    within: np.ndarray,
    stratum_totals: np.ndarray,
    grand_total: np.ndarray,
) -> np.ndarray:
    """Add up the strata, treating single-PSU strata as ``lonely_psu`` says (R ``onestage``).

    ``within`` are the (domain, stratum) sums of squares about the stratum mean,
    ``stratum_totals`` the (domain, stratum) sums of z (the single PSU's z in a lonely
    stratum) and ``grand_total`` Σz over the design (for ``"adjust"``'s recentring at
    Σz / number of PSUs).
    """
    variance = within @ _stratum_scale(st)
    lonely = (st.n_h == 1) & (st.g_h > _SELF_REPRESENTING)
    if not lonely.any():
        return variance
    option = sums.design.lonely_psu
    if option == "adjust":
        centre = grand_total / st.n_psu
        dev = stratum_totals[:, lonely] - centre[:, None]
        variance = variance + (dev * dev) @ st.g_h[lonely]
    elif option == "average":
        n_str = len(st.n_h)
        n_ok = n_str - int(lonely.sum())
        variance = variance * n_str / n_ok if n_ok > 0 else np.full_like(variance, np.nan)
    return variance  # "remove" and "certainty": the stratum adds nothing


def _deff(
    est: Estimand,
    basis: DeffBasis,
    ratio: np.ndarray,
    ysum: np.ndarray,
    xsum: np.ndarray,
    sw: np.ndarray,
    nnz: np.ndarray,
    dsum: Callable[[str], np.ndarray],
    variance: np.ndarray,
    notes: list[str],
) -> np.ndarray:
    """Kish's design effect with R ``survey``'s ``deff = TRUE`` / ``"replace"`` conventions."""
    swyy, swxy, swxx = dsum("swyy"), dsum("swxy"), dsum("swxx")
    with np.errstate(divide="ignore", invalid="ignore"):
        if est.total:
            spread = swyy - np.where(sw > 0, ysum * ysum / sw, 0.0)
            scale = np.ones_like(sw)
        else:
            r = np.where(np.isfinite(ratio), ratio, 0.0)
            spread = swyy - 2 * r * swxy + r * r * swxx
            scale = xsum * xsum
        finite = sw - nnz if basis == "srswor" else sw
        v_srs = np.maximum(spread, 0.0) * finite / (nnz - 1) / scale
        out = np.where((nnz > 1) & (v_srs > 0), variance / v_srs, np.nan)
    if basis == "srswor" and bool(((sw <= nnz) & (nnz > 1)).any()):
        notes.append(
            f"estimand {est.name!r}: deff is NaN where the weights sum to no more than the "
            "sample size (unweighted data: the sample is the whole population under SRS "
            "without replacement); use deff='srswr' for a with-replacement comparison"
        )
    return np.asarray(out, dtype=float)
