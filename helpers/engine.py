"""What the course gives the learner's own autograd engine to work with (notebook 02).

In notebook 02 the learner writes a scalar autograd engine, a class `Value` whose operators record
their parents and local gradients and whose `backward()` walks the graph in reverse topological
order, adding upstream x local into each parent's `.grad` with `+=`. Then a neuron, a layer and a
small MLP of those values, trained by a loop of their own. This module holds what the course
provides around that work:

    scalar_copy(model)            a network of helpers.graph.Node with the weights of an mlp.MLP:
                                  the course's answer to the network exercise
    loss(model, X, y)             the mean binary cross-entropy of a scalar network on a data set,
                                  a graph of the network's own nodes
    fit(model, X, y, steps, lr)   full-batch gradient descent, the four steps of every loop:
                                  zero the gradients, forward, backward, step
    flat_params(model)            an mlp.MLP's weights in the order of a scalar network's
                                  parameters(): W[l] row j, then b[l][j], neuron after neuron
    flat_grads(grads)             the gradients of `MLP.loss_and_grads` in the same order
    count_nodes(root)             the number of nodes of a graph, of any engine

The convention for gradients is PyTorch's (and micrograd's): `backward()` sets the output's
gradient to 1 and *adds* into every other node's `.grad`; it never clears one. A node starts at 0,
so a backward pass through a graph just built is right; the weights live on from one step of
training to the next, so a training loop sets their gradients back to 0 before each backward
pass. (`helpers.graph.Node.backward()` clears its graph's gradients itself, a convenience for the
drawings of notebook 01; with Node the zeroing step is harmless, and not needed.)

A scalar network is any object `net` with `net(x)`, the outputs (a list of nodes, or one node) for
the inputs `x` (a list of numbers), and `net.parameters()`, the list of its weight and bias nodes.
"""

import math

import numpy as np

from ._validate import as_float_array, check_choice, check_number, check_positive_int, shape_str
from .graph import Node
from .mlp import MLP

__all__ = ["scalar_copy", "loss", "fit", "flat_params", "flat_grads", "count_nodes"]

#: fit stops with an error before a run of more steps than this: a scalar engine is slow.
MAX_STEPS = 100_000

# hidden activations a scalar copy can have: the gates of helpers.graph.Node
_ACTIVATIONS = ("relu", "sigmoid", "tanh")


# ----------------------------------------------------------------------------------------------
# The course's answer to the engine exercises: Value, with the convention of this module


class _Value:
    """A scalar autograd engine as notebook 02 builds it (the checker's reference for training).

    Every operation returns a new node of the same class that records its parents and the local
    gradient d(node)/d(parent) of each; `backward()` adds upstream x local into each parent.
    """

    def __init__(self, value, label="", parents=(), local_grads=(), op=""):
        self.value = float(value)
        self.grad = 0.0
        self.label = label
        self.parents = tuple(parents)
        self.local_grads = tuple(local_grads)
        self.op = op

    def __repr__(self):
        name = f"{self.label}, " if self.label else ""
        return f"Value({name}value={self.value:.4g}, grad={self.grad:.4g})"

    def _node(self, value, parents, local_grads, op):
        return type(self)(value, parents=parents, local_grads=local_grads, op=op)

    def _wrap(self, other):
        return other if isinstance(other, _Value) else type(self)(other)

    def __add__(self, other):
        other = self._wrap(other)
        return self._node(self.value + other.value, (self, other), (1.0, 1.0), "+")

    def __mul__(self, other):
        other = self._wrap(other)
        return self._node(self.value * other.value, (self, other), (other.value, self.value), "*")

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __pow__(self, n):
        local = n * self.value ** (n - 1)
        return self._node(self.value**n, (self,), (local,), f"**{n:g}")

    def exp(self):
        e = math.exp(self.value)
        return self._node(e, (self,), (e,), "exp")

    def log(self):
        return self._node(math.log(self.value), (self,), (1 / self.value,), "log")

    def tanh(self):
        t = math.tanh(self.value)
        return self._node(t, (self,), (1 - t * t,), "tanh")

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return other + (-self)

    def __truediv__(self, other):
        return self * self._wrap(other) ** -1

    def __rtruediv__(self, other):
        return other * self**-1

    def backward(self):
        order, seen, stack = [], set(), [(self, False)]
        while stack:  # depth first, each node after its parents, without recursion
            node, parents_done = stack.pop()
            if parents_done:
                order.append(node)
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))
                stack += [(p, False) for p in reversed(node.parents) if id(p) not in seen]
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += node.grad * local


# ----------------------------------------------------------------------------------------------
# Walking a graph of any engine: nodes with .parents (and .local_grads)


def _is_node(x):
    return hasattr(x, "parents") and hasattr(x, "value") and not isinstance(x, type)


def _order(root, where="backward"):
    """Every node `root` depends on, each after all of its parents, `root` last (no recursion)."""
    order, seen = [], set()
    stack = [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        parents = tuple(node.parents)
        for parent in reversed(parents):
            if not _is_node(parent):
                raise TypeError(
                    f"{where}: every parent must be a node; a node with op "
                    f"{getattr(node, 'op', '')!r} records a {type(parent).__name__} "
                    f"({parent!r}) among its parents. Wrap numbers first: Value(other)"
                )
            if id(parent) not in seen:
                stack.append((parent, False))
    return order


def _gradients(root, where="backward"):
    """{id(node): d(root)/d(node)} by the course's backward pass over the recorded local
    gradients of any engine's nodes (their own `backward` is not called)."""
    order = _order(root, where)
    grad = {id(node): 0.0 for node in order}
    grad[id(root)] = 1.0
    for node in reversed(order):
        parents, locals_ = tuple(node.parents), tuple(getattr(node, "local_grads", ()))
        if len(parents) != len(locals_):
            raise ValueError(
                f"{where}: a node with op {getattr(node, 'op', '')!r} records {len(parents)} "
                f"parent(s) but {len(locals_)} local gradient(s): one local gradient per "
                f"parent, in the same order"
            )
        for parent, local in zip(parents, locals_):
            if _is_node(local) or not isinstance(local, (int, float, np.integer, np.floating)):
                raise TypeError(
                    f"{where}: local gradients must be numbers; a node with op "
                    f"{getattr(node, 'op', '')!r} records a {type(local).__name__}. Record "
                    f"the number (other.value), not the node (other)"
                )
            grad[id(parent)] += grad[id(node)] * float(local)
    return grad


def count_nodes(root):
    """The number of nodes in the graph that ends at `root`, inputs and constants included.

    Works for a `helpers.graph.Node` and for the nodes of any engine that records each node's
    parents in `.parents` (the learner's `Value` of notebook 02). Notebook 02 counts the nodes of
    a loss to show why a scalar engine is slow: at least one node per multiplication.

    Parameters
    ----------
    root : a node   the output of the graph (a Node, or a node of your own engine)

    Returns
    -------
    n : int
    """
    where = "count_nodes"
    if not _is_node(root):
        raise TypeError(
            f"{where}: root must be a node (a helpers.graph.Node, or a node of your own engine "
            f"with .value and .parents); got {type(root).__name__}"
        )
    return len(_order(root, where))


# ----------------------------------------------------------------------------------------------
# A scalar network: the course's answer to the neuron, layer and MLP exercise


class _Neuron:
    def __init__(self, w, b, node, activation):
        self.w = [node(float(v)) for v in w]
        self.b = node(float(b))
        self.activation = activation  # None: a linear output unit

    def __call__(self, x):
        z = self.b
        for w_i, x_i in zip(self.w, x):
            z = z + w_i * x_i
        return getattr(z, self.activation)() if self.activation else z

    def parameters(self):
        return self.w + [self.b]


class _Layer:
    def __init__(self, W, b, node, activation):
        self.neurons = [_Neuron(W[j], b[j, 0], node, activation) for j in range(W.shape[0])]

    def __call__(self, x):
        return [neuron(x) for neuron in self.neurons]

    def parameters(self):
        return [p for neuron in self.neurons for p in neuron.parameters()]


class _ScalarNet:
    """A multi-layer perceptron made of scalar nodes, one node per weight (see `scalar_copy`)."""

    def __init__(self, sizes, params, activation, node=Node):
        self.sizes = tuple(sizes)
        L = len(sizes) - 1
        self.layers = [
            _Layer(params[f"W{l}"], params[f"b{l}"], node, activation if l < L else None)
            for l in range(1, L + 1)
        ]

    def __repr__(self):
        return f"scalar network {list(self.sizes)} ({len(self.parameters())} parameter nodes)"

    def __call__(self, x):
        where = "scalar network"
        if isinstance(x, np.ndarray):
            x = x.tolist() if x.ndim == 1 else x
        if not isinstance(x, (list, tuple)):
            raise TypeError(
                f"{where}: x must be a list of {self.sizes[0]} inputs (numbers); got "
                f"{type(x).__name__}"
            )
        if len(x) != self.sizes[0]:
            raise ValueError(
                f"{where}: x must hold {self.sizes[0]} inputs, one per input of the network; "
                f"got {len(x)}"
            )
        x = [v if _is_node(v) else check_number(v, "each input", where) for v in x]
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        """Every weight and bias node: layer after layer, neuron after neuron, w then b."""
        return [p for layer in self.layers for p in layer.parameters()]


def scalar_copy(model):
    """A network of scalar nodes with the sizes, activation and weights of a matrix MLP.

    The course's answer to notebook 02's network exercise: neuron j of layer l holds the weights
    W[l][j, :] and the bias b[l][j] as `helpers.graph.Node` objects (copies: training one network
    leaves the other alone). `net(x)` returns the list of output nodes, the scores of the last
    layer before the output activation (which belongs to the loss); `net.parameters()` returns
    the weight and bias nodes in the order of `flat_params(model)`.

    Parameters
    ----------
    model : helpers.mlp.MLP   a network with hidden activation "tanh", "relu" or "sigmoid"

    Returns
    -------
    net : a scalar network   net(x) -> list of nodes; net.parameters() -> list of nodes
    """
    where = "scalar_copy"
    _check_matrix_mlp(model, where)
    activation = model.activation
    if activation not in _ACTIVATIONS:
        check_choice(activation, "the activation of model", where, _ACTIVATIONS)
    params = {k: np.asarray(v, dtype=np.float64) for k, v in model.params.items()}
    return _ScalarNet(model.layer_sizes, params, activation)


def _check_matrix_mlp(model, where):
    if not isinstance(model, MLP):
        raise TypeError(
            f"{where}: model must be a helpers.mlp.MLP (the matrix form of notebook 05); got "
            f"{type(model).__name__}"
        )


# ----------------------------------------------------------------------------------------------
# The loss and the training loop


def _parameters(model, where):
    """The parameter nodes of a scalar network, or an error that says what a network is."""
    if not callable(model) or not callable(getattr(model, "parameters", None)):
        hint = ""
        if isinstance(model, MLP):
            hint = " (the matrix mlp.MLP has loss_and_grads and fit of its own; scalar_copy"
            hint += " makes a scalar network of it)"
        raise TypeError(
            f"{where}: model must be a network of scalar nodes: model(x) returns its outputs "
            f"and model.parameters() the list of its weights; got {type(model).__name__}{hint}"
        )
    params = model.parameters()
    if not isinstance(params, (list, tuple)) or not all(_is_node(p) for p in params):
        raise TypeError(
            f"{where}: model.parameters() must return a flat list of nodes (the weights and "
            f"biases); got {_kind_of(params)}"
        )
    return list(params)


def _kind_of(params):
    if not isinstance(params, (list, tuple)):
        return f"a {type(params).__name__}"
    bad = next((p for p in params if not _is_node(p)), None)
    return f"a {type(params).__name__} holding a {type(bad).__name__}"


def _check_data(model, X, y, where):
    X = as_float_array(X, "X", where, ndim=2, dtype=np.float64)
    sizes = getattr(model, "sizes", None)
    if isinstance(model, _ScalarNet) and X.shape[0] != sizes[0]:
        raise ValueError(
            f"{where}: X has {X.shape[0]} rows but the network expects {sizes[0]} inputs (X is "
            f"{shape_str(X.shape)}); examples are columns"
        )
    if isinstance(model, _ScalarNet) and sizes[-1] != 1:
        raise ValueError(
            f"{where}: the binary cross-entropy needs a network with one output (its score); "
            f"model has {sizes[-1]}"
        )
    y = as_float_array(y, "y", where, ndim=1, dtype=np.float64)
    if y.shape != (X.shape[1],):
        raise ValueError(
            f"{where}: y must hold one label per example (column) of X, shape "
            f"{shape_str((X.shape[1],))}; got {shape_str(y.shape)}"
        )
    if not np.all((y == 0) | (y == 1)):
        bad = y[(y != 0) & (y != 1)][0]
        raise ValueError(f"{where}: y must hold the labels 0 or 1; got the value {bad:g}")
    return X, y


def _single_output(out, where):
    if isinstance(out, (list, tuple)):
        if len(out) != 1:
            raise ValueError(
                f"{where}: the binary cross-entropy needs a network with one output (its score); "
                f"model(x) returned {len(out)} outputs"
            )
        out = out[0]
    if not _is_node(out):
        raise TypeError(
            f"{where}: model(x) must return the output node (or a list of one); got "
            f"{type(out).__name__}"
        )
    return out


def _loss(model, X, y, where):
    """mean_j log(1 + exp(-s_j z_j)), s_j = 2 y_j - 1: binary cross-entropy from the scores."""
    m = X.shape[1]
    total = None
    for j in range(m):
        z = _single_output(model(X[:, j].tolist()), where)
        term = (1 + (z * (1.0 - 2.0 * y[j])).exp()).log()
        total = term if total is None else total + term
    return total / m


def loss(model, X, y):
    """The mean binary cross-entropy of a scalar network on a data set, as a node of its graph.

    For each example (column) x_j of X the network gives one score z_j = model(x_j)[0]; with the
    sigmoid folded in, as in `helpers.mlp.MLP(..., output="sigmoid")`, the loss is

        L = (1/m) sum_j log(1 + exp(-s_j z_j)),   s_j = +1 for y_j = 1 and -1 for y_j = 0,

    built from the network's own operations (*, exp, +, log, /), so `loss(...).backward()` fills
    the gradient of every weight. Its value and gradients equal those of the matrix MLP.

    Parameters
    ----------
    model : a scalar network   model(x) returns one output node; model.parameters() its weights
    X     : ndarray (n_0, m)   inputs, one example per column
    y     : ndarray (m,)       labels 0 or 1

    Returns
    -------
    L : a node   of the model's engine; L.value is the loss
    """
    where = "loss"
    _parameters(model, where)
    X, y = _check_data(model, X, y, where)
    try:
        L = _loss(model, X, y, where)
    except (ArithmeticError, ValueError) as err:
        if not _overflowed(err):
            raise
        raise ValueError(
            f"{where}: the forward pass overflows a float ({_first(err)}): X must be smaller in "
            "size, or the weights"
        ) from None
    if not math.isfinite(L.value):
        raise ValueError(
            f"{where}: the loss is {L.value}: the forward pass overflows a float; X must be "
            "smaller in size, or the weights"
        )
    return L


def _overflowed(err):
    """An arithmetic error, or a ValueError of a gate whose number overflowed (helpers.graph's
    say "finite" or "overflow"); any other error is the network's own and is raised as it is."""
    if isinstance(err, ArithmeticError):
        return True
    text = str(err)
    return not text.startswith(("loss:", "fit:")) and ("finite" in text or "overflow" in text)


def _first(err):
    text = str(err).strip().splitlines()
    return text[0] if text else type(err).__name__


def fit(model, X, y, steps=100, lr=0.5):
    """Full-batch gradient descent on `loss(model, X, y)`; returns the loss before each step.

    Each step is the loop of every framework:

        for p in model.parameters(): p.grad = 0.0        # 1. zero the gradients
        L = loss(model, X, y)                             # 2. forward
        L.backward()                                      # 3. backward
        for p in model.parameters(): p.value -= lr * p.grad   # 4. step

    The course's answer to notebook 02's training exercise. If training diverges, the error says
    so and the parameters are put back as they were before the call.

    Parameters
    ----------
    model : a scalar network   (see `loss`); its parameters are changed in place
    X     : ndarray (n_0, m)   inputs, one example per column
    y     : ndarray (m,)       labels 0 or 1
    steps : int                how many steps
    lr    : float              the step size, positive

    Returns
    -------
    losses : list of float   the loss at the start of each step
    """
    where = "fit"
    params = _parameters(model, where)
    X, y = _check_data(model, X, y, where)
    steps = check_positive_int(steps, "steps", where, high=MAX_STEPS)
    lr = check_number(lr, "lr", where, positive=True)
    saved = [p.value for p in params]
    losses, step = [], 0
    try:
        for step in range(steps):  # noqa: B007 - the step that failed is reported
            for p in params:
                p.grad = 0.0
            L = _loss(model, X, y, where)
            L.backward()
            for p in params:
                p.value -= lr * p.grad
            if not (math.isfinite(L.value) and all(math.isfinite(p.value) for p in params)):
                raise ArithmeticError(f"a loss or a weight of {L.value:g} or more")
            losses.append(float(L.value))
    except (ArithmeticError, ValueError) as err:
        for p, value in zip(params, saved):
            p.value = value
        if not _overflowed(err):
            raise
        if step == 0:
            why = "the first forward or backward pass overflows a float: X must be smaller in"
            why += " size, or the weights; or the learning rate lr, if the first step did it"
        else:
            why = f"training diverged at step {step + 1}: the learning rate lr must be smaller"
            why += " (the size of X sets the size of the gradients too)"
        raise ValueError(
            f"{where}: {why} ({_first(err)}). The parameters are back to their values before "
            "this call."
        ) from None
    return losses


# ----------------------------------------------------------------------------------------------
# The matrix form's numbers in the order of a scalar network


def flat_params(model):
    """The weights of a matrix MLP in the order of a scalar network's `parameters()`.

    Layer after layer, neuron after neuron: the row W[l][j, :], then the bias b[l][j]. Copy them
    into a network of your own with `for p, v in zip(net.parameters(), flat_params(model)):
    p.value = v`.

    Parameters
    ----------
    model : helpers.mlp.MLP

    Returns
    -------
    values : ndarray (n_params,)
    """
    where = "flat_params"
    _check_matrix_mlp(model, where)
    return _flat(model.params, "", where)


def flat_grads(grads):
    """The gradients of `MLP.loss_and_grads` in the order of a scalar network's `parameters()`.

    Parameters
    ----------
    grads : dict   {"dW1": (n_1, n_0), "db1": (n_1, 1), ...}

    Returns
    -------
    values : ndarray (n_params,)   dW[l][j, :], then db[l][j], neuron after neuron
    """
    where = "flat_grads"
    if not isinstance(grads, dict):
        raise TypeError(
            f"{where}: grads must be the dict {{'dW1': ..., 'db1': ...}} from "
            f"MLP.loss_and_grads; got {type(grads).__name__}"
        )
    return _flat(grads, "d", where)


def _flat(arrays, prefix, where):
    name = "grads" if prefix else "model.params"
    L = sum(1 for k in arrays if isinstance(k, str) and k.startswith(f"{prefix}W"))
    expected = [f"{prefix}{kind}{l}" for l in range(1, L + 1) for kind in ("W", "b")]
    if L == 0 or sorted(map(str, arrays)) != sorted(expected):
        raise ValueError(
            f"{where}: {name} must hold {prefix}W1, {prefix}b1, ... for every layer (from "
            f"{'MLP.loss_and_grads' if prefix else 'an MLP'}); got the keys "
            f"{', '.join(map(str, arrays)) or 'none'}"
        )
    parts, n_prev = [], None
    for l in range(1, L + 1):
        W = as_float_array(arrays[f"{prefix}W{l}"], f"{name}[{prefix + 'W'}{l}]", where, ndim=2)
        b = as_float_array(arrays[f"{prefix}b{l}"], f"{name}[{prefix + 'b'}{l}]", where, ndim=2)
        if b.shape != (W.shape[0], 1):
            raise ValueError(
                f"{where}: {name}[{prefix}b{l}] must have shape {shape_str((W.shape[0], 1))}, a "
                f"column with one entry per row of {prefix}W{l}; got {shape_str(b.shape)}"
            )
        if n_prev is not None and W.shape[1] != n_prev:
            raise ValueError(
                f"{where}: {name}[{prefix}W{l}] must have {n_prev} columns, one per unit of "
                f"layer {l - 1}; got shape {shape_str(W.shape)}"
            )
        n_prev = W.shape[0]
        parts.append(np.hstack([W, b]).astype(np.float64).ravel())
    return np.concatenate(parts)
