"""A learner's first start of JupyterLab: the first screen is the course, with no question on it.

On its first start JupyterLab 4 asks "Would you like to get notified about official Jupyter
news?" in a notification that stays until answered. The course answers ahead: the Makefile
installs tools/jupyterlab/overrides.json into the JupyterLab of .venv
(``share/jupyter/lab/settings/overrides.json``), which makes ``fetchNews: "false"`` the default.

Here a JupyterLab with no user settings at all (what a first ``make lab`` starts) is opened in
Chromium, and no notification may appear. A control test then puts the question back (a user
setting of ``"none"``, JupyterLab's "ask") and checks that the same page does show it, so the
first test cannot pass only because it looks in the wrong place.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import urllib.request
from types import SimpleNamespace

import pytest

from .driver import (
    REPO_ROOT,
    launch_first_start_server,
    new_context,
    open_page,
    stop_server,
    user_settings_file,
)

NEWS_PLUGIN = "@jupyterlab/apputils-extension:notification"
NEWS_QUESTION = re.compile("notified about official Jupyter news")
SHIPPED = "tools/jupyterlab/overrides.json"
INSTALLED = ".venv/share/jupyter/lab/settings/overrides.json"
# The plugin that asks reads this config section last before it decides to ask (or not); once
# the page has it and the app is restored, the question would show within a few milliseconds.
ASKER_CONFIG = "/api/config/jupyterlabapputilsextensionannouncements"
QUIET_FOR_MS = 2_000  # how long the first screen must then stay free of notifications
TOAST = ".Toastify__toast"


@pytest.fixture(scope="module")
def first_start(tmp_path_factory, chromium_path):
    """A JupyterLab server with no user settings, as on a learner's first start."""
    server = launch_first_start_server(tmp_path_factory.mktemp("first-start"))
    try:
        try:
            server.wait_until_up()
        except RuntimeError as exc:
            pytest.fail(str(exc), pytrace=False)
        yield server
    finally:
        stop_server(server.proc)


@pytest.fixture
def tab(browser):
    """A fresh page (only 127.0.0.1 reachable) as ``tab.page``, and the JavaScript errors it
    logs as ``tab.errors`` (a failing test leaves a screenshot of ``tab.page``)."""
    context = new_context(browser)
    try:
        page, errors = open_page(context)
        yield SimpleNamespace(page=page, errors=errors)
    finally:
        context.close()


def _open_lab(page, server):
    """Load JupyterLab and wait until its launcher shows and the asking plugin has its data."""
    with page.expect_response(lambda response: ASKER_CONFIG in response.url, timeout=60_000):
        page.goto(f"{server.url}/lab?reset", wait_until="domcontentloaded")
        page.locator(".jp-Launcher").first.wait_for(timeout=60_000)


def test_make_installs_the_shipped_jupyterlab_settings():
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    for target in ("lab", ".venv/.installed-test"):
        run = subprocess.run(
            ["make", "-n", "-W", SHIPPED, target], cwd=REPO_ROOT, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stderr
        assert f"cp {SHIPPED} {INSTALLED}" in run.stdout.splitlines(), (target, run.stdout)


def test_first_start_has_the_news_question_answered(first_start):
    url = f"{first_start.url}/lab/api/settings/{NEWS_PLUGIN}"
    with urllib.request.urlopen(url, timeout=10) as response:
        settings = json.loads(response.read().decode())
    shipped = json.loads((REPO_ROOT / SHIPPED).read_text())[NEWS_PLUGIN]
    assert json.loads(settings["raw"] or "{}") == {}, "the server should have no user settings"
    # The installed overrides become the schema's defaults, which the page then uses.
    default = settings["schema"]["properties"]["fetchNews"]["default"]
    assert default == shipped["fetchNews"] == "false", (
        f"JupyterLab's default for fetchNews is {default!r}: the course's settings are not "
        f"installed in this environment ({INSTALLED}); `make lab` and `make test` copy them "
        f"from {SHIPPED}"
    )


def test_first_screen_shows_no_notification(first_start, tab):
    _open_lab(tab.page, first_start)
    tab.page.wait_for_timeout(QUIET_FOR_MS)
    shown = tab.page.locator(TOAST).all_text_contents()
    assert not shown, f"notifications on the first screen: {shown}"
    assert tab.page.get_by_text(NEWS_QUESTION).count() == 0
    tab.errors.assert_none()


def test_the_question_would_be_seen_if_it_were_not_answered(first_start, tab):
    asked = user_settings_file(first_start, NEWS_PLUGIN)
    asked.parent.mkdir(parents=True, exist_ok=True)
    asked.write_text(json.dumps({"fetchNews": "none"}))
    try:
        _open_lab(tab.page, first_start)
        tab.page.locator(TOAST).filter(has_text=NEWS_QUESTION).wait_for(timeout=QUIET_FOR_MS)
    finally:
        asked.unlink()
