"""Bad input to staggered_did raises named errors that say what is wrong and where."""

from __future__ import annotations

import pandas as pd
import pytest
from _panels import make_panel

from impactkit.effects.staggered import staggered_did
from impactkit.errors import DataError, EstimationError, MissingColumnError

KEYS = dict(unit="unit", time="year", cohort="g")


@pytest.fixture
def panel() -> pd.DataFrame:
    return make_panel(seed=1, n_units=21)


def test_cohort_not_a_period(panel):
    panel["g"] = panel["g"].astype(float)
    panel.loc[panel["unit"] == "u001", "g"] = 3.5
    with pytest.raises(
        DataError, match=r"3\.5 \(unit\(s\) 'u001'\) are not periods of the data \(1, 2, 3, 4, 5\)"
    ):
        staggered_did(panel, "y", **KEYS)


def test_cohort_after_the_panel_is_not_a_period(panel):
    panel.loc[panel["unit"] == "u001", "g"] = 9
    with pytest.raises(DataError, match="code units first treated after the panel ends as 0"):
        staggered_did(panel, "y", **KEYS)


def test_unit_treated_before_first_period(panel):
    panel.loc[panel["unit"] == "u002", "g"] = -1
    with pytest.raises(DataError, match=r"u002.*before the first period 1"):
        staggered_did(panel, "y", **KEYS)


def test_cohort_changes_within_unit(panel):
    panel.loc[(panel["unit"] == "u004") & (panel["year"] == 5), "g"] = 4
    with pytest.raises(DataError, match=r"cohort column 'g' changes within unit.*u004"):
        staggered_did(panel, "y", **KEYS)


def test_no_never_treated_with_control_never(panel):
    panel = panel[panel["g"] != 0]
    with pytest.raises(DataError, match="never-treated.*control='not_yet'"):
        staggered_did(panel, "y", **KEYS)


def test_unbalanced_panel_names_missing_rows(panel):
    panel = panel.drop(panel.index[(panel["unit"] == "u007") & (panel["year"] == 2)])
    with pytest.raises(DataError, match=r"unbalanced panel: 1 unit-period.*'u007@2'"):
        staggered_did(panel, "y", **KEYS)


def test_duplicate_rows(panel):
    panel = pd.concat([panel, panel.iloc[[0]]])
    with pytest.raises(DataError, match="more than one row per unit and period.*u000@1"):
        staggered_did(panel, "y", **KEYS)


def test_missing_column_and_bad_types(panel):
    with pytest.raises(MissingColumnError, match="'lemp'"):
        staggered_did(panel, "lemp", **KEYS)
    bad = panel.astype({"y": object})
    bad.loc[3, "y"] = "n/a"
    with pytest.raises(DataError, match=r"outcome column 'y' must be numeric.*'n/a'.*3"):
        staggered_did(bad, "y", **KEYS)
    gap = panel.copy()
    gap.loc[5, "y"] = float("nan")
    with pytest.raises(DataError, match="outcome column 'y' has missing values in rows 5"):
        staggered_did(gap, "y", **KEYS)


def test_bad_options(panel):
    with pytest.raises(DataError, match="control must be 'never' or 'not_yet'"):
        staggered_did(panel, "y", control="notyettreated", **KEYS)  # type: ignore[arg-type]
    with pytest.raises(DataError, match="base_period"):
        staggered_did(panel, "y", base_period="fixed", **KEYS)  # type: ignore[arg-type]
    with pytest.raises(DataError, match="anticipation"):
        staggered_did(panel, "y", anticipation=-1, **KEYS)
    with pytest.raises(DataError, match="confidence"):
        staggered_did(panel, "y", confidence=95, **KEYS)
    res = staggered_did(panel, "y", **KEYS)
    with pytest.raises(DataError, match="aggregate kind"):
        res.aggregate("event")  # type: ignore[arg-type]


def test_cluster_must_be_constant_within_unit(panel):
    panel.loc[panel.index[0], "state"] = 99
    with pytest.raises(DataError, match="cluster column 'state' changes within unit.*u000"):
        staggered_did(panel, "y", cluster="state", **KEYS)


def test_nobody_treated(panel):
    panel["g"] = 0
    with pytest.raises(EstimationError, match="no unit is treated"):
        staggered_did(panel, "y", **KEYS)


def test_input_not_modified(panel):
    before = panel.copy()
    staggered_did(panel, "y", **KEYS)
    pd.testing.assert_frame_equal(panel, before)
