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
engine_add_mul         02_build_an_autograd_... Value's + and *: parents and local gradients
engine_backward        02_build_an_autograd_... backward(): a topological order, += upstream x local
engine_functions       02_build_an_autograd_... Value's ** n, exp, log and tanh
engine_sub_div         02_build_an_autograd_... -x, x - y and x / y built from +, * and **
engine_mlp             02_build_an_autograd_... a neuron, a layer and an MLP of Values
engine_training        02_build_an_autograd_... the loop: zero, forward, backward, step
matvec_vjp             03_jacobian_chain_rule   dW = delta x^T, dx = W^T delta
softmax_jacobian       03_jacobian_chain_rule   diag(s) - s s^T
relu_backward          04_relu_affine_bias      dZ = dA * 1[Z > 0]
affine_backward        04_relu_affine_bias      dA_prev, dW, db
affine_backward_rows   04_relu_affine_bias      the same in the row layout
softmax_cross_entropy  05_mlp_backprop          the mean loss and dZ = (softmax(Z) - Y) / m
mlp_loss_and_grads     05_mlp_backprop          the loss and every gradient of a ReLU network
sgd_loop               05_mlp_backprop          mini-batch SGD, step for step as MLP.fit
saturated_fraction     05_saturation_...        share of sigmoid outputs with A (1 - A) < 0.01
dead_fraction          05_saturation_...        share of ReLU units that never fire
leaky_relu_backward    05_saturation_...        dZ = dA where Z > 0, alpha dA elsewhere
softmax                (extra)                  column-wise, stable softmax
relu_function          07_from_our_graph_...    ReLU as a torch.autograd.Function (PyTorch)
"""

import copy

import numpy as np

from . import _engine_checks, data, engine, jacobian, labs, layers, rowlayout, viz
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


def _in_another_shape(value):
    """A mistake whose value has another shape than the reference's, as a callable test.

    (The checker compares a plain array value with the reference before it compares shapes.)
    """
    value = np.asarray(value, dtype=float)
    scale = max(1.0, float(np.abs(value).max())) if value.size else 1.0

    def test(have, got):
        have = np.asarray(have, dtype=float)
        return have.shape == value.shape and np.allclose(have, value, rtol=1e-4, atol=1e-6 * scale)

    return test


def _one_hot_probes(rng):
    labels = np.array([2, 0, 3, 1])  # m = 4 <= n_classes = 6: Y[np.arange(m), labels] runs
    return labels, 6


def _one_hot_written(n_classes, m, write):
    """The Y a slip `write(Y)` produces, or None where that slip crashes on these inputs."""
    Y = np.zeros((n_classes, m))
    try:
        write(Y)
    except IndexError:
        return None
    return Y


def _one_hot_mistakes(args, expected):
    labels, n_classes = args
    (Y,) = expected
    m = labels.size
    cols = np.arange(m)
    found = [
        Mistake(
            0,
            _in_another_shape(Y.T),
            f"is transposed: one row per class and one column per example, shape (n_classes, m) "
            f"= ({n_classes}, {m}) (np.eye(n_classes)[labels] gives the rows; take its .T)",
            "transposed",
        ),
        Mistake(
            0,
            lambda have, got: (
                labels.max() + 1 != n_classes and np.shape(have) == (labels.max() + 1, m)
            ),
            f"has {labels.max() + 1} rows, one per label that occurs: take the number of rows "
            f"from n_classes ({n_classes}), since a batch may miss a class",
            "n_classes_from_labels",
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
        Mistake(
            0,
            np.zeros_like(Y),
            "is all zeros: no 1 was written. Indexing twice, Y[labels][...] = 1, writes into a "
            "copy (indexing with an array copies); index once: Y[labels, np.arange(m)] = 1",
            "chained_index",
        ),
        Mistake(
            0,
            np.where(Y > 0, labels.astype(float), 0.0),
            "holds the labels themselves; each column holds a single 1, in the row of its label: "
            "Y[labels, np.arange(m)] = 1",
            "labels_as_values",
        ),
        Mistake(
            0,
            np.where(cols == m - 1, 0.0, Y),
            "leaves the last example's column all zeros: a loop over range(m - 1) stops one "
            "short; loop over range(m), every example",
            "loop_off_by_one",
        ),
        Mistake(
            0,
            np.where(cols == 0, 0.0, Y),
            "leaves the first example's column all zeros: a loop from 1 skips example 0; loop "
            "over range(m), every example",
            "loop_off_by_one",
        ),
    ]
    slips = (
        (
            lambda Z: Z.__setitem__((labels, slice(None)), 1.0),
            "sets whole rows to 1 (Y[labels, :] = 1); set one entry per column: "
            "Y[labels, np.arange(m)] = 1",
            "whole_rows",
        ),
        (
            lambda Z: Z.__setitem__((slice(None), labels), 1.0),
            "sets whole columns to 1: Y[:, labels] uses the labels as column numbers. Column j "
            "is example j and its 1 goes in row labels[j]: Y[labels, np.arange(m)] = 1",
            "label_columns",
        ),
        (
            lambda Z: Z.__setitem__((cols, labels), 1.0),
            "has its indices swapped: Y[np.arange(m), labels] puts example j in row j. The row "
            "is the label and the column the example: Y[labels, np.arange(m)] = 1",
            "swapped_indices",
        ),
    )
    for write, message, key in slips:
        value = _one_hot_written(n_classes, m, write)
        if value is not None:
            found.append(Mistake(0, value, message, key))
    return found


register(
    Exercise(
        "one_hot",
        data.one_hot,
        _one_hot_inputs,
        ("Y",),
        "00_start_here",
        mistakes=_one_hot_mistakes,
        probes=_one_hot_probes,
        arguments=("labels", "n_classes"),
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
    slips = (
        (
            lambda: W @ A_prev,
            "is missing the bias: Z = W @ A_prev + b (and the sum must be assigned to Z)",
            "missing_bias",
        ),
        (
            lambda: W @ A_prev + b.T,
            "adds b as a row (b.T, or b.ravel() of shape (n_out,)): b has shape (n_out, 1), a "
            "column added to every example's column: Z = W @ A_prev + b",
            "bias_as_row",
        ),
        (
            lambda: W.T @ A_prev + b,
            "uses W.T: W (n_out, n_in) maps a column of n_in inputs to n_out units, "
            "Z = W @ A_prev + b",
            "transposed_W",
        ),
        (
            lambda: A_prev @ W + b,
            "multiplies in the wrong order: Z = W @ A_prev + b, weights first",
            "wrong_order",
        ),
        (
            lambda: A_prev.T @ W.T + b,
            "uses the row layout A_prev.T @ W.T: here examples are columns, so "
            "Z = W @ A_prev + b has shape (n_out, m)",
            "row_layout",
        ),
        (
            lambda: (W @ A_prev + b).T,
            "is transposed, the row layout A_prev.T @ W.T + b.T: here examples are columns, so "
            "Z = W @ A_prev + b has shape (n_out, m)",
            "row_layout",
        ),
        (
            lambda: W * A_prev + b,
            "multiplies entry by entry (W * A_prev); Z = W @ A_prev + b is a matrix product",
            "elementwise",
        ),
        (
            lambda: W @ A_prev - b,
            "subtracts the bias; it is added: Z = W @ A_prev + b",
            "bias_subtracted",
        ),
        (
            lambda: W @ A_prev + b.sum(),
            "adds the sum of b to every entry; each unit has its own bias: Z = W @ A_prev + b, "
            "b of shape (n_out, 1)",
            "bias_sum",
        ),
    )
    found = []
    for value, message, key in slips:
        try:
            found.append(Mistake(0, _in_another_shape(value()), message, key))
        except ValueError:  # this slip does not run on these shapes (it is named on the probes)
            pass
    return found


register(
    Exercise(
        "affine_forward",
        layers.affine_forward,
        _affine_forward_inputs,
        ("Z", "cache"),
        "00_start_here",
        mistakes=_affine_forward_mistakes,
        probes=_affine_forward_probes,
        arguments=("A_prev", "W", "b"),
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
        Mistake(
            0,
            dA * A - A**2,
            "multiplies only the first term by dA: dA * A - A**2 is (dA * A) - A**2. Put the "
            "local gradient in parentheses: dZ = dA * (A * (1 - A))",
            "precedence",
        ),
        Mistake(
            0,
            dA * A - A,
            "multiplies only the first term by dA: dA * A * 1 - A is (dA * A) - A. Put the "
            "factor in parentheses: dZ = dA * A * (1 - A)",
            "precedence",
        ),
        Mistake(
            0,
            _in_another_shape(np.mean(expected[0], axis=1, keepdims=True)),
            "averages over the examples: an element-wise gate keeps one gradient per entry, so dZ "
            "has the shape of A (n, m); only a bias gradient sums over the examples",
            "mean_over_examples",
        ),
        Mistake(
            0,
            _in_another_shape(np.sum(expected[0], axis=1, keepdims=True)),
            "sums over the examples: an element-wise gate keeps one gradient per entry, so dZ "
            "has the shape of A (n, m); only a bias gradient sums over the examples",
            "mean_over_examples",
        ),
    ] + (
        [  # a matrix product of two (n, m) arrays runs only when n == m: on the probes
            Mistake(
                0,
                dA @ (A * (1 - A)),
                "uses a matrix product (np.dot or @) where an element-wise product (*) belongs: "
                "each entry of dZ depends only on the same entry of dA and A",
                "matmul_for_elementwise",
            ),
        ]
        if A.shape[0] == A.shape[1]
        else []
    )


register(
    Exercise(
        "sigmoid_backward",
        layers.sigmoid_backward,
        _sigmoid_backward_inputs,
        ("dZ",),
        "01_computational_graph",
        mistakes=_sigmoid_backward_mistakes,
        m=_m_of(1),
        probes=_sigmoid_backward_probes,
        arguments=("dA", "cache A"),
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
            Mistake(
                1,
                np.array([x[0], x[1], 1.0]),
                "is the local gradient of the * and + gates alone (x0, x1, 1); the chain rule "
                "multiplies it by the upstream gradient s(1 - s) of the sigmoid gate",
                "no_upstream",
            ),
            Mistake(
                2,
                np.array([w[0], w[1]]),
                "is the local gradient of the * gates alone (w0, w1); the chain rule multiplies "
                "it by the upstream gradient s(1 - s) of the sigmoid gate",
                "no_upstream",
            ),
            Mistake(
                2,
                _in_another_shape(local * np.asarray(w, dtype=float)),
                "has 3 entries: there are two inputs x0, x1 (the bias w2 has no input), so "
                "dx = s(1 - s) (w0, w1)",
                "dx_three",
            ),
            Mistake(
                1,
                (1 - s**2) * np.array([x[0], x[1], 1.0]),
                "uses 1 - s^2, tanh's local gradient; the sigmoid's is s (1 - s)",
                "tanh_gradient",
            ),
            Mistake(
                1,
                -dw,
                "has the wrong sign: the local gradient s(1 - s) of the sigmoid gate is positive, "
                "so df/dw0 = s(1 - s) x0 has the sign of x0",
                "sign",
            ),
            Mistake(
                2,
                -dx,
                "has the wrong sign: the local gradient s(1 - s) of the sigmoid gate is positive, "
                "so df/dx0 = s(1 - s) w0 has the sign of w0",
                "sign",
            ),
            Mistake(
                1,
                lambda have, got: _neuron_scaled(have, np.array([x[0], x[1], 1.0])),
                f"is (x0, x1, 1) times a wrong number: the gradient reaching the * and + gates "
                f"is the sigmoid gate's local gradient s(1 - s) = {local:.4g} (s = {s:.4g})",
                "local_gradient",
            ),
            Mistake(
                2,
                lambda have, got: _neuron_scaled(have, np.array([w[0], w[1]])),
                f"is (w0, w1) times a wrong number: the gradient reaching the * gates is the "
                f"sigmoid gate's local gradient s(1 - s) = {local:.4g} (s = {s:.4g})",
                "local_gradient",
            ),
        ]


def _neuron_scaled(have, pattern):
    """`have` is c * pattern for some number c (a wrong local gradient of the sigmoid gate)."""
    have = np.asarray(have, dtype=float)
    if have.shape != pattern.shape:
        return False
    c = float(have @ pattern) / float(pattern @ pattern)
    return bool(np.isfinite(c) and np.allclose(have, c * pattern, rtol=1e-4, atol=1e-9))


register(
    Exercise(
        "neuron_gradients",
        viz.neuron_gradients,
        _neuron_inputs,
        ("f", "dw", "dx"),
        "01_computational_graph",
        mistakes=_neuron_mistakes,
        arguments=("w", "x"),
    )
)


# ----------------------------------------------------------------------------------------------
# 02_build_an_autograd_engine: the learner's own scalar engine, a class `Value` built in four
# steps, then a network of its nodes and a training loop. `run` drives the learner's class on
# random expressions, built the same way with helpers.graph.Node, which gives the expected
# outputs; each mistake is one of the classic wrong engines, run on the same inputs
# (helpers/_engine_checks.py). `reference` is the course's own answer (engine._Value, a network
# of it, engine.fit). The convention: backward() adds into .grad and never clears it (PyTorch's;
# see helpers.engine).

_ec = _engine_checks

register(
    Exercise(
        "engine_add_mul",
        _ec.Value,
        _ec.add_mul_inputs,
        ("[value, gradients]",),
        "02_build_an_autograd_engine",
        mistakes=_ec.add_mul_mistakes,
        run=_ec.engine_run(_ec.ADD_MUL),
        reference_run=_ec.expected_from(_ec.node_outputs),
        arguments=("expression",),
    )
)

register(
    Exercise(
        "engine_backward",
        _ec.Value,
        _ec.graph_inputs,
        ("gradients", "the inputs' gradients after a second graph's backward()"),
        "02_build_an_autograd_engine",
        mistakes=_ec.backward_mistakes,
        run=_ec.backward_run,
        reference_run=_ec.expected_from(_ec.node_backward),
        arguments=("graph",),
    )
)

register(
    Exercise(
        "engine_functions",
        _ec.Value,
        _ec.functions_inputs,
        ("x ** n", "x.exp()", "x.log()", "x.tanh()"),
        "02_build_an_autograd_engine",
        mistakes=_ec.functions_mistakes,
        run=_ec.engine_run(_ec.FUNCTIONS),
        reference_run=_ec.expected_from(_ec.node_outputs),
        arguments=("x ** n", "exp", "log", "tanh"),
    )
)

register(
    Exercise(
        "engine_sub_div",
        _ec.Value,
        _ec.sub_div_inputs,
        ("-x", "x - y", "c - x", "x / y", "c / x"),
        "02_build_an_autograd_engine",
        mistakes=_ec.sub_div_mistakes,
        run=_ec.engine_run(_ec.SUB_DIV),
        reference_run=_ec.expected_from(_ec.node_outputs),
        arguments=("-x", "x - y", "c - x", "x / y", "c / x"),
    )
)

register(
    Exercise(
        "engine_mlp",
        _ec.CourseMLP,
        _ec.network_inputs,
        ("gradients", "scores"),
        "02_build_an_autograd_engine",
        mistakes=_ec.network_mistakes,
        run=_ec.network_run,
        reference_run=_ec.expected_from(_ec.matrix_network),
        arguments=("sizes", "weights", "X", "y"),
    )
)

register(
    Exercise(
        "engine_training",
        engine.fit,
        _ec.training_inputs,
        ("losses", "parameters after training"),
        "02_build_an_autograd_engine",
        mistakes=_ec.training_mistakes,
        run=_ec.training_run,
        reference_run=_ec.training_run,
        arguments=("sizes", "weights", "X", "y", "steps", "lr"),
    )
)


# ----------------------------------------------------------------------------------------------
# 03_jacobian_chain_rule


def _matvec_inputs(rng, trial):
    n_in, n_out, _ = _sizes(trial)
    return _normal(rng, (n_out, 1)), _normal(rng, (n_out, n_in)), _normal(rng, (n_in, 1))


def _matvec_probes(rng):
    return _normal(rng, (4, 1)), _normal(rng, (4, 4)), _normal(rng, (4, 1))


def _matvec_mistakes(args, expected):
    delta, W, x = args
    dW, dx = expected
    n_out, n_in = W.shape
    last_col, last_row = dW.copy(), dW.copy()
    last_col[:, -1] = 0.0
    last_row[-1, :] = 0.0
    found = [
        Mistake(
            0,
            lambda have, got: np.shape(have) in ((), (1, 1), (1,)),
            "is a single number: the seed's delta^T x is an inner product; dW is the outer "
            "product delta @ x.T, one entry per weight",
            "inner_product",
        ),
        Mistake(
            0,
            W * delta,
            "is W scaled by delta; dW = delta @ x.T does not involve W (W multiplies x, so its "
            "gradient takes x from the forward pass)",
            "W_in_dW",
        ),
        Mistake(
            0,
            _in_another_shape(x.T),
            "is x.T alone, the local gradient; each row of dW is delta_i x^T: dW = delta @ x.T",
            "no_delta",
        ),
        Mistake(
            0,
            last_col,
            "leaves the last column at zero: a loop over range(n_in - 1) stops one short; "
            "loop over range(n_in)",
            "loop_off_by_one",
        ),
        Mistake(
            0,
            last_row,
            "leaves the last row at zero: a loop over range(n_out - 1) stops one short; "
            "loop over range(n_out)",
            "loop_off_by_one",
        ),
        Mistake(1, x, "is x itself; dx = W.T @ delta", "x_for_dx"),
        Mistake(
            1,
            _in_another_shape(W.T),
            "is W.T alone, the Jacobian's transpose; multiply it by delta: dx = W.T @ delta",
            "no_delta",
        ),
    ]
    slips = (  # these run only where n_in == n_out: named on the probes
        (
            1,
            lambda: W @ delta,
            "uses W where its transpose belongs: dx = W.T @ delta has the shape of x (n_in, 1)",
            "W_not_transposed",
        ),
        (
            1,
            lambda: W.T * delta,
            "multiplies entry by entry (W.T * delta); dx = W.T @ delta is a matrix product, "
            "each dx_j summing W_ij delta_i over the outputs i",
            "elementwise",
        ),
        (
            1,
            lambda: W.T @ x,
            "uses x where delta belongs: dx = W.T @ delta, the upstream gradient times the "
            "local one",
            "x_for_delta",
        ),
    )
    for i, value, message, key in slips:
        try:
            found.append(Mistake(i, _in_another_shape(value()), message, key))
        except ValueError:
            pass
    return found


register(
    Exercise(
        "matvec_vjp",
        jacobian.matvec_vjp,
        _matvec_inputs,
        ("dW", "dx"),
        "03_jacobian_chain_rule",
        mistakes=_matvec_mistakes,
        probes=_matvec_probes,
        arguments=("delta", "W", "x"),
    )
)


def _softmax_jacobian_inputs(rng, trial):
    n = 3 + trial
    return (_normal(rng, (n, 1), 2.0),)


def _softmax_jacobian_mistakes(args, expected):
    (z,) = args
    (J,) = expected
    s = layers.softmax(z)
    n = s.shape[0]
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
            np.diag(s.ravel()) - (s.T @ s).item(),
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
            s[0, 0] - s @ s.T,
            "starts from np.diag(s) of the column s (n, 1): np.diag of a 2-D array extracts its "
            "diagonal (here the single entry s[0, 0]), it does not build one. Use "
            "np.diag(s.ravel()) or np.diagflat(s)",
            "diag_of_column",
        ),
        Mistake(
            0,
            np.diag(s.ravel()) - s * s,
            "subtracts s * s, each s_i squared (an element-wise product), in every column; the "
            "second term is the outer product s @ s.T, entry (i, j) = s_i s_j",
            "squares",
        ),
        Mistake(
            0,
            2 * np.diag(np.diag(J)) - J,
            "has the wrong sign off the diagonal: for i != j the entry is -s_i s_j (raising "
            "score j lowers probability i); on the diagonal it is s_i (1 - s_i)",
            "off_diagonal_sign",
        ),
        Mistake(
            0,
            np.eye(n) - np.ones((n, n)),
            "is built from a softmax over the wrong axis: z is one column, so normalise over "
            "axis=0 (over axis=1 every probability comes out 1)",
            "softmax_axis",
        ),
        Mistake(
            0,
            np.eye(n) - s @ s.T,
            "uses the identity where diag(s) belongs: J = diag(s) - s s^T, entry (i, i) is "
            "s_i (1 - s_i)",
            "identity",
        ),
        Mistake(
            0,
            lambda have, got: np.shape(have) in (s.shape, (n,)),
            "is a vector: the softmax Jacobian is an (n, n) matrix, one row per output and one "
            "column per score, J = diag(s) - s @ s.T",
            "vector",
        ),
    ]


register(
    Exercise(
        "softmax_jacobian",
        jacobian.softmax_jacobian,
        _softmax_jacobian_inputs,
        ("J",),
        "03_jacobian_chain_rule",
        mistakes=_softmax_jacobian_mistakes,
        arguments=("z",),
    )
)


# ----------------------------------------------------------------------------------------------
# 04_relu_affine_bias


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
        "04_relu_affine_bias",
        mistakes=_relu_mistakes,
        probes=_relu_probes,
        arguments=("dA", "cache Z"),
    )
)


def _affine_backward_inputs(rng, trial):
    n_in, n_out, m = _sizes(trial)
    A_prev, W, b = _normal(rng, (n_in, m)), _normal(rng, (n_out, n_in)), _normal(rng, (n_out, 1))
    return _normal(rng, (n_out, m)), (A_prev, W, b)


def _affine_backward_probes(rng):
    n = 4
    return _normal(rng, (n, n)), (_normal(rng, (n, n)), _normal(rng, (n, n)), _normal(rng, (n, 1)))


def _runs(make):
    """make(), or None where a slip's formula does not run on these shapes (W @ dZ, say)."""
    try:
        with np.errstate(all="ignore"):
            return make()
    except ValueError:
        return None


def _same_numbers(value):
    """A test `have` == `value` that first compares shapes (value has another shape than the
    output, so the checker must not broadcast the two against each other)."""

    def matches(have, got):
        have = np.asarray(have, dtype=float)
        if have.shape != value.shape or not np.array_equal(np.isfinite(have), np.isfinite(value)):
            return False
        scale = float(np.max(np.abs(value), initial=0.0, where=np.isfinite(value)))
        ok = np.isfinite(value)
        return bool(np.allclose(have[ok], value[ok], rtol=2e-4, atol=2e-5 * max(scale, 1e-3)))

    return matches


def _declared(found, expected):
    """The mistakes that apply on these inputs: those whose formula ran (value not None), a value
    of another shape than its output compared shape first."""
    usable = []
    for mistake in found:
        value = mistake.value
        if value is None:
            continue
        if not callable(value) and isinstance(mistake.output, int):
            value = np.asarray(value, dtype=float)
            if value.shape != np.shape(expected[mistake.output]):
                mistake = Mistake(
                    mistake.output, _same_numbers(value), mistake.message, mistake.key
                )
        usable.append(mistake)
    return usable


def _affine_backward_mistakes(args, expected):
    dZ, (A_prev, W, b) = args
    found = [
        Mistake(
            0,
            _runs(lambda: W @ dZ),
            "uses W where its transpose belongs: dA_prev = W.T @ dZ",
            "W_not_transposed",
        ),
        Mistake(
            0,
            _runs(lambda: dZ @ W.T),
            "uses the row layout's formula (dX = dZ @ W.T, for examples in rows); here examples "
            "are columns: dA_prev = W.T @ dZ",
            "row_formula",
        ),
        Mistake(
            0,
            dZ.T @ W,
            "is transposed: W.T @ dZ has shape (n_in, m), one column per example",
            "transposed",
        ),
        Mistake(
            0,
            (W.T @ dZ) * (A_prev > 0),
            "multiplies by a ReLU mask 1[A_prev > 0]: the affine layer's gradient is W.T @ dZ "
            "alone; the mask belongs to relu_backward, the gate before it",
            "relu_mask",
        ),
        Mistake(
            1,
            _runs(lambda: dZ @ A_prev),
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
            1,
            _runs(lambda: A_prev.T @ dZ),
            "uses the row layout's formula (dW = X.T @ dZ, for examples in rows); here examples "
            "are columns: dW = dZ @ A_prev.T",
            "row_formula",
        ),
        Mistake(
            1,
            np.outer(dZ[:, 0], A_prev[:, 0]),
            "is the first example's outer product dz x^T only: a batch adds up every example's, "
            "dW = dZ @ A_prev.T",
            "one_example",
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
            "is missing the sum over the examples: b is added to every column, so "
            "db = dZ.sum(axis=1, keepdims=True)",
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
    return _declared(found, expected)


register(
    Exercise(
        "affine_backward",
        layers.affine_backward,
        _affine_backward_inputs,
        ("dA_prev", "dW", "db"),
        "04_relu_affine_bias",
        mistakes=_affine_backward_mistakes,
        m=lambda args: args[0].shape[1],
        probes=_affine_backward_probes,
        arguments=("dZ", "cache (A_prev, W, b)"),
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
    found = [
        Mistake(
            0,
            _runs(lambda: dZ @ W),
            "uses W where its transpose belongs: dX = dZ @ W.T",
            "W_not_transposed",
        ),
        Mistake(
            0,
            W @ dZ.T,
            "is transposed: dX = dZ @ W.T has one row per example, shape (m, n_in)",
            "transposed",
        ),
        Mistake(
            0,
            _runs(lambda: W.T @ dZ),
            "uses the column layout's formula (W.T @ dZ); in rows, dX = dZ @ W.T, one row per "
            "example",
            "column_formula",
        ),
        Mistake(
            1,
            dZ.T @ X,
            "is the column layout's formula: in rows, dW = X.T @ dZ, the shape of W (n_in, n_out)",
            "column_formula",
        ),
        Mistake(
            1,
            _runs(lambda: dZ @ X.T),
            "uses the column layout's formula (dZ @ A_prev.T); in rows, dW = X.T @ dZ, the shape "
            "of W (n_in, n_out)",
            "column_formula",
        ),
        Mistake(
            1,
            np.outer(X[0], dZ[0]),
            "is the first example's outer product only: a batch adds up every example's, "
            "dW = X.T @ dZ",
            "one_example",
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
            dZ.sum(axis=0)[:, None],
            "has shape (n_out, 1), the column layout's bias; here b is 1-D (n_out,): "
            "db = dZ.sum(axis=0)",
            "column_shape",
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
        Mistake(
            2,
            dZ,
            "is missing the sum over the examples: b is added to every row, so db = dZ.sum(axis=0)",
            "no_sum",
        ),
        Mistake(
            2,
            dZ[0],
            "is the first example's row only: add up all the examples, db = dZ.sum(axis=0)",
            "one_example",
        ),
    ]
    return _declared(found, expected)


register(
    Exercise(
        "affine_backward_rows",
        rowlayout.affine_backward_rows,
        _rows_inputs,
        ("dX", "dW", "db"),
        "04_relu_affine_bias",
        mistakes=_rows_mistakes,
        m=lambda args: args[0].shape[0],
        probes=_rows_probes,
        arguments=("dZ", "cache (X, W, b)"),
    )
)


# ----------------------------------------------------------------------------------------------
# 05_mlp_backprop


def _softmax_ce_inputs(rng, trial):
    _, n, m = _sizes(trial)
    n, m = n + 1, m + 2  # (4, 7), (3, 9), (5, 8), (6, 4): never square
    Z = _normal(rng, (n, m), 2.0)
    labels = rng.integers(0, n - 1, size=m)  # the last class is never the label
    if trial % 2 == 1:  # scores around +-1000: exp overflows unless each column is shifted
        Z[:, 0] += 1000.0  # exp(Z) overflows to inf: inf / inf
        Z[:, 1] -= 1000.0  # exp(Z) underflows to 0 (0 / 0), and so does a shift by the global max
        Z[0, 2] += 1000.0
        labels[2] = 1  # far below its column's largest score: its probability underflows to 0
    return Z, data.one_hot(labels, n)


def _log_softmax(Z):
    shifted = Z - Z.max(axis=0, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))


def _softmax_ce_variant(Z, Y, slip):
    """(loss, dZ) as a learner computes them with one slip: "naive" (exp(Z), no shift),
    "shift_all" (Z - Z.max()), "shift_rows" (Z - Z.max(axis=1)), "rows" (softmax over axis 1),
    "precedence" (dZ = P - Y / m)."""
    m = Z.shape[1]
    with np.errstate(all="ignore"):
        if slip == "rows":
            E = np.exp(Z - Z.max(axis=1, keepdims=True))
            P = E / E.sum(axis=1, keepdims=True)
        else:
            shift = {"naive": 0.0, "shift_all": Z.max(), "shift_rows": Z.max(axis=1, keepdims=True)}
            E = np.exp(Z - shift.get(slip, Z.max(axis=0, keepdims=True)))
            P = E / E.sum(axis=0, keepdims=True)
        loss = -np.sum(Y * np.log(P)) / m
        dZ = P - Y / m if slip == "precedence" else (P - Y) / m
    return float(loss), dZ


def _softmax_ce_mistakes(args, expected):
    Z, Y = args
    loss, dZ = expected
    n, m = Z.shape
    P = layers.softmax(Z)
    big = np.abs(Z).max() > 100
    slips = {
        slip: _softmax_ce_variant(Z, Y, slip)
        for slip in ("naive", "shift_all", "shift_rows", "rows", "precedence")
    }

    def finite(x):
        return bool(np.isfinite(np.asarray(x, dtype=float)).all())

    def loss_with_dZ(slip):
        """The loss of `slip`, or where it is not finite, a non-finite loss with the slip's dZ."""
        loss_v, dZ_v = slips[slip]
        if np.isfinite(loss_v):
            return loss_v
        same_dZ = _same_numbers(dZ_v)
        return lambda have, got: not finite(have) and same_dZ(got[1], got)

    overflow = (
        "is not finite on scores around +-1000: exp overflowed. Subtract each column's largest "
        "score before exp (Z - Z.max(axis=0, keepdims=True)); it changes no probability"
    )
    shift_all = (
        "is not finite on scores around +-1000: you subtract the largest score of the whole "
        "array, so a column whose scores are all near -1000 becomes exp(-2000) = 0 everywhere, "
        "and 0 / 0. Subtract each column's own largest score: Z - Z.max(axis=0, keepdims=True)"
    )
    shift_rows = (
        "is wrong: you subtract each row's largest score (axis=1), which changes the "
        "probabilities. Each column is one example: Z - Z.max(axis=0, keepdims=True)"
    )
    rows = (
        "uses a softmax over the rows (axis=1); each column is one example, so normalise over "
        "axis=0"
    )
    found = [
        Mistake(0, loss_with_dZ("shift_all"), shift_all, "shift_all"),
        Mistake(0, loss_with_dZ("naive"), overflow, "overflow"),
        Mistake(0, loss_with_dZ("shift_rows"), shift_rows, "shift_axis"),
        Mistake(0, loss_with_dZ("rows"), rows, "softmax_axis"),
        Mistake(
            0,
            lambda have, got: big and not finite(have) and finite(got[1]),
            "is infinite on scores around +-1000 although your dZ is fine: a probability "
            "underflowed to 0 and you took its log. Compute log p as shifted - "
            "log(sum(exp(shifted))) instead of log(softmax(Z))",
            "log_underflow",
        ),
        Mistake(
            0,
            lambda have, got: (
                big and finite(have) and float(np.asarray(have)) < loss - 1 and finite(got[1])
            ),
            "is too small on scores around +-1000: a probability underflowed to 0, and an "
            "epsilon (log(p + 1e-12), or a clip) hid it: log(1e-12) is -28 where the true "
            "log-probability is about -1000. Compute log p = shifted - log(sum(exp(shifted))) "
            "without forming p",
            "log_epsilon",
        ),
        Mistake(
            0,
            lambda have, got: big and not finite(have) and not finite(got[1]),
            overflow,
            "overflow",
        ),
        Mistake(
            0,
            loss * m,
            "is the summed loss; the course uses the mean over the m examples (divide by m)",
            "summed_loss",
        ),
        Mistake(
            0,
            loss / n,
            f"is a mean over all {n} x {m} entries; average over the m = {m} examples only "
            "(sum over the classes, then divide by m)",
            "mean_over_all",
        ),
        Mistake(
            0,
            -np.sum(_log_softmax(Z)) / m,
            "adds up the log-probabilities of every class; only the true class counts: "
            "multiply by Y before summing",
            "labels_ignored",
        ),
        Mistake(
            0,
            lambda have, got: np.shape(have) in ((m,), (1, m)),
            "is one loss per example; the loss is their mean over the m examples, a single "
            "number (divide the sum by m)",
            "per_example",
        ),
        Mistake(1, slips["shift_all"][1], shift_all, "shift_all"),
        Mistake(1, slips["naive"][1], overflow, "overflow"),
        Mistake(1, slips["shift_rows"][1], shift_rows, "shift_axis"),
        Mistake(1, slips["rows"][1], rows, "softmax_axis"),
        Mistake(
            1,
            lambda have, got: big and not finite(have),
            overflow,
            "overflow",
        ),
        Mistake(1, P / m, "is softmax(Z) / m: subtract Y, dZ = (softmax(Z) - Y) / m", "no_Y"),
        Mistake(
            1,
            slips["precedence"][1],
            "is P - Y / m: the brackets are missing, so only Y is divided by m. "
            "dZ = (softmax(Z) - Y) / m",
            "precedence",
        ),
        Mistake(
            1,
            (P - Y) / (n * m),
            f"is divided by {n} x {m}, every entry; the 1/m of the mean over the examples is all",
            "mean_over_all",
        ),
    ]
    return _declared(found, expected)


register(
    Exercise(
        "softmax_cross_entropy",
        layers.softmax_cross_entropy,
        _softmax_ce_inputs,
        ("loss", "dZ"),
        "05_mlp_backprop",
        mistakes=_softmax_ce_mistakes,
        m=_m_of(0),
        arguments=("Z", "Y"),
    )
)


def mlp_loss_and_grads(X, Y, Ws, bs):
    """`MLP.loss_and_grads` for the given weights, as (loss, dW1, db1, ..., dWL, dbL).

    The reference of notebook 05's "backprop for any depth": a ReLU network with a softmax output,
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
    X, Y, Ws, bs = random_network(rng, sizes, m)
    for W, b in zip(Ws[:-1], bs[:-1]):  # one unit per hidden layer with Z = 0 exactly: the
        W[0], b[0] = 0.0, 0.0  # kink, where the slope is 0 (which catches `Z >= 0`)
    return X, Y, Ws, bs


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
        if bug == "Z_for_A" and l > 1:
            A_prev = Zs[l - 1]

        grads = [dZ @ A_prev.T, dZ.sum(axis=1, keepdims=True)] + grads
        if l > 1:
            Wt = Ws[l - 1] if bug == "W_not_transposed" else Ws[l - 1].T
            mask = {
                "mask_of_Z_L": Zs[L] > 0,
                "mask_of_this_layer": Zs[l] > 0,
                "no_mask": 1.0,
                "mask_ge": Zs[l - 1] >= 0,
                "sigmoid_slope": As[l - 1] * (1 - As[l - 1]),
            }.get(bug, Zs[l - 1] > 0)

            dZ = (Wt @ dZ) * mask
    return (loss, *grads)


_MLP_BUGS = {
    "mask_of_Z_L": "uses g'(Z[L]) for every layer, as the seed's equation does: each layer's "
    "mask is its own, dZ[l] = dA[l] * 1[Z[l] > 0]",
    "mask_of_this_layer": "takes the mask from the wrong layer: dZ[l-1] = (W[l].T @ dZ[l]) * "
    "1[Z[l-1] > 0], the mask of layer l-1",
    "no_mask": "is missing the ReLU mask: dZ[l-1] = (W[l].T @ dZ[l]) * 1[Z[l-1] > 0] (a mask "
    "taken from the output, A[l-1] >= 0, is always true)",
    "mask_ge": "lets the gradient through where Z[l-1] == 0: the ReLU's slope there is 0, so the "
    "mask is 1[Z[l-1] > 0], not Z[l-1] >= 0",
    "sigmoid_slope": "uses the sigmoid's slope A (1 - A); the hidden layers here are ReLUs, "
    "whose slope is 1[Z[l-1] > 0]: dZ[l-1] = (W[l].T @ dZ[l]) * (Z[l-1] > 0)",
    "Z_for_A": "uses the pre-activation Z[l-1] where the activation belongs: dW[l] = dZ[l] @ "
    "A[l-1].T, with A[l-1] = relu(Z[l-1])",
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
        forward = bug in ("relu_on_output", "no_bias")  # slips that change the loss too
        found += [
            Mistake(i, value, message, bug) for i, value in enumerate(outputs) if i > 0 or forward
        ]
    # the loss's own slips (a summed loss, a softmax over the wrong axis, ...), on the scores Z[L]
    Z_L = X
    for l, (W, b) in enumerate(zip(Ws, bs), start=1):
        Z_L = W @ Z_L + b
        if l < len(Ws):
            Z_L = np.maximum(Z_L, 0)
    found += [
        mistake
        for mistake in _softmax_ce_mistakes((Z_L, Y), layers.softmax_cross_entropy(Z_L, Y))
        if mistake.output == 0 and not callable(mistake.value)
    ]

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
    return _declared(found, expected)


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
        "05_mlp_backprop",
        mistakes=_mlp_mistakes,
        m=_m_of(0),
        probes=_mlp_probes,
        arguments=("X", "Y", "Ws", "bs"),
    )
)


def mlp_sgd(model, X, Y, epochs, lr, batch_size, seed):
    """`model.fit(X, Y, epochs, lr, batch_size, seed)`: the reference of notebook 05's SGD loop.

    Returns the loss of every step, a list of epochs * ceil(m / batch_size) floats; `model`'s
    parameters are trained in place.
    """
    return model.fit(X, Y, epochs=epochs, lr=lr, batch_size=batch_size, seed=seed)


# (layer sizes, m, batch_size, hidden activation): m never a multiple of batch_size but in the
# last case, where a loop that asks for one batch too many gets an empty one.
_SGD_CASES = (
    ((3, 5, 4), 13, 4, "relu"),
    ((4, 6, 3), 11, 3, "tanh"),
    ((2, 5, 4, 3), 12, 5, "relu"),
    ((5, 4, 2), 8, 4, "sigmoid"),
)


def _sgd_inputs(rng, trial):
    sizes, m, batch_size, activation = _SGD_CASES[trial % len(_SGD_CASES)]
    model = MLP(sizes, activation=activation, seed=int(rng.integers(1000)))
    X = _normal(rng, (sizes[0], m))
    Y = data.one_hot(rng.integers(0, sizes[-1], m), sizes[-1])
    lr = (0.5, 0.3, 0.4, 0.2)[trial % 4]
    return model, X, Y, 3, lr, batch_size, 11 + trial  # seed never 0: a lost seed shows


def _sgd_run(fn, args):
    """fn on a copy of the model: (the losses it returns as an array, the trained parameters)."""
    model = copy.deepcopy(args[0])
    losses = fn(model, *args[1:])
    try:
        losses = losses if losses is None else np.asarray(losses, dtype=float)
    except (TypeError, ValueError):
        pass  # not a list of numbers: the checker says what came back
    return losses, np.concatenate([p.ravel() for p in model.params.values()])


def _sgd_variant(model, X, Y, epochs, lr, batch_size, seed, slip=None):
    """(losses, trained parameters) of the SGD loop with one slip `slip` (None: as `fit`)."""
    model = copy.deepcopy(model)
    m = X.shape[1]
    rng = np.random.default_rng(0 if slip == "seed_ignored" else seed)
    legacy = np.random.RandomState(seed)
    first = rng.permutation(m)
    step = {"ascent": -lr, "double_step": 2 * lr, "lr_squared": lr * lr}.get(slip, lr)
    step = lr / batch_size if slip == "lr_over_batch" else step
    losses, previous = [], None
    for epoch in range(epochs):
        order = first if epoch == 0 or slip == "same_order" else rng.permutation(m)
        order = {"no_shuffle": np.arange(m), "legacy_rng": legacy.permutation(m)}.get(slip, order)
        Xs, Ys = X[:, order], Y[:, order]
        if slip == "unpaired":
            Ys = Y[:, rng.permutation(m)]
        if slip == "Y_not_shuffled":
            Ys = Y
        starts = list(range(0, m - batch_size + 1 if slip == "drop_last" else m, batch_size))
        if slip == "double_last" and m % batch_size:
            starts.append(m - m % batch_size)
        for start in starts:
            Xb, Yb = Xs[:, start : start + batch_size], Ys[:, start : start + batch_size]
            if slip == "lagged" and previous is not None:
                model.sgd_step(previous, lr)  # the gradient of the step before
            loss, grads = model.loss_and_grads(Xb, Yb)
            loss = model.loss(X, Y) if slip == "whole_before" else loss
            if slip != "lagged":
                for name, value in model.params.items():
                    value -= step * grads["d" + name]
            previous = grads
            loss = model.loss(X, Y) if slip == "whole_after" else loss
            losses.append(model.loss(Xb, Yb) if slip == "loss_after_step" else loss)
    if slip == "per_epoch":
        losses = np.mean(np.reshape(losses, (epochs, -1)), axis=1)
    return np.array(losses), np.concatenate([p.ravel() for p in model.params.values()])


_SGD_SLIPS = {
    "no_shuffle": "come from batches taken in the order of the data, every epoch: shuffle at the "
    "start of each epoch, order = rng.permutation(m), and slice the batches from order",
    "same_order": "come from the same order in every epoch: draw a new order = rng.permutation(m) "
    "at the start of each epoch, from one generator made once before the epochs (a new "
    "np.random.default_rng(seed) in each epoch repeats the first order)",
    "seed_ignored": "come from another order than fit's: make the generator from the seed you are "
    "given, rng = np.random.default_rng(seed), not from a seed of your own",
    "legacy_rng": "come from np.random's old global generator (np.random.seed, "
    "np.random.permutation); fit draws from rng = np.random.default_rng(seed), made once, with "
    "order = rng.permutation(m) each epoch",
    "unpaired": "come from batches whose labels belong to other examples: X and Y were shuffled "
    "with two different permutations. Draw one order and index both with it, X[:, batch] and "
    "Y[:, batch]",
    "Y_not_shuffled": "come from batches whose labels belong to other examples: the columns of X "
    "were shuffled but not those of Y. Index both with the same batch, X[:, batch] and Y[:, batch]",
    "drop_last": "miss the last, smaller batch of each epoch: range(0, m, batch_size) gives every "
    "start, and order[start:start + batch_size] simply stops at m",
    "double_last": "hold the last, smaller batch twice per epoch: range(0, m, batch_size) already "
    "visits it (order[start:start + batch_size] stops at m), so no extra step for the remainder",
    "ascent": "go up, not down: the update has the wrong sign. Step against the gradient, "
    "params[name] -= lr * grads['d' + name]",
    "double_step": "come from steps twice too long: each parameter is updated twice per batch "
    "(model.sgd_step and your own update, or the update inside a second loop?)",
    "lr_squared": "come from steps of lr * lr: the learning rate is applied twice "
    "(lr * (lr * grads)); it multiplies the gradient once",
    "lr_over_batch": "come from steps divided by the batch size: the gradients of loss_and_grads "
    "are already those of the mean loss over the batch, so the step is lr * grads, no 1/m",
    "whole_before": "are the loss of the whole data set; record the loss of the batch, the one "
    "loss_and_grads returns for it",
    "whole_after": "are the loss of the whole data set after each step; record the loss of the "
    "batch, the one loss_and_grads returns for it, before the update",
    "loss_after_step": "are measured after each update; record the loss that loss_and_grads "
    "returns, computed before the step it leads to",
    "per_epoch": "hold one number per epoch; fit records the loss of every step, one per batch",
}


def _sgd_mistakes(args, expected):
    model, X, Y, epochs, lr, batch_size, seed = args
    losses, _ = expected
    m, n_steps = X.shape[1], len(expected[0])

    def slipped(slip, output):
        """A test `have` == output `output` of the loop with `slip`, run only when asked (a
        right answer never pays for the slips)."""
        ran = {}

        def matches(have, got):
            if "value" not in ran:
                try:
                    with np.errstate(all="ignore"):
                        variant = _sgd_variant(model, X, Y, epochs, lr, batch_size, seed, slip)
                    ran["value"] = variant[output]
                except ValueError:  # a diverging slip: the model refuses non-finite losses
                    ran["value"] = None
            return ran["value"] is not None and _same_numbers(ran["value"])(have, got)

        return matches

    found = [Mistake(0, slipped(slip, 0), message, slip) for slip, message in _SGD_SLIPS.items()]
    found.append(
        Mistake(
            1,
            slipped("lagged", 1),
            "miss the last step: each update uses the gradients of the step before, so the "
            "last batch's gradients are never applied. In each step: loss_and_grads on this "
            "batch, then the update with these gradients",
            "lagged",
        )
    )
    batches = -(-m // batch_size)
    found += [
        Mistake(
            0,
            lambda have, got: np.ndim(have) == 0,
            f"should be the list of every step's loss, {n_steps} numbers here; you returned one "
            "number. Append the loss of each batch to a list and return the list",
            "single_loss",
        ),
        Mistake(
            0,
            lambda have, got: np.ndim(have) == 1 and len(have) != n_steps,
            f"should hold one loss per step: epochs * ceil(m / batch_size) = {epochs} * "
            f"{batches} = {n_steps} numbers here (m = {m}, batch_size = {batch_size}; the last "
            f"batch of each epoch has {m - (batches - 1) * batch_size} examples)",
            "step_count",
        ),
        Mistake(
            0,
            lambda have, got: np.shape(have) == (n_steps,) and abs(have[0] - losses[0]) > 1e-9,
            "differ from fit's from the first step on, so the first batch is not fit's: one "
            "generator rng = np.random.default_rng(seed) before the epochs, order = "
            "rng.permutation(m) at the start of each, batch = order[start:start + batch_size] for "
            "X and for Y, and the loss loss_and_grads returns for that batch",
            "first_step",
        ),
        Mistake(
            0,
            lambda have, got: np.shape(have) == (n_steps,),
            "match fit's at the first step but not later: check the update (every parameter, "
            "params[name] -= lr * grads['d' + name], once per batch) and that each epoch draws "
            "a new order from the one generator",
            "later_steps",
        ),
    ]
    return _declared(found, expected)


register(
    Exercise(
        "sgd_loop",
        mlp_sgd,
        _sgd_inputs,
        ("losses", "parameters after training"),
        "05_mlp_backprop",
        mistakes=_sgd_mistakes,
        run=_sgd_run,
        reference_run=_sgd_run,
        arguments=("model", "X", "Y", "epochs", "lr", "batch_size", "seed"),
    )
)


# ----------------------------------------------------------------------------------------------
# 06_saturation_and_dead_relus


def _saturated_inputs(rng, trial):
    _, n, m = _sizes(trial)
    Z = _normal(rng, (n + 2, m + 6), 6.0)
    Z[0] = np.where(Z[0] < 0, -1.0, 1.0) * (5.0 + np.abs(Z[0]))  # a unit saturated on every example
    Z[1:, 0] = 0.0  # and only that one: A = 0.5 is as far from saturated as a sigmoid gets
    return (layers.sigmoid(Z),)


def _saturated_mistakes(args, expected):
    (A,) = args
    share = expected[0]
    saturated = A * (1 - A) < 0.01
    count = float(np.sum(saturated))
    n_units, m = A.shape
    return [
        Mistake(
            0,
            count,
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
            100 * share,
            "is a percentage; return the share, a number between 0 and 1",
            "percent",
        ),
        Mistake(
            0,
            count / n_units,
            "divides the count by the number of units (rows) only; the share is over every "
            "entry, (unit, example) pairs: divide by A.size, or use np.mean",
            "wrong_count",
        ),
        Mistake(
            0,
            count / m,
            "divides the count by the number of examples (columns) only; the share is over "
            "every entry, (unit, example) pairs: divide by A.size, or use np.mean",
            "wrong_count",
        ),
        *(
            Mistake(
                0,
                float(np.mean(one_side)),
                f"counts only the outputs near {side}: a sigmoid saturates near 0 and near 1, "
                "and A (1 - A) < 0.01 catches both",
                "one_side",
            )
            for side, sides in (
                ("0", (A < 0.01, saturated & (A < 0.5))),
                ("1", (A > 0.99, saturated & (A > 0.5))),
            )
            for one_side in sides
        ),
        Mistake(
            0,
            float(np.mean(np.all(saturated, axis=1))),
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
            lambda have, got: np.shape(have) == A.shape,
            "is the mask A (1 - A) < 0.01 itself, one entry per (unit, example); the share is "
            "its mean, one number: np.mean(mask)",
            "mask",
        ),
        Mistake(
            0,
            float(np.mean(A * (1 - A) < 0.1)),
            "uses the threshold 0.1; the exercise's is 0.01",
            "threshold",
        ),
        Mistake(
            0,
            0.0,
            "is 0: not one entry passed your test. A holds s(Z), values in [0, 1], so test "
            "A (1 - A) < 0.01 on A itself (the sigmoid applied again, or |Z| > 4.6 applied to A, "
            "never fires)",
            "never_fires",
        ),
    ]


register(
    Exercise(
        "saturated_fraction",
        labs.saturated_fraction,
        _saturated_inputs,
        ("share",),
        "06_saturation_and_dead_relus",
        mistakes=_saturated_mistakes,
        arguments=("A",),
    )
)


def _dead_inputs(rng, trial):
    _, n, m = _sizes(trial)
    Z = np.abs(_normal(rng, (2 * n + 5, m + 5))) + 0.1  # (11, 10), (9, 12), (13, 11), (15, 7)
    Z[[0, 3]] = -Z[[0, 3]]  # two units that never fire
    Z[4] = -Z[4]
    Z[4, 2] = 0.0  # one that reaches 0 at best: dead too
    Z[1] = -Z[1]
    Z[1, 1] = 0.5  # one that fires on a single example: alive, though its mean Z is negative
    Z[5, :2] = -0.5  # a unit that fires on most examples but not all: alive

    return (Z,)


def _dead_mistakes(args, expected):
    (Z,) = args
    n_units, m = Z.shape
    dead = ~(Z > 0).any(axis=1)
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
            float(np.sum(dead)),
            "is a count; return the share: divide by the number of units",
            "count",
        ),
        Mistake(
            0,
            100 * float(np.mean(dead)),
            "is a percentage; return the share, a number between 0 and 1",
            "percent",
        ),
        Mistake(
            0,
            float(np.sum(dead)) / m,
            "divides the number of dead units by the number of examples (columns); divide by "
            "the number of units (rows), Z.shape[0]",
            "wrong_count",
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
            float(np.mean(Z.mean(axis=1) < 0)),
            "counts the units whose average Z is negative; a unit is dead only when it is "
            "silent on every example: no Z > 0 in its row",
            "mean_negative",
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
        "06_saturation_and_dead_relus",
        mistakes=_dead_mistakes,
        arguments=("Z",),
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
    negative = (Z <= 0) & (dA != 0)

    def fixed_alpha(have, got):
        """dA where Z > 0 and c * dA elsewhere, for one constant c that is not alpha."""
        have = np.asarray(have, dtype=float)
        if have.shape != Z.shape or not negative.any() or not np.allclose(have[Z > 0], dA[Z > 0]):
            return False
        ratios = have[negative] / dA[negative]
        return bool(np.allclose(ratios, ratios[0]) and not np.isclose(ratios[0], alpha))

    return [
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
            dA,
            "is dA unchanged: where Z <= 0 the slope is alpha (is the cache unpacked in its "
            "order? Z, alpha = cache)",
            "no_mask",
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
        Mistake(
            0,
            dA * np.maximum(Z, alpha * Z),
            "multiplies dA by the leaky ReLU's output max(Z, alpha Z); multiply by its slope: "
            "1 where Z > 0, alpha elsewhere",
            "times_output",
        ),
        Mistake(
            0,
            dA * ((Z > 0) + alpha),
            "adds alpha to the slope everywhere, 1 + alpha where Z > 0; the slope is 1 where "
            "Z > 0 and alpha elsewhere: np.where(Z > 0, dA, alpha * dA)",
            "mask_plus_alpha",
        ),
        Mistake(
            0,
            fixed_alpha,
            f"uses a fixed alpha where Z <= 0; take alpha from the cache (here {alpha:g}, it "
            "changes from one layer to the next): Z, alpha = cache",
            "alpha_hard_coded",
        ),
    ]


register(
    Exercise(
        "leaky_relu_backward",
        layers.leaky_relu_backward,
        _leaky_inputs,
        ("dZ",),
        "06_saturation_and_dead_relus",
        mistakes=_leaky_mistakes,
        arguments=("dA", "cache (Z, alpha)"),
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
    (P,) = expected
    m = Z.shape[1]
    big = np.abs(Z).max() > 100
    with np.errstate(all="ignore"):
        E_rows = np.exp(Z - Z.max(axis=1, keepdims=True))  # shifted by each row's largest score
        E = np.exp(Z - Z.max(axis=0, keepdims=True))  # shifted by each column's (right)
        E_all = np.exp(Z - Z.max())  # shifted by the largest score of the whole array
        log_P = Z - Z.max(axis=0, keepdims=True)
        log_P -= np.log(E.sum(axis=0, keepdims=True))
        first, last = P.copy(), P.copy()
        first[:, 0] = 0.0
        last[:, -1] = 0.0
        return [
            Mistake(
                0,
                E_rows / E_rows.sum(axis=1, keepdims=True),
                "normalises the rows; each column (one example) must sum to 1, so use axis=0",
                "axis",
            ),
            Mistake(
                0,
                E / E.sum(axis=1, keepdims=True),
                "normalises the rows; each column (one example) must sum to 1, so sum over "
                "axis=0 (keepdims=True)",
                "axis",
            ),
            Mistake(
                0,
                E_all / E_all.sum(axis=0, keepdims=True),
                "subtracts the largest score of the whole array: a column whose scores all lie "
                "far below it gets exp(...) = 0 everywhere, and 0 / 0. Subtract each column's "
                "own largest score, Z.max(axis=0, keepdims=True)",
                "global_max",
            ),
            Mistake(
                0,
                E_rows / E_rows.sum(axis=0, keepdims=True),
                "subtracts each row's largest score (axis=1), which changes every column's "
                "softmax; subtract each column's own, Z.max(axis=0, keepdims=True)",
                "max_axis",
            ),
            Mistake(
                0,
                lambda have, got: big and not np.isfinite(np.asarray(have, float)).all(),
                "is not finite on scores around 1000: exp overflowed. Subtract each column's "
                "largest score first, Z - Z.max(axis=0, keepdims=True) (softmax does not change)",
                "overflow",
            ),
            Mistake(
                0,
                E_all / E_all.sum(),
                "divides by the sum over every entry; each column must sum to 1 on its own "
                "(axis=0, keepdims=True)",
                "sum_all",
            ),
            Mistake(
                0,
                E,
                "is not normalised: its columns do not sum to 1 (after the shift, dividing by "
                "each column's largest exp divides by 1). Divide the exponentials by their sum "
                "over each column: E / E.sum(axis=0, keepdims=True)",
                "not_normalised",
            ),
            Mistake(
                0,
                np.exp(Z),
                "is not normalised: divide the exponentials by their sum over each column, "
                "E / E.sum(axis=0, keepdims=True)",
                "not_normalised",
            ),
            Mistake(
                0,
                E / Z.sum(axis=0, keepdims=True),
                "divides by the sum of the scores Z; divide by the sum of the exponentials: "
                "E / E.sum(axis=0, keepdims=True)",
                "sum_of_Z",
            ),
            Mistake(
                0,
                layers.softmax(-Z),
                "is the softmax of -Z: the shift is Z - Z.max(axis=0, keepdims=True), scores "
                "minus their largest, not the other way round",
                "shift_reversed",
            ),
            Mistake(
                0,
                log_P,
                "is the log of the softmax (shifted - log of the sum); take exp of it, or divide "
                "the exponentials by their sum",
                "log_softmax",
            ),
            Mistake(
                0,
                last,
                f"leaves the last column (example {m - 1}) at zero: a loop over "
                "range(m - 1) stops one short; loop over range(m)",
                "loop_off_by_one",
            ),
            Mistake(
                0,
                first,
                "leaves the first column (example 0) at zero: a loop from 1 skips it; loop over "
                "range(m)",
                "loop_off_by_one",
            ),
        ]


register(
    Exercise(
        "softmax",
        layers.softmax,
        _softmax_inputs,
        ("softmax(Z)",),
        mistakes=_softmax_mistakes,
        arguments=("Z",),
    )
)


# ----------------------------------------------------------------------------------------------
# 07_from_our_graph_to_pytorch: the learner's ReLU backward inside a torch.autograd.Function.
# PyTorch is optional: it is imported only when a check runs a torch.autograd.Function.


def relu_function_reference(Z, dA):
    """What a ReLU torch.autograd.Function gives: A = max(Z, 0) and dZ for the upstream dA.

    Z : ndarray (n, m)   the input;  dA : ndarray (n, m)   the upstream gradient dL/dA
    Returns A (n, m) and dZ (n, m), as `relu_forward` and `relu_backward` compute them.
    """
    A, cache = layers.relu_forward(Z)
    return A, layers.relu_backward(dA, cache)


def _relu_function_run(function, args):
    """Apply a torch.autograd.Function subclass to Z and run its backward with dA; return
    (A, Z.grad) as arrays. A plain function (the reference) is called as function(Z, dA)."""
    Z, dA = args
    if not hasattr(function, "apply"):
        return function(Z, dA)
    import torch

    z = torch.tensor(Z, dtype=torch.float64, requires_grad=True)
    a = function.apply(z)
    if not isinstance(a, torch.Tensor):
        return a, None
    a.backward(torch.tensor(dA, dtype=a.dtype))
    return a.detach().numpy(), None if z.grad is None else z.grad.numpy()


def _relu_function_inputs(rng, trial):
    dA, Z = _relu_inputs(rng, trial)
    return Z, dA


def _relu_function_mistakes(args, expected):
    Z, dA = args
    found = [
        Mistake(
            0,
            Z,
            "is Z unchanged: forward must return max(Z, 0) (Z.clamp(min=0))",
            "forward_identity",
        ),
        Mistake(
            0,
            (Z > 0).astype(float),
            "is the mask 1[Z > 0]: forward returns max(Z, 0); the mask belongs to backward",
            "forward_mask",
        ),
    ]
    for m in _relu_mistakes((dA, Z), expected[1:]):
        found.append(Mistake(1, m.value, m.message.replace("dA", "grad_output"), m.key))
    return found


register(
    Exercise(
        "relu_function",
        relu_function_reference,
        _relu_function_inputs,
        ("A", "dZ"),
        "07_from_our_graph_to_pytorch",
        mistakes=_relu_function_mistakes,
        run=_relu_function_run,
        arguments=("Z", "grad_output"),
    )
)


def names():
    """The exercises in the order of the course."""
    return list(EXERCISES)


__all__ = ["EXERCISES", "mlp_loss_and_grads", "mlp_sgd", "names", "random_network"]
