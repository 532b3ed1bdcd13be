"""Numerical gradients, relative errors, and the checker for exercises (every notebook).

numerical_gradient(f, x, h)      central differences of a scalar f() with respect to array x
rel_error(a, b)                  the largest element-wise relative error (CS231n's definition)
model_gradient_errors(model,...) rel_error of every backprop gradient of an MLP
check_exercise(mine, exercise)   (from helpers.checker) says pass, or names the mistake
"""

import numpy as np

from ._validate import as_float_array, shape_str

# ----------------------------------------------------------------------------------------------
# Numerical gradients


def numerical_gradient(f, x, h=1e-5):
    """Central differences: df/dx[i] ~ (f(x + h e_i) - f(x - h e_i)) / 2h, for every i.

    Parameters
    ----------
    f : callable    takes no arguments and returns a scalar that depends on x
    x : ndarray     float array, nudged in place one entry at a time and restored
    h : float       the nudge

    Returns
    -------
    grad : ndarray, the shape of x
    """
    where = "numerical_gradient"
    if not callable(f):
        raise TypeError(f"{where}: f must be a function of no arguments; got {type(f).__name__}")
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        got = f"dtype {x.dtype}" if isinstance(x, np.ndarray) else type(x).__name__
        raise TypeError(
            f"{where}: x must be a float ndarray that f reads, nudged in place; got {got}"
        )
    if not x.flags.writeable:
        raise ValueError(f"{where}: x must be writeable, it is nudged in place")
    if not (isinstance(h, (int, float)) and h > 0):
        raise ValueError(f"{where}: h must be a small positive number; got {h!r}")
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        old = x[index]
        x[index] = old + h
        f_plus = _scalar(f(), where)
        x[index] = old - h
        f_minus = _scalar(f(), where)
        x[index] = old
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


def _scalar(value, where):
    arr = np.asarray(value)
    if arr.size != 1:
        raise ValueError(f"{where}: f() must return a scalar; got shape {shape_str(arr.shape)}")
    return float(arr.reshape(()))


def rel_error(a, b):
    """max |a - b| / max(1e-8, |a| + |b|), element-wise: about 1e-7 or less means they agree."""
    a = as_float_array(a, "a", "rel_error", finite=False)
    b = as_float_array(b, "b", "rel_error", finite=False)
    if a.shape != b.shape:
        raise ValueError(
            f"rel_error: a and b must have the same shape; got {shape_str(a.shape)} and "
            f"{shape_str(b.shape)}"
        )
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def model_gradient_errors(model, X, Y, h=1e-5):
    """rel_error between backprop and central differences for every parameter of an MLP.

    Returns a dict {"W1": error, "b1": error, ...}. Use a small network: each entry of each
    parameter costs two forward passes.
    """
    _, grads = model.loss_and_grads(X, Y)
    errors = {}
    for name, value in model.params.items():
        numeric = numerical_gradient(lambda: model.loss(X, Y), value, h)
        errors[name] = rel_error(grads["d" + name], numeric)
    return errors


# ----------------------------------------------------------------------------------------------
# The exercise checker lives in `helpers.checker`, the exercises in `helpers.exercises`; the
# notebooks import `check_exercise` from here, as they always have.

from .checker import CheckResult, check_exercise  # noqa: E402

__all__ = [
    "CheckResult",
    "check_exercise",
    "model_gradient_errors",
    "numerical_gradient",
    "rel_error",
]
