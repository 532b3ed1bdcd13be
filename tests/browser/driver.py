"""Drive JupyterLab in a real browser: start a private server, open a notebook, move widgets.

The server runs on 127.0.0.1 with a free port and no token, in a temporary root folder that holds
the notebooks under test (JupyterLab autosaves into them). Its configuration, data, runtime,
IPython and matplotlib folders are temporary too, so a test run leaves the home folder alone.

Chromium is Debian's (``apt-get install chromium``), driven by Playwright's Python package; the
browser Playwright can download is not used. Every request to a host other than 127.0.0.1 is
aborted, so nothing waits on the network.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO_ROOT / "notebooks"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NO_CHROMIUM = "no Chromium found; install with apt-get install chromium"
SERVER_START_TIMEOUT = 60.0  # seconds; a cold start takes about 3 s
KERNEL_IDLE = "(ipykernel) | Idle"

# A console error for a request this harness blocked on purpose (every host but 127.0.0.1) is
# not a bug of the page; Chromium reports those as "Failed to load resource: net::ERR_FAILED".
BLOCKED_REQUEST = "net::ERR_FAILED"


def find_chromium() -> str | None:
    """Return the path of a Chromium executable, or None when there is none."""
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


def browser_missing_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return f"playwright is not importable ({exc}); install it with pip install -e '.[test]'"
    if find_chromium() is None:
        return NO_CHROMIUM
    return None


def skip_message(reason: str) -> str:
    return f"browser tests skipped: {reason}"


def require_message(reason: str) -> str:
    return f"browser tests required (REQUIRE_BROWSER=1), but {reason}"


# --------------------------------------------------------------------------------------------
# The JupyterLab server


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get_json(url: str, timeout: float = 2.0):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read().decode())


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _descendants(pid: int) -> dict[int, bytes]:
    """Every descendant of ``pid`` (kernels run in a session of their own) with its command
    line, so that it can be told apart from a later process that reuses its id."""
    if not Path("/proc").is_dir():
        return {}
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may contain spaces: split after the last ")".
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = {}, [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found[child] = _cmdline(child)
            todo.append(child)
    return found


def stop_server(proc: subprocess.Popen) -> None:
    """Stop the server, its process group and the kernels it started, by process id: SIGTERM
    (the server then shuts its kernels down), SIGKILL after 10 s; never raises."""
    kernels = _descendants(proc.pid)
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)  # the server leads its own process group
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=10)
    # A clean shutdown has ended the kernels already; end any left over (same id, same command).
    for pid, cmdline in kernels.items():
        if cmdline and _cmdline(pid) == cmdline:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


@dataclass
class LabServer:
    """A JupyterLab process: the folder it serves, its log, and (once up) its base URL."""

    root: Path
    log: Path
    runtime_dir: Path
    proc: subprocess.Popen = field(repr=False)
    url: str = ""

    def wait_until_up(self, timeout: float = SERVER_START_TIMEOUT) -> str:
        """Wait until the server answers GET /api/status; return its base URL."""
        deadline = time.monotonic() + timeout
        info = self.runtime_dir / f"jpserver-{self.proc.pid}.json"
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"JupyterLab exited with code {self.proc.returncode}:\n{self.log_tail()}"
                )
            try:
                if not self.url and info.is_file():
                    self.url = f"http://127.0.0.1:{json.loads(info.read_text())['port']}"
                if self.url:
                    _get_json(f"{self.url}/api/status")
                    return self.url
            except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError, KeyError):
                pass  # not listening yet, or its file is half-written
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"JupyterLab did not answer within {timeout:.0f} s:\n{self.log_tail()}"
                )
            time.sleep(0.2)

    def copy_notebook(self, name: str) -> str:
        """Copy ``notebooks/NAME`` into the server root; return the name to open."""
        source = NOTEBOOKS / name
        if not source.is_file():
            raise FileNotFoundError(f"{source} does not exist")
        text = source.read_text(encoding="utf-8")
        try:
            json.loads(text)
        except ValueError as exc:  # e.g. caught half-written while it is being re-run
            raise ValueError(f"{source} is not valid JSON: {exc}") from None
        (self.root / name).write_text(text, encoding="utf-8")
        return name

    def write_notebook(self, name: str, cells: list[str]) -> str:
        """Write a notebook of code cells into the server root; return the name to open."""
        nb = {
            "cells": [
                {
                    "cell_type": "code",
                    "execution_count": None,
                    "id": f"cell-{i}",
                    "metadata": {},
                    "outputs": [],
                    "source": source,
                }
                for i, source in enumerate(cells)
            ],
            "metadata": {
                "kernelspec": {
                    "display_name": "Python 3 (ipykernel)",
                    "language": "python",
                    "name": "python3",
                },
                "language_info": {"name": "python"},
            },
            "nbformat": 4,
            "nbformat_minor": 5,
        }
        (self.root / name).write_text(json.dumps(nb, indent=1))
        return name

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


def _jupyter_lab_command() -> list[str]:
    executable = Path(sys.executable).with_name("jupyter-lab")
    if executable.is_file():
        return [str(executable)]
    return [sys.executable, "-m", "jupyterlab"]


def _quiet_lab_settings(config_dir: Path) -> None:
    """Settings that keep JupyterLab from checking its build, its version or the news.

    The build check alone keeps a CPU busy for about 5 s on every page load; the others would
    ask the web (blocked here anyway) and pop up notifications over the notebook.
    """
    labconfig = config_dir / "labconfig"
    labconfig.mkdir(parents=True)
    (labconfig / "page_config.json").write_text(
        json.dumps({"buildCheck": False, "buildAvailable": False})
    )
    settings = config_dir / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"checkForUpdates": False, "fetchNews": "false"})
    )
    # Every cell in the page, not only those near the viewport: a test reads a whole notebook.
    notebook = config_dir / "lab" / "user-settings" / "@jupyterlab" / "notebook-extension"
    notebook.mkdir(parents=True)
    (notebook / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))


def _die_with_parent() -> None:
    """In the server's process, before it starts: ask Linux to send it SIGTERM if the test
    process dies without its clean-up (killed with SIGKILL, say). Elsewhere a no-op."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
        except (OSError, AttributeError):
            pass


def launch_server(base: Path) -> LabServer:
    """Start JupyterLab with its folders under ``base`` and return at once; call
    ``server.wait_until_up()`` before using it and ``stop_server(server.proc)`` at the end.
    """
    root = base / "root"
    dirs = {
        name: base / name.lower()
        for name in (
            "JUPYTER_CONFIG_DIR",
            "JUPYTER_RUNTIME_DIR",
            "JUPYTER_DATA_DIR",
            "IPYTHONDIR",
            "MPLCONFIGDIR",
        )
    }
    for folder in [root, *dirs.values()]:
        folder.mkdir()
    _quiet_lab_settings(dirs["JUPYTER_CONFIG_DIR"])
    # The server and its kernels should behave as they do for a learner: drop pytest's markers
    # (ipykernel changes how it captures output when it sees PYTEST_CURRENT_TEST) and any
    # MPLBACKEND set for the unit tests (Agg would keep every figure out of the notebook).
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_") and k != "MPLBACKEND"}
    env.update({name: str(path) for name, path in dirs.items()})
    # A port free now may be taken before the server binds it; the server then tries the next
    # ones, and the port it got is read back from the file it writes in its runtime folder.
    command = [
        *_jupyter_lab_command(),
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={free_port()}",
        "--ServerApp.token=",
        "--ServerApp.password=",
        "--allow-root",
        f"--ServerApp.root_dir={root}",
    ]
    log = base / "server.log"
    with open(log, "wb") as log_file:
        proc = subprocess.Popen(
            command,
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
    return LabServer(root=root, log=log, runtime_dir=dirs["JUPYTER_RUNTIME_DIR"], proc=proc)


# --------------------------------------------------------------------------------------------
# The browser


class PageErrors(list):
    """JavaScript errors seen on a page: uncaught exceptions and console errors. Console errors
    about requests to other hosts, which the harness blocks, are kept apart in ``ignored``."""

    def __init__(self, *args):
        super().__init__(*args)
        self.ignored: list[str] = []

    def assert_none(self) -> None:
        assert not self, "JavaScript errors on the page:\n" + "\n".join(self)


def _is_local(url: str) -> bool:
    host = re.match(r"^[a-z]+://([^/:]+)", url)
    return host is None or host.group(1) == "127.0.0.1"  # data:, blob: and about: have no host


def _only_local(route) -> None:
    if _is_local(route.request.url):
        route.continue_()
    else:
        route.abort()


def new_context(browser):
    """A browser context (1280x900) that may reach 127.0.0.1 only."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", _only_local)
    context.set_default_timeout(30_000)
    return context


def open_page(context):
    """A new page of ``context`` that records its JavaScript errors; returns (page, errors)."""
    page = context.new_page()
    errors = PageErrors()
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))

    def on_console(message) -> None:
        if message.type != "error":
            return
        url = (message.location or {}).get("url", "")
        text = f"console.error: {message.text}" + (f" ({url})" if url else "")
        if BLOCKED_REQUEST in message.text and not _is_local(url):
            errors.ignored.append(text)
        else:
            errors.append(text)

    page.on("console", on_console)
    return page, errors


# --------------------------------------------------------------------------------------------
# Driving a notebook in JupyterLab


def menu(page, menu: str, item: str) -> None:
    """Click ``item`` in the menu bar's ``menu`` (labels matched exactly, "..." optional)."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(rf"^{re.escape(menu)}$")).click()
    label = re.compile(rf"^{re.escape(item)}(…|\.\.\.)?$")
    page.locator(".lm-Menu-content .lm-Menu-itemLabel", has_text=label).click()


class LabPage:
    """One JupyterLab page for the session: the app loads once (about 5 s of scripts), then
    each notebook is opened in it with File > Open from Path and closed when its tests end.

    ``errors`` collects the page's JavaScript errors for the whole session.
    """

    def __init__(self, context, server: LabServer):
        self.server = server
        self.page, self.errors = open_page(context)
        # ?reset: start from the default layout, whatever an earlier page left in the workspace.
        self.page.goto(f"{server.url}/lab?reset", wait_until="domcontentloaded")
        self.page.locator(".jp-LabShell").wait_for(timeout=60_000)
        self.page.locator(".jp-Launcher").first.wait_for(timeout=60_000)

    def dismiss_dialogs(self) -> None:
        """Close any dialog a failed test left open (it would block every click)."""
        for _ in range(3):
            if self.page.locator(".jp-Dialog").count() == 0:
                return
            self.page.keyboard.press("Escape")
            self.page.wait_for_timeout(200)

    def open(self, name: str) -> LabNotebook:
        """Open ``name`` (a file in the server root) and wait until its kernel is idle."""
        self.dismiss_dialogs()
        menu(self.page, "File", "Open from Path")
        path = self.page.locator(".jp-Dialog input")
        path.fill(name)
        path.press("Enter")
        return LabNotebook(self, name)


class LabNotebook:
    """A notebook open in the session's JupyterLab page, with helpers to drive its widgets.

    Selectors are those of JupyterLab 4 and ipywidgets 8: a slider is the ``.widget-slider`` box
    whose ``.widget-label`` reads its description; its handle is ``.noUi-handle``; the printed
    readouts of a lab are the ``<pre>`` blocks of the Output and HTML widgets in the same cell
    (``.widget-output pre``, ``.widget-html pre``), its figures the ``<img>`` elements of Output
    widgets and the Image widgets (``img.widget-image``, whose ``src`` changes in place).
    Everything is looked up inside this notebook's panel.
    """

    def __init__(self, lab: LabPage, name: str):
        self.name = name
        self.lab = lab
        self.page = lab.page
        self._first_error = len(lab.errors)
        # The panel whose tab is labelled with this notebook's name.
        tab = self.page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=name)
        tab.first.wait_for(timeout=30_000)
        panel_id = tab.first.get_attribute("data-id")
        self.tab = self.page.locator(f'.lm-TabBar-tab[data-id="{panel_id}"]')
        self.panel = self.page.locator(f"#{panel_id}")
        self.panel.locator(".jp-Notebook").wait_for(timeout=30_000)
        self.wait_kernel_idle(timeout=60_000)
        self.check_still_open()

    def check_still_open(self) -> None:
        """Fail with JupyterLab's own message if the notebook was closed or a dialog (such as
        "File Load Error") is in the way."""
        dialog = self.page.locator(".jp-Dialog")
        if self.panel.count() != 1 or dialog.count():
            message = dialog.first.text_content() if dialog.count() else "no dialog"
            raise AssertionError(f"{self.name} is not open and ready in JupyterLab: {message}")

    @property
    def errors(self) -> PageErrors:
        """The JavaScript errors logged since this notebook was opened."""
        return PageErrors(self.lab.errors[self._first_error :])

    def close(self) -> None:
        """Close the notebook and shut its kernel down (File > Close and Shut Down Notebook),
        discarding unsaved changes; never raises (a failed test may have left the page odd)."""
        try:
            self.lab.dismiss_dialogs()
            self.tab.click()  # make it the current widget, the one File acts on
            menu(self.page, "File", "Close and Shut Down Notebook")
            deadline = time.monotonic() + 10
            while self.panel.count() and time.monotonic() < deadline:
                button = self.page.locator(".jp-Dialog button").filter(
                    has_text=re.compile(r"^\s*(Ok|Shut Down|Discard|Don't Save)\s*$", re.I)
                )
                if button.count():
                    button.first.click()
                self.page.wait_for_timeout(100)
        except Exception:
            pass

    # -- kernel and cells
    def wait_kernel_idle(self, timeout: float = 30_000) -> None:
        """Wait until the status bar names the ipykernel as idle (the kernel has started).

        The status bar shows the kernel of the current notebook, which is this one.
        """
        self.page.locator(".jp-StatusBar-TextItem", has_text=KERNEL_IDLE).first.wait_for(
            timeout=timeout
        )

    def menu(self, menu_name: str, item: str) -> None:
        menu(self.page, menu_name, item)

    def run_all(self, timeout: float = 60_000) -> None:
        """Clear the stored outputs, run every cell with Run > Run All Cells, and wait until
        every code cell has an execution count and the kernel is idle.

        The stored notebook already shows counts and figures, so they are cleared first: what
        the page shows afterwards is what this kernel computed.
        """
        self.menu("Edit", "Clear Outputs of All Cells")
        self.menu("Run", "Run All Cells")
        panel = self.panel.element_handle()
        # A cell with code shows "[ ]:" until queued, "[*]:" while queued or running, "[n]:" at
        # the end (an empty cell is never run). Run All queues every cell at once; a cell that
        # raises unqueues the rest. So if some cells have run, none is queued and some are not
        # done, the run has stopped: say so at once instead of waiting for the timeout.
        outcome = self.page.wait_for_function(
            """(panel) => {
                if (!panel.isConnected) return 'closed';
                const prompts = [...panel.querySelectorAll('.jp-Notebook .jp-CodeCell')]
                    .filter(c => {
                        const code = c.querySelector('.cm-content');
                        return code === null || code.textContent.trim() !== '';
                    })
                    .map(c => c.querySelector('.jp-InputArea-prompt')?.textContent ?? '');
                const done = prompts.filter(p => /\\[\\d+\\]/.test(p)).length;
                if (prompts.length > 0 && done === prompts.length) return 'done';
                return done > 0 && !prompts.some(p => p.includes('*')) && 'stopped';
            }""",
            arg=panel,
            timeout=timeout,
            polling=200,
        ).json_value()
        if outcome == "closed":
            self.check_still_open()
        if outcome == "stopped":
            stderr = self.panel.locator('[data-mime-type="application/vnd.jupyter.stderr"]')
            raise AssertionError(
                f"Run All Cells stopped before the end of {self.name}; what the cells wrote to "
                f"stderr (errors included):\n" + "\n".join(stderr.all_text_contents())
            )
        self.wait_kernel_idle(timeout=timeout)

    # -- widgets
    def slider(self, description: str):
        """The slider whose description label reads ``description`` (exactly, after trimming)."""
        # An inner locator for has= must be built from the page: it is matched inside each slider.
        label = self.page.locator(".widget-label").filter(has_text=_exactly(description))
        slider = self.panel.locator(".widget-slider").filter(has=label)
        if slider.count() != 1:
            found = self.panel.locator(".widget-slider .widget-label").all_text_contents()
            raise AssertionError(
                f"expected one slider labelled {description!r}, found {slider.count()}; "
                f"slider labels in {self.name}: {found}"
            )
        return slider

    def button(self, description: str):
        """The button (push or toggle) whose text reads ``description``."""
        button = self.panel.locator("button.jupyter-button").filter(has_text=_exactly(description))
        if button.count() != 1:
            found = self.panel.locator("button.jupyter-button").all_text_contents()
            raise AssertionError(
                f"expected one button {description!r}, found {button.count()}; "
                f"buttons in {self.name}: {found}"
            )
        return button

    def cell_of(self, widget):
        """The notebook cell whose output holds ``widget``: the scope of its lab's readouts."""
        cell = "contains(concat(' ', normalize-space(@class), ' '), ' jp-Cell ')"
        return widget.locator(f"xpath=ancestor::div[{cell}][1]")

    def slider_value(self, slider) -> str:
        """The value the slider shows next to it (U+2212 minus signs made ASCII)."""
        return slider.locator(".widget-readout").text_content().strip().replace("\u2212", "-")

    def press(self, slider, key: str, times: int = 1) -> None:
        """Focus the slider's handle and press ``key`` (ArrowRight, End, Home...) ``times``."""
        handle = slider.locator(".noUi-handle")
        handle.scroll_into_view_if_needed()
        handle.focus()
        for _ in range(times):
            handle.press(key)

    def type_value(self, slider, value: str) -> None:
        """Type ``value`` into the slider's readout and press Enter, as a learner can."""
        readout = slider.locator(".widget-readout")
        readout.scroll_into_view_if_needed()
        readout.click()
        readout.press("Control+A")
        readout.press_sequentially(value)
        readout.press("Enter")

    def step_to(self, slider, value: str, limit: int = 50) -> None:
        """Move the slider with the arrow keys until its readout reads ``value``: the way to a
        given stop of a SelectionSlider, whose readout shows a label and cannot be typed into.
        The readout must be a number; each key press sends the kernel one update."""
        handle = slider.locator(".noUi-handle")
        handle.scroll_into_view_if_needed()
        handle.focus()
        for _ in range(limit):
            shown = self.slider_value(slider)
            if shown == value:
                return
            handle.press("ArrowRight" if float(shown) < float(value) else "ArrowLeft")
        raise AssertionError(
            f"slider did not reach {value!r} in {limit} key presses; it shows "
            f"{self.slider_value(slider)!r}"
        )

    def click(self, button) -> None:
        button.scroll_into_view_if_needed()
        button.click()

    # -- what a lab shows
    def state(self, scope) -> LabState:
        """What the Output widgets in ``scope`` show now, read in one go."""
        snapshot = scope.evaluate(_SNAPSHOT_JS, KERNEL_IDLE)
        return LabState(snapshot["text"], tuple(snapshot["figures"]), snapshot["idle"])

    def wait_ready(self, scope, images: int = 1, timeout: float = 30.0) -> LabState:
        """Wait until ``scope`` shows printed text and at least ``images`` figures, settled;
        Run All Cells ends before the widget views have drawn what the kernel sent them."""

        def ready(now):
            return bool(now.text.strip()) and len(now.figures) >= images

        return self._wait_settled(scope, ready, timeout, "show a readout and a figure", SETTLE)

    def wait_update(
        self, scope, before: LabState, expect=None, images: int = 1, timeout: float = 20.0
    ) -> LabState:
        """Wait until what ``scope`` shows differs from ``before``, shows at least ``images``
        figures and (if given) has text matching the regular expression ``expect``; return the
        new state once it has settled.

        A move sends the new value to the kernel, which clears the Output widget, prints and
        draws again: for a moment the text can be half-printed or the figure missing, and
        several moves (or a button that sets two controls) queue several updates. So a state
        counts only once the kernel is idle and nothing changed for a moment; a short moment
        when ``expect`` already pins down the final text.
        """

        def changed(now):
            return (
                (now.text, now.figures) != (before.text, before.figures)
                and bool(now.text.strip())
                and len(now.figures) >= images
                and (expect is None or re.search(expect, now.text, re.MULTILINE) is not None)
            )

        what = "change" if expect is None else f"change to match {expect!r}"
        settle = SETTLE if expect is None else SETTLE_EXPECTED
        return self._wait_settled(scope, changed, timeout, what, settle)

    def _wait_settled(self, scope, predicate, timeout: float, what: str, settle: float):
        deadline = time.monotonic() + timeout
        last, since = None, 0.0
        while time.monotonic() < deadline:
            now = self.state(scope)
            if now.idle and predicate(now):
                if now != last:
                    last, since = now, time.monotonic()
                elif time.monotonic() - since >= settle:
                    return now
            else:
                last = None
            time.sleep(0.05)
        now = self.state(scope)
        raise AssertionError(
            f"the lab's output in {self.name} did not {what} within {timeout:.0f} s; "
            f"kernel idle: {now.idle}; it shows {len(now.figures)} figure(s) and the text:\n"
            f"{now.text}"
        )


# Seconds a lab's output must stay the same, with the kernel idle, to count as settled; shorter
# when the expected text is known (then only a figure still on its way could change it).
SETTLE = 0.3
SETTLE_EXPECTED = 0.1


@dataclass(frozen=True)
class LabState:
    """What a lab shows: its printed text, a fingerprint of each figure, and whether the kernel
    was idle when it was read."""

    text: str
    figures: tuple
    idle: bool


def _exactly(text: str):
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


# Reads a cell's lab in one step: the text of its <pre> blocks (textContent, not innerText: it
# does not depend on layout, so it also reads cells scrolled out of view), a short fingerprint of
# each figure (of an Output widget's data: URL of 50 kB or more, or of the bytes behind an Image
# widget's blob: URL, which is new at every update even for the same figure), and the kernel
# status. A blob: URL revoked while it is read (a newer figure came) gives "gone": not settled.
_SNAPSHOT_JS = """async (cell, idleText) => {
    const fnv = (codes, n) => {
        let h = 2166136261;
        for (let i = 0; i < n; i++) { h = Math.imul(h ^ codes(i), 16777619); }
        return n + ':' + (h >>> 0).toString(16);
    };
    const fingerprint = async (src) => {
        if (!src.startsWith('blob:')) return fnv((i) => src.charCodeAt(i), src.length);
        try {
            const bytes = new Uint8Array(await (await fetch(src)).arrayBuffer());
            return fnv((i) => bytes[i], bytes.length);
        } catch (error) {
            return 'gone:' + src;
        }
    };
    const status = [...document.querySelectorAll('.jp-StatusBar-TextItem')];
    const text = [...cell.querySelectorAll('.widget-output pre, .widget-html pre')]
        .map(p => p.textContent).join('\\n');
    const images = [...cell.querySelectorAll('.widget-output img, img.widget-image')]
        .filter(i => i.src);
    return {
        text,
        figures: await Promise.all(images.map(i => fingerprint(i.src))),
        idle: status.some(item => item.textContent.includes(idleText)),
    };
}"""


# --------------------------------------------------------------------------------------------
# A learner's first start


def launch_first_start_server(base: Path) -> LabServer:
    """Start JupyterLab as ``launch_server`` does, but with no user settings: what a learner's
    first ``make lab`` sees, with only the settings the course installs into the environment.

    The user settings written for the other tests are removed before any page can ask for
    them (JupyterLab reads them from disk at each request), so the news question is not
    answered for this server, and the build check stays off as it does for every test.
    """
    server = launch_server(base)
    shutil.rmtree(base / "jupyter_config_dir" / "lab" / "user-settings")
    return server


def user_settings_file(server: LabServer, plugin: str) -> Path:
    """Where ``server`` keeps a user's settings of ``plugin`` ("@scope/package:name")."""
    package, name = plugin.split(":")
    config_dir = server.runtime_dir.parent / "jupyter_config_dir"
    return config_dir / "lab" / "user-settings" / package / f"{name}.jupyterlab-settings"
