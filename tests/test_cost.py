"""Tests of helpers.cost: what `time_gradients` returns, how it samples, what it rejects.

No test asserts anything about a measured time, absolute or relative: times depend on the machine
and its load. How the times scale is measured by `benchmarks/numeric_vs_backprop.py`; the
arithmetic of the scaling is tested here with a fake clock.
"""

import math

import numpy as np
import pytest

from helpers import cost
from helpers.cost import time_gradients
from helpers.data import one_hot
from helpers.gradcheck import rel_error
from helpers.mlp import MLP

KEYS = {
    "layer_sizes",
    "n_params",
    "backprop_s",
    "numerical_s",
    "ratio",
    "numerical_sampled",
    "n_nudged",
}


# -- structure -----------------------------------------------------------------------------------


def test_one_dict_per_network_in_order_with_the_documented_keys():
    networks = [[2, 3, 2], (4, 5, 3), [3, 4, 4, 2]]
    results = time_gradients(networks, m=8, repeats=1)
    assert isinstance(results, list) and len(results) == len(networks)
    for sizes, entry in zip(networks, results, strict=True):
        assert set(entry) == KEYS
        assert entry["layer_sizes"] == tuple(sizes)
        assert entry["n_params"] == MLP(sizes).n_params
        assert isinstance(entry["n_params"], int)
        assert isinstance(entry["numerical_sampled"], bool)
        for key in ("backprop_s", "numerical_s", "ratio"):
            assert isinstance(entry[key], float) and math.isfinite(entry[key]) and entry[key] > 0
        assert entry["ratio"] == pytest.approx(entry["numerical_s"] / entry["backprop_s"])


def test_small_networks_are_nudged_in_full_and_large_ones_sampled():
    small, large = time_gradients([[2, 3, 2], [8, 16, 4]], m=4, repeats=1, n_sampled=30)
    assert small["n_params"] == 17 <= 30
    assert small["numerical_sampled"] is False and small["n_nudged"] == 17
    assert large["n_params"] == 212 > 30
    assert large["numerical_sampled"] is True and large["n_nudged"] == 30


def test_a_single_output_unit_uses_a_sigmoid_output():
    (entry,) = time_gradients([[3, 4, 1]], m=5, repeats=1)
    assert entry["n_params"] == MLP([3, 4, 1], output="sigmoid").n_params


def test_sampled_time_is_scaled_by_params_over_nudged(monkeypatch):
    # With a fake clock that says every timed piece of work takes 1 s, the arithmetic is exact.
    monkeypatch.setattr(cost, "_best_time", lambda work, repeats: 1.0)
    small, large = time_gradients([[2, 3, 2], [8, 16, 4]], repeats=1, n_sampled=50)
    assert small["numerical_s"] == 1.0  # all 17 parameters nudged in the timed work
    assert large["numerical_s"] == pytest.approx(212 / 50)
    assert large["ratio"] == pytest.approx(212 / 50)


def test_the_timed_nudges_compute_the_gradient():
    """What is timed is real work: the central differences agree with backprop."""
    rng = np.random.default_rng(1)
    model = MLP([4, 6, 3], seed=1, bias=0.1)
    X = rng.standard_normal((4, 7))
    Y = one_hot(rng.integers(0, 3, 7), 3)
    _, grads = model.loss_and_grads(X, Y)
    targets = cost._targets(model, 20, rng)
    assert len(set(targets)) == 20
    numeric = cost._central_differences(model, X, Y, targets)
    exact = np.array([grads["d" + name].flat[index] for name, index in targets])
    assert rel_error(numeric, exact) < 1e-7
    assert model.loss(X, Y) == pytest.approx(model.loss_and_grads(X, Y)[0])  # params restored


def test_targets_cover_every_parameter_when_all_are_drawn():
    model = MLP([3, 4, 2])
    targets = cost._targets(model, model.n_params, np.random.default_rng(0))
    expected = {(name, i) for name, value in model.params.items() for i in range(value.size)}
    assert set(targets) == expected


def test_threads_none_leaves_blas_alone_and_the_limit_is_lifted_afterwards():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    before = [info["num_threads"] for info in threadpoolctl.threadpool_info()]
    (entry,) = time_gradients([[2, 3, 2]], m=4, repeats=1, threads=None)
    assert entry["n_params"] == 17
    time_gradients([[2, 3, 2]], m=4, repeats=1, threads=1)
    assert [info["num_threads"] for info in threadpoolctl.threadpool_info()] == before


# -- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"layer_sizes_list": []}, ValueError, "layer_sizes_list"),
        ({"layer_sizes_list": "2, 3"}, TypeError, "layer_sizes_list"),
        ({"layer_sizes_list": 5}, TypeError, "layer_sizes_list"),
        ({"layer_sizes_list": [2, 3, 2]}, TypeError, "layer_sizes_list[0]"),
        ({"layer_sizes_list": [[4]]}, ValueError, "layer_sizes_list[0]"),
        ({"layer_sizes_list": [[2, 3], [3, 0, 2]]}, ValueError, "layer_sizes_list[1][1]"),
        ({"layer_sizes_list": [[2, 2.5, 2]]}, TypeError, "layer_sizes_list[0][1]"),
        ({"m": 0}, ValueError, "m must"),
        ({"m": 4.0}, TypeError, "m must"),
        ({"repeats": 0}, ValueError, "repeats"),
        ({"repeats": True}, TypeError, "repeats"),
        ({"seed": -1}, ValueError, "seed"),
        ({"seed": "0"}, TypeError, "seed"),
        ({"n_sampled": 0}, ValueError, "n_sampled"),
        ({"threads": 0}, ValueError, "threads"),
        ({"threads": 1.5}, TypeError, "threads"),
    ],
)
def test_bad_input_raises_naming_the_argument(kwargs, error, words):
    arguments = {"layer_sizes_list": [[2, 3, 2]], **kwargs}
    with pytest.raises(error) as info:
        time_gradients(**arguments)
    assert "time_gradients" in str(info.value)
    assert words in str(info.value)
