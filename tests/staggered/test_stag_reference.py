"""staggered_did against R ``did`` 2.5.1 on ``mpdta`` (numbers R published or computed).

Sources (see tests/staggered/r_did/README.md for provenance and sha256):

* ``r_did/ref_attgt.csv``, ``ref_aggte.csv``, ``ref_pretest.csv``: R ``did`` 2.5.1 output of
  ``att_gt(yname="lemp", tname="year", idname="countyreal", gname="first.treat",
  data=mpdta, bstrap=FALSE, cband=FALSE)`` and ``aggte(..., type=<kind>, bstrap=FALSE)``,
  control groups "nevertreated" / "notyettreated", recorded by the csdid project
  (github.com/d2cml-ai/csdid, commit ca91c1f).
* ``r_did/ref_gaps.csv``: the same for ``base_period="universal"``, ``anticipation=1`` and
  ``clustervars="clust"`` on ``mpdta_extra.csv``.
* The R ``did`` vignette "Getting started" (github.com/bcallaway11/did, commit 71ba8a5,
  vignettes/did-basics.Rmd): the printed ATT(g,t) to 4 decimals and the pre-test p-value.

Tolerances: point estimates 1e-6 absolute, standard errors 1e-4 relative (issue 14).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from impactkit.effects.staggered import staggered_did

HERE = Path(__file__).resolve().parent / "r_did"
MPDTA = Path(__file__).resolve().parents[2] / "sample_data" / "reference" / "mpdta.csv"
SCENARIOS = {"never": "mpdta_nev_dr", "not_yet": "mpdta_nyt_dr"}
KEYS = dict(unit="countyreal", time="year", cohort="first.treat")


@pytest.fixture(scope="module")
def mpdta() -> pd.DataFrame:
    return pd.read_csv(MPDTA)


@pytest.fixture(scope="module", params=["never", "not_yet"])
def fitted(request, mpdta):
    control = request.param
    return control, staggered_did(mpdta, "lemp", control=control, **KEYS)


def _ref(name: str, scenario: str) -> pd.DataFrame:
    table = pd.read_csv(HERE / name)
    return table[table["scenario"] == scenario].reset_index(drop=True)


def test_att_gt_matches_r(fitted):
    control, res = fitted
    ref = _ref("ref_attgt.csv", SCENARIOS[control])
    got = res.att_gt
    assert list(got["cohort"]) == list(ref["group"])
    assert list(got["time"]) == list(ref["t"])
    np.testing.assert_allclose(got["estimate"], ref["att"], rtol=0, atol=1e-6)
    np.testing.assert_allclose(got["se"], ref["se"], rtol=1e-4)


@pytest.mark.parametrize("kind", ["simple", "group", "dynamic", "calendar"])
def test_aggte_matches_r(fitted, kind):
    control, res = fitted
    ref = _ref("ref_aggte.csv", SCENARIOS[control])
    ref = ref[ref["type"] == kind]
    agg = res.aggregate(kind)
    assert agg.estimate == pytest.approx(ref["overall_att"].iloc[0], abs=1e-6)
    assert agg.se == pytest.approx(ref["overall_se"].iloc[0], rel=1e-4)
    if kind == "simple":
        assert agg.table.empty
        return
    assert list(agg.table[agg.key]) == list(ref["egt"])
    np.testing.assert_allclose(agg.table["estimate"], ref["att_egt"], rtol=0, atol=1e-6)
    np.testing.assert_allclose(agg.table["se"], ref["se_egt"], rtol=1e-4)


def test_simple_aggregate_is_the_result_effect(fitted):
    _, res = fitted
    assert res.estimate == res.aggregate("simple").estimate
    assert res.se == res.aggregate("simple").se


def test_pre_trend_wald_matches_r(fitted):
    control, res = fitted
    ref = _ref("ref_pretest.csv", SCENARIOS[control])
    assert res.pre_trend is not None
    assert res.pre_trend.df == 5  # 5 pre-treatment cells (2006: 2004, 2005; 2007: 2004-2006)
    assert res.pre_trend.statistic == pytest.approx(ref["W"].iloc[0], rel=1e-6)
    # R rounds Wpval to 5 decimals
    assert res.pre_trend.p_value == pytest.approx(ref["Wpval"].iloc[0], abs=5e-6)


def test_vignette_point_estimates(mpdta):
    """R did vignette 'Getting started', printed ATT(g,t) (4 decimals) and pre-test p."""
    res = staggered_did(mpdta, "lemp", **KEYS)
    printed = [-0.0105, -0.0704, -0.1373, -0.1008, 0.0065, -0.0028,
               -0.0046, -0.0412, 0.0305, -0.0027, -0.0311, -0.0261]  # fmt: skip
    np.testing.assert_allclose(res.att_gt["estimate"], printed, atol=5e-5)
    assert round(res.pre_trend.p_value, 5) == 0.16812


@pytest.mark.parametrize(
    "scenario, options",
    [
        ("universal", {"base_period": "universal"}),
        ("anticipation1", {"anticipation": 1}),
        ("clustered", {"cluster": "clust"}),
    ],
)
def test_options_match_r(scenario, options):
    data = pd.read_csv(HERE / "mpdta_extra.csv")
    ref = _ref("ref_gaps.csv", scenario)
    res = staggered_did(data, "lemp", **KEYS, **options)
    got = res.att_gt
    assert list(zip(got["cohort"], got["time"], strict=True)) == list(
        zip(ref["group"], ref["t"], strict=True)
    )
    np.testing.assert_allclose(got["estimate"], ref["att"], rtol=0, atol=1e-6)
    # R reports NA for the universal reference cells; so do we (NaN, flagged reference=True)
    assert np.array_equal(got["se"].isna(), ref["se"].isna())
    assert np.array_equal(got["reference"], ref["se"].isna())
    ok = ref["se"].notna()
    np.testing.assert_allclose(got["se"][ok], ref["se"][ok], rtol=1e-4)
    if scenario == "anticipation1":
        assert any("already treated in the first period" in n for n in res.notes)
