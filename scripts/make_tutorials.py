"""Build the tutorial notebooks in notebooks/ (committed without outputs).

Usage::

    .venv/bin/python scripts/make_tutorials.py              # write the four notebooks
    .venv/bin/python scripts/make_tutorials.py --out DIR    # write them into DIR instead
    .venv/bin/python scripts/make_tutorials.py --check      # also execute each once (nbclient)

The cells live in ``scripts/tutorials/`` (one module per notebook).  Every number in the
notebooks comes from an impactkit call; the notebooks hold narration and the calls only.
``tests/test_notebooks.py`` executes them and checks that none is committed with outputs;
``tests/tutorials/test_tutorials_built.py`` checks that the committed notebooks are exactly what
this script writes.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_notebook
from tutorials import NOTEBOOK_CELLS

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def build(name: str) -> nbformat.NotebookNode:
    """The notebook ``name`` from its cells, with stable cell ids and a python3 kernelspec."""
    nb = new_notebook(cells=NOTEBOOK_CELLS[name])
    for i, cell in enumerate(nb.cells):  # stable ids: rebuilding gives the same files
        cell["id"] = f"{name[:2]}-{i:02d}"
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def write(nb: nbformat.NotebookNode, path: Path) -> None:
    """Validate and write ``nb``, then ruff-format its code cells with the project's settings
    (so that a notebook written outside the repository is formatted the same)."""
    nbformat.validate(nb)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    ruff = Path(sys.executable).parent / "ruff"
    config = str(ROOT / "pyproject.toml")
    subprocess.run([str(ruff), "format", "--quiet", "--config", config, str(path)], check=True)


def execute(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """An executed copy of ``nb`` (run from notebooks/, so relative data paths resolve)."""
    from nbclient import NotebookClient

    executed = nbformat.from_dict(nb)
    NotebookClient(
        executed,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    ).execute()
    return executed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=NOTEBOOKS, help="folder (default notebooks/)")
    parser.add_argument("--check", action="store_true", help="execute each notebook once")
    parser.add_argument("--keep-executed", type=Path, help="write executed copies into this folder")
    args = parser.parse_args()
    for name in NOTEBOOK_CELLS:
        path = args.out / name
        write(build(name), path)
        nb = nbformat.read(str(path), as_version=4)
        if args.check or args.keep_executed:
            start = time.perf_counter()
            executed = execute(nb)
            seconds = time.perf_counter() - start
            if args.keep_executed:
                args.keep_executed.mkdir(parents=True, exist_ok=True)
                nbformat.write(executed, str(args.keep_executed / name))
            print(f"{name}: ran in {seconds:.1f} s")  # noqa: T201  (a script, not the library)


if __name__ == "__main__":
    main()
