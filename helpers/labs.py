"""The two labs of notebook 06 as pure functions: slider values in, numbers and a figure out.

    saturation_lab(weight_scale, depth, ...)  a deep sigmoid network: pre-activation ranges,
                                              saturated units, gradient norms, first losses
    dead_relu_lab(bias_init, lr, ...)         a ReLU network trained for a few steps: the units
                                              that never fire, their gradients, the loss
    saturation_figure(result, fig=None)       the six panels of the saturation lab
    dead_relu_figure(result, fig=None)        the three panels of the dead-ReLU lab
    saturated_fraction(A)                     share of sigmoid outputs whose slope is below 0.01
    dead_units(Z), dead_fraction(Z)           units whose pre-activation is never positive
    redraw(fig)                               update a lab figure's pixels fast (blitting)
    figure_png(fig)                           a figure as PNG bytes, for a widget's Output
    figure_image(fig, description)            the PNG with its description (alt text), to show

The two labs are pure functions: they read only their arguments, seed their own random numbers
and return new objects. The notebook's sliders call them and show what they return, so each lab
can also be run, tested and timed without a browser. The figure functions draw a result into a
new figure, or into the figure they are given (which is how a slider redraws quickly, see
"Figures" below). They use matplotlib's object API on an Agg canvas, never `pyplot`, so nothing
is left open in a global figure list.

Definitions used in the readouts
--------------------------------
saturated  a sigmoid output A = s(Z) whose local gradient s(1 - s) = A (1 - A) is below
           SATURATION_THRESHOLD = 0.01, that is |Z| > SATURATED_Z = 4.58 (a twenty-fifth of
           the largest slope, 1/4 at Z = 0). Counted over every (unit, example) pair.
dead       a ReLU unit whose pre-activation Z is <= 0 on every example of the data set: its
           output is 0 everywhere, its slope is 0 everywhere, so every gradient that reaches
           its incoming weights and bias is exactly zero. With a leaky ReLU the same units are
           called silent: they still pass a gradient, scaled by the leak 0.01.
"""

import functools
import struct
import weakref
import zlib
from dataclasses import dataclass

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.ticker import NullLocator

from . import data, layers, palette
from ._validate import (
    as_float_array,
    check_alloc,
    check_choice,
    check_description,
    check_integer,
    check_number,
    check_positive_int,
    check_seed,
    shape_str,
)
from .figures import Described
from .mlp import MLP, _check_init

try:  # a dependency of the course; the labs still run without it, on every BLAS thread
    from threadpoolctl import ThreadpoolController
except ImportError:  # pragma: no cover
    ThreadpoolController = None

__all__ = [
    "SATURATION_THRESHOLD",
    "SATURATED_Z",
    "SaturationResult",
    "DeadReluResult",
    "saturation_lab",
    "dead_relu_lab",
    "saturation_figure",
    "dead_relu_figure",
    "saturated_fraction",
    "dead_units",
    "dead_fraction",
    "redraw",
    "figure_png",
    "figure_image",
]

SATURATION_THRESHOLD = 0.01
# s(1 - s) = 1 / (4 cosh^2(z / 2)), so s(1 - s) < t exactly when |z| > 2 arccosh(1 / (2 sqrt(t))).
SATURATED_Z = float(2 * np.arccosh(1 / (2 * np.sqrt(SATURATION_THRESHOLD))))

# The ranges the functions accept (wider than the notebook's sliders, which stay inside them).
WEIGHT_SCALE_RANGE = (1e-3, 1e3)
DEPTH_RANGE = (1, 10)
BIAS_RANGE = (-10.0, 10.0)
LR_RANGE = (1e-4, 100.0)
BIG_UPDATE_RANGE = (1e-4, 1000.0)
INIT_RANGE = (1e-3, 1e3)  # a numeric init of the dead-ReLU lab: the weights' std
MAX_STEPS = 10_000  # training steps of one lab run (a slider position)

# A run whose parameters leave this range is stopped and reported as diverged.
_PARAM_LIMIT = 1e6
_N_BINS = 25
_FIG_DPI = 80
_NOT_SATURATED_COLOR = palette.TINTS[palette.GREEN]  # the band where the slope is >= 0.01
_HATCH = "////"  # the second cue of a dead or saturated bar, beside its colour
_HATCH_EDGE = {"edgecolor": "white", "linewidth": 0}  # white hatch lines, no outline
_OUTPUT_BAR = palette.GREY  # the output layer's bar, labelled on the axis


# ----------------------------------------------------------------------------------------------
# Small measurements, also the references for the notebook's exercises


def saturated_fraction(A, threshold=SATURATION_THRESHOLD):
    """Share of sigmoid outputs whose local gradient A (1 - A) is below `threshold` (notebook 06).

    Parameters
    ----------
    A         : ndarray (n_units, m)  sigmoid outputs s(Z), one example per column
    threshold : float                 in (0, 0.25]; 0.01 means |Z| > 4.58

    Returns
    -------
    float in [0, 1], counted over every (unit, example) pair
    """
    where = "saturated_fraction"
    A = as_float_array(A, "A", where)
    threshold = check_number(threshold, "threshold", where, positive=True)
    if threshold > 0.25:
        raise ValueError(
            f"{where}: threshold must be at most 0.25, the largest slope; got {threshold}"
        )
    if A.size and (A.min() < 0 or A.max() > 1):
        raise ValueError(
            f"{where}: A must hold sigmoid outputs in [0, 1]; got values in "
            f"[{A.min():.3g}, {A.max():.3g}]. Did you pass Z instead of A = s(Z)?"
        )
    return _saturated_fraction(A, threshold)


def _saturated_fraction(A, threshold=SATURATION_THRESHOLD):
    return float(np.mean(A * (1.0 - A) < threshold)) if A.size else 0.0


def dead_units(Z):
    """Which units never fire: True where row Z[j] is <= 0 on every example (notebook 06).

    Parameters
    ----------
    Z : ndarray (n_units, m)  pre-activations of one ReLU layer over the whole data set

    Returns
    -------
    ndarray (n_units,) of bool
    """
    Z = as_float_array(Z, "Z", "dead_units", ndim=2)
    return _dead_units(Z)


def _dead_units(Z):
    # ReLU(0) = 0 and its slope there is 0, so a unit that only ever reaches 0 is dead too.
    return ~(Z > 0).any(axis=1)


def dead_fraction(Z):
    """Share of the units of one ReLU layer that never fire on the examples of Z (notebook 06).

    Parameters
    ----------
    Z : ndarray (n_units, m)  pre-activations over the whole data set, one example per column

    Returns
    -------
    float in [0, 1]: (number of rows of Z with no positive entry) / n_units
    """
    Z = as_float_array(Z, "Z", "dead_fraction", ndim=2)
    if Z.shape[0] == 0:
        raise ValueError(
            f"dead_fraction: Z must have at least one unit (row); got {shape_str(Z.shape)}"
        )
    return float(np.mean(_dead_units(Z)))


# ----------------------------------------------------------------------------------------------
# Argument checks and the BLAS threads


def one_blas_thread(lab):
    """Run `lab` with numpy's BLAS on one thread. The labs multiply small matrices, which one
    thread does faster than several; on a busy machine (a shared hub, a laptop running other
    things) threads that wait for a core make a width-128 update 5 to 10 times slower."""

    @functools.wraps(lab)
    def run(*args, **kwargs):
        controller = _blas_controller()
        if controller is None:  # pragma: no cover
            return lab(*args, **kwargs)
        with controller.limit(limits=1, user_api="blas"):
            return lab(*args, **kwargs)

    return run


@functools.cache
def _blas_controller():
    """One ThreadpoolController for the process: finding the BLAS libraries reads the process's
    memory map, a few milliseconds that a slider move should not pay each time."""
    return None if ThreadpoolController is None else ThreadpoolController()


def _check_range(value, name, where, low, high):
    return check_number(value, name, where, low=low, high=high)


def _check_int_range(value, name, where, low, high):
    return check_integer(value, name, where, low=low, high=high)


def _check_sizes(width, n_per_class, n_classes, where):
    """The network's width and the data set's size, refused before they fill the memory."""
    width = check_positive_int(width, "width", where)
    n_per_class = check_positive_int(n_per_class, "n_per_class", where)
    check_alloc(
        (width, width), f"a hidden weight matrix (width, width) = ({width}, {width})", where
    )
    what = f"width = {width} units x {n_classes} n_per_class = {n_per_class * n_classes} examples"
    check_alloc((width, n_per_class, n_classes), what, where)
    return width, n_per_class


def _check_fig(fig, where):
    if fig is not None and not isinstance(fig, Figure):
        raise TypeError(
            f"{where}: fig must be a matplotlib Figure or None; got {type(fig).__name__}"
        )


def _fmt_norm(x):
    """A gradient norm for the readouts: two digits, and a fixed text for the extremes."""
    if x == 0:
        return "0"
    if x < 1e-99:
        return "<1e-99"
    return f"{x:.1e}"


# ----------------------------------------------------------------------------------------------
# The saturation lab


@dataclass(frozen=True, eq=False)
class SaturationResult:
    """What `saturation_lab` measured. L = depth + 1 weight layers; the last one is the output.

    Attributes
    ----------
    weight_scale   : float              the slider value
    depth          : int                the number of sigmoid hidden layers
    init           : str or None        None: weight_scale is the std; "xavier"/"he": a multiplier
                                        of the rule in the sigmoid layers
    layer_sizes    : tuple of int       (2, width, ..., width, 2)
    weight_stds    : ndarray (L,)       the standard deviation each weight matrix was drawn with
    z_min, z_max   : ndarray (depth,)   smallest and largest pre-activation of each hidden layer
    frac_saturated : ndarray (depth,)   share of (unit, example) pairs with s(1 - s) < 0.01
    act_bins       : ndarray (26,)      bin edges on [0, 1] for the activations A
    act_hist       : ndarray (depth, 25) counts of A per bin, one row per hidden layer
    slope_bins     : ndarray (26,)      bin edges on [0, 0.25] for the local gradient s(1 - s)
    slope_hist     : ndarray (depth, 25) counts of A (1 - A) per bin
    grad_norms     : ndarray (L,)       Frobenius norm of dW[l] on the batch, l = 1..L
    losses         : ndarray (steps+1,) the loss before training and after each step
    lr             : float              the step size of those steps
    m              : int                examples in the batch (the training set)
    grad_history   : ndarray (steps+1, L) |dW[l]| before each step and at the end: how fast
                                        each layer learns (`labs_flow.learning_speed_figure`)
    held_out_loss  : float              the loss at the end on points the steps never saw
    held_out_accuracy : float           the share of those points classified right at the end
    m_held_out     : int                how many held-out points
    """

    weight_scale: float
    depth: int
    init: object
    layer_sizes: tuple
    weight_stds: np.ndarray
    z_min: np.ndarray
    z_max: np.ndarray
    frac_saturated: np.ndarray
    act_bins: np.ndarray
    act_hist: np.ndarray
    slope_bins: np.ndarray
    slope_hist: np.ndarray
    grad_norms: np.ndarray
    losses: np.ndarray
    lr: float
    m: int
    grad_history: np.ndarray
    held_out_loss: float
    held_out_accuracy: float
    m_held_out: int

    @property
    def width(self):
        """Units per hidden layer."""
        return self.layer_sizes[1]

    @property
    def saturated_overall(self):
        """Share of saturated (unit, example) pairs over all hidden layers (equal widths)."""
        return float(self.frac_saturated.mean())

    @property
    def init_label(self):
        """How the weights were drawn, in words."""
        if self.init is None:
            return f"std {self.weight_scale:.3g} in every layer"
        rule = {"xavier": "Xavier sqrt(2/(n_in+n_out))", "he": "He sqrt(2/n_in)"}[self.init]
        if self.weight_scale == 1.0:
            return f"std 1 x {rule}"
        return f"std {self.weight_scale:.3g} x {rule} in the sigmoid layers, 1 x in the output"

    @property
    def short_label(self):
        """The weight rule in a few words, for titles: "std 0.01", "4 x Xavier (sigmoid layers)"."""
        if self.init is None:
            return f"std {self.weight_scale:.3g}"
        rule = {"xavier": "Xavier", "he": "He"}[self.init]
        where = "" if self.weight_scale == 1.0 else " (sigmoid layers)"
        return f"{self.weight_scale:.3g} x {rule}{where}"

    def readout(self):
        """The lab's numbers as text: one line per layer, then the totals and the loss."""
        sizes = "-".join(str(n) for n in self.layer_sizes)
        lines = [
            f"sigmoid network {sizes}, weights drawn with {self.init_label}, batch of {self.m}",
            "layer   Z min     Z max   saturated   |dW|",
        ]
        for l in range(self.depth):
            lines.append(
                f"{l + 1:>4} {self.z_min[l]:>8.1f}  {self.z_max[l]:>8.1f}  "
                f"{100 * self.frac_saturated[l]:>7.1f}%   {_fmt_norm(self.grad_norms[l])}"
            )
        lines.append(
            f"{self.depth + 1:>4}  (output layer)              {_fmt_norm(self.grad_norms[-1])}"
        )
        lines.append(
            f"saturated (s(1-s) < {SATURATION_THRESHOLD}, |Z| > {SATURATED_Z:.2f}): "
            f"{100 * self.saturated_overall:.1f}% of all hidden units x examples"
        )
        lines.append(
            f"gradient norm, first layer / output layer: "
            f"{_fmt_norm(self.grad_norms[0] / self.grad_norms[-1])}"
        )
        n_steps = len(self.losses) - 1
        lines.append(
            f"loss: {self.losses[0]:.4f} at the start, {self.losses[-1]:.4f} after "
            f"{n_steps} steps of lr {self.lr:g}"
        )
        lines.append(
            f"held-out points ({self.m_held_out}, never trained on): loss "
            f"{self.held_out_loss:.4f}, {100 * self.held_out_accuracy:.1f}% classified right"
        )
        return "\n".join(lines)

    def description(self):
        """What `saturation_figure` shows, in two sentences with the readout's numbers: a text
        alternative for the figure (the same numbers, so a changed result changes it)."""
        sizes = "-".join(str(n) for n in self.layer_sizes)
        reach = float(np.abs([self.z_min, self.z_max]).max())
        by_layer = ", ".join(f"{100 * f:.0f}%" for f in self.frac_saturated)
        return (
            f"Six panels (the range of Z per layer, histograms of A and of s(1-s), the share "
            f"saturated per layer, |dW| per layer, the loss) for a sigmoid network {sizes} with "
            f"weights {self.init_label}: |Z| reaches {reach:.1f} and "
            f"{100 * self.saturated_overall:.1f}% of the units are saturated ({by_layer} by "
            f"layer); the first layer's weight gradient is "
            f"{_fmt_norm(self.grad_norms[0] / self.grad_norms[-1])} times the output layer's. "
            f"The training loss goes from {self.losses[0]:.4f} to {self.losses[-1]:.4f} in "
            f"{len(self.losses) - 1} steps; on the held-out points it ends at "
            f"{self.held_out_loss:.4f}, {100 * self.held_out_accuracy:.1f}% classified right."
        )

    def __repr__(self):
        return self.readout()


# The saturation lab's task: two blobs that overlap a little (a few points lie nearer the other
# blob's centre), so that a network can fit the training points and still be wrong on new ones.
SATURATION_SPREAD = 1.0
HELD_OUT_PER_CLASS = 128
_LAB_DTYPE = np.float32


@one_blas_thread
def saturation_lab(
    weight_scale=0.01,
    depth=3,
    *,
    init=None,
    seed=0,
    width=128,
    n_per_class=16,
    steps=40,
    lr=0.1,
):
    """A deep sigmoid network: its pre-activations, saturation and gradients at initialisation,
    then a few steps of training, judged on held-out points too (notebook 06).

    The network is 2 -> width x depth (sigmoid) -> 2 (softmax), on two Gaussian blobs of
    standard deviation 1 around (2, 0) and (-2, 0) (`helpers.data.blobs`): n_per_class points
    of each blob to train on, and 128 more of each, never trained on, to judge the result. The
    weights are drawn with standard deviation `weight_scale` in every layer, or with a rule
    (`init`) scaled by `weight_scale` in the sigmoid layers; the biases start at 0. One forward
    and backward pass on the training points gives the pre-activations, the saturation and the
    gradient norms; then `steps` steps of full-batch gradient descent give the loss curve and
    the learning speed of each layer, and the held-out points give the loss at the end.

    Parameters
    ----------
    weight_scale : float in [1e-3, 1e3]   the slider: std of every weight matrix when init is None;
                                          a multiplier of the rule in the sigmoid layers when init
                                          is "xavier" or "he" (the output layer keeps the rule)
    depth        : int in [1, 10]         number of sigmoid hidden layers
    init         : None, "xavier" or "he" None: plain std; "xavier": sqrt(2/(n_in+n_out));
                                          "he": sqrt(2/n_in) (the cures, one click each)
    seed         : int >= 0               seeds the data and the weights
    width        : int                    units per hidden layer
    n_per_class  : int                    training points per blob; the batch has m = 2 n_per_class
    steps        : int                    gradient-descent steps
    lr           : float                  their step size

    Returns
    -------
    SaturationResult  numbers per layer; `.readout()` prints them, `saturation_figure` draws them
    """
    where = "saturation_lab"
    weight_scale = _check_range(weight_scale, "weight_scale", where, *WEIGHT_SCALE_RANGE)
    depth = _check_int_range(depth, "depth", where, *DEPTH_RANGE)
    init = check_choice(init, "init", where, (None, "xavier", "he"))
    seed = check_seed(seed, where)
    width, n_per_class = _check_sizes(width, n_per_class, 2, where)
    steps = check_positive_int(steps, "steps", where, high=MAX_STEPS)
    lr = _check_range(lr, "lr", where, *LR_RANGE)

    n_all = n_per_class + HELD_OUT_PER_CLASS
    X_all, y_all = data.blobs(n_all, 2, spread=SATURATION_SPREAD, seed=seed)
    train = (np.arange(y_all.size) % n_all) < n_per_class  # the first points of each blob
    X, y, X_held, y_held = X_all[:, train], y_all[train], X_all[:, ~train], y_all[~train]
    X, X_held = X.astype(_LAB_DTYPE), X_held.astype(_LAB_DTYPE)
    Y = data.one_hot(y, 2).astype(_LAB_DTYPE)
    sizes = [2] + [width] * depth + [2]
    # MLP draws standard normals times the std in the same order whatever the rule, so every
    # setting of the slider sees the same random directions, only scaled.
    model = MLP(
        sizes,
        activation="sigmoid",
        output="softmax",
        init=init or weight_scale,
        seed=seed,
        dtype=_LAB_DTYPE,
    )
    Ws = [model.params[f"W{l}"] for l in range(1, model.L + 1)]
    bs = [model.params[f"b{l}"] for l in range(1, model.L + 1)]
    stds = []
    for l in range(1, model.L + 1):
        n_in, n_out = sizes[l - 1], sizes[l]
        rule = {None: 1.0, "xavier": np.sqrt(2 / (n_in + n_out)), "he": np.sqrt(2 / n_in)}[init]
        scale = weight_scale if init is None or l < model.L else 1.0
        if init is not None and scale != 1.0:
            Ws[l - 1] *= scale
        stds.append(scale * rule)

    act_bins = np.linspace(0.0, 1.0, _N_BINS + 1)
    slope_bins = np.linspace(0.0, 0.25, _N_BINS + 1)
    z_min, z_max, frac = np.empty(depth), np.empty(depth), np.empty(depth)
    act_hist = np.empty((depth, _N_BINS), dtype=np.int64)
    slope_hist = np.empty((depth, _N_BINS), dtype=np.int64)
    losses, history = [], []
    bounds = [float(np.abs(p).max()) for p in Ws + bs]  # bounds on max |parameter|, per array
    with np.errstate(over="ignore", under="ignore"):
        for t in range(steps + 1):
            As = _sigmoid_forward(Ws, bs, X, *((z_min, z_max) if t == 0 else ()))
            if t == 0:
                for l, A in enumerate(As[1:]):
                    slope = A * (1.0 - A)
                    frac[l] = float(np.mean(slope < SATURATION_THRESHOLD))
                    act_hist[l] = _histogram(A, _N_BINS, 1.0)
                    slope_hist[l] = _histogram(slope, _N_BINS, 0.25)
            loss, dZ = layers._softmax_cross_entropy(Ws[-1] @ As[-1] + bs[-1], Y)
            losses.append(loss)
            dZ *= lr  # backprop is linear in dZ: this gives the steps lr dW[l], lr db[l] directly
            step_Ws, step_bs = _sigmoid_backward(Ws, As, dZ)
            step_norms = [float(np.sqrt(np.vdot(step, step))) for step in step_Ws]
            history.append([norm / lr for norm in step_norms])
            if t == steps or not _step_in_range(Ws, bs, step_Ws, step_bs, step_norms, bounds):
                break  # a step that would leave the range is not taken: the last state is kept
        held_out = _sigmoid_forward(Ws, bs, X_held)[-1]
        scores = Ws[-1] @ held_out + bs[-1]
        Y_held = data.one_hot(y_held, 2).astype(_LAB_DTYPE)
        held_out_loss, _ = layers._softmax_cross_entropy(scores, Y_held)
    history = np.array(history)
    return SaturationResult(
        weight_scale=weight_scale,
        depth=depth,
        init=init,
        layer_sizes=tuple(sizes),
        weight_stds=np.array(stds),
        z_min=z_min,
        z_max=z_max,
        frac_saturated=frac,
        act_bins=act_bins,
        act_hist=act_hist,
        slope_bins=slope_bins,
        slope_hist=slope_hist,
        grad_norms=history[0],
        losses=np.array(losses),
        lr=lr,
        m=X.shape[1],
        grad_history=history,
        held_out_loss=float(held_out_loss),
        held_out_accuracy=float(np.mean(scores.argmax(axis=0) == y_held)),
        m_held_out=int(y_held.size),
    )


def _sigmoid_backward(Ws, As, dZ):
    """dW[l] and db[l] of a sigmoid stack with a linear output, from dZ of the output layer.
    The same arithmetic as `MLP.backward` (checked against it in the tests), on plain lists."""
    L = len(Ws)
    dWs, dbs = [None] * L, [None] * L
    for l in range(L - 1, -1, -1):
        dWs[l], dbs[l] = dZ @ As[l].T, dZ.sum(axis=1, keepdims=True)
        if l:
            A = As[l]
            slope = 1.0 - A
            slope *= A
            dZ = Ws[l].T @ dZ
            dZ *= slope
    return dWs, dbs


def _sigmoid_forward(Ws, bs, X, z_min=None, z_max=None):
    """[X, A1, ..., A_depth] of a sigmoid stack (the last weight layer is left out), computed
    in place on new arrays: 1 / (1 + e^-Z), where e^-Z may overflow to inf and A is then
    exactly 0. With z_min and z_max (arrays of depth entries), the range of each Z is kept."""
    As = [X]
    for l, (W, b) in enumerate(zip(Ws[:-1], bs[:-1])):
        Z = W @ As[-1]
        Z += b
        if z_min is not None:
            z_min[l], z_max[l] = Z.min(), Z.max()
        np.negative(Z, out=Z)
        np.exp(Z, out=Z)
        Z += 1.0
        As.append(np.reciprocal(Z, out=Z))
    return As


def _step_in_range(Ws, bs, step_Ws, step_bs, step_norms, bounds):
    """Take one gradient step (W -= step, b -= step, in place) unless it would send a parameter
    past _PARAM_LIMIT. |W - step| <= |W| + |step|_F entry by entry, so the exact check (a pass
    over every array) is only needed when that bound reaches the limit. `step_norms` are the
    Frobenius norms of step_Ws; `bounds` (bounds on max |p| of each W, then each b) is updated."""
    params, steps = Ws + bs, step_Ws + step_bs
    norms = step_norms + [float(np.sqrt(np.vdot(step, step))) for step in step_bs]
    grown = [bound + norm for bound, norm in zip(bounds, norms)]
    if max(grown) >= _PARAM_LIMIT:
        new = [p - step for p, step in zip(params, steps)]
        if not all(np.abs(p).max() < _PARAM_LIMIT for p in new):
            return False
        grown = [float(np.abs(p).max()) for p in new]
    for p, step in zip(params, steps):
        p -= step
    bounds[:] = grown
    return True


def _histogram(values, n_bins, top):
    """Counts of `values` in n_bins equal bins on [0, top] (the top edge in the last bin)."""
    index = np.minimum((values * (n_bins / top)).astype(np.int64), n_bins - 1)
    return np.bincount(index.ravel(), minlength=n_bins)


def _loss_and_grads(model, caches, Y):
    """Softmax cross-entropy and the gradients, reusing the caches of `model.forward`."""
    A_prev, W, b = caches[-1][0]
    Z_L = W @ A_prev + b
    loss, dZ = layers.softmax_cross_entropy(Z_L, Y)
    return loss, model.backward(dZ, caches)


def _params_ok(model):
    return all(np.abs(p).max() < _PARAM_LIMIT for p in model.params.values())


# ----------------------------------------------------------------------------------------------
# The dead-ReLU lab


@dataclass(frozen=True, eq=False)
class DeadReluResult:
    """What `dead_relu_lab` measured over the run. H = number of hidden layers (2).

    Attributes
    ----------
    bias_init, lr      : float              the slider values
    big_update         : float or None      the step size of the one large step, if any
    big_update_step    : int or None        how many ordinary steps came before it
    activation         : str                "relu" or "leaky_relu"
    init               : str or float       how the weights were drawn
    layer_sizes        : tuple of int       (2, width, width, 3)
    dead_history       : ndarray (T+1, H)   share of each hidden layer's units with Z <= 0 on
                                            every example, before each step and at the end
    dead_start         : list of H ndarray (width,) bool   dead units before training
    dead_end           : list of H ndarray (width,) bool   dead units at the end
    revived            : ndarray (H,) int   units that were dead at one step and fired at the next
    row_grad_norms     : list of H ndarray (width,)  norm of each unit's gradient row
                                            [dW[l][j, :], db[l][j]] at the end
    losses             : ndarray (T+1,)     the loss before each step and at the end
    steps              : int                steps asked for (T = steps unless it diverged)
    diverged_at        : int or None        steps done when the next update would have sent a
                                            parameter past 1e6 (that update is not applied)
    m                  : int                examples in the data set (every step uses all of them)
    """

    bias_init: float
    lr: float
    big_update: object
    big_update_step: object
    activation: str
    init: object
    layer_sizes: tuple
    dead_history: np.ndarray
    dead_start: list
    dead_end: list
    revived: np.ndarray
    row_grad_norms: list
    losses: np.ndarray
    steps: int
    diverged_at: object
    m: int

    @property
    def n_hidden_units(self):
        return sum(mask.size for mask in self.dead_end)

    @property
    def frac_dead(self):
        """Share of all hidden units that never fire at the end of the run."""
        return float(sum(mask.sum() for mask in self.dead_end) / self.n_hidden_units)

    @property
    def frac_dead_start(self):
        """Share of all hidden units that never fire at initialisation."""
        return float(sum(mask.sum() for mask in self.dead_start) / self.n_hidden_units)

    @property
    def zero_grad_units(self):
        """Number of hidden units whose whole gradient row (weights and bias) is exactly 0."""
        return int(sum((norms == 0).sum() for norms in self.row_grad_norms))

    @property
    def dead_grad_max(self):
        """Largest gradient-row norm among the units that are dead at the end (0.0 if none)."""
        norms = [n[d] for n, d in zip(self.row_grad_norms, self.dead_end) if d.any()]
        return float(max(v.max() for v in norms)) if norms else 0.0

    @property
    def live_grad_median(self):
        """Median gradient-row norm among the units that fire at the end (nan if none)."""
        norms = np.concatenate([n[~d] for n, d in zip(self.row_grad_norms, self.dead_end)])
        return float(np.median(norms)) if norms.size else float("nan")

    def readout(self):
        """The lab's numbers as text: dead units per layer, their gradients, the loss."""
        leaky = self.activation == "leaky_relu"
        word = "silent" if leaky else "dead"
        sizes = "-".join(str(n) for n in self.layer_sizes)
        init = self.init if isinstance(self.init, str) else f"std {self.init:g}"
        n_steps = len(self.losses) - 1
        big = (
            f", one step of lr {self.big_update:g} after {self.big_update_step} steps"
            if self.big_update is not None
            else ""
        )
        lines = [
            f"{self.activation} network {sizes}, {init} init, biases start at "
            f"{self.bias_init:.2f}, lr {self.lr:g}{big}, {self.m} examples",
            f"{word} units (Z <= 0 on every example), at the start -> after {n_steps} steps:",
        ]
        for l, (start, end) in enumerate(zip(self.dead_start, self.dead_end)):
            lines.append(
                f"  layer {l + 1}: {start.sum():>3}/{start.size} -> {end.sum():>3}/{end.size}"
                f"   ({self.revived[l]} came back to life on the way)"
            )
        lines.append(
            f"{word}: {100 * self.frac_dead:.1f}% of the hidden units "
            f"({100 * self.frac_dead_start:.1f}% at the start)"
        )
        n_dead = int(sum(mask.sum() for mask in self.dead_end))
        if n_dead:
            lines.append(
                f"largest weight-gradient row of a {word} unit: {_fmt_norm(self.dead_grad_max)}"
                + ("" if leaky else " (exactly zero)")
            )
        if n_dead < self.n_hidden_units:
            lines.append(
                f"median weight-gradient row of a firing unit: {_fmt_norm(self.live_grad_median)}"
            )
        lines.append(
            f"units whose gradient row is exactly zero: {self.zero_grad_units} of "
            f"{self.n_hidden_units}"
        )
        end = (
            f"loss: {self.losses[0]:.4f} at the start, {self.losses[-1]:.4f} after {n_steps} steps"
        )
        if self.diverged_at is not None:
            end += f" (stopped: the next update sent the parameters past {_PARAM_LIMIT:g})"
        lines.append(end)
        return "\n".join(lines)

    def description(self):
        """What `dead_relu_figure` shows, in two sentences with the readout's numbers: a text
        alternative for the figure (the same numbers, so a changed result changes it)."""
        word = "silent" if self.activation == "leaky_relu" else "dead"
        sizes = "-".join(str(n) for n in self.layer_sizes)
        big = (
            f", one step of lr {self.big_update:g} after {self.big_update_step} steps (a dashed "
            f"vertical line)"
            if self.big_update is not None
            else ""
        )
        shares = " and ".join(
            f"{100 * d.mean():.0f}% in layer {l + 1}" for l, d in enumerate(self.dead_end)
        )
        n_dead = int(sum(mask.sum() for mask in self.dead_end))
        return (
            f"Three panels for a {self.activation} network {sizes}, biases starting at "
            f"{self.bias_init:.2f}, lr {self.lr:g}{big}: the share of {word} units per hidden "
            f"layer at every step (layer 1 solid, layer 2 dashed), ending at {shares}; the "
            f"gradient-row norm of each hidden unit at the end, the {n_dead} {word} units "
            f"hatched, the {self.zero_grad_units} rows that are exactly zero marked with crosses "
            f"at the bottom; the loss. "
            f"The loss goes from {self.losses[0]:.4f} to {self.losses[-1]:.4f} in "
            f"{len(self.losses) - 1} steps."
        )

    def __repr__(self):
        return self.readout()


@one_blas_thread
def dead_relu_lab(
    bias_init=0.0,
    lr=0.5,
    *,
    seed=0,
    big_update=None,
    big_update_step=None,
    activation="relu",
    init="he",
    width=32,
    n_per_class=60,
    steps=40,
):
    """A ReLU network trained for a few steps, watching for units that never fire (notebook 06).

    The network is 2 -> width -> width -> 3 (softmax) on three spiral arms
    (`helpers.data.spirals`), trained by full-batch gradient descent, so "never fires on the
    data" and "gets exactly zero gradient" refer to the same examples.

    Parameters
    ----------
    bias_init       : float in [-10, 10]     the slider: the value every bias starts at
    lr              : float in [1e-4, 100]   the slider: the step size
    seed            : int >= 0               seeds the data and the weights
    big_update      : None or float in [1e-4, 1000]
                                             the step size of one single large step
    big_update_step : None or int            ordinary steps before it (default: steps // 4)
    activation      : "relu" or "leaky_relu" leaky ReLU (slope 0.01 for Z < 0) is one cure
    init            : "he", "xavier" or float the weight rule (He is the usual one for ReLU)
    width           : int                    units per hidden layer
    n_per_class     : int                    points per arm; m = 3 n_per_class
    steps           : int                    gradient-descent steps

    Returns
    -------
    DeadReluResult  the dead units over the run, their gradients, the losses;
                    `.readout()` prints them, `dead_relu_figure` draws them
    """
    where = "dead_relu_lab"
    bias_init = _check_range(bias_init, "bias_init", where, *BIAS_RANGE)
    lr = _check_range(lr, "lr", where, *LR_RANGE)
    seed = check_seed(seed, where)
    steps = check_positive_int(steps, "steps", where, high=MAX_STEPS)
    if big_update is not None:
        big_update = _check_range(big_update, "big_update", where, *BIG_UPDATE_RANGE)
        if big_update_step is None:
            big_update_step = steps // 4
        big_update_step = check_integer(big_update_step, "big_update_step", where)
        if not 0 <= big_update_step < steps:
            raise ValueError(
                f"{where}: big_update_step must lie in [0, {steps - 1}] (steps = {steps}); "
                f"got {big_update_step}"
            )
    elif big_update_step is not None:
        raise ValueError(f"{where}: big_update_step needs a big_update (a step size); got None")
    check_choice(activation, "activation", where, ("relu", "leaky_relu"))
    init = _check_init(init, where)
    if not isinstance(init, str):
        init = _check_range(init, "init", where, *INIT_RANGE)
    width, n_per_class = _check_sizes(width, n_per_class, 3, where)

    X, y = data.spirals(n_per_class, 3, noise=0.2, seed=seed)
    Y = data.one_hot(y, 3)
    sizes = [2, width, width, 3]
    model = MLP(
        sizes, activation=activation, output="softmax", init=init, seed=seed, bias=bias_init
    )
    n_hidden = model.L - 1

    history, losses = [], []
    previous = None
    came_back = [np.zeros(width, dtype=bool) for _ in range(n_hidden)]
    diverged_at = None
    with np.errstate(over="ignore", under="ignore"):
        for t in range(steps + 1):
            _, caches = model.forward(X)
            dead = [_dead_units(_relu_input(caches[l][1])) for l in range(n_hidden)]
            if previous is None:
                dead_start = dead
            else:  # a unit that was dead at the last step and fires now
                for back, before, now in zip(came_back, previous, dead):
                    back |= before & ~now
            previous = dead
            history.append([d.mean() for d in dead])
            loss, grads = _loss_and_grads(model, caches, Y)
            losses.append(loss)
            if t == steps:
                break
            step = big_update if t == big_update_step else lr
            saved = {name: value.copy() for name, value in model.params.items()}
            model.sgd_step(grads, step)
            if not _params_ok(model):
                model.params.update(saved)  # keep the last state that was still finite
                diverged_at = t
                break

    row_norms = [
        np.sqrt((grads[f"dW{l}"] ** 2).sum(axis=1) + grads[f"db{l}"][:, 0] ** 2)
        for l in range(1, n_hidden + 1)
    ]
    return DeadReluResult(
        bias_init=bias_init,
        lr=lr,
        big_update=big_update,
        big_update_step=big_update_step,
        activation=activation,
        init=init,
        layer_sizes=tuple(sizes),
        dead_history=np.array(history),
        dead_start=dead_start,
        dead_end=dead,
        revived=np.array([int(back.sum()) for back in came_back]),
        row_grad_norms=row_norms,
        losses=np.array(losses),
        steps=steps,
        diverged_at=diverged_at,
        m=X.shape[1],
    )


def _relu_input(activation_cache):
    """Z from the activation cache of a hidden layer: Z for relu, (Z, alpha) for leaky_relu."""
    return activation_cache[0] if isinstance(activation_cache, tuple) else activation_cache


# ----------------------------------------------------------------------------------------------
# Figures
#
# A slider moves many times a second, and a full draw of six panels of ticks and labels takes
# longer than a slider may (text is most of it). So the figures are built once and updated in
# place: pass the figure a previous call returned as `fig=` and only the data of its artists
# changes. Axis limits and ticks are fixed (they cover every slider position), so everything
# but the data can be drawn once and kept as a background image; `redraw` pastes it back and
# draws only the artists that changed (blitting). `fig.canvas.draw()` and `savefig` still draw
# everything, so a figure shown without a kernel is complete. The text readouts carry the
# exact numbers where a value falls outside an axis.

_ARTISTS = weakref.WeakKeyDictionary()  # figure -> the artists an update changes
_Z_LIMIT = 3000.0
_GRAD_FLOOR = 1e-16  # |dW| below this is marked at the bottom (the readout has the value)
_ROW_FLOOR = 1e-8  # gradient rows below this (exact zeros) are marked at the bottom
_LOSS_LIMITS = (1e-3, 1e3)


def _new_figure(fig, size):
    """A figure on an Agg canvas: `fig` cleared for reuse, or a new one of `size` inches."""
    if fig is None:
        fig = Figure(figsize=size, dpi=_FIG_DPI)
    else:
        fig.clear()
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    return fig


def _style(ax, title, xlabel=None, ylabel=None):
    ax.set_title(title, fontsize=9, y=1.0, pad=4)  # a fixed y skips the title-position pass
    if xlabel:
        ax.set_xlabel(xlabel, fontsize=8, labelpad=2)
    if ylabel:
        ax.set_ylabel(ylabel, fontsize=8, labelpad=2)
    ax.tick_params(labelsize=7, pad=2)


def _ticks(axis, values, labels):
    axis.set_ticks(values, labels=labels)
    axis.set_minor_locator(NullLocator())


class _Bars:
    """Bars of one colour drawn as one patch, a compound path of rectangles: a redraw paints
    (and hatches) all of them in one call instead of one call per bar. `set` gives the bars'
    positions and heights; a bar of height 0 is left out, and no bar at all hides the patch."""

    def __init__(self, ax, color, bottom=0.0, width=0.8, hatch=None):
        style = dict(_HATCH_EDGE, hatch=hatch) if hatch else {"edgecolor": "none", "linewidth": 0}
        self.patch = PathPatch(Path(np.ones((1, 2))), facecolor=color, visible=False, **style)
        ax.add_artist(self.patch)  # clipped to the axes; the data limits are set by hand
        self.bottom, self.half_width = bottom, width / 2
        self.xs, self.heights = np.zeros(0), np.zeros(0)

    def set(self, xs, heights):
        xs, heights = np.asarray(xs, dtype=float), np.asarray(heights, dtype=float)
        shown = heights > 0
        self.xs, self.heights = xs[shown], heights[shown]
        n = self.xs.size
        self.patch.set_visible(n > 0)
        if n == 0:
            return
        left, right = self.xs - self.half_width, self.xs + self.half_width
        low, high = np.full(n, float(self.bottom)), self.bottom + self.heights
        corners = [(left, low), (right, low), (right, high), (left, high), (left, low)]
        vertices = np.stack([np.stack(corner, axis=1) for corner in corners], axis=1)
        codes = [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY]
        self.patch.set_path(Path(vertices.reshape(-1, 2), np.tile(codes, n)))


def _artists_for(fig, kind, key, build, size, where):
    """The artists of `fig` if it was built for this kind of lab and key, else a new build."""
    _check_fig(fig, where)
    if fig is not None:
        known = _ARTISTS.get(fig)
        if known is not None and known["kind"] == kind and known["key"] == key:
            return fig, known
    fig = _new_figure(fig, size)
    artists = build(fig, key)  # every artist it returns changes with the data
    titles = [a for a in _flatten(list(artists.values())) if isinstance(a, Text)]
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    artists["dynamic"] = titles + _plot_layers(fig, exclude=titles + legends)
    artists["legends"] = legends  # opaque boxes: their pixels are pasted back on top
    artists["kind"], artists["key"], artists["background"] = kind, key, None
    _ARTISTS[fig] = artists
    return fig, artists


def _plot_layers(fig, exclude):
    """What `Axes.draw` paints inside each axes, in its order: everything but the axes
    background, the tick marks and labels, and the titles, sorted by zorder. Redrawing all of
    it (not only the data) keeps legends and spines on top, exactly as in a full draw."""
    layers_ = []
    for ax in fig.axes:
        static = {id(ax.patch), id(ax.xaxis), id(ax.yaxis), id(ax.title)}
        static |= {id(getattr(ax, name, None)) for name in ("_left_title", "_right_title")}
        static |= {id(a) for a in exclude}
        children = [a for a in ax.get_children() if id(a) not in static]
        layers_.extend(sorted(children, key=lambda a: a.get_zorder()))
    return layers_


def _flatten(items):
    out = []
    for item in items:
        if isinstance(item, (list, tuple)):
            out.extend(_flatten(item))
        else:
            out.append(item)
    return out


def redraw(fig):
    """Bring the figure's Agg buffer up to date after an update, cheaply (notebook 06).

    For a figure made by `saturation_figure` or `dead_relu_figure`, the first call draws
    everything but the data once and keeps that image (and the legends' pixels); later calls
    paste it back, draw what lies inside the axes (data, spines) and the titles, and paste the
    legends on top (blitting). Any other figure gets `fig.canvas.draw()`.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    the same figure, its canvas buffer (`fig.canvas.buffer_rgba()`) up to date
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"redraw: fig must be a matplotlib Figure; got {type(fig).__name__}")
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    canvas = fig.canvas
    art = _ARTISTS.get(fig)
    if art is None:
        canvas.draw()
        return fig
    size = (canvas.get_width_height(), fig.dpi)
    if art["background"] is None or art["background"][0] != size:
        shown = [artist.get_visible() for artist in art["dynamic"]]
        for artist in art["dynamic"]:
            artist.set_visible(False)
        canvas.draw()
        legends = [canvas.copy_from_bbox(legend.get_window_extent()) for legend in art["legends"]]
        art["background"] = (size, canvas.copy_from_bbox(fig.bbox), legends)
        for artist, visible in zip(art["dynamic"], shown):
            artist.set_visible(visible)
    else:
        canvas.restore_region(art["background"][1])
    for artist in art["dynamic"]:
        fig.draw_artist(artist)  # skips invisible artists
    for legend in art["background"][2]:  # on top of the data, as in a full draw
        canvas.restore_region(legend)
    return fig


def _build_saturation(fig, key):
    n_steps = key
    axes = fig.subplots(2, 3)
    fig.subplots_adjust(left=0.07, right=0.985, top=0.86, bottom=0.1, wspace=0.3, hspace=0.55)
    art = {"title": fig.suptitle("", fontsize=10)}
    slots = np.arange(1, DEPTH_RANGE[1] + 2)  # hidden layers 1..10 and one more for the output

    ax = axes[0, 0]
    ax.axhspan(-SATURATED_Z, SATURATED_Z, color=_NOT_SATURATED_COLOR, lw=0, label="|Z| < 4.58")
    art["z_range"] = LineCollection([], colors=palette.BLUE, linewidths=5)
    ax.add_collection(art["z_range"])
    ax.set_yscale("symlog", linthresh=5, linscale=0.6)
    ax.set_ylim(-_Z_LIMIT, _Z_LIMIT)
    _ticks(
        ax.yaxis,
        [-1000, -100, -10, 0, 10, 100, 1000],
        ["-1000", "-100", "-10", "0", "10", "100", "1000"],
    )
    ax.set_xlim(0.4, DEPTH_RANGE[1] + 0.6)
    _ticks(ax.xaxis, slots[:-1], [str(i) for i in slots[:-1]])
    ax.legend(fontsize=7, framealpha=1, loc="lower right", handlelength=1)
    _style(ax, "range of Z per layer", "hidden layer")

    for name, panel, top, title, color in (
        ("act", axes[0, 1], 1.0, "activations A (all layers)", palette.BLUE),
        ("slope", axes[0, 2], 0.25, "local gradient s(1-s) (all layers)", palette.GREEN),
    ):
        edges = np.linspace(0.0, top, _N_BINS + 1)
        art[name] = panel.stairs(np.zeros(_N_BINS), edges, fill=True, color=color)
        panel.set_xlim(0, top)
        panel.set_ylim(0, 1)
        _ticks(panel.xaxis, [0, top / 2, top], ["0", f"{top / 2:g}", f"{top:g}"])
        panel.xaxis.get_major_ticks()[-1].label1.set_horizontalalignment("right")
        _ticks(panel.yaxis, [0, 0.5, 1], ["0", "0.5", "1"])
        _style(panel, title, None, "share")
    axes[0, 2].axvline(SATURATION_THRESHOLD, color="k", lw=0.8, ls="--")

    ax = axes[1, 0]
    art["saturated"] = _Bars(ax, palette.VERMILLION, hatch=_HATCH)
    ax.set_xlim(0.4, DEPTH_RANGE[1] + 0.6)
    ax.set_ylim(0, 1)
    _ticks(ax.xaxis, slots[:-1], [str(i) for i in slots[:-1]])
    _ticks(ax.yaxis, [0, 0.5, 1], ["0", "0.5", "1"])
    _style(ax, "share saturated", "hidden layer")

    ax = axes[1, 1]
    art["grads"] = _Bars(ax, palette.GREEN, bottom=_GRAD_FLOOR)
    art["grads_out"] = _Bars(ax, _OUTPUT_BAR, bottom=_GRAD_FLOOR)
    (art["tiny"],) = ax.plot([], [], "v", color=palette.GREEN, ms=4, label="below 1e-16")
    ax.set_yscale("log")
    ax.set_ylim(_GRAD_FLOOR, 1e4)
    ax.set_xlim(0.4, slots[-1] + 0.6)
    _ticks(ax.xaxis, slots, [str(i) for i in slots])
    _ticks(ax.yaxis, [1e-16, 1e-12, 1e-8, 1e-4, 1], ["1e-16", "1e-12", "1e-8", "1e-4", "1"])
    ax.legend(fontsize=7, framealpha=1, loc="upper left", handlelength=1)
    _style(ax, "|dW| per layer (input left)", "layer (last bar: output)")

    ax = axes[1, 2]
    ax.axhline(np.log(2), color="0.5", lw=0.8, ls=":", label="log 2: a coin flip")
    (art["loss"],) = ax.plot([], [], "o-", ms=2, color=palette.PURPLE, label="training points")
    (art["held_out"],) = ax.plot(
        [], [], "D", ms=5, color=palette.ORANGE, mec="k", mew=0.5, label="held-out, at the end"
    )
    ax.set_yscale("log")
    ax.set_ylim(*_LOSS_LIMITS)
    ax.set_xlim(0, 1.06 * n_steps)  # room for the held-out marker at the last step
    _ticks(
        ax.yaxis,
        [1e-3, 1e-2, 0.1, 1, 10, 100, 1000],
        ["0.001", "0.01", "0.1", "1", "10", "100", "1000"],
    )
    ax.legend(fontsize=7, framealpha=1, loc="lower left", handlelength=1.5)
    _style(ax, "loss while training", "step")
    return art


def saturation_figure(result, fig=None):
    """Six panels of the saturation lab (notebook 06).

    Top: the range of Z per hidden layer (the band |Z| < 4.58 shaded), the histograms of the
    activations A and of the local gradient s(1 - s) over all hidden layers. Bottom: the share
    of saturated units per layer, the gradient norm |dW[l]| per layer (log scale, input on the
    left, the output layer last), and the loss over the first steps (log scale).

    Parameters
    ----------
    result : SaturationResult   from `saturation_lab`
    fig    : Figure or None     None: a new figure. A figure this function returned before is
                                updated in place (fast, for sliders); any other is cleared.

    Returns
    -------
    matplotlib.figure.Figure  9 x 5 inches, on an Agg canvas (not drawn yet)
    """
    if not isinstance(result, SaturationResult):
        raise TypeError(
            f"saturation_figure: result must come from saturation_lab; got {type(result).__name__}"
        )
    n_steps = len(result.losses) - 1
    fig, art = _artists_for(
        fig, "saturation", n_steps, _build_saturation, (9, 5), "saturation_figure"
    )
    depth = result.depth
    art["title"].set_text(
        f"sigmoid, depth {depth}, width {result.width}, weights {result.short_label}: "
        f"{100 * result.saturated_overall:.0f}% saturated"
    )
    hidden = np.arange(1, depth + 1)
    z_low = np.clip(result.z_min, -_Z_LIMIT, _Z_LIMIT)
    z_high = np.clip(result.z_max, -_Z_LIMIT, _Z_LIMIT)
    art["z_range"].set_segments([[(x, lo), (x, hi)] for x, lo, hi in zip(hidden, z_low, z_high)])
    for name, hist in (("act", result.act_hist), ("slope", result.slope_hist)):
        total = hist.sum()
        art[name].set_data(hist.sum(axis=0) / total if total else np.zeros(_N_BINS))
    art["saturated"].set(hidden, result.frac_saturated)
    norms = np.where(result.grad_norms > _GRAD_FLOOR, result.grad_norms, 0.0)
    art["grads"].set(hidden, norms[:-1])
    art["grads_out"].set([depth + 1], norms[-1:])
    tiny = np.flatnonzero(result.grad_norms <= _GRAD_FLOOR)
    art["tiny"].set_data(tiny + 1, np.full(tiny.size, 2 * _GRAD_FLOOR))
    losses = np.clip(result.losses, *_LOSS_LIMITS)
    art["loss"].set_data(np.arange(losses.size), losses)
    art["held_out"].set_data([losses.size - 1], [np.clip(result.held_out_loss, *_LOSS_LIMITS)])
    return fig


def _build_dead_relu(fig, key):
    n_steps, n_units = key
    axes = fig.subplots(1, 3)
    fig.subplots_adjust(left=0.06, right=0.985, top=0.8, bottom=0.16, wspace=0.28)
    art = {"title": fig.suptitle("", fontsize=10)}

    ax = axes[0]
    art["history"] = [
        ax.plot([], [], lw=1.5, color=color, ls=style, label=f"layer {l}")[0]
        for l, color, style in ((1, palette.BLUE, "-"), (2, palette.ORANGE, "--"))
    ]
    art["big"] = ax.axvline(0, color="k", ls="--", lw=0.8)  # the large step, if any
    ax.set_xlim(0, n_steps)
    ax.set_ylim(-0.03, 1.3)  # the strip above 1 holds the legend
    _ticks(ax.yaxis, [0, 0.5, 1], ["0", "0.5", "1"])
    ax.legend(
        fontsize=7, framealpha=1, loc="upper center", ncol=2, handlelength=1.5, columnspacing=1
    )
    art["history_title"] = ax.set_title("", fontsize=9, y=1.0, pad=4)
    _style(ax, "", "step")

    ax = axes[1]
    edges = np.arange(n_units + 1) - 0.5
    floor = np.full(n_units, _ROW_FLOOR)
    art["rows_live"] = ax.stairs(
        floor, edges, baseline=_ROW_FLOOR, fill=True, color=palette.BLUE, label="fires"
    )
    art["rows_dead"] = ax.stairs(
        floor,
        edges,
        baseline=_ROW_FLOOR,
        fill=True,
        facecolor=palette.VERMILLION,
        hatch=_HATCH,
        label="never fires",
        **_HATCH_EDGE,
    )
    (art["zeros"],) = ax.plot([], [], "x", color="k", ms=4, label="exactly 0")
    ax.axvline(n_units / 2 - 0.5, color="0.6", lw=0.8)
    ax.set_yscale("log")
    ax.set_ylim(_ROW_FLOOR, 1e6)
    ax.set_xlim(-0.5, n_units - 0.5)
    _ticks(ax.yaxis, [1e-8, 1e-4, 1, 1e4], ["1e-8", "1e-4", "1", "1e4"])
    _ticks(ax.xaxis, [n_units / 4 - 0.5, 3 * n_units / 4 - 0.5], ["layer 1", "layer 2"])
    ax.legend(
        fontsize=7, framealpha=1, loc="upper right", handlelength=1.2, ncol=3, columnspacing=0.8
    )
    _style(ax, "|gradient row| per unit at the end", None)

    ax = axes[2]
    (art["loss"],) = ax.plot([], [], "-", color=palette.PURPLE)
    ax.axhline(np.log(3), color="0.5", lw=0.8, ls=":", label="log 3: a guess")
    ax.set_yscale("log")
    ax.set_ylim(0.01, 100)
    ax.set_xlim(0, n_steps)
    _ticks(ax.yaxis, [0.01, 0.1, 1, 10, 100], ["0.01", "0.1", "1", "10", "100"])
    ax.legend(fontsize=7, framealpha=1, loc="lower left", handlelength=1.5)
    _style(ax, "loss", "step")
    return art


def dead_relu_figure(result, fig=None):
    """Three panels of the dead-ReLU lab (notebook 06).

    Left: the share of each hidden layer's units that never fire, at every step (the large
    step, if any, dashed). Middle: the norm of each hidden unit's gradient row [dW, db] at the
    end, hatched for the units that never fire; exact zeros are marked with a cross at the bottom
    (for ReLU every such unit has one). Right: the loss (log scale).

    Parameters
    ----------
    result : DeadReluResult     from `dead_relu_lab`
    fig    : Figure or None     None: a new figure. A figure this function returned before is
                                updated in place (fast, for sliders); any other is cleared.

    Returns
    -------
    matplotlib.figure.Figure  9 x 3.2 inches, on an Agg canvas (not drawn yet)
    """
    if not isinstance(result, DeadReluResult):
        raise TypeError(
            f"dead_relu_figure: result must come from dead_relu_lab; got {type(result).__name__}"
        )
    norms = np.concatenate(result.row_grad_norms)
    dead = np.concatenate(result.dead_end)
    key = (result.steps, norms.size)
    fig, art = _artists_for(fig, "dead_relu", key, _build_dead_relu, (9, 3.2), "dead_relu_figure")
    word = "silent" if result.activation == "leaky_relu" else "dead"
    big = f" + one step of lr {result.big_update:g}" if result.big_update is not None else ""
    end = (
        "at the end"
        if result.diverged_at is None
        else f"when it diverged ({result.diverged_at} steps)"
    )
    art["title"].set_text(
        f"{result.activation}, biases start at {result.bias_init:.2f}, lr {result.lr:g}{big}: "
        f"{100 * result.frac_dead:.0f}% {word} {end}"
    )
    art["history_title"].set_text(f"share {word} (Z <= 0 on all data)")
    steps = np.arange(len(result.dead_history))
    for l, line in enumerate(art["history"]):
        line.set_data(steps, result.dead_history[:, l])
    art["big"].set_visible(result.big_update is not None)
    if result.big_update is not None:  # between the state before it and the state after it
        art["big"].set_xdata([result.big_update_step + 0.5] * 2)
    shown = np.maximum(norms, _ROW_FLOOR)
    art["rows_live"].set_data(np.where(dead, _ROW_FLOOR, shown))
    art["rows_dead"].set_data(np.where(dead, shown, _ROW_FLOOR))
    zero = np.flatnonzero(norms == 0)
    art["zeros"].set_data(zero, np.full(zero.size, 3 * _ROW_FLOOR))
    losses = np.clip(result.losses, 0.01, 100)
    art["loss"].set_data(np.arange(losses.size), losses)
    return fig


def _png(rgba, width, height, level):
    """PNG bytes of an opaque (height, width, 4) uint8 image: RGB rows without a filter,
    deflated at `level`. A plot is mostly flat colour, which deflate packs well by itself; with
    no filter to choose per row, encoding takes half the time of Pillow's."""
    rows = np.empty((height, 1 + 3 * width), dtype=np.uint8)
    rows[:, 0] = 0  # filter type 0 (none) for every row
    rows[:, 1:].reshape(height, width, 3)[...] = rgba[:, :, :3]
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _png_chunk(b"IHDR", header),
            _png_chunk(b"IDAT", zlib.compress(rows.tobytes(), level)),
            _png_chunk(b"IEND", b""),
        )
    )


def _png_chunk(kind, payload):
    crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def figure_image(fig, description):
    """A lab figure as an image with its description, for `display` (notebook 06).

    Parameters
    ----------
    fig         : matplotlib.figure.Figure   a lab figure (blitted, see `redraw`) or any other
    description : str                        what it shows, e.g. `result.description()`

    Returns
    -------
    helpers.figures.Described   shown as the PNG, with the description as its alt text and as
                                the text/plain a front end without images shows
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"figure_image: fig must be a matplotlib Figure; got {type(fig).__name__}")
    description = check_description(description, "figure_image")
    return Described(figure_png(fig), description)


def figure_png(fig, compress_level=1):
    """Draw the figure (with `redraw`: a lab figure is blitted) and return PNG bytes (notebook 06).

    Parameters
    ----------
    fig            : matplotlib.figure.Figure
    compress_level : int in [0, 9]   zlib effort; 1 is fast and about as small as 6 for plots

    Returns
    -------
    bytes  a PNG image, e.g. for `IPython.display.Image(data=...)` inside a widget's Output
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"figure_png: fig must be a matplotlib Figure; got {type(fig).__name__}")
    compress_level = check_integer(compress_level, "compress_level", "figure_png", low=0, high=9)
    redraw(fig)
    width, height = fig.canvas.get_width_height()
    return _png(np.asarray(fig.canvas.buffer_rgba()), width, height, compress_level)
