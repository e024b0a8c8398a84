"""The result contract (summary, to_frame, notes, HTML, plot) and the not-yet-treated case."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from _panels import make_panel

from impactkit.effects import Effect
from impactkit.effects.staggered import StaggeredAggregate, staggered_did

KEYS = dict(unit="unit", time="year", cohort="g")


@pytest.fixture(scope="module")
def res():
    return staggered_did(make_panel(seed=5, n_units=90), "y", label="income", **KEYS)


def test_contract(res):
    assert isinstance(res.effect, Effect)
    assert res.summary().startswith("Average effect on income")
    assert "Pre-trend Wald test" in res.summary()
    table = res.to_frame()
    assert list(table.columns[:6]) == ["cohort", "time", "event_time", "estimate", "se", "ci_low"]
    assert len(table) == 2 * 4  # cohorts 3 and 4, periods 2..5
    html = res._repr_html_()
    assert "Callaway" in html and "<table" in html
    assert "StaggeredResult" in repr(res)


@pytest.mark.parametrize("kind, key", [("group", "cohort"), ("dynamic", "event_time"),
                                       ("calendar", "time")])  # fmt: skip
def test_aggregates(res, kind, key):
    agg = res.aggregate(kind)
    assert isinstance(agg, StaggeredAggregate) and agg.key == key
    frame = agg.to_frame()
    assert frame["part"].iloc[-1] == "overall"
    assert frame["estimate"].iloc[-1] == agg.estimate
    assert agg.summary()
    assert "<table" in agg._repr_html_()


def test_dynamic_recovers_the_simulated_effects(res):
    dyn = res.aggregate("dynamic").table.set_index("event_time")
    # make_panel: effect 1 + event time once treated, 0 before
    for e, truth in [(-2, 0.0), (-1, 0.0), (0, 1.0), (1, 2.0)]:
        row = dyn.loc[e]
        assert row["ci_low"] < truth < row["ci_high"]


def test_plot_returns_axes(res):
    fig, ax = plt.subplots()
    out = res.plot(ax=ax)
    assert out is ax
    assert ax.get_xlabel().startswith("periods since treatment")
    assert len(ax.containers) == 2  # before and after
    plt.close(fig)
    ax2 = res.aggregate("group").plot()
    assert ax2.get_xlabel().startswith("cohort")
    plt.close(ax2.figure)


def test_not_yet_without_never_treated_trims_like_r():
    panel = make_panel(seed=2, n_units=60, cohorts=(3, 4, 5))
    res = staggered_did(panel, "y", control="not_yet", **KEYS)
    assert set(res.att_gt["cohort"]) == {3, 4}  # the last cohort is only a comparison
    assert res.att_gt["time"].max() == 4  # periods >= 5 dropped
    assert any("no never-treated units" in n for n in res.notes)
    # cohort 3 in period 3 against cohorts 4 and 5 (not yet treated), base period 2
    sub = panel[panel["year"].isin([2, 3])].pivot(index="unit", columns="year", values="y")
    g = panel.groupby("unit")["g"].first()
    dy = sub[3] - sub[2]
    expected = dy[g == 3].mean() - dy[g != 3].mean()
    got = res.att_gt.query("cohort == 3 and time == 3")["estimate"].iloc[0]
    assert got == pytest.approx(expected, abs=1e-12)


def test_polars_input():
    pl = pytest.importorskip("polars")
    panel = make_panel(seed=4, n_units=30)
    a = staggered_did(panel, "y", **KEYS)
    b = staggered_did(pl.from_pandas(panel), "y", **KEYS)
    np.testing.assert_allclose(a.att_gt["estimate"], b.att_gt["estimate"])
