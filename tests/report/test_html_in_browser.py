"""The HTML report in headless Chromium: rows shown before and after filtering, sorting by score.

Uses Debian's ``chromium`` driven by Playwright (never a downloaded browser). Without them the
test is skipped, except in CI (``CI=true``), which installs both.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.report.helpers import write_html

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed (pip install -e '.[test]')")
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        missing(f"{CHROMIUM} is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def visible_ids(page) -> list[str]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.row[data-i]'))
              .filter(row => getComputedStyle(row).display !== 'none')
              .map(row => row.querySelector('.sid').textContent)"""
    )


def test_filter_sort_and_screenshot(browser, tmp_path: Path) -> None:
    report = write_html(tmp_path)  # 3 ok, 2 review, 1 literal
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(report.as_uri())

    assert visible_ids(page) == ["s1", "s2", "s3", "s4", "s5", "s6"]
    assert page.locator("#shown").text_content() == "showing 6 of 6 segments"

    page.get_by_role("checkbox", name="ok").uncheck()
    page.get_by_role("checkbox", name="review").uncheck()
    assert visible_ids(page) == ["s6"]
    assert page.locator("#shown").text_content() == "showing 1 of 6 segments"
    page.screenshot(path=str(tmp_path / "literal-only.png"), full_page=True)

    page.get_by_role("checkbox", name="review").check()
    assert visible_ids(page) == ["s4", "s5", "s6"]
    page.get_by_role("checkbox", name="ok").check()

    page.select_option("#sort", "asc")
    assert visible_ids(page) == ["s6", "s5", "s4", "s2", "s3", "s1"]
    page.select_option("#sort", "desc")
    assert visible_ids(page) == ["s1", "s3", "s2", "s4", "s5", "s6"]
    page.select_option("#sort", "asc")
    page.select_option("#sort", "order")
    assert visible_ids(page) == ["s1", "s2", "s3", "s4", "s5", "s6"]

    title = page.locator(".row[data-i]").nth(3).locator("mark").first.get_attribute("title")
    assert "Generic 'you'" in title
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert (tmp_path / "report.png").stat().st_size > 10_000
    assert errors == []
    assert requests == [report.as_uri()]
    page.close()
