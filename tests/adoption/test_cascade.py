"""Tests for impactkit.adoption.cascade: Wilson reference values, bottleneck, equity, errors.

Hypothesis properties are in tests/adoption/test_adoption_properties.py.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from _adoption_data import (
    unit_frame,
)
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from impactkit.adoption import (
    Cascade,
    cascade,
)
from impactkit.errors import DataError, MissingColumnError

# ----------------------------------------------------------------------------- cascade


def wilson_by_hand(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson (1927) score interval written out."""
    z = stats.norm.ppf(0.5 + confidence / 2)
    p = k / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    return centre - half, centre + half


def test_cascade_counts_table_and_wilson() -> None:
    c = cascade({"reached": 800, "adopted": 600, "sustained": 270, "correct": 250}, target=1000)
    t = c.table
    assert list(t["stage"]) == ["reached", "adopted", "sustained", "correct"]
    assert list(t["count"]) == [800, 600, 270, 250]
    np.testing.assert_allclose(t["share_of_target"], [0.8, 0.6, 0.27, 0.25])
    np.testing.assert_allclose(t["share_of_previous"], [0.8, 0.75, 0.45, 250 / 270])
    assert list(t["lost"]) == [200, 200, 330, 20]
    for i, prev in enumerate([1000, 800, 600, 270]):
        row = t.iloc[i]
        lo, hi = proportion_confint(int(row["count"]), 1000, alpha=0.05, method="wilson")
        assert row["share_of_target_ci_low"] == pytest.approx(lo, rel=1e-12)
        assert row["share_of_target_ci_high"] == pytest.approx(hi, rel=1e-12)
        lo, hi = wilson_by_hand(int(row["count"]), prev)
        assert row["share_of_previous_ci_low"] == pytest.approx(lo, rel=1e-9)
        assert row["share_of_previous_ci_high"] == pytest.approx(hi, rel=1e-9)
    assert c.bottleneck == "sustained"
    assert list(t["bottleneck"]) == [False, False, True, False]
    assert c.target == 1000


def test_cascade_target_defaults_and_stage_subset() -> None:
    c = cascade({"a": 50, "b": 40, "c": 10})
    assert c.target == 50
    assert c.table["share_of_previous"].iloc[0] == 1.0
    assert c.table["lost"].iloc[0] == 0
    c2 = cascade({"a": 50, "b": 40, "c": 10}, ["a", "c"])
    assert c2.stages == ["a", "c"]
    assert c2.table["share_of_previous"].iloc[1] == pytest.approx(0.2)


def test_cascade_bottleneck_ties_go_to_earliest_and_none_without_loss() -> None:
    c = cascade({"a": 100, "b": 50, "c": 25})
    assert c.bottleneck == "b"  # b and c both keep 50 %
    assert cascade({"a": 10, "b": 10}).bottleneck is None
    assert not cascade({"a": 10, "b": 10}).table["bottleneck"].any()


def test_cascade_unit_level_matches_counts() -> None:
    df = unit_frame()
    before = df.copy()
    c = cascade(df, ["reached", "adopted", "sustained"], unit="hh")
    pd.testing.assert_frame_equal(df, before)
    ref = cascade({"reached": 8, "adopted": 6, "sustained": 3}, target=10)
    pd.testing.assert_frame_equal(c.table, ref.table)
    assert c.target == 10


def test_cascade_labels() -> None:
    c = cascade({"r": 10, "a": 5}, labels={"r": "Reached", "a": "Adopted"})
    assert list(c.table["label"]) == ["Reached", "Adopted"]
    c = cascade({"r": 10, "a": 5}, labels=["R", "A"])
    assert list(c.table["label"]) == ["R", "A"]
    with pytest.raises(DataError, match="unknown stages"):
        cascade({"r": 10, "a": 5}, labels={"x": "X"})


def test_cascade_stage_order_error_names_both_stages() -> None:
    with pytest.raises(DataError, match=r"'adopted' \(120\).*'reached' \(100\)"):
        cascade({"reached": 100, "adopted": 120})
    with pytest.raises(DataError, match="larger than the target"):
        cascade({"reached": 100, "adopted": 20}, target=50)


def test_cascade_unit_out_of_order_names_units() -> None:
    df = unit_frame()
    df.loc[8, "adopted"] = 1  # h8 adopted without being reached
    with pytest.raises(DataError, match=r"'adopted'.*'reached'.*hh h8"):
        cascade(df, ["reached", "adopted", "sustained"], unit="hh")
    with pytest.raises(DataError, match=r"row 8"):
        cascade(df, ["reached", "adopted", "sustained"])


def test_cascade_missing_and_bad_values_name_column_and_rows() -> None:
    df = unit_frame().astype({"adopted": float})
    df.loc[3, "adopted"] = np.nan
    with pytest.raises(DataError, match=r"'adopted'.*missing.*hh h3"):
        cascade(df, ["reached", "adopted"], unit="hh")
    df = unit_frame().astype({"adopted": object})
    df.loc[2, "adopted"] = "yes"
    with pytest.raises(DataError, match=r"'adopted'.*0/1.*'yes'.*row 2"):
        cascade(df, ["reached", "adopted"])
    df = unit_frame()
    df.loc[1, "reached"] = 2
    with pytest.raises(DataError, match="'reached'"):
        cascade(df, ["reached", "adopted"])
    with pytest.raises(MissingColumnError, match="'nope'"):
        cascade(unit_frame(), ["reached", "nope"])
    with pytest.raises(DataError, match="stages="):
        cascade(unit_frame())


def test_cascade_count_errors() -> None:
    with pytest.raises(DataError, match="'b'.*whole number"):
        cascade({"a": 10, "b": 2.5})
    with pytest.raises(DataError, match="'b'.*whole number"):
        cascade({"a": 10, "b": -1})
    with pytest.raises(DataError, match="'c' has no count"):
        cascade({"a": 10, "b": 5}, ["a", "c"])
    with pytest.raises(DataError, match="give target"):
        cascade({"a": 0, "b": 0})
    with pytest.raises(DataError, match="confidence"):
        cascade({"a": 10}, confidence=1.5)


def test_cascade_by_group_unit_level_and_equity() -> None:
    df = unit_frame()
    c = cascade(df, ["reached", "adopted", "sustained"], by="region", unit="hh")
    assert set(c.groups) == {"n", "s"}
    # region n: rows 0,2,4,6,8 -> reached 4, adopted 3, sustained 2
    # region s: rows 1,3,5,7,9 -> reached 4, adopted 3, sustained 1
    assert list(c.groups["n"].table["count"]) == [4, 3, 2]
    assert list(c.groups["s"].table["count"]) == [4, 3, 1]
    assert list(c.table["count"]) == [8, 6, 3]
    assert c.target == 10
    bg = c.by_group
    assert bg is not None and list(bg.columns[:2]) == ["group", "stage"]
    assert len(bg) == 6
    eq = c.equity
    assert eq is not None
    assert eq.loc[eq["group"] == "s", "sustained"].iloc[0] == pytest.approx(1 / 3)
    assert eq.loc[eq["group"] == "n", "sustained"].iloc[0] == pytest.approx(2 / 3)
    assert c.bottleneck == "sustained"
    text = c.equity_summary()
    # last stage: s 1 of 5 (20 %), n 2 of 5 (40 %); largest gap at 'sustained': 1/3 vs 2/3
    assert "s reaches 20.0 % of its target at 'sustained', against 40.0 % in n" in text
    assert "33.3 % of the stage before continue in s, 66.7 % in n" in text
    assert "33.3 percentage points" in text
    assert text in c.summary()
    frame = c.to_frame()
    assert list(frame["group"].unique()) == ["all", "n", "s"]


# Three districts, target 1000 each.  The pooled cascade loses most at 'adopted' (every
# district keeps 50 % there, so the districts do not differ at all at the bottleneck); the
# districts differ most at 'sustained' (A 50.0 % vs C 95.1 %), and B ends lowest overall
# (20.0 % of its target) because of reach, not because of the largest-gap stage.
SPLIT_COUNTS = {
    "A": {"reached": 900, "adopted": 450, "sustained": 225},
    "B": {"reached": 500, "adopted": 250, "sustained": 200},
    "C": {"reached": 700, "adopted": 350, "sustained": 333},
}
SPLIT_LABELS = {"reached": "Reached", "adopted": "Took it up", "sustained": "Kept using"}


def test_equity_summary_names_lowest_group_and_largest_gap_stage() -> None:
    targets = {"A": 1000, "B": 1000, "C": 1000}
    c = cascade(SPLIT_COUNTS, by="district", target=targets, labels=SPLIT_LABELS)
    assert c.bottleneck == "adopted"  # pooled 1050 / 2100 = 50 %, the lowest conversion
    # (a) share of target at the last stage, by hand: A 22.5 %, B 20.0 %, C 33.3 %
    final = {g: counts["sustained"] / targets[g] for g, counts in SPLIT_COUNTS.items()}
    worst, best = min(final, key=final.__getitem__), max(final, key=final.__getitem__)
    assert (worst, best) == ("B", "C")
    # (b) conversion per stage and its spread across districts, by hand
    stages = ["reached", "adopted", "sustained"]
    conversion = {
        g: [
            counts[stage] / before
            for stage, before in zip(stages, [targets[g], *list(counts.values())[:-1]], strict=True)
        ]
        for g, counts in SPLIT_COUNTS.items()
    }
    spread = [
        max(v[i] for v in conversion.values()) - min(v[i] for v in conversion.values())
        for i in range(3)
    ]
    assert int(np.argmax(spread)) == 2  # 'sustained', not the bottleneck 'adopted'
    text = c.equity_summary()
    first, second = text.split(". ", 1)
    assert first == "B reaches 20.0 % of its target at 'Kept using', against 33.3 % in C"
    assert "differ most at 'Kept using'" in second
    assert "50.0 % of the stage before continue in A, 95.1 % in C" in second
    assert f"a gap of {100 * spread[2]:.1f} percentage points" in second
    assert "45.1 percentage points" in second
    assert "Took it up" not in text  # the pooled bottleneck is not where districts differ
    gaps = c.equity_gaps
    assert gaps is not None
    assert list(gaps["stage"]) == stages
    np.testing.assert_allclose(gaps["gap"], spread, rtol=1e-12)
    assert list(gaps["lowest_group"]) == ["B", "A", "A"]  # ties at 'adopted': first group
    assert list(gaps["highest_group"]) == ["A", "A", "C"]
    eq = c.equity
    assert eq is not None  # unchanged columns
    assert list(eq.columns) == ["group", *stages, "final_share_of_target", "bottleneck"]


def test_equity_summary_equal_groups_numbers_and_no_groups() -> None:
    same = {"x": {"a": 10, "b": 5}, "y": {"a": 10, "b": 5}}
    c = cascade(same, by="arm", target={"x": 20, "y": 20})
    text = c.equity_summary()
    assert text.startswith("Every arm group reaches 25.0 % of its target at 'b'.")
    assert "convert equally at every stage" in text
    df = pd.DataFrame(
        {
            "got": [1, 1, 1, 1, 0, 1],
            "kept": [1, 1, 0, 1, 0, 0],
            "wealth_quintile": [1, 1, 1, 2, 2, 2],
        }
    )
    text = cascade(df, ["got", "kept"], by="wealth_quintile").equity_summary()
    # quintile 1: 2 of 3 kept (66.7 %); quintile 2: 1 of 3 (33.3 %) — numbers are named
    # with their grouping
    assert text.startswith(
        "wealth quintile 2 reaches 33.3 % of its target at 'kept', against 66.7 % in "
        "wealth quintile 1."
    )
    assert cascade({"a": 10, "b": 5}).equity_summary().startswith("No group comparison")


def test_cascade_by_group_counts_and_targets() -> None:
    counts = {"urban": {"reached": 90, "adopted": 70}, "rural": {"reached": 60, "adopted": 20}}
    c = cascade(counts, by="area", target={"urban": 100, "rural": 100})
    assert c.target == 200
    assert list(c.table["count"]) == [150, 90]
    assert c.groups["rural"].bottleneck == "adopted"
    with pytest.raises(DataError, match="pass by="):
        cascade(counts)
    with pytest.raises(DataError, match="mapping"):
        cascade(counts, by="area", target=100)
    with pytest.raises(DataError, match="group rural.*'adopted'"):
        cascade({"urban": {"r": 9, "adopted": 7}, "rural": {"r": 6, "adopted": 8}}, by="area")


def test_cascade_result_object() -> None:
    c = cascade({"reached": 800, "adopted": 600}, target=1000)
    assert isinstance(c, Cascade)
    assert "Cascade(" in repr(c) and "bottleneck='adopted'" in repr(c)
    assert "<table" in c._repr_html_()
    s = c.summary()
    assert "1,000" in s and "60.0 %" in s and "'adopted'" in s
    assert c.to_frame() is not c.table
    with pytest.raises(AttributeError):
        c.target = 5  # type: ignore[misc]
