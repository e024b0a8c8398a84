"""impactkit.survey against R ``survey``'s published output on its own data sets.

Every expected number is copied from R ``survey`` 4.5 (CRAN mirror ``cran/survey``, commit
4834b8bc) output files, quoted to the digits R printed; the tolerance is half a unit in the
last printed digit.  Data: sample_data/reference/SURVEY_DATA.md.
"""

from __future__ import annotations

import narwhals as nw
import numpy as np
import pandas as pd
import pytest

import impactkit.survey as sv
from impactkit.errors import EstimationError

REF = __import__("pathlib").Path(__file__).resolve().parents[2] / "sample_data" / "reference"


def _load(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / name)


@pytest.fixture(scope="module")
def apistrat() -> pd.DataFrame:
    return _load("apistrat.csv")


@pytest.fixture(scope="module")
def apiclus1() -> pd.DataFrame:
    return _load("apiclus1.csv")


@pytest.fixture(scope="module")
def apiclus2() -> pd.DataFrame:
    return _load("apiclus2.csv")


def _one(data, design, est, by=(), **kw) -> pd.DataFrame:
    return sv.estimate(data, [est], design, by, **kw).tables[est.name]


def _close(value: float, printed: str) -> None:
    """``value`` rounds to R's printed number (half a unit in its last digit)."""
    digits = len(printed.split(".")[1]) if "." in printed else 0
    assert abs(value - float(printed)) <= 0.5 * 10.0**-digits + 1e-12, (value, printed)


def _signif(value: float, printed: str) -> None:
    """For R's significant-digit printing (e.g. SE 932235 of 5 significant digits)."""
    _close(value, printed)


MEAN_API00 = sv.Estimand("api00", nw.col("api00"))
ENROLL = sv.Estimand("enroll", nw.col("enroll"), total=True, include=~nw.col("enroll").is_null())


# tests/testoutput/api.Rout.saved: example(api)
def test_stratified_mean_and_total(apistrat):
    design = sv.SurveyDesign(weights="pw", strata="stype", fpc="fpc")
    m = _one(apistrat, design, MEAN_API00).iloc[0]
    _close(m.estimate, "662.29"), _close(m.se, "9.4089")
    t = _one(apistrat, design, ENROLL).iloc[0]
    _close(t.estimate, "3687178"), _close(t.se, "114642")
    assert m.df == 200 - 3  # R degf(dstrat): 200 PSUs - 3 strata


def test_one_stage_cluster_mean_and_total(apiclus1):
    design = sv.SurveyDesign(weights="pw", psu="dnum", fpc="fpc")
    m = _one(apiclus1, design, MEAN_API00).iloc[0]
    _close(m.estimate, "644.17"), _close(m.se, "23.542")
    t = _one(apiclus1, design, ENROLL).iloc[0]
    _close(t.estimate, "3404940"), _close(t.se, "932235")
    assert m.df == 14 and m.n_psu == 15


def test_two_stage_with_replacement_uses_first_stage(apiclus2):
    # dclus2wr <- svydesign(id = ~dnum + snum, weights = ~pw, data = apiclus2)
    design = sv.SurveyDesign(weights="pw", psu="dnum")
    m = _one(apiclus2, design, MEAN_API00).iloc[0]
    _close(m.estimate, "670.81"), _close(m.se, "30.712")
    t = _one(apiclus2, design, ENROLL).iloc[0]
    _close(t.estimate, "2639273"), _close(t.se, "820261")


# inst/doc/survey.pdf ("A survey analysis example")
def test_vignette_totals_of_categories_and_ratio(apiclus1):
    design = sv.SurveyDesign(weights="pw", psu="dnum", fpc="fpc")
    published = {"E": ("4873.97", "1333.32"), "H": ("473.86", "158.70"), "M": ("846.17", "167.55")}
    for stype, (total, se) in published.items():
        est = sv.Estimand(stype, nw.col("stype") == stype, total=True)
        row = _one(apiclus1, design, est).iloc[0]
        _close(row.estimate, total), _close(row.se, se)
    ratio = _one(apiclus1, design, sv.Estimand("r", nw.col("api.stu"), nw.col("enroll"))).iloc[0]
    _close(ratio.estimate, "0.8497087"), _close(ratio.se, "0.008386297")


def test_vignette_domain_ratio_and_svyby(apiclus1):
    design = sv.SurveyDesign(weights="pw", psu="dnum", fpc="fpc")
    # svyratio(~api.stu, ~enroll, design = subset(dclus1, stype == "H"))
    est = sv.Estimand("r", nw.col("api.stu"), nw.col("enroll"), include=nw.col("stype") == "H")
    row = _one(apiclus1, design, est).iloc[0]
    _close(row.estimate, "0.8300683"), _close(row.se, "0.01472607")
    # svyby(~ell + meals, ~stype, design = dclus1, svymean)
    result = sv.estimate(
        apiclus1,
        [sv.Estimand("ell", nw.col("ell")), sv.Estimand("meals", nw.col("meals"))],
        design,
        "stype",
    )
    published = {
        "ell": {
            "E": ("29.69444", "1.411617"),
            "H": ("15.00000", "5.347065"),
            "M": ("22.68000", "2.952862"),
        },
        "meals": {
            "E": ("53.09028", "7.070399"),
            "H": ("37.57143", "5.912262"),
            "M": ("43.08000", "6.017110"),
        },
    }
    for name, rows in published.items():
        table = result.tables[name].set_index("stype")
        for stype, (mean, se) in rows.items():
            _close(table.loc[stype, "estimate"], mean), _close(table.loc[stype, "se"], se)


# inst/doc/domain.pdf: svyby(~x, ~I(x > 4), design = dfpc, svymean), nest = TRUE
def test_domain_vignette_nested_psus():
    data = _load("stata_fpc.csv").assign(big=lambda d: d["x"] > 4)
    design = sv.SurveyDesign(weights="weight", strata="stratid", psu="psuid", nest=True)
    table = _one(data, design, sv.Estimand("x", nw.col("x")), "big").set_index("big")
    _close(table.loc[False, "estimate"], "3.314286"), _close(table.loc[False, "se"], "0.3117042")
    _close(table.loc[True, "estimate"], "6.195000"), _close(table.loc[True, "se"], "0.7555129")


# tests/lonely.psu.Rout.save: svydesign(id = ~1, weights = ~pw, strata = ~dnum, data = apiclus1)
@pytest.mark.parametrize(
    ("option", "se"),
    [("remove", "5.8058"), ("certainty", "5.8058"), ("adjust", "5.8281"), ("average", "6.0096")],
)
def test_lonely_psu_options(apiclus1, option, se):
    design = sv.SurveyDesign(weights="pw", strata="dnum", lonely_psu=option)
    row = _one(apiclus1, design, MEAN_API00).iloc[0]
    _close(row.estimate, "644.17"), _close(row.se, se)


def test_lonely_psu_fail_names_the_stratum(apiclus1):
    design = sv.SurveyDesign(weights="pw", strata="dnum")  # lonely_psu="error" (R's "fail")
    with pytest.raises(EstimationError, match=r"stratum 413 of column 'dnum'"):
        _one(apiclus1, design, MEAN_API00)


@pytest.mark.parametrize("option", ["error", "remove", "certainty", "adjust", "average"])
def test_lonely_psu_taken_with_certainty_by_fpc(apiclus1, option):
    # fpc <- ifelse(apiclus1$dnum == 413, 1, 1000): every option gives SE 5.7344
    data = apiclus1.assign(f=np.where(apiclus1["dnum"] == 413, 1, 1000))
    design = sv.SurveyDesign(weights="pw", strata="dnum", fpc="f", lonely_psu=option)
    _close(_one(data, design, MEAN_API00).iloc[0].se, "5.7344")


# tests/deff.Rout.save (data from Takahiro Tsuchiya)
KIGYO = pd.DataFrame(
    {
        "uriage": [15, 143, 21, 51, 337, 50, 274, 145, 15, 86],
        "srs_w": [100] * 10,
        "pps_w": [20, 200, 11, 25, 550, 30, 250, 100, 10, 55],
    }
)


def test_deff_conventions():
    y = sv.Estimand("uriage", nw.col("uriage"))
    yt = sv.Estimand("uriage", nw.col("uriage"), total=True)
    srs = sv.SurveyDesign(weights="srs_w")
    m = _one(KIGYO, srs, y).iloc[0]
    _close(m.estimate, "113.700"), _close(m.se, "35.626"), _close(m.deff, "1.0101")
    t = _one(KIGYO, srs, yt).iloc[0]
    _close(t.estimate, "113700"), _close(t.se, "35626"), _close(t.deff, "1.0101")
    pps = sv.SurveyDesign(weights="pps_w")
    m = _one(KIGYO, pps, y, deff="srswr").iloc[0]
    _close(m.estimate, "243.914"), _close(m.se, "48.752"), _close(m.deff, "1.9741")
    t = _one(KIGYO, pps, yt, deff="srswr").iloc[0]
    _close(t.estimate, "305136"), _close(t.se, "184965"), _close(t.deff, "18.157")
