"""Indicator definitions, catalogs, and their computation with confidence intervals.

An :class:`Indicator` says *who counts* (``population``), *what is counted* (``numerator``,
``value``, ``events``/``exposure`` or ``numerator``/``denominator`` depending on ``kind``)
and how to read it (``unit``, ``direction``, ``frameworks``).  A :class:`Catalog` is a
mapping from id to Indicator, usually loaded from YAML.  :func:`compute` turns indicators
and a data frame (pandas, or Polars eager/lazy) into a tidy table of estimates with
confidence intervals; :func:`evaluate` gives the row-level outcome behind an indicator, for
effect estimation (pre/post, difference-in-differences).

YAML form
---------
.. code-block:: yaml

    indicators:
      - id: reach                       # snake_case, unique
        name: Reach
        description: Share of eligible people who took part. Columns: eligible, reached.
        unit: proportion
        kind: proportion                # proportion | mean | sum | rate | ratio
        population: eligible            # optional row condition (absent = all rows)
        numerator: reached              # proportion: the condition counted
        direction: increase             # increase | decrease | neutral (default neutral)
        minimum_meaningful_change: 0.05 # optional, in the indicator's unit
        disaggregate_by: [sex, district]
        frameworks: {re_aim: reach, imp: who}
        source: Glasgow, Vogt & Boles (1999), Am J Public Health 89(9).

Keys by kind: ``proportion`` needs ``numerator`` (a condition); ``mean`` and ``sum`` need
``value`` (an expression); ``rate`` needs ``events`` and ``exposure`` and takes an optional
``per`` (default 1; e.g. 1000 for "per 1,000 person-months"); ``ratio`` needs ``numerator``
and ``denominator`` (expressions whose sums are divided).  Expressions use the grammar of
:mod:`impactkit.expressions`.

Missing values
--------------
A row whose population condition is missing, or that is in the population but has a
missing outcome (or weight), is dropped from that indicator and counted in ``n_missing``;
it is never turned into a 0.  See :mod:`impactkit.expressions` for when an expression is
missing.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd
import yaml
from scipy import stats

from . import _yaml
from ._checks import check_confidence
from ._display import html_block
from .errors import DataError, IndicatorDefinitionError, MissingColumnError
from .expressions import Expression, fresh_names, parse, prepare_pandas

__all__ = [
    "KINDS",
    "DIRECTIONS",
    "Indicator",
    "Catalog",
    "compute",
    "evaluate",
    "wilson_interval",
    "clopper_pearson_interval",
    "t_interval",
    "poisson_interval",
    "delta_ratio_interval",
]

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
_ALL_EXPRESSION_KEYS = ("numerator", "denominator", "value", "events", "exposure")
_REQUIRED_KEYS = ("id", "name", "description", "unit", "kind")
_OPTIONAL_KEYS = (
    "population",
    "direction",
    "minimum_meaningful_change",
    "disaggregate_by",
    "frameworks",
    "source",
    "per",
)
_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")

#: Confidence-interval methods by kind; the first is the default.  Aliases map to names.
CI_METHODS: dict[str, tuple[str, ...]] = {
    "proportion": ("wilson", "clopper-pearson"),
    "mean": ("t",),
    "sum": ("t",),
    "rate": ("exact",),
    "ratio": ("delta",),
}
_METHOD_ALIASES = {
    "beta": "clopper-pearson",
    "exact-binomial": "clopper-pearson",
    "garwood": "exact",
}


# ---------------------------------------------------------------------------------------
# Indicator
# ---------------------------------------------------------------------------------------


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
        Smallest change that matters, in ``unit``.
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
    disaggregate_by: tuple[str, ...] = ()
    frameworks: Mapping[str, str] = field(default_factory=dict, hash=False)
    source: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not _ID_PATTERN.match(self.id):
            raise IndicatorDefinitionError(
                f"indicator {self.id!r}: key 'id' must be snake_case text (lower-case letters, "
                "digits and _, starting with a letter)"
            )
        ctx = f"indicator {self.id!r}"
        for key in ("name", "description", "unit", "source"):
            if not isinstance(getattr(self, key), str):
                raise _type_error(ctx, key, "text", getattr(self, key))
        for key in ("name", "unit"):
            if not getattr(self, key).strip():
                raise IndicatorDefinitionError(f"{ctx}: key {key!r} must not be empty")
        if self.kind not in KINDS:
            raise IndicatorDefinitionError(
                f"{ctx}: key 'kind' must be one of {', '.join(KINDS)}; got {self.kind!r}"
            )
        if self.direction not in DIRECTIONS:
            raise IndicatorDefinitionError(
                f"{ctx}: key 'direction' must be one of {', '.join(DIRECTIONS)}; "
                f"got {self.direction!r}"
            )
        needed = EXPRESSION_KEYS[self.kind]
        for key in _ALL_EXPRESSION_KEYS:
            text = getattr(self, key)
            if key in needed and text is None:
                raise IndicatorDefinitionError(
                    f"{ctx}: key {key!r} is required for kind {self.kind!r} "
                    f"(which needs {', '.join(needed)})"
                )
            if key not in needed and text is not None:
                raise IndicatorDefinitionError(
                    f"{ctx}: key {key!r} does not apply to kind {self.kind!r} "
                    f"(which uses {', '.join(needed)})"
                )
        if self.population is not None and not isinstance(self.population, str):
            raise _type_error(ctx, "population", "an expression (text)", self.population)
        self.expressions()  # parses, raising IndicatorDefinitionError on bad text
        if self.per is not None:
            if self.kind != "rate":
                raise IndicatorDefinitionError(f"{ctx}: key 'per' only applies to kind 'rate'")
            if not _is_number(self.per) or not 0 < self.per < math.inf:
                raise _type_error(ctx, "per", "a positive number such as 1000", self.per)
        mmc = self.minimum_meaningful_change
        if mmc is not None and (not _is_number(mmc) or not 0 <= mmc < math.inf):
            raise _type_error(ctx, "minimum_meaningful_change", "a number >= 0", mmc)
        groups = self.disaggregate_by
        if isinstance(groups, str):
            groups = (groups,)
        if not isinstance(groups, list | tuple) or not all(isinstance(g, str) for g in groups):
            raise _type_error(ctx, "disaggregate_by", "a list of column names", groups)
        object.__setattr__(self, "disaggregate_by", tuple(groups))
        if not isinstance(self.frameworks, Mapping):
            raise _type_error(ctx, "frameworks", "a mapping like {sdg: '6.1.1'}", self.frameworks)
        for key, code in self.frameworks.items():
            if not isinstance(key, str) or not isinstance(code, str):
                raise IndicatorDefinitionError(
                    f"{ctx}: key 'frameworks' must map names to text codes; got {key!r}: "
                    f'{code!r} (quote codes in YAML, e.g. sdg: "6.1.1")'
                )
        object.__setattr__(self, "frameworks", MappingProxyType(dict(self.frameworks)))

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
        for key in _REQUIRED_KEYS:
            if key not in entry:
                raise IndicatorDefinitionError(f"{ctx}: required key {key!r} is missing")
        allowed = set(_REQUIRED_KEYS) | set(_OPTIONAL_KEYS) | set(_ALL_EXPRESSION_KEYS)
        unknown = [str(k) for k in entry if k not in allowed]
        if unknown:
            raise IndicatorDefinitionError(
                f"{ctx}: unknown key {', '.join(repr(k) for k in unknown)}; allowed keys are "
                f"{', '.join(sorted(allowed))}"
            )
        values = dict(entry)
        for key in (*_ALL_EXPRESSION_KEYS, "population"):
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
        for key in ("population", *_ALL_EXPRESSION_KEYS, "per", "minimum_meaningful_change"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
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


# ---------------------------------------------------------------------------------------
# Catalog
# ---------------------------------------------------------------------------------------


class Catalog(Mapping[str, Indicator]):
    """An ordered, read-only mapping from indicator id to :class:`Indicator`.

    Examples
    --------
    >>> cat = Catalog.from_yaml('''
    ... indicators:
    ...   - id: reach
    ...     name: Reach
    ...     description: "Eligible people who took part. Columns: eligible, reached."
    ...     unit: proportion
    ...     kind: proportion
    ...     population: eligible
    ...     numerator: reached
    ... ''')
    >>> list(cat)
    ['reach']
    >>> len(cat | Catalog([Indicator(id="visits", name="Visits", description="",
    ...                              unit="visits", kind="sum", value="visits")]))
    2
    """

    def __init__(self, indicators: Iterable[Indicator] = ()):
        items: dict[str, Indicator] = {}
        for ind in indicators:
            if not isinstance(ind, Indicator):
                raise IndicatorDefinitionError(
                    f"a Catalog holds Indicator objects, got {type(ind).__name__}"
                )
            if ind.id in items:
                raise IndicatorDefinitionError(f"indicator {ind.id!r}: duplicate id")
            items[ind.id] = ind
        self._items = items

    def __getitem__(self, key: str) -> Indicator:
        try:
            return self._items[key]
        except KeyError:
            raise KeyError(
                f"no indicator {key!r} in the catalog; it has: {', '.join(self._items)}"
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        ids = ", ".join(list(self._items)[:8])
        more = ", ..." if len(self) > 8 else ""
        return f"Catalog({len(self)} indicators: {ids}{more})"

    def _repr_html_(self) -> str:
        cols = ["id", "name", "kind", "unit", "direction", "definition", "population"]
        return html_block(f"Indicator catalog ({len(self)})", self.to_frame()[cols])

    def merge(self, other: Catalog) -> Catalog:
        """A new catalog with this one's indicators then ``other``'s; shared ids are an error."""
        if not isinstance(other, Catalog):
            raise IndicatorDefinitionError(f"can only merge a Catalog, got {type(other).__name__}")
        shared = [k for k in other if k in self._items]
        if shared:
            raise IndicatorDefinitionError(
                f"cannot merge catalogs: duplicate indicator id {', '.join(map(repr, shared))}"
            )
        return Catalog([*self.values(), *other.values()])

    def __or__(self, other: Catalog) -> Catalog:
        return self.merge(other)

    @classmethod
    def from_dict(cls, data: Any, *, origin: str | None = None) -> Catalog:
        """Build from ``{"indicators": [entry, ...]}`` (or the list of entries itself)."""
        where = f" ({origin})" if origin else ""
        if isinstance(data, Mapping):
            extra = [str(k) for k in data if k != "indicators"]
            if extra:
                raise IndicatorDefinitionError(
                    f"catalog{where}: unknown top-level key {', '.join(map(repr, extra))}; "
                    "expected only 'indicators'"
                )
            if "indicators" not in data:
                raise IndicatorDefinitionError(
                    f"catalog{where}: missing top-level key 'indicators'"
                )
            entries = data["indicators"]
        else:
            entries = data
        if not isinstance(entries, list):
            raise IndicatorDefinitionError(
                f"catalog{where}: 'indicators' must be a list of entries, got "
                f"{type(entries).__name__}"
            )
        seen: set[object] = set()
        for entry in entries:
            ident = entry.get("id") if isinstance(entry, Mapping) else None
            if ident is not None and ident in seen:
                raise IndicatorDefinitionError(
                    f"indicator {ident!r}{where}: key 'id' is a duplicate"
                )
            seen.add(ident)
        return cls(Indicator.from_dict(e, origin=origin) for e in entries)

    @classmethod
    def from_yaml(
        cls, path_or_text: str | os.PathLike[str], *, origin: str | None = None
    ) -> Catalog:
        """Load a catalog from a YAML file or YAML text (read with ``yaml.safe_load``).

        A :class:`pathlib.Path`, or a one-line string ending in ``.yaml``/``.yml`` or naming
        an existing file, is read as a file, and errors name the file; anything else is
        parsed as YAML text.  ``origin`` overrides the name used in errors.
        """
        text, name = _read_yaml_source(path_or_text)
        name = origin or name
        where = f" ({name})" if name else ""
        try:
            data = _yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f" at line {mark.line + 1}" if mark is not None else ""
            raise IndicatorDefinitionError(f"catalog{where}: invalid YAML{line}: {exc}") from None
        return cls.from_dict(data, origin=name)

    def to_frame(self) -> pd.DataFrame:
        """One row per indicator, for documentation tables."""
        rows = []
        for ind in self.values():
            rows.append(
                {
                    "id": ind.id,
                    "name": ind.name,
                    "kind": ind.kind,
                    "unit": ind.unit,
                    "direction": ind.direction,
                    "population": ind.population or "all rows",
                    "definition": ind.definition,
                    "minimum_meaningful_change": ind.minimum_meaningful_change,
                    "disaggregate_by": ", ".join(ind.disaggregate_by),
                    "frameworks": "; ".join(f"{k}: {v}" for k, v in ind.frameworks.items()),
                    "columns": ", ".join(sorted(ind.columns)),
                    "description": ind.description,
                    "source": ind.source,
                }
            )
        columns = [
            "id",
            "name",
            "kind",
            "unit",
            "direction",
            "population",
            "definition",
            "minimum_meaningful_change",
            "disaggregate_by",
            "frameworks",
            "columns",
            "description",
            "source",
        ]
        return pd.DataFrame(rows, columns=columns)


def _read_yaml_source(path_or_text: str | os.PathLike[str]) -> tuple[str, str | None]:
    if isinstance(path_or_text, os.PathLike):
        path = Path(path_or_text)
    elif isinstance(path_or_text, str):
        one_line = "\n" not in path_or_text
        looks_like_path = path_or_text.strip().lower().endswith((".yaml", ".yml"))
        if one_line and (looks_like_path or Path(path_or_text).is_file()):
            path = Path(path_or_text)
        else:
            return path_or_text, None
    else:
        raise IndicatorDefinitionError(
            f"from_yaml() needs a path or YAML text, got {type(path_or_text).__name__}"
        )
    try:
        return path.read_text(encoding="utf-8"), str(path)
    except OSError as exc:
        raise IndicatorDefinitionError(f"catalog ({path}): cannot read the file: {exc}") from None


# ---------------------------------------------------------------------------------------
# Interval formulas (vectorised over groups)
# ---------------------------------------------------------------------------------------


def wilson_interval(
    k: np.ndarray, n: np.ndarray, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion ``k / n`` (Wilson 1927, JASA 22:209-212).

    ``centre = (p + z²/2n) / (1 + z²/n)``, ``half = z √(p(1-p)/n + z²/4n²) / (1 + z²/n)``.
    ``k`` and ``n`` may be non-integer (an effective sample size).  NaN where ``n <= 0``.
    """
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    z = stats.norm.ppf(0.5 + confidence / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(np.maximum(p * (1 - p), 0.0) / n + z**2 / (4 * n**2)) / denom
    bad = ~(n > 0)
    low = np.where(bad, np.nan, np.clip(centre - half, 0.0, 1.0))
    high = np.where(bad, np.nan, np.clip(centre + half, 0.0, 1.0))
    return low, high


def clopper_pearson_interval(
    k: np.ndarray, n: np.ndarray, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Clopper–Pearson "exact" interval (Clopper & Pearson 1934, Biometrika 26:404-413).

    ``low = Beta⁻¹(α/2; k, n-k+1)`` (0 when k = 0), ``high = Beta⁻¹(1-α/2; k+1, n-k)``
    (1 when k = n).  Non-integer ``k``/``n`` (effective sizes) are allowed.
    """
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    alpha = 1 - confidence
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(k <= 0, 0.0, stats.beta.ppf(alpha / 2, k, n - k + 1))
        high = np.where(k >= n, 1.0, stats.beta.ppf(1 - alpha / 2, k + 1, n - k))
    bad = ~(n > 0)
    return np.where(bad, np.nan, low), np.where(bad, np.nan, high)


def t_interval(
    estimate: np.ndarray, se: np.ndarray, df: np.ndarray, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Student-t interval ``estimate ± t(1-α/2; df) · se``; NaN where ``df <= 0``."""
    df = np.asarray(df, dtype=float)
    with np.errstate(invalid="ignore"):
        q = np.where(df > 0, stats.t.ppf(0.5 + confidence / 2, np.where(df > 0, df, 1.0)), np.nan)
    return estimate - q * se, estimate + q * se


def poisson_interval(
    total: np.ndarray, var: np.ndarray, wmax: np.ndarray, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Exact Poisson interval for a (weighted) count.

    Unweighted (``var = total = k``, ``wmax = 1``) this is Garwood's (1936, Biometrika 28:437)
    interval: ``χ²(α/2; 2k)/2`` to ``χ²(1-α/2; 2k+2)/2``.  For a weighted sum
    ``Y = Σ wᵢkᵢ`` with ``v = Σ wᵢ²kᵢ`` and largest weight ``w_M`` it is the gamma interval
    of Fay & Feuer (1997, Stat Med 16:791-801): ``v/(2Y) · χ²(α/2; 2Y²/v)`` to
    ``(v+w_M²)/(2(Y+w_M)) · χ²(1-α/2; 2(Y+w_M)²/(v+w_M²))``, which reduces to Garwood when
    every weight is 1.
    """
    y = np.asarray(total, dtype=float)
    v = np.asarray(var, dtype=float)
    wm = np.asarray(wmax, dtype=float)
    alpha = 1 - confidence
    with np.errstate(divide="ignore", invalid="ignore"):
        low_pos = v / (2 * y) * stats.chi2.ppf(alpha / 2, 2 * y**2 / v)
        low = np.where(y > 0, low_pos, 0.0)
        vu, yu = v + wm**2, y + wm
        high = vu / (2 * yu) * stats.chi2.ppf(1 - alpha / 2, 2 * yu**2 / vu)
    bad = ~(wm > 0)
    return np.where(bad, np.nan, low), np.where(bad, np.nan, high)


def delta_ratio_interval(
    ratio: np.ndarray,
    mean_x: np.ndarray,
    var_y: np.ndarray,
    var_x: np.ndarray,
    cov_xy: np.ndarray,
    n: np.ndarray,
    confidence: float = 0.95,
) -> tuple[np.ndarray, np.ndarray]:
    """Delta-method (normal) interval for ``R = ȳ / x̄`` (Cochran 1977, Sampling
    Techniques, §6.4): ``Var(R) ≈ (s_y² − 2R s_xy + R² s_x²) / (n x̄²)``."""
    z = stats.norm.ppf(0.5 + confidence / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        var = (var_y - 2 * ratio * cov_xy + ratio**2 * var_x) / (n * mean_x**2)
        se = np.sqrt(np.maximum(var, 0.0))
    return ratio - z * se, ratio + z * se


# ---------------------------------------------------------------------------------------
# compute() and evaluate()
# ---------------------------------------------------------------------------------------

_OUTPUT_COLUMNS = (
    "indicator",
    "period",
    "value",
    "ci_low",
    "ci_high",
    "n",
    "n_missing",
    "numerator",
    "denominator",
    "n_eff",
    "name",
    "unit",
    "kind",
    "confidence",
    "ci_method",
)


@dataclass(frozen=True)
class _RowParts:
    """The per-row pieces of one indicator, compiled for one schema."""

    in_population: nw.Expr  # population known to be True (never null)
    ok: nw.Expr  # in population and outcome (and weight) not missing
    missing: nw.Expr  # counted in n_missing
    x: nw.Expr  # numerator condition (0/1), value, events or ratio numerator
    y: nw.Expr | None  # exposure or ratio denominator


def _as_list(indicators: Indicator | Iterable[Indicator] | Catalog) -> list[Indicator]:
    if isinstance(indicators, Indicator):
        return [indicators]
    if isinstance(indicators, Catalog):
        return list(indicators.values())
    if isinstance(indicators, str | bytes) or not isinstance(indicators, Iterable):
        raise IndicatorDefinitionError(
            "expected an Indicator, a list of Indicators or a Catalog, got "
            f"{type(indicators).__name__}"
        )
    return list(Catalog(indicators).values())  # checks types and duplicate ids


def _row_parts(ind: Indicator, schema: Mapping[str, Any], weights: str | None) -> _RowParts:
    exprs = {k: e.compile(schema) for k, e in ind.expressions().items()}
    if "population" in exprs:
        pop = exprs["population"].as_condition(f"indicator {ind.id!r}, key 'population'")
        in_pop = ~pop.missing & pop.value
        pop_missing = pop.missing
    else:
        in_pop, pop_missing = nw.lit(True), nw.lit(False)
    keys = EXPRESSION_KEYS[ind.kind]
    if ind.kind == "proportion":
        x = exprs["numerator"].as_condition(f"indicator {ind.id!r}, key 'numerator'")
        parts = [x.as_number(f"indicator {ind.id!r}, key 'numerator'")]
    else:
        parts = [exprs[k].as_number(f"indicator {ind.id!r}, key {k!r}") for k in keys]
    out_missing = parts[0].missing
    for p in parts[1:]:
        out_missing = out_missing | p.missing
    if weights is not None:
        w = nw.col(weights)
        w_missing = w.is_null()
        if schema[weights].is_float():
            w_missing = w_missing | w.is_nan().fill_null(True)
        out_missing = out_missing | w_missing
    ok = in_pop & ~out_missing
    missing = pop_missing | (in_pop & out_missing)
    return _RowParts(
        in_population=in_pop,
        ok=ok,
        missing=missing,
        x=parts[0].value,
        y=parts[1].value if len(parts) > 1 else None,
    )


def _resolve_methods(method: str | Mapping[str, str] | None) -> dict[str, str]:
    chosen = {kind: names[0] for kind, names in CI_METHODS.items()}
    if method is None:
        return chosen
    if isinstance(method, str):
        name = _METHOD_ALIASES.get(method.lower(), method.lower())
        kinds = [k for k, names in CI_METHODS.items() if name in names]
        if not kinds:
            raise DataError(f"unknown interval method {method!r}; {_methods_text()}")
        for kind in kinds:
            chosen[kind] = name
        return chosen
    if not isinstance(method, Mapping):
        raise DataError(f"method must be None, a name or a mapping kind -> name; {_methods_text()}")
    for kind, raw in method.items():
        if kind not in CI_METHODS:
            raise DataError(f"method: unknown kind {kind!r}; kinds are {', '.join(KINDS)}")
        name = _METHOD_ALIASES.get(str(raw).lower(), str(raw).lower())
        if name not in CI_METHODS[kind]:
            raise DataError(f"method for {kind!r}: unknown {raw!r}; {_methods_text()}")
        chosen[kind] = name
    return chosen


def _methods_text() -> str:
    return "valid: " + "; ".join(f"{k}: {', '.join(v)}" for k, v in CI_METHODS.items())


def _group_keys(by: str | Sequence[str] | None, period: str | None) -> list[str]:
    keys: list[str] = []
    if by is not None:
        keys = [by] if isinstance(by, str) else list(by)
        if not all(isinstance(k, str) for k in keys):
            raise DataError(f"by must be a column name or a list of column names, got {by!r}")
        if len(set(keys)) != len(keys):
            raise DataError(f"by lists a column twice: {keys!r}")
        clash = [k for k in keys if k in _OUTPUT_COLUMNS]
        if clash:
            raise DataError(
                f"by column {clash[0]!r} has the name of an output column; rename it first"
            )
    if period is not None:
        if not isinstance(period, str):
            raise DataError(f"period must be one column name, got {period!r}")
        if period in keys:
            raise DataError(f"column {period!r} is given both in by and as period")
        keys.append(period)
    return keys


def compute(
    indicators: Indicator | Iterable[Indicator] | Catalog,
    data: Any,
    *,
    by: str | Sequence[str] | None = None,
    period: str | None = None,
    weights: str | None = None,
    confidence: float = 0.95,
    method: str | Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Compute indicators with confidence intervals, overall or by group.

    The aggregation runs on the data's own engine (pandas, or Polars eager or lazy, through
    narwhals): each group is reduced to sufficient statistics (counts, Σw, Σw², Σwx, Σwx²,
    Σwxy, ...) with one ``group_by().agg()``; values and intervals are then computed with
    numpy/scipy.  Numeric values are centred on their overall mean before squaring, for
    accuracy.  The input is never modified.

    Parameters
    ----------
    indicators
        One :class:`Indicator`, a list of them, or a :class:`Catalog`.
    data
        A pandas DataFrame, or a Polars DataFrame or LazyFrame.
    by
        Column(s) to disaggregate by; ``None`` gives one overall row per indicator.  To use
        an indicator's defaults: ``compute(ind, df, by=list(ind.disaggregate_by))``.
        Missing group labels form their own group.
    period
        Optional time column; reported in a column named ``period``.
    weights
        Optional column of non-negative sampling weights.  Estimates are weighted; intervals
        use Kish's effective sample size ``n_eff = (Σw)² / Σw²`` (Kish 1965, Survey
        Sampling) in place of ``n`` — see the kinds below.  Rows with a missing weight count
        as missing.
    confidence
        Confidence level of the intervals, in (0, 1).
    method
        Interval method: ``None`` for the defaults, a name applied to every kind it fits
        (``"clopper-pearson"`` — alias ``"beta"`` — for proportions), or a mapping such as
        ``{"proportion": "clopper-pearson"}``.

    Returns
    -------
    pandas.DataFrame
        One row per indicator and group, ordered by indicator then group labels, with
        columns ``indicator``, the ``by`` columns, ``period`` (if given), ``value``,
        ``ci_low``, ``ci_high``, ``n`` (rows in the population with a non-missing outcome),
        ``n_missing`` (rows whose population membership is missing, or that are in the
        population with a missing outcome or weight), ``numerator``, ``denominator``,
        ``n_eff``, ``name``, ``unit``, ``kind``, ``confidence`` and ``ci_method``.

    Notes
    -----
    By kind (weights ``w`` are 1 when not given, so ``Σw = n`` and ``n_eff = n``):

    * **proportion** — ``value = Σw·x / Σw`` with ``x`` the numerator condition (0/1);
      ``numerator = Σw·x`` (the count), ``denominator = Σw``.  Wilson score interval
      (default) or Clopper–Pearson, with ``n_eff`` and ``n_eff·value`` in place of
      ``n`` and ``k``.
    * **mean** — ``value = Σw·x / Σw``; ``numerator = Σw·x``, ``denominator = Σw``.
      t interval: ``se = √(s_w² / n_eff)`` with ``s_w² = [Σw(x − x̄)²/Σw] · n_eff/(n_eff − 1)``
      and ``df = n_eff − 1``; unweighted this is the usual ``s/√n``, ``df = n − 1``.
      (statsmodels' ``DescrStatsW`` treats weights as frequencies, ``df = Σw − 1``; the two
      agree when the weights are rescaled to sum to ``n_eff``.)
    * **sum** — ``value = Σw·x = Σw · mean``; the interval is ``Σw`` times the mean's
      t interval (``Σw`` treated as known); ``numerator = value``, ``denominator = Σw``.
    * **rate** — ``value = Σw·events / Σw·exposure × per``; ``numerator`` and
      ``denominator`` are the two sums.  Exact Poisson interval for the events (Garwood;
      Fay–Feuer gamma interval with weights, see :func:`poisson_interval`) divided by the
      exposure, which is treated as known.
    * **ratio** — ``value = Σw·y / Σw·x`` (numerator over denominator expression);
      ``numerator`` and ``denominator`` are the two sums.  Delta-method normal interval
      (:func:`delta_ratio_interval`) with weighted (co)variances and ``n_eff``.

    Intervals need ``n_eff > 1`` (means, sums, ratios) and are NaN otherwise; a group
    with no rows in the population has ``n = 0`` and NaN value.

    Examples
    --------
    >>> import pandas as pd
    >>> reach = Indicator(id="reach", name="Reach", description="", unit="proportion",
    ...                   kind="proportion", population="eligible", numerator="reached")
    >>> df = pd.DataFrame({"eligible": [True, True, True, True, False],
    ...                    "reached": [True, False, True, None, True],
    ...                    "site": ["a", "a", "b", "b", "b"]})
    >>> out = compute(reach, df)
    >>> out[["indicator", "value", "n", "n_missing", "numerator", "denominator"]]
      indicator     value  n  n_missing  numerator  denominator
    0     reach  0.666667  3          1        2.0          3.0
    >>> [round(float(out.loc[0, c]), 4) for c in ("ci_low", "ci_high")]
    [0.2077, 0.9385]
    >>> compute(reach, df, by="site")[["site", "value", "n"]]
      site  value  n
    0    a    0.5  2
    1    b    1.0  1
    """
    items = _as_list(indicators)
    confidence = check_confidence(confidence)
    keys = _group_keys(by, period)
    methods = _resolve_methods(method)
    if weights is not None and not isinstance(weights, str):
        raise DataError(f"weights must be one column name, got {weights!r}")
    referenced = set(keys) | ({weights} if weights else set())
    for ind in items:
        referenced |= ind.columns
    frame = _from_native(data, referenced)
    schema = dict(frame.collect_schema())
    for col in keys:
        if col not in schema:
            raise MissingColumnError(col, list(schema), "compute(by=/period=)")
    if weights is not None:
        if weights not in schema:
            raise MissingColumnError(weights, list(schema), "compute(weights=)")
        if not schema[weights].is_numeric():
            raise DataError(f"weights column {weights!r} must be numeric, got {schema[weights]}")
    parts = [_row_parts(ind, schema, weights) for ind in items]
    sums = _sufficient_statistics(frame, schema, items, parts, keys, weights)
    tables = [
        _estimates(ind, sums, i, keys, period, confidence, methods[ind.kind], weights is not None)
        for i, ind in enumerate(items)
    ]
    out = pd.concat(tables, ignore_index=True)
    ordered = ["indicator", *keys[: len(keys) - (period is not None)]]
    ordered += ["period"] if period is not None else []
    ordered += [c for c in _OUTPUT_COLUMNS if c not in ("indicator", "period")]
    return out[ordered]


def _from_native(data: Any, columns: Iterable[str]) -> Any:
    """A narwhals DataFrame/LazyFrame over ``data`` (pandas object columns typed first)."""
    try:
        return nw.from_native(prepare_pandas(data, columns))
    except TypeError:
        raise DataError(
            "data must be a pandas DataFrame or a Polars DataFrame/LazyFrame, got "
            f"{type(data).__name__}"
        ) from None


def _sufficient_statistics(
    frame: Any,
    schema: Mapping[str, Any],
    items: list[Indicator],
    parts: list[_RowParts],
    keys: list[str],
    weights: str | None,
) -> pd.DataFrame:
    """One pass for centring constants, one ``group_by().agg()`` for the sums.

    Row-level pieces are materialised in three ``with_columns`` stages (membership and raw
    values; weights and centred values; products) so that no engine evaluates a shared
    sub-expression twice.
    """
    labels = [f"{i}_{s}" for i in range(len(items)) for s in _STATS]
    col = dict(zip(labels, fresh_names(schema, *labels), strict=True))

    def c(i: int, stat: str) -> nw.Expr:
        return nw.col(col[f"{i}_{stat}"])

    stage1: list[nw.Expr] = []
    for i, part in enumerate(parts):
        stage1 += [
            part.ok.alias(col[f"{i}_ok"]),
            nw.when(part.missing).then(1).otherwise(0).alias(col[f"{i}_miss"]),
            nw.when(part.ok).then(1).otherwise(0).alias(col[f"{i}_n"]),
            part.x.alias(col[f"{i}_xr"]),
        ]
        if part.y is not None:
            stage1.append(part.y.alias(col[f"{i}_yr"]))
        if weights is not None:
            stage1.append(part.in_population.alias(col[f"{i}_inpop"]))
    frame = frame.with_columns(*stage1)

    centring: list[nw.Expr] = []
    for i, ind in enumerate(items):
        for var, stat in (("xr", "cx"), ("yr", "cy")):
            if ind.kind in ("mean", "sum", "ratio") and (var == "xr" or ind.kind == "ratio"):
                total = nw.when(c(i, "ok")).then(c(i, var)).otherwise(0.0).sum()
                centring.append((total / c(i, "n").sum()).alias(col[f"{i}_{stat}"]))
    centres: dict[str, float] = {}
    if centring:
        row = _collect(frame.select(*centring), items)
        for name in row.columns:
            v = float(row[name].iloc[0]) if len(row) else 0.0
            centres[name] = v if math.isfinite(v) else 0.0

    w_all = nw.col(weights).cast(nw.Float64) if weights is not None else nw.lit(1.0)
    stage2: list[nw.Expr] = []
    for i, (ind, part) in enumerate(zip(items, parts, strict=True)):
        ok = c(i, "ok")
        stage2.append(nw.when(ok).then(w_all).otherwise(0.0).alias(col[f"{i}_w"]))
        cx = centres.get(col[f"{i}_cx"], 0.0)
        stage2.append(nw.when(ok).then(c(i, "xr") - cx).otherwise(0.0).alias(col[f"{i}_xc"]))
        if part.y is not None:
            cy = centres.get(col[f"{i}_cy"], 0.0)
            stage2.append(nw.when(ok).then(c(i, "yr") - cy).otherwise(0.0).alias(col[f"{i}_yc"]))
        if weights is not None:
            neg = nw.when(c(i, "inpop") & (w_all < 0)).then(1).otherwise(0)
            stage2.append(neg.alias(col[f"{i}_wneg"]))
        if ind.kind == "rate":
            bad = ok & ((c(i, "xr") < 0) | (c(i, "yr") < 0))
            stage2.append(nw.when(bad).then(1).otherwise(0).alias(col[f"{i}_neg"]))
    frame = frame.with_columns(*stage2)

    row_cols: list[nw.Expr] = []
    sum_names: list[str] = []
    max_names: list[str] = []
    for i, ind in enumerate(items):
        w, x, y = c(i, "w"), c(i, "xc"), c(i, "yc")
        add: dict[str, nw.Expr] = {"sw2": w * w, "swx": w * x}
        if ind.kind in ("mean", "sum", "ratio"):
            add["swxx"] = w * x * x
        if ind.kind == "rate":
            add["swy"] = w * y
            add["sw2x"] = w * w * x
        if ind.kind == "ratio":
            add["swy"] = w * y
            add["swyy"] = w * y * y
            add["swxy"] = w * x * y
        for stat, expr in add.items():
            row_cols.append(expr.alias(col[f"{i}_{stat}"]))
        sum_names += [col[f"{i}_{stat}"] for stat in ("n", "miss", "w", *add)]
        if weights is not None:
            sum_names.append(col[f"{i}_wneg"])
        if ind.kind == "rate":
            sum_names.append(col[f"{i}_neg"])
        if ind.kind == "rate":
            max_names.append(col[f"{i}_w"])
    aggs = [nw.col(n).sum() for n in sum_names]
    aggs += [nw.col(n).max().alias(n + "_max") for n in max_names]
    widened = frame.with_columns(*row_cols)
    reduced = widened.group_by(keys).agg(*aggs) if keys else widened.select(*aggs)
    table = _collect(reduced, items)
    if keys:
        table = table.sort_values(keys, na_position="last", kind="stable", ignore_index=True)
    rename = {v: k for k, v in col.items()}
    rename |= {col[f"{i}_w"] + "_max": f"{i}_wmax" for i in range(len(items))}
    rename |= {col[f"{i}_w"]: f"{i}_sw" for i in range(len(items))}
    table = table.rename(columns=rename)
    extra = pd.DataFrame({rename[k]: v for k, v in centres.items()}, index=table.index)
    return pd.concat([table, extra], axis=1)


_STATS = (
    "ok",
    "inpop",
    "xr",
    "yr",
    "w",
    "xc",
    "yc",
    "n",
    "miss",
    "sw",
    "sw2",
    "wneg",
    "swx",
    "swxx",
    "swy",
    "swyy",
    "swxy",
    "sw2x",
    "neg",
    "wmax",
    "cx",
    "cy",
)


def _collect(frame: Any, items: list[Indicator]) -> pd.DataFrame:
    """Run the (possibly lazy) query and return pandas; engine errors become DataError."""
    try:
        if isinstance(frame, nw.LazyFrame):
            frame = frame.collect()
        return frame.to_pandas()
    except (DataError, IndicatorDefinitionError):
        raise
    except Exception as exc:  # the engine's own error, e.g. a type clash in the data
        ids = ", ".join(repr(i.id) for i in items)
        raise DataError(f"computing indicator(s) {ids} failed in the data engine: {exc}") from exc


def _estimates(
    ind: Indicator,
    sums: pd.DataFrame,
    i: int,
    keys: list[str],
    period: str | None,
    confidence: float,
    method: str,
    weighted: bool,
) -> pd.DataFrame:
    def get(stat: str) -> np.ndarray:
        name = f"{i}_{stat}"
        if name not in sums.columns:
            return np.zeros(len(sums))
        return sums[name].to_numpy(dtype=float, na_value=np.nan)

    if weighted and get("wneg").sum() > 0:
        raise DataError(
            f"indicator {ind.id!r}: the weights column has {int(get('wneg').sum())} negative "
            "values among rows in the population; weights must be >= 0"
        )
    if ind.kind == "rate" and get("neg").sum() > 0:
        raise DataError(
            f"indicator {ind.id!r}: {int(get('neg').sum())} rows have negative events or exposure"
        )
    n, sw, sw2 = get("n"), get("sw"), get("sw2")
    with np.errstate(divide="ignore", invalid="ignore"):
        n_eff = np.where(sw2 > 0, sw**2 / sw2, 0.0)
        kish = " (Kish n_eff)" if weighted else ""
        if ind.kind == "proportion":
            num, den = get("swx"), sw
            value = np.where(den > 0, num / den, np.nan)
            k_eff = value * n_eff
            if method == "wilson":
                low, high = wilson_interval(k_eff, n_eff, confidence)
                label = "Wilson score" + kish
            else:
                low, high = clopper_pearson_interval(k_eff, n_eff, confidence)
                label = "Clopper-Pearson exact" + kish
        elif ind.kind in ("mean", "sum"):
            cx = get("cx")
            m_c = get("swx") / sw
            var0 = np.maximum(get("swxx") / sw - m_c**2, 0.0)
            mean = cx + m_c
            se = np.where(n_eff > 1, np.sqrt(var0 / (n_eff - 1)), np.nan)
            low, high = t_interval(mean, se, n_eff - 1, confidence)
            num, den = mean * sw, sw
            label = "t, df = n_eff - 1" if weighted else "t, df = n - 1"
            if ind.kind == "mean":
                value = np.where(sw > 0, mean, np.nan)
            else:
                value, low, high = num, low * sw, high * sw
                value = np.where(sw > 0, value, np.nan)
        elif ind.kind == "rate":
            num, den = get("swx"), get("swy")
            scale = ind.scale
            value = np.where(den > 0, num / den * scale, np.nan)
            lo_k, hi_k = poisson_interval(num, get("sw2x"), get("wmax"), confidence)
            low = np.where(den > 0, lo_k / den * scale, np.nan)
            high = np.where(den > 0, hi_k / den * scale, np.nan)
            label = (
                "exact Poisson, Fay-Feuer gamma (weighted)"
                if weighted
                else "exact Poisson (Garwood)"
            )
        else:  # ratio: numerator expression is x, denominator expression is y
            cx, cy = get("cx"), get("cy")
            mx_c, my_c = get("swx") / sw, get("swy") / sw
            mean_num, mean_den = cx + mx_c, cy + my_c
            bessel = np.where(n_eff > 1, n_eff / (n_eff - 1), np.nan)
            var_num = (get("swxx") / sw - mx_c**2) * bessel
            var_den = (get("swyy") / sw - my_c**2) * bessel
            cov = (get("swxy") / sw - mx_c * my_c) * bessel
            num, den = mean_num * sw, mean_den * sw
            value = np.where((sw > 0) & (mean_den != 0), mean_num / mean_den, np.nan)
            low, high = delta_ratio_interval(
                value, mean_den, var_num, var_den, cov, n_eff, confidence
            )
            label = "delta method (normal)" + kish
    value = np.asarray(value, dtype=float)
    ok = np.isfinite(value)
    out = pd.DataFrame({"indicator": [ind.id] * len(sums)})
    group_cols = keys[: len(keys) - (period is not None)]
    for key in group_cols:
        out[key] = sums[key].to_numpy()
    if period is not None:
        out["period"] = sums[period].to_numpy()
    out["value"] = value
    out["ci_low"] = np.where(ok, low, np.nan)
    out["ci_high"] = np.where(ok, high, np.nan)
    out["n"] = n.astype(np.int64)
    out["n_missing"] = get("miss").astype(np.int64)
    out["numerator"] = np.where(sw > 0, num, 0.0 if ind.kind == "proportion" else np.nan)
    out["denominator"] = np.asarray(den, dtype=float)
    out["n_eff"] = n_eff
    out["name"] = ind.name
    out["unit"] = ind.unit
    out["kind"] = ind.kind
    out["confidence"] = confidence
    out["ci_method"] = label
    return out


def evaluate(indicator: Indicator, data: Any) -> pd.DataFrame:
    """The row-level outcome behind an indicator, for effect estimation.

    Returns a pandas DataFrame with one row per input row (the same index for a pandas
    input) and columns

    * ``in_population`` — the population condition is known to be True;
    * ``missing`` — the row would be counted in ``n_missing`` by :func:`compute`;
    * ``value`` — the unit-level outcome: 1.0/0.0 for a proportion's numerator condition,
      the ``value`` expression for mean/sum, ``events`` for a rate, the ``numerator``
      expression for a ratio; NaN when missing or outside the population;
    * ``exposure`` (rate) or ``denominator`` (ratio) — NaN likewise.

    A difference-in-differences on ``value`` then estimates the change in the indicator
    (for proportions and means; rates and ratios need both columns).

    Examples
    --------
    >>> import pandas as pd
    >>> reach = Indicator(id="reach", name="Reach", description="", unit="proportion",
    ...                   kind="proportion", population="eligible", numerator="reached")
    >>> df = pd.DataFrame({"eligible": [True, True, False], "reached": [True, None, True]})
    >>> evaluate(reach, df)
       in_population  missing  value
    0           True    False    1.0
    1           True     True    NaN
    2          False    False    NaN
    """
    if not isinstance(indicator, Indicator):
        raise IndicatorDefinitionError(
            f"evaluate() needs one Indicator, got {type(indicator).__name__}"
        )
    frame = _from_native(data, indicator.columns)
    schema = dict(frame.collect_schema())
    part = _row_parts(indicator, schema, None)
    extra = {"rate": "exposure", "ratio": "denominator"}.get(indicator.kind)
    base = ["in_population", "missing", "value", *([extra] if extra else [])]
    names = fresh_names(schema, *base)
    exprs = [
        part.in_population.alias(names[0]),
        part.missing.alias(names[1]),
        nw.when(part.ok).then(part.x).alias(names[2]),
    ]
    if extra:
        assert part.y is not None
        exprs.append(nw.when(part.ok).then(part.y).alias(names[3]))
    table = _collect(frame.with_columns(*exprs).select(*names), [indicator])
    return pd.DataFrame(
        {
            base[0]: table[names[0]].to_numpy(dtype=bool),
            base[1]: table[names[1]].to_numpy(dtype=bool),
            **{
                b: table[n].to_numpy(dtype=float, na_value=np.nan)
                for b, n in zip(base[2:], names[2:], strict=True)
            },
        },
        index=data.index if isinstance(data, pd.DataFrame) else None,
    )
