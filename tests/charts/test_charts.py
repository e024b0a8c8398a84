"""Tests for impactkit.charts: contract (ax in, Axes out), content drawn, determinism,
input validation and no side effects (inputs, global rcParams)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import matplotlib as mpl
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from impactkit import charts
from impactkit.errors import DataError, MissingColumnError

# --------------------------------------------------------------------------- example data


def dumbbell_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label": ["Treats water", "Diarrhoea (2 weeks)", "Knows key moments"],
            "before": [0.32, 0.21, 0.44],
            "after": [0.58, 0.14, 0.47],
            "b_lo": [0.28, 0.17, 0.40],
            "b_hi": [0.36, 0.25, 0.48],
        }
    )


def forest_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label": ["Water treated", "Diarrhoea", "Clinic visits", "Filter use"],
            "estimate": [0.21, -0.065, 0.012, 0.48],
            "ci_low": [0.15, -0.11, -0.03, 0.41],
            "ci_high": [0.27, -0.02, 0.054, 0.55],
            "mmc": [0.05, 0.03, 0.05, 0.10],
        }
    )


def funnel_table() -> pd.DataFrame:
    count = np.array([9300, 7100, 5600, 3300, 2500])
    share = count / 12000
    return pd.DataFrame(
        {
            "stage": ["Reached", "Received", "Installed", "Used last week", "Still using"],
            "count": count,
            "share_of_target": share,
            "share_of_target_ci_low": share - 0.01,
            "share_of_target_ci_high": share + 0.01,
            "share_of_previous": count / np.r_[12000, count[:-1]],
            "bottleneck": [False, False, False, True, False],
        }
    )


def survival_curves() -> pd.DataFrame:
    rows = []
    for group, rate in (("Rural", 0.004), ("Urban", 0.0025)):
        t = np.arange(15.0, 361.0, 15.0)  # no row at time 0: the chart adds S(0) = 1
        s = np.round(np.exp(-rate * t), 3)
        for ti, si in zip(t, s, strict=True):
            rows.append(
                {
                    "group": group,
                    "time": ti,
                    "survival": si,
                    "ci_low": max(si - 0.06, 0.0),
                    "ci_high": min(si + 0.06, 1.0),
                }
            )
    return pd.DataFrame(rows)


def censored_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group": ["Rural", "Urban", "Urban"],
            "time": [50.0, 100.0, 400.0],
            "survival": [0.82, 0.78, 0.41],
        }
    )


def its_frame(dates: bool = True) -> pd.DataFrame:
    i = np.arange(48)
    post = i >= 30
    fitted = 200 + 1.2 * i - 15 * post - 0.5 * post * (i - 30)
    cf = 200 + 1.2 * i
    time: Any = pd.date_range("2002-01-01", periods=48, freq="MS") if dates else i.astype(float)
    return pd.DataFrame(
        {
            "time": time,
            "observed": fitted + 5 * np.sin(i),
            "fitted": fitted,
            "counterfactual": np.where(post, cf, np.nan),
            "cf_ci_low": np.where(post, cf - 8, np.nan),
            "cf_ci_high": np.where(post, cf + 8, np.nan),
        }
    )


ITS_CUT_DATE = pd.Timestamp("2004-07-01")  # row 30


def waterfall_steps() -> pd.DataFrame:
    value = [0.90, 0.702, 0.4914, 0.39312, 0.334152, 0.334152]
    return pd.DataFrame(
        {
            "step": ["lab efficacy", "reach", "adoption", "sustained", "correct", "real-world"],
            "value": value,
            "ci_low": [v - 0.03 for v in value],
            "ci_high": [v + 0.03 for v in value],
        }
    )


def subgroup_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group": ["Women", "Men", "Poorest", "Richest", "Disability"],
            "estimate": [0.24, 0.17, 0.09, 0.29, 0.05],
            "ci_low": [0.19, 0.12, 0.03, 0.24, -0.04],
            "ci_high": [0.29, 0.22, 0.15, 0.34, 0.14],
        }
    )


# name -> (draw function taking data and **kwargs, data factory, required columns)
CASES: dict[str, tuple[Callable[..., Axes], Callable[[], pd.DataFrame], list[str]]] = {
    "dumbbell": (
        lambda d, **kw: charts.dumbbell(d, before_ci=("b_lo", "b_hi"), pct=True, **kw),
        dumbbell_frame,
        ["label", "before", "after", "b_lo"],
    ),
    "forest": (
        lambda d, **kw: charts.forest(d, mmc="mmc", **kw),
        forest_frame,
        ["label", "estimate", "ci_low", "ci_high", "mmc"],
    ),
    "funnel": (
        charts.funnel,
        funnel_table,
        ["stage", "count", "share_of_target", "share_of_target_ci_low", "share_of_target_ci_high"],
    ),
    "survival": (
        lambda d, **kw: charts.survival(d, censored=censored_frame(), horizons=(90, 180), **kw),
        survival_curves,
        ["group", "time", "survival", "ci_low", "ci_high"],
    ),
    "its": (
        lambda d, **kw: charts.its(d, intervention=ITS_CUT_DATE, ylabel="Rate", **kw),
        its_frame,
        ["time", "observed", "fitted", "counterfactual", "cf_ci_low", "cf_ci_high"],
    ),
    "waterfall": (charts.waterfall, waterfall_steps, ["step", "value"]),
    "subgroups": (
        lambda d, **kw: charts.subgroups(d, overall=0.2, pct=True, **kw),
        subgroup_frame,
        ["group", "estimate", "ci_low", "ci_high"],
    ),
}
NAMES = sorted(CASES)


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def _pixels(ax: Axes) -> np.ndarray:
    fig = ax.get_figure(root=True)
    assert fig is not None
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()  # type: ignore[attr-defined]


def _png(ax: Axes) -> bytes:
    fig = ax.get_figure(root=True)
    assert fig is not None
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def _by_gid(ax: Axes, gid: str) -> list[Any]:
    return [a for a in ax.get_children() if a.get_gid() == gid]


# --------------------------------------------------------------------------- contract


@pytest.mark.parametrize("name", NAMES)
def test_returns_axes_and_renders(name: str) -> None:
    draw, data, _ = CASES[name]
    ax = draw(data(), title=f"A {name} chart")
    assert isinstance(ax, Axes)
    fig = ax.get_figure(root=True)
    assert fig is not None
    assert ax.get_title(loc="left") == f"A {name} chart"
    fig.canvas.draw()
    width, height = fig.get_size_inches()
    assert width == pytest.approx(charts.FIGSIZE[0])
    assert height >= charts.FIGSIZE[1]
    assert ax.title.get_fontname() == "DejaVu Sans"


@pytest.mark.parametrize("name", NAMES)
def test_draws_into_given_axes(name: str) -> None:
    draw, data, _ = CASES[name]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    out = draw(data(), ax=right)
    assert out is right
    assert out.get_figure(root=True) is fig
    assert fig.axes == [left, right]  # no new axes, figure not replaced
    assert not left.has_data()
    assert right.has_data()
    fig.canvas.draw()


@pytest.mark.parametrize("name", NAMES)
def test_deterministic_pixels_and_png(name: str) -> None:
    draw, data, _ = CASES[name]
    first, second = draw(data()), draw(data())
    np.testing.assert_array_equal(_pixels(first), _pixels(second))
    assert _png(first) == _png(second)


@pytest.mark.parametrize("name", NAMES)
def test_inputs_not_mutated(name: str) -> None:
    draw, data, _ = CASES[name]
    frame = data()
    before = frame.copy(deep=True)
    draw(frame)
    pd.testing.assert_frame_equal(frame, before)


@pytest.mark.parametrize("name", NAMES)
def test_global_rcparams_untouched(name: str) -> None:
    draw, data, _ = CASES[name]
    before = {k: v for k, v in mpl.rcParams.items() if k != "backend"}
    _pixels(draw(data()))
    after = {k: v for k, v in mpl.rcParams.items() if k != "backend"}
    assert after == before


@pytest.mark.parametrize(
    ("name", "column"), [(name, col) for name in NAMES for col in CASES[name][2]]
)
def test_missing_column_names_chart_and_column(name: str, column: str) -> None:
    draw, data, _ = CASES[name]
    with pytest.raises(MissingColumnError) as info:
        draw(data().drop(columns=[column]))
    assert info.value.column == column
    assert f"charts.{name}" in str(info.value)
    assert repr(column) in str(info.value)


@pytest.mark.parametrize("name", NAMES)
def test_empty_frame_is_a_data_error(name: str) -> None:
    draw, data, _ = CASES[name]
    with pytest.raises(DataError, match="empty"):
        draw(data().iloc[0:0])


@pytest.mark.parametrize("name", ["forest", "subgroups", "dumbbell"])
def test_non_numeric_values_are_a_data_error(name: str) -> None:
    draw, data, cols = CASES[name]
    frame = data()
    frame[cols[1]] = frame[cols[1]].astype(object)
    frame.loc[1, cols[1]] = "twelve"
    with pytest.raises(DataError, match="twelve"):
        draw(frame)


def test_not_a_frame_is_a_data_error() -> None:
    with pytest.raises(DataError, match="charts.funnel"):
        charts.funnel([1, 2, 3])


def test_polars_frames_are_accepted() -> None:
    pl = pytest.importorskip("polars")
    ax = charts.waterfall(pl.from_pandas(waterfall_steps()))
    kept = _by_gid(ax, "waterfall-kept")
    assert [b.get_height() for b in kept] == pytest.approx(waterfall_steps()["value"])


# --------------------------------------------------------------------------- style


def test_palette_is_okabe_ito() -> None:
    okabe_ito = {
        "#000000",
        "#E69F00",
        "#56B4E9",
        "#009E73",
        "#F0E442",
        "#0072B2",
        "#D55E00",
        "#CC79A7",
    }
    assert set(charts.PALETTE) == okabe_ito
    assert len(charts.PALETTE) == len(okabe_ito)
    assert len(set(charts.MARKERS)) == len(charts.PALETTE)
    assert len({str(s) for s in charts.LINESTYLES}) == len(charts.PALETTE)


def test_style_is_a_scoped_rc_context() -> None:
    outside = mpl.rcParams["font.size"], list(mpl.rcParams["font.sans-serif"])
    with charts.style():
        assert mpl.rcParams["font.sans-serif"][0] == "DejaVu Sans"
        assert mpl.rcParams["font.size"] == 9.0
        assert list(mpl.rcParams["figure.figsize"]) == list(charts.FIGSIZE)
        colors = [c["color"] for c in mpl.rcParams["axes.prop_cycle"]]
        assert colors == list(charts.PALETTE)
    assert (mpl.rcParams["font.size"], list(mpl.rcParams["font.sans-serif"])) == outside


def test_passed_axes_get_house_spines() -> None:
    fig, ax = plt.subplots()
    charts.funnel(funnel_table(), ax=ax)
    assert not ax.spines["top"].get_visible()
    assert not ax.spines["right"].get_visible()


# --------------------------------------------------------------------------- funnel


def test_funnel_one_bar_per_stage_at_share_of_target() -> None:
    table = funnel_table()
    ax = charts.funnel(table)
    bars = _by_gid(ax, "funnel-bar")
    assert len(bars) == len(table)
    np.testing.assert_allclose([b.get_width() for b in bars], table["share_of_target"])
    assert [b.get_x() for b in bars] == [0.0] * len(table)
    # first stage on top: y positions increase downward on an inverted axis
    ys = [b.get_y() + b.get_height() / 2 for b in bars]
    assert ys == sorted(ys)
    bottom, top = ax.get_ylim()
    assert bottom > top
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == list(table["stage"])


def test_funnel_value_labels_show_percent_and_count() -> None:
    table = funnel_table()
    ax = charts.funnel(table)
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == len(table)
    for text, share, count in zip(texts, table["share_of_target"], table["count"], strict=True):
        assert f"{100 * share:.1f} %" in text
        assert f"{count:,}" in text
    assert "bottleneck" in texts[3]
    assert sum("bottleneck" in t for t in texts) == 1


def test_funnel_bottleneck_bar_is_hatched_for_greyscale() -> None:
    ax = charts.funnel(funnel_table())
    hatches = [b.get_hatch() for b in _by_gid(ax, "funnel-bar")]
    assert hatches[3]
    assert not any(h for i, h in enumerate(hatches) if i != 3)


def test_funnel_axis_is_percent() -> None:
    ax = charts.funnel(funnel_table())
    _pixels(ax)
    assert ax.get_xlim() == (0.0, 1.0)
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert labels[0] == "0 %" and labels[-1] == "100 %"


def test_funnel_rejects_share_outside_unit_interval() -> None:
    table = funnel_table()
    table.loc[0, ["share_of_target", "share_of_target_ci_high"]] = [1.2, 1.3]
    with pytest.raises(DataError, match="share_of_target"):
        charts.funnel(table)


@settings(max_examples=25)
@given(
    st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=6).map(
        lambda xs: sorted(xs, reverse=True)
    )
)
def test_funnel_bars_match_any_cascade(counts: list[int]) -> None:
    target = max(max(counts), 1)
    share = np.array(counts, dtype=float) / target
    table = pd.DataFrame(
        {
            "stage": [f"stage {i}" for i in range(len(counts))],
            "count": counts,
            "share_of_target": share,
            "share_of_target_ci_low": share,
            "share_of_target_ci_high": share,
        }
    )
    ax = charts.funnel(table)
    np.testing.assert_allclose([b.get_width() for b in _by_gid(ax, "funnel-bar")], share)
    plt.close("all")


# --------------------------------------------------------------------------- forest


@pytest.mark.parametrize(("mmc", "null"), [(0.05, 0.0), (0.2, 1.0)])
def test_forest_band_spans_plus_minus_mmc_around_null(mmc: float, null: float) -> None:
    frame = forest_frame()
    frame["estimate"] += null
    frame["ci_low"] += null
    frame["ci_high"] += null
    ax = charts.forest(frame, mmc=mmc, null=null)
    (band,) = _by_gid(ax, "mmc-band")
    assert isinstance(band, Rectangle)
    assert band.get_x() == pytest.approx(null - mmc)
    assert band.get_x() + band.get_width() == pytest.approx(null + mmc)
    (null_line,) = _by_gid(ax, "null-line")
    assert list(null_line.get_xdata()) == [null, null]
    legend = ax.get_legend()
    assert legend is not None
    assert "minimum meaningful change" in legend.get_texts()[0].get_text()


def test_forest_band_per_row_from_column() -> None:
    frame = forest_frame()
    ax = charts.forest(frame, mmc="mmc")
    bands = _by_gid(ax, "mmc-band")
    assert len(bands) == len(frame)
    np.testing.assert_allclose([b.get_x() for b in bands], -frame["mmc"])
    np.testing.assert_allclose([b.get_width() for b in bands], 2 * frame["mmc"])


def test_forest_without_mmc_draws_no_band() -> None:
    ax = charts.forest(forest_frame())
    assert _by_gid(ax, "mmc-band") == []
    assert ax.get_legend() is None


def test_forest_estimates_and_interval_labels() -> None:
    frame = forest_frame()
    ax = charts.forest(frame, pct=True)
    (points,) = [line for line in ax.lines if line.get_gid() == "forest-estimates"]
    np.testing.assert_allclose(points.get_xdata(), frame["estimate"])
    texts = [t.get_text() for t in ax.texts]
    assert texts[0] == "21 % (15 % to 27 %)"
    assert texts[1].startswith("\u22126.5 %")  # typographic minus, as on the ticks


@pytest.mark.parametrize("bad", [-0.1, float("nan"), "no_such_column"])
def test_forest_bad_mmc(bad: Any) -> None:
    error = MissingColumnError if bad == "no_such_column" else DataError
    with pytest.raises(error, match="mmc|no_such_column"):
        charts.forest(forest_frame(), mmc=bad)


def test_forest_swapped_interval_is_reported_by_label() -> None:
    frame = forest_frame().rename(columns={"ci_low": "ci_high", "ci_high": "ci_low"})
    with pytest.raises(DataError, match="Water treated"):
        charts.forest(frame)


# --------------------------------------------------------------------------- waterfall


def test_waterfall_bars_end_at_each_remaining_effect() -> None:
    steps = waterfall_steps()
    ax = charts.waterfall(steps)
    kept = _by_gid(ax, "waterfall-kept")
    assert len(kept) == len(steps)
    tops = [b.get_y() + b.get_height() for b in kept]
    np.testing.assert_allclose(tops, steps["value"])
    assert tops[0] == pytest.approx(0.90)  # lab efficacy
    assert tops[-1] == pytest.approx(0.334152)  # real-world effect


def test_waterfall_lost_parts_span_each_drop_and_are_labelled_in_percent() -> None:
    steps = waterfall_steps()
    value = steps["value"].to_numpy()
    ax = charts.waterfall(steps)
    lost = _by_gid(ax, "waterfall-lost")
    drops = [i for i in range(1, len(value)) if value[i] < value[i - 1]]
    assert len(lost) == len(drops) == 4  # the real-world row repeats the last value: no loss
    for bar, i in zip(lost, drops, strict=True):
        assert bar.get_y() == pytest.approx(value[i])
        assert bar.get_y() + bar.get_height() == pytest.approx(value[i - 1])
        assert bar.get_hatch()  # visible in greyscale
    # independent computation: reach keeps 78 % -> "−22 %", adoption 70 % -> "−30 %", ...
    texts = [t.get_text() for t in ax.texts]
    for expected in ("\u221222 %", "\u221230 %", "\u221220 %", "\u221215 %"):
        assert expected in texts
    assert "90 %" in texts and "33 %" in texts


def test_waterfall_gain_is_drawn_separately() -> None:
    steps = pd.DataFrame({"step": ["lab", "boost", "field"], "value": [0.5, 0.6, 0.3]})
    ax = charts.waterfall(steps)
    (gain,) = _by_gid(ax, "waterfall-gain")
    assert (gain.get_y(), gain.get_y() + gain.get_height()) == pytest.approx((0.5, 0.6))
    texts = [t.get_text() for t in ax.texts]
    assert "+20 %" in texts and "\u221250 %" in texts


def test_waterfall_percent_axis_only_with_pct() -> None:
    steps = pd.DataFrame({"step": ["lab", "field"], "value": [12.0, 7.5]})
    ax = charts.waterfall(steps, pct=False)
    _pixels(ax)
    assert not any("%" in t.get_text() for t in ax.get_yticklabels())
    ax = charts.waterfall(waterfall_steps(), pct=True)
    _pixels(ax)
    assert all(t.get_text().endswith("%") for t in ax.get_yticklabels() if t.get_text())


# --------------------------------------------------------------------------- ITS


def test_its_counterfactual_only_after_intervention() -> None:
    frame = its_frame(dates=False)
    ax = charts.its(frame, intervention=30)
    (cf,) = _by_gid(ax, "its-counterfactual")
    x = np.asarray(cf.get_xdata(), dtype=float)
    np.testing.assert_array_equal(x, np.arange(30, 48))
    np.testing.assert_allclose(cf.get_ydata(), 200 + 1.2 * np.arange(30, 48))
    assert all(line.get_linestyle() == "--" for line in (cf,))
    (band,) = _by_gid(ax, "its-cf-band")
    xs = band.get_paths()[0].vertices[:, 0]
    assert xs.min() == pytest.approx(30) and xs.max() == pytest.approx(47)
    (vline,) = _by_gid(ax, "its-intervention")
    assert list(vline.get_xdata()) == [30, 30]


def test_its_counterfactual_ignores_pre_period_values() -> None:
    frame = its_frame(dates=False)
    frame["counterfactual"] = frame["fitted"]  # some estimators fill the pre period too
    ax = charts.its(frame, intervention=30)
    (cf,) = _by_gid(ax, "its-counterfactual")
    assert min(cf.get_xdata()) >= 30


def test_its_fitted_line_is_broken_at_intervention() -> None:
    ax = charts.its(its_frame(dates=False), intervention=30)
    pre, post = _by_gid(ax, "its-fitted")
    assert max(pre.get_xdata()) < 30 <= min(post.get_xdata())
    (observed,) = _by_gid(ax, "its-observed")
    assert len(observed.get_xdata()) == 48


def test_its_dates_get_date_axis() -> None:
    ax = charts.its(its_frame(), intervention="2004-07-01")
    assert isinstance(ax.xaxis.get_major_formatter(), mdates.ConciseDateFormatter)
    (cf,) = _by_gid(ax, "its-counterfactual")
    first = mdates.num2date(mdates.date2num(cf.get_xdata()[0])).replace(tzinfo=None)
    assert first == ITS_CUT_DATE.to_pydatetime()
    _pixels(ax)
    assert any("2004" in t.get_text() for t in ax.get_xticklabels())


def test_its_unsorted_rows_are_drawn_in_time_order() -> None:
    frame = its_frame(dates=False)
    ax = charts.its(frame.iloc[::-1], intervention=30)
    (cf,) = _by_gid(ax, "its-counterfactual")
    assert np.all(np.diff(np.asarray(cf.get_xdata(), dtype=float)) > 0)


def test_its_intervention_type_must_match_time() -> None:
    with pytest.raises(DataError, match="intervention must be a date"):
        charts.its(its_frame(), intervention="not a date")
    with pytest.raises(DataError, match="intervention must be a number"):
        charts.its(its_frame(dates=False), intervention="2004-07-01")
    with pytest.raises(DataError, match="numbers or datetimes"):
        charts.its(its_frame().assign(time=lambda d: d["time"].astype(str)), intervention=3)


# --------------------------------------------------------------------------- survival


def test_survival_steps_start_at_one_and_never_rise() -> None:
    ax = charts.survival(survival_curves(), censored=censored_frame())
    for group in ("Rural", "Urban"):
        (line,) = _by_gid(ax, f"survival-{group}")
        y = np.asarray(line.get_ydata(), dtype=float)
        x = np.asarray(line.get_xdata(), dtype=float)
        assert y[0] == 1.0 and x[0] == 0.0
        assert np.all(np.diff(y) <= 0)
        assert line.get_drawstyle() == "steps-post"
    # Urban is censored at 400, after its last step at 360: its curve is carried to 400
    (urban,) = _by_gid(ax, "survival-Urban")
    assert max(urban.get_xdata()) == 400.0
    (rural,) = _by_gid(ax, "survival-Rural")
    assert max(rural.get_xdata()) == 360.0


def test_survival_groups_differ_by_line_style_and_censor_ticks_drawn() -> None:
    ax = charts.survival(survival_curves(), censored=censored_frame())
    (rural,) = _by_gid(ax, "survival-Rural")
    (urban,) = _by_gid(ax, "survival-Urban")
    assert rural.get_linestyle() != urban.get_linestyle()
    assert rural.get_color() != urban.get_color()
    (ticks,) = _by_gid(ax, "censored-Urban")
    assert ticks.get_marker() == "|"
    assert list(ticks.get_xdata()) == [100.0, 400.0]


def test_survival_percent_axis_and_horizon_labels_for_one_group() -> None:
    curves = survival_curves()
    one = curves[curves["group"] == "Rural"].assign(group="all")
    ax = charts.survival(one, horizons=(90,))
    _pixels(ax)
    assert ax.get_ylim() == (0.0, 1.03)
    assert all(t.get_text().endswith("%") for t in ax.get_yticklabels() if t.get_text())
    s90 = float(one.loc[one["time"] == 90, "survival"].iloc[0])
    assert [t.get_text() for t in ax.texts] == [f"{100 * s90:.0f} %"]


def test_survival_rising_curve_is_rejected() -> None:
    curves = survival_curves()
    curves.loc[3, "survival"] = 0.999
    with pytest.raises(DataError, match="Rural.*increases"):
        charts.survival(curves)


def test_survival_values_must_be_proportions() -> None:
    curves = survival_curves()
    curves["survival"] *= 100
    with pytest.raises(DataError, match="proportions"):
        charts.survival(curves)


@settings(max_examples=25)
@given(
    st.lists(
        st.tuples(st.floats(0.1, 500), st.floats(0.0, 0.3)),
        min_size=1,
        max_size=12,
        unique_by=lambda p: p[0],
    )
)
def test_survival_drawn_curve_is_non_increasing_for_any_km_table(
    events: list[tuple[float, float]],
) -> None:
    events = sorted(events)
    times = np.array([t for t, _ in events])
    surv = np.cumprod([1 - h for _, h in events])
    curves = pd.DataFrame(
        {
            "group": "all",
            "time": times[::-1],
            "survival": surv[::-1],
            "ci_low": surv[::-1],
            "ci_high": surv[::-1],
        }
    )  # given in reverse order: the chart sorts by time
    ax = charts.survival(curves)
    (line,) = _by_gid(ax, "survival-all")
    y = np.asarray(line.get_ydata(), dtype=float)
    assert np.all(np.diff(y) <= 1e-12)
    assert y[0] == 1.0
    assert y[-1] == pytest.approx(surv[-1])
    plt.close("all")


# --------------------------------------------------------------------------- dumbbell


def test_dumbbell_points_rows_and_labels() -> None:
    frame = dumbbell_frame()
    ax = charts.dumbbell(frame, pct=True)
    (before,) = [line for line in ax.lines if line.get_gid() == "dumbbell-before"]
    (after,) = [line for line in ax.lines if line.get_gid() == "dumbbell-after"]
    np.testing.assert_allclose(before.get_xdata(), frame["before"])
    np.testing.assert_allclose(after.get_xdata(), frame["after"])
    np.testing.assert_array_equal(before.get_ydata(), after.get_ydata())
    assert before.get_marker() != after.get_marker()  # greyscale: shape, not only colour
    assert [t.get_text() for t in ax.get_yticklabels()] == list(frame["label"])
    texts = [t.get_text() for t in ax.texts]
    assert texts[:2] == ["32 %", "58 %"]


def test_dumbbell_percent_ticks_stay_within_0_and_100() -> None:
    frame = pd.DataFrame({"label": ["a", "b"], "before": [0.02, 0.9], "after": [0.1, 0.99]})
    ax = charts.dumbbell(frame, pct=True)
    ticks = ax.get_xticks()
    assert ticks.min() >= -1e-9 and ticks.max() <= 1 + 1e-9
    _pixels(ax)
    assert not any(t.get_text().startswith("\u2212") for t in ax.get_xticklabels())


def test_dumbbell_labels_sit_outside_the_pair() -> None:
    frame = pd.DataFrame({"label": ["up", "down"], "before": [1.0, 5.0], "after": [3.0, 2.0]})
    ax = charts.dumbbell(frame)
    spots = {t.get_text(): (t.xy[0], t.get_horizontalalignment()) for t in ax.texts}
    assert spots["1.00"] == (1.0, "right") and spots["3.00"] == (3.0, "left")
    assert spots["5.00"] == (5.0, "left") and spots["2.00"] == (2.0, "right")


def test_dumbbell_bad_interval_spec() -> None:
    with pytest.raises(DataError, match="low_column, high_column"):
        charts.dumbbell(dumbbell_frame(), before_ci=("b_lo",))  # type: ignore[arg-type]


# --------------------------------------------------------------------------- subgroups


def test_subgroups_overall_line_and_marker_fill() -> None:
    frame = subgroup_frame()
    ax = charts.subgroups(frame, overall=0.2)
    (line,) = _by_gid(ax, "overall")
    assert list(line.get_xdata()) == [0.2, 0.2]
    (filled,) = [x for x in ax.lines if x.get_gid() == "subgroup-estimates"]
    (hollow,) = [x for x in ax.lines if x.get_gid() == "subgroup-estimates-overlap"]
    excludes = (frame["ci_low"] > 0.2) | (frame["ci_high"] < 0.2)
    np.testing.assert_allclose(filled.get_xdata(), frame.loc[excludes, "estimate"])
    np.testing.assert_allclose(hollow.get_xdata(), frame.loc[~excludes, "estimate"])
    assert set(hollow.get_xdata()) == {0.24, 0.17}  # Women and Men overlap 20 %


def test_subgroups_overall_from_an_effect() -> None:
    from impactkit.effects import Effect

    effect = Effect(estimate=0.2, se=0.02, ci_low=0.16, ci_high=0.24, p_value=0.001, n=500)
    ax = charts.subgroups(subgroup_frame(), overall=effect, pct=True)
    legend = ax.get_legend()
    assert legend is not None
    assert legend.get_texts()[0].get_text() == "Overall: 20 %"
    with pytest.raises(DataError, match="overall"):
        charts.subgroups(subgroup_frame(), overall="big")


def test_many_rows_grow_the_figure() -> None:
    frame = pd.DataFrame(
        {"group": [f"g{i}" for i in range(25)], "estimate": 0.1, "ci_low": 0.0, "ci_high": 0.2}
    )
    ax = charts.subgroups(frame)
    fig = ax.get_figure(root=True)
    assert fig is not None
    assert fig.get_size_inches()[1] > charts.FIGSIZE[1]


def test_subgroups_legend_lists_only_marker_kinds_present() -> None:
    frame = subgroup_frame().iloc[[2, 3]]  # both intervals exclude 0.2
    ax = charts.subgroups(frame, overall=0.2)
    legend = ax.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == [
        "Overall: 0.200",
        "Interval excludes overall",
    ]
    assert charts.subgroups(frame).get_legend() is None


def test_passed_axes_get_light_grid_below_the_data() -> None:
    fig, ax = plt.subplots()
    charts.forest(forest_frame(), mmc=0.05, ax=ax)
    assert ax.get_axisbelow() is True
    gridlines = [g for g in ax.xaxis.get_gridlines() if g.get_visible()]
    assert gridlines
    assert all(mpl.colors.to_hex(g.get_color()) == "#d9d9d9" for g in gridlines)


@pytest.mark.notebook
def test_charts_do_not_switch_off_inline_figures_in_jupyter() -> None:
    """Regression: the first chart of a notebook activated the inline backend inside the
    style's rc_context, whose exit then turned interactive mode off, hiding later figures."""
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    frame = "pd.DataFrame({'label': ['a'], 'estimate': [1.0], 'ci_low': [0.5], 'ci_high': [1.5]})"
    nb = new_notebook(
        cells=[
            new_code_cell(
                f"import pandas as pd\nfrom impactkit import charts\nax = charts.forest({frame})"
            ),
            new_code_cell("import matplotlib.pyplot as plt\nplt.plot([1, 2, 3]);"),
            new_code_cell(f"ax = charts.forest({frame})"),
        ]
    )
    NotebookClient(nb, kernel_name="python3", timeout=120).execute()
    for cell in nb.cells:
        images = [o for o in cell.outputs if "image/png" in o.get("data", {})]
        assert len(images) == 1, f"cell {cell.source!r} showed {len(images)} figures"
