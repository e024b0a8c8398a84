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

Every output is written to a temporary file in the target folder and renamed into place,
so a failed build leaves no partial PDF, HTML or results file behind.  Beside the report,
``results.csv`` and ``results.json`` hold every number with its interval and method.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ImpactkitError, ReportError
from ..initiative import Initiative
from ..initiative import load as load_initiative

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
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes files private; reports are shared
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


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
            # the kernel's start-up notices (e.g. about local TCP transport) are not for users
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
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
    """Print ``html`` to a PDF at ``target`` with WeasyPrint (written atomically)."""
    import weasyprint

    with atomic_path(target) as tmp:
        weasyprint.HTML(string=html, base_url=str(base_url or target.parent)).write_pdf(str(tmp))


def _write_text(target: Path, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


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

    from ..analysis import analyse

    if format not in FORMATS:
        raise ReportError(f"format must be one of {', '.join(FORMATS)}, got {format!r}")
    if paper not in PAPER_SIZES:
        raise ReportError(f"paper must be one of {', '.join(PAPER_SIZES)}, got {paper!r}")

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
        target = _target(init, out, format)
        bar.update()

        stage(STAGES[1])
        analysis = analyse(init)
        bar.update()

        stage(STAGES[2])
        with tempfile.TemporaryDirectory(prefix="impactkit-") as work:
            executed = Path(work) / "report.ipynb"
            execute_notebook(
                notebook_template(),
                executed,
                {"initiative": str(init.path), "paper": paper},
                kernel_name,
            )
            bar.update()

            stage(STAGES[3])
            html = render_html(executed, paper)
            bar.update()

            stage(STAGES[4])
            result = _write_outputs(
                analysis, html, target, format, executed if keep_notebook else None
            )
            bar.update()
    except ImpactkitError:
        raise
    except Exception as exc:  # a tool failed in a way we did not foresee: say which stage
        raise ReportError(f"building the report failed: {type(exc).__name__}: {exc}") from exc
    finally:
        bar.close()
    return result


def _target(init: Initiative, out: str | Path | None, format: str) -> Path:
    """The report's path: ``out`` or ``reports/<slug>.<format>``; its extension must fit."""
    target = Path(out) if out is not None else Path("reports") / f"{init.slug}.{format}"
    target = target.resolve()
    if (
        target.suffix.lower() in (".pdf", ".html", ".htm", ".docx")
        and target.suffix.lower()[1:4] != format[:3]
    ):
        raise ReportError(
            f"the output {target.name} does not match --format {format}; "
            f"name it {target.stem}.{format} or choose the format of its extension"
        )
    return target


def _write_outputs(
    analysis: ImpactAnalysis, html: str, target: Path, format: str, executed: Path | None
) -> BuildResult:
    """Write the report, ``<stem>.results.csv`` / ``.results.json`` and, given ``executed``,
    the executed notebook as ``<stem>.ipynb`` (each atomically)."""
    stem = target.with_suffix("")
    results_csv = stem.with_name(stem.name + ".results.csv")
    results_json = stem.with_name(stem.name + ".results.json")
    csv_text = analysis.results_frame().to_csv(index=False, lineterminator="\n")
    json_text = analysis.results_json(report_file=target)
    if format == "pdf":
        html_to_pdf(html, target, base_url=analysis.initiative.folder)
    elif format == "docx":
        from .docx import html_to_docx

        html_to_docx(html, target)
    else:
        _write_text(target, html)
    _write_text(results_csv, csv_text)
    _write_text(results_json, json_text)
    kept = None
    if executed is not None:
        kept = stem.with_name(stem.name + ".ipynb")
        _write_text(kept, executed.read_text(encoding="utf-8"))
    return BuildResult(target, results_csv, results_json, kept)
