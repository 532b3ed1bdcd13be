"""Fuzz of the whole public API of `helpers`: every bad argument gets the course's own error.

The functions to call are found, not listed: every public function and class of every module
of `helpers` (its `__all__`, or its public names defined there), every public method of those
classes, the Node operators and the `layers.ACTIVATIONS` table. Each needs one valid call:
its arguments come from VALID_BY_NAME (by parameter name, shared shapes n_in = 4, n_out = 3,
m = 5), from the parameter's default, or from OVERRIDES; a new public function whose
parameters are none of these makes `test_every_public_callable_has_a_valid_call` fail until
a valid value is added, and is fuzzed from then on.

For each parameter, each value of a table of bad values chosen by the kind of its valid value
(None, strings, booleans, lists of uneven length, complex and object arrays, NaN, +-inf, 1e308,
0-d, 1-D, 3-D, transposed, a row or a column too many, empty batches, zero, negative, huge
sizes, ...) is passed with the other arguments valid. Every outcome must be one of:

* a result: finite (no NaN or infinity anywhere in it), and equal to the valid call's result
  when the value is only another spelling of the valid one (a nested list, integers, float32);
* a ValueError or TypeError raised inside `helpers`, whose message starts with the name of the
  function called, names the argument and says what was expected.

No warning may escape (pytest turns them into errors), and a call that fails leaves its
arguments and its model exactly as they were.
"""

import dataclasses
import importlib
import inspect
import math
import operator
import pkgutil
import re
import traceback
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

import helpers
from helpers import data, graph, jacobian, labs, labs_flow, layers, mlp

HELPERS_DIR = Path(helpers.__file__).parent

# -- what is not fuzzed, and why ---------------------------------------------------------------
# The exercise checker is being rewritten (check_exercise, CheckResult and everything in
# helpers.checker and helpers.exercises): it gets its own tests once it settles.
EXCLUDED_MODULES = {"helpers.checker", "helpers.exercises"}
# helpers.torchgraph reads PyTorch tensors, an optional extra: tests/test_torchgraph.py checks its
# errors (a non-tensor, no grad_fn, a bad names dict, a graph of more than one number).
EXCLUDED_MODULES |= {"helpers.torchgraph"}
EXCLUDED = {"helpers.gradcheck.check_exercise", "helpers.gradcheck.CheckResult"}
# Records that the course's functions build and return; learners read them, never build them.
RECORDS = {
    "helpers.graph.BackwardStep",
    "helpers.labs.SaturationResult",
    "helpers.labs.DeadReluResult",
    "helpers.labs_flow.ExplodingResult",
    "helpers.labs_flow.InputScaleResult",
    "helpers.layers.Activation",
}
# CallCounter(f)(...) passes its arguments to f: what f raises is f's own, by design.
PASS_THROUGH = {"helpers.jacobian.CallCounter.__call__"}
# Timings: two valid calls give two different numbers.
NOT_REPEATABLE = {"helpers.cost.time_gradients"}
# A message may name the argument by another word.
ALIASES = {"model": ("network",)}
# Keyword-only parameters that the operators of Node use to build their results.
INTERNAL_PARAMS = {"helpers.graph.Node": {"parents", "local_grads", "op", "where"}}

N_IN, N_OUT, M = 4, 3, 5
RNG = np.random.default_rng(0)
_A_PREV = RNG.standard_normal((N_IN, M))
_W = RNG.standard_normal((N_OUT, N_IN))
_B = RNG.standard_normal((N_OUT, 1))
_Z = RNG.standard_normal((N_OUT, M))
_LABELS = np.array([0, 1, 2, 1, 0])


def _onehot():
    return data.one_hot(_LABELS, N_OUT)


def _model():
    return mlp.MLP([N_IN, 3, N_OUT], seed=1)


def _grads():
    return _model().loss_and_grads(_A_PREV, _onehot())[1]


def _graph():
    w, x = graph.Node(2.0, "w"), graph.Node(-1.0, "x")
    return (w * x + w).sigmoid()


# Valid arguments by parameter name (fresh objects on every call).
VALID_BY_NAME = {
    "A_prev": lambda: _A_PREV.copy(),
    "W": lambda: _W.copy(),
    "b": lambda: _B.copy(),
    "Z": lambda: _Z.copy(),
    "dZ": lambda: _Z.copy(),
    "dA": lambda: _Z.copy(),
    "Y": _onehot,
    "X": lambda: _A_PREV.copy(),
    "A": lambda: layers.sigmoid(_Z),
    "a": lambda: _Z.copy(),
    "b_rel": lambda: _Z.copy() + 0.1,
    "labels": lambda: _LABELS.copy(),
    "n_classes": lambda: N_OUT,
    "root": _graph,
    "value": lambda: 1.5,
    "label": lambda: "v",
    "z": lambda: np.array([1.0, -0.5, 2.0]),
    "w": lambda: np.array([2.0, -3.0, -3.0]),
    "y": lambda: np.array([0.5, -1.0]),
    "delta": lambda: _DELTA.copy(),
    "model": _model,
    "grads": _grads,
    "lr": lambda: 0.1,
    "f": lambda: jacobian.example_f,
}


def _cache_of(forward, *args):
    return lambda: forward(*args)[1]


_X_COL = RNG.standard_normal((N_IN, 1))
_DELTA = RNG.standard_normal((N_OUT, 1))
_X_NUDGED = RNG.standard_normal((2, 3))


def _vjp_x():
    return _X_COL.copy()


def _rows_cache():
    from helpers import rowlayout

    return rowlayout.affine_forward_rows(_A_PREV.T.copy(), _W.T.copy(), _B[:, 0].copy())[1]


def _numgrad_args():
    x = _X_NUDGED.copy()
    return {"f": lambda: float(np.sum(x**2)), "x": x}


# Per-callable valid arguments, where the name alone does not say (or the default is slow).
def _slider():
    import ipywidgets as widgets

    return widgets.IntSlider(value=1, min=0, max=3)


def _live_show(a):
    fig = Figure(figsize=(0.2, 0.2))
    return f"a = {a}", labs.figure_image(fig, f"An empty square for a = {a}.")


OVERRIDES = {
    "helpers.layers.affine_backward": {"cache": _cache_of(layers.affine_forward, _A_PREV, _W, _B)},
    "helpers.layers.relu_backward": {"cache": _cache_of(layers.relu_forward, _Z)},
    "helpers.layers.leaky_relu_backward": {"cache": _cache_of(layers.leaky_relu_forward, _Z)},
    "helpers.layers.sigmoid_backward": {"cache": _cache_of(layers.sigmoid_forward, _Z)},
    "helpers.layers.tanh_backward": {"cache": _cache_of(layers.tanh_forward, _Z)},
    "helpers.layers.leaky_relu_forward": {"alpha": lambda: 0.1},
    "helpers.layers.sigmoid_cross_entropy": {
        "Z": lambda: _Z[:1].copy(),
        "Y": lambda: (_Z[:1] > 0).astype(float),
    },
    "helpers.rowlayout.affine_forward_rows": {
        "X": lambda: _A_PREV.T.copy(),
        "W": lambda: _W.T.copy(),
        "b": lambda: _B[:, 0].copy(),
    },
    "helpers.rowlayout.affine_backward_rows": {"dZ": lambda: _Z.T.copy(), "cache": _rows_cache},
    "helpers.gradcheck.numerical_gradient": {"*": _numgrad_args},
    "helpers.gradcheck.rel_error": {"b": lambda: _Z.copy() + 0.1},
    "helpers.gradcheck.model_gradient_errors": {
        "model": lambda: mlp.MLP([2, 2, 2], seed=1),
        "X": lambda: _A_PREV[:2].copy(),
        "Y": lambda: data.one_hot([0, 1, 1, 0, 1], 2),
    },  # fmt: skip
    "helpers.jacobian.numerical_jacobian": {"f": lambda: np.sin, "x": lambda: np.array([0.3, 1.0])},
    "helpers.jacobian.example_f": {"x": lambda: 0.7},
    "helpers.jacobian.example_f_jacobian": {"x": lambda: 0.7},
    "helpers.jacobian.matvec_vjp": {"x": _vjp_x},
    "helpers.jacobian.CallCounter": {"f": lambda: np.sin},
    "helpers.jacobian.CallCounter.__call__": {"args": lambda: (0.5,)},
    "helpers.graph.maximum": {"a": lambda: graph.Node(1.0, "a"), "b": lambda: graph.Node(2.0)},
    "helpers.viz.describe_step": {"*": lambda: _step_and_root()},
    "helpers.viz.draw_graph": {"step": lambda: 1},
    "helpers.viz.stepper_text": {
        "w": lambda: np.array(viz_w()),
        "x": lambda: np.array(viz_x()),
        "step": lambda: 3,
    },  # fmt: skip
    "helpers.viz.stepper_view": {
        "w": lambda: np.array(viz_w()),
        "x": lambda: np.array(viz_x()),
        "step": lambda: 3,
    },  # fmt: skip
    "helpers.viz.sigmoid_neuron": {"x": lambda: np.array(viz_x())},
    "helpers.viz.neuron_gradients": {"x": lambda: np.array(viz_x())},
    "helpers.mlp.MLP": {"layer_sizes": lambda: [N_IN, 3, N_OUT]},
    "helpers.mlp.MLP.accuracy": {"y": lambda: _LABELS.copy()},
    "helpers.mlp.MLP.backward": {"*": lambda: _backward_args()},
    "helpers.mlp.MLP.fit": {"epochs": lambda: 2, "batch_size": lambda: 2},
    "helpers.data.spirals": {"n_per_class": lambda: 5},
    "helpers.data.blobs": {"n_per_class": lambda: 5},
    "helpers.cost.time_gradients": {
        "layer_sizes_list": lambda: [[2, 2, 2]],
        "m": lambda: 2,
        "repeats": lambda: 1,
        "n_sampled": lambda: 2,
    },  # fmt: skip
    "helpers.labs.saturation_lab": {
        "depth": lambda: 2,
        "width": lambda: 4,
        "n_per_class": lambda: 4,
        "steps": lambda: 2,
    },  # fmt: skip
    "helpers.labs.dead_relu_lab": {
        "width": lambda: 4,
        "n_per_class": lambda: 4,
        "steps": lambda: 3,
    },  # fmt: skip
    "helpers.labs.saturation_figure": {"result": lambda: _lab_result("saturation")},
    "helpers.labs.dead_relu_figure": {"result": lambda: _lab_result("dead_relu")},
    "helpers.labs.saturated_fraction": {"A": lambda: layers.sigmoid(_Z)},
    "helpers.labs.redraw": {"fig": lambda: Figure()},
    "helpers.labs.figure_png": {"fig": lambda: Figure(figsize=(1, 1))},
    "helpers.labs.figure_image": {
        "fig": lambda: Figure(figsize=(1, 1)),
        "description": lambda: "An empty square, one inch wide.",
    },  # fmt: skip
    "helpers.figures.describe": {
        "fig": lambda: Figure(figsize=(1, 1)),
        "description": lambda: "An empty square, one inch wide.",
    },  # fmt: skip
    "helpers.figures.live_figure": {
        "show": lambda: _live_show,
        "controls": lambda: {"a": _slider()},
    },  # fmt: skip
    "helpers.figures.Described": {
        "png": lambda: labs.figure_png(Figure(figsize=(0.2, 0.2))),
        "description": lambda: "An empty square, a fifth of an inch wide.",
    },  # fmt: skip
    "helpers.labs_flow.exploding_lab": {
        "depth": lambda: 2,
        "width": lambda: 4,
        "n_per_class": lambda: 4,
        "steps": lambda: 2,
    },  # fmt: skip
    "helpers.labs_flow.input_scale_lab": {"width": lambda: 4, "steps": lambda: 2},
    "helpers.labs_flow.exploding_figure": {"result": lambda: _lab_result("exploding")},
    "helpers.labs_flow.input_scale_figure": {"result": lambda: _lab_result("input_scale")},
    "helpers.labs_flow.learning_speed_figure": {"result": lambda: _lab_result("saturation")},
    "helpers.labs_flow.learning_speed_description": {"result": lambda: _lab_result("saturation")},
    "helpers.labs_flow.clip_by_norm": {
        "grads": lambda: {"dW1": _W.copy(), "db1": _B.copy()},
        "max_norm": lambda: 1.0,
    },  # fmt: skip
    # helpers.engine: a scalar network with N_IN inputs and one output, 0/1 labels for X's columns
    "helpers.engine.loss": {"model": lambda: _scalar_net(), "y": lambda: _BINARY.copy()},
    "helpers.engine.fit": {
        "model": lambda: _scalar_net(),
        "y": lambda: _BINARY.copy(),
        "steps": lambda: 2,
    },  # fmt: skip
}

_BINARY = np.array([0.0, 1.0, 1.0, 0.0, 1.0])


def _scalar_net():
    from helpers import engine

    return engine.scalar_copy(mlp.MLP([N_IN, 3, 1], activation="tanh", output="sigmoid", seed=1))


# What the error of each callable starts with, when not its own name.
WHERE = {
    "helpers.mlp.MLP": "MLP",
    "helpers.jacobian.CallCounter": "CallCounter",
    "helpers.graph.Node": "Node",
}


def viz_w():
    return (2.0, -3.0, -3.0)


def viz_x():
    return (-1.0, -2.0)


def _step_and_root():
    root = _graph()
    return {"step": graph.trace_backward(root)[1], "root": root}


def _backward_args():
    model = _model()
    _, caches = model.forward(_A_PREV)
    return {"dZ_L": _Z.copy() / M, "caches": caches}


_LAB_RESULTS = {}


def _lab_result(kind):
    if kind not in _LAB_RESULTS:
        if kind == "saturation":
            _LAB_RESULTS[kind] = labs.saturation_lab(depth=2, width=4, n_per_class=4, steps=2)
        elif kind == "exploding":
            _LAB_RESULTS[kind] = labs_flow.exploding_lab(depth=2, width=4, n_per_class=4, steps=2)
        elif kind == "input_scale":
            _LAB_RESULTS[kind] = labs_flow.input_scale_lab(width=4, steps=2)
        else:
            _LAB_RESULTS[kind] = labs.dead_relu_lab(width=4, n_per_class=4, steps=3)
    return _LAB_RESULTS[kind]


# ----------------------------------------------------------------------------------------------
# Finding the public callables


@dataclasses.dataclass
class Target:
    qualname: str
    fn: object  # the function, or the class (its constructor), or an unbound method
    owner: object = None  # the class of a method
    self_factory: object = None
    params: tuple = ()
    where: str = ""


def _self_factory(cls):
    return {
        mlp.MLP: _model,
        graph.Node: lambda: graph.Node(1.5, "v"),
        jacobian.CallCounter: lambda: jacobian.CallCounter(np.sin),
    }.get(cls)


def _params(qualname, fn, method):
    sig = inspect.signature(fn)
    names = []
    for i, p in enumerate(sig.parameters.values()):
        if method and i == 0:
            continue  # self
        if p.kind is p.VAR_KEYWORD or p.name in INTERNAL_PARAMS.get(qualname, ()):
            continue
        names.append(p.name)
    return tuple(names)


def public_targets():
    targets = []
    for info in sorted(pkgutil.iter_modules(helpers.__path__), key=lambda i: i.name):
        modname = f"helpers.{info.name}"
        if info.name.startswith("_") or modname in EXCLUDED_MODULES:
            continue
        module = importlib.import_module(modname)
        names = getattr(module, "__all__", None) or [n for n in vars(module) if n[0] != "_"]
        for name in names:
            obj = getattr(module, name)
            qual = f"{modname}.{name}"
            if getattr(obj, "__module__", None) != modname or qual in EXCLUDED | RECORDS:
                continue
            if inspect.isclass(obj):
                if issubclass(obj, BaseException):
                    continue
                targets.append(Target(qual, obj, params=_params(qual, obj.__init__, True),
                                      where=WHERE.get(qual, name)))  # fmt: skip
                methods = [m for m in vars(obj) if m[0] != "_" or m == "__call__"]
                for m in methods:
                    fn = vars(obj)[m]
                    if inspect.isfunction(fn) and f"{qual}.{m}" not in PASS_THROUGH:
                        q = f"{qual}.{m}"
                        where = f"{name}.{m}" if obj is mlp.MLP else m
                        targets.append(Target(q, fn, obj, _self_factory(obj),
                                              _params(q, fn, True), where))  # fmt: skip
            elif inspect.isfunction(obj):
                targets.append(Target(qual, obj, params=_params(qual, obj, False), where=name))
    for key, act in layers.ACTIVATIONS.items():  # a table of functions, called by notebook 03
        for part in ("fn", "grad"):
            targets.append(Target(f"helpers.layers.ACTIVATIONS[{key!r}].{part}",
                                  getattr(act, part), params=("Z",),
                                  where=f"ACTIVATIONS[{key!r}].{part}"))  # fmt: skip
    return targets


# The Node operators: the node on the left is valid, the other operand is fuzzed.
OPERATORS = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "**": operator.pow,
}


# ----------------------------------------------------------------------------------------------
# Valid calls


def valid_kwargs(target):
    over = OVERRIDES.get(target.qualname, {})
    kwargs = dict(over["*"]()) if "*" in over else {}
    sig = inspect.signature(target.fn.__init__ if inspect.isclass(target.fn) else target.fn)
    for name in target.params:
        if name in kwargs:
            continue
        if name in over:
            kwargs[name] = over[name]()
        elif name in VALID_BY_NAME:
            kwargs[name] = VALID_BY_NAME[name]()
        elif sig.parameters[name].default is not inspect.Parameter.empty:
            kwargs[name] = sig.parameters[name].default
        else:
            raise LookupError(f"{target.qualname}: no valid value for parameter {name!r}")
    return kwargs


def call(target, kwargs, self_obj=None):
    if target.qualname == "helpers.jacobian.CallCounter.__call__":
        return self_obj(*kwargs["args"])
    if target.owner is not None:
        return target.fn(self_obj, **kwargs)
    return target.fn(**kwargs)


# ----------------------------------------------------------------------------------------------
# Bad values, by the kind of the valid value. Each is (label, value, same): `same` is True when
# the value is another spelling of the valid one, so a result must equal the valid result.


def _with(arr, index, value):
    out = np.array(arr, dtype=float)
    out[index] = value
    return out


def bad_arrays(v):
    v = np.asarray(v, dtype=float)
    first = (0,) * v.ndim
    out = [
        ("None", None, False),
        ("a string", "abc", False),
        ("True", True, False),
        ("an uneven list", [[1.0, 2.0], [3.0]], False),
        ("complex", v.astype(complex), False),
        ("object", v.astype(object), False),
        ("strings", v.astype(str), False),
        ("a dict", {"Z": 1}, False),
        ("NaN", _with(v, first, np.nan), False),
        ("inf", _with(v, first, np.inf), False),
        ("-inf", _with(v, first, -np.inf), False),
        ("1e308", np.full(v.shape, 1e308), False),
        ("-1e308", np.full(v.shape, -1e308), False),
        ("mixed 1e308", _with(np.ones(v.shape), first, 1e308), False),
        ("0-d", np.array(0.5), False),
        ("3-D", v[..., None], False),
        ("zeros", np.zeros(v.shape), False),
        ("a nested list", v.tolist(), True),
        ("float32", v.astype(np.float32), True),
        ("a read-only view", np.broadcast_to(v, v.shape), True),
    ]
    if v.ndim >= 1:
        out += [
            ("1-D", v.ravel(), False),
            ("an empty array", v[:0], False),
            ("one entry too many", np.concatenate([v, v[:1]]), False),
        ]
    if v.ndim == 2:
        out += [
            ("2-D flat", v.reshape(1, -1), False),
            ("transposed", v.T.copy(), False),
            ("an empty batch", v[:, :0], False),
            ("a column too many", np.hstack([v, v[:, :1]]), False),
            ("bools", v > 0, False),
        ]
    if v.ndim == 1:
        out += [("a column", v.reshape(-1, 1), False), ("a row", v.reshape(1, -1), False)]
    if np.array_equal(v, np.round(v)):
        out += [("ints", v.astype(np.int64), True)]
    return out


BAD_INTS = [
    ("None", None),
    ("a string", "3"),
    ("True", True),
    ("False", False),
    ("a float", 2.5),
    ("a whole float", 2.0),
    ("zero", 0),
    ("negative", -1),
    ("huge", 10**12),
    ("beyond int64", 2**64),
    ("NaN", math.nan),
    ("inf", math.inf),
    ("complex", 1j),
    ("a list", [2]),
    ("an array", np.array([2, 3])),
    ("numpy bool", np.True_),
]

BAD_FLOATS = [
    ("None", None),
    ("a string", "0.1"),
    ("True", True),
    ("NaN", math.nan),
    ("inf", math.inf),
    ("-inf", -math.inf),
    ("zero", 0.0),
    ("negative", -0.5),
    ("1e308", 1e308),
    ("-1e308", -1e308),
    ("tiny", 5e-324),
    ("complex", 1j),
    ("numpy complex", np.complex128(0.5)),
    ("a list", [0.1]),
    ("an array", np.array([0.1, 0.2])),
    ("beyond float", 10**400),
    ("numpy NaN", np.float64("nan")),
]

BAD_STRINGS = [
    ("None", None),
    ("empty", ""),
    ("unknown", "nope"),
    ("upper case", "RELU"),
    ("a number", 3),
    ("a list", ["relu"]),
    ("bytes", b"relu"),
    ("True", True),
]

BAD_OBJECTS = [
    ("None", None),
    ("a string", "x"),
    ("a number", 3),
    ("True", True),
    ("a list", [1.0]),
    ("a dict", {}),
    ("an array", np.ones(3)),
    ("an object", object()),
]


def bad_values(target, name, valid):
    """The table of bad values for parameter `name` whose valid value is `valid`."""
    q = target.qualname
    if isinstance(valid, bool):
        return [(label, v, False) for label, v in BAD_OBJECTS]
    if isinstance(valid, (int, np.integer)):
        ints = [(label, v, False) for label, v in BAD_INTS]
        return ints + [("numpy int", np.int64(valid), True)]
    if isinstance(valid, float):
        floats = [(label, v, False) for label, v in BAD_FLOATS]
        return floats + [("numpy float32", np.float32(valid), False), ("an int", 1, False)]
    if isinstance(valid, str) or (valid is None and name in ("init",)):
        return [(label, v, False) for label, v in BAD_STRINGS]
    if isinstance(valid, np.ndarray):
        out = bad_arrays(valid)
        if name == "cache":  # the classic mistake: the input Z where the output A belongs
            out += [("Z for A", _Z * 10, False)]
        return out
    if name == "cache" and isinstance(valid, tuple):
        swapped = tuple(reversed(valid))
        out = [(label, v, False) for label, v in BAD_OBJECTS]
        out += [
            ("empty tuple", (), False),
            ("too short", valid[:-1], False),
            ("too long", valid + (1.0,), False),
            ("a list", list(valid), False),
            ("reversed", swapped, False),
            ("transposed", tuple(np.asarray(a).T if np.ndim(a) == 2 else a for a in valid), False),
            (
                "NaN inside",
                tuple(
                    _with(a, (0,) * np.ndim(a), np.nan) if isinstance(a, np.ndarray) else a
                    for a in valid
                ),
                False,
            ),  # fmt: skip
            (
                "complex inside",
                tuple(a.astype(complex) if isinstance(a, np.ndarray) else a for a in valid),
                False,
            ),  # fmt: skip
            ("alpha 5", (valid[0], 5.0) if len(valid) == 2 else valid + (), False),
        ]
        return out
    if isinstance(valid, graph.Node):
        return [(label, v, False) for label, v in BAD_OBJECTS] + [
            ("NaN", math.nan, False),
            ("inf", math.inf, False),
            ("complex", 1j, False),
            ("numpy bool", np.True_, False),
        ]
    if isinstance(valid, dict) and name == "grads":
        key = next(iter(valid))
        missing = {k: v for k, v in valid.items() if k != "db2"}
        nan = {k: _with(v, (0, 0), np.nan) for k, v in valid.items()}
        huge = {k: np.full(v.shape, 1e308) for k, v in valid.items()}
        transposed = {k: v.T.copy() for k, v in valid.items()}
        return [(label, v, False) for label, v in BAD_OBJECTS] + [
            ("missing db2", missing, False),
            ("NaN inside", nan, False),
            ("1e308 inside", huge, False),
            ("transposed", transposed, False),
            ("strings inside", {**valid, key: "dW"}, False),
            ("a list of arrays", list(valid.values()), False),
        ]
    if isinstance(valid, list) and name == "caches":
        return [(label, v, False) for label, v in BAD_OBJECTS] + [
            ("one short", valid[:-1], False),
            ("reversed", valid[::-1], False),
            ("empty", [], False),
            ("bare arrays", [pair[0][0] for pair in valid], False),
        ]
    if isinstance(valid, list) and name == "layer_sizes":
        return [(label, v, False) for label, v in BAD_OBJECTS] + [
            ("empty", [], False),
            ("one size", [4], False),
            ("a zero", [4, 0, 3], False),
            ("negative", [4, -1, 3], False),
            ("a float", [4, 2.5, 3], False),
            ("a bool", [4, True, 3], False),
            ("a string inside", [4, "3", 3], False),
            ("huge", [10**6, 10**6, 3], False),
            ("gigantic", [10**12, 3], False),
            ("one class", [4, 1], False),
            ("nested", [[4, 3]], False),
            ("an array", np.array([N_IN, 3, N_OUT]), True),
            ("a tuple", (N_IN, 3, N_OUT), True),
        ]
    if isinstance(valid, list) and name == "layer_sizes_list":
        return [(label, v, False) for label, v in BAD_OBJECTS] + [
            ("empty", [], False),
            ("flat", [2, 2, 2], False),
            ("empty network", [[]], False),
            ("one size", [[2]], False),
            ("a zero", [[2, 0, 2]], False),
            ("a float", [[2, 2.5, 2]], False),
            ("gigantic", [[10**6, 10**6]], False),
        ]
    if isinstance(valid, tuple) and name == "args":
        return [
            ("no args", (), False),
            ("two args", (0.5, 0.5), False),
            ("a string", ("x",), False),
            ("None", (None,), False),
        ]
    if callable(valid) and name == "f":
        return [(label, v, False) for label, v in BAD_OBJECTS] + [
            ("wrong arity", _wrong_arity(q), False),
            ("returns None", _returns(q, None), False),
            ("returns NaN", _returns(q, math.nan), False),
            ("returns inf", _returns(q, math.inf), False),
            ("returns a string", _returns(q, "loss"), False),
            ("returns complex", _returns(q, 1j), False),
            ("returns a list", _returns(q, [1.0, [2.0]]), False),
            ("raises", _raises(q), False),
            ("returns 1e308 or -1e308", _alternating(q), False),
        ]
    if name == "model":
        return [(label, v, False) for label, v in BAD_OBJECTS] + [
            ("a layer", layers.affine_forward, False),
            ("a model of other sizes", mlp.MLP([3, 2, 2]), False),
        ]
    if name == "dtype":
        return [(label, v, False) for label, v in BAD_OBJECTS] + [
            ("int32", np.int32, False),
            ("float16", np.float16, False),
            ("complex", complex, False),
            ("a dtype name", "nope", False),
            ("float32", "float32", False),
        ]
    if name == "xp":
        return [(label, v, False) for label, v in BAD_OBJECTS] + [("math", math, False)]
    if name == "fig":
        return [(label, v, False) for label, v in BAD_OBJECTS if v is not None or valid is not None]
    if name == "show":
        return [(label, v, False) for label, v in BAD_OBJECTS] + [
            ("another function's arguments", lambda b: _live_show(b), False),
            ("returns None", lambda a: None, False),
            ("returns a figure without its description", lambda a: ("a", Figure()), False),
            ("raises", _raises(q), False),
        ]
    if name == "controls":
        return [(label, v, False) for label, v in BAD_OBJECTS] + [
            ("a number, not a control", {"a": 1}, False),
            ("a key that is not a name", {"a b": _slider()}, False),
            ("a control show does not take", {"a": _slider(), "b": _slider()}, False),
        ]
    if name == "png":
        return [(label, v, False) for label, v in BAD_OBJECTS] + [
            ("empty bytes", b"", False),
            ("JPEG bytes", b"\xff\xd8\xff\xe0" + bytes(16), False),
            ("the PNG as text", valid.decode("latin-1"), False),
            ("a bytearray", bytearray(valid), False),
        ]
    if name == "result":
        other = "dead_relu" if "saturation" in q else "saturation"
        return [(label, v, False) for label, v in BAD_OBJECTS] + [
            ("the other lab's result", _lab_result(other), False)
        ]
    if name == "step" and q.endswith("describe_step"):
        return [(label, v, False) for label, v in BAD_OBJECTS] + [
            ("a step of another graph", graph.trace_backward(_graph())[0], False)
        ]
    if valid is None:  # an optional number (big_update, big_update_step, threads)
        return [(label, v, False) for label, v in BAD_FLOATS] + [
            (label, v, False) for label, v in BAD_INTS if label in ("True", "huge", "negative")
        ]
    raise LookupError(f"{q}: no table of bad values for {name!r} ({type(valid).__name__})")


def _arity(q):
    return 0 if q.endswith("numerical_gradient") else 1


def _wrong_arity(q):
    return (lambda x: 0.0) if _arity(q) == 0 else (lambda: 0.0)


def _returns(q, value):
    return (lambda: value) if _arity(q) == 0 else (lambda x: value)


def _raises(q):
    def f(*args):
        return 1 / 0

    return f


def _alternating(q):
    calls = []

    def f(*args):
        calls.append(1)
        return 1e308 if len(calls) % 2 else -1e308

    return f


# ----------------------------------------------------------------------------------------------
# Checking one outcome


def _freeze(obj, depth=0):
    """A comparable snapshot of an argument: arrays by bytes, models by parameters."""
    if depth > 6:
        return None
    if isinstance(obj, np.ndarray):
        return (
            "array",
            obj.dtype.str,
            obj.shape,
            obj.tobytes() if obj.dtype != object else repr(obj),
        )
    if isinstance(obj, mlp.MLP):
        return ("MLP", _freeze(obj.params, depth + 1))
    if isinstance(obj, graph.Node):
        return ("Node", tuple((n.value, n.grad) for n in graph.topological_order(obj)))
    if isinstance(obj, dict):
        return ("dict", tuple((k, _freeze(v, depth + 1)) for k, v in obj.items()))
    if isinstance(obj, (list, tuple)):
        return (type(obj).__name__, tuple(_freeze(v, depth + 1) for v in obj))
    if isinstance(obj, float) and math.isnan(obj):
        return "nan"
    if isinstance(obj, (int, float, str, bytes, complex, type(None))):
        return obj
    return ("object", id(obj))


def _non_finite(obj, path="result", depth=0):
    """Where the result holds NaN or infinity, or None."""
    if depth > 6:
        return None
    if isinstance(obj, np.ndarray) and obj.dtype.kind in "fc":
        return path if not np.isfinite(obj).all() else None
    if isinstance(obj, (float, np.floating)):
        return path if not math.isfinite(obj) else None
    if isinstance(obj, dict):
        items = obj.items()
    elif isinstance(obj, (list, tuple)):
        items = enumerate(obj)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        items = ((f.name, getattr(obj, f.name)) for f in dataclasses.fields(obj))
    elif isinstance(obj, graph.Node):
        items = (("value", obj.value), ("grad", obj.grad))
    else:
        return None
    for key, value in items:
        found = _non_finite(value, f"{path}[{key!r}]", depth + 1)
        if found:
            return found
    return None


def _same(a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        if a.dtype.kind not in "fiub" or b.dtype.kind not in "fiub":
            return True
        return a.shape == b.shape and np.allclose(a, b, rtol=1e-5, atol=1e-6)
    if isinstance(a, (float, int, np.floating, np.integer)):
        return math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-6)
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return True  # figures, nodes, texts: not compared


def _raised_in_helpers(err):
    frames = traceback.extract_tb(err.__traceback__)
    return bool(frames) and Path(frames[-1].filename).resolve().is_relative_to(HELPERS_DIR)


def _names(message, name):
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", message) is not None


EXPECTS = ("must", "expected", "expects", "needs", "need ", "should", "stops at", "use ")


def check_outcome(run, snapshot_of, where, name, label, same, valid_result):
    """Run `run()`, then check its outcome as the module docstring says; returns a description."""
    before = snapshot_of()
    try:
        result = run()
    except (ValueError, TypeError) as err:
        message = str(err)
        problem = None
        if not _raised_in_helpers(err):
            problem = f"raised outside helpers: {type(err).__name__}: {message}"
        elif not message.startswith(f"{where}:"):
            problem = f"the message does not start with {where + ':'!r}: {message}"
        elif name and not any(_names(message, n) for n in (name, *ALIASES.get(name, ()))):
            problem = f"the message does not name {name!r}: {message}"
        elif not any(word in message for word in EXPECTS):
            problem = f"the message does not say what was expected: {message}"
        elif snapshot_of() != before:
            problem = f"the failed call changed an argument or the model: {message}"
        return problem
    except Exception as err:  # noqa: BLE001 - anything else is what this test exists to find
        return f"raised {type(err).__name__}: {err}"
    bad = _non_finite(result)
    if bad:
        return f"returned a non-finite value at {bad}"
    if same and valid_result is not None and not _same(result, valid_result[0]):
        return "another spelling of the valid argument gave another result"
    return None


# ----------------------------------------------------------------------------------------------
# The cases


TARGETS = public_targets()


def _cases():
    """(target, parameter, label, bad value, same) for every parameter of every target."""
    cases = []
    for target in TARGETS:
        kwargs = valid_kwargs(target)
        for name in target.params:
            for label, value, same in bad_values(target, name, kwargs[name]):
                cases.append((target, name, label, value, same))
    return cases


def _receiver_cases():
    """Zero-argument methods of Node and the operators, with extreme or bad operands."""
    cases = []
    for method in ("exp", "log", "reciprocal", "sigmoid", "tanh", "relu", "backward"):
        for value in (0.0, -1.0, 710.0, 1e308, -1e308, 5e-324, -5e-324):
            cases.append((method, value))
    return cases


def test_every_public_callable_has_a_valid_call():
    """A valid call of each target runs, returns finite numbers and leaves its arguments alone."""
    assert len(TARGETS) >= 50
    for target in TARGETS:
        kwargs = valid_kwargs(target)
        self_obj = target.self_factory() if target.self_factory else None
        result = call(target, kwargs, self_obj)
        assert _non_finite(result) is None, target.qualname


def test_fuzz_every_parameter_of_the_public_api():
    cases = _cases()
    problems = []
    valid_results = {}
    n_bad = 0
    for target, name, label, value, same in cases:
        key = target.qualname
        if key not in valid_results:
            self_obj = target.self_factory() if target.self_factory else None
            valid_results[key] = (call(target, valid_kwargs(target), self_obj),)
        kwargs = valid_kwargs(target)
        kwargs[name] = value
        self_obj = target.self_factory() if target.self_factory else None

        def run(target=target, kwargs=kwargs, self_obj=self_obj):
            return call(target, kwargs, self_obj)

        def snapshot(kwargs=kwargs, self_obj=self_obj, name=name):
            args = {k: v for k, v in kwargs.items() if k != name or isinstance(v, np.ndarray)}
            return _freeze((args, self_obj))

        same = same and key not in NOT_REPEATABLE
        same = same and not (label == "float32" and key.endswith("numerical_gradient"))
        problem = check_outcome(run, snapshot, target.where, name, label, same, valid_results[key])
        n_bad += 1
        if problem:
            problems.append(f"{key}({name}={label}): {problem}")

    for symbol, op in OPERATORS.items():
        for i, (label, value, _) in enumerate(
            bad_values(Target("op", op), "other", graph.Node(2.0))
        ):
            node = graph.Node(1.5, "v")
            extra = [(" a Node", graph.Node(0.0))] if symbol != "**" and i == 0 else []
            for tag, operand in [(label, value)] + extra:
                problem = check_outcome(
                    lambda op=op, node=node, operand=operand: op(node, operand),
                    lambda node=node: _freeze(node),
                    symbol if tag != " a Node" else "1/x",
                    None,
                    tag,
                    False,
                    None,
                )
                n_bad += 1
                if problem and not (symbol != "/" and tag == " a Node"):
                    problems.append(f"Node {symbol} {tag}: {problem}")
        for label, value in (("1e308", 1e308), ("-1e308", -1e308), ("1e200", 1e200)):
            node = graph.Node(1e200, "big")
            problem = check_outcome(
                lambda op=op, node=node, value=value: op(node, value),
                lambda node=node: _freeze(node),
                symbol,
                None,
                label,
                False,
                None,
            )
            n_bad += 1
            if problem:
                problems.append(f"Node(1e200) {symbol} {label}: {problem}")

    for method, value in _receiver_cases():
        node = graph.Node(value, "v")
        where = {"reciprocal": "1/x"}.get(method, method)
        problem = check_outcome(
            lambda node=node, method=method: getattr(node, method)(),
            lambda node=node: _freeze(node),
            where,
            None,
            str(value),
            False,
            None,
        )
        n_bad += 1
        if problem:
            problems.append(f"Node({value}).{method}(): {problem}")

    print(f"{n_bad} bad inputs tried on {len(TARGETS)} public callables")
    assert n_bad >= 1500
    assert not problems, f"{len(problems)} of {n_bad} bad inputs went wrong:\n" + "\n".join(
        problems[:60]
    )
