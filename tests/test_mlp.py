"""helpers.mlp: gradients against autograd and central differences; init, training, dtypes."""

import itertools

import numpy as np
import pytest

from helpers.data import blobs, one_hot
from helpers.gradcheck import model_gradient_errors, rel_error
from helpers.mlp import MLP

from . import backends as B
from .backends import TOL

ARCHITECTURES = [[3, 2], [4, 5, 3], [2, 6, 4, 3], [5, 3, 3, 2, 4]]
ACTIVATIONS = ["relu", "leaky_relu", "sigmoid", "tanh"]
OUTPUTS = ["softmax", "sigmoid"]


def labels(rng, output, n_out, m):
    if output == "softmax":
        return one_hot(rng.integers(0, n_out, m), n_out)
    return rng.integers(0, 2, (n_out, m)).astype(float)


@pytest.mark.parametrize(
    ("sizes", "activation", "output", "seed"),
    list(itertools.product(ARCHITECTURES, ACTIVATIONS, OUTPUTS, range(3))),
)
def test_loss_and_grads_match_autograd(sizes, activation, output, seed):
    rng = np.random.default_rng(seed)
    m = 7
    model = MLP(sizes, activation=activation, output=output, seed=seed, bias=0.1)
    X, Y = rng.standard_normal((sizes[0], m)), labels(rng, output, sizes[-1], m)
    loss, grads = model.loss_and_grads(X, Y)
    assert sorted(grads) == sorted("d" + k for k in model.params)
    assert abs(loss - B.mlp_loss(np, model.params, X, Y, activation, output)) < 1e-12
    want = B.autodiff(lambda xp, p: B.mlp_loss(xp, p, X, Y, activation, output), 0, model.params)
    for name, value in model.params.items():
        assert grads["d" + name].shape == value.shape
        assert rel_error(grads["d" + name], want[name]) < TOL, name


@pytest.mark.parametrize(("activation", "output"), list(itertools.product(ACTIVATIONS, OUTPUTS)))
def test_loss_and_grads_match_central_differences(activation, output):
    rng = np.random.default_rng(1)
    model = MLP([4, 5, 3], activation=activation, output=output, seed=2, bias=0.1)
    X, Y = rng.standard_normal((4, 6)), labels(rng, output, 3, 6)
    _, grads = model.loss_and_grads(X, Y)
    from helpers.gradcheck import numerical_gradient

    for name, value in model.params.items():
        numeric = numerical_gradient(lambda: model.loss(X, Y), value)
        assert B.agrees_with_numeric(grads["d" + name], numeric), name
    assert max(model_gradient_errors(model, X, Y).values()) < 1e-5


def test_forward_returns_probabilities_and_predict_their_argmax():
    rng = np.random.default_rng(0)
    model = MLP([3, 4, 5])
    X = rng.standard_normal((3, 8))
    Y_hat, caches = model.forward(X)
    assert Y_hat.shape == (5, 8) and np.allclose(Y_hat.sum(axis=0), 1)
    assert len(caches) == model.L == 2
    assert np.array_equal(model.predict(X), Y_hat.argmax(axis=0))
    binary = MLP([3, 4, 1], output="sigmoid")
    p, _ = binary.forward(X)
    assert p.shape == (1, 8) and ((p > 0) & (p < 1)).all()
    assert np.array_equal(binary.predict(X), (p[0] > 0.5).astype(int))


@pytest.mark.parametrize(
    ("init", "std"), [("he", np.sqrt(2 / 400)), ("xavier", np.sqrt(2 / 700)), (0.05, 0.05)]
)
def test_initialisation_scale(init, std):
    model = MLP([400, 300, 10], init=init, seed=3)
    W1 = model.params["W1"]
    assert abs(W1.std() / std - 1) < 0.02
    assert np.all(model.params["b1"] == 0)
    assert np.all(MLP([4, 3], bias=-2.0).params["b1"] == -2.0)


def test_same_seed_same_network_and_training():
    X, y = blobs(50, 3, seed=1)
    Y = one_hot(y, 3)
    runs = []
    for _ in range(2):
        model = MLP([2, 8, 3], seed=4)
        runs.append(
            (model.fit(X, Y, epochs=3, lr=0.5, batch_size=16, seed=5), model.params["W1"].copy())
        )
    assert runs[0][0] == runs[1][0] and np.array_equal(runs[0][1], runs[1][1])
    assert not np.array_equal(MLP([2, 8, 3], seed=5).params["W1"], runs[0][1])


def test_fit_learns_a_separable_problem():
    X, y = blobs(100, 3, spread=0.4, seed=0)
    model = MLP([2, 16, 3], seed=0)
    history = model.fit(X, one_hot(y, 3), epochs=20, lr=0.5, batch_size=32, seed=0)
    assert len(history) == 20 * 10 and all(isinstance(v, float) for v in history)
    assert np.mean(history[-10:]) < 0.3 * np.mean(history[:10])
    assert model.accuracy(X, y) > 0.95


def test_float32_model():
    rng = np.random.default_rng(0)
    model = MLP([4, 6, 3], dtype=np.float32)
    X, Y = rng.standard_normal((4, 5)), one_hot(rng.integers(0, 3, 5), 3)
    loss, grads = model.loss_and_grads(X, Y)
    assert all(g.dtype == np.float32 for g in grads.values())
    reference = MLP([4, 6, 3])
    reference.params = {k: v.astype(np.float64) for k, v in model.params.items()}
    _, grads64 = reference.loss_and_grads(X, Y)
    assert max(rel_error(grads[k], grads64[k]) for k in grads) < 1e-4


def test_integer_inputs_are_accepted():
    model = MLP([2, 3, 2])
    loss_int = model.loss(np.array([[1, 2], [3, 4]]), np.array([[1, 0], [0, 1]]))
    loss_float = model.loss(np.array([[1.0, 2.0], [3.0, 4.0]]), np.eye(2))
    assert loss_int == loss_float


def test_binary_predict_thresholds_the_probability_at_one_half():
    model = MLP([2, 6, 1], activation="tanh", output="sigmoid", seed=3)
    X = np.random.default_rng(1).standard_normal((2, 400))
    Y_hat, _ = model.forward(X)
    Z = np.log(Y_hat[0] / (1 - Y_hat[0]))  # the score of each example
    assert ((Z > 0) & (Z < 0.5)).any()  # scores between the two thresholds are tested
    assert np.array_equal(model.predict(X), (Y_hat[0] > 0.5).astype(int))


def test_sgd_step_checks_everything_before_changing_a_parameter():
    model = MLP([4, 3, 3], seed=1)
    X, Y = np.random.default_rng(0).standard_normal((4, 5)), one_hot([0, 1, 2, 1, 0], 3)
    _, grads = model.loss_and_grads(X, Y)
    before = {k: v.copy() for k, v in model.params.items()}
    partial = {k: v for k, v in grads.items() if k != "db2"}
    for bad_grads, lr in ((partial, 0.1), (grads, float("nan")), (grads, True), (grads, 0.0)):
        with pytest.raises((ValueError, TypeError), match=r"MLP\.sgd_step: (grads|lr)"):
            model.sgd_step(bad_grads, lr)
        assert all(np.array_equal(model.params[k], before[k]) for k in before)
    W1 = model.params["W1"]
    model.sgd_step(grads, 0.5)
    assert model.params["W1"] is W1  # in place
    assert np.allclose(W1, before["W1"] - 0.5 * grads["dW1"])


def test_fit_that_diverges_puts_the_parameters_back():
    model = MLP([4, 3, 3], seed=1)
    X, Y = np.random.default_rng(0).standard_normal((4, 5)) * 1e150, one_hot([0, 1, 2, 1, 0], 3)
    before = {k: v.copy() for k, v in model.params.items()}
    with pytest.raises(ValueError, match="back to their values before this call"):
        model.fit(X, Y, epochs=50, lr=50.0, batch_size=5)
    assert all(np.array_equal(model.params[k], before[k]) for k in before)


def test_loss_fit_and_loss_and_grads_accept_nested_lists():
    model = MLP([2, 3, 2], seed=0)
    X, Y = [[0.5, -1.0, 2.0], [1.0, 0.0, -0.5]], [[1, 0, 1], [0, 1, 0]]
    loss, grads = model.loss_and_grads(X, Y)
    assert model.loss(X, Y) == pytest.approx(loss)
    assert len(model.fit(X, Y, epochs=1, batch_size=3)) == 1


def test_an_empty_batch_is_refused_with_a_hint():
    model = MLP([2, 3, 2], seed=0)
    with pytest.raises(ValueError, match="empty batch"):
        model.loss_and_grads(np.ones((2, 0)), np.ones((2, 0)))
    with pytest.raises(ValueError, match="empty"):
        model.accuracy(np.ones((2, 0)), np.array([], dtype=int))


def test_each_epoch_visits_every_example_once_in_a_seeded_order():
    X, y = blobs(5, 2, seed=0)  # m = 10 examples
    Y = one_hot(y, 2)
    model = MLP([2, 4, 2], seed=0)
    history = model.fit(X, Y, epochs=3, lr=0.1, batch_size=4)
    assert len(history) == 3 * 3  # batches of 4, 4 and 2
    assert len(MLP([2, 4, 2], seed=0).fit(X, Y, epochs=2, batch_size=1)) == 2 * 10
    runs = [MLP([2, 4, 2], seed=0) for _ in range(3)]
    for model, seed in zip(runs, (1, 1, 2)):
        model.fit(X, Y, epochs=1, lr=0.5, batch_size=3, seed=seed)
    assert np.array_equal(runs[0].params["W1"], runs[1].params["W1"])
    assert not np.allclose(runs[0].params["W1"], runs[2].params["W1"])


def test_model_gradient_errors_notices_a_wrong_backward_pass():
    class Broken(MLP):
        def loss_and_grads(self, X, Y):
            loss, grads = super().loss_and_grads(X, Y)
            grads["dW1"] = 2 * grads["dW1"]
            return loss, grads

    X, Y = np.random.default_rng(0).standard_normal((3, 4)), one_hot([0, 1, 1, 0], 2)
    good = model_gradient_errors(MLP([3, 4, 2], seed=1), X, Y)
    bad = model_gradient_errors(Broken([3, 4, 2], seed=1), X, Y)
    assert max(good.values()) < 1e-6
    assert bad["W1"] > 0.1 and bad["W2"] < 1e-6
