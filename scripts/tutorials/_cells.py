"""The two cell constructors the tutorial modules are written with."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell


def md(text: str) -> nbformat.NotebookNode:
    """A markdown cell (surrounding blank lines stripped)."""
    return new_markdown_cell(text.strip())


def code(text: str) -> nbformat.NotebookNode:
    """A code cell (surrounding blank lines stripped; ruff formats it when written)."""
    return new_code_cell(text.strip())
