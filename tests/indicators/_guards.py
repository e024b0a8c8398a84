"""Test guards shared by test_expressions and test_indicators."""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from contextlib import contextmanager

import pytest


@contextmanager
def no_eval() -> Iterator[None]:
    """builtins.eval / exec raise while the block runs."""

    real_exec = builtins.exec

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"eval must never be called: {args[:1]!r}")

    def exec_files_only(source: object, *args: object, **kwargs: object) -> None:
        # Python's import system runs module code through exec(); allow code objects compiled
        # from files, refuse any text or code compiled from a string.
        if isinstance(source, str | bytes) or not str(source.co_filename).endswith(".py"):  # type: ignore[attr-defined]
            raise AssertionError(f"exec must never be called: {source!r}")
        real_exec(source, *args, **kwargs)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(builtins, "eval", refuse)
        mp.setattr(builtins, "exec", exec_files_only)
        yield
