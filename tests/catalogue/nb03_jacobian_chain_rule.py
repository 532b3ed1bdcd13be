"""Answers to notebook 03's exercises: matvec_vjp, softmax_jacobian, and the extra softmax."""

import numpy as np
import scipy.special

from helpers import layers
from tests.catalogue import Right, Wrong

# -- matvec_vjp ---------------------------------------------------------------------------------


def matvec_W_not_transposed(delta, W, x):
    return delta @ x.T, W @ delta


def matvec_seed_inner_product(delta, W, x):
    return delta.T @ x, W.T @ delta  # the seed's delta^T x


def matvec_dW_transposed(delta, W, x):
    return x @ delta.T, W.T @ delta


def matvec_dx_row(delta, W, x):
    return delta @ x.T, delta.T @ W


def matvec_dx_elementwise(delta, W, x):
    return delta @ x.T, W.T * delta


def matvec_dx_flat(delta, W, x):
    return delta @ x.T, (W.T @ delta).ravel()


def matvec_W_in_dW(delta, W, x):
    return W * delta, W.T @ delta


def matvec_x_for_dx(delta, W, x):
    return delta @ x.T, x


def matvec_x_for_delta(delta, W, x):
    return delta @ x.T, W.T @ x


def matvec_outputs_swapped(delta, W, x):
    return W.T @ delta, delta @ x.T


def matvec_negative(delta, W, x):
    return -delta @ x.T, -W.T @ delta


def matvec_dW_x_transposed_missing(delta, W, x):
    return delta @ x, W.T @ delta


def matvec_loop_off_by_one(delta, W, x):
    dW = np.zeros(W.shape)
    for i in range(W.shape[0]):
        for j in range(W.shape[1] - 1):
            dW[i, j] = delta[i, 0] * x[j, 0]
    return dW, W.T @ delta


def matvec_dW_delta_times_W(delta, W, x):
    return delta * W, W.T @ delta


def matvec_dx_jacobian_only(delta, W, x):
    return delta @ x.T, W.T


def matvec_dW_local_only(delta, W, x):
    return x.T, W.T @ delta


WRONG_MATVEC = [
    Wrong("matvec_vjp", "W_not_transposed", matvec_W_not_transposed, "W.T @ delta"),
    Wrong("matvec_vjp", "inner_product", matvec_seed_inner_product, "outer product"),
    Wrong("matvec_vjp", "transposed", matvec_dW_transposed),
    Wrong("matvec_vjp", "transposed", matvec_dx_row),
    Wrong("matvec_vjp", "elementwise", matvec_dx_elementwise, "W.T @ delta"),
    Wrong("matvec_vjp", "shape", matvec_dx_flat, "another shape"),
    Wrong("matvec_vjp", "W_in_dW", matvec_W_in_dW),
    Wrong("matvec_vjp", "W_in_dW", matvec_dW_delta_times_W),
    Wrong("matvec_vjp", "x_for_dx", matvec_x_for_dx),
    Wrong("matvec_vjp", "x_for_delta", matvec_x_for_delta, "delta"),
    Wrong("matvec_vjp", "output_order", matvec_outputs_swapped, "(dW, dx)"),
    Wrong("matvec_vjp", "sign", matvec_negative),
    # delta @ x runs on no shapes where it is wrong ((n_out, 1) @ (n_in, 1) needs n_in = 1, and
    # then it is right): the checker shows the learner's line and the matmul hint
    Wrong("matvec_vjp", "raised", matvec_dW_x_transposed_missing, ".T"),
    Wrong("matvec_vjp", "loop_off_by_one", matvec_loop_off_by_one, "range"),
    Wrong("matvec_vjp", "no_delta", matvec_dx_jacobian_only, "W.T @ delta"),
    Wrong("matvec_vjp", "no_delta", matvec_dW_local_only, "delta @ x.T"),
]


def matvec_right_broadcast(delta, W, x):
    return delta * x.T, (W * delta).sum(axis=0, keepdims=True).T


def matvec_right_outer(delta, W, x):
    return np.outer(delta, x), np.dot(W.T, delta)


def matvec_right_einsum(delta, W, x):
    dW = np.einsum("ik,jk->ij", delta, x)
    dx = np.einsum("ij,ik->jk", W, delta)
    return dW, dx


def matvec_right_float32(delta, W, x):
    delta, W, x = (a.astype(np.float32) for a in (delta, W, x))
    return delta @ x.T, W.T @ delta


def matvec_right_loops(delta, W, x):
    n_out, n_in = W.shape
    dW = np.zeros((n_out, n_in))
    dx = np.zeros((n_in, 1))
    for i in range(n_out):
        for j in range(n_in):
            dW[i, j] = delta[i, 0] * x[j, 0]
            dx[j, 0] += W[i, j] * delta[i, 0]
    return dW, dx


RIGHT_MATVEC = [
    Right("matvec_vjp", matvec_right_broadcast),
    Right("matvec_vjp", matvec_right_outer),
    Right("matvec_vjp", matvec_right_einsum),
    Right("matvec_vjp", matvec_right_float32),
    Right("matvec_vjp", matvec_right_loops),
]

# -- softmax_jacobian ---------------------------------------------------------------------------


def jac_diag_only(z):
    s = layers.softmax(z)
    return np.diag(s.ravel())


def jac_outer_only(z):
    s = layers.softmax(z)
    return -s @ s.T


def jac_diagonal_entries_only(z):
    s = layers.softmax(z)
    return np.diag((s * (1 - s)).ravel())


def jac_inner_for_outer(z):
    s = layers.softmax(z)
    return np.diag(s.ravel()) - s.T @ s


def jac_scores(z):
    return np.diag(z.ravel()) - z @ z.T


def jac_vector(z):
    s = layers.softmax(z)
    return s * (1 - s)


def jac_diag_of_column(z):
    s = layers.softmax(z)
    return np.diag(s) - s @ s.T  # np.diag of an (n, 1) column extracts, it does not build


def jac_diag_of_column_outer(z):
    s = layers.softmax(z)
    return np.diag(s) - np.outer(s, s)


def jac_squares(z):
    s = layers.softmax(z)
    return np.diag(s.ravel()) - s * s


def jac_row_factor(z):
    s = layers.softmax(z)
    return s * (np.eye(len(s)) - s)


def jac_loop_plus_off_diagonal(z):
    s = layers.softmax(z).ravel()
    n = len(s)
    J = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            J[i, j] = s[i] * (1 - s[i]) if i == j else s[i] * s[j]
    return J


def jac_own_softmax_axis(z):
    e = np.exp(z - z.max())
    s = e / e.sum(axis=1, keepdims=True)
    return np.diag(s.ravel()) - s @ s.T


def jac_reversed_sign(z):
    s = layers.softmax(z)
    return s @ s.T - np.diag(s.ravel())


def jac_no_return(z):
    s = layers.softmax(z)
    J = np.diag(s.ravel()) - s @ s.T  # noqa: F841  (forgot the return)


def jac_nested_list(z):
    s = layers.softmax(z).ravel()
    return [[s[i] * ((i == j) - s[j]) for j in range(len(s))] for i in range(len(s))]


def jac_identity_minus_outer(z):
    s = layers.softmax(z)
    return np.eye(len(s)) - s @ s.T


WRONG_SOFTMAX_JACOBIAN = [
    Wrong("softmax_jacobian", "diag_only", jac_diag_only, "s @ s.T"),
    Wrong("softmax_jacobian", "outer_only", jac_outer_only),
    Wrong("softmax_jacobian", "diagonal_only", jac_diagonal_entries_only, "-s_i s_j"),
    Wrong("softmax_jacobian", "inner_for_outer", jac_inner_for_outer, "outer product"),
    Wrong("softmax_jacobian", "z_for_s", jac_scores),
    Wrong("softmax_jacobian", "vector", jac_vector, "(n, n)"),
    Wrong("softmax_jacobian", "diag_of_column", jac_diag_of_column, "np.diag"),
    Wrong("softmax_jacobian", "diag_of_column", jac_diag_of_column_outer, "np.diag"),
    Wrong("softmax_jacobian", "squares", jac_squares, "s @ s.T"),
    Wrong("softmax_jacobian", "squares", jac_row_factor, "s @ s.T"),
    Wrong("softmax_jacobian", "off_diagonal_sign", jac_loop_plus_off_diagonal, "-s_i s_j"),
    Wrong("softmax_jacobian", "softmax_axis", jac_own_softmax_axis, "axis=0"),
    Wrong("softmax_jacobian", "sign", jac_reversed_sign),
    Wrong("softmax_jacobian", "returned_none", jac_no_return, "return"),
    Wrong("softmax_jacobian", "not_an_array", jac_nested_list, "list"),
    Wrong("softmax_jacobian", "identity", jac_identity_minus_outer, "diag(s)"),
]


def jac_right_diagflat(z):
    s = layers.softmax(z)
    return np.diagflat(s) - np.outer(s, s)


def jac_right_eye_broadcast(z):
    s = layers.softmax(z)
    return s * (np.eye(len(s)) - s.T)


def jac_right_loops(z):
    s = layers.softmax(z).ravel()
    n = len(s)
    J = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            J[i, j] = s[i] * (1 - s[j]) if i == j else -s[i] * s[j]
    return J


def jac_right_einsum_float32(z):
    s = layers.softmax(z).astype(np.float32).ravel()
    return np.diag(s) - np.einsum("i,j->ij", s, s)


def jac_right_own_softmax(z):
    e = np.exp(z - np.max(z))
    s = e / np.sum(e)
    return np.diag(s[:, 0]) - s @ s.T


RIGHT_SOFTMAX_JACOBIAN = [
    Right("softmax_jacobian", jac_right_diagflat),
    Right("softmax_jacobian", jac_right_eye_broadcast),
    Right("softmax_jacobian", jac_right_loops),
    Right("softmax_jacobian", jac_right_einsum_float32),
    Right("softmax_jacobian", jac_right_own_softmax),
]

# -- softmax (extra) ----------------------------------------------------------------------------


def softmax_rows(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def softmax_no_shift(Z):
    E = np.exp(Z)
    return E / E.sum(axis=0, keepdims=True)


def softmax_sum_all(Z):
    E = np.exp(Z - Z.max())
    return E / E.sum()


def softmax_global_max(Z):
    E = np.exp(Z - np.max(Z))
    return E / E.sum(axis=0, keepdims=True)


def softmax_max_of_rows(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)


def softmax_divide_by_max(Z):
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.max(axis=0, keepdims=True)


def softmax_not_normalised(Z):
    return np.exp(Z - Z.max(axis=0, keepdims=True))


def softmax_shift_reversed(Z):
    E = np.exp(Z.max(axis=0, keepdims=True) - Z)
    return E / E.sum(axis=0, keepdims=True)


def softmax_log(Z):
    shifted = Z - Z.max(axis=0, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))


def softmax_loop_off_by_one(Z):
    P = np.zeros_like(Z)
    for j in range(Z.shape[1] - 1):
        e = np.exp(Z[:, j] - Z[:, j].max())
        P[:, j] = e / e.sum()
    return P


def softmax_no_return(Z):
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    P = E / E.sum(axis=0, keepdims=True)  # noqa: F841  (forgot the return)


def softmax_sum_no_keepdims_rows(Z):
    E = np.exp(Z - Z.max(axis=0))
    return E / E.sum(axis=1)[:, None]


def softmax_divide_by_sum_of_Z(Z):
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / Z.sum(axis=0, keepdims=True)


def softmax_max_reduces(Z):
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return np.max(E / E.sum(axis=0, keepdims=True), axis=0)


WRONG_SOFTMAX = [
    Wrong("softmax", "axis", softmax_rows, "axis=0"),
    Wrong("softmax", "overflow", softmax_no_shift, "largest score"),
    Wrong("softmax", "sum_all", softmax_sum_all, "axis=0"),
    Wrong("softmax", "global_max", softmax_global_max, "each column"),
    Wrong("softmax", "max_axis", softmax_max_of_rows, "axis=0"),
    Wrong("softmax", "not_normalised", softmax_divide_by_max, "sum"),
    Wrong("softmax", "not_normalised", softmax_not_normalised, "sum"),
    Wrong("softmax", "shift_reversed", softmax_shift_reversed, "Z - "),
    Wrong("softmax", "log_softmax", softmax_log, "log"),
    Wrong("softmax", "loop_off_by_one", softmax_loop_off_by_one, "range"),
    Wrong("softmax", "returned_none", softmax_no_return, "return"),
    Wrong("softmax", "axis", softmax_sum_no_keepdims_rows, "axis=0"),
    Wrong("softmax", "sum_of_Z", softmax_divide_by_sum_of_Z, "exp"),
    Wrong("softmax", "shape", softmax_max_reduces),
]


def softmax_right_no_keepdims(Z):
    E = np.exp(Z - Z.max(axis=0))
    return E / E.sum(axis=0)


def softmax_right_scipy(Z):
    return scipy.special.softmax(Z, axis=0)


def softmax_right_logsumexp(Z):
    return np.exp(Z - scipy.special.logsumexp(Z, axis=0, keepdims=True))


def softmax_right_columns(Z):
    P = np.empty_like(Z)
    for j in range(Z.shape[1]):
        e = np.exp(Z[:, j] - np.max(Z[:, j]))
        P[:, j] = e / np.sum(e)
    return P


def softmax_right_float32(Z):
    Z = Z.astype(np.float32)
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)


def softmax_right_transpose_rows(Z):
    R = Z.T
    E = np.exp(R - R.max(axis=1, keepdims=True))
    return (E / E.sum(axis=1, keepdims=True)).T


RIGHT_SOFTMAX = [
    Right("softmax", softmax_right_no_keepdims),
    Right("softmax", softmax_right_scipy),
    Right("softmax", softmax_right_logsumexp),
    Right("softmax", softmax_right_columns),
    Right("softmax", softmax_right_float32),
    Right("softmax", softmax_right_transpose_rows),
]

WRONG = WRONG_MATVEC + WRONG_SOFTMAX_JACOBIAN + WRONG_SOFTMAX
RIGHT = RIGHT_MATVEC + RIGHT_SOFTMAX_JACOBIAN + RIGHT_SOFTMAX
