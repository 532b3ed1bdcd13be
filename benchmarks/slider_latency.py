"""Slider to screen: how long a learner waits, in JupyterLab in Chromium, from moving a control
of an interactive lab to seeing its new figure painted.

    .venv/bin/python benchmarks/slider_latency.py            every slider and toggle, 24 moves each
    .venv/bin/python benchmarks/slider_latency.py --quick    one slider, 3 moves (the machinery)
    .venv/bin/python benchmarks/slider_latency.py --notebook 01_computational_graph.ipynb
    .venv/bin/python benchmarks/slider_latency.py --control "weight scale" --repeats 40
    .venv/bin/python benchmarks/slider_latency.py --notebook-dir /tmp/patched  (a changed copy)
    .venv/bin/python benchmarks/slider_latency.py --lab-setting PLUGIN:KEY=JSON  (a setting)
    .venv/bin/python benchmarks/slider_latency.py --verbose  (every move and its messages)

The notebooks with widgets (a slider, toggle buttons or `interact` in their code) are opened in
JupyterLab, served on 127.0.0.1 with the settings a learner has, and run with Run All Cells. The
controls are then found in the page, not listed here: every slider (int, float, selection),
every set of toggle buttons and every toggle button, each with its lab's view (the nearest box
around it that holds an Output widget or an image, in the same cell). Push buttons are left
out: they set other controls. A notebook that does not run to its end is reported, not measured.

Each control is moved back and forth across its range, one stop at a time (arrow keys on a
slider's handle, Enter on the next toggle button), 2 moves untimed and then 24 timed, so that
every move computes something new. Each move is timed inside the page, so that no round trip
to this script counts:

- start: the `timeStamp` of the keydown event, when the browser received the input;
- end: the new figure and readout painted. A MutationObserver on the lab's view sees every
  figure replaced (a new <img>, or a new `src` for an Image widget) and the printed readout
  changed; then `img.decode()`, the next animation frame, and a task posted from it, which runs
  once that frame has been painted. A lab without a figure ends when its text has changed.

The kernel's side is read from its own messages, caught on the page's websocket (the headers of
the v1 protocol): `to kernel` from the input to the kernel starting on the move (status busy:
page, websocket, server and the kernel's queue), `kernel` from then to the kernel sending the
figure (the lab's compute, drawing, PNG), `to page` from there to the page receiving it,
`render` from there to the paint (widget models, output area, decode, layout, paint). The
kernel stamps its messages with the machine's clock; the page converts them to its own monotonic
clock when they arrive, so the parts add up to the total within a millisecond or so. Each
animation frame of a move also checks whether a figure is missing (removed and not yet
replaced): `figure gone ms`.

Between moves the script waits until the kernel is idle on every message of the move and the
view has not changed for 150 ms, so that moves never queue; after a control's moves its first
value is set back. Each control's row gives the median, 95th percentile and maximum of the
total, the medians of the parts, the size of the message that brought the figure, the CPU time
per move of the kernel, the JupyterLab server and Chromium (from /proc: robust to other
programs, unlike wall times), and the share of the cores that other programs used meanwhile
(this benchmark's browser, server and kernels count as its own). Nothing is asserted; the goal,
p95 <= 150 ms on the course's 2-core machine, is read off the table. Without Chromium or
Playwright the script says so and exits.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from _common import load_text, load_warning, n_cores, parse_args, print_table

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.browser import driver  # noqa: E402

MOVES = 24  # per control: the goal is read from a 95th percentile, so at least 20
QUICK_MOVES = 3
WARMUP = 2  # untimed moves first, per control (the page's and the kernel's first calls)
GOAL_P95_MS = 150.0
MOVE_TIMEOUT_MS = 20_000
QUIET_MS = 150  # the output must stay unchanged this long, the kernel idle, before the next move
PAUSE_S = 0.1  # and then a pause, as between a learner's key presses

# Code that makes a notebook interactive; a notebook without any is not opened.
WIDGET_CODE = re.compile(r"\b(\w*Slider|ToggleButtons?|interact|interactive_output|live_figure)\(")
DRAWING_LAB = re.compile(r"\b(interactive_output|live_figure)\(")  # a lab with a figure

# --------------------------------------------------------------------------------------------
# In the page

# Installed before JupyterLab's scripts: records the kernel messages on the page's websocket
# and the input events, and times a move from its input to the paint of what it changed.
INSTRUMENT_JS = r"""
(() => {
  if (window.__sliderBench) return;
  const B = window.__sliderBench = {
    ours: new Map(),     // msg_id of a comm_msg the page sent -> the iopub messages it caused
    sent: [],            // {id, at}: comm_msgs the page sent, in order
    entries: [],         // layout shifts and long tasks
    move: null,
  };
  const decoder = new TextDecoder();
  const kernelTime = (date) => {
    // ISO date with microseconds, on the machine's clock -> the page's performance.now() scale.
    // The offset between the two is read now, not from performance.timeOrigin: the machine's
    // clock can be stepped while the page's monotonic clock is not.
    const frac = /\.(\d+)/.exec(date);
    const ms = Date.parse(date.replace(/\.\d+/, '')) + (frac ? Number('0.' + frac[1]) * 1000 : 0);
    return ms - (Date.now() - performance.now());
  };
  const decode = (data, wantContent) => {
    if (typeof data === 'string') {
      const m = JSON.parse(data);
      return {channel: m.channel, header: m.header, parent: m.parent_header,
              content: m.content, bytes: data.length};
    }
    if (!(data instanceof ArrayBuffer)) return null;
    // v1.kernel.websocket.jupyter.org: n, then n offsets (uint64 LE), then the parts:
    // channel, header, parent_header, metadata, content, buffers...
    const view = new DataView(data);
    const n = Number(view.getBigUint64(0, true));
    const offsets = [];
    for (let i = 0; i < n; i++) offsets.push(Number(view.getBigUint64(8 * (i + 1), true)));
    const part = (i) => decoder.decode(
      new Uint8Array(data, offsets[i], offsets[i + 1] - offsets[i]));
    const header = JSON.parse(part(1));
    return {
      channel: part(0), header, parent: JSON.parse(part(2)),
      content: wantContent(header.msg_type) ? JSON.parse(part(4)) : null,
      bytes: data.byteLength,
    };
  };
  B.sending = (data) => {
    const at = performance.now();
    try {
      const m = decode(data, (type) => type === 'comm_msg');
      if (m && m.header.msg_type === 'comm_msg') {
        B.ours.set(m.header.msg_id, []);
        const state = m.content && m.content.data && m.content.data.state;
        B.sent.push({id: m.header.msg_id, at, bytes: m.bytes,
                     keys: state ? Object.keys(state).join(',') : ''});
      }
    } catch (e) { /* not a message this benchmark reads */ }
  };
  B.received = (data) => {
    const at = performance.now();
    try {
      const m = decode(data, (type) => type === 'status');
      if (!m || m.channel !== 'iopub') return;
      const events = B.ours.get(m.parent && m.parent.msg_id);
      if (events === undefined) return;
      events.push({
        type: m.header.msg_type, date: kernelTime(m.header.date), at, bytes: m.bytes,
        state: m.content ? m.content.execution_state : null,
      });
      if (B.move) B.check(B.move);
    } catch (e) { /* not a message this benchmark reads */ }
  };
  const Native = window.WebSocket;
  class Watched extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      if (String(url).includes('/channels')) {
        this.addEventListener('message', (event) => B.received(event.data));
      }
    }
    send(data) {
      if (String(this.url).includes('/channels')) B.sending(data);
      return super.send(data);
    }
  }
  window.WebSocket = Watched;

  const stamp = (event) => {
    const m = B.move;
    if (m && m.t0 === null) { m.t0 = event.timeStamp; m.handled = performance.now(); }
  };
  window.addEventListener('keydown', stamp, true);
  window.addEventListener('click', stamp, true);
  for (const type of ['layout-shift', 'longtask']) {
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) B.entries.push(e);
      }).observe({type, buffered: true});
    } catch (e) { /* not supported by this browser */ }
  }

  const textOf = (output) => [...output.querySelectorAll('pre')]
    .map((p) => p.textContent).join('\n');

  // Arm a move: remember what the output shows, and watch it.
  B.arm = (output) => {
    const images = [...output.querySelectorAll('img')];
    const m = B.move = {
      output, old: new Map(images.map((i) => [i, i.src])),
      oldSrc: new Set(images.map((i) => i.src)), nImages: images.length,
      oldText: textOf(output), t0: null, handled: null, firstSent: B.sent.length,
      textAt: null, inserted: [], seen: new Set(), readyAt: null, decodedAt: null,
      frameAt: null, paintAt: null, fresh: [], lastMutation: performance.now(),
      mutationsAfterPaint: 0, height: output.offsetHeight, minHeight: output.offsetHeight,
      goneMs: 0, goneFrames: 0,
    };
    m.done = new Promise((resolve) => { m.resolve = resolve; });
    // Every frame from the input on: is a figure missing (removed, or not decoded yet)?
    let last = null;
    const frame = (ts) => {
      if (B.move !== m) return;
      if (last !== null) { m.goneMs += ts - last; last = null; }
      if (m.t0 !== null && m.nImages > 0) {
        const shown = [...output.querySelectorAll('img')]
          .filter((img) => img.complete && img.naturalWidth > 0).length;
        if (shown < m.nImages) { m.goneFrames += 1; last = ts; }
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    m.observer = new MutationObserver(() => B.check(m, true));
    m.observer.observe(output, {childList: true, subtree: true, characterData: true,
                                attributes: true, attributeFilter: ['src']});
    return true;
  };

  B.check = (m, mutated) => {
    const now = performance.now();
    if (mutated) {
      m.lastMutation = now;
      if (m.paintAt !== null) m.mutationsAfterPaint += 1;
      m.minHeight = Math.min(m.minHeight, m.output.offsetHeight);
    }
    if (m.t0 === null) return;
    const text = textOf(m.output);
    if (m.textAt === null && text !== m.oldText && text.trim() !== '') m.textAt = now;
    if (m.readyAt !== null) return;
    const images = [...m.output.querySelectorAll('img')];
    // A new figure: a new <img>, or the same one with a new src (an Image widget).
    const fresh = images.filter((img) => m.old.get(img) !== img.src);
    for (const img of fresh) {
      if (!m.seen.has(img)) { m.seen.add(img); m.inserted.push(now); }
    }
    // The readout is new too, or stays as it was once the kernel is done with the move.
    const kernelDone = B.sent.slice(m.firstSent).some(
      (s) => s.at >= m.t0 && B.ours.get(s.id).some((e) => e.state === 'idle'));
    const textDone = m.textAt !== null || (m.oldText.trim() !== '' && kernelDone);
    const ready = m.nImages > 0
      ? fresh.length >= m.nImages && fresh.length === images.length
        && fresh.every((img) => img.src) && textDone
      : m.textAt !== null;
    if (!ready) return;
    m.readyAt = now;
    m.fresh = fresh;
    Promise.all(fresh.map((img) => img.decode().catch(() => null))).then(() => {
      m.decodedAt = performance.now();
      requestAnimationFrame(() => {
        m.frameAt = performance.now();
        const channel = new MessageChannel();
        channel.port1.onmessage = () => { m.paintAt = performance.now(); m.resolve(); };
        channel.port2.postMessage(null);
      });
    });
  };

  // Wait for the paint, then for the kernel to be idle on every message of the move and the
  // output to be quiet; return what was recorded.
  B.finish = async (timeoutMs, quietMs) => {
    const m = B.move;
    const deadline = performance.now() + timeoutMs;
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    const timedOut = await Promise.race([
      m.done.then(() => false), sleep(timeoutMs).then(() => true)]);
    const ids = () => B.sent.slice(m.firstSent)
      .filter((s) => s.at >= (m.t0 ?? 0)).map((s) => s.id);
    const idle = () => ids().every((id) => B.ours.get(id).some((e) => e.state === 'idle'));
    while (performance.now() < deadline
           && !(idle() && performance.now() - m.lastMutation >= quietMs)) {
      await sleep(20);
    }
    m.observer.disconnect();
    B.move = null;
    const end = performance.now();
    const entries = B.entries.filter(
      (e) => m.t0 !== null && e.startTime >= m.t0 && e.startTime <= end);
    const sends = B.sent.slice(m.firstSent).filter((s) => m.t0 !== null && s.at >= m.t0);
    return {
      timedOut, t0: m.t0, handled: m.handled, textAt: m.textAt, inserted: m.inserted,
      readyAt: m.readyAt, decodedAt: m.decodedAt, frameAt: m.frameAt, paintAt: m.paintAt,
      idle: idle(), mutationsAfterPaint: m.mutationsAfterPaint,
      sends: sends.map((s) => ({at: s.at, bytes: s.bytes, keys: s.keys,
                                events: B.ours.get(s.id)})),
      images: m.fresh.map((img) => ({width: img.naturalWidth, height: img.naturalHeight,
                                     changed: !m.oldSrc.has(img.src)})),
      goneMs: m.goneMs, goneFrames: m.goneFrames,
      layoutShift: entries.filter((e) => e.entryType === 'layout-shift')
                          .reduce((s, e) => s + e.value, 0),
      longTasks: entries.filter((e) => e.entryType === 'longtask').map((e) => e.duration),
      heightBefore: m.height, minHeight: m.minHeight, heightAfter: m.output.offsetHeight,
    };
  };
})();
"""

# Finds the controls of the labs in a notebook's panel: [{kind, index, label, ...}], where
# index counts the elements of that kind (CSS selector SELECTORS[kind]) in the panel.
SELECTORS = {
    "slider": ".widget-slider",
    "toggle buttons": ".widget-toggle-buttons",
    "toggle": ".widget-toggle-button",
}
DISCOVER_JS = r"""
([panel, selectors, mark]) => {
  const found = [];
  // A lab's view: the nearest container of the control that also holds an Output widget or
  // an image (the lab's box), within the control's cell.
  const viewOf = (el) => {
    for (let node = el.parentElement; node && node !== panel; node = node.parentElement) {
      if (node.classList.contains('jp-Cell')) return null;
      if (node.querySelector('.widget-output, img')) return node;
    }
    return null;
  };
  const views = [];
  const cells = [...panel.querySelectorAll('.jp-Cell')];
  for (const [kind, selector] of Object.entries(selectors)) {
    [...panel.querySelectorAll(selector)].forEach((el, index) => {
      if (kind === 'toggle' && el.closest('.widget-toggle-buttons')) return;
      const view = viewOf(el);
      if (view === null) return;
      if (!views.includes(view)) {
        view.setAttribute(mark, String(views.length));
        views.push(view);
      }
      const label = kind === 'toggle'
        ? el.textContent.trim()
        : (el.querySelector('.widget-label')?.textContent ?? '').trim();
      found.push({
        kind, index, label, view: views.indexOf(view),
        cell: cells.findIndex((c) => c.contains(el)),
        figures: view.querySelectorAll('img').length,
        options: kind === 'toggle buttons'
          ? [...el.querySelectorAll('button')].map((b) => b.textContent.trim()) : [],
      });
    });
  }
  return found.sort((a, b) => a.cell - b.cell || a.view - b.view);
}
"""
VIEW_MARK = "data-slider-bench-view"

SLIDER_STATE_JS = """(handle) => ({
    now: Number(handle.getAttribute('aria-valuenow')),
    min: Number(handle.getAttribute('aria-valuemin')),
    max: Number(handle.getAttribute('aria-valuemax')),
})"""


# --------------------------------------------------------------------------------------------
# The share of the cores used by programs other than this benchmark's process tree


def _tree_ticks():
    """CPU ticks of this process and all its descendants (browser, server, kernels), finished
    children included."""
    total = 0
    for pid in [os.getpid(), *driver._descendants(os.getpid())]:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        total += sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
    return total


def _cpu_ticks():
    try:
        with open("/proc/stat") as f:
            ticks = [int(v) for v in f.readline().split()[1:9]]
    except OSError:
        return None
    return sum(ticks), sum(ticks) - ticks[3] - ticks[4], _tree_ticks()


class OthersLoad:
    """Like `_common.OtherLoad`, but this benchmark's browser, server and kernel are its own."""

    fraction = None

    def __enter__(self):
        self._start = _cpu_ticks()
        return self

    def __exit__(self, *exc):
        end = _cpu_ticks()
        if self._start is not None and end is not None:
            total, busy, own = (b - a for a, b in zip(self._start, end, strict=True))
            if total >= 20 * n_cores():  # 0.2 s of every core, in 10 ms ticks
                self.fraction = min(1.0, max(0.0, (busy - own) / total))
        return False


# --------------------------------------------------------------------------------------------
# Driving the controls


@dataclass
class Control:
    """A control found in the page: its kind, its place among the elements of that kind in
    the notebook's panel, its label, and the lab view it updates (marked VIEW_MARK=view)."""

    notebook: str
    kind: str
    index: int
    label: str
    view: int
    figures: int
    options: list = field(default_factory=list)

    @property
    def name(self):
        if self.kind == "toggle buttons":
            return f"{self.label or 'toggle buttons'} ({' / '.join(self.options)})"
        return self.label or f"{self.kind} {self.index}"


@dataclass
class Move:
    """One timed move: `total` ms from the input to the paint (None if it never came), its
    parts (ms), the size of the message that brought the figure, and what the page saw."""

    total: float | None
    parts: dict
    message_bytes: int
    gone_ms: float
    raw: dict = field(repr=False, default_factory=dict)


def analyse(raw) -> Move:
    """A move's figures (ms) from what the page recorded."""
    t0, paint = raw["t0"], raw["paintAt"]
    total = None if raw["timedOut"] or t0 is None or paint is None else paint - t0
    events = [e for send in raw["sends"] for e in send["events"]]
    busy = [e for e in events if e["type"] == "status" and e["state"] == "busy"]
    # What the kernel sent to show the move: the largest message it caused before the paint
    # (the figure: a display_data with a base64 PNG, or a comm_msg with the PNG's bytes).
    before_paint = [e for e in events if paint is None or e["at"] <= paint]
    shown = max(before_paint, key=lambda e: e["bytes"]) if before_paint else None
    parts = {}
    if t0 is not None:
        if raw["sends"]:
            parts["input to send"] = raw["sends"][0]["at"] - t0
        if busy:
            parts["to kernel"] = busy[0]["date"] - t0
            if shown is not None:
                parts["kernel"] = shown["date"] - busy[0]["date"]
                parts["to page"] = shown["at"] - shown["date"]
                if paint is not None:
                    parts["render"] = paint - shown["at"]
        if raw["textAt"] is not None:
            parts["text"] = raw["textAt"] - t0
    if paint is not None and raw["readyAt"] is not None:
        parts["decode + paint"] = paint - raw["readyAt"]
    return Move(
        total=total,
        parts=parts,
        message_bytes=shown["bytes"] if shown is not None else 0,
        gone_ms=raw["goneMs"],
        raw=raw,
    )


class Bench:
    """One notebook open in JupyterLab (a `driver.LabNotebook`), its labs' controls moved and
    timed through the page's instrumentation."""

    def __init__(self, notebook):
        self.nb = notebook
        self.page = notebook.page

    def discover(self) -> list[Control]:
        found = self.page.evaluate(
            DISCOVER_JS, [self.nb.panel.element_handle(), SELECTORS, VIEW_MARK]
        )
        return [
            Control(
                notebook=self.nb.name,
                kind=c["kind"],
                index=c["index"],
                label=c["label"],
                view=c["view"],
                figures=c["figures"],
                options=c["options"],
            )
            for c in found
        ]

    def locate(self, control: Control):
        """Locators of the control and of its lab's view."""
        element = self.nb.panel.locator(SELECTORS[control.kind]).nth(control.index)
        view = self.nb.panel.locator(f'[{VIEW_MARK}="{control.view}"]')
        return element, view

    def wait_ready(self, control: Control, timeout: float = 60.0) -> None:
        """Wait until the lab shows its readout and figures: Run All Cells ends before the
        widget views have drawn what the kernel sent them."""
        _, view = self.locate(control)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            images, text = view.evaluate(READY_JS)
            if images >= control.figures and text:
                return
            time.sleep(0.1)

    def timed(self, view, act) -> Move:
        """Arm the page on the lab's `view` (an element handle), run `act()` (one input), and
        return the move's figures once the kernel is idle and the view quiet."""
        view.evaluate("(v) => window.__sliderBench.arm(v)")
        act()
        raw = self.page.evaluate(
            "([t, q]) => window.__sliderBench.finish(t, q)", [MOVE_TIMEOUT_MS, QUIET_MS]
        )
        time.sleep(PAUSE_S)
        return analyse(raw)

    def run(self, control: Control, moves: int, server_pid: int, warmup: int = WARMUP):
        """Move `control` `warmup` times, then `moves` times timed, then set its first value
        back (not timed).

        Returns (moves, CPU ms per move of each process role during the timed moves)."""
        # Element handles, resolved once: a locator would search the whole page at each use,
        # and that work (the harness's, not the learner's) would count in the browser's CPU.
        element, view = (locator.element_handle() for locator in self.locate(control))
        element.scroll_into_view_if_needed()
        inputs = {"slider": self._slider, "toggle buttons": self._buttons, "toggle": self._toggle}
        steps, restore = inputs[control.kind](element)
        for _ in range(warmup):
            self.timed(view, next(steps))
        results = []
        before = role_ticks(server_pid)
        for _ in range(moves):
            results.append(self.timed(view, next(steps)))
        after = role_ticks(server_pid)
        for act in restore():
            self.timed(view, act)
        cpu = {role: 10.0 * (after[role] - before[role]) / max(1, moves) for role in after}
        return results, cpu

    # Each kind of control gives an endless series of inputs (callables), back and forth
    # across its range, and a function that yields the inputs that set its first value back.
    def _slider(self, element):
        handle = element.query_selector(".noUi-handle")
        first = handle.evaluate(SLIDER_STATE_JS)

        def key(name):
            def press():
                handle.focus()
                self.page.keyboard.press(name)

            return press

        def steps():
            direction = 1 if first["now"] < first["max"] else -1
            while True:
                now = handle.evaluate(SLIDER_STATE_JS)["now"]
                if now >= first["max"]:
                    direction = -1
                elif now <= first["min"]:
                    direction = 1
                yield key("ArrowRight" if direction > 0 else "ArrowLeft")

        def restore():
            while (now := handle.evaluate(SLIDER_STATE_JS)["now"]) != first["now"]:
                yield key("ArrowRight" if now < first["now"] else "ArrowLeft")

        return steps(), restore

    def _click(self, button):
        """An input that clicks `button` from the keyboard (Enter on the focused button): the
        same click event as the mouse's, without the harness's hit tests."""

        def press():
            button.focus()
            self.page.keyboard.press("Enter")

        return press

    def _buttons(self, element):
        buttons = element.query_selector_all("button")
        first = max(0, element.evaluate(SELECTED_JS))
        state = {"now": first}

        def steps():
            direction = 1
            while True:
                if state["now"] + direction not in range(len(buttons)):
                    direction = -direction
                state["now"] += direction
                yield self._click(buttons[state["now"]])

        def restore():
            if state["now"] != first:
                state["now"] = first
                yield self._click(buttons[first])

        return steps(), restore

    def _toggle(self, element):
        clicks = {"n": 0}
        click = self._click(element)

        def counted():
            clicks["n"] += 1
            click()

        def steps():
            while True:
                yield counted

        def restore():
            if clicks["n"] % 2:
                yield click

        return steps(), restore


READY_JS = """(v) => [
    v.querySelectorAll('img').length,
    [...v.querySelectorAll('pre')].some(p => p.textContent.trim() !== ''),
]"""
SELECTED_JS = """(e) => [...e.querySelectorAll('button')]
    .findIndex(b => b.classList.contains('mod-active'))"""


def role_ticks(server_pid):
    """CPU ticks (10 ms) so far of the benchmark's processes by role: the kernels, the
    JupyterLab server, the browser, and the rest (this script and Playwright's driver)."""
    ticks = dict.fromkeys(("kernel", "server", "browser", "driver"), 0)
    for pid, cmdline in [(os.getpid(), b""), *driver._descendants(os.getpid()).items()]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if pid == server_pid:
            role = "server"
        elif b"ipykernel" in cmdline:
            role = "kernel"
        elif b"chrom" in cmdline:
            role = "browser"
        else:
            role = "driver"
        ticks[role] += int(fields[11]) + int(fields[12])  # utime + stime
    return ticks


# --------------------------------------------------------------------------------------------
# The notebooks


def widget_notebooks(folder: Path, names=None):
    """The notebooks of `folder` whose code makes widgets (or those named), in order."""
    paths = sorted(folder.glob("*.ipynb"))
    if names:
        missing = set(names) - {p.name for p in paths}
        if missing:
            raise SystemExit(f"--notebook: no such notebook in {folder}: {sorted(missing)}")
        return [p for p in paths if p.name in names]
    chosen = []
    for path in paths:
        nb = json.loads(path.read_text(encoding="utf-8"))
        code = "\n".join("".join(c["source"]) for c in nb["cells"] if c.get("cell_type") == "code")
        if WIDGET_CODE.search(code):
            chosen.append(path)
    return chosen


def percentile(values, q):
    return float(np.percentile(values, q)) if values else None


def fmt(value, digits=0):
    return "-" if value is None else f"{value:.{digits}f}"


def median(values):
    return float(np.median(values)) if values else None


PARTS = ["to kernel", "kernel", "to page", "render"]
ROLES = ["kernel", "server", "browser"]
TITLE = "Slider to screen in JupyterLab (Chromium)"
HEADER = [
    "notebook",
    "control",
    "moves",
    "median ms",
    "p95 ms",
    "max ms",
    *[f"{part} ms" for part in PARTS],
    "figure gone ms",
    "figure kB",
    "CPU ms " + "/".join(ROLES),
    "others' load",
]


def row(control: Control, moves: list[Move], cpu, load):
    """The table's row for one control (medians of the parts; CPU time per move)."""
    totals = [m.total for m in moves if m.total is not None]
    lost = len(moves) - len(totals)
    sizes = [m.message_bytes for m in moves if m.message_bytes]
    return [
        control.notebook.split("_", 1)[0],
        control.name,
        f"{len(totals)}" + (f" ({lost} lost)" if lost else ""),
        fmt(median(totals)),
        fmt(percentile(totals, 95)),
        fmt(max(totals, default=None)),
        *(fmt(median([m.parts[p] for m in moves if p in m.parts])) for p in PARTS),
        fmt(median([m.gone_ms for m in moves])) if control.figures else "-",
        fmt(median(sizes) / 1000 if sizes else None, 1) if control.figures else "text",
        "/".join(fmt(cpu[role]) for role in ROLES),
        load_text(load),
    ]


def measure_notebook(lab, server, path: Path, args):
    """Open, run and measure one notebook. Returns ([(control, moves, cpu, load)], problems):
    a notebook that does not run to its end is reported, not measured."""
    name = path.name
    (server.root / name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    notebook = lab.open(name)
    results = []
    try:
        try:
            notebook.run_all(timeout=180_000)
        except AssertionError as exc:
            lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
            errors = [line for line in lines if re.match(r"^\w+(Error|Exception)\b", line)]
            return [], [f"{name} not measured: Run All Cells stopped ({(errors or lines)[-1]})"]
        bench = Bench(notebook)
        controls = bench.discover()
        for control in controls:
            bench.wait_ready(control)
        if args.control:
            controls = [c for c in controls if any(text in c.name for text in args.control)]
        if args.quick:
            with_figure = [c for c in controls if c.kind == "slider" and c.figures]
            controls = (with_figure or controls)[:1]
        for control in controls:
            with OthersLoad() as load:
                moves, cpu = bench.run(
                    control, args.moves, server.proc.pid, warmup=0 if args.quick else WARMUP
                )
            results.append((control, moves, cpu, load.fraction))
            if args.verbose:
                print_moves(control, moves, cpu)
        problems = [f"{name}: JavaScript error on the page: {e}" for e in notebook.errors]
    finally:
        notebook.close()
    return results, problems


def print_moves(control, moves, cpu):
    """Every move of a control, on stderr (--verbose): its parts and the kernel's messages."""
    cpu_text = ", ".join(f"{role} {ms:.0f}" for role, ms in cpu.items())
    print(f"{control.notebook} / {control.name}: CPU ms per move: {cpu_text}", file=sys.stderr)
    for m in moves:
        raw = m.raw
        print(
            f"  total={fmt(m.total)} "
            + " ".join(f"{k}={v:.0f}" for k, v in m.parts.items())
            + f" message={m.message_bytes}B gone={m.gone_ms:.0f}ms/{raw['goneFrames']}frames"
            f" height={raw['heightBefore']}/{raw['minHeight']}/{raw['heightAfter']}"
            f" shift={raw['layoutShift']:.3f} long={sum(raw['longTasks']):.0f}"
            f" after-paint={raw['mutationsAfterPaint']} sends: {sends(m)}",
            file=sys.stderr,
        )


def sends(move):
    """Each comm_msg the page sent during a move (the state it carried, its size, when) and
    the kernel's messages it caused, in ms from the input."""
    t0 = move.raw["t0"] or 0
    return " ".join(
        f"{send['keys'] or '?'} {send['bytes']}B @{send['at'] - t0:.0f} ["
        + ", ".join(f"{e['type']} {e['bytes']}B @{e['at'] - t0:.0f}" for e in send["events"])
        + "]"
        for send in move.raw["sends"]
    )


def _extra(parser):
    parser.add_argument(
        "--notebook", action="append", metavar="NAME", help="only this notebook (repeatable)"
    )
    parser.add_argument(
        "--control",
        action="append",
        metavar="TEXT",
        help="only the controls whose name contains TEXT (repeatable)",
    )
    parser.add_argument(
        "--notebook-dir",
        type=Path,
        default=REPO / "notebooks",
        help="measure the notebooks of this folder (a patched copy, say); default notebooks/",
    )
    parser.add_argument(
        "--lab-setting",
        action="append",
        default=[],
        metavar="PLUGIN:KEY=JSON",
        help="a JupyterLab user setting to measure with (repeatable), e.g. "
        "'@jupyterlab/notebook-extension:tracker:windowingMode=\"full\"'",
    )
    parser.add_argument("--verbose", action="store_true", help="every move's figures on stderr")


def write_lab_settings(server, settings):
    """Write `PLUGIN:KEY=JSON` user settings into the server's settings folder (JupyterLab
    reads them at each request, so before the page loads is soon enough)."""
    by_plugin = {}
    for setting in settings:
        name, _, value = setting.partition("=")
        plugin, _, key = name.rpartition(":")
        if not plugin or not key or not value:
            raise SystemExit(f"--lab-setting: expected PLUGIN:KEY=JSON, got {setting!r}")
        by_plugin.setdefault(plugin, {})[key] = json.loads(value)
    for plugin, values in by_plugin.items():
        path = driver.user_settings_file(server, plugin)
        path.parent.mkdir(parents=True, exist_ok=True)
        old = json.loads(path.read_text()) if path.is_file() else {}
        path.write_text(json.dumps({**old, **values}))


def main(argv=None):
    args = parse_args(__doc__.splitlines()[0], argv, extra=_extra)
    args.moves = QUICK_MOVES if args.quick else (args.repeats or MOVES)
    missing = driver.browser_missing_reason()
    if missing is not None:
        print(f"### {TITLE}\n\nNot measured: {missing}.\n")
        return 0
    paths = widget_notebooks(args.notebook_dir, args.notebook)
    if args.quick:  # one notebook with a lab that draws, if there is one
        labs = [p for p in paths if DRAWING_LAB.search(p.read_text(encoding="utf-8"))]
        paths = (labs or paths)[:1]

    from playwright.sync_api import sync_playwright

    results, problems = [], []
    loadavg = [os.getloadavg()[0]] if hasattr(os, "getloadavg") else []
    with tempfile.TemporaryDirectory(prefix="slider-latency-") as tmp:
        server = driver.launch_server(Path(tmp))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=driver.find_chromium(), headless=True, args=driver.CHROMIUM_ARGS
                )
                try:
                    server.wait_until_up()
                    # A learner's notebook settings (JupyterLab's default windowing mode), not
                    # the tests' (every cell attached, so that a test can read the whole page).
                    tracker = "@jupyterlab/notebook-extension:tracker"
                    driver.user_settings_file(server, tracker).unlink(missing_ok=True)
                    write_lab_settings(server, args.lab_setting)
                    context = driver.new_context(browser)
                    context.add_init_script(INSTRUMENT_JS)
                    lab = driver.LabPage(context, server)
                    for path in paths:
                        measured, found = measure_notebook(lab, server, path, args)
                        results += measured
                        problems += found
                    context.close()
                finally:
                    browser.close()
        finally:
            driver.stop_server(server.proc)
    if hasattr(os, "getloadavg"):
        loadavg.append(os.getloadavg()[0])

    how = (
        f"--quick: {args.moves} moves of one slider (proves the script runs, measures little)"
        if args.quick
        else f"{args.moves} moves per control after {WARMUP} untimed, back and forth across "
        "its range"
    )
    notes = [
        f"{how}, each timed in the page from the input event to the new figure (and readout) "
        "painted. Goal: p95 <= "
        f"{GOAL_P95_MS:.0f} ms. Medians of the parts: to kernel = from the input to the kernel "
        "starting on the move; kernel = to the kernel sending the figure (compute, draw, PNG); "
        "to page = to the page receiving it; render = to the paint. figure gone ms: time the "
        "lab showed no figure (the old one removed before the new one was decoded). figure kB: "
        "the message that brought the figure (a base64 PNG in JSON, or a PNG's bytes); text: a "
        "lab without a figure. CPU ms: CPU time per move of the kernel, the JupyterLab server "
        "and Chromium (all its processes); a busy machine inflates it far less than wall times. "
        f"others' load: share of the {n_cores()} cores used by programs other than this "
        "benchmark's own (its browser, server and kernels); load average (1 min) "
        + " then ".join(f"{v:.2f}" for v in loadavg)
        + " at the start and the end."
    ]
    if args.lab_setting:
        notes.append("JupyterLab settings: " + ", ".join(args.lab_setting))
    if args.notebook_dir.resolve() != (REPO / "notebooks").resolve():
        notes.append(f"Notebooks from {args.notebook_dir}.")
    print_table(
        TITLE,
        HEADER,
        [row(*result) for result in results],
        [*notes, *problems],
        load_warning([result[-1] for result in results]),
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
