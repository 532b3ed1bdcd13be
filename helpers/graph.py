"""A scalar computational graph, small enough to read in one sitting (notebook 01).

Every operation builds its output `Node` and records, for each parent, the local gradient
d(output)/d(parent). `backward()` walks the graph in reverse topological order and *adds*
upstream x local into each parent's `.grad`, so a node used twice receives both contributions.

    >>> w, x = Node(2.0, "w"), Node(-1.0, "x")
    >>> f = (w * x).sigmoid()
    >>> f.backward()
    >>> round(w.grad, 4), round(x.grad, 4)
    (-0.105, 0.21)

Drawing lives elsewhere (`helpers.viz`); this module only computes.
"""

import math
from dataclasses import dataclass

from ._validate import real_scalar

__all__ = [
    "Node",
    "maximum",
    "topological_order",
    "trace_backward",
    "BackwardStep",
    "NodeZeroDivisionError",
]


def _value_of(x, where, name="the other operand"):
    """A Node, or a number made into a constant node (the `1` of `e + 1`)."""
    if isinstance(x, Node):
        return x
    try:
        value = real_scalar(x, name, where)
    except TypeError:
        raise TypeError(
            f"{where}: expected a Node or a number for {name}; got {type(x).__name__} {x!r}"
        ) from None
    if not math.isfinite(value):
        raise ValueError(f"{where}: {name} must be finite; got {value}")
    return Node(value, where=where)


def _finite(value, where, what):
    """A float result of a gate, or a ValueError if it overflowed."""
    if not math.isfinite(value):
        raise ValueError(
            f"{where}: {what} is {value}, too large for a float: the values must be smaller. "
            f"Did something overflow?"
        )
    return value


class Node:
    """A scalar value in a computational graph.

    Attributes
    ----------
    value       : float   the result of the forward pass
    grad        : float   dL/d(this node) after `backward()` on L; 0.0 before
    label       : str     a name for drawings and tables ("w0", "dot", ...)
    op          : str     the operation that produced the node ("" for an input)
    parents     : tuple   the nodes this one was computed from
    local_grads : tuple   d(this)/d(parent) for each parent, in the same order
    """

    __slots__ = ("value", "grad", "label", "op", "parents", "local_grads")

    def __init__(self, value, label="", *, parents=(), local_grads=(), op="", where="Node"):
        if isinstance(value, Node):
            raise TypeError(f"{where}: value must be a number; got a Node (use the node itself)")
        # numpy scalars and 0-d arrays are numbers too; a bool, a list or a 1-D array is not
        value = real_scalar(value, "value", where, "a real number")
        if not math.isfinite(value):
            raise ValueError(f"{where}: value must be finite; got {value}. Did something overflow?")
        if not isinstance(label, str):
            raise TypeError(f"{where}: label must be a str; got {type(label).__name__}")
        self.value = value
        self.grad = 0.0
        self.label = label
        self.op = op
        self.parents = tuple(parents)
        self.local_grads = tuple(_finite(float(g), where, "a local gradient") for g in local_grads)

    def __repr__(self):
        name = f"{self.label!r}, " if self.label else ""
        return f"Node({name}value={self.value:.6g}, grad={self.grad:.6g})"

    # -- arithmetic: each returns a new node with its local gradients ---------------------------

    def __add__(self, other):
        other = _value_of(other, "+")
        return Node(
            self.value + other.value,
            parents=(self, other),
            local_grads=(1.0, 1.0),
            op="+",
            where="+",
        )

    def __mul__(self, other):
        other = _value_of(other, "*")
        return Node(
            self.value * other.value,
            parents=(self, other),
            local_grads=(other.value, self.value),  # the multiply gate swaps its inputs
            op="*",
            where="*",
        )

    def __pow__(self, exponent):
        if isinstance(exponent, Node):
            raise TypeError("**: the exponent must be a number, not a Node (use exp and log)")
        try:
            exponent = real_scalar(exponent, "the exponent", "**")
        except TypeError:
            raise TypeError(
                f"**: the exponent must be a number; got {type(exponent).__name__}"
            ) from None
        if not math.isfinite(exponent):
            raise ValueError(f"**: the exponent must be finite; got {exponent}")
        if self.value == 0 and exponent < 1:
            raise ValueError(f"**: 0 ** {exponent:g} has no finite derivative")
        if self.value < 0 and not exponent.is_integer():
            raise ValueError(f"**: a negative base ({self.value}) needs an integer exponent")
        try:
            value = self.value**exponent
            local = exponent * self.value ** (exponent - 1)
        except OverflowError:
            raise ValueError(
                f"**: {self.value:g} ** {exponent:g} overflows a float; use smaller values"
            ) from None
        return Node(value, parents=(self,), local_grads=(local,), op=f"**{exponent:g}", where="**")

    def __neg__(self):
        return Node(-self.value, parents=(self,), local_grads=(-1.0,), op="*-1", where="-")

    def __sub__(self, other):
        return self + (-_value_of(other, "-"))

    def __truediv__(self, other):
        return self * _value_of(other, "/").reciprocal()

    def __radd__(self, other):
        return _value_of(other, "+") + self

    def __rsub__(self, other):
        return _value_of(other, "-") - self

    def __rmul__(self, other):
        return _value_of(other, "*") * self

    def __rtruediv__(self, other):
        if not isinstance(other, Node) and _is_one(other):
            return self.reciprocal()  # 1 / x is one gate, as in the sigmoid neuron
        return _value_of(other, "/") * self.reciprocal()

    # -- functions -------------------------------------------------------------------------------

    def reciprocal(self):
        """1 / x as one gate, with local gradient -1 / x^2."""
        if self.value == 0:
            raise NodeZeroDivisionError(
                "1/x: the divisor must not be 0; got division by a node whose value is 0"
            )
        r = 1 / self.value
        return Node(r, parents=(self,), local_grads=(-r * r,), op="1/x", where="1/x")

    def exp(self):
        if self.value > 709.0:
            raise ValueError(
                f"exp: exp({self.value:g}) overflows a float (the limit is about 709); "
                "use sigmoid() for 1/(1+exp(-z)), which never overflows"
            )
        e = math.exp(self.value)
        return Node(e, parents=(self,), local_grads=(e,), op="exp", where="exp")

    def log(self):
        if self.value <= 0:
            raise ValueError(f"log: the input must be positive; got {self.value}")
        return Node(
            math.log(self.value),
            parents=(self,),
            local_grads=(1 / self.value,),
            op="log",
            where="log",
        )

    def sigmoid(self):
        """The collapsed sigmoid gate: one node with local gradient s (1 - s)."""
        z = self.value
        s = 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))
        return Node(s, parents=(self,), local_grads=(s * (1 - s),), op="sigmoid")

    def tanh(self):
        t = math.tanh(self.value)
        return Node(t, parents=(self,), local_grads=(1 - t * t,), op="tanh")

    def relu(self):
        """max(0, x); the slope at x = 0 is taken to be 0."""
        on = self.value > 0
        return Node(self.value if on else 0.0, parents=(self,), local_grads=(float(on),), op="relu")

    # -- the backward pass -----------------------------------------------------------------------

    def backward(self):
        """Fill `.grad` of every node this one depends on with d(self)/d(node).

        Gradients in this graph are reset first, so calling `backward()` twice, or on a new
        graph that shares input nodes with an old one, gives the same, fresh answer.
        """
        _trace_backward(self, "backward")


class NodeZeroDivisionError(ZeroDivisionError, ValueError):
    """Division by a node whose value is 0: a ZeroDivisionError, and a ValueError like every
    other bad value given to the course's functions."""


def _is_one(x):
    try:
        return real_scalar(x, "x", "/") == 1.0
    except TypeError:
        return False


def maximum(a, b):
    """max(a, b) as a gate: the gradient is routed to the larger input (to `a` on a tie)."""
    a, b = _value_of(a, "maximum", "a"), _value_of(b, "maximum", "b")
    a_wins = a.value >= b.value
    return Node(
        a.value if a_wins else b.value,
        parents=(a, b),
        local_grads=(float(a_wins), float(not a_wins)),
        op="max",
    )


def topological_order(root):
    """All nodes `root` depends on, each after its parents, `root` last (no recursion)."""
    return _topological_order(root, "topological_order")


def _topological_order(root, where):
    if not isinstance(root, Node):
        raise TypeError(f"{where}: root must be a Node; got {type(root).__name__}")
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
        for parent in reversed(node.parents):
            if id(parent) not in seen:
                stack.append((parent, False))
    return order


@dataclass(frozen=True)
class BackwardStep:
    """One step of the backward pass: `node` sends upstream x local to each of its parents."""

    number: int
    node: Node
    upstream: float  # dL/d(node), complete when this step runs
    contributions: tuple  # (parent, local gradient, upstream * local) for each parent


def trace_backward(root):
    """Run the backward pass from `root` and return its steps, in the order they ran.

    Steps are recorded only for nodes that have parents (inputs have nothing to send).
    The stepper of notebook 01 replays them one at a time. The gradients are computed first and
    written into the nodes' `.grad` only when all of them are finite.
    """
    return _trace_backward(root, "trace_backward")


def _trace_backward(root, where):
    steps, write = _backward_pass(root, where)
    write()
    return steps


def _backward_pass(root, where):
    """The steps of the backward pass, and a function that writes the gradients into the nodes."""
    order = _topological_order(root, where)
    grad = {id(node): 0.0 for node in order}
    grad[id(root)] = 1.0
    steps = []
    for node in reversed(order):
        if not node.parents:
            continue
        upstream = grad[id(node)]
        contributions = []
        for parent, local in zip(node.parents, node.local_grads):
            share = upstream * local
            grad[id(parent)] += share
            contributions.append((parent, local, share))
        steps.append(BackwardStep(len(steps) + 1, node, upstream, tuple(contributions)))
    for node in order:
        _finite(grad[id(node)], where, f"the gradient of node {node.label or node.op!r}")

    def write():
        for node in order:
            node.grad = grad[id(node)]

    return steps, write
