"""Labels and the small data sets of the course, all in the column layout, all offline.

one_hot(labels, n_classes)      class indices (m,) -> Y (n_classes, m)
spirals(n_per_class, ...)       a 2-D toy set that no straight line separates (notebook 04)
blobs(n_per_class, ...)         well separated 2-D clusters (notebook 05)
digits(test_fraction, seed)     scikit-learn's bundled 8x8 handwritten digits (notebook 04)
"""

import numpy as np

from ._validate import check_number, check_positive_int, shape_str


def one_hot(labels, n_classes):
    """Class indices (m,) to a one-hot matrix (n_classes, m), one example per column."""
    where = "one_hot"
    n_classes = check_positive_int(n_classes, "n_classes", where)
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"{where}: labels must be 1-D (m,); got shape {shape_str(labels.shape)}")
    if labels.dtype.kind not in "iu":
        if labels.dtype.kind == "f" and np.all(labels == np.round(labels)):
            labels = labels.astype(np.int64)
        else:
            raise TypeError(f"{where}: labels must be integer class indices; got {labels.dtype}")
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(
            f"{where}: labels must lie in 0..{n_classes - 1}; got {labels.min()}..{labels.max()}"
        )
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
    n_per_class = check_positive_int(n_per_class, "n_per_class", "spirals")
    n_classes = check_positive_int(n_classes, "n_classes", "spirals")
    noise = check_number(noise, "noise", "spirals")
    rng = np.random.default_rng(seed)
    radius = np.tile(np.linspace(0.05, 1.0, n_per_class), n_classes)
    y = np.repeat(np.arange(n_classes), n_per_class)
    angle = y * 2 * np.pi / n_classes + radius * 4.0 + rng.normal(0, noise, radius.size)
    X = np.stack([radius * np.cos(angle), radius * np.sin(angle)])
    return X, y


def blobs(n_per_class=100, n_classes=2, spread=0.5, seed=0):
    """Gaussian clusters centred on a circle of radius 2. Returns X (2, m) and y (m,)."""
    n_per_class = check_positive_int(n_per_class, "n_per_class", "blobs")
    n_classes = check_positive_int(n_classes, "n_classes", "blobs")
    spread = check_number(spread, "spread", "blobs", positive=True)
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(n_classes), n_per_class)
    centres = 2 * np.stack([np.cos(2 * np.pi * y / n_classes), np.sin(2 * np.pi * y / n_classes)])
    return centres + rng.normal(0, spread, centres.shape), y


def digits(test_fraction=0.25, seed=0):
    """scikit-learn's 8x8 handwritten digits (1797 images, bundled with the package, no download).

    Pixels are scaled to [0, 1] and the examples shuffled with `seed` before the split.

    Returns
    -------
    X_train : ndarray (64, m_train)   y_train : ndarray (m_train,)
    X_test  : ndarray (64, m_test)    y_test  : ndarray (m_test,)
    """
    from sklearn.datasets import load_digits  # imported here: only notebook 04 needs it

    test_fraction = check_number(test_fraction, "test_fraction", "digits", positive=True)
    if test_fraction >= 1:
        raise ValueError(f"digits: test_fraction must be below 1; got {test_fraction}")
    images, labels = load_digits(return_X_y=True)
    order = np.random.default_rng(seed).permutation(labels.size)
    X, y = images[order].T / 16.0, labels[order]
    n_test = int(round(test_fraction * y.size))
    return X[:, n_test:], y[n_test:], X[:, :n_test], y[:n_test]
