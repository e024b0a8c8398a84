"""Adoption: how much of the lab result reaches people.

A product that works in the lab (*efficacy*) helps people only as far as it reaches them,
is taken up, is still used months later and is used correctly (*effectiveness*).  This
module measures each of those steps and shows where the lab result is lost:

- :func:`cascade` — a coverage cascade (Tanahashi 1978) with Wilson intervals, its
  bottleneck, and an equity comparison of groups;
- :func:`sustained_use` — Kaplan–Meier survival of continued use (Kaplan & Meier 1958,
  Greenwood 1926), log-rank comparison of groups;
- :func:`usage_intensity` and :func:`fidelity` — how often and how correctly it is used
  (RE-AIM "implementation"; Glasgow, Vogt & Boles 1999);
- :func:`effectiveness_gap` — real-world effect = lab efficacy × reach × adoption ×
  sustained use × correct use, the share of the loss due to each step (the multiplicative
  logic of effective coverage, Ng et al. 2014);
- :func:`voltage_ratio` — field effect / lab effect with Fieller's (1954) interval
  (List 2022, *The Voltage Effect*);
- :func:`cost_per_outcome` — cost per person reached, adopter, sustained user, or unit of
  real-world effect.

Every function returns a frozen result with a readable ``repr``, ``_repr_html_``,
``to_frame()`` (tidy DataFrame) and ``summary()`` (one sentence with the numbers).
Plots go through :mod:`impactkit.charts`, imported only when ``.plot()`` is called.

References
----------
Tanahashi T. (1978). Health service coverage and its evaluation. *Bull WHO* 56(2):295–303.
Glasgow RE, Vogt TM, Boles SM (1999). Evaluating the public health impact of health
promotion interventions: the RE-AIM framework. *Am J Public Health* 89(9):1322–7.
Glasgow RE et al. (2019). RE-AIM planning and evaluation framework: adapting to new science
and practice with a 20-year review. *Front Public Health* 7:64.
Kaplan EL, Meier P (1958). Nonparametric estimation from incomplete observations. *JASA* 53.
Greenwood M (1926). The natural duration of cancer. *Reports on Public Health and Medical
Subjects* 33.
Fieller EC (1954). Some problems in interval estimation. *JRSS B* 16(2):175–185.
Ng M et al. (2014). Effective coverage: a metric for monitoring Universal Health Coverage.
*PLoS Med* 11(9):e1001730.
List JA (2022). *The Voltage Effect*. Currency, New York.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.duration.survfunc import SurvfuncRight, survdiff
from statsmodels.stats.proportion import proportion_confint

from ._checks import check_confidence, check_proportion, columns_of, require_columns
from ._display import fmt, fmt_ci, fmt_p, fmt_pct, html_block
from .errors import DataError, EstimationError, describe_rows

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "cascade",
    "Cascade",
    "sustained_use",
    "SustainedUse",
    "SurvivalAt",
    "usage_intensity",
    "UsageIntensity",
    "fidelity",
    "Fidelity",
    "effectiveness_gap",
    "effectiveness_gap_from_cascade",
    "Gap",
    "voltage_ratio",
    "VoltageRatio",
    "cost_per_outcome",
    "CostPerOutcome",
]

_NAN = float("nan")


# ---------------------------------------------------------------------------------------------
# small shared helpers
# ---------------------------------------------------------------------------------------------


def _charts() -> Any:
    """Import :mod:`impactkit.charts` lazily (matplotlib is only needed to plot)."""
    return importlib.import_module("impactkit.charts")


def _z(confidence: float) -> float:
    """Two-sided standard normal quantile for ``confidence``."""
    return float(stats.norm.ppf(0.5 + confidence / 2))


def _wilson(count: float, nobs: float, confidence: float) -> tuple[float, float]:
    """Wilson score interval via statsmodels; NaN when there is no denominator."""
    if nobs <= 0:
        return _NAN, _NAN
    low, high = proportion_confint(count, nobs, alpha=1 - confidence, method="wilson")
    return float(low), float(high)


def _describe_ids(ids: pd.Index, bad: np.ndarray, unit: str | None) -> str:
    """Name offending units by id (``unit`` column) or by row label."""
    chosen = list(ids[bad])
    if unit is None:
        return describe_rows(chosen)
    shown = ", ".join(str(v) for v in chosen[:10])
    more = f" (and {len(chosen) - 10} more)" if len(chosen) > 10 else ""
    return f"{unit} {shown}{more}"


def _as_frame(data: Any, context: str) -> pd.DataFrame:
    """Accept a pandas DataFrame (or anything with ``to_pandas()``, e.g. polars)."""
    if isinstance(data, pd.DataFrame):
        return data
    to_pandas = getattr(data, "to_pandas", None)
    if callable(to_pandas):
        frame = to_pandas()
        if isinstance(frame, pd.DataFrame):
            return frame
    columns_of(data)  # raises a DataError for things without columns
    raise DataError(f"{context}: expected a pandas or polars DataFrame, got {type(data).__name__}")


def _binary(series: pd.Series, name: str, ids: pd.Index, unit: str | None) -> np.ndarray:
    """Return a 0/1 column as a bool array; error naming the column and rows otherwise.

    Accepted values: booleans, 0 and 1 (as numbers).  Missing values are an error.
    """
    if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_numeric_dtype(series.dtype):
        values = series.to_numpy(dtype=float, na_value=np.nan)
    else:
        out = np.empty(len(series), dtype=float)
        for i, v in enumerate(series.to_numpy(dtype=object)):
            if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
                out[i] = np.nan
            elif isinstance(v, (bool, np.bool_, int, float, np.integer, np.floating)):
                out[i] = float(v)
            else:
                out[i] = -1.0  # flagged as invalid below
        values = out
    missing = np.isnan(values)
    if missing.any():
        raise DataError(
            f"column {name!r} has {int(missing.sum())} missing values at "
            f"{_describe_ids(ids, missing, unit)}; expected 0/1 or True/False in every row"
        )
    bad = (values != 0) & (values != 1)
    if bad.any():
        examples = ", ".join(repr(v) for v in series[bad].head(3))
        raise DataError(
            f"column {name!r} must hold 0/1 or True/False; found {examples} at "
            f"{_describe_ids(ids, bad, unit)}"
        )
    return values == 1


def _ids(data: pd.DataFrame, unit: str | None) -> pd.Index:
    return pd.Index(data[unit]) if unit is not None else data.index


def _group_values(data: pd.DataFrame, by: str) -> list[Hashable]:
    """Groups in order of first appearance; missing group labels are an error."""
    col = data[by]
    missing = col.isna().to_numpy()
    if missing.any():
        raise DataError(
            f"group column {by!r} has missing values at {describe_rows(data.index[missing])}"
        )
    return list(pd.unique(col))


def _label(name: object) -> str:
    return str(name).replace("_", " ")


def _time(t: float) -> str:
    """A time or horizon for sentences: whole numbers without decimals ("365", not "365.0")."""
    if math.isfinite(t) and float(t).is_integer():
        return f"{int(t):,}"
    return fmt(t)


def _whole(value: object, name: str) -> int:
    """A non-negative whole number (a count), or DataError naming ``name``."""
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise DataError(f"{name} must be a non-negative whole number, got {value!r}") from None
    if isinstance(value, bool) or not math.isfinite(x) or x < 0 or x != int(x):
        raise DataError(f"{name} must be a non-negative whole number, got {value!r}")
    return int(x)


# ---------------------------------------------------------------------------------------------
# 1. Cascade
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False, repr=False)
class Cascade:
    """A coverage cascade: how many of the target population pass each stage.

    Attributes
    ----------
    table
        One row per stage: ``stage``, ``label``, ``count``, ``share_of_target`` (Tanahashi
        coverage: count / target) with ``share_of_target_ci_low`` / ``_ci_high``,
        ``share_of_previous`` (conversion from the stage before; for the first stage, from the
        target) with ``share_of_previous_ci_low`` / ``_ci_high`` (Wilson score intervals),
        ``lost`` (the stage before minus this stage; for the first stage, target minus count)
        and ``bottleneck`` (True on the bottleneck stage).
    target
        The denominator of ``share_of_target``.
    bottleneck
        The stage with the lowest ``share_of_previous`` (the largest relative drop).  Ties go
        to the earliest stage (where the loss starts); ``None`` when no stage loses anyone.
    groups
        With ``by``: one :class:`Cascade` per group, in order of first appearance.
    """

    table: pd.DataFrame
    target: int
    bottleneck: str | None
    confidence: float = 0.95
    by: str | None = None
    groups: Mapping[Hashable, Cascade] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def stages(self) -> list[str]:
        """Stage names in funnel order."""
        return [str(s) for s in self.table["stage"]]

    @property
    def by_group(self) -> pd.DataFrame | None:
        """Long table of every group's cascade (a ``group`` column first), or ``None``."""
        if not self.groups:
            return None
        parts = [
            c.table.assign(group=pd.Series([g] * len(c.table), dtype=object))
            for g, c in self.groups.items()
        ]
        frame = pd.concat(parts, ignore_index=True)
        return frame[["group", *self.table.columns]]

    @property
    def equity(self) -> pd.DataFrame | None:
        """Groups × stages of ``share_of_previous`` (conversion at each stage), plus each
        group's own ``bottleneck`` and ``share_of_target`` at the last stage; ``None``
        without ``by``."""
        if not self.groups:
            return None
        rows = []
        for g, c in self.groups.items():
            row: dict[str, Any] = {"group": g}
            row.update(dict(zip(c.stages, c.table["share_of_previous"], strict=True)))
            row["final_share_of_target"] = float(c.table["share_of_target"].iloc[-1])
            row["bottleneck"] = c.bottleneck
            rows.append(row)
        return pd.DataFrame(rows)

    @property
    def equity_gaps(self) -> pd.DataFrame | None:
        """One row per stage: where the groups' conversion differs, and by how much.

        Columns ``stage``, ``label``, ``lowest_group``, ``lowest``, ``highest_group``,
        ``highest`` (``share_of_previous`` of the groups with the lowest and highest
        conversion at the stage; the first such group on ties) and ``gap`` = highest − lowest.
        A stage where fewer than two groups have anyone at the stage before has NaN numbers
        and ``None`` groups.  ``None`` without ``by``.
        """
        eq = self.equity
        if eq is None:
            return None
        groups = list(eq["group"])
        rows = []
        for stage, label in zip(self.stages, self.table["label"], strict=True):
            values = eq[stage].to_numpy(dtype=float)
            known = np.flatnonzero(np.isfinite(values))
            row: dict[str, Any] = {"stage": stage, "label": str(label)}
            if len(known) < 2:
                row.update(lowest_group=None, lowest=_NAN, highest_group=None, highest=_NAN)
            else:
                low = known[np.argmin(values[known])]  # argmin/argmax keep the first tie
                high = known[np.argmax(values[known])]
                row.update(
                    lowest_group=groups[low],
                    lowest=float(values[low]),
                    highest_group=groups[high],
                    highest=float(values[high]),
                )
            row["gap"] = row["highest"] - row["lowest"]
            rows.append(row)
        columns = ["stage", "label", "lowest_group", "lowest", "highest_group", "highest", "gap"]
        return pd.DataFrame(rows, columns=columns).astype(
            {"lowest_group": object, "highest_group": object}
        )

    def equity_summary(self) -> str:
        """Two sentences comparing groups: who ends lowest, and where groups differ most.

        The first names the groups with the lowest and highest ``share_of_target`` at the
        last stage (each group against its own target).  The second names the stage with the
        largest difference in conversion (``share_of_previous``) between any two groups
        (largest ``gap`` in :attr:`equity_gaps`; the earliest stage on ties), the two groups
        and the gap in percentage points.  This stage need not be the pooled bottleneck: the
        pooled cascade can lose most people at one stage while the groups differ most at
        another.
        """
        eq = self.equity
        gaps = self.equity_gaps
        if eq is None or gaps is None or len(eq) < 2:
            return "No group comparison (give by= with at least two groups)."
        final = eq["final_share_of_target"].to_numpy(dtype=float)
        worst, best = int(np.argmin(final)), int(np.argmax(final))
        last = str(self.table["label"].iloc[-1])
        if final[worst] == final[best]:
            first = (
                f"Every {self._by_words} group reaches {fmt_pct(final[worst])} of its target "
                f"at {last!r}."
            )
        else:
            first = (
                f"{self._group_words(eq['group'].iloc[worst])} reaches {fmt_pct(final[worst])} "
                f"of its target at {last!r}, against {fmt_pct(final[best])} in "
                f"{self._group_words(eq['group'].iloc[best])}."
            )
        spread = gaps["gap"].to_numpy(dtype=float)
        if not np.isfinite(spread).any():
            return first + " No stage can be compared across groups."
        row = gaps.iloc[int(np.nanargmax(spread))]  # nanargmax keeps the earliest tie
        if row["gap"] == 0:
            return first + " The groups convert equally at every stage."
        second = (
            f"The {self._by_words} groups differ most at {row['label']!r}: {fmt_pct(row['lowest'])} of the stage before "
            f"continue in {self._group_words(row['lowest_group'])}, "
            f"{fmt_pct(row['highest'])} in {self._group_words(row['highest_group'])} (a gap of "
            f"{100 * row['gap']:.1f} percentage points)."
        )
        return f"{first} {second}"

    @property
    def _by_words(self) -> str:
        return _label(self.by) if self.by else "group"

    def _group_words(self, group: Hashable) -> str:
        """A group as named in sentences: its label when it is text ("Hillside"), prefixed
        with the grouping when it is a number or flag ("wealth quintile 1")."""
        if isinstance(group, str) and not group.strip().lstrip("-").replace(".", "").isdigit():
            return group
        return f"{self._by_words} {group!s}"

    def to_frame(self) -> pd.DataFrame:
        """The cascade table; with groups, the pooled rows (``group = "all"``) then each
        group's rows."""
        if not self.groups:
            return self.table.copy()
        overall = self.table.assign(group="all")[["group", *self.table.columns]]
        by_group = self.by_group
        assert by_group is not None
        return pd.concat([overall, by_group], ignore_index=True)

    def summary(self) -> str:
        """Plain-words sentence: target, coverage at the last stage, and the bottleneck."""
        t = self.table
        last = t.iloc[-1]
        sentence = (
            f"Of a target of {self.target:,}, {int(last['count']):,} reached the last stage "
            f"{last['label']!r} ({fmt_pct(last['share_of_target'])}, "
            f"{fmt_ci(last['share_of_target_ci_low'], last['share_of_target_ci_high'], confidence=self.confidence, pct=True)})"
        )
        if self.bottleneck is None:
            sentence += "; no stage loses anyone"
        else:
            row = t.loc[t["stage"] == self.bottleneck].iloc[0]
            sentence += (
                f"; the bottleneck is {row['label']!r}, where {fmt_pct(row['share_of_previous'])} "
                f"of the stage before continue ({int(row['lost']):,} lost)"
            )
        sentence += "."
        if self.groups and len(self.groups) >= 2:
            sentence += " " + self.equity_summary()
        return sentence

    def plot(self, ax: Axes | None = None, title: str | None = None) -> Axes:
        """Funnel chart via :func:`impactkit.charts.funnel`; returns the Axes."""
        shown = self.table.assign(stage=self.table["label"])  # bars labelled by display label
        return _charts().funnel(shown, ax=ax, title=title)

    def __repr__(self) -> str:
        parts = ", ".join(
            f"{s}={int(c)}" for s, c in zip(self.stages, self.table["count"], strict=True)
        )
        grp = f", by={self.by!r} ({len(self.groups)} groups)" if self.groups else ""
        return f"Cascade(target={self.target}, {parts}, bottleneck={self.bottleneck!r}{grp})"

    def _repr_html_(self) -> str:
        return html_block("Coverage cascade", self.to_frame(), self.notes, self.summary())


def _cascade_table(
    counts: Sequence[int],
    stages: Sequence[str],
    labels: Sequence[str],
    target: int,
    confidence: float,
) -> tuple[pd.DataFrame, str | None]:
    """Build the cascade table and find the bottleneck (see :class:`Cascade`)."""
    rows = []
    previous = target
    for stage, label, count in zip(stages, labels, counts, strict=True):
        t_low, t_high = _wilson(count, target, confidence)
        p_low, p_high = _wilson(count, previous, confidence)
        rows.append(
            {
                "stage": stage,
                "label": label,
                "count": int(count),
                "share_of_target": count / target,
                "share_of_target_ci_low": t_low,
                "share_of_target_ci_high": t_high,
                "share_of_previous": count / previous if previous > 0 else _NAN,
                "share_of_previous_ci_low": p_low,
                "share_of_previous_ci_high": p_high,
                "lost": int(previous - count),
            }
        )
        previous = count
    table = pd.DataFrame(rows)
    sop = table["share_of_previous"].to_numpy(dtype=float)
    candidates = np.flatnonzero(np.isfinite(sop) & (sop < 1))
    bottleneck: str | None = None
    if len(candidates):
        best = candidates[np.argmin(sop[candidates])]  # argmin keeps the earliest tie
        bottleneck = str(stages[best])
    table["bottleneck"] = [str(s) == bottleneck for s in stages]
    return table, bottleneck


def _check_order(counts: Sequence[int], stages: Sequence[str], target: int, where: str) -> None:
    if counts and counts[0] > target:
        raise DataError(
            f"{where}first stage {stages[0]!r} ({counts[0]:,}) is larger than the target "
            f"population ({target:,}); give a target at least as large as the first stage"
        )
    for i in range(1, len(counts)):
        if counts[i] > counts[i - 1]:
            raise DataError(
                f"{where}stage {stages[i]!r} ({counts[i]:,}) is larger than the stage before it, "
                f"{stages[i - 1]!r} ({counts[i - 1]:,}); stages must be in funnel order, each "
                "a subset of the one before"
            )


def _resolve_labels(
    stages: Sequence[str], labels: Mapping[str, str] | Sequence[str] | None
) -> list[str]:
    if labels is None:
        return [str(s) for s in stages]
    if isinstance(labels, Mapping):
        unknown = [k for k in labels if k not in stages]
        if unknown:
            raise DataError(f"labels given for unknown stages {unknown}; stages are {list(stages)}")
        return [str(labels.get(s, s)) for s in stages]
    if isinstance(labels, str) or len(labels) != len(stages):
        raise DataError(
            f"labels must be a mapping stage -> label or a list of {len(stages)} labels, "
            f"got {labels!r}"
        )
    return [str(x) for x in labels]


def _counts_from_mapping(
    counts: Mapping[Any, Any], stages: Sequence[str] | None, where: str
) -> tuple[list[str], list[int]]:
    keys = [str(k) for k in counts]
    by_name = {str(k): v for k, v in counts.items()}
    chosen = keys if stages is None else [str(s) for s in stages]
    missing = [s for s in chosen if s not in by_name]
    if missing:
        raise DataError(f"{where}stage {missing[0]!r} has no count; counts are given for {keys}")
    values = [_whole(by_name[s], f"{where}count of stage {s!r}") for s in chosen]
    return chosen, values


def _counts_from_units(
    data: pd.DataFrame, stages: Sequence[str], unit: str | None, where: str
) -> list[int]:
    ids = _ids(data, unit)
    counts: list[int] = []
    previous: np.ndarray | None = None
    for i, stage in enumerate(stages):
        marked = _binary(data[stage], stage, ids, unit)
        if previous is not None:
            bad = marked & ~previous
            if bad.any():
                raise DataError(
                    f"{where}{int(bad.sum())} units are marked at stage {stage!r} but not at the "
                    f"stage before it, {stages[i - 1]!r}: {_describe_ids(ids, bad, unit)}; each "
                    "stage must be a subset of the one before"
                )
        counts.append(int(marked.sum()))
        previous = marked
    return counts


def _target_value(target: Any, default: int, where: str) -> int:
    if target is None:
        return default
    value = _whole(target, f"{where}target")
    if value <= 0:
        raise DataError(f"{where}target must be positive, got {target!r}")
    return value


def cascade(
    data_or_counts: pd.DataFrame | Mapping[Any, Any],
    stages: Sequence[str] | None = None,
    *,
    target: int | Mapping[Hashable, int] | None = None,
    by: str | None = None,
    unit: str | None = None,
    confidence: float = 0.95,
    labels: Mapping[str, str] | Sequence[str] | None = None,
) -> Cascade:
    """Coverage cascade: the share of the target population that passes each stage.

    Following Tanahashi (1978, *Bull WHO* 56(2)), coverage at a stage is the number of people
    for whom the stage's condition is met divided by the target population; the stage with
    the largest relative drop is the bottleneck.  RE-AIM's *reach* (Glasgow et al. 1999;
    2019 review in *Front Public Health*) is the first such share and needs a valid
    denominator — give ``target``.

    Parameters
    ----------
    data_or_counts
        Either counts per stage, a mapping ``{stage: count}`` in funnel order, or unit-level
        data with one boolean (or 0/1) column per stage (a unit must be marked at every stage
        before the last one it reached).  With ``by`` and counts, a mapping
        ``{group: {stage: count}}``.
    stages
        Stage names in funnel order (column names for unit-level data).  For counts, ``None``
        means the mapping's keys in order.
    target
        The target population (denominator of ``share_of_target``).  Default: the first
        stage's count for counts; the number of rows (units) for unit-level data.  With ``by``
        a mapping ``{group: target}``; the pooled target is then their sum.
    by
        Unit-level data: a column of groups.  Counts: a name for the grouping (the data are a
        mapping of mappings).  Each group gets its own cascade (``.groups``), and ``.equity``
        compares them.
    unit
        Column of unit ids used to name units in error messages (row labels otherwise).
    confidence
        Level of the Wilson intervals (statsmodels ``proportion_confint(method="wilson")``).
    labels
        Display labels: mapping ``{stage: label}`` or a list in stage order.

    Returns
    -------
    Cascade
        See :class:`Cascade`.  ``share_of_previous`` of the first stage is relative to the
        target, so ``share_of_target`` is the running product of ``share_of_previous``.

    Raises
    ------
    DataError
        A stage larger than the one before (naming both), a unit marked at a stage but not at
        the previous one (naming it), missing or non-0/1 values (naming column and rows),
        counts that are not whole numbers, a target smaller than the first stage.
    """
    confidence = check_confidence(confidence)
    if isinstance(data_or_counts, Mapping):
        return _cascade_from_counts(data_or_counts, stages, target, by, confidence, labels)
    data = _as_frame(data_or_counts, "cascade")
    if stages is None or isinstance(stages, str) or len(stages) == 0:
        raise DataError(
            "cascade: with unit-level data, give stages= as a list of the stage columns in "
            f"funnel order; the data have columns {columns_of(data)}"
        )
    stage_list = [str(s) for s in stages]
    require_columns(data, stage_list + ([unit] if unit else []) + ([by] if by else []), "cascade")
    lab = _resolve_labels(stage_list, labels)
    if by is None:
        if isinstance(target, Mapping):
            raise DataError("cascade: target is a mapping of groups but by= was not given")
        counts = _counts_from_units(data, stage_list, unit, "")
        tgt = _target_value(target, len(data), "")
        _check_order(counts, stage_list, tgt, "")
        table, bn = _cascade_table(counts, stage_list, lab, tgt, confidence)
        return Cascade(table, tgt, bn, confidence)
    groups = _group_values(data, by)
    group_targets = _group_targets(target, groups, by)
    col = data[by]
    per_group: dict[Hashable, Cascade] = {}
    total_counts = np.zeros(len(stage_list), dtype=int)
    total_target = 0
    for g in groups:
        sub = data.loc[(col == g).to_numpy()]
        where = f"group {g!s}: "
        counts = _counts_from_units(sub, stage_list, unit, where)
        tgt = _target_value(group_targets.get(g), len(sub), where)
        _check_order(counts, stage_list, tgt, where)
        table, bn = _cascade_table(counts, stage_list, lab, tgt, confidence)
        per_group[g] = Cascade(table, tgt, bn, confidence)
        total_counts += np.asarray(counts)
        total_target += tgt
    table, bn = _cascade_table(list(total_counts), stage_list, lab, total_target, confidence)
    return Cascade(table, total_target, bn, confidence, by=by, groups=per_group)


def _group_targets(target: Any, groups: Sequence[Hashable], by: str) -> dict[Hashable, Any]:
    if target is None:
        return {}
    if not isinstance(target, Mapping):
        raise DataError(
            f"cascade: with by={by!r}, give target as a mapping {{group: target}} (one per "
            f"group: {list(groups)}) or leave it None"
        )
    missing = [g for g in groups if g not in target]
    if missing:
        raise DataError(f"cascade: target has no value for groups {missing}")
    return dict(target)


def _cascade_from_counts(
    counts: Mapping[Any, Any],
    stages: Sequence[str] | None,
    target: Any,
    by: str | None,
    confidence: float,
    labels: Mapping[str, str] | Sequence[str] | None,
) -> Cascade:
    nested = len(counts) > 0 and all(isinstance(v, Mapping) for v in counts.values())
    if len(counts) == 0:
        raise DataError("cascade: no stages given (the mapping of counts is empty)")
    if by is None:
        if nested:
            raise DataError(
                "cascade: counts look like {group: {stage: count}}; pass by= to name the grouping"
            )
        stage_list, values = _counts_from_mapping(counts, stages, "")
        if isinstance(target, Mapping):
            raise DataError("cascade: target is a mapping of groups but by= was not given")
        tgt = _target_value(target, values[0], "")
        if tgt == 0:
            raise DataError(f"cascade: the first stage {stage_list[0]!r} is 0; give target=")
        _check_order(values, stage_list, tgt, "")
        table, bn = _cascade_table(
            values, stage_list, _resolve_labels(stage_list, labels), tgt, confidence
        )
        return Cascade(table, tgt, bn, confidence)
    if not nested:
        raise DataError(
            f"cascade: with by={by!r} and counts, give a mapping {{group: {{stage: count}}}}"
        )
    groups = list(counts)
    group_targets = _group_targets(target, groups, by)
    first_group = counts[groups[0]]
    stage_list = [str(s) for s in (stages if stages is not None else first_group)]
    lab = _resolve_labels(stage_list, labels)
    per_group: dict[Hashable, Cascade] = {}
    total = np.zeros(len(stage_list), dtype=int)
    total_target = 0
    for g in groups:
        where = f"group {g!s}: "
        _, values = _counts_from_mapping(counts[g], stage_list, where)
        tgt = _target_value(group_targets.get(g), values[0], where)
        if tgt == 0:
            raise DataError(f"cascade: {where}the first stage is 0; give target=")
        _check_order(values, stage_list, tgt, where)
        table, bn = _cascade_table(values, stage_list, lab, tgt, confidence)
        per_group[g] = Cascade(table, tgt, bn, confidence)
        total += np.asarray(values)
        total_target += tgt
    table, bn = _cascade_table(list(total), stage_list, lab, total_target, confidence)
    return Cascade(table, total_target, bn, confidence, by=by, groups=per_group)


# ---------------------------------------------------------------------------------------------
# 2. Sustained use, usage intensity, fidelity
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurvivalAt:
    """Share still using at ``time`` (Kaplan–Meier) with its log-log interval."""

    time: float
    survival: float
    ci_low: float
    ci_high: float
    at_risk: int
    group: Hashable = "all"
    confidence: float = 0.95
    time_unit: str = "days"

    def to_frame(self) -> pd.DataFrame:
        """One tidy row."""
        return pd.DataFrame([self.__dict__])

    def summary(self) -> str:
        """Plain-words sentence."""
        return (
            f"At {_time(self.time)} {self.time_unit}, {fmt_pct(self.survival)} of group "
            f"{self.group!s} were "
            f"still using it ({fmt_ci(self.ci_low, self.ci_high, confidence=self.confidence, pct=True)}; "
            f"{self.at_risk:,} still under observation)."
        )

    def _repr_html_(self) -> str:
        return html_block("Sustained use at a time point", self.to_frame(), (), self.summary())


def _loglog_interval(surv: np.ndarray, se: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise log(-log) interval from Greenwood standard errors.

    With sigma^2 = Var(S)/S^2 (Greenwood 1926), theta = log(-log S) has standard error
    sigma / |log S| (Kalbfleisch & Prentice 1980); the bounds are exp(-exp(theta ± z·se)).
    The same as R's ``survfit(conf.type = "log-log")``.  Undefined (NaN) where S is 0.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma = se / surv
        log_s = np.log(surv)
        theta = np.log(-log_s)
        half = z * sigma / np.abs(log_s)
        low = np.exp(-np.exp(theta + half))
        high = np.exp(-np.exp(theta - half))
    undefined = ~(surv > 0) | ~np.isfinite(se)
    low[undefined] = np.nan
    high[undefined] = np.nan
    return low, high


@dataclass(frozen=True)
class _KMFit:
    times: np.ndarray  # event times
    surv: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    n_risk: np.ndarray
    n_events: np.ndarray
    durations: np.ndarray  # every unit's duration (to count those at risk)
    status: np.ndarray
    median: float | None


def _km_fit(duration: np.ndarray, status: np.ndarray, confidence: float) -> _KMFit:
    """Kaplan–Meier via statsmodels ``SurvfuncRight`` (Greenwood SEs), log-log intervals."""
    sf = SurvfuncRight(duration, status)
    surv = np.asarray(sf.surv_prob, dtype=float)
    se = np.asarray(sf.surv_prob_se, dtype=float)
    low, high = _loglog_interval(surv, se, _z(confidence))
    med = float(sf.quantile(0.5))
    return _KMFit(
        times=np.asarray(sf.surv_times, dtype=float),
        surv=surv,
        ci_low=low,
        ci_high=high,
        n_risk=np.asarray(sf.n_risk, dtype=int),
        n_events=np.asarray(sf.n_events, dtype=int),
        durations=duration,
        status=status,
        median=None if math.isnan(med) else med,
    )


def _km_at(fit: _KMFit, t: float) -> tuple[float, float, float, int]:
    """S(t), interval and number at risk at ``t`` (NaN beyond the last follow-up)."""
    at_risk = int((fit.durations >= t).sum())
    idx = int(np.searchsorted(fit.times, t, side="right")) - 1
    if idx < 0:
        s, lo, hi = 1.0, 1.0, 1.0
    else:
        s, lo, hi = float(fit.surv[idx]), float(fit.ci_low[idx]), float(fit.ci_high[idx])
    if t > fit.durations.max() and s > 0:
        return _NAN, _NAN, _NAN, 0
    return s, lo, hi, at_risk


_FEW_AT_RISK_MIN = 10
_FEW_AT_RISK_SHARE = 0.05


def _few_at_risk_threshold(n_start: int) -> float:
    """Fewest users still followed for a reliable horizon: max(10, 5 % of those who started).

    Below it, the Kaplan–Meier estimate rests on a handful of people and its Greenwood
    interval is unreliable (the tail of the curve; Pocock, Clayton & Altman 2002, *Lancet*
    359:1686–9, advise against reading curves where few remain at risk).
    """
    return max(float(_FEW_AT_RISK_MIN), _FEW_AT_RISK_SHARE * n_start)


def _few_at_risk(at_risk: int, n_start: int) -> bool:
    """True when ``at_risk`` is below :func:`_few_at_risk_threshold` of ``n_start``."""
    return at_risk < _few_at_risk_threshold(n_start)


@dataclass(frozen=True, eq=False, repr=False)
class SustainedUse:
    """Kaplan–Meier survival of continued use (Kaplan & Meier 1958).

    The "event" is abandonment; units still using at the end of follow-up are censored.
    Intervals are pointwise, from Greenwood's (1926) variance on the log(-log) scale.

    Attributes
    ----------
    table
        ``group, horizon, survival, ci_low, ci_high, at_risk, few_at_risk, time_unit`` at each
        horizon; survival is NaN for a horizon beyond the group's last follow-up (unless
        everyone had abandoned).  ``few_at_risk`` is True where fewer than
        max(10, 5 % of the group's users) are still followed (see :func:`sustained_use`);
        ``notes`` names those horizons.
    curves
        ``group, time, survival, ci_low, ci_high, at_risk, events`` — the step curve (first
        row time 0, survival 1), for :func:`impactkit.charts.survival`.
    censored
        ``group, time, survival`` at each censoring time (tick marks).
    logrank_chi2, logrank_df, logrank_p
        Log-rank test across groups (statsmodels ``survdiff``); NaN without two groups.
    medians
        Median time to abandonment per group (``None`` when survival never drops below
        0.5); statsmodels' convention: the first event time with S(t) < 0.5.
    time_unit
        The unit of durations, horizons and medians in sentences (default ``"days"``).
    """

    table: pd.DataFrame
    curves: pd.DataFrame
    censored: pd.DataFrame
    medians: Mapping[Hashable, float | None]
    overall_median: float | None
    horizons: tuple[float, ...]
    confidence: float
    by: str | None
    n: int
    n_abandoned: int
    logrank_chi2: float = _NAN
    logrank_df: int = 0
    logrank_p: float = _NAN
    notes: tuple[str, ...] = ()
    _fits: Mapping[Hashable, _KMFit] = field(default_factory=dict)
    time_unit: str = "days"

    @property
    def groups(self) -> list[Hashable]:
        """Group labels (``["all"]`` without ``by``)."""
        return [g for g in self._fits if g is not None] or ["all"]

    @property
    def median(self) -> float | None | dict[Hashable, float | None]:
        """Median time to abandonment; ``None`` when not reached; a dict per group with
        ``by``."""
        if self.by is None:
            return self.overall_median
        return dict(self.medians)

    def at(self, t: float, group: Hashable | None = None) -> SurvivalAt:
        """Share still using at time ``t`` (pooled, or for ``group``) with its interval."""
        t = float(t)
        if not math.isfinite(t) or t < 0:
            raise DataError(f"time must be a non-negative number, got {t!r}")
        key = None if group is None or (self.by is None and group == "all") else group
        if key not in self._fits:
            raise DataError(f"unknown group {group!r}; groups are {self.groups}")
        s, lo, hi, at_risk = _km_at(self._fits[key], t)
        label = "all" if key is None else key
        return SurvivalAt(t, s, lo, hi, at_risk, label, self.confidence, self.time_unit)

    def to_frame(self) -> pd.DataFrame:
        """The horizon table."""
        return self.table.copy()

    def summary(self) -> str:
        """Plain words: share still using at the last reliable horizon, median, group test.

        The horizon is the largest one where enough users are still followed (not
        ``few_at_risk`` for all users pooled); when there is none, the first horizon inside
        the follow-up, saying how few were still followed.  With groups a second sentence
        says whether use lasts differently across them (log-rank p below 1 − confidence).
        """
        unit = self.time_unit
        parts = []
        chosen = self._summary_horizon()
        if chosen is not None:
            at, reliable = chosen
            ci = fmt_ci(at.ci_low, at.ci_high, confidence=self.confidence, pct=True)
            text = f"{fmt_pct(at.survival)} were still using it at {_time(at.time)} {unit} ({ci}"
            text += ")" if reliable else f"; only {at.at_risk:,} still followed then)"
            parts.append(text)
        elif self.horizons:
            parts.append(
                f"follow-up ends before the first horizon, {_time(self.horizons[0])} {unit}"
            )
        med = self.overall_median
        parts.append(
            f"median time to abandonment {_time(med)} {unit}"
            if med is not None
            else "the median was not reached"
        )
        sentence = (
            f"Of {self.n:,} users ({self.n_abandoned:,} abandoned), " + "; ".join(parts) + "."
        )
        if self.by is not None and self.logrank_df > 0 and not math.isnan(self.logrank_p):
            test = f"(log-rank test, {fmt_p(self.logrank_p)})"
            groups = f"{_label(self.by)} groups"
            if self.logrank_p < 1 - self.confidence:
                sentence += f" Use lasts differently across {groups} {test}."
            else:
                sentence += f" No clear difference in how long use lasts across {groups} {test}."
        return sentence

    def _summary_horizon(self) -> tuple[SurvivalAt, bool] | None:
        """The pooled estimate the summary reports and whether enough users are followed."""
        pooled = [self.at(h) for h in self.horizons]
        inside = [a for a in pooled if not math.isnan(a.survival)]
        reliable = [a for a in inside if not _few_at_risk(a.at_risk, self.n)]
        if reliable:
            return reliable[-1], True
        if inside:
            return inside[0], False
        return None

    def plot(self, ax: Axes | None = None, title: str | None = None) -> Axes:
        """Kaplan–Meier curves with censoring marks via :func:`impactkit.charts.survival`."""
        return _charts().survival(
            self.curves, censored=self.censored, horizons=self.horizons, ax=ax, title=title
        )

    def __repr__(self) -> str:
        grp = f", by={self.by!r}: {self.groups}" if self.by else ""
        return (
            f"SustainedUse(n={self.n}, abandoned={self.n_abandoned}, "
            f"median={fmt(self.overall_median)}{grp})"
        )

    def _repr_html_(self) -> str:
        return html_block("Sustained use (Kaplan–Meier)", self.table, self.notes, self.summary())


def _durations(data: pd.DataFrame, column: str) -> np.ndarray:
    series = data[column]
    if pd.api.types.is_bool_dtype(series.dtype) or not (
        pd.api.types.is_numeric_dtype(series.dtype) or series.dtype == object
    ):
        raise DataError(f"duration column {column!r} must hold numbers, got dtype {series.dtype}")
    values = pd.to_numeric(series, errors="coerce")
    bad = (values.isna() & series.notna()).to_numpy()
    if bad.any():
        raise DataError(
            f"duration column {column!r} has non-numbers at {describe_rows(data.index[bad])}"
        )
    arr = values.to_numpy(dtype=float, na_value=np.nan)
    missing = np.isnan(arr)
    if missing.any():
        raise DataError(
            f"duration column {column!r} has missing values at {describe_rows(data.index[missing])}"
        )
    if np.isinf(arr).any():
        raise DataError(
            f"duration column {column!r} has infinite values at "
            f"{describe_rows(data.index[np.isinf(arr)])}"
        )
    negative = arr < 0
    if negative.any():
        raise DataError(
            f"duration column {column!r} has negative durations at "
            f"{describe_rows(data.index[negative])}; durations are time from start of use"
        )
    return arr


_SURVIVAL_TABLE_COLUMNS = (
    "group",
    "horizon",
    "survival",
    "ci_low",
    "ci_high",
    "at_risk",
    "few_at_risk",
    "time_unit",
)


def sustained_use(
    data: pd.DataFrame,
    duration: str,
    abandoned: str,
    *,
    by: str | None = None,
    horizons: Sequence[float] = (90, 180, 365),
    confidence: float = 0.95,
    time_unit: str = "days",
) -> SustainedUse:
    """Kaplan–Meier survival of continued use: the share still using at each time.

    RE-AIM's *maintenance* (Glasgow et al. 1999; 2019 review) asks whether use lasts 6+
    months; this estimates it with right-censoring (users still using at their last contact).
    Kaplan & Meier (1958) estimate via statsmodels ``SurvfuncRight``; Greenwood (1926)
    variance, pointwise intervals on the log(-log) scale; log-rank test across groups via
    statsmodels ``survdiff``.

    Parameters
    ----------
    data
        One row per user.
    duration
        Column: time from start of use to abandonment, or to last contact if still using,
        in ``time_unit`` (the same unit as ``horizons``); must be non-negative.
    abandoned
        Column: 1/True if the user stopped using (event), 0/False if still using (censored).
    by
        Optional group column; one curve per group plus a log-rank test.
    horizons
        Times (in ``time_unit``) at which ``.table`` reports the share still using.  A
        horizon where fewer than max(10, 5 % of the group's users) are still followed is
        marked ``few_at_risk`` in ``.table`` and named in ``.notes``: the estimate there
        rests on a handful of people (Pocock, Clayton & Altman 2002).  The summary sentence
        reports the largest horizon that is not ``few_at_risk``.
    confidence
        Level of the pointwise intervals.
    time_unit
        Word for the unit of ``duration`` and ``horizons`` used in sentences and in the
        ``time_unit`` column of ``.table`` (default ``"days"``; e.g. ``"weeks"``).
    """
    confidence = check_confidence(confidence)
    frame = _as_frame(data, "sustained_use")
    require_columns(frame, [duration, abandoned] + ([by] if by else []), "sustained_use")
    if len(frame) == 0:
        raise DataError("sustained_use: the data have no rows")
    if not isinstance(time_unit, str) or not time_unit.strip():
        raise DataError(
            f"sustained_use: time_unit must be a word such as 'days' or 'weeks', got {time_unit!r}"
        )
    time_unit = time_unit.strip()
    dur = _durations(frame, duration)
    status = _binary(frame[abandoned], abandoned, frame.index, None).astype(float)
    hz = tuple(float(h) for h in horizons)
    if any(not math.isfinite(h) or h < 0 for h in hz):
        raise DataError(f"horizons must be non-negative numbers, got {tuple(horizons)!r}")

    fits: dict[Hashable, _KMFit] = {None: _km_fit(dur, status, confidence)}
    groups: list[Hashable] = []
    group_arr: np.ndarray | None = None
    if by is not None:
        groups = _group_values(frame, by)
        group_arr = frame[by].to_numpy(dtype=object)
        for g in groups:
            mask = group_arr == g
            fits[g] = _km_fit(dur[mask], status[mask], confidence)
    shown = [(g, fits[g]) for g in groups] if by is not None else [("all", fits[None])]

    table_rows: list[dict[str, Any]] = []
    curve_rows: list[pd.DataFrame] = []
    cens_rows: list[pd.DataFrame] = []
    notes: list[str] = []
    for g, fit in shown:
        n_start = len(fit.durations)
        few: list[str] = []
        for h in hz:
            s, lo, hi, at_risk = _km_at(fit, h)
            flagged = _few_at_risk(at_risk, n_start)
            if flagged:
                followed = f"{at_risk:,} still followed" if at_risk else "no one still followed"
                few.append(f"{_time(h)} {time_unit} ({followed})")
            table_rows.append(
                {
                    "group": g,
                    "horizon": h,
                    "survival": s,
                    "ci_low": lo,
                    "ci_high": hi,
                    "at_risk": at_risk,
                    "few_at_risk": flagged,
                    "time_unit": time_unit,
                }
            )
        if few:
            who = "all users" if by is None else f"{_label(by)} {g!s}"
            threshold = _few_at_risk_threshold(n_start)
            notes.append(
                f"{who}: few still followed at {', '.join(few)} — fewer than "
                f"{math.ceil(threshold):,} (the larger of {_FEW_AT_RISK_MIN} and "
                f"{100 * _FEW_AT_RISK_SHARE:g} % of {n_start:,} users), so the share still using "
                "there is uncertain or not estimated (few_at_risk in the table)"
            )
        curve_rows.append(
            pd.DataFrame(
                {
                    "group": [g] * (len(fit.times) + 1),
                    "time": np.r_[0.0, fit.times],
                    "survival": np.r_[1.0, fit.surv],
                    "ci_low": np.r_[1.0, fit.ci_low],
                    "ci_high": np.r_[1.0, fit.ci_high],
                    "at_risk": np.r_[len(fit.durations), fit.n_risk].astype(int),
                    "events": np.r_[0, fit.n_events].astype(int),
                }
            )
        )
        # censoring marks sit on the curve: S at the last event time at or before each one
        cens_t = np.unique(fit.durations[fit.status == 0]).astype(float)
        step = np.searchsorted(fit.times, cens_t, side="right") - 1
        surv_with_start = np.r_[1.0, fit.surv]  # index 0: before the first event
        cens_s = surv_with_start[step + 1]
        cens_rows.append(
            pd.DataFrame({"group": [g] * len(cens_t), "time": cens_t, "survival": cens_s})
        )

    chi2, df, p = _NAN, 0, _NAN
    if by is not None and len(groups) >= 2:
        assert group_arr is not None
        try:
            chi2_value, p_value = survdiff(dur, status, group_arr)
            chi2, df, p = float(chi2_value), len(groups) - 1, float(p_value)
        except np.linalg.LinAlgError:
            notes.append("log-rank test undefined: no abandonment events to compare")
    elif by is not None:
        notes.append(f"only one {by} group: no log-rank test")
    if int(status.sum()) == 0:
        notes.append("no one abandoned during follow-up: survival stays at 1")
    return SustainedUse(
        table=pd.DataFrame(table_rows, columns=list(_SURVIVAL_TABLE_COLUMNS)).astype(
            {"few_at_risk": bool}
        ),
        curves=pd.concat(curve_rows, ignore_index=True),
        censored=pd.concat(
            [pd.DataFrame(columns=["group", "time", "survival"]), *cens_rows], ignore_index=True
        ),
        medians={g: fits[g].median for g in groups}
        if by is not None
        else {"all": fits[None].median},
        overall_median=fits[None].median,
        horizons=hz,
        confidence=confidence,
        by=by,
        n=len(frame),
        n_abandoned=int(status.sum()),
        logrank_chi2=chi2,
        logrank_df=df,
        logrank_p=p,
        notes=tuple(notes),
        _fits=fits,
        time_unit=time_unit,
    )


def _t_interval(values: np.ndarray, confidence: float) -> tuple[float, float, float, float]:
    """Mean, standard error and t interval of ``values`` (independent units)."""
    n = len(values)
    mean = float(values.mean())
    se = float(values.std(ddof=1) / math.sqrt(n))
    if se == 0:
        return mean, 0.0, mean, mean
    half = float(stats.t.ppf(0.5 + confidence / 2, n - 1)) * se
    return mean, se, mean - half, mean + half


def _group_of_units(frame: pd.DataFrame, unit: str, by: str) -> pd.Series:
    """The group of each unit; error if a unit appears in more than one group."""
    _group_values(frame, by)
    n_groups = frame.groupby(unit, sort=False)[by].nunique()
    mixed = n_groups[n_groups > 1]
    if len(mixed):
        shown = ", ".join(str(u) for u in mixed.index[:10])
        raise DataError(
            f"group column {by!r} must be constant within each {unit}; {unit} {shown} "
            "appear in more than one group"
        )
    return frame.groupby(unit, sort=False)[by].first()


@dataclass(frozen=True, eq=False, repr=False)
class UsageIntensity:
    """Adherence: share of days (or sessions) with use, per unit, averaged across units.

    Attributes
    ----------
    mean, ci_low, ci_high, se
        Mean of the per-unit shares and its t interval (units are the independent
        observations), clipped to [0, 1].
    sd, median, q25, q75
        Spread of the per-unit shares (the distribution is in ``per_unit``).
    basis
        ``"days"`` (with ``date``: distinct days with use / days in the window) or
        ``"sessions"`` (share of the unit's rows with use).
    per_unit
        ``unit, share, n_periods`` (and ``group``).
    groups
        Same numbers per group, or ``None``.
    """

    mean: float
    ci_low: float
    ci_high: float
    se: float
    sd: float
    median: float
    q25: float
    q75: float
    n_units: int
    confidence: float
    basis: str
    per_unit: pd.DataFrame
    groups: pd.DataFrame | None = None
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """One row for all units, then one per group."""
        row = {k: getattr(self, k) for k in _SPREAD_COLUMNS}
        overall = pd.DataFrame([{"group": "all", **row}])
        if self.groups is None:
            return overall
        return pd.concat([overall, self.groups], ignore_index=True)

    def summary(self) -> str:
        """Plain-words sentence."""
        what = "days" if self.basis == "days" else "sessions"
        return (
            f"On average units used it on {fmt_pct(self.mean)} of {what} "
            f"({fmt_ci(self.ci_low, self.ci_high, confidence=self.confidence, pct=True)}, "
            f"{self.n_units:,} units; median {fmt_pct(self.median)}, "
            f"quartiles {fmt_pct(self.q25)}–{fmt_pct(self.q75)})."
        )

    def __repr__(self) -> str:
        return (
            f"UsageIntensity(mean={fmt(self.mean)} [{fmt(self.ci_low)}, {fmt(self.ci_high)}], "
            f"n_units={self.n_units}, basis={self.basis!r})"
        )

    def _repr_html_(self) -> str:
        return html_block(
            "Usage intensity (adherence)", self.to_frame(), self.notes, self.summary()
        )


_SPREAD_COLUMNS = ("mean", "ci_low", "ci_high", "se", "sd", "median", "q25", "q75", "n_units")


def _spread(shares: np.ndarray, confidence: float, what: str) -> dict[str, float]:
    if len(shares) < 2:
        raise EstimationError(f"{what}: need at least two units for an interval, got {len(shares)}")
    mean, se, low, high = _t_interval(shares, confidence)
    q25, median, q75 = np.quantile(shares, [0.25, 0.5, 0.75])
    return {
        "mean": mean,
        "ci_low": max(low, 0.0),
        "ci_high": min(high, 1.0),
        "se": se,
        "sd": float(shares.std(ddof=1)),
        "median": float(median),
        "q25": float(q25),
        "q75": float(q75),
        "n_units": len(shares),
    }


def _window(
    frame: pd.DataFrame, date: str, window: Any
) -> tuple[pd.Series, pd.Timestamp, pd.Timestamp]:
    raw = frame[date]
    try:
        dates = pd.to_datetime(raw, errors="coerce")
    except (TypeError, ValueError):
        raise DataError(f"date column {date!r} cannot be read as dates") from None
    bad = dates.isna().to_numpy()
    if bad.any():
        raise DataError(
            f"date column {date!r} has missing or unreadable dates at {describe_rows(frame.index[bad])}"
        )
    days = dates.dt.normalize()
    if window is None:
        start, end = days.min(), days.max()
    else:
        if isinstance(window, str) or not isinstance(window, Sequence) or len(window) != 2:
            raise DataError(f"window must be a (start, end) pair of dates, got {window!r}")
        try:
            start, end = (pd.Timestamp(w).normalize() for w in window)
        except (TypeError, ValueError):
            raise DataError(
                f"window must be a (start, end) pair of dates, got {window!r}"
            ) from None
        if end < start:
            raise DataError(f"window ends ({end.date()}) before it starts ({start.date()})")
    return days, start, end


def usage_intensity(
    data: pd.DataFrame,
    unit: str,
    used: str,
    *,
    window: tuple[Any, Any] | None = None,
    date: str | None = None,
    by: str | None = None,
    confidence: float = 0.95,
) -> UsageIntensity:
    """Share of days (or sessions) with use per unit — adherence — averaged across units.

    Part of RE-AIM's *implementation* dimension (Glasgow et al. 1999; 2019 review).

    Parameters
    ----------
    data
        Long data: one row per unit and day (with ``date``) or per session/opportunity.
    unit
        Column of unit ids (person, household, device).  Units are the independent
        observations: the interval is a t interval (df = units − 1) of the per-unit shares.
    used
        Column 0/1 or bool: was it used that day / in that session.
    date, window
        With ``date``: a unit's share is the number of distinct days with use inside
        ``window = (start, end)`` (both inclusive; default the first to the last date in the
        data) divided by the number of days in the window; days without a row count as no use
        and a unit with no row in the window has share 0.  Without ``date``: the share of the
        unit's rows with use (``window`` must then be ``None``).
    by
        Optional group column (constant within each unit).
    confidence
        Level of the t interval (clipped to [0, 1]).
    """
    confidence = check_confidence(confidence)
    frame = _as_frame(data, "usage_intensity")
    cols = [unit, used] + ([date] if date else []) + ([by] if by else [])
    require_columns(frame, cols, "usage_intensity")
    ids = pd.Index(frame[unit])
    missing_unit = frame[unit].isna().to_numpy()
    if missing_unit.any():
        raise DataError(
            f"unit column {unit!r} has missing ids at {describe_rows(frame.index[missing_unit])}"
        )
    use = _binary(frame[used], used, ids, unit)
    units = pd.unique(frame[unit])
    if date is None:
        if window is not None:
            raise DataError("usage_intensity: window= needs date= (the column of dates)")
        grouped = pd.DataFrame({"unit": frame[unit].to_numpy(), "used": use}).groupby(
            "unit", sort=False
        )["used"]
        share = grouped.mean().reindex(units)
        n_periods = grouped.size().reindex(units)
        basis = "sessions"
    else:
        days, start, end = _window(frame, date, window)
        n_days = int((end - start).days) + 1
        inside = ((days >= start) & (days <= end)).to_numpy() & use
        used_days = (
            pd.DataFrame({"unit": frame[unit].to_numpy()[inside], "day": days.to_numpy()[inside]})
            .drop_duplicates()
            .groupby("unit", sort=False)
            .size()
        )
        share = (used_days.reindex(units, fill_value=0) / n_days).astype(float)
        n_periods = pd.Series(n_days, index=units)
        basis = "days"
    per_unit = pd.DataFrame(
        {
            "unit": units,
            "share": share.to_numpy(dtype=float),
            "n_periods": n_periods.to_numpy(dtype=int),
        }
    )
    overall = _spread(per_unit["share"].to_numpy(), confidence, "usage_intensity")
    groups = None
    if by is not None:
        unit_group = _group_of_units(frame, unit, by)
        per_unit["group"] = unit_group.reindex(units).to_numpy()
        rows = []
        for g in _group_values(frame, by):
            shares = per_unit.loc[per_unit["group"] == g, "share"].to_numpy()
            rows.append({"group": g, **_spread(shares, confidence, f"usage_intensity group {g!s}")})
        groups = pd.DataFrame(rows)
    return UsageIntensity(
        confidence=confidence,
        basis=basis,
        per_unit=per_unit,
        groups=groups,
        **overall,  # type: ignore[arg-type]
    )


@dataclass(frozen=True, eq=False, repr=False)
class Fidelity:
    """Share of uses done correctly (RE-AIM *implementation*: fidelity).

    ``method`` says which interval: Wilson score (uses independent) or the ratio estimator
    with a cluster-robust standard error across units.
    """

    share: float
    ci_low: float
    ci_high: float
    n_uses: int
    n_correct: int
    n_units: int | None
    confidence: float
    method: str
    se: float | None = None
    groups: pd.DataFrame | None = None
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """One row for all uses, then one per group."""
        row = {
            "group": "all",
            "share": self.share,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "se": self.se,
            "n_uses": self.n_uses,
            "n_correct": self.n_correct,
            "n_units": self.n_units,
        }
        overall = pd.DataFrame([row])
        if self.groups is None:
            return overall
        return pd.concat([overall, self.groups], ignore_index=True)

    def summary(self) -> str:
        """Plain-words sentence."""
        units = f" by {self.n_units:,} units" if self.n_units is not None else ""
        return (
            f"{fmt_pct(self.share)} of {self.n_uses:,} uses{units} were done correctly "
            f"({fmt_ci(self.ci_low, self.ci_high, confidence=self.confidence, pct=True)}; {self.method})."
        )

    def __repr__(self) -> str:
        return (
            f"Fidelity(share={fmt(self.share)} [{fmt(self.ci_low)}, {fmt(self.ci_high)}], "
            f"n_uses={self.n_uses}, n_units={self.n_units})"
        )

    def _repr_html_(self) -> str:
        return html_block("Fidelity (correct use)", self.to_frame(), self.notes, self.summary())


def _fidelity_numbers(
    correct: np.ndarray, uses: np.ndarray, units: np.ndarray | None, confidence: float, what: str
) -> dict[str, Any]:
    """Share correct (Σ correct / Σ uses) with a Wilson or cluster-robust interval."""
    n = int(uses.sum())
    if n == 0:
        raise EstimationError(f"{what}: no uses")
    k = int(correct.sum())
    if units is None:
        low, high = _wilson(k, n, confidence)
        return {
            "share": k / n,
            "ci_low": low,
            "ci_high": high,
            "se": None,
            "n_uses": n,
            "n_correct": k,
            "n_units": None,
        }
    totals = pd.DataFrame({"u": units, "y": correct, "m": uses}).groupby("u", sort=False)
    y, m = totals["y"].sum().to_numpy(dtype=float), totals["m"].sum().to_numpy(dtype=float)
    g = len(m)
    if g < 2:
        raise EstimationError(f"{what}: need at least two units for a cluster-robust interval")
    share = float(y.sum() / m.sum())
    se = math.sqrt(float(((y - share * m) ** 2).sum()) / (g * (g - 1) * m.mean() ** 2))
    half = float(stats.t.ppf(0.5 + confidence / 2, g - 1)) * se
    return {
        "share": share,
        "ci_low": max(share - half, 0.0),
        "ci_high": min(share + half, 1.0),
        "se": se,
        "n_uses": n,
        "n_correct": k,
        "n_units": g,
    }


def _use_counts(
    frame: pd.DataFrame, correct: str, uses: str, ids: pd.Index, unit: str | None
) -> tuple[np.ndarray, np.ndarray]:
    """Aggregated fidelity data: whole-number ``correct`` <= ``uses`` in every row."""
    out = []
    for col in (correct, uses):
        values = pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        bad = ~np.isfinite(values) | (values < 0) | (values != np.round(values))
        if bad.any():
            raise DataError(
                f"column {col!r} must hold non-negative whole numbers (counts of uses); "
                f"found {', '.join(repr(v) for v in frame[col][bad].head(3))} at "
                f"{_describe_ids(ids, bad, unit)}"
            )
        out.append(values)
    over = out[0] > out[1]
    if over.any():
        raise DataError(
            f"column {correct!r} is larger than {uses!r} (more correct uses than uses) at "
            f"{_describe_ids(ids, over, unit)}"
        )
    return out[0], out[1]


def fidelity(
    data: pd.DataFrame,
    correct: str,
    *,
    unit: str | None = None,
    by: str | None = None,
    uses: str | None = None,
    confidence: float = 0.95,
) -> Fidelity:
    """Share of uses done correctly.

    Without ``unit`` the uses are treated as independent: Wilson score interval
    (statsmodels ``proportion_confint(method="wilson")``).  With ``unit`` (several uses per
    person/household) the share is the ratio estimator Σy_i / Σm_i across units (y_i correct
    uses and m_i uses of unit i) and its standard error the linearised (cluster-robust) one,
    se² = Σ(y_i − p·m_i)² / (G(G − 1)·m̄²) (Cochran 1977, *Sampling Techniques*, §6.4; equal
    to the CR1 standard error of an intercept-only regression clustered by unit), with a t
    interval on G − 1 degrees of freedom clipped to [0, 1].  Correct use is the *quality*
    factor of effective coverage (Ng et al. 2014) and RE-AIM's fidelity (Glasgow et al. 1999).

    Parameters
    ----------
    data
        One row per use; or, with ``uses``, rows that each stand for several uses (e.g. one
        row per household from a usage logger).
    correct
        Column 0/1 or bool: was this use done correctly.  With ``uses``: the number of the
        row's uses done correctly.
    unit, by, confidence
        Cluster column, optional group column, interval level.
    uses
        Optional column with the number of uses each row stands for (aggregated data).
    """
    confidence = check_confidence(confidence)
    frame = _as_frame(data, "fidelity")
    needed = [correct] + [c for c in (unit, by, uses) if c is not None]
    require_columns(frame, needed, "fidelity")
    ids = _ids(frame, unit)
    if unit is not None:
        missing = frame[unit].isna().to_numpy()
        if missing.any():
            raise DataError(
                f"unit column {unit!r} has missing ids at {describe_rows(frame.index[missing])}"
            )
    if uses is None:
        ok = _binary(frame[correct], correct, ids, unit).astype(float)
        n_uses = np.ones(len(frame))
    else:
        ok, n_uses = _use_counts(frame, correct, uses, ids, unit)
    unit_arr = frame[unit].to_numpy(dtype=object) if unit is not None else None
    method = (
        f"ratio estimator, cluster-robust interval across {unit} (t, G - 1 df)"
        if unit is not None
        else "Wilson score interval, uses independent"
    )
    overall = _fidelity_numbers(ok, n_uses, unit_arr, confidence, "fidelity")
    groups = None
    if by is not None:
        if unit is not None:
            _group_of_units(frame, unit, by)
        col = frame[by].to_numpy(dtype=object)
        rows = []
        for g in _group_values(frame, by):
            mask = col == g
            sub_units = unit_arr[mask] if unit_arr is not None else None
            what = f"fidelity group {g!s}"
            numbers = _fidelity_numbers(ok[mask], n_uses[mask], sub_units, confidence, what)
            rows.append({"group": g, **numbers})
        groups = pd.DataFrame(rows)
    return Fidelity(confidence=confidence, method=method, groups=groups, **overall)


# ---------------------------------------------------------------------------------------------
# 3. The effectiveness gap
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Factor:
    """One factor of the product: its point value and how to draw / propagate it."""

    name: str
    value: float
    se: float  # standard error on the natural scale (0 when known exactly)
    ci_low: float
    ci_high: float
    beta: tuple[float, float] | None  # Beta(a, b) for Monte Carlo; None -> normal or fixed


def _parse_factor(name: str, spec: Any, confidence: float, *, proportion: bool) -> _Factor:
    """Read a step (or the lab efficacy) given as a number, (value, low, high), counts
    (successes, trials) or an object with value/estimate and ci_low/ci_high."""
    z = _z(confidence)
    what = f"step {name!r}" if proportion else "lab_efficacy"
    if isinstance(spec, bool) or spec is None:
        raise DataError(
            f"{what}: expected a number, (value, ci_low, ci_high) or (successes, trials), got {spec!r}"
        )
    if isinstance(spec, (int, float, np.integer, np.floating)):
        value = check_proportion(float(spec), what) if proportion else _finite(spec, what)
        return _Factor(name, value, 0.0, value, value, None)
    if isinstance(spec, (tuple, list)):
        if len(spec) == 2:
            return _counts_factor(name, spec, what, proportion)
        if len(spec) == 3:
            return _interval_factor(name, *spec, what=what, z=z, proportion=proportion)
        raise DataError(
            f"{what}: a tuple must be (value, ci_low, ci_high) or (successes, trials), got {spec!r}"
        )
    given = getattr(spec, "value", getattr(spec, "estimate", None))
    if given is not None and hasattr(spec, "ci_low") and hasattr(spec, "ci_high"):
        return _interval_factor(
            name, given, spec.ci_low, spec.ci_high, what=what, z=z, proportion=proportion
        )
    raise DataError(
        f"{what}: expected a number, (value, ci_low, ci_high), (successes, trials) or an object "
        f"with value/estimate, ci_low and ci_high; got {type(spec).__name__}"
    )


def _finite(value: Any, what: str) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise DataError(f"{what} must be a number, got {value!r}") from None
    if not math.isfinite(x):
        raise DataError(f"{what} must be a finite number, got {value!r}")
    return x


def _counts_factor(name: str, spec: Sequence[Any], what: str, proportion: bool) -> _Factor:
    successes = _whole(spec[0], f"{what}: successes (first of the (successes, trials) pair)")
    trials = _whole(spec[1], f"{what}: trials (second of the (successes, trials) pair)")
    if trials == 0 or successes > trials:
        raise DataError(
            f"{what}: (successes, trials) must have 0 <= successes <= trials and trials > 0, "
            f"got {tuple(spec)!r}; a 2-tuple is read as counts — give (value, ci_low, ci_high) "
            "for an interval"
        )
    p = successes / trials
    low, high = _wilson(successes, trials, 0.95)
    # Jeffreys Beta(s + 1/2, n - s + 1/2) for Monte Carlo (Brown, Cai & DasGupta 2001).
    return _Factor(
        name,
        p,
        math.sqrt(p * (1 - p) / trials),
        low,
        high,
        (successes + 0.5, trials - successes + 0.5),
    )


def _interval_factor(
    name: str, value: Any, low: Any, high: Any, *, what: str, z: float, proportion: bool
) -> _Factor:
    check = (lambda v, w: check_proportion(v, w)) if proportion else _finite
    v = check(value, what)
    lo = check(low, f"{what} ci_low")
    hi = check(high, f"{what} ci_high")
    if not lo <= v <= hi:
        raise DataError(
            f"{what}: expected ci_low <= value <= ci_high, got ({value}, {low}, {high})"
        )
    se = (hi - lo) / (2 * z)
    beta = None
    if proportion and se > 0:
        spread = v * (1 - v) / se**2 - 1  # method-of-moments Beta: a + b
        if spread <= 0:
            raise DataError(
                f"{what}: the interval ({fmt(lo)}, {fmt(hi)}) is too wide for a proportion of "
                f"{fmt(v)} (no Beta distribution matches it); give (successes, trials) counts"
            )
        beta = (v * spread, (1 - v) * spread)
    return _Factor(name, v, se, lo, hi, beta)


def _draw(factor: _Factor, rng: np.random.Generator, n: int) -> np.ndarray:
    if factor.beta is not None:
        return rng.beta(factor.beta[0], factor.beta[1], size=n)
    if factor.se > 0:
        return rng.normal(factor.value, factor.se, size=n)
    return np.full(n, factor.value)


def _contributions(values: Sequence[float]) -> list[float]:
    """Share of the (log) loss due to each step: log p_i / Σ log p_j.

    All steps 1: no loss, all zero.  Any step 0: the zero steps share the loss equally.
    """
    arr = np.asarray(values, dtype=float)
    zero = arr == 0
    if zero.any():
        return list(zero / zero.sum())
    logs = np.log(arr)
    total = logs.sum()
    if total == 0:
        return [0.0] * len(arr)
    return list(logs / total)


@dataclass(frozen=True, eq=False, repr=False)
class Gap:
    """The lab-to-real-world gap: real-world effect = lab efficacy × Π steps.

    Attributes
    ----------
    lab_efficacy
        The lab (ideal-conditions) effect.
    real_world, ci_low, ci_high
        Lab efficacy × the product of the step proportions, with its interval.
    lost, lost_ci_low, lost_ci_high
        1 − real_world / lab_efficacy = 1 − Π steps, with its interval.
    contributions
        Each step's share of the loss by log decomposition, log p_i / Σ log p_j (sum 1; all
        zero when there is no loss; zero steps share the whole loss).
    steps
        ``step, proportion, value, ci_low, ci_high, contribution``: first row the lab
        efficacy, then the effect remaining after each step, last row the real-world effect
        (for :func:`impactkit.charts.waterfall`).
    method
        ``"monte carlo"`` or ``"delta (log scale)"`` with details in ``method_detail``.
    """

    lab_efficacy: float
    real_world: float
    ci_low: float
    ci_high: float
    lost: float
    lost_ci_low: float
    lost_ci_high: float
    contributions: Mapping[str, float]
    steps: pd.DataFrame
    method: str
    method_detail: str
    confidence: float
    seed: int | None = None
    notes: tuple[str, ...] = ()

    @property
    def largest_loss(self) -> str | None:
        """The step with the largest share of the loss (``None`` when nothing is lost)."""
        if not any(v > 0 for v in self.contributions.values()):
            return None
        return max(self.contributions, key=lambda k: self.contributions[k])

    @classmethod
    def from_cascade(cls, lab_efficacy: Any, cascade: Cascade, **kwargs: Any) -> Gap:
        """See :func:`effectiveness_gap_from_cascade`."""
        return effectiveness_gap_from_cascade(lab_efficacy, cascade, **kwargs)

    def to_frame(self) -> pd.DataFrame:
        """The steps table."""
        return self.steps.copy()

    def summary(self) -> str:
        """Plain-words sentence: lab → real world, share lost and where."""
        pct = 0 < self.lab_efficacy <= 1

        def show(x: float) -> str:
            return fmt_pct(x) if pct else fmt(x)

        ci = fmt_ci(self.ci_low, self.ci_high, confidence=self.confidence, pct=pct)
        sentence = (
            f"Lab efficacy {show(self.lab_efficacy)} becomes a real-world effect of "
            f"{show(self.real_world)} ({ci}): {fmt_pct(self.lost)} of the lab effect is lost"
        )
        where = self.largest_loss
        if where is not None:
            sentence += (
                f", mostly at {_label(where)} ({fmt_pct(self.contributions[where])} of the loss)"
            )
        return sentence + "."

    def plot(self, ax: Axes | None = None, title: str | None = None) -> Axes:
        """Waterfall from lab efficacy to real-world effect via :func:`impactkit.charts.waterfall`."""
        pct = 0 < self.lab_efficacy <= 1
        return _charts().waterfall(self.steps, ax=ax, title=title, pct=pct)

    def __repr__(self) -> str:
        return (
            f"Gap(lab={fmt(self.lab_efficacy)} -> real_world={fmt(self.real_world)} "
            f"[{fmt(self.ci_low)}, {fmt(self.ci_high)}], lost={fmt_pct(self.lost)}, "
            f"largest_loss={self.largest_loss!r}, method={self.method!r})"
        )

    def _repr_html_(self) -> str:
        return html_block(
            f"Effectiveness gap — {self.method_detail}", self.steps, self.notes, self.summary()
        )


def effectiveness_gap(
    lab_efficacy: Any,
    *,
    method: Literal["monte_carlo", "delta"] = "monte_carlo",
    seed: int | None = None,
    n_draws: int = 100_000,
    confidence: float = 0.95,
    **steps: Any,
) -> Gap:
    """Real-world effect = lab efficacy × reach × adoption × sustained use × correct use.

    The multiplicative cascade of effective coverage (Ng et al. 2014, *PLoS Med*,
    EC = need × use × quality; Tanahashi 1978) applied to an effect: each step keeps a
    proportion of the people, and the effect delivered shrinks by the same factor.  The loss
    1 − Π p_i is split between steps by log decomposition, share_i = log p_i / Σ log p_j
    (exact, order-free, sums to 1).

    Parameters
    ----------
    lab_efficacy
        The effect under ideal conditions: a number (> 0), ``(value, ci_low, ci_high)``, an
        object with ``estimate``/``value`` and ``ci_low``/``ci_high`` (e.g. an
        :class:`~impactkit.effects.Effect`), or ``(successes, trials)`` counts.  It need not
        be a proportion; its uncertainty is drawn from a normal distribution (Beta for
        counts).
    method
        ``"monte_carlo"`` (default): draw every factor — each step from a Beta matched to its
        interval by the method of moments, or the Jeffreys Beta(s + ½, n − s + ½) for counts —
        and take percentiles of the product.  ``"delta"``: the delta method on the log scale,
        Var(log R) = Σ (se_i / p_i)², interval exp(log R ± z·sd); exactly invariant to the
        order of steps but undefined when a step is 0.
    seed, n_draws
        Monte Carlo seed (record it for reproducibility) and number of draws.
    confidence
        Interval level.  Intervals given as tuples are taken at this level.
    **steps
        The steps in order, each a proportion in [0, 1]: a number (known exactly),
        ``(value, ci_low, ci_high)``, ``(successes, trials)`` counts (a 2-tuple is always
        counts), or an object with ``value``/``estimate``, ``ci_low`` and ``ci_high``.  Step
        names cannot be ``method``, ``seed``, ``n_draws`` or ``confidence``.

    Returns
    -------
    Gap
    """
    confidence = check_confidence(confidence)
    if not steps:
        raise DataError("effectiveness_gap: give at least one step, e.g. reach=0.8, adoption=0.6")
    if method not in ("monte_carlo", "delta"):
        raise DataError(f"method must be 'monte_carlo' or 'delta', got {method!r}")
    lab = _parse_factor("lab efficacy", lab_efficacy, confidence, proportion=False)
    if lab.value <= 0:
        raise DataError(
            f"lab_efficacy must be positive (there is no lab effect to lose), got {fmt(lab.value)}"
        )
    factors = [_parse_factor(str(k), v, confidence, proportion=True) for k, v in steps.items()]
    values = [f.value for f in factors]
    cumulative = lab.value * np.cumprod(values)
    real_world = float(cumulative[-1])
    retained = float(np.prod(values))
    notes: list[str] = []
    alpha = 1 - confidence
    if method == "monte_carlo":
        n = int(n_draws)
        if n < 100:
            raise DataError(f"n_draws must be at least 100, got {n_draws!r}")
        rng = np.random.default_rng(seed)
        lab_draw = _draw(lab, rng, n)
        running = np.ones(n)
        bounds = []
        for f in factors:
            running = running * _draw(f, rng, n)
            bounds.append(np.quantile(lab_draw * running, [alpha / 2, 1 - alpha / 2]))
        lost_q = np.quantile(1 - running, [alpha / 2, 1 - alpha / 2])
        lab_bounds = (lab.ci_low, lab.ci_high)
        detail = (
            f"Monte Carlo, {n:,} draws (seed {seed}); steps from Beta distributions matched to "
            "their intervals or counts, lab efficacy normal; percentile intervals"
        )
        label = "monte carlo"
    else:
        z = _z(confidence)
        if any(v == 0 for v in values):
            notes.append(
                "a step is 0: the real-world effect is 0 and the log-scale interval is undefined"
            )
        with np.errstate(divide="ignore", invalid="ignore"):
            rel_var = np.cumsum([(f.se / f.value) ** 2 if f.value > 0 else np.nan for f in factors])
            lab_rel = (lab.se / lab.value) ** 2
            sd = np.sqrt(rel_var + lab_rel)
            bounds = [
                (c * math.exp(-z * s), c * math.exp(z * s))
                for c, s in zip(cumulative, sd, strict=True)
            ]
            steps_sd = math.sqrt(float(rel_var[-1]))
            lost_q = np.array(
                [1 - retained * math.exp(z * steps_sd), 1 - retained * math.exp(-z * steps_sd)]
            )
        lab_bounds = (
            lab.value * math.exp(-z * math.sqrt(lab_rel)),
            lab.value * math.exp(z * math.sqrt(lab_rel)),
        )
        detail = "delta method on the log scale: Var(log R) = sum of (se_i / p_i)^2"
        label = "delta (log scale)"
    contributions = _contributions(values)
    rows = [
        {
            "step": "lab efficacy",
            "proportion": _NAN,
            "value": lab.value,
            "ci_low": float(lab_bounds[0]),
            "ci_high": float(lab_bounds[1]),
            "contribution": _NAN,
        }
    ]
    for f, c, b, share in zip(factors, cumulative, bounds, contributions, strict=True):
        rows.append(
            {
                "step": f.name,
                "proportion": f.value,
                "value": float(c),
                "ci_low": float(b[0]),
                "ci_high": float(b[1]),
                "contribution": float(share),
            }
        )
    rows.append(
        {
            "step": "real-world effect",
            "proportion": retained,
            "value": real_world,
            "ci_low": float(bounds[-1][0]),
            "ci_high": float(bounds[-1][1]),
            "contribution": _NAN,
        }
    )
    return Gap(
        lab_efficacy=lab.value,
        real_world=real_world,
        ci_low=float(bounds[-1][0]),
        ci_high=float(bounds[-1][1]),
        lost=1 - retained,
        lost_ci_low=float(lost_q[0]),
        lost_ci_high=float(lost_q[1]),
        contributions={f.name: float(s) for f, s in zip(factors, contributions, strict=True)},
        steps=pd.DataFrame(rows),
        method=label,
        method_detail=detail,
        confidence=confidence,
        seed=seed,
        notes=tuple(notes),
    )


def effectiveness_gap_from_cascade(lab_efficacy: Any, cascade: Cascade, **kwargs: Any) -> Gap:
    """:func:`effectiveness_gap` with a cascade's conversions as the steps.

    Each stage after the first contributes its ``share_of_previous`` as counts
    ``(count, count of the stage before)``, named by the stage label.  The first stage is
    included too (as ``(count, target)``) when it is smaller than the cascade's target —
    i.e. when ``target`` was given and reach is itself a loss.  ``kwargs`` go to
    :func:`effectiveness_gap` (``method``, ``seed``, ``n_draws``, ``confidence``).
    """
    if not isinstance(cascade, Cascade):
        raise DataError(
            f"expected a Cascade (from impactkit.adoption.cascade), got {type(cascade).__name__}"
        )
    table = cascade.table
    counts = [int(c) for c in table["count"]]
    labels = [str(x) for x in table["label"]]
    steps: dict[str, Any] = {}
    if counts[0] < cascade.target:
        steps[labels[0]] = (counts[0], cascade.target)
    for i in range(1, len(counts)):
        if counts[i - 1] == 0:
            raise DataError(
                f"stage {labels[i - 1]!r} has no one: conversion to {labels[i]!r} is undefined"
            )
        steps[labels[i]] = (counts[i], counts[i - 1])
    if not steps:
        raise DataError("the cascade has a single stage equal to its target: no steps to multiply")
    return effectiveness_gap(lab_efficacy, **kwargs, **steps)


# ---------------------------------------------------------------------------------------------
# 4. Voltage ratio
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class VoltageRatio:
    """Field effect / lab effect with its interval (List 2022, *The Voltage Effect*).

    ``method`` is ``"fieller"`` (Fieller 1954; the exact interval for a ratio of normal
    estimates) or ``"delta"`` (used when the lab effect is not significantly different from
    zero, g ≥ 1, where Fieller's set is unbounded).  ``g = z²·se_lab² / lab²``.
    """

    ratio: float
    ci_low: float
    ci_high: float
    confidence: float
    method: str
    g: float
    field_estimate: float
    lab_estimate: float
    field_label: str = "field"
    lab_label: str = "lab"
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """One tidy row."""
        return pd.DataFrame(
            [
                {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "notes"}
                | {"notes": "; ".join(self.notes)}
            ]
        )

    def summary(self) -> str:
        """ "the field effect is 38 % of the lab effect (95 % CI 21–60 %)"."""
        level = f"{100 * self.confidence:g} % CI"
        return (
            f"The field effect is {100 * self.ratio:.0f} % of the lab effect ({level} "
            f"{100 * self.ci_low:.0f}–{100 * self.ci_high:.0f} %, {self.method} method)."
        )

    def __repr__(self) -> str:
        return (
            f"VoltageRatio(ratio={fmt(self.ratio)} [{fmt(self.ci_low)}, {fmt(self.ci_high)}], "
            f"method={self.method!r}, g={fmt(self.g)})"
        )

    def _repr_html_(self) -> str:
        return html_block(
            "Voltage ratio (field / lab)", self.to_frame(), self.notes, self.summary()
        )


def _estimate_se(effect: Any, name: str, z: float) -> tuple[float, float]:
    estimate = getattr(effect, "estimate", None)
    if estimate is None:
        raise DataError(
            f"{name}: expected an Effect (with estimate, se, ci_low, ci_high), got {type(effect).__name__}"
        )
    est = _finite(estimate, f"{name}.estimate")
    se = getattr(effect, "se", None)
    if se is None or not math.isfinite(float(se)):
        low, high = getattr(effect, "ci_low", None), getattr(effect, "ci_high", None)
        if low is None or high is None:
            raise DataError(f"{name}: needs se or ci_low/ci_high")
        se = (_finite(high, f"{name}.ci_high") - _finite(low, f"{name}.ci_low")) / (2 * z)
    se = float(se)
    if se < 0:
        raise DataError(f"{name}.se must be non-negative, got {se}")
    return est, se


def voltage_ratio(field: Any, lab: Any, *, confidence: float | None = None) -> VoltageRatio:
    """How much of the lab effect survives in the field: field / lab with Fieller's interval.

    List (2022), *The Voltage Effect*, documents how effects shrink at scale.  For independent
    estimates a (field) and b (lab) with variances v_a, v_b (covariance 0), Fieller's (1954)
    limits are the roots in R of (a − R·b)² = z²·(v_a + R²·v_b):

        R = [a/b ± (z/|b|)·sqrt(v_a + (a/b)²·v_b − g·v_a)] / (1 − g),  g = z²·v_b / b².

    When g ≥ 1 (the lab effect is not significantly different from zero) the Fieller set is
    unbounded; the delta-method interval a/b ± z·sqrt(v_a + (a/b)²·v_b)/|b| is returned
    instead and ``method``/``notes`` say so.

    Parameters
    ----------
    field, lab
        :class:`~impactkit.effects.Effect` objects (or anything with ``estimate`` and ``se``;
        a missing se is recovered from ``ci_low``/``ci_high``).
    confidence
        Interval level; default the field effect's ``confidence``.
    """
    level = confidence if confidence is not None else getattr(field, "confidence", 0.95)
    level = check_confidence(level)
    z = _z(level)
    a, se_a = _estimate_se(field, "field", z)
    b, se_b = _estimate_se(lab, "lab", z)
    if b == 0:
        raise EstimationError("the lab effect is exactly 0: the ratio field / lab is undefined")
    va, vb = se_a**2, se_b**2
    ratio = a / b
    g = z**2 * vb / b**2
    notes: list[str] = []
    if confidence is None and getattr(lab, "confidence", level) != level:
        notes.append(f"field and lab intervals have different levels; using {level:g}")
    if g < 1:
        root = math.sqrt(max(va + ratio**2 * vb - g * va, 0.0))
        low = (ratio - z / abs(b) * root) / (1 - g)
        high = (ratio + z / abs(b) * root) / (1 - g)
        method = "fieller"
    else:
        half = z * math.sqrt(va + ratio**2 * vb) / abs(b)
        low, high = ratio - half, ratio + half
        method = "delta"
        notes.append(
            f"the lab effect is not significantly different from 0 (g = {fmt(g)} >= 1): the Fieller "
            "interval is unbounded, so the delta-method interval is shown; read it with care"
        )
    return VoltageRatio(
        ratio=ratio,
        ci_low=low,
        ci_high=high,
        confidence=level,
        method=method,
        g=g,
        field_estimate=a,
        lab_estimate=b,
        field_label=str(getattr(field, "label", "field")),
        lab_label=str(getattr(lab, "label", "lab")),
        notes=tuple(notes),
    )


# ---------------------------------------------------------------------------------------------
# 5. Cost per outcome
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False, repr=False)
class CostPerOutcome:
    """Cost per person at each stage of a cascade, or per unit of real-world effect.

    ``table`` columns: ``outcome, units, cost_per_unit, ci_low, ci_high`` (intervals only for
    a :class:`Gap`, from the real-world effect's interval).
    """

    cost: float
    currency: str
    table: pd.DataFrame
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """The cost table (with the currency)."""
        return self.table.assign(currency=self.currency)

    def summary(self) -> str:
        """Plain-words sentence listing the cost per outcome."""
        parts = [
            f"{self.currency} {fmt(float(value))} {outcome}"
            for outcome, value in zip(
                self.table["outcome"], self.table["cost_per_unit"], strict=True
            )
        ]
        return f"A cost of {self.currency} {fmt(self.cost)} is " + ", ".join(parts) + "."

    def __repr__(self) -> str:
        return f"CostPerOutcome(cost={fmt(self.cost)} {self.currency}, outcomes={len(self.table)})"

    def _repr_html_(self) -> str:
        return html_block("Cost per outcome", self.to_frame(), self.notes, self.summary())


def cost_per_outcome(
    cost: float,
    cascade_or_gap: Cascade | Gap,
    *,
    currency: str = "USD",
    population: float | None = None,
) -> CostPerOutcome:
    """Cost per person reached, per adopter, per sustained user — or per unit of effect.

    RE-AIM lists cost under implementation (Glasgow et al. 2019 review).

    Parameters
    ----------
    cost
        Total programme cost (positive).
    cascade_or_gap
        A :class:`Cascade`: cost / count at every stage ("per <stage label>").  A
        :class:`Gap`: cost / (real_world × population), the cost per unit of real-world effect
        (e.g. per case averted when the effect is a risk reduction per person), with the
        interval from the Gap's interval; ``population`` (the number of people the programme
        served, the people the effect applies to) is then required.
    currency
        Label for the numbers.
    """
    c = _finite(cost, "cost")
    if c <= 0:
        raise DataError(f"cost must be positive, got {cost!r}")
    notes: list[str] = []
    if isinstance(cascade_or_gap, Cascade):
        rows = []
        for row in cascade_or_gap.table.itertuples():
            count = int(row.count)  # type: ignore[call-overload]
            rows.append(
                {
                    "outcome": f"per {row.label}",
                    "units": count,
                    "cost_per_unit": c / count if count > 0 else _NAN,
                    "ci_low": _NAN,
                    "ci_high": _NAN,
                }
            )
            if count == 0:
                notes.append(f"no one at stage {row.label!r}: cost per person undefined")
        return CostPerOutcome(c, currency, pd.DataFrame(rows), tuple(notes))
    if isinstance(cascade_or_gap, Gap):
        if population is None:
            raise DataError(
                "cost_per_outcome: for a Gap give population= (the number of people served) to "
                "turn the real-world effect per person into units of effect"
            )
        pop = _finite(population, "population")
        if pop <= 0:
            raise DataError(f"population must be positive, got {population!r}")
        gap = cascade_or_gap
        units = gap.real_world * pop

        def per(x: float) -> float:
            return c / x if x > 0 else _NAN

        if gap.ci_low <= 0:
            notes.append(
                "the real-world effect's interval reaches 0: the upper cost bound is unbounded"
            )
        gap_row = {
            "outcome": "per unit of real-world effect",
            "units": units,
            "cost_per_unit": per(units),
            "ci_low": per(gap.ci_high * pop),
            "ci_high": per(gap.ci_low * pop),
        }
        return CostPerOutcome(c, currency, pd.DataFrame([gap_row]), tuple(notes))
    raise DataError(f"expected a Cascade or a Gap, got {type(cascade_or_gap).__name__}")
