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

Every case runs in a new process of its own, as in a learner's fresh kernel (this script again,
with `--child`): the process builds the network and the batch, calls the step a few times
(warm-up), and times it. That is the headline figure, and the one the goal applies to. The same
process then makes and frees one 16 MB array, which leaves the C allocator as a long session
does, and times the step again: the `warmed` ratio. helpers and PyTorch processes take turns,
`--pairs` of each per case, and `helpers/torch` is the median of the pairs' ratios.

PyTorch is optional (`make bench TORCH=1`, or `.venv/bin/pip install torch==2.13.0`, a CPU build);
without it the script says so and times the helpers half alone.
"""

import json
import statistics
import sys
from pathlib import Path

import numpy as np
from _common import (
    add_fresh_arguments,
    how_timed,
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
SHAPES = [(784, 256, 128, 10), (64, 128, 10)]
BATCHES = [64, 256]
DTYPES = [np.float64, np.float32]
REPEATS, PAIRS = 15, 3
QUICK_SHAPES, QUICK_BATCHES = [(8, 16, 4)], [8]
HEADER = [
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


def child(side, layers, m, dtype, repeats, warmup):
    """One case, timed in this process (a fresh one); prints the figures as a JSON line."""
    sizes = tuple(int(n) for n in layers.split("-"))
    model, X, Y, y = make_problem(sizes, int(m), np.dtype(dtype))
    if side == "helpers":
        result = time_in_child(lambda: model.loss_and_grads(X, Y), repeats, warmup)
    else:
        import torch

        step, tensors = torch_step_fn(torch, model, X, y)
        result = time_in_child(step, repeats, warmup)
        step()
        result["grad_diff"] = gradient_difference(model.loss_and_grads(X, Y)[1], tensors)
        result["torch"] = f"{torch.__version__} ({torch.get_num_threads()} threads)"
    print(json.dumps(result))


def main(argv=None):
    args = parse_args(
        __doc__.splitlines()[0],
        argv,
        extra=lambda p: add_fresh_arguments(p, ("SIDE", "LAYERS", "BATCH", "DTYPE")),
    )
    repeats = 1 if args.quick else (args.repeats or REPEATS)
    warmup = 1 if args.quick else 3  # PyTorch's first call takes tens of milliseconds
    if args.child:
        child(*args.child, repeats, warmup)
        return 0
    with_torch = not args.no_torch and torch_installed()
    shapes, batches = (QUICK_SHAPES, QUICK_BATCHES) if args.quick else (SHAPES, BATCHES)
    pairs = 1 if args.quick else (args.pairs or PAIRS)
    if not with_torch:
        say_without_torch(args.no_torch)

    rows, loads, torch_text = [], [], "not used"
    passed_on = ["--repeats", repeats] + (["--quick"] if args.quick else [])
    for sizes in shapes:
        for m in batches:
            for dtype in DTYPES:
                case = ["-".join(map(str, sizes)), m, np.dtype(dtype).name]
                sides = ["helpers", "torch"] if with_torch else ["helpers"]
                commands = {side: ["--child", side, *case, *passed_on] for side in sides}
                results, load = measure_fresh(SCRIPT, commands, pairs)
                loads.append(load)
                mine = results["helpers"]
                row = case + [f"{median_of(mine, 'fresh') * 1e3:.3f}"]
                if with_torch:
                    theirs = results["torch"]
                    torch_text = theirs[0]["torch"]
                    row += [
                        f"{median_of(theirs, 'fresh') * 1e3:.3f}",
                        f"{median_ratio(mine, theirs, 'fresh'):.2f}",
                        f"{median_ratio(mine, theirs, 'warmed'):.2f}",
                    ]
                else:
                    row += ["-", "-", "-"]
                faults = [run["faults"] for run in mine]
                row.append("n/a" if None in faults else f"{statistics.median(faults):.0f}")
                row.append(f"{max(run['grad_diff'] for run in theirs):.1e}" if with_torch else "-")
                rows.append(row + [load_text(load)])

    print_table(
        "MLP forward + backward: helpers vs PyTorch CPU",
        HEADER,
        rows,
        notes=[
            f"{how_timed(args.quick, repeats, warmup)}, in a new process for every case and side "
            f"({pairs} of each per case, helpers and PyTorch in turns); PyTorch {torch_text}. "
            "helpers ms, torch ms and helpers/torch are those of a fresh process, as in a "
            "learner's kernel: the goal, helpers/torch <= 1.00, applies to them. warmed: the same "
            "processes after a 16 MB array was made and freed, as a long session leaves the C "
            "allocator. helpers faults/call: page faults per loss_and_grads in the fresh process. "
            "grad diff: largest relative difference between the two sides' gradients (same "
            "weights, same batch). others' load: share of the cores other programs used "
            "meanwhile (retried when high)."
        ],
        warning=None if args.quick else load_warning(loads),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
