"""The packaged report template is a real file, and the copy in notebooks/ is the same file."""

from __future__ import annotations

from pathlib import Path

from impactkit.report import notebook_template

ROOT = Path(__file__).resolve().parents[2]


def test_packaged_template_is_a_real_file() -> None:
    path = notebook_template()
    assert path.is_file()
    assert not path.is_symlink(), "the packaged template must not point into notebooks/"


def test_notebooks_copy_is_identical_to_the_packaged_template() -> None:
    packaged = notebook_template().read_bytes()
    copy = (ROOT / "notebooks" / "impact_report.ipynb").read_bytes()
    assert copy == packaged, (
        "notebooks/impact_report.ipynb differs from impactkit/report/templates/impact_report.ipynb "
        "(the source); copy the packaged template over it"
    )
