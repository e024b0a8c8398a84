"""Tests that adoption results plot through impactkit.charts (the charts contract).

Hypothesis properties are in tests/adoption/test_adoption_properties.py.
"""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest
from _adoption_data import (
    six_mp_frame,
)

from impactkit.adoption import (
    cascade,
    effectiveness_gap,
    sustained_use,
)

# ----------------------------------------------------------------------------- plots


class _Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Any:
        def record(*args: Any, **kwargs: Any) -> str:
            self.calls.append((name, args, kwargs))
            return "axes"

        return record


@pytest.fixture
def fake_charts(monkeypatch: pytest.MonkeyPatch) -> _Recorder:
    rec = _Recorder()
    module = types.ModuleType("impactkit.charts")
    for name in ("funnel", "survival", "waterfall"):
        setattr(module, name, getattr(rec, name))
    monkeypatch.setitem(sys.modules, "impactkit.charts", module)
    return rec


def test_plots_follow_the_charts_contract(fake_charts: _Recorder) -> None:
    c = cascade({"reached": 800, "adopted": 600}, target=1000)
    assert c.plot(ax=None) == "axes"
    name, args, kwargs = fake_charts.calls[-1]
    assert name == "funnel" and "ax" in kwargs
    for col in [
        "stage",
        "count",
        "share_of_target",
        "share_of_target_ci_low",
        "share_of_target_ci_high",
    ]:
        assert col in args[0].columns
    s = sustained_use(six_mp_frame(), "weeks", "relapse", by="arm")
    s.plot(ax="my-ax")  # type: ignore[arg-type]
    name, args, kwargs = fake_charts.calls[-1]
    assert name == "survival" and kwargs["ax"] == "my-ax"
    assert {"group", "time", "survival", "ci_low", "ci_high"} <= set(args[0].columns)
    assert {"group", "time", "survival"} <= set(kwargs["censored"].columns)
    g = effectiveness_gap(0.9, method="delta", reach=0.5)
    g.plot()
    name, args, kwargs = fake_charts.calls[-1]
    assert name == "waterfall"
    steps = args[0]
    assert {"step", "value", "ci_low", "ci_high"} <= set(steps.columns)
    assert steps["step"].iloc[0] == "lab efficacy" and steps["step"].iloc[-1] == "real-world effect"


def test_plots_with_real_charts() -> None:
    pytest.importorskip("impactkit.charts")
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes

    c = cascade({"reached": 800, "adopted": 600, "used": 300}, target=1000)
    s = sustained_use(six_mp_frame(), "weeks", "relapse", by="arm", horizons=(10, 20))
    g = effectiveness_gap(0.99, seed=1, n_draws=2000, reach=0.8, adoption=(600, 800))
    for result in (c, s, g):
        fig, ax = plt.subplots()
        assert result.plot(ax=ax) is ax
        plt.close(fig)
    ax = c.plot()
    assert isinstance(ax, Axes)
    plt.close("all")
