"""numerical_gradient, rel_error, and the exercise checker: each mistake it names, provoked."""

import numpy as np
import pytest

from helpers import layers
from helpers.gradcheck import check_exercise, numerical_gradient, rel_error


def test_numerical_gradient_of_a_known_function():
    x = np.array([[1.0, -2.0, 0.5]])
    g = numerical_gradient(lambda: np.sum(x**3), x)
    assert np.allclose(g, 3 * x**2, rtol=1e-8)
    assert np.array_equal(x, [[1.0, -2.0, 0.5]])  # restored after the nudges


def test_rel_error_is_cs231n_definition():
    assert rel_error(np.array([1.0]), np.array([1.0])) == 0.0
    assert rel_error(np.array([1.0, 3.0]), np.array([1.0, 1.0])) == pytest.approx(0.5)
    assert rel_error(np.array([0.0]), np.array([1e-10])) == pytest.approx(1e-2)  # floor 1e-8


# -- the checker ------------------------------------------------------------------------------


def relu_right(dA, Z):
    return dA * (Z > 0)


def relu_mask_from_output(dA, Z):
    A = np.maximum(Z, 0)
    return dA * (A > 0)  # the same mask as Z > 0: not a mistake


RELU_MISTAKES = {
    "Z >= 0": lambda dA, Z: dA * (Z >= 0),
    "multiply it by the upstream": lambda dA, Z: (Z > 0).astype(float),
    "the mask 1[Z > 0] is missing": lambda dA, Z: dA,
    "takes its mask from the upstream gradient": lambda dA, Z: dA * (dA > 0),
    "the ReLU output": lambda dA, Z: dA * np.maximum(Z, 0),
    "wrong sign": lambda dA, Z: -dA * (Z > 0),
    "has shape (6, 4)": lambda dA, Z: np.zeros((6, 4)),
    "differs from the reference": lambda dA, Z: dA * (Z > 0) * 1.5,
}


def test_checker_passes_a_right_answer_and_the_output_mask():
    for fn in (relu_right, relu_mask_from_output):
        result = check_exercise(fn, layers.relu_backward)
        assert result.passed and str(result) == "relu_backward: passed on 3 random inputs."


@pytest.mark.parametrize("phrase", sorted(RELU_MISTAKES))
def test_checker_names_each_relu_mistake(phrase):
    result = check_exercise(RELU_MISTAKES[phrase], layers.relu_backward)
    assert result.status == "wrong" and not result.passed
    assert phrase in result.message, result.message


def affine_right(dZ, cache):
    A_prev, W, _ = cache
    return W.T @ dZ, dZ @ A_prev.T, dZ.sum(axis=1, keepdims=True)


def affine_variant(dA_prev=None, dW=None, db=None):
    def fn(dZ, cache):
        right = affine_right(dZ, cache)
        A_prev, W, _ = cache
        env = {"dZ": dZ, "A_prev": A_prev, "W": W, "np": np}
        return tuple(eval(expr, env) if expr else r for expr, r in zip((dA_prev, dW, db), right))

    return fn


AFFINE_MISTAKES = {
    "dA_prev is transposed": affine_variant(dA_prev="dZ.T @ W"),
    "dW is transposed": affine_variant(dW="A_prev @ dZ.T"),
    "dW is divided by m = 5": affine_variant(dW="dZ @ A_prev.T / dZ.shape[1]"),
    "dW has the wrong sign": affine_variant(dW="-(dZ @ A_prev.T)"),
    "db sums over the wrong axis: add up the examples (axis=1), not": affine_variant(
        db="dZ.sum(axis=0, keepdims=True)"
    ),
    "db sums over the wrong axis: add up the examples (axis=1, keepdims=True)": affine_variant(
        db="dZ.sum(axis=0)"
    ),
    "db is missing the sum over the examples": affine_variant(db="dZ"),
    "use keepdims=True": affine_variant(db="dZ.sum(axis=1)"),
    "adds up every entry of dZ": affine_variant(db="dZ.sum()"),
    "db is divided by m = 5": affine_variant(db="dZ.mean(axis=1, keepdims=True)"),
}


@pytest.mark.parametrize("phrase", sorted(AFFINE_MISTAKES))
def test_checker_names_each_affine_mistake(phrase):
    result = check_exercise(AFFINE_MISTAKES[phrase], layers.affine_backward)
    assert result.status == "wrong" and phrase in result.message, result.message


def test_checker_passes_the_right_affine_backward():
    assert check_exercise(affine_right, layers.affine_backward).passed


@pytest.mark.parametrize(
    ("fn", "phrase"),
    [
        (lambda A, W, b: (W @ A, None), "missing the bias"),
        (lambda A, W, b: ((W @ A + b).T, None), "transposed"),
        (lambda A, W, b: (W @ A + b, (A, W, b)), "passed"),
    ],
)
def test_checker_on_affine_forward(fn, phrase):
    assert phrase in check_exercise(fn, layers.affine_forward).message


@pytest.mark.parametrize(
    ("fn", "phrase"),
    [
        (lambda dA, A: A * (1 - A), "multiply it by dA"),
        (
            lambda dA, A: dA * layers.sigmoid(A) * (1 - layers.sigmoid(A)),
            "applies the sigmoid again",
        ),
        (lambda dA, A: dA * (1 - A), "missing the factor A"),
        (lambda dA, A: dA * A * (1 - A), "passed"),
    ],
)
def test_checker_on_sigmoid_backward(fn, phrase):
    assert phrase in check_exercise(fn, layers.sigmoid_backward).message


def softmax_ce(Z, Y, scale_loss=1.0, dz=None):
    loss, dZ = layers.softmax_cross_entropy(Z, Y)
    return loss * scale_loss, dz(Z, Y) if dz else dZ


@pytest.mark.parametrize(
    ("fn", "phrase"),
    [
        (
            lambda Z, Y: softmax_ce(Z, Y, dz=lambda Z, Y: layers.softmax(Z) / Z.shape[1]),
            "subtract Y",
        ),
        (lambda Z, Y: softmax_ce(Z, Y, dz=lambda Z, Y: layers.softmax(Z) - Y), "missing the 1/m"),
        (lambda Z, Y: softmax_ce(Z, Y, scale_loss=Z.shape[1]), "summed loss"),
        (
            lambda Z, Y: softmax_ce(Z, Y, dz=lambda Z, Y: (Y - layers.softmax(Z)) / Z.shape[1]),
            "wrong sign",
        ),
    ],
)
def test_checker_on_softmax_cross_entropy(fn, phrase):
    assert phrase in check_exercise(fn, layers.softmax_cross_entropy).message


def test_checker_on_softmax_rows():
    def rows(Z):
        E = np.exp(Z - Z.max(axis=1, keepdims=True))
        return E / E.sum(axis=1, keepdims=True)

    assert "use axis=0" in check_exercise(rows, layers.softmax).message


def test_not_implemented_none_errors_and_wrong_count():
    def todo(dA, cache):
        raise NotImplementedError("write me")

    result = check_exercise(todo, layers.relu_backward)
    assert result.status == "not implemented yet" and "not implemented yet" in str(result)
    assert "returned None" in check_exercise(lambda dA, c: None, layers.relu_backward).message
    crash = check_exercise(lambda dA, c: dA @ dA, layers.relu_backward)
    assert crash.status == "error" and "ValueError" in crash.message and "(4, 6)" in crash.message
    wrong_count = check_exercise(lambda dZ, c: (dZ, dZ), layers.affine_backward)
    assert "returned 2 value(s); expected 3: (dA_prev, dW, db)" in wrong_count.message


def test_in_place_change_of_an_argument_is_noted():
    def in_place(dA, Z):
        dA[Z <= 0] = 0
        return dA

    result = check_exercise(in_place, layers.relu_backward)
    assert result.passed and "in place" in result.message


def test_custom_inputs_for_any_reference():
    def reference(x):
        return 2 * x

    def inputs(rng):
        return (rng.standard_normal((2, 3)),)

    assert check_exercise(lambda x: x + x, reference, make_inputs=inputs).passed
    wrong = check_exercise(lambda x: -2 * x, reference, make_inputs=inputs, output_names=("y",))
    assert wrong.message == "reference: y has the wrong sign."
    with pytest.raises(ValueError, match="make_inputs"):
        check_exercise(lambda x: x, reference)


def test_shape_hints():
    reduced = check_exercise(lambda dA, Z: np.max(dA, 0), layers.relu_backward)
    assert "has shape (6,); expected (4, 6)" in reduced.message
    assert "np.maximum" in reduced.message
    flat = check_exercise(lambda dA, Z: (dA * (Z > 0)).reshape(1, 4, 6), layers.relu_backward)
    assert "keepdims=True or a reshape" in flat.message
    crash = check_exercise(lambda dZ, cache: (cache[1] @ dZ, 0, 0), layers.affine_backward)
    assert crash.status == "error"
    assert "cache ((4, 5), (3, 4), (3, 1))" in crash.message and "transposes" in crash.message
