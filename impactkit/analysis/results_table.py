"""``results.csv`` and ``results.json``: every number of the report in one tidy table.

One function per section of the report builds its rows; :func:`results_frame` joins them.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._display import fmt

if TYPE_CHECKING:
    from ..indicators import Indicator
    from .model import ImpactAnalysis

__all__ = ["results_frame", "results_json", "plain", "result_row"]

Row = dict[str, Any]


def _row(section: str, item: str, statistic: str, value: Any, **extra: Any) -> Row:
    """One row of the table (the initiative's name is added by :func:`results_frame`)."""
    return {
        "section": section,
        "item": item,
        "group": extra.pop("group", ""),
        "statistic": statistic,
        "value": _num(value),
        "ci_low": _num(extra.pop("ci_low", None)),
        "ci_high": _num(extra.pop("ci_high", None)),
        "p_value": _num(extra.pop("p_value", None)),
        "p_adjusted": _num(extra.pop("p_adjusted", None)),
        "n": _count(extra.pop("n", None)),
        "method": extra.pop("method", ""),
        "verdict": extra.pop("verdict", ""),
        "frameworks": extra.pop("frameworks", ""),
    }


def result_row(section: str, item: str, statistic: str, value: Any, **extra: Any) -> Row:
    """One row of the results table, for a design's own rows (``group``, ``ci_low``,
    ``ci_high``, ``p_value``, ``p_adjusted``, ``n``, ``method``, ``verdict``, ``frameworks``
    may be given)."""
    return _row(section, item, statistic, value, **extra)


def _design_rows(analysis: ImpactAnalysis) -> list[Row]:
    """The design's own rows (e.g. synthetic control's donor weights), if it has any."""
    from .designs import HasResultRows

    runner = analysis.runner
    return runner.result_rows(analysis) if isinstance(runner, HasResultRows) else []


def _indicator_rows(analysis: ImpactAnalysis) -> list[Row]:
    names = analysis.runner.group_columns(analysis.initiative)
    grouping = [c for c in analysis.indicator_values.columns if c in names]
    rows = []
    for _, v in analysis.indicator_values.iterrows():
        ind = analysis.catalog[v["indicator"]]
        group = " / ".join(f"{names[c]}={plain(v[c])}" for c in grouping)
        rows.append(
            _row(
                "indicator",
                ind.id,
                "value",
                v["value"],
                group=group,
                ci_low=v["ci_low"],
                ci_high=v["ci_high"],
                n=v["n"],
                method=f"{ind.kind}",
                frameworks=_frameworks(ind),
            )
        )
    return rows


def _effect_rows(analysis: ImpactAnalysis) -> list[Row]:
    rows = []
    for r in analysis.outcomes:
        if r.effect is None:
            continue
        e, frameworks = r.effect, _frameworks(r.indicator)
        rows.append(
            _row(
                "effect",
                r.indicator.id,
                "change",
                e.estimate,
                ci_low=e.ci_low,
                ci_high=e.ci_high,
                p_value=e.p_value,
                p_adjusted=r.p_adjusted,
                n=e.n,
                method=e.method,
                verdict=r.verdict,
                frameworks=frameworks,
            )
        )
        rows.append(_row("effect", r.indicator.id, "baseline", r.before, frameworks=frameworks))
        rows.append(_row("effect", r.indicator.id, "endline", r.after, frameworks=frameworks))
    return rows


def _adoption_rows(analysis: ImpactAnalysis) -> list[Row]:
    rows = []
    if analysis.cascade is not None:
        for _, s in analysis.cascade.table.iterrows():
            rows.append(
                _row(
                    "adoption",
                    str(s["stage"]),
                    "share_of_target",
                    s["share_of_target"],
                    ci_low=s["share_of_target_ci_low"],
                    ci_high=s["share_of_target_ci_high"],
                    n=s["count"],
                    method="Wilson interval",
                )
            )
    sustained = analysis.sustained_use
    if sustained is not None:
        for _, s in sustained.table.iterrows():
            rows.append(
                _row(
                    "sustained_use",
                    f"still using at {fmt(s['horizon'])} {sustained.time_unit}",
                    "survival",
                    s["survival"],
                    group=str(s.get("group", "")),
                    ci_low=s["ci_low"],
                    ci_high=s["ci_high"],
                    method="Kaplan-Meier",
                )
            )
    return rows


def _gap_rows(analysis: ImpactAnalysis) -> list[Row]:
    rows = []
    gap, voltage = analysis.gap, analysis.voltage
    if gap is not None:
        rows.append(
            _row(
                "gap",
                "real-world effect",
                "proportion",
                gap.real_world,
                ci_low=gap.ci_low,
                ci_high=gap.ci_high,
                method=gap.method,
            )
        )
    if voltage is not None:
        rows.append(
            _row(
                "gap",
                "voltage ratio (field / pilot)",
                "ratio",
                voltage.ratio,
                ci_low=voltage.ci_low,
                ci_high=voltage.ci_high,
                method=voltage.method,
            )
        )
    if analysis.costs is not None:
        for _, c in analysis.costs.iterrows():
            rows.append(
                _row("costs", str(c["outcome"]), "cost_per_unit", c["cost_per_unit"], n=c["units"])
            )
    return rows


def _subgroup_rows(analysis: ImpactAnalysis) -> list[Row]:
    return [
        _row(
            "subgroup",
            str(s["indicator"]),
            "change",
            s["estimate"],
            group=f"{s['subgroup']}={s['level']}",
            ci_low=s["ci_low"],
            ci_high=s["ci_high"],
            p_value=s["p_value"],
            n=s["n"],
            method=s["method"],
        )
        for _, s in analysis.subgroups.iterrows()
    ]


def results_frame(analysis: ImpactAnalysis) -> pd.DataFrame:
    """Every number of the report in one tidy table (what ``results.csv`` holds).

    Columns: ``initiative``, ``section``, ``item``, ``group``, ``statistic``, ``value``,
    ``ci_low``, ``ci_high``, ``p_value``, ``p_adjusted``, ``n``, ``method``,
    ``verdict``, ``frameworks``.
    """
    parts = (_indicator_rows, _effect_rows, _adoption_rows, _gap_rows, _subgroup_rows, _design_rows)
    name = analysis.initiative.name
    rows = [{"initiative": name, **row} for part in parts for row in part(analysis)]
    frame = pd.DataFrame(rows)
    frame["n"] = frame["n"].astype("Int64")  # counts, possibly missing
    return frame


def results_json(analysis: ImpactAnalysis) -> str:
    """``results.json``: metadata plus the rows of :func:`results_frame`."""
    init = analysis.initiative
    records = [
        {k: (None if _missing(v) else v) for k, v in row.items()}
        for row in results_frame(analysis).to_dict(orient="records")
    ]
    payload = {
        "initiative": init.name,
        "organisation": init.organisation,
        "period": [init.period_start.isoformat(), init.period_end.isoformat()],
        "design": init.design.type,
        "data_fingerprint": analysis.fingerprint,
        "created": analysis.created.isoformat(),
        "impactkit_version": _version(),
        "results": records,
    }
    return json.dumps(payload, indent=2, default=_json_default) + "\n"


# ============================================================================ values


def plain(value: Any) -> str:
    """A group value as text: dates as ISO dates, whole floats without ``.0``."""
    if isinstance(value, dt.datetime):  # pandas Timestamps included
        midnight = value.hour == value.minute == value.second == value.microsecond == 0
        return value.date().isoformat() if midnight else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _frameworks(ind: Indicator) -> str:
    return "; ".join(f"{k}:{v}" for k, v in (ind.frameworks or {}).items())


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _count(value: Any) -> int | None:
    number = _num(value)
    return None if number is None or math.isnan(number) else int(round(number))


def _num(value: Any) -> float | None:
    if value is None:
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v


def _json_default(value: Any) -> Any:
    if isinstance(value, np.integer | np.floating):
        return value.item()
    if isinstance(value, dt.date | pd.Timestamp):
        return value.isoformat()
    return str(value)


def _version() -> str:
    from .. import __version__

    return __version__
