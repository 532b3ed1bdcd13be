"""Labels and the small data sets of the course, all in the column layout, all offline.

one_hot(labels, n_classes)      class indices (m,) -> Y (n_classes, m)
spirals(n_per_class, ...)       a 2-D toy set that no straight line separates (notebook 05)
blobs(n_per_class, ...)         well separated 2-D clusters (notebook 06)
digits(test_fraction, seed)     scikit-learn's bundled 8x8 handwritten digits (notebook 05)
"""

import gzip
import importlib.util
from pathlib import Path

import numpy as np

from ._validate import (
    check_alloc,
    check_number,
    check_positive_int,
    check_seed,
    shape_str,
)


def _class_indices(labels, name, where, m=None):
    """`labels` as a 1-D int64 array of class indices (whole-number floats accepted), or an error.

    Used by `one_hot` and `MLP.accuracy`; `m`, if given, is the number of examples expected.
    The range is left to the caller.
    """
    try:
        arr = np.asarray(labels)
    except (ValueError, TypeError) as err:
        raise TypeError(
            f"{where}: {name} must be a 1-D array of integer class indices; got "
            f"{type(labels).__name__} ({err})"
        ) from None
    if arr.dtype.kind not in "iuf":
        raise TypeError(
            f"{where}: {name} must be integer class indices; got dtype {arr.dtype}"
            + (" (booleans: use .astype(int))" if arr.dtype.kind == "b" else "")
        )
    if m is not None and arr.shape != (m,):
        raise ValueError(
            f"{where}: {name} must hold one class index per example of X, shape {shape_str((m,))}; "
            f"got {shape_str(arr.shape)}"
        )
    if arr.ndim != 1:
        raise ValueError(
            f"{where}: {name} must be 1-D (m,), one class index per example; got shape "
            f"{shape_str(arr.shape)}"
        )
    if arr.size == 0:
        raise ValueError(f"{where}: {name} must hold at least one label; got an empty array")
    if arr.dtype.kind == "f":
        whole = np.isfinite(arr) & (arr == np.round(arr)) & (np.abs(arr) < 2**53)
        if not whole.all():
            raise TypeError(
                f"{where}: {name} must be integer class indices; got dtype {arr.dtype} with "
                f"the value {arr[~whole][0]!r}"
            )
    return arr.astype(np.int64)


def one_hot(labels, n_classes):
    """Class indices (m,) to a one-hot matrix (n_classes, m), one example per column."""
    where = "one_hot"
    n_classes = check_positive_int(n_classes, "n_classes", where)
    labels = _class_indices(labels, "labels", where)
    if labels.min() < 0 or labels.max() >= n_classes:
        raise ValueError(
            f"{where}: labels must lie in 0..{n_classes - 1}; got {labels.min()}..{labels.max()}"
        )
    check_alloc((n_classes, labels.size), f"Y (n_classes = {n_classes} x {labels.size})", where)
    Y = np.zeros((n_classes, labels.size))
    Y[labels, np.arange(labels.size)] = 1.0
    return Y


def spirals(n_per_class=100, n_classes=3, noise=0.2, seed=0):
    """Interleaved spiral arms in 2-D.

    Returns
    -------
    X : ndarray (2, n_per_class * n_classes)  points, one per column
    y : ndarray (n_per_class * n_classes,)    class index of each point
    """
    where = "spirals"
    n_per_class = check_positive_int(n_per_class, "n_per_class", where)
    n_classes = check_positive_int(n_classes, "n_classes", where)
    check_alloc((2, n_per_class, n_classes), "X (2, n_per_class x n_classes)", where)
    noise = check_number(noise, "noise", where, low=0.0, high=100.0)  # radians of angle
    seed = check_seed(seed, where)
    rng = np.random.default_rng(seed)
    radius = np.tile(np.linspace(0.05, 1.0, n_per_class), n_classes)
    y = np.repeat(np.arange(n_classes), n_per_class)
    angle = y * 2 * np.pi / n_classes + radius * 4.0 + rng.normal(0, noise, radius.size)
    X = np.stack([radius * np.cos(angle), radius * np.sin(angle)])
    return X, y


def blobs(n_per_class=100, n_classes=2, spread=0.5, seed=0):
    """Gaussian clusters centred on a circle of radius 2. Returns X (2, m) and y (m,)."""
    where = "blobs"
    n_per_class = check_positive_int(n_per_class, "n_per_class", where)
    n_classes = check_positive_int(n_classes, "n_classes", where)
    check_alloc((2, n_per_class, n_classes), "X (2, n_per_class x n_classes)", where)
    spread = check_number(spread, "spread", where, positive=True, high=1e6)
    seed = check_seed(seed, where)
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(n_classes), n_per_class)
    centres = 2 * np.stack([np.cos(2 * np.pi * y / n_classes), np.sin(2 * np.pi * y / n_classes)])
    return centres + rng.normal(0, spread, centres.shape), y


_N_DIGITS = 1797  # images in scikit-learn's digits set


def _digits_file():
    """(images (1797, 64), labels (1797,)) as `sklearn.datasets.load_digits(return_X_y=True)`
    returns them, read from the file scikit-learn bundles. Importing `sklearn.datasets` takes
    about 1.5 s, longer than training notebook 05's network; finding the package does not
    import it. Falls back on `load_digits` if the file is not where it has been since 0.x."""
    spec = importlib.util.find_spec("sklearn")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    path = next(
        (
            f
            for f in (Path(d) / "datasets" / "data" / "digits.csv.gz" for d in folders)
            if f.is_file()
        ),
        None,
    )
    if path is None:  # pragma: no cover - a scikit-learn that moved its data
        from sklearn.datasets import load_digits

        return load_digits(return_X_y=True)
    with gzip.open(path, mode="rt", encoding="utf-8") as rows:
        table = np.loadtxt(rows, delimiter=",")
    return table[:, :-1], table[:, -1].astype(int)


def digits(test_fraction=0.25, seed=0):
    """scikit-learn's 8x8 handwritten digits (1797 images, bundled with the package, no download).

    Pixels are scaled to [0, 1] and the examples shuffled with `seed` before the split.

    Returns
    -------
    X_train : ndarray (64, m_train)   y_train : ndarray (m_train,)
    X_test  : ndarray (64, m_test)    y_test  : ndarray (m_test,)
    """
    where = "digits"
    test_fraction = check_number(test_fraction, "test_fraction", where, positive=True, high=1.0)
    seed = check_seed(seed, where)
    n_test = int(round(test_fraction * _N_DIGITS))
    if not 1 <= n_test < _N_DIGITS:
        raise ValueError(
            f"{where}: test_fraction must leave at least one image in each part, between "
            f"{0.5 / _N_DIGITS:.2g} and {1 - 0.5 / _N_DIGITS:.4f}; got {test_fraction:g}"
        )
    images, labels = _digits_file()
    order = np.random.default_rng(seed).permutation(labels.size)
    X, y = images[order].T / 16.0, labels[order]
    return X[:, n_test:], y[n_test:], X[:, :n_test], y[:n_test]
