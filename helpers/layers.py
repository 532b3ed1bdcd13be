"""Layers as forward/backward pairs, in the column layout (introduced in notebooks 03-05).

One example per column: `A_prev (n_in, m)`, `W (n_out, n_in)`, `b (n_out, 1)`, `Z (n_out, m)`.
Every `*_forward` returns `(out, cache)`; the matching `*_backward` takes the upstream gradient
and that cache and returns the exact gradient with respect to the forward inputs. Layer
backward functions contain no `1/m`: the mean over examples lives in the loss, whose gradient
carries it (`softmax_cross_entropy`, `sigmoid_cross_entropy`).

What each cache holds, for the exercises of notebook 04:
    relu_forward       cache = Z                 (the input)
    leaky_relu_forward cache = (Z, alpha)
    sigmoid_forward    cache = A                 (the output; s'(z) = s(1 - s))
    tanh_forward       cache = A                 (the output; tanh'(z) = 1 - tanh(z)^2)
    affine_forward     cache = (A_prev, W, b)

The public functions check their arguments; the underscored ones do the arithmetic and are what
`helpers.mlp` calls in its inner loop, once the whole batch has been checked.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._validate import (
    LAYOUT,
    as_float_array,
    check_alloc,
    check_finite,
    check_number,
    check_output,
    check_shape,
    quiet_overflow,
    shape_str,
)

# ----------------------------------------------------------------------------------------------
# Element-wise functions and their derivatives, from one source (plots and layers both use them)


def sigmoid(Z):
    """Logistic function 1 / (1 + exp(-Z)), element-wise, without overflow at any |Z|.

    exp is only ever taken of -|Z| <= 0, so it lies in (0, 1]: no overflow at Z = -1e4.
    """
    Z = as_float_array(Z, "Z", "sigmoid")
    return _sigmoid(Z)


def _sigmoid(Z):
    E = np.exp(-np.abs(Z))
    return np.where(Z >= 0, 1.0 / (1.0 + E), E / (1.0 + E))


def _relu(Z):
    return np.maximum(Z, 0.0)


@dataclass(frozen=True)
class Activation:
    """An element-wise activation: `fn(Z)` and its derivative `grad(Z)`, both of the input Z.

    Used for the plots of notebook 06 and for the lab readouts; the layers below use the cached
    forward values, which is cheaper, and are checked against these in the tests. Both check
    their argument as any public function does.
    """

    name: str
    fn: Callable
    grad: Callable


def _activation(name, fn, grad):
    """An Activation whose fn and grad convert and check Z, then apply the formula."""

    def checked(formula, part):
        where = f"ACTIVATIONS[{name!r}].{part}"
        return lambda Z: formula(as_float_array(Z, "Z", where))

    return Activation(name, checked(fn, "fn"), checked(grad, "grad"))


ACTIVATIONS = {
    "relu": _activation("relu", _relu, lambda Z: (Z > 0).astype(float)),
    "leaky_relu": _activation(
        "leaky_relu", lambda Z: np.where(Z > 0, Z, 0.01 * Z), lambda Z: np.where(Z > 0, 1.0, 0.01)
    ),
    "sigmoid": _activation("sigmoid", _sigmoid, lambda Z: _sigmoid(Z) * (1 - _sigmoid(Z))),
    "tanh": _activation("tanh", np.tanh, lambda Z: 1 - np.tanh(Z) ** 2),
    "identity": _activation("identity", lambda Z: Z.copy(), np.ones_like),
}


# ----------------------------------------------------------------------------------------------
# Affine layer Z = W A_prev + b


def affine_forward(A_prev, W, b):
    """Z = W @ A_prev + b, one example per column (notebook 04).

    Parameters
    ----------
    A_prev : ndarray (n_in, m)    activations of the previous layer (or the inputs X)
    W      : ndarray (n_out, n_in) weights
    b      : ndarray (n_out, 1)    biases, broadcast across the m columns

    Returns
    -------
    Z     : ndarray (n_out, m)
    cache : (A_prev, W, b) for affine_backward
    """
    where = "affine_forward"
    W = as_float_array(W, "W", where, ndim=2)
    A_prev = as_float_array(A_prev, "A_prev", where, ndim=2)
    b = as_float_array(b, "b", where)
    n_out, n_in = W.shape
    if A_prev.shape[0] != n_in:
        raise ValueError(
            f"{where}: A_prev has {A_prev.shape[0]} rows but W expects {n_in} inputs "
            f"(W is {shape_str(W.shape)}, A_prev is {shape_str(A_prev.shape)}); {LAYOUT}"
        )
    check_shape(b, (n_out, 1), "b", where, f"one bias per row of W {shape_str(W.shape)}")
    check_alloc((n_out, A_prev.shape[1]), f"Z ({n_out} units x {A_prev.shape[1]} examples)", where)
    with quiet_overflow():
        Z, cache = _affine_forward(A_prev, W, b)
    return check_output(Z, "Z = W @ A_prev + b", where, "A_prev, W and b"), cache


def _affine_forward(A_prev, W, b):
    Z = W @ A_prev
    Z += b  # in place: saves one (n_out, m) temporary
    return Z, (A_prev, W, b)


def affine_backward(dZ, cache):
    """Gradients of the affine layer, given the upstream gradient dZ (notebook 04).

    Parameters
    ----------
    dZ    : ndarray (n_out, m)  upstream gradient dL/dZ
    cache : (A_prev, W, b)      from affine_forward

    Returns
    -------
    dA_prev : ndarray (n_in, m)     W^T dZ
    dW      : ndarray (n_out, n_in) dZ A_prev^T (a sum of outer products over the examples)
    db      : ndarray (n_out, 1)    dZ summed over the examples (axis 1)
    """
    where = "affine_backward"
    cache = _check_affine_cache(cache, where)
    A_prev, W, _ = cache
    dZ = as_float_array(dZ, "dZ", where, ndim=2)
    check_shape(dZ, (W.shape[0], A_prev.shape[1]), "dZ", where, f"the shape of Z; {LAYOUT}")
    with quiet_overflow():
        grads = _affine_backward(dZ, cache)
    for name, grad in zip(("dA_prev", "dW", "db"), grads):
        check_output(grad, name, where, "dZ and the cache")
    return grads


def _affine_backward(dZ, cache, input_grad=True):
    """The arithmetic of affine_backward; with input_grad=False, dA_prev is None (not computed)."""
    A_prev, W, _ = cache
    dA_prev = W.T @ dZ if input_grad else None
    dW = dZ @ A_prev.T
    db = dZ.sum(axis=1, keepdims=True)
    return dA_prev, dW, db


# ----------------------------------------------------------------------------------------------
# Activations


def relu_forward(Z):
    """A = max(Z, 0) element-wise. Returns (A, cache) with cache = Z (notebook 04)."""
    Z = as_float_array(Z, "Z", "relu_forward")
    return _relu(Z), Z


def relu_backward(dA, cache):
    """dZ = dA * 1[Z > 0]: the diagonal ReLU Jacobian applied as a mask (notebook 04).

    The slope at Z = 0 is taken to be 0.

    Parameters
    ----------
    dA    : ndarray, shape of Z   upstream gradient dL/dA
    cache : ndarray Z             from relu_forward
    """
    dA, Z = _check_elementwise(dA, cache, "relu_backward", "the Z from relu_forward")
    return _relu_backward(dA, Z)


def _relu_backward(dA, Z):
    # A multiplication by the 0/1 mask rather than np.where(Z > 0, dA, 0.0): the same numbers,
    # but np.where branches on every entry, and when the signs of Z are mixed, as in any hidden
    # layer, it is about 5 times slower. `+= 0.0` turns the -0.0 of (negative dA) * 0 into 0.0.
    dZ = dA * (Z > 0)
    dZ += 0.0
    return dZ


def leaky_relu_forward(Z, alpha=0.01):
    """A = Z where Z > 0, alpha * Z elsewhere (notebook 06). Returns (A, (Z, alpha)).

    alpha, the slope for Z <= 0, is a number in [0, 1] (0.01 by default).
    """
    where = "leaky_relu_forward"
    Z = as_float_array(Z, "Z", where)
    alpha = check_number(alpha, "alpha", where, low=0.0, high=1.0)
    return np.where(Z > 0, Z, alpha * Z), (Z, alpha)


def leaky_relu_backward(dA, cache):
    """dZ = dA where Z > 0, alpha * dA elsewhere."""
    where = "leaky_relu_backward"
    Z, alpha = _unpack(cache, 2, where, "(Z, alpha) from leaky_relu_forward")
    alpha = check_number(alpha, "alpha (in the cache)", where, low=0.0, high=1.0)
    dA, Z = _check_elementwise(dA, Z, where, "the Z from leaky_relu_forward")
    return _leaky_relu_backward(dA, (Z, alpha))


def _leaky_relu_backward(dA, cache):
    Z, alpha = cache
    return np.where(Z > 0, dA, alpha * dA)


def sigmoid_forward(Z):
    """A = sigmoid(Z), stable at any |Z|. Returns (A, cache) with cache = A (notebook 05)."""
    Z = as_float_array(Z, "Z", "sigmoid_forward")
    A = _sigmoid(Z)
    return A, A


def sigmoid_backward(dA, cache):
    """dZ = dA * A * (1 - A): the collapsed sigmoid gate of notebook 01, element-wise.

    The cache is the output A = s(Z) of sigmoid_forward, so every entry lies in [0, 1].
    """
    where = "sigmoid_backward"
    dA, A = _check_elementwise(dA, cache, where, "the A = sigmoid(Z) from sigmoid_forward")
    _check_output_range(A, 0.0, 1.0, where, "A = sigmoid(Z) from sigmoid_forward")
    return _sigmoid_backward(dA, A)


def _sigmoid_backward(dA, A):
    return dA * A * (1.0 - A)


def tanh_forward(Z):
    """A = tanh(Z). Returns (A, cache) with cache = A."""
    Z = as_float_array(Z, "Z", "tanh_forward")
    A = np.tanh(Z)
    return A, A


def tanh_backward(dA, cache):
    """dZ = dA * (1 - A^2). The cache is the output A = tanh(Z), so it lies in [-1, 1]."""
    where = "tanh_backward"
    dA, A = _check_elementwise(dA, cache, where, "the A = tanh(Z) from tanh_forward")
    _check_output_range(A, -1.0, 1.0, where, "A = tanh(Z) from tanh_forward")
    return _tanh_backward(dA, A)


def _tanh_backward(dA, A):
    return dA * (1.0 - A * A)


# ----------------------------------------------------------------------------------------------
# Output layers and losses (the mean over the m examples lives here)


def softmax(Z):
    """Column-wise softmax: each column of the result is a probability vector (notebook 03).

    The largest entry of each column is subtracted first, so exp never overflows.

    Parameters
    ----------
    Z : ndarray (n_classes, m)  scores, one example per column
    """
    Z = as_float_array(Z, "Z", "softmax", ndim=2)
    with quiet_overflow():  # scores 1e308 apart: exp(-inf) = 0, the right limit
        return _softmax(Z)


def _softmax(Z):
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    E /= E.sum(axis=0, keepdims=True)
    return E


def softmax_cross_entropy(Z, Y):
    """Mean cross-entropy of softmax(Z) against one-hot Y, and its gradient (notebooks 03, 05).

    Parameters
    ----------
    Z : ndarray (n_classes, m)  scores of the last layer
    Y : ndarray (n_classes, m)  one-hot labels (or any probability vector per column)

    Returns
    -------
    loss : float                    -(1/m) sum_i log softmax(Z)[y_i, i]
    dZ   : ndarray (n_classes, m)   (softmax(Z) - Y) / m
    """
    where = "softmax_cross_entropy"
    Z = as_float_array(Z, "Z", where, ndim=2)
    Y = _check_labels(Y, Z.shape, where)
    with quiet_overflow():
        loss, dZ = _softmax_cross_entropy(Z, Y)
    check_output(loss, "the loss", where, "Z", "scores less than 1e308 apart")
    return loss, check_output(dZ, "dZ", where, "Z")


def _softmax_cross_entropy(Z, Y):
    m = Z.shape[1]
    shifted = Z - Z.max(axis=0, keepdims=True)
    log_sum = np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    log_probs = shifted - log_sum
    loss = 0.0 - float(np.vdot(Y, log_probs)) / m  # 0.0 - x: never prints as -0.0
    dZ = np.exp(log_probs)
    dZ -= Y
    dZ /= m
    return loss, dZ


def sigmoid_cross_entropy(Z, Y):
    """Mean binary cross-entropy of sigmoid(Z) against labels Y in {0, 1} (notebook 05).

    Computed from Z directly, log(1 + exp(-|Z|)) + max(Z, 0) - Y Z, so it is finite at |Z| = 1e4.

    Parameters
    ----------
    Z : ndarray (1, m)  scores of the single output unit
    Y : ndarray (1, m)  labels 0 or 1 (probabilities in [0, 1] are accepted too)

    Returns
    -------
    loss : float
    dZ   : ndarray (1, m)  (sigmoid(Z) - Y) / m
    """
    where = "sigmoid_cross_entropy"
    Z = as_float_array(Z, "Z", where, ndim=2)
    Y = _check_labels(Y, Z.shape, where, one_hot=False)
    with quiet_overflow():
        loss, dZ = _sigmoid_cross_entropy(Z, Y)
    return check_output(loss, "the loss", where, "Z"), dZ


def _sigmoid_cross_entropy(Z, Y):
    m = Z.shape[1]
    losses = np.maximum(Z, 0.0) - Y * Z + np.log1p(np.exp(-np.abs(Z)))
    dZ = (_sigmoid(Z) - Y) / m
    return float(losses.sum()) / m, dZ


# ----------------------------------------------------------------------------------------------
# Argument checks used above


def _unpack(cache, n, where, what):
    if not isinstance(cache, tuple) or len(cache) != n:
        got = f"a tuple of {len(cache)}" if isinstance(cache, tuple) else type(cache).__name__
        raise TypeError(f"{where}: cache must be the {what}; got {got}")
    return cache


def _check_elementwise(dA, cached, where, what):
    if not isinstance(cached, np.ndarray):
        raise TypeError(f"{where}: cache must be {what}; got {type(cached).__name__}")
    cached = as_float_array(cached, "cache", where)
    dA = as_float_array(dA, "dA", where)
    if dA.shape != cached.shape:
        raise ValueError(
            f"{where}: dA must have the shape of the forward output {shape_str(cached.shape)} "
            f"held in the cache; got {shape_str(dA.shape)}"
        )
    return dA, cached


def _check_output_range(A, low, high, where, what):
    """The cache of sigmoid and tanh is their output: values outside [low, high] are Z's."""
    a_min, a_max = A.min(), A.max()
    if a_min < low or a_max > high:
        raise ValueError(
            f"{where}: cache must be the {what}, with values in [{low:g}, {high:g}]; got values "
            f"from {a_min:.3g} to {a_max:.3g}. Is it Z, the input, instead of the output A?"
        )


def _check_affine_cache(cache, where):
    """(A_prev, W, b) as float arrays of matching shapes, or an error that blames the cache."""
    what = "(A_prev, W, b) from affine_forward"
    A_prev, W, b = _unpack(cache, 3, where, what)
    A_prev = as_float_array(A_prev, "cache[0] (A_prev)", where, ndim=2)
    W = as_float_array(W, "cache[1] (W)", where, ndim=2)
    b = as_float_array(b, "cache[2] (b)", where)
    n_out, n_in = W.shape
    if A_prev.shape[0] != n_in or b.shape != (n_out, 1):
        raise ValueError(
            f"{where}: cache must be the {what}; its shapes do not fit together: A_prev "
            f"{shape_str(A_prev.shape)}, W {shape_str(W.shape)}, b {shape_str(b.shape)} "
            f"(expected A_prev ({n_in}, m) and b ({n_out}, 1)); {LAYOUT}"
        )
    return A_prev, W, b


def _check_labels(Y, shape, where, one_hot=True, note=""):
    """Y as a float array of `shape` (that of the scores Z) with every value in [0, 1]."""
    # finite=False: the range test below rejects NaN and infinity too, one pass over Y fewer.
    Y = as_float_array(Y, "Y", where, finite=False)
    if Y.ndim == 1 and Y.shape[0] == shape[1] and one_hot:
        raise ValueError(
            f"{where}: Y must be one-hot with shape {shape_str(shape)} (classes, examples); "
            f"got class indices of shape {shape_str(Y.shape)}. Use helpers.data.one_hot(y, "
            f"{shape[0]})"
        )
    Y = as_float_array(Y, "Y", where, ndim=2, finite=False)
    if Y.shape != shape:
        hint = "; is it transposed? " + LAYOUT if Y.shape == shape[::-1] else ""
        raise ValueError(
            f"{where}: Y must have the shape of Z {shape_str(shape)}{note}; got "
            f"{shape_str(Y.shape)}"
            f"{hint}"
        )
    low, high = Y.min(), Y.max()
    if not (low >= 0 and high <= 1):  # also true when Y holds a NaN
        check_finite(Y, "Y", where)  # NaN or infinity: the same message as for any array
        raise ValueError(
            f"{where}: Y must hold probabilities in [0, 1] (one-hot or 0/1 labels); got values "
            f"from {low:g} to {high:g}"
        )
    if one_hot:  # each column a probability vector: its entries sum to 1
        sums = Y.sum(axis=0)
        off = np.abs(sums - 1.0)
        worst = int(off.argmax())
        if off[worst] > 1e-6:
            raise ValueError(
                f"{where}: each column of Y must sum to 1 (one-hot, or a probability vector per "
                f"example); column {worst} sums to {sums[worst]:.6g}"
            )
    return Y
