"""Answers to notebook 00's exercises: one_hot, affine_forward."""

import numpy as np

from tests.catalogue import Right, Wrong

# -- one_hot ------------------------------------------------------------------------------------


def one_hot_rows_from_labels(labels, n_classes):
    Y = np.zeros((labels.max() + 1, labels.size))
    Y[labels, np.arange(labels.size)] = 1.0
    return Y


def one_hot_eye_from_labels(labels, n_classes):
    return np.eye(labels.max() + 1)[:, labels]


def one_hot_whole_rows(labels, n_classes):
    Y = np.zeros((n_classes, labels.size))
    Y[labels] = 1.0
    return Y


def one_hot_minus_one(labels, n_classes):
    Y = np.zeros((n_classes, labels.size))
    Y[labels - 1, np.arange(labels.size)] = 1.0
    return Y


def one_hot_plus_one(labels, n_classes):
    Y = np.zeros((n_classes + 1, labels.size))
    Y[labels + 1, np.arange(labels.size)] = 1.0
    return Y[:n_classes]


def one_hot_examples_as_rows(labels, n_classes):
    Y = np.zeros((labels.size, n_classes))
    Y[np.arange(labels.size), labels] = 1.0
    return Y


def one_hot_eye_rows(labels, n_classes):
    return np.eye(n_classes)[labels]


def one_hot_indices_swapped(labels, n_classes):
    Y = np.zeros((n_classes, labels.size))
    Y[np.arange(labels.size), labels] = 1.0
    return Y


def one_hot_chained_index(labels, n_classes):
    Y = np.zeros((n_classes, labels.size))
    Y[labels][np.arange(labels.size)] = 1.0
    return Y


def one_hot_label_columns(labels, n_classes):
    Y = np.zeros((n_classes, labels.size))
    Y[:, labels] = 1.0
    return Y


def one_hot_loop_off_by_one(labels, n_classes):
    Y = np.zeros((n_classes, labels.size))
    for j in range(labels.size - 1):
        Y[labels[j], j] = 1.0
    return Y


def one_hot_list(labels, n_classes):
    return [[1.0 if label == k else 0.0 for label in labels] for k in range(n_classes)]


def one_hot_compare_transposed(labels, n_classes):
    return (labels[:, None] == np.arange(n_classes)).astype(float)


def one_hot_no_return(labels, n_classes):
    Y = np.zeros((n_classes, labels.size))
    Y[labels, np.arange(labels.size)] = 1.0  # forgot the return


def one_hot_labels_as_values(labels, n_classes):
    Y = np.zeros((n_classes, labels.size))
    Y[labels, np.arange(labels.size)] = labels
    return Y


WRONG_ONE_HOT = [
    Wrong("one_hot", "n_classes_from_labels", one_hot_rows_from_labels, "n_classes"),
    Wrong("one_hot", "n_classes_from_labels", one_hot_eye_from_labels),
    Wrong("one_hot", "whole_rows", one_hot_whole_rows, "np.arange(m)"),
    Wrong("one_hot", "off_by_one", one_hot_minus_one, "row k"),
    Wrong("one_hot", "off_by_one", one_hot_plus_one, "row k"),
    Wrong("one_hot", "transposed", one_hot_examples_as_rows),
    Wrong("one_hot", "transposed", one_hot_eye_rows),
    Wrong("one_hot", "transposed", one_hot_compare_transposed),
    Wrong("one_hot", "swapped_indices", one_hot_indices_swapped, "Y[labels, np.arange(m)]"),
    Wrong("one_hot", "chained_index", one_hot_chained_index, "copy"),
    Wrong("one_hot", "label_columns", one_hot_label_columns),
    Wrong("one_hot", "loop_off_by_one", one_hot_loop_off_by_one, "range"),
    Wrong("one_hot", "not_an_array", one_hot_list, "list"),
    Wrong("one_hot", "returned_none", one_hot_no_return, "return"),
    Wrong("one_hot", "labels_as_values", one_hot_labels_as_values, "1"),
]


def one_hot_right_eye_columns(labels, n_classes):
    return np.eye(n_classes)[:, labels]


def one_hot_right_compare(labels, n_classes):
    return (np.arange(n_classes)[:, None] == labels).astype(float)


def one_hot_right_loop(labels, n_classes):
    Y = np.zeros((n_classes, len(labels)))
    for j, k in enumerate(labels):
        Y[k, j] = 1
    return Y


def one_hot_right_int(labels, n_classes):
    Y = np.zeros((n_classes, labels.shape[0]), dtype=int)
    Y[labels, range(labels.shape[0])] = 1
    return Y


def one_hot_right_float32_transposed_eye(labels, n_classes):
    return np.eye(n_classes, dtype=np.float32)[labels].T


def one_hot_right_bool(labels, n_classes):
    return np.arange(n_classes).reshape(-1, 1) == labels.reshape(1, -1)


RIGHT_ONE_HOT = [
    Right("one_hot", one_hot_right_eye_columns),
    Right("one_hot", one_hot_right_compare),
    Right("one_hot", one_hot_right_loop),
    Right("one_hot", one_hot_right_int),
    Right("one_hot", one_hot_right_float32_transposed_eye),
    Right("one_hot", one_hot_right_bool),
]

# -- affine_forward -----------------------------------------------------------------------------


def affine_no_bias(A_prev, W, b):
    Z = W @ A_prev
    return Z, (A_prev, W, b)


def affine_bias_not_assigned(A_prev, W, b):
    Z = W @ A_prev
    Z + b  # noqa: B018  (the sum is computed and thrown away)
    return Z, (A_prev, W, b)


def affine_bias_row(A_prev, W, b):
    Z = W @ A_prev + b.T
    return Z, (A_prev, W, b)


def affine_bias_ravel(A_prev, W, b):
    Z = W @ A_prev + b.ravel()
    return Z, (A_prev, W, b)


def affine_W_transposed(A_prev, W, b):
    Z = W.T @ A_prev + b
    return Z, (A_prev, W, b)


def affine_wrong_order(A_prev, W, b):
    Z = A_prev @ W + b
    return Z, (A_prev, W, b)


def affine_row_layout(A_prev, W, b):
    Z = A_prev.T @ W.T + b
    return Z, (A_prev, W, b)


def affine_row_layout_all_transposed(A_prev, W, b):
    Z = A_prev.T @ W.T + b.T
    return Z, (A_prev, W, b)


def affine_elementwise(A_prev, W, b):
    Z = W * A_prev + b
    return Z, (A_prev, W, b)


def affine_bias_subtracted(A_prev, W, b):
    Z = W @ A_prev - b
    return Z, (A_prev, W, b)


def affine_bias_summed(A_prev, W, b):
    Z = W @ A_prev + np.sum(b)
    return Z, (A_prev, W, b)


def affine_cache_order(A_prev, W, b):
    Z = W @ A_prev + b
    return Z, (W, A_prev, b)


def affine_cache_without_b(A_prev, W, b):
    Z = W @ A_prev + b
    return Z, (A_prev, W)


def affine_cache_with_Z(A_prev, W, b):
    Z = W @ A_prev + b
    return Z, (Z, W, b)


def affine_only_Z(A_prev, W, b):
    return W @ A_prev + b


def affine_outputs_swapped(A_prev, W, b):
    Z = W @ A_prev + b
    return (A_prev, W, b), Z


def affine_negative(A_prev, W, b):
    Z = -(W @ A_prev + b)
    return Z, (A_prev, W, b)


WRONG_AFFINE = [
    Wrong("affine_forward", "missing_bias", affine_no_bias, "bias"),
    Wrong("affine_forward", "missing_bias", affine_bias_not_assigned),
    Wrong("affine_forward", "bias_as_row", affine_bias_row, "column"),
    Wrong("affine_forward", "bias_as_row", affine_bias_ravel, "(n_out, 1)"),
    Wrong("affine_forward", "transposed_W", affine_W_transposed, "W @ A_prev"),
    Wrong("affine_forward", "wrong_order", affine_wrong_order, "W @ A_prev"),
    Wrong("affine_forward", "row_layout", affine_row_layout, "columns"),
    Wrong("affine_forward", "row_layout", affine_row_layout_all_transposed, "(n_out, m)"),
    Wrong("affine_forward", "elementwise", affine_elementwise, "matrix product"),
    Wrong("affine_forward", "bias_subtracted", affine_bias_subtracted, "+ b"),
    Wrong("affine_forward", "bias_sum", affine_bias_summed),
    Wrong("affine_forward", "cache_order", affine_cache_order, "(A_prev, W, b)"),
    Wrong("affine_forward", "cache", affine_cache_without_b, "tuple of 3"),
    Wrong("affine_forward", "cache", affine_cache_with_Z),
    Wrong("affine_forward", "output_count", affine_only_Z, "(Z, cache)"),
    # engine: the type check (a tuple where Z is due: "not_an_array") runs before the order
    # check, so outputs swapped with a cache among them are not named "output_order"
    Wrong("affine_forward", None, affine_outputs_swapped),
    Wrong("affine_forward", "sign", affine_negative),
]


def affine_right_dot(A_prev, W, b):
    return np.dot(W, A_prev) + b, (A_prev, W, b)


def affine_right_einsum(A_prev, W, b):
    return np.einsum("ij,jk->ik", W, A_prev) + b, (A_prev, W, b)


def affine_right_columns(A_prev, W, b):
    Z = np.zeros((W.shape[0], A_prev.shape[1]))
    for j in range(A_prev.shape[1]):
        Z[:, j] = W @ A_prev[:, j] + b[:, 0]
    return Z, (A_prev, W, b)


def affine_right_float32(A_prev, W, b):
    Z = (W.astype(np.float32) @ A_prev.astype(np.float32)) + b.astype(np.float32)
    return Z, (A_prev, W, b)


def affine_right_row_layout_transposed(A_prev, W, b):
    Z = (A_prev.T @ W.T + b.T).T
    return Z, [A_prev, W, b]


RIGHT_AFFINE = [
    Right("affine_forward", affine_right_dot),
    Right("affine_forward", affine_right_einsum),
    Right("affine_forward", affine_right_columns),
    Right("affine_forward", affine_right_float32),
    Right("affine_forward", affine_right_row_layout_transposed),
]

WRONG = WRONG_ONE_HOT + WRONG_AFFINE
RIGHT = RIGHT_ONE_HOT + RIGHT_AFFINE
