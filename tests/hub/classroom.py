"""A class on a real JupyterHub, on this machine only: what the hub test and benchmark share.

- `proxy_command` installs JupyterHub's proxy, configurable-http-proxy, with ``npm install`` into
  a cache folder (``build/hub-proxy/``), using npm's own registry and proxy settings;
- `course_repository` makes the repository students pull: a local clone of the course with a
  ``student`` branch holding the student copies of the notebooks (``tools/make_student.py``);
- `Hub` starts JupyterHub on 127.0.0.1 (dummy authenticator, one local process per student, every
  port on loopback) and stops everything it started, by process id, even when a test fails;
- `Student.attend` is one student: logs in with the login form, waits for the server, pulls the
  course with nbgitpuller, opens the lab notebook, runs it top to bottom over the kernel's
  websocket, then moves the lab's sliders through the widgets' comm messages;
- `run_class` runs a whole class at once and measures memory, times and failures.

Every wait is bounded in time and every loop in count; no request leaves 127.0.0.1.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import psutil
import requests
import websocket

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PROXY_CACHE = REPO / "build" / "hub-proxy"
PROXY_PACKAGE = "configurable-http-proxy@5"
LAB_NOTEBOOK = "06_saturation_and_dead_relus.ipynb"
TARGET = "backprop-course"  # the folder nbgitpuller pulls the course into
PASSWORD = "class-of-today"
# One BLAS/OpenMP thread per kernel: 30 kernels on a few cores must not each start a thread per
# core and fight over them.
THREAD_LIMITS = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
# Slider moves: (description of the widget, values to set, one after another). The first value
# differs from the slider's value in notebook 06 (depth 3, bias 0): setting the value a slider
# already has sends no update, and no new figure comes back.
SLIDER_MOVES = (("depth (sigmoid layers)", (6, 9)), ("bias init", (-1.0, 0.5)))


class ClassroomError(RuntimeError):
    """Something a student met that a real student would see as a failure."""


def free_port():
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def proxy_command(cache=PROXY_CACHE, timeout=300):
    """The path of configurable-http-proxy, installed with npm into `cache` if not there yet."""
    command = Path(cache) / "node_modules" / ".bin" / "configurable-http-proxy"
    if command.exists():
        return command
    npm = shutil.which("npm")
    if npm is None:
        raise ClassroomError(
            "npm is needed to install JupyterHub's proxy (configurable-http-proxy); "
            "on Debian or Ubuntu: apt-get install npm"
        )
    Path(cache).mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [npm, "install", "--prefix", str(cache), "--no-audit", "--no-fund", PROXY_PACKAGE],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0 or not command.exists():
        raise ClassroomError(f"npm install {PROXY_PACKAGE} failed:\n{done.stdout}{done.stderr}")
    return command


def _git(*args, cwd):
    subprocess.run(
        ["git", "-c", "user.name=Course", "-c", "user.email=course@localhost", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    )


def course_repository(folder):
    """A clone of the course with a ``student`` branch of student copies; returns its path.

    This is what an instructor publishes for nbgitpuller (here a local clone instead of a public
    repository): the notebooks of the working tree, solutions removed, on branch ``student``.
    """
    from tools.common import course_notebooks
    from tools.make_student import make_student_copy

    folder = Path(folder)
    subprocess.run(
        ["git", "clone", "--quiet", "--no-hardlinks", str(REPO), str(folder)],
        check=True,
        capture_output=True,
    )
    _git("checkout", "--quiet", "-b", "student", cwd=folder)
    for path in course_notebooks():
        copy, _ = make_student_copy(nbformat.read(str(path), as_version=4))
        nbformat.write(copy, str(folder / "notebooks" / path.name))
    _git("add", "notebooks", cwd=folder)
    _git("commit", "--quiet", "--allow-empty", "-m", "Student copies", cwd=folder)
    return folder


def hub_config(folder, proxy, token, port, hub_port, api_port, environment, runtime):
    """The text of a ``jupyterhub_config.py`` for a class on this machine.

    Kernels talk to their server over Unix sockets (``KernelManager.transport = "ipc"``), not TCP.
    Over TCP a server picks free ports for a kernel and the kernel binds them a second or more
    later, while it starts; with a whole class starting at once another process can take one of
    those ports in between, and that kernel dies with "Address already in use" before the
    student's notebook ever connects. Unix sockets live in each user's runtime folder,
    ``runtime/<user name>`` here: a socket's path must stay within 107 bytes.
    """
    folder = Path(folder)
    return f"""# JupyterHub for a class, every port on 127.0.0.1 (tests/hub/classroom.py).
c = get_config()  # noqa: F821
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{str(proxy)!r}]
c.ConfigurableHTTPProxy.pid_file = {str(folder / "proxy.pid")!r}
c.JupyterHub.pid_file = {str(folder / "hub.pid")!r}
c.JupyterHub.db_url = "sqlite:///{folder / "hub.sqlite"}"
c.JupyterHub.cookie_secret_file = {str(folder / "cookie_secret")!r}
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {PASSWORD!r}
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(folder / "homes" / "{username}")!r}
c.Spawner.cmd = [{str(BIN / "jupyterhub-singleuser")!r}]
c.Spawner.args = ["--allow-root", "--KernelManager.transport=ipc"]
c.Spawner.ip = "127.0.0.1"
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300
c.Spawner.environment = {{
    **{environment!r},
    "JUPYTER_RUNTIME_DIR": lambda spawner: {str(runtime)!r} + "/" + spawner.user.name,
}}
c.JupyterHub.cleanup_servers = True
c.JupyterHub.services = [{{"name": "classroom", "api_token": {token!r}}}]
c.JupyterHub.load_roles = [
    {{
        "name": "classroom",
        "scopes": ["admin:users", "admin:servers", "tokens", "access:servers"],
        "services": ["classroom"],
    }}
]
"""


class Hub:
    """JupyterHub with its proxy on 127.0.0.1, started by ``with Hub(folder) as hub:``.

    On exit every student server is stopped through the hub's API, then the hub (SIGTERM, then
    SIGKILL after a grace period), and then every process the hub had started that is still
    alive, each by its process id.
    """

    def __init__(self, folder, proxy, environment=None, start_timeout=120):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.token = secrets.token_hex(16)
        self.port, hub_port, api_port = free_port(), free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(THREAD_LIMITS)
        env.update(environment or {})
        self.environment = env
        # Short, so that a kernel's socket path fits in 107 bytes wherever the hub's folder is.
        self.runtime = Path(tempfile.mkdtemp(prefix="hub-run-"))
        (self.folder / "jupyterhub_config.py").write_text(
            hub_config(
                self.folder, proxy, self.token, self.port, hub_port, api_port, env, self.runtime
            )
        )
        self.start_timeout = start_timeout
        self.process = None
        self.seen = {}  # pid -> psutil.Process of everything the hub started
        self.log = self.folder / "hub.log"

    def api(self, method, path, timeout=60, **kwargs):
        """A request to the hub's REST API with the service token; raises on an HTTP error."""
        response = requests.request(
            method,
            f"{self.url}/hub/api{path}",
            headers={"Authorization": f"token {self.token}"},
            timeout=timeout,
            **kwargs,
        )
        if response.status_code >= 400:
            raise ClassroomError(f"{method} /hub/api{path}: {response.status_code} {response.text}")
        return response.json() if response.text else None

    def __enter__(self):
        env = dict(os.environ)
        env["PATH"] = os.pathsep.join([str(BIN), env.get("PATH", "")])
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [str(BIN / "jupyterhub"), "-f", str(self.folder / "jupyterhub_config.py")],
                cwd=self.folder,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
        try:
            deadline = time.monotonic() + self.start_timeout
            while True:
                if self.process.poll() is not None:
                    raise ClassroomError(f"JupyterHub exited at start:\n{self.log_tail()}")
                try:
                    requests.get(f"{self.url}/hub/api/", timeout=5).raise_for_status()
                    break
                except requests.RequestException:
                    if time.monotonic() > deadline:
                        raise ClassroomError(
                            f"JupyterHub did not answer within {self.start_timeout} s:\n"
                            f"{self.log_tail()}"
                        ) from None
                    time.sleep(0.5)
            self.remember_processes()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()

    def log_tail(self, lines=40):
        """The last lines of the hub's log."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def remember_processes(self):
        """Record every process below the hub (proxy, servers, kernels), to stop them later."""
        if self.process is None:
            return
        try:
            root = psutil.Process(self.process.pid)
            for proc in [root, *root.children(recursive=True)]:
                self.seen.setdefault(proc.pid, proc)
        except psutil.NoSuchProcess:
            pass

    def user_processes(self):
        """{user name: [server process, its kernels...]} for every running student server."""
        self.remember_processes()
        found = {}
        for proc in list(self.seen.values()):
            try:
                if "jupyterhub-singleuser" not in " ".join(proc.cmdline()):
                    continue
                user = proc.environ().get("JUPYTERHUB_USER")
                found[user] = [proc, *proc.children(recursive=True)]
            except psutil.Error:
                continue
        return found

    def stop(self, grace=20):
        """Stop the student servers, the hub and whatever they left, each by its process id."""
        self.remember_processes()
        if self.process is not None and self.process.poll() is None:
            try:
                for user in self.api("GET", "/users", timeout=10) or []:
                    if user.get("servers"):
                        self.api("DELETE", f"/users/{user['name']}/server", timeout=30)
            except (requests.RequestException, ClassroomError):
                pass
            self.remember_processes()
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        alive = []
        for pid, proc in self.seen.items():
            if pid == os.getpid():
                continue
            try:
                if proc.is_running():
                    proc.terminate()
                    alive.append(proc)
            except psutil.Error:
                pass
        _, still = psutil.wait_procs(alive, timeout=10)
        for proc in still:
            try:
                proc.kill()
            except psutil.Error:
                pass
        shutil.rmtree(self.runtime, ignore_errors=True)


def _decode(frame):
    """A kernel message from a websocket frame (JSON, or Jupyter's binary frame with buffers)."""
    if isinstance(frame, str):
        return json.loads(frame)
    count = int.from_bytes(frame[:4], "big")
    offsets = [int.from_bytes(frame[4 + 4 * i : 8 + 4 * i], "big") for i in range(count)]
    end = offsets[1] if count > 1 else len(frame)
    return json.loads(frame[offsets[0] : end].decode())


def _new_figure(content):
    """True for a widget update that sends a new image (`figures.live_figure`'s figure)."""
    data = content.get("data", {})
    return data.get("method") == "update" and ["value"] in data.get("buffer_paths", [])


@dataclass
class Report:
    """What one student did and met."""

    name: str
    login_s: float = None
    spawn_s: float = None
    pull_s: float = None
    notebook_s: float = None
    cells: int = 0
    slider_s: list = field(default_factory=list)
    finished_at: float = None
    failures: list = field(default_factory=list)
    kernel_cpu_s: float = None


class Student:
    """One student's session, over HTTP and the kernel's websocket, with bounded waits."""

    def __init__(self, hub, name, repository, cell_timeout=300):
        self.hub, self.name, self.repository = hub, name, Path(repository)
        self.cell_timeout = cell_timeout
        self.http = requests.Session()
        self.report = Report(name)
        self.token = None
        self.session_id = uuid.uuid4().hex
        self.widgets = {}  # description -> (comm id, model name, state)

    @property
    def server(self):
        return f"{self.hub.url}/user/{self.name}"

    def login(self):
        """The login form, as a browser sends it (with the hub's XSRF token)."""
        start = time.monotonic()
        page = self.http.get(f"{self.hub.url}/hub/login", timeout=60)
        page.raise_for_status()
        xsrf = self.http.cookies.get("_xsrf", "")
        response = self.http.post(
            f"{self.hub.url}/hub/login",
            data={"username": self.name, "password": PASSWORD, "_xsrf": xsrf},
            allow_redirects=False,
            timeout=60,
        )
        if response.status_code != 302:
            raise ClassroomError(f"login: expected a redirect, got {response.status_code}")
        self.report.login_s = time.monotonic() - start

    def start_server(self, timeout=300):
        """Start the student's server as the hub's home page does, and wait until it is ready."""
        start = time.monotonic()
        self.hub.api("POST", f"/users/{self.name}/server", timeout=timeout)
        deadline = start + timeout
        while True:
            user = self.hub.api("GET", f"/users/{self.name}")
            server = (user.get("servers") or {}).get("")
            if server and server.get("ready"):
                break
            if time.monotonic() > deadline:
                raise ClassroomError(f"server not ready within {timeout} s: {server}")
            time.sleep(0.5)
        self.report.spawn_s = time.monotonic() - start
        # The browser's way in: the hub's cookie, then OAuth with the student's own server.
        lab = self.http.get(f"{self.server}/lab", timeout=120)
        if lab.status_code != 200 or "jupyter" not in lab.text.lower():
            raise ClassroomError(f"GET /user/{self.name}/lab: {lab.status_code}")
        tokens = self.hub.api("POST", f"/users/{self.name}/tokens", json={"note": "classroom"})
        self.token = tokens["token"]

    def get(self, path, **kwargs):
        response = self.http.get(
            f"{self.server}{path}", headers={"Authorization": f"token {self.token}"}, **kwargs
        )
        response.raise_for_status()
        return response

    def pull_course(self, timeout=180):
        """nbgitpuller's API, as its link does: clone the ``student`` branch into the home."""
        start = time.monotonic()
        params = {"repo": str(self.repository), "branch": "student", "targetpath": TARGET}
        response = self.get("/git-pull/api", params=params, stream=True, timeout=timeout)
        phase, lines = None, []
        for raw in response.iter_lines(decode_unicode=True):
            if time.monotonic() - start > timeout:
                raise ClassroomError(f"nbgitpuller took more than {timeout} s")
            if not raw or not raw.startswith("data:"):
                continue
            event = json.loads(raw[len("data:") :])
            phase = event.get("phase")
            lines.append(event.get("output") or event.get("message") or "")
            if phase in ("finished", "error"):
                break
        if phase != "finished":
            raise ClassroomError(f"nbgitpuller ended with {phase!r}: {''.join(lines)[-500:]}")
        self.report.pull_s = time.monotonic() - start

    def open_notebook(self, notebook=LAB_NOTEBOOK):
        """The notebook from the server, and a kernel session for it; returns the cells' code."""
        path = f"{TARGET}/notebooks/{notebook}"
        model = self.get(f"/api/contents/{path}", params={"content": 1}, timeout=60).json()
        code = [c["source"] for c in model["content"]["cells"] if c["cell_type"] == "code"]
        response = self.http.post(
            f"{self.server}/api/sessions",
            headers={"Authorization": f"token {self.token}"},
            json={"path": path, "type": "notebook", "kernel": {"name": "python3"}},
            timeout=120,
        )
        response.raise_for_status()
        self.kernel_id = response.json()["kernel"]["id"]
        url = self.server.replace("http://", "ws://")
        self.ws = websocket.create_connection(
            f"{url}/api/kernels/{self.kernel_id}/channels?session_id={self.session_id}",
            header=[f"Authorization: token {self.token}"],
            timeout=self.cell_timeout,
        )
        return code

    def send(self, msg_type, content, channel="shell"):
        msg_id = uuid.uuid4().hex
        self.ws.send(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "msg_type": msg_type,
                        "username": self.name,
                        "session": self.session_id,
                        "version": "5.3",
                        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    },
                    "parent_header": {},
                    "metadata": {},
                    "content": content,
                    "channel": channel,
                    "buffers": [],
                }
            )
        )
        return msg_id

    def wait_idle(self, msg_id, what):
        """Read messages until the kernel is idle after `msg_id`; returns (errors, outputs)."""
        errors, outputs = [], 0
        deadline = time.monotonic() + self.cell_timeout
        for _ in range(1_000_000):
            if time.monotonic() > deadline:
                raise ClassroomError(f"{what}: no idle within {self.cell_timeout} s")
            msg = _decode(self.ws.recv())
            kind = msg.get("msg_type") or msg["header"]["msg_type"]
            content = msg.get("content", {})
            if kind == "comm_open" and content.get("target_name") == "jupyter.widget":
                state = content.get("data", {}).get("state", {})
                if state.get("description"):
                    self.widgets[state["description"]] = (content["comm_id"], state)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if kind == "error":
                errors.append(f"{content.get('ename')}: {content.get('evalue')}")
            elif kind in ("display_data", "stream", "execute_result"):
                outputs += 1
            elif kind == "comm_msg" and _new_figure(content):
                outputs += 1  # a lab's Image widget, given its new PNG
            elif kind == "status" and content.get("execution_state") == "idle":
                return errors, outputs
        raise ClassroomError(f"{what}: too many messages")

    def run_notebook(self, code):
        """Every code cell in order, as Run All does; a cell that raises is a failure."""
        start = time.monotonic()
        for number, source in enumerate(code, start=1):
            msg_id = self.send(
                "execute_request",
                {
                    "code": source,
                    "silent": False,
                    "store_history": True,
                    "user_expressions": {},
                    "allow_stdin": False,
                    "stop_on_error": True,
                },
            )
            errors, _ = self.wait_idle(msg_id, f"code cell {number}")
            if errors:
                raise ClassroomError(f"code cell {number} raised {errors[0]}")
            self.report.cells += 1
        self.report.notebook_s = time.monotonic() - start

    def move_sliders(self, moves=SLIDER_MOVES):
        """Set each slider's value through its comm, as dragging it does; time each update."""
        for description, values in moves:
            if description not in self.widgets:
                raise ClassroomError(
                    f"no widget {description!r}; the lab shows {sorted(self.widgets)}"
                )
            comm_id, _ = self.widgets[description]
            for value in values:
                start = time.monotonic()
                msg_id = self.send(
                    "comm_msg",
                    {
                        "comm_id": comm_id,
                        "data": {"method": "update", "state": {"value": value}, "buffer_paths": []},
                    },
                )
                errors, outputs = self.wait_idle(msg_id, f"{description} = {value}")
                if errors or outputs == 0:
                    raise ClassroomError(
                        f"{description} = {value}: {errors[0] if errors else 'no new output'}"
                    )
                self.report.slider_s.append(time.monotonic() - start)

    def attend(self, gate):
        """The whole session, from `gate` (a barrier) on; failures are reported, never raised."""
        try:
            gate.wait(timeout=60)
            self.login()
            self.start_server()
            self.pull_course()
            code = self.open_notebook()
            self.run_notebook(code)
            self.move_sliders()
            self.report.finished_at = time.monotonic()
        except Exception as err:  # noqa: BLE001 (every failure is reported, none is lost)
            self.report.failures.append(f"{type(err).__name__}: {err}")
        return self.report

    def close(self):
        ws = getattr(self, "ws", None)
        if ws is not None:
            try:
                ws.close()
            except Exception:  # noqa: BLE001 (closing after a failure)
                pass


def memory_of(processes):
    """(PSS, RSS) in MB of a list of psutil processes (PSS shares libraries fairly)."""
    pss = rss = 0
    for proc in processes:
        try:
            info = proc.memory_full_info()
            pss += info.pss
            rss += info.rss
        except psutil.Error:
            continue
    return pss / 2**20, rss / 2**20


def run_class(folder, students=12, proxy=None, class_timeout=1200):
    """A class of `students` on a fresh hub: everyone at once; returns a dict of figures.

    The figures: per student the login, server start, pull and notebook times, the slider
    updates and the kernel's CPU seconds; memory (PSS and RSS) of each student's server and
    kernel after the lab ran, and of the hub with its proxy; the time for all to finish; the
    failures.
    """
    folder = Path(folder)
    proxy = proxy or proxy_command()
    repository = course_repository(folder / "course.git")
    mpl = folder / "matplotlib"
    mpl.mkdir(parents=True, exist_ok=True)
    # The font cache, built once as it would be in the image the hub's users share.
    subprocess.run(
        [sys.executable, "-c", "import matplotlib.pyplot"],
        env=dict(os.environ, MPLCONFIGDIR=str(mpl)),
        check=True,
        capture_output=True,
    )
    names = [f"student{i:02d}" for i in range(1, students + 1)]
    with Hub(folder / "hub", proxy, environment={"MPLCONFIGDIR": str(mpl)}) as hub:
        class_ = [Student(hub, name, repository) for name in names]
        gate = threading.Barrier(students + 1)
        threads = [threading.Thread(target=s.attend, args=(gate,), daemon=True) for s in class_]
        for thread in threads:
            thread.start()
        gate.wait(timeout=60)
        t0 = time.monotonic()
        deadline = t0 + class_timeout
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        all_done = time.monotonic() - t0
        for s, thread in zip(class_, threads):
            if thread.is_alive():
                s.report.failures.append(f"still running after {class_timeout} s")
        processes = hub.user_processes()
        memory, cpu, transports = {}, {}, {}
        for name, procs in processes.items():
            memory[name] = memory_of(procs)
            kernels = procs[1:]
            transports[name] = sorted({kernel_transport(p) for p in kernels})
            try:
                cpu[name] = sum(sum(p.cpu_times()[:2]) for p in kernels)
            except psutil.Error:
                cpu[name] = None
        hub_processes = [psutil.Process(hub.process.pid)]
        hub_processes += [
            p for p in hub_processes[0].children() if "jupyterhub-singleuser" not in _cmd(p)
        ]
        hub_memory = memory_of(hub_processes)
        for s in class_:
            s.report.kernel_cpu_s = cpu.get(s.name)
            if s.report.finished_at is not None:
                s.report.finished_at -= t0
            s.close()
        hub_log = hub.log_tail(80)
    reports = [s.report for s in class_]
    return {
        "students": students,
        "reports": reports,
        "memory": memory,
        "hub_memory": hub_memory,
        "all_done_s": all_done,
        "failures": {r.name: r.failures for r in reports if r.failures},
        "hub_log": hub_log,
        "thread_limits": dict(THREAD_LIMITS),
        "transports": transports,
    }


def kernel_transport(proc):
    """How a kernel process talks to its server: the ``transport`` of its connection file.

    None when the process has no readable connection file (it ended, or it is not a kernel).
    """
    args = _cmd(proc).split()
    for flag, value in zip(args, args[1:]):
        if flag == "-f":
            try:
                return json.loads(Path(value).read_text()).get("transport")
            except (OSError, ValueError):
                return None
    return None


def _cmd(proc):
    try:
        return " ".join(proc.cmdline())
    except psutil.Error:
        return ""


def summary(result):
    """The headline figures of `run_class`'s result, as a dict of numbers."""
    reports = result["reports"]
    done = [r for r in reports if not r.failures]
    pss = [m[0] for m in result["memory"].values()]
    rss = [m[1] for m in result["memory"].values()]
    sliders = [s for r in done for s in r.slider_s]
    cpu = [r.kernel_cpu_s for r in done if r.kernel_cpu_s is not None]
    return {
        "students": result["students"],
        "finished": len(done),
        "failures": sum(len(r.failures) for r in reports),
        "all_done_s": result["all_done_s"],
        "login_max_s": max((r.login_s for r in reports if r.login_s), default=None),
        "spawn_max_s": max((r.spawn_s for r in reports if r.spawn_s), default=None),
        "pull_max_s": max((r.pull_s for r in reports if r.pull_s), default=None),
        "notebook_max_s": max((r.notebook_s for r in done), default=None),
        "notebook_median_s": _median([r.notebook_s for r in done]),
        "slider_max_s": max(sliders, default=None),
        "slider_median_s": _median(sliders),
        "pss_mean_mb": sum(pss) / len(pss) if pss else None,
        "pss_max_mb": max(pss, default=None),
        "rss_mean_mb": sum(rss) / len(rss) if rss else None,
        "hub_pss_mb": result["hub_memory"][0],
        "kernel_cpu_mean_s": sum(cpu) / len(cpu) if cpu else None,
    }


def _median(values):
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2
