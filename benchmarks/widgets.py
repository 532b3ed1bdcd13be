"""Widget latency: how long one slider move of each interactive lab takes, compute + redraw.

    .venv/bin/python benchmarks/widgets.py            # 30 timed updates per row
    .venv/bin/python benchmarks/widgets.py --quick    # each update once, on tiny sizes

Each row times one update the way a slider triggers it, cycling through slider positions so that
every update computes something new: the lab's pure function (`helpers.labs`), the figure
updated in place, and then either a full `fig.canvas.draw()` on the Agg canvas, or what the
notebook does, `labs.figure_image` (blit the changed artists onto the kept background, encode the
PNG that the Output widget shows, with the result's description as its alt text). The widest and
deepest saturation lab (width 128, depth 10) and the deepest exploding lab (30 layers) have rows
of their own: the goal holds at every slider stop. The backward stepper of notebook 01
(`helpers.viz.stepper_view`) is timed too when it exists; it draws a new figure on every call.

A few updates are run first (warm-up: imports, font caches, the background image), then each
update is timed on its own; the table gives the median and the 90th percentile, in ms, of wall
time, and the median CPU time of this process (on a busy machine the wall time includes waiting
for a core; the CPU time is close to what an idle machine would show). Nothing is asserted:
the goal, 100 ms median per update, is read off the table.
"""

import argparse
import importlib
import itertools
import os
import platform
import sys
import time

import numpy as np

WARMUP = 3
REPEATS = 30
WIDTHS = (8, 16, 32, 64, 128)  # the stops of the notebook's width slider


def _parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="run each update once, tiny sizes")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="timed updates per row")
    return parser.parse_args(argv)


def _cases(quick):
    """(name, timed part, update callable) for each row; every call is one slider move."""
    from helpers import labs, labs_flow

    tiny_sat = dict(width=8, n_per_class=8, steps=2) if quick else {}
    tiny_dead = dict(width=4, n_per_class=5, steps=2) if quick else {}
    scales = itertools.cycle([0.01, 0.1, 1.0, 4.0, 10.0, 20.0, 100.0])
    depths = itertools.cycle([2, 4, 6, 8, 10] if not quick else [2])
    biases = itertools.cycle([0.0, -0.25, -0.5, -1.0, 0.5])
    rates = itertools.cycle([0.05, 0.3, 1.0, 3.0, 8.0])

    gains = itertools.cycle([0.5, 1.0, 1.2, 1.5, 2.0])
    relu_depths = itertools.cycle([2, 8, 12, 20, 30] if not quick else [2])
    norms = itertools.cycle([0.1, 1.0, 10.0])
    standardise = itertools.cycle([False, True])
    tiny_flow = dict(width=8, n_per_class=8, steps=2) if quick else {}
    tiny_input = dict(width=8, steps=2) if quick else {}

    sat_fig = labs.saturation_figure(labs.saturation_lab(**tiny_sat))
    exp_fig = labs_flow.exploding_figure(labs_flow.exploding_lab(**tiny_flow))
    input_fig = labs_flow.input_scale_figure(labs_flow.input_scale_lab(**tiny_input))
    dead_fig = labs.dead_relu_figure(labs.dead_relu_lab(**tiny_dead))

    def saturation(finish):
        def update():
            result = labs.saturation_lab(next(scales), next(depths), **tiny_sat)
            finish(labs.saturation_figure(result, fig=sat_fig), result.description())
            return result.readout()

        return update

    def dead_relu(finish):
        def update():
            result = labs.dead_relu_lab(next(biases), next(rates), **tiny_dead)
            finish(labs.dead_relu_figure(result, fig=dead_fig), result.description())
            return result.readout()

        return update

    def width(w, depth):
        """The width slider at one stop, at the deepest network (compute + blit + PNG)."""
        rules = itertools.cycle([(0.01, None), (1.0, None), (4.0, "xavier"), (1.0, "he")])

        def update():
            scale, rule = next(rules)
            result = labs.saturation_lab(scale, depth, init=rule, width=w)
            labs.figure_image(labs.saturation_figure(result, fig=sat_fig), result.description())
            return result.readout()

        return update

    def exploding(depth_cycle):
        def update():
            result = labs_flow.exploding_lab(
                next(gains), next(depth_cycle), max_norm=next(norms), **tiny_flow
            )
            labs.figure_image(labs_flow.exploding_figure(result, fig=exp_fig), result.description())
            return result.readout()

        return update

    def input_scale():
        result = labs_flow.input_scale_lab(next(standardise), **tiny_input)
        labs.figure_image(labs_flow.input_scale_figure(result, fig=input_fig), result.description())
        return result.readout()

    def full_draw(fig, description):
        fig.canvas.draw()

    def notebook(fig, description):
        labs.figure_image(fig, description)

    sat_name = "saturation (tiny)" if quick else "saturation (depth 2-10, width 128)"
    dead_name = "dead ReLU (tiny)" if quick else "dead ReLU (2-32-32-3)"
    shown = "compute + blit + PNG (notebook)"
    cases = [
        (sat_name, "compute + fig.canvas.draw()", saturation(full_draw)),
        (sat_name, shown, saturation(notebook)),
        (dead_name, "compute + fig.canvas.draw()", dead_relu(full_draw)),
        (dead_name, shown, dead_relu(notebook)),
        ("exploding (depth 2-30)", shown, exploding(relu_depths)),
        ("input scale (raw/std)", shown, input_scale),
    ]
    if not quick:
        cases.append(("exploding, depth 30", shown, exploding(itertools.cycle([30]))))
        for w in WIDTHS:
            cases.append((f"saturation, width {w}, depth 10", shown, width(w, 10)))
    stepper = _stepper_case()
    if stepper is not None:
        cases.append(stepper)
    return cases


def _stepper_case():
    """The backward stepper of notebook 01, if `helpers.viz.stepper_view` exists."""
    try:
        viz = importlib.import_module("helpers.viz")
    except ImportError:
        return None
    view = getattr(viz, "stepper_view", None)
    if view is None:
        return None
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    n_steps = getattr(viz, "NEURON_STEPS", 8)
    w0 = np.array(getattr(viz, "NEURON_W", (2.0, -3.0, -3.0)), dtype=float)
    x0 = np.array(getattr(viz, "NEURON_X", (-1.0, -2.0)), dtype=float)
    positions = itertools.cycle(
        [(w0 + 0.25 * k, x0 - 0.25 * k, k % (n_steps + 1)) for k in range(n_steps + 1)]
    )

    def update():
        w, x, step = next(positions)
        text, fig = view(w, x, step)
        if not isinstance(fig.canvas, FigureCanvasAgg):
            FigureCanvasAgg(fig)
        fig.canvas.draw()
        return text

    return ("stepper (notebook 01)", "compute + fig.canvas.draw()", update)


def _time(update, repeats, warmup):
    for _ in range(warmup):
        update()
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        update()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start)
    wall, cpu = 1000 * np.array(wall), 1000 * np.array(cpu)
    return np.median(wall), np.percentile(wall, 90), np.median(cpu)


def _table(rows):
    header = ("update", "timed", "median ms", "p90 ms", "cpu median ms")
    cells = [header] + [
        (name, what, f"{median:.1f}", f"{p90:.1f}", f"{cpu:.1f}")
        for name, what, median, p90, cpu in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(row):
        return (
            "| "
            + " | ".join(
                c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))
            )
            + " |"
        )

    rule = (
        "|"
        + "|".join("-" * (w + 2) if i < 2 else "-" * (w + 1) + ":" for i, w in enumerate(widths))
        + "|"
    )
    return "\n".join([line(cells[0]), rule] + [line(row) for row in cells[1:]])


def main(argv=None):
    """Time every lab update and print the table (Markdown)."""
    args = _parse(argv)
    repeats, warmup = (1, 0) if args.quick else (max(1, args.repeats), WARMUP)
    rows = []
    for name, what, update in _cases(args.quick):
        rows.append((name, what, *_time(update, repeats, warmup)))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"Widget updates, {'--quick: once each, tiny sizes' if args.quick else f'{repeats} each'}; "
        f"Python {platform.python_version()}, {os.cpu_count()} cores, load {load:.1f}"
    )
    print(_table(rows))
    return rows


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
