"""helpers.viz: the sigmoid neuron in fine gates, the stepper's readouts and the drawings."""

import base64
import math
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from helpers import palette, viz
from helpers.figures import Described
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
    gold = np.array(to_rgba(palette.YELLOW))
    lit = {tag for tag, fc in zip(shapes.tags, shapes.get_facecolor()) if np.allclose(fc, gold)}
    assert lit == {"node:p0", "step:8"}
    # the second cue: the current gate alone is outlined thickly
    widths = dict(zip(shapes.tags, shapes.get_linewidths()))
    assert widths["node:p0"] > 2 * max(w for tag, w in widths.items() if tag != "node:p0")
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
    assert colours == {
        "labels:value": to_rgba(palette.BLUE),
        "labels:grad": to_rgba(palette.VERMILLION),
    }


def _edge_styles(fig):
    """(colour, width, dashed) of each edge of a drawing."""
    edges = next(c for c in fig.axes[0].collections if c.get_gid() == "edges")
    return [
        (to_rgba(c), float(w), dashes is not None)
        for c, w, (_, dashes) in zip(edges.get_colors(), edges.get_linewidths(),
                                     edges.get_linestyles())
    ]  # fmt: skip


def test_the_current_step_marks_its_edges_by_colour_and_by_line_style():
    _, fig = viz.stepper_view(W, X, 8)  # p0 = w0 * x0: two inputs, one consumer (s)
    styles = _edge_styles(fig)
    thin = min(w for _, w, _ in styles)
    down = [s for s in styles if s[0] == to_rgba(palette.ORANGE)]
    up = [s for s in styles if s[0] == to_rgba(palette.GREEN)]
    assert len(down) == 2  # w0 -> p0 and x0 -> p0: downstream, dashed and thick
    assert all(dashed and w > 2 * thin for _, w, dashed in down)
    assert len(up) == 1  # p0 -> s: the upstream gradient, solid and thick
    assert not up[0][2] and up[0][1] > 2 * thin
    others = [s for s in styles if s not in down and s not in up]
    assert all(c == to_rgba(palette.BLACK) and not d and w == thin for c, w, d in others)
    # without a step nothing is marked: every edge is thin, solid and black
    full = _edge_styles(viz.draw_graph(viz.sigmoid_neuron(W, X)["f"]))
    assert {(c, d) for c, _, d in full} == {(to_rgba(palette.BLACK), False)}


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


# -- the description: what the drawing shows, in words --------------------------------------------


def _branch(a_value=3.0, b_value=-2.0):
    a, b = Node(a_value, "a"), Node(b_value, "b")
    f = a * b + a
    f.label = "f"
    return f


def _g(value):
    """A number as a description writes it: four significant digits."""
    return f"{value:.4g}"


def test_a_drawing_displays_as_its_image_with_its_description():
    fig = viz.draw_graph(_branch())
    assert isinstance(fig, Figure) and isinstance(fig, Described)
    before = plt.get_fignums()
    data, metadata = fig._repr_mimebundle_()
    assert data["text/plain"] == fig.description == metadata["image/png"]["alt"]
    assert base64.b64decode(data["image/png"]).startswith(b"\x89PNG\r\n\x1a\n")
    assert plt.get_fignums() == before  # rendering it registers nothing with pyplot


def test_the_description_names_the_output_the_inputs_and_the_gradients():
    text = viz.draw_graph(_branch()).description
    assert text.startswith("The computational graph of f = a * b + a, drawn from the inputs")
    assert "forward values written above the edges, gradients below them" in text
    assert "Inputs: a = 3, b = -2." in text
    assert "v1 = a * b = -6 (step 2), f = v1 + a = -3 (step 1)" in text
    assert "df/db = 3" in text
    # a is used twice: the drawing writes the sum of its two edges next to it
    assert "df/da = -1 (written as a sum next to it; its 2 edges carry 1 and -2)" in text


def test_the_neuron_description_carries_every_gradient_of_the_drawing():
    nodes = viz.sigmoid_neuron(W, X)
    text = viz.draw_graph(nodes["f"]).description
    assert "f = 1/(exp(-(w0 * x0 + w1 * x1 + w2)) + 1)" in text
    assert "Inputs: w0 = 2, x0 = -1, w1 = -3, x1 = -2, w2 = -3." in text
    for name, node in nodes.items():
        assert f"df/d{name} = {_g(node.grad)}" in text
        if node.parents:
            assert f"{name} = " in text and f" = {_g(node.value)} (step " in text
    assert "df/dw0 = -0.1966" in text and "df/dx1 = -0.5898" in text  # CS231n's numbers


@pytest.mark.parametrize("step", range(1, viz.NEURON_STEPS + 1))
def test_a_step_description_names_the_gate_its_upstream_gradient_and_what_each_input_receives(
    step,
):
    nodes = viz.sigmoid_neuron(W, X)
    names = {id(n): k for k, n in nodes.items()}
    traced = trace_backward(nodes["f"])[step - 1]
    _, fig = viz.stepper_view(W, X, step)
    text = fig.description
    gate = names[id(traced.node)]
    assert text.startswith(f"Step {step} of {viz.NEURON_STEPS} of the backward pass")
    assert f"numbered {step}, is the " in text and f"gate {gate} = " in text
    assert f"upstream gradient df/d{gate} = {_g(traced.upstream)} arrives" in text
    for parent, local, share in traced.contributions:
        if id(parent) in names:  # not the constant 1 of +1
            p = names[id(parent)]
            received = f"{p} receives {_g(traced.upstream)} × {_g(local)} = {_g(share)}"
            assert received in text
            assert f"d{gate}/d{p} = " in text  # the local rule
    assert text == viz.draw_graph(viz.sigmoid_neuron(W, X)["f"], step).description


def test_step_zero_and_the_last_step_say_what_is_known():
    zero = viz.stepper_view(W, X, 0)[1].description
    assert zero.startswith("Step 0 of 8") and "df/df = 1, is known" in zero
    assert "receives" not in zero
    three = viz.stepper_view(W, X, 3)[1].description
    assert "de/dn = exp(n) = e" in three and "steps 1 to 3 are written" in three
    last = viz.stepper_view(W, X, 8)[1].description
    assert "Every gradient is now written below its edge." in last


def test_a_changed_graph_changes_the_description():
    before = viz.draw_graph(_branch()).description
    assert viz.draw_graph(_branch()).description == before  # the same graph, the same words
    moved = viz.draw_graph(_branch(b_value=-1.0)).description
    assert moved != before and "b = -1" in moved and "df/da = 0" in moved
    a, b = Node(3.0, "a"), Node(-2.0, "b")
    other = a * b - a  # another gate
    other.label = "f"
    text = viz.draw_graph(other).description
    assert text != before and "df/da = -3" in text
    w_moved = viz.stepper_view((1.0, -3.0, -3.0), X, 8)[1].description
    assert w_moved != viz.stepper_view(W, X, 8)[1].description and "w0 = 1," in w_moved


def test_the_description_is_not_a_colour_alone():
    """Every colour it names comes with the cue the drawing gives it besides."""
    text = viz.stepper_view(W, X, 8)[1].description
    assert "solid, thick green edge" in text and "dashed, thick orange edges" in text
    assert "outlined thickly on a yellow fill" in text
    assert "blue" not in text and "vermillion" not in text  # values and gradients: by position


def test_a_long_graph_is_described_without_its_formula_and_with_its_lists_cut():
    x = Node(0.5, "x")
    out = x
    for _ in range(40):
        out = (out * 0.9).tanh()
    out.label = "y"
    text = viz.draw_graph(out).description
    assert text.startswith("The computational graph of y, 80 gates, drawn")
    assert "and 56 more." in text  # of the 80 gates, 24 are listed
    assert "and 57 more." in text  # and of the 81 gradients
    assert len(text) < 3000


def test_another_engines_graph_is_described_with_that_engines_gradients():
    class Value:  # the attributes notebook 02's engine keeps, and nothing else
        def __init__(self, value, label="", parents=(), local_grads=(), op=""):
            self.value, self.grad, self.label = value, 0.0, label
            self.parents, self.local_grads, self.op = parents, local_grads, op

    a, b = Value(3.0, "a"), Value(-2.0, "b")
    product = Value(-6.0, "", (a, b), (-2.0, 3.0), "*")
    f = Value(-3.0, "f", (product, a), (1.0, 1.0), "+")
    f.grad, product.grad, a.grad, b.grad = 1.0, 1.0, 1.0, 3.0  # `=` where `+=` belongs: a = 1
    text = viz.draw_graph(f).description
    assert "df/da = 1 (written as a sum next to it; its 2 edges carry 1 and -2)" in text
    assert "f = a * b + a" in text


def test_pytorch_graphs_are_described_with_their_own_gates():
    torch = pytest.importorskip("torch")
    from helpers import torchgraph

    t = {n: torch.tensor(v, dtype=torch.float64, requires_grad=True) for n, v in
         (("w", 2.0), ("x", -1.0))}  # fmt: skip
    t["p"] = t["w"] * t["x"]
    t["f"] = t["p"].exp()
    text = viz.draw_graph(torchgraph.to_graph(t["f"], t)).description
    assert "f = Exp(Mul(w, x))" in text and "Inputs: w = 2, x = -1." in text
    assert f"df/dw = {_g(-math.exp(-2.0))}" in text and f"df/dx = {_g(2 * math.exp(-2.0))}" in text
    step = viz.draw_graph(torchgraph.to_graph(t["f"], t), step=1).description
    assert "the local gradient df/dp as the Exp gate recorded it" in step
