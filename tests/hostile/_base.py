"""Small, valid initiatives that the hostile cases break one thing at a time.

Three designs, seeded and tiny so that a case runs in well under a second:

* ``prepost``: a paired before/after survey of 40 households with a cascade, sustained use,
  lab evidence with a pilot effect, costs and a subgroup;
* ``its``: 42 monthly counts with an intervention after month 24;
* ``did``: 30 households in two arms, two rounds.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

CATALOG = """\
indicators:
  - id: fuel
    name: "Fuel use"
    description: "Mean fuel used per day."
    unit: "kg per day"
    kind: mean
    value: "fuel_kg"
    direction: decrease
    minimum_meaningful_change: 0.5
  - id: symptoms
    name: "Respiratory symptoms"
    description: "Share with cough or wheeze."
    unit: "share of households"
    kind: proportion
    population: "notnull(symptoms)"
    numerator: "symptoms == 1"
    direction: decrease
    minimum_meaningful_change: 0.05
  - id: score
    name: "Mean score"
    description: "Mean monthly score."
    unit: "points"
    kind: mean
    value: "score"
    direction: increase
    minimum_meaningful_change: 5
"""

PREPOST = """\
name: "Hostile test initiative"
organisation: "Test organisation"
description: "A small before/after survey used to try broken and hostile inputs."
period: {start: 2024-01-01, end: 2024-12-31}
currency: USD
report_date: 2025-01-15
data:
  survey: survey.csv
  sales: sales.csv
  usage: usage.csv
columns:
  unit: household_id
  period: round
indicators:
  catalog: [indicators.yaml]
  headline: [fuel]
  outcomes: [fuel, symptoms]
design:
  type: pre_post
  data: survey
  before: before
  after: after
  paired: true
adoption:
  cascade:
    data: sales
    stages: [aware, bought, using]
    labels: {aware: "Aware", bought: "Bought a stove", using: "Still using"}
    unit: household_id
  sustained_use:
    data: usage
    duration: days
    abandoned: abandoned
    horizons: [90, 180]
lab:
  efficacy: 0.5
  ci: [0.4, 0.6]
  source: "Lab test"
  pilot_effect:
    indicator: fuel
    estimate: -1.0
    ci: [-1.5, -0.5]
    n: 50
    source: "Pilot"
costs:
  total: 10000
  items: {stoves: 6000, staff: 4000}
subgroups: [district]
multiplicity: holm
"""

ITS = """\
name: "Hostile ITS"
organisation: "Test organisation"
description: "Monthly scores around an intervention."
period: {start: 2021-01-01, end: 2024-06-30}
report_date: 2025-01-15
data:
  monthly: monthly.csv
indicators:
  catalog: [indicators.yaml]
  headline: [score]
design:
  type: its
  data: monthly
  time: month
  intervention: 2023-01-01
  hac_lags: 3
"""

DID = """\
name: "Hostile DiD"
organisation: "Test organisation"
description: "Two arms, two rounds."
period: {start: 2024-01-01, end: 2024-12-31}
report_date: 2025-01-15
data:
  survey: survey.csv
columns:
  unit: household_id
  period: round
indicators:
  catalog: [indicators.yaml]
  headline: [fuel]
design:
  type: did
  data: survey
  treated: treated
  post: post
"""


def _prepost_frames(rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    n = 40
    ids = [f"H{i:03d}" for i in range(n)]
    district = np.where(np.arange(n) % 2 == 0, "North", "South")
    before = rng.normal(5.0, 1.0, n).round(2)
    after = (before - 1.0 + rng.normal(0, 0.5, n)).round(2)
    survey = pd.DataFrame(
        {
            "household_id": ids * 2,
            "district": list(district) * 2,
            "round": ["before"] * n + ["after"] * n,
            "survey_date": ["2024-01-15"] * n + ["2024-12-01"] * n,
            "fuel_kg": np.concatenate([before, after]),
            "symptoms": rng.integers(0, 2, 2 * n),
        }
    )
    aware = np.ones(n, dtype=int)
    bought = (rng.random(n) < 0.7).astype(int)
    using = bought * (rng.random(n) < 0.7).astype(int)
    sales = pd.DataFrame({"household_id": ids, "aware": aware, "bought": bought, "using": using})
    usage = pd.DataFrame({"days": rng.integers(20, 300, 30), "abandoned": rng.integers(0, 2, 30)})
    return {"survey.csv": survey, "sales.csv": sales, "usage.csv": usage}


def _its_frames(rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    months = pd.date_range("2021-01-01", periods=42, freq="MS")
    post = (months >= "2023-01-01").astype(int)
    score = 50 + 0.2 * np.arange(42) + 4 * post + rng.normal(0, 1.0, 42)
    frame = pd.DataFrame({"month": months.strftime("%Y-%m-%d"), "score": score.round(2)})
    return {"monthly.csv": frame}


def _did_frames(rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    n = 30
    ids = [f"D{i:03d}" for i in range(n)]
    treated = (np.arange(n) < n // 2).astype(int)
    base = rng.normal(5.0, 1.0, n)
    rows = []
    for post in (0, 1):
        fuel = base + 0.3 * post - 1.0 * treated * post + rng.normal(0, 0.4, n)
        rows.append(
            pd.DataFrame(
                {
                    "household_id": ids,
                    "round": "after" if post else "before",
                    "treated": treated,
                    "post": post,
                    "fuel_kg": fuel.round(2),
                }
            )
        )
    return {"survey.csv": pd.concat(rows, ignore_index=True)}


DESIGNS = {
    "prepost": (PREPOST, _prepost_frames),
    "its": (ITS, _its_frames),
    "did": (DID, _did_frames),
}


def make_initiative(folder: Path, design: str = "prepost") -> Path:
    """Write a valid initiative of ``design`` into ``folder``; returns its initiative.yaml."""
    text, frames = DESIGNS[design]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "indicators.yaml").write_text(CATALOG, encoding="utf-8")
    for name, frame in frames(np.random.default_rng(20240)).items():
        frame.to_csv(folder / name, index=False)
    path = folder / "initiative.yaml"
    path.write_text(text, encoding="utf-8")
    return path
