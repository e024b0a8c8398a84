"""The hostile-input corpus through the command line (in-process): see ``_corpus``."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

import impactkit.analysis as analysis_module
import impactkit.cli as cli
import impactkit.report as report
from impactkit.errors import ImpactkitError

from . import cases_config, cases_data, cases_text
from ._corpus import Case, fake_execute, fake_render, prepare, remembering, snapshot

CASES: list[Case] = [
    *cases_config.STRUCTURE,
    *cases_config.NUMBERS,
    *cases_config.YAML,
    *cases_config.PATHS,
    *cases_data.DATA,
    *cases_data.ITS_CASES,
    *cases_data.DID_CASES,
    *cases_data.EXPRESSIONS,
    *cases_text.TEXT,
]


def test_the_corpus_is_large_and_ids_are_unique() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 150


def _temporary_leftovers() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).iterdir()}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_case(
    case: Case,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    initiative, extra = prepare(case, tmp_path)
    if extra[:1] == ["--initiative"]:
        initiative, extra = initiative.parent / extra[1], extra[2:]
    out_dir = tmp_path / "out"
    out = out_dir / f"report.{case.format}"
    if "--out" not in extra:
        extra += ["--out", str(out)]
    before = snapshot(initiative.parent)
    own_tmp = tmp_path / "tmp"
    own_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(own_tmp))
    temporary = _temporary_leftovers()
    monkeypatch.setattr(report, "execute_notebook", fake_execute)
    monkeypatch.setattr(report, "render_html", fake_render)
    monkeypatch.setattr(analysis_module, "analyse", remembering(analysis_module.analyse))
    raised: list[ImpactkitError] = []
    real_fail = cli._fail

    def spy(exc: ImpactkitError) -> int:
        raised.append(exc)
        return real_fail(exc)

    monkeypatch.setattr(cli, "_fail", spy)
    argv = ["report", str(initiative), "--quiet", "--format", case.format, *extra]
    status = cli.main(argv)
    err = capsys.readouterr().err

    assert "Traceback" not in err, err
    assert status == case.exit_status, err[-2000:]
    assert snapshot(initiative.parent) == before, "an input was changed"
    assert _temporary_leftovers() <= temporary, "a temporary folder was left"
    leftovers = [p.name for p in out_dir.iterdir()] if out_dir.exists() else []
    if case.error is not None:
        assert raised, err
        exc = raised[0]
        assert isinstance(exc, case.error), f"{type(exc).__name__}: {exc}"
        message = str(exc)
        assert len(message) < 2500, f"message of {len(message)} characters"
        for word in case.words:
            assert word.lower() in message.lower(), f"{word!r} not in: {message[:1500]}"
        assert leftovers == [], leftovers
        return
    assert not raised, raised
    assert sorted(leftovers) == sorted([out.name, "report.results.csv", "report.results.json"]), (
        leftovers
    )
    html = out.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html
    for text in case.absent:
        assert text not in html, f"{text!r} reached the HTML unescaped"
    if case.check is not None:
        case.check(initiative.parent, out)
