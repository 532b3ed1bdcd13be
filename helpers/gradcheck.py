"""Numerical gradients, relative errors, and the checker for exercises (every notebook).

numerical_gradient(f, x, h)      central differences of a scalar f() with respect to array x
rel_error(a, b)                  the largest element-wise relative error (CS231n's definition)
model_gradient_errors(model,...) rel_error of every backprop gradient of an MLP
check_exercise(mine, exercise)   (from helpers.checker) says pass, or names the mistake
"""

import math

import numpy as np

from ._validate import (
    as_float_array,
    check_callable,
    check_finite,
    check_number,
    quiet_overflow,
    shape_str,
)

# ----------------------------------------------------------------------------------------------
# Numerical gradients


def numerical_gradient(f, x, h=1e-5):
    """Central differences: df/dx[i] ~ (f(x + h e_i) - f(x - h e_i)) / 2h, for every i.

    Parameters
    ----------
    f : callable    takes no arguments and returns a scalar that depends on x
    x : ndarray     float array, nudged in place one entry at a time and always restored,
                    even when f fails
    h : float       the nudge, positive

    Returns
    -------
    grad : ndarray, the shape of x
    """
    where = "numerical_gradient"
    check_callable(f, "f", where, "a function of no arguments that reads x")
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        got = f"dtype {x.dtype}" if isinstance(x, np.ndarray) else type(x).__name__
        raise TypeError(
            f"{where}: x must be a float ndarray that f reads, nudged in place; got {got}"
        )
    if not x.flags.writeable:
        raise ValueError(f"{where}: x must be writeable, it is nudged in place")
    check_finite(x, "x", where)
    try:
        h = check_number(h, "h", where, positive=True, high=1.0)
    except (TypeError, ValueError):
        raise ValueError(
            f"{where}: h must be a small positive number (at most 1); got {h!r}"
        ) from None
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        old = x[index]
        try:
            with quiet_overflow():  # a nudge that overflows shows up as a non-finite f()
                x[index] = old + h
                f_plus = _scalar(_call(f, where, index, "+h"), where, index, "+h")
                x[index] = old - h
                f_minus = _scalar(_call(f, where, index, "-h"), where, index, "-h")
        finally:
            x[index] = old  # the caller's array is never left nudged
        grad[index] = (f_plus - f_minus) / (2 * h)
        if not math.isfinite(grad[index]):
            raise ValueError(
                f"{where}: the difference f(x + h) - f(x - h) overflows at x index {index}: "
                f"f must change by less than 1e308"
            )
    return grad


def _call(f, where, index, nudge):
    try:
        return f()
    except Exception as err:  # f's own failure, said in the course's words
        error = TypeError if isinstance(err, TypeError) else ValueError
        raise error(
            f"{where}: calling f() raised {type(err).__name__}: {err} (x index {index} nudged by "
            f"{nudge}; x is restored). f must be a function of no arguments that reads x, "
            f"such as lambda: loss(x)"
        ) from err


def _scalar(value, where, index=None, nudge=None):
    at = f" with x index {index} nudged by {nudge}" if index is not None else ""
    if value is None:
        raise TypeError(f"{where}: f() must return a number; got None{at}. A missing return?")
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        arr = np.asarray(None)
    if arr.dtype.kind not in "fiu":
        raise TypeError(f"{where}: f() must return a real number; got {type(value).__name__}{at}")
    if arr.size != 1:
        raise ValueError(f"{where}: f() must return a scalar; got shape {shape_str(arr.shape)}")
    out = float(arr.reshape(()))
    if not math.isfinite(out):
        raise ValueError(
            f"{where}: f() must return a finite number; got {out}{at}. Does the loss overflow, "
            f"or is x at the edge of its domain?"
        )
    return out


def rel_error(a, b):
    """max |a - b| / max(1e-8, |a| + |b|), element-wise: about 1e-7 or less means they agree.

    NaN or infinity in a or b raise ValueError: such a gradient agrees with nothing, and a test
    such as `rel_error(a, b) > tol` would be False for a NaN.
    """
    where = "rel_error"
    a = as_float_array(a, "a", where, allow_empty=True)
    b = as_float_array(b, "b", where, allow_empty=True)
    if a.shape != b.shape:
        raise ValueError(
            f"rel_error: a and b must have the same shape; got {shape_str(a.shape)} and "
            f"{shape_str(b.shape)}"
        )
    if a.size == 0:
        return 0.0
    # Halved, so that |a - b| and |a| + |b| cannot overflow near 1e308; the ratio is the same.
    a, b = a / 2, b / 2
    return float(np.max(np.abs(a - b) / np.maximum(0.5e-8, np.abs(a) + np.abs(b))))


def model_gradient_errors(model, X, Y, h=1e-5):
    """rel_error between backprop and central differences for every parameter of an MLP.

    Returns a dict {"W1": error, "b1": error, ...}. Use a small network: each entry of each
    parameter costs two forward passes.
    """
    from .mlp import MLP  # here: helpers.mlp does not need this module

    where = "model_gradient_errors"
    if not isinstance(model, MLP):
        raise TypeError(f"{where}: model must be a helpers.mlp.MLP; got {type(model).__name__}")
    h = check_number(h, "h", where, positive=True, high=1.0)
    X = model._check_X(X, where)
    Y = model._check_Y(Y, X, where)
    try:
        _, grads = model.loss_and_grads(X, Y)
        errors = {}
        for name, value in model.params.items():
            numeric = numerical_gradient(lambda: model.loss(X, Y), value, h)
            errors[name] = rel_error(grads["d" + name], numeric)
    except ValueError as err:  # an overflow on the way: said as this function's error
        raise ValueError(f"{where}: {err}") from None
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
