"""Run every benchmark, one after another, and print their tables (what `make bench` runs).

    .venv/bin/python benchmarks/run_all.py                       all of them, full sizes
    .venv/bin/python benchmarks/run_all.py --quick               each once, on tiny sizes
    .venv/bin/python benchmarks/run_all.py --readme benchmarks/README.md
                                                                 also store the tables there
    .venv/bin/python benchmarks/run_all.py --only mlp_vs_torch.py
                                                                 one of them (repeatable)

Each script runs in its own process (so one library's threads or imports cannot slow another's
figures), with the Python running this one. The machine is described first: the figures mean
little without it. With --readme, the text between the `<!-- figures -->` and
`<!-- /figures -->` lines of that file is replaced by this run's output.
"""

import argparse
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from _common import OtherLoad, load_text, machine_rows, markdown_table

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    "mlp_vs_torch.py",
    "fit_vs_torch.py",
    "backward_forward_ratio.py",
    "numeric_vs_backprop.py",
    "course_runtime.py",
    "widgets.py",  # the labs' update latency, where that benchmark exists
    "slider_latency.py",  # slider to screen in JupyterLab: needs Chromium
]
# Scripts that drive JupyterLab in a real browser: run only where Chromium and Playwright are.
NEEDS_BROWSER = {"slider_latency.py"}
START, END = "<!-- figures -->", "<!-- /figures -->"


def browser_missing():
    """Why a browser benchmark cannot run here (as the browser tests decide), or None."""
    if str(HERE.parent) not in sys.path:
        sys.path.insert(0, str(HERE.parent))
    from tests.browser.driver import browser_missing_reason

    return browser_missing_reason()


def machine_table():
    rows = machine_rows()
    with OtherLoad() as load:
        time.sleep(1.0)
    rows.append(("cores used by other programs at the start", load_text(load.fraction)))
    if hasattr(os, "getloadavg"):
        rows.append(("load average (1 min) at the start", f"{os.getloadavg()[0]:.2f}"))
    rows.append(("date", date.today().isoformat()))
    return "### Machine\n\n" + markdown_table(["", "value"], rows) + "\n"


def separate_tables(text):
    """`text` with a blank line before each table that follows prose, as Markdown needs."""
    lines = []
    for line in text.splitlines():
        if line.startswith("|") and lines and lines[-1] and not lines[-1].startswith("|"):
            lines.append("")
        lines.append(line)
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="each benchmark once, tiny sizes")
    parser.add_argument("--readme", type=Path, help="store the tables in this Markdown file")
    parser.add_argument(
        "--only", action="append", metavar="SCRIPT", help="run only this script (repeatable)"
    )
    args = parser.parse_args(argv)
    unknown = set(args.only or ()) - set(SCRIPTS)
    if unknown:
        parser.error(f"--only: unknown script(s) {sorted(unknown)}; choose from {SCRIPTS}")

    command = "make bench" + (" BENCH_ARGS=--quick" if args.quick else "")
    parts = [machine_table()]
    print(parts[0], flush=True)
    failed = []
    for name in SCRIPTS:
        path = HERE / name
        if not path.exists() or (args.only and name not in args.only):
            continue
        if name in NEEDS_BROWSER and (reason := browser_missing()) is not None:
            skipped = f"{name} skipped: {reason}\n"
            print(skipped, flush=True)
            parts.append(skipped)
            continue
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, str(path)] + (["--quick"] if args.quick else []),
            capture_output=True,
            text=True,
            cwd=HERE.parent,
        )
        seconds = time.perf_counter() - start
        print(result.stdout, end="", flush=True)
        if result.stderr:
            print(result.stderr, end="", file=sys.stderr, flush=True)
        if result.returncode != 0:
            failed.append(name)
            print(f"{name} failed (exit code {result.returncode})\n", file=sys.stderr)
        else:
            parts.append(result.stdout)
            print(f"({name}: {seconds:.1f} s)\n", flush=True)

    if args.readme is not None and not failed:
        text = args.readme.read_text()
        if START not in text or END not in text:
            sys.exit(f"{args.readme}: no {START} ... {END} section to fill")
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1]
        body = f"Measured with `{command}`.\n\n" + "\n".join(
            separate_tables(p.rstrip()) + "\n" for p in parts
        )
        args.readme.write_text(f"{head}{START}\n{body}{END}{tail}")
        print(f"Tables stored in {args.readme}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
