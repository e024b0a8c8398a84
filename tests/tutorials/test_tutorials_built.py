"""The committed tutorial notebooks are exactly what ``scripts/make_tutorials.py`` builds.

The script is run in a fresh interpreter into a temporary folder; each notebook it writes must
equal the committed one, outputs stripped from both (the committed ones have none; that is
checked by tests/test_notebooks.py), so an edit made in the notebook but not in the script, or
in the script without rebuilding, fails here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from _testpaths import ROOT

SCRIPT = ROOT / "scripts" / "make_tutorials.py"
TUTORIALS = sorted(p.name for p in (ROOT / "notebooks").glob("0*.ipynb"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tutorials")
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)], check=True, cwd=ROOT)
    return out


def _stripped(path: Path) -> str:
    nb = nbformat.read(str(path), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nbformat.writes(nb)


def test_script_builds_every_committed_tutorial(built: Path) -> None:
    assert TUTORIALS, "no tutorial notebooks found in notebooks/"
    assert sorted(p.name for p in built.glob("*.ipynb")) == TUTORIALS


@pytest.mark.parametrize("name", TUTORIALS)
def test_committed_tutorial_matches_the_script(built: Path, name: str) -> None:
    committed = _stripped(ROOT / "notebooks" / name)
    assert committed == _stripped(built / name), (
        f"notebooks/{name} differs from what scripts/make_tutorials.py builds; edit the cells in "
        "scripts/tutorials/ and rerun `python scripts/make_tutorials.py` (or `make tutorials`)"
    )
