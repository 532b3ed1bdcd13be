"""Backprop against numerical gradients as the parameter count grows from 10 to 10^5.

    .venv/bin/python benchmarks/numeric_vs_backprop.py           the full table
    .venv/bin/python benchmarks/numeric_vs_backprop.py --quick   two tiny networks, one run

The data behind notebook 05's plot, measured by the same function the notebook calls,
`helpers.cost.time_gradients`: one `loss_and_grads` call against central differences over every
parameter (two loss evaluations per parameter; above a few hundred parameters a random sample is
nudged and the time scaled up, see that function's docstring).
"""

import sys

from _common import OtherLoad, load_warning, parse_args, print_table

from helpers.cost import time_gradients

# About 10, 10^2, 10^3, 10^4 and 10^5 weights and biases.
NETWORKS = [[2, 2, 2], [4, 10, 3], [16, 40, 10], [64, 128, 10], [784, 128, 10]]
QUICK_NETWORKS = [[2, 2, 2], [4, 10, 3]]
BATCH, REPEATS = 32, 5


def main(argv=None):
    args = parse_args(__doc__.splitlines()[0], argv)
    networks = QUICK_NETWORKS if args.quick else NETWORKS
    repeats = 1 if args.quick else (args.repeats or REPEATS)
    m = 4 if args.quick else BATCH
    with OtherLoad() as load:
        results = time_gradients(networks, m=m, repeats=repeats, seed=0)
    rows = []
    for r in results:
        nudged = f"{r['n_nudged']} sampled" if r["numerical_sampled"] else "all"
        rows.append(
            [
                "-".join(map(str, r["layer_sizes"])),
                r["n_params"],
                f"{r['backprop_s'] * 1e3:.3f}",
                f"{r['numerical_s'] * 1e3:.1f}",
                f"{r['ratio']:.0f}" if r["ratio"] >= 10 else f"{r['ratio']:.2g}",
                nudged,
            ]
        )
    print_table(
        "Backprop vs numerical gradient",
        ["layers", "parameters", "backprop ms", "numerical ms", "numerical/backprop", "nudged"],
        rows,
        notes=[
            f"Batch of {m}; each time is the fastest of {repeats} runs "
            "(helpers.cost.time_gradients). The ratio grows about linearly with the parameter "
            "count: two forward passes per parameter against one forward and one backward pass."
        ],
        warning=None if args.quick else load_warning([load.fraction]),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
