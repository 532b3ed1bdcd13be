"""What a gradient costs: backpropagation against central differences, timed (notebook 05).

Backpropagation gets every partial derivative of the loss from one forward and one backward
pass. Central differences need two forward passes *per parameter*, so their cost grows with the
parameter count P while backprop's stays a small multiple of one forward pass. `time_gradients`
measures both on networks of growing size.

For large networks the numerical gradient is timed on a random sample of parameters and scaled
up: every nudge costs the same two forward passes whichever parameter is nudged, so the time of
k nudges times P / k is the time of all P of them (without waiting minutes to measure it).
"""

import contextlib
import math
from time import perf_counter

import numpy as np

try:  # installed with scikit-learn, a dependency of the course
    from threadpoolctl import threadpool_limits
except ImportError:  # pragma: no cover - without it, BLAS keeps its own thread count
    threadpool_limits = None

from ._validate import check_alloc, check_positive_int, check_seed
from .data import one_hot
from .mlp import MLP

#: The nudge of the central differences, as in `helpers.gradcheck.numerical_gradient`.
STEP = 1e-5
#: Each timed loop runs for at least this long (seconds), so that the clock's resolution and
#: the cost of reading it do not matter for the smallest networks.
_MIN_LOOP_S = 2e-3
#: More repeats than this is a typo (each repeat runs every measurement again).
MAX_REPEATS = 1000
MAX_THREADS = 1024


def time_gradients(layer_sizes_list, m=32, repeats=3, seed=0, *, n_sampled=100, threads=1):
    """Time one backprop gradient and one full numerical gradient for networks of several sizes.

    For each entry of `layer_sizes_list` an `MLP` (ReLU hidden layers, He initialisation;
    softmax output, or sigmoid when the last layer has one unit) is built and fed a random batch
    of `m` examples with random labels. Two things are timed:

    * backprop: one call of `MLP.loss_and_grads(X, Y)`, which returns the gradient of every
      parameter;
    * numerical: central differences over every parameter, each nudged by +h and -h in place
      with `MLP.loss(X, Y)` evaluated twice, as `helpers.gradcheck.numerical_gradient` does.
      When the network has more than `n_sampled` parameters, only `n_sampled` of them, drawn
      at random, are nudged, and that time is multiplied by ``n_params / n_sampled``: each
      nudge costs the same two forward passes, so this estimates the full cost. The entry then
      has ``numerical_sampled=True``.

    Each time is the shortest of `repeats` runs (the least disturbed by other work on the
    machine); a run repeats its work until it lasts at least a couple of milliseconds. By
    default the matrix products run on one thread: for these small matrices that is about as
    fast as several, and a busy machine then slows both measurements alike instead of stalling
    the threads of one of them. With the defaults, networks of up to about 10^5 parameters take
    a few tenths of a second each.

    Parameters
    ----------
    layer_sizes_list : sequence of sequences of int, each [n_0, n_1, ..., n_L] (at least 2
                       entries, all >= 1): the networks to time, in the order given
    m                : int >= 1, the number of examples (columns of X, shape (n_0, m)) per batch
    repeats          : int >= 1, runs per measurement; the fastest run is reported
    seed             : int >= 0, seeds the weights, the batch and the sampled parameters
    n_sampled        : int >= 1, keyword-only; the most parameters nudged per network (more
                       make the estimate for large networks steadier and slower)
    threads          : int >= 1 or None, keyword-only; the number of threads the BLAS library
                       may use while timing (None: leave its setting alone)

    Returns
    -------
    list of dict, one per network, in the order of `layer_sizes_list`, with keys
        layer_sizes       : tuple of int, the network
        n_params          : int, P, its number of weights and biases
        backprop_s        : float, seconds for one backprop gradient (all P partial derivatives)
        numerical_s       : float, seconds for the numerical gradient of all P parameters
                            (extrapolated from `n_nudged` of them when `numerical_sampled`)
        ratio             : float, numerical_s / backprop_s
        numerical_sampled : bool, True if numerical_s was extrapolated from a sample
        n_nudged          : int, how many parameters were actually nudged (P when not sampled)

    Raises
    ------
    TypeError  if `layer_sizes_list` is not a sequence of sequences of int, or `m`, `repeats`,
               `seed`, `n_sampled`, `threads` are not integers
    ValueError if it is empty, a network has fewer than 2 layer sizes or a size below 1, or
               `m`, `repeats`, `n_sampled`, `threads` are below 1, or `seed` is negative

    Notes
    -----
    Introduced in notebook 05, which plots both times against `n_params` and asserts that
    `ratio` grows with it. Absolute times depend on the machine and on its load; that growth,
    roughly in proportion to P, does not.
    """
    where = "time_gradients"
    networks = _check_sizes_list(layer_sizes_list, where)
    m = check_positive_int(m, "m", where)
    for sizes in networks:
        check_alloc((max(sizes), m), f"a batch of m = {m} examples through {sizes}", where)
    repeats = check_positive_int(repeats, "repeats", where, high=MAX_REPEATS)
    n_sampled = check_positive_int(n_sampled, "n_sampled", where)
    seed = check_seed(seed, where)

    if threads is not None:
        threads = check_positive_int(threads, "threads", where, high=MAX_THREADS)
    limit = contextlib.nullcontext()
    if threads is not None and threadpool_limits is not None:
        limit = threadpool_limits(limits=threads, user_api="blas")

    rng = np.random.default_rng(seed)
    with limit:
        return [_time_one(sizes, m, repeats, n_sampled, rng) for sizes in networks]


def _time_one(sizes, m, repeats, n_sampled, rng):
    """The dict of `time_gradients` for one network."""
    output = "softmax" if sizes[-1] >= 2 else "sigmoid"
    model = MLP(sizes, output=output, seed=int(rng.integers(2**31)))
    X = rng.standard_normal((sizes[0], m))
    if output == "softmax":
        Y = one_hot(rng.integers(0, sizes[-1], m), sizes[-1])
    else:
        Y = rng.integers(0, 2, (1, m)).astype(float)
    n_params = model.n_params
    targets = _targets(model, min(n_sampled, n_params), rng)

    backprop_s = _best_time(lambda: model.loss_and_grads(X, Y), repeats)
    nudges_s = _best_time(lambda: _central_differences(model, X, Y, targets), repeats)
    numerical_s = nudges_s * n_params / len(targets)
    return {
        "layer_sizes": tuple(sizes),
        "n_params": n_params,
        "backprop_s": backprop_s,
        "numerical_s": numerical_s,
        "ratio": numerical_s / backprop_s,
        "numerical_sampled": len(targets) < n_params,
        "n_nudged": len(targets),
    }


def _check_sizes_list(layer_sizes_list, where):
    """The networks as lists of int, or an error naming the offending entry."""
    name = "layer_sizes_list"
    if isinstance(layer_sizes_list, (str, bytes)) or not hasattr(layer_sizes_list, "__len__"):
        raise TypeError(
            f"{where}: {name} must be a list of networks such as [[2, 8, 3], [4, 16, 3]]; "
            f"got {type(layer_sizes_list).__name__}"
        )
    if len(layer_sizes_list) == 0:
        raise ValueError(f"{where}: {name} must hold at least one network; got an empty list")
    networks = []
    for i, sizes in enumerate(layer_sizes_list):
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
            raise TypeError(
                f"{where}: {name}[{i}] must be a list of layer sizes [n_0, ..., n_L]; "
                f"got {type(sizes).__name__} {sizes!r}"
            )
        if len(sizes) < 2:
            raise ValueError(
                f"{where}: {name}[{i}] needs at least [n_inputs, n_outputs]; got {list(sizes)}"
            )
        networks.append(
            [check_positive_int(n, f"{name}[{i}][{j}]", where) for j, n in enumerate(sizes)]
        )
        n = networks[-1]
        n_params = sum(n[l] * (n[l - 1] + 1) for l in range(1, len(n)))
        check_alloc((n_params,), f"{name}[{i}] ({n_params:,} parameters)", where)
    return networks


def _targets(model, k, rng):
    """k distinct parameters of `model`, as (name, flat index) pairs, drawn at random."""
    names = list(model.params)
    sizes = np.array([model.params[name].size for name in names])
    picks = np.sort(rng.choice(sizes.sum(), size=k, replace=False))
    owners = np.searchsorted(np.cumsum(sizes), picks, side="right")
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    return [(names[o], int(p - starts[o])) for o, p in zip(owners, picks, strict=True)]


def _central_differences(model, X, Y, targets, h=STEP):
    """dL/dp ~ (L(p + h) - L(p - h)) / 2h for each target parameter, nudged in place."""
    grads = np.empty(len(targets))
    for t, (name, index) in enumerate(targets):
        value = model.params[name]
        old = value.flat[index]
        value.flat[index] = old + h
        plus = model.loss(X, Y)
        value.flat[index] = old - h
        minus = model.loss(X, Y)
        value.flat[index] = old
        grads[t] = (plus - minus) / (2 * h)
    return grads


def _best_time(work, repeats, min_loop_s=_MIN_LOOP_S):
    """Seconds per call of `work()`: the fastest of `repeats` loops of at least min_loop_s each."""
    start = perf_counter()
    work()  # also warms up caches and allocations
    once = perf_counter() - start
    number = max(1, math.ceil(min_loop_s / max(once, 1e-9)))
    if number == 1:  # long enough: the first run counts as one of the repeats
        best, runs = once, repeats - 1
    else:
        best, runs = math.inf, repeats
    for _ in range(runs):
        start = perf_counter()
        for _ in range(number):
            work()
        best = min(best, (perf_counter() - start) / number)
    return best
