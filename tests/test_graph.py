"""helpers.graph against autograd, on every operator, reused nodes, a diamond and the neuron."""

import itertools
import math

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad

from helpers.graph import Node, maximum, topological_order, trace_backward

from .backends import TOL


class NodeOps:
    exp = staticmethod(lambda a: a.exp())
    log = staticmethod(lambda a: a.log())
    sigmoid = staticmethod(lambda a: a.sigmoid())
    tanh = staticmethod(lambda a: a.tanh())
    relu = staticmethod(lambda a: a.relu())
    maximum = staticmethod(maximum)


class AutogradOps:
    exp, log, tanh = anp.exp, anp.log, anp.tanh
    sigmoid = staticmethod(lambda a: 1 / (1 + anp.exp(-a)))
    relu = staticmethod(lambda a: anp.maximum(a, 0.0))
    maximum = staticmethod(anp.maximum)


# Each expression is written once and run with Nodes and with autograd. Inputs are drawn from
# (0.5, 2) so that log, / and ** are defined and no max or relu sits on a tie.
EXPRESSIONS = {
    "add": lambda x, y, o: x + y,
    "sub": lambda x, y, o: x - y,
    "mul": lambda x, y, o: x * y,
    "div": lambda x, y, o: x / y,
    "neg": lambda x, y, o: -x * y,
    "pow": lambda x, y, o: x**3 + y**-0.5,
    "radd_rsub": lambda x, y, o: 2.0 + x - (3.0 - y),
    "rmul_rdiv": lambda x, y, o: 2.0 * x + 1.0 / y + 3.0 / x,
    "exp": lambda x, y, o: o.exp(x * y),
    "log": lambda x, y, o: o.log(x + y),
    "sigmoid": lambda x, y, o: o.sigmoid(x - 2 * y),
    "tanh": lambda x, y, o: o.tanh(x * y - 1),
    "relu": lambda x, y, o: o.relu(x - y) + o.relu(y - x),
    "maximum": lambda x, y, o: o.maximum(x, y) * o.maximum(y, 1.0),
    "reuse": lambda x, y, o: x * x + x * y,  # x used three times
    "chain": lambda x, y, o: o.log(1 + o.exp(o.tanh(x) * o.sigmoid(y))) / (x + y) ** 2,
}


def node_gradients(expression, x, y):
    xn, yn = Node(x, "x"), Node(y, "y")
    out = expression(xn, yn, NodeOps)
    out.backward()
    return out.value, xn.grad, yn.grad


@pytest.mark.parametrize(("name", "seed"), list(itertools.product(sorted(EXPRESSIONS), range(12))))
def test_every_operator_matches_autograd(name, seed):
    expression = EXPRESSIONS[name]
    x, y = np.random.default_rng(seed).uniform(0.5, 2.0, 2)
    if name == "relu" or name == "maximum":
        assert abs(x - y) > 1e-6 and abs(y - 1.0) > 1e-6  # no tie on these seeds
    value, dx, dy = node_gradients(expression, x, y)
    assert math.isclose(value, expression(x, y, AutogradOps), rel_tol=1e-12)
    for argnum, got in ((0, dx), (1, dy)):
        want = grad(lambda a, b: expression(a, b, AutogradOps), argnum)(x, y)
        assert abs(got - want) <= TOL * max(1.0, abs(want))


def test_sigmoid_neuron_of_the_course():
    """f(w, x) = 1 / (1 + exp(-(w0 x0 + w1 x1 + w2))) with w = [2, -3, -3], x = [-1, -2]."""
    w = [Node(v, f"w{i}") for i, v in enumerate([2.0, -3.0, -3.0])]
    x = [Node(v, f"x{i}") for i, v in enumerate([-1.0, -2.0])]
    dot = w[0] * x[0] + w[1] * x[1] + w[2]
    f = 1 / ((-dot).exp() + 1)
    f.backward()
    assert dot.value == 1.0 and math.isclose(f.value, 1 / (1 + math.e**-1))
    s = f.value
    assert math.isclose(dot.grad, s * (1 - s))  # the collapsed sigmoid gate
    expected = {
        "w0": -0.19661193,
        "w1": -0.39322387,
        "w2": 0.19661193,
        "x0": 0.39322387,
        "x1": -0.58983580,
    }
    for node in w + x:
        assert node.grad == pytest.approx(expected[node.label], abs=1e-8)
    ops = [n.op for n in topological_order(f) if n.op]
    assert sorted(set(ops)) == sorted({"*", "+", "*-1", "exp", "1/x"})
    # collapsed into one sigmoid gate: the same gradients
    w2 = [Node(v) for v in (2.0, -3.0, -3.0)]
    x2 = [Node(v) for v in (-1.0, -2.0)]
    (w2[0] * x2[0] + w2[1] * x2[1] + w2[2]).sigmoid().backward()
    assert [n.grad for n in w2 + x2] == pytest.approx([n.grad for n in w + x], abs=1e-15)


def test_a_node_used_twice_gets_both_contributions():
    a = Node(3.0, "a")
    b = a + a
    b.backward()
    assert a.grad == 2.0
    c = a * a
    c.backward()
    assert a.grad == 6.0  # fresh: 2a, not 2 + 2a


def test_diamond():
    """x feeds two branches that meet again: the gradient of x is the sum over both paths."""
    x = Node(0.7, "x")
    left, right = x.exp(), x * 3.0
    top = left * right
    top.backward()
    assert x.grad == pytest.approx(math.exp(0.7) * 3 * 0.7 + math.exp(0.7) * 3, rel=1e-14)
    assert left.grad == pytest.approx(right.value) and right.grad == pytest.approx(left.value)


def test_backward_twice_and_on_rebuilt_graphs_gives_the_same_answer():
    w, x = Node(2.0), Node(-1.0)
    f = (w * x + 1).tanh()
    f.backward()
    first = (w.grad, x.grad)
    f.backward()
    assert (w.grad, x.grad) == first
    g = (w * x + 1).tanh()  # a new graph over the same input nodes
    g.backward()
    assert (w.grad, x.grad) == first


def test_max_gate_routes_and_relu_slope_at_zero():
    a, b = Node(2.0), Node(5.0)
    maximum(a, b).backward()
    assert (a.grad, b.grad) == (0.0, 1.0)
    tie_a, tie_b = Node(1.0), Node(1.0)
    maximum(tie_a, tie_b).backward()
    assert (tie_a.grad, tie_b.grad) == (1.0, 0.0)  # a tie goes to the first input
    z = Node(0.0)
    z.relu().backward()
    assert z.grad == 0.0


def test_trace_backward_records_each_step():
    x, y = Node(2.0, "x"), Node(-3.0, "y")
    q = x * y
    f = q + x
    steps = trace_backward(f)
    assert [s.node for s in steps] == [f, q]
    assert [s.number for s in steps] == [1, 2]
    first = steps[0]
    assert first.upstream == 1.0 and [c[2] for c in first.contributions] == [1.0, 1.0]
    second = steps[1]
    assert second.upstream == 1.0
    assert [(c[0], c[1], c[2]) for c in second.contributions] == [(x, -3.0, -3.0), (y, 2.0, 2.0)]
    assert x.grad == -2.0 and y.grad == 2.0


def test_deep_graph_does_not_hit_the_recursion_limit():
    x = Node(0.5)
    out = x
    for _ in range(5000):
        out = out * 1.0 + 0.0
    out.backward()
    assert x.grad == 1.0


def test_nodes_keep_label_parents_and_local_gradients():
    a, b = Node(2.0, "a"), Node(4.0, "b")
    c = a * b
    assert c.parents == (a, b) and c.local_grads == (4.0, 2.0) and c.op == "*"
    assert repr(a) == "Node('a', value=2, grad=0)"


def test_module_example_runs():
    import doctest

    import helpers.graph

    result = doctest.testmod(helpers.graph)
    assert result.attempted >= 4 and result.failed == 0


def test_numpy_scalars_are_numbers():
    assert Node(np.float32(1.5)).value == 1.5 and Node(np.array(2.0)).value == 2.0
    for bad in ([1.0], np.ones(2), 1j):
        with pytest.raises(TypeError, match="value must be a real number"):
            Node(bad)


def test_power_checks_its_base_and_exponent():
    with pytest.raises(ValueError, match="negative base"):
        Node(-2.0) ** 0.5
    with pytest.raises(ValueError, match="overflows"):
        Node(1e200) ** 2
    assert (Node(3.0) ** np.int64(2)).value == 9.0
    with pytest.raises(TypeError, match="exponent"):
        Node(3.0) ** True
    with pytest.raises(TypeError, match="value must be a real number"):
        Node(True)


def test_a_failed_backward_pass_leaves_the_gradients_alone():
    x, a = Node(1e-300, "x"), Node(1e200, "a")
    f = x * a * a  # every value is finite, but df/dx = a * a overflows
    g = (x * 2.0).tanh()
    g.backward()
    before = x.grad
    with pytest.raises(ValueError, match="backward: the gradient"):
        f.backward()
    assert x.grad == before
