"""A class on a JupyterHub on this machine: memory per student, times, and how many fit.

    .venv/bin/python benchmarks/hub_class.py [--students 12] [--ram-gb 16 --cores 4 ...]

Needs the ``hub`` extra (``pip install -e ".[hub]"``) and npm (JupyterHub's proxy is installed
into build/hub-proxy/ on first use). Starts JupyterHub on 127.0.0.1 with the dummy authenticator
and one local process per student, lets every student log in at once, pull the course with
nbgitpuller, run the lab notebook (06) top to bottom and move two of its sliders; the same class
as ``tests/hub/test_hub.py`` (``tests/hub/classroom.py``). Not part of ``run_all.py``: it takes
minutes and starts a server per student.

Prints the figures and, from them, an estimate of how many students a machine holds:
by memory, ``(RAM - hub - 1 GB for the system) / memory per student``; by CPU, how many students
can run the whole notebook at the same moment and all finish within five minutes,
``cores x 300 s / CPU seconds per run``. Figures taken on a busy machine are pessimistic.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.hub import classroom  # noqa: E402

SYSTEM_GB = 1.0
RUN_WITHIN_S = 300.0


def capacity(figures, ram_gb, cores):
    """(students by memory, students by CPU) for a machine of `ram_gb` GB and `cores` cores."""
    free_mb = ram_gb * 1024 - figures["hub_pss_mb"] - SYSTEM_GB * 1024
    by_memory = int(free_mb / figures["pss_max_mb"])
    by_cpu = int(cores * RUN_WITHIN_S / figures["kernel_cpu_mean_s"])
    return max(by_memory, 0), by_cpu


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=12, help="class size (default 12)")
    parser.add_argument(
        "--machines",
        default="8x2,16x4,32x8,64x16",
        help="machines to estimate for, as RAM_GBxCORES[,...] (default 8x2,16x4,32x8,64x16)",
    )
    args = parser.parse_args(argv)
    machines = []
    for item in args.machines.split(","):
        try:
            ram, cores = item.lower().split("x")
            machines.append((float(ram), int(cores)))
        except ValueError:
            parser.error(f"--machines: expected RAM_GBxCORES like 16x4; got {item!r}")
    with tempfile.TemporaryDirectory(prefix="hub_class_") as folder:
        result = classroom.run_class(folder, students=args.students)
    figures = classroom.summary(result)
    print(f"# A class of {args.students} on JupyterHub ({os.cpu_count()} cores on this machine)\n")
    print("| figure | value |\n|---|---|")
    rows = [
        ("students who finished", f"{figures['finished']} of {figures['students']}"),
        ("failures", str(figures["failures"])),
        ("time for all to finish (login to last slider)", f"{figures['all_done_s']:.0f} s"),
        ("slowest login", f"{figures['login_max_s']:.1f} s"),
        ("slowest server start", f"{figures['spawn_max_s']:.1f} s"),
        ("slowest nbgitpuller pull", f"{figures['pull_max_s']:.1f} s"),
        ("lab notebook run, median / slowest", _pair(figures, "notebook")),
        ("slider update under load, median / slowest", _pair(figures, "slider")),
        ("kernel CPU for the notebook, per student", f"{figures['kernel_cpu_mean_s']:.1f} s"),
        ("memory per student (server + kernel, PSS), mean", f"{figures['pss_mean_mb']:.0f} MB"),
        ("memory per student (PSS), largest", f"{figures['pss_max_mb']:.0f} MB"),
        ("memory per student (RSS, counts shared libraries)", f"{figures['rss_mean_mb']:.0f} MB"),
        ("hub and proxy (PSS)", f"{figures['hub_pss_mb']:.0f} MB"),
    ]
    for name, value in rows:
        print(f"| {name} | {value} |")
    print("\n| machine | students by memory | students running the notebook at once |")
    print("|---|---|---|")
    for ram, cores in machines:
        by_memory, by_cpu = capacity(figures, ram, cores)
        print(f"| {ram:g} GB, {cores} cores | {by_memory} | {by_cpu} |")
    if result["failures"]:
        print(f"\nfailures: {result['failures']}", file=sys.stderr)
        return 1
    return 0


def _pair(figures, key):
    return f"{figures[key + '_median_s']:.2f} s / {figures[key + '_max_s']:.2f} s"


if __name__ == "__main__":
    sys.exit(main())
