"""Reading YAML safely: ``yaml.safe_load`` semantics, plus duplicate keys are an error.

PyYAML's safe loader builds only plain data (no Python objects are constructed, nothing is
executed) but silently keeps the last of two equal keys in a mapping — a typo that would
change a definition without a word.  :func:`safe_load` rejects that instead.

It also limits what a small file can make of itself: at most :data:`MAX_ALIASES` aliases
(``*name``), at most :data:`MAX_NODES` values once every alias is expanded (a "billion
laughs" file is refused before it is built), nesting at most :data:`MAX_DEPTH` deep, and
mapping keys must be plain values (a list or mapping as a key is an error, not a crash).
"""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["safe_load", "MAX_ALIASES", "MAX_NODES", "MAX_DEPTH"]

MAX_ALIASES = 100
MAX_NODES = 100_000
MAX_DEPTH = 64


class _UniqueKeyLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that raises on a repeated or unhashable key and on oversized
    documents (see the module docstring)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases = getattr(self, "_aliases", 0) + 1
            if self._aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(
                    None, None, f"more than {MAX_ALIASES} aliases (*name) in one file", mark
                )
        return super().compose_node(parent, index)

    def construct_yaml_timestamp(self, node: Any) -> Any:
        """A date-shaped value that is no date (2024-02-30) stays text, so that the key
        that needs a date names it."""
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return self.construct_scalar(node)

    def construct_document(self, node: Any) -> Any:
        _check_size(node)
        return super().construct_document(node)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                repeated = key in seen
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found a {type(key).__name__} as a key (keys must be names or numbers)",
                    key_node.start_mark,
                ) from None
            if repeated:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found duplicate key {_short(key)}",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _UniqueKeyLoader.construct_yaml_timestamp
)


def _check_size(root: Any) -> None:
    """Count the values of the expanded document without expanding it (memoised by node)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[Any, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, children_done = stack.pop()
        if depth > MAX_DEPTH:
            raise yaml.composer.ComposerError(
                None, None, f"values nested more than {MAX_DEPTH} deep", node.start_mark
            )
        if id(node) in sizes:
            continue
        kids = _children(node)
        if children_done or not kids:
            total = 1 + sum(sizes.get(id(k), 0) for k in kids)
            if total > MAX_NODES:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"the file expands to more than {MAX_NODES:,} values (aliases repeated "
                    "inside aliases)",
                    node.start_mark,
                )
            sizes[id(node)] = total
            continue
        stack.append((node, depth, True))
        stack.extend((k, depth + 1, False) for k in kids if id(k) not in sizes)


def _children(node: Any) -> list[Any]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _short(value: Any, limit: int = 200) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text):,} characters)"


def safe_load(text: str) -> Any:
    """Parse YAML ``text`` like ``yaml.safe_load``, rejecting duplicate mapping keys.

    Raises
    ------
    yaml.YAMLError
        For invalid YAML, a duplicate or unhashable key, too many aliases, too large an
        expansion or too deep a nesting (the message gives the line).
    """
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except RecursionError:
        raise yaml.YAMLError(f"values nested too deeply (more than {MAX_DEPTH} levels)") from None
