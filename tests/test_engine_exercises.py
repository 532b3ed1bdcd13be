"""Notebook 02's engine: helpers.engine, the drawing of a learner's graph, and the checker's side.

- helpers.engine: its scalar network, loss and loop give the matrix MLP's numbers; the course's
  own engine keeps the convention (backward() adds, never clears); bad arguments are named.
- helpers.viz.draw_graph draws a node of another engine with that engine's own gradients.
- helpers._engine_checks: each of the wrong engines the checker knows is named by its own key,
  on the exercise's own inputs; a right engine passes; unfinished code is "not implemented yet".
"""

import functools

import numpy as np
import pytest

from helpers import _engine_checks as ec
from helpers import data, engine, mlp, viz
from helpers.checker import check_exercise
from helpers.engine import _Value as Value
from helpers.exercises import EXERCISES
from helpers.graph import Node
from tests.test_viz import label_list, labels

ENGINE_EXERCISES = [name for name, spec in EXERCISES.items() if spec.notebook.startswith("02_")]


def xor_blobs():
    X, classes = data.blobs(n_per_class=5, n_classes=4, spread=0.6, seed=1)
    return X, (classes % 2).astype(float)


# -- helpers.engine: the course's engine and its convention -------------------------------------


def test_the_course_engine_adds_across_backward_passes_and_node_clears():
    a = Value(2.0, "a")
    (a * a).backward()
    (a * 3).backward()
    assert a.grad == 4.0 + 3.0
    n = Node(2.0, "a")
    (n * n).backward()
    (n * 3).backward()
    assert n.grad == 3.0


@pytest.mark.parametrize("name", ["engine_add_mul", "engine_functions", "engine_sub_div"])
@pytest.mark.parametrize("E", [Value, Node], ids=["Value", "Node"])
def test_the_course_engine_and_node_pass_the_operation_checks(name, E):
    assert check_exercise(E, name, trials=8).passed


def test_node_fails_the_backward_check_only_by_its_convention():
    result = check_exercise(Node, "engine_backward")
    assert result.mistake == "clears_gradients", result
    assert check_exercise(Value, "engine_backward", trials=8).passed


def test_random_expressions_stay_finite_and_agree_between_engines():
    for name in ("engine_add_mul", "engine_functions", "engine_sub_div"):
        spec = EXERCISES[name]
        for seed in range(40):
            args = spec.inputs(np.random.default_rng(seed), seed)
            want = spec.reference_run(spec.reference, args)
            got = spec.run(Value, args)
            for w, g in zip(want, got):
                assert np.all(np.isfinite(w)) and np.allclose(w, g, rtol=1e-12, atol=1e-12)


def test_the_backward_graphs_use_a_node_twice_and_share_inputs_with_the_second_graph():
    for seed in range(20):
        (graph,) = ec.graph_inputs(np.random.default_rng(seed), seed)
        uses = {}
        for parents, _, _ in graph.gates:
            for p in parents:
                uses[p] = uses.get(p, 0) + 1
        assert any(len(set(p)) < len(p) for p, _, _ in graph.gates), "no a + a"
        assert max(uses.values()) >= 2
        n = len(graph.leaves) + len(graph.gates)
        assert set(uses) == set(range(n - 1)), "a node that does not reach the output"


# -- helpers.engine: the scalar network, the loss and the loop ----------------------------------


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_scalar_copy_gives_the_matrix_networks_loss_and_gradients(activation):
    X, y = xor_blobs()
    model = mlp.MLP([2, 5, 3, 1], activation=activation, output="sigmoid", seed=4)
    net = engine.scalar_copy(model)
    L = engine.loss(net, X, y)
    L.backward()
    loss, grads = model.loss_and_grads(X, y[None, :])
    mine = np.array([p.grad for p in net.parameters()])
    assert abs(L.value - loss) < 1e-12
    assert np.abs(mine - engine.flat_grads(grads)).max() < 1e-12
    scores = [net(list(X[:, j]))[0].value for j in range(X.shape[1])]
    assert np.allclose(scores, model._scores(X)[0][0], rtol=1e-12, atol=1e-12)


def test_flat_params_lists_each_row_then_its_bias_and_matches_parameters():
    model = mlp.MLP([2, 3, 1], output="sigmoid", seed=0)
    W1, b1, W2, b2 = (model.params[k] for k in ("W1", "b1", "W2", "b2"))
    want = [*W1[0], b1[0, 0], *W1[1], b1[1, 0], *W1[2], b1[2, 0], *W2[0], b2[0, 0]]
    assert np.array_equal(engine.flat_params(model), want)
    net = engine.scalar_copy(model)
    assert [p.value for p in net.parameters()] == want
    net.parameters()[0].value = 99.0  # a copy: the matrix network is left alone
    assert model.params["W1"][0, 0] == want[0]


def test_fit_is_the_four_step_loop_and_trains():
    X, y = xor_blobs()
    model = mlp.MLP([2, 4, 4, 1], activation="tanh", output="sigmoid", init="he", seed=3)
    net, twin = engine.scalar_copy(model), engine.scalar_copy(model)
    losses = engine.fit(net, X, y, steps=40, lr=1.0)
    by_hand = []
    for _ in range(40):
        for p in twin.parameters():
            p.grad = 0.0
        L = engine.loss(twin, X, y)
        L.backward()
        for p in twin.parameters():
            p.value -= 1.0 * p.grad
        by_hand.append(L.value)
    assert losses == by_hand
    assert losses[-1] < 0.2 * losses[0]


def test_fit_with_an_accumulating_engine_needs_its_zeroing_step():
    X, y = xor_blobs()
    model = mlp.MLP([2, 3, 1], activation="tanh", output="sigmoid", seed=2)
    args = ([2, 3, 1], engine.flat_params(model), X, y, 5, 0.5)
    right = ec.training_run(engine.fit, args)
    never = ec.training_run(ec.loop_slip("not_reset"), args)
    assert right[0][:2].tolist() == never[0][:2].tolist()  # the first step is the same...
    assert not np.allclose(right[1], never[1])  # ...the rest is not


def test_fit_puts_the_weights_back_when_training_diverges():
    X, y = xor_blobs()
    net = engine.scalar_copy(mlp.MLP([2, 3, 1], activation="tanh", output="sigmoid", seed=0))
    before = [p.value for p in net.parameters()]
    with pytest.raises(ValueError, match="lr") as info:
        engine.fit(net, X, y, steps=5, lr=1e300)
    assert "back to their values" in str(info.value)
    assert [p.value for p in net.parameters()] == before


def test_count_nodes_counts_every_node_once_for_any_engine():
    for E in (Node, Value):
        a, b = E(3.0, "a"), E(-2.0, "b")
        assert engine.count_nodes(a * b + a) == 4  # a, b, a * b, the sum
        assert engine.count_nodes((a * 2).tanh()) == 4  # a, the constant 2, the product, tanh
    X, y = xor_blobs()
    net = engine.scalar_copy(mlp.MLP([2, 3, 1], activation="tanh", output="sigmoid", seed=0))
    n_weights = 2 * 3 + 3 * 1
    assert engine.count_nodes(engine.loss(net, X, y)) >= X.shape[1] * n_weights


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: engine.count_nodes(3.0), TypeError, ["count_nodes", "root", "node", "float"]),
        (lambda: engine.scalar_copy("net"), TypeError, ["scalar_copy", "model", "mlp.MLP"]),
        (
            lambda: engine.scalar_copy(mlp.MLP([2, 3, 2], activation="leaky_relu")),
            ValueError,
            ["scalar_copy", "activation", "tanh"],
        ),
        (
            lambda: engine.loss(mlp.MLP([2, 3, 1], output="sigmoid"), *xor_blobs()),
            TypeError,
            ["loss", "model", "scalar_copy"],
        ),
        (
            lambda: engine.loss(
                engine.scalar_copy(mlp.MLP([2, 3, 1], output="sigmoid")), xor_blobs()[0].T, [0, 1]
            ),
            ValueError,
            ["loss", "X has 20 rows", "2 inputs", "columns"],
        ),
        (
            lambda: engine.loss(
                engine.scalar_copy(mlp.MLP([2, 3, 1], output="sigmoid")), xor_blobs()[0], [0, 2]
            ),
            ValueError,
            ["loss", "y", "(20,)"],
        ),
        (
            lambda: engine.fit(
                engine.scalar_copy(mlp.MLP([2, 3, 1], output="sigmoid")),
                xor_blobs()[0],
                2 * xor_blobs()[1],
            ),
            ValueError,
            ["fit", "y", "0 or 1", "2"],
        ),
        (lambda: engine.flat_grads({"dW1": np.ones((3, 2))}), ValueError, ["grads", "db1"]),
        (
            lambda: engine.flat_grads({"dW1": np.ones((3, 2)), "db1": np.ones((1, 3))}),
            ValueError,
            ["grads[db1]", "(3, 1)", "(1, 3)"],
        ),
    ],
)
def test_bad_arguments_are_named(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)


def test_an_error_of_the_learners_network_is_raised_as_it_is():
    class Broken:
        def __call__(self, x):
            raise ValueError("not enough values to unpack (expected 3, got 2)")

        def parameters(self):
            return []

    with pytest.raises(ValueError, match="^not enough values to unpack"):
        engine.loss(Broken(), *xor_blobs())


def test_loss_of_a_network_with_several_outputs_is_refused():
    net = engine.scalar_copy(mlp.MLP([2, 3, 2], output="softmax", seed=0))
    with pytest.raises(ValueError, match="one output"):
        engine.loss(net, *xor_blobs())


# -- helpers.viz: a learner's graph, drawn with its own gradients -------------------------------


def test_draw_graph_draws_another_engines_graph_as_it_draws_a_node():
    drawn = {}
    for E in (Node, Value):
        a, b = E(3.0, "a"), E(-2.0, "b")
        f = (a * b + a).tanh() * 2
        f.label = "f"
        f.backward()
        fig = viz.draw_graph(f)
        drawn[E] = {kind: label_list(fig, kind) for kind in ("node", "value", "grad", "total")}
    assert drawn[Value] == drawn[Node]
    assert drawn[Value]["total"] == [("a", f"sum {a.grad:.2f}")]


def test_draw_graph_shows_the_gradients_the_engine_computed_and_changes_nothing():
    class Assigns(Value):  # `=` where `+=` belongs: a keeps only one contribution
        def backward(self):
            self.grad = 1.0
            for node in reversed(ec._post_order(self)):  # a learner's depth-first order
                for parent, g in zip(node.parents, node.local_grads):
                    parent.grad = node.grad * g

    a, b = Assigns(3.0, "a"), Assigns(-2.0, "b")
    f = a * b + a
    f.label = "f"
    f.backward()
    held = [n.grad for n in (a, b, f)]
    fig = viz.draw_graph(f)
    assert [n.grad for n in (a, b, f)] == held  # drawn as it is: no backward pass of viz's
    assert labels(fig, "total") == {"a": f"sum {a.grad:.2f}"} and a.grad != -1.0
    assert labels(viz.draw_graph(f, step=1), "total") == {"a": "sum ?"}


def test_draw_graph_asks_for_local_gradients():
    class Closure:  # micrograd's way: a closure per node, no local gradients recorded
        def __init__(self, value):
            self.value, self.grad, self.parents, self.label, self.op = value, 0.0, (), "x", ""

    with pytest.raises(TypeError, match="local_grads"):
        viz.draw_graph(Closure(1.0))
    a = Value(2.0, "a")
    unwrapped = Value(5.0, parents=(a, 3.0), local_grads=(1.0, 1.0), op="+")  # 3 not wrapped
    with pytest.raises(TypeError, match="parents of each node .* must be nodes"):
        viz.draw_graph(unwrapped)


# -- the checker: each wrong engine named by its own key ----------------------------------------

SLIPS = (
    [("engine_add_mul", variant, key) for variant, _, key in ec.ADD_MUL_SLIPS]
    + [("engine_backward", variant, key) for variant, _, key in ec.BACKWARD_SLIPS]
    + [
        ("engine_functions", variant, key)
        for slips in (ec.POW_SLIPS, ec.EXP_SLIPS, ec.LOG_SLIPS, ec.TANH_SLIPS)
        for variant, _, key in slips
    ]
    + [("engine_sub_div", variant, key) for variant, _, key in ec.SUB_DIV_SLIPS]
    + [("engine_mlp", functools.partial(ec.CourseMLP, slip=key), key) for key in ec.NETWORK_SLIPS]
    + [("engine_training", ec.loop_slip(key), key) for key in ec.LOOP_SLIPS]
)


@pytest.mark.parametrize("name, variant, key", SLIPS, ids=[f"{n}-{k}" for n, _, k in SLIPS])
def test_each_wrong_engine_the_checker_knows_is_named(name, variant, key):
    result = check_exercise(variant, name)
    assert result.status == "wrong" and result.mistake == key, result.message


def test_every_mistake_key_of_the_engine_exercises_is_reachable():
    keys = {key for _, _, key in SLIPS}
    assert len(keys) >= 40, sorted(keys)


def test_a_backward_with_assignment_is_named_whatever_its_order():
    class AssignsSortedByValue(Value):  # `=`, in an order none of the known wrong engines uses
        def backward(self):
            order = sorted(ec._post_order(self), key=lambda n: -len(ec._post_order(n)))
            self.grad = 1.0
            for node in order:
                for parent, g in zip(node.parents, node.local_grads):
                    parent.grad = node.grad * g

    assert check_exercise(AssignsSortedByValue, "engine_backward").mistake == "assign"


class Unfinished:
    """A learner's copy before any exercise is done: every operation raises."""

    def __init__(self, value, label="", parents=(), local_grads=(), op=""):
        self.value, self.grad, self.label = float(value), 0.0, label
        self.parents, self.local_grads, self.op = tuple(parents), tuple(local_grads), op

    def _todo(self, *args):
        raise NotImplementedError("your code here")

    __add__ = __radd__ = __mul__ = __rmul__ = __pow__ = __neg__ = __sub__ = __rsub__ = _todo
    __truediv__ = __rtruediv__ = exp = log = tanh = backward = _todo


def unfinished_mlp(sizes, seed=0):
    raise NotImplementedError("your code here")


def unfinished_fit(model, X, y, steps, lr):
    raise NotImplementedError("your code here")


@pytest.mark.parametrize("name", ENGINE_EXERCISES)
def test_unfinished_code_is_not_implemented_yet(name):
    mine = {"engine_mlp": unfinished_mlp, "engine_training": unfinished_fit}.get(name, Unfinished)
    assert check_exercise(mine, name).status == "not implemented yet"


def test_the_six_exercises_are_declared_for_notebook_02():
    assert ENGINE_EXERCISES == [
        "engine_add_mul",
        "engine_backward",
        "engine_functions",
        "engine_sub_div",
        "engine_mlp",
        "engine_training",
    ]


def test_a_tanh_slip_is_named_on_its_own_output_only():
    result = check_exercise(ec.TANH_SLIPS[0][0], "engine_functions")
    assert result.message.startswith("engine_functions: x.tanh() has the local gradient 1 - x")
