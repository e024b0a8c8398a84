"""Adoption on the water-filter sample data, and polars input.

Hypothesis properties are in tests/adoption/test_adoption_properties.py.
"""

from __future__ import annotations

import pandas as pd
import pytest
from _adoption_data import (
    six_mp_frame,
    unit_frame,
)
from _testpaths import SAMPLE_DATA

from impactkit.adoption import (
    Gap,
    cascade,
    fidelity,
    sustained_use,
    usage_intensity,
)
from impactkit.errors import DataError

# ----------------------------------------------------------------------------- sample data


WATER = SAMPLE_DATA / "water_filter"
STAGES = ["eligible", "reached", "received_filter", "started_use", "using_at_12m", "correct_use"]


@pytest.mark.skipif(not WATER.exists(), reason="sample data not present")
def test_water_filter_sample_story() -> None:
    """The sample's generator makes Hillside reach and sustain less (DATA.md truth table)."""
    dist = pd.read_csv(WATER / "distribution.csv")
    c = cascade(dist, STAGES, by="district", unit="household_id")
    assert c.bottleneck == "using_at_12m"
    eq = c.equity
    assert eq is not None
    by_district = eq.set_index("group")
    hill = float(by_district["using_at_12m"]["Hillside"])
    river = float(by_district["using_at_12m"]["Riverside"])
    assert hill < river
    text = c.equity_summary()
    # Hillside (district with the lowest reach and retention, DATA.md) ends lowest and the
    # districts differ most at the 12-month stage
    assert text.startswith("Hillside reaches ")
    assert "differ most at 'using_at_12m'" in text
    # true conversion given started use: 0.66 (Riverside) and 0.42 (Hillside)
    for district, truth in (("Riverside", 0.66), ("Hillside", 0.42)):
        row = c.groups[district].table.set_index("stage").loc["using_at_12m"]
        assert (
            row["share_of_previous_ci_low"] - 0.05 < truth < row["share_of_previous_ci_high"] + 0.05
        )

    usage = pd.read_csv(WATER / "usage.csv")
    s = sustained_use(usage, "days_observed", "abandoned", by="district")
    assert s.at(365, "Hillside").survival < s.at(365, "Riverside").survival
    assert s.logrank_p < 0.05
    f = fidelity(usage, "uses_correct", uses="uses_logged", unit="household_id")
    assert 0 < f.ci_low < f.share < f.ci_high < 1

    gap = Gap.from_cascade((0.99, 0.985, 0.995), cascade(dist, STAGES), seed=1, n_draws=20_000)
    assert gap.largest_loss == "using_at_12m"
    assert gap.real_world < 0.5 * 0.99


def test_polars_frames_are_accepted_and_inputs_not_mutated() -> None:
    pl = pytest.importorskip("polars")
    df = unit_frame()
    c_pd = cascade(df, ["reached", "adopted"])
    c_pl = cascade(pl.from_pandas(df), ["reached", "adopted"])
    pd.testing.assert_frame_equal(c_pd.table, c_pl.table)
    km = six_mp_frame()
    s_pl = sustained_use(pl.from_pandas(km), "weeks", "relapse", by="arm")
    assert s_pl.logrank_chi2 == pytest.approx(
        sustained_use(km, "weeks", "relapse", by="arm").logrank_chi2
    )
    uses = pd.DataFrame({"u": [1, 1, 2, 2, 3], "ok": [True, False, True, True, False]})
    before = uses.copy()
    fidelity(uses, "ok", unit="u")
    usage_intensity(uses, "u", "ok")
    pd.testing.assert_frame_equal(uses, before)
    with pytest.raises(DataError, match="DataFrame|columns"):
        sustained_use([1, 2, 3], "weeks", "relapse")  # type: ignore[arg-type]
