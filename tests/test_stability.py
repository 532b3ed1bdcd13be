"""Extreme inputs: no overflow, no warning (pytest turns every warning into an error), finite
and correct results at |z| = 1e4."""

import warnings

import numpy as np
import pytest

from helpers import layers
from helpers.data import blobs, one_hot
from helpers.graph import Node
from helpers.mlp import MLP

EXTREME = np.array([[-1e4, -800.0, -30.0, 0.0, 30.0, 800.0, 1e4]])


@pytest.fixture(autouse=True)
def warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def test_sigmoid_at_extremes():
    s = layers.sigmoid(EXTREME)
    assert np.all(np.isfinite(s)) and s[0, 0] == 0.0 and s[0, -1] == 1.0 and s[0, 3] == 0.5
    A, cache = layers.sigmoid_forward(EXTREME)
    dZ = layers.sigmoid_backward(np.ones_like(A), cache)
    assert dZ[0, 0] == 0.0 and dZ[0, -1] == 0.0 and dZ[0, 3] == 0.25  # saturated: gradient vanishes


def test_sigmoid_cross_entropy_at_extremes():
    Z = np.array([[1e4, -1e4, 1e4, -1e4]])
    loss, dZ = layers.sigmoid_cross_entropy(Z, np.array([[1, 0, 0, 1]]))
    # right and confident: 0; wrong and confident: 1e4 each
    assert loss == pytest.approx((0 + 0 + 1e4 + 1e4) / 4) and np.isfinite(dZ).all()
    assert np.allclose(dZ, [[0, 0, 0.25, -0.25]])


def test_softmax_and_its_cross_entropy_at_extremes():
    Z = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0], [0.0, 0.0, 1e4]])
    P = layers.softmax(Z)
    assert np.allclose(P, np.eye(3))
    loss, dZ = layers.softmax_cross_entropy(Z, np.eye(3))
    assert loss == 0.0 and np.allclose(dZ, 0)
    loss, dZ = layers.softmax_cross_entropy(Z, np.eye(3)[[1, 0, 2]].T)
    assert loss == pytest.approx(2e4 * 2 / 3) and np.all(np.isfinite(dZ))


def test_tanh_and_relu_at_extremes():
    A, cache = layers.tanh_forward(EXTREME)
    assert np.all(np.abs(A) <= 1) and np.all(layers.tanh_backward(np.ones_like(A), cache) >= 0)
    A, cache = layers.relu_forward(EXTREME)
    assert A[0, -1] == 1e4 and A[0, 0] == 0


def test_scalar_graph_sigmoid_at_extremes():
    for z in (-1e4, 1e4):
        node = Node(z)
        out = node.sigmoid()
        out.backward()
        assert out.value in (0.0, 1.0) and node.grad == 0.0


def test_a_huge_initialisation_saturates_without_warnings():
    X, y = blobs(20, 2, seed=0)
    model = MLP([2, 50, 50, 2], activation="sigmoid", init=100.0)
    loss, grads = model.loss_and_grads(X * 100, one_hot(y, 2))
    assert np.isfinite(loss) and all(np.isfinite(g).all() for g in grads.values())
    assert np.median(np.abs(grads["dW1"])) < 1e-10  # most units saturated: gradients vanish


def test_divergence_is_an_error_not_a_warning():
    X, y = blobs(20, 2, seed=0)
    model = MLP([2, 20, 2], init=30.0)
    with pytest.raises(ValueError, match="learning rate"):
        model.fit(X * 1e3, one_hot(y, 2), epochs=50, lr=1e6)
