"""``design.type: synthetic_control`` in the initiative file: parsing, the runner, the report
exhibits, the results rows, and bad input named by key and file.

Reference: on Proposition 99 the runner must give R synthdid 0.0.9's published DiD estimate,
-27.34911 (Arkhangelsky et al. 2021, Table 1; DiD keeps the test fast, the SDID and SC
numbers are checked on the library in test_synth_reference.py), to 1e-4 — the indicator (the mean of
``PacksPerCapita`` per state and year) is computed by impactkit, the estimate by the
library; and it must equal a direct call of :func:`synthetic_control` on the same panel.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _testpaths import REFERENCE_DATA
from synthetic._panels import factor_panel, long_panel

from impactkit.analysis import analyse
from impactkit.analysis.designs import Chart, Note, SyntheticControlRunner, Table, runner_for
from impactkit.effects import SyntheticControlResult, synthetic_control
from impactkit.errors import ConfigError, DataError
from impactkit.initiative import SyntheticControlDesign, load

INDICATORS = """indicators:
  - id: outcome
    name: "Outcome"
    description: "The outcome per unit and year."
    unit: "points"
    kind: mean
    value: "{column}"
    direction: decrease
    minimum_meaningful_change: 1
"""


def initiative(tmp: Path, data: pd.DataFrame, column: str = "y", **design: object) -> Path:
    """A minimal initiative file around ``data`` with a synthetic_control design."""
    tmp.mkdir(parents=True, exist_ok=True)
    data.to_csv(tmp / "panel.csv", index=False)
    (tmp / "indicators.yaml").write_text(INDICATORS.format(column=column))
    keys = {"unit": "unit", "time": "year", "treated": "u05", "intervention": 2006,
            "replications": 2, "seed": 1, **design}  # fmt: skip
    lines = "\n".join(f"  {k}: {v}" for k, v in keys.items() if v is not None)
    (tmp / "initiative.yaml").write_text(
        "name: Test\norganisation: Org\ndescription: d\nperiod: {start: 2020-01-01, end: "
        "2020-12-31}\ndata:\n  panel: panel.csv\nindicators:\n  catalog: [indicators.yaml]\n"
        "  headline: [outcome]\ndesign:\n  type: synthetic_control\n  data: panel\n" + lines + "\n"
    )
    return tmp / "initiative.yaml"


@pytest.fixture(scope="module")
def small() -> pd.DataFrame:
    return long_panel(factor_panel(np.random.default_rng(1), 6, 9, effect=-3.0, t0=6))


@pytest.fixture(scope="module")
def prop99_analysis(tmp_path_factory: pytest.TempPathFactory):
    data = pd.read_csv(REFERENCE_DATA / "california_prop99.csv", sep=";")
    path = initiative(tmp_path_factory.mktemp("prop99"), data, column="PacksPerCapita",
                      unit="State", time="Year", treated="California", intervention=1989,
                      method="did", replications=2)  # fmt: skip
    return analyse(path), data


# ------------------------------------------------------------------ parsing


def test_keys_are_parsed_with_defaults(tmp_path, small):
    d = load(initiative(tmp_path, small, replications=None, seed=None)).design
    assert isinstance(d, SyntheticControlDesign)
    assert (d.unit, d.time, d.treated, d.intervention) == ("unit", "year", "u05", 2006)
    assert (d.method, d.covariates, d.replications, d.seed) == ("sdid", (), 200, 0)
    assert runner_for(d).evidence_strength() == "quasi-experimental"


@pytest.mark.parametrize(
    ("design", "key", "match"),
    [({"method": "lasso"}, "design.method", "expected one of sdid, sc, did"),
     ({"replications": 1}, "design.replications", "whole number >= 2"),
     ({"seed": -1}, "design.seed", "whole number >= 0"),
     ({"treated": None}, "design.treated", "is required"),
     ({"treated": "[a, b]"}, "design.treated", "treated unit's label"),
     ({"unit": None}, "design.unit", "is required"),
     ({"time": None}, "design.time", "is required")],
)  # fmt: skip
def test_bad_keys_name_the_key_and_file(tmp_path, small, design, key, match):
    with pytest.raises(ConfigError, match=rf"initiative.yaml: key '{key}': .*{match}"):
        load(initiative(tmp_path, small, **design))


# ------------------------------------------------------------------ the runner


def test_prop99_through_the_runner_reproduces_synthdid_did(prop99_analysis):
    analysis, data = prop99_analysis
    r = analysis.outcome("outcome")
    assert r.effect is not None and isinstance(r.detail, SyntheticControlResult)
    assert r.effect.estimate == pytest.approx(-27.34911, abs=1e-4)
    direct = synthetic_control(data, "PacksPerCapita", unit="State", time="Year",
                               treated="California", intervention=1989, method="did", seed=1,
                               replications=2)  # fmt: skip
    assert r.effect.se == pytest.approx(direct.se, rel=1e-12)
    ca = data[data["State"] == "California"]
    assert r.before == pytest.approx(ca.loc[ca["Year"] < 1989, "PacksPerCapita"].mean())
    assert r.after == pytest.approx(ca.loc[ca["Year"] >= 1989, "PacksPerCapita"].mean())
    assert r.effect.label == "Outcome"


def test_results_rows_hold_weights_fit_and_placebo(prop99_analysis):
    analysis, _ = prop99_analysis
    res = analysis.outcome("outcome").detail
    rows = analysis.results_frame().query("section == 'synthetic_control'")
    weights = rows[rows["statistic"] == "donor_weight"]
    assert weights["value"].sum() == pytest.approx(1.0)
    assert set(weights["group"]) == {f"State={u}" for u, w in res.unit_weights.items() if w > 0}
    assert rows[rows["statistic"] == "time_weight"]["value"].sum() == pytest.approx(1.0)
    p = rows[rows["statistic"] == "placebo_p_value"].iloc[0]
    assert p["value"] == p["p_value"] == pytest.approx(res.placebo_p_value)
    assert p["n"] == 39
    assert rows[rows["statistic"] == "pre_rmspe"]["value"].iloc[0] == pytest.approx(res.pre_fit)
    assert '"placebo_p_value"' in analysis.results_json()


def test_exhibits_show_trajectory_gap_weights_and_placebo(prop99_analysis):
    analysis, _ = prop99_analysis
    res = analysis.outcome("outcome").detail
    exhibits = SyntheticControlRunner().exhibits(analysis)
    charts = [e for e in exhibits if isinstance(e, Chart)]
    assert len(charts) == 3  # trajectory, gap, placebo ratios
    table = next(e for e in exhibits if isinstance(e, Table)).frame
    assert table["State"].iloc[0] == res.unit_weights.index[0]
    assert float(table["weight"].iloc[0]) == pytest.approx(res.unit_weights.iloc[0], abs=5e-4)
    words = " ".join(e for e in exhibits if isinstance(e, str))
    assert "Pre-period fit" in words and "ranks" in words and "2 replications" in words
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    charts[0].draw(ax)
    assert np.allclose(ax.get_lines()[0].get_ydata(), res.trajectory["treated"])
    plt.close(fig)


# ------------------------------------------------------------------ bad input


def test_treated_unit_not_in_the_data(tmp_path, small):
    with pytest.raises(ConfigError, match=r"key 'design.treated': unit 'Atlantis' is not in "
                       r"column 'unit' of data set 'panel' \(panel.csv\).*u00"):  # fmt: skip
        analyse(initiative(tmp_path, small, treated="Atlantis"))


def test_fewer_than_two_pre_periods(tmp_path, small):
    with pytest.raises(ConfigError, match=r"key 'design.intervention': 1 period\(s\) before "
                       r".*panel.csv.*at least two pre-periods"):  # fmt: skip
        analyse(initiative(tmp_path, small, intervention=2001))


def test_donors_with_missing_periods_are_named(tmp_path, small):
    gappy = small.drop(small.index[(small["unit"] == "u02") & (small["year"].isin([2003, 2004]))])
    with pytest.raises(DataError, match=r"panel.csv.*'u02' \(2003, 2004\)"):
        analyse(initiative(tmp_path, gappy))


def test_missing_outcome_values_name_the_key_and_file(tmp_path, small):
    gappy = small.copy()
    gappy.loc[(gappy["unit"] == "u03") & (gappy["year"] == 2007), "y"] = np.nan
    with pytest.raises(DataError, match=r"design \(synthetic_control\).*panel.csv.*'u03'"):
        analyse(initiative(tmp_path, gappy))


def test_subgroups_are_refused(tmp_path, small):
    path = initiative(tmp_path, small.assign(region="a"))
    path.write_text(path.read_text() + "subgroups: [region]\n")
    with pytest.raises(ConfigError, match="key 'subgroups'"):
        analyse(path)


def test_treated_outside_the_donors_range_is_a_warning_in_the_report(tmp_path):
    y = factor_panel(np.random.default_rng(2), 6, 9)
    y[-1] = y[:-1].max(axis=0) + 5  # above every donor in every period
    analysis = analyse(initiative(tmp_path, long_panel(y), method="sc"))
    notes = [e.text for e in SyntheticControlRunner().exhibits(analysis) if isinstance(e, Note)]
    assert any("no convex combination of donors fits it" in n for n in notes)
    assert any("Poor pre-period fit" in n for n in notes)
