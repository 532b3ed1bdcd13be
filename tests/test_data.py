"""helpers.data: one-hot labels and the data sets, in the column layout."""

import subprocess
import sys

import numpy as np
import pytest

from helpers import data


def test_one_hot_puts_each_example_in_its_own_column():
    Y = data.one_hot([2, 0, 1, 2], 3)
    assert Y.shape == (3, 4)
    assert np.array_equal(Y.argmax(axis=0), [2, 0, 1, 2]) and np.array_equal(Y.sum(axis=0), [1] * 4)
    assert np.array_equal(data.one_hot(np.array([1.0, 0.0]), 2), [[0, 1], [1, 0]])


@pytest.mark.parametrize(
    "labels, n_classes, error, phrase",
    [
        ([0, 3], 3, ValueError, "labels must lie in 0..2"),
        ([-1, 0], 3, ValueError, "labels must lie in 0..2"),
        ([], 3, ValueError, "at least one label"),
        ([0.5], 3, TypeError, "integer class indices"),
        ([np.inf], 3, TypeError, "integer class indices"),
        ([True, False], 3, TypeError, "astype(int)"),
        ([[0, 1], [1]], 3, TypeError, "labels must be a 1-D array"),
        ([0, 1], 10**12, ValueError, "n_classes"),
    ],
)
def test_one_hot_refuses_bad_labels(labels, n_classes, error, phrase):
    with pytest.raises(error, match="one_hot: ") as info:
        data.one_hot(labels, n_classes)
    assert phrase in str(info.value)


def test_toy_sets_have_the_column_layout_and_depend_on_the_seed():
    for make in (data.spirals, data.blobs):
        X, y = make(10, 3, seed=1)
        assert X.shape == (2, 30) and y.shape == (30,) and set(y) == {0, 1, 2}
        assert np.array_equal(make(10, 3, seed=1)[0], X)
        assert not np.array_equal(make(10, 3, seed=2)[0], X)
        with pytest.raises(TypeError, match="seed"):
            make(10, 3, seed="0")


def test_digits_keep_each_image_with_its_label():
    from sklearn.datasets import load_digits

    images, labels = load_digits(return_X_y=True)
    X_train, y_train, X_test, y_test = data.digits(test_fraction=0.25, seed=3)
    assert X_train.shape[1] + X_test.shape[1] == 1797 and X_test.shape[1] == 449
    assert X_train.shape[0] == 64 and 0 <= X_train.min() and X_train.max() <= 1
    for X, y in ((X_train, y_train), (X_test, y_test)):
        for j in range(0, X.shape[1], 97):
            match = np.flatnonzero((images == X[:, j] * 16).all(axis=1))
            assert y[j] in labels[match]
    with pytest.raises(ValueError, match="test_fraction"):
        data.digits(test_fraction=1e-9)


def test_digits_are_read_from_scikit_learns_file_without_importing_its_datasets():
    """The same arrays as load_digits, to the bit, without the 1.5 s import of sklearn.datasets."""
    from sklearn.datasets import load_digits

    images, labels = load_digits(return_X_y=True)
    mine_images, mine_labels = data._digits_file()
    assert mine_images.dtype == images.dtype and np.array_equal(mine_images, images)
    assert mine_labels.dtype == labels.dtype and np.array_equal(mine_labels, labels)
    code = (
        "import sys\nfrom helpers import data\ndata.digits()\n"
        "print('sklearn.datasets' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False", done.stderr
