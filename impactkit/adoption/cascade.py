"""The coverage cascade: how many of the target population pass each stage.

Tanahashi T. (1978). Health service coverage and its evaluation. *Bull WHO* 56(2):295–303.
Glasgow RE, Vogt TM, Boles SM (1999). Evaluating the public health impact of health
promotion interventions: the RE-AIM framework. *Am J Public Health* 89(9):1322–7.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import narwhals as nw
import numpy as np
import pandas as pd

from .._checks import check_confidence
from .._display import fmt_ci, fmt_pct
from .._frames import as_narwhals, as_pandas
from .._intervals import wilson
from ..errors import DataError
from ..indicators.frames import prepare_pandas
from ..results import Result
from ._cascade_checks import (
    _check_no_group_target,
    _check_order,
    _check_stages,
    _counts_from_mapping,
    _counts_from_units,
    _group_targets,
    _resolve_labels,
    _target_value,
)
from ._shared import NAN, charts, group_values, label
from ._stage_counts import explain_lazy, stage_counts

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["Cascade", "cascade"]


@dataclass(frozen=True, eq=False, repr=False)
class Cascade(Result):
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
        for stage, stage_label in zip(self.stages, self.table["label"], strict=True):
            values = eq[stage].to_numpy(dtype=float)
            known = np.flatnonzero(np.isfinite(values))
            row: dict[str, Any] = {"stage": stage, "label": str(stage_label)}
            if len(known) < 2:
                row.update(lowest_group=None, lowest=NAN, highest_group=None, highest=NAN)
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
        columns = [
            "stage",
            "label",
            "lowest_group",
            "lowest",
            "highest_group",
            "highest",
            "gap",
        ]
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
        return f"{self._final_share_words(eq)}{self._largest_gap_words(gaps)}"

    def _final_share_words(self, eq: pd.DataFrame) -> str:
        """First sentence of :meth:`equity_summary`: lowest and highest final coverage."""
        final = eq["final_share_of_target"].to_numpy(dtype=float)
        worst, best = int(np.argmin(final)), int(np.argmax(final))
        last = str(self.table["label"].iloc[-1])
        if final[worst] == final[best]:
            return (
                f"Every {self._by_words} group reaches {fmt_pct(final[worst])} of its target "
                f"at {last!r}."
            )
        return (
            f"{self._group_words(eq['group'].iloc[worst])} reaches {fmt_pct(final[worst])} "
            f"of its target at {last!r}, against {fmt_pct(final[best])} in "
            f"{self._group_words(eq['group'].iloc[best])}."
        )

    def _largest_gap_words(self, gaps: pd.DataFrame) -> str:
        """Second sentence of :meth:`equity_summary` (with its leading space)."""
        spread = gaps["gap"].to_numpy(dtype=float)
        if not np.isfinite(spread).any():
            return " No stage can be compared across groups."
        row = gaps.iloc[int(np.nanargmax(spread))]  # nanargmax keeps the earliest tie
        if row["gap"] == 0:
            return " The groups convert equally at every stage."
        return (
            f" The {self._by_words} groups differ most at {row['label']!r}: "
            f"{fmt_pct(row['lowest'])} of the stage before "
            f"continue in {self._group_words(row['lowest_group'])}, "
            f"{fmt_pct(row['highest'])} in {self._group_words(row['highest_group'])} (a gap of "
            f"{100 * row['gap']:.1f} percentage points)."
        )

    @property
    def _by_words(self) -> str:
        return label(self.by) if self.by else "group"

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
        ci = fmt_ci(
            last["share_of_target_ci_low"],
            last["share_of_target_ci_high"],
            confidence=self.confidence,
            pct=True,
        )
        sentence = (
            f"Of a target of {self.target:,}, {int(last['count']):,} reached the last stage "
            f"{last['label']!r} ({fmt_pct(last['share_of_target'])}, {ci})"
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
        result: Axes = charts().funnel(shown, ax=ax, title=title)
        return result

    def __repr__(self) -> str:
        parts = ", ".join(
            f"{s}={int(c)}" for s, c in zip(self.stages, self.table["count"], strict=True)
        )
        grp = f", by={self.by!r} ({len(self.groups)} groups)" if self.groups else ""
        return f"Cascade(target={self.target}, {parts}, bottleneck={self.bottleneck!r}{grp})"

    def _title(self) -> str:
        return "Coverage cascade"


# --------------------------------------------------------------------------- building


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
    for stage, stage_label, count in zip(stages, labels, counts, strict=True):
        t_low, t_high = wilson(count, target, confidence)
        p_low, p_high = wilson(count, previous, confidence)
        rows.append(
            {
                "stage": stage,
                "label": stage_label,
                "count": int(count),
                "share_of_target": count / target,
                "share_of_target_ci_low": t_low,
                "share_of_target_ci_high": t_high,
                "share_of_previous": count / previous if previous > 0 else NAN,
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


def _single(
    counts: Sequence[int],
    stages: Sequence[str],
    labels: Sequence[str],
    target: int,
    confidence: float,
) -> Cascade:
    table, bn = _cascade_table(counts, stages, labels, target, confidence)
    return Cascade(table, target, bn, confidence)


def _pooled(
    per_group: dict[Hashable, tuple[list[int], int]],
    stages: Sequence[str],
    labels: Sequence[str],
    confidence: float,
    by: str,
) -> Cascade:
    """One cascade per group (validated counts and target each) and the pooled cascade
    (counts and targets summed)."""
    groups = {g: _single(c, stages, labels, t, confidence) for g, (c, t) in per_group.items()}
    total = np.zeros(len(stages), dtype=int)
    total_target = 0
    for counts, target in per_group.values():
        total += np.asarray(counts)
        total_target += target
    table, bn = _cascade_table(list(total), stages, labels, total_target, confidence)
    return Cascade(table, total_target, bn, confidence, by=by, groups=groups)


# --------------------------------------------------------------------------- entry point


def cascade(
    data_or_counts: Any,
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
        ``{group: {stage: count}}``.  Unit-level data may be any frame of
        :data:`impactkit._frames.ENGINES`: the counts are one ``group_by`` aggregation run by
        that engine (only the sums per group come back), so a DuckDB relation over Parquet
        files or a Spark table is never loaded.  Groups come in order of first appearance;
        on a lazy engine (no row order), in order of their labels.
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
        Level of the Wilson intervals (:func:`impactkit._intervals.wilson`; validated
        against statsmodels ``proportion_confint(method="wilson")``).
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
    frame = as_narwhals(prepare_pandas(data_or_counts, stages or ()), "cascade")
    schema = dict(frame.collect_schema())
    need = [c for c in (unit, by) if c is not None]
    stage_list = _check_stages(list(schema), stages, need)
    lab = _resolve_labels(stage_list, labels)
    if isinstance(data_or_counts, pd.DataFrame) and len(data_or_counts) == 0 and target is None:
        raise DataError("cascade: the data have no rows (and no target is given)")
    # one aggregation in the engine; a pooled pandas cascade is faster as column sums below
    pooled_pandas = by is None and isinstance(data_or_counts, pd.DataFrame)
    found = None if pooled_pandas else stage_counts(frame, schema, stage_list, by)
    if found is not None:
        return _from_counts(found.per_group, stage_list, lab, target, by, confidence)
    if isinstance(frame, nw.LazyFrame):
        raise explain_lazy(frame, schema, stage_list, by, unit)
    # rows we can hold (a broken rule, or pooled pandas): row-level checks that name rows
    data = as_pandas(data_or_counts, "cascade")
    if by is None:
        _check_no_group_target(target)
        counts = _counts_from_units(data, stage_list, unit, "")
        tgt = _target_value(target, len(data), "")
        _check_order(counts, stage_list, tgt, "")
        return _single(counts, stage_list, lab, tgt, confidence)
    return _cascade_from_units_by(data, stage_list, lab, target, by, unit, confidence)


def _from_counts(
    per_group: dict[Hashable, tuple[list[int], int]],
    stage_list: list[str],
    lab: list[str],
    target: Any,
    by: str | None,
    confidence: float,
) -> Cascade:
    """The cascade from engine counts (``{group: (counts, rows)}``, key ``None`` without
    ``by``), checked as the row-level path checks them."""
    if by is None:
        _check_no_group_target(target)
        counts, rows = per_group[None]
        tgt = _target_value(target, rows, "")
        _check_order(counts, stage_list, tgt, "")
        return _single(counts, stage_list, lab, tgt, confidence)
    group_targets = _group_targets(target, list(per_group), by)
    checked: dict[Hashable, tuple[list[int], int]] = {}
    for g, (counts, rows) in per_group.items():
        where = f"group {g!s}: "
        tgt = _target_value(group_targets.get(g), rows, where)
        _check_order(counts, stage_list, tgt, where)
        checked[g] = (counts, tgt)
    return _pooled(checked, stage_list, lab, confidence, by)


def _cascade_from_units_by(
    data: pd.DataFrame,
    stage_list: list[str],
    lab: list[str],
    target: Any,
    by: str,
    unit: str | None,
    confidence: float,
) -> Cascade:
    groups = group_values(data, by)
    group_targets = _group_targets(target, groups, by)
    col = data[by]
    per_group: dict[Hashable, tuple[list[int], int]] = {}
    for g in groups:
        sub = data.loc[(col == g).to_numpy()]
        where = f"group {g!s}: "
        counts = _counts_from_units(sub, stage_list, unit, where)
        tgt = _target_value(group_targets.get(g), len(sub), where)
        _check_order(counts, stage_list, tgt, where)
        per_group[g] = (counts, tgt)
    return _pooled(per_group, stage_list, lab, confidence, by)


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
        _check_no_group_target(target)
        tgt = _target_value(target, values[0], "")
        if tgt == 0:
            raise DataError(f"cascade: the first stage {stage_list[0]!r} is 0; give target=")
        _check_order(values, stage_list, tgt, "")
        return _single(values, stage_list, _resolve_labels(stage_list, labels), tgt, confidence)
    if not nested:
        raise DataError(
            f"cascade: with by={by!r} and counts, give a mapping {{group: {{stage: count}}}}"
        )
    groups = list(counts)
    group_targets = _group_targets(target, groups, by)
    first_group = counts[groups[0]]
    stage_list = [str(s) for s in (stages if stages is not None else first_group)]
    lab = _resolve_labels(stage_list, labels)
    per_group: dict[Hashable, tuple[list[int], int]] = {}
    for g in groups:
        where = f"group {g!s}: "
        _, values = _counts_from_mapping(counts[g], stage_list, where)
        tgt = _target_value(group_targets.get(g), values[0], where)
        if tgt == 0:
            raise DataError(f"cascade: {where}the first stage is 0; give target=")
        _check_order(values, stage_list, tgt, where)
        per_group[g] = (values, tgt)
    return _pooled(per_group, stage_list, lab, confidence, by)
