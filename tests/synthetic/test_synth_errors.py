"""Bad input to synthetic_control raises a named impactkit error (or a note)."""

from __future__ import annotations

import numpy as np
import pytest
from synthetic._panels import factor_panel, long_panel

from impactkit.effects.synthetic import synthetic_control
from impactkit.errors import DataError, EstimationError, MissingColumnError

KW = dict(unit="unit", time="year", treated="u05", intervention=2006, replications=2, seed=0)


@pytest.fixture
def data():
    return long_panel(factor_panel(np.random.default_rng(1), 6, 9))


def test_treated_not_in_data(data):
    with pytest.raises(DataError, match=r"treated unit 'Atlantis' is not in column 'unit'.*u00"):
        synthetic_control(data, "y", **{**KW, "treated": "Atlantis"})


def test_missing_column(data):
    with pytest.raises(MissingColumnError, match="'sales'"):
        synthetic_control(data, "sales", **KW)


def test_fewer_than_two_pre_periods(data):
    with pytest.raises(DataError, match=r"1 period\(s\) before the intervention 2001"):
        synthetic_control(data, "y", **{**KW, "intervention": 2001})


def test_no_post_period(data):
    with pytest.raises(DataError, match="no period at or after"):
        synthetic_control(data, "y", **{**KW, "intervention": 2050})


def test_donors_with_missing_periods_are_named(data):
    gappy = data.drop(data.index[(data["unit"] == "u02") & (data["year"] == 2003)])
    gappy.loc[(gappy["unit"] == "u04") & (gappy["year"] == 2007), "y"] = np.nan
    with pytest.raises(DataError, match=r"donors 'u02' \(periods 2003\); 'u04' \(periods 2007\)"):
        synthetic_control(gappy, "y", **KW)


def test_duplicate_rows(data):
    with pytest.raises(DataError, match="more than one row per 'unit' and 'year'"):
        synthetic_control(data.iloc[list(range(len(data))) + [0]], "y", **KW)


def test_constant_outcome_not_estimable(data):
    with pytest.raises(EstimationError, match="same .* for every unit and period"):
        synthetic_control(data.assign(y=3.0), "y", **KW)


def test_non_numeric_outcome(data):
    with pytest.raises(DataError, match="y"):
        synthetic_control(data.assign(y="a"), "y", **KW)


@pytest.mark.parametrize(
    ("kw", "match"),
    [({"method": "lasso"}, "method must be one of"), ({"replications": 1}, "replications"),
     ({"confidence": 95}, "confidence")],
)  # fmt: skip
def test_bad_arguments(data, kw, match):
    with pytest.raises(DataError, match=match):
        synthetic_control(data, "y", **{**KW, **kw})


def test_one_donor_is_too_few(data):
    small = data[data["unit"].isin(["u00", "u05"])]
    with pytest.raises(DataError, match="at least two are needed"):
        synthetic_control(small, "y", **KW)


def test_treated_outside_the_donors_range_is_a_note():
    y = factor_panel(np.random.default_rng(2), 6, 9)
    y[-1] = y[:-1].max(axis=0) + 5  # above every donor in every period
    r = synthetic_control(long_panel(y), "y", method="sc", **KW)
    assert any("no convex combination of donors fits it" in n for n in r.notes)
    assert any("no convex combination" in n for n in r.effect.notes)
    # SDID allows a level shift: a constant offset is inside the donors' range of changes
    y2 = factor_panel(np.random.default_rng(2), 6, 9)
    y2[-1] = y2[0] + 50
    r2 = synthetic_control(long_panel(y2), "y", method="sdid", **KW)
    assert not any("convex combination" in n for n in r2.notes)


def test_input_not_mutated(data):
    before = data.copy()
    synthetic_control(data, "y", **KW)
    assert data.equals(before)
