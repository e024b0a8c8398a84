"""Bad input is a named error that says which column, rows or stratum and what was expected."""

from __future__ import annotations

import narwhals as nw
import numpy as np
import pandas as pd
import polars as pl
import pytest

import impactkit.survey as sv
from impactkit.errors import DataError, EstimationError, MissingColumnError

FRAME = pd.DataFrame(
    {
        "h": ["a", "a", "a", "b", "b", "b"],
        "c": [1, 1, 2, 3, 3, 4],
        "w": [1.0, 2.0, 1.0, 2.0, 1.0, 3.0],
        "N": [10, 10, 10, 20, 20, 20],
        "y": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
    }
)
Y = [sv.Estimand("y", nw.col("y"))]


def _run(frame, **design):
    return sv.estimate(frame, Y, sv.SurveyDesign(**design))


def test_psu_shared_across_strata_without_nest():
    frame = FRAME.assign(c=[1, 1, 2, 1, 1, 2])
    with pytest.raises(
        DataError, match=r"PSU 1 of column 'c' appears in strata 'a', 'b'.*nest=True"
    ):
        _run(frame, strata="h", psu="c")
    nested = _run(frame, strata="h", psu="c", nest=True).tables["y"]
    assert nested["n_psu"].iloc[0] == 4


@pytest.mark.parametrize("bad", [-1.0, np.nan])
@pytest.mark.parametrize("lazy", [False, True])
def test_negative_or_missing_weights_name_the_rows(bad, lazy):
    frame = FRAME.assign(w=[1.0, 2.0, bad, 2.0, 1.0, 3.0])
    data = pl.from_pandas(frame).lazy() if lazy else frame
    where = r"rows with w=\S+, h='a', c=2" if lazy else r"row 2\b"
    with pytest.raises(DataError, match=rf"weights column 'w' .* at {where}"):
        _run(data, weights="w", strata="h", psu="c")


def test_one_psu_stratum_under_error_names_it():
    frame = FRAME.assign(c=[1, 1, 1, 3, 3, 4])
    with pytest.raises(EstimationError, match=r"stratum 'a' of column 'h' has only one PSU"):
        _run(frame, strata="h", psu="c")


def test_fpc_smaller_than_sample():
    frame = FRAME.assign(N=[10, 10, 10, 1, 1, 1])
    with pytest.raises(DataError, match=r"stratum 'b' a population of 1 PSUs but the sample has 2"):
        _run(frame, strata="h", psu="c", fpc="N")


def test_fpc_varying_within_stratum_or_missing():
    with pytest.raises(DataError, match=r"varies within stratum 'a'"):
        _run(FRAME.assign(N=[10, 11, 10, 20, 20, 20]), strata="h", psu="c", fpc="N")
    with pytest.raises(DataError, match=r"fpc column 'N' is missing at row 4"):
        _run(FRAME.assign(N=[10, 10, 10, 20, None, 20]), strata="h", psu="c", fpc="N")
    with pytest.raises(DataError, match=r"mixes population counts"):
        _run(FRAME.assign(N=[10, 10, 10, 0.5, 0.5, 0.5]), strata="h", psu="c", fpc="N")


def test_missing_design_labels_and_columns():
    with pytest.raises(DataError, match=r"psu column 'c' is missing at row 1\b"):
        _run(FRAME.assign(c=[1, None, 2, 3, 3, 4]), strata="h", psu="c")
    with pytest.raises(MissingColumnError, match=r"column 'cluster' is not in the data"):
        _run(FRAME, psu="cluster")


def test_bad_design_arguments():
    with pytest.raises(DataError, match=r"lonely_psu=.*'error', 'remove'"):
        sv.SurveyDesign(lonely_psu="fail")  # type: ignore[arg-type]
    with pytest.raises(DataError, match=r"column 'c' is given as both strata= and psu="):
        sv.SurveyDesign(strata="c", psu="c")
    with pytest.raises(DataError, match=r"fpc=.*-3"):
        sv.SurveyDesign(fpc=-3)
    with pytest.raises(DataError, match=r"nest=.*True or False"):
        sv.SurveyDesign(nest="yes")  # type: ignore[arg-type]


def test_included_row_with_missing_value():
    frame = FRAME.assign(y=[1.0, None, 3.0, 4.0, 5.0, 6.0])
    with pytest.raises(DataError, match=r"estimand 'y': 1 rows are included but have a missing"):
        _run(frame, strata="h", psu="c")
