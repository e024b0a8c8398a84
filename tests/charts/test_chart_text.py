"""User text on the charts is drawn literally: a label with two dollar signs ("Paid $5 or $10")
must not switch on matplotlib's mathtext (which would print "Paid 5or10" in math italics)."""

from __future__ import annotations

from collections.abc import Iterator

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.text import Text

from impactkit import charts

MONEY = "Paid $5 or $10"


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def _texts_with_money(ax: Axes) -> list[Text]:
    fig = ax.get_figure(root=True)
    assert fig is not None
    fig.canvas.draw()
    return [t for t in fig.findobj(Text) if "$5" in t.get_text() and t.get_visible()]


def _assert_literal(ax: Axes, expected_count: int) -> None:
    """Each text showing MONEY renders exactly as the same string with mathtext off."""
    fig = ax.get_figure(root=True)
    assert fig is not None
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    texts = _texts_with_money(ax)
    assert len(texts) == expected_count
    for text in texts:
        shown = text.get_text().replace("\\$", "$")  # matplotlib's own unescaping
        assert " ".join(shown.split()) == MONEY  # possibly wrapped over lines
        literal = Text(
            0,
            0,
            shown,
            parse_math=False,
            fontproperties=text.get_fontproperties(),
            rotation=text.get_rotation(),
        )
        literal.set_figure(fig)
        drawn, plain = text.get_window_extent(renderer), literal.get_window_extent(renderer)
        assert (drawn.width, drawn.height) == pytest.approx((plain.width, plain.height)), (
            f"{text.get_text()!r} was read as mathtext"
        )


def test_category_label_title_and_axis_label_are_literal() -> None:
    frame = pd.DataFrame(
        {"label": [MONEY, "Nothing"], "estimate": [0.1, 0.2], "lo": [0.0, 0.1], "hi": [0.2, 0.3]}
    )
    ax = charts.forest(frame, ci_low="lo", ci_high="hi", title=MONEY, xlabel=MONEY)
    _assert_literal(ax, 3)


def test_legend_names_are_literal() -> None:
    frame = pd.DataFrame({"label": ["a"], "before": [0.1], "after": [0.2]})
    ax = charts.dumbbell(frame, before_label=MONEY)
    _assert_literal(ax, 1)


def test_waterfall_steps_and_survival_groups_are_literal() -> None:
    steps = pd.DataFrame({"step": [MONEY, "real"], "value": [0.9, 0.5]})
    _assert_literal(charts.waterfall(steps, ylabel=MONEY), 2)
    curves = pd.DataFrame(
        {
            "group": [MONEY, MONEY, "other", "other"],
            "time": [0.0, 10.0, 0.0, 10.0],
            "survival": [1.0, 0.5, 1.0, 0.7],
            "ci_low": [1.0, 0.4, 1.0, 0.6],
            "ci_high": [1.0, 0.6, 1.0, 0.8],
        }
    )
    _assert_literal(charts.survival(curves), 1)
