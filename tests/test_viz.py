"""helpers.viz: the sigmoid neuron in fine gates, the stepper's readouts and the drawings."""

import math
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from helpers import viz
from helpers.gradcheck import numerical_gradient, rel_error
from helpers.graph import Node, maximum, trace_backward

W, X = viz.NEURON_W, viz.NEURON_X
INPUTS = ("w0", "x0", "w1", "x1", "w2")
# One line of a readout: "  w0   0.1966 x  -1.0000 =  -0.1966   dp0/dw0 = x0 (...)"
ROW = re.compile(r"^  (\w+)\s+(-?\d+\.\d{4}) x\s+(-?\d+\.\d{4}) =\s+(-?\d+\.\d{4})\s+d(\w+)/d(\w+)")


def label_list(fig, kind):
    """The labels of one kind a figure shows, as (tag, text) pairs in drawing order.

    The drawing writes its labels as outlines in one collection per kind (gid "labels:KIND"),
    which records the text of each outline and a tag naming what it labels."""
    found = []
    for collection in fig.axes[0].collections:
        if collection.get_gid() == f"labels:{kind}":
            assert len(collection.get_paths()) == len(collection.texts) == len(collection.tags)
            found += list(zip(collection.tags, collection.texts))
    return found


def labels(fig, kind):
    return dict(label_list(fig, kind))


def title(fig):
    return "\n".join(text for _, text in label_list(fig, "title"))


def readout_rows(text):
    return [m.groups() for line in text.splitlines() if (m := ROW.match(line))]


# -- the neuron ---------------------------------------------------------------------------------


def test_neuron_gives_the_cs231n_numbers():
    f, dw, dx = viz.neuron_gradients(W, X)
    assert f == pytest.approx(0.7311, abs=5e-5)
    np.testing.assert_allclose(dw, [-0.1966, -0.3932, 0.1966], atol=5e-5)
    np.testing.assert_allclose(dx, [0.3932, -0.5898], atol=5e-5)
    assert f == pytest.approx(1 / (1 + math.exp(-1.0)), rel=1e-15)  # z = w.x + w2 = 1


def test_neuron_is_made_of_the_fine_gates_in_forward_order():
    nodes = viz.sigmoid_neuron(W, X)
    assert list(nodes) == [*INPUTS[:4], "w2", "p0", "p1", "s", "z", "n", "e", "d", "f"]
    ops = [nodes[k].op for k in ("p0", "p1", "s", "z", "n", "e", "d", "f")]
    assert ops == ["*", "*", "+", "+", "*-1", "exp", "+", "1/x"]
    assert [p.value for p in nodes["d"].parents] == [pytest.approx(math.exp(-1)), 1.0]
    assert all(nodes[k].grad == 0.0 for k in nodes), "the builder must not run backward"
    assert len(trace_backward(nodes["f"])) == viz.NEURON_STEPS


@pytest.mark.parametrize("seed", range(5))
def test_neuron_gradients_match_collapsed_gate_and_central_differences(seed):
    rng = np.random.default_rng(seed)
    w, x = rng.normal(size=3) * 2, rng.normal(size=2) * 2
    f, dw, dx = viz.neuron_gradients(w, x)

    ws, xs = [Node(v) for v in w], [Node(v) for v in x]
    out = (ws[0] * xs[0] + ws[1] * xs[1] + ws[2]).sigmoid()  # the collapsed gate s(1 - s)
    out.backward()
    assert f == pytest.approx(out.value, rel=1e-12)
    assert rel_error(dw, [n.grad for n in ws]) < 1e-12
    assert rel_error(dx, [n.grad for n in xs]) < 1e-12

    params = np.concatenate([w, x])
    numeric = numerical_gradient(lambda: viz.neuron_gradients(params[:3], params[3:])[0], params)
    assert rel_error(np.concatenate([dw, dx]), numeric) < 1e-7


def test_neuron_gradients_returns_the_same_types_for_lists_and_arrays():
    a = viz.neuron_gradients([2, -3, -3], [-1, -2])
    b = viz.neuron_gradients(np.array(W), np.array(X))
    assert isinstance(a[0], float) and a[1].shape == (3,) and a[2].shape == (2,)
    assert a[0] == b[0] and np.array_equal(a[1], b[1]) and np.array_equal(a[2], b[2])


# -- the stepper's readout ----------------------------------------------------------------------


@pytest.mark.parametrize("w, x", [(W, X), ((0.5, 1.5, -0.25), (2.0, -1.0))])
def test_each_readout_is_upstream_times_local_from_the_graph(w, x):
    nodes = viz.sigmoid_neuron(w, x)
    names = {id(n): k for k, n in nodes.items()}
    steps = trace_backward(nodes["f"])
    for step in steps:
        text = viz.stepper_text(w, x, step.number)
        assert f"step {step.number} of {len(steps)}:" in text
        assert f"upstream gradient df/d{names[id(step.node)]} = {step.upstream:.4f}" in text
        rows = readout_rows(text)
        expected = [c for c in step.contributions if id(c[0]) in names]  # not the constant 1
        assert len(rows) == len(expected) >= 1
        for (name, up, local, down, gate, wrt), (parent, g_local, g_share) in zip(rows, expected):
            assert name == wrt == names[id(parent)] and gate == names[id(step.node)]
            assert float(up) == pytest.approx(step.upstream, abs=5e-5)
            assert float(local) == pytest.approx(g_local, abs=5e-5)
            assert float(down) == pytest.approx(g_share, abs=5e-5)
            assert g_share == pytest.approx(step.upstream * g_local, rel=1e-12)


def test_readouts_carry_the_cs231n_numbers_down_to_the_inputs():
    received = {}
    for k in range(1, viz.NEURON_STEPS + 1):
        for name, _, _, down, _, _ in readout_rows(viz.stepper_text(W, X, k)):
            received[name] = float(down)
    assert received == {
        "d": -0.5344, "e": -0.5344, "n": -0.1966, "z": 0.1966, "s": 0.1966, "w2": 0.1966,
        "p0": 0.1966, "p1": 0.1966, "w1": -0.3932, "x1": -0.5898, "w0": -0.1966, "x0": 0.3932,
    }  # fmt: skip
    last = viz.stepper_text(W, X, viz.NEURON_STEPS)
    assert "df/dw = (-0.1966, -0.3932, 0.1966)   df/dx = (0.3932, -0.5898)" in last
    assert "f = 1/(1 + exp(-(w0*x0 + w1*x1 + w2))) = 0.7311" in last
    assert last.startswith("w = (2.00, -3.00, -3.00)   x = (-1.00, -2.00)")


@pytest.mark.parametrize(
    "step, why",
    [
        (1, "df/dd = -1/d^2"),
        (2, "dd/de = 1 (the add gate"),
        (3, "de/dn = exp(n) = e"),
        (4, "dn/dz = -1"),
        (5, "dz/dw2 = 1 (the add gate"),
        (7, "dp1/dx1 = w1 (the multiply gate swaps"),
        (8, "dp0/dw0 = x0 (the multiply gate swaps"),
    ],
)
def test_readout_says_why_each_local_gradient_is_what_it_is(step, why):
    assert why in viz.stepper_text(W, X, step)


def test_step_zero_is_the_forward_pass_and_the_seed_gradient():
    text = viz.stepper_text(W, X, 0)
    assert "step 0 of 8" in text and "df/df = 1.0000" in text
    assert readout_rows(text) == []


@pytest.mark.parametrize("which", range(5))
@pytest.mark.parametrize("step", range(1, viz.NEURON_STEPS + 1))
def test_moving_any_input_slider_changes_the_step_readout(which, step):
    values = np.array([*W, *X])
    moved = values.copy()
    moved[which] += 0.5
    before = viz.stepper_text(values[:3], values[3:], step)
    after = viz.stepper_text(moved[:3], moved[3:], step)
    # every gate's numbers depend on every input, so the step's own lines change too
    assert before.splitlines()[1:] != after.splitlines()[1:]


def test_stepper_view_returns_the_text_of_stepper_text():
    text, fig = viz.stepper_view(W, X, 5)
    assert text == viz.stepper_text(W, X, 5)
    assert isinstance(fig, Figure)


# -- the drawing --------------------------------------------------------------------------------


def test_stepper_figure_has_one_label_per_node_and_numbered_steps():
    _, fig = viz.stepper_view(W, X, 3)
    nodes = labels(fig, "node")
    assert sorted(nodes) == sorted([*INPUTS, "p0", "p1", "s", "z", "n", "e", "d", "f"])
    assert nodes["e"] == "exp" and nodes["d"] == "+1" and nodes["f"] == "1/x"
    assert nodes["n"] == "×-1" and nodes["p0"] == "×" and nodes["w0"] == "w0"
    assert sorted(int(k) for k in labels(fig, "step")) == list(range(1, viz.NEURON_STEPS + 1))
    assert len(labels(fig, "value")) == 13  # 12 edges and the output


def test_gradients_appear_one_step_at_a_time():
    counts = []
    for step in range(viz.NEURON_STEPS + 1):
        _, fig = viz.stepper_view(W, X, step)
        grads = labels(fig, "grad")
        counts.append(len(grads))
        assert grads["f->"] == "1.00"  # the output's gradient is known from the start
    # steps 1-4 fill one edge each, 5-8 two each (the + and * gates have two inputs)
    assert counts == [1, 2, 3, 4, 5, 7, 9, 11, 13]
    full = labels(viz.draw_graph(viz.sigmoid_neuron(W, X)["f"]), "grad")
    assert full == labels(viz.stepper_view(W, X, viz.NEURON_STEPS)[1], "grad")
    assert full["w0->p0"] == "-0.20" and full["x0->p0"] == "0.39" and full["x1->p1"] == "-0.59"


def test_the_highlighted_step_shows_upstream_times_local():
    _, fig = viz.stepper_view(W, X, 8)
    assert "step 8 of 8: p0 = w0 * x0" in title(fig)
    assert "w0: 0.20 × -1.00 = -0.20" in title(fig) and "x0: 0.20 × 2.00 = 0.39" in title(fig)
    shapes = next(c for c in fig.axes[0].collections if c.get_gid() == "shapes")
    gold = np.array(to_rgba("#ffd34d"))
    lit = {tag for tag, fc in zip(shapes.tags, shapes.get_facecolor()) if np.allclose(fc, gold)}
    assert lit == {"node:p0", "step:8"}
    assert "node:f" in shapes.tags and len(shapes.tags) == 13 + 8  # nodes and step tags
    _, fig0 = viz.stepper_view(W, X, 0)
    assert "step 0 of 8" in title(fig0)
    shapes0 = next(c for c in fig0.axes[0].collections if c.get_gid() == "shapes")
    assert not any(np.allclose(fc, gold) for fc in shapes0.get_facecolor())


def test_figure_changes_with_the_inputs():
    _, a = viz.stepper_view(W, X, 8)
    _, b = viz.stepper_view((1.0, -3.0, -3.0), X, 8)
    assert labels(a, "value")["w0->p0"] == "2.00" and labels(b, "value")["w0->p0"] == "1.00"
    assert labels(a, "grad") != labels(b, "grad")


def test_figures_are_made_without_pyplot_and_render_with_agg():
    before = plt.get_fignums()
    _, fig = viz.stepper_view(W, X, 4)
    assert plt.get_fignums() == before
    fig.canvas.draw()  # Agg renders it without error
    assert not fig.texts and not fig.axes[0].texts  # all labels are outlines in collections
    title_lines = next(c for c in fig.axes[0].collections if c.get_gid() == "labels:title")
    assert not title_lines.get_clip_on(), "labels near the edges must not be clipped"
    assert fig.axes and not fig.axes[0].axison


def test_small_graphs_branch_constant_and_repeated_input():
    a, b = Node(3.0, "a"), Node(-2.0, "b")
    f = a * b + a  # a is used twice: its gradient is b + 1 = -1
    f.label = "f"
    fig = viz.draw_graph(f)
    assert sorted(labels(fig, "node")) == ["a", "b", "f", "v1"]
    assert labels(fig, "total") == {"a": "sum -1.00"}
    assert a.grad == -1.0 and b.grad == 3.0  # draw_graph ran the backward pass

    x = Node(4.0, "x")
    g = x * x + 1  # a constant is folded into its gate; x * x gets two edges
    g.label = "g"
    fig = viz.draw_graph(g)
    assert sorted(labels(fig, "node").values()) == ["+1", "x", "×"]
    assert [tag for tag, _ in label_list(fig, "value")] == ["x->v1", "x->v1", "v1->g", "g->"]
    assert labels(fig, "total") == {"x": "sum 8.00"}


def test_graph_layout_puts_inputs_left_of_their_gates():
    x, y, z = Node(-2.0, "x"), Node(5.0, "y"), Node(-4.0, "z")
    out = maximum(x + y, z) * (x - z).exp()
    pos = viz.graph_layout(out)
    for node in [out, *out.parents]:
        for p in node.parents:
            if id(p) in pos:
                assert pos[id(p)][0] < pos[id(node)][0]
    assert len(set(pos.values())) == len(pos), "two nodes at the same place"
    assert pos[id(out)][1] == 0.0


def test_describe_step_for_max_and_sigmoid_gates():
    a, b = Node(1.5, "a"), Node(0.5, "b")
    m = maximum(a, b)
    m.label = "m"
    s = m.sigmoid()
    s.label = "s"
    steps = trace_backward(s)
    first, second = (viz.describe_step(st, s) for st in steps)
    assert "ds/dm = s (1 - s)" in first
    local = s.value * (1 - s.value)
    assert f"1.0000 x {local:8.4f} = {local:10.4f}" in first
    rows = readout_rows(second)
    assert [(r[0], float(r[2])) for r in rows] == [("a", 1.0), ("b", 0.0)]
    assert "routes the gradient to the larger input" in second


# -- bad arguments ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: viz.stepper_view([1.0, 2.0], X, 1), ValueError, ["w", "(3,)", "(2,)"]),
        (lambda: viz.stepper_view(W, [1.0, 2.0, 3.0], 1), ValueError, ["x", "(2,)", "(3,)"]),
        (lambda: viz.stepper_view(W, ["a", "b"], 1), TypeError, ["x", "dtype"]),
        (lambda: viz.stepper_view(W, X, 1.5), TypeError, ["step", "float"]),
        (lambda: viz.stepper_view(W, X, True), TypeError, ["step"]),
        (lambda: viz.stepper_view(W, X, 9), ValueError, ["step", "0..8", "9"]),
        (lambda: viz.stepper_text(W, X, -1), ValueError, ["step", "0..8"]),
        (lambda: viz.sigmoid_neuron([np.nan, 1.0, 1.0], X), ValueError, ["w", "NaN"]),
        (lambda: viz.sigmoid_neuron(2.0, X), ValueError, ["w", "1-D"]),
        (lambda: viz.neuron_gradients([-400.0, 0.0, 0.0], [2.0, 0.0]), ValueError, ["exp", "w"]),
        (lambda: viz.draw_graph("f"), TypeError, ["root", "Node", "str"]),
        (lambda: viz.draw_graph(Node(1.0) * 2, step=2), ValueError, ["step", "0..1"]),
        (lambda: viz.graph_layout(None), TypeError, ["root"]),
        (lambda: viz.describe_step("step", Node(1.0)), TypeError, ["step", "BackwardStep"]),
    ],
)
def test_bad_arguments_are_named(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)


def test_describe_step_rejects_a_step_of_another_graph():
    a = Node(1.0, "a")
    other = trace_backward(a * 2)[0]
    with pytest.raises(ValueError, match="another graph"):
        viz.describe_step(other, a + 1)


# -- what a mistake in the drawing or the readout would change ------------------------------------


def _paths(fig, kind):
    """{tag: vertices in points around the anchor} of the labels of one kind."""
    for collection in fig.axes[0].collections:
        if collection.get_gid() == f"labels:{kind}":
            return {t: p.vertices for t, p in zip(collection.tags, collection.get_paths())}
    return {}


def test_values_are_written_above_the_edges_and_gradients_below_in_their_colours():
    fig = viz.draw_graph(viz.sigmoid_neuron(W, X)["f"])
    values, grads = _paths(fig, "value"), _paths(fig, "grad")
    assert values.keys() == grads.keys()
    # the output's edge is horizontal: its value lies wholly above it, its gradient below
    assert values["f->"][:, 1].min() > 0 > grads["f->"][:, 1].max()
    colours = {
        c.get_gid(): to_rgba(c.get_facecolor()[0])
        for c in fig.axes[0].collections
        if c.get_gid() in ("labels:value", "labels:grad")
    }
    assert colours == {"labels:value": to_rgba("#1f4e9c"), "labels:grad": to_rgba("#b2401c")}


def test_the_current_step_colours_its_inputs_downstream_and_its_output_upstream():
    _, fig = viz.stepper_view(W, X, 8)  # p0 = w0 * x0: two inputs, one consumer (s)
    edges = next(c for c in fig.axes[0].collections if c.get_gid() == "edges")
    colours = [to_rgba(c) for c in edges.get_colors()]
    assert colours.count(to_rgba("#d9661f")) == 2  # w0 -> p0 and x0 -> p0: downstream
    assert colours.count(to_rgba("#2a8a4a")) == 1  # p0 -> s: the upstream gradient


def test_readout_gives_tanh_its_local_gradient_in_the_output():
    x = Node(0.5, "x")
    t = x.tanh()
    t.label = "t"
    (step,) = trace_backward(t)
    text = viz.describe_step(step, t)
    assert "dt/dx = 1 - t^2" in text
    s = x.sigmoid()
    s.label = "s"
    assert "ds/dx = s (1 - s)" in viz.describe_step(trace_backward(s)[0], s)


def test_a_branch_shows_its_sum_only_once_every_consumer_has_sent_its_gradient():
    a, b = Node(3.0, "a"), Node(-2.0, "b")
    f = a * b + a  # step 1: the + gate sends to a; step 2: the * gate sends to a again
    f.label = "f"
    assert labels(viz.draw_graph(f, step=1), "total") == {"a": "sum ?"}
    assert labels(viz.draw_graph(f, step=2), "total") == {"a": "sum -1.00"}
    assert labels(viz.draw_graph(f, step=0), "total") == {"a": "sum ?"}


def test_a_bad_step_leaves_the_graph_unchanged():
    a = Node(3.0, "a")
    f = a * a
    with pytest.raises(ValueError, match="step"):
        viz.draw_graph(f, step=5)
    assert a.grad == 0.0 and f.grad == 0.0


def test_neuron_refuses_only_scores_whose_exp_would_overflow():
    f = viz.sigmoid_neuron((0.0, 0.0, 800.0), (1.0, 1.0))["f"]
    assert f.value == 1.0  # z = 800: exp(-z) is 0, not an overflow
    with pytest.raises(ValueError, match="overflows in the exp gate"):
        viz.sigmoid_neuron((0.0, 0.0, -800.0), (1.0, 1.0))
    with pytest.raises(ValueError, match="neuron_gradients: w"):
        viz.neuron_gradients((1e308, 0.0, 0.0), (10.0, 1.0))
