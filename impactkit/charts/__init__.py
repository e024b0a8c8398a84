"""Charts for an impact report, in one colour-blind-safe house style.

Every function draws one chart type from a tidy table (the column names are listed in each
docstring), takes ``ax=`` (draws into it; when ``None`` it creates a figure of the house size
:data:`FIGSIZE`, 6.3 x 3.5 inches, which fits one A4 report column) and returns the matplotlib
``Axes``.  No function calls ``plt.show()``, changes the global ``rcParams`` (the style is applied
with :func:`style`, a ``matplotlib.rc_context``), adds random jitter, or modifies its input.
User text (labels, titles, axis names) is drawn literally, never read as mathtext.

The colours are the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design";
Wong 2011, "Points of view: Color blindness", *Nature Methods* 8:441).  Because a report is often
printed in greyscale, series also differ by marker, line style or hatch, never by colour alone.

Layout: ``_style`` (palette, size, rcParams), ``_inputs`` (table and column checks), ``_text``
(labels and number formats), ``_layout`` (axes, legend, title) and one module per chart:

- :func:`dumbbell`  (``_dumbbell``)  — before/after value per indicator.
- :func:`forest`    (``_forest``)    — effect estimates with intervals and the
  minimum-meaningful-change band.
- :func:`funnel`    (``_funnel``)    — coverage cascade, share of the target population reached
  at each stage.
- :func:`survival`  (``_survival``)  — sustained use: Kaplan–Meier steps with interval bands and
  censoring ticks.
- :func:`its`       (``_its``)       — interrupted time series with the counterfactual after the
  intervention.
- :func:`waterfall` (``_waterfall``) — from lab efficacy, step by step, down to the real-world
  effect.
- :func:`group_trends`, :func:`event_study` (``_event_study``) — difference-in-differences by
  round: both groups over time, and the event-study coefficients.
- :func:`subgroups` (``_subgroups``) — subgroup (equity) comparison with an optional overall
  reference line.
- :func:`choropleth` (``_choropleth``) — one value per district on a map, with the respondents
  per district (thin areas hatched).
"""

from __future__ import annotations

from ._choropleth import THIN_AREA, choropleth
from ._dumbbell import dumbbell
from ._event_study import event_study, group_trends
from ._forest import forest
from ._funnel import funnel
from ._its import its
from ._style import FIGSIZE, HATCHES, LINESTYLES, MARKERS, OKABE_ITO, PALETTE, style
from ._subgroups import subgroups
from ._survival import survival
from ._waterfall import waterfall

__all__ = [
    "FIGSIZE",
    "HATCHES",
    "LINESTYLES",
    "MARKERS",
    "OKABE_ITO",
    "PALETTE",
    "THIN_AREA",
    "choropleth",
    "dumbbell",
    "event_study",
    "group_trends",
    "forest",
    "funnel",
    "its",
    "style",
    "subgroups",
    "survival",
    "waterfall",
]
