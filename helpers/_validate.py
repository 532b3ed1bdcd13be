"""Argument checks shared by the public functions of `helpers`.

Every public function converts and checks its arguments here, once, at its boundary, so that a
learner who passes the wrong thing reads what was expected and what arrived. The checks are cheap:
no copy beyond the float conversion, and the test for NaN/inf is one reduction over the array.
"""

import numpy as np

LAYOUT = "examples are columns"


def shape_str(shape):
    """`(3, 4)` for a shape tuple, the way numpy prints it."""
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def as_float_array(x, name, where, ndim=None, dtype=None, finite=True):
    """Return `x` as a float ndarray, or raise an error that names `name` and `where`.

    Integers and booleans become float64; float32 stays float32 (float64 stays float64) unless
    `dtype` asks for one. `ndim` is the number of dimensions required, or None for any.
    """
    if isinstance(x, np.ndarray):
        arr = x
    else:
        try:
            arr = np.asarray(x)
        except (ValueError, TypeError) as err:
            raise TypeError(
                f"{where}: {name} must be a numeric array; got {type(x).__name__} ({err})"
            ) from None
    kind = arr.dtype.kind
    if kind not in "fiub":
        raise TypeError(
            f"{where}: {name} must hold real numbers (a float or integer dtype); "
            f"got dtype {arr.dtype} with shape {shape_str(arr.shape)}"
        )
    if dtype is not None:
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
    if finite:
        check_finite(arr, name, where)
    return arr


def check_finite(arr, name, where):
    """Raise ValueError if `arr` holds NaN or infinity (one cheap reduction in the common case)."""
    # The sum of finite numbers is finite unless it overflows, so the full test runs only then.
    if arr.size and not np.isfinite(arr.sum()):
        bad = ~np.isfinite(arr)
        if bad.any():
            n_nan = int(np.isnan(arr).sum())
            n_inf = int(bad.sum()) - n_nan
            first = tuple(int(i) for i in np.argwhere(bad)[0])
            raise ValueError(
                f"{where}: {name} {shape_str(arr.shape)} holds {n_nan} NaN and {n_inf} infinite "
                f"value(s), the first at index {first}. Was a learning rate or a weight scale too "
                f"large, so that training diverged?"
            )


def check_shape(arr, expected, name, where, why=""):
    """Raise ValueError unless `arr.shape == expected`."""
    if arr.shape != tuple(expected):
        raise ValueError(
            f"{where}: {name} must have shape {shape_str(expected)}"
            f"{' (' + why + ')' if why else ''}; got {shape_str(arr.shape)}"
        )


def check_positive_int(value, name, where):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{where}: {name} must be an integer; got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{where}: {name} must be at least 1; got {value}")
    return int(value)


def check_number(value, name, where, positive=False):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{where}: {name} must be a number; got {type(value).__name__} {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{where}: {name} must be finite; got {value}")
    if positive and value <= 0:
        raise ValueError(f"{where}: {name} must be positive; got {value}")
    return value
