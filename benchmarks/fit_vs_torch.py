"""Training notebook 05's digits network: `MLP.fit` against the same loop in PyTorch on the CPU.

    .venv/bin/python benchmarks/fit_vs_torch.py             the table
    .venv/bin/python benchmarks/fit_vs_torch.py --quick     one epoch, one run of each
    .venv/bin/python benchmarks/fit_vs_torch.py --no-torch  the helpers half only

The network, data and settings are notebook 05's: layers 64-64-10, ReLU, softmax, He weights
drawn with seed 0; scikit-learn's handwritten digits (`helpers.data.digits`, 1,348 training
images); 60 epochs of mini-batch SGD, lr 0.5, batches of 32 in an order drawn from seed 0, so
2,580 steps (43 a epoch, the last of 4 images).

- helpers: `model.fit(X, Y, epochs=60, lr=0.5, batch_size=32, seed=0)`, the public call.
- PyTorch: the loop a learner writes after notebook 07, on the same initial weights (copied) and
  the same batches (the permutations `fit` draws from the same seed): per step, clear the
  `.grad`s, `F.linear` and `relu` per layer, `F.cross_entropy`, `loss.backward()`, then
  `p -= lr * p.grad` for each parameter under `torch.no_grad()` (plain SGD), and the step's loss
  kept as a float (`loss.item()`), as `fit` keeps it.

`loss diff` is the largest difference between the two runs' losses over all the steps: the same
training, computed by two libraries.

Each run is a new process (this script again, with `--child`): it loads the data from a file
the parent wrote, builds the network, trains a copy for one epoch as a warm-up, then trains a
fresh copy `--repeats` times; the figure is the median. Then the process makes and frees a
16 MB array, as a long session leaves the C allocator, and times again: the `warmed` ratio.
helpers and PyTorch processes take turns, `--pairs` of each, and `helpers/torch` is the median
of the pairs' ratios; the goal, helpers/torch <= 1.00, applies to the fresh process.
"""

import copy
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
from _common import (
    add_fresh_arguments,
    load_text,
    load_warning,
    measure_fresh,
    median_of,
    median_ratio,
    parse_args,
    print_table,
    say_without_torch,
    time_in_child,
    torch_installed,
)

from helpers.data import one_hot
from helpers.mlp import MLP

SCRIPT = Path(__file__).resolve()
SIZES, EPOCHS, LR, BATCH, SEED = [64, 64, 10], 60, 0.5, 32, 0  # notebook 05's DIGIT_* settings
DTYPES = [np.float64, np.float32]
REPEATS, PAIRS = 3, 3
HEADER = [
    "network",
    "steps",
    "dtype",
    "helpers s",
    "torch s",
    "helpers/torch",
    "warmed helpers/torch",
    "loss diff",
    "others' load",
]


def torch_fit(torch, model, X, y, epochs, lr, batch_size, seed):
    """The PyTorch loop equivalent to `model.fit`, on copies of its weights; returns the losses."""
    F = torch.nn.functional
    layers = [
        (
            torch.tensor(model.params[f"W{l}"], requires_grad=True),
            torch.tensor(model.params[f"b{l}"].reshape(-1), requires_grad=True),
        )
        for l in range(1, model.L + 1)
    ]
    x = torch.from_numpy(np.ascontiguousarray(X.T))  # row layout: one example per row
    labels = torch.from_numpy(y.astype(np.int64))
    m = x.shape[0]
    rng = np.random.default_rng(seed)  # the orders fit draws
    history = []
    for _ in range(epochs):
        order = torch.from_numpy(rng.permutation(m))
        for start in range(0, m, batch_size):
            batch = order[start : start + batch_size]
            for W, b in layers:
                W.grad = b.grad = None
            A = x[batch]
            for l, (W, b) in enumerate(layers, start=1):
                Z = F.linear(A, W, b)
                A = torch.relu(Z) if l < len(layers) else Z
            loss = F.cross_entropy(Z, labels[batch])
            loss.backward()
            with torch.no_grad():
                for W, b in layers:
                    W -= lr * W.grad
                    b -= lr * b.grad
            history.append(loss.item())
    return history


def child(side, data, dtype, epochs, repeats, warmup):
    """Train in this process (a fresh one); print the figures as a JSON line."""
    with np.load(data) as arrays:
        X, y = arrays["X"].astype(dtype), arrays["y"]
    Y = one_hot(y, SIZES[-1]).astype(dtype)
    start = MLP(SIZES, seed=SEED, dtype=dtype)
    if side == "helpers":

        def train(epochs=epochs):
            return copy.deepcopy(start).fit(X, Y, epochs, LR, BATCH, SEED)

    else:
        import torch

        def train(epochs=epochs):
            return torch_fit(torch, start, X, y, epochs, LR, BATCH, SEED)

    # warm-up: one epoch, the same code on the same shapes
    result = time_in_child(train, repeats, warmup, fault_calls=0, warm_up=lambda: train(1))
    if side == "torch":
        mine = copy.deepcopy(start).fit(X, Y, epochs, LR, BATCH, SEED)
        result["loss_diff"] = float(np.max(np.abs(np.subtract(mine, train()))))
        result["torch"] = f"{torch.__version__} ({torch.get_num_threads()} threads)"
    print(json.dumps(result))


def main(argv=None):
    args = parse_args(
        __doc__.splitlines()[0],
        argv,
        extra=lambda p: add_fresh_arguments(p, ("SIDE", "DATA", "DTYPE", "EPOCHS")),
    )
    repeats = 1 if args.quick else (args.repeats or REPEATS)
    warmup = 1
    if args.child:
        side, data, dtype, epochs = args.child
        child(side, data, np.dtype(dtype), int(epochs), repeats, warmup)
        return 0
    with_torch = not args.no_torch and torch_installed()
    epochs = 1 if args.quick else EPOCHS
    pairs = 1 if args.quick else (args.pairs or PAIRS)
    if not with_torch:
        say_without_torch(args.no_torch)

    from helpers.data import digits  # scikit-learn: imported by this process, not the timed ones

    X, y, _, _ = digits(test_fraction=0.25, seed=0)
    steps = epochs * -(-X.shape[1] // BATCH)
    rows, loads, torch_text = [], [], "not used"
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "digits.npz"
        np.savez(data, X=X, y=y)
        for dtype in DTYPES:
            name = np.dtype(dtype).name
            sides = ["helpers", "torch"] if with_torch else ["helpers"]
            passed_on = ["--repeats", repeats] + (["--quick"] if args.quick else [])
            commands = {s: ["--child", s, data, name, epochs, *passed_on] for s in sides}
            results, load = measure_fresh(SCRIPT, commands, pairs)
            loads.append(load)
            mine = results["helpers"]
            row = ["-".join(map(str, SIZES)), steps, name, f"{median_of(mine, 'fresh'):.3f}"]
            if with_torch:
                theirs = results["torch"]
                torch_text = theirs[0]["torch"]
                row += [
                    f"{median_of(theirs, 'fresh'):.3f}",
                    f"{median_ratio(mine, theirs, 'fresh'):.2f}",
                    f"{median_ratio(mine, theirs, 'warmed'):.2f}",
                    f"{max(run['loss_diff'] for run in theirs):.1e}",
                ]
            else:
                row += ["-", "-", "-", "-"]
            rows.append(row + [load_text(load)])

    how = (
        "--quick: one epoch, one timed run each (proves the script runs, measures nothing)"
        if args.quick
        else f"Median of {repeats} timed trainings after a warm-up epoch"
    )
    print_table(
        "Training the digits network: helpers MLP.fit vs a PyTorch loop",
        HEADER,
        rows,
        notes=[
            f"{how}, in a new process for every dtype and side ({pairs} of each, helpers and "
            f"PyTorch in turns); PyTorch {torch_text}. Notebook 05's network and settings "
            f"({EPOCHS} epochs, lr {LR}, batches of {BATCH}) on its 1,348 training digits. "
            "helpers s, torch s and helpers/torch are those of a fresh process, as in a "
            "learner's kernel: the goal, helpers/torch <= 1.00, applies to them. warmed: the "
            "same processes after a 16 MB array was made and freed. loss diff: largest "
            "difference between the two runs' losses, step by step. others' load: share of "
            "the cores other programs used meanwhile (retried when high)."
        ],
        warning=None if args.quick else load_warning(loads),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
