"""Answers to notebook 03's exercises: relu_backward, affine_backward, affine_backward_rows."""

import numpy as np

from tests.catalogue import Right, Wrong

# -- relu_backward ------------------------------------------------------------------------------


def relu_ge(dA, cache):
    return dA * (cache >= 0)


def relu_mask_only(dA, cache):
    return (cache > 0).astype(float)


def relu_no_mask(dA, cache):
    A = np.maximum(cache, 0)
    return dA * (A >= 0)


def relu_mask_from_dA(dA, cache):
    return np.maximum(dA, 0)


def relu_times_output(dA, cache):
    return dA * np.maximum(cache, 0)


def relu_sign(dA, cache):
    return dA * np.sign(cache)


def relu_flipped(dA, cache):
    return np.where(cache > 0, 0, dA)


def relu_matmul(dA, cache):
    return dA @ (cache > 0).T


def relu_max_reduces(dA, cache):
    return np.max(dA, 0) * (cache > 0)[0]


def relu_negative(dA, cache):
    return -dA * (cache > 0)


def relu_returns_nothing(dA, cache):
    dZ = dA * (cache > 0)  # noqa: F841  (forgot the return)


def relu_list(dA, cache):
    return (dA * (cache > 0)).tolist()


WRONG_RELU = [
    Wrong("relu_backward", "mask_ge", relu_ge, "Z > 0"),
    Wrong("relu_backward", "mask_only", relu_mask_only, "multiply it by the upstream"),
    Wrong("relu_backward", "no_mask", relu_no_mask),
    Wrong("relu_backward", "mask_from_dA", relu_mask_from_dA),
    Wrong("relu_backward", "times_output", relu_times_output),
    Wrong("relu_backward", "sign_mask", relu_sign),
    Wrong("relu_backward", "mask_flipped", relu_flipped),
    Wrong("relu_backward", "matmul_for_elementwise", relu_matmul),
    Wrong("relu_backward", "shape", relu_max_reduces, "reduced away"),
    Wrong("relu_backward", "sign", relu_negative),
    Wrong("relu_backward", "returned_none", relu_returns_nothing, "return"),
    Wrong("relu_backward", "not_an_array", relu_list, "list"),
]


def relu_right_where(dA, cache):
    return np.where(cache > 0, dA, 0.0)


def relu_right_in_place_copy(dA, cache):
    dZ = dA.copy()
    dZ[cache <= 0] = 0
    return dZ


def relu_right_float32(dA, cache):
    return (dA * (cache > 0)).astype(np.float32)


def relu_right_heaviside(dA, cache):
    return dA * np.heaviside(cache, 0.0)


RIGHT_RELU = [
    Right("relu_backward", relu_right_where),
    Right("relu_backward", relu_right_in_place_copy),
    Right("relu_backward", relu_right_float32),
    Right("relu_backward", relu_right_heaviside),
]

WRONG = WRONG_RELU
RIGHT = RIGHT_RELU
