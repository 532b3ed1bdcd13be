"""numerical_gradient and rel_error (the exercise checker: test_checker.py and the catalogue)."""

import numpy as np
import pytest

from helpers.gradcheck import numerical_gradient, rel_error


def test_numerical_gradient_of_a_known_function():
    x = np.array([[1.0, -2.0, 0.5]])
    g = numerical_gradient(lambda: np.sum(x**3), x)
    assert np.allclose(g, 3 * x**2, rtol=1e-8)
    assert np.array_equal(x, [[1.0, -2.0, 0.5]])  # restored after the nudges


def test_rel_error_is_cs231n_definition():
    assert rel_error(np.array([1.0]), np.array([1.0])) == 0.0
    assert rel_error(np.array([1.0, 3.0]), np.array([1.0, 1.0])) == pytest.approx(0.5)
    assert rel_error(np.array([0.0]), np.array([1e-10])) == pytest.approx(1e-2)  # floor 1e-8
