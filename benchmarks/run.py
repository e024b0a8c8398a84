"""Run every benchmark in this folder (``make benchmarks``).

Each ``bench_*.py`` times impactkit against a plain pandas / statsmodels baseline in the
same run and prints the ratios.  Benchmarks are run on demand, never in the test suite.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).resolve().parent
    scripts = sorted(here.glob("bench_*.py"))
    for script in scripts:
        print(f"== {script.name}", flush=True)
        runpy.run_path(str(script), run_name="__main__")
    return 0 if scripts else 1


if __name__ == "__main__":
    sys.exit(main())
