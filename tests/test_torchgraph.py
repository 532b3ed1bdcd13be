"""helpers.torchgraph: PyTorch's backward graph, walked and rebuilt for our drawer (notebook 07).

PyTorch is optional: without it tests/conftest.py skips these tests and says why, and with
REQUIRE_TORCH=1 a missing PyTorch fails the run.
"""

import subprocess
import sys

import numpy as np
import pytest

from helpers import torchgraph, viz
from helpers.exercises import EXERCISES
from helpers.graph import topological_order

try:
    import torch
except ImportError:
    torch = None  # every test here is skipped (tests/conftest.py)


def _neuron(w=viz.NEURON_W, x=viz.NEURON_X):
    t = {}
    for name, value in (("w0", w[0]), ("x0", x[0]), ("w1", w[1]), ("x1", x[1]), ("w2", w[2])):
        t[name] = torch.tensor(value, dtype=torch.float64, requires_grad=True)
    t["p0"] = t["w0"] * t["x0"]
    t["p1"] = t["w1"] * t["x1"]
    t["s"] = t["p0"] + t["p1"]
    t["z"] = t["s"] + t["w2"]
    t["n"] = -t["z"]
    t["e"] = torch.exp(t["n"])
    t["d"] = t["e"] + 1
    t["f"] = 1 / t["d"]
    return t


def test_backward_nodes_walks_every_node_once_output_first():
    t = _neuron()
    rows = torchgraph.backward_nodes(t["f"], t)
    kinds = [kind for kind, _, _ in rows]
    assert kinds[0] == "MulBackward0" and rows[0][1] == "f"
    assert kinds.count("AccumulateGrad") == 5 and len(rows) == 14
    assert rows[0][2] == [("ReciprocalBackward0", ""), None]  # 1 / d = reciprocal(d) * 1
    by_name = {name: inputs for _, name, inputs in rows if name}
    assert by_name["z"] == [("AddBackward0", "s"), ("AccumulateGrad", "w2")]
    assert by_name["w0"] == []


def test_backward_nodes_without_names_and_on_a_matrix():
    linear = torch.nn.Linear(3, 2, dtype=torch.float64)
    out = linear(torch.ones(4, 3, dtype=torch.float64)).sum()
    rows = torchgraph.backward_nodes(out)
    assert [kind for kind, _, _ in rows][:2] == ["SumBackward0", "AddmmBackward0"]
    assert all(name == "" for _, name, _ in rows)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_to_graph_gives_the_gradients_of_backward_and_of_our_graph(seed):
    rng = np.random.default_rng(seed)
    w, x = rng.normal(size=3), rng.normal(size=2)
    t = _neuron(w, x)
    root = torchgraph.to_graph(t["f"], t)
    viz.draw_graph(root)  # runs our backward pass over PyTorch's local gradients
    t["f"].backward()
    theirs = {n.label: n for n in topological_order(root)}
    for leaf in ("w0", "x0", "w1", "x1", "w2"):
        assert theirs[leaf].grad == pytest.approx(t[leaf].grad.item(), rel=1e-14, abs=1e-300)
    ours = viz.sigmoid_neuron(w, x)
    ours["f"].backward()
    for name in ("p0", "p1", "s", "z", "n", "e", "d", "f"):
        assert theirs[name].value == pytest.approx(ours[name].value, rel=1e-15)
        assert theirs[name].grad == pytest.approx(ours[name].grad, rel=1e-14)
    assert [theirs[k].op for k in ("p0", "s", "n", "e", "d", "f")] == [
        "Mul", "Add", "Neg", "Exp", "Add", "Mul"
    ]  # fmt: skip


def test_to_graph_leaves_the_tensors_alone_and_a_leaf_used_twice_is_one_node():
    x = torch.tensor(3.0, dtype=torch.float64, requires_grad=True)
    xx = x * x
    y = xx + x
    root = torchgraph.to_graph(y, {"x": x, "xx": xx})
    assert x.grad is None  # nothing written into PyTorch's .grad
    order = topological_order(root)
    assert [n.label for n in order if not n.parents] == ["x"]
    root.backward()
    assert order[0].grad == 7.0


def test_to_graph_reads_a_value_its_node_saved():
    x = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    y = torch.exp(x) * 2  # the exp result is not named; ExpBackward0 saved it
    root = torchgraph.to_graph(y, {"x": x})
    (exp_node,) = root.parents
    assert exp_node.value == pytest.approx(np.exp(0.5)) and exp_node.op == "Exp"


def test_errors_name_what_is_wrong():
    x = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    with pytest.raises(TypeError, match="torch.Tensor"):
        torchgraph.to_graph(2.0)
    with pytest.raises(ValueError, match="no grad_fn"):
        torchgraph.backward_nodes(torch.tensor(1.0))
    with pytest.raises(TypeError, match="names must be a dict"):
        torchgraph.to_graph(x * x, names=[x])
    with pytest.raises(ValueError, match="single number"):
        torchgraph.to_graph(torch.ones(3, requires_grad=True) * 2)
    with pytest.raises(ValueError, match="add the tensor it computes to names"):
        torchgraph.to_graph((x * x) + x, {"x": x})


def test_importing_the_module_does_not_import_torch():
    code = "import sys, helpers.torchgraph, helpers.exercises; assert 'torch' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_missing_torch_is_explained(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch now raises ImportError
    with pytest.raises(ImportError, match=r'pip install -e "\.\[torch\]"'):
        torchgraph.backward_nodes(object())


def test_relu_function_exercise_runs_a_function_through_autograd():
    class Relu(torch.autograd.Function):
        @staticmethod
        def forward(ctx, Z):
            ctx.save_for_backward(Z)
            return Z.clamp(min=0)

        @staticmethod
        def backward(ctx, grad_output):
            (Z,) = ctx.saved_tensors
            return grad_output * (Z > 0)

    spec = EXERCISES["relu_function"]
    Z = np.array([[1.0, 0.0, -2.0]])
    dA = np.array([[3.0, 4.0, 5.0]])
    A, dZ = spec.run(Relu, (Z, dA))
    assert np.array_equal(A, [[1.0, 0.0, 0.0]]) and np.array_equal(dZ, [[3.0, 0.0, 0.0]])
    assert all(np.array_equal(a, b) for a, b in zip(spec.run(spec.reference, (Z, dA)), (A, dZ)))
