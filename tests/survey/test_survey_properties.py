"""Hypothesis properties of the design-based estimates (each can fail)."""

from __future__ import annotations

import narwhals as nw
import numpy as np
import pandas as pd
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

import impactkit.survey as sv


@st.composite
def clustered(draw):
    n_strata = draw(st.integers(1, 3))
    rows = []
    for h in range(n_strata):
        for c in range(draw(st.integers(2, 4))):
            for _ in range(draw(st.integers(1, 4))):
                rows.append((f"s{h}", f"s{h}c{c}"))
    n = len(rows)
    values = draw(st.lists(st.floats(-50, 50, allow_nan=False), min_size=n, max_size=n))
    weights = draw(st.lists(st.floats(0.5, 20), min_size=n, max_size=n))
    flags = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    frame = pd.DataFrame(rows, columns=["stratum", "psu"])
    return frame.assign(y=values, w=weights, d=flags, z=np.array(flags, float))


DESIGN = sv.SurveyDesign(weights="w", strata="stratum", psu="psu")
ESTIMANDS = [
    sv.Estimand("mean", nw.col("y")),
    sv.Estimand("prop", nw.col("z")),
    sv.Estimand("total", nw.col("y"), total=True),
    sv.Estimand("dom", nw.col("y"), include=nw.col("d")),
]


def _run(frame, design=DESIGN):
    return sv.estimate(pl.from_pandas(frame), ESTIMANDS, design).tables


@settings(max_examples=20)  # each example runs the engine query twice
@given(
    st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=3, max_size=40),
    st.floats(1.5, 100),
    st.booleans(),
)
def test_one_row_per_psu_equal_weights_is_srs(values, weight, explicit_psu):
    """SE = s/√n (s with n − 1); deff_srswr = 1; deff_srswor = 1/(1 − n/N̂) = 1/(1 − 1/w):
    R survey's deff = TRUE compares with SRS *without* replacement from N̂ = Σw."""
    y = np.array(values)
    frame = pd.DataFrame({"y": y, "w": weight, "id": np.arange(len(y))})
    design = sv.SurveyDesign(weights="w", psu="id" if explicit_psu else None)
    est = sv.Estimand("m", nw.col("y"))
    wr = sv.estimate(frame, [est], design, deff="srswr").tables["m"].iloc[0]
    wor = sv.estimate(frame, [est], design).tables["m"].iloc[0]
    sd = y.std(ddof=1)
    np.testing.assert_allclose(wr.se, sd / np.sqrt(len(y)), rtol=1e-7, atol=1e-9)
    assert wr.df == len(y) - 1
    if sd > 1e-6 * max(1.0, np.abs(y).max()):
        np.testing.assert_allclose(wr.deff, 1.0, rtol=1e-7)
        np.testing.assert_allclose(wor.deff, 1 / (1 - 1 / weight), rtol=1e-7)


def _bijection(labels, prefix, rnd):
    new = [f"{prefix}{i}" for i in range(len(labels))]
    rnd.shuffle(new)
    return dict(zip(labels, new, strict=True))


@settings(max_examples=20)  # each example runs the engine query twice
@given(clustered(), st.randoms(use_true_random=False))
def test_invariant_to_relabelling_and_row_order(frame, rnd):
    base = _run(frame)
    strata = _bijection(frame["stratum"].unique(), "h", rnd)
    psus = _bijection(frame["psu"].unique(), "p", rnd)
    order = list(range(len(frame)))
    rnd.shuffle(order)
    other = frame.assign(stratum=frame["stratum"].map(strata), psu=frame["psu"].map(psus)).iloc[
        order
    ]
    moved = _run(other)
    for name in base:
        for col in ("estimate", "se", "deff", "df", "n_psu"):
            np.testing.assert_allclose(
                moved[name][col], base[name][col], rtol=1e-9, atol=1e-9, equal_nan=True
            )


@settings(max_examples=20)  # each example runs the engine query twice
@given(clustered(), st.floats(0.01, 1000))
def test_scaling_weights(frame, k):
    base = _run(frame)
    scaled = _run(frame.assign(w=frame["w"] * k))
    for name in ("mean", "prop", "dom"):
        for col in ("estimate", "se"):
            np.testing.assert_allclose(
                scaled[name][col], base[name][col], rtol=1e-8, atol=1e-9, equal_nan=True
            )
    np.testing.assert_allclose(
        scaled["total"]["estimate"], k * base["total"]["estimate"], rtol=1e-9, atol=1e-9
    )
    np.testing.assert_allclose(scaled["total"]["se"], k * base["total"]["se"], rtol=1e-8, atol=1e-9)


@settings(max_examples=20)  # each example runs the engine query twice
@given(clustered())
def test_domain_is_not_a_subset(frame):
    """A domain keeps every PSU: its variance equals the ratio estimator over the whole design
    with y·1[d] over 1[d] (Lumley 2010, §2.4), not the variance of the subset."""
    dom = _run(frame)["dom"].iloc[0]
    ratio = sv.Estimand("r", nw.col("y") * nw.col("z"), nw.col("z"))
    whole = sv.estimate(frame, [ratio], DESIGN).tables["r"].iloc[0]
    np.testing.assert_allclose(dom.estimate, whole.estimate, rtol=1e-9, equal_nan=True)
    np.testing.assert_allclose(dom.se, whole.se, rtol=1e-8, atol=1e-12, equal_nan=True)
