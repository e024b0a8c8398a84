"""Indicator catalogs: an ordered, read-only mapping id -> Indicator, read from YAML.

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

The keys are those of :class:`~impactkit.indicators.definitions.Indicator`.
:func:`resolve_catalog` is the one place where a catalog *specification* — ``"standard"``
(the built-in catalog of :mod:`impactkit.catalogs`), a :class:`Catalog`, a YAML path, or a
list of these merged in order — becomes a :class:`Catalog`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from .. import _yaml
from .._display import html_block
from ..errors import ConfigError, IndicatorDefinitionError
from .definitions import Indicator

__all__ = ["Catalog", "CatalogSpec", "resolve_catalog"]


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
            detail = str(exc)[:600]
            raise IndicatorDefinitionError(
                f"catalog{where}: invalid YAML{line}: {detail}"
            ) from None
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
        if one_line and (looks_like_path or _is_file(path_or_text)):
            path = Path(path_or_text)
        else:
            return path_or_text, None
    else:
        raise IndicatorDefinitionError(
            f"from_yaml() needs a path or YAML text, got {type(path_or_text).__name__}"
        )
    from ..initiative._reader import MAX_FILE_BYTES, decode_utf8, regular_file

    refused = regular_file(path, "catalog file")
    if refused is not None:
        raise IndicatorDefinitionError(f"catalog ({path}): {refused}")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise IndicatorDefinitionError(f"catalog ({path}): cannot read the file: {exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise IndicatorDefinitionError(f"catalog ({path}): larger than {MAX_FILE_BYTES:,} bytes")
    try:
        return decode_utf8(data, path, "catalog file"), str(path)
    except ConfigError as exc:
        raise IndicatorDefinitionError(f"catalog ({path}): {exc}") from None


def _is_file(text: str) -> bool:
    try:
        return Path(text).is_file()
    except (OSError, ValueError):  # too long a name, a NUL character...
        return False


#: What names a catalog: ``"standard"``, a :class:`Catalog`, or a path to a YAML file.
CatalogSpec = str | os.PathLike[str] | Catalog


def resolve_catalog(
    spec: CatalogSpec | Sequence[CatalogSpec],
    base_dir: str | os.PathLike[str] | None = None,
) -> Catalog:
    """Resolve a catalog specification, or several merged in order, into one :class:`Catalog`.

    Each item is ``"standard"`` (the built-in catalog, :func:`impactkit.catalogs.standard`),
    a :class:`Catalog` (returned as is), or a path to a YAML file; a relative path is taken
    relative to ``base_dir`` when given (e.g. the folder of an initiative file).  Several
    items are merged left to right with :meth:`Catalog.merge`, so a duplicate id is an error.

    Raises
    ------
    IndicatorDefinitionError
        For an empty list, an item of the wrong type, a file that does not exist (naming the
        path), or any error in a catalog file (naming the file).
    """
    if isinstance(spec, Catalog | str | os.PathLike):
        return _resolve_one(spec, base_dir)
    if not isinstance(spec, Sequence) or isinstance(spec, bytes):
        raise _spec_error(spec)
    if not spec:
        raise IndicatorDefinitionError("no catalog given: list 'standard' and/or YAML paths")
    catalog = _resolve_one(spec[0], base_dir)
    for item in spec[1:]:
        catalog = catalog.merge(_resolve_one(item, base_dir))
    return catalog


def _resolve_one(spec: object, base_dir: str | os.PathLike[str] | None) -> Catalog:
    if isinstance(spec, Catalog):
        return spec
    if isinstance(spec, str) and spec.strip() == "standard":
        from ..catalogs import standard  # impactkit.catalogs imports this module

        return standard()
    if not isinstance(spec, str | os.PathLike):
        raise _spec_error(spec)
    path = Path(spec)
    if base_dir is not None and not path.is_absolute():
        path = Path(base_dir) / path
    if not path.is_file():
        raise IndicatorDefinitionError(f"catalog file not found: {path}")
    return Catalog.from_yaml(path)


def _spec_error(spec: object) -> IndicatorDefinitionError:
    return IndicatorDefinitionError(
        f"a catalog is 'standard', a Catalog or a YAML path; got {type(spec).__name__}"
    )
