"""helpers.jacobian and the gate table of notebook 03, against analytic Jacobians and autograd.

Each function is written once for any numpy-like module `xp`; autograd differentiates that same
expression, independently of `helpers`. Central differences are compared norm-wise
(`agrees_with_numeric`, 1e-7): forward differences, with their error of order h, would fail it.
"""

import itertools

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad
from autograd import jacobian as autograd_jacobian

from helpers import jacobian as jac
from helpers import layers
from helpers.data import one_hot
from helpers.gradcheck import numerical_gradient, rel_error

from . import backends as B
from .backends import TOL, agrees_with_numeric

# (n_in, n_out): different sizes, so a transposed result has the wrong shape and is caught.
SHAPES = [(1, 1), (3, 1), (1, 3), (4, 3), (2, 5), (7, 4)]
SEEDS = range(5)
CASES = list(itertools.product(SHAPES, SEEDS))


def autodiff_jacobian(fn, x, *args):
    """d fn(anp, x, *args) / dx by autograd, as a matrix (outputs, inputs) in C order."""
    J = autograd_jacobian(lambda v: fn(anp, v, *args))(x)
    out_size = J.size // x.size
    return np.asarray(J).reshape(out_size, x.size)


# ----------------------------------------------------------------------------------------------
# Smooth test functions, each written once


def vector_fn(xp, x, A):
    """R^n -> R^k: every output depends on every input, nonlinearly."""
    return xp.sin(xp.dot(A, x)) + xp.exp(-xp.dot(x, x) / x.size) * xp.dot(A, x**2)


def matrix_fn(xp, W, X):
    """A layer with a batch: (n_out, n_in) -> (n_out, m)."""
    return xp.tanh(xp.dot(W, X))


def scalar_fn(xp, x):
    return xp.sum(xp.log1p(x**2)) + xp.prod(xp.cos(x))


def softmax(xp, z):
    """softmax of one example z (n,), written independently of helpers.layers."""
    return xp.exp(z - xp.max(z)) / xp.sum(xp.exp(z - xp.max(z)))


def matvec(xp, W, x):
    return xp.dot(W, x)


def vecmat(xp, x, W):
    return xp.dot(x, W)


# ----------------------------------------------------------------------------------------------
# numerical_jacobian


@pytest.mark.parametrize(("shape", "seed"), CASES)
def test_numerical_jacobian_of_a_vector_function(shape, seed):
    n, k = shape
    rng = np.random.default_rng(seed)
    x, A = rng.standard_normal(n), rng.standard_normal((k, n))
    J = jac.numerical_jacobian(lambda v: vector_fn(np, v, A), x)
    assert J.shape == (k, n) and J.dtype == np.float64
    assert agrees_with_numeric(autodiff_jacobian(vector_fn, x, A), J)


@pytest.mark.parametrize(("shape", "seed"), CASES)
def test_numerical_jacobian_flattens_arrays_row_after_row(shape, seed):
    n_in, n_out = shape
    m = 3
    rng = np.random.default_rng(seed)
    W, X = rng.standard_normal((n_out, n_in)), rng.standard_normal((n_in, m))
    J = jac.numerical_jacobian(lambda V: matrix_fn(np, V, X), W)
    assert J.shape == (n_out * m, n_out * n_in)
    assert agrees_with_numeric(autodiff_jacobian(matrix_fn, W, X), J)


@pytest.mark.parametrize("n", [1, 2, 6])
def test_numerical_jacobian_of_a_scalar_function_is_the_gradient_as_a_row(n):
    x = np.random.default_rng(n).standard_normal(n)
    J = jac.numerical_jacobian(lambda v: scalar_fn(np, v), x)
    assert J.shape == (1, n)
    assert agrees_with_numeric(grad(lambda v: scalar_fn(anp, v))(x).reshape(1, n), J)


def test_numerical_jacobian_calls_f_exactly_twice_per_input_and_leaves_x_alone():
    x = np.array([0.5, -1.0, 2.0])
    before = x.copy()
    counted = jac.CallCounter(lambda v: np.sin(v) * v.sum())
    jac.numerical_jacobian(counted, x)
    assert counted.calls == 2 * x.size
    assert np.array_equal(x, before)


def test_numerical_jacobian_of_the_identity_even_when_f_returns_its_argument():
    x = np.random.default_rng(0).standard_normal((2, 3))
    J = jac.numerical_jacobian(lambda v: v, x)
    assert rel_error(J, np.eye(6)) < TOL


def test_numerical_jacobian_accepts_numbers_ints_and_float32():
    assert jac.numerical_jacobian(lambda t: np.array([t, t**2]), 3.0).shape == (2, 1)
    J_int = jac.numerical_jacobian(lambda v: v**2, np.array([1, 2]))
    J_32 = jac.numerical_jacobian(lambda v: v**2, np.array([1, 2], dtype=np.float32))
    assert J_int.dtype == J_32.dtype == np.float64
    assert rel_error(J_int, np.diag([2.0, 4.0])) < TOL
    assert rel_error(J_32, np.diag([2.0, 4.0])) < TOL


def _blows_up_above_3(v):
    return np.array([v[0], np.inf if v[1] > 3.2 else 1.0])


@pytest.mark.parametrize(
    ("f", "x", "h", "error", "match"),
    [
        (3.0, np.ones(2), 1e-5, TypeError, "f must be a function"),
        (np.sin, "abc", 1e-5, TypeError, "x must hold real numbers"),
        (np.sin, [1.0, np.nan], 1e-5, ValueError, "x .* NaN"),
        (np.sin, np.ones(0), 1e-5, ValueError, "x must hold at least one number"),
        (np.sin, np.ones(2), 0.0, ValueError, "h must be positive"),
        (np.sin, np.ones(2), "1e-5", TypeError, "h must be a number"),
        (lambda v: "text", np.ones(2), 1e-5, TypeError, r"f\(x\) must return numbers"),
        (
            lambda v: v[: int(v[0] > 1) + 1],
            np.ones(2),
            1e-5,
            ValueError,
            r"f\(x\) must keep its shape",
        ),
        (
            _blows_up_above_3,
            np.array([1.0, 3.0]),
            0.5,
            ValueError,
            r"f\(x\) returned NaN or infinity with x entry 1",
        ),
    ],
)
def test_numerical_jacobian_rejects_bad_input_naming_the_argument(f, x, h, error, match):
    with pytest.raises(error, match=f"numerical_jacobian: {match}"):
        jac.numerical_jacobian(f, x, h)


# ----------------------------------------------------------------------------------------------
# The composition h = g o f of notebook 03

# Not t = 0: there the exact Jacobian is 0 and central differences give h^2 = 1e-10, which a
# relative test cannot accept.
POINTS = [-2.0, -0.3, 0.4, 0.7, 1.5]


@pytest.mark.parametrize("t", POINTS)
def test_example_jacobians_against_autograd_and_central_differences(t):
    x = np.array([t])
    y = jac.example_f(x)
    J_f = autograd_jacobian(lambda v: jac.example_f(v, anp))(x)
    J_g = autograd_jacobian(lambda v: jac.example_g(v, anp))(y)
    assert rel_error(jac.example_f_jacobian(x), J_f) < TOL
    assert rel_error(jac.example_g_jacobian(y), J_g) < TOL
    assert agrees_with_numeric(jac.example_f_jacobian(x), jac.numerical_jacobian(jac.example_f, x))
    assert agrees_with_numeric(jac.example_g_jacobian(y), jac.numerical_jacobian(jac.example_g, y))


@pytest.mark.parametrize("t", POINTS)
def test_chain_rule_is_the_product_of_the_jacobians(t):
    x = np.array([t])
    product = jac.example_g_jacobian(jac.example_f(x)) @ jac.example_f_jacobian(x)
    assert product.shape == (2, 1)
    composed = autograd_jacobian(lambda v: jac.example_g(jac.example_f(v, anp), anp))(x)
    assert rel_error(product, composed) < TOL
    numeric = jac.numerical_jacobian(lambda v: jac.example_g(jac.example_f(v)), x)
    assert agrees_with_numeric(product, numeric)


def test_example_functions_reject_wrong_shapes():
    with pytest.raises(ValueError, match="example_f: x must be one number"):
        jac.example_f(np.ones(2))
    with pytest.raises(ValueError, match=r"example_g: y must have shape \(2,\)"):
        jac.example_g(np.ones(3))
    with pytest.raises(ValueError, match="example_g_jacobian: y must be a 1-D array"):
        jac.example_g_jacobian(np.ones((2, 1)))
    with pytest.raises(TypeError, match="example_f_jacobian: x must hold real numbers"):
        jac.example_f_jacobian("t")


# ----------------------------------------------------------------------------------------------
# The gate table, row by row, against autograd (column layout unless the row says otherwise)


@pytest.mark.parametrize(("shape", "seed"), CASES)
def test_gate_Wx_has_jacobian_W(shape, seed):
    n_in, n_out = shape
    rng = np.random.default_rng(seed)
    W, x = rng.standard_normal((n_out, n_in)), rng.standard_normal(n_in)
    assert rel_error(W, autodiff_jacobian(lambda xp, v, M: matvec(xp, M, v), x, W)) < TOL
    assert agrees_with_numeric(W, jac.numerical_jacobian(lambda v: matvec(np, W, v), x))


@pytest.mark.parametrize(("shape", "seed"), CASES)
def test_gate_xW_has_jacobian_W_transposed(shape, seed):
    n_in, n_out = shape
    rng = np.random.default_rng(seed)
    W, x = rng.standard_normal((n_in, n_out)), rng.standard_normal(n_in)
    assert rel_error(W.T, autodiff_jacobian(vecmat, x, W)) < TOL
    assert agrees_with_numeric(W.T, jac.numerical_jacobian(lambda v: vecmat(np, v, W), x))


@pytest.mark.parametrize("n", [1, 4, 9])
def test_gate_identity_has_jacobian_I(n):
    x = np.random.default_rng(n).standard_normal(n)
    assert rel_error(np.eye(n), autodiff_jacobian(lambda xp, v: 1.0 * v, x)) < TOL
    assert rel_error(np.eye(n), jac.numerical_jacobian(np.copy, x)) < TOL


ELEMENTWISE = {"sigmoid": B.sigmoid, "tanh": B.tanh, "relu": B.relu}


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
@pytest.mark.parametrize("seed", SEEDS)
def test_gate_elementwise_has_a_diagonal_jacobian(name, seed):
    x = np.random.default_rng(seed).standard_normal(6) * 2
    x = np.where(np.abs(x) < 1e-3, 0.5, x)  # away from the kink of relu
    expected = np.diag(layers.ACTIVATIONS[name].grad(x))
    assert rel_error(expected, autodiff_jacobian(ELEMENTWISE[name], x)) < TOL


@pytest.mark.parametrize(("shape", "seed"), CASES)
def test_gate_dL_dW_for_Wx_is_delta_times_x_transposed(shape, seed):
    n_in, n_out = shape
    rng = np.random.default_rng(seed)
    W, x = rng.standard_normal((n_out, n_in)), rng.standard_normal((n_in, 1))
    delta = rng.standard_normal((n_out, 1))  # dL/dz, the shape of z
    dW, dx = jac.matvec_vjp(delta, W, x)
    assert dW.shape == W.shape and dx.shape == x.shape
    assert rel_error(dW, B.vjp(matvec, 0, delta, W, x)) < TOL
    assert rel_error(dx, B.vjp(matvec, 1, delta, W, x)) < TOL


@pytest.mark.parametrize(("shape", "seed"), CASES)
def test_gate_dL_dW_for_xW_is_x_transposed_times_delta(shape, seed):
    n_in, n_out = shape
    rng = np.random.default_rng(seed)
    x, W = rng.standard_normal((1, n_in)), rng.standard_normal((n_in, n_out))
    delta = rng.standard_normal((1, n_out))  # dL/dz, a row like z
    assert rel_error(x.T @ delta, B.vjp(vecmat, 1, delta, x, W)) < TOL
    assert rel_error(delta @ W.T, B.vjp(vecmat, 0, delta, x, W)) < TOL


@pytest.mark.parametrize(("n_classes", "seed"), list(itertools.product([2, 3, 10], SEEDS)))
def test_gate_softmax_cross_entropy_gives_y_hat_minus_y(n_classes, seed):
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n_classes, 1)) * 2
    y = one_hot(rng.integers(0, n_classes, 1), n_classes)
    y_hat = layers.softmax(z)
    assert rel_error(y_hat - y, B.autodiff(B.softmax_cross_entropy, 0, z, y)) < TOL
    loss_dz = layers.softmax_cross_entropy(z, y)[1]
    assert rel_error(loss_dz, y_hat - y) < 1e-12
    # The same through the chain of Jacobians: d softmax/dz ^T applied to dL/dy_hat = -y / y_hat
    via_jacobian = jac.softmax_jacobian(z).T @ (-y / y_hat)
    assert rel_error(via_jacobian, y_hat - y) < TOL


@pytest.mark.parametrize(("n", "seed"), list(itertools.product([1, 2, 3, 10], SEEDS)))
def test_softmax_jacobian_against_autograd_and_central_differences(n, seed):
    z = np.random.default_rng(seed).standard_normal(n) * 3
    J = jac.softmax_jacobian(z)
    assert J.shape == (n, n)
    assert rel_error(J, autodiff_jacobian(softmax, z)) < TOL
    assert agrees_with_numeric(J, jac.numerical_jacobian(layers.softmax, z.reshape(-1, 1)))
    assert rel_error(jac.softmax_jacobian(z.reshape(-1, 1)), J) == 0.0


def test_gate_functions_reject_bad_shapes_naming_the_argument():
    W = np.ones((3, 4))
    with pytest.raises(ValueError, match="softmax_jacobian: z must be the scores of one example"):
        jac.softmax_jacobian(np.ones((3, 2)))
    with pytest.raises(ValueError, match="matvec_vjp: x must be a 2-D array"):
        jac.matvec_vjp(np.ones((3, 1)), W, np.ones(4))
    with pytest.raises(ValueError, match=r"matvec_vjp: x must have shape \(4, 1\)"):
        jac.matvec_vjp(np.ones((3, 1)), W, np.ones((3, 1)))
    with pytest.raises(ValueError, match=r"matvec_vjp: delta must have shape \(3, 1\)"):
        jac.matvec_vjp(np.ones((1, 3)), W, np.ones((4, 1)))
    with pytest.raises(TypeError, match="CallCounter: f must be a function"):
        jac.CallCounter(3)


# ----------------------------------------------------------------------------------------------
# Vector-Jacobian products: what a layer's backward does instead of building the Jacobian


@pytest.mark.parametrize(("shape", "seed"), CASES)
def test_layer_jacobian_is_block_sparse_and_its_vjp_is_dZ_times_X_transposed(shape, seed):
    n_in, n_out = shape
    m = 5
    rng = np.random.default_rng(seed)
    W, X, b = (
        rng.standard_normal((n_out, n_in)),
        rng.standard_normal((n_in, m)),
        np.zeros((n_out, 1)),
    )
    dZ = rng.standard_normal((n_out, m))
    J = autodiff_jacobian(lambda xp, V: matvec(xp, V, X), W)
    assert J.shape == (n_out * m, n_out * n_in)
    assert np.count_nonzero(J) == n_out * m * n_in  # Z[i, k] depends on row i of W only
    vjp = (J.T @ dZ.ravel()).reshape(W.shape)
    _, cache = layers.affine_forward(X, W, b)
    assert rel_error(vjp, layers.affine_backward(dZ, cache)[1]) < TOL


def test_nudging_every_parameter_costs_two_loss_evaluations_each():
    rng = np.random.default_rng(0)
    W, x = rng.standard_normal((3, 4)), rng.standard_normal((4, 1))
    loss = jac.CallCounter(lambda: float(np.sum(np.tanh(W @ x))))
    numerical_gradient(loss, W)
    assert loss.calls == 2 * W.size


def test_call_counter_passes_arguments_and_counts():
    counted = jac.CallCounter(lambda a, b=1: a * b)
    assert counted(2, b=5) == 10 and counted(3) == 3
    assert counted.calls == 2
    assert repr(counted) == "CallCounter(<lambda>, calls=2)"


def test_numerical_jacobian_of_a_transposed_view():
    """x need not be C-contiguous: a transposed view is nudged like any other array."""
    X = np.arange(6.0).reshape(2, 3)
    J = jac.numerical_jacobian(lambda v: 2 * v, X.T)
    assert np.allclose(J, 2 * np.eye(6))
