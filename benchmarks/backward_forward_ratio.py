"""Backward / forward time of the `helpers` MLP, against the FLOP count of its matrix products.

    .venv/bin/python benchmarks/backward_forward_ratio.py           the full table
    .venv/bin/python benchmarks/backward_forward_ratio.py --quick   tiny sizes, one run

Forward is `model.forward(X)` (checks, the affine and ReLU layers, softmax); backward is
`model.backward(dZ_L, caches)` (every dW, db and the dA in between), both public calls.

Why 2.0: a matrix product Z = W A costs 2 n_out n_in m FLOPs forward and twice that backward, one
product for dW = dZ A^T and one for dA = W^T dZ. The backward of the first layer needs no
dA[0] = dL/dX (X is data, not a parameter), so the FLOP ratio of a whole network is below 2; the
`FLOP ratio` column gives it for each shape. Goal: measured ratio <= 2.2.
"""

import sys

import numpy as np
from _common import how_timed, load_text, load_warning, measure, parse_args, print_table

from helpers.data import one_hot
from helpers.mlp import MLP

SHAPES = [(784, 256, 128, 10), (64, 128, 10), (256, 256, 256, 256, 10)]
BATCHES = [64, 256]
DTYPES = [np.float64, np.float32]
REPEATS = 15
QUICK_SHAPES, QUICK_BATCHES = [(8, 16, 4)], [8]
LIMIT, GOAL = 2.0, 2.2
HEADER = [
    "layers",
    "batch",
    "dtype",
    "forward ms",
    "backward ms",
    "backward/forward",
    "FLOP ratio",
    "others' load",
]


def flop_ratio(sizes):
    """Matrix-product FLOPs of the backward (dW everywhere, dA[l-1] for l >= 2) over the forward."""
    products = [n_in * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)]
    return (sum(products) + sum(products[1:])) / sum(products)


def main(argv=None):
    args = parse_args(__doc__.splitlines()[0], argv)
    shapes, batches = (QUICK_SHAPES, QUICK_BATCHES) if args.quick else (SHAPES, BATCHES)
    repeats = 1 if args.quick else (args.repeats or REPEATS)
    warmup = 0 if args.quick else 3
    rows, loads = [], []
    for sizes in shapes:
        for m in batches:
            for dtype in DTYPES:
                model = MLP(list(sizes), seed=0, bias=0.1, dtype=dtype)
                rng = np.random.default_rng(1)
                X = rng.standard_normal((sizes[0], m)).astype(dtype)
                Y = one_hot(rng.integers(0, sizes[-1], size=m), sizes[-1]).astype(dtype)
                Y_hat, caches = model.forward(X)
                dZ_L = (Y_hat - Y) / m
                fns = {
                    "forward": lambda model=model, X=X: model.forward(X),
                    "backward": lambda model=model, d=dZ_L, c=caches: model.backward(d, c),
                }
                times, load = measure(fns, repeats, warmup, settle_s=0.0)
                loads.append(load)
                rows.append(
                    [
                        "-".join(map(str, sizes)),
                        m,
                        np.dtype(dtype).name,
                        f"{times['forward'] * 1e3:.3f}",
                        f"{times['backward'] * 1e3:.3f}",
                        f"{times['backward'] / times['forward']:.2f}",
                        f"{flop_ratio(sizes):.2f}",
                        load_text(load),
                    ]
                )
    print_table(
        "Backward / forward time of the helpers MLP",
        HEADER,
        rows,
        notes=[
            f"{how_timed(args.quick, repeats, warmup)}. FLOP ratio: the "
            "matrix products' FLOPs, backward over forward (no dA[0] = dL/dX); a layer whose input "
            f"gradient is needed has {LIMIT:.1f}. Goal: backward/forward <= {GOAL}. others' load: "
            "share of the cores other programs used meanwhile (retried when high)."
        ],
        warning=None if args.quick else load_warning(loads),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
