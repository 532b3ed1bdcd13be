"""Answers to notebook 06's exercises: saturated_fraction, dead_fraction, leaky_relu_backward."""

import numpy as np

from tests.catalogue import Right, Wrong

# -- saturated_fraction: share of the entries of A = s(Z) with A (1 - A) < 0.01 ------------------


def sat_count(A):
    return np.sum(A * (1 - A) < 0.01)


def sat_complement(A):
    return float(np.mean(A * (1 - A) > 0.01))


def sat_one_side(A):
    return float(np.mean(A < 0.01))


def sat_high_side(A):
    return float(np.mean(A > 0.99))


def sat_per_unit_all(A):
    return float(np.mean(np.all(A * (1 - A) < 0.01, axis=1)))


def sat_per_example(A):
    return np.mean(A * (1 - A) < 0.01, axis=0)


def sat_threshold(A):
    return float(np.mean(A * (1 - A) < 0.1))


def sat_sigmoid_again(A):
    s = 1 / (1 + np.exp(-A))
    return float(np.mean(s * (1 - s) < 0.01))


def sat_percent(A):
    return 100 * np.mean(A * (1 - A) < 0.01)


def sat_divide_by_units(A):
    return np.sum(A * (1 - A) < 0.01) / len(A)


def sat_divide_by_examples(A):
    return np.sum(A * (1 - A) < 0.01) / A.shape[1]


def sat_mask(A):
    return A * (1 - A) < 0.01


def sat_no_return(A):
    share = np.mean(A * (1 - A) < 0.01)  # noqa: F841


def sat_slope_of_Z(A):
    return float(np.mean(np.abs(A) > 4.6))  # the |Z| test, on A


WRONG_SAT = [
    Wrong("saturated_fraction", "count", sat_count, "share"),
    Wrong("saturated_fraction", "complement", sat_complement),
    Wrong("saturated_fraction", "one_side", sat_one_side, "near 1"),
    Wrong("saturated_fraction", "one_side", sat_high_side, "near 0"),
    Wrong("saturated_fraction", "per_unit", sat_per_unit_all),
    Wrong("saturated_fraction", "per_axis", sat_per_example),
    Wrong("saturated_fraction", "threshold", sat_threshold, "0.01"),
    Wrong("saturated_fraction", "never_fires", sat_sigmoid_again, "on A itself"),
    Wrong("saturated_fraction", "percent", sat_percent, "percent"),
    Wrong("saturated_fraction", "wrong_count", sat_divide_by_units, "every entry"),
    Wrong("saturated_fraction", "wrong_count", sat_divide_by_examples),
    Wrong("saturated_fraction", "mask", sat_mask, "np.mean"),
    Wrong("saturated_fraction", "returned_none", sat_no_return, "return"),
    Wrong("saturated_fraction", "never_fires", sat_slope_of_Z, "|Z| > 4.6"),
]


def sat_right_count_nonzero(A):
    return np.count_nonzero(A * (1 - A) < 0.01) / A.size


def sat_right_float32(A):
    A = A.astype(np.float32)
    return np.float32((A - A**2 < 0.01).mean())


def sat_right_loop(A):
    count = 0
    for row in A:
        for a in row:
            count += a * (1 - a) < 0.01
    return count / (A.shape[0] * A.shape[1])


def sat_right_where(A):
    return float(np.where(A * (1 - A) < 0.01, 1.0, 0.0).sum() / A.size)


RIGHT_SAT = [
    Right("saturated_fraction", sat_right_count_nonzero),
    Right("saturated_fraction", sat_right_float32),
    Right("saturated_fraction", sat_right_loop),
    Right("saturated_fraction", sat_right_where),
]


# -- dead_fraction: share of the units (rows of Z) with no positive entry ------------------------


def dead_ge_zero(Z):
    return float(np.mean(~(Z >= 0).any(axis=1)))


def dead_all_negative(Z):
    return float(np.mean(np.all(Z < 0, axis=1)))


def dead_per_entry(Z):
    return float(np.mean(Z <= 0))


def dead_axis0(Z):
    return float(np.mean(Z.max(axis=0) <= 0))


def dead_count(Z):
    return int(np.sum(~(Z > 0).any(axis=1)))


def dead_complement(Z):
    return float(np.mean((Z > 0).any(axis=1)))


def dead_any_silent(Z):
    return float(np.mean((Z <= 0).any(axis=1)))


def dead_per_unit(Z):
    return ~(Z > 0).any(axis=1)


def dead_mean_negative(Z):
    return float(np.mean(Z.mean(axis=1) < 0))


def dead_percent(Z):
    return 100.0 * np.mean(np.all(Z <= 0, axis=1))


def dead_divide_by_examples(Z):
    return np.sum(np.all(Z <= 0, axis=1)) / Z.shape[1]


def dead_no_return(Z):
    share = np.mean(np.all(Z <= 0, axis=1))  # noqa: F841


def dead_relu_sum(Z):
    return float(np.mean(np.maximum(Z, 0).sum(axis=0) == 0))  # summed over the units


WRONG_DEAD = [
    Wrong("dead_fraction", "ge_zero", dead_ge_zero, "Z > 0"),
    Wrong("dead_fraction", "ge_zero", dead_all_negative),
    Wrong("dead_fraction", "per_entry", dead_per_entry, "whole row"),
    Wrong("dead_fraction", "axis", dead_axis0, "axis=1"),
    Wrong("dead_fraction", "count", dead_count),
    Wrong("dead_fraction", "complement", dead_complement),
    Wrong("dead_fraction", "any_for_all", dead_any_silent),
    Wrong("dead_fraction", "per_unit", dead_per_unit),
    Wrong("dead_fraction", "mean_negative", dead_mean_negative, "every example"),
    Wrong("dead_fraction", "percent", dead_percent),
    Wrong("dead_fraction", "wrong_count", dead_divide_by_examples, "units"),
    Wrong("dead_fraction", "returned_none", dead_no_return),
    Wrong("dead_fraction", "axis", dead_relu_sum),
]


def dead_right_relu_output(Z):
    return np.mean(np.all(np.maximum(Z, 0) == 0, axis=1))


def dead_right_max(Z):
    return float((Z.max(axis=1) <= 0).sum() / Z.shape[0])


def dead_right_loop(Z):
    dead = [not any(z > 0 for z in row) for row in Z]
    return sum(dead) / len(dead)


def dead_right_float32(Z):
    return np.float32(np.mean(~np.any(Z > 0, axis=1)))


RIGHT_DEAD = [
    Right("dead_fraction", dead_right_relu_output),
    Right("dead_fraction", dead_right_max),
    Right("dead_fraction", dead_right_loop),
    Right("dead_fraction", dead_right_float32),
]


# -- leaky_relu_backward: dZ = dA where Z > 0, alpha * dA elsewhere; cache = (Z, alpha) -----------


def leaky_alpha_001(dA, cache):
    Z, alpha = cache
    return np.where(Z > 0, dA, 0.01 * dA)


def leaky_alpha_01(dA, cache):
    Z, _ = cache
    alpha = 0.1  # the value in the lecture's slide
    return np.where(Z > 0, dA, alpha * dA)


def leaky_ge(dA, cache):
    Z, alpha = cache
    return np.where(Z >= 0, dA, alpha * dA)


def leaky_lt(dA, cache):
    Z, alpha = cache
    return np.where(Z < 0, alpha * dA, dA)


def leaky_swapped(dA, cache):
    Z, alpha = cache
    return np.where(Z > 0, alpha * dA, dA)


def leaky_plain_relu(dA, cache):
    Z, alpha = cache
    return dA * (Z > 0)


def leaky_slope_only(dA, cache):
    Z, alpha = cache
    return np.where(Z > 0, 1.0, alpha)


def leaky_mask_from_dA(dA, cache):
    Z, alpha = cache
    return np.where(dA > 0, dA, alpha * dA)


def leaky_alpha_everywhere(dA, cache):
    Z, alpha = cache
    return alpha * dA


def leaky_alpha_not_times_dA(dA, cache):
    Z, alpha = cache
    return dA * (Z > 0) + alpha * (Z <= 0)


def leaky_minus_alpha(dA, cache):
    Z, alpha = cache
    return np.where(Z > 0, dA, -alpha * dA)


def leaky_times_output(dA, cache):
    Z, alpha = cache
    return dA * np.maximum(Z, alpha * Z)


def leaky_unpacked_backwards(dA, cache):
    alpha, Z = cache
    return np.where(Z > 0, dA, alpha * dA)


def leaky_mask_plus_alpha(dA, cache):
    Z, alpha = cache
    return dA * ((Z > 0) + alpha)


def leaky_no_return(dA, cache):
    Z, alpha = cache
    dZ = np.where(Z > 0, dA, alpha * dA)  # noqa: F841


def leaky_list(dA, cache):
    Z, alpha = cache
    return [[d if z > 0 else alpha * d for d, z in zip(dr, zr)] for dr, zr in zip(dA, Z)]


WRONG_LEAKY = [
    Wrong("leaky_relu_backward", "alpha_hard_coded", leaky_alpha_001, "cache"),
    Wrong("leaky_relu_backward", "alpha_hard_coded", leaky_alpha_01, "cache"),
    Wrong("leaky_relu_backward", "mask_ge", leaky_ge, "Z == 0"),
    Wrong("leaky_relu_backward", "mask_ge", leaky_lt),
    Wrong("leaky_relu_backward", "swapped", leaky_swapped),
    Wrong("leaky_relu_backward", "plain_relu", leaky_plain_relu, "alpha"),
    Wrong("leaky_relu_backward", "slope_only", leaky_slope_only, "dA"),
    Wrong("leaky_relu_backward", "mask_from_dA", leaky_mask_from_dA),
    Wrong("leaky_relu_backward", "alpha_everywhere", leaky_alpha_everywhere),
    Wrong("leaky_relu_backward", "alpha_not_times_dA", leaky_alpha_not_times_dA),
    Wrong("leaky_relu_backward", "sign", leaky_minus_alpha),
    Wrong("leaky_relu_backward", "times_output", leaky_times_output, "slope"),
    Wrong("leaky_relu_backward", "no_mask", leaky_unpacked_backwards, "Z, alpha = cache"),
    Wrong("leaky_relu_backward", "mask_plus_alpha", leaky_mask_plus_alpha),
    Wrong("leaky_relu_backward", "returned_none", leaky_no_return),
    Wrong("leaky_relu_backward", "not_an_array", leaky_list),
]


def leaky_right_slope(dA, cache):
    Z, alpha = cache
    return dA * np.where(Z > 0, 1.0, alpha)


def leaky_right_mask_product(dA, cache):
    Z, alpha = cache
    positive = (Z > 0).astype(dA.dtype)
    return dA * (positive + alpha * (1 - positive))


def leaky_right_copy(dA, cache):
    Z, alpha = cache
    dZ = dA.copy()
    dZ[Z <= 0] *= alpha
    return dZ


def leaky_right_float32(dA, cache):
    Z, alpha = cache
    return np.where(Z > 0, dA, alpha * dA).astype(np.float32)


def leaky_right_piecewise(dA, cache):
    Z, alpha = cache
    return dA * np.piecewise(Z, [Z > 0, Z <= 0], [1.0, alpha])


RIGHT_LEAKY = [
    Right("leaky_relu_backward", leaky_right_slope),
    Right("leaky_relu_backward", leaky_right_mask_product),
    Right("leaky_relu_backward", leaky_right_copy),
    Right("leaky_relu_backward", leaky_right_float32),
    Right("leaky_relu_backward", leaky_right_piecewise),
]

WRONG = WRONG_SAT + WRONG_DEAD + WRONG_LEAKY
RIGHT = RIGHT_SAT + RIGHT_DEAD + RIGHT_LEAKY
