"""Build the tutorial notebooks in notebooks/ (committed without outputs).

Usage::

    .venv/bin/python scripts/make_tutorials.py            # write the four notebooks
    .venv/bin/python scripts/make_tutorials.py --check    # also execute each once (nbclient)

Every number in the notebooks comes from an impactkit call; the notebooks hold narration and
the calls only.  ``tests/test_notebooks.py`` executes them and checks that none is committed
with outputs.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def md(text: str) -> nbformat.NotebookNode:
    return new_markdown_cell(text.strip())


def code(text: str) -> nbformat.NotebookNode:
    return new_code_cell(text.strip())


# ------------------------------------------------------------------------------------------
# 01 quickstart: indicators and one effect in ten cells
# ------------------------------------------------------------------------------------------

QUICKSTART = [
    md(
        """
# impactkit in fifteen minutes

impactkit answers three questions an NGO or a foundation has to answer about any initiative:

1. **Did the indicator change?** Each indicator comes with a 95 % confidence interval, so you
   can see how sure the number is.
2. **Was it the initiative?** A before/after comparison becomes an *effect estimate* only when it
   is compared with what would have happened anyway (a comparison group, or the trend before).
3. **Why is the real-world effect smaller than the lab result?** People have to be reached,
   take the product up, keep using it and use it correctly. Each step loses people.

We use the sample initiative *Clean Water at Home*: household water filters in 24 villages,
compared with 16 villages without the programme, surveyed at baseline (early 2024) and endline
(early 2025). The data are synthetic, so we know the true answer (see
`sample_data/water_filter/DATA.md`).
"""
    ),
    code(
        """
%matplotlib inline
import pandas as pd

import impactkit as ik

survey = pd.read_csv("../sample_data/water_filter/households.csv")
survey[["household_id", "village", "arm", "round", "child_diarrhoea_2wk", "filter_in_use"]].head()
"""
    ),
    md(
        """
## Indicators: who counts, what is counted, with a confidence interval

An indicator is defined once, in a YAML *catalog*, in plain words: who is in the population
(households with a child under five and an answer), what is counted (a child had diarrhoea in
the past two weeks), and which direction is better. `ik.compute` evaluates it for every group
and period and adds a 95 % interval (Wilson for proportions).
"""
    ),
    code(
        """
catalog = ik.Catalog.from_yaml("../sample_data/water_filter/indicators.yaml")
diarrhoea = catalog["diarrhoea_prevalence"]
values = ik.compute(diarrhoea, survey, by=["arm", "round"])
values[["arm", "round", "value", "ci_low", "ci_high", "n"]]
"""
    ),
    md(
        """
## One effect: difference-in-differences

Diarrhoea fell in the filter villages, but part of any change between two survey rounds happens
anyway (seasons, outbreaks, other programmes). The comparison villages show that part.
*Difference-in-differences* (DiD) is the change in the filter villages minus the change in the
comparison villages. Households in the same village are alike, so the interval is clustered by
village.
"""
    ),
    code(
        """
result = ik.did(
    survey,
    "child_diarrhoea_2wk",
    treated="treated",
    post="post",
    unit="household_id",
    cluster="village",
    label="Under-5 diarrhoea",
)
print(result.summary())
result.group_means
"""
    ),
    code(
        """
# The shaded band is the smallest change the programme counts as meaningful (3 points).
ax = ik.charts.forest(
    result.effect.to_frame(), mmc=diarrhoea.minimum_meaningful_change, pct=True,
    title="Effect of the filters on under-5 diarrhoea (DiD)",
)
"""
    ),
    md(
        """
## Why adoption matters more than the lab result

In the laboratory the filter removes **99 %** of pathogens. But a filter protects a family only
if the family was reached, received it, started using it, is *still* using it a year later and
uses it correctly. The programme's monitoring records follow every household in the filter
villages through these stages: a *coverage cascade*. Multiplying the lab efficacy by every
step's conversion gives the effect that can reach people in daily life.
"""
    ),
    code(
        """
distribution = pd.read_csv("../sample_data/water_filter/distribution.csv")
stages = ["eligible", "reached", "received_filter", "started_use", "using_at_12m", "correct_use"]
labels = ["Eligible", "Reached", "Received a filter", "Started using it",
          "Still using at 12 months", "Using it correctly"]
funnel = ik.cascade(distribution, stages, unit="household_id", labels=labels)
gap = ik.effectiveness_gap_from_cascade((0.99, 0.985, 0.995), funnel, seed=1)
print(funnel.summary())
print(gap.summary())
ax = gap.plot(title="From 99 % in the lab to the real world")
"""
    ),
    md(
        """
## What you just saw, and where to go next

- The filters reduced diarrhoea by about 8 percentage points (DiD), with a wide interval
  because only 40 villages were compared. The true effect built into the data is −6.4 points.
- Of a 99 % lab result, about 31 % reaches households: most of the loss is households that
  **stopped using** the filter within a year. Improving sustained use is worth more than a
  better filter.

Next: `02_adoption_vs_lab.ipynb` (the whole adoption story, by district, with costs),
`03_before_after_designs.ipynb` (why a naive before/after comparison misleads) and
`04_reproducing_published_results.ipynb` (impactkit against two published studies).
`ik.analyse("initiative.yaml")` computes all of this at once, and `impactkit report` turns it
into a PDF.
"""
    ),
]


# ------------------------------------------------------------------------------------------
# 02 adoption vs lab: the lab-to-real-world story on the water-filter data
# ------------------------------------------------------------------------------------------

ADOPTION = [
    md(
        """
# From the lab to the real world: adoption of water filters

A product that works in the laboratory (*efficacy*) helps people only as far as it reaches
them, is taken up, is still used months later and is used correctly (*effectiveness*). This
notebook follows the *Clean Water at Home* water-filter programme through every step, finds
where the benefit is lost and for whom, and puts a price on each step:

1. the coverage cascade and its bottleneck;
2. equity: the cascade by district;
3. sustained use over time (Kaplan–Meier);
4. how often and how correctly the filter is used (fidelity, usage intensity);
5. the effectiveness gap: from 99 % in the lab to the real world;
6. the voltage ratio: the effect at scale against the pilot's;
7. cost per outcome.

The initiative file (`initiative.yaml`) holds the lab evidence, the pilot result and the costs,
so we read them from there rather than typing them in.
"""
    ),
    code(
        """
%matplotlib inline
import pandas as pd

import impactkit as ik

initiative = ik.load_initiative("../sample_data/water_filter/initiative.yaml")
distribution = initiative.load_data("distribution")  # one row per filter-village household
usage = initiative.load_data("usage")  # usage loggers of households that started using
survey = initiative.load_data("survey")  # the baseline/endline household survey
initiative.lab
"""
    ),
    md(
        """
## 1. The coverage cascade and its bottleneck

Each column of `distribution.csv` is a stage: eligible, reached by a promoter, received a
filter, started using it, still using it at 12 months, using it correctly. `share_of_target` is
the share of all households that got that far; `share_of_previous` is the *conversion* from the
stage before, with a 95 % Wilson interval. The **bottleneck** is the stage with the lowest
conversion — where effort pays off most.
"""
    ),
    code(
        """
spec = initiative.cascade
funnel = ik.cascade(
    distribution, list(spec.stages), unit=spec.unit, by="district", labels=dict(spec.labels)
)
print(funnel.summary())
ax = funnel.plot(title="Water filters: coverage cascade")
funnel.table[["label", "count", "share_of_target", "share_of_previous",
              "share_of_previous_ci_low", "share_of_previous_ci_high", "lost"]]
"""
    ),
    md(
        """
## 2. Equity: who is left behind?

An average cascade can hide a district that is left behind. `funnel.equity` gives each
district's conversion at every stage. Hillside, the remote hill district, loses more
households at **reach** (promoters visit fewer of them) and at **sustained use**.
"""
    ),
    code(
        """
print(funnel.equity_summary())
funnel.equity
"""
    ),
    code(
        """
by_district = funnel.by_group
still_using = by_district[by_district["stage"] == "using_at_12m"]
ax = ik.charts.subgroups(
    still_using, group="group", estimate="share_of_previous",
    ci_low="share_of_previous_ci_low", ci_high="share_of_previous_ci_high",
    overall=funnel.table.set_index("stage").loc["using_at_12m", "share_of_previous"],
    pct=True, title="Still using at 12 months, of those who started",
)
"""
    ),
    md(
        """
## 3. Sustained use over time

The 12-month check is one snapshot. Usage loggers record *when* each household stopped, so the
Kaplan–Meier curve shows the share still using on every day since they started, including
households whose logger stopped early (censored, marked with ticks). The log-rank test asks
whether the districts' curves differ.
"""
    ),
    code(
        """
su = initiative.sustained_use
kept = ik.sustained_use(usage, su.duration, su.abandoned, by="district", horizons=su.horizons)
print(kept.summary())
ax = kept.plot(title="Share of households still using the filter")
kept.table
"""
    ),
    md(
        """
## 4. Fidelity and usage intensity

Using a filter is not the same as using it correctly (all drinking water filtered, clean
storage). The loggers count every use and the uses that met the protocol. *Fidelity* is the
share of uses done correctly; the interval treats each household as a cluster of uses.
*Usage intensity* here is uses per day observed, a ratio indicator computed with `ik.compute`.
"""
    ),
    code(
        """
correct = ik.fidelity(usage, "uses_correct", uses="uses_logged", unit="household_id", by="district")
print(correct.summary())
correct.to_frame()
"""
    ),
    code(
        """
uses_per_day = ik.Indicator.from_dict({
    "id": "uses_per_day",
    "name": "Filter uses per day",
    "description": "Logged filter uses per day of observation, among households that started.",
    "unit": "uses per day",
    "kind": "ratio",
    "numerator": "uses_logged",
    "denominator": "days_observed",
})
ik.compute(uses_per_day, usage, by="district")[["district", "value", "ci_low", "ci_high", "n"]]
"""
    ),
    md(
        """
## 5. The effectiveness gap: 99 % in the lab, about 31 % in daily life

Real-world effect = lab efficacy × every step's conversion (the multiplicative logic of
*effective coverage*). The waterfall shows how much of the lab effect each step removes; the
loss is shared out between steps on the log scale, so the shares add up to 100 %. The interval
comes from a seeded Monte Carlo simulation of every step's uncertainty.
"""
    ),
    code(
        """
lab = initiative.lab
gap = ik.effectiveness_gap_from_cascade(
    (lab.efficacy, lab.ci_low, lab.ci_high), funnel, seed=20240101
)
print(gap.summary())
ax = gap.plot(title="Where the lab effect is lost")
gap.steps
"""
    ),
    md(
        """
## 6. The voltage ratio: at scale against the pilot

A small pilot with weekly promoter visits cut diarrhoea by 15 percentage points. At scale, the
difference-in-differences between filter and comparison villages is the field effect. The
*voltage ratio* (field ÷ pilot, with Fieller's interval) says how much of the pilot effect
survived scaling up.
"""
    ),
    code(
        """
at_scale = ik.did(survey, "child_diarrhoea_2wk", "treated", "post",
                  unit="household_id", cluster="village", label="Under-5 diarrhoea")
voltage = ik.voltage_ratio(at_scale.effect, lab.pilot_effect)
print(at_scale.summary())
print(voltage.summary())
"""
    ),
    md(
        """
## 7. Cost per outcome

The same budget looks very different per household reached and per household still using the
filter correctly a year later. The last line divides the cost by the real-world effect: the
cost per household fully protected (in lab-equivalent terms).
"""
    ),
    code(
        """
costs = initiative.costs
per_stage = ik.cost_per_outcome(costs.total, funnel, currency=initiative.currency)
per_effect = ik.cost_per_outcome(costs.total, gap, currency=initiative.currency,
                                 population=funnel.target)
print(per_effect.summary())
pd.concat([per_stage.to_frame(), per_effect.to_frame()], ignore_index=True)
"""
    ),
    md(
        """
## What to take away

- The lab promise (99 %) shrinks to about 31 % of households protected; the single largest
  loss is households that **stop using** the filter within a year, and Hillside is behind at
  both reach and sustained use.
- The at-scale effect on diarrhoea is about half the pilot's (with a wide interval): the pilot's
  weekly visits kept people using the filter.
- A dollar buys far less at the end of the cascade than at the start: the cost per household
  still using the filter correctly is nearly three times the cost per household reached.
- Hillside households that do use the filter also use it correctly less often (fidelity).

`ik.analyse` computes all of these from the initiative file in one call; its summary repeats
the numbers above.
"""
    ),
    code(
        """
analysis = ik.analyse(initiative)
print(analysis.summary())
"""
    ),
]


# ------------------------------------------------------------------------------------------
# 03 before/after designs: naive pre/post vs DiD vs ITS
# ------------------------------------------------------------------------------------------

DESIGNS = [
    md(
        """
# Before and after: why the naive comparison misleads

"The indicator was 27 % before and 14 % after, so the programme cut it by 12 points" is the most
common — and most misleading — sentence in impact reporting. Things change between two
measurements for many reasons: seasons, trends, other programmes, chance. A credible estimate
compares the change with what would have happened **without** the programme:

- **difference-in-differences (DiD)**: the change in a comparison group that did not get the
  programme;
- **interrupted time series (ITS)**: the trend (and seasonal rhythm) before the programme,
  projected forward.

We compare the naive before/after change with each design on the same data.
"""
    ),
    code(
        """
%matplotlib inline
import matplotlib.pyplot as plt
import pandas as pd

import impactkit as ik

COLUMNS = ["label", "estimate", "ci_low", "ci_high", "p_value", "n", "method"]
"""
    ),
    md(
        """
## 1. Water filters: naive pre/post against difference-in-differences

The naive estimate looks only at the filter villages: endline minus baseline. The comparison
villages show the change that happened without filters. DiD subtracts one from the other.
"""
    ),
    code(
        """
survey = pd.read_csv("../sample_data/water_filter/households.csv")
outcome = "child_diarrhoea_2wk"
filter_villages = survey[survey["treated"] == 1]
comparison = survey[survey["treated"] == 0]

naive = ik.pre_post(
    filter_villages.loc[filter_villages["post"] == 0, outcome].dropna(),
    filter_villages.loc[filter_villages["post"] == 1, outcome].dropna(),
    paired=False, label="Naive: filter villages, endline - baseline",
)
anyway = ik.pre_post(
    comparison.loc[comparison["post"] == 0, outcome].dropna(),
    comparison.loc[comparison["post"] == 1, outcome].dropna(),
    paired=False, label="Comparison villages, endline - baseline",
)
did = ik.did(survey, outcome, "treated", "post", unit="household_id", cluster="village",
             label="Difference-in-differences")

water = pd.concat([e.to_frame() for e in (naive, anyway, did.effect)], ignore_index=True)
water[COLUMNS]
"""
    ),
    code(
        """
ax = ik.charts.forest(water, pct=True, mmc=0.03,
                      title="Under-5 diarrhoea: naive change vs DiD")
"""
    ),
    md(
        """
**Reading it.** In the filter villages diarrhoea fell by about 12 points — but in the comparison
villages, which got no filters, it *also* fell, by about 5 points over the same year (a drier
year, better clinics: things change for everyone). DiD nets out that shared change and finds
about −8 points. The data were generated with a true effect of −6.4 points (`DATA.md`): the
naive number claims almost twice the real effect. In another year the common change could have
gone the other way, and the naive number would have *understated* the effect. Also note that
the naive interval ignores that households in a village are alike; the DiD interval is
clustered by village and is honestly wider.
"""
    ),
    md(
        """
## 2. Tutoring: naive before/after mean against interrupted time series

*Learning Boost* started in September 2024. We have 24 months of school results before and 18
after. Scores were already rising by about 0.3 points a month, and they rise and fall with the
school year. The naive comparison (mean after − mean before) credits the programme with the
trend. An ITS fits the trend before the start, projects it forward as the counterfactual, and
estimates the *level change* (the jump at the start) and the *slope change* (extra gain per
month). Adding seasonal terms and Newey–West errors (for month-to-month correlation) is the
design in the initiative file.
"""
    ),
    code(
        """
monthly = pd.read_csv("../sample_data/tutoring/monthly.csv", parse_dates=["month"])
start = "2024-09-01"

naive_mean = ik.pre_post(
    monthly.loc[monthly["post"] == 0, "mean_score"],
    monthly.loc[monthly["post"] == 1, "mean_score"],
    paired=False, label="Naive: mean after - mean before",
)
trend_only = ik.its(monthly, "month", "mean_score", start, label="ITS, trend only")
full = ik.its(monthly, "month", "mean_score", start, seasonality=2, hac_lags=3,
              label="ITS, trend + season (HAC)")

tutoring = pd.concat(
    [naive_mean.to_frame(), trend_only.to_frame(), full.to_frame()], ignore_index=True
)
tutoring[["label", "estimate", "ci_low", "ci_high", "p_value", "n"]]
"""
    ),
    code(
        """
fig, axes = plt.subplots(1, 2, figsize=(12, 4), sharey=True, layout="constrained")
trend_only.plot(ax=axes[0], title="ITS, trend only")
full.plot(ax=axes[1], title="ITS, trend + season")
"""
    ),
    md(
        """
**Reading it.** The naive comparison says +23 points. Part of that is the trend the schools
were already on (0.3 points a month over the ~21 months between the middle of the two periods)
and the slope change. The seasonal ITS finds a jump of about 15 points at the start and about
0.4 extra points per month afterwards — the true values built into the data are 14.7 and 0.41
(`DATA.md`). Without seasonal terms the school-year rhythm is left in the residuals: the jump is
estimated less precisely (wider interval) and the slope change disappears into the noise.
"""
    ),
    md(
        """
## 3. When there is no comparison: say what the number contains

The cookstove programme has only a before and an after survey of the same households. The
paired pre/post change is the best this design can do, but it contains everything that changed
in that year. In these data fuelwood use fell by about 3 % for everyone (true total change
−0.64 kg/day, of which only −0.44 is the stoves; `DATA.md`), and the design cannot tell the two
apart. impactkit reports such a change as "from before to after", never as an effect of the
programme.
"""
    ),
    code(
        """
stoves = ik.analyse("../sample_data/cookstoves/initiative.yaml")
print(stoves.outcome("fuelwood_use").effect.summary())
"""
    ),
]


# ------------------------------------------------------------------------------------------
# 04 reproducing published results
# ------------------------------------------------------------------------------------------

PUBLISHED = [
    md(
        """
# Reproducing published results

Before trusting a tool with your own programme, check that it gives the published answer on
public data. `sample_data/reference/` holds two classic data sets (see its README):

- **Card & Krueger (1994)**: did New Jersey's 1992 minimum-wage rise cut fast-food employment?
  A difference-in-differences against neighbouring Pennsylvania.
- **Lopez Bernal, Cummins & Gasparrini (2017)**: did Sicily's 2005 smoking ban reduce acute
  coronary events? An interrupted time series with a Poisson model.

The published numbers are typed in from the papers; every impactkit number comes from a call.
"""
    ),
    code(
        """
%matplotlib inline
import pandas as pd

import impactkit as ik

njmin = pd.read_csv("../sample_data/reference/njmin3.csv")
sicily = pd.read_csv("../sample_data/reference/sicily.csv")
"""
    ),
    md(
        """
## Card & Krueger: difference-in-differences

`fte` is full-time-equivalent employment per restaurant, `nj` = 1 for New Jersey (the minimum
wage rose) and `d` = 1 after the rise. The DiD is the New Jersey change minus the Pennsylvania
change; the paper's Table 3 also gives the four group means. We use classical (non-robust)
standard errors, as in the paper's era.
"""
    ),
    code(
        """
ck = ik.did(njmin, "fte", treated="nj", post="d", se="nonrobust", label="FTE employment")
print(ck.summary())
ck.group_means
"""
    ),
    code(
        """
means = ck.group_means.set_index(["group", "period"])["mean"]
pd.DataFrame(
    {
        "published": [23.33, 21.17, 20.44, 21.03, 2.76, 1.36],
        "impactkit": [
            means["control", "pre"], means["control", "post"],
            means["treated", "pre"], means["treated", "post"],
            ck.estimate, ck.effect.se,
        ],
    },
    index=["Pennsylvania before", "Pennsylvania after", "New Jersey before", "New Jersey after",
           "difference-in-differences", "standard error"],
).round(2)
"""
    ),
    md(
        """
The four group means agree with the paper to two decimals, and the DiD to within 0.01 (OLS on
the 794 store-rounds with an answer gives 2.7536, as the reference README states). The
standard error differs: the paper's 1.36 is computed from the stores' own changes, while this
pooled regression treats the two rounds as separate observations — a reminder to say which
model an interval comes from. Either way, employment did **not** fall in New Jersey.
"""
    ),
    md(
        """
## Sicily smoking ban: interrupted time series with a Poisson model

Monthly acute coronary events (`aces`) 2002–2006, with the age-standardised population
(`stdpop`) as the exposure, so the model is for the *rate*. The ban started in January 2005
(`time` = 37). The paper's main model has a level change and no slope change
(`slope_change=False`); the level change is reported as a **rate ratio**: 0.894 means the
rate dropped by about 11 %. The paper then adds seasonality (two harmonics) and allows for
over-dispersion (quasi-Poisson): 0.885.
"""
    ),
    code(
        """
main = ik.its(sicily, "time", "aces", 37, family="poisson", exposure="stdpop",
              slope_change=False, label="Acute coronary events")
seasonal = ik.its(sicily, "time", "aces", 37, family="quasipoisson", exposure="stdpop",
                  seasonality={"harmonics": 2, "period": 12}, slope_change=False,
                  label="Acute coronary events, seasonal")
print(main.level_rate_ratio.summary())
print(seasonal.level_rate_ratio.summary())
"""
    ),
    code(
        """
rr, rr_seasonal = main.level_rate_ratio, seasonal.level_rate_ratio
pd.DataFrame(
    {
        "published": [0.894, 0.865, 0.925, 0.885],
        "impactkit": [rr.estimate, rr.ci_low, rr.ci_high, rr_seasonal.estimate],
    },
    index=["rate ratio (Poisson)", "95 % CI low", "95 % CI high",
           "rate ratio (seasonal, quasi-Poisson)"],
).round(3)
"""
    ),
    code(
        """
ax = seasonal.plot(title="Sicily: acute coronary events and the counterfactual without the ban")
"""
    ),
    md(
        """
Both rate ratios and the interval match the paper to three decimals. The chart shows the
observed series, the fitted model and the counterfactual — the seasonal pattern continued
without the ban — from which the level change is measured.
"""
    ),
]


NOTEBOOK_CELLS = {
    "01_quickstart.ipynb": QUICKSTART,
    "02_adoption_vs_lab.ipynb": ADOPTION,
    "03_before_after_designs.ipynb": DESIGNS,
    "04_reproducing_published_results.ipynb": PUBLISHED,
}


def build(name: str) -> nbformat.NotebookNode:
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


def execute(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
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
    parser.add_argument("--check", action="store_true", help="execute each notebook once")
    parser.add_argument("--keep-executed", type=Path, help="write executed copies into this folder")
    args = parser.parse_args()
    for name in NOTEBOOK_CELLS:
        nb = build(name)
        nbformat.validate(nb)
        nbformat.write(nb, str(NOTEBOOKS / name))
        # the code cells follow the house style (ruff lints and formats notebooks too)
        ruff = Path(sys.executable).parent / "ruff"
        subprocess.run([str(ruff), "format", "--quiet", str(NOTEBOOKS / name)], check=True)
        nb = nbformat.read(str(NOTEBOOKS / name), as_version=4)
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
