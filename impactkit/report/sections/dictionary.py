"""Appendix parts about the data as read: missing-value codes, reader notes, the dictionary."""

from __future__ import annotations

from ...analysis import ImpactAnalysis
from ._html import count, esc, table

__all__ = ["data_as_read"]


def data_as_read(analysis: ImpactAnalysis) -> str:
    """Missing-value codes counted by code, what the readers noted, and the data dictionary
    (variable and value labels of the columns the report uses) -- each only when present."""
    out = []
    codes = analysis.missing_codes
    if not codes.empty:
        out.append("<h3>Missing-value codes</h3>")
        out.append(
            "<p>Cells holding a declared missing-value code (<code>missing_values:</code>, or "
            "user-missing values the file declares) were made missing before any indicator "
            "was computed:</p>"
        )
        out.append(table(codes, {"count": count}))
    if analysis.data_notes:
        out.append("<h3>Notes on reading the data</h3><ul class='note'>")
        out.extend(f"<li>{esc(note)}</li>" for note in analysis.data_notes)
        out.append("</ul>")
    dictionary = analysis.data_dictionary
    if not dictionary.empty:
        dictionary = dictionary[dictionary["label"].ne("") | dictionary["values"].ne("")]
    if not dictionary.empty:
        out.append("<h3>Data dictionary</h3>")
        out.append(
            "<p>The columns this report uses that have a question or variable label (from "
            "the file or form) or value labels (shown in place of codes).</p>"
        )
        out.append(table(dictionary.reset_index(drop=True)))
    return "".join(out)
