"""Numerical gradients, relative errors, and the checker for exercises (every notebook).

numerical_gradient(f, x, h)      central differences of a scalar f() with respect to array x
rel_error(a, b)                  the largest element-wise relative error (CS231n's definition)
model_gradient_errors(model,...) rel_error of every backprop gradient of an MLP
check_exercise(mine, reference)  runs both on random inputs; says pass, or names the mistake
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import layers
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
# The exercise checker


@dataclass(frozen=True)
class CheckResult:
    """What `check_exercise` found; `status`: "pass", "not implemented yet", "wrong", "error"."""

    name: str
    status: str
    message: str

    @property
    def passed(self):
        return self.status == "pass"

    def __str__(self):
        return self.message

    def __repr__(self):
        return self.message


@dataclass(frozen=True)
class _Spec:
    make_inputs: Callable  # rng -> tuple of arguments
    output_names: tuple
    mistakes: Callable = None  # (args, reference outputs) -> [(output index, value, message)]
    m: Callable = None  # args -> batch size, for the 1/m mistakes
    compared: tuple = None  # indices of the outputs to compare (None: all)


def check_exercise(mine, reference, *, trials=3, seed=0, make_inputs=None, output_names=None):
    """Run your function and the reference on the same random inputs and compare.

    Parameters
    ----------
    mine        : callable   your function, with the reference's arguments
    reference   : callable   the function from `helpers` it should equal
    trials      : int        how many random inputs to try
    make_inputs : callable   rng -> tuple of arguments; needed when the reference is not one the
                             checker knows (relu_backward, affine_backward, ...)
    output_names: tuple      names of the outputs, for the messages

    Returns
    -------
    CheckResult  prints as one line: pass, "not implemented yet", or the likely mistake
    """
    name = getattr(reference, "__name__", "reference")
    spec = _SPECS.get(name)
    if make_inputs is not None:
        spec = _Spec(make_inputs, tuple(output_names or ()))
    if spec is None:
        raise ValueError(
            f"check_exercise: no inputs known for {name!r}; pass make_inputs=lambda rng: (...). "
            f"Known: {', '.join(sorted(_SPECS))}"
        )
    if not callable(mine):
        raise TypeError(f"check_exercise: mine must be a function; got {type(mine).__name__}")
    notes = []
    for trial in range(trials):
        args = spec.make_inputs(np.random.default_rng(seed + trial))
        expected = _as_tuple(reference(*_copy(args)))
        names = spec.output_names or tuple(f"output {i}" for i in range(len(expected)))
        given_args = _copy(args)
        try:
            got = mine(*given_args)
        except NotImplementedError:
            return CheckResult(
                name,
                "not implemented yet",
                f"{name}: not implemented yet. Replace `raise NotImplementedError` with your "
                f"code and run this cell again.",
            )
        except Exception as err:  # the learner's bug, reported rather than raised
            hint = ""
            if "matmul" in str(err) or "shapes" in str(err) or "broadcast" in str(err):
                hint = " Check the transposes: each gradient has the shape of its variable."
            return CheckResult(
                name,
                "error",
                f"{name}: your function raised {type(err).__name__}: {err} "
                f"(inputs: {_describe(args)}).{hint}",
            )
        problem = _compare(name, spec, args, expected, got, names)
        if problem:
            return CheckResult(name, "wrong", problem)
        for i, (before, after) in enumerate(zip(args, given_args)):
            if isinstance(before, np.ndarray) and not np.array_equal(before, after):
                notes.append(
                    f" Note: it changed argument {i + 1} in place; work on a copy, since the "
                    f"caller may still need it."
                )
                break
    note = notes[0] if notes else ""
    return CheckResult(name, "pass", f"{name}: passed on {trials} random inputs.{note}")


def _compare(name, spec, args, expected, got, names):
    if got is None:
        return f"{name}: your function returned None. Did you forget `return`?"
    got = _as_tuple(got)
    if len(got) != len(expected):
        return (
            f"{name}: your function returned {len(got)} value(s); expected {len(expected)}: "
            f"({', '.join(names)})"
        )
    mistakes = spec.mistakes(args, expected) if spec.mistakes else []
    m = spec.m(args) if spec.m else None
    for i, (want, have, label) in enumerate(zip(expected, got, names)):
        if spec.compared is not None and i not in spec.compared:
            continue
        want = np.asarray(want, dtype=float)
        try:
            have = np.asarray(have, dtype=float)
        except (TypeError, ValueError):
            return f"{name}: {label} must be a numeric array; got {type(have).__name__}"
        if have.shape == want.shape and _close(have, want):
            continue
        for j, value, message in mistakes + _generic_mistakes(i, want, m):
            if j == i and np.shape(value) == have.shape and _close(have, value):
                return f"{name}: {label} {message}."
        if have.shape != want.shape:
            return (
                f"{name}: {label} has shape {shape_str(have.shape)}; expected "
                f"{shape_str(want.shape)}{_shape_hint(have.shape, want.shape)}"
            )
        return (
            f"{name}: {label} differs from the reference (largest relative error "
            f"{rel_error(have, want):.2g}), and matches none of the common mistakes."
        )
    return None


def _generic_mistakes(i, want, m):
    found = [(i, -want, "has the wrong sign")]
    if m and m > 1:
        found += [
            (
                i,
                want / m,
                f"is divided by m = {m} once too often (a stray 1/m, or np.mean where "
                "np.sum belongs); the 1/m lives in the loss gradient only",
            ),
            (i, want * m, f"is m = {m} times too large: the 1/m of the mean loss is missing"),
        ]
    if want.ndim == 2:
        found.append((i, want.T, "is transposed"))
    return found


def _shape_hint(got, want):
    """A guess at why an output has the wrong shape."""
    if sorted(got) == sorted(want) and got != want:
        return " (transposed?)"
    if [n for n in got if n != 1] == [n for n in want if n != 1]:
        return " (the same numbers in another shape: check keepdims=True or a reshape)"
    if len(got) < len(want):
        return (
            " (an axis was reduced away: np.max/np.sum reduce; for an element-wise maximum use "
            "np.maximum, for a mask multiply by it)"
        )
    return ""


def _describe(args):
    """'dZ-like' description of the inputs: shapes, looking inside tuples (caches)."""
    parts = []
    for a in args:
        if isinstance(a, tuple):
            parts.append("cache (" + ", ".join(shape_str(np.shape(x)) for x in a) + ")")
        elif hasattr(a, "shape"):
            parts.append(shape_str(a.shape))
        else:
            parts.append(repr(a))
    return ", ".join(parts)


def _close(a, b):
    return np.allclose(a, b, rtol=1e-6, atol=1e-9)


def _as_tuple(out):
    return tuple(out) if isinstance(out, (tuple, list)) else (out,)


def _copy(args):
    return tuple(
        a.copy() if isinstance(a, np.ndarray) else (_copy(a) if isinstance(a, tuple) else a)
        for a in args
    )


# -- what the checker knows about each reference function ---------------------------------------
# Shapes are chosen so that n_in, n_out and m differ: a transpose then shows as a wrong shape.


def _relu_inputs(rng):
    Z = rng.standard_normal((4, 6))
    Z[0, :2] = 0.0  # exact zeros: the slope there is 0, which catches `Z >= 0`
    return rng.standard_normal(Z.shape), Z


def _relu_mistakes(args, expected):
    dA, Z = args
    return [
        (
            0,
            dA * (Z >= 0),
            "lets the gradient through where Z == 0; the slope there is 0, "
            "so the mask is Z > 0, not Z >= 0",
        ),
        (
            0,
            (Z > 0).astype(float),
            "is the mask 1[Z > 0] alone; multiply it by the upstream gradient dA",
        ),
        (
            0,
            dA,
            "is dA unchanged: the mask 1[Z > 0] is missing (a mask taken from the output, "
            "A >= 0, is always true)",
        ),
        (
            0,
            dA * (dA > 0),
            "takes its mask from the upstream gradient dA; take it from the forward input Z",
        ),
        (
            0,
            dA * np.maximum(Z, 0),
            "multiplies dA by max(Z, 0), the ReLU output; multiply by "
            "the mask 1[Z > 0], the ReLU's slope",
        ),
    ]


def _affine_inputs(rng):
    n_in, n_out, m = 4, 3, 5
    A_prev = rng.standard_normal((n_in, m))
    W = rng.standard_normal((n_out, n_in))
    b = rng.standard_normal((n_out, 1))
    return rng.standard_normal((n_out, m)), (A_prev, W, b)


def _affine_mistakes(args, expected):
    dZ, (A_prev, W, b) = args
    dA_prev, dW, db = expected
    return [
        (0, dA_prev.T, "is transposed: W.T @ dZ has shape (n_in, m), one column per example"),
        (1, dW.T, "is transposed: dW = dZ @ A_prev.T has the shape of W (n_out, n_in)"),
        (
            2,
            dZ.sum(axis=0, keepdims=True),
            "sums over the wrong axis: add up the examples (axis=1), not the units (axis=0)",
        ),
        (
            2,
            dZ.sum(axis=0),
            "sums over the wrong axis: add up the examples (axis=1, "
            "keepdims=True), not the units (axis=0)",
        ),
        (2, dZ, "is missing the sum over the examples: db = dZ.sum(axis=1, keepdims=True)"),
        (
            2,
            dZ.sum(axis=1),
            "has shape (n_out,) and would broadcast wrongly against b "
            "(n_out, 1): use keepdims=True",
        ),
        (
            2,
            np.asarray(dZ.sum()),
            "adds up every entry of dZ into one number: sum over the "
            "examples only (axis=1, keepdims=True)",
        ),
    ]


def _affine_forward_inputs(rng):
    return _affine_inputs(rng)[1]


def _affine_forward_mistakes(args, expected):
    A_prev, W, b = args
    return [
        (0, W @ A_prev, "is missing the bias b"),
        (0, (W @ A_prev + b).T, "is transposed: Z = W @ A_prev + b has one column per example"),
    ]


def _sigmoid_backward_inputs(rng):
    A = layers._sigmoid(rng.standard_normal((3, 5)) * 2)
    return rng.standard_normal(A.shape), A


def _sigmoid_backward_mistakes(args, expected):
    dA, A = args
    s = layers._sigmoid(A)
    return [
        (0, A * (1 - A), "is the local gradient A (1 - A) alone; multiply it by dA"),
        (
            0,
            dA * s * (1 - s),
            "applies the sigmoid again: the cache already holds A = s(Z), "
            "so the local gradient is A (1 - A)",
        ),
        (0, dA * (1 - A), "is missing the factor A: the local gradient is A (1 - A)"),
    ]


def _softmax_ce_inputs(rng):
    Z = rng.standard_normal((4, 6)) * 2
    return Z, _one_hot_columns(rng, 4, 6)


def _softmax_ce_mistakes(args, expected):
    Z, Y = args
    P = layers._softmax(Z)
    m = Z.shape[1]
    return [
        (1, P / m, "is softmax(Z) / m: subtract Y, dZ = (softmax(Z) - Y) / m"),
        (1, P - Y, "is missing the 1/m of the mean loss: dZ = (softmax(Z) - Y) / m"),
        (0, expected[0] * m, "is the summed loss; the course uses the mean over the m examples"),
    ]


def _softmax_inputs(rng):
    return (rng.standard_normal((4, 6)) * 3,)


def _softmax_mistakes(args, expected):
    (Z,) = args
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return [
        (
            0,
            E / E.sum(axis=1, keepdims=True),
            "normalises the rows; each column (one example) must sum to 1, so use axis=0",
        )
    ]


def _one_hot_columns(rng, n_classes, m):
    Y = np.zeros((n_classes, m))
    Y[rng.integers(0, n_classes, m), np.arange(m)] = 1.0
    return Y


_SPECS = {
    "relu_backward": _Spec(_relu_inputs, ("dZ",), _relu_mistakes),
    "affine_backward": _Spec(
        _affine_inputs, ("dA_prev", "dW", "db"), _affine_mistakes, lambda a: a[0].shape[1]
    ),
    "affine_forward": _Spec(
        _affine_forward_inputs, ("Z", "cache"), _affine_forward_mistakes, compared=(0,)
    ),
    "sigmoid_backward": _Spec(_sigmoid_backward_inputs, ("dZ",), _sigmoid_backward_mistakes),
    "softmax_cross_entropy": _Spec(
        _softmax_ce_inputs, ("loss", "dZ"), _softmax_ce_mistakes, lambda a: a[0].shape[1]
    ),
    "softmax": _Spec(_softmax_inputs, ("softmax(Z)",), _softmax_mistakes),
}
