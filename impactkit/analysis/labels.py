"""Group names as the reader should see them: :func:`display_labels`.

Value labels come from three places, later ones winning: the data file (Stata / SPSS value
labels), the XLSForm of a KoboToolbox / ODK export (``select_one`` choice labels), and the
initiative's ``labels:`` mapping.  Every table, chart and sentence of the report that names
a group takes its names from :func:`display_labels`; numbers are never changed (the labelled
column is an ordered categorical in code order, and two codes with one label are refused, so
no two groups can merge).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from ..readers import ValueLabels, labelled
from ..readers.labels import normalise_labels

__all__ = ["display_labels", "merged_labels"]


def display_labels(
    frame: pd.DataFrame,
    labels: ValueLabels,
    columns: Mapping[str, str] | Iterable[str] | None = None,
) -> pd.DataFrame:
    """A copy of ``frame`` whose group columns show labels instead of codes.

    Parameters
    ----------
    frame
        A table of results or data; it is not changed.
    labels
        ``data column -> {code: label}``.
    columns
        Which columns of ``frame`` to label: ``None`` every column that ``labels`` covers; a
        list of such columns; or a mapping ``frame column -> data column`` when a result
        table names the data column differently (e.g. ``{"group": "arm"}``).

    Returns
    -------
    pandas.DataFrame
        Labelled columns become ordered categoricals (code order); codes without a label
        show as their text; every other column is unchanged.
    """
    if columns is None:
        pairs = {c: c for c in frame.columns if c in labels}
    elif isinstance(columns, Mapping):
        pairs = dict(columns)
    else:
        pairs = {c: c for c in columns}
    chosen = {
        target: labels[source]
        for target, source in pairs.items()
        if source in labels and target in frame.columns
    }
    if not chosen or frame.empty:
        return frame.copy()
    return labelled(frame, chosen)


def merged_labels(
    frame: pd.DataFrame, *layers: ValueLabels
) -> dict[str, dict[str | int | float, str]]:
    """The label sets of ``layers`` for the columns of ``frame``, later layers winning per
    code (file labels, then the form's, then the initiative's ``labels:``)."""
    out: dict[str, dict[str | int | float, str]] = {}
    for layer in layers:
        for column, mapping in layer.items():
            if column in frame.columns:
                normal = normalise_labels(frame[column], mapping)
                out[column] = {**out.get(column, {}), **normal}
    return out
