"""Build a PDF (or HTML) impact report from an initiative file.

The pipeline has four stages, each done by a well-kept tool:

1. **analyse** — :func:`impactkit.analysis.analyse` reads and checks the initiative's data
   and computes every number (this also fails fast on bad data, before a kernel starts);
2. **execute** — papermill runs ``impact_report.ipynb`` with the initiative as its only
   parameter;
3. **convert** — nbconvert turns the executed notebook into HTML with impactkit's own
   template (outputs only: no code, no prompts, no warnings);
4. **print** — WeasyPrint lays the HTML out on A4 or Letter pages with the print stylesheet
   ``templates/nbconvert/impactkit_report/report.css``.

Every output is written to a temporary file in the target folder and the set is renamed into
place together only when all of them are complete (see :mod:`impactkit.report._outputs`), so
a failed or interrupted build leaves no partial PDF, HTML or results file behind and the
previous set intact.  Beside the report,
``results.csv`` and ``results.json`` hold every number with its interval and method.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ImpactkitError, OutputError, ReportError
from ..initiative import Initiative
from ..initiative import load as load_initiative
from . import _fetch
from ._csv_safe import spreadsheet_safe
from ._outputs import OutputSet, recover

if TYPE_CHECKING:
    from ..analysis import ImpactAnalysis

__all__ = ["build", "BuildResult", "PAPER_SIZES", "notebook_template", "render_html", "html_to_pdf"]

PAPER_SIZES = {"a4": "A4", "letter": "letter"}
FORMATS = ("pdf", "html", "docx")
#: Cells with this tag (set-up code, notes for notebook users) are left out of the report.
NOTEBOOK_ONLY_TAG = "notebook-only"
STAGES = (
    "read initiative",
    "analyse data",
    "run report notebook",
    "convert to HTML",
    "write output",
)


@dataclass(frozen=True)
class BuildResult:
    """Where :func:`build` wrote its files."""

    report: Path
    results_csv: Path
    results_json: Path
    notebook: Path | None = None

    def __repr__(self) -> str:
        return f"BuildResult(report={str(self.report)!r})"


def _templates() -> Path:
    return Path(str(resources.files("impactkit.report") / "templates"))


def notebook_template() -> Path:
    """Path of the report notebook that :func:`build` executes (``impact_report.ipynb``)."""
    return _templates() / "impact_report.ipynb"


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` on success.

    On any exception the temporary file is removed and ``target`` is left untouched.
    """
    outputs = OutputSet([target])
    try:
        with outputs.writing(target) as tmp:
            yield tmp
        outputs.commit()
    finally:
        outputs.discard()


def execute_notebook(
    notebook: Path, output: Path, parameters: dict[str, Any], kernel_name: str | None = None
) -> None:
    """Execute ``notebook`` with papermill, writing the executed copy to ``output``.

    Raises
    ------
    ReportError
        Naming the failing cell's error, if any cell raises.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    try:
        pm.execute_notebook(
            str(notebook),
            str(output),
            parameters=parameters,
            kernel_name=kernel_name or "python3",
            progress_bar=False,
            log_output=False,
            cwd=str(notebook.parent),
            # the kernel's own log is not for users: its start-up notices (local TCP
            # transport), and the traceback it logs when the build is interrupted (SIGINT /
            # SIGTERM) mid-cell and its sockets close under a reply (ZMQError). A failing
            # cell is reported below, a dead kernel by nbclient (DeadKernelError).
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
        )
    except PapermillExecutionError as exc:
        raise ReportError(
            f"the report notebook failed at cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
        ) from None


def render_html(executed_notebook: Path, paper: str = "a4") -> str:
    """Convert an executed notebook to report HTML (outputs only) with impactkit's template.

    Cells tagged ``notebook-only`` are dropped; so are code, prompts and stderr.
    """
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    nb = nbformat.read(str(executed_notebook), as_version=4)
    exporter = HTMLExporter(
        template_name="impactkit_report",
        extra_template_basedirs=[str(_templates() / "nbconvert")],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={NOTEBOOK_ONLY_TAG}, enabled=True), enabled=True
    )
    body, _ = exporter.from_notebook_node(nb, resources={"impactkit_paper": PAPER_SIZES[paper]})
    return str(body)


def html_to_pdf(html: str, target: Path, base_url: Path | None = None) -> None:
    """Print ``html`` to a PDF at ``target`` with WeasyPrint (written atomically).

    WeasyPrint loads only ``data:`` URLs and the package's template files
    (:func:`impactkit.report._fetch.url_fetcher`); ``base_url`` is kept for compatibility.
    """
    with atomic_path(target) as tmp:
        _print_pdf(html, tmp)


def _print_pdf(html: str, path: Path) -> None:
    import weasyprint

    document = weasyprint.HTML(
        string=html,
        base_url=str(_fetch.templates_folder()),
        url_fetcher=_fetch.url_fetcher(),
    )
    document.write_pdf(str(path))


def build(
    initiative: str | Path | Initiative,
    *,
    out: str | Path | None = None,
    format: str = "pdf",
    paper: str = "a4",
    keep_notebook: bool = False,
    progress: bool | Callable[[str], None] = False,
    kernel_name: str | None = None,
) -> BuildResult:
    """Build the impact report of one initiative.

    Parameters
    ----------
    initiative
        Path of an ``initiative.yaml`` (or an already loaded :class:`~impactkit.initiative.Initiative`).
    out
        Output file; default ``reports/<initiative folder name>.<format>`` under the current
        directory.  ``results.csv`` and ``results.json`` are written beside it, named
        ``<stem>.results.csv`` / ``<stem>.results.json``.
    format
        ``"pdf"`` (default), ``"html"`` or ``"docx"`` (a Word document with the same
        sections, real tables and the charts as pictures; see :mod:`impactkit.report.docx`).
    paper
        ``"a4"`` (default) or ``"letter"``.
    keep_notebook
        Also keep the executed notebook beside the report (``<stem>.ipynb``), for auditing.
    progress
        ``True`` shows a progress bar per stage on stderr; a callable receives each stage's name.
    kernel_name
        Jupyter kernel to run the notebook in (default ``python3``, the running interpreter).

    Returns
    -------
    BuildResult
        The paths written.

    Raises
    ------
    ConfigError, DataError
        For a bad initiative file or data (nothing is written).
    ReportError
        If the notebook, the conversion or the printing fails (nothing is written).
    """
    from tqdm.auto import tqdm

    _check_options(format, paper)
    bar = tqdm(
        total=len(STAGES), desc="impactkit report", disable=progress is not True, unit="stage"
    )

    def stage(name: str) -> None:
        bar.set_postfix_str(name)
        if callable(progress):
            progress(name)

    try:
        stage(STAGES[0])
        init = initiative if isinstance(initiative, Initiative) else load_initiative(initiative)
        outputs = output_paths(init, out, format, keep_notebook)
        bar.update()
        return _run_stages(init, outputs, format, paper, kernel_name, stage, bar.update)
    except ImpactkitError:
        raise
    except Exception as exc:  # a tool failed in a way we did not foresee: say which stage
        raise ReportError(f"building the report failed: {type(exc).__name__}: {exc}") from exc
    finally:
        bar.close()


def _check_options(format: str, paper: str) -> None:
    if format not in FORMATS:
        raise ReportError(f"format must be one of {', '.join(FORMATS)}, got {format!r}")
    if paper not in PAPER_SIZES:
        raise ReportError(f"paper must be one of {', '.join(PAPER_SIZES)}, got {paper!r}")


def _run_stages(
    init: Initiative,
    outputs: BuildResult,
    format: str,
    paper: str,
    kernel_name: str | None,
    stage: Callable[[str], None],
    done: Callable[[], object],
) -> BuildResult:
    """Analyse, execute, convert and write; every temporary file is gone when this returns."""
    from ..analysis import analyse

    stage(STAGES[1])
    analysis = analyse(init)
    done()
    stage(STAGES[2])
    with tempfile.TemporaryDirectory(prefix="impactkit-") as work:
        executed = Path(work) / "report.ipynb"
        execute_notebook(
            notebook_template(),
            executed,
            {"initiative": str(init.path), "paper": paper},
            kernel_name,
        )
        done()
        stage(STAGES[3])
        html = _fetch.with_csp(render_html(executed, paper))
        done()
        stage(STAGES[4])
        _write_outputs(analysis, html, outputs, format, executed)
        done()
    return outputs


def output_paths(
    init: Initiative, out: str | Path | None, format: str, keep_notebook: bool = False
) -> BuildResult:
    """Every path a build of ``init`` writes; refused when one of them is an input."""
    target = _target(init, out, format)
    stem = target.with_suffix("")
    result = BuildResult(
        target,
        stem.with_name(stem.name + ".results.csv"),
        stem.with_name(stem.name + ".results.json"),
        stem.with_name(stem.name + ".ipynb") if keep_notebook else None,
    )
    inputs = {_same_file_key(p): p for p in init.input_files()}
    for path in _paths(result):
        if path.is_dir():
            raise OutputError(f"the output {path} is a folder; give a file name")
        clash = inputs.get(_same_file_key(path))
        if clash is not None:
            raise OutputError(
                f"the output {path} is an input of the initiative ({clash.name}); "
                "choose another --out, nothing was written"
            )
    return result


def _paths(result: BuildResult) -> list[Path]:
    paths = [result.report, result.results_csv, result.results_json]
    return paths + ([result.notebook] if result.notebook is not None else [])


def _same_file_key(path: Path) -> tuple[object, ...]:
    """What identifies a file: device and inode when it exists (hard links, symlinks,
    case-insensitive names), else its resolved path."""
    try:
        st = path.stat()
        return (st.st_dev, st.st_ino)
    except (OSError, RuntimeError, ValueError):
        return (str(path.resolve()),)


def _target(init: Initiative, out: str | Path | None, format: str) -> Path:
    """The report's path: ``out`` or ``reports/<slug>.<format>``; its extension must fit."""
    target = Path(out) if out is not None else Path("reports") / f"{init.slug}.{format}"
    try:
        target = target.resolve()
    except (OSError, RuntimeError) as exc:
        raise OutputError(f"the output {target} cannot be resolved: {exc}") from None
    if (
        target.suffix.lower() in (".pdf", ".html", ".htm", ".docx")
        and target.suffix.lower()[1:4] != format[:3]
    ):
        raise OutputError(
            f"the output {target.name} does not match --format {format}; "
            f"name it {target.stem}.{format} or choose the format of its extension"
        )
    return target


def _write_outputs(
    analysis: ImpactAnalysis, html: str, result: BuildResult, format: str, executed: Path
) -> None:
    """Write the report, ``<stem>.results.csv`` / ``.results.json`` and, if asked, the
    executed notebook as ``<stem>.ipynb``: all staged, then renamed together."""
    recover(result.report.parent)  # what a killed build left here
    csv_text = spreadsheet_safe(analysis.results_frame()).to_csv(index=False, lineterminator="\n")
    json_text = analysis.results_json(report_file=result.report)
    outputs = OutputSet(_paths(result))
    try:
        if format == "pdf":
            with outputs.writing(result.report) as tmp:
                _print_pdf(html, tmp)
        elif format == "docx":
            from .docx import html_to_docx

            with outputs.writing(result.report) as tmp:
                html_to_docx(html, tmp)
        else:
            outputs.write_text(result.report, html)
        outputs.write_text(result.results_csv, csv_text)
        outputs.write_text(result.results_json, json_text)
        if result.notebook is not None:
            outputs.write_text(result.notebook, executed.read_text(encoding="utf-8"))
        outputs.commit()
    finally:
        outputs.discard()
