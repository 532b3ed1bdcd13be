"""The checker's side of notebook 02's exercises: the learner's own autograd engine.

`helpers.exercises` declares the six exercises (engine_add_mul, engine_backward,
engine_functions, engine_sub_div, engine_mlp, engine_training); this module holds what they run.

Each `run` drives the learner's code: it builds a random expression with the learner's class
`Value` (and the same one with helpers.graph.Node, the reference), and reads the value and the
gradients. The operations of the step being checked are the learner's operators; every other
gate of the expression is made with the learner's constructor, Value(value, label,
parents=..., local_grads=..., op=...), with the course's numbers, so that a slip in another step
does not blur this one. The steps before backward() is checked read the gradients by the course's
own pass over the local gradients the learner's nodes record (`engine._gradients`); the backward
check calls the learner's backward().

Each named mistake is a small wrong engine, the course's answer (`engine._Value`) with one method
changed, run through the same `run` on the same inputs, and only when a check fails: a mistake is
named when the learner's outputs are all what that wrong engine gives. The convention for
gradients is PyTorch's (see helpers.engine): backward() adds into .grad and never clears it; the
training loop sets the weights' gradients to 0 before each backward pass.
"""

import functools
import math
from dataclasses import dataclass

import numpy as np

from . import engine
from .checker import Mistake
from .graph import Node
from .mlp import MLP

Value = engine._Value


def _same_numbers(value):
    """A test `have` == `value`: the same shape, the same finite entries, equal numbers."""

    def matches(have, got):
        have = np.asarray(have, dtype=float)
        if have.shape != value.shape or not np.array_equal(np.isfinite(have), np.isfinite(value)):
            return False
        scale = float(np.max(np.abs(value), initial=0.0, where=np.isfinite(value)))
        ok = np.isfinite(value)
        return bool(np.allclose(have[ok], value[ok], rtol=2e-4, atol=2e-5 * max(scale, 1e-3)))

    return matches


@dataclass(frozen=True)
class _Expression:
    """A random expression: leaf (value, label) pairs, then steps (op, a, b) over earlier nodes.

    Nodes are numbered leaves first, then one per step; a and b are node numbers or numbers as
    the op says: ("+", i, j) is node i + node j, ("+c", i, c) node i + c, ("c+", c, i) c + node i,
    ("**", i, n) node i ** n, ("exp", i, None) node i .exp(), ("neg", i, None) -node i, and so
    on. The last step is the output.
    """

    leaves: tuple
    steps: tuple

    def __repr__(self):
        return f"<{len(self.steps)} operations>"


_BY_OPERATOR = {
    "+": lambda n, a, b: n[a] + n[b],
    "+c": lambda n, a, b: n[a] + b,
    "c+": lambda n, a, b: a + n[b],
    "*": lambda n, a, b: n[a] * n[b],
    "*c": lambda n, a, b: n[a] * b,
    "c*": lambda n, a, b: a * n[b],
    "**": lambda n, a, b: n[a] ** b,
    "exp": lambda n, a, b: n[a].exp(),
    "log": lambda n, a, b: n[a].log(),
    "tanh": lambda n, a, b: n[a].tanh(),
    "neg": lambda n, a, b: -n[a],
    "-": lambda n, a, b: n[a] - n[b],
    "-c": lambda n, a, b: n[a] - b,
    "c-": lambda n, a, b: a - n[b],
    "/": lambda n, a, b: n[a] / n[b],
    "/c": lambda n, a, b: n[a] / b,
    "c/": lambda n, a, b: a / n[b],
}
_WRITTEN = {"+": "x + y", "+c": "x + 2", "c+": "2 + x", "*": "x * y", "*c": "x * 2", "c*": "2 * x"}
_WRITTEN.update({"**": "x ** n", "exp": "x.exp()", "log": "x.log()", "tanh": "x.tanh()"})
_WRITTEN.update({"neg": "-x", "-": "x - y", "-c": "x - 2", "c-": "2 - x", "/": "x / y"})
_WRITTEN.update({"/c": "x / 2", "c/": "2 / x"})


def _by_constructor(E, op, a, b, nodes):
    """An add or multiply gate made with the constructor of E: the course's value and locals."""
    if op in ("+", "*"):
        x, y = nodes[a], nodes[b]
    elif op in ("+c", "*c"):
        x, y = nodes[a], E(b)
    else:  # "c+", "c*"
        x, y = E(a), nodes[b]
    if "+" in op:
        return E(x.value + y.value, "", parents=(x, y), local_grads=(1.0, 1.0), op="+")
    return E(x.value * y.value, "", parents=(x, y), local_grads=(y.value, x.value), op="*")


def _build(E, expression, mine):
    """Build `expression` with class E: the ops in `mine` with E's operators, the others (+ and *)
    with E's constructor. Returns (the leaf nodes, the output node)."""
    nodes = [E(value, label) for value, label in expression.leaves]
    for op, a, b in expression.steps:
        if op not in mine:
            nodes.append(_by_constructor(E, op, a, b, nodes))
            continue
        node = _BY_OPERATOR[op](nodes, a, b)
        if not engine._is_node(node):
            raise TypeError(
                f"{_WRITTEN[op]} returned {type(node).__name__} {node!r}, not a node: every "
                f"operation returns a new {E.__name__}(...) that records its parents and local "
                "gradients"
            )
        nodes.append(node)
    return nodes[: len(expression.leaves)], nodes[-1]


def _value_and_grads(leaves, root, own_backward):
    """[root value, d root / d leaf for each leaf]: by the engine's own backward(), or by the
    course's backward pass over the local gradients the engine's nodes record."""
    if own_backward:
        root.backward()
        grads = [leaf.grad for leaf in leaves]
    else:
        found = engine._gradients(root, "the course's backward pass over your nodes")
        grads = [found.get(id(leaf), 0.0) for leaf in leaves]
    return np.array([root.value, *grads], dtype=float)


def node_outputs(*expressions):
    """The reference: each expression built with helpers.graph.Node and its backward() run."""
    out = []
    for expression in expressions:
        leaves, root = _build(Node, expression, _BY_OPERATOR)
        out.append(_value_and_grads(leaves, root, own_backward=True))
    return tuple(out)


def expected_from(outputs):
    """A reference_run: the expected outputs come from `outputs(*args)` (helpers.graph.Node, or
    the matrix MLP), whatever the course's own answer (the exercise's `reference`) is."""
    return lambda _answer, args: outputs(*args)


def engine_run(mine):
    """run(E, args): each expression of args built with the learner's class E, the ops in
    `mine` by its operators; [value, gradients of the leaves] for each."""

    def run(E, args):
        out = []
        for expression in args:
            leaves, root = _build(E, expression, mine)
            out.append(_value_and_grads(leaves, root, own_backward=False))
        return tuple(out)

    return run


def _slipped(run, variant, args, expected, output, every=True):
    """A test: the learner's answer is what the wrong engine `variant` gives, run(variant, args),
    on output `output` (and, if `every`, on all the other outputs too, so that a slip is named
    only where it explains everything). Run only when asked, once: a right answer never pays
    for the slips. Never true where the slip gives the right answer on these inputs or cannot
    run on them."""
    ran = {}

    def matches(have, got):
        if "value" not in ran:
            try:
                with np.errstate(all="ignore"):
                    value = _as_outputs(run(variant, args))
                same = _same_numbers(np.asarray(expected[output], dtype=float))
                right = same(np.asarray(value[output], dtype=float), None)
                ran["value"] = None if right else [np.asarray(v, dtype=float) for v in value]
            except (ArithmeticError, ValueError, TypeError, AttributeError, IndexError):
                ran["value"] = None
        value = ran["value"]
        if value is None or not _same_numbers(value[output])(have, got):
            return False
        if not every:
            return True
        got = _as_outputs(got)
        return len(got) == len(value) and all(
            _same_numbers(v)(g, got) for v, g in zip(value, got) if g is not None
        )

    return matches


def _as_outputs(value):
    return value if isinstance(value, tuple) else (value,)


def _variant_mistakes(run, args, expected, variants, outputs=None):
    """A lazy Mistake per (wrong engine, message, key) of `variants` and output: the learner's
    outputs are all those of the wrong engine (or, with `outputs`, the ones named are)."""
    every = outputs is None
    outputs = range(len(expected)) if every else outputs
    return [
        Mistake(i, _slipped(run, variant, args, expected, i, every), message, key)
        for variant, message, key in variants
        for i in outputs
    ]


def _gate(node, value, parents, local, op):
    return type(node)(value, parents=parents, local_grads=local, op=op)


def _wrap(node, other):
    return other if isinstance(other, Value) else type(node)(other)


def _signed(rng, n, low=0.5, high=1.5):
    return [float(v) for v in np.round(rng.uniform(low, high, n) * rng.choice([-1, 1], n), 3)]


def _leaves(values):
    return tuple((float(v), "abcdefgh"[i]) for i, v in enumerate(values))


# -- Exercise 1: + and * ------------------------------------------------------------------------

ADD_MUL = ("+", "+c", "c+", "*", "*c", "c*")


def _random_expression(rng, values, plan, ops=("+", "*")):
    """An expression over leaves `values` with the steps of `plan` in a random order: "x+x" and
    "x*x" use one node twice, the others as in _Expression; then every node not yet used is
    joined in with a random op of `ops`, so that each reaches the output."""
    n_leaves = nodes = len(values)
    plan = list(plan)
    rng.shuffle(plan)
    steps, used = [], set()

    def node():
        if nodes > n_leaves and rng.random() < 0.6:
            return int(rng.integers(n_leaves, nodes))  # a recent node: a deeper graph
        return int(rng.integers(nodes))

    for op in plan:
        c = float(rng.choice([2.0, -1.5, 0.5, 3.0]))
        i = node()
        if op in ("x+x", "x*x"):
            steps.append((op[1], i, i))
        elif op in ("+c", "*c"):
            steps.append((op, i, c))
        elif op in ("c+", "c*"):
            steps.append((op, c, i))
        else:
            j = node()
            steps.append((op, i, j))
            used.add(j)
        used.add(i)
        nodes += 1
    for k in range(nodes - 1):
        if k not in used:
            steps.append((ops[int(rng.integers(len(ops)))], k, nodes - 1))
            nodes += 1
    return _Expression(_leaves(values), tuple(steps))


def add_mul_inputs(rng, trial):
    plan = ("+", "*", "x+x", "x*x", "+c", "c+", "*c", "c*", "+", "*")
    return (_random_expression(rng, _signed(rng, 3 + trial % 2), plan),)


class _MulNoSwap(Value):
    def __mul__(self, other):
        other = _wrap(self, other)
        return _gate(self, self.value * other.value, (self, other), (self.value, other.value), "*")


class _MulLikeAdd(Value):
    def __mul__(self, other):
        other = _wrap(self, other)
        return _gate(self, self.value * other.value, (self, other), (1.0, 1.0), "*")


class _AddLikeMul(Value):
    def __add__(self, other):
        other = _wrap(self, other)
        return _gate(self, self.value + other.value, (self, other), (other.value, self.value), "+")


class _AddOneParent(Value):
    def __add__(self, other):
        other = _wrap(self, other)
        return _gate(self, self.value + other.value, (self,), (1.0,), "+")


class _MulOneParent(Value):
    def __mul__(self, other):
        other = _wrap(self, other)
        return _gate(self, self.value * other.value, (self,), (other.value,), "*")


class _MulAdds(Value):
    def __mul__(self, other):
        other = _wrap(self, other)
        return _gate(self, self.value + other.value, (self, other), (other.value, self.value), "*")


class _AddMultiplies(Value):
    def __add__(self, other):
        other = _wrap(self, other)
        return _gate(self, self.value * other.value, (self, other), (1.0, 1.0), "+")


class _LocalsOfTheProduct(Value):
    def __mul__(self, other):
        other = _wrap(self, other)
        product = self.value * other.value
        return _gate(self, product, (self, other), (product, product), "*")


ADD_MUL_SLIPS = (
    (
        _MulNoSwap,
        "is what a * gate that does not swap gives: the local gradient of x * y for x is y, and "
        "for y it is x, so __mul__ records local_grads=(other.value, self.value), in the order "
        "of parents=(self, other)",
        "mul_no_swap",
    ),
    (
        _MulLikeAdd,
        "is what a * gate with the add gate's local gradients (1, 1) gives: the multiply gate "
        "swaps its inputs, local_grads=(other.value, self.value)",
        "mul_like_add",
    ),
    (
        _LocalsOfTheProduct,
        "is what a * gate gives whose local gradients are its output x * y: the local gradient "
        "for x is y, for y it is x, local_grads=(other.value, self.value)",
        "mul_local_output",
    ),
    (
        _AddLikeMul,
        "is what a + gate with the multiply gate's local gradients gives: x + y passes the "
        "gradient on to both inputs, local_grads=(1.0, 1.0)",
        "add_like_mul",
    ),
    (
        _AddOneParent,
        "misses the second input of +: __add__ records only self as a parent, so other gets no "
        "gradient; record parents=(self, other) and one local gradient for each",
        "missing_parent",
    ),
    (
        _MulOneParent,
        "misses the second input of *: __mul__ records only self as a parent, so other gets no "
        "gradient; record parents=(self, other) and one local gradient for each",
        "missing_parent",
    ),
    (
        _MulAdds,
        "comes from a * whose value is a sum: x * y is self.value * other.value",
        "mul_value",
    ),
    (
        _AddMultiplies,
        "comes from a + whose value is a product: x + y is self.value + other.value",
        "add_value",
    ),
)


def add_mul_mistakes(args, expected):
    return _variant_mistakes(engine_run(ADD_MUL), args, expected, ADD_MUL_SLIPS)


# -- Exercise 2: backward() ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Graph:
    """Gates with given local gradients over leaves, and a second graph that shares leaves.

    leaves : (value, label) pairs;  gates : (parents, local_grads, value) triples, parents by
    node number (leaves first), the last gate the output. The second graph's nodes are numbered
    the first graph's leaves first, then `second_leaves`, then its `second_gates`.
    """

    leaves: tuple
    gates: tuple
    second_leaves: tuple
    second_gates: tuple

    def __repr__(self):
        return f"<{len(self.gates)} gates>"


def graph_inputs(rng, trial):
    """A graph with a node used twice by one gate (a + a), nodes that feed two or three gates,
    chains; every node reaches the output. Local gradients are random, never 0 or 1."""
    n_leaves = 3 + trial % 2
    values = _signed(rng, n_leaves)

    def local():
        return float(np.round(rng.uniform(0.5, 2.0) * rng.choice([-1, 1]), 2))

    gates, used, n = [], [0] * n_leaves, n_leaves

    def pick():
        return int(rng.integers(max(0, n - 3), n)) if rng.random() < 0.5 else int(rng.integers(n))

    plan = ["twice", "two", "one", "two", "two", "one", "two"][: 5 + trial % 3]
    rng.shuffle(plan)
    for kind in plan:
        i = pick()
        parents = (i, i) if kind == "twice" else (i, pick()) if kind == "two" else (i,)
        gates.append((parents, tuple(local() for _ in parents), float(np.round(rng.normal(), 3))))
        for p in parents:
            used[p] += 1
        used.append(0)
        n += 1
    for k in range(n - 1):  # every node reaches the output
        if not used[k]:
            gates.append(((k, n - 1), (local(), local()), float(np.round(rng.normal(), 3))))
            used[k] += 1
            used[n - 1] += 1
            used.append(0)
            n += 1
    # the second graph: two leaves shared with the first, one of its own
    shared = [int(k) for k in rng.choice(n_leaves, 2, replace=False)]
    own = n_leaves
    second = (
        ((shared[0], own), (local(), local()), 0.5),
        ((n_leaves + 1, shared[1]), (local(), local()), -0.25),
        ((n_leaves + 2, shared[0]), (local(), local()), 1.5),
    )
    return (_Graph(_leaves(values), tuple(gates), ((0.75, "z"),), second),)


def _build_graph(E, graph):
    """(nodes of the first graph, output of the second), every node made with E's constructor."""
    nodes = [E(value, label) for value, label in graph.leaves]
    for parents, local, value in graph.gates:
        op = "+" if len(parents) == 2 else "f"
        nodes.append(
            E(value, "", parents=tuple(nodes[p] for p in parents), local_grads=local, op=op)
        )
    second = nodes[: len(graph.leaves)] + [E(v, label) for v, label in graph.second_leaves]
    for parents, local, value in graph.second_gates:
        second.append(
            E(value, "", parents=tuple(second[p] for p in parents), local_grads=local, op="+")
        )
    return nodes, second[-1]


def _grads_of(nodes):
    return np.array([node.grad for node in nodes])


def backward_run(E, args):
    """The learner's backward() on the first graph (every node's gradient), then on the second,
    which shares two leaves: the first graph's leaves' gradients after it (they add up)."""
    (graph,) = args
    nodes, second = _build_graph(E, graph)
    nodes[-1].backward()
    first = _grads_of(nodes)
    second.backward()
    return first, _grads_of(nodes[: len(graph.leaves)])


def node_backward(graph):
    """The reference, with helpers.graph.Node; Node.backward() clears its graph's gradients
    first, so the sum over the two graphs is taken here, as the convention of the engine says."""
    nodes, second = _build_graph(Node, graph)
    nodes[-1].backward()
    first = _grads_of(nodes)
    leaves = nodes[: len(graph.leaves)]
    for leaf in leaves:
        leaf.grad = 0.0  # a leaf the second graph does not reach receives nothing from it
    second.backward()
    return first, first[: len(leaves)] + _grads_of(leaves)


def _post_order(root, flip=False, visited=True):
    """Depth first, each node after its parents (every path, if not `visited`)."""
    order, seen = [], set()

    def visit(node):
        if visited and id(node) in seen:
            return
        seen.add(id(node))
        for parent in reversed(node.parents) if flip else node.parents:
            visit(parent)
        order.append(node)

    visit(root)
    return order


def _kahn(root):
    """Output first, each node once all of its consumers are done (Kahn's algorithm)."""
    waiting = {}
    for node in _post_order(root):
        for parent in node.parents:
            waiting[id(parent)] = waiting.get(id(parent), 0) + 1
    order, queue = [], [root]
    while queue:
        node = queue.pop(0)
        order.append(node)
        for parent in node.parents:
            waiting[id(parent)] -= 1
            if waiting[id(parent)] == 0:
                queue.append(parent)
    return order


def _send(node, assign=False, upstream=True, local=True):
    for parent, g in zip(node.parents, node.local_grads):
        share = (node.grad if upstream else 1.0) * (g if local else 1.0)
        if assign:
            parent.grad = share
        else:
            parent.grad += share


def _backward_slip(order, assign=False, upstream=True, local=True, seed=True):
    """A class whose backward() walks order(root) (output first) with one slip."""

    class Slip(Value):
        def backward(self):
            if seed:
                self.grad = 1.0
            for node in order(self):
                _send(node, assign, upstream, local)

    return Slip


class _Breadth(Value):
    flip = False

    def backward(self):  # breadth first from the output, each node once, as soon as it is seen
        self.grad, queue, seen = 1.0, [self], {id(self)}
        while queue:
            node = queue.pop(0)
            _send(node)
            for parent in reversed(node.parents) if self.flip else node.parents:
                if id(parent) not in seen:
                    seen.add(id(parent))
                    queue.append(parent)


class _BreadthFlipped(_Breadth):
    flip = True


class _PreOrder(Value):
    flip = False

    def backward(self):  # depth first from the output: send, then go down, each node once
        self.grad, seen = 1.0, set()

        def go(node):
            if id(node) in seen:
                return
            seen.add(id(node))
            _send(node)
            for parent in reversed(node.parents) if self.flip else node.parents:
                go(parent)

        go(self)


class _PreOrderFlipped(_PreOrder):
    flip = True


class _Recursive(Value):
    def backward(self):  # send, then recurse into each parent, along every path
        self.grad = 1.0

        def go(node):
            for parent, g in zip(node.parents, node.local_grads):
                parent.grad += node.grad * g
                go(parent)

        go(self)


class _ClearsFirst(Value):
    def backward(self):
        for node in _post_order(self):
            node.grad = 0.0
        super().backward()


def _reversed_post_order(flip=False, visited=True):
    return lambda root: list(reversed(_post_order(root, flip, visited)))


_ASSIGN = (
    "are those of a backward pass that assigns, parent.grad = node.grad * local, instead of "
    "adding: a node used twice (a + a, a * a, or one value that feeds two gates) keeps only one "
    "of its contributions. Add them up: parent.grad += node.grad * local"
)
_NOT_TOPOLOGICAL = (
    "come from a backward pass that lets a node send its gradient on before every consumer of "
    "that node has sent it theirs (no topological order: a walk breadth first from the output, "
    "or a recursion that goes down as soon as it can), so the node passes on only part of its "
    "gradient. First sort the graph depth first, each node after all of its parents, then walk "
    "that order reversed"
)
_TWICE = (
    "are too large where a node is reached along two paths: that node was listed (or visited) "
    "once per path and sent its gradient each time. Keep a set of the nodes already visited, so "
    "each one is in the order once"
)
BACKWARD_SLIPS = (
    (_backward_slip(_reversed_post_order(), assign=True), _ASSIGN, "assign"),
    (_backward_slip(_reversed_post_order(flip=True), assign=True), _ASSIGN, "assign"),
    (_backward_slip(_kahn, assign=True), _ASSIGN, "assign"),
    (
        _backward_slip(_post_order),
        "reach only the output's own inputs: the walk went through the topological order from "
        "the inputs to the output, so each node sent its gradient before it had received any "
        "(walk it reversed: for node in reversed(order)), or it stopped after the output's own "
        "gate (every node sends upstream x local to its parents)",
        "order_not_reversed",
    ),
    (_Breadth, _NOT_TOPOLOGICAL, "not_topological"),
    (_BreadthFlipped, _NOT_TOPOLOGICAL, "not_topological"),
    (_PreOrder, _NOT_TOPOLOGICAL, "not_topological"),
    (_PreOrderFlipped, _NOT_TOPOLOGICAL, "not_topological"),
    (_Recursive, _TWICE, "visited_twice"),
    (_backward_slip(_reversed_post_order(visited=False)), _TWICE, "visited_twice"),
    (_backward_slip(_reversed_post_order(flip=True, visited=False)), _TWICE, "visited_twice"),
    (
        _backward_slip(_reversed_post_order(), seed=False),
        "are all 0: the output's own gradient, d out / d out, must be 1 before the walk starts: "
        "self.grad = 1.0",
        "no_seed",
    ),
    (
        _backward_slip(_reversed_post_order(), upstream=False),
        "come from adding the local gradient alone: the chain rule multiplies it by the upstream "
        "gradient, parent.grad += node.grad * local",
        "no_upstream",
    ),
    (
        _backward_slip(_reversed_post_order(), local=False),
        "come from passing the upstream gradient on unchanged: multiply it by the local "
        "gradient, parent.grad += node.grad * local",
        "no_local",
    ),
    (
        _ClearsFirst,
        "hold only the second graph's gradients: your backward() set .grad to 0 before adding. "
        "In this engine, as in PyTorch, backward() only adds (+=) and never clears a gradient: "
        "the two graphs share these inputs, so their gradients add up, and a training loop "
        "zeroes the weights' gradients itself. (helpers.graph.Node clears them: a convenience "
        "for notebook 01's drawings)",
        "clears_gradients",
    ),
)


def _assigned(graph):
    """A test: every node's gradient is exactly one of its contributions (upstream x local along
    one edge), whatever order the walk took: the sign of `=` where `+=` belongs."""
    n = len(graph.leaves) + len(graph.gates)
    edges = [[] for _ in range(n)]
    for k, (parents, local, _) in enumerate(graph.gates):
        for p, g in zip(parents, local):
            edges[p].append((len(graph.leaves) + k, g))

    def matches(have, got):
        have = np.asarray(have, dtype=float)
        if have.shape != (n,) or not np.isclose(have[-1], 1.0):
            return False
        return all(
            any(np.isclose(have[i], have[k] * g, rtol=1e-6, atol=1e-9) for k, g in edges[i])
            for i in range(n - 1)
        )

    return matches


def backward_mistakes(args, expected):
    found = _variant_mistakes(backward_run, args, expected, BACKWARD_SLIPS)
    found.append(Mistake(0, _assigned(args[0]), _ASSIGN, "assign"))
    return found


# -- Exercise 3: **, exp, log and tanh ----------------------------------------------------------

_EXPONENTS = ((3, -1, 0.5), (2, -2, 1.5), (4, 0.5, -1), (-0.5, 3, 2.5))


FUNCTIONS = ("**", "exp", "log", "tanh")


def functions_inputs(rng, trial):
    """One expression per function: the function of a leaf, of a product, of itself (a chain),
    a leaf used twice, joined by + and * gates of the course."""
    n1, n2, n3 = _EXPONENTS[trial % len(_EXPONENTS)]
    positive = [float(v) for v in np.round(rng.uniform(0.5, 2.0, 3), 3)]
    power = _Expression(
        _leaves(positive),
        (("*", 0, 1), ("**", 3, n1), ("**", 2, n2), ("**", 0, n3), ("+", 4, 5), ("*", 7, 6)),
    )
    small = _signed(rng, 3, 0.3, 1.0)
    exp = _Expression(
        _leaves(small),
        (("exp", 0, None), ("*", 3, 1), ("exp", 4, None), ("exp", 2, None), ("+", 5, 6),
         ("*", 7, 3)),
    )  # fmt: skip
    positive = [float(v) for v in np.round(rng.uniform(0.5, 2.5, 3), 3)]
    log = _Expression(
        _leaves(positive),
        (("log", 0, None), ("*", 1, 2), ("log", 4, None), ("log", 1, None), ("+", 3, 5),
         ("*", 7, 6)),
    )  # fmt: skip
    tanh = _Expression(
        _leaves(_signed(rng, 3, 0.3, 1.5)),
        (("tanh", 0, None), ("*", 3, 1), ("+", 4, 2), ("tanh", 5, None), ("tanh", 6, None),
         ("*", 7, 3)),
    )  # fmt: skip
    return power, exp, log, tanh


def _unary_slip(method, value, local, parents=True):
    """A class whose `method` (pow, exp, log or tanh) has the given value and local gradient."""

    class Slip(Value):
        pass

    def gate(self, *n):
        x = self.value
        if not parents:
            return _gate(self, value(x, *n), (), (), method)
        return _gate(self, value(x, *n), (self,), (local(x, *n),), method)

    setattr(Slip, "__pow__" if method == "**" else method, gate)
    return Slip


POW_SLIPS = (
    (
        _unary_slip("**", lambda x, n: x**n, lambda x, n: x ** (n - 1)),
        "has the local gradient x ** (n - 1), without the factor n: the power rule gives "
        "n * x ** (n - 1)",
        "pow_missing_n",
    ),
    (
        _unary_slip("**", lambda x, n: x**n, lambda x, n: n * x**n),
        "has the local gradient n * x ** n: the exponent drops by one, n * x ** (n - 1)",
        "pow_exponent_n",
    ),
    (
        _unary_slip("**", lambda x, n: x**n, lambda x, n: n * x**n - 1),
        "has the local gradient n * x ** n - 1, which Python reads as (n * x ** n) - 1: put the "
        "exponent in parentheses, n * x ** (n - 1)",
        "pow_precedence",
    ),
    (
        _unary_slip("**", lambda x, n: x**n, lambda x, n: n),
        "has the local gradient n: the power rule gives n * x ** (n - 1)",
        "pow_local_n",
    ),
    (
        _unary_slip("**", lambda x, n: x**n, lambda x, n: n * x),
        "has the local gradient n * x, right for x ** 2 only: the power rule gives "
        "n * x ** (n - 1)",
        "pow_n_times_x",
    ),
    (
        _unary_slip("**", lambda x, n: x * n, lambda x, n: n * x ** (n - 1)),
        "has the value x * n: x ** n is self.value ** n",
        "pow_value",
    ),
)
EXP_SLIPS = (
    (
        _unary_slip("exp", math.exp, lambda x: 1.0),
        "has the local gradient 1: exp is its own derivative, local_grads=(e,) with e = "
        "math.exp(self.value), the output",
        "exp_local_one",
    ),
    (
        _unary_slip("exp", math.exp, lambda x: x),
        "has the local gradient x, the input: exp is its own derivative, local_grads=(e,) with "
        "e = math.exp(self.value), the output",
        "exp_local_input",
    ),
)
LOG_SLIPS = (
    (
        _unary_slip("log", math.log, lambda x: x),
        "has the local gradient x: the derivative of log x is 1 / x",
        "log_local_x",
    ),
    (
        _unary_slip("log", math.log, math.log),
        "has the local gradient log x, the output: the derivative of log x is 1 / x",
        "log_local_output",
    ),
    (
        _unary_slip("log", math.log, lambda x: -1 / x),
        "has the local gradient -1 / x: the derivative of log x is +1 / x",
        "log_sign",
    ),
    (
        _unary_slip("log", math.log, lambda x: -1 / x**2),
        "has the local gradient -1 / x ** 2, the derivative of 1 / x: log x's is 1 / x",
        "log_sign",
    ),
)
TANH_SLIPS = (
    (
        _unary_slip("tanh", math.tanh, lambda x: 1 - x**2),
        "has the local gradient 1 - x ** 2, with x the input: the derivative of tanh is "
        "1 - t ** 2 with t = tanh(x), the output. Compute t = math.tanh(self.value) first and "
        "record local_grads=(1 - t * t,)",
        "tanh_input",
    ),
    (
        _unary_slip("tanh", math.tanh, lambda x: 1 - math.tanh(x)),
        "has the local gradient 1 - t: the derivative of tanh is 1 - t ** 2, t squared",
        "tanh_no_square",
    ),
    (
        _unary_slip("tanh", math.tanh, lambda x: math.tanh(x) * (1 - math.tanh(x))),
        "has the local gradient t (1 - t), the sigmoid's: tanh's is 1 - t ** 2",
        "tanh_sigmoid_gradient",
    ),
    (
        _unary_slip("tanh", math.tanh, lambda x: 1 + math.tanh(x) ** 2),
        "has the local gradient 1 + t ** 2: the derivative of tanh is 1 - t ** 2, with a minus",
        "tanh_sign",
    ),
    (
        _unary_slip("tanh", math.tanh, math.tanh),
        "has the local gradient t, the output itself: the derivative of tanh is 1 - t ** 2",
        "tanh_local_output",
    ),
)
_MISSING_PARENT = (
    "gives its input no gradient: the new node records no parent. Record parents=(self,) and "
    "its local gradient, local_grads=(...,)"
)


def functions_mistakes(args, expected):
    run = engine_run(FUNCTIONS)
    found = []
    for i, (slips, method, value) in enumerate(
        (
            (POW_SLIPS, "**", lambda x, n: x**n),
            (EXP_SLIPS, "exp", math.exp),
            (LOG_SLIPS, "log", math.log),
            (TANH_SLIPS, "tanh", math.tanh),
        )
    ):
        lost = _unary_slip(method, value, lambda *a: 0.0, parents=False)
        slips = slips + ((lost, _MISSING_PARENT, "missing_parent"),)
        found += _variant_mistakes(run, args, expected, slips, outputs=(i,))
    return found


# -- Exercise 4: - and /, built from the others -------------------------------------------------

SUB_DIV = ("neg", "-", "-c", "c-", "/", "/c", "c/")


def sub_div_inputs(rng, trial):
    """-x, x - y (and x - c), c - x, x / y (and x / c), c / x, each in an expression that uses
    it twice and joins a leaf used twice; divisors stay away from 0."""
    c1, c2 = (float(c) for c in rng.choice([2.0, 3.0, 0.5, -1.5, 4.0], 2, replace=False))
    signed = _signed(rng, 3)
    positive = [float(v) for v in np.round(rng.uniform(0.5, 2.0, 3), 3)]
    return (
        _Expression(
            _leaves(signed[:2]), (("neg", 0, None), ("*", 2, 1), ("neg", 3, None), ("+", 4, 0))
        ),
        _Expression(
            _leaves(signed),
            (("-", 0, 1), ("-", 3, 2), ("-c", 4, c1), ("*", 5, 0), ("-", 6, 3)),
        ),
        _Expression(_leaves(signed[:2]), (("c-", c1, 0), ("*", 2, 1), ("c-", c2, 3), ("*", 4, 2))),
        _Expression(
            _leaves(positive),
            (("/", 0, 1), ("/c", 3, abs(c1)), ("*", 1, 2), ("/", 4, 5), ("+", 6, 3)),
        ),
        _Expression(
            _leaves(positive[:2]),
            (("c/", abs(c1), 0), ("*", 2, 1), ("c/", c2, 3), ("+", 4, 2)),
        ),
    )


def _method_slip(name, fn):
    return type(f"Slip_{name}", (Value,), {name: fn})


def _lost_operand(x):
    return x.value if isinstance(x, Value) else x


SUB_DIV_SLIPS = (
    (
        _method_slip("__neg__", lambda self: type(self)(-self.value)),
        "gives x no gradient through -x: the new node has no parents. Build it from your *, "
        "return self * -1, and it records its parents and local gradients by itself",
        "neg_no_parent",
    ),
    (
        _method_slip("__neg__", lambda self: _gate(self, -self.value, (self,), (1.0,), "neg")),
        "has the local gradient +1 through -x: d(-x)/dx = -1 (return self * -1 gets it right)",
        "neg_sign",
    ),
    (
        _method_slip("__sub__", lambda self, other: self + other),
        "adds: x - y is self + (-other)",
        "sub_adds",
    ),
    (
        _method_slip("__sub__", lambda self, other: other + (-self)),
        "computes y - x: x - y is self + (-other)",
        "sub_reversed",
    ),
    (
        _method_slip("__sub__", lambda self, other: self + (-_lost_operand(other))),
        "gives y no gradient through x - y: -other.value is a plain number, cut off from y. Use "
        "your __neg__, self + (-other)",
        "sub_cut",
    ),
    (
        _method_slip("__rsub__", lambda self, other: self - other),
        "computes x - c where c - x is asked: in __rsub__(self, other) self is x and other is the "
        "number on the left, so return other + (-self)",
        "rsub_reversed",
    ),
    (
        _method_slip("__truediv__", lambda self, other: self * other),
        "multiplies: x / y is self * other ** -1",
        "div_multiplies",
    ),
    (
        _method_slip("__truediv__", lambda self, other: _wrap(self, other) * self**-1),
        "computes y / x: x / y is self * other ** -1",
        "div_reversed",
    ),
    (
        _method_slip("__truediv__", lambda self, other: self * (1 / _lost_operand(other))),
        "gives y no gradient through x / y: 1 / other.value is a plain number, cut off from y. "
        "Use your **, self * other ** -1",
        "div_cut",
    ),
    (
        _method_slip(
            "__truediv__",
            lambda self, other: _gate(
                self,
                self.value / _wrap(self, other).value,
                (self, _wrap(self, other)),
                (1 / _wrap(self, other).value, self.value / _wrap(self, other).value ** 2),
                "/",
            ),
        ),
        "has the wrong sign on y: d(x / y)/dy = -x / y ** 2. Built from your own operations, "
        "self * other ** -1, it comes out right by itself",
        "div_sign",
    ),
    (
        _method_slip("__rtruediv__", lambda self, other: self / other),
        "computes x / c where c / x is asked: in __rtruediv__(self, other) self is x and other "
        "is the number on the left, so return other * self ** -1",
        "rdiv_reversed",
    ),
)


def sub_div_mistakes(args, expected):
    return _variant_mistakes(engine_run(SUB_DIV), args, expected, SUB_DIV_SLIPS)


# -- Exercise 5: a neuron, a layer and an MLP of the learner's nodes ----------------------------

# (layer sizes, m): one output, the score that the binary cross-entropy reads. Two hidden layers
# first: with one, the biases of all neurons number as many as the last layer's parameters, so
# parameters() without biases and parameters() of the first layer only would look the same.
_NETWORKS = (((2, 3, 3, 1), 4), ((3, 4, 1), 5), ((4, 2, 3, 1), 6), ((2, 5, 1), 3))


def network_inputs(rng, trial):
    sizes, m = _NETWORKS[trial % len(_NETWORKS)]
    n_params = sum(sizes[l] * (sizes[l - 1] + 1) for l in range(1, len(sizes)))
    weights = np.round(rng.normal(0.0, 0.8, n_params), 3)
    X = np.round(rng.normal(0.0, 1.0, (sizes[0], m)), 3)
    y = np.array([j % 2 for j in range(m)], dtype=float)
    rng.shuffle(y)
    return sizes, weights, X, y


def _unflatten(sizes, weights):
    """The parameters dict of an MLP of `sizes` from values in the scalar networks' order."""
    params, k = {}, 0
    for l in range(1, len(sizes)):
        n_in, n_out = sizes[l - 1], sizes[l]
        block = np.asarray(weights[k : k + n_out * (n_in + 1)], dtype=float)
        block = block.reshape(n_out, n_in + 1)
        params[f"W{l}"], params[f"b{l}"] = block[:, :-1].copy(), block[:, -1:].copy()
        k += n_out * (n_in + 1)
    return params


def matrix_network(sizes, weights, X, y):
    """The reference of the network exercise: helpers.mlp.MLP with these weights.

    Returns the gradient of the mean binary cross-entropy for every parameter, in the order of a
    scalar network's parameters() (W[l] row j, then b[l][j]), and the scores of the output unit.
    """
    model = MLP(list(sizes), activation="tanh", output="sigmoid")
    for name, value in _unflatten(sizes, weights).items():
        model.params[name][...] = value
    _, grads = model.loss_and_grads(X, y[None, :])
    return engine.flat_grads(grads), model._scores(X)[0][0]


def network_run(network, args):
    """The learner's MLP class, made with `sizes`, its parameters() set to `weights` in order;
    the course's loss on (X, y) through its own nodes and backward(): (gradients, scores)."""
    sizes, weights, X, y = args
    net = network(list(sizes))
    params = net.parameters()
    if not isinstance(params, (list, tuple)) or not all(engine._is_node(p) for p in params):
        raise TypeError(
            f"parameters() must return a flat list of the nodes (weights and biases); got "
            f"{engine._kind_of(params)}"
        )
    for p, w in zip(params, weights):
        p.value = float(w)
    L = engine._loss(net, X, y, "the loss")
    L.backward()
    grads = np.array([p.grad for p in params], dtype=float)
    scores = [engine._single_output(net(X[:, j].tolist()), "MLP").value for j in range(len(y))]
    return grads, np.array(scores)


class _CourseNeuron:
    def __init__(self, n_in, nonlinear, slip):
        self.w = [Value(0.0) for _ in range(n_in)]
        self.b = Value(0.0)
        self.nonlinear, self.slip = nonlinear, slip

    def __call__(self, x):
        z = Value(0.0) if self.slip == "no_bias" else self.b
        for w_i, x_i in zip(self.w, x):
            z = z + w_i * x_i
        if self.slip == "bias_twice":
            z = z + self.b
        if not self.nonlinear and self.slip != "output_tanh":
            return z
        if self.slip == "hidden_linear":
            return z
        if self.slip in ("relu", "sigmoid"):
            v = z.value
            out = max(v, 0.0) if self.slip == "relu" else 1 / (1 + math.exp(-v))
            local = float(v > 0) if self.slip == "relu" else out * (1 - out)
            return _gate(z, out, (z,), (local,), self.slip)
        return z.tanh()

    def parameters(self):
        if self.slip == "missing_bias":
            return list(self.w)
        return [self.b] + self.w if self.slip == "bias_first" else self.w + [self.b]


class CourseMLP:
    """The course's network with one slip (None: right), for the mistakes of the exercise."""

    def __init__(self, sizes, slip=None):
        self.slip = slip
        last = len(sizes) - 2
        self.layers = [
            [_CourseNeuron(sizes[l], l < last, slip) for _ in range(sizes[l + 1])]
            for l in range(len(sizes) - 1)
        ]

    def __call__(self, x):
        first = x
        for layer in self.layers:
            x = [neuron(first if self.slip == "x_not_updated" else x) for neuron in layer]
        return x

    def parameters(self):
        layers = self.layers[::-1] if self.slip == "layers_reversed" else self.layers
        return [p for layer in layers for neuron in layer for p in neuron.parameters()]


NETWORK_SLIPS = {
    "output_tanh": "are those of a network with tanh on its output layer too: the last layer is "
    "linear (its neuron returns z), and its score goes to the loss, which applies the sigmoid",
    "hidden_linear": "are those of a network without tanh: each hidden neuron returns "
    "z.tanh(), only the output layer returns z",
    "relu": "are those of a network with ReLU units: the hidden neurons of this exercise "
    "return z.tanh()",
    "sigmoid": "are those of a network with sigmoid units: the hidden neurons of this exercise "
    "return z.tanh()",
    "no_bias": "are those of a network whose neurons leave out the bias: z = b + w . x (start "
    "the sum at self.b)",
    "bias_twice": "are those of a network whose neurons add the bias twice: z = b + w . x, once b",
    "bias_first": "are in another order: each neuron's parameters() must be its weights, then "
    "its bias, self.w + [self.b] (the order the matrix MLP's W[l] row j, b[l][j] is copied in)",
    "layers_reversed": "are in another order: the MLP's parameters() goes through the layers "
    "from the first to the last",
    "x_not_updated": "are those of a network whose every layer reads the inputs x: each layer "
    "reads the outputs of the layer before, x = layer(x)",
}


def network_mistakes(args, expected):
    sizes = args[0]
    n_params = len(args[1])
    n_units = sum(sizes[1:])
    n_first = sizes[1] * (sizes[0] + 1)
    variants = [
        (functools.partial(CourseMLP, slip=slip), message, slip)
        for slip, message in NETWORK_SLIPS.items()
    ]
    found = _variant_mistakes(network_run, args, expected, variants)
    found += [
        Mistake(
            0,
            lambda have, got: np.shape(have) == (n_params - n_units,),
            f"hold {n_params - n_units} numbers: the network has {n_params} parameters and "
            f"{n_units} of them, one per neuron, are missing, the biases: each neuron's "
            "parameters() is self.w + [self.b]",
            "missing_bias",
        ),
        Mistake(
            0,
            lambda have, got: n_first != n_params and np.shape(have) == (n_first,),
            f"hold {n_first} numbers, the first layer's parameters only: the MLP's parameters() "
            f"gathers those of every layer ({n_params} here)",
            "first_layer_only",
        ),
        Mistake(
            0,
            lambda have, got: np.ndim(have) == 1 and len(have) != n_params,
            f"do not hold one number per parameter: parameters() must list every weight and bias "
            f"once, {n_params} for sizes {list(sizes)}",
            "parameter_count",
        ),
    ]
    return found


# -- Exercise 6: the training loop --------------------------------------------------------------

# lr never 0.5, where two backward passes per step (twice the gradient) equal steps without lr
_LOOPS_02 = (((2, 3, 1), 6, 4, 0.4), ((3, 2, 1), 5, 3, 0.7), ((2, 4, 1), 7, 5, 0.3))


def training_inputs(rng, trial):
    sizes, m, steps, lr = _LOOPS_02[trial % len(_LOOPS_02)]
    n_params = sum(sizes[l] * (sizes[l - 1] + 1) for l in range(1, len(sizes)))
    weights = np.round(rng.normal(0.0, 0.8, n_params), 3)
    X = np.round(rng.normal(0.0, 1.0, (sizes[0], m)), 3)
    y = np.array([j % 2 for j in range(m)], dtype=float)
    rng.shuffle(y)
    return sizes, weights, X, y, steps, lr


def training_run(fit_fn, args):
    """The loop on a fresh network of the course's engine (backward() adds, never clears):
    (the losses it returns, the parameters after it)."""
    sizes, weights, X, y, steps, lr = args
    net = engine._ScalarNet(sizes, _unflatten(sizes, weights), "tanh", node=Value)
    losses = fit_fn(net, X.copy(), y.copy(), steps, lr)
    if isinstance(losses, (list, tuple)) and any(engine._is_node(v) for v in losses):
        raise TypeError(
            "the losses you return must be numbers; yours are nodes: append L.value, not L (a "
            "node keeps its whole graph, every step's, in memory)"
        )
    try:
        losses = losses if losses is None else np.asarray(losses, dtype=float)
    except (TypeError, ValueError):
        losses = np.asarray(losses, dtype=object)  # the checker says what came back
    return losses, np.array([p.value for p in net.parameters()])


def loop_slip(slip):
    """engine.fit with one slip."""

    def fit(model, X, y, steps, lr):
        params = model.parameters()
        losses = []
        for _ in range(steps + (slip == "one_more") - (slip == "one_less")):
            if slip not in ("not_reset", "stale"):
                for p in params:
                    p.grad = 0.0
            L = engine.loss(model, X, y)
            if slip == "stale":  # the update before backward: the previous step's gradients
                for p in params:
                    p.value -= lr * p.grad
                for p in params:
                    p.grad = 0.0
            L.backward()
            if slip == "backward_twice":
                engine.loss(model, X, y).backward()
            if slip == "no_update":
                for p in params:
                    p.grad = 0.0
            step = {"ascent": -lr, "no_lr": 1.0}.get(slip, lr)
            if slip != "stale":
                for p in params:
                    p.value -= step * (L.grad if slip == "loss_grad" else p.grad)
            value = engine.loss(model, X, y).value if slip == "after_step" else L.value
            losses.append(value)
        return losses

    return fit


LOOP_SLIPS = {
    "not_reset": "come from gradients that were never set back to 0: backward() adds into .grad "
    "(this engine's convention, and PyTorch's), so each step followed the sum of the gradients "
    "of every step so far. Zero them at the start of each step: for p in model.parameters(): "
    "p.grad = 0.0",
    "no_update": "never change: the parameters are not updated. Either .grad was set to 0 "
    "between backward() and the update, or the update changed a name, p = p - lr * p.grad, "
    "instead of the node: p.value -= lr * p.grad",
    "ascent": "go up, not down: the update has the wrong sign. Step against the gradient, "
    "p.value -= lr * p.grad",
    "no_lr": "come from steps without the learning rate: p.value -= lr * p.grad",
    "backward_twice": "come from steps twice too long: backward() ran twice in each step (once "
    "more for a printout?) and, since it adds, the gradients doubled",
    "stale": "come from updates with the gradients of the step before: each step is zero, "
    "forward, backward, and only then the update",
    "loss_grad": "come from updates by the loss's own gradient (1) instead of each parameter's: "
    "p.value -= lr * p.grad",
    "after_step": "are measured after each update: record L.value, the loss of the forward pass "
    "at the start of the step",
    "one_more": "hold one step too many: range(steps)",
    "one_less": "hold one step too few: range(steps)",
}


def training_mistakes(args, expected):
    steps = args[4]
    variants = [(loop_slip(slip), message, slip) for slip, message in LOOP_SLIPS.items()]
    found = _variant_mistakes(training_run, args, expected, variants)
    found += [
        Mistake(
            0,
            lambda have, got: np.ndim(have) == 0,
            f"should be the list of the {steps} losses, one per step; you returned one number. "
            "Append L.value in each step and return the list",
            "single_loss",
        ),
        Mistake(
            0,
            lambda have, got: np.ndim(have) == 1 and len(have) != steps,
            f"should hold one loss per step, {steps} here: append L.value once in each step",
            "step_count",
        ),
    ]
    return found
