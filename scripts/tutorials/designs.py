"""Tutorial 03, before/after designs: naive pre/post vs DiD vs ITS."""

from __future__ import annotations

from ._cells import code, md

__all__ = ["DESIGNS"]

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
