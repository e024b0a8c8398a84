"""The description of how a sample was drawn: weights, strata, primary sampling units, fpc.

A :class:`SurveyDesign` names columns of the data; it holds no data itself, so one design can
describe a pandas, Polars, DuckDB ... frame alike.  Its meaning follows R ``survey``'s
``svydesign(ids = ~psu, strata = ~strata, weights = ~weights, fpc = ~fpc, nest = nest)``
(Lumley 2010, *Complex Surveys*, ch. 2) with sampling *with replacement at the first stage*
unless an fpc is given (Wolter 2007, *Introduction to Variance Estimation*, §1.4 and §6.1:
the "ultimate cluster" variance estimator).

Validated against: R ``survey`` 4.5 published output (tests/survey/test_survey_reference.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from ..errors import DataError

__all__ = ["LonelyPSU", "SurveyDesign", "LONELY_PSU_OPTIONS"]

LonelyPSU = Literal["error", "remove", "certainty", "adjust", "average"]
LONELY_PSU_OPTIONS: tuple[str, ...] = get_args(LonelyPSU)

_LONELY_MEANING = {
    "error": "a stratum with a single PSU is an error",
    "remove": "a stratum with a single PSU adds nothing to the variance",
    "certainty": "a stratum with a single PSU is taken as sampled with certainty (no variance)",
    "adjust": "a single-PSU stratum is centred at the grand mean of all PSUs",
    "average": "a single-PSU stratum gets the average variance of the other strata",
}


@dataclass(frozen=True)
class SurveyDesign:
    """A frozen description of a complex sample.

    Parameters
    ----------
    weights
        Column of sampling weights (inverse inclusion probabilities).  ``None``: every row
        weighs 1.  Negative or missing weights are an error.
    strata
        Column of first-stage strata.  ``None``: one stratum.
    psu
        Column of primary sampling units (clusters).  ``None``: each row is its own PSU, so
        ``SurveyDesign(weights="w")`` is R's ``svydesign(ids = ~1, weights = ~w)``.
    fpc
        Finite population correction: a column (constant within each stratum) or a number,
        either the *population count of PSUs* in the stratum (every value ≥ 1) or the
        *sampling fraction* (every value in [0, 1]); as R ``survey``'s ``fpc=``.  ``None``:
        sampling with replacement at the first stage.
    nest
        ``True`` when PSU labels restart within each stratum (PSU "1" of stratum A is not PSU
        "1" of stratum B).  With ``False`` a PSU label found in two strata is an error.
    lonely_psu
        What a stratum with a single PSU contributes to the variance, with R ``survey``'s
        meanings of ``options(survey.lonely.psu = ...)``: ``"error"`` (R's ``"fail"``; the
        message names the stratum), ``"remove"`` and ``"certainty"`` (no contribution),
        ``"adjust"`` (centred at the grand mean of PSU totals instead of the stratum mean),
        ``"average"`` (the variance is scaled by strata / strata-with-several-PSUs).

    Validated against: R ``survey`` 4.5 ``tests/lonely.psu.Rout.save`` (every option).
    """

    weights: str | None = None
    strata: str | None = None
    psu: str | None = None
    fpc: str | float | None = None
    nest: bool = False
    lonely_psu: LonelyPSU = "error"

    def __post_init__(self) -> None:
        for key in ("weights", "strata", "psu"):
            _check_column_name(key, getattr(self, key))
        _check_fpc(self.fpc)
        _check_flag("nest", self.nest)
        _check_lonely(self.lonely_psu)
        _check_distinct(self)

    @property
    def columns(self) -> list[str]:
        """The data columns the design reads, in the order weights, strata, psu, fpc."""
        names = [self.weights, self.strata, self.psu, self.fpc]
        return [n for n in names if isinstance(n, str)]

    @property
    def row_is_psu(self) -> bool:
        """True when every row is its own primary sampling unit (no ``psu`` column)."""
        return self.psu is None

    def describe(self) -> str:
        """The design in words, for a methods section."""
        parts: list[str] = []
        parts.append(f"weighted by '{self.weights}'" if self.weights else "unweighted")
        if self.strata:
            parts.append(f"stratified by '{self.strata}'")
        if self.psu:
            nested = " (labels nested within strata)" if self.nest else ""
            parts.append(f"clustered in primary sampling units '{self.psu}'{nested}")
        else:
            parts.append("each row its own sampling unit")
        if self.fpc is None:
            parts.append("first stage with replacement (no finite population correction)")
        else:
            parts.append(f"finite population correction from {self.fpc!r}")
        parts.append(_LONELY_MEANING[self.lonely_psu])
        return (
            "Design-based (Taylor linearisation) standard errors; the sample is "
            + "; ".join(parts)
            + "."
        )


def _check_column_name(key: str, value: object) -> None:
    if value is not None and (not isinstance(value, str) or not value):
        raise DataError(
            f"SurveyDesign({key}=...): expected a column name (text) or None, got {value!r}"
        )


def _check_fpc(value: object) -> None:
    if value is None or isinstance(value, str) and value:
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DataError(
            "SurveyDesign(fpc=...): expected a column name, a number (population PSU count or "
            f"sampling fraction) or None, got {value!r}"
        )
    if not value >= 0 or value == float("inf"):
        raise DataError(
            "SurveyDesign(fpc=...): a population count must be ≥ 1 and a sampling fraction in "
            f"[0, 1]; got {value!r}"
        )


def _check_flag(key: str, value: object) -> None:
    if not isinstance(value, bool):
        raise DataError(f"SurveyDesign({key}=...): expected True or False, got {value!r}")


def _check_lonely(value: object) -> None:
    if value not in LONELY_PSU_OPTIONS:
        options = ", ".join(repr(o) for o in LONELY_PSU_OPTIONS)
        raise DataError(f"SurveyDesign(lonely_psu=...): expected one of {options}; got {value!r}")


def _check_distinct(design: SurveyDesign) -> None:
    roles = {"weights": design.weights, "strata": design.strata, "psu": design.psu}
    if isinstance(design.fpc, str):
        roles["fpc"] = design.fpc
    seen: dict[str, str] = {}
    for role, col in roles.items():
        if col is None:
            continue
        if col in seen:
            raise DataError(
                f"SurveyDesign: column {col!r} is given as both {seen[col]}= and {role}=; "
                "each role needs its own column"
            )
        seen[col] = role
