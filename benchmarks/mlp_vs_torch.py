"""Forward + backward of `helpers.mlp.MLP` against PyTorch on the CPU: same shapes, weights, batch.

    .venv/bin/python benchmarks/mlp_vs_torch.py             the full table
    .venv/bin/python benchmarks/mlp_vs_torch.py --quick     tiny sizes, one run of each
    .venv/bin/python benchmarks/mlp_vs_torch.py --no-torch  the helpers half only

What is timed, on both sides, is the gradient computation of one training step of a ReLU network
with a softmax cross-entropy loss: forward pass, mean loss over the batch, backward pass to every
weight and bias.

- helpers: `model.loss_and_grads(X, Y)`, the public call, argument checks included.
- PyTorch: clear the `.grad`s, `F.linear` and `relu` per layer, `F.cross_entropy` on the class
  indices, `loss.backward()`. It gets the batch in its own row layout (m, n_in) and the weights as
  tensors sharing memory with `model.params` (`torch.from_numpy`), so both sides compute the same
  numbers; `grad diff` is the largest relative difference between their gradients.

PyTorch is optional (`make bench TORCH=1`, or `.venv/bin/pip install torch==2.13.0`, a CPU build);
without it the script says so and times the helpers half alone.
"""

import sys

import numpy as np
from _common import (
    how_timed,
    load_text,
    load_warning,
    measure,
    parse_args,
    print_table,
    torch_version,
)

from helpers.data import one_hot
from helpers.mlp import MLP

SHAPES = [(784, 256, 128, 10), (64, 128, 10)]
BATCHES = [64, 256]
DTYPES = [np.float64, np.float32]
REPEATS = 15
QUICK_SHAPES, QUICK_BATCHES = [(8, 16, 4)], [8]
HEADER = [
    "layers",
    "batch",
    "dtype",
    "helpers ms",
    "torch ms",
    "helpers/torch",
    "grad diff",
    "others' load",
]


def load_torch(wanted):
    if not wanted:
        return None
    try:
        import torch
    except ImportError:
        return None
    return torch


def make_problem(sizes, m, dtype, seed=0):
    """A network with nonzero biases, a batch X (n_0, m) in the network's dtype, labels y (m,)."""
    model = MLP(list(sizes), activation="relu", output="softmax", seed=seed, bias=0.1, dtype=dtype)
    rng = np.random.default_rng(seed + 1)
    X = rng.standard_normal((sizes[0], m)).astype(dtype)
    y = rng.integers(0, sizes[-1], size=m)
    Y = one_hot(y, sizes[-1]).astype(dtype)
    return model, X, Y, y


def torch_step_fn(torch, model, X, y):
    """A function running one forward + backward in PyTorch, and the tensors it fills."""
    F = torch.nn.functional
    layers = []
    for l in range(1, model.L + 1):
        W = torch.from_numpy(model.params[f"W{l}"]).requires_grad_()
        b = torch.from_numpy(model.params[f"b{l}"].reshape(-1)).requires_grad_()
        layers.append((W, b))
    x = torch.from_numpy(np.ascontiguousarray(X.T))  # row layout: one example per row
    labels = torch.from_numpy(y.astype(np.int64))

    def step():
        for W, b in layers:
            W.grad = b.grad = None
        A = x
        for l, (W, b) in enumerate(layers, start=1):
            Z = F.linear(A, W, b)  # A W^T + b: the same W (n_out, n_in) as helpers
            A = torch.relu(Z) if l < len(layers) else Z
        loss = F.cross_entropy(Z, labels)
        loss.backward()
        return loss

    return step, layers


def gradient_difference(grads, layers):
    """The largest ||helpers - torch|| / ||torch|| over the parameters."""
    worst = 0.0
    for l, (W, b) in enumerate(layers, start=1):
        for mine, theirs in ((grads[f"dW{l}"], W.grad), (grads[f"db{l}"].reshape(-1), b.grad)):
            theirs = theirs.numpy()
            worst = max(worst, float(np.linalg.norm(mine - theirs) / np.linalg.norm(theirs)))
    return worst


def main(argv=None):
    args = parse_args(
        __doc__.splitlines()[0],
        argv,
        extra=lambda p: p.add_argument(
            "--no-torch", action="store_true", help="time the helpers half only"
        ),
    )
    torch = load_torch(not args.no_torch)
    shapes, batches = (QUICK_SHAPES, QUICK_BATCHES) if args.quick else (SHAPES, BATCHES)
    repeats = 1 if args.quick else (args.repeats or REPEATS)
    warmup = 1 if args.quick else 3  # PyTorch's first call takes tens of milliseconds
    if torch is None:
        reason = "skipped (--no-torch)" if args.no_torch else "PyTorch is not installed"
        print(
            f"{reason}: only the helpers half is timed; the torch columns show '-'.\n"
            "To compare, install the CPU build: `make bench TORCH=1` "
            "(or `.venv/bin/pip install torch==2.13.0`).\n"
        )

    rows, loads = [], []
    for sizes in shapes:
        for m in batches:
            for dtype in DTYPES:
                model, X, Y, y = make_problem(sizes, m, dtype)
                fns = {"helpers": lambda model=model, X=X, Y=Y: model.loss_and_grads(X, Y)}
                if torch is not None:
                    fns["torch"], layers = torch_step_fn(torch, model, X, y)
                times, load = measure(fns, repeats, warmup, settle_s=0.0 if torch is None else 0.2)
                loads.append(load)
                row = ["-".join(map(str, sizes)), m, np.dtype(dtype).name]
                row.append(f"{times['helpers'] * 1e3:.3f}")
                if torch is not None:
                    _, grads = model.loss_and_grads(X, Y)
                    fns["torch"]()
                    row.append(f"{times['torch'] * 1e3:.3f}")
                    row.append(f"{times['helpers'] / times['torch']:.2f}")
                    row.append(f"{gradient_difference(grads, layers):.1e}")
                else:
                    row += ["-", "-", "-"]
                rows.append(row + [load_text(load)])

    print_table(
        "MLP forward + backward: helpers vs PyTorch CPU",
        HEADER,
        rows,
        notes=[
            f"{how_timed(args.quick, repeats, warmup)}; both sides in alternating blocks in one "
            f"process; PyTorch {torch_version() if torch is not None else 'not used'}. "
            "helpers/torch below 1 means helpers is faster (goal: <= 1.00). grad diff: largest "
            "relative difference between the two sides' gradients (same weights, same batch). "
            "others' load: share of the cores other programs used meanwhile (retried when high)."
        ],
        warning=None if args.quick else load_warning(loads),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
