"""Hostile calls of the library: each raises its named error, or returns a finite number
(or a NaN with a note).  Never a raw exception, never a silent wrong number."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

import impactkit as ik
from impactkit.errors import DataError, ImpactkitError, IndicatorDefinitionError
from impactkit.indicators import Indicator

RNG = np.random.default_rng(7)
BEFORE = RNG.normal(10, 2, 30)
AFTER = BEFORE + RNG.normal(1, 1, 30)


def _did_frame(outcome: np.ndarray | None = None) -> pd.DataFrame:
    n = 40
    treated = np.repeat([0, 1], n // 2)
    frame = pd.DataFrame(
        {
            "y": RNG.normal(5, 1, 2 * n),
            "treated": np.tile(treated, 2),
            "post": np.repeat([0, 1], n),
            "unit": np.tile(np.arange(n), 2),
        }
    )
    if outcome is not None:
        frame["y"] = outcome
    return frame


def _series(n: int = 42) -> pd.DataFrame:
    t = np.arange(n)
    return pd.DataFrame({"t": t, "y": 50 + 0.2 * t + 3 * (t >= 24) + RNG.normal(0, 1, n)})


def _gap() -> ik.Gap:
    return ik.effectiveness_gap(0.5, reach=0.5, method="delta")


def _ind(expr: str) -> Indicator:
    return Indicator(id="x", name="x", description="", unit="u", kind="mean", value=expr)


RAISES: list[tuple[str, Callable[[], Any], type[Exception], tuple[str, ...]]] = [
    ("power-nan", lambda: ik.power(float("nan"), 100), DataError, ("effect",)),
    ("power-inf", lambda: ik.power(float("inf"), 100), DataError, ("effect",)),
    ("power-n-nan", lambda: ik.power(0.5, float("nan")), DataError, ("n",)),
    ("mde-inf", lambda: ik.mde(float("inf")), DataError, ("n",)),
    ("mde-text", lambda: ik.mde("100"), DataError, ("n",)),  # type: ignore[arg-type]
    ("mde-nan", lambda: ik.mde(float("nan")), DataError, ("n",)),
    ("mde-negative", lambda: ik.mde(-5), DataError, ("n",)),
    ("mde-sd-inf", lambda: ik.mde(100, sd=float("inf")), DataError, ("sd",)),
    ("gap-step-1.5", lambda: ik.effectiveness_gap(0.5, reach=1.5), DataError, ("reach",)),
    ("gap-lab-nan", lambda: ik.effectiveness_gap(float("nan"), reach=0.5), DataError, ("lab",)),
    ("gap-lab-inf", lambda: ik.effectiveness_gap(float("inf"), reach=0.5), DataError, ("lab",)),
    (
        "pre-post-paired-yes",
        lambda: ik.pre_post(BEFORE, AFTER, paired="yes"),  # type: ignore[arg-type]
        DataError,
        ("paired",),
    ),
    ("pre-post-inf", lambda: ik.pre_post([1, 2, np.inf], [1, 2, 3], paired=True), DataError, ()),
    ("pre-post-empty", lambda: ik.pre_post([], [], paired=False), ImpactkitError, ()),
    ("pre-post-text", lambda: ik.pre_post(["a", "b"], [1, 2], paired=True), DataError, ("'a'",)),
    (
        "cost-population-0",
        lambda: ik.cost_per_outcome(1000, _gap(), population=0),
        DataError,
        ("population",),
    ),
    (
        "cost-population-negative",
        lambda: ik.cost_per_outcome(1000, _gap(), population=-3),
        DataError,
        ("population",),
    ),
    (
        "cost-population-nan",
        lambda: ik.cost_per_outcome(1000, _gap(), population=float("nan")),
        DataError,
        ("population",),
    ),
    ("cost-nan", lambda: ik.cost_per_outcome(float("nan"), _gap(), population=9), DataError, ()),
    (
        "cascade-empty",
        lambda: ik.cascade(
            pd.DataFrame({"a": pd.Series([], dtype=bool), "b": pd.Series([], dtype=bool)}),
            ["a", "b"],
        ),
        DataError,
        ("no rows",),
    ),
    (
        "cascade-text",
        lambda: ik.cascade(pd.DataFrame({"a": [1, 1], "b": ["x", 1]}), ["a", "b"]),
        DataError,
        ("'b'",),
    ),
    (
        "did-inf",
        lambda: ik.did(_did_frame(np.r_[np.inf, np.ones(79)]), "y", "treated", "post"),
        DataError,
        ("infinite",),
    ),
    (
        "did-empty",
        lambda: ik.did(_did_frame().iloc[:0], "y", "treated", "post"),
        ImpactkitError,
        (),
    ),
    (
        "its-hac-huge",
        lambda: ik.its(_series(), "t", "y", 24, hac_lags=1_000_000),
        DataError,
        ("hac_lags", "42"),
    ),
    ("its-hac-11", lambda: ik.its(_series(), "t", "y", 24, hac_lags=11), DataError, ("hac_lags",)),
    (
        "its-hac-negative",
        lambda: ik.its(_series(), "t", "y", 24, hac_lags=-1),
        DataError,
        ("hac_lags",),
    ),
    (
        "evaluate-nested",
        lambda: ik.evaluate(_ind("(" * 300 + "y" + ")" * 300), _series()),
        IndicatorDefinitionError,
        ("nested",),
    ),
    (
        "evaluate-chain",
        lambda: ik.evaluate(_ind("y" + " + 0" * 450), _series()),
        IndicatorDefinitionError,
        ("nested",),
    ),
    (
        "evaluate-huge-int",
        lambda: ik.evaluate(_ind("y == 1" + "0" * 1900), _series()),
        IndicatorDefinitionError,
        ("at most",),
    ),
    (
        "evaluate-fullwidth",
        lambda: ik.evaluate(_ind("\uff59"), _series()),
        IndicatorDefinitionError,
        ("compatibility",),
    ),
    (
        "catalog-bomb",
        lambda: ik.Catalog.from_yaml(
            "a: &a [x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n"
                for i in range(8)
            )
        ),
        IndicatorDefinitionError,
        ("expands",),
    ),
    (
        "catalog-deep",
        lambda: ik.Catalog.from_yaml("[" * 5000 + "]" * 5000),
        IndicatorDefinitionError,
        ("nested",),
    ),
    (
        "voltage-nan",
        lambda: ik.voltage_ratio(ik.pre_post(BEFORE, AFTER, paired=True), float("nan")),
        DataError,
        (),
    ),
]


@pytest.mark.parametrize("call, error, words", [r[1:] for r in RAISES], ids=[r[0] for r in RAISES])
def test_raises_a_named_error(
    call: Callable[[], Any], error: type[Exception], words: tuple[str, ...]
) -> None:
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    assert len(message) < 2500
    for word in words:
        assert word.lower() in message.lower(), message


def _finite_or_noted(result: Any) -> None:
    for name in ("estimate", "ci_low", "ci_high", "p_value", "real_world"):
        value = getattr(result, name, None)
        if value is None:
            continue
        assert math.isfinite(value) or result.notes, f"{name} = {value} without a note"


FINE: list[tuple[str, Callable[[], Any]]] = [
    ("pre-post-1e308", lambda: ik.pre_post(BEFORE * 1e306, AFTER * 1e306, paired=True)),
    (
        "pre-post-1e308-independent",
        lambda: ik.pre_post(BEFORE * 1e306, AFTER * 1e306, paired=False),
    ),
    ("pre-post-tiny", lambda: ik.pre_post(BEFORE * 1e-300, AFTER * 1e-300, paired=True)),
    ("gap-lab-1.5", lambda: ik.effectiveness_gap(1.5, reach=0.5, method="delta")),
    ("its-hac-3", lambda: ik.its(_series(), "t", "y", 24, hac_lags=3)),
    ("did-ok", lambda: ik.did(_did_frame(), "y", "treated", "post")),
]


@pytest.mark.parametrize("call", [f[1] for f in FINE], ids=[f[0] for f in FINE])
def test_returns_a_finite_number_or_a_note(call: Callable[[], Any]) -> None:
    try:
        result = call()
    except ImpactkitError:
        return  # a named refusal is fine too
    _finite_or_noted(result)


def test_hac_lags_below_a_quarter_change_the_interval_sanely() -> None:
    """3 lags on 42 points gives an interval of the same order as classical errors (the
    issue's 1,000,000 lags gave a width 2,500 times too small)."""
    classical = ik.its(_series(), "t", "y", 24)
    hac = ik.its(_series(), "t", "y", 24, hac_lags=3)
    ratio = (hac.ci_high - hac.ci_low) / (classical.ci_high - classical.ci_low)
    assert 0.3 < ratio < 3
