"""Appendix: data quality (missing values, survey design, units per group, attrition)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..._display import fmt_pct
from ...analysis import ImpactAnalysis, level_format
from ._html import Fragment, count, esc, table
from .dictionary import data_as_read

__all__ = ["data_quality"]


def data_quality(analysis: ImpactAnalysis) -> Fragment:
    """Rows, missing values, the survey design, attrition, units per group."""
    out = ["<h3>Missing values</h3>"]
    out.append(
        table(analysis.data_quality, {"share missing": fmt_pct, "rows": count, "missing": count})
    )
    if analysis.design_strata is not None:
        out.append(_survey_design(analysis))
    if not analysis.units.empty:
        out.append("<h3>Units per group</h3>")
        u = analysis.units
        out.append(table(u, {c: count for c in ("rows", "units", "clusters") if c in u}))
    if analysis.attrition is not None:
        out.append("<h3>Attrition between rounds</h3>")
        a = analysis.attrition
        counts = {c: count for c in a.columns if c not in ("group", "attrition")}
        out.append(table(a, {"attrition": fmt_pct, **counts}))
    out.append(data_as_read(analysis))
    out.append(_outside_files(analysis))
    return Fragment("".join(out))


def _survey_design(analysis: ImpactAnalysis) -> str:
    """PSUs per stratum, and each indicator level with its design-based interval and deff."""
    init = analysis.initiative
    design = init.sampling_of(init.design.data)
    assert design is not None and analysis.design_strata is not None
    out = ["<h3>Survey design</h3>", f"<p>{esc(design.describe())}</p>"]
    out.append(table(analysis.design_strata, {"PSUs": count, "rows": count}))
    names = analysis.runner.group_columns(init)
    values = analysis.indicator_values
    grouping = [c for c in values.columns if c in names]
    rows = []
    for _, v in values.iterrows():
        show = level_format(analysis.catalog[v["indicator"]])
        interval = "—" if pd.isna(v["ci_low"]) else f"{show(v['ci_low'])} to {show(v['ci_high'])}"
        rows.append(
            {
                "indicator": v["name"],
                "group": ", ".join(f"{names[c]} = {v[c]}" for c in grouping),
                "value": show(v["value"]),
                "interval": interval,
                "design effect": "—" if not np.isfinite(v["deff"]) else f"{v['deff']:.2f}",
                "PSUs": count(v["n_psu"]),
            }
        )
    out.append(
        "<p class='small'>Indicator levels with design-based intervals (Taylor linearisation "
        "over the PSUs); the design effect compares each variance with a simple random sample "
        "of the same size.</p>"
    )
    out.append(table(pd.DataFrame(rows), numbers=("value", "interval", "design effect", "PSUs")))
    return "".join(out)


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
