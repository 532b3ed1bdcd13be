"""Answers to notebook 01's exercises: sigmoid_backward, neuron_gradients."""

import math

import numpy as np

from tests.catalogue import Right, Wrong

# -- sigmoid_backward ---------------------------------------------------------------------------


def sigmoid_no_dA(dA, cache):
    A = cache
    return A * (1 - A)


def sigmoid_twice(dA, cache):
    s = 1 / (1 + np.exp(-cache))
    return dA * s * (1 - s)


def sigmoid_derivative_formula_on_A(dA, cache):
    A = cache
    return dA * np.exp(-A) / (1 + np.exp(-A)) ** 2


def sigmoid_no_A(dA, cache):
    A = cache
    return dA * (1 - A)


def sigmoid_no_one_minus(dA, cache):
    A = cache
    return dA * A


def sigmoid_tanh_gradient(dA, cache):
    A = cache
    return dA * (1 - A**2)


def sigmoid_plus_inside(dA, cache):
    A = cache
    return dA * A * (1 + A)


def sigmoid_negative(dA, cache):
    A = cache
    return -dA * A * (1 - A)


def sigmoid_matmul(dA, cache):
    A = cache
    return dA @ (A * (1 - A)).T


def sigmoid_np_dot(dA, cache):
    A = cache
    return np.dot(dA, A * (1 - A))


def sigmoid_added(dA, cache):
    A = cache
    return dA + A * (1 - A)


def sigmoid_precedence(dA, cache):
    A = cache
    return dA * A - A**2


def sigmoid_precedence_one(dA, cache):
    A = cache
    return dA * A * 1 - A


def sigmoid_stray_m(dA, cache):
    A = cache
    m = A.shape[1]
    return dA * A * (1 - A) / m


def sigmoid_mean_over_examples(dA, cache):
    A = cache
    return np.mean(dA * A * (1 - A), axis=1, keepdims=True)


def sigmoid_list(dA, cache):
    A = cache
    return [list(row) for row in dA * A * (1 - A)]


WRONG_SIGMOID = [
    Wrong("sigmoid_backward", "no_dA", sigmoid_no_dA, "multiply it by dA"),
    Wrong("sigmoid_backward", "sigmoid_twice", sigmoid_twice, "A (1 - A)"),
    Wrong("sigmoid_backward", "sigmoid_twice", sigmoid_derivative_formula_on_A),
    Wrong("sigmoid_backward", "no_A", sigmoid_no_A),
    Wrong("sigmoid_backward", "no_1-A", sigmoid_no_one_minus),
    Wrong("sigmoid_backward", "tanh_gradient", sigmoid_tanh_gradient),
    Wrong("sigmoid_backward", "sign", sigmoid_plus_inside),
    Wrong("sigmoid_backward", "sign", sigmoid_negative),
    Wrong("sigmoid_backward", "matmul_for_elementwise", sigmoid_matmul, "element-wise"),
    Wrong("sigmoid_backward", "matmul_for_elementwise", sigmoid_np_dot, "element-wise"),
    Wrong("sigmoid_backward", "added", sigmoid_added, "multiplies"),
    Wrong("sigmoid_backward", "precedence", sigmoid_precedence, "parentheses"),
    Wrong("sigmoid_backward", "precedence", sigmoid_precedence_one, "parentheses"),
    Wrong("sigmoid_backward", "stray_1/m", sigmoid_stray_m, "1/m"),
    Wrong("sigmoid_backward", "mean_over_examples", sigmoid_mean_over_examples),
    Wrong("sigmoid_backward", "not_an_array", sigmoid_list, "list"),
]


def sigmoid_right_expanded(dA, cache):
    A = cache
    return dA * (A - A**2)


def sigmoid_right_multiply(dA, cache):
    return np.multiply(dA, np.multiply(cache, 1.0 - cache))


def sigmoid_right_float32(dA, cache):
    A = cache.astype(np.float32)
    return dA.astype(np.float32) * A * (1 - A)


def sigmoid_right_loop(dA, cache):
    dZ = np.empty_like(dA)
    for i in range(dA.shape[0]):
        for j in range(dA.shape[1]):
            a = cache[i, j]
            dZ[i, j] = dA[i, j] * a * (1 - a)
    return dZ


def sigmoid_right_in_place(dA, cache):
    dA *= cache * (1 - cache)  # changes the caller's dA: passes, with a note
    return dA


RIGHT_SIGMOID = [
    Right("sigmoid_backward", sigmoid_right_expanded),
    Right("sigmoid_backward", sigmoid_right_multiply),
    Right("sigmoid_backward", sigmoid_right_float32),
    Right("sigmoid_backward", sigmoid_right_loop),
    Right("sigmoid_backward", sigmoid_right_in_place),
]

# -- neuron_gradients ---------------------------------------------------------------------------


def _z(w, x):
    return w[0] * x[0] + w[1] * x[1] + w[2]


def neuron_f_is_z(w, x):
    z = _z(w, x)
    s = 1 / (1 + np.exp(-z))
    dz = s * (1 - s)
    return z, dz * np.array([x[0], x[1], 1.0]), dz * np.array([w[0], w[1]])


def neuron_exp_sign(w, x):
    s = 1 / (1 + np.exp(_z(w, x)))
    dz = s * (1 - s)
    return s, dz * np.array([x[0], x[1], 1.0]), dz * np.array([w[0], w[1]])


def neuron_s_for_local(w, x):
    s = 1 / (1 + np.exp(-_z(w, x)))
    return s, s * np.array([x[0], x[1], 1.0]), s * np.array([w[0], w[1]])


def neuron_no_swap(w, x):
    s = 1 / (1 + np.exp(-_z(w, x)))
    dz = s * (1 - s)
    return s, dz * np.array([w[0], w[1], 1.0]), dz * np.array([x[0], x[1]])


def neuron_dx_no_swap(w, x):
    s = 1 / (1 + np.exp(-_z(w, x)))
    dz = s * (1 - s)
    return s, dz * np.array([x[0], x[1], 1.0]), dz * x


def neuron_no_bias_gradient(w, x):
    s = 1 / (1 + np.exp(-_z(w, x)))
    dz = s * (1 - s)
    return s, dz * x, dz * w[:2]


def neuron_bias_zero(w, x):
    s = 1 / (1 + np.exp(-_z(w, x)))
    dz = s * (1 - s)
    return s, dz * np.array([x[0], x[1], 0.0]), dz * w[:2]


def neuron_bias_one(w, x):
    s = 1 / (1 + np.exp(-_z(w, x)))
    dz = s * (1 - s)
    return s, np.array([dz * x[0], dz * x[1], 1.0]), dz * w[:2]


def neuron_z_for_s(w, x):
    z = _z(w, x)
    s = 1 / (1 + np.exp(-z))
    dz = z * (1 - z)
    return s, dz * np.array([x[0], x[1], 1.0]), dz * w[:2]


def neuron_no_upstream(w, x):
    s = 1 / (1 + np.exp(-_z(w, x)))
    return s, np.array([x[0], x[1], 1.0]), np.array([w[0], w[1]])


def neuron_outputs_swapped(w, x):
    s = 1 / (1 + np.exp(-_z(w, x)))
    dz = s * (1 - s)
    return s, dz * w[:2], dz * np.array([x[0], x[1], 1.0])


def neuron_dx_three(w, x):
    s = 1 / (1 + np.exp(-_z(w, x)))
    dz = s * (1 - s)
    return s, dz * np.array([x[0], x[1], 1.0]), dz * w


def neuron_negative(w, x):
    s = 1 / (1 + np.exp(-_z(w, x)))
    dz = -s * (1 - s)
    return s, dz * np.array([x[0], x[1], 1.0]), dz * w[:2]


def neuron_list(w, x):
    s = 1 / (1 + math.exp(-_z(w, x)))
    dz = s * (1 - s)
    return s, [dz * x[0], dz * x[1], dz], [dz * w[0], dz * w[1]]


def neuron_one_minus_s_squared(w, x):
    s = 1 / (1 + np.exp(-_z(w, x)))
    dz = 1 - s**2
    return s, dz * np.array([x[0], x[1], 1.0]), dz * w[:2]


WRONG_NEURON = [
    Wrong("neuron_gradients", "f_is_z", neuron_f_is_z, "sigmoid"),
    Wrong("neuron_gradients", "sign_exp", neuron_exp_sign, "minus"),
    Wrong("neuron_gradients", "s_for_local", neuron_s_for_local, "s (1 - s)"),
    Wrong("neuron_gradients", "no_swap", neuron_no_swap, "swaps"),
    Wrong("neuron_gradients", "no_swap", neuron_dx_no_swap, "swaps"),
    Wrong("neuron_gradients", "missing_bias_gradient", neuron_no_bias_gradient, "3"),
    Wrong("neuron_gradients", "bias_zero", neuron_bias_zero),
    Wrong("neuron_gradients", "bias_one", neuron_bias_one),
    Wrong("neuron_gradients", "z_for_s", neuron_z_for_s),
    Wrong("neuron_gradients", "no_upstream", neuron_no_upstream, "s(1 - s)"),
    Wrong("neuron_gradients", "output_order", neuron_outputs_swapped, "(f, dw, dx)"),
    Wrong("neuron_gradients", "dx_three", neuron_dx_three, "x0, x1"),
    Wrong("neuron_gradients", "sign", neuron_negative),
    Wrong("neuron_gradients", "not_an_array", neuron_list, "list"),
    Wrong("neuron_gradients", "tanh_gradient", neuron_one_minus_s_squared, "s (1 - s)"),
]


def neuron_right_math(w, x):
    z = w[0] * x[0] + w[1] * x[1] + w[2]
    f = 1.0 / (1.0 + math.exp(-z))
    return f, np.array([x[0], x[1], 1.0]) * f * (1 - f), np.array([w[0], w[1]]) * f * (1 - f)


def neuron_right_dot_tanh(w, x):
    z = w[:2] @ x + w[2]
    f = 0.5 * (1 + np.tanh(z / 2))
    local = f * (1 - f)
    return f, local * np.append(x, 1.0), local * w[:2]


def neuron_right_gates(w, x):
    # the fine-grained gates of the notebook, walked backward node by node
    a, b = w[0] * x[0], w[1] * x[1]
    z = a + b + w[2]
    e = np.exp(-z)
    d = 1 + e
    f = 1 / d
    dd = -1 / d**2
    de = dd
    dz = de * e * -1
    dw = np.array([dz * x[0], dz * x[1], dz])
    dx = np.array([dz * w[0], dz * w[1]])
    return f, dw, dx


def neuron_right_float32(w, x):
    w, x = np.float32(w), np.float32(x)
    f = np.float32(1) / (np.float32(1) + np.exp(-(w[:2] @ x + w[2])))
    local = f * (1 - f)
    return f, local * np.array([x[0], x[1], 1], dtype=np.float32), local * w[:2]


RIGHT_NEURON = [
    Right("neuron_gradients", neuron_right_math),
    Right("neuron_gradients", neuron_right_dot_tanh),
    Right("neuron_gradients", neuron_right_gates),
    Right("neuron_gradients", neuron_right_float32),
]

WRONG = WRONG_SIGMOID + WRONG_NEURON
RIGHT = RIGHT_SIGMOID + RIGHT_NEURON
