"""Bad input to a public function: the right error type, and a message that teaches.

Each case names the call, the error type and the phrases the message must contain (the argument,
the expected and the received shape or dtype).
"""

import numpy as np
import pytest

from helpers import data, gradcheck, graph, layers
from helpers.mlp import MLP

rng = np.random.default_rng(0)
A_prev, W, b = rng.standard_normal((4, 10)), rng.standard_normal((3, 4)), np.zeros((3, 1))
Z = rng.standard_normal((3, 10))
Y = data.one_hot(rng.integers(0, 3, 10), 3)
_, affine_cache = layers.affine_forward(A_prev, W, b)
_, relu_cache = layers.relu_forward(Z)
nan_W = W.copy()
nan_W[1, 2] = np.nan
inf_A = A_prev.copy()
inf_A[0, 0] = np.inf


def diverged_model():
    model = MLP([4, 3, 3])
    model.params["W2"][0, 0] = np.inf
    return model


CASES = [
    # (id, call, error type, phrases in the message)
    (
        "affine rows",
        lambda: layers.affine_forward(rng.standard_normal((5, 10)), W, b),
        ValueError,
        ["A_prev has 5 rows but W expects 4 inputs", "(3, 4)", "(5, 10)", "examples are columns"],
    ),
    (
        "affine A_prev 1-D",
        lambda: layers.affine_forward(np.ones(4), W, b),
        ValueError,
        ["A_prev must be a 2-D array", "(4,)", "reshape(-1, 1)"],
    ),
    (
        "affine W 3-D",
        lambda: layers.affine_forward(A_prev, np.ones((3, 4, 1)), b),
        ValueError,
        ["W must be a 2-D array", "(3, 4, 1)"],
    ),
    (
        "affine b as row",
        lambda: layers.affine_forward(A_prev, W, np.zeros((1, 3))),
        ValueError,
        ["b must have shape (3, 1)", "got (1, 3)"],
    ),
    (
        "affine b 1-D",
        lambda: layers.affine_forward(A_prev, W, np.zeros(3)),
        ValueError,
        ["b must have shape (3, 1)", "got (3,)"],
    ),
    (
        "affine strings",
        lambda: layers.affine_forward(np.array([["a", "b"]]), W, b),
        TypeError,
        ["A_prev must hold real numbers", "<U1"],
    ),
    (
        "affine complex",
        lambda: layers.affine_forward(A_prev.astype(complex), W, b),
        TypeError,
        ["A_prev", "complex128", "(4, 10)"],
    ),
    (
        "affine NaN in W",
        lambda: layers.affine_forward(A_prev, nan_W, b),
        ValueError,
        ["W (3, 4) holds 1 NaN", "index (1, 2)", "learning rate"],
    ),
    (
        "affine inf in data",
        lambda: layers.affine_forward(inf_A, W, b),
        ValueError,
        ["A_prev (4, 10)", "1 infinite", "index (0, 0)"],
    ),
    (
        "affine object",
        lambda: layers.affine_forward(A_prev, W, {"b": 1}),
        TypeError,
        ["b must hold real numbers", "object"],
    ),
    (
        "affine_backward dZ shape",
        lambda: layers.affine_backward(np.ones((3, 9)), affine_cache),
        ValueError,
        ["dZ must have shape (3, 10)", "got (3, 9)"],
    ),
    (
        "affine_backward dZ transposed",
        lambda: layers.affine_backward(np.ones((10, 3)), affine_cache),
        ValueError,
        ["dZ must have shape (3, 10)", "got (10, 3)", "examples are columns"],
    ),
    (
        "affine_backward bad cache",
        lambda: layers.affine_backward(Z, (A_prev, W)),
        TypeError,
        ["cache must be the (A_prev, W, b)", "tuple of 2"],
    ),
    (
        "relu_backward shape",
        lambda: layers.relu_backward(np.ones((3, 9)), relu_cache),
        ValueError,
        ["dA must have the shape of the forward output (3, 10)", "got (3, 9)"],
    ),
    (
        "relu_backward cache",
        lambda: layers.relu_backward(Z, "Z"),
        TypeError,
        ["cache must be the Z from relu_forward", "str"],
    ),
    (
        "sigmoid_backward shape",
        lambda: layers.sigmoid_backward(np.ones((10, 3)), layers.sigmoid_forward(Z)[1]),
        ValueError,
        ["(3, 10)", "got (10, 3)"],
    ),
    (
        "tanh_backward NaN",
        lambda: layers.tanh_backward(np.full((3, 10), np.nan), layers.tanh_forward(Z)[1]),
        ValueError,
        ["dA (3, 10) holds 30 NaN"],
    ),
    (
        "leaky cache",
        lambda: layers.leaky_relu_backward(Z, Z),
        TypeError,
        ["cache must be the (Z, alpha)"],
    ),
    (
        "softmax 1-D",
        lambda: layers.softmax(np.ones(3)),
        ValueError,
        ["Z must be a 2-D array (features, examples)", "(3,)"],
    ),
    (
        "softmax_ce labels as indices",
        lambda: layers.softmax_cross_entropy(Z, np.zeros(10, dtype=int)),
        ValueError,
        ["Y must be one-hot with shape (3, 10)", "class indices of shape (10,)", "one_hot(y, 3)"],
    ),
    (
        "softmax_ce Y transposed",
        lambda: layers.softmax_cross_entropy(Z, Y.T),
        ValueError,
        ["Y must have the shape of Z (3, 10)", "got (10, 3)", "transposed"],
    ),
    (
        "softmax_ce Y not probabilities",
        lambda: layers.softmax_cross_entropy(Z, Y * 3),
        ValueError,
        ["probabilities in [0, 1]", "0 to 3"],
    ),
    (
        "sigmoid_ce shapes",
        lambda: layers.sigmoid_cross_entropy(np.ones((1, 5)), np.ones((1, 4))),
        ValueError,
        ["Y must have the shape of Z (1, 5)", "got (1, 4)"],
    ),
    (
        "sigmoid_ce inf",
        lambda: layers.sigmoid_cross_entropy(np.array([[np.inf, 0.0]]), np.ones((1, 2))),
        ValueError,
        ["Z (1, 2)", "1 infinite"],
    ),
    (
        "MLP X rows",
        lambda: MLP([4, 3, 3]).forward(np.ones((5, 2))),
        ValueError,
        ["X has 5 rows but the network expects 4 input features", "(5, 2)", "examples are columns"],
    ),
    (
        "MLP X transposed",
        lambda: MLP([4, 3, 3]).loss_and_grads(np.ones((10, 4)), Y),
        ValueError,
        ["X has 10 rows", "4 input features", "transposed"],
    ),
    (
        "MLP Y batch mismatch",
        lambda: MLP([4, 3, 3]).loss_and_grads(A_prev, Y[:, :7]),
        ValueError,
        ["Y must have the shape of Z (3, 10)", "got (3, 7)"],
    ),
    (
        "MLP Y indices",
        lambda: MLP([4, 3, 3]).loss_and_grads(A_prev, np.zeros(10)),
        ValueError,
        ["one-hot", "(10,)"],
    ),
    (
        "MLP X NaN",
        lambda: MLP([4, 3, 3]).predict(np.full((4, 2), np.nan)),
        ValueError,
        ["X (4, 2) holds 8 NaN"],
    ),
    (
        "MLP diverged params",
        lambda: diverged_model().loss_and_grads(A_prev, Y),
        ValueError,
        ["params['W2'] (3, 3)", "infinite", "learning rate"],
    ),
    ("MLP layer sizes", lambda: MLP([4]), ValueError, ["at least [n_inputs, n_outputs]", "[4]"]),
    (
        "MLP layer size type",
        lambda: MLP([4, 2.5, 3]),
        TypeError,
        ["layer_sizes[1] must be an integer", "2.5"],
    ),
    (
        "MLP activation",
        lambda: MLP([4, 3], activation="softplus"),
        ValueError,
        ["activation must be one of", "'softplus'"],
    ),
    (
        "MLP init",
        lambda: MLP([4, 3], init="glorot"),
        ValueError,
        ["init must be 'he', 'xavier' or a number"],
    ),
    (
        "MLP negative init",
        lambda: MLP([4, 3], init=-1.0),
        ValueError,
        ["init must be positive", "-1.0"],
    ),
    (
        "MLP dtype",
        lambda: MLP([4, 3], dtype=np.int32),
        TypeError,
        ["dtype must be float64 or float32", "int32"],
    ),
    (
        "MLP softmax one class",
        lambda: MLP([4, 1]),
        ValueError,
        ["softmax output needs at least 2 classes"],
    ),
    (
        "fit lr",
        lambda: MLP([4, 3, 3]).fit(A_prev, Y, lr=0),
        ValueError,
        ["lr must be positive", "0.0"],
    ),
    (
        "fit batch",
        lambda: MLP([4, 3, 3]).fit(A_prev, Y, batch_size=0),
        ValueError,
        ["batch_size must be at least 1"],
    ),
    (
        "accuracy y shape",
        lambda: MLP([4, 3, 3]).accuracy(A_prev, np.zeros((1, 10))),
        ValueError,
        ["y must hold one class index per example", "(10,)", "(1, 10)"],
    ),
    (
        "one_hot range",
        lambda: data.one_hot([0, 3], 3),
        ValueError,
        ["labels must lie in 0..2", "0..3"],
    ),
    (
        "one_hot 2-D",
        lambda: data.one_hot(np.zeros((2, 2), dtype=int), 3),
        ValueError,
        ["labels must be 1-D", "(2, 2)"],
    ),
    (
        "one_hot float labels",
        lambda: data.one_hot([0.5, 1.0], 3),
        TypeError,
        ["integer class indices", "float64"],
    ),
    (
        "numerical_gradient int x",
        lambda: gradcheck.numerical_gradient(lambda: 0.0, np.ones(3, dtype=int)),
        TypeError,
        ["x must be a float ndarray", "int64"],
    ),
    (
        "numerical_gradient list",
        lambda: gradcheck.numerical_gradient(lambda: 0.0, [1.0]),
        TypeError,
        ["x must be a float ndarray", "list"],
    ),
    (
        "numerical_gradient non-scalar f",
        lambda: gradcheck.numerical_gradient(lambda: np.ones(2), np.ones(3)),
        ValueError,
        ["f() must return a scalar", "(2,)"],
    ),
    (
        "rel_error shapes",
        lambda: gradcheck.rel_error(np.ones((2, 3)), np.ones((3, 2))),
        ValueError,
        ["same shape", "(2, 3) and (3, 2)"],
    ),
    ("Node string", lambda: graph.Node("3"), TypeError, ["value must be a real number", "str"]),
    ("Node NaN", lambda: graph.Node(float("nan")), ValueError, ["value must be finite", "nan"]),
    (
        "Node plus list",
        lambda: graph.Node(1.0) + [1, 2],
        TypeError,
        ["expected a Node or a number", "list"],
    ),
    (
        "Node ** Node",
        lambda: graph.Node(2.0) ** graph.Node(2.0),
        TypeError,
        ["exponent must be a number"],
    ),
    (
        "Node log of negative",
        lambda: graph.Node(-1.0).log(),
        ValueError,
        ["log: the input must be positive", "-1.0"],
    ),
    ("Node exp overflow", lambda: graph.Node(1e4).exp(), ValueError, ["overflows", "sigmoid()"]),
    (
        "Node divide by zero",
        lambda: graph.Node(1.0) / graph.Node(0.0),
        ZeroDivisionError,
        ["value is 0"],
    ),
]


@pytest.mark.parametrize(
    ("call", "error", "phrases"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_is_explained(call, error, phrases):
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    for phrase in phrases:
        assert phrase in message, f"{phrase!r} not in {message!r}"


def test_there_are_at_least_thirty_distinct_cases():
    assert len({c[0] for c in CASES}) == len(CASES) >= 30
