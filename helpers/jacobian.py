"""Jacobians of vector functions, the chain rule as their product, and vector-Jacobian products
(notebook 03).

    numerical_jacobian(f, x, h)      J[i, j] = d f(x)[i] / d x[j] by central differences
    example_f, example_f_jacobian    f: R -> R^2,   f(t) = (t^2, sin t)
    example_g, example_g_jacobian    g: R^2 -> R^2, g(y) = (y_1 y_2, exp(y_1) + y_2^2)
    softmax_jacobian(z)              d softmax(z) / dz = diag(s) - s s^T for one example
    matvec_vjp(delta, W, x)          the backward pass of z = W x: (delta x^T, W^T delta)
    CallCounter(f)                   f, counting its calls (the cost of nudging, measured)

A Jacobian has one row per output entry and one column per input entry. Arrays with more than
one dimension are read as vectors in numpy's default (C) order, row after row, so that
`J.T @ upstream.ravel()` reshaped with `.reshape(x.shape)` is the vector-Jacobian product.

The example functions take `xp`, the array module they compute with: numpy by default, or
`autograd.numpy` in the tests, which then differentiate the very same expression.
"""

import numpy as np

from . import layers
from ._validate import (
    LAYOUT,
    as_float_array,
    check_alloc,
    check_number,
    check_output,
    check_shape,
    quiet_overflow,
    shape_str,
)

__all__ = [
    "CallCounter",
    "example_f",
    "example_f_jacobian",
    "example_g",
    "example_g_jacobian",
    "matvec_vjp",
    "numerical_jacobian",
    "softmax_jacobian",
]

# ----------------------------------------------------------------------------------------------
# Central differences


def numerical_jacobian(f, x, h=1e-5):
    """The Jacobian of `f` at `x` by central differences (notebook 03).

    Column j is (f(x + h e_j) - f(x - h e_j)) / 2h: nudge input entry j up and down and see how
    every output entry moves. That costs exactly `2 * x.size` calls of `f`. The error of each
    entry is about h^2 |f'''| / 6 plus rounding of about 1e-16 |f| / h, i.e. near 1e-10 for
    functions of size 1 with the default h.

    Parameters
    ----------
    f : callable           f(x) -> array of any fixed shape (a number counts as shape ()); it
                           receives a float64 copy of x with x's shape, so f cannot change
                           the caller's x
    x : array_like, shape (n,) or any shape
                           the point; integers are converted to float64 and float32 is
                           promoted to float64 (central differences need the precision)
    h : float              the nudge, positive

    Returns
    -------
    J : ndarray (f(x).size, x.size), float64
        J[i, j] = d f(x).ravel()[i] / d x.ravel()[j]; for a vector function of a vector,
        shape (len(f(x)), len(x)): one row per output, one column per input

    Raises
    ------
    TypeError   if f is not callable, x or f(x) is not numeric, or h is not a number
    ValueError  if x is empty or holds NaN or infinity, h is not positive, or f(x) changes its
                shape or becomes non-finite while x is nudged
    """
    where = "numerical_jacobian"
    if not callable(f):
        raise TypeError(
            f"{where}: f must be a function of one array, f(x) -> array; got {type(f).__name__}"
        )
    x = as_float_array(x, "x", where, dtype=np.float64)
    if x.size == 0:
        raise ValueError(
            f"{where}: x must hold at least one number; got shape {shape_str(x.shape)}"
        )
    h = check_number(h, "h", where, positive=True, high=1.0)
    point = np.array(x, dtype=np.float64, order="C", copy=True)  # nudged here, never the caller's x
    flat = point.reshape(-1)  # a view: writing flat[j] nudges point
    J = None
    out_shape = None
    for j in range(point.size):
        old = float(flat[j])  # a Python float: old + h may overflow to inf without a warning
        flat[j] = old + h
        plus = _evaluate(f, point, j, out_shape, where)
        flat[j] = old - h
        minus = _evaluate(f, point, j, plus.shape, where)
        flat[j] = old
        if J is None:  # sized from the first output, so that f is called exactly 2n times
            out_shape = plus.shape
            check_alloc((plus.size, point.size), f"J ({plus.size} outputs x {point.size})", where)
            J = np.empty((plus.size, point.size))
        with quiet_overflow():
            J[:, j] = (plus - minus).reshape(-1) / (2 * h)
    return check_output(J, "the Jacobian", where, "h or the values of f")


def _evaluate(f, point, j, shape, where):
    """f at a copy of `point`, as a float64 array, checked for shape and finiteness."""
    try:
        with quiet_overflow():  # an overflow inside f is reported below, as a non-finite f(x)
            value = f(point.copy())
    except Exception as err:  # f's own failure, said in the course's words
        error = TypeError if isinstance(err, TypeError) else ValueError
        raise error(
            f"{where}: f(x) raised {type(err).__name__}: {err} (with x entry {j} nudged); f must "
            f"be a function of one array, f(x) -> array"
        ) from err
    try:
        out = np.asarray(value)
    except (TypeError, ValueError) as err:
        raise TypeError(
            f"{where}: f(x) must return numbers; got {type(value).__name__} ({err})"
        ) from None
    if out.dtype.kind not in "fiub":
        raise TypeError(
            f"{where}: f(x) must return numbers; got {type(value).__name__} of dtype {out.dtype}"
        )
    if out.dtype.kind == "c":
        raise TypeError(f"{where}: f(x) must return real numbers; got dtype {out.dtype}")
    out = np.array(out, dtype=np.float64, copy=True)  # f may return a view of its argument
    if shape is not None and out.shape != shape:
        raise ValueError(
            f"{where}: f(x) must keep its shape while x is nudged; it was {shape_str(shape)}, "
            f"then {shape_str(out.shape)} with x entry {j} nudged"
        )
    if not np.isfinite(out).all():
        raise ValueError(
            f"{where}: f(x) returned NaN or infinity with x entry {j} nudged; it must return "
            f"finite numbers: is h too large, or x at the edge of f's domain (log of 0, "
            f"division by 0)?"
        )
    return out


# ----------------------------------------------------------------------------------------------
# The composition of notebook 03: h(t) = g(f(t)), with f: R -> R^2 and g: R^2 -> R^2


def example_f(x, xp=np):
    """f: R -> R^2, f(t) = (t^2, sin t) (notebook 03).

    Parameters
    ----------
    x  : float or ndarray (1,)   the number t
    xp : module                  numpy (default), or autograd.numpy to differentiate f;
                                 with another module x is used as given, without checks

    Returns
    -------
    y : ndarray (2,)   (t^2, sin t)
    """
    if xp is not np:
        _check_xp(xp, "example_f")
        t = xp.reshape(x, ())
        return xp.stack([t**2, xp.sin(t)])
    t = _one_number(x, "example_f").reshape(())
    with quiet_overflow():
        y = np.stack([t**2, np.sin(t)])
    return check_output(y, "f(t) = (t^2, sin t)", "example_f", "x", "|x| below 1e154")


def example_f_jacobian(x):
    """The Jacobian of `example_f`: df/dt = (2 t, cos t) as a column (notebook 03).

    Parameters
    ----------
    x : float or ndarray (1,)   the number t

    Returns
    -------
    J : ndarray (2, 1)   two outputs, one input
    """
    t = float(_one_number(x, "example_f_jacobian").reshape(()))
    J = np.array([[2.0 * t], [np.cos(t)]])
    return check_output(J, "df/dt = (2 t, cos t)", "example_f_jacobian", "x")


def example_g(y, xp=np):
    """g: R^2 -> R^2, g(y) = (y_1 y_2, exp(y_1) + y_2^2) (notebook 03).

    Parameters
    ----------
    y  : ndarray (2,)   the vector (y_1, y_2)
    xp : module         numpy (default), or autograd.numpy to differentiate g; with another
                        module y is used as given, without checks

    Returns
    -------
    z : ndarray (2,)
    """
    if xp is not np:
        _check_xp(xp, "example_g")
        return xp.stack([y[0] * y[1], xp.exp(y[0]) + y[1] ** 2])
    y = _vector(y, 2, "y", "example_g")
    with quiet_overflow():
        z = np.stack([y[0] * y[1], np.exp(y[0]) + y[1] ** 2])
    return check_output(z, "g(y)", "example_g", "y", "exp(y_1) overflows for y_1 > 709")


def example_g_jacobian(y):
    """The Jacobian of `example_g` (notebook 03).

    Parameters
    ----------
    y : ndarray (2,)   the vector (y_1, y_2)

    Returns
    -------
    J : ndarray (2, 2)   [[y_2, y_1], [exp(y_1), 2 y_2]]: row i is output i, column j input j
    """
    y1, y2 = _vector(y, 2, "y", "example_g_jacobian")
    with quiet_overflow():
        J = np.array([[y2, y1], [np.exp(y1), 2.0 * y2]])
    return check_output(
        J, "the Jacobian of g", "example_g_jacobian", "y", "exp(y_1) overflows above 709"
    )


def _check_xp(xp, where):
    """xp: an array module such as numpy or autograd.numpy."""
    if not all(callable(getattr(xp, name, None)) for name in ("reshape", "stack", "sin", "exp")):
        raise TypeError(
            f"{where}: xp must be an array module such as numpy or autograd.numpy; got "
            f"{type(xp).__name__} {xp!r}"
        )


def _one_number(x, where):
    x = as_float_array(x, "x", where)
    if x.size != 1 or x.ndim > 1:
        raise ValueError(
            f"{where}: x must be one number, a float or shape (1,); got shape {shape_str(x.shape)}"
        )
    return x


def _vector(v, n, name, where):
    v = as_float_array(v, name, where, ndim=1)
    check_shape(v, (n,), name, where)
    return v


# ----------------------------------------------------------------------------------------------
# Gates of the table in notebook 03


def softmax_jacobian(z):
    """d softmax(z) / dz for one example: diag(s) - s s^T with s = softmax(z) (notebook 03).

    Entry (i, j) is s_i (1[i = j] - s_j): raising score j raises probability j and lowers all
    the others, since the probabilities always sum to 1. The matrix is symmetric, and each of
    its rows and columns sums to 0.

    Parameters
    ----------
    z : ndarray (n,) or (n, 1)   the scores of one example (a 1-D vector or one column)

    Returns
    -------
    J : ndarray (n, n)   J[i, j] = d softmax(z)[i] / d z[j]
    """
    where = "softmax_jacobian"
    z = as_float_array(z, "z", where)
    if not (z.ndim == 1 or (z.ndim == 2 and z.shape[1] == 1)) or z.size == 0:
        raise ValueError(
            f"{where}: z must be the scores of one example, shape (n,) or (n, 1); got shape "
            f"{shape_str(z.shape)}. For a batch Z (n, m) the Jacobian is one (n, n) block per "
            f"column: call softmax_jacobian(Z[:, i]) for each i"
        )
    check_alloc((z.size, z.size), f"J ({z.size} x {z.size})", where)
    s = layers.softmax(z.reshape(-1, 1))[:, 0]
    return np.diag(s) - np.outer(s, s)


def matvec_vjp(delta, W, x):
    """The backward pass of z = W x for one example, without building a Jacobian (notebook 03).

    Given delta = dL/dz, with the shape of z, the gradients with the shapes of W and x are

        dW = delta x^T   (an outer product)   dx = W^T delta

    Parameters
    ----------
    delta : ndarray (n_out, 1)      upstream gradient dL/dz, a column like z
    W     : ndarray (n_out, n_in)   weights
    x     : ndarray (n_in, 1)       the input, one column

    Returns
    -------
    dW : ndarray (n_out, n_in)   dL/dW, the shape of W
    dx : ndarray (n_in, 1)       dL/dx, the shape of x
    """
    where = "matvec_vjp"
    W = as_float_array(W, "W", where, ndim=2)
    x = as_float_array(x, "x", where, ndim=2)
    delta = as_float_array(delta, "delta", where, ndim=2)
    n_out, n_in = W.shape
    check_shape(
        x,
        (n_in, 1),
        "x",
        where,
        f"one column with one entry per column of W {shape_str(W.shape)}; {LAYOUT}",
    )
    check_shape(
        delta,
        (n_out, 1),
        "delta",
        where,
        f"the shape of z = W x, one entry per row of W {shape_str(W.shape)}",
    )
    with quiet_overflow():
        dW, dx = delta @ x.T, W.T @ delta
    return check_output(dW, "dW", where, "delta and x"), check_output(
        dx, "dx", where, "W and delta"
    )


# ----------------------------------------------------------------------------------------------
# Counting evaluations


class CallCounter:
    """A function that counts how often it is called (notebook 03).

    Wrap the loss in it before nudging parameters, and `.calls` tells how many loss evaluations
    the numerical gradient took.

    Parameters
    ----------
    f : callable   any function; the counter calls it with the same arguments

    Attributes
    ----------
    calls : int   the number of calls so far (set it to 0 to start again)

    Examples
    --------
    >>> square = CallCounter(lambda v: v * v)
    >>> square(3.0), square.calls
    (9.0, 1)
    """

    def __init__(self, f):
        if not callable(f):
            raise TypeError(f"CallCounter: f must be a function; got {type(f).__name__}")
        self.f = f
        self.calls = 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.f(*args, **kwargs)

    def __repr__(self):
        name = getattr(self.f, "__name__", type(self.f).__name__)
        return f"CallCounter({name}, calls={self.calls})"
