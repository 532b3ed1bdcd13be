"""Answers to notebook 02's exercises: the learner's own autograd engine.

engine_add_mul, engine_backward, engine_functions and engine_sub_div are answered by classes: a
learner's `Value` with one slip, written the way a learner writes it (a subclass of a right one
that changes one method). engine_mlp is answered by MLP classes made of such values, and
engine_training by training loops.
"""

import math

import numpy as np

from helpers import engine
from tests.catalogue import Right, Wrong

# -- a learner's engine, right ------------------------------------------------------------------


class Value:
    """The notebook's answer, written as a learner would (each operation makes its own class)."""

    def __init__(self, value, label="", parents=(), local_grads=(), op=""):
        self.value = float(value)
        self.grad = 0.0
        self.label = label
        self.parents = tuple(parents)
        self.local_grads = tuple(local_grads)
        self.op = op

    def _new(self, value, parents, local_grads, op):
        return type(self)(value, parents=parents, local_grads=local_grads, op=op)

    def _as_node(self, other):
        return other if isinstance(other, Value) else type(self)(other)

    def __add__(self, other):
        other = self._as_node(other)
        return self._new(self.value + other.value, (self, other), (1.0, 1.0), "+")

    def __mul__(self, other):
        other = self._as_node(other)
        return self._new(self.value * other.value, (self, other), (other.value, self.value), "*")

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __pow__(self, n):
        return self._new(self.value**n, (self,), (n * self.value ** (n - 1),), f"**{n}")

    def exp(self):
        e = math.exp(self.value)
        return self._new(e, (self,), (e,), "exp")

    def log(self):
        return self._new(math.log(self.value), (self,), (1 / self.value,), "log")

    def tanh(self):
        t = math.tanh(self.value)
        return self._new(t, (self,), (1 - t * t,), "tanh")

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return other + (-self)

    def __truediv__(self, other):
        return self * self._as_node(other) ** -1

    def __rtruediv__(self, other):
        return other * self**-1

    def _order(self):
        order, visited = [], set()

        def visit(node):
            if node not in visited:
                visited.add(node)
                for parent in node.parents:
                    visit(parent)
                order.append(node)

        visit(self)
        return order

    def backward(self):
        self.grad = 1.0
        for node in reversed(self._order()):
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += node.grad * local


# -- engine_add_mul -----------------------------------------------------------------------------


class MulNoSwap(Value):
    def __mul__(self, other):
        other = self._as_node(other)
        return self._new(self.value * other.value, (self, other), (self.value, other.value), "*")


class MulParentsSwapped(Value):
    def __mul__(self, other):
        other = self._as_node(other)
        return self._new(self.value * other.value, (other, self), (other.value, self.value), "*")


class MulLikeAdd(Value):
    def __mul__(self, other):
        other = self._as_node(other)
        return self._new(self.value * other.value, (self, other), (1.0, 1.0), "*")


class MulLocalsOfProduct(Value):
    def __mul__(self, other):
        other = self._as_node(other)
        out = self.value * other.value
        return self._new(out, (self, other), (out, out), "*")


class AddLikeMul(Value):
    def __add__(self, other):
        other = self._as_node(other)
        return self._new(self.value + other.value, (self, other), (other.value, self.value), "+")


class AddForgetsOther(Value):
    def __add__(self, other):
        other = self._as_node(other)
        return self._new(self.value + other.value, (self,), (1.0,), "+")


class MulForgetsOther(Value):
    def __mul__(self, other):
        other = self._as_node(other)
        return self._new(self.value * other.value, (self,), (other.value,), "*")


class MulValueIsSum(Value):
    def __mul__(self, other):
        other = self._as_node(other)
        return self._new(self.value + other.value, (self, other), (other.value, self.value), "*")


class AddValueIsProduct(Value):
    def __add__(self, other):
        other = self._as_node(other)
        return self._new(self.value * other.value, (self, other), (1.0, 1.0), "+")


class MulRecordsNodes(Value):
    def __mul__(self, other):
        other = self._as_node(other)
        return self._new(self.value * other.value, (self, other), (other, self), "*")


class AddReturnsNumber(Value):
    def __add__(self, other):
        other = self._as_node(other)
        return self.value + other.value


class AddHalves(Value):
    def __add__(self, other):
        other = self._as_node(other)
        return self._new(self.value + other.value, (self, other), (0.5, 0.5), "+")


WRONG_ADD_MUL = [
    Wrong("engine_add_mul", "mul_no_swap", MulNoSwap, "swap"),
    Wrong("engine_add_mul", "mul_no_swap", MulParentsSwapped, "parents=(self, other)"),
    Wrong("engine_add_mul", "mul_like_add", MulLikeAdd, "(1, 1)"),
    Wrong("engine_add_mul", "mul_local_output", MulLocalsOfProduct),
    Wrong("engine_add_mul", "add_like_mul", AddLikeMul, "local_grads=(1.0, 1.0)"),
    Wrong("engine_add_mul", "missing_parent", AddForgetsOther, "parents=(self, other)"),
    Wrong("engine_add_mul", "missing_parent", MulForgetsOther, "second input of *"),
    Wrong("engine_add_mul", "mul_value", MulValueIsSum, "self.value * other.value"),
    Wrong("engine_add_mul", "add_value", AddValueIsProduct),
    Wrong("engine_add_mul", "raised", MulRecordsNodes, "must be numbers"),
    Wrong("engine_add_mul", "raised", AddReturnsNumber, "not a node"),
    Wrong("engine_add_mul", None, AddHalves),
]


class AddMulListsAndNumpy(Value):
    """Parents and local gradients as lists, a numpy float for a local gradient."""

    def __mul__(self, other):
        other = self._as_node(other)
        out = type(self)(self.value * other.value)
        out.parents, out.local_grads = [self, other], [np.float64(other.value), self.value]
        return out


class AddMulWithoutHelpers:
    """No helper methods: everything written out, the class named in each operation."""

    def __init__(self, value, label="", parents=(), local_grads=(), op=""):
        self.value, self.grad, self.label = float(value), 0.0, label
        self.parents, self.local_grads, self.op = tuple(parents), tuple(local_grads), op

    def __add__(self, other):
        if not isinstance(other, AddMulWithoutHelpers):
            other = AddMulWithoutHelpers(other)
        return AddMulWithoutHelpers(
            self.value + other.value, parents=(self, other), local_grads=(1, 1), op="+"
        )

    def __mul__(self, other):
        if not isinstance(other, AddMulWithoutHelpers):
            other = AddMulWithoutHelpers(other)
        return AddMulWithoutHelpers(
            self.value * other.value,
            parents=(self, other),
            local_grads=(other.value, self.value),
            op="*",
        )

    __radd__ = __add__
    __rmul__ = __mul__


RIGHT_ADD_MUL = [
    Right("engine_add_mul", Value),
    Right("engine_add_mul", AddMulListsAndNumpy),
    Right("engine_add_mul", AddMulWithoutHelpers),
]


# -- engine_backward ----------------------------------------------------------------------------


class AssignInsteadOfAdd(Value):
    def backward(self):
        self.grad = 1.0
        for node in reversed(self._order()):
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad = node.grad * local


class AssignIterative(Value):
    def backward(self):
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, done = stack.pop()
            if done:
                order.append(node)
            elif node not in seen:
                seen.add(node)
                stack.append((node, True))
                stack.extend((p, False) for p in node.parents)
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad = node.grad * local


class BreadthFirst(Value):
    def backward(self):
        self.grad = 1.0
        queue, seen = [self], {self}
        while queue:
            node = queue.pop(0)
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += node.grad * local
                if parent not in seen:
                    seen.add(parent)
                    queue.append(parent)


class DepthFirstSendFirst(Value):
    def backward(self):
        self.grad = 1.0
        seen = set()

        def go(node):
            if node in seen:
                return
            seen.add(node)
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += node.grad * local
            for parent in node.parents:
                go(parent)

        go(self)


class Recursive(Value):
    def backward(self):
        self.grad = 1.0
        self._send()

    def _send(self):
        for parent, local in zip(self.parents, self.local_grads):
            parent.grad += self.grad * local
            parent._send()


class TopoWithoutVisited(Value):
    def backward(self):
        order = []

        def visit(node):
            for parent in node.parents:
                visit(parent)
            order.append(node)

        visit(self)
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += node.grad * local


class OrderNotReversed(Value):
    def backward(self):
        self.grad = 1.0
        for node in self._order():
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += node.grad * local


class OnlyTheOutput(Value):
    def backward(self):
        self.grad = 1.0
        for parent, local in zip(self.parents, self.local_grads):
            parent.grad += self.grad * local


class NoSeed(Value):
    def backward(self):
        for node in reversed(self._order()):
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += node.grad * local


class LocalOnly(Value):
    def backward(self):
        self.grad = 1.0
        for node in reversed(self._order()):
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += local


class UpstreamOnly(Value):
    def backward(self):
        self.grad = 1.0
        for node in reversed(self._order()):
            for parent in node.parents:
                parent.grad += node.grad


class ClearsFirst(Value):
    def backward(self):
        order = self._order()
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += node.grad * local


class AssignKahn(Value):
    def backward(self):
        waiting = {}
        for node in self._order():
            for parent in node.parents:
                waiting[parent] = waiting.get(parent, 0) + 1
        self.grad, queue = 1.0, [self]
        while queue:
            node = queue.pop(0)
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad = node.grad * local
                waiting[parent] -= 1
                if waiting[parent] == 0:
                    queue.append(parent)


WRONG_BACKWARD = [
    Wrong("engine_backward", "assign", AssignInsteadOfAdd, "parent.grad += node.grad * local"),
    Wrong("engine_backward", "assign", AssignIterative, "a + a"),
    Wrong("engine_backward", "assign", AssignKahn),
    Wrong("engine_backward", "not_topological", BreadthFirst, "topological order"),
    Wrong("engine_backward", "not_topological", DepthFirstSendFirst),
    Wrong("engine_backward", "visited_twice", Recursive, "visited"),
    Wrong("engine_backward", "visited_twice", TopoWithoutVisited),
    Wrong("engine_backward", "order_not_reversed", OrderNotReversed, "reversed(order)"),
    Wrong("engine_backward", "order_not_reversed", OnlyTheOutput),
    Wrong("engine_backward", "no_seed", NoSeed, "self.grad = 1.0"),
    Wrong("engine_backward", "no_upstream", LocalOnly),
    Wrong("engine_backward", "no_local", UpstreamOnly),
    Wrong("engine_backward", "clears_gradients", ClearsFirst, "never clears"),
]


class BackwardIterative(Value):
    def backward(self):
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, done = stack.pop()
            if done:
                order.append(node)
            elif node not in seen:
                seen.add(node)
                stack.append((node, True))
                stack.extend((p, False) for p in node.parents)
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += node.grad * local


class BackwardKahn(Value):
    def backward(self):
        waiting = {}
        for node in self._order():
            for parent in node.parents:
                waiting[parent] = waiting.get(parent, 0) + 1
        self.grad, queue = 1.0, [self]
        while queue:
            node = queue.pop(0)
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += node.grad * local
                waiting[parent] -= 1
                if waiting[parent] == 0:
                    queue.append(parent)


class BackwardByCreation(Value):
    """Nodes numbered as they are made: a node is always made after its parents."""

    made = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        BackwardByCreation.made += 1
        self.number = BackwardByCreation.made

    def backward(self):
        self.grad = 1.0
        for node in sorted(self._order(), key=lambda n: -n.number):
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += node.grad * local


RIGHT_BACKWARD = [
    Right("engine_backward", Value),
    Right("engine_backward", BackwardIterative),
    Right("engine_backward", BackwardKahn),
    Right("engine_backward", BackwardByCreation),
]


# -- engine_functions ---------------------------------------------------------------------------


class TanhOfInput(Value):
    def tanh(self):
        t = math.tanh(self.value)
        return self._new(t, (self,), (1 - self.value**2,), "tanh")


class TanhNoSquare(Value):
    def tanh(self):
        t = math.tanh(self.value)
        return self._new(t, (self,), (1 - t,), "tanh")


class TanhSigmoidGradient(Value):
    def tanh(self):
        t = math.tanh(self.value)
        return self._new(t, (self,), (t * (1 - t),), "tanh")


class TanhForgetsParent(Value):
    def tanh(self):
        return type(self)(math.tanh(self.value))


class PowWithoutN(Value):
    def __pow__(self, n):
        return self._new(self.value**n, (self,), (self.value ** (n - 1),), f"**{n}")


class PowNTimesXToN(Value):
    def __pow__(self, n):
        return self._new(self.value**n, (self,), (n * self.value**n,), f"**{n}")


class PowPrecedence(Value):
    def __pow__(self, n):
        return self._new(self.value**n, (self,), (n * self.value**n - 1,), f"**{n}")


class PowTimesN(Value):
    def __pow__(self, n):
        return self._new(self.value * n, (self,), (n * self.value ** (n - 1),), f"**{n}")


class ExpLocalOne(Value):
    def exp(self):
        return self._new(math.exp(self.value), (self,), (1.0,), "exp")


class ExpLocalInput(Value):
    def exp(self):
        return self._new(math.exp(self.value), (self,), (self.value,), "exp")


class LogLocalX(Value):
    def log(self):
        return self._new(math.log(self.value), (self,), (self.value,), "log")


class LogMinus(Value):
    def log(self):
        return self._new(math.log(self.value), (self,), (-1 / self.value,), "log")


WRONG_FUNCTIONS = [
    Wrong("engine_functions", "tanh_input", TanhOfInput, "1 - t ** 2 with t = tanh(x)"),
    Wrong("engine_functions", "tanh_no_square", TanhNoSquare),
    Wrong("engine_functions", "tanh_sigmoid_gradient", TanhSigmoidGradient, "sigmoid"),
    Wrong("engine_functions", "missing_parent", TanhForgetsParent, "parents=(self,)"),
    Wrong("engine_functions", "pow_missing_n", PowWithoutN, "n * x ** (n - 1)"),
    Wrong("engine_functions", "pow_exponent_n", PowNTimesXToN),
    Wrong("engine_functions", "pow_precedence", PowPrecedence, "parentheses"),
    Wrong("engine_functions", "pow_value", PowTimesN),
    Wrong("engine_functions", "exp_local_one", ExpLocalOne, "its own derivative"),
    Wrong("engine_functions", "exp_local_input", ExpLocalInput),
    Wrong("engine_functions", "log_local_x", LogLocalX, "1 / x"),
    Wrong("engine_functions", "log_sign", LogMinus),
]


class FunctionsByFormulas(Value):
    """tanh from exp, the power rule divided out, exp as e ** x, 1 / x as x ** -1."""

    def __pow__(self, n):
        out = self.value**n
        return self._new(out, (self,), (n * out / self.value,), f"**{n}")

    def exp(self):
        e = math.e**self.value
        return self._new(e, (self,), (e,), "exp")

    def log(self):
        return self._new(math.log(self.value), (self,), (self.value**-1,), "log")

    def tanh(self):
        e = math.exp(2 * self.value)
        t = (e - 1) / (e + 1)
        return self._new(t, (self,), (1 - t**2,), "tanh")


class TanhLocalFromCosh(Value):
    def tanh(self):
        return self._new(math.tanh(self.value), (self,), (1 / math.cosh(self.value) ** 2,), "tanh")


RIGHT_FUNCTIONS = [
    Right("engine_functions", Value),
    Right("engine_functions", FunctionsByFormulas),
    Right("engine_functions", TanhLocalFromCosh),
]


# -- engine_sub_div -----------------------------------------------------------------------------


class NegNewNumber(Value):
    def __neg__(self):
        return type(self)(-self.value)


class NegLocalPlusOne(Value):
    def __neg__(self):
        return self._new(-self.value, (self,), (1.0,), "neg")


class SubAdds(Value):
    def __sub__(self, other):
        return self + other


class SubReversed(Value):
    def __sub__(self, other):
        return other + (-self)


class SubOfTheNumber(Value):
    def __sub__(self, other):
        other = self._as_node(other)
        return self + (-other.value)


class RsubReversed(Value):
    def __rsub__(self, other):
        return self - other


class DivMultiplies(Value):
    def __truediv__(self, other):
        return self * other


class DivReversed(Value):
    def __truediv__(self, other):
        return self._as_node(other) * self**-1


class DivByTheNumber(Value):
    def __truediv__(self, other):
        other = self._as_node(other)
        return self * (1 / other.value)


class DivOneGateWrongSign(Value):
    def __truediv__(self, other):
        other = self._as_node(other)
        x, y = self.value, other.value
        return self._new(x / y, (self, other), (1 / y, x / y**2), "/")


class RdivReversed(Value):
    def __rtruediv__(self, other):
        return self / other


WRONG_SUB_DIV = [
    Wrong("engine_sub_div", "neg_no_parent", NegNewNumber, "self * -1"),
    Wrong("engine_sub_div", "neg_sign", NegLocalPlusOne),
    Wrong("engine_sub_div", "sub_adds", SubAdds),
    Wrong("engine_sub_div", "sub_reversed", SubReversed, "self + (-other)"),
    Wrong("engine_sub_div", "sub_cut", SubOfTheNumber, "-other.value"),
    Wrong("engine_sub_div", "rsub_reversed", RsubReversed, "__rsub__"),
    Wrong("engine_sub_div", "div_multiplies", DivMultiplies),
    Wrong("engine_sub_div", "div_reversed", DivReversed, "other ** -1"),
    Wrong("engine_sub_div", "div_cut", DivByTheNumber, "1 / other.value"),
    Wrong("engine_sub_div", "div_sign", DivOneGateWrongSign, "-x / y ** 2"),
    Wrong("engine_sub_div", "rdiv_reversed", RdivReversed, "__rtruediv__"),
]


class SubDivOtherSpellings(Value):
    def __neg__(self):
        return -1 * self

    def __sub__(self, other):
        return self + other * -1

    def __rsub__(self, other):
        return (-self) + other

    def __truediv__(self, other):
        return self * self._as_node(other) ** -1.0


class DivOneGate(Value):
    def __truediv__(self, other):
        other = self._as_node(other)
        x, y = self.value, other.value
        return self._new(x / y, (self, other), (1 / y, -x / y**2), "/")

    def __rtruediv__(self, other):
        return self._as_node(other) / self


RIGHT_SUB_DIV = [
    Right("engine_sub_div", Value),
    Right("engine_sub_div", SubDivOtherSpellings),
    Right("engine_sub_div", DivOneGate),
]


# -- engine_mlp ---------------------------------------------------------------------------------


class Neuron:
    def __init__(self, n_in, rng, nonlinear=True):
        self.w = [Value(rng.uniform(-1, 1)) for _ in range(n_in)]
        self.b = Value(0.0)
        self.nonlinear = nonlinear

    def __call__(self, x):
        z = self.b
        for w_i, x_i in zip(self.w, x):
            z = z + w_i * x_i
        return z.tanh() if self.nonlinear else z

    def parameters(self):
        return self.w + [self.b]


class Layer:
    def __init__(self, n_in, n_out, rng, nonlinear=True, neuron=Neuron):
        self.neurons = [neuron(n_in, rng, nonlinear) for _ in range(n_out)]

    def __call__(self, x):
        return [neuron(x) for neuron in self.neurons]

    def parameters(self):
        return [p for neuron in self.neurons for p in neuron.parameters()]


class MLP:
    neuron = Neuron
    layer = Layer

    def __init__(self, sizes, seed=0):
        rng = np.random.default_rng(seed)
        last = len(sizes) - 2
        self.layers = [
            self.layer(sizes[i], sizes[i + 1], rng, i < last, self.neuron)
            for i in range(len(sizes) - 1)
        ]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]


def _with_neuron(name, **methods):
    neuron = type(f"{name}Neuron", (Neuron,), methods)
    return type(name, (MLP,), {"neuron": neuron})


def _tanh_everywhere(self, x):
    z = self.b
    for w_i, x_i in zip(self.w, x):
        z = z + w_i * x_i
    return z.tanh()


def _linear(self, x):
    z = self.b
    for w_i, x_i in zip(self.w, x):
        z = z + w_i * x_i
    return z


def _relu(self, x):
    z = _linear(self, x)
    if not self.nonlinear:
        return z
    return z * 1.0 if z.value > 0 else z * 0.0


def _sigmoid(self, x):
    z = _linear(self, x)
    return 1 / (1 + (-z).exp()) if self.nonlinear else z


def _no_bias(self, x):
    z = 0
    for w_i, x_i in zip(self.w, x):
        z = w_i * x_i + z
    return z.tanh() if self.nonlinear else z


def _bias_twice(self, x):
    z = _linear(self, x) + self.b
    return z.tanh() if self.nonlinear else z


OutputTanh = _with_neuron("OutputTanh", __call__=_tanh_everywhere)
AllLinear = _with_neuron("AllLinear", __call__=_linear)
ReluUnits = _with_neuron("ReluUnits", __call__=_relu)
SigmoidUnits = _with_neuron("SigmoidUnits", __call__=_sigmoid)
NoBias = _with_neuron("NoBias", __call__=_no_bias)
BiasTwice = _with_neuron("BiasTwice", __call__=_bias_twice)
BiasFirst = _with_neuron("BiasFirst", parameters=lambda self: [self.b] + self.w)
WeightsOnly = _with_neuron("WeightsOnly", parameters=lambda self: list(self.w))


class LayersBackwards(MLP):
    def parameters(self):
        return [p for layer in reversed(self.layers) for p in layer.parameters()]


class FirstLayerOnly(MLP):
    def parameters(self):
        return self.layers[0].parameters()


class InputsToEveryLayer(MLP):
    def __call__(self, x):
        for layer in self.layers:
            out = layer(x)
        return out


class NestedParameters(MLP):
    def parameters(self):
        return [layer.parameters() for layer in self.layers]


WRONG_MLP = [
    Wrong("engine_mlp", "output_tanh", OutputTanh, "linear"),
    Wrong("engine_mlp", "hidden_linear", AllLinear, "z.tanh()"),
    Wrong("engine_mlp", "relu", ReluUnits),
    Wrong("engine_mlp", "sigmoid", SigmoidUnits),
    Wrong("engine_mlp", "no_bias", NoBias, "self.b"),
    Wrong("engine_mlp", "bias_twice", BiasTwice),
    Wrong("engine_mlp", "bias_first", BiasFirst, "self.w + [self.b]"),
    Wrong("engine_mlp", "missing_bias", WeightsOnly, "biases"),
    Wrong("engine_mlp", "layers_reversed", LayersBackwards),
    Wrong("engine_mlp", "first_layer_only", FirstLayerOnly, "every layer"),
    Wrong("engine_mlp", "x_not_updated", InputsToEveryLayer, "x = layer(x)"),
    Wrong("engine_mlp", "raised", NestedParameters, "flat list"),
]


def _neuron_with_sum(self, x):
    z = sum((w_i * x_i for w_i, x_i in zip(self.w, x)), self.b)
    return z.tanh() if self.nonlinear else z


class OneOutputUnwrapped(MLP):
    """Returns the output node itself when there is one, as micrograd does."""

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x[0] if len(x) == 1 else x


RIGHT_MLP = [
    Right("engine_mlp", MLP),
    Right("engine_mlp", _with_neuron("SumBuiltin", __call__=_neuron_with_sum)),
    Right("engine_mlp", OneOutputUnwrapped),
]


# -- engine_training ----------------------------------------------------------------------------


def fit_right(model, X, y, steps, lr):
    losses = []
    for _ in range(steps):
        for p in model.parameters():
            p.grad = 0.0
        loss = engine.loss(model, X, y)
        loss.backward()
        for p in model.parameters():
            p.value -= lr * p.grad
        losses.append(loss.value)
    return losses


def fit_zero_at_the_end(model, X, y, steps, lr):
    params, losses = model.parameters(), []
    for _ in range(steps):
        loss = engine.loss(model, X, y)
        loss.backward()
        for p in params:
            p.value = p.value - lr * p.grad
            p.grad = 0
        losses.append(float(loss.value))
    return losses


def fit_zero_after_forward(model, X, y, steps, lr):
    losses = []
    step = 0
    while step < steps:
        loss = engine.loss(model, X, y)
        for p in model.parameters():
            p.grad = 0.0
        loss.backward()
        for p in model.parameters():
            p.value += -lr * p.grad
        losses.append(loss.value)
        step += 1
    return np.array(losses)


def fit_never_zeroes(model, X, y, steps, lr):
    losses = []
    for _ in range(steps):
        loss = engine.loss(model, X, y)
        loss.backward()
        for p in model.parameters():
            p.value -= lr * p.grad
        losses.append(loss.value)
    return losses


def fit_zeroes_once(model, X, y, steps, lr):
    for p in model.parameters():
        p.grad = 0.0
    return fit_never_zeroes(model, X, y, steps, lr)


def fit_zero_before_step(model, X, y, steps, lr):
    losses = []
    for _ in range(steps):
        loss = engine.loss(model, X, y)
        loss.backward()
        for p in model.parameters():
            p.grad = 0.0
            p.value -= lr * p.grad
        losses.append(loss.value)
    return losses


def fit_rebinds(model, X, y, steps, lr):
    losses = []
    for _ in range(steps):
        for p in model.parameters():
            p.grad = 0.0
        loss = engine.loss(model, X, y)
        loss.backward()
        for p in model.parameters():
            p = p - lr * p.grad  # noqa: PLW2901 - the slip: a new node, the model unchanged
        losses.append(loss.value)
    return losses


def fit_ascent(model, X, y, steps, lr):
    losses = []
    for _ in range(steps):
        for p in model.parameters():
            p.grad = 0.0
        loss = engine.loss(model, X, y)
        loss.backward()
        for p in model.parameters():
            p.value += lr * p.grad
        losses.append(loss.value)
    return losses


def fit_without_lr(model, X, y, steps, lr):
    losses = []
    for _ in range(steps):
        for p in model.parameters():
            p.grad = 0.0
        loss = engine.loss(model, X, y)
        loss.backward()
        for p in model.parameters():
            p.value -= p.grad
        losses.append(loss.value)
    return losses


def fit_backward_to_print(model, X, y, steps, lr):
    losses = []
    for _ in range(steps):
        for p in model.parameters():
            p.grad = 0.0
        loss = engine.loss(model, X, y)
        loss.backward()
        engine.loss(model, X, y).backward()  # "to look at the gradients"
        for p in model.parameters():
            p.value -= lr * p.grad
        losses.append(loss.value)
    return losses


def fit_step_before_backward(model, X, y, steps, lr):
    losses = []
    for _ in range(steps):
        loss = engine.loss(model, X, y)
        for p in model.parameters():
            p.value -= lr * p.grad
            p.grad = 0.0
        loss.backward()
        losses.append(loss.value)
    return losses


def fit_loss_grad(model, X, y, steps, lr):
    losses = []
    for _ in range(steps):
        for p in model.parameters():
            p.grad = 0.0
        loss = engine.loss(model, X, y)
        loss.backward()
        for p in model.parameters():
            p.value -= lr * loss.grad
        losses.append(loss.value)
    return losses


def fit_loss_after_step(model, X, y, steps, lr):
    losses = []
    for _ in range(steps):
        for p in model.parameters():
            p.grad = 0.0
        engine.loss(model, X, y).backward()
        for p in model.parameters():
            p.value -= lr * p.grad
        losses.append(engine.loss(model, X, y).value)
    return losses


def fit_one_more(model, X, y, steps, lr):
    return fit_right(model, X, y, steps + 1, lr)


def fit_last_loss(model, X, y, steps, lr):
    return fit_right(model, X, y, steps, lr)[-1]


def fit_nodes(model, X, y, steps, lr):
    losses = []
    for _ in range(steps):
        for p in model.parameters():
            p.grad = 0.0
        loss = engine.loss(model, X, y)
        loss.backward()
        for p in model.parameters():
            p.value -= lr * p.grad
        losses.append(loss)
    return losses


WRONG_TRAINING = [
    Wrong("engine_training", "not_reset", fit_never_zeroes, "p.grad = 0.0"),
    Wrong("engine_training", "not_reset", fit_zeroes_once, "never set back to 0"),
    Wrong("engine_training", "no_update", fit_zero_before_step, "between backward() and"),
    Wrong("engine_training", "no_update", fit_rebinds, "p = p - lr * p.grad"),
    Wrong("engine_training", "ascent", fit_ascent, "wrong sign"),
    Wrong("engine_training", "no_lr", fit_without_lr),
    Wrong("engine_training", "backward_twice", fit_backward_to_print, "twice"),
    Wrong("engine_training", "stale", fit_step_before_backward, "step before"),
    Wrong("engine_training", "loss_grad", fit_loss_grad),
    Wrong("engine_training", "after_step", fit_loss_after_step, "L.value"),
    Wrong("engine_training", "one_more", fit_one_more, "range(steps)"),
    Wrong("engine_training", "single_loss", fit_last_loss, "one number"),
    Wrong("engine_training", "raised", fit_nodes, "append L.value"),
]

RIGHT_TRAINING = [
    Right("engine_training", fit_right),
    Right("engine_training", fit_zero_at_the_end),
    Right("engine_training", fit_zero_after_forward),
]

WRONG = (
    WRONG_ADD_MUL + WRONG_BACKWARD + WRONG_FUNCTIONS + WRONG_SUB_DIV + WRONG_MLP + WRONG_TRAINING
)
RIGHT = (
    RIGHT_ADD_MUL + RIGHT_BACKWARD + RIGHT_FUNCTIONS + RIGHT_SUB_DIV + RIGHT_MLP + RIGHT_TRAINING
)
