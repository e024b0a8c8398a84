"""Typed reading of the initiative YAML: mappings, texts, numbers, names, dates, intervals.

Every error is a :class:`~impactkit.errors.ConfigError` naming the file and the key.  The
file is read with ``yaml.safe_load`` (nothing in it is ever executed).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from .. import _yaml
from ..errors import ConfigError

__all__ = ["Section", "read_yaml", "date_value", "interval_value"]


class Section:
    """Typed access to one mapping of the YAML file, with errors naming file and key."""

    def __init__(self, raw: Any, where: str, file: Path, allowed: tuple[str, ...]):
        self.file = file
        self.where = where
        if not isinstance(raw, dict):
            raise self.error(where, f"expected a mapping, got {type(raw).__name__}")
        unknown = [k for k in raw if k not in allowed]
        if unknown:
            raise self.error(
                f"{where}.{unknown[0]}" if where else str(unknown[0]),
                f"unknown key; allowed keys are {', '.join(allowed)}",
            )
        self.raw: dict[str, Any] = raw

    def key(self, name: str) -> str:
        return f"{self.where}.{name}" if self.where else name

    def error(self, key: str, message: str) -> ConfigError:
        return ConfigError(f"{self.file}: key '{key}': {message}")

    def has(self, name: str) -> bool:
        return self.raw.get(name) is not None

    def get(self, name: str, required: bool = False) -> Any:
        if self.raw.get(name) is None:
            if required:
                raise self.error(self.key(name), "is required")
            return None
        return self.raw[name]

    def text(self, name: str, required: bool = False, default: str | None = None) -> str | None:
        value = self.get(name, required)
        if value is None:
            return default
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise self.error(self.key(name), f"expected text, got {type(value).__name__}")
        return str(value).strip()

    def number(self, name: str, required: bool = False) -> float | None:
        value = self.get(name, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(self.key(name), f"expected a number, got {value!r}")
        return float(value)

    def names(self, name: str, required: bool = False) -> tuple[str, ...]:
        value = self.get(name, required)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(self.key(name), f"expected a list of names, got {value!r}")
        if required and not value:
            raise self.error(self.key(name), "must name at least one entry")
        return tuple(value)

    def choice(self, name: str, options: tuple[str, ...], default: str | None = None) -> str:
        value = self.text(name, required=default is None, default=default)
        if value not in options:
            raise self.error(self.key(name), f"expected one of {', '.join(options)}; got {value!r}")
        return value

    def section(
        self, name: str, allowed: tuple[str, ...], required: bool = False
    ) -> Section | None:
        value = self.get(name, required)
        if value is None:
            return None
        return Section(value, self.key(name), self.file, allowed)


def date_value(section: Section, name: str) -> dt.date:
    value = section.get(name, required=True)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise section.error(
            section.key(name), f"expected a date YYYY-MM-DD, got {value!r}"
        ) from None


def interval_value(section: Section, name: str) -> tuple[float | None, float | None]:
    value = section.get(name)
    if value is None:
        return None, None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        or value[0] > value[1]
    ):
        raise section.error(
            section.key(name), f"expected [low, high] with low <= high, got {value!r}"
        )
    return float(value[0]), float(value[1])


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"{path}: cannot read the initiative file: {exc.strerror or exc}"
        ) from exc
    try:
        raw = _yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of keys at the top level")
    return raw
