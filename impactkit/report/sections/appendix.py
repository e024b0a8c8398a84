"""Appendix: data quality (missing values, units per group, attrition)."""

from __future__ import annotations

from ..._display import fmt_pct
from ...analysis import ImpactAnalysis
from ._html import Fragment, count, esc, table

__all__ = ["data_quality"]


def data_quality(analysis: ImpactAnalysis) -> Fragment:
    """Rows, missing values, attrition, units per group."""
    out = ["<h3>Missing values</h3>"]
    out.append(
        table(analysis.data_quality, {"share missing": fmt_pct, "rows": count, "missing": count})
    )
    if not analysis.units.empty:
        out.append("<h3>Units per group</h3>")
        u = analysis.units
        out.append(table(u, {c: count for c in ("rows", "units", "clusters") if c in u}))
    if analysis.attrition is not None:
        out.append("<h3>Attrition between rounds</h3>")
        a = analysis.attrition
        counts = {c: count for c in a.columns if c not in ("group", "attrition")}
        out.append(table(a, {"attrition": fmt_pct, **counts}))
    out.append(_outside_files(analysis))
    return Fragment("".join(out))


def _outside_files(analysis: ImpactAnalysis) -> str:
    """Inputs read from outside the initiative's folder, each with its SHA-256, so that a
    reader can tell exactly which files the numbers came from."""
    files = analysis.initiative.outside_files()
    if not files:
        return ""
    rows = "".join(
        f"<tr><td>{esc(path)}</td><td><code>{esc(digest)}</code></td></tr>"
        for path, digest in files
    )
    return (
        "<h3>Files outside the initiative's folder</h3>"
        "<table><thead><tr><th>file</th><th>SHA-256</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )
