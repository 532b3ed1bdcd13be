"""MLP's fast path (work arrays kept between calls) gives the readable path's numbers, to the bit.

`loss_and_grads` and `fit` write the activations and their gradients into arrays the model keeps;
`forward`, `backward` and the layers of `helpers.layers` are what the notebooks teach. Every
comparison here is of the bytes of each result (`same_bits`), which also tells 0.0 from -0.0, so
"the same numbers" means the same to the last bit, not close.
"""

import copy
import itertools

import numpy as np
import pytest

import helpers.mlp as mlp
from helpers.data import one_hot
from helpers.mlp import MLP

ACTIVATIONS = ["relu", "leaky_relu", "sigmoid", "tanh"]
OUTPUTS = ["softmax", "sigmoid"]
DTYPES = [np.float64, np.float32]
ARCHITECTURES = [[3, 2], [4, 5, 3], [2, 6, 4, 3], [6, 9, 1]]
BATCHES = [1, 2, 7, 33]


def same_bits(a, b):
    """The same dtype, shape and bytes: equal to the bit, signed zeros and NaNs included."""
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def same_result(one, other):
    """Two (loss, grads) pairs with the same loss, the same keys in order, the same bits."""
    (loss, grads), (loss_other, grads_other) = one, other
    return (
        same_bits(loss, loss_other)
        and list(grads) == list(grads_other)
        and all(same_bits(grads[k], grads_other[k]) for k in grads)
    )


@pytest.fixture
def readable(monkeypatch):
    """Call it to make every MLP take the readable path (forward, backward through the layers)."""
    return lambda: monkeypatch.setattr(MLP, "_fast_path_fits", lambda self: False)


def problem(sizes, activation, output, dtype, m, seed=0):
    model = MLP(sizes, activation=activation, output=output, seed=seed, bias=0.1, dtype=dtype)
    return model, *batch(model, m, seed)


def batch(model, m, seed):
    rng = np.random.default_rng(seed + 100)
    n_in, n_out = model.layer_sizes[0], model.layer_sizes[-1]
    X = rng.standard_normal((n_in, m)) * 2
    if model.output == "softmax":
        return X, one_hot(rng.integers(0, n_out, m), n_out)
    return X, rng.integers(0, 2, (n_out, m)).astype(float)


@pytest.mark.parametrize(
    ("sizes", "activation", "output", "dtype"),
    [
        case
        for case in itertools.product(ARCHITECTURES, ACTIVATIONS, OUTPUTS, DTYPES)
        if case[0][-1] >= 2 or case[2] == "sigmoid"  # a softmax needs two classes
    ],
)
def test_loss_and_grads_equals_the_readable_path(sizes, activation, output, dtype, readable):
    fast, slow = {}, {}
    for m in BATCHES:
        model, X, Y = problem(sizes, activation, output, dtype, m, seed=m)
        assert model._fast_path_fits()
        fast[m] = model.loss_and_grads(X, Y)
        assert list(model._work) == [m]  # the fast path ran, on work arrays for this batch size
        assert fast[m][1]["dW1"].dtype == dtype
    readable()
    for m in BATCHES:
        model, X, Y = problem(sizes, activation, output, dtype, m, seed=m)
        slow[m] = model.loss_and_grads(X, Y)
        assert model._work == {}  # the readable path ran
        assert same_result(fast[m], slow[m]), m


@pytest.mark.parametrize(("activation", "dtype"), list(itertools.product(ACTIVATIONS, DTYPES)))
def test_changing_batch_sizes_reuse_work_arrays_and_never_overwrite_returned_gradients(
    activation, dtype, readable
):
    sizes, batches = [5, 8, 6, 3], [4, 1, 4, 9, 1, 17, 4, 4]
    model = MLP(sizes, activation=activation, seed=3, bias=0.1, dtype=dtype)
    twin = copy.deepcopy(model)
    kept, copies = [], []
    for step, m in enumerate(batches):
        X, Y = batch(model, m, seed=step)
        kept.append(model.loss_and_grads(X, Y))
        copies.append((kept[-1][0], {k: v.copy() for k, v in kept[-1][1].items()}))
        assert len(model._work) <= 2 and next(reversed(model._work)) == m
        for work in model._work.values():
            for array in work["A"][1:] + work["dA"][1:]:
                assert not any(np.shares_memory(array, g) for g in kept[-1][1].values())
    # every result kept is as it was returned, after all the calls that followed
    assert all(same_result(k, c) for k, c in zip(kept, copies, strict=True))
    readable()
    for step, m in enumerate(batches):
        X, Y = batch(twin, m, seed=step)
        assert same_result(kept[step], twin.loss_and_grads(X, Y)), (step, m)


@pytest.mark.parametrize(
    ("activation", "output", "dtype"), list(itertools.product(ACTIVATIONS, OUTPUTS, DTYPES))
)
@pytest.mark.parametrize(("m", "batch_size"), [(13, 4), (12, 4), (5, 1), (6, 10)])
def test_fit_equals_the_readable_path(activation, output, dtype, m, batch_size, readable):
    sizes = [4, 7, 5, 3]
    fast, X, Y = problem(sizes, activation, output, dtype, m, seed=m)
    if m % 2:
        X = np.asfortranarray(X)  # the layout of data.T, as digits() returns it
    slow = copy.deepcopy(fast)
    settings = dict(epochs=3, lr=0.3, batch_size=batch_size, seed=5)
    fast_losses = fast.fit(X, Y, **settings)
    assert fast._work  # the fast path ran
    readable()
    slow_losses = slow.fit(X, Y, **settings)
    assert slow._work == {}
    assert same_bits(fast_losses, slow_losses) and len(fast_losses) == 3 * -(-m // batch_size)
    assert all(same_bits(fast.params[name], slow.params[name]) for name in fast.params)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout", ["C", "F"])
def test_larger_networks_on_every_blas_thread(dtype, layout, readable):
    """Shapes where BLAS splits the products between threads: the benchmarks' and notebook 05's."""
    cases = [([784, 256, 128, 10], 256, 256), ([64, 64, 10], 1348, 32)]
    fast = []
    for sizes, m, batch_size in cases:
        model, X, Y = problem(sizes, "relu", "softmax", dtype, m)
        X = np.asarray(X, order=layout)
        fast.append((model.loss_and_grads(X, Y), model.fit(X, Y, 1, 0.1, batch_size), model))
    readable()
    for (sizes, m, batch_size), (result, losses, trained) in zip(cases, fast, strict=True):
        model, X, Y = problem(sizes, "relu", "softmax", dtype, m)
        X = np.asarray(X, order=layout)
        assert same_result(model.loss_and_grads(X, Y), result), sizes
        assert same_bits(model.fit(X, Y, 1, 0.1, batch_size), losses), sizes
        assert all(same_bits(model.params[k], trained.params[k]) for k in model.params), sizes


@pytest.mark.parametrize("dtype", DTYPES)
def test_a_slip_in_the_order_of_operations_would_be_caught(dtype, monkeypatch):
    """Control: a fast path that groups the sigmoid's backward as dA * (A (1 - A)) instead of
    (dA A)(1 - A) rounds some entries differently. np.allclose calls the results equal;
    `same_result`, the comparison of every test above, does not."""
    model, X, Y = problem([4, 6, 5, 3], "sigmoid", "softmax", dtype, 7, seed=2)
    right = model.loss_and_grads(X, Y)

    def regrouped(dA, A):
        dA *= A * (1.0 - A)

    monkeypatch.setitem(mlp._IN_PLACE, "sigmoid", (mlp._sigmoid_in_place, regrouped))
    wrong = model.loss_and_grads(X, Y)
    assert not same_result(wrong, right)
    assert all(np.allclose(wrong[1][k], right[1][k], rtol=1e-5, atol=0) for k in right[1])


def test_one_ulp_is_a_difference():
    """Control: same_bits tells apart two arrays one unit in the last place apart, either dtype."""
    for dtype in DTYPES:
        a = np.linspace(-1, 1, 12, dtype=dtype).reshape(3, 4)
        b = a.copy()
        b[1, 2] = np.nextafter(b[1, 2], dtype(2))
        assert same_bits(a, a.copy()) and not same_bits(a, b)
        assert not same_bits(a, a.astype(np.float64 if dtype == np.float32 else np.float32))


def test_copies_leave_the_work_arrays_behind_and_still_compute_the_same():
    model, X, Y = problem([3, 5, 2], "tanh", "softmax", np.float64, 6)
    first = model.loss_and_grads(X, Y)
    twin = copy.deepcopy(model)
    assert model._work and twin._work == {}
    assert same_result(twin.loss_and_grads(X, Y), first)


def test_parameters_of_another_dtype_or_shape_take_the_readable_path():
    model, X, Y = problem([3, 5, 2], "relu", "softmax", np.float64, 6)
    model.params["W1"] = model.params["W1"].astype(np.float32)  # a learner's assignment
    assert not model._fast_path_fits()
    loss, grads = model.loss_and_grads(X, Y)
    assert np.isfinite(loss) and grads["dW1"].shape == (5, 3) and model._work == {}
    model.params["W1"] = np.zeros((5, 4))
    assert not model._fast_path_fits()
    with pytest.raises(ValueError):
        model.loss_and_grads(X, Y)
