"""Wall-time helpers shared by the ``bench_*.py`` scripts (imported, not run by run.py)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def seconds(fn: Callable[[], object]) -> float:
    """Wall time (s) of one call of ``fn``."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median_time(fn: Callable[[], object], repeat: int = 7) -> float:
    """Median wall time (s) of ``repeat`` consecutive calls of ``fn``."""
    return statistics.median([seconds(fn) for _ in range(repeat)])


def compare(
    repeat: int, ours: Callable[[], object], base: Callable[[], object]
) -> tuple[float, float]:
    """Median wall times (s) of ``ours`` and ``base``, called alternately so that both see the
    same machine load: at least ``repeat`` times each, and until 0.3 s have passed (at most
    50 times) so that fast cases get enough samples.  One untimed warm-up call of each first."""
    ours()
    base()
    a: list[float] = []
    b: list[float] = []
    start = time.perf_counter()
    while len(a) < repeat or (time.perf_counter() - start < 0.3 and len(a) < 50):
        a.append(seconds(ours))
        b.append(seconds(base))
    return statistics.median(a), statistics.median(b)


def peak_extra_bytes(fn: Callable[[], object]) -> int:
    """Peak memory (bytes) that one call of ``fn`` allocates on top of what was allocated
    before it, as traced by :mod:`tracemalloc` (numpy and pandas buffers are traced; memory
    that Polars, pyarrow, DuckDB or a JVM allocate natively is not, so use it for pandas)."""
    import gc
    import tracemalloc

    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        fn()
        return max(0, tracemalloc.get_traced_memory()[1] - before)
    finally:
        tracemalloc.stop()
