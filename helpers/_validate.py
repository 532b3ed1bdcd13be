"""Argument checks shared by the public functions of `helpers`.

Every public function converts and checks its arguments here, once, at its boundary, so that a
learner who passes the wrong thing reads what was expected and what arrived. There is one
checked conversion per kind of argument:

    as_float_array   arrays (numeric, real, finite, of the right number of dimensions, not empty)
    check_number     real numbers (finite; optionally positive or inside a range)
    check_integer    integers (optionally inside a range); check_positive_int for sizes
    check_seed       seeds of the random generators
    check_choice     one of a few strings
    check_callable   functions
    check_description  the text that describes a figure
    check_alloc      sizes whose product numpy is about to allocate
    check_output     a computed result that may have overflowed (with `quiet_overflow`)

The checks are cheap: no copy beyond the float conversion, and the test for NaN/inf is one
reduction over the array.
"""

import functools
import math
import numbers

import numpy as np

LAYOUT = "examples are columns"

#: The most numbers one array of the course may hold (0.8 GB of float64): a size beyond this is
#: a typo or a unit mistake, and it is reported before numpy tries to allocate it.
MAX_ELEMENTS = 100_000_000


def shape_str(shape):
    """`(3, 4)` for a shape tuple, the way numpy prints it."""
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def _type_name(x):
    return type(x).__name__


def as_float_array(x, name, where, ndim=None, dtype=None, finite=True, allow_empty=False):
    """Return `x` as a float ndarray, or raise an error that names `name` and `where`.

    Integers and booleans become float64; float32 stays float32 (float64 stays float64) unless
    `dtype` asks for one. `ndim` is the number of dimensions required, or None for any. An array
    without any entry (an empty batch, say) is refused unless `allow_empty`.
    """
    if isinstance(x, np.ndarray):
        arr = x
    else:
        try:
            arr = np.asarray(x)
        except (ValueError, TypeError) as err:
            raise TypeError(
                f"{where}: {name} must be a numeric array; got {_type_name(x)} ({err})"
            ) from None
    kind = arr.dtype.kind
    if kind not in "fiub":
        what = "complex numbers" if kind == "c" else f"dtype {arr.dtype}"
        raise TypeError(
            f"{where}: {name} must hold real numbers (a float or integer dtype); "
            f"got {what} (dtype {arr.dtype}) with shape {shape_str(arr.shape)}"
        )
    if dtype is not None:
        if arr.dtype != dtype and kind == "f":
            with np.errstate(over="ignore"):  # float64 -> float32 overflow: reported below
                arr = arr.astype(dtype)
        else:
            arr = arr.astype(dtype, copy=False)
    elif kind != "f" or arr.dtype.itemsize < 4:
        arr = arr.astype(np.float64)
    if ndim is not None and arr.ndim != ndim:
        expected = {1: "a 1-D array", 2: "a 2-D array (features, examples)"}.get(ndim, f"{ndim}-D")
        hint = ""
        if ndim == 2 and arr.ndim == 1:
            hint = "; for one example use x.reshape(-1, 1), for one feature x.reshape(1, -1)"
        raise ValueError(
            f"{where}: {name} must be {expected}, {LAYOUT}; got {arr.ndim}-D shape "
            f"{shape_str(arr.shape)}{hint}"
        )
    if arr.size == 0 and not allow_empty:
        hint = "; an empty batch? check the slice that made it" if arr.ndim == 2 else ""
        raise ValueError(
            f"{where}: {name} must hold at least one number; got an empty array of shape "
            f"{shape_str(arr.shape)}{hint}"
        )
    if finite:
        check_finite(arr, name, where)
    return arr


def check_finite(arr, name, where):
    """Raise ValueError if `arr` holds NaN or infinity (one cheap reduction in the common case)."""
    # The sum of finite numbers is finite unless it overflows, so the full test runs only then.
    with np.errstate(over="ignore", invalid="ignore"):
        total = arr.sum()
    if arr.size and not np.isfinite(total):
        bad = ~np.isfinite(arr)
        if bad.any():
            n_nan = int(np.isnan(arr).sum())
            n_inf = int(bad.sum()) - n_nan
            first = tuple(int(i) for i in np.argwhere(bad)[0])
            raise ValueError(
                f"{where}: {name} {shape_str(arr.shape)} holds {n_nan} NaN and {n_inf} infinite "
                f"value(s), the first at index {first}; it must hold finite numbers. Was a "
                f"learning rate or a weight scale too large, so that training diverged?"
            )


def check_shape(arr, expected, name, where, why=""):
    """Raise ValueError unless `arr.shape == expected`."""
    if arr.shape != tuple(expected):
        raise ValueError(
            f"{where}: {name} must have shape {shape_str(expected)}"
            f"{' (' + why + ')' if why else ''}; got {shape_str(arr.shape)}"
        )


def _is_integer(value):
    return isinstance(value, (numbers.Integral, np.integer)) and not isinstance(
        value, (bool, np.bool_)
    )


def check_integer(value, name, where, low=None, high=None):
    """`value` as an int (bool is not one), or an error; optionally within [low, high]."""
    if not _is_integer(value):
        raise TypeError(f"{where}: {name} must be an integer; got {_type_name(value)} {value!r}")
    value = int(value)
    if low is not None and high is not None and not low <= value <= high:
        raise ValueError(f"{where}: {name} must be an integer in [{low}, {high}]; got {value}")
    if low is not None and value < low:
        raise ValueError(f"{where}: {name} must be at least {low}; got {value}")
    if high is not None and value > high:
        raise ValueError(f"{where}: {name} must be at most {high}; got {value}")
    return value


def check_positive_int(value, name, where, high=None):
    """A size or a count: an integer >= 1 (and <= high when given)."""
    return check_integer(value, name, where, low=1, high=high)


def check_seed(seed, where, name="seed"):
    """A seed for numpy's random generators: an integer >= 0."""
    if not _is_integer(seed):
        raise TypeError(
            f"{where}: {name} must be a non-negative integer; got {_type_name(seed)} {seed!r}"
        )
    if seed < 0:
        raise ValueError(f"{where}: {name} must be a non-negative integer; got {seed}")
    return int(seed)


def real_scalar(value, name, where, noun="a number"):
    """`value` as a Python float if it is one real number (int, float, numpy scalar, 0-d array).

    Booleans, complex numbers, strings, None and arrays of several numbers raise TypeError; a
    value too large for a float raises ValueError. Finiteness is left to the caller.
    """
    ok = isinstance(value, (numbers.Real, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )
    if not ok and isinstance(value, np.ndarray) and value.ndim == 0:
        ok = value.dtype.kind in "fiu"
    if not ok:
        raise TypeError(f"{where}: {name} must be {noun}; got {_type_name(value)} {value!r}")
    try:
        return float(value)
    except OverflowError:
        raise ValueError(
            f"{where}: {name} must be finite; got {value} (too large for a float)"
        ) from None


def check_number(value, name, where, positive=False, low=None, high=None):
    """`value` as a finite float; optionally positive, at least `low`, at most `high`."""
    value = real_scalar(value, name, where)
    if not math.isfinite(value):
        raise ValueError(f"{where}: {name} must be finite; got {value}")
    if positive and value <= 0:
        raise ValueError(f"{where}: {name} must be positive; got {value}")
    if low is not None and high is not None and not low <= value <= high:
        raise ValueError(f"{where}: {name} must lie in [{low:g}, {high:g}]; got {value:g}")
    if low is not None and value < low:
        raise ValueError(f"{where}: {name} must be at least {low:g}; got {value:g}")
    if high is not None and value > high:
        raise ValueError(f"{where}: {name} must be at most {high:g}; got {value:g}")
    return value


def check_choice(value, name, where, choices):
    """One of `choices` (strings, or None if listed), or a ValueError listing them."""
    if isinstance(value, (str, type(None))) and value in choices:
        return value
    listed = ", ".join(repr(c) for c in choices)
    error = ValueError if isinstance(value, (str, type(None))) else TypeError
    raise error(f"{where}: {name} must be one of {listed}; got {_type_name(value)} {value!r}")


#: Fewer words than this is a title, not a description of a figure.
MIN_DESCRIPTION_WORDS = 4


def check_description(text, where, name="description"):
    """A figure's description: a str of a sentence at least, returned with whitespace folded."""
    if not isinstance(text, str):
        raise TypeError(
            f"{where}: {name} must be a str saying what the figure shows; got {_type_name(text)}"
        )
    words = text.split()
    if len(words) < MIN_DESCRIPTION_WORDS:
        raise ValueError(
            f"{where}: {name} must be a sentence of at least {MIN_DESCRIPTION_WORDS} words saying "
            f"what the figure shows; got {text!r}"
        )
    return " ".join(words)


def check_callable(f, name, where, what="a function"):
    if not callable(f):
        raise TypeError(f"{where}: {name} must be {what}; got {_type_name(f)}")
    return f


def check_alloc(shape, what, where):
    """Refuse to allocate more than MAX_ELEMENTS numbers, before numpy tries to."""
    n = math.prod(int(s) for s in shape)
    if n > MAX_ELEMENTS:
        raise ValueError(
            f"{where}: {what} would need {n:,} numbers ({n * 8 / 1e9:,.1f} GB of float64); the "
            f"course stops at {MAX_ELEMENTS:,}. Is a size too large, or two sizes swapped?"
        )


#: Use around numpy arithmetic whose result is then checked with `check_output`: an overflow is
#: reported once, as an error of the course, instead of as a RuntimeWarning first.
quiet_overflow = functools.partial(np.errstate, over="ignore", invalid="ignore", divide="ignore")


def check_output(arr, what, where, inputs, hint=""):
    """Raise ValueError if a computed array or number overflowed to infinity or NaN.

    `inputs` names the arguments that must be smaller, `hint` may say by how much.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.sum(arr)
    if not np.isfinite(total) and not np.isfinite(arr).all():
        hint = f" ({hint})" if hint else ""
        raise ValueError(
            f"{where}: {what} overflows a float: {inputs} must be smaller in size{hint}"
        )
    return arr
