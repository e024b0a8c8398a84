"""Time of ``import impactkit`` in a fresh interpreter (issue 10: target < 0.3 s; 1.7 s before
the imports were made lazy).

Every case runs in its own new ``python`` process (a module is imported only once per process),
and the cases take turns, round after round, so that all of them see the same machine load.
The time is measured inside the child around the statement only (interpreter start-up is not
counted); the median over the rounds is printed, with the heavy libraries the statement left
in ``sys.modules``.

Cases:

- ``import impactkit`` — what the issue's target is about;
- ``import impactkit; impactkit.Catalog`` — the first use of a light name (the indicators);
- ``every public name`` — ``getattr`` of all of ``impactkit.__all__``: what the eager
  ``__init__`` used to cost at import;
- ``import numpy, pandas`` — the baseline an analyst pays anyway.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys

CASES = {
    "import impactkit": "import impactkit",
    "import impactkit; impactkit.Catalog": "import impactkit\nimpactkit.Catalog",
    "every public name": "import impactkit\nfor n in impactkit.__all__: getattr(impactkit, n)",
    "import numpy, pandas (baseline)": "import numpy, pandas",
}
HEAVY = ("pandas", "matplotlib", "statsmodels", "scipy.stats")
CHILD = """
import json, sys, time
start = time.perf_counter()
exec(compile({code!r}, "<bench>", "exec"))
seconds = time.perf_counter() - start
print(json.dumps([seconds, [m for m in {heavy!r} if m in sys.modules]]))
"""
ROUNDS = 9
TARGET = 0.3


def run_once(code: str) -> tuple[float, list[str]]:
    """Seconds the statement took in a new interpreter, and the heavy modules it loaded."""
    child = CHILD.format(code=code, heavy=HEAVY)
    out = subprocess.run(
        [sys.executable, "-c", child], check=True, capture_output=True, text=True
    ).stdout
    seconds, loaded = json.loads(out.strip().splitlines()[-1])
    return float(seconds), list(loaded)


def main() -> None:
    for code in CASES.values():  # warm-up: fill the OS file cache, compile .pyc files
        run_once(code)
    times: dict[str, list[float]] = {name: [] for name in CASES}
    loaded: dict[str, list[str]] = {}
    for _ in range(ROUNDS):
        for name, code in CASES.items():
            seconds, loaded[name] = run_once(code)
            times[name].append(seconds)
    print(f"{'case':<40} {'median':>9} {'min':>9}  heavy modules loaded")
    for name, values in times.items():
        print(
            f"{name:<40} {statistics.median(values) * 1e3:7.0f} ms {min(values) * 1e3:6.0f} ms"
            f"  {', '.join(loaded[name]) or '-'}"
        )
    median = statistics.median(times["import impactkit"])
    verdict = "meets" if median < TARGET else "MISSES"
    print(f"import impactkit: {median:.3f} s median over {ROUNDS} runs ({verdict} < {TARGET} s)")


if __name__ == "__main__":
    main()
