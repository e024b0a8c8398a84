"""district_rollout: a maternal-health programme rolled out district by district in waves.

A balanced panel of districts by year (facility births from the district health records).
Districts join in three waves (2019, 2021, 2023) or not at all by 2024; the effect differs
by wave and grows with the years since a district joined, which is exactly the case where
the two-way fixed-effects DiD is biased (Goodman-Bacon 2021) and the staggered estimator of
Callaway & Sant'Anna (2021) recovers the truth.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ._common import COMMON_TRUTH_DOC, NONE, ColumnDoc, write_csvs, write_data_md

__all__ = [
    "RolloutTruth",
    "DISTRICT_ROLLOUT",
    "generate_district_rollout",
    "rollout_true_att",
    "rollout_expected_simple",
    "rollout_expected_by_wave",
]


@dataclass(frozen=True)
class RolloutTruth:
    """TRUE parameters of the district_rollout sample."""

    seed: int = 20190302
    regions: tuple[str, ...] = ("North", "East", "South", "West")
    districts_per_region_and_wave: int = 4
    waves: tuple[int, ...] = (2019, 2021, 2023, 0)  # 0 = not reached by 2024
    first_year: int = 2016
    last_year: int = 2024
    baseline_share_mean: float = 0.52
    baseline_share_sd: float = 0.07
    yearly_trend: float = 0.012
    year_shock_sd: float = 0.01
    noise_sd: float = 0.012
    births_range: tuple[int, int] = (900, 3200)
    effect_at_start: Mapping[str, float] = dataclasses.field(
        default_factory=lambda: {"2019": 0.06, "2021": 0.04, "2023": 0.02}
    )
    effect_growth_per_year: Mapping[str, float] = dataclasses.field(
        default_factory=lambda: {"2019": 0.025, "2021": 0.015, "2023": 0.0}
    )


DISTRICT_ROLLOUT = RolloutTruth()


def rollout_true_att(t: RolloutTruth, wave: int, year: int) -> float:
    """The true effect in ``year`` for districts of ``wave`` (0 before their start)."""
    if wave == 0 or year < wave:
        return 0.0
    key = str(wave)
    return t.effect_at_start[key] + t.effect_growth_per_year[key] * (year - wave)


def _post_cells(t: RolloutTruth) -> list[tuple[int, int]]:
    return [(g, y) for g in t.waves if g for y in range(t.first_year, t.last_year + 1) if y >= g]


def rollout_expected_simple(t: RolloutTruth = DISTRICT_ROLLOUT) -> float:
    """The true "simple" average (CS 2021): every post-start wave-year, waves equally large."""
    cells = _post_cells(t)
    return float(np.mean([rollout_true_att(t, g, y) for g, y in cells]))


def rollout_expected_by_wave(t: RolloutTruth = DISTRICT_ROLLOUT) -> dict[int, float]:
    """The true average effect of each wave over its post-start years."""
    out = {}
    for g in (w for w in t.waves if w):
        years = range(g, t.last_year + 1)
        out[g] = float(np.mean([rollout_true_att(t, g, y) for y in years]))
    return out


def _panel(rng: np.random.Generator, t: RolloutTruth) -> pd.DataFrame:
    k = t.districts_per_region_and_wave
    rows = []
    number = 0
    level = {}
    for region in t.regions:
        for wave in t.waves:
            for _ in range(k):
                number += 1
                level[number] = (
                    region,
                    wave,
                    rng.normal(t.baseline_share_mean, t.baseline_share_sd),
                )
    years = list(range(t.first_year, t.last_year + 1))
    shock = {y: rng.normal(0.0, t.year_shock_sd) for y in years}
    for d, (region, wave, base) in level.items():
        births = rng.integers(*t.births_range, len(years))
        for y, n in zip(years, births, strict=True):
            share = (
                base
                + t.yearly_trend * (y - t.first_year)
                + shock[y]
                + rollout_true_att(t, wave, y)
                + rng.normal(0.0, t.noise_sd)
            )
            facility = rng.binomial(int(n), float(np.clip(share, 0.01, 0.99)))
            rows.append((f"D{d:02d}", region, wave, y, int(n), int(facility)))
    frame = pd.DataFrame(
        rows, columns=["district", "region", "wave", "year", "births", "facility_births"]
    )
    frame["programme_active"] = ((frame["wave"] > 0) & (frame["year"] >= frame["wave"])).astype(int)
    return frame


def generate_district_rollout(out: Path, t: RolloutTruth = DISTRICT_ROLLOUT) -> None:
    """Write districts.csv and DATA.md into ``out`` (deterministic in ``t``)."""
    rng = np.random.default_rng(t.seed)
    frame = _panel(rng, t)
    frame = frame[
        [
            "district",
            "region",
            "wave",
            "year",
            "programme_active",
            "births",
            "facility_births",
        ]
    ]
    write_csvs(out, {"districts.csv": frame})
    _write_data_md(out, t)


DR_TRUTH_DOC = {
    **COMMON_TRUTH_DOC,
    "regions": "regions; every region has districts of every wave",
    "districts_per_region_and_wave": "districts of each wave in each region (64 districts)",
    "waves": "first programme year of each wave; 0 = not reached by the last year",
    "first_year": "first year of the panel",
    "last_year": "last year of the panel",
    "baseline_share_mean": "mean share of births in a facility in a district in the first year",
    "baseline_share_sd": "SD of that share between districts (district fixed effect)",
    "yearly_trend": "common rise of the share per year without the programme",
    "year_shock_sd": "SD of a shock common to every district in a year (year fixed effect)",
    "noise_sd": "SD of the district-year deviation of the true share",
    "births_range": "births per district and year, uniform",
    "effect_at_start": "effect on the share in the first programme year, by wave",
    "effect_growth_per_year": "added effect per further programme year, by wave",
}

DR_COLUMNS: dict[str, ColumnDoc] = {
    "district": ("district identifier", "string", "D01-D64", NONE),
    "region": ("region", "string", "North, East, South, West", NONE),
    "wave": (
        "first programme year of the district (0 = not reached by 2024)",
        "integer",
        "0, 2019, 2021, 2023",
        NONE,
    ),
    "year": ("calendar year of the health records", "integer", "2016-2024", NONE),
    "programme_active": (
        "1 from the district's first programme year on",
        "integer 0/1",
        "0, 1",
        NONE,
    ),
    "births": ("births recorded in the district in the year", "integer", "900-3199", NONE),
    "facility_births": ("of which in a health facility", "integer", "0-births", NONE),
}


def _write_data_md(out: Path, t: RolloutTruth) -> None:
    by_wave = rollout_expected_by_wave(t)
    derived = [
        (
            "true average effect over every post-start wave-year (CS simple aggregation)",
            f"{rollout_expected_simple(t):.4f}",
            "mean of effect_at_start + growth x (year - wave) over wave-years with year >= wave",
        )
    ] + [
        (
            f"true average effect of wave {g}",
            f"{v:.4f}",
            f"mean over {g}-{t.last_year} of the wave's effect",
        )
        for g, v in by_wave.items()
    ]
    write_data_md(
        out / "DATA.md",
        title="district_rollout: a maternal-health programme rolled out in waves (synthetic)",
        intro="""
Synthetic health-records panel of 64 districts in four regions, 2016-2024, for a programme
(fictional) that trained midwives and paid for transport to a health facility. Districts
joined in three waves (2019, 2021, 2023); a quarter had not been reached by 2024. The
outcome is the share of births that took place in a health facility.
""",
        files={
            "districts.csv": (
                "One row per district and year (a balanced panel).",
                DR_COLUMNS,
            )
        },
        truth=t,
        truth_descriptions=DR_TRUTH_DOC,
        derived=derived,
        teaches="""
The effect differs by wave and grows with the years since a district joined. A two-way
fixed-effects difference-in-differences (district and year dummies, one "programme active"
coefficient) then compares later waves with districts already treated, whose outcomes are
still rising because of the programme: it understates the effect well below the truth
(Goodman-Bacon 2021). The staggered estimator (`design.type: staggered_did`, Callaway &
Sant'Anna 2021) compares each wave only with districts not yet treated or never treated, and
its interval covers the true average effect stated above; the report shows both.
""",
    )
