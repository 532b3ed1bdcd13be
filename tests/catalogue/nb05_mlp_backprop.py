"""Answers to notebook 05's exercises: softmax_cross_entropy, mlp_loss_and_grads, sgd_loop."""

import numpy as np

from helpers import layers
from tests.catalogue import Right, Wrong

# -- softmax_cross_entropy: the mean loss and dZ = (softmax(Z) - Y) / m --------------------------


def _stable_log_probs(Z):
    shifted = Z - Z.max(axis=0, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))


def sce_naive(Z, Y):
    m = Z.shape[1]
    P = np.exp(Z) / np.exp(Z).sum(axis=0, keepdims=True)
    return -np.sum(Y * np.log(P)) / m, (P - Y) / m


def sce_naive_dZ_only(Z, Y):
    m = Z.shape[1]
    loss = -np.sum(Y * _stable_log_probs(Z)) / m
    P = np.exp(Z) / np.sum(np.exp(Z), axis=0)  # the stable form for the loss only
    return loss, (P - Y) / m


def sce_log_of_softmax(Z, Y):
    m = Z.shape[1]
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    P = E / E.sum(axis=0, keepdims=True)
    return -np.sum(Y * np.log(P)) / m, (P - Y) / m


def sce_log_epsilon(Z, Y):
    m = Z.shape[1]
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    P = E / E.sum(axis=0, keepdims=True)
    return -np.sum(Y * np.log(P + 1e-12)) / m, (P - Y) / m


def sce_clip(Z, Y):
    m = Z.shape[1]
    E = np.exp(Z - np.max(Z, axis=0))
    P = E / np.sum(E, axis=0)
    return float(-np.mean(np.sum(Y * np.log(np.clip(P, 1e-15, 1.0)), axis=0))), (P - Y) / m


def sce_shift_global(Z, Y):
    m = Z.shape[1]
    E = np.exp(Z - np.max(Z))  # one shift for the whole batch
    P = E / E.sum(axis=0, keepdims=True)
    return -np.sum(Y * np.log(P)) / m, (P - Y) / m


def sce_shift_rows(Z, Y):
    m = Z.shape[1]
    shifted = Z - Z.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    return -np.sum(Y * log_probs) / m, (np.exp(log_probs) - Y) / m


def sce_softmax_rows(Z, Y):
    m = Z.shape[1]
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    P = E / E.sum(axis=1, keepdims=True)
    return -np.sum(Y * np.log(P)) / m, (P - Y) / m


def sce_summed(Z, Y):
    log_probs = _stable_log_probs(Z)
    return -np.sum(Y * log_probs), (np.exp(log_probs) - Y) / Z.shape[1]


def sce_summed_both(Z, Y):
    log_probs = _stable_log_probs(Z)
    return -np.sum(Y * log_probs), np.exp(log_probs) - Y


def sce_mean_all(Z, Y):
    log_probs = _stable_log_probs(Z)
    return -np.mean(Y * log_probs), (np.exp(log_probs) - Y) / Z.shape[1]


def sce_mean_all_dZ(Z, Y):
    log_probs = _stable_log_probs(Z)
    loss = -np.sum(Y * log_probs) / Z.shape[1]
    return loss, (np.exp(log_probs) - Y) / Z.size


def sce_labels_ignored(Z, Y):
    log_probs = _stable_log_probs(Z)
    return -np.sum(log_probs) / Z.shape[1], (np.exp(log_probs) - Y) / Z.shape[1]


def sce_no_Y(Z, Y):
    log_probs = _stable_log_probs(Z)
    return -np.sum(Y * log_probs) / Z.shape[1], np.exp(log_probs) / Z.shape[1]


def sce_dZ_sign(Z, Y):
    log_probs = _stable_log_probs(Z)
    return -np.sum(Y * log_probs) / Z.shape[1], (Y - np.exp(log_probs)) / Z.shape[1]


def sce_loss_sign(Z, Y):
    log_probs = _stable_log_probs(Z)
    return np.sum(Y * log_probs) / Z.shape[1], (np.exp(log_probs) - Y) / Z.shape[1]


def sce_missing_m_dZ(Z, Y):
    log_probs = _stable_log_probs(Z)
    return -np.sum(Y * log_probs) / Z.shape[1], np.exp(log_probs) - Y


def sce_precedence(Z, Y):
    m = Z.shape[1]
    log_probs = _stable_log_probs(Z)
    return -np.sum(Y * log_probs) / m, np.exp(log_probs) - Y / m


def sce_order(Z, Y):
    log_probs = _stable_log_probs(Z)
    m = Z.shape[1]
    return (np.exp(log_probs) - Y) / m, -np.sum(Y * log_probs) / m


def sce_per_example(Z, Y):
    log_probs = _stable_log_probs(Z)
    m = Z.shape[1]
    return -np.sum(Y * log_probs, axis=0), (np.exp(log_probs) - Y) / m


def sce_no_return(Z, Y):
    log_probs = _stable_log_probs(Z)
    loss = -np.sum(Y * log_probs) / Z.shape[1]  # noqa: F841
    dZ = (np.exp(log_probs) - Y) / Z.shape[1]  # noqa: F841


WRONG_SCE = [
    Wrong("softmax_cross_entropy", "overflow", sce_naive, "Z.max(axis=0"),
    Wrong("softmax_cross_entropy", "overflow", sce_naive_dZ_only, "overflowed"),
    Wrong("softmax_cross_entropy", "log_underflow", sce_log_of_softmax, "underflowed"),
    Wrong("softmax_cross_entropy", "log_epsilon", sce_log_epsilon, "epsilon"),
    Wrong("softmax_cross_entropy", "log_epsilon", sce_clip),
    Wrong("softmax_cross_entropy", "shift_all", sce_shift_global, "own largest score"),
    Wrong("softmax_cross_entropy", "shift_axis", sce_shift_rows, "axis=0"),
    Wrong("softmax_cross_entropy", "softmax_axis", sce_softmax_rows, "axis=0"),
    Wrong("softmax_cross_entropy", "summed_loss", sce_summed, "mean"),
    Wrong("softmax_cross_entropy", "summed_loss", sce_summed_both),
    Wrong("softmax_cross_entropy", "mean_over_all", sce_mean_all, "examples only"),
    Wrong("softmax_cross_entropy", "mean_over_all", sce_mean_all_dZ),
    Wrong("softmax_cross_entropy", "labels_ignored", sce_labels_ignored, "Y"),
    Wrong("softmax_cross_entropy", "no_Y", sce_no_Y),
    Wrong("softmax_cross_entropy", "sign", sce_dZ_sign),
    Wrong("softmax_cross_entropy", "sign", sce_loss_sign),
    Wrong("softmax_cross_entropy", "missing_1/m", sce_missing_m_dZ),
    Wrong("softmax_cross_entropy", "precedence", sce_precedence, "brackets"),
    # engine: check_type runs before check_order, so (dZ, loss) is told "you returned a single
    # number for dZ" instead of "outputs in another order" (want "output_order")
    Wrong("softmax_cross_entropy", None, sce_order),
    Wrong("softmax_cross_entropy", "per_example", sce_per_example, "mean"),
    Wrong("softmax_cross_entropy", "returned_none", sce_no_return),
]


def sce_right_logsumexp(Z, Y):
    M = Z.max(axis=0)
    log_sum = M + np.log(np.sum(np.exp(Z - M), axis=0))  # log sum exp, shifted back
    log_probs = Z - log_sum
    m = Z.shape[1]
    return float(-np.einsum("ij,ij->", Y, log_probs) / m), (np.exp(log_probs) - Y) / m


def sce_right_labels(Z, Y):
    m = Z.shape[1]
    labels = Y.argmax(axis=0)
    shifted = Z - Z.max(axis=0, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    loss = -log_probs[labels, np.arange(m)].mean()
    dZ = np.exp(log_probs)
    dZ[labels, np.arange(m)] -= 1
    return loss, dZ / m


def sce_right_float32(Z, Y):
    Z32, Y32 = Z.astype(np.float32), Y.astype(np.float32)
    shifted = Z32 - Z32.max(axis=0, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    m = Z.shape[1]
    return np.float32(-(Y32 * log_probs).sum(axis=0).mean()), (np.exp(log_probs) - Y32) / m


def sce_right_bool_index(Z, Y):
    m = Z.shape[1]
    log_probs = _stable_log_probs(Z)
    P = np.exp(log_probs)
    return -np.mean(log_probs[Y.astype(bool)]), np.subtract(P, Y) / m


def sce_right_loop(Z, Y):
    n, m = Z.shape
    loss, dZ = 0.0, np.zeros_like(Z)
    for i in range(m):  # one example (column) at a time
        z = Z[:, i] - np.max(Z[:, i])
        log_p = z - np.log(np.sum(np.exp(z)))
        loss -= Y[:, i] @ log_p / m
        dZ[:, i] = (np.exp(log_p) - Y[:, i]) / m
    return loss, dZ


RIGHT_SCE = [
    Right("softmax_cross_entropy", sce_right_logsumexp),
    Right("softmax_cross_entropy", sce_right_labels),
    Right("softmax_cross_entropy", sce_right_float32),
    Right("softmax_cross_entropy", sce_right_bool_index),
    Right("softmax_cross_entropy", sce_right_loop),
]


# -- mlp_loss_and_grads: loss_and_grads_mine(X, Y, Ws, bs) -> (loss, dW1, db1, ..., dWL, dbL) --


def _forward(X, Ws, bs):
    As, Zs = [X], [None]
    for W, b in zip(Ws, bs):
        Zs.append(W @ As[-1] + b)
        As.append(np.maximum(Zs[-1], 0))
    return As, Zs


def _backward(X, Y, Ws, bs, mask=None, W_of=None, A_of=None, step=None):
    """The right backward pass, with hooks for one slip at a time."""
    L = len(Ws)
    As, Zs = _forward(X, Ws, bs)
    loss, dZ = layers.softmax_cross_entropy(Zs[L], Y)
    grads = []
    for l in range(L, 0, -1):
        A_prev = As[l - 1] if A_of is None else A_of(As, l)
        grads = [dZ @ A_prev.T, dZ.sum(axis=1, keepdims=True)] + grads
        if l > 1:
            W = Ws[l - 1].T if W_of is None else W_of(Ws, l)
            dZ = (W @ dZ) * (Zs[l - 1] > 0 if mask is None else mask(Zs, As, l))
    return (loss, *grads)


def mlp_mask_of_Z_L(X, Y, Ws, bs):
    return _backward(X, Y, Ws, bs, mask=lambda Zs, As, l: Zs[-1] > 0)  # the seed's g'(Z[L])


def mlp_mask_of_this_layer(X, Y, Ws, bs):
    return _backward(X, Y, Ws, bs, mask=lambda Zs, As, l: Zs[l] > 0)


def mlp_mask_from_A_ge(X, Y, Ws, bs):
    return _backward(X, Y, Ws, bs, mask=lambda Zs, As, l: As[l - 1] >= 0)  # always true


def mlp_mask_ge(X, Y, Ws, bs):
    return _backward(X, Y, Ws, bs, mask=lambda Zs, As, l: Zs[l - 1] >= 0)


def mlp_sigmoid_slope(X, Y, Ws, bs):
    return _backward(X, Y, Ws, bs, mask=lambda Zs, As, l: As[l - 1] * (1 - As[l - 1]))


def mlp_Z_for_A(X, Y, Ws, bs):
    return _backward(
        X, Y, Ws, bs, A_of=lambda As, l: X if l == 1 else _forward(X, Ws, bs)[1][l - 1]
    )


def mlp_W_not_transposed(X, Y, Ws, bs):
    return _backward(X, Y, Ws, bs, W_of=lambda Ws, l: Ws[l - 1])


def mlp_A_of_this_layer(X, Y, Ws, bs):
    return _backward(X, Y, Ws, bs, A_of=lambda As, l: As[l])


def mlp_relu_on_output(X, Y, Ws, bs):
    L = len(Ws)
    As, Zs = _forward(X, Ws, bs)
    loss, dA = layers.softmax_cross_entropy(As[L], Y)  # A[L] = relu(Z[L]) fed to the softmax
    dZ = dA * (Zs[L] > 0)
    grads = []
    for l in range(L, 0, -1):
        grads = [dZ @ As[l - 1].T, dZ.sum(axis=1, keepdims=True)] + grads
        if l > 1:
            dZ = (Ws[l - 1].T @ dZ) * (Zs[l - 1] > 0)
    return (loss, *grads)


def mlp_no_bias(X, Y, Ws, bs):
    return _backward(X, Y, Ws, [np.zeros_like(b) for b in bs])


def mlp_reverse_layers(X, Y, Ws, bs):
    out = _backward(X, Y, Ws, bs)
    grads = []
    for l in range(len(Ws), 0, -1):  # appended while walking backward: layer L first
        grads += [out[2 * l - 1], out[2 * l]]
    return (out[0], *grads)


def mlp_db_dW_swapped(X, Y, Ws, bs):
    out = _backward(X, Y, Ws, bs)
    grads = []
    for l in range(1, len(Ws) + 1):
        grads += [out[2 * l], out[2 * l - 1]]
    return (out[0], *grads)


def mlp_own_softmax_no_m(X, Y, Ws, bs):
    L = len(Ws)
    As, Zs = _forward(X, Ws, bs)
    shifted = Zs[L] - Zs[L].max(axis=0, keepdims=True)
    P = np.exp(shifted) / np.exp(shifted).sum(axis=0, keepdims=True)
    loss = -np.mean(np.sum(Y * np.log(P), axis=0))
    dZ = P - Y  # the 1/m forgotten
    grads = []
    for l in range(L, 0, -1):
        grads = [dZ @ As[l - 1].T, dZ.sum(axis=1, keepdims=True)] + grads
        if l > 1:
            dZ = (Ws[l - 1].T @ dZ) * (Zs[l - 1] > 0)
    return (loss, *grads)


def mlp_stray_m(X, Y, Ws, bs):
    L = len(Ws)
    m = X.shape[1]
    As, Zs = _forward(X, Ws, bs)
    loss, dZ = layers.softmax_cross_entropy(Zs[L], Y)  # dZ has its 1/m already
    grads = []
    for l in range(L, 0, -1):
        grads = [dZ @ As[l - 1].T / m, np.mean(dZ, axis=1, keepdims=True)] + grads
        if l > 1:
            dZ = (Ws[l - 1].T @ dZ) * (Zs[l - 1] > 0)
    return (loss, *grads)


def mlp_db_axis0(X, Y, Ws, bs):
    out = list(_backward(X, Y, Ws, bs))
    L = len(Ws)
    As, Zs = _forward(X, Ws, bs)
    _, dZ = layers.softmax_cross_entropy(Zs[L], Y)
    out[2 * L] = dZ.sum(axis=0, keepdims=True)
    return tuple(out)


def mlp_db_no_keepdims(X, Y, Ws, bs):
    out = _backward(X, Y, Ws, bs)
    return (out[0], *(g.ravel() if i % 2 == 1 else g for i, g in enumerate(out[1:])))


def mlp_softmax_rows(X, Y, Ws, bs):
    L = len(Ws)
    m = X.shape[1]
    As, Zs = _forward(X, Ws, bs)
    E = np.exp(Zs[L] - Zs[L].max(axis=1, keepdims=True))
    P = E / E.sum(axis=1, keepdims=True)  # over the examples of each class
    loss = -np.sum(Y * np.log(P)) / m
    dZ = (P - Y) / m
    grads = []
    for l in range(L, 0, -1):
        grads = [dZ @ As[l - 1].T, dZ.sum(axis=1, keepdims=True)] + grads
        if l > 1:
            dZ = (Ws[l - 1].T @ dZ) * (Zs[l - 1] > 0)
    return (loss, *grads)


def mlp_summed_loss(X, Y, Ws, bs):
    out = _backward(X, Y, Ws, bs)
    return (out[0] * X.shape[1], *out[1:])


def mlp_grads_only(X, Y, Ws, bs):
    return _backward(X, Y, Ws, bs)[1:]


def mlp_grads_as_list(X, Y, Ws, bs):
    out = _backward(X, Y, Ws, bs)
    return out[0], list(out[1:])


def mlp_dict(X, Y, Ws, bs):
    out = _backward(X, Y, Ws, bs)
    L = len(Ws)
    grads = {f"d{p}{l}": out[2 * l - 1 + (p == "b")] for l in range(1, L + 1) for p in "Wb"}
    return out[0], grads


WRONG_MLP = [
    Wrong("mlp_loss_and_grads", "mask_of_Z_L", mlp_mask_of_Z_L, "g'(Z[L])"),
    Wrong("mlp_loss_and_grads", "mask_of_this_layer", mlp_mask_of_this_layer, "layer l-1"),
    Wrong("mlp_loss_and_grads", "no_mask", mlp_mask_from_A_ge),
    Wrong("mlp_loss_and_grads", "mask_ge", mlp_mask_ge, "1[Z[l-1] > 0]"),
    Wrong("mlp_loss_and_grads", "sigmoid_slope", mlp_sigmoid_slope, "ReLU"),
    Wrong("mlp_loss_and_grads", "Z_for_A", mlp_Z_for_A, "relu(Z[l-1])"),
    Wrong("mlp_loss_and_grads", "W_not_transposed", mlp_W_not_transposed, "W[l].T"),
    Wrong("mlp_loss_and_grads", "A_of_this_layer", mlp_A_of_this_layer, "A[l-1]"),
    Wrong("mlp_loss_and_grads", "relu_on_output", mlp_relu_on_output, "no ReLU"),
    Wrong("mlp_loss_and_grads", "no_bias", mlp_no_bias),
    Wrong("mlp_loss_and_grads", "output_order", mlp_reverse_layers, "dW1, db1"),
    Wrong("mlp_loss_and_grads", "output_order", mlp_db_dW_swapped),
    Wrong("mlp_loss_and_grads", "missing_1/m", mlp_own_softmax_no_m),
    Wrong("mlp_loss_and_grads", "stray_1/m", mlp_stray_m),
    Wrong("mlp_loss_and_grads", "sum_axis", mlp_db_axis0),
    Wrong("mlp_loss_and_grads", "keepdims", mlp_db_no_keepdims),
    Wrong("mlp_loss_and_grads", "softmax_axis", mlp_softmax_rows, "axis=0"),
    Wrong("mlp_loss_and_grads", "summed_loss", mlp_summed_loss, "mean"),
    Wrong("mlp_loss_and_grads", "output_count", mlp_grads_only, "(loss, dW1"),
    Wrong("mlp_loss_and_grads", "output_count", mlp_grads_as_list),
    Wrong("mlp_loss_and_grads", "output_count", mlp_dict),
]


def mlp_right_gates(X, Y, Ws, bs):
    """With the course's gates: affine and ReLU forward, then their backward in reverse."""
    caches, A = [], X
    for l, (W, b) in enumerate(zip(Ws, bs), start=1):
        Z, affine_cache = layers.affine_forward(A, W, b)
        A, relu_cache = layers.relu_forward(Z) if l < len(Ws) else (Z, None)
        caches.append((affine_cache, relu_cache))
    loss, dZ = layers.softmax_cross_entropy(A, Y)
    grads, dA = [], None
    for affine_cache, relu_cache in reversed(caches):
        if relu_cache is not None:
            dZ = layers.relu_backward(dA, relu_cache)
        dA, dW, db = layers.affine_backward(dZ, affine_cache)
        grads[:0] = [dW, db]
    return (loss, *grads)


def mlp_right_mask_of_A(X, Y, Ws, bs):
    return _backward(X, Y, Ws, bs, mask=lambda Zs, As, l: As[l - 1] > 0)


def mlp_right_float32(X, Y, Ws, bs):
    X = X.astype(np.float32)
    Ws = [W.astype(np.float32) for W in Ws]
    bs = [b.astype(np.float32) for b in bs]
    out = _backward(X, Y.astype(np.float32), Ws, bs)
    return (np.float32(out[0]), *(g.astype(np.float32) for g in out[1:]))


def mlp_right_einsum_where(X, Y, Ws, bs):
    L, m = len(Ws), X.shape[1]
    As, Zs = _forward(X, Ws, bs)
    shifted = Zs[L] - Zs[L].max(axis=0)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=0))
    loss = -np.einsum("km,km->", Y, log_p) / m
    dZ = (np.exp(log_p) - Y) / m
    grads = {}
    for l in reversed(range(1, L + 1)):
        grads[l] = (np.einsum("im,jm->ij", dZ, As[l - 1]), dZ.sum(1)[:, np.newaxis])
        if l > 1:
            dZ = np.where(Zs[l - 1] > 0, Ws[l - 1].T @ dZ, 0.0)
    return (loss, *(g for l in range(1, L + 1) for g in grads[l]))


def mlp_right_recursive(X, Y, Ws, bs):
    def layer(l, A_prev):
        """Loss, dA_prev and the grads of layers l..L, given the input A_prev of layer l."""
        Z = Ws[l] @ A_prev + bs[l]
        if l == len(Ws) - 1:
            loss, dZ = layers.softmax_cross_entropy(Z, Y)
            grads = []
        else:
            loss, dA, grads = layer(l + 1, np.maximum(Z, 0))
            dZ = dA * np.heaviside(Z, 0.0)
        return loss, Ws[l].T @ dZ, [dZ @ A_prev.T, dZ.sum(axis=1, keepdims=True)] + grads

    loss, _, grads = layer(0, X)
    return (loss, *grads)


RIGHT_MLP = [
    Right("mlp_loss_and_grads", mlp_right_gates),
    Right("mlp_loss_and_grads", mlp_right_mask_of_A),
    Right("mlp_loss_and_grads", mlp_right_float32),
    Right("mlp_loss_and_grads", mlp_right_einsum_where),
    Right("mlp_loss_and_grads", mlp_right_recursive),
]


# -- sgd_loop: mini-batch SGD, step for step as MLP.fit ------------------------------------------


def sgd_no_shuffle(model, X, Y, epochs, lr, batch_size, seed):
    m, losses = X.shape[1], []
    for _ in range(epochs):
        for start in range(0, m, batch_size):
            loss, grads = model.loss_and_grads(
                X[:, start : start + batch_size], Y[:, start : start + batch_size]
            )
            model.sgd_step(grads, lr)
            losses.append(loss)
    return losses


def sgd_unpaired(model, X, Y, epochs, lr, batch_size, seed):
    rng = np.random.default_rng(seed)
    m, losses = X.shape[1], []
    for _ in range(epochs):
        X_shuffled = X[:, rng.permutation(m)]
        Y_shuffled = Y[:, rng.permutation(m)]  # a second, different permutation
        for start in range(0, m, batch_size):
            end = start + batch_size
            loss, grads = model.loss_and_grads(X_shuffled[:, start:end], Y_shuffled[:, start:end])
            model.sgd_step(grads, lr)
            losses.append(loss)
    return losses


def sgd_Y_not_shuffled(model, X, Y, epochs, lr, batch_size, seed):
    rng = np.random.default_rng(seed)
    m, losses = X.shape[1], []
    for _ in range(epochs):
        order = rng.permutation(m)
        X_epoch = X[:, order]
        for start in range(0, m, batch_size):
            end = start + batch_size
            loss, grads = model.loss_and_grads(X_epoch[:, start:end], Y[:, start:end])
            model.sgd_step(grads, lr)
            losses.append(loss)
    return losses


def sgd_drop_last(model, X, Y, epochs, lr, batch_size, seed):
    rng = np.random.default_rng(seed)
    m, losses = X.shape[1], []
    for _ in range(epochs):
        order = rng.permutation(m)
        for b in range(m // batch_size):  # whole batches only
            batch = order[b * batch_size : (b + 1) * batch_size]
            loss, grads = model.loss_and_grads(X[:, batch], Y[:, batch])
            model.sgd_step(grads, lr)
            losses.append(loss)
    return losses


def sgd_double_last(model, X, Y, epochs, lr, batch_size, seed):
    rng = np.random.default_rng(seed)
    m, losses = X.shape[1], []
    for _ in range(epochs):
        order = rng.permutation(m)
        batches = [order[s : s + batch_size] for s in range(0, m, batch_size)]
        if m % batch_size:  # "and the remainder", which the slices above already hold
            batches.append(order[-(m % batch_size) :])
        for batch in batches:
            loss, grads = model.loss_and_grads(X[:, batch], Y[:, batch])
            model.sgd_step(grads, lr)
            losses.append(loss)
    return losses


def sgd_empty_last(model, X, Y, epochs, lr, batch_size, seed):
    rng = np.random.default_rng(seed)
    m, losses = X.shape[1], []
    for _ in range(epochs):
        order = rng.permutation(m)
        for b in range(m // batch_size + 1):  # one more for the remainder, even when there is none
            batch = order[b * batch_size : (b + 1) * batch_size]
            loss, grads = model.loss_and_grads(X[:, batch], Y[:, batch])
            model.sgd_step(grads, lr)
            losses.append(loss)
    return losses


def sgd_ascent(model, X, Y, epochs, lr, batch_size, seed):
    rng = np.random.default_rng(seed)
    m, losses = X.shape[1], []
    for _ in range(epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            batch = order[start : start + batch_size]
            loss, grads = model.loss_and_grads(X[:, batch], Y[:, batch])
            for name in model.params:
                model.params[name] += lr * grads["d" + name]
            losses.append(loss)
    return losses


def sgd_lagged(model, X, Y, epochs, lr, batch_size, seed):
    rng = np.random.default_rng(seed)
    m, losses, grads = X.shape[1], [], None
    for _ in range(epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            batch = order[start : start + batch_size]
            if grads is not None:  # update first ... with the gradients of the step before
                model.sgd_step(grads, lr)
            loss, grads = model.loss_and_grads(X[:, batch], Y[:, batch])
            losses.append(loss)
    return losses


def sgd_double_step(model, X, Y, epochs, lr, batch_size, seed):
    rng = np.random.default_rng(seed)
    m, losses = X.shape[1], []
    for _ in range(epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            batch = order[start : start + batch_size]
            loss, grads = model.loss_and_grads(X[:, batch], Y[:, batch])
            model.sgd_step(grads, lr)
            for name, value in model.params.items():  # and once more by hand
                value -= lr * grads["d" + name]
            losses.append(loss)
    return losses


def sgd_lr_squared(model, X, Y, epochs, lr, batch_size, seed):
    rng = np.random.default_rng(seed)
    m, losses = X.shape[1], []
    for _ in range(epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            batch = order[start : start + batch_size]
            loss, grads = model.loss_and_grads(X[:, batch], Y[:, batch])
            steps = {name: lr * g for name, g in grads.items()}
            model.sgd_step(steps, lr)
            losses.append(loss)
    return losses


def sgd_lr_over_batch(model, X, Y, epochs, lr, batch_size, seed):
    rng = np.random.default_rng(seed)
    m, losses = X.shape[1], []
    for _ in range(epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            batch = order[start : start + batch_size]
            loss, grads = model.loss_and_grads(X[:, batch], Y[:, batch])
            for name in model.params:
                model.params[name] -= lr / batch_size * grads["d" + name]  # "average the batch"
            losses.append(loss)
    return losses


def sgd_whole_set_loss(model, X, Y, epochs, lr, batch_size, seed):
    rng = np.random.default_rng(seed)
    m, losses = X.shape[1], []
    for _ in range(epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            batch = order[start : start + batch_size]
            _, grads = model.loss_and_grads(X[:, batch], Y[:, batch])
            model.sgd_step(grads, lr)
            losses.append(model.loss(X, Y))
    return losses


def sgd_loss_after_step(model, X, Y, epochs, lr, batch_size, seed):
    rng = np.random.default_rng(seed)
    m, losses = X.shape[1], []
    for _ in range(epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            Xb, Yb = (
                X[:, order[start : start + batch_size]],
                Y[:, order[start : start + batch_size]],
            )
            _, grads = model.loss_and_grads(Xb, Yb)
            model.sgd_step(grads, lr)
            losses.append(model.loss(Xb, Yb))
    return losses


def sgd_new_generator_each_epoch(model, X, Y, epochs, lr, batch_size, seed):
    m, losses = X.shape[1], []
    for _ in range(epochs):
        rng = np.random.default_rng(seed)  # the same order again, every epoch
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            batch = order[start : start + batch_size]
            loss, grads = model.loss_and_grads(X[:, batch], Y[:, batch])
            model.sgd_step(grads, lr)
            losses.append(loss)
    return losses


def sgd_legacy_global_seed(model, X, Y, epochs, lr, batch_size, seed):
    np.random.seed(seed)
    m, losses = X.shape[1], []
    for _ in range(epochs):
        order = np.random.permutation(m)
        for start in range(0, m, batch_size):
            batch = order[start : start + batch_size]
            loss, grads = model.loss_and_grads(X[:, batch], Y[:, batch])
            model.sgd_step(grads, lr)
            losses.append(loss)
    return losses


def sgd_seed_ignored(model, X, Y, epochs, lr, batch_size, seed=0):
    rng = np.random.default_rng(0)
    m, losses = X.shape[1], []
    for _ in range(epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            batch = order[start : start + batch_size]
            loss, grads = model.loss_and_grads(X[:, batch], Y[:, batch])
            model.sgd_step(grads, lr)
            losses.append(loss)
    return losses


def sgd_mean_per_epoch(model, X, Y, epochs, lr, batch_size, seed):
    rng = np.random.default_rng(seed)
    m, losses = X.shape[1], []
    for _ in range(epochs):
        order = rng.permutation(m)
        epoch_losses = []
        for start in range(0, m, batch_size):
            batch = order[start : start + batch_size]
            loss, grads = model.loss_and_grads(X[:, batch], Y[:, batch])
            model.sgd_step(grads, lr)
            epoch_losses.append(loss)
        losses.append(np.mean(epoch_losses))
    return losses


def sgd_with_replacement(model, X, Y, epochs, lr, batch_size, seed):
    rng = np.random.default_rng(seed)
    m, losses = X.shape[1], []
    for _ in range(epochs * -(-m // batch_size)):
        batch = rng.integers(0, m, batch_size)  # examples drawn with replacement
        loss, grads = model.loss_and_grads(X[:, batch], Y[:, batch])
        model.sgd_step(grads, lr)
        losses.append(loss)
    return losses


def sgd_forgot_return(model, X, Y, epochs, lr, batch_size, seed):
    rng = np.random.default_rng(seed)
    m, losses = X.shape[1], []
    for _ in range(epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            batch = order[start : start + batch_size]
            loss, grads = model.loss_and_grads(X[:, batch], Y[:, batch])
            model.sgd_step(grads, lr)
            losses.append(loss)


WRONG_SGD = [
    Wrong("sgd_loop", "no_shuffle", sgd_no_shuffle, "shuffle"),
    Wrong("sgd_loop", "unpaired", sgd_unpaired, "two different permutations"),
    Wrong("sgd_loop", "Y_not_shuffled", sgd_Y_not_shuffled, "but not those of Y"),
    Wrong("sgd_loop", "drop_last", sgd_drop_last, "last, smaller batch"),
    Wrong("sgd_loop", "double_last", sgd_double_last, "twice"),
    Wrong("sgd_loop", "raised", sgd_empty_last),
    Wrong("sgd_loop", "ascent", sgd_ascent, "wrong sign"),
    Wrong("sgd_loop", "lagged", sgd_lagged, "step before"),
    Wrong("sgd_loop", "double_step", sgd_double_step, "twice"),
    Wrong("sgd_loop", "lr_squared", sgd_lr_squared, "lr * lr"),
    Wrong("sgd_loop", "lr_over_batch", sgd_lr_over_batch, "batch size"),
    Wrong("sgd_loop", "whole_after", sgd_whole_set_loss, "whole data set"),
    Wrong("sgd_loop", "loss_after_step", sgd_loss_after_step, "after each update"),
    Wrong("sgd_loop", "same_order", sgd_new_generator_each_epoch, "same order"),
    Wrong("sgd_loop", "legacy_rng", sgd_legacy_global_seed, "np.random.seed"),
    Wrong("sgd_loop", "seed_ignored", sgd_seed_ignored, "default_rng(seed)"),
    Wrong("sgd_loop", "per_epoch", sgd_mean_per_epoch, "one per batch"),
    Wrong("sgd_loop", "first_step", sgd_with_replacement, "first batch"),
    Wrong("sgd_loop", "returned_none", sgd_forgot_return, "return"),
]


def sgd_right_like_fit(model, X, Y, epochs, lr, batch_size, seed):
    rng = np.random.default_rng(seed)
    m, losses = X.shape[1], []
    for _ in range(epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            batch = order[start : start + batch_size]
            loss, grads = model.loss_and_grads(X[:, batch], Y[:, batch])
            for name in model.params:
                model.params[name] -= lr * grads["d" + name]
            losses.append(loss)
    return losses


def sgd_right_shuffle_in_place(model, X, Y, epochs, lr, batch_size, seed):
    rng = np.random.default_rng(seed)
    m, losses = X.shape[1], []
    order = np.arange(m)
    for _ in range(epochs):
        rng.shuffle(order)  # the same draws as rng.permutation(m) ... from the identity only
        order_epoch = order.copy()
        order[:] = np.arange(m)
        for start in range(0, m, batch_size):
            batch = order_epoch[start : start + batch_size]
            loss, grads = model.loss_and_grads(X[:, batch], Y[:, batch])
            model.sgd_step(grads, lr)
            losses.append(float(loss))
    return np.array(losses)


def sgd_right_array_split(model, X, Y, epochs, lr, batch_size, seed):
    rng = np.random.default_rng(seed)
    m = X.shape[1]
    losses = []
    for _ in range(epochs):
        order = rng.permutation(m)
        for batch in np.array_split(order, range(batch_size, m, batch_size)):
            loss, grads = model.loss_and_grads(np.take(X, batch, axis=1), np.take(Y, batch, axis=1))
            model.params = {k: v - lr * grads["d" + k] for k, v in model.params.items()}
            losses.append(loss)
    return losses


def sgd_right_generator(model, X, Y, epochs, lr, batch_size, seed):
    def batches(rng, m):
        order = rng.permutation(m)
        while order.size:
            yield order[:batch_size]
            order = order[batch_size:]

    rng = np.random.default_rng(seed)
    history = []
    for _ in range(epochs):
        for batch in batches(rng, X.shape[1]):
            loss, grads = model.loss_and_grads(X[:, batch], Y[:, batch])
            model.sgd_step(grads, lr)
            history.append(loss)
    return history


RIGHT_SGD = [
    Right("sgd_loop", sgd_right_like_fit),
    Right("sgd_loop", sgd_right_shuffle_in_place),
    Right("sgd_loop", sgd_right_array_split),
    Right("sgd_loop", sgd_right_generator),
]


WRONG = WRONG_SCE + WRONG_MLP + WRONG_SGD
RIGHT = RIGHT_SCE + RIGHT_MLP + RIGHT_SGD
