"""How long the course takes to run: every notebook from a fresh kernel, and the whole series.

    .venv/bin/python benchmarks/course_runtime.py           every notebook in notebooks/
    .venv/bin/python benchmarks/course_runtime.py --quick   a two-cell notebook only (the machinery)

Each notebook is read from notebooks/, executed in memory by nbclient in a new kernel started in
that folder (the files are not modified), and timed from kernel start to the end of its last
cell. The first row is an empty notebook: the cost of starting a kernel, included in every row.
Goals: each notebook < 10 s, the whole series <= 30 s.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from _common import OtherLoad, load_warning, parse_args, print_table
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
PER_NOTEBOOK_GOAL_S, TOTAL_GOAL_S = 10.0, 30.0
TIMEOUT_S = 300


def tiny_notebook(sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


def run(nb, folder, sockets):
    """Seconds from starting a fresh kernel to the end of the last cell, and 'ok' or the error."""
    # Local sockets in a private folder rather than TCP where the system has them: the kernel
    # would otherwise warn on stderr that its TCP traffic is not encrypted.
    if os.name == "posix":
        km = KernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(sockets, "k"))
    else:
        km = KernelManager(kernel_name="python3")
    finished = []
    client = NotebookClient(
        nb,
        km=km,
        timeout=TIMEOUT_S,
        resources={"metadata": {"path": str(folder)}},
        on_cell_executed=lambda **_: finished.append(time.perf_counter()),
    )
    start = time.perf_counter()
    try:
        client.execute()
        status = "ok"
    except CellExecutionError as err:
        status = f"error: {err.ename}"
    except CellTimeoutError:
        status = f"timed out after {TIMEOUT_S} s"
    except Exception as err:  # the kernel died, or would not start: report it, go on
        status = f"error: {type(err).__name__}"
    finally:
        end = finished[-1] if finished else time.perf_counter()  # not the kernel's shutdown
        if km.has_kernel:  # nbclient leaves a kernel manager it was given running
            km.shutdown_kernel(now=True)
    return end - start, status


def main(argv=None):
    args = parse_args(__doc__.splitlines()[0], argv)
    if args.quick:
        runs = [("(two-cell check)", tiny_notebook(["import numpy as np", "np.arange(3).sum()"]))]
    else:
        runs = [("(kernel start only)", tiny_notebook([]))]
        for path in sorted(NOTEBOOKS.glob("*.ipynb")):
            runs.append((path.name, nbformat.read(path, as_version=4)))

    rows, total, n_notebooks = [], 0.0, 0
    folder = NOTEBOOKS if NOTEBOOKS.is_dir() else Path.cwd()
    with tempfile.TemporaryDirectory() as sockets, OtherLoad() as load:
        for name, nb in runs:
            seconds, status = run(nb, folder, sockets)
            if not name.startswith("("):  # a notebook of the course, not a reference row
                n_notebooks += 1
                total += seconds
                if status == "ok" and seconds >= PER_NOTEBOOK_GOAL_S:
                    status = f"ok, over {PER_NOTEBOOK_GOAL_S:.0f} s"
            n_code = sum(cell.cell_type == "code" for cell in nb.cells)
            rows.append([name, n_code, f"{seconds:.2f}", status])
    if not args.quick:
        rows.append([f"total ({n_notebooks} notebooks)", "-", f"{total:.2f}", "-"])
    notes = [
        f"Each notebook executed by nbclient from a fresh kernel, one after another. Goals: each "
        f"notebook < {PER_NOTEBOOK_GOAL_S:.0f} s, the whole series <= {TOTAL_GOAL_S:.0f} s."
    ]
    if not args.quick and n_notebooks == 0:
        notes.append(f"No notebooks found in {NOTEBOOKS.name}/.")
    print_table(
        "Course run time",
        ["notebook", "code cells", "seconds", "status"],
        rows,
        notes,
        warning=None if args.quick else load_warning([load.fraction]),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
