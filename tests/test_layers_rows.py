"""helpers.rowlayout (notebook 04) against autograd and central differences, and the row layout
against the column layout it transposes."""

import itertools

import numpy as np
import pytest

from helpers import layers
from helpers.gradcheck import numerical_gradient, rel_error
from helpers.rowlayout import affine_backward_rows, affine_forward_rows

from . import backends as B
from .backends import TOL, agrees_with_numeric

# (n_in, n_out, m): all three differ in most cases, so a transpose cannot hide behind a square.
SHAPES = [(1, 1, 1), (3, 2, 1), (4, 3, 5), (2, 5, 7), (6, 4, 3), (10, 7, 16)]
CASES = list(itertools.product(SHAPES, range(5)))


def affine_rows(xp, X, W, b):
    return xp.dot(X, W) + b


def row_inputs(shape, seed):
    n_in, n_out, m = shape
    rng = np.random.default_rng(seed)
    X, W = rng.standard_normal((m, n_in)), rng.standard_normal((n_in, n_out))
    b, dZ = rng.standard_normal(n_out), rng.standard_normal((m, n_out))
    return X, W, b, dZ


# -- the row layout ------------------------------------------------------------------------------


@pytest.mark.parametrize(("shape", "seed"), CASES)
def test_affine_rows_against_autograd_and_central_differences(shape, seed):
    X, W, b, dZ = row_inputs(shape, seed)
    Z, cache = affine_forward_rows(X, W, b)
    assert rel_error(Z, B.forward_numpy(affine_rows, X, W, b)) < TOL
    dX, dW, db = affine_backward_rows(dZ, cache)
    assert (dX.shape, dW.shape, db.shape) == (X.shape, W.shape, b.shape)
    for got, argnum in ((dX, 0), (dW, 1), (db, 2)):
        assert rel_error(got, B.vjp(affine_rows, argnum, dZ, X, W, b)) < TOL
    for got, x in ((dX, X), (dW, W), (db, b)):
        numeric = numerical_gradient(lambda: np.sum(dZ * affine_forward_rows(X, W, b)[0]), x)
        assert agrees_with_numeric(got, numeric)


@pytest.mark.parametrize(("shape", "seed"), CASES)
def test_rows_are_the_columns_transposed(shape, seed):
    X, W, b, dZ = row_inputs(shape, seed)
    Z_rows, cache_rows = affine_forward_rows(X, W, b)
    Z_cols, cache_cols = layers.affine_forward(X.T, W.T, b.reshape(-1, 1))
    assert np.allclose(Z_rows, Z_cols.T, rtol=1e-12, atol=1e-12)
    dX, dW_rows, db_rows = affine_backward_rows(dZ, cache_rows)
    dA_prev, dW_cols, db_cols = layers.affine_backward(dZ.T, cache_cols)
    assert np.allclose(dX, dA_prev.T, rtol=1e-12, atol=1e-12)
    assert np.allclose(dW_rows, dW_cols.T, rtol=1e-12, atol=1e-12)
    assert np.allclose(db_rows, db_cols.ravel(), rtol=1e-12, atol=1e-12)


def test_affine_rows_accepts_integers_and_returns_float64():
    Z, _ = affine_forward_rows([[1, 2]], [[1], [1]], [3])
    assert Z.dtype == np.float64 and Z.tolist() == [[6.0]]


@pytest.mark.parametrize(
    ("X", "W", "b", "phrases"),
    [
        (np.ones(3), np.ones((3, 2)), np.ones(2), ["X must be a 2-D array", "got 1-D", "(3,)"]),
        (np.ones((5, 4)), np.ones((3, 2)), np.ones(2), ["X has 4 columns", "W expects 3 inputs"]),
        (np.ones((5, 3)), np.ones((3, 2)), np.ones((2, 1)), ["b must have shape (2,)", "(2, 1)"]),
        (np.ones((5, 3)), np.ones(3), np.ones(2), ["W must be a 2-D array"]),
        (np.full((5, 3), np.nan), np.ones((3, 2)), np.ones(2), ["X", "NaN"]),
    ],
)
def test_affine_forward_rows_names_the_bad_argument(X, W, b, phrases):
    with pytest.raises(ValueError) as info:
        affine_forward_rows(X, W, b)
    message = str(info.value)
    assert message.startswith("affine_forward_rows:")
    for phrase in phrases:
        assert phrase in message


def test_affine_backward_rows_names_the_bad_argument():
    _, cache = affine_forward_rows(np.ones((5, 3)), np.ones((3, 2)), np.ones(2))
    with pytest.raises(ValueError, match=r"dZ must have shape \(5, 2\).*got \(2, 5\)"):
        affine_backward_rows(np.ones((2, 5)), cache)
    with pytest.raises(TypeError, match="cache must be the"):
        affine_backward_rows(np.ones((5, 2)), cache[:2])
    with pytest.raises(TypeError, match="dZ must hold real numbers"):
        affine_backward_rows(np.array([["a", "b"]] * 5), cache)
