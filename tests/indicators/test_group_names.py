"""compute(by=...) accepts any column name (issue 10, item 4).

Group columns keep the user's names; a standard output column whose name a group column
already has is reported as ``<name>_`` (the period column under its own name).  The values
are checked against pandas ``groupby`` (an independent implementation) and against the same
call with harmless column names.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from impactkit.indicators import STATISTIC_COLUMNS, Indicator, compute, output_names

MEAN = Indicator(id="score", name="Score", description="", unit="points", kind="mean", value="y")
SHARE = Indicator(
    id="share", name="Share", description="", unit="proportion", kind="proportion", numerator="hit"
)

#: Names that clash with an output column or with compute()'s internal bookkeeping.
RESERVED = [
    *STATISTIC_COLUMNS,
    "period",
    "value_",
    "n_",
    "0_n",
    "0_sw",
    "0_cx",
    "1_swx",
    "_ik_0_n",
    "_ik_0_w_max",
    "",
    " ",
    "by",
]


def frame(n: int = 60, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "g": rng.choice(["a", "b", "c"], n),
            "t": rng.choice([1, 2], n),
            "y": rng.normal(10, 2, n),
            "hit": rng.random(n) < 0.4,
        }
    )


def test_by_period_keeps_the_name_and_the_numbers() -> None:
    df = frame()
    plain = compute([MEAN, SHARE], df, by="g")
    named = compute([MEAN, SHARE], df.rename(columns={"g": "period"}), by="period")
    assert list(named.columns) == ["indicator", "period", *STATISTIC_COLUMNS[1:]]
    pd.testing.assert_frame_equal(named, plain.rename(columns={"g": "period"}), check_exact=True)


def test_by_value_renames_only_the_clashing_statistic() -> None:
    df = frame()
    out = compute(MEAN, df.rename(columns={"g": "value"}), by="value")
    assert list(out.columns[:3]) == ["indicator", "value", "value_"]
    assert list(out["value"]) == ["a", "b", "c"]
    expected = df.groupby("g")["y"].mean()
    np.testing.assert_allclose(out["value_"], expected.to_numpy(), rtol=1e-12)
    assert "n" in out.columns and "ci_low" in out.columns


def test_by_period_and_a_period_column() -> None:
    df = frame().rename(columns={"g": "period"})
    out = compute(MEAN, df, by="period", period="t")
    assert list(out.columns[:3]) == ["indicator", "period", "t"]
    ref = df.groupby(["period", "t"])["y"].mean()
    np.testing.assert_allclose(out["value"], ref.to_numpy(), rtol=1e-12)
    assert list(zip(out["period"], out["t"], strict=True)) == list(ref.index)


def test_period_column_named_like_a_statistic() -> None:
    df = frame().rename(columns={"g": "period", "t": "n"})
    out = compute(MEAN, df, by="period", period="n")
    assert list(out.columns[:4]) == ["indicator", "period", "n", "value"]
    assert "n_" in out.columns  # the row count, renamed because the period column is "n"
    assert out["n_"].sum() == len(df)


def test_ordinary_names_keep_the_standard_columns() -> None:
    names = output_names(["district", "sex"], "month")
    assert names == {"period": "period", **{c: c for c in STATISTIC_COLUMNS}}
    assert output_names(["value", "value_"], None)["value"] == "value__"
    assert output_names(["period"], "round")["period"] == "round"


group_name = st.one_of(st.sampled_from(RESERVED), st.text(max_size=8)).filter(
    lambda s: s not in ("y", "hit")
)


@settings(max_examples=30)  # two compute() calls per example; ~0.5 s each
@given(
    names=st.lists(group_name, min_size=1, max_size=3, unique=True),
    with_period=st.booleans(),
    seed=st.integers(0, 2**16),
    engine=st.sampled_from(["pandas", "polars", "lazy"]),
)
def test_any_group_names_give_the_same_table(
    names: list[str], with_period: bool, seed: int, engine: str
) -> None:
    """Renaming the group columns to anything changes only the column names."""
    by, period = (names[:-1], names[-1]) if with_period and len(names) > 1 else (names, None)
    rng = np.random.default_rng(seed)
    n = 40
    labels = {f"k{j}": rng.choice(["p", "q"], n) for j in range(len(names))}
    base = pd.DataFrame({**labels, "y": rng.normal(0, 1, n), "hit": rng.random(n) < 0.5})
    renamed = base.rename(columns={f"k{j}": name for j, name in enumerate(names)})
    data: object = renamed
    if engine != "pandas":
        # built column by column: pl.from_pandas would rename a column called ""
        polars_frame = pl.DataFrame({c: renamed[c].tolist() for c in renamed.columns})
        data = polars_frame.lazy() if engine == "lazy" else polars_frame
    safe = [f"k{j}" for j in range(len(names))]
    safe_by, safe_period = (safe[:-1], safe[-1]) if period is not None else (safe, None)

    out = compute([MEAN, SHARE], data, by=by, period=period)
    ref = compute([MEAN, SHARE], base, by=safe_by, period=safe_period)

    mapping = output_names(by, period)
    expected_columns = [mapping["indicator"], *by]
    expected_columns += [mapping["period"]] if period is not None else []
    expected_columns += [mapping[c] for c in STATISTIC_COLUMNS[1:]]
    assert list(out.columns) == expected_columns
    assert len(set(out.columns)) == len(out.columns)
    back = {mapping[c]: c for c in STATISTIC_COLUMNS} | dict(zip(by, safe_by, strict=True))
    if period is not None:
        back[mapping["period"]] = "period"
    pd.testing.assert_frame_equal(
        out.set_axis([back[c] for c in out.columns], axis=1),
        ref,
        check_exact=False,
        rtol=1e-12,
        check_dtype=engine == "pandas",
    )
    # independent reference: pandas groupby mean of y over the group labels
    keys = safe_by + ([safe_period] if safe_period is not None else [])
    means = base.groupby(keys)["y"].mean()
    mine = ref[ref["indicator"] == "score"]["value"].to_numpy()
    np.testing.assert_allclose(mine, means.to_numpy(), rtol=1e-12)


def test_duplicate_and_non_text_names_are_still_errors() -> None:
    from impactkit.errors import DataError

    with pytest.raises(DataError, match="twice"):
        compute(MEAN, frame(), by=["g", "g"])
    with pytest.raises(DataError, match="column name"):
        compute(MEAN, frame(), by=[1])  # type: ignore[list-item]
