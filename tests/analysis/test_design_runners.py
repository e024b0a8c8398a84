"""The seam between the analysis and the design types: one typed record and one runner per
design, and no switching on a design's name anywhere else.

These are structural guards of issue 10 (they fail when a branch on ``design.type`` creeps
back into the analysis or the report, or a design type lacks its runner) plus checks that
the typed fields hold what they say.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _testpaths import SAMPLE_DATA

import impactkit
from impactkit.adoption import Cascade, Gap, SustainedUse
from impactkit.analysis import RUNNERS, analyse, runner_for
from impactkit.analysis.designs import DesignRunner
from impactkit.effects import DiDResult, ITSResult
from impactkit.initiative import DESIGNS, DiDDesign, ITSDesign, PrePostDesign, load

PACKAGE = Path(impactkit.__file__).resolve().parent
RUNNER_DIR = PACKAGE / "analysis" / "designs"
PROTOCOL_METHODS = [
    name
    for name, value in vars(DesignRunner).items()
    if callable(value) and not name.startswith("_")
]
SAMPLES = {
    "water_filter": (DiDDesign, DiDResult),
    "cookstoves": (PrePostDesign, type(None)),
    "tutoring": (ITSDesign, ITSResult),
}


def test_every_design_type_has_exactly_one_runner() -> None:
    assert set(RUNNERS) == set(DESIGNS)
    for kind, runner in RUNNERS.items():
        assert runner.type == kind


@pytest.mark.parametrize("kind", DESIGNS)
def test_each_runner_implements_the_whole_protocol(kind: str) -> None:
    assert len(PROTOCOL_METHODS) >= 10  # the protocol was read, not an empty list
    runner = RUNNERS[kind]
    missing = [m for m in PROTOCOL_METHODS if not callable(getattr(runner, m, None))]
    assert not missing, f"{kind} runner lacks {missing}"


def _sources_outside_runners() -> list[Path]:
    files = list((PACKAGE / "analysis").rglob("*.py")) + list((PACKAGE / "report").rglob("*.py"))
    return [f for f in files if RUNNER_DIR not in f.parents]


def test_no_switch_on_a_design_name_outside_the_runners() -> None:
    files = _sources_outside_runners()
    assert len(files) > 10
    names = "|".join(re.escape(k) for k in DESIGNS)
    pattern = re.compile(rf"""(\.type\s*(==|!=|in\b))|(["']({names})["'])""")
    offenders = [
        f"{f.relative_to(PACKAGE)}:{i}: {line.strip()}"
        for f in files
        for i, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert not offenders, "design switches outside analysis/designs:\n" + "\n".join(offenders)


@pytest.mark.parametrize("sample", list(SAMPLES))
def test_each_sample_gets_its_design_record_and_runner(sample: str) -> None:
    record, _ = SAMPLES[sample]
    init = load(SAMPLE_DATA / sample / "initiative.yaml")
    assert type(init.design) is record
    assert runner_for(init.design) is RUNNERS[record.type]


def test_design_records_carry_only_their_own_keys() -> None:
    assert not hasattr(ITSDesign(data="x"), "treated")
    assert not hasattr(DiDDesign(data="x"), "intervention")
    assert not hasattr(PrePostDesign(data="x"), "time")


@pytest.mark.parametrize("sample", list(SAMPLES))
def test_typed_fields_hold_their_types(sample: str) -> None:
    _, detail = SAMPLES[sample]
    a = analyse(SAMPLE_DATA / sample / "initiative.yaml")
    assert a.cascade is None or isinstance(a.cascade, Cascade)
    assert a.sustained_use is None or isinstance(a.sustained_use, SustainedUse)
    assert a.gap is None or isinstance(a.gap, Gap)
    estimated = [r for r in a.outcomes if r.effect is not None]
    assert estimated
    for r in estimated:
        assert isinstance(r.detail, detail)
