"""Each layer's forward computation written once, for any numpy-like backend.

The tests run these with `autograd.numpy` to get gradients from an autodiff library that shares
no code with `helpers`, and compare them with the hand-written backward functions.
"""

import autograd.numpy as anp
import numpy as np
from autograd import grad

TOL = 1e-7  # float64 relative error, element-wise against autograd


def agrees_with_numeric(analytic, numeric, tol=TOL):
    """Norm-wise relative error against central differences.

    Central differences carry an absolute error of about 1e-10 (h^2 truncation and eps/h
    rounding), so an entry of size 1e-4 cannot agree to 1e-7 element by element; measured over
    the whole array, |a - n| / (|a| + |n|) does. Comparisons with autograd, which is exact, use
    the element-wise `rel_error` instead. Where the whole gradient is tiny (a saturated
    sigmoid), the floor on the scale makes this an absolute test at 1e-11.
    """
    assert analytic.shape == numeric.shape
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return np.linalg.norm(analytic - numeric) <= tol * max(scale, 1e-4)


def affine(xp, A_prev, W, b):
    return xp.dot(W, A_prev) + b


def relu(xp, Z):
    return xp.maximum(Z, 0.0)


def sigmoid(xp, Z):
    return 0.5 * (xp.tanh(0.5 * Z) + 1.0)  # the same function, computed another way


def tanh(xp, Z):
    return xp.tanh(Z)


def leaky_relu(xp, Z, alpha=0.01):
    return xp.where(Z > 0, Z, alpha * Z)


def log_softmax(xp, Z):
    shifted = Z - xp.max(Z, axis=0, keepdims=True)
    return shifted - xp.log(xp.sum(xp.exp(shifted), axis=0, keepdims=True))


def softmax_cross_entropy(xp, Z, Y):
    return -xp.sum(Y * log_softmax(xp, Z)) / Z.shape[1]


def sigmoid_cross_entropy(xp, Z, Y):
    return xp.sum(xp.logaddexp(0.0, Z) - Y * Z) / Z.shape[1]


def mlp_loss(xp, params, X, Y, activation, output):
    L = len(params) // 2
    A = X
    for l in range(1, L + 1):
        Z = affine(xp, A, params[f"W{l}"], params[f"b{l}"])
        if l < L:
            A = globals()[activation](xp, Z)
    loss = softmax_cross_entropy if output == "softmax" else sigmoid_cross_entropy
    return loss(xp, Z, Y)


def autodiff(fn, argnum, *args):
    """d fn(anp, *args) / d args[argnum], by autograd."""
    return grad(lambda *a: fn(anp, *a), argnum)(*args)


def vjp(fn, argnum, upstream, *args):
    """The vector-Jacobian product upstream . d fn / d args[argnum], by autograd."""
    return autodiff(lambda xp, *a: xp.sum(upstream * fn(xp, *a)), argnum, *args)


def forward_numpy(fn, *args):
    return fn(np, *args)
