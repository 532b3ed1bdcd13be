"""Answers to notebook 04's exercises: relu_backward, affine_backward, affine_backward_rows."""

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


# -- affine_backward: Z = W @ A_prev + b, examples are columns --------------------------------


def affine_W_not_transposed(dZ, cache):
    A_prev, W, b = cache
    return W @ dZ, dZ @ A_prev.T, dZ.sum(axis=1, keepdims=True)


def affine_A_prev_not_transposed(dZ, cache):
    A_prev, W, b = cache
    return W.T @ dZ, dZ @ A_prev, dZ.sum(axis=1, keepdims=True)


def affine_dW_transposed(dZ, cache):
    A_prev, W, b = cache
    return W.T @ dZ, A_prev @ dZ.T, dZ.sum(axis=1, keepdims=True)


def affine_dA_prev_transposed(dZ, cache):
    A_prev, W, b = cache
    return dZ.T @ W, dZ @ A_prev.T, dZ.sum(axis=1, keepdims=True)


def affine_row_formulas(dZ, cache):
    A_prev, W, b = cache
    return dZ @ W.T, A_prev.T @ dZ, dZ.sum(axis=0)


def affine_dW_row_formula(dZ, cache):
    A_prev, W, b = cache
    return W.T @ dZ, A_prev.T @ dZ, dZ.sum(axis=1, keepdims=True)


def affine_db_axis0(dZ, cache):
    A_prev, W, b = cache
    return W.T @ dZ, dZ @ A_prev.T, dZ.sum(axis=0, keepdims=True)


def affine_db_no_sum(dZ, cache):
    A_prev, W, b = cache
    return W.T @ dZ, dZ @ A_prev.T, dZ


def affine_db_no_keepdims(dZ, cache):
    A_prev, W, b = cache
    return W.T @ dZ, dZ @ A_prev.T, np.sum(dZ, axis=1)


def affine_db_sum_all(dZ, cache):
    A_prev, W, b = cache
    return W.T @ dZ, dZ @ A_prev.T, np.sum(dZ)


def affine_db_mean(dZ, cache):
    A_prev, W, b = cache
    return W.T @ dZ, dZ @ A_prev.T, np.mean(dZ, axis=1, keepdims=True)


def affine_dW_stray_m(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    return W.T @ dZ, dZ @ A_prev.T / m, dZ.sum(axis=1, keepdims=True) / m


def affine_dA_prev_stray_m(dZ, cache):
    A_prev, W, b = cache
    m = dZ.shape[1]
    return W.T @ dZ / m, dZ @ A_prev.T / m, dZ.sum(axis=1, keepdims=True) / m


def affine_order(dZ, cache):
    A_prev, W, b = cache
    dA_prev, dW, db = W.T @ dZ, dZ @ A_prev.T, dZ.sum(axis=1, keepdims=True)
    return dW, db, dA_prev


def affine_order_dW_db(dZ, cache):
    A_prev, W, b = cache
    return W.T @ dZ, dZ.sum(axis=1, keepdims=True), dZ @ A_prev.T


def affine_negative(dZ, cache):
    A_prev, W, b = cache
    return -W.T @ dZ, -dZ @ A_prev.T, -dZ.sum(axis=1, keepdims=True)


def affine_relu_mask(dZ, cache):
    A_prev, W, b = cache
    dA_prev = (W.T @ dZ) * (A_prev > 0)  # the next gate's mask, inside the affine layer
    return dA_prev, dZ @ A_prev.T, dZ.sum(axis=1, keepdims=True)


def affine_db_first_example(dZ, cache):
    A_prev, W, b = cache
    return W.T @ dZ, dZ @ A_prev.T, dZ[:, 0:1]


def affine_dW_first_example(dZ, cache):
    A_prev, W, b = cache
    dW = np.outer(dZ[:, 0], A_prev[:, 0])  # the one-example formula dz x^T
    return W.T @ dZ, dW, dZ.sum(axis=1, keepdims=True)


def affine_db_list(dZ, cache):
    A_prev, W, b = cache
    return W.T @ dZ, dZ @ A_prev.T, [row.sum() for row in dZ]


def affine_no_return(dZ, cache):
    A_prev, W, b = cache
    dA_prev = W.T @ dZ  # noqa: F841
    dW = dZ @ A_prev.T  # noqa: F841
    db = dZ.sum(axis=1, keepdims=True)  # noqa: F841


def affine_einsum_wrong(dZ, cache):
    A_prev, W, b = cache
    dW = np.einsum("om,im->io", dZ, A_prev)  # the indices of the result in the wrong order
    return np.einsum("oi,om->im", W, dZ), dW, dZ.sum(axis=1, keepdims=True)


WRONG_AFFINE = [
    Wrong("affine_backward", "W_not_transposed", affine_W_not_transposed, "W.T @ dZ"),
    Wrong("affine_backward", "A_prev_not_transposed", affine_A_prev_not_transposed, "A_prev.T"),
    Wrong("affine_backward", "transposed", affine_dW_transposed, "dW is transposed"),
    Wrong("affine_backward", "transposed", affine_dA_prev_transposed),
    Wrong("affine_backward", "row_formula", affine_row_formulas, "row layout"),
    Wrong("affine_backward", "row_formula", affine_dW_row_formula, "dZ @ A_prev.T"),
    Wrong("affine_backward", "sum_axis", affine_db_axis0, "db sums over the wrong axis"),
    Wrong("affine_backward", "no_sum", affine_db_no_sum),
    Wrong("affine_backward", "keepdims", affine_db_no_keepdims, "keepdims=True"),
    Wrong("affine_backward", "number_for_array", affine_db_sum_all, "single number"),
    Wrong("affine_backward", "stray_1/m", affine_db_mean, "np.mean"),
    Wrong("affine_backward", "stray_1/m", affine_dW_stray_m),
    Wrong("affine_backward", "stray_1/m", affine_dA_prev_stray_m),
    Wrong("affine_backward", "output_order", affine_order, "return (dA_prev, dW, db)"),
    Wrong("affine_backward", "output_order", affine_order_dW_db),
    Wrong("affine_backward", "sign", affine_negative),
    Wrong("affine_backward", "relu_mask", affine_relu_mask, "relu_backward"),
    Wrong("affine_backward", "one_example", affine_db_first_example),
    Wrong("affine_backward", "one_example", affine_dW_first_example, "every example"),
    Wrong("affine_backward", "not_an_array", affine_db_list, "list"),
    Wrong("affine_backward", "returned_none", affine_no_return, "return"),
    Wrong("affine_backward", "transposed", affine_einsum_wrong),
]


def affine_right_einsum(dZ, cache):
    A_prev, W, b = cache
    return (
        np.einsum("oi,om->im", W, dZ),
        np.einsum("om,im->oi", dZ, A_prev),
        np.einsum("om->o", dZ)[:, None],
    )


def affine_right_outer_products(dZ, cache):
    A_prev, W, b = cache
    dW = np.zeros_like(W)
    db = np.zeros_like(b)
    for i in range(dZ.shape[1]):  # one example at a time: dz x^T, then add them up
        dW += np.outer(dZ[:, i], A_prev[:, i])
        db += dZ[:, i : i + 1]
    return np.dot(W.T, dZ), dW, db


def affine_right_float32(dZ, cache):
    A_prev, W, b = (np.asarray(x, dtype=np.float32) for x in cache)
    dZ = dZ.astype(np.float32)
    return W.T @ dZ, dZ @ A_prev.T, dZ.sum(axis=1, keepdims=True)


def affine_right_ones(dZ, cache):
    A_prev, W, b = cache
    ones = np.ones((dZ.shape[1], 1))
    return np.matmul(W.T, dZ), (A_prev @ dZ.T).T, dZ @ ones


def affine_right_reshape(dZ, cache):
    A_prev, W, b = cache
    db = dZ.sum(axis=1).reshape(b.shape)
    return W.T.dot(dZ), dZ.dot(A_prev.T), db


RIGHT_AFFINE = [
    Right("affine_backward", affine_right_einsum),
    Right("affine_backward", affine_right_outer_products),
    Right("affine_backward", affine_right_float32),
    Right("affine_backward", affine_right_ones),
    Right("affine_backward", affine_right_reshape),
]


# -- affine_backward_rows: Z = X @ W + b, examples are rows ------------------------------------


def rows_W_not_transposed(dZ, cache):
    X, W, b = cache
    return dZ @ W, X.T @ dZ, dZ.sum(axis=0)


def rows_dX_transposed(dZ, cache):
    X, W, b = cache
    return W @ dZ.T, X.T @ dZ, dZ.sum(axis=0)


def rows_column_formula_dW(dZ, cache):
    X, W, b = cache
    return dZ @ W.T, dZ.T @ X, dZ.sum(axis=0)


def rows_column_formula_dX(dZ, cache):
    X, W, b = cache
    return W.T @ dZ, X.T @ dZ, dZ.sum(axis=0)


def rows_column_formulas(dZ, cache):
    X, W, b = cache
    return W.T @ dZ, dZ @ X.T, dZ.sum(axis=1, keepdims=True)


def rows_db_axis1(dZ, cache):
    X, W, b = cache
    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=1)


def rows_db_keepdims(dZ, cache):
    X, W, b = cache
    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=0, keepdims=True)


def rows_db_sum_all(dZ, cache):
    X, W, b = cache
    return dZ @ W.T, X.T @ dZ, dZ.sum()


def rows_db_mean(dZ, cache):
    X, W, b = cache
    return dZ @ W.T, X.T @ dZ, dZ.mean(axis=0)


def rows_dW_stray_m(dZ, cache):
    X, W, b = cache
    m = X.shape[0]
    return dZ @ W.T, X.T @ dZ / m, dZ.sum(axis=0) / m


def rows_order(dZ, cache):
    X, W, b = cache
    return X.T @ dZ, dZ @ W.T, dZ.sum(axis=0)


def rows_negative(dZ, cache):
    X, W, b = cache
    return -(dZ @ W.T), -(X.T @ dZ), -dZ.sum(axis=0)


def rows_db_no_sum(dZ, cache):
    X, W, b = cache
    return dZ @ W.T, X.T @ dZ, dZ


def rows_db_first_row(dZ, cache):
    X, W, b = cache
    return dZ @ W.T, X.T @ dZ, dZ[0]


def rows_db_column(dZ, cache):
    X, W, b = cache
    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=0).reshape(-1, 1)


def rows_no_return(dZ, cache):
    X, W, b = cache
    dX, dW, db = dZ @ W.T, X.T @ dZ, dZ.sum(axis=0)  # noqa: F841


def rows_db_list(dZ, cache):
    X, W, b = cache
    return dZ @ W.T, X.T @ dZ, list(dZ.sum(axis=0))


WRONG_ROWS = [
    Wrong("affine_backward_rows", "W_not_transposed", rows_W_not_transposed, "dZ @ W.T"),
    Wrong("affine_backward_rows", "transposed", rows_dX_transposed),
    Wrong("affine_backward_rows", "column_formula", rows_column_formula_dW, "X.T @ dZ"),
    Wrong("affine_backward_rows", "column_formula", rows_column_formula_dX, "dZ @ W.T"),
    Wrong("affine_backward_rows", "column_formula", rows_column_formulas),
    Wrong("affine_backward_rows", "sum_axis", rows_db_axis1, "axis 0"),
    Wrong("affine_backward_rows", "keepdims", rows_db_keepdims),
    Wrong("affine_backward_rows", "number_for_array", rows_db_sum_all, "single number"),
    Wrong("affine_backward_rows", "stray_1/m", rows_db_mean),
    Wrong("affine_backward_rows", "stray_1/m", rows_dW_stray_m),
    Wrong("affine_backward_rows", "output_order", rows_order),
    Wrong("affine_backward_rows", "sign", rows_negative),
    Wrong("affine_backward_rows", "no_sum", rows_db_no_sum),
    Wrong("affine_backward_rows", "one_example", rows_db_first_row),
    Wrong("affine_backward_rows", "column_shape", rows_db_column, "1-D"),
    Wrong("affine_backward_rows", "returned_none", rows_no_return),
    Wrong("affine_backward_rows", "not_an_array", rows_db_list),
]


def rows_right_einsum(dZ, cache):
    X, W, b = cache
    return np.einsum("mo,io->mi", dZ, W), np.einsum("mi,mo->io", X, dZ), np.einsum("mo->o", dZ)


def rows_right_loop(dZ, cache):
    X, W, b = cache
    dW = np.zeros_like(W)
    for x, dz in zip(X, dZ):  # one example (row) at a time
        dW += np.outer(x, dz)
    return dZ @ W.T, dW, np.add.reduce(dZ, axis=0)


def rows_right_float32(dZ, cache):
    X, W, b = (np.asarray(v, dtype=np.float32) for v in cache)
    dZ = np.asarray(dZ, dtype=np.float32)
    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=0)


def rows_right_transposes(dZ, cache):
    X, W, b = cache
    return (W @ dZ.T).T, (dZ.T @ X).T, np.sum(dZ, 0).ravel()


RIGHT_ROWS = [
    Right("affine_backward_rows", rows_right_einsum),
    Right("affine_backward_rows", rows_right_loop),
    Right("affine_backward_rows", rows_right_float32),
    Right("affine_backward_rows", rows_right_transposes),
]

WRONG = WRONG_RELU + WRONG_AFFINE + WRONG_ROWS
RIGHT = RIGHT_RELU + RIGHT_AFFINE + RIGHT_ROWS
