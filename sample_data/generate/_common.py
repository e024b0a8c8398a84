"""Helpers shared by the sample generators: deterministic CSV writing, missing values,
cascade stages, censored device follow-up and the DATA.md data dictionary."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

# A column's documentation: (meaning, type, allowed values, missing-value code).
ColumnDoc = tuple[str, str, str, str]
EMPTY = "empty cell"
NONE = "never missing"


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` deterministically: no index, ``\\n`` line endings, fixed float format.

    Missing values (``NaN`` / ``pd.NA``) are written as empty cells.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n", float_format="%.2f", na_rep="")


def write_csvs(out: Path, frames: Mapping[str, pd.DataFrame]) -> None:
    """:func:`write_csv` each ``{file name: frame}`` into the folder ``out``, in order."""
    for name, frame in frames.items():
        write_csv(frame, out / name)


def iso(days: np.ndarray, origin: dt.date) -> list[str]:
    """ISO dates ``origin + days`` as strings (``YYYY-MM-DD``)."""
    return [(origin + dt.timedelta(days=int(d))).isoformat() for d in days]


def with_missing(
    values: np.ndarray, rng: np.random.Generator, share: float, mask: np.ndarray | None = None
) -> pd.Series:
    """Return ``values`` as a nullable series with a random ``share`` blanked (plus ``mask``)."""
    out = pd.Series(values)
    if out.dtype.kind in "iub":
        out = out.astype("Int64")
    blank = rng.random(len(values)) < share
    if mask is not None:
        blank |= mask
    out[blank] = pd.NA if out.dtype == "Int64" else np.nan
    return out


def next_stage(rng: np.random.Generator, previous: np.ndarray, p: float | np.ndarray) -> np.ndarray:
    """One cascade stage: units of the ``previous`` stage that convert with probability ``p``.

    Draws ``rng.random(len(previous))`` (one uniform per unit, converted or not), so the order
    of the draws is the order of the stages.
    """
    return previous & (rng.random(len(previous)) < p)


def by_key(values: Mapping[str, float], keys: np.ndarray) -> np.ndarray:
    """``values[k]`` for every ``k`` in ``keys`` (for example a district's probability per unit)."""
    return np.array([values[k] for k in keys])


def weighted_by(names: Sequence[str], counts: Sequence[int], values: Mapping[str, float]) -> float:
    """Mean of ``values[name]`` weighted by ``counts`` (same order as ``names``)."""
    total = sum(counts)
    return sum(n / total * values[d] for d, n in zip(names, counts, strict=True))


def censored_follow_up(
    rng: np.random.Generator,
    time_to_abandon: np.ndarray,
    *,
    origin: dt.date,
    end: dt.date,
    failure_share: float,
    failure_days: tuple[int, int],
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Device records (usage logger, stove monitor) of the units whose use started.

    Use starts on a random day in the 12 weeks from ``origin``; observation ends at ``end``
    (administrative censoring) or earlier when the device fails (``failure_share`` of devices,
    after a uniform number of days in ``failure_days``), or at abandonment, whichever comes
    first.  Returns the ISO start dates, the days observed (>= 1) and the abandoned flags.
    """
    m = len(time_to_abandon)
    start_day = rng.integers(0, 84, m)
    cutoff = (end - origin).days - start_day
    device_end = np.where(rng.random(m) < failure_share, rng.integers(*failure_days, m), cutoff)
    follow = np.minimum(cutoff, device_end)
    t_ab = np.maximum(np.ceil(time_to_abandon).astype(int), 1)
    abandoned = t_ab <= follow
    days = np.where(abandoned, t_ab, follow).astype(int)
    return iso(start_day, origin), days, abandoned


def fmt_value(value: object) -> str:
    """Format a true parameter the way DATA.md prints it (tests use this function too)."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple | list):
        return ", ".join(fmt_value(v) for v in value)
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {fmt_value(v)}" for k, v in value.items())
    return str(value)


def truth_rows(truth: object, descriptions: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(parameter, value, meaning) rows for every field of a TRUE-parameter dataclass."""
    rows = []
    for f in dataclasses.fields(truth):  # type: ignore[arg-type]
        rows.append((f.name, fmt_value(getattr(truth, f.name)), descriptions.get(f.name, "")))
    return rows


def md_table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    """A GitHub-flavoured markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
    return "\n".join(lines)


def write_data_md(
    path: Path,
    *,
    title: str,
    intro: str,
    files: Mapping[str, tuple[str, Mapping[str, ColumnDoc]]],
    truth: object,
    truth_descriptions: Mapping[str, str],
    derived: list[tuple[str, str, str]],
    teaches: str,
) -> None:
    """Write a DATA.md: file descriptions, one column table per file, the truth tables."""
    parts = [f"# {title}", "", intro.strip(), ""]
    parts += ["Generated by `python -m sample_data.generate` (do not edit by hand; rerun it).", ""]
    for name, (about, columns) in files.items():
        parts += [f"## `{name}`", "", about.strip(), ""]
        rows = [(f"`{col}`", *doc) for col, doc in columns.items()]
        parts += [md_table(("column", "meaning", "type", "allowed values", "missing"), rows), ""]
    parts += ["## True parameters used to generate the data", ""]
    parts += [
        md_table(("parameter", "value", "meaning"), truth_rows(truth, truth_descriptions)),
        "",
    ]
    parts += ["## Implied true effects (computed from the parameters above)", ""]
    parts += [md_table(("quantity", "value", "how it is computed"), derived), ""]
    parts += ["## What this sample teaches", "", teaches.strip(), ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts), encoding="utf-8", newline="\n")


# Descriptions of the TRUE parameters every initiative has (each adds its own below).
COMMON_TRUTH_DOC = {
    "seed": "seed of numpy.random.default_rng",
    "districts": "district names",
    "lab_ci": "its 95 % CI",
    "pilot_ci": "its 95 % CI",
    "costs_total": "total programme cost, USD",
    "costs_items": "cost items, USD",
}
