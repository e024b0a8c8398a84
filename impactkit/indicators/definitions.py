"""Indicator definitions: what is counted, among whom, and how to read it.

An :class:`Indicator` says *who counts* (``population``), *what is counted* (``numerator``,
``value``, ``events``/``exposure`` or ``numerator``/``denominator`` depending on ``kind``)
and how to read it (``unit``, ``direction``, ``frameworks``).  It is validated on
construction; :meth:`Indicator.from_dict` reads one YAML/JSON entry strictly.

Keys by kind: ``proportion`` needs ``numerator`` (a condition); ``mean`` and ``sum`` need
``value`` (an expression); ``rate`` needs ``events`` and ``exposure`` and takes an optional
``per`` (default 1; e.g. 1000 for "per 1,000 person-months"); ``ratio`` needs ``numerator``
and ``denominator`` (expressions whose sums are divided).  Expressions use the grammar of
:mod:`impactkit.indicators.expressions`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ..errors import IndicatorDefinitionError
from .expressions import Expression, parse

__all__ = ["DIRECTIONS", "EXPRESSION_KEYS", "KINDS", "Indicator"]

KINDS = ("proportion", "mean", "sum", "rate", "ratio")
DIRECTIONS = ("increase", "decrease", "neutral")

#: Expression keys each kind requires.
EXPRESSION_KEYS: dict[str, tuple[str, ...]] = {
    "proportion": ("numerator",),
    "mean": ("value",),
    "sum": ("value",),
    "rate": ("events", "exposure"),
    "ratio": ("numerator", "denominator"),
}
ALL_EXPRESSION_KEYS = ("numerator", "denominator", "value", "events", "exposure")
REQUIRED_KEYS = ("id", "name", "description", "unit", "kind")
OPTIONAL_KEYS = (
    "population",
    "direction",
    "minimum_meaningful_change",
    "disaggregate_by",
    "frameworks",
    "source",
    "per",
    "target",
)
_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Indicator:
    """One indicator definition (validated on construction).

    Parameters
    ----------
    id
        snake_case identifier, unique within a catalog.
    name, description, unit
        Human-readable name, a description (list the columns it expects), and the unit
        (e.g. ``"proportion"``, ``"litres per person per day"``).
    kind
        ``"proportion"``, ``"mean"``, ``"sum"``, ``"rate"`` or ``"ratio"``.
    population
        Optional condition defining who counts (the denominator population); ``None`` means
        every row.
    numerator, denominator, value, events, exposure, per
        The kind's expressions (see the module docstring); ``per`` scales a rate.
    direction
        Whether higher is better: ``"increase"``, ``"decrease"`` or ``"neutral"`` (default).
    minimum_meaningful_change
        Smallest change that matters, in ``unit`` — or relative to the baseline value as
        text, ``"10 %"`` (then stored in ``minimum_meaningful_change_relative`` as 0.10 and
        turned into the indicator's units by the analysis, times the baseline).
    target
        The value the programme aims for, in the indicator's units (shares as proportions),
        shown against the actual value in the report.
    disaggregate_by
        Default grouping columns.  :func:`compute` does **not** apply them automatically;
        pass ``by=list(indicator.disaggregate_by)``.
    frameworks
        Mapping of framework -> code, e.g. ``{"re_aim": "reach", "sdg": "6.1.1"}``.
    source
        Citation or note.

    Raises
    ------
    IndicatorDefinitionError
        Naming the indicator and the key, for a wrong type, a bad value, a missing or
        surplus expression for the kind, or an expression outside the grammar.

    Examples
    --------
    >>> reach = Indicator(id="reach", name="Reach", description="Eligible who took part",
    ...                   unit="proportion", kind="proportion", population="eligible",
    ...                   numerator="reached", direction="increase")
    >>> sorted(reach.columns)
    ['eligible', 'reached']
    """

    id: str
    name: str
    description: str
    unit: str
    kind: str
    population: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    value: str | None = None
    events: str | None = None
    exposure: str | None = None
    per: float | None = None
    direction: str = "neutral"
    minimum_meaningful_change: float | None = None
    target: float | None = None
    minimum_meaningful_change_relative: float | None = None
    disaggregate_by: tuple[str, ...] = ()
    frameworks: Mapping[str, str] = field(default_factory=dict, hash=False)
    source: str = ""

    def __post_init__(self) -> None:
        _check_id(self.id)
        ctx = f"indicator {self.id!r}"
        _check_text_keys(self, ctx)
        _check_choices(self, ctx)
        _check_expression_keys(self, ctx)
        if self.population is not None and not isinstance(self.population, str):
            raise _type_error(ctx, "population", "an expression (text)", self.population)
        self.expressions()  # parses, raising IndicatorDefinitionError on bad text
        _relative_mmc(self, ctx)
        _check_numbers(self, ctx)
        object.__setattr__(self, "disaggregate_by", _checked_groups(self.disaggregate_by, ctx))
        object.__setattr__(self, "frameworks", _checked_frameworks(self.frameworks, ctx))

    @classmethod
    def from_dict(cls, entry: Mapping[str, Any], *, origin: str | None = None) -> Indicator:
        """Build an Indicator from one YAML/JSON entry, checking keys strictly.

        Expression keys given as YAML numbers or booleans (``population: true``) are read as
        their text.  ``origin`` (a file name) is added to error messages.
        """
        where = f" ({origin})" if origin else ""
        if not isinstance(entry, Mapping):
            raise IndicatorDefinitionError(
                f"indicator entry{where} must be a mapping of keys, got {type(entry).__name__}"
            )
        ident = entry.get("id")
        ctx = f"indicator {ident!r}{where}" if ident is not None else f"indicator entry{where}"
        _check_entry_keys(entry, ctx)
        values = dict(entry)
        for key in (*ALL_EXPRESSION_KEYS, "population"):
            if isinstance(values.get(key), bool | int | float):
                values[key] = str(values[key])
        for key in ("disaggregate_by",):
            if isinstance(values.get(key), list):
                values[key] = tuple(values[key])
        if values.get("frameworks") is None and "frameworks" in values:
            raise _type_error(ctx, "frameworks", "a mapping", None)
        try:
            return cls(**values)
        except IndicatorDefinitionError as exc:
            if origin:
                raise IndicatorDefinitionError(f"{exc} ({origin})") from None
            raise

    def to_dict(self) -> dict[str, Any]:
        """The definition as a plain dict (the YAML entry), omitting unset optional keys."""
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "unit": self.unit,
            "kind": self.kind,
        }
        for key in (
            "population",
            *ALL_EXPRESSION_KEYS,
            "per",
            "minimum_meaningful_change",
            "target",
        ):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.minimum_meaningful_change_relative is not None:
            out["minimum_meaningful_change"] = (
                f"{100 * self.minimum_meaningful_change_relative:g} %"
            )
        out["direction"] = self.direction
        if self.disaggregate_by:
            out["disaggregate_by"] = list(self.disaggregate_by)
        if self.frameworks:
            out["frameworks"] = dict(self.frameworks)
        if self.source:
            out["source"] = self.source
        return out

    def expressions(self) -> dict[str, Expression]:
        """The parsed expressions, by key (``population`` included when set)."""
        out: dict[str, Expression] = {}
        for key in ("population", *EXPRESSION_KEYS[self.kind]):
            text = getattr(self, key)
            if text is not None:
                out[key] = parse(text, context=f"indicator {self.id!r}, key {key!r}")
        return out

    @property
    def columns(self) -> frozenset[str]:
        """Every column the definition references."""
        return frozenset().union(*(e.columns for e in self.expressions().values()))

    @property
    def scale(self) -> float:
        """Multiplier applied to a rate (``per``, default 1); 1 for other kinds."""
        return float(self.per) if self.per is not None else 1.0

    @property
    def definition(self) -> str:
        """The computation in words, for documentation tables."""
        k = self.kind
        if k == "proportion":
            return f"share of the population where {self.numerator}"
        if k in ("mean", "sum"):
            return f"{k} of {self.value}"
        if k == "rate":
            return f"sum({self.events}) / sum({self.exposure}) × {self.scale:g}"
        return f"sum({self.numerator}) / sum({self.denominator})"


def _is_number(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and not math.isnan(x)


def _type_error(ctx: str, key: str, expected: str, got: object) -> IndicatorDefinitionError:
    return IndicatorDefinitionError(
        f"{ctx}: key {key!r} must be {expected}; got {type(got).__name__} {got!r}"
    )


def _check_id(ident: object) -> None:
    if not isinstance(ident, str) or not _ID_PATTERN.match(ident):
        raise IndicatorDefinitionError(
            f"indicator {ident!r}: key 'id' must be snake_case text (lower-case letters, "
            "digits and _, starting with a letter)"
        )


def _check_text_keys(ind: Indicator, ctx: str) -> None:
    for key in ("name", "description", "unit", "source"):
        if not isinstance(getattr(ind, key), str):
            raise _type_error(ctx, key, "text", getattr(ind, key))
    for key in ("name", "unit"):
        if not getattr(ind, key).strip():
            raise IndicatorDefinitionError(f"{ctx}: key {key!r} must not be empty")


def _check_choices(ind: Indicator, ctx: str) -> None:
    if ind.kind not in KINDS:
        raise IndicatorDefinitionError(
            f"{ctx}: key 'kind' must be one of {', '.join(KINDS)}; got {ind.kind!r}"
        )
    if ind.direction not in DIRECTIONS:
        raise IndicatorDefinitionError(
            f"{ctx}: key 'direction' must be one of {', '.join(DIRECTIONS)}; got {ind.direction!r}"
        )


def _check_expression_keys(ind: Indicator, ctx: str) -> None:
    needed = EXPRESSION_KEYS[ind.kind]
    for key in ALL_EXPRESSION_KEYS:
        text = getattr(ind, key)
        if key in needed and text is None:
            raise IndicatorDefinitionError(
                f"{ctx}: key {key!r} is required for kind {ind.kind!r} "
                f"(which needs {', '.join(needed)})"
            )
        if key not in needed and text is not None:
            raise IndicatorDefinitionError(
                f"{ctx}: key {key!r} does not apply to kind {ind.kind!r} "
                f"(which uses {', '.join(needed)})"
            )


_RELATIVE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*%\s*$")


def _relative_mmc(ind: Indicator, ctx: str) -> None:
    """``minimum_meaningful_change: "10 %"`` -> ``minimum_meaningful_change_relative=0.1``."""
    mmc = ind.minimum_meaningful_change
    if not isinstance(mmc, str):
        return
    match = _RELATIVE.match(mmc)
    if match is None:
        raise _type_error(
            ctx, "minimum_meaningful_change", 'a number >= 0 or a percentage such as "10 %"', mmc
        )
    object.__setattr__(ind, "minimum_meaningful_change", None)
    object.__setattr__(ind, "minimum_meaningful_change_relative", float(match[1]) / 100)


def _check_numbers(ind: Indicator, ctx: str) -> None:
    if ind.per is not None:
        if ind.kind != "rate":
            raise IndicatorDefinitionError(f"{ctx}: key 'per' only applies to kind 'rate'")
        if not _is_number(ind.per) or not 0 < ind.per < math.inf:
            raise _type_error(ctx, "per", "a positive number such as 1000", ind.per)
    mmc = ind.minimum_meaningful_change
    if mmc is not None and (not _is_number(mmc) or not 0 <= mmc < math.inf):
        raise _type_error(ctx, "minimum_meaningful_change", "a number >= 0", mmc)
    if ind.target is not None and (not _is_number(ind.target) or not math.isfinite(ind.target)):
        raise _type_error(ctx, "target", "a number in the indicator's units", ind.target)


def _checked_groups(groups: object, ctx: str) -> tuple[str, ...]:
    if isinstance(groups, str):
        groups = (groups,)
    if not isinstance(groups, list | tuple) or not all(isinstance(g, str) for g in groups):
        raise _type_error(ctx, "disaggregate_by", "a list of column names", groups)
    return tuple(groups)


def _checked_frameworks(frameworks: object, ctx: str) -> Mapping[str, str]:
    if not isinstance(frameworks, Mapping):
        raise _type_error(ctx, "frameworks", "a mapping like {sdg: '6.1.1'}", frameworks)
    for key, code in frameworks.items():
        if not isinstance(key, str) or not isinstance(code, str):
            raise IndicatorDefinitionError(
                f"{ctx}: key 'frameworks' must map names to text codes; got {key!r}: "
                f'{code!r} (quote codes in YAML, e.g. sdg: "6.1.1")'
            )
    return MappingProxyType(dict(frameworks))


def _check_entry_keys(entry: Mapping[str, Any], ctx: str) -> None:
    for key in REQUIRED_KEYS:
        if key not in entry:
            raise IndicatorDefinitionError(f"{ctx}: required key {key!r} is missing")
    allowed = set(REQUIRED_KEYS) | set(OPTIONAL_KEYS) | set(ALL_EXPRESSION_KEYS)
    unknown = [str(k) for k in entry if k not in allowed]
    if unknown:
        raise IndicatorDefinitionError(
            f"{ctx}: unknown key {', '.join(repr(k) for k in unknown)}; allowed keys are "
            f"{', '.join(sorted(allowed))}"
        )
