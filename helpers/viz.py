"""Drawings of a scalar computational graph, and the backward stepper (notebook 01).

    graph_layout(root)           where each node goes: inputs on the left, the output on the right
    draw_graph(root, step)       the graph with each value above its edge and each gradient below,
                                 the backward steps numbered, one step highlighted; `root` may
                                 be a node of the learner's own engine too (notebook 02)
    describe_step(step, root)    one step as text: upstream x local = downstream, for each input
    sigmoid_neuron(w, x)         the neuron 1 / (1 + exp(-(w0*x0 + w1*x1 + w2))) in fine gates
    neuron_gradients(w, x)       (f, df/dw, df/dx) of that neuron, as numbers and arrays
    stepper_text(w, x, step)     the stepper's readout for one position of its sliders
    stepper_view(w, x, step)     (readout, figure) for one position of its sliders

`helpers.graph` computes; this module only reads its nodes and draws them. It uses matplotlib's
object API (`Figure`, never `pyplot`), so it leaves the global figure list alone and runs on any
backend, Agg included.

A drawing says what it shows: `draw_graph` returns a `GraphDrawing`, a matplotlib Figure that is
also a `helpers.figures.Described`, whose `description` is composed from the graph it draws (the
formula, the inputs, each gate's value, the gradients; for a step, the gate, the upstream
gradient, the local rule and what each input receives). Jupyter shows it as the image with the
description as its alt text and as text/plain.

Colours come from `helpers.palette` and never carry a meaning alone: values are blue and sit
above the edges, gradients vermillion and below them; in a step, the edge that brings the
upstream gradient is solid, thick and green, the edges that take the downstream gradients are
dashed, thick and orange, and the current gate is outlined thickly on a yellow fill.

A leaf node without a label (the `1` in `e + 1`) is treated as a constant: it is not drawn as a
node of its own but folded into its gate, which is then drawn as `+1`, `*2`, ...
"""

import functools
import io
import math

import numpy as np
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.ft2font import LoadFlags
from matplotlib.patches import BoxStyle
from matplotlib.path import Path
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D

from . import palette
from ._validate import as_float_array, check_shape
from .figures import Described
from .graph import BackwardStep, Node, _backward_pass, _trace_backward, topological_order

__all__ = [
    "NEURON_W",
    "NEURON_X",
    "NEURON_STEPS",
    "graph_layout",
    "draw_graph",
    "describe_step",
    "sigmoid_neuron",
    "neuron_gradients",
    "stepper_text",
    "stepper_view",
]

NEURON_W = (2.0, -3.0, -3.0)  # CS231n's example: w0, w1 and the bias w2
NEURON_X = (-1.0, -2.0)  # x0, x1
NEURON_STEPS = 8  # backward steps of the fine-grained neuron: one per gate

# Colours of the drawing (helpers.palette), each with a second cue that says the same thing
_INK = palette.BLACK  # edges, outlines, the operation in a gate
_VALUE = palette.BLUE  # forward values: above the edges
_GRAD = palette.VERMILLION  # gradients: below the edges
_HIGHLIGHT = palette.YELLOW  # the gate of the current step: also outlined thickly
_UP = palette.GREEN  # the edge bringing the upstream gradient: also solid and thick
_DOWN = palette.ORANGE  # the edges taking the downstream gradients: also dashed and thick
_SECONDARY = "#595959"  # names under the gates, step tags: a grey dark enough for small text
_INPUT_FILL = "#EEEEEE"  # the boxes of the inputs (their shape tells them from gates)
_THIN, _THICK = 0.9, 2.2  # line widths: an ordinary edge; the edges of the current step
_OUTLINE = 2.4  # the outline of the current gate
_DASHED = (0, (3.0, 1.5))  # the downstream edges: dashes and gaps in units of the line width
_FONT = 8
_GATE_FONT = 10  # the operation inside a gate: large enough that thin strokes stay crisp

# ----------------------------------------------------------------------------------------------
# Reading a graph: constants, names, layout


def _is_constant(node, root):
    return not node.parents and not node.label and node is not root


def _gate_text(node, root):
    """What is written inside a gate: its operation, with a constant input folded in."""
    consts = [p for p in node.parents if _is_constant(p, root)]
    if node.op == "+" and len(consts) == 1 and len(node.parents) == 2:
        return f"{consts[0].value:+g}"
    if node.op == "*" and len(consts) == 1 and len(node.parents) == 2:
        return f"*{consts[0].value:g}"
    if node.op == "max" and len(consts) == 1 and len(node.parents) == 2:
        return f"max {consts[0].value:g}"
    return node.op


def _symbol(node, root):
    """The gate's text in a drawing: × for *, σ for sigmoid, ^2 for **2."""
    if node.op.startswith("**"):
        return "^" + node.op[2:]
    text = _gate_text(node, root)
    if text.startswith("*"):
        return "×" + text[1:]
    return "σ" if text == "sigmoid" else text


def _names(order):
    """A name for every node: its label, or v1, v2, ... in forward order for unlabelled ones."""
    names, count = {}, 0
    for node in order:
        if node.label:
            names[id(node)] = node.label
        elif not node.parents:
            names[id(node)] = f"{node.value:g}"
        else:
            count += 1
            names[id(node)] = f"v{count}"
    return names


def _check_root(root, where):
    if not isinstance(root, Node):
        raise TypeError(
            f"{where}: root must be a helpers.graph Node (the output of the graph); "
            f"got {type(root).__name__}"
        )


def graph_layout(root):
    """Positions of the nodes of a graph, drawn from inputs (left) to output (right); notebook 01.

    Each computed node sits one column to the right of its right-most input; each input sits one
    column to the left of its left-most consumer. Vertically, the graph is spread as a tree seen
    from the output, each node among the inputs of its left-most consumer (so a node used twice
    sits next to one of its consumers, and a longer edge reaches the other).

    Parameters
    ----------
    root : helpers.graph.Node   the output of the graph

    Returns
    -------
    positions : dict   {id(node): (column, row)} for every node drawn (constants are folded into
                       their gates and get no position); column 0 is the left-most, rows are
                       centred on the output's row 0.0
    """
    _check_root(root, "graph_layout")
    order = topological_order(root)
    shown = [n for n in order if not _is_constant(n, root)]
    column = {}
    for node in shown:  # computed nodes: one column right of their right-most input
        if node.parents:
            inputs = [column[id(p)] for p in node.parents if id(p) in column]
            column[id(node)] = 1 + max(inputs, default=0)
    consumers = {id(n): [] for n in shown}
    for node in shown:
        for p in node.parents:
            if id(p) in consumers and node not in consumers[id(p)]:
                consumers[id(p)].append(node)
    for node in shown:  # inputs: one column left of their first consumer
        if not node.parents:
            used_by = [column[id(c)] for c in consumers[id(node)]]
            column[id(node)] = min(used_by, default=1) - 1
    left = min(column.values())
    column = {k: v - left for k, v in column.items()}

    # Vertically, a tree seen from the output: each node is placed among the inputs of its
    # left-most consumer (the one it sits next to), its own inputs spread around it.
    kids = {id(n): [] for n in shown}
    for node in shown:
        if node is not root:
            first = min(consumers[id(node)], key=lambda c: column[id(c)])
            kids[id(first)].append(node)
    for node in shown:  # keep each gate's inputs in the order of its arguments
        rank = {id(p): i for i, p in reversed(list(enumerate(node.parents)))}
        kids[id(node)].sort(key=lambda k: rank[id(k)])
    width = {}
    for node in shown:
        width[id(node)] = max(1.0, sum(width[id(k)] for k in kids[id(node)]))
    row = {id(root): 0.0}
    for node in reversed(shown):
        top = row[id(node)] + width[id(node)] / 2
        for k in kids[id(node)]:
            row[id(k)] = top - width[id(k)] / 2
            top -= width[id(k)]
    return {k: (float(column[k]), row[k]) for k in column}


# ----------------------------------------------------------------------------------------------
# Describing one backward step


def _expression(node, names):
    """The forward formula of a computed node, in the names of its inputs: `w0 * x0`, `exp(n)`."""
    args = [names[id(p)] for p in node.parents]
    op = node.op
    if op in ("+", "*"):
        return f" {op} ".join(args)
    if op == "*-1":
        return f"-{args[0]}"
    if op == "1/x":
        return f"1/{args[0]}"
    if op.startswith("**"):
        return f"{args[0]}^{op[2:]}"
    return f"{op}({', '.join(args)})"


_RECORDED = "as recorded by the gate"  # the local rule of an operation this module does not know


def _local_rule(node, index, names):
    """Why the local gradient of `node` with respect to its input number `index` is what it is."""
    x, me, op = names[id(node.parents[index])], names[id(node)], node.op
    if op == "+":
        return "1 (the add gate passes the gradient on)"
    if op == "*":
        return f"{names[id(node.parents[1 - index])]} (the multiply gate swaps its inputs)"
    if op == "*-1":
        return "-1"
    if op == "exp":
        return f"exp({x}) = {me}"
    if op == "1/x":
        return f"-1/{x}^2"
    if op == "log":
        return f"1/{x}"
    if op == "max":
        won = node.local_grads[index] == 1.0
        return f"{int(won)} (the max gate routes the gradient to the larger input)"
    if op == "sigmoid":
        return f"{me} (1 - {me})"
    if op == "tanh":
        return f"1 - {me}^2"
    if op == "relu":
        return f"1 if {x} > 0, else 0"
    if op.startswith("**"):
        k = float(op[2:])
        return f"{k:g} {x}^{k - 1:g}"
    return _RECORDED


def _step_lines(step, root, names, n_steps=None):
    node, me = step.node, names[id(step.node)]
    out = names[id(root)] if root.label else "out"
    of = f" of {n_steps}" if n_steps else ""
    lines = [
        f"step {step.number}{of}: the {_gate_text(node, root)} gate, "
        f"{me} = {_expression(node, names)} = {node.value:.4f}",
        f"  upstream gradient d{out}/d{me} = {step.upstream:.4f}",
        f"  {'input':<6}{'upstream':>9} x {'local':>8} = {'downstream':>10}   local gradient",
    ]
    for i, (parent, local, share) in enumerate(step.contributions):
        if _is_constant(parent, root):
            continue  # a constant needs no gradient
        p = names[id(parent)]
        lines.append(
            f"  {p:<6}{step.upstream:9.4f} x {local:8.4f} = {share:10.4f}   "
            f"d{me}/d{p} = {_local_rule(node, i, names)}"
        )
    return lines


def describe_step(step, root):
    """One backward step as text, upstream x local = downstream for each input (notebook 01).

    Parameters
    ----------
    step : helpers.graph.BackwardStep   one entry of `trace_backward(root)`
    root : helpers.graph.Node           the output the backward pass started from (for names)

    Returns
    -------
    text : str   the gate and its upstream gradient, then one line per input with
                 upstream x local = downstream (4 decimals) and why the local gradient is what
                 it is; constant inputs (the 1 of `+1`) are left out
    """
    _check_root(root, "describe_step")
    if not all(hasattr(step, a) for a in ("number", "node", "upstream", "contributions")):
        raise TypeError(
            f"describe_step: step must be a BackwardStep from trace_backward(root); "
            f"got {type(step).__name__}"
        )
    names = _names(topological_order(root))
    if id(step.node) not in names:
        raise ValueError(
            "describe_step: step must come from trace_backward(root) of this root; it comes "
            "from another graph"
        )
    return "\n".join(_step_lines(step, root, names))


# ----------------------------------------------------------------------------------------------
# Describing a drawing, for a reader who cannot see it

_LISTED = 24  # a list in a description names this many items at most, then says how many more
_FORMULA_CHARS = 72  # a longer formula is left out of a description (its gates are listed)
_SUM, _PRODUCT, _NEGATION, _POWER, _ATOM = 1, 2, 3, 4, 5  # how tightly each form binds


def _num(value):
    """A number as a description writes it: four significant digits, and never "-0"."""
    text = f"{value:.4g}"
    return "0" if text == "-0" else text


def _listed(items, sep=", "):
    """Items joined, at most _LISTED of them and then how many were left out."""
    items = list(items)
    if len(items) > _LISTED:
        items = [*items[:_LISTED], f"and {len(items) - _LISTED} more"]
    return sep.join(items)


def _compose(op, args):
    """The formula of a gate from the formulas of its inputs, each a (text, binding) pair."""

    def tight(arg, binding):
        text, own = arg
        return text if own >= binding else f"({text})"

    if op == "+":
        return " + ".join(tight(a, _SUM) for a in args), _SUM
    if op == "*":
        return " * ".join(tight(a, _PRODUCT) for a in args), _PRODUCT
    if op == "*-1" and len(args) == 1:
        return "-" + tight(args[0], _NEGATION), _NEGATION
    if op == "1/x" and len(args) == 1:
        return "1/" + tight(args[0], _ATOM), _PRODUCT
    if op.startswith("**") and len(args) == 1:
        return f"{tight(args[0], _ATOM)}^{op[2:]}", _POWER
    return f"{op}({', '.join(text for text, _ in args)})", _ATOM


def _formula(root, names):
    """The output as one formula of the inputs, a gate used once written in place; "" when
    longer than _FORMULA_CHARS."""
    order = topological_order(root)
    uses = {}
    for node in order:
        for parent in node.parents:
            uses[id(parent)] = uses.get(id(parent), 0) + 1
    formula = {}
    for node in order:  # each node after its parents
        if not node.parents:
            continue
        args = []
        for parent in node.parents:
            inline = parent.parents and uses[id(parent)] == 1
            args.append(formula[id(parent)] if inline else (names[id(parent)], _ATOM))
        if any(text is None for text, _ in args):
            formula[id(node)] = (None, _ATOM)
            continue
        text, binding = _compose(node.op, args)
        formula[id(node)] = (text if len(text) <= _FORMULA_CHARS else None, binding)
    return (formula[id(root)][0] or "") if root.parents else ""


def _graph_description(root, steps, step, names):
    """What a drawing of `root` shows, in words: the text alternative of `draw_graph`."""
    order = [n for n in topological_order(root) if not _is_constant(n, root)]
    out = names[id(root)]  # as the drawing names it (an unlabelled output is v1, v2, ...)
    formula = _formula(root, names)
    gates = [n for n in order if n.parents]
    graph = f"the computational graph of {out}" + (
        f" = {formula}" if formula else f", {len(gates)} gates"
    )
    leaves = [f"{names[id(n)]} = {_num(n.value)}" for n in order if not n.parents]
    inputs = f"Inputs: {_listed(leaves)}." if leaves else "No inputs but constants."
    number = {id(s.node): s.number for s in steps}
    forward = "Gates in forward order, each with its backward step: " + _listed(
        f"{names[id(n)]} = {_expression(n, names)} = {_num(n.value)} (step {number[id(n)]})"
        for n in gates
    )
    if step is None:
        sentences = [
            f"{graph[0].upper()}{graph[1:]}, drawn from the inputs on the left to the output "
            "on the right: forward values written above the edges, gradients below them.",
            inputs,
            forward + ".",
            "Gradients, from the output back: " + _listed(_gradients(order, steps, out, names)),
        ]
    elif step == 0:
        sentences = [
            f"Step 0 of {len(steps)} of the backward pass through {graph}: the forward pass is "
            "done, its values written above the edges, inputs on the left, output on the right.",
            inputs,
            forward + ".",
            f"Only the output's gradient, d{out}/d{out} = 1, is known, written below the "
            "output's edge: the backward pass starts there",
        ]
    else:
        sentences = [
            f"Step {step} of {len(steps)} of the backward pass through {graph}, inputs on the "
            "left, output on the right, forward values above the edges.",
            inputs,
            *_step_sentences(steps[step - 1], root, out, names),
        ]
        if step == len(steps):
            sentences.append("Every gradient is now written below its edge")
        else:
            steps_done = f"steps 1 to {step}" if step > 1 else "step 1"
            sentences.append(
                f"The gradients of {steps_done} are written below their edges, the later "
                "ones not yet"
            )
    return " ".join(sentences) + "."


def _gradients(order, steps, out, names):
    """Every drawn node's gradient, from the output back, with the edges of a node used twice."""
    edges = {}  # id(node) -> the gradients its edges carry, in the order they were sent
    for s in steps:
        for parent, _, share in s.contributions:
            edges.setdefault(id(parent), []).append(share)
    grads = []
    for node in reversed(order):
        text = f"d{out}/d{names[id(node)]} = {_num(node.grad)}"
        sent = edges.get(id(node), [])
        if len(sent) > 1:
            carried = ", ".join(_num(g) for g in sent[:-1]) + f" and {_num(sent[-1])}"
            text += f" (written as a sum next to it; its {len(sent)} edges carry {carried})"
        grads.append(text)
    return grads


def _step_sentences(current, root, out, names):
    """What one backward step does: its gate, the upstream gradient, what each input receives."""
    node, gate = current.node, names[id(current.node)]
    sent = []
    for i, (parent, local, share) in enumerate(current.contributions):
        if _is_constant(parent, root):
            continue  # a constant needs no gradient
        rule, local_name = _local_rule(node, i, names), f"d{gate}/d{names[id(parent)]}"
        why = (
            f"the local gradient {local_name} as the {node.op} gate recorded it"
            if rule == _RECORDED
            else f"where {local_name} = {rule}"
        )
        sent.append(
            f"{names[id(parent)]} receives {_num(current.upstream)} × {_num(local)} = "
            f"{_num(share)}, {why}"
        )
    if not sent:
        down = "Its inputs are constants, which need no gradient."
    elif len(sent) == 1:
        down = f"Along the dashed, thick orange edge into it, {sent[0]}."
    else:
        down = (
            "Along the dashed, thick orange edges into it, each input receives upstream × "
            "local: " + "; ".join(sent) + "."
        )
    return [
        f"The current gate, outlined thickly on a yellow fill and numbered {current.number}, "
        f"is the {_gate_text(node, root)} gate {gate} = {_expression(node, names)} = "
        f"{_num(node.value)}.",
        f"Its upstream gradient d{out}/d{gate} = {_num(current.upstream)} arrives along the "
        "solid, thick green edge on its right.",
        down,
    ]


# ----------------------------------------------------------------------------------------------
# Drawing
#
# A slider redraws the whole figure, so drawing must be quick. Matplotlib lays out and renders a
# Text artist glyph by glyph, about a millisecond per label, and a graph has some fifty labels.
# So labels are drawn as outlines (TextPath, cached per string) gathered in a few collections,
# the edges as one LineCollection, the arrowheads and node shapes as collections too: a redraw
# then costs tens of milliseconds instead of hundreds.

_DPI = 96
_ROW = 0.8  # vertical distance between rows, in columns
_PROP = FontProperties(family="DejaVu Sans")  # the font that ships with matplotlib
_ASCENT, _DESCENT = 0.73, 0.24  # of DejaVu Sans digits and capitals, per point of font size
_HEAD = (6.0, 2.4)  # arrowhead length and half-width, in points


def _check_step(step, n_steps, where):
    if isinstance(step, bool) or not isinstance(step, (int, np.integer)):
        raise TypeError(
            f"{where}: step must be an integer from 0 (forward pass only) to {n_steps}; "
            f"got {type(step).__name__} {step!r}"
        )
    if not 0 <= step <= n_steps:
        raise ValueError(
            f"{where}: step must lie in 0..{n_steps} (this graph has {n_steps} backward "
            f"steps); got {step}"
        )
    return int(step)


@functools.lru_cache(maxsize=512)
def _glyph(char, size):
    """One character at `size` points: its outline (vertices in points, codes) and advance."""
    font = get_font(findfont(_PROP))
    font.set_size(size, 72)  # the font object is shared (TextPath resizes it): set it each time
    advance = font.load_char(ord(char), flags=LoadFlags.NO_HINTING).linearHoriAdvance / 65536
    if char.isspace():
        return None, None, advance
    path = TextPath((0, 0), char, size=size, prop=_PROP)
    return path.vertices, path.codes, advance


@functools.lru_cache(maxsize=4096)
def _outline(text, size):
    """The outline of `text` at `size` points, glyph after glyph (no kerning), baseline at 0.

    Returns (vertices in points, codes, ink x0, ink x1); both caches make a label cost
    microseconds once its characters have been seen.
    """
    vertices, codes, x = [], [], 0.0
    for char in text:
        v, c, advance = _glyph(char, size)
        if v is not None:
            vertices.append(v + (x, 0.0))
            codes.append(c)
        x += advance
    if not vertices:
        return np.zeros((1, 2)), np.array([Path.MOVETO], np.uint8), 0.0, 0.0
    v = np.concatenate(vertices)
    return v, np.concatenate(codes), float(v[:, 0].min()), float(v[:, 0].max())


def _text_width(text, size=_FONT):
    _, _, x0, x1 = _outline(text, size)
    return x1 - x0


def _place(text, size, ha, va, angle, offset):
    """The outline of `text` around an anchor at (0, 0), in points: aligned, rotated, moved."""
    v, codes, x0, x1 = _outline(text, size)
    dx = {"center": -(x0 + x1) / 2, "left": -x0, "right": -x1}[ha]
    dy = {"center": -_ASCENT * size / 2, "bottom": _DESCENT * size, "top": -_ASCENT * size}[va]
    v = v + (dx, dy)
    if angle:
        c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        v = v @ np.array([[c, s], [-s, c]])
    return Path(v + offset, codes)


class _Tagged(PathCollection):
    """A PathCollection that remembers what each path shows: `tags[i]` names it and, for
    labels, `texts[i]` is the text it spells (the figure is then testable and searchable)."""

    def __init__(self, paths, tags, texts, **kwargs):
        super().__init__(paths, **kwargs)
        self.tags, self.texts = list(tags), list(texts)


class GraphDrawing(Figure, Described):
    """A drawing of a graph: a matplotlib Figure that displays with its description.

    It is a `Figure` (draw it, save it, read its collections) made with the object API, and a
    `helpers.figures.Described`: Jupyter shows it as its PNG, with `description` in the image's
    `alt` metadata and as text/plain. `draw_graph` makes it; it is not made by hand.

    Attributes: `description` (str), `png` (bytes, rendered when asked for).
    """

    def __init__(self, *args, **kwargs):
        Figure.__init__(self, *args, **kwargs)
        self.description = ""

    @property
    def png(self):
        """The drawing as PNG bytes, rendered as the notebook's inline backend renders it."""
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi="figure", bbox_inches="tight", facecolor="white")
        return buffer.getvalue()

    def _repr_mimebundle_(self, include=None, exclude=None):
        return Described._repr_mimebundle_(self, include, exclude)

    def __repr__(self):
        return Figure.__repr__(self)


class _Canvas:
    """One axis-less Axes in layout units (column, row) under a header, and what goes on it.

    Labels and shapes are paths in points around an anchor given in layout units, so they keep
    their size whatever the figure's size or dpi; `finish` turns them into a few collections.
    """

    def __init__(self, pos, title_lines):
        xs = [c for c, _ in pos.values()]
        ys = [r * _ROW for _, r in pos.values()]
        x0, x1 = min(xs) - 0.75, max(xs) + 1.35
        y0, y1 = min(ys) - 0.5, max(ys) + 0.55
        width = min(9.5, max(5.6 if title_lines else 3.0, 0.92 * (x1 - x0)))
        head = 0.12 + 0.17 * title_lines
        height = min(5.0, max(1.3, 0.8 * (y1 - y0))) + head
        width, height = round(width * 4) / 4, round(height * 4) / 4  # whole pixels at 96 dpi
        self.fig = GraphDrawing(figsize=(width, height), dpi=_DPI)
        # The Axes fills the figure, header included: a tight bounding box then crops nothing.
        top = y1 + head * (y1 - y0) / (height - head)
        self.ax = self.fig.add_axes((0, 0, 1, 1))
        self.ax.set_axis_off()
        self.ax.set_xlim(x0, x1)
        self.ax.set_ylim(y0, top)
        self.scale = np.array([width * 72 / (x1 - x0), (height - head) * 72 / (y1 - y0)])
        self.corner = (x0, top / _ROW)  # the top left corner, where the header starts
        self.items = {}  # kind -> [(path in points, anchor, facecolor, edgecolor, lw, tag, text)]
        self.lines = []  # (polyline in layout units, colour, width, line style)

    def xy(self, p):
        return (p[0], p[1] * _ROW)

    def label(self, kind, text, at, color, tag="", ha="center", va="center", angle=0.0,
              offset=(0.0, 0.0), size=_FONT):  # fmt: skip
        path = _place(text, size, ha, va, angle, offset)
        self.items.setdefault(kind, []).append((path, self.xy(at), color, "none", 0.0, tag, text))

    def title(self, *lines):
        """Lines of text in the header above the graph, left-aligned."""
        for i, line in enumerate(lines):
            offset = (5.0, -4.0 - (i + 1) * 1.3 * (_FONT + 1))
            self.label("title", line, self.corner, _INK, f"line {i + 1}", ha="left", va="bottom",
                       offset=offset, size=_FONT + 1)  # fmt: skip

    def shape(self, kind, path, at, facecolor, edgecolor, lw, tag):
        self.items.setdefault(kind, []).append(
            (path, self.xy(at), facecolor, edgecolor, lw, tag, "")
        )

    def arrow(self, a, b, color, lw, rad=0.0, outside_a=None, outside_b=None, style="solid"):
        """An edge from a to b (an arc when rad != 0) with its head at b, both ends stopped at
        the borders of the nodes: `outside_*` tell, for points relative to a node's centre (in
        points), which lie outside it. `style` is the shaft's line style (the head is solid)."""
        pa, pb = np.array(self.xy(a)) * self.scale, np.array(self.xy(b)) * self.scale
        d = pb - pa
        ctrl = (pa + pb) / 2 + rad * np.array([d[1], -d[0]])  # as matplotlib's arc3
        t = np.linspace(0.0, 1.0, 81)[:, None]
        curve = (1 - t) ** 2 * pa + 2 * (1 - t) * t * ctrl + t**2 * pb
        keep = np.ones(len(curve), bool)
        if outside_a is not None:
            keep &= outside_a(curve - pa)
        if outside_b is not None:
            keep &= outside_b(curve - pb)
        curve = curve[keep]
        if len(curve) < 2:
            return
        tip = curve[-1]
        direction = (tip - curve[-2]) / max(np.hypot(*(tip - curve[-2])), 1e-9)
        length, half = _HEAD[0] * (1 + 0.15 * (lw > 1)), _HEAD[1] * (1 + 0.15 * (lw > 1))
        shaft = curve[np.hypot(*(curve - tip).T) > length]
        shaft = np.vstack([shaft, tip - direction * length * 0.9])
        self.lines.append((shaft / self.scale, color, lw, style))
        c, s = direction
        head = np.array([[0.0, 0.0], [-length, half], [-length, -half], [0.0, 0.0]])
        head = head @ np.array([[c, s], [-s, c]])
        anchor = tip / self.scale
        self.items.setdefault("head", []).append(
            (Path(head, closed=True), (anchor[0], anchor[1]), color, "none", 0.0, "", "")
        )

    def edge_labels(self, a, b, above, below, rad, tag):
        """`above` over the middle of the edge a -> b and `below` under it, along its slope."""
        (xa, ya), (xb, yb) = self.xy(a), self.xy(b)
        dx, dy = (xb - xa) * self.scale[0], (yb - ya) * self.scale[1]  # in points
        length = max(math.hypot(dx, dy), 1e-9)
        nx, ny = -dy / length, dx / length  # unit normal, pointing up for a left-to-right edge
        bend = (0.5 * rad * dy, -0.5 * rad * dx)  # where an arc3 curve passes its middle
        angle = math.degrees(math.atan2(dy, dx))
        # on a sloped edge the labels sit nearer its start, where converging edges are apart
        t = 0.5 if abs(dy) < 1 or rad else 0.4
        mid = (xa + t * (xb - xa), (ya + t * (yb - ya)) / _ROW)
        for text, side, va, color, kind in (
            (above, 2.5, "bottom", _VALUE, "value"),
            (below, -2.5, "top", _GRAD, "grad"),
        ):
            if text is not None:
                off = (bend[0] + side * nx, bend[1] + side * ny)
                self.label(kind, text, mid, color, tag, va=va, angle=angle, offset=off)

    def finish(self):
        if self.lines:
            segments, colors, widths, styles = zip(*self.lines)
            self.ax.add_collection(
                LineCollection(
                    segments,
                    colors=colors,
                    linewidths=widths,
                    linestyles=styles,
                    zorder=1,
                    capstyle="butt",
                    gid="edges",
                ),  # fmt: skip
                autolim=False,
            )
        points = Affine2D().scale(1 / 72) + self.fig.dpi_scale_trans
        zorder = {"head": 1.5, "shapes": 2}
        for kind, items in self.items.items():
            paths, anchors, fc, ec, lw, tags, texts = zip(*items)
            collection = _Tagged(
                paths,
                tags,
                texts,
                offsets=anchors,
                offset_transform=self.ax.transData,
                transform=points,
                facecolors=fc,
                edgecolors=ec,
                linewidths=lw,
                zorder=zorder.get(kind, 3),
                gid=kind if kind in zorder else f"labels:{kind}",
                clip_on=False,  # a label may reach a little past the edge
            )
            self.ax.add_collection(collection, autolim=False)
        return self.fig


def _circle(r):
    return Path.circle((0.0, 0.0), r)


def _box(hx, hy, rounding=3.0):
    return BoxStyle.Round(pad=0.0, rounding_size=rounding)(-hx, -hy, 2 * hx, 2 * hy, 1.0)


def _outside_circle(r):
    return lambda d: np.hypot(d[:, 0], d[:, 1]) > r + 1.0


def _outside_box(hx, hy):
    return lambda d: (np.abs(d[:, 0]) > hx + 1.0) | (np.abs(d[:, 1]) > hy + 1.0)


# A node of another engine (the learner's Value of notebook 02: any object with value, grad,
# parents, local_grads, label and op) is drawn from a copy of its graph in Nodes that keeps the
# gradients that engine's own backward() left: what is drawn is what the learner's engine did.


class _Copy(Node):
    """A node copied from another engine; its .grad is the one that engine computed."""

    __slots__ = ()


def _as_node(root, where):
    """`root` if it is a Node (or not a node at all: `_check_root` says so); else a copy."""
    if isinstance(root, Node) or not all(hasattr(root, a) for a in ("value", "grad", "parents")):
        return root
    if not hasattr(root, "local_grads"):
        raise TypeError(
            f"{where}: root must record the local gradient of each parent in .local_grads, as "
            f"helpers.graph.Node does, to be drawn; this {type(root).__name__} has no local_grads"
        )
    copies, stack = {}, [(root, False)]
    while stack:  # parents first, without recursion
        node, ready = stack.pop()
        if id(node) in copies:
            continue
        parents = tuple(node.parents)
        if not all(hasattr(p, "value") and hasattr(p, "parents") for p in parents):
            raise TypeError(
                f"{where}: the parents of each node of root's graph must be nodes; a node with "
                f"op {getattr(node, 'op', '')!r} records a number or another object instead"
            )
        if not ready:
            stack.append((node, True))
            stack += [(p, False) for p in reversed(parents) if id(p) not in copies]
            continue
        try:
            local = tuple(float(g) for g in node.local_grads)
            value, grad = float(node.value), float(node.grad)
        except (TypeError, ValueError, AttributeError):
            raise TypeError(
                f"{where}: each node of root's graph must hold numbers in .value, .grad and "
                f".local_grads; a node with op {getattr(node, 'op', '')!r} holds something else"
            ) from None
        label = getattr(node, "label", "")
        copy = _Copy(
            value,
            label if isinstance(label, str) else "",
            parents=tuple(copies[id(p)] for p in parents),
            local_grads=local,
            op=str(getattr(node, "op", "") or ""),
            where=where,
        )
        copy.grad = grad
        copies[id(node)] = copy
    return copies[id(root)]


def _held_pass(root):
    """The backward steps of a copied graph, from the gradients it holds; writes nothing."""
    steps = []
    for node in reversed(topological_order(root)):
        if node.parents:
            shares = tuple((p, g, node.grad * g) for p, g in zip(node.parents, node.local_grads))
            steps.append(BackwardStep(len(steps) + 1, node, node.grad, shares))
    return steps, lambda: None


def draw_graph(root, step=None):
    """Draw a graph: values above the edges, gradients below, steps numbered (notebook 01).

    Runs the backward pass from `root` (as `root.backward()` does, filling `.grad`), then draws
    every node: inputs as boxes named by their label, gates as circles showing their operation,
    with the number of their backward step above and their name below. Above each edge is the
    value that flows forward along it; below it, the gradient that flows back along it
    (upstream x local of the gate it enters). A node used twice receives one gradient per edge;
    their sum, its gradient, is written under it.

    A node of your own engine (notebook 02: any object with value, grad, parents, local_grads,
    label and op) is drawn as it is, with the gradients its own backward() left in .grad: run
    that first. Below each edge is then your node's gradient times the local gradient it
    records, and under a node used twice the .grad your engine gave it.

    Parameters
    ----------
    root : helpers.graph.Node   the output of the graph (or a node of your own engine)
    step : int or None          None: the whole backward pass. 0..n: the first `step` steps
                                only (the gradients not computed yet are left blank), with
                                step `step` highlighted and its upstream x local = downstream
                                written on top (0: only the output's gradient, 1, is known).
                                Its gate is outlined thickly on a yellow fill, the edge that
                                brings its upstream gradient is solid, thick and green, the
                                edges that take its downstream gradients dashed, thick, orange

    Returns
    -------
    fig : GraphDrawing   a matplotlib Figure, made with the object API and not registered with
                         pyplot, that displays with `fig.description`: what the drawing shows,
                         composed from the graph (the formula, the inputs, each gate's value and
                         backward step, the gradients; for a step, that step in words)
    """
    where = "draw_graph"
    root = _as_node(root, where)  # a node of another engine: a copy, with that engine's grads
    _check_root(root, where)
    own = isinstance(root, _Copy)
    steps, write_grads = _held_pass(root) if own else _backward_pass(root, where)
    if step is not None:
        step = _check_step(step, len(steps), where)
    write_grads()  # only now: a bad step leaves the graph as it was
    done = len(steps) if step is None else step
    current = steps[step - 1] if step else None
    order = [n for n in topological_order(root) if not _is_constant(n, root)]
    names = _names(topological_order(root))
    pos = graph_layout(root)
    by_node = {id(s.node): s for s in steps}
    canvas = _Canvas(pos, 0 if step is None else 2)

    # the size of each node, in points, so that edges stop at its border
    outside, sizes = {}, {}
    for node in order:
        if node.parents:
            text = _symbol(node, root)
            r = max(_text_width(text, _GATE_FONT) / 2 + 3.5, 8.0)
            sizes[id(node)], outside[id(node)] = (text, r), _outside_circle(r)
        else:
            hx, hy = _text_width(node.label) / 2 + 4.0, 7.0
            sizes[id(node)], outside[id(node)] = (node.label, hx, hy), _outside_box(hx, hy)

    # edges, each with the value it carries forward and the gradient it carries back
    for node in order:
        if not node.parents:
            continue
        s = by_node[id(node)]
        repeats = {}
        for i, parent in enumerate(node.parents):
            if id(parent) not in pos:
                continue  # a constant, folded into the gate
            repeats[id(parent)] = repeats.get(id(parent), 0) + 1
            a, b = pos[id(parent)], pos[id(node)]
            rad = 0.0
            if sum(p is parent for p in node.parents) > 1:  # x * x: two arcs
                rad = 0.35 if repeats[id(parent)] == 1 else -0.35
            elif b[0] - a[0] > 1:  # a long edge bends around the gates in between
                rad = -0.3 if a[1] >= b[1] else 0.3
            color, lw, style = _INK, _THIN, "solid"
            if current is not None and node is current.node:
                color, lw, style = _DOWN, _THICK, _DASHED
            elif current is not None and parent is current.node:
                color, lw = _UP, _THICK
            canvas.arrow(a, b, color, lw, rad, outside[id(parent)], outside[id(node)], style)
            grad = f"{s.contributions[i][2]:.2f}" if s.number <= done else None
            tag = f"{names[id(parent)]}->{names[id(node)]}"
            canvas.edge_labels(a, b, f"{parent.value:.2f}", grad, rad, tag)
    r = pos[id(root)]
    end = (r[0] + 1.1, r[1])
    lit = current is not None and current.node is root
    canvas.arrow(r, end, _UP if lit else _INK, _THICK if lit else _THIN, 0.0, outside[id(root)])
    canvas.edge_labels(r, end, f"{root.value:.2f}", "1.00", 0.0, f"{names[id(root)]}->")

    # nodes: gates as circles with their step number above and their name below, inputs as boxes
    for node in order:
        at, name = pos[id(node)], names[id(node)]
        lit = current is not None and node is current.node
        if node.parents:
            text, r = sizes[id(node)]
            fill, outline = (_HIGHLIGHT, _OUTLINE) if lit else ("white", _THIN)
            canvas.shape("shapes", _circle(r), at, fill, _INK, outline, f"node:{name}")
            canvas.label("node", text, at, _INK, name, size=_GATE_FONT)
            canvas.label("name", name, at, _SECONDARY, name, va="top", offset=(0, -r - 2.0),
                         size=_FONT - 1)  # fmt: skip
            number = str(by_node[id(node)].number)
            hx, hy = _text_width(number, _FONT - 1) / 2 + 2.5, 5.0
            above = (0.0, r + 2.0 + hy)
            box = Path(_box(hx, hy, 2.0).vertices + above, _box(hx, hy, 2.0).codes)
            canvas.shape("shapes", box, at, _HIGHLIGHT if lit else _SECONDARY, "none", 0.0,
                         f"step:{number}")  # fmt: skip
            canvas.label("step", number, at, _INK if lit else "white", number, offset=above,
                         size=_FONT - 1)  # fmt: skip
            below_total = (0.0, -r - 12.0)
        else:
            _, hx, hy = sizes[id(node)]
            canvas.shape("shapes", _box(hx, hy), at, _INPUT_FILL, _INK, _THIN, f"node:{name}")
            canvas.label("node", name, at, _INK, name)
            below_total = None
        users = [c for c in order if any(p is node for p in c.parents)]
        if sum(p is node for c in users for p in c.parents) > 1:  # a branch: gradients add
            known = all(by_node[id(c)].number <= done for c in users)
            total = f"sum {node.grad:.2f}" if known else "sum ?"
            if below_total:
                canvas.label("total", total, at, _GRAD, name, va="top", offset=below_total)
            else:
                canvas.label("total", total, at, _GRAD, name, ha="right", offset=(-hx - 4.0, 0))

    if current is not None:
        me = names[id(current.node)]
        parts = [
            f"{names[id(p)]}: {current.upstream:.2f} × {local:.2f} = {share:.2f}"
            for p, local, share in current.contributions
            if not _is_constant(p, root)
        ]
        canvas.title(
            f"step {current.number} of {len(steps)}: {me} = {_expression(current.node, names)}"
            "      upstream (solid green edge) × local = downstream (dashed orange edges)",
            "      ".join(parts),
        )
    elif step == 0:
        canvas.title(
            f"step 0 of {len(steps)}: the forward pass is done (values above the edges)",
            "the backward pass starts from the output's gradient, 1",
        )
    fig = canvas.finish()
    fig.description = _graph_description(root, steps, step, names)
    return fig


# ----------------------------------------------------------------------------------------------
# The sigmoid neuron and its stepper


def _neuron_args(w, x, where):
    w = as_float_array(w, "w", where, ndim=1)
    check_shape(w, (3,), "w", where, "w0, w1 and the bias w2")
    x = as_float_array(x, "x", where, ndim=1)
    check_shape(x, (2,), "x", where, "x0 and x1")
    # in Python floats: an overflow gives inf without a warning, and is reported below
    p0, p1 = float(w[0]) * float(x[0]), float(w[1]) * float(x[1])
    z = p0 + p1 + float(w[2])
    if not all(math.isfinite(v) for v in (p0, p1, p0 + p1, z)):
        raise ValueError(
            f"{where}: w0*x0 + w1*x1 + w2 overflows a float (w = {w.tolist()}, x = {x.tolist()}); "
            f"use smaller w or x"
        )
    if -z > 700:
        raise ValueError(
            f"{where}: w0*x0 + w1*x1 + w2 = {z:g} is so negative that exp(-z) overflows in the "
            f"exp gate; use smaller w or x (the collapsed sigmoid gate has no such limit)"
        )
    return w, x


def sigmoid_neuron(w, x):
    """The neuron f = 1 / (1 + exp(-(w0*x0 + w1*x1 + w2))) in fine-grained gates (notebook 01).

    Gates, in forward order: p0 = w0 * x0, p1 = w1 * x1, s = p0 + p1, z = s + w2, n = -z (`*-1`),
    e = exp(n), d = e + 1 (`+1`), f = 1 / d (`1/x`). The graph is built, not differentiated:
    call `nodes["f"].backward()` for the gradients.

    Parameters
    ----------
    w : array_like (3,)   w0, w1 and the bias w2 (CS231n's example: 2, -3, -3)
    x : array_like (2,)   x0, x1 (CS231n's example: -1, -2)

    Returns
    -------
    nodes : dict   {label: helpers.graph.Node} for w0, x0, w1, x1, w2, p0, p1, s, z, n, e, d, f,
                   in forward order; nodes["f"] is the output
    """
    return _neuron(w, x, "sigmoid_neuron")


def _neuron(w, x, where):
    w, x = _neuron_args(w, x, where)
    nodes = {}
    for i in range(2):
        nodes[f"w{i}"] = Node(float(w[i]), f"w{i}")
        nodes[f"x{i}"] = Node(float(x[i]), f"x{i}")
    nodes["w2"] = Node(float(w[2]), "w2")
    nodes["p0"] = nodes["w0"] * nodes["x0"]
    nodes["p1"] = nodes["w1"] * nodes["x1"]
    nodes["s"] = nodes["p0"] + nodes["p1"]
    nodes["z"] = nodes["s"] + nodes["w2"]
    nodes["n"] = -nodes["z"]
    nodes["e"] = nodes["n"].exp()
    nodes["d"] = nodes["e"] + 1
    nodes["f"] = 1 / nodes["d"]
    for label, node in nodes.items():
        node.label = label
    return nodes


def neuron_gradients(w, x):
    """The sigmoid neuron's output and gradients, by backprop through its gates (notebook 01).

    Parameters
    ----------
    w : array_like (3,)   w0, w1 and the bias w2
    x : array_like (2,)   x0, x1

    Returns
    -------
    f  : float          1 / (1 + exp(-(w0*x0 + w1*x1 + w2)))
    dw : ndarray (3,)   df/dw0, df/dw1, df/dw2
    dx : ndarray (2,)   df/dx0, df/dx1
    """
    nodes = _neuron(w, x, "neuron_gradients")
    nodes["f"].backward()
    dw = np.array([nodes[k].grad for k in ("w0", "w1", "w2")])
    dx = np.array([nodes[k].grad for k in ("x0", "x1")])
    return nodes["f"].value, dw, dx


def _stepper_parts(w, x, step, where):
    nodes = _neuron(w, x, where)
    f = nodes["f"]
    steps = _trace_backward(f, where)
    step = _check_step(step, len(steps), where)
    return nodes, steps, step


def _stepper_text(nodes, steps, step):
    f = nodes["f"]
    w = ", ".join(f"{nodes[k].value:.2f}" for k in ("w0", "w1", "w2"))
    x = ", ".join(f"{nodes[k].value:.2f}" for k in ("x0", "x1"))
    lines = [f"w = ({w})   x = ({x})   f = 1/(1 + exp(-(w0*x0 + w1*x1 + w2))) = {f.value:.4f}"]
    if step == 0:
        lines += [
            f"step 0 of {len(steps)}: forward pass done (values above the edges).",
            "  The backward pass starts at the output: df/df = 1.0000",
        ]
    else:
        names = _names(topological_order(f))
        lines += _step_lines(steps[step - 1], f, names, len(steps))
    if step == len(steps):
        dw = ", ".join(f"{nodes[k].grad:.4f}" for k in ("w0", "w1", "w2"))
        dx = ", ".join(f"{nodes[k].grad:.4f}" for k in ("x0", "x1"))
        lines.append(f"done: df/dw = ({dw})   df/dx = ({dx})")
    return "\n".join(lines)


def stepper_text(w, x, step):
    """The readout of the backward stepper of notebook 01 for one position of its sliders.

    Parameters
    ----------
    w    : array_like (3,)   w0, w1 and the bias w2
    x    : array_like (2,)   x0, x1
    step : int               0 (forward pass only) to NEURON_STEPS (8)

    Returns
    -------
    text : str   the neuron's inputs and output, then the gate of this step with its upstream
                 gradient and, for each input, upstream x local = downstream (4 decimals)
    """
    return _stepper_text(*_stepper_parts(w, x, step, "stepper_text"))


def stepper_view(w, x, step):
    """The backward stepper of notebook 01: its readout and its drawing for one slider position.

    Parameters
    ----------
    w    : array_like (3,)   w0, w1 and the bias w2
    x    : array_like (2,)   x0, x1
    step : int               0 (forward pass only) to NEURON_STEPS (8); step k highlights the
                             k-th gate of the backward pass

    Returns
    -------
    text : str            as `stepper_text(w, x, step)`
    fig  : GraphDrawing   as `draw_graph(sigmoid_neuron(w, x)["f"], step)`: a Figure that
                          displays with the step's description (the gate, the upstream gradient
                          arriving, the local rule, the gradients sent downstream)
    """
    nodes, steps, step = _stepper_parts(w, x, step, "stepper_view")
    return _stepper_text(nodes, steps, step), draw_graph(nodes["f"], step)
