"""Each benchmark runs once on tiny sizes (`--quick`) and prints its table.

No timing is checked: only that every script runs, writes nothing to stderr, and prints a table
with its header and a row per case. The scripts start together, each in its own process, so the
whole module takes about as long as the slowest of them: `slider_latency.py --quick`, which
starts JupyterLab and Chromium and runs notebook 01, takes most of a minute (it runs only where
the browser tests can run).
"""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .browser.driver import browser_missing_reason, require_message, skip_message

pytestmark = pytest.mark.slow  # runs every benchmark script: make test runs it, test-fast skips it

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"


def torch_installed():
    try:
        return importlib.util.find_spec("torch") is not None
    except ImportError:  # an import hook that hides it
        return False


HAVE_TORCH = torch_installed()
# slider_latency.py drives JupyterLab in Chromium: run only where the browser tests can run.
BROWSER_MISSING = browser_missing_reason()

# name -> the arguments after the script's path
RUNS = {
    "mlp_vs_torch": ["mlp_vs_torch.py", "--quick"],
    "mlp_without_torch": ["mlp_vs_torch.py", "--quick", "--no-torch"],
    "fit_vs_torch": ["fit_vs_torch.py", "--quick"],
    "backward_forward_ratio": ["backward_forward_ratio.py", "--quick"],
    "numeric_vs_backprop": ["numeric_vs_backprop.py", "--quick"],
    "course_runtime": ["course_runtime.py", "--quick"],
    "run_all": ["run_all.py", "--quick", "--only", "backward_forward_ratio.py"],
}
if BROWSER_MISSING is None:
    RUNS["slider_latency"] = ["slider_latency.py", "--quick"]


@pytest.fixture(scope="module")
def readme(tmp_path_factory):
    """A Markdown file with a figures section, for run_all.py --readme to fill."""
    path = tmp_path_factory.mktemp("bench") / "README.md"
    path.write_text("# Figures\n\n<!-- figures -->\nold\n<!-- /figures -->\n\nThe end.\n")
    return path


@pytest.fixture(scope="module")
def outputs(readme):
    """{name: (exit code, stdout, stderr)}, every run started at once with this Python."""
    runs = dict(RUNS, run_all=RUNS["run_all"] + ["--readme", str(readme)])
    processes = {
        name: subprocess.Popen(
            [sys.executable, str(BENCHMARKS / args[0]), *args[1:]],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, args in runs.items()
    }
    results = {}
    for name, process in processes.items():
        stdout, stderr = process.communicate(timeout=300)
        results[name] = (process.returncode, stdout, stderr)
    return results


def table(stdout, title):
    """The header cells and the rows (lists of cells) of the Markdown table under `### title`."""
    lines = stdout.splitlines()
    assert f"### {title}" in lines, f"no table titled {title!r} in:\n{stdout}"
    start = lines.index(f"### {title}") + 2
    block = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        block.append([cell.strip() for cell in line.strip("|").split("|")])
    assert len(block) >= 2 and set("".join(block[1])) <= set("-:"), f"no table rule in:\n{stdout}"
    return block[0], block[2:]


def ran(outputs, name):
    code, stdout, stderr = outputs[name]
    assert code == 0, f"{RUNS[name]} exited with {code}:\n{stderr}"
    assert stderr == "", f"{RUNS[name]} wrote to stderr:\n{stderr}"
    return stdout


def column(header, rows, name):
    return [row[header.index(name)] for row in rows]


def timings(cells):
    """Every cell is a time or a ratio of times: a number, never negative. A tiny --quick run
    may round to 0, so 0 is allowed (what is timed is the printing, not the machine)."""
    return bool(cells) and all(float(cell) >= 0 for cell in cells)


MLP_HEADER = [
    "layers",
    "batch",
    "dtype",
    "helpers ms",
    "torch ms",
    "helpers/torch",
    "warmed helpers/torch",
    "helpers faults/call",
    "grad diff",
    "others' load",
]


def test_mlp_vs_torch(outputs):
    stdout = ran(outputs, "mlp_vs_torch")
    header, rows = table(stdout, "MLP forward + backward: helpers vs PyTorch CPU")
    assert header == MLP_HEADER
    assert column(header, rows, "dtype") == ["float64", "float32"]
    assert timings(column(header, rows, "helpers ms"))
    assert "in a new process for every case" in stdout and "fresh process" in stdout
    assert all(float(n) >= 0 for n in column(header, rows, "helpers faults/call") if n != "n/a")
    if HAVE_TORCH:
        assert "not installed" not in stdout
        assert timings(column(header, rows, "torch ms"))
        assert all(float(ratio) >= 0 for ratio in column(header, rows, "helpers/torch"))
        assert timings(column(header, rows, "warmed helpers/torch"))
        # the same weights and batch on both sides: the gradients agree to the dtype's precision
        assert all(float(diff) < 1e-5 for diff in column(header, rows, "grad diff"))
    else:
        assert "PyTorch is not installed" in stdout and "torch==2.13.0" in stdout
        assert set(column(header, rows, "torch ms")) == {"-"}


def test_mlp_vs_torch_without_torch(outputs):
    stdout = ran(outputs, "mlp_without_torch")
    header, rows = table(stdout, "MLP forward + backward: helpers vs PyTorch CPU")
    assert header == MLP_HEADER and len(rows) == 2
    assert "only the helpers half is timed" in stdout
    assert timings(column(header, rows, "helpers ms"))
    for name in ("torch ms", "helpers/torch", "warmed helpers/torch", "grad diff"):
        assert set(column(header, rows, name)) == {"-"}


def test_fit_vs_torch(outputs):
    stdout = ran(outputs, "fit_vs_torch")
    header, rows = table(stdout, "Training the digits network: helpers MLP.fit vs a PyTorch loop")
    assert header[:3] == ["network", "steps", "dtype"] and header[-1] == "others' load"
    # --quick: one epoch of notebook 05's digits network, 1,348 images in batches of 32
    assert [row[:3] for row in rows] == [["64-64-10", "43", d] for d in ("float64", "float32")]
    assert "fresh process" in stdout and "goal, helpers/torch <= 1.00" in stdout
    assert timings(column(header, rows, "helpers s"))
    if HAVE_TORCH:
        assert timings(column(header, rows, "helpers/torch"))
        # the same weights and batches on both sides: the same losses to the dtype's precision
        assert all(float(diff) < 1e-4 for diff in column(header, rows, "loss diff"))
    else:
        assert set(column(header, rows, "torch s")) == {"-"}


def test_backward_forward_ratio(outputs):
    stdout = ran(outputs, "backward_forward_ratio")
    header, rows = table(stdout, "Backward / forward time of the helpers MLP")
    assert header[-3:] == ["backward/forward", "FLOP ratio", "others' load"] and len(rows) == 2
    assert timings(column(header, rows, "backward/forward"))
    # 8-16-4: (8*16 + 16*4 + 16*4) / (8*16 + 16*4), no product for dL/dX
    assert column(header, rows, "FLOP ratio") == ["1.33", "1.33"]
    assert "Goal: backward/forward <= 2.2" in stdout


def test_numeric_vs_backprop(outputs):
    stdout = ran(outputs, "numeric_vs_backprop")
    header, rows = table(stdout, "Backprop vs numerical gradient")
    assert header[:2] == ["layers", "parameters"]
    assert column(header, rows, "parameters") == ["12", "83"]
    assert timings(column(header, rows, "numerical/backprop"))


def test_course_runtime(outputs):
    stdout = ran(outputs, "course_runtime")
    header, rows = table(stdout, "Course run time")
    assert header == ["notebook", "code cells", "seconds", "status"]
    assert rows[0][0] == "(two-cell check)" and rows[0][-1] == "ok"
    assert timings(column(header, rows, "seconds"))


def test_run_all_describes_the_machine_then_runs_the_scripts(outputs, readme):
    stdout = ran(outputs, "run_all")
    header, rows = table(stdout, "Machine")
    what = column(header, rows, "")
    assert {"CPU", "cores (nproc)", "numpy", "BLAS (numpy)", "PyTorch"} <= set(what)
    table(stdout, "Backward / forward time of the helpers MLP")
    assert "MLP forward + backward" not in stdout  # --only
    # --readme: the figures section holds this run's tables, the rest of the file is kept
    text = readme.read_text()
    assert text.startswith("# Figures\n\n<!-- figures -->\nMeasured with `make bench")
    assert text.endswith("<!-- /figures -->\n\nThe end.\n") and "old" not in text
    table(text, "Machine")
    table(text, "Backward / forward time of the helpers MLP")


SLIDER_HEADER = [
    "notebook",
    "control",
    "moves",
    "median ms",
    "p95 ms",
    "max ms",
    "to kernel ms",
    "kernel ms",
    "to page ms",
    "render ms",
    "figure gone ms",
    "figure kB",
    "CPU ms kernel/server/browser",
    "others' load",
]


def test_slider_latency(outputs):
    """One slider of a lab moved 3 times in JupyterLab in Chromium: every move painted."""
    if BROWSER_MISSING is not None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(require_message(BROWSER_MISSING), pytrace=False)
        pytest.skip(skip_message(BROWSER_MISSING))
    stdout = ran(outputs, "slider_latency")
    header, rows = table(stdout, "Slider to screen in JupyterLab (Chromium)")
    assert header == SLIDER_HEADER and len(rows) == 1, stdout
    assert column(header, rows, "moves") == ["3"], "a move was never painted"
    assert column(header, rows, "control")[0] != ""
    for name in ("median ms", "p95 ms", "kernel ms", "figure kB"):
        assert timings(column(header, rows, name)), f"{name}: {stdout}"
    assert "Goal: p95 <= 150 ms" in stdout


def test_run_all_says_when_it_skips_a_browser_benchmark(monkeypatch, capsys):
    """Without Chromium, make bench names the benchmark it skips, and why."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import run_all

    monkeypatch.setattr(run_all, "browser_missing", lambda: "no Chromium found")
    monkeypatch.setattr(run_all, "machine_table", lambda: "### Machine\n")
    monkeypatch.setattr(run_all.subprocess, "run", pytest.fail)  # nothing may be started
    assert run_all.main(["--only", "slider_latency.py"]) == 0
    assert "slider_latency.py skipped: no Chromium found" in capsys.readouterr().out
