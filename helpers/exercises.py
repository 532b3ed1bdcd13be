"""Every exercise of the course, declared once: inputs, reference, outputs, m, and its mistakes.

A notebook asks for a check by name, ``check_exercise(relu_backward_mine, "relu_backward")``;
`helpers.checker` does the comparing. Each specification below says what its inputs are built to
test (exact zeros at a kink, scores near +-1000, a label set that misses a class, a non-default
alpha), and which wrong answers it recognises. Sizes change from one trial to the next, and no
matrix is square where a transpose could hide; `probes` are square-ish inputs used only to explain
a crash (a missing .T runs there, so the checker can name it).

exercise               notebook                 the learner writes
one_hot                00_start_here            labels (m,) -> Y (n_classes, m)
affine_forward         00_start_here            Z = W A_prev + b and its cache
sigmoid_backward       01_computational_graph   dZ = dA * A (1 - A)
neuron_gradients       01_computational_graph   f, dw, dx of the sigmoid neuron
matvec_vjp             02_jacobian_chain_rule   dW = delta x^T, dx = W^T delta
softmax_jacobian       02_jacobian_chain_rule   diag(s) - s s^T
relu_backward          03_relu_affine_bias      dZ = dA * 1[Z > 0]
affine_backward        03_relu_affine_bias      dA_prev, dW, db
affine_backward_rows   03_relu_affine_bias      the same in the row layout
softmax_cross_entropy  04_mlp_backprop          the mean loss and dZ = (softmax(Z) - Y) / m
mlp_loss_and_grads     04_mlp_backprop          the loss and every gradient of a ReLU network
saturated_fraction     05_saturation_...        share of sigmoid outputs with A (1 - A) < 0.01
dead_fraction          05_saturation_...        share of ReLU units that never fire
leaky_relu_backward    05_saturation_...        dZ = dA where Z > 0, alpha dA elsewhere
softmax                (extra)                  column-wise, stable softmax
"""

import numpy as np

from . import data, jacobian, labs, layers, rowlayout, viz
from .checker import EXERCISES, Exercise, Mistake, register
from .mlp import MLP

# (n_in, n_out, m) for trial 0, 1, 2, ...: all different, so a transpose shows as a wrong shape.
SIZES = ((4, 3, 5), (5, 2, 7), (3, 4, 6), (6, 5, 2))


def _sizes(trial):
    return SIZES[trial % len(SIZES)]


def _normal(rng, shape, scale=1.0):
    return scale * rng.standard_normal(shape)


def _m_of(position):
    return lambda args: np.shape(args[position])[1]


# ----------------------------------------------------------------------------------------------
# 00_start_here


def _one_hot_inputs(rng, trial):
    _, n_classes, m = _sizes(trial)
    n_classes += 2
    labels = rng.integers(0, n_classes - 1, size=m + 3)  # the last class never appears
    labels[0] = 0
    return labels, n_classes


def _one_hot_mistakes(args, expected):
    labels, n_classes = args
    (Y,) = expected
    m = labels.size
    rows_set = np.zeros_like(Y)
    rows_set[labels, :] = 1.0
    cols_set = np.zeros((n_classes, n_classes)) if m != n_classes else np.zeros_like(Y)
    if m < n_classes:
        cols_set[:, labels] = 1.0
    return [
        Mistake(
            0,
            lambda have, got: np.shape(have) == (labels.max() + 1, m),
            f"has {labels.max() + 1} rows, one per label that occurs: take the number of rows "
            f"from n_classes ({n_classes}), since a batch may miss a class",
            "n_classes_from_labels",
        ),
        Mistake(
            0,
            rows_set,
            "sets whole rows to 1 (Y[labels, :] = 1); set one entry per column: "
            "Y[labels, np.arange(m)] = 1",
            "whole_rows",
        ),
        Mistake(
            0,
            np.roll(Y, -1, axis=0),
            "puts each 1 one row too high: labels start at 0, so label k goes in row k",
            "off_by_one",
        ),
        Mistake(
            0,
            np.roll(Y, 1, axis=0),
            "puts each 1 one row too low: labels start at 0, so label k goes in row k",
            "off_by_one",
        ),
    ]


register(
    Exercise(
        "one_hot",
        data.one_hot,
        _one_hot_inputs,
        ("Y",),
        "00_start_here",
        mistakes=_one_hot_mistakes,
    )
)


def _affine_forward_inputs(rng, trial):
    n_in, n_out, m = _sizes(trial)
    return _normal(rng, (n_in, m)), _normal(rng, (n_out, n_in)), _normal(rng, (n_out, 1))


def _affine_forward_probes(rng):
    n = 4  # n_in = n_out = m: a misplaced transpose or a row bias runs here
    return _normal(rng, (n, n)), _normal(rng, (n, n)), _normal(rng, (n, 1))


def _affine_forward_mistakes(args, expected):
    A_prev, W, b = args
    return [
        Mistake(0, W @ A_prev, "is missing the bias b: Z = W @ A_prev + b", "missing_bias"),
        Mistake(
            0,
            W @ A_prev + b.T,
            "adds b as a row: b has shape (n_out, 1), a column added to every example's column",
            "bias_as_row",
        ),
        Mistake(
            0,
            W.T @ A_prev + b,
            "uses W.T: W (n_out, n_in) maps a column of n_in inputs to n_out units, Z = W @ A_prev",
            "transposed_W",
        ),
        Mistake(
            0,
            A_prev @ W + b,
            "multiplies in the wrong order: Z = W @ A_prev + b, weights first",
            "wrong_order",
        ),
        Mistake(0, W @ A_prev + b.sum(), "adds the sum of b to every entry", "bias_sum"),
    ]


register(
    Exercise(
        "affine_forward",
        layers.affine_forward,
        _affine_forward_inputs,
        ("Z", "cache"),
        "00_start_here",
        mistakes=_affine_forward_mistakes,
        probes=_affine_forward_probes,
    )
)


# ----------------------------------------------------------------------------------------------
# 01_computational_graph


def _sigmoid_backward_inputs(rng, trial):
    _, n, m = _sizes(trial)
    A = layers.sigmoid(_normal(rng, (n, m), 3.0))
    return _normal(rng, A.shape), A


def _sigmoid_backward_probes(rng):
    A = layers.sigmoid(_normal(rng, (4, 4), 3.0))
    return _normal(rng, A.shape), A


def _sigmoid_backward_mistakes(args, expected):
    dA, A = args
    s = layers.sigmoid(A)
    return [
        Mistake(
            0, A * (1 - A), "is the local gradient A (1 - A) alone; multiply it by dA", "no_dA"
        ),
        Mistake(
            0,
            dA * s * (1 - s),
            "applies the sigmoid again: the cache already holds A = s(Z), so the local gradient "
            "is A (1 - A)",
            "sigmoid_twice",
        ),
        Mistake(
            0, dA * (1 - A), "is missing the factor A: the local gradient is A (1 - A)", "no_A"
        ),
        Mistake(
            0, dA * A, "is missing the factor (1 - A): the local gradient is A (1 - A)", "no_1-A"
        ),
        Mistake(
            0,
            dA * (1 - A**2),
            "uses tanh's local gradient 1 - A^2; the sigmoid's is A (1 - A)",
            "tanh_gradient",
        ),
        Mistake(
            0, dA * A * (1 + A), "has a sign slip inside: the local gradient is A (1 - A)", "sign"
        ),
        Mistake(
            0,
            lambda have, got: (
                np.shape(have) != A.shape
                and np.shape(have) in ((A.shape[0], A.shape[0]), (A.shape[1], A.shape[1]))
            ),
            "uses a matrix product (@) where an element-wise product (*) belongs: each entry of "
            "dZ depends only on the same entry of dA and A",
            "matmul_for_elementwise",
        ),
        Mistake(
            0,
            dA + A * (1 - A),
            "adds the local gradient to dA; the chain rule multiplies: dZ = dA * A (1 - A)",
            "added",
        ),
    ]


register(
    Exercise(
        "sigmoid_backward",
        layers.sigmoid_backward,
        _sigmoid_backward_inputs,
        ("dZ",),
        "01_computational_graph",
        mistakes=_sigmoid_backward_mistakes,
        probes=_sigmoid_backward_probes,
    )
)


def _neuron_inputs(rng, trial):
    w, x = _normal(rng, 3, 1.5), _normal(rng, 2, 1.5)
    w[2] += 0.5 * (trial % 2)
    return w, x


def _neuron_mistakes(args, expected):
    w, x = args
    f, dw, dx = expected
    z = w[0] * x[0] + w[1] * x[1] + w[2]
    s = 1.0 / (1.0 + np.exp(-z))
    local = s * (1 - s)
    with np.errstate(all="ignore"):
        return [
            Mistake(
                0,
                z,
                "is the pre-activation z = w0 x0 + w1 x1 + w2; f is the sigmoid of it",
                "f_is_z",
            ),
            Mistake(
                0, 1 - s, "is s(-z): the sigmoid is 1 / (1 + exp(-z)), with a minus", "sign_exp"
            ),
            Mistake(
                1,
                s * np.array([x[0], x[1], 1.0]),
                "multiplies by s instead of the local gradient s (1 - s) of the sigmoid gate",
                "s_for_local",
            ),
            Mistake(
                2,
                s * np.array([w[0], w[1]]),
                "multiplies by s instead of the local gradient s (1 - s) of the sigmoid gate",
                "s_for_local",
            ),
            Mistake(
                1,
                local * np.array([w[0], w[1], 1.0]),
                "uses the weights: the multiply gate swaps, so df/dw0 = s(1 - s) x0, not "
                "s(1 - s) w0",
                "no_swap",
            ),
            Mistake(
                2,
                local * np.array([x[0], x[1]]),
                "uses the inputs: the multiply gate swaps, so df/dx0 = s(1 - s) w0, not "
                "s(1 - s) x0",
                "no_swap",
            ),
            Mistake(
                1,
                lambda have, got: np.shape(have) == (2,),
                "has 2 entries; it needs 3: df/dw2, the bias's gradient, is s(1 - s) (the + gate "
                "passes the gradient on)",
                "missing_bias_gradient",
            ),
            Mistake(
                1,
                local * np.array([x[0], x[1], 0.0]),
                "has 0 for the bias: the + gate passes the gradient on, so df/dw2 = s(1 - s)",
                "bias_zero",
            ),
            Mistake(
                1,
                np.array([dw[0], dw[1], 1.0]),
                "has 1 for the bias: the + gate passes on the upstream gradient s(1 - s), not 1",
                "bias_one",
            ),
            Mistake(
                1,
                z * (1 - z) * np.array([x[0], x[1], 1.0]),
                "uses z (1 - z); the local gradient is s (1 - s) with s = sigmoid(z)",
                "z_for_s",
            ),
        ]


register(
    Exercise(
        "neuron_gradients",
        viz.neuron_gradients,
        _neuron_inputs,
        ("f", "dw", "dx"),
        "01_computational_graph",
        mistakes=_neuron_mistakes,
    )
)


# ----------------------------------------------------------------------------------------------
# 02_jacobian_chain_rule


def _matvec_inputs(rng, trial):
    n_in, n_out, _ = _sizes(trial)
    return _normal(rng, (n_out, 1)), _normal(rng, (n_out, n_in)), _normal(rng, (n_in, 1))


def _matvec_probes(rng):
    return _normal(rng, (4, 1)), _normal(rng, (4, 4)), _normal(rng, (4, 1))


def _matvec_mistakes(args, expected):
    delta, W, x = args
    return [
        Mistake(
            1,
            W @ delta,
            "uses W where its transpose belongs: dx = W.T @ delta has the shape of x",
            "W_not_transposed",
        ),
        Mistake(
            0,
            lambda have, got: np.shape(have) in ((), (1, 1), (1,)),
            "is a single number: the seed's delta^T x is an inner product; dW is the outer "
            "product delta @ x.T, one entry per weight",
            "inner_product",
        ),
        Mistake(
            0, W * delta, "is W scaled by delta; dW = delta @ x.T does not involve W", "W_in_dW"
        ),
        Mistake(1, x, "is x itself; dx = W.T @ delta", "x_for_dx"),
    ]


register(
    Exercise(
        "matvec_vjp",
        jacobian.matvec_vjp,
        _matvec_inputs,
        ("dW", "dx"),
        "02_jacobian_chain_rule",
        mistakes=_matvec_mistakes,
        probes=_matvec_probes,
    )
)


def _softmax_jacobian_inputs(rng, trial):
    n = 3 + trial
    return (_normal(rng, (n, 1), 2.0),)


def _softmax_jacobian_mistakes(args, expected):
    (z,) = args
    s = layers.softmax(z)
    return [
        Mistake(0, np.diag(s.ravel()), "is diag(s) alone: subtract s @ s.T", "diag_only"),
        Mistake(0, -s @ s.T, "is -s s^T alone: add diag(s) for the i = j entries", "outer_only"),
        Mistake(
            0,
            np.diag((s * (1 - s)).ravel()),
            "has only the diagonal s_i (1 - s_i): the entries i != j are -s_i s_j",
            "diagonal_only",
        ),
        Mistake(
            0,
            np.diag(s.ravel()) - float(s.T @ s),
            "subtracts s.T @ s, a single number; the second term is the outer product s @ s.T",
            "inner_for_outer",
        ),
        Mistake(
            0,
            np.diag(z.ravel()) - z @ z.T,
            "is built from the scores z; use the probabilities s = softmax(z)",
            "z_for_s",
        ),
        Mistake(
            0,
            lambda have, got: np.shape(have) == s.shape,
            "is a column: the softmax Jacobian is an (n, n) matrix, one row per output and one "
            "column per score",
            "vector",
        ),
    ]


register(
    Exercise(
        "softmax_jacobian",
        jacobian.softmax_jacobian,
        _softmax_jacobian_inputs,
        ("J",),
        "02_jacobian_chain_rule",
        mistakes=_softmax_jacobian_mistakes,
    )
)


# ----------------------------------------------------------------------------------------------
# 03_relu_affine_bias


def _relu_inputs(rng, trial):
    _, n, m = _sizes(trial)
    Z = _normal(rng, (n, m))
    Z[0, :2] = 0.0  # exact zeros: the slope there is 0, which catches `Z >= 0`
    return _normal(rng, Z.shape), Z


def _relu_probes(rng):
    Z = _normal(rng, (4, 4))
    Z[0, :2] = 0.0
    return _normal(rng, Z.shape), Z


def _relu_mistakes(args, expected):
    dA, Z = args
    return [
        Mistake(
            0,
            dA * (Z >= 0),
            "lets the gradient through where Z == 0; the slope there is 0, so the mask is Z > 0, "
            "not Z >= 0",
            "mask_ge",
        ),
        Mistake(
            0,
            (Z > 0).astype(float),
            "is the mask 1[Z > 0] alone; multiply it by the upstream gradient dA",
            "mask_only",
        ),
        Mistake(
            0,
            dA,
            "is dA unchanged: the mask 1[Z > 0] is missing (a mask taken from the output, "
            "A >= 0, is always true)",
            "no_mask",
        ),
        Mistake(
            0,
            dA * (dA > 0),
            "takes its mask from the upstream gradient dA; take it from the forward input Z",
            "mask_from_dA",
        ),
        Mistake(
            0,
            dA * np.maximum(Z, 0),
            "multiplies dA by max(Z, 0), the ReLU output; multiply by the mask 1[Z > 0], the "
            "ReLU's slope",
            "times_output",
        ),
        Mistake(
            0,
            dA * np.sign(Z),
            "multiplies by sign(Z): where Z < 0 the ReLU's slope is 0, not -1",
            "sign_mask",
        ),
        Mistake(
            0,
            dA * Z,
            "multiplies dA by Z; the ReLU's slope is 1 where Z > 0 and 0 elsewhere",
            "times_Z",
        ),
        Mistake(
            0,
            dA * (Z <= 0),
            "keeps the gradient where Z <= 0: the mask is the other way round, Z > 0",
            "mask_flipped",
        ),
        Mistake(
            0,
            lambda have, got: (
                np.shape(have) != Z.shape
                and np.shape(have) in ((Z.shape[0], Z.shape[0]), (Z.shape[1], Z.shape[1]))
            ),
            "uses a matrix product (@) with the mask; multiply entry by entry (*)",
            "matmul_for_elementwise",
        ),
    ]


register(
    Exercise(
        "relu_backward",
        layers.relu_backward,
        _relu_inputs,
        ("dZ",),
        "03_relu_affine_bias",
        mistakes=_relu_mistakes,
        probes=_relu_probes,
    )
)


def _affine_backward_inputs(rng, trial):
    n_in, n_out, m = _sizes(trial)
    A_prev, W, b = _normal(rng, (n_in, m)), _normal(rng, (n_out, n_in)), _normal(rng, (n_out, 1))
    return _normal(rng, (n_out, m)), (A_prev, W, b)


def _affine_backward_probes(rng):
    n = 4
    return _normal(rng, (n, n)), (_normal(rng, (n, n)), _normal(rng, (n, n)), _normal(rng, (n, 1)))


def _affine_backward_mistakes(args, expected):
    dZ, (A_prev, W, b) = args
    return [
        Mistake(
            0,
            W @ dZ,
            "uses W where its transpose belongs: dA_prev = W.T @ dZ",
            "W_not_transposed",
        ),
        Mistake(
            1,
            dZ @ A_prev,
            "is missing a transpose: dW = dZ @ A_prev.T (a sum of outer products over the "
            "examples)",
            "A_prev_not_transposed",
        ),
        Mistake(
            1,
            A_prev @ dZ.T,
            "is transposed: dW = dZ @ A_prev.T has the shape of W (n_out, n_in)",
            "transposed",
        ),
        Mistake(
            0,
            dZ.T @ W,
            "is transposed: W.T @ dZ has shape (n_in, m), one column per example",
            "transposed",
        ),
        Mistake(
            2,
            dZ.sum(axis=0, keepdims=True),
            "sums over the wrong axis: add up the examples (axis=1), not the units (axis=0)",
            "sum_axis",
        ),
        Mistake(
            2,
            dZ.sum(axis=0),
            "sums over the wrong axis: add up the examples (axis=1, keepdims=True), not the "
            "units (axis=0)",
            "sum_axis",
        ),
        Mistake(
            2,
            dZ,
            "is missing the sum over the examples: db = dZ.sum(axis=1, keepdims=True)",
            "no_sum",
        ),
        Mistake(
            2,
            dZ.sum(axis=1),
            "has shape (n_out,) and would broadcast wrongly against b (n_out, 1): use "
            "keepdims=True",
            "keepdims",
        ),
        Mistake(
            2,
            np.asarray(dZ.sum()),
            "adds up every entry of dZ into one number: sum over the examples only (axis=1, "
            "keepdims=True)",
            "sum_all",
        ),
        Mistake(
            2,
            np.full_like(b, dZ.sum()),
            "puts the sum of every entry of dZ in each row: sum each unit's row over the "
            "examples (axis=1, keepdims=True)",
            "sum_all",
        ),
        Mistake(
            2,
            dZ[:, :1],
            "is the first example's column only: add up all the examples (axis=1)",
            "one_example",
        ),
    ]


register(
    Exercise(
        "affine_backward",
        layers.affine_backward,
        _affine_backward_inputs,
        ("dA_prev", "dW", "db"),
        "03_relu_affine_bias",
        mistakes=_affine_backward_mistakes,
        m=lambda args: args[0].shape[1],
        probes=_affine_backward_probes,
    )
)


def _rows_inputs(rng, trial):
    n_in, n_out, m = _sizes(trial)
    X, W, b = _normal(rng, (m, n_in)), _normal(rng, (n_in, n_out)), _normal(rng, n_out)
    return _normal(rng, (m, n_out)), (X, W, b)


def _rows_probes(rng):
    n = 4
    return _normal(rng, (n, n)), (_normal(rng, (n, n)), _normal(rng, (n, n)), _normal(rng, n))


def _rows_mistakes(args, expected):
    dZ, (X, W, b) = args
    return [
        Mistake(0, dZ @ W, "uses W where its transpose belongs: dX = dZ @ W.T", "W_not_transposed"),
        Mistake(
            0, W.T @ dZ.T, "is transposed: dX = dZ @ W.T has one row per example", "transposed"
        ),
        Mistake(
            1,
            dZ.T @ X,
            "is the column layout's formula: in rows, dW = X.T @ dZ, the shape of W (n_in, n_out)",
            "column_formula",
        ),
        Mistake(
            2,
            dZ.sum(axis=1),
            "sums over the wrong axis: in the row layout the examples are axis 0, so "
            "db = dZ.sum(axis=0)",
            "sum_axis",
        ),
        Mistake(
            2,
            dZ.sum(axis=0, keepdims=True),
            "has shape (1, n_out), but b is 1-D here (n_out,): drop keepdims=True",
            "keepdims",
        ),
        Mistake(
            2,
            dZ.sum(axis=1, keepdims=True),
            "sums over the wrong axis: in the row layout "
            "the examples are axis 0, so db = dZ.sum(axis=0)",
            "sum_axis",
        ),
        Mistake(
            2,
            np.asarray(dZ.sum()),
            "adds up every entry into one number: sum over the examples only, db = dZ.sum(axis=0)",
            "sum_all",
        ),
    ]


register(
    Exercise(
        "affine_backward_rows",
        rowlayout.affine_backward_rows,
        _rows_inputs,
        ("dX", "dW", "db"),
        "03_relu_affine_bias",
        mistakes=_rows_mistakes,
        m=lambda args: args[0].shape[0],
        probes=_rows_probes,
    )
)


# ----------------------------------------------------------------------------------------------
# 04_mlp_backprop


def _softmax_ce_inputs(rng, trial):
    _, n, m = _sizes(trial)
    n += 1
    Z = _normal(rng, (n, m), 2.0)
    labels = rng.integers(0, n - 1, size=m)  # the last class is never the label
    if trial % 2 == 1:  # scores around +-1000: exp overflows unless each column is shifted
        Z[:, 0] += 1000.0
        Z[:, 1] -= 1000.0
        Z[0, 1] += 30.0
        labels[1] = 1  # not the largest score of its column: its probability underflows
    return Z, data.one_hot(labels, n)


def _log_softmax(Z):
    shifted = Z - Z.max(axis=0, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))


def _softmax_ce_mistakes(args, expected):
    Z, Y = args
    loss, dZ = expected
    n, m = Z.shape
    P = layers.softmax(Z)
    big = np.abs(Z).max() > 100
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    rows = E / E.sum(axis=1, keepdims=True)
    with np.errstate(all="ignore"):
        rows_loss = -np.sum(Y * np.log(rows)) / m
    return [
        Mistake(
            0,
            lambda have, got: (
                big
                and not np.isfinite(np.asarray(have, float)).all()
                and not np.isfinite(np.asarray(got[1], float)).all()
            ),
            "is not finite on scores around +-1000: exp overflowed. Subtract each column's "
            "largest score before exp (Z - Z.max(axis=0, keepdims=True)); it changes no "
            "probability",
            "overflow",
        ),
        Mistake(
            0,
            lambda have, got: big and not np.isfinite(np.asarray(have, float)).all(),
            "is infinite on scores around +-1000 although your dZ is fine: a probability "
            "underflowed to 0 and you took its log. Compute log p as shifted - "
            "log(sum(exp(shifted))) instead of log(softmax(Z))",
            "log_underflow",
        ),
        Mistake(
            1,
            lambda have, got: big and not np.isfinite(np.asarray(have, float)).all(),
            "is not finite on scores around +-1000: exp overflowed. Subtract each column's "
            "largest score before exp (Z - Z.max(axis=0, keepdims=True))",
            "overflow",
        ),
        Mistake(
            0,
            loss * m,
            "is the summed loss; the course uses the mean over the m examples",
            "summed_loss",
        ),
        Mistake(
            0,
            loss / n,
            f"is a mean over all {n} x {m} entries; average over the m = {m} examples only "
            "(sum over the classes)",
            "mean_over_all",
        ),
        Mistake(
            0,
            rows_loss,
            "uses a softmax over the rows (axis=1); each column is one "
            "example, so normalise over axis=0",
            "softmax_axis",
        ),
        Mistake(
            0,
            -np.sum(_log_softmax(Z)) / m,
            "adds up the log-probabilities of every class; only the true class counts: "
            "multiply by Y before summing",
            "labels_ignored",
        ),
        Mistake(1, P / m, "is softmax(Z) / m: subtract Y, dZ = (softmax(Z) - Y) / m", "no_Y"),
        Mistake(
            1,
            rows / m - Y / m,
            "uses a softmax over the rows (axis=1); each column is one "
            "example, so normalise over axis=0",
            "softmax_axis",
        ),
        Mistake(
            1,
            (P - Y) / (n * m),
            f"is divided by {n} x {m}, every entry; the 1/m of the mean over the examples is all",
            "mean_over_all",
        ),
    ]


register(
    Exercise(
        "softmax_cross_entropy",
        layers.softmax_cross_entropy,
        _softmax_ce_inputs,
        ("loss", "dZ"),
        "04_mlp_backprop",
        mistakes=_softmax_ce_mistakes,
        m=_m_of(0),
    )
)


def mlp_loss_and_grads(X, Y, Ws, bs):
    """`MLP.loss_and_grads` for the given weights, as (loss, dW1, db1, ..., dWL, dbL).

    The reference of notebook 04's "backprop for any depth": a ReLU network with a softmax output,
    `Ws[l - 1]` = W[l] (n_l, n_{l-1}) and `bs[l - 1]` = b[l] (n_l, 1).
    """
    sizes = [np.shape(X)[0]] + [np.shape(W)[0] for W in Ws]
    model = MLP(sizes, activation="relu", output="softmax")
    for l, (W, b) in enumerate(zip(Ws, bs), start=1):
        model.params[f"W{l}"] = np.array(W, dtype=float)
        model.params[f"b{l}"] = np.array(b, dtype=float)
    loss, grads = model.loss_and_grads(X, Y)
    return (loss, *(grads[f"d{p}{l}"] for l in range(1, model.L + 1) for p in "Wb"))


def random_network(rng, sizes=(4, 6, 5, 3), m=7):
    """Inputs for `mlp_loss_and_grads`: X, one-hot Y, and random weights and biases."""
    X = _normal(rng, (sizes[0], m))
    Y = data.one_hot(rng.integers(0, sizes[-1], m), sizes[-1])
    Ws = tuple(_normal(rng, (n_out, n_in)) for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    bs = tuple(_normal(rng, (n_out, 1), 0.1) for n_out in sizes[1:])
    return X, Y, Ws, bs


_NETWORKS = (((4, 6, 5, 3), 7), ((5, 3, 4), 6), ((3, 5, 4, 6, 2), 9), ((6, 4, 3), 5))


def _mlp_inputs(rng, trial):
    sizes, m = _NETWORKS[trial % len(_NETWORKS)]
    return random_network(rng, sizes, m)


def _mlp_probes(rng):
    return random_network(rng, (4, 4, 4, 4), 4)


def _mlp_names(args):
    L = len(args[2])
    return ("loss",) + tuple(f"d{p}{l}" for l in range(1, L + 1) for p in "Wb")


def _mlp_variant(X, Y, Ws, bs, bug=None):
    """The gradients of the ReLU network with one deliberate slip `bug` (None: right)."""
    L = len(Ws)
    As, Zs = [X], [None]
    for l in range(1, L + 1):
        b = 0 if bug == "no_bias" else bs[l - 1]
        Zs.append(Ws[l - 1] @ As[l - 1] + b)
        As.append(np.maximum(Zs[l], 0))
    top = np.maximum(Zs[L], 0) if bug == "relu_on_output" else Zs[L]
    loss, dZ = layers.softmax_cross_entropy(top, Y)
    if bug == "relu_on_output":
        dZ = dZ * (Zs[L] > 0)
    grads = []
    for l in range(L, 0, -1):
        A_prev = As[l] if bug == "A_of_this_layer" else As[l - 1]
        grads = [dZ @ A_prev.T, dZ.sum(axis=1, keepdims=True)] + grads
        if l > 1:
            Wt = Ws[l - 1] if bug == "W_not_transposed" else Ws[l - 1].T
            mask = {
                "mask_of_Z_L": Zs[L] > 0,
                "mask_of_this_layer": Zs[l] > 0,
                "no_mask": 1.0,
                "mask_ge": Zs[l - 1] >= 0,
            }.get(bug, Zs[l - 1] > 0)
            dZ = (Wt @ dZ) * mask
    return (loss, *grads)


_MLP_BUGS = {
    "mask_of_Z_L": "uses g'(Z[L]) for every layer, as the seed's equation does: each layer's "
    "mask is its own, dZ[l] = dA[l] * 1[Z[l] > 0]",
    "mask_of_this_layer": "takes the mask from the wrong layer: dZ[l-1] = (W[l].T @ dZ[l]) * "
    "1[Z[l-1] > 0], the mask of layer l-1",
    "no_mask": "is missing the ReLU mask: dZ[l-1] = (W[l].T @ dZ[l]) * 1[Z[l-1] > 0]",
    "W_not_transposed": "uses W where its transpose belongs: dA[l-1] = W[l].T @ dZ[l]",
    "A_of_this_layer": "uses the wrong layer's activations: dW[l] = dZ[l] @ A[l-1].T, the "
    "input of layer l",
    "relu_on_output": "puts a ReLU on the output layer: the last layer feeds the softmax "
    "directly, Z[L] with no ReLU",
    "no_bias": "comes from a forward pass without the biases: Z[l] = W[l] @ A[l-1] + b[l]",
}


def _mlp_mistakes(args, expected):
    X, Y, Ws, bs = args
    found = []
    for bug, message in _MLP_BUGS.items():
        try:
            with np.errstate(all="ignore"):
                outputs = _mlp_variant(X, Y, Ws, bs, bug)
        except ValueError:  # the slip does not run on these shapes
            continue
        found += [Mistake(i, value, message, bug) for i, value in enumerate(outputs) if i > 0]
    # db summed over the wrong axis, layer by layer (the dZ of each layer from the reference)
    dZs = _mlp_dZs(X, Y, Ws, bs)
    for l, dZ in enumerate(dZs, start=1):
        found += [
            Mistake(
                2 * l,
                dZ.sum(axis=0, keepdims=True),
                "sums over the wrong axis: add up the examples (axis=1, keepdims=True)",
                "sum_axis",
            ),
            Mistake(
                2 * l,
                dZ.sum(axis=1),
                "has shape (n_l,): use keepdims=True so that it matches b (n_l, 1)",
                "keepdims",
            ),
        ]
    return found


def _mlp_dZs(X, Y, Ws, bs):
    L = len(Ws)
    As, Zs = [X], [None]
    for l in range(1, L + 1):
        Zs.append(Ws[l - 1] @ As[l - 1] + bs[l - 1])
        As.append(np.maximum(Zs[l], 0))
    _, dZ = layers.softmax_cross_entropy(Zs[L], Y)
    dZs = [dZ]
    for l in range(L, 1, -1):
        dZ = (Ws[l - 1].T @ dZ) * (Zs[l - 1] > 0)
        dZs.insert(0, dZ)
    return dZs


register(
    Exercise(
        "mlp_loss_and_grads",
        mlp_loss_and_grads,
        _mlp_inputs,
        _mlp_names,
        "04_mlp_backprop",
        mistakes=_mlp_mistakes,
        m=_m_of(0),
        probes=_mlp_probes,
    )
)


# ----------------------------------------------------------------------------------------------
# 05_saturation_and_dead_relus


def _saturated_inputs(rng, trial):
    _, n, m = _sizes(trial)
    return (layers.sigmoid(_normal(rng, (n + 2, m + 6), 6.0)),)


def _saturated_mistakes(args, expected):
    (A,) = args
    share = expected[0]
    local = A * (1 - A)
    return [
        Mistake(
            0,
            float(np.sum(local < 0.01)),
            "is a count; return the share: divide by the number of entries (np.mean does both)",
            "count",
        ),
        Mistake(
            0,
            1 - share,
            "is the share of entries that are NOT saturated: the test is A (1 - A) < 0.01",
            "complement",
        ),
        Mistake(
            0,
            float(np.mean(A < 0.01)),
            "counts only the outputs near 0: a sigmoid also "
            "saturates near 1, which A (1 - A) < 0.01 catches both",
            "one_side",
        ),
        Mistake(
            0,
            float(np.mean(np.all(local < 0.01, axis=1))),
            "is the share of units saturated on every example; count every (unit, example) pair",
            "per_unit",
        ),
        Mistake(
            0,
            lambda have, got: np.ndim(have) == 1,
            "is one share per unit or per example; the exercise asks for one number over every "
            "(unit, example) pair: np.mean over the whole array",
            "per_axis",
        ),
        Mistake(
            0,
            float(np.mean(local < 0.1)),
            "uses the threshold 0.1; the exercise's is 0.01",
            "threshold",
        ),
        Mistake(
            0,
            float(np.mean(layers.sigmoid(A) * (1 - layers.sigmoid(A)) < 0.01)),
            "applies the sigmoid again: A already holds s(Z)",
            "sigmoid_twice",
        ),
    ]


register(
    Exercise(
        "saturated_fraction",
        labs.saturated_fraction,
        _saturated_inputs,
        ("share",),
        "05_saturation_and_dead_relus",
        mistakes=_saturated_mistakes,
    )
)


def _dead_inputs(rng, trial):
    _, n, m = _sizes(trial)
    Z = _normal(rng, (n + 4, m + 5))
    Z[[0, 3]] = -np.abs(Z[[0, 3]])  # two units that never fire
    Z[4] = np.minimum(Z[4], 0.0)  # one that reaches 0 at best
    Z[4, 2] = 0.0
    Z[1] = -np.abs(Z[1])
    Z[1, 1] = 0.5  # one that fires on a single example
    return (Z,)


def _dead_mistakes(args, expected):
    (Z,) = args
    return [
        Mistake(
            0,
            float(np.mean(~(Z >= 0).any(axis=1))),
            "counts a unit whose largest Z is "
            "exactly 0 as firing; relu(0) = 0, so the test is Z > 0",
            "ge_zero",
        ),
        Mistake(
            0,
            float(np.mean(Z <= 0)),
            "is the share of (unit, example) pairs that do not "
            "fire; a unit is dead when its whole row is silent: (Z > 0).any(axis=1)",
            "per_entry",
        ),
        Mistake(
            0,
            float(np.mean(~(Z > 0).any(axis=0))),
            "looks at the columns (examples); units are rows, so use axis=1",
            "axis",
        ),
        Mistake(
            0,
            float(np.sum(~(Z > 0).any(axis=1))),
            "is a count; return the share: divide by the number of units",
            "count",
        ),
        Mistake(
            0,
            float(np.mean((Z > 0).any(axis=1))),
            "is the share of units that fire; the exercise asks for those that never do",
            "complement",
        ),
        Mistake(
            0,
            float(np.mean((Z <= 0).any(axis=1))),
            "counts a unit as dead when it is "
            "silent on any example; dead means silent on every example: all, not any",
            "any_for_all",
        ),
        Mistake(
            0,
            lambda have, got: np.ndim(have) == 1,
            "is one value per unit; return the share of dead units, a single number",
            "per_unit",
        ),
    ]


register(
    Exercise(
        "dead_fraction",
        labs.dead_fraction,
        _dead_inputs,
        ("share",),
        "05_saturation_and_dead_relus",
        mistakes=_dead_mistakes,
    )
)


_ALPHAS = (0.1, 0.2, 0.05, 0.3)


def _leaky_inputs(rng, trial):
    _, n, m = _sizes(trial)
    Z = _normal(rng, (n, m))
    Z[0, :2] = 0.0  # exact zeros: the slope there is alpha, as for Z < 0
    return _normal(rng, Z.shape), (Z, _ALPHAS[trial % len(_ALPHAS)])


def _leaky_mistakes(args, expected):
    dA, (Z, alpha) = args
    return [
        Mistake(
            0,
            np.where(Z > 0, dA, 0.01 * dA),
            f"uses alpha = 0.01; take alpha from the cache (here {alpha:g}): Z, alpha = cache",
            "alpha_hard_coded",
        ),
        Mistake(
            0,
            np.where(Z >= 0, dA, alpha * dA),
            "uses the slope 1 at Z == 0; the forward "
            "pass gives alpha * Z there, so the slope is alpha where Z <= 0",
            "mask_ge",
        ),
        Mistake(
            0,
            np.where(Z > 0, alpha * dA, dA),
            "has the two slopes swapped: 1 where Z > 0, alpha elsewhere",
            "swapped",
        ),
        Mistake(
            0,
            dA * (Z > 0),
            "is the plain ReLU's backward pass: where Z <= 0 the slope is alpha, not 0",
            "plain_relu",
        ),
        Mistake(
            0,
            np.where(Z > 0, 1.0, alpha),
            "is the local slope alone; multiply it by dA",
            "slope_only",
        ),
        Mistake(
            0,
            np.where(dA > 0, dA, alpha * dA),
            "takes its mask from dA; take it from the forward input Z",
            "mask_from_dA",
        ),
        Mistake(
            0, alpha * dA, "scales every entry by alpha; only where Z <= 0", "alpha_everywhere"
        ),
        Mistake(
            0,
            np.where(Z > 0, dA, alpha),
            "puts alpha itself where Z <= 0; the gradient there is alpha * dA",
            "alpha_not_times_dA",
        ),
        Mistake(
            0,
            np.where(Z > 0, dA, -alpha * dA),
            "has a minus in the negative slope: the slope is +alpha where Z <= 0",
            "sign",
        ),
    ]


register(
    Exercise(
        "leaky_relu_backward",
        layers.leaky_relu_backward,
        _leaky_inputs,
        ("dZ",),
        "05_saturation_and_dead_relus",
        mistakes=_leaky_mistakes,
    )
)


# ----------------------------------------------------------------------------------------------
# Extra: the softmax itself


def _softmax_inputs(rng, trial):
    _, n, m = _sizes(trial)
    Z = _normal(rng, (n + 1, m), 3.0)
    if trial % 2 == 1:
        Z[:, 0] += 1000.0
    return (Z,)


def _softmax_mistakes(args, expected):
    (Z,) = args
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    big = np.abs(Z).max() > 100
    return [
        Mistake(
            0,
            E / E.sum(axis=1, keepdims=True),
            "normalises the rows; each column (one example) must sum to 1, so use axis=0",
            "axis",
        ),
        Mistake(
            0,
            lambda have, got: big and not np.isfinite(np.asarray(have, float)).all(),
            "is not finite on scores around 1000: exp overflowed. Subtract each column's largest "
            "score first",
            "overflow",
        ),
        Mistake(
            0,
            np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(),
            "divides by the sum over "
            "every entry; each column must sum to 1 on its own (axis=0, keepdims=True)",
            "sum_all",
        ),
    ]


register(
    Exercise(
        "softmax",
        layers.softmax,
        _softmax_inputs,
        ("softmax(Z)",),
        mistakes=_softmax_mistakes,
    )
)


def names():
    """The exercises in the order of the course."""
    return list(EXERCISES)


__all__ = ["EXERCISES", "mlp_loss_and_grads", "names", "random_network"]
