"""Fixtures for the real-browser tests: a private JupyterLab server and a headless Chromium.

Without a Chromium or without Playwright the tests are skipped with the reason shown by ``-rs``,
unless ``REQUIRE_BROWSER=1`` is set (CI sets it): then they fail. The server is stopped by its
process id when the browser tests are done, whether the tests passed or not. A failing test leaves a
screenshot of its page in ``test-artifacts/`` at the repository root.
"""

from __future__ import annotations

import os
import re

import pytest

from .driver import (
    CHROMIUM_ARGS,
    REPO_ROOT,
    LabPage,
    browser_missing_reason,
    find_chromium,
    launch_server,
    new_context,
    require_message,
    skip_message,
    stop_server,
)

ARTIFACTS = REPO_ROOT / "test-artifacts"
LAB_PAGE = pytest.StashKey()


@pytest.fixture(scope="package")
def chromium_path() -> str:
    """The Chromium to drive; skips the test, or fails it when REQUIRE_BROWSER=1, if none."""
    reason = browser_missing_reason()
    if reason is not None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(require_message(reason), pytrace=False)
        pytest.skip(skip_message(reason))
    return find_chromium()


@pytest.fixture(scope="package")
def lab_server(tmp_path_factory, chromium_path):
    """A JupyterLab server for the browser tests, always stopped at the end (by process id,
    with its process group, and the kernels it started).

    It is launched here and waited for in ``lab``, so that Chromium starts in the meantime.
    """
    server = launch_server(tmp_path_factory.mktemp("jupyterlab"))
    try:
        yield server
    finally:
        stop_server(server.proc)


@pytest.fixture(scope="package")
def browser(chromium_path):
    """One headless Chromium for the browser tests (closed before other tests start one)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="package")
def lab(request, lab_server, browser):
    """JupyterLab loaded once in a page of its own (only 127.0.0.1 is reachable from it)."""
    try:
        lab_server.wait_until_up()
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    context = new_context(browser)
    try:
        page = LabPage(context, lab_server)
        request.config.stash[LAB_PAGE] = page.page  # for screenshots of failed set-ups
        yield page
    finally:
        request.config.stash[LAB_PAGE] = None
        context.close()


# --------------------------------------------------------------------------------------------
# Screenshots of failing tests


def _page_of(item):
    """The Playwright page a test used: found among its fixtures (a page or an object with
    one), else JupyterLab's page when a fixture failed before handing its notebook over."""
    for value in getattr(item, "funcargs", {}).values():
        page = getattr(value, "page", value)
        if hasattr(page, "screenshot") and hasattr(page, "is_closed"):
            return page
    return item.config.stash.get(LAB_PAGE, None)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Save a screenshot of the page of a test that failed (or whose set-up failed)."""
    report = yield
    if report.failed and report.when in ("call", "setup"):
        page = _page_of(item)
        if page is not None and not page.is_closed():
            ARTIFACTS.mkdir(exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid.split("::", 1)[-1])
            path = ARTIFACTS / f"{name}.png"
            try:
                page.screenshot(path=str(path), full_page=True, timeout=10_000)
                report.sections.append(("screenshot", str(path)))
            except Exception as exc:  # a screenshot must never hide the real failure
                report.sections.append(("screenshot", f"could not take one: {exc}"))
    return report
