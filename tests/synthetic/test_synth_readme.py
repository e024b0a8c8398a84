"""The README's synthetic-control example runs as printed and gives the numbers it states
(the point estimate is R synthdid 0.0.9's published -15.60383)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_readme_synthetic_control_example_runs() -> None:
    import matplotlib.pyplot as plt

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## One treated place: synthetic control") :]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    here = Path.cwd()
    os.chdir(ROOT)
    try:
        namespace: dict[str, object] = {}
        exec("import pandas as pd\nimport impactkit as ik\n" + code.group(1), namespace)  # noqa: S102
    finally:
        os.chdir(here)
        plt.close("all")
    sc = namespace["sc"]
    assert sc.estimate == pytest.approx(-15.60383, abs=1e-4)  # type: ignore[attr-defined]
    assert list(sc.top_donors(3).index) == ["Nevada", "New Hampshire", "Connecticut"]  # type: ignore[attr-defined]
    assert sc.placebo_p_value == pytest.approx(1 / 39)  # type: ignore[attr-defined]
