"""The impactkit house style: Okabe–Ito colours, greyscale-safe markers, line styles and hatches,
the one chart size, and :func:`style`, the scoped ``rcParams`` every chart draws under.

The colours are the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design";
Wong 2011, "Points of view: Color blindness", *Nature Methods* 8:441).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
from cycler import cycler

__all__ = ["FIGSIZE", "HATCHES", "LINESTYLES", "MARKERS", "OKABE_ITO", "PALETTE", "style"]

#: The eight Okabe–Ito colours by name (Okabe & Ito 2008).
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: Series colours in the order charts use them (dark blue first; yellow, which vanishes on
#: white paper, last but one).
PALETTE: tuple[str, ...] = (
    OKABE_ITO["blue"],
    OKABE_ITO["orange"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["yellow"],
    OKABE_ITO["black"],
)
#: Markers paired with :data:`PALETTE`, so series stay apart in greyscale.
MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P", "X", "*")
#: Line styles paired with :data:`PALETTE`.
LINESTYLES: tuple[Any, ...] = (
    "-",
    "--",
    ":",
    "-.",
    (0, (6, 2)),
    (0, (3, 1, 1, 1, 1, 1)),
    (0, (1, 3)),
    (0, (8, 2, 2, 2)),
)
#: Hatches for filled areas that must be told apart in greyscale.
HATCHES: tuple[str, ...] = ("", "///", "...", "xxx", "\\\\\\", "ooo", "---", "+++")
#: Default figure size in inches: the width of an A4 text column (16 cm).
FIGSIZE: tuple[float, float] = (6.3, 3.5)

_GREY = "#7F7F7F"
_LIGHT_GREY = "#D9D9D9"
_INK = "#222222"

_RC: dict[Any, Any] = {  # keys are matplotlib rcParams names
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 9.0,
    "axes.titlesize": 10.0,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 9.0,
    "axes.labelcolor": _INK,
    "axes.edgecolor": "#555555",
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "axes.axisbelow": True,
    "axes.prop_cycle": cycler(color=PALETTE) + cycler(linestyle=LINESTYLES),
    "grid.color": _LIGHT_GREY,
    "grid.linewidth": 0.6,
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "xtick.color": "#555555",
    "ytick.color": "#555555",
    "xtick.labelcolor": _INK,
    "ytick.labelcolor": _INK,
    "legend.fontsize": 8.0,
    "legend.frameon": False,
    "legend.handlelength": 2.2,
    "text.color": _INK,
    "lines.linewidth": 1.6,
    "lines.markersize": 6.0,
    "hatch.linewidth": 0.8,
    "figure.figsize": FIGSIZE,
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "svg.hashsalt": "impactkit",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
}


@contextmanager
def style() -> Iterator[None]:
    """Apply the impactkit house style inside a ``with`` block.

    It is a :func:`matplotlib.rc_context`: the global ``rcParams`` are restored on exit.  Use it
    around your own matplotlib code to match the look of the impactkit charts::

        with impactkit.charts.style():
            fig, ax = plt.subplots()
    """
    # Settle the backend before saving rcParams: if the first figure of a session were made
    # inside the context, Jupyter's inline backend would be activated there (switching on
    # interactive mode) and rc_context would switch it off again on exit, so that no later
    # figure of the notebook would be shown.
    plt.switch_backend(mpl.get_backend())
    with mpl.rc_context(_RC):
        yield
