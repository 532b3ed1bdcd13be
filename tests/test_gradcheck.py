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


def test_numerical_gradient_restores_x_when_f_fails_and_says_why():
    x = np.array([1.0, 2.0])
    original = x.copy()
    failing = [
        (lambda: 1 / 0, ValueError, "ZeroDivisionError"),
        (lambda: None, TypeError, "None"),
        (lambda v: 0.0, TypeError, "no arguments"),
        (lambda: np.nan, ValueError, "finite"),
        (lambda: "loss", TypeError, "real number"),
    ]
    for f, error, phrase in failing:
        with pytest.raises(error, match="numerical_gradient: ") as info:
            numerical_gradient(f, x)
        assert phrase in str(info.value)
        assert np.array_equal(x, original)
    with pytest.raises(ValueError, match="x .* NaN"):
        numerical_gradient(lambda: 0.0, np.array([np.nan]))
    g = numerical_gradient(lambda: float(np.sum(x**2)), x, h=np.float32(1e-5))
    assert np.allclose(g, 2 * x, rtol=1e-6)


def test_numerical_gradient_is_a_central_difference():
    x = np.array([0.3])
    g = numerical_gradient(lambda: float(np.exp(x[0])), x, h=1e-2)
    expected = (np.exp(0.31) - np.exp(0.29)) / 0.02
    assert g[0] == pytest.approx(expected, rel=1e-12)


def test_rel_error_refuses_nan_instead_of_passing_it():
    with pytest.raises(ValueError, match="rel_error: a .* NaN"):
        rel_error(np.array([np.nan]), np.array([1.0]))
    with pytest.raises(ValueError, match="rel_error: b .* infinite"):
        rel_error(np.array([1.0]), np.array([np.inf]))
    assert rel_error(np.array([1e308]), np.array([-1e308])) == 1.0  # no overflow
    assert rel_error(np.array([1.0, 2.0]), np.array([1.0, 2.2])) == pytest.approx(0.2 / 4.2)
