"""Typed reading of the initiative YAML: mappings, texts, numbers, names, dates, intervals.

Every error is a :class:`~impactkit.errors.ConfigError` naming the file and the key.  The
file is read with ``yaml.safe_load`` (nothing in it is ever executed).
"""

from __future__ import annotations

import datetime as dt
import math
import stat
from pathlib import Path
from typing import Any

import yaml

from .. import _yaml
from ..errors import ConfigError

__all__ = ["Section", "read_yaml", "date_value", "interval_value", "quote", "regular_file"]

#: Longest value quoted in an error message, and longest message.
QUOTE_LIMIT = 200
MESSAGE_LIMIT = 1200
#: Largest initiative or catalog file read (bytes).
MAX_FILE_BYTES = 5_000_000


def quote(value: Any, limit: int = QUOTE_LIMIT) -> str:
    """``repr(value)`` cut to ``limit`` characters, for error messages."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text):,} characters)"


def clip(message: str, limit: int = MESSAGE_LIMIT) -> str:
    """An error message cut to ``limit`` characters."""
    return message if len(message) <= limit else message[:limit] + "... (cut)"


def regular_file(path: Path, what: str) -> str | None:
    """Why ``path`` cannot be read as a ``what`` (``None`` when it is a regular file).

    Directories, devices, FIFOs and sockets are refused by name (reading a FIFO would wait
    for ever); a symlink loop or a missing file is said as such.
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return f"cannot read the {what}: file not found: {path}"
    except RuntimeError:
        return f"{what} {path} is a symlink loop"
    except OSError as exc:
        if exc.errno == 40:  # ELOOP
            return f"{what} {path} is a symlink loop"
        return f"cannot read the {what} {path}: {exc.strerror or exc}"
    if stat.S_ISREG(mode):
        return None
    kind = (
        "a folder"
        if stat.S_ISDIR(mode)
        else "a FIFO (named pipe)"
        if stat.S_ISFIFO(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "not a regular file"
    )
    return f"{what} {path} is {kind}, not a regular file"


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
        return ConfigError(clip(f"{self.file}: key '{key}': {message}"))

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
        text = str(value).strip()
        if "\x00" in text:
            raise self.error(self.key(name), f"holds a NUL character: {quote(text)}")
        return text

    def number(self, name: str, required: bool = False) -> float | None:
        value = self.get(name, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(self.key(name), f"expected a number, got {quote(value)}")
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise self.error(self.key(name), f"expected a finite number, got {quote(value)}")
        return number

    def names(self, name: str, required: bool = False) -> tuple[str, ...]:
        value = self.get(name, required)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(self.key(name), f"expected a list of names, got {quote(value)}")
        if required and not value:
            raise self.error(self.key(name), "must name at least one entry")
        return tuple(value)

    def choice(self, name: str, options: tuple[str, ...], default: str | None = None) -> str:
        value = self.text(name, required=default is None, default=default)
        if value not in options:
            raise self.error(
                self.key(name), f"expected one of {', '.join(options)}; got {quote(value)}"
            )
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
            section.key(name), f"expected a date YYYY-MM-DD, got {quote(value)}"
        ) from None


def interval_value(section: Section, name: str) -> tuple[float | None, float | None]:
    value = section.get(name)
    if value is None:
        return None, None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        or not all(math.isfinite(v) for v in value)
        or value[0] > value[1]
    ):
        raise section.error(
            section.key(name), f"expected [low, high], finite, low <= high; got {quote(value)}"
        )
    return float(value[0]), float(value[1])


def read_yaml(path: Path, what: str = "initiative file") -> dict[str, Any]:
    """The top-level mapping of a YAML file; every failure is a ConfigError naming it."""
    refused = regular_file(path, what)
    if refused is not None:
        raise ConfigError(refused)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the {what}: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise ConfigError(f"{path}: the {what} is larger than {MAX_FILE_BYTES:,} bytes")
    text = decode_utf8(data, path, what)
    try:
        raw = _yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(clip(f"{path}: not valid YAML: {exc}")) from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of keys at the top level")
    return raw


def decode_utf8(data: bytes, path: Path, what: str) -> str:
    """``data`` as UTF-8 text; otherwise a ConfigError giving the line and the byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(
            f"{path}: the {what} is not UTF-8 text: byte 0x{data[exc.start]:02x} on line {line} "
            "(save it as UTF-8)"
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ConfigError(f"{path}: the {what} holds a NUL character on line {line}")
    return text.removeprefix("\ufeff")
