"""Tutorial 01, quickstart: indicators and one effect in ten cells."""

from __future__ import annotations

from ._cells import code, md

__all__ = ["QUICKSTART"]

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
