"""The README's DuckDB-over-Parquet example runs as printed and gives pandas' numbers."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
from _engines import assert_same_table

import impactkit as ik

ROOT = Path(__file__).resolve().parents[2]


def test_readme_duckdb_parquet_example(capsys) -> None:  # type: ignore[no-untyped-def]
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## When one machine is not enough") :]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    here = Path.cwd()
    os.chdir(ROOT)
    try:
        namespace: dict[str, object] = {}
        exec(compile(code.group(1), "README.md", "exec"), namespace)  # noqa: S102 - our README
    finally:
        os.chdir(here)
    assert "diarrhoea_prevalence" in capsys.readouterr().out
    survey = pd.read_csv(ROOT / "sample_data/water_filter/households.csv")
    copies = pd.concat([survey.assign(part=i) for i in range(20)], ignore_index=True)
    catalog = namespace["catalog"]
    ref = ik.compute(catalog, copies, by=["arm", "round"])  # type: ignore[arg-type]
    assert_same_table(namespace["table"], ref, ["arm", "round"])  # type: ignore[arg-type]
