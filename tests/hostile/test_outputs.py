"""All-or-nothing outputs: failures, full disks, signals and killed builds leave the previous
set intact and nothing new; ``--all`` builds what it can; formulas are escaped in CSV."""

from __future__ import annotations

import csv
import errno
import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import impactkit.analysis as analysis_module
import impactkit.cli as cli
import impactkit.report as report
from impactkit.report import _fetch, _outputs
from impactkit.report._csv_safe import escape_cell, spreadsheet_safe

from ._base import make_initiative
from ._corpus import fake_execute, fake_render, remembering

OLD = {"report.html": "old report", "report.results.csv": "old csv", "report.results.json": "{}"}


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    """The notebook stage rendered in-process (see ``_corpus``)."""
    monkeypatch.setattr(report, "execute_notebook", fake_execute)
    monkeypatch.setattr(report, "render_html", fake_render)
    monkeypatch.setattr(analysis_module, "analyse", remembering(analysis_module.analyse))


def _previous_set(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, text in OLD.items():
        (out / name).write_text(text)


def _assert_previous_set(out: Path) -> None:
    assert sorted(p.name for p in out.iterdir()) == sorted(OLD)
    for name, text in OLD.items():
        assert (out / name).read_text() == text


def _run(initiative: Path, out: Path, *extra: str) -> int:
    return cli.main(
        [
            "report",
            str(initiative),
            "--out",
            str(out / "report.html"),
            "--format",
            "html",
            "--quiet",
            *extra,
        ]
    )


def _fail_on(monkeypatch: pytest.MonkeyPatch, suffix: str, action: object) -> None:
    real = _outputs.OutputSet.write_text

    def write_text(self: _outputs.OutputSet, target: Path, text: str) -> None:
        if target.name.endswith(suffix):
            with self.writing(target) as tmp:
                tmp.write_text(text[: len(text) // 2])  # half written, then...
                action()  # type: ignore[operator]
        real(self, target, text)

    monkeypatch.setattr(_outputs.OutputSet, "write_text", write_text)


def _enospc() -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("suffix", ["report.html", ".results.csv", ".results.json"])
def test_full_disk_names_the_file_and_keeps_the_previous_set(
    suffix: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fast: None, capsys
) -> None:
    initiative = make_initiative(tmp_path / "init", "did")
    out = tmp_path / "out"
    _previous_set(out)
    _fail_on(monkeypatch, suffix, _enospc)
    assert _run(initiative, out) == 2
    err = capsys.readouterr().err
    assert "No space left on device" in err and suffix in err and "Traceback" not in err
    _assert_previous_set(out)


def test_full_disk_while_printing_the_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fast: None, capsys
) -> None:
    def print_pdf(html: str, path: Path) -> None:
        path.write_bytes(b"%PDF-1.7 half")
        _enospc()

    monkeypatch.setattr(report, "_print_pdf", print_pdf)
    initiative = make_initiative(tmp_path / "init", "did")
    out = tmp_path / "out"
    status = cli.main(["report", str(initiative), "--out", str(out / "r.pdf"), "--quiet"])
    assert status == 2
    assert "r.pdf" in capsys.readouterr().err
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_while_writing_leaves_the_previous_set(
    signum: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fast: None, capsys
) -> None:
    initiative = make_initiative(tmp_path / "init", "did")
    out = tmp_path / "out"
    _previous_set(out)
    _fail_on(monkeypatch, ".results.json", lambda: os.kill(os.getpid(), signum))
    assert _run(initiative, out) == 128 + signum
    assert "interrupted" in capsys.readouterr().err
    _assert_previous_set(out)


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_leftovers_of_a_killed_build_are_removed(tmp_path: Path, fast: None) -> None:
    initiative = make_initiative(tmp_path / "init", "did")
    out = tmp_path / "out"
    out.mkdir()
    pid = _dead_pid()
    stale = [
        out / f".report.html.ik-{pid}-0123abcd.part",
        out / f".other.pdf.ik-{pid}-0123abcd.part",
    ]
    for p in stale:
        p.write_text("half")
    assert _run(initiative, out) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(OLD)


def test_a_journal_of_a_build_killed_while_renaming_is_rolled_forward(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _previous_set(out)
    pid = _dead_pid()
    token = f"{pid}-89abcdef"
    new = {name: f"new {name}" for name in OLD}
    pairs = []
    for name, text in new.items():
        part = out / f".{name}.ik-{token}.part"
        part.write_text(text)
        pairs.append([str(part), str(out / name)])
    os.replace(pairs[0][0], pairs[0][1])  # killed after the first rename
    (out / f".report.html.ik-{token}.commit").write_text(__import__("json").dumps(pairs))
    done = _outputs.recover(out)
    assert done
    assert sorted(p.name for p in out.iterdir()) == sorted(OLD)
    for name, text in new.items():
        assert (out / name).read_text() == text


def test_a_running_builds_temporary_files_are_left_alone(tmp_path: Path) -> None:
    part = tmp_path / f".r.pdf.ik-{os.getppid()}-0123abcd.part"
    part.write_text("in progress")
    _outputs.recover(tmp_path)
    assert part.exists()


def test_all_builds_what_it_can_and_lists_the_failures(tmp_path: Path, fast: None, capsys) -> None:
    root = tmp_path / "many"
    for name in ("a_good", "b_broken", "c_good"):
        make_initiative(root / name, "did")
    broken = root / "b_broken" / "initiative.yaml"
    broken.write_text(broken.read_text().replace("type: did", "type: magic"))
    out = tmp_path / "out"
    status = cli.main(
        ["report", "--all", str(root), "--out-dir", str(out), "--format", "html", "--quiet"]
    )
    err = capsys.readouterr().err
    assert status == 2
    assert "1 of 3 reports failed" in err and "b_broken" in err and "design.type" in err
    names = sorted(p.name for p in out.iterdir())
    assert "a_good.html" in names and "c_good.html" in names
    assert not any(n.startswith("b_broken") for n in names)


def test_all_refuses_colliding_output_names_before_building(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    root = tmp_path / "many"
    make_initiative(root / "x")
    make_initiative(root / "region" / "x")
    built: list[object] = []
    monkeypatch.setattr(report, "build", lambda *a, **k: built.append(a))
    out = tmp_path / "out"
    status = cli.main(["report", "--all", str(root), "--out-dir", str(out), "--quiet"])
    assert status == 2
    assert "x.pdf" in capsys.readouterr().err
    assert built == [] and not out.exists()


# ------------------------------------------------------------------ CSV formula escaping


def test_formula_cells_are_escaped_and_read_back_as_text() -> None:
    frame = pd.DataFrame(
        {
            "item": ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", "plain", "-3", "-0.5e-3"],
            "value": [-1.5, 2.0, -3.0, 4.0, 5.0, 6.0, 7.0, -8.0, 9.0],
        }
    )
    text = spreadsheet_safe(frame).to_csv(index=False, lineterminator="\n")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    items = [r["item"] for r in rows]
    assert items[:6] == ["'=1+1", "'+SUM(A1)", "'-2+3", "'@cmd", "'\tx", "'\nx"]
    assert items[6:] == ["plain", "-3", "-0.5e-3"]  # numbers written as text stay numbers
    back = pd.read_csv(io.StringIO(text))
    assert back["value"].tolist() == frame["value"].tolist()  # negative numbers are numbers
    assert pd.api.types.is_float_dtype(back["value"])
    assert frame["item"][0] == "=1+1"  # the input is not changed


@pytest.mark.parametrize("value", [None, 3, -2.5, float("nan"), "", "a=b", "'quoted"])
def test_harmless_cells_are_left_alone(value: object) -> None:
    assert escape_cell(value) is value


# ------------------------------------------------------------------ fetcher and CSP


@pytest.mark.parametrize(
    "url, ok",
    [
        ("data:image/png;base64,iVBORw0KGgo=", True),
        ("file:///etc/passwd", False),
        ("file://localhost/etc/passwd", False),
        ("http://127.0.0.1/x.png", False),
        ("https://example.org/x.css", False),
        ("ftp://example.org/x", False),
        ("file:///proc/self/environ", False),
        (
            (_fetch.templates_folder() / "nbconvert" / "impactkit_report" / "report.css").as_uri(),
            True,
        ),
        ((_fetch.templates_folder() / ".." / "__init__.py").as_uri(), False),
    ],
)
def test_the_printer_loads_only_data_urls_and_templates(url: str, ok: bool) -> None:
    assert _fetch.allowed(url) is ok


def test_a_local_image_is_not_printed(tmp_path: Path) -> None:
    from PIL import Image

    image = tmp_path / "secret.png"
    Image.new("RGB", (40, 40), "red").save(image)
    html = f"<html><body><p>x</p><img src='{image.as_uri()}'><img src='{image}'></body></html>"
    target = tmp_path / "x.pdf"
    report._print_pdf(_fetch.with_csp(html), target)
    assert b"/Image" not in target.read_bytes()


def test_the_csp_forbids_scripts_and_remote_loads() -> None:
    html = _fetch.with_csp("<html><head><title>t</title></head><body></body></html>")
    head = html[: html.index("</head>")]
    assert "Content-Security-Policy" in head
    assert "default-src 'none'" in head and "script-src 'none'" in head
