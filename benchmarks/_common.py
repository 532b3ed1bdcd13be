"""What the benchmark scripts share: a timer, Markdown tables and a description of the machine.

Timing rules, the same in every script: each callable is run a few times first (warm-up: caches,
thread pools, lazy imports), then timed `repeats` times; each sample times a loop long enough to
be well above the clock's resolution, and the figure reported is the median sample divided by the
loop length. Callables compared with each other are timed in one process, in turns of a few
samples each (see `compare_times` for why not sample by sample). `measure` also records how much
of the cores other programs used meanwhile (`OtherLoad`), and measures again when that was a lot.

What a learner's fresh kernel gets can differ from what a long-running process gets: the C
allocator serves arrays of a few hundred kilobytes from fresh memory (one page fault per 4 kB)
until an earlier, larger allocation has raised its thresholds. `measure_fresh` therefore runs
each case in a new process of its own (the script itself, with `--child` arguments), the two
sides of a comparison in turns, and returns what each process printed.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

# Rows measured while other programs used more than this share of the cores are retried, then
# flagged: their figures are not reliable.
LOAD_LIMIT = 0.15


def parse_args(description, argv=None, extra=None):
    """The command line every script takes: `--quick` (tiny sizes, one run) and `--repeats N`."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--quick", action="store_true", help="run once on tiny sizes (proves the script runs)"
    )
    parser.add_argument("--repeats", type=int, default=None, help="timed samples per figure")
    if extra is not None:
        extra(parser)
    return parser.parse_args(argv)


def compare_times(fns, repeats, warmup=3, min_sample_s=0.01, rounds=3, settle_s=0.2):
    """Median seconds per call of each callable in `fns` (a dict name -> callable).

    The callables take turns in `rounds` blocks of samples (A A A, B B B, A A A, ...), with a
    pause of `settle_s` before each block: numpy's OpenBLAS and PyTorch's OpenMP each keep their
    worker threads spinning for a while after a call, and on a 2-core machine those spinning
    threads would steal the cores from the other library (sample by sample alternation measured
    both sides 2 to 8 times slower than alone). With `repeats=1` each callable is timed in a
    single call, after its `warmup` calls (the `--quick` mode).
    """
    if repeats == 1:
        rounds, settle_s = 1, 0.0
    rounds = max(1, min(rounds, repeats))
    samples = {name: [] for name in fns}
    loops = {}
    for r in range(rounds):
        for name, fn in fns.items():
            time.sleep(settle_s if len(fns) > 1 else 0.0)
            for _ in range(warmup if r == 0 else 1):
                fn()
            if name not in loops:
                start = time.perf_counter()
                fn()
                once = max(time.perf_counter() - start, 1e-7)
                loops[name] = 1 if repeats == 1 else max(1, int(min_sample_s / once))
            n = loops[name]
            for _ in range(repeats * (r + 1) // rounds - repeats * r // rounds):
                start = time.perf_counter()
                for _ in range(n):
                    fn()
                samples[name].append((time.perf_counter() - start) / n)
    return {name: statistics.median(values) for name, values in samples.items()}


class OtherLoad:
    """The share of the cores' time that other programs used while a `with` block ran.

        with OtherLoad() as load:
            ...                       # timed work
        load.fraction                 # 0.0 on a quiet machine; None without /proc/stat,
                                      # or when the block lasted under 0.2 s

    Busy time of all cores (/proc/stat) minus this process's own CPU time (all its threads,
    spinning BLAS workers included, and its finished child processes), over the cores' total
    time. A multi-threaded BLAS call waits for its slowest thread, so when another program holds
    a core the large shapes can take several times longer: such figures say more about the other
    program than about the code.
    """

    fraction = None

    def __enter__(self):
        self._start = _cpu_snapshot()
        return self

    def __exit__(self, *exc):
        end = _cpu_snapshot()
        if self._start is not None and end is not None:
            total, busy, own = (b - a for a, b in zip(self._start, end, strict=True))
            if total >= 0.2 * n_cores():  # the counters tick every 10 ms: shorter says nothing
                self.fraction = min(1.0, max(0.0, (busy - own) / total))
        return False


def _cpu_snapshot():
    """(all cores' seconds, their non-idle seconds, this process's CPU seconds), or None."""
    try:
        with open("/proc/stat") as f:
            # user nice system idle iowait irq softirq steal (guest time is inside user)
            ticks = [int(v) for v in f.readline().split()[1:9]]
        per_second = os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, AttributeError):
        return None
    total = sum(ticks) / per_second
    own = sum(os.times()[:4])  # user, system, and those of its finished children (kernels)
    return total, total - (ticks[3] + ticks[4]) / per_second, own


def load_text(fraction):
    return "n/a" if fraction is None else f"{fraction:.0%}"


def load_warning(fractions, threshold=LOAD_LIMIT):
    """A warning for under a table if other programs were busy during any of `fractions`."""
    worst = max((f for f in fractions if f is not None), default=None)
    if worst is None or worst <= threshold:
        return None
    return (
        f"Warning: other programs used up to {worst:.0%} of the {n_cores()} cores during these "
        "measurements; the figures are not reliable. Rerun on a quiet machine."
    )


def measure(fns, repeats, warmup, settle_s=0.2, attempts=3):
    """`compare_times` under `OtherLoad`, retried (up to `attempts`) while other programs are busy.

    Returns (times, fraction): the attempt with the least load from other programs.
    """
    best = None
    for attempt in range(1 if repeats == 1 else attempts):
        if attempt:
            time.sleep(2.0)  # give the other program a moment to finish
        with OtherLoad() as load:
            times = compare_times(fns, repeats, warmup=warmup, settle_s=settle_s)
        fraction = load.fraction
        if best is None or (fraction or 0.0) < (best[1] or 0.0):
            best = (times, fraction)
        if fraction is None or fraction <= LOAD_LIMIT:
            break
    return best


def fresh_process(script, args):
    """Run `script` with `args` in a new process of this Python; the JSON of its last output line.

    Whatever the process writes to stderr is passed on to this one's stderr.
    """
    command = [sys.executable, str(script), *map(str, args)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=Path(script).parent.parent)
    if result.stderr:
        print(result.stderr, end="", file=sys.stderr, flush=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command[1:])} exited with {result.returncode}")
    return json.loads(result.stdout.splitlines()[-1])


def measure_fresh(script, commands, pairs, attempts=3):
    """Each command (name -> `args` for `fresh_process`) `pairs` times, each run a new process.

    The commands take turns (A B A B ...), so a comparison holds when the machine's speed
    drifts; the whole is measured again (up to `attempts`) while other programs are busy.
    Returns (results, fraction): {name: [what each process printed]}, from the attempt with the
    least load from other programs (`OtherLoad` counts the finished processes as this one's).
    """
    best = None
    for attempt in range(1 if pairs == 1 else attempts):
        if attempt:
            time.sleep(2.0)
        results = {name: [] for name in commands}
        with OtherLoad() as load:
            for _ in range(pairs):
                for name, args in commands.items():
                    results[name].append(fresh_process(script, args))
        fraction = load.fraction
        if best is None or (fraction or 0.0) < (best[1] or 0.0):
            best = (results, fraction)
        if fraction is None or fraction <= LOAD_LIMIT:
            break
    return best


def add_fresh_arguments(parser, child_args):
    """The options of a script that compares helpers with PyTorch, each case in a new process."""
    parser.add_argument("--no-torch", action="store_true", help="time the helpers half only")
    parser.add_argument("--pairs", type=int, default=None, help="new processes per side and case")
    # used by the script itself, to run one case in a new process
    parser.add_argument(
        "--child", nargs=len(child_args), metavar=child_args, help=argparse.SUPPRESS
    )


def torch_installed():
    try:
        import importlib.util

        return importlib.util.find_spec("torch") is not None
    except ImportError:  # an import hook that hides it
        return False


def say_without_torch(no_torch):
    """What a comparison with PyTorch prints first when it times the helpers half alone."""
    reason = "skipped (--no-torch)" if no_torch else "PyTorch is not installed"
    print(
        f"{reason}: only the helpers half is timed; the torch columns show '-'.\n"
        "To compare, install the CPU build: `make bench TORCH=1` "
        "(or `.venv/bin/pip install torch==2.13.0`).\n"
    )


def median_of(runs, key):
    """The median of `key` over the results of several processes."""
    return statistics.median(run[key] for run in runs)


def median_ratio(runs, others, key):
    """The median over the pairs of processes of runs[i][key] / others[i][key]."""
    return statistics.median(a[key] / b[key] for a, b in zip(runs, others, strict=True))


def time_in_child(fn, repeats, warmup, fault_calls=10, warm_up=None):
    """What a `--child` process prints for `fn`: seconds per call when the process is fresh,
    page faults per call, then seconds per call after the allocator has been warmed.

    Each figure is the median of `repeats` samples after `warmup` calls of `warm_up` (default:
    `fn`; a shorter run of the same code saves time when `fn` is long). A sample loops `fn` for
    at least 10 ms. Warmed: a 16 MB array made and freed, as a long session's earlier work does.
    glibc's malloc then keeps serving arrays of up to that size from memory it already holds (its
    mmap and trim thresholds follow the largest mapped block freed so far, up to 32 MB on 64-bit
    systems). `faults` is counted over `fault_calls` more calls; None with 0, or where the
    operating system does not count them.
    """
    fresh = _median_call(fn, repeats, warmup, warm_up or fn)
    faults = _minor_faults() if fault_calls else None
    for _ in range(fault_calls):
        fn()
    faults = None if faults is None else (_minor_faults() - faults) / fault_calls
    block = np.ones(2 << 20)  # 16 MB, touched
    del block
    warmed = _median_call(fn, repeats, warmup, warm_up or fn)
    return {"fresh": fresh, "faults": faults, "warmed": warmed}


def _median_call(fn, repeats, warmup, warm_up, min_sample_s=0.01):
    """Median seconds per call of `fn` over `repeats` samples, after `warmup` calls of `warm_up`.

    The first call, timed to size the loop, is the first sample when it takes 10 ms or more.
    """
    for _ in range(warmup):
        warm_up()
    start = time.perf_counter()
    fn()
    once = max(time.perf_counter() - start, 1e-7)
    loops = max(1, int(min_sample_s / once))
    samples = [once] if loops == 1 else []
    while len(samples) < repeats:
        start = time.perf_counter()
        for _ in range(loops):
            fn()
        samples.append((time.perf_counter() - start) / loops)
    return statistics.median(samples)


def _minor_faults():
    """Page faults of this process served without reading the disk so far, or None."""
    try:
        import resource  # Unix only
    except ImportError:
        return None
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def n_cores():
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def how_timed(quick, repeats, warmup):
    """The first words of a table's note: how its figures were taken."""
    if quick:
        return "--quick: tiny sizes, one timed sample each (proves the script runs, times nothing)"
    return f"Median of {repeats} timed samples after {warmup} warm-up calls"


def markdown_table(header, rows):
    """A Markdown table as a string: numbers right-aligned, text left-aligned."""
    cells = [[str(c) for c in header]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    numeric = [
        bool(rows) and all(_is_number(row[i]) for row in cells[1:]) for i in range(len(header))
    ]

    def line(row):
        padded = [
            c.rjust(w) if num else c.ljust(w)
            for c, w, num in zip(row, widths, numeric, strict=True)
        ]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join(
        "-" * (w + 1) + ":" if num else "-" * (w + 2)
        for w, num in zip(widths, numeric, strict=True)
    )
    return "\n".join([line(cells[0]), rule + "|"] + [line(row) for row in cells[1:]])


def _is_number(text):
    try:
        float(text.rstrip("%"))
    except ValueError:
        return text in ("-", "n/a")
    return True


def print_table(title, header, rows, notes=(), warning=None):
    """Print a titled Markdown table and the notes under it, and `warning` if there is one."""
    print(f"### {title}\n")
    print(markdown_table(header, rows))
    for note in (*notes, warning) if warning else notes:
        print(f"\n{note}")
    print(flush=True)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def blas_name():
    """The BLAS numpy was built with, e.g. 'scipy-openblas 0.3.31'."""
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
    except Exception:  # older numpy: no mode="dicts"
        return "unknown"


def torch_version():
    try:
        import torch
    except ImportError:
        return "not installed"
    return f"{torch.__version__} ({torch.get_num_threads()} threads)"


def machine_rows():
    """(what, value) pairs describing where the figures were measured."""
    return [
        ("CPU", cpu_model()),
        ("cores (nproc)", n_cores()),
        ("Python", platform.python_version()),
        ("numpy", np.__version__),
        ("BLAS (numpy)", blas_name()),
        ("PyTorch", torch_version()),
    ]
