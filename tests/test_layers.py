"""Every backward function of helpers.layers against autograd and against central differences."""

import itertools

import numpy as np
import pytest

from helpers import layers
from helpers.data import one_hot
from helpers.gradcheck import numerical_gradient, rel_error

from . import backends as B
from .backends import TOL, agrees_with_numeric

# (n_in, n_out, m): n_in, n_out and m differ, so a transpose cannot hide behind a square shape.
SHAPES = [(1, 1, 1), (3, 2, 1), (4, 3, 5), (2, 5, 7), (6, 4, 3), (10, 7, 16)]
SEEDS = range(8)
CASES = list(itertools.product(SHAPES, SEEDS))


def away_from_kinks(Z, gap=1e-3):
    """Move entries within `gap` of 0, where ReLU has no derivative, out to +-gap."""
    return np.where(np.abs(Z) < gap, np.copysign(2 * gap, Z), Z)


def numeric_vjp(forward, upstream, x):
    """Central differences of sum(upstream * forward()) with respect to x."""
    return numerical_gradient(lambda: np.sum(upstream * forward()), x)


@pytest.mark.parametrize(("shape", "seed"), CASES)
def test_affine_backward(shape, seed):
    n_in, n_out, m = shape
    rng = np.random.default_rng(seed)
    A_prev, W = rng.standard_normal((n_in, m)), rng.standard_normal((n_out, n_in))
    b, dZ = rng.standard_normal((n_out, 1)), rng.standard_normal((n_out, m))
    Z, cache = layers.affine_forward(A_prev, W, b)
    assert rel_error(Z, B.forward_numpy(B.affine, A_prev, W, b)) < TOL
    dA_prev, dW, db = layers.affine_backward(dZ, cache)
    assert (dA_prev.shape, dW.shape, db.shape) == (A_prev.shape, W.shape, b.shape)
    for got, argnum in ((dA_prev, 0), (dW, 1), (db, 2)):
        assert rel_error(got, B.vjp(B.affine, argnum, dZ, A_prev, W, b)) < TOL
    forward = lambda: layers.affine_forward(A_prev, W, b)[0]  # noqa: E731
    for got, x in ((dA_prev, A_prev), (dW, W), (db, b)):
        assert agrees_with_numeric(got, numeric_vjp(forward, dZ, x))


ACTIVATIONS = {
    "relu": (layers.relu_forward, layers.relu_backward, B.relu),
    "sigmoid": (layers.sigmoid_forward, layers.sigmoid_backward, B.sigmoid),
    "tanh": (layers.tanh_forward, layers.tanh_backward, B.tanh),
    "leaky_relu": (layers.leaky_relu_forward, layers.leaky_relu_backward, B.leaky_relu),
}


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@pytest.mark.parametrize(("shape", "seed"), CASES)
def test_activation_backward(name, shape, seed):
    forward, backward, reference = ACTIVATIONS[name]
    _, n_out, m = shape
    rng = np.random.default_rng(seed)
    Z = away_from_kinks(rng.standard_normal((n_out, m)) * 3)
    dA = rng.standard_normal(Z.shape)
    A, cache = forward(Z)
    assert rel_error(A, B.forward_numpy(reference, Z)) < TOL
    dZ = backward(dA, cache)
    assert dZ.shape == Z.shape
    assert rel_error(dZ, B.vjp(reference, 0, dA, Z)) < TOL
    assert agrees_with_numeric(dZ, numeric_vjp(lambda: forward(Z)[0], dA, Z))


@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh", "leaky_relu"])
def test_activation_objects_match_the_layers(name):
    """ACTIVATIONS[name].grad(Z) is the slope the backward function applies."""
    Z = away_from_kinks(np.linspace(-6, 6, 41).reshape(1, -1))
    forward, backward, _ = ACTIVATIONS[name]
    activation = layers.ACTIVATIONS[name]
    A, cache = forward(Z)
    assert np.allclose(activation.fn(Z), A)
    assert np.allclose(activation.grad(Z), backward(np.ones_like(Z), cache))


def test_relu_slope_at_zero_is_zero():
    Z = np.array([[-1.0, 0.0, 2.0]])
    assert np.array_equal(
        layers.relu_backward(np.ones_like(Z), layers.relu_forward(Z)[1]), [[0, 0, 1]]
    )


@pytest.mark.parametrize(
    ("n_classes", "m", "seed"), list(itertools.product([2, 3, 10], [1, 4, 9], range(5)))
)
def test_softmax_cross_entropy(n_classes, m, seed):
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((n_classes, m)) * 2
    Y = one_hot(rng.integers(0, n_classes, m), n_classes)
    loss, dZ = layers.softmax_cross_entropy(Z, Y)
    assert abs(loss - B.forward_numpy(B.softmax_cross_entropy, Z, Y)) < 1e-12 * max(1, loss)
    assert rel_error(dZ, B.autodiff(B.softmax_cross_entropy, 0, Z, Y)) < TOL
    assert agrees_with_numeric(
        dZ, numerical_gradient(lambda: layers.softmax_cross_entropy(Z, Y)[0], Z)
    )
    # the collapsed form of notebook 03: (softmax(Z) - Y) / m
    assert rel_error(dZ, (layers.softmax(Z) - Y) / m) < 1e-12


@pytest.mark.parametrize(
    ("n_out", "m", "seed"), list(itertools.product([1, 3], [1, 5, 8], range(5)))
)
def test_sigmoid_cross_entropy(n_out, m, seed):
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((n_out, m)) * 3
    Y = rng.integers(0, 2, (n_out, m)).astype(float)
    loss, dZ = layers.sigmoid_cross_entropy(Z, Y)
    assert abs(loss - B.forward_numpy(B.sigmoid_cross_entropy, Z, Y)) < 1e-12 * max(1, loss)
    assert rel_error(dZ, B.autodiff(B.sigmoid_cross_entropy, 0, Z, Y)) < TOL
    assert agrees_with_numeric(
        dZ, numerical_gradient(lambda: layers.sigmoid_cross_entropy(Z, Y)[0], Z)
    )


def test_softmax_columns_are_distributions():
    Z = np.random.default_rng(0).standard_normal((5, 7)) * 10
    P = layers.softmax(Z)
    assert np.allclose(P.sum(axis=0), 1) and (P > 0).all()
    # invariant to adding a constant to a column
    assert np.allclose(layers.softmax(Z + np.arange(7)), P)


def test_float32_stays_float32_and_ints_become_float64():
    Z32 = np.ones((2, 3), dtype=np.float32)
    assert layers.relu_forward(Z32)[0].dtype == np.float32
    A, _ = layers.relu_forward(np.array([[1, -2]]))
    assert A.dtype == np.float64
    Z, _ = layers.affine_forward(
        np.ones((2, 3), dtype=int), np.ones((1, 2), dtype=int), np.zeros((1, 1))
    )
    assert Z.dtype == np.float64 and np.array_equal(Z, [[2.0, 2.0, 2.0]])


def test_activation_slopes_at_zero_follow_the_backward_functions():
    Z = np.array([[-1.0, 0.0, 2.0]])
    assert np.array_equal(layers.ACTIVATIONS["relu"].grad(Z), [[0.0, 0.0, 1.0]])
    assert np.array_equal(layers.ACTIVATIONS["leaky_relu"].grad(Z), [[0.01, 0.01, 1.0]])
    assert np.array_equal(layers.ACTIVATIONS["identity"].grad(Z), np.ones((1, 3)))
    assert np.allclose(layers.ACTIVATIONS["tanh"].grad(Z), 1 - np.tanh(Z) ** 2)
    s = 1 / (1 + np.exp(-Z))
    assert np.allclose(layers.ACTIVATIONS["sigmoid"].grad(Z), s * (1 - s))
    with pytest.raises(ValueError, match=r"ACTIVATIONS\['relu'\]\.grad: Z"):
        layers.ACTIVATIONS["relu"].grad(np.array([np.nan]))


def test_leaky_relu_uses_its_alpha_both_ways():
    Z = np.array([[-2.0, 3.0]])
    A, cache = layers.leaky_relu_forward(Z, alpha=0.2)
    assert np.allclose(A, [[-0.4, 3.0]])
    assert np.allclose(layers.leaky_relu_backward(np.ones((1, 2)), cache), [[0.2, 1.0]])
    for bad in (float("nan"), 2.0, -0.1, "0.1", None):
        with pytest.raises((ValueError, TypeError), match="alpha"):
            layers.leaky_relu_forward(Z, alpha=bad)


def test_backward_caches_are_checked():
    Z = np.array([[-2.0, 3.0]])
    with pytest.raises(ValueError, match="Is it Z, the input, instead of the output A"):
        layers.sigmoid_backward(np.ones((1, 2)), Z)
    with pytest.raises(ValueError, match=r"values in \[-1, 1\]"):
        layers.tanh_backward(np.ones((1, 2)), Z)
    A_prev, W = np.ones((4, 5)), np.ones((3, 4))
    with pytest.raises(ValueError, match="cache must be the .* do not fit together"):
        layers.affine_backward(np.ones((3, 5)), (A_prev, W, np.ones((1, 3))))
    with pytest.raises(ValueError, match="cache .* NaN"):
        layers.relu_backward(np.ones((1, 2)), np.array([[np.nan, 1.0]]))


def test_softmax_cross_entropy_wants_columns_that_sum_to_one():
    Z = np.zeros((3, 2))
    with pytest.raises(ValueError, match="column 1 sums to 2"):
        layers.softmax_cross_entropy(Z, np.array([[1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]))
