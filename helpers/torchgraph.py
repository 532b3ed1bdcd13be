"""PyTorch's own graph, read with the course's tools (notebook 07).

    backward_nodes(output, names)   the nodes of PyTorch's backward graph, output first, each with
                                    the nodes it sends gradients to (the `next_functions` walk)
    to_graph(output, names)         the same graph as a `helpers.graph.Node` graph, which
                                    `helpers.viz.draw_graph` draws beside our own

PyTorch records, for every tensor computed from tensors with `requires_grad=True`, a backward node
`tensor.grad_fn` (`MulBackward0`, `ExpBackward0`, ...). Its `next_functions` name the nodes of
its inputs: another backward node, an `AccumulateGrad` node for a leaf (it adds into `.grad`), or
None for a constant (the `1` of `e + 1`). This module walks that graph; it never changes it.

PyTorch is optional for the course: it is imported inside the functions, and only notebook 07
needs it (`pip install -e ".[torch]"`, or `make lab TORCH=1`).
"""

import math

from .graph import Node

__all__ = ["backward_nodes", "to_graph"]

_LEAF = "AccumulateGrad"


def _torch(where):
    try:
        import torch
    except ImportError:
        raise ImportError(
            f'{where} needs PyTorch, an optional extra of the course: pip install -e ".[torch]" '
            f"(or make lab TORCH=1)"
        ) from None
    return torch


def _check_output(output, names, where):
    torch = _torch(where)
    if not isinstance(output, torch.Tensor):
        raise TypeError(f"{where}: output must be a torch.Tensor; got {type(output).__name__}")
    if output.grad_fn is None:
        raise ValueError(
            f"{where}: output has no grad_fn, so PyTorch recorded no graph for it: was it computed "
            f"from tensors with requires_grad=True, outside torch.no_grad()?"
        )
    names = {} if names is None else names
    if not isinstance(names, dict) or not all(
        isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in names.items()
    ):
        raise TypeError(f"{where}: names must be a dict {{name: tensor}}; got {names!r}")
    return torch, names


def _kind(fn):
    return type(fn).__name__


def _walk(output):
    """Every node of the backward graph of `output`, each once, output first (no recursion)."""
    order, seen, stack = [], set(), [output.grad_fn]
    while stack:
        fn = stack.pop()
        if id(fn) in seen:
            continue
        seen.add(id(fn))
        order.append(fn)
        for child, _ in reversed(fn.next_functions):
            if child is not None and id(child) not in seen:
                stack.append(child)
    return order


def _namer(names):
    """name(fn): the name of the tensor `fn` belongs to (a leaf's or a result's), or ''."""
    by_fn = {}
    for name, tensor in names.items():
        if tensor.grad_fn is not None:
            by_fn.setdefault(id(tensor.grad_fn), name)
    by_leaf = {id(tensor): name for name, tensor in names.items() if tensor.grad_fn is None}

    def name(fn):
        if _kind(fn) == _LEAF:
            return by_leaf.get(id(fn.variable), "")
        return by_fn.get(id(fn), "")

    return name


def backward_nodes(output, names=None):
    """PyTorch's backward graph of `output`, node by node, from the output back to the leaves.

    Parameters
    ----------
    output : torch.Tensor   a result computed with autograd on (it has a grad_fn)
    names  : dict           {name: tensor}, optional: names for leaves and intermediate results

    Returns
    -------
    rows : list of (kind, name, inputs)   kind is the node's class ("MulBackward0",
           "AccumulateGrad"), name the tensor's name or "", inputs a list with one entry per
           input of the operation: the (kind, name) of the node it sends its gradient to, or None
           for a constant (PyTorch records no node for it). Each node appears once, output first,
           in the order of a depth-first walk of `next_functions`.
    """
    _, names = _check_output(output, names, "backward_nodes")
    name = _namer(names)
    rows = []
    for fn in _walk(output):
        inputs = [None if c is None else (_kind(c), name(c)) for c, _ in fn.next_functions]
        rows.append((_kind(fn), name(fn), inputs))
    return rows


_SHORT = {"Reciprocal": "Recip"}  # names too long for a gate's circle


def _gate(kind):
    """What a drawing writes in a gate: the class name without "Backward0", short."""
    for suffix in ("Backward0", "Backward1", "Backward"):
        if kind.endswith(suffix):
            kind = kind[: -len(suffix)]
            break
    return _SHORT.get(kind, kind)


def to_graph(output, names=None):
    """PyTorch's backward graph of a scalar `output` as a `helpers.graph` graph, for drawing.

    Each backward node becomes a gate named after its class (`Mul`, `Exp`, `Reciprocal`); each
    leaf (an `AccumulateGrad` node) becomes an input box; a constant, for which PyTorch records no
    node, is left out. The local gradients are PyTorch's own: each backward node is called with
    an upstream gradient of 1, which returns d(node)/d(input) for each of its inputs. So
    `helpers.viz.draw_graph(to_graph(f, names))` multiplies PyTorch's local gradients along
    PyTorch's edges, and the gradients it writes are those `f.backward()` puts in `.grad`.

    Call it before `output.backward()` (or after `backward(retain_graph=True)`): the backward
    pass frees what the nodes saved. Nothing is written into the tensors' `.grad`.

    Parameters
    ----------
    output : torch.Tensor (one element)   the result, computed with autograd on
    names  : dict {name: tensor}          the leaves and the intermediate results by name, for
                                          labels and forward values; a result without a name gets
                                          its value from what its node saved (exp, 1/x) or raises

    Returns
    -------
    root : helpers.graph.Node   the output; every node has `op`, `parents`, `local_grads` and
                                `value`, as a graph built with `helpers.graph` has
    """
    where = "to_graph"
    torch, names = _check_output(output, names, where)
    if output.numel() != 1:
        raise ValueError(
            f"{where}: draws graphs of a single number; output has shape {tuple(output.shape)} "
            f"(use backward_nodes for a list of the nodes of any graph)"
        )
    name = _namer(names)
    values = {id(t.grad_fn): t for t in names.values() if t.grad_fn is not None}
    values[id(output.grad_fn)] = output
    one = torch.ones((), dtype=output.dtype)
    made = {}
    for fn in reversed(_walk(output)):  # children before the nodes that use them
        kind = _kind(fn)
        if kind == _LEAF:
            value = float(fn.variable.detach().reshape(()))
            made[id(fn)] = Node(value, name(fn) or f"{value:g}", where=where)
            continue
        value = values.get(id(fn))
        if value is None and hasattr(fn, "_saved_result"):
            value = fn._saved_result
        if value is None:
            raise ValueError(
                f"{where}: the value of the {kind} node is unknown (PyTorch's graph keeps only "
                f"what the backward pass needs): add the tensor it computes to names"
            )
        with torch.no_grad():
            local = fn(one.reshape(value.shape))
        local = local if isinstance(local, tuple) else (local,)
        parents, grads = [], []
        for (child, _), g in zip(fn.next_functions, local):
            if child is not None:
                parents.append(made[id(child)])
                grads.append(float(g.reshape(())))
        value = float(value.detach().reshape(()))
        if not math.isfinite(value):
            raise ValueError(f"{where}: the {kind} node's value is {value}; expected a finite one")
        made[id(fn)] = Node(
            value, name(fn), parents=parents, local_grads=grads, op=_gate(kind), where=where
        )
    return made[id(output.grad_fn)]
