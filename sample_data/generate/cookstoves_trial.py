"""cookstoves_trial: a cluster-randomised trial of free improved cookstoves in 24 villages.

Villages (the unit of randomisation) are randomised within each district (the strata): half
receive a free improved stove for every household, half serve as controls. Households are
surveyed at baseline and at endline; some are lost by endline, more of them in the stove arm
(at random, independently of their outcomes), so the differential-attrition test fires and
the report shows Lee bounds. The effects are additive and the same for every household, so
the true intention-to-treat effects are the parameters themselves.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ._common import COMMON_TRUTH_DOC, EMPTY, NONE, ColumnDoc, write_csvs, write_data_md

__all__ = ["TrialTruth", "COOKSTOVES_TRIAL", "generate_cookstoves_trial"]


@dataclass(frozen=True)
class TrialTruth:
    """TRUE parameters of the cookstoves_trial sample."""

    seed: int = 20240311
    districts: tuple[str, ...] = ("Eastvale", "Westvale", "Southridge")
    villages_per_district: int = 8
    households_per_village: int = 25
    fuelwood_mean: float = 6.0
    fuelwood_village_sd: float = 0.8
    fuelwood_household_sd: float = 1.6
    fuelwood_noise_sd: float = 1.0
    fuelwood_effect: float = -1.8
    cooking_hours_mean: float = 3.5
    cooking_hours_sd: float = 0.9
    cooking_hours_effect: float = -0.5
    respiratory_baseline: float = 0.32
    respiratory_effect: float = -0.08
    secular_change: Mapping[str, float] = dataclasses.field(
        default_factory=lambda: {"fuelwood": -0.3, "cooking_hours": 0.0, "respiratory": -0.02}
    )
    attrition: Mapping[str, float] = dataclasses.field(
        default_factory=lambda: {"control": 0.05, "stove": 0.12}
    )


COOKSTOVES_TRIAL = TrialTruth()


def _villages(rng: np.random.Generator, t: TrialTruth) -> pd.DataFrame:
    """Villages, randomised half-and-half within each district."""
    rows = []
    for d in t.districts:
        arms = np.array(
            ["stove"] * (t.villages_per_district // 2)
            + ["control"] * (t.villages_per_district - t.villages_per_district // 2)
        )
        rng.shuffle(arms)
        for k, arm in enumerate(arms):
            rows.append(
                (f"{d[:2].upper()}-{k + 1:02d}", d, arm, rng.normal(0, t.fuelwood_village_sd))
            )
    return pd.DataFrame(rows, columns=["village", "district", "arm", "village_effect"])


def _households(rng: np.random.Generator, t: TrialTruth, villages: pd.DataFrame) -> pd.DataFrame:
    hh = villages.loc[villages.index.repeat(t.households_per_village)].reset_index(drop=True)
    n = len(hh)
    stove = (hh["arm"] == "stove").to_numpy(dtype=float)
    level = (
        t.fuelwood_mean
        + hh["village_effect"].to_numpy()
        + rng.normal(0, t.fuelwood_household_sd, n)
    )
    fuel0 = level + rng.normal(0, t.fuelwood_noise_sd, n)
    fuel1 = (
        level
        + t.secular_change["fuelwood"]
        + t.fuelwood_effect * stove
        + rng.normal(0, t.fuelwood_noise_sd, n)
    )
    hours_level = rng.normal(t.cooking_hours_mean, t.cooking_hours_sd, n)
    hours0 = hours_level + rng.normal(0, 0.4, n)
    hours1 = hours_level + t.cooking_hours_effect * stove + rng.normal(0, 0.4, n)
    p1 = t.respiratory_baseline + t.secular_change["respiratory"] + t.respiratory_effect * stove
    resp0 = rng.random(n) < t.respiratory_baseline
    resp1 = rng.random(n) < p1
    lost = rng.random(n) < hh["arm"].map(dict(t.attrition)).to_numpy()
    frame = pd.DataFrame(
        {
            "household_id": [f"CT-{i + 1:04d}" for i in range(n)],
            "village": hh["village"],
            "district": hh["district"],
            "arm": hh["arm"],
            "hh_size": np.minimum(1 + rng.poisson(4.0, n), 12),
            "female_head": (rng.random(n) < 0.3).astype(int),
            "fuelwood_baseline": np.maximum(fuel0, 0.3),
            "fuelwood_endline": np.maximum(fuel1, 0.3),
            "cooking_hours_baseline": np.clip(hours0, 0.5, 8),
            "cooking_hours_endline": np.clip(hours1, 0.5, 8),
            "respiratory_baseline": resp0.astype(int),
            "respiratory_endline": pd.array(resp1.astype(int), dtype="Int64"),
        }
    )
    for col in ("fuelwood_endline", "cooking_hours_endline"):
        frame.loc[lost, col] = np.nan
    frame.loc[lost, "respiratory_endline"] = pd.NA
    frame["interviewed_endline"] = (~lost).astype(int)
    return frame


def generate_cookstoves_trial(out: Path, t: TrialTruth = COOKSTOVES_TRIAL) -> None:
    """Write households.csv and DATA.md into ``out`` (deterministic in ``t``)."""
    rng = np.random.default_rng(t.seed)
    villages = _villages(rng, t)
    write_csvs(out, {"households.csv": _households(rng, t, villages)})
    _write_data_md(out, t)


CT_TRUTH_DOC = {
    **COMMON_TRUTH_DOC,
    "districts": "districts = randomisation strata",
    "villages_per_district": "villages per district, half randomised to the stove arm",
    "households_per_village": "households surveyed per village at baseline",
    "fuelwood_mean": "mean fuelwood use, kg/day, at baseline",
    "fuelwood_village_sd": "SD of the village effect on fuelwood use (kg/day)",
    "fuelwood_household_sd": "SD of the household's lasting level around its village",
    "fuelwood_noise_sd": "SD of each round's measurement around the household's level",
    "fuelwood_effect": "TRUE effect of the stove arm on fuelwood use at endline, kg/day",
    "cooking_hours_mean": "mean cooking time, hours/day",
    "cooking_hours_sd": "SD of cooking time between households",
    "cooking_hours_effect": "TRUE effect on cooking time, hours/day",
    "respiratory_baseline": "P(cough or wheeze in the past 2 weeks) at baseline",
    "respiratory_effect": "TRUE effect on that probability at endline",
    "secular_change": "change from baseline to endline in both arms",
    "attrition": "P(not re-interviewed at endline), by arm (independent of outcomes)",
}

_MEASURE = "float (kg/day)"
CT_COLUMNS: dict[str, ColumnDoc] = {
    "household_id": ("household identifier", "string", "CT-0001 ...", NONE),
    "village": ("village (the unit of randomisation)", "string", "EA-01 ...", NONE),
    "district": (
        "district (randomisation stratum)",
        "string",
        "Eastvale, Westvale, Southridge",
        NONE,
    ),
    "arm": ("assigned arm of the household's village", "string", "stove, control", NONE),
    "hh_size": ("household members at baseline", "integer", "1-12", NONE),
    "female_head": ("1 if the household head is a woman", "integer 0/1", "0, 1", NONE),
    "fuelwood_baseline": ("fuelwood used per day at baseline", _MEASURE, ">= 0.3", NONE),
    "fuelwood_endline": ("fuelwood used per day at endline", _MEASURE, ">= 0.3", f"{EMPTY} (lost)"),
    "cooking_hours_baseline": ("hours cooking per day at baseline", "float", "0.5-8", NONE),
    "cooking_hours_endline": (
        "hours cooking per day at endline",
        "float",
        "0.5-8",
        f"{EMPTY} (lost)",
    ),
    "respiratory_baseline": (
        "1 if the cook had cough/wheeze (2 weeks), baseline",
        "integer 0/1",
        "0, 1",
        NONE,
    ),
    "respiratory_endline": ("the same at endline", "integer 0/1", "0, 1", f"{EMPTY} (lost)"),
    "interviewed_endline": ("1 if re-interviewed at endline", "integer 0/1", "0, 1", NONE),
}


def _write_data_md(out: Path, t: TrialTruth) -> None:
    derived = [
        ("true effect on fuelwood use (kg/day)", f"{t.fuelwood_effect:g}", "fuelwood_effect"),
        (
            "true effect on cooking time (hours/day)",
            f"{t.cooking_hours_effect:g}",
            "cooking_hours_effect",
        ),
        ("true effect on respiratory symptoms", f"{t.respiratory_effect:g}", "respiratory_effect"),
        (
            "differential attrition (stove - control)",
            f"{t.attrition['stove'] - t.attrition['control']:g}",
            "attrition[stove] - attrition[control]",
        ),
    ]
    write_data_md(
        out / "DATA.md",
        title="cookstoves_trial: a cluster-randomised trial of free improved stoves (synthetic)",
        intro="""
Synthetic household survey of a cluster-randomised trial (fictional): 24 villages in three
districts, randomised within district, 25 households per village surveyed before the stoves
were handed out (baseline) and a year later (endline). One row per household; the endline
columns are empty for households that could not be re-interviewed.
""",
        files={"households.csv": ("One row per randomised household.", CT_COLUMNS)},
        truth=t,
        truth_descriptions=CT_TRUTH_DOC,
        derived=derived,
        teaches="""
A randomised comparison (`design.type: rct`): the stove arm against the control arm at
endline, ANCOVA on each outcome's baseline value, district (strata) fixed effects and
errors clustered by village. With 24 villages the cluster-robust (CR1) interval is too
narrow, so the report takes its intervals from the wild cluster bootstrap. More households
were lost in the stove arm than in control: the differential-attrition test flags it and
the report shows Lee (2009) bounds. Attrition here is random, so the ANCOVA intervals still
cover the true effects stated above, and the Lee bounds (which do not assume that) contain
them too.
""",
    )
