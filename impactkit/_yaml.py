"""Reading YAML safely: ``yaml.safe_load`` semantics, plus duplicate keys are an error.

PyYAML's safe loader builds only plain data (no Python objects are constructed, nothing is
executed) but silently keeps the last of two equal keys in a mapping — a typo that would
change a definition without a word.  :func:`safe_load` rejects that instead.
"""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["safe_load"]


class _UniqueKeyLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that raises on a mapping with a repeated key."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found duplicate key {key!r}",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def safe_load(text: str) -> Any:
    """Parse YAML ``text`` like ``yaml.safe_load``, rejecting duplicate mapping keys.

    Raises
    ------
    yaml.YAMLError
        For invalid YAML or a duplicate key (the message gives the line).
    """
    return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
