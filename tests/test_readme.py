"""The README's first Python example runs as printed (from the repository root)."""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_notebook_example_runs(capsys) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## impactkit in a notebook") :]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    assert len(code.group(1).strip().splitlines()) <= 12
    here = Path.cwd()
    os.chdir(ROOT)
    try:
        namespace: dict[str, object] = {}
        exec(compile(code.group(1), "README.md", "exec"), namespace)  # noqa: S102 - our own README
    finally:
        os.chdir(here)
    printed = capsys.readouterr().out
    assert "95 % CI" in printed
    assert "values" in namespace and len(namespace["values"]) > 0  # type: ignore[arg-type]
