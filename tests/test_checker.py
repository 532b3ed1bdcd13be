"""The checker's behaviour around the answers: crashes, types, in-place changes, its arguments.

The answers to each exercise, right and wrong, are in tests/catalogue/ (test_checker_catalogue.py).
"""

import numpy as np
import pytest

from helpers import layers
from helpers.checker import EXERCISES, check_exercise


def relu_right(dA, cache):
    return dA * (cache > 0)


def test_an_exercise_is_asked_for_by_name_or_by_its_reference():
    by_name = check_exercise(relu_right, "relu_backward")
    by_reference = check_exercise(relu_right, layers.relu_backward)
    swapped = check_exercise("relu_backward", relu_right)
    assert by_name.passed and by_reference.passed and swapped.passed
    assert by_name.message == "relu_backward: passed on 4 random inputs."


def test_not_implemented_yet_is_said_as_such():
    def todo(dA, cache):
        raise NotImplementedError("your code here")

    result = check_exercise(todo, "relu_backward")
    assert result.status == "not implemented yet" and not result.passed
    assert "Replace `raise NotImplementedError`" in result.message


def test_a_crash_shows_the_learners_own_line():
    def crashing(dZ, cache):
        A_prev, W, b = cache
        dA_prev = W.T @ dZ
        dW = dZ @ A_prev  # the .T forgotten: runs only when m == n_in
        return dA_prev, dW, dZ.sum(axis=1, keepdims=True)

    result = check_exercise(crashing, "affine_backward")
    assert not result.passed
    assert "line" in result.message and "dW = dZ @ A_prev" in result.message
    assert "helpers/" not in result.message and "checker.py" not in result.message


def test_a_crash_is_explained_by_the_probe_inputs_when_a_slip_runs_there():
    def wrong_transpose(dZ, cache):
        A_prev, W, b = cache
        return W @ dZ, dZ @ A_prev.T, dZ.sum(axis=1, keepdims=True)

    result = check_exercise(wrong_transpose, "affine_backward")
    assert result.status == "wrong" and result.mistake == "W_not_transposed"
    assert "W.T @ dZ" in result.message and "crashed" in result.message


def test_a_shape_hint_only_when_the_shapes_say_so():
    def broadcast_slip(dA, cache):
        return dA * (cache > 0)[:, :1].T  # shapes (n, m) and (1, n): no transpose of each other

    def type_slip(dA, cache):
        return dA * (cache > "0")

    broadcast = check_exercise(broadcast_slip, "relu_backward")
    assert "transposes of each other" not in broadcast.message
    typed = check_exercise(type_slip, "relu_backward")
    assert typed.status == "error" and "transpose" not in typed.message
    assert "TypeError" in typed.message


def test_none_a_list_and_a_number_where_an_array_is_due():
    assert check_exercise(lambda dA, c: None, "relu_backward").mistake == "returned_none"
    listed = check_exercise(lambda dA, c: (dA * (c > 0)).tolist(), "relu_backward")
    assert listed.mistake == "not_an_array" and "list" in listed.message

    def db_none(dZ, cache):
        A_prev, W, b = cache
        return W.T @ dZ, dZ @ A_prev.T, None

    none = check_exercise(db_none, "affine_backward")
    assert none.mistake == "returned_none" and "None for db" in none.message

    def db_number(dZ, cache):
        A_prev, W, b = cache
        return W.T @ dZ, dZ @ A_prev.T, float(dZ.sum())

    number = check_exercise(db_number, "affine_backward")
    assert "db" in number.message and not number.passed


def test_the_same_numbers_in_another_shape_only_when_the_numbers_match():
    flat = check_exercise(lambda dA, c: (dA * (c > 0)).reshape(1, *c.shape), "relu_backward")
    assert "right numbers in another shape" in flat.message
    other = check_exercise(lambda dA, c: np.zeros((1, *c.shape)), "relu_backward")
    assert "right numbers" not in other.message


def test_outputs_in_another_order_are_named():
    def swapped(dZ, cache):
        A_prev, W, b = cache
        return dZ @ A_prev.T, W.T @ dZ, dZ.sum(axis=1, keepdims=True)

    result = check_exercise(swapped, "affine_backward")
    assert result.mistake == "output_order"
    assert "(dA_prev, dW, db)" in result.message


def test_a_change_in_place_inside_a_cache_is_noted():
    def in_place(dZ, cache):
        A_prev, W, b = cache
        dW = dZ @ A_prev.T
        A_prev[0, 0] = 0.0  # changes the caller's array, after its last use
        return W.T @ dZ, dW, dZ.sum(axis=1, keepdims=True)

    def in_place_and_wrong(dZ, cache):
        A_prev, W, b = cache
        A_prev[A_prev < 0] = 0.0  # a ReLU applied to the cache itself
        return W.T @ dZ, dZ @ A_prev.T, dZ.sum(axis=1, keepdims=True)

    result = check_exercise(in_place, "affine_backward")
    assert result.passed and "argument 2, part 0 (inside the cache)" in result.message
    wrong = check_exercise(in_place_and_wrong, "affine_backward")
    assert not wrong.passed and "inside the cache" in wrong.message


def test_float32_answers_pass_and_float32_mistakes_are_still_named():
    def right32(dZ, cache):
        A_prev, W, b = (x.astype(np.float32) for x in cache)
        dZ = dZ.astype(np.float32)
        return W.T @ dZ, dZ @ A_prev.T, dZ.sum(axis=1, keepdims=True)

    def stray32(dZ, cache):
        dA_prev, dW, db = right32(dZ, cache)
        return dA_prev, dW, db / dZ.shape[1]

    assert check_exercise(right32, "affine_backward").passed
    assert check_exercise(stray32, "affine_backward").mistake == "stray_1/m"


def test_numpy_warnings_of_the_learners_code_do_not_escape():
    def naive(Z, Y):
        P = np.exp(Z) / np.exp(Z).sum(axis=0, keepdims=True)
        m = Z.shape[1]
        return -np.sum(Y * np.log(P)) / m, (P - Y) / m

    result = check_exercise(naive, "softmax_cross_entropy")  # warnings are errors in the tests
    assert result.mistake == "overflow" and "1000" in result.message


def test_the_checkers_own_arguments_are_checked():
    with pytest.raises(ValueError, match="trials must be a positive integer"):
        check_exercise(relu_right, "relu_backward", trials=0)
    with pytest.raises(ValueError, match="trials"):
        check_exercise(relu_right, "relu_backward", trials=-2)
    with pytest.raises(ValueError, match="no exercise named 'relu_backwards'"):
        check_exercise(relu_right, "relu_backwards")
    with pytest.raises(TypeError, match="mine must be your function"):
        check_exercise(None, "relu_backward")
    with pytest.raises(TypeError, match="say which exercise"):
        check_exercise(relu_right)
    with pytest.raises(ValueError, match="make_inputs"):
        check_exercise(lambda x: x, lambda x: x)


def test_output_names_may_be_one_string_and_custom_inputs_keep_the_exercise():
    def reference(x):
        return 2 * x

    wrong = check_exercise(
        lambda x: -2 * x,
        reference,
        make_inputs=lambda rng: (rng.normal(size=3),),
        output_names="y",
    )
    assert wrong.message.startswith("reference: y has the wrong sign")
    custom = check_exercise(
        lambda dA, Z: dA * (Z >= 0),
        "relu_backward",
        make_inputs=lambda rng: (rng.normal(size=(2, 3)), np.zeros((2, 3))),
    )
    assert custom.mistake == "mask_ge"


def test_every_exercise_passes_its_own_reference_on_many_seeds():
    for name, exercise in EXERCISES.items():
        for seed in (0, 11, 97):
            result = check_exercise(exercise.reference, name, seed=seed, trials=4)
            assert result.passed, result.message
