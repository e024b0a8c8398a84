"""The portfolio page in a real browser: headless Chromium (Debian ``chromium``) via Playwright.

Opened from a file:// URL with every network request recorded: the page must make none, log
no console error, and each filter and the search must change the visible rows and map marks.
Skipped with a message when Playwright or a Chromium binary is missing
(``sh scripts/check_browser.sh`` installs Chromium as root on Debian).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from impactkit.portfolio import build_portfolio

CHROMIUM = (
    os.environ.get("IMPACTKIT_CHROMIUM")
    or shutil.which("chromium")
    or shutil.which("chromium-browser")
)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed (pip install playwright)"
    )
    if CHROMIUM is None:
        pytest.skip(
            "no Chromium binary: run `sh scripts/check_browser.sh` as root (Debian) or set IMPACTKIT_CHROMIUM"
        )
    with sync_api.sync_playwright() as p:
        try:
            instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        except Exception as exc:  # noqa: BLE001 - any launch failure means "no usable browser"
            pytest.skip(f"Chromium at {CHROMIUM} does not start headless: {exc}")
        yield instance
        instance.close()


@pytest.fixture()
def page(browser: Any, portfolio_results: dict[str, Path], tmp_path: Path) -> Iterator[Any]:
    out = tmp_path / "portfolio.html"
    build_portfolio(list(portfolio_results.values()), out_html=out)
    context = browser.new_context()
    pg = context.new_page()
    pg.errors: list[str] = []  # type: ignore[misc]
    pg.requests: list[str] = []  # type: ignore[misc]
    pg.on("console", lambda m: m.type == "error" and pg.errors.append(m.text))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.goto(out.as_uri())
    pg.wait_for_load_state("load")
    yield pg
    screenshot = os.environ.get("IMPACTKIT_SCREENSHOT")
    if screenshot:
        pg.screenshot(path=screenshot, full_page=True)
    context.close()


def _visible(pg: Any) -> tuple[int, int]:
    rows = pg.locator("#initiatives tbody tr:not([hidden])").count()
    marks = pg.evaluate(
        "[...document.querySelectorAll('.mark')].filter(m => !m.classList.contains('off')).length"
    )
    return rows, marks


def test_opens_offline_without_errors(page: Any) -> None:
    assert page.errors == []
    assert page.requests == [page.url], f"the page loaded more than itself: {page.requests}"
    assert _visible(page) == (3, 2 + 2 + 1)  # water: 2 districts; cookstoves: 2 points; tutoring: 1
    assert "3 of 3 initiatives shown" in page.inner_text("#count")


@pytest.mark.parametrize(
    ("filter_id", "value", "rows", "marks"),
    [
        ("geo", "North", 1, 2),
        ("impact", "SDG 4", 1, 1),
        ("asset", "loan", 1, 2),
        ("sector", "water and sanitation", 1, 2),
        ("evidence", "before-after", 1, 2),
        ("verdict", "improved", 3, 5),
    ],
)
def test_each_filter_changes_rows_and_marks(
    page: Any, filter_id: str, value: str, rows: int, marks: int
) -> None:
    before = _visible(page)
    page.select_option(f"#filter-{filter_id}", value)
    assert _visible(page) == (rows, marks)
    if filter_id != "verdict":
        assert _visible(page) != before
    page.select_option(f"#filter-{filter_id}", "")
    assert _visible(page) == before
    assert page.errors == []


def test_filters_combine(page: Any) -> None:
    page.select_option("#filter-verdict", "improved")
    page.select_option("#filter-geo", "South")
    assert _visible(page) == (2, 3)
    page.select_option("#filter-sector", "education")
    assert _visible(page) == (1, 1)


def test_search_finds_an_initiative_by_name(page: Any) -> None:
    page.fill("#search", "cleaner kitch")
    assert _visible(page) == (1, 2)
    assert "Cleaner Kitchens" in page.inner_text("#initiatives tbody tr:not([hidden])")
    page.fill("#search", "no such initiative")
    assert _visible(page) == (0, 0)
    page.fill("#search", "")
    assert _visible(page) == (3, 5)


def test_table_and_map_are_linked(page: Any) -> None:
    page.click("#initiatives tbody tr[data-initiative='2'] td:nth-child(2)")
    assert page.locator(".mark.selected").count() == 1
    page.locator(".mark[data-initiative='0']").first.click()
    assert page.get_attribute("#initiatives tbody tr[data-initiative='0']", "class") == "selected"
    link = page.get_attribute("#initiatives tbody tr[data-initiative='0'] a", "href")
    assert link is not None and link.endswith("water_filter.pdf") and "://" not in link
    assert page.errors == [] and page.requests == [page.url]
