"""More labs of notebook 06, on how the gradient flows through a deep stack: pure functions.

    exploding_lab(gain, depth, max_norm=...)  a deep ReLU stack with weights gain x He: the
                                              gradient per layer, and training with and
                                              without gradient-norm clipping
    input_scale_lab(standardise)              a sigmoid network fed inputs on 0..255 (like
                                              pixel values) or standardised: the first layer
    exploding_figure(result, fig=None)        per-layer bars and the two loss curves
    input_scale_figure(result, fig=None)      saturation and gradient per layer, the loss
    learning_speed_figure(result, fig=None)   |dW| of every layer over the steps of a
                                              `labs.saturation_lab` run (the learning speed)
    learning_speed_description(result)        what that figure shows, in words (its alt text)
    clip_by_norm(grads, max_norm)             gradients scaled down to a total norm of at most
                                              max_norm, and the norm before

Like `helpers.labs`, every lab reads only its arguments, seeds its own random numbers and returns
a new result whose `.readout()` prints the numbers and `.description()` says what its figure
shows (for `labs.figure_image`); the figure functions update a figure they
made before in place, so a slider redraws quickly with `labs.figure_png`.
"""

from dataclasses import dataclass

import numpy as np

from . import data, labs, layers, palette
from ._validate import as_float_array, check_number, check_positive_int, check_seed
from .mlp import MLP

__all__ = [
    "ExplodingResult",
    "InputScaleResult",
    "exploding_lab",
    "input_scale_lab",
    "exploding_figure",
    "input_scale_figure",
    "learning_speed_figure",
    "learning_speed_description",
    "clip_by_norm",
]

GAIN_RANGE = (0.1, 4.0)
FLOW_DEPTH_RANGE = (1, 30)
MAX_NORM_RANGE = (1e-3, 1e3)
PIXEL_MAX = 255.0  # raw inputs lie on [0, 255], like the grey levels of an image


def clip_by_norm(grads, max_norm):
    """Scale every gradient by the same factor so that their total norm is at most max_norm.

    Parameters
    ----------
    grads    : dict of ndarray   {"dW1": ..., "db1": ...}
    max_norm : float > 0         the largest total (Frobenius) norm allowed

    Returns
    -------
    (dict of ndarray, float)  the clipped gradients (new arrays) and the total norm before
    """
    where = "clip_by_norm"
    if not isinstance(grads, dict):
        raise TypeError(
            f"{where}: grads must be a dict of arrays, {{'dW1': ..., 'db1': ...}}; "
            f"got {type(grads).__name__}"
        )
    grads = {name: as_float_array(g, f"grads[{name!r}]", where) for name, g in grads.items()}
    max_norm = check_number(max_norm, "max_norm", where, positive=True)
    largest = max((float(np.abs(g).max()) for g in grads.values() if g.size), default=0.0)
    if largest == 0.0:
        return {name: g.copy() for name, g in grads.items()}, 0.0
    # The norm of g / largest, times largest: no square overflows, even for entries near 1e308.
    with np.errstate(over="ignore"):
        total = largest * float(np.sqrt(sum(((g / largest) ** 2).sum() for g in grads.values())))
    if not np.isfinite(total):
        raise ValueError(
            f"{where}: grads must have a total norm within float64's range; got a largest "
            f"entry of {largest:.3g} (did the training diverge? a step size too large?)"
        )
    factor = max_norm / total if total > max_norm else 1.0
    return {name: g * factor for name, g in grads.items()}, total


def _grad_norms(grads, L):
    return np.array([np.linalg.norm(grads[f"dW{l}"]) for l in range(1, L + 1)])


def _train(model, X, Y, steps, lr, max_norm=None):
    """Full-batch gradient descent; (losses, total norms before clipping, diverged_at)."""
    losses, totals = [], []
    diverged_at = None
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        for t in range(steps + 1):
            loss, grads = model.loss_and_grads(X, Y)
            if not np.isfinite(loss):
                diverged_at = t
                break
            losses.append(loss)
            if max_norm is None:
                total = float(np.sqrt(sum(float((g**2).sum()) for g in grads.values())))
            else:
                grads, total = clip_by_norm(grads, max_norm)
            if not np.isfinite(total):  # the gradient overflowed: as good as diverged
                diverged_at = t
                break
            totals.append(total)
            if t == steps:
                break
            saved = {name: value.copy() for name, value in model.params.items()}
            model.sgd_step(grads, lr)
            if not all(np.abs(p).max() < labs._PARAM_LIMIT for p in model.params.values()):
                model.params.update(saved)
                diverged_at = t + 1
                break
    return np.array(losses), np.array(totals), diverged_at


def _train_relu(Ws, bs, X, Y, steps, lr, max_norm=None):
    """`_train` for a ReLU stack with a softmax output, on plain lists of arrays: the same
    arithmetic as `MLP` (checked against it in the tests), without a check per call, so that a
    slider move stays fast at depth 30. Updates Ws and bs in place."""
    L = len(Ws)
    losses, totals = [], []
    diverged_at = None
    bound = max(float(np.abs(p).max()) for p in Ws + bs)  # >= every |parameter|
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        for t in range(steps + 1):
            As = [X]
            for l in range(L - 1):
                As.append(np.maximum(Ws[l] @ As[-1] + bs[l], 0.0))
            loss, dZ = layers._softmax_cross_entropy(Ws[-1] @ As[-1] + bs[-1], Y)
            if not np.isfinite(loss):
                diverged_at = t
                break
            losses.append(loss)
            dWs, dbs = [None] * L, [None] * L
            for l in range(L - 1, -1, -1):
                dWs[l], dbs[l] = dZ @ As[l].T, dZ.sum(axis=1, keepdims=True)
                if l:
                    dZ = (Ws[l].T @ dZ) * (As[l] > 0)
            total = float(np.sqrt(sum(np.vdot(g, g) for g in dWs + dbs)))
            if not np.isfinite(total):  # the gradient overflowed: as good as diverged
                diverged_at = t
                break
            totals.append(total)
            if t == steps:
                break
            factor = lr * (max_norm / total if max_norm is not None and total > max_norm else 1.0)
            # No entry moves by more than factor * total: the exact check (a pass over every
            # array) is needed only when that could take a parameter past the limit.
            if bound + factor * total >= labs._PARAM_LIMIT:
                new = [p - factor * g for p, g in zip(Ws + bs, dWs + dbs)]
                if not all(np.abs(p).max() < labs._PARAM_LIMIT for p in new):
                    diverged_at = t + 1
                    break
                Ws[:], bs[:] = new[:L], new[L:]
                bound = max(float(np.abs(p).max()) for p in new)
            else:
                for p, g in zip(Ws + bs, dWs + dbs):
                    p -= factor * g
                bound += factor * total
    return np.array(losses), np.array(totals), diverged_at


# ----------------------------------------------------------------------------------------------
# Exploding gradients


@dataclass(frozen=True, eq=False)
class ExplodingResult:
    """What `exploding_lab` measured. L = depth + 1 weight layers; the last is the output.

    Attributes
    ----------
    gain, depth, max_norm, lr : the settings
    layer_sizes    : tuple of int        (2, width, ..., width, 2)
    dz_norms       : ndarray (L,)        |dZ[l]| at initialisation, l = 1..L: the backward
                                         signal that reaches each layer (the product of the
                                         per-layer factors above it)
    losses_plain   : ndarray (<= steps+1,) the loss of plain gradient descent (stops when it
                                         diverges)
    losses_clipped : ndarray (steps+1,)  the loss with the total gradient norm clipped to max_norm
    norms_plain    : ndarray             the total gradient norm at each step of the plain run
    diverged_at    : int or None         step at which the plain run left the finite range
    m              : int                 examples in the batch
    """

    gain: float
    depth: int
    max_norm: float
    lr: float
    layer_sizes: tuple
    dz_norms: np.ndarray
    losses_plain: np.ndarray
    losses_clipped: np.ndarray
    norms_plain: np.ndarray
    diverged_at: object
    m: int

    @property
    def growth_per_layer(self):
        """Geometric mean of |dZ[l]| / |dZ[l+1]| over the hidden layers (> 1: it explodes)."""
        g = self.dz_norms[:-1]
        if g.size < 2:
            return float("nan")
        return float((g[0] / g[-1]) ** (1 / (g.size - 1)))

    def readout(self):
        sizes = "-".join(str(n) for n in self.layer_sizes)
        lines = [
            f"relu network {sizes}, weights {self.gain:g} x He sqrt(2/n_in), batch of {self.m}",
            "layer   |dZ| at the start",
        ]
        for l, g in enumerate(self.dz_norms):
            tag = "  (output layer)" if l == self.depth else ""
            lines.append(f"{l + 1:>4}   {labs._fmt_norm(g)}{tag}")
        lines.append(
            f"backward signal, first layer / output layer: "
            f"{labs._fmt_norm(self.dz_norms[0] / self.dz_norms[-1])}; "
            f"x{self.growth_per_layer:.2f} per layer toward the input"
        )
        n = len(self.losses_clipped) - 1
        plain = (
            f"diverged after {self.diverged_at} steps"
            if self.diverged_at is not None
            else f"{self.losses_plain[-1]:.4f} after {n} steps"
        )
        lines.append(
            f"plain, lr {self.lr:g}: loss {self.losses_plain[0]:.4f} at the start, {plain}"
        )
        lines.append(
            f"clipped to norm {self.max_norm:g}: loss {self.losses_clipped[-1]:.4f} after {n} steps"
        )
        lines.append(f"largest total gradient norm of the plain run: {self.norms_plain.max():.1e}")
        return "\n".join(lines)

    def description(self):
        """What `exploding_figure` shows, in two sentences with the readout's numbers."""
        n = len(self.losses_clipped) - 1
        plain = (
            f"diverges after {self.diverged_at} steps (dashed, crosses)"
            if self.diverged_at is not None
            else f"goes from {self.losses_plain[0]:.4f} to {self.losses_plain[-1]:.4f} "
            f"(dashed, crosses)"
        )
        return (
            f"Two panels for a relu network of {self.depth} hidden layers with weights "
            f"{self.gain:g} x He: the backward signal |dZ| per layer at the start, on a log scale "
            f"with the output layer last, growing x{self.growth_per_layer:.2f} per layer toward "
            f"the input ({labs._fmt_norm(self.dz_norms[0] / self.dz_norms[-1])} times the output "
            f"layer's at the first layer); and the loss over {n} steps of lr {self.lr:g}. Plain "
            f"descent {plain}; with the gradient norm clipped at {self.max_norm:g} (solid, "
            f"circles) it goes from {self.losses_clipped[0]:.4f} to "
            f"{self.losses_clipped[-1]:.4f}."
        )

    def __repr__(self):
        return self.readout()


@labs.one_blas_thread
def exploding_lab(
    gain=1.5, depth=12, *, max_norm=1.0, lr=0.1, seed=0, width=32, n_per_class=32, steps=20
):
    """A deep ReLU stack whose weights are a little too large: the gradient grows layer by layer
    toward the input (notebook 06).

    The network is 2 -> width x depth (ReLU) -> 2 (softmax) on two blobs; every weight matrix
    has standard deviation gain * sqrt(2/n_in) (gain 1 is He's rule), biases 0. ReLU's slope is
    1 wherever it fires, so nothing saturates: each layer multiplies the backward signal dZ by
    about `gain` (the forward signal too, so the scores and the first loss grow with it).
    Then `steps` steps of gradient descent, once plain and once with the total gradient norm
    clipped to `max_norm`, from the same start.

    Parameters
    ----------
    gain     : float in [0.1, 4]   the slider: a multiple of He's standard deviation
    depth    : int in [1, 30]      hidden layers
    max_norm : float               the clipping threshold of the second run
    lr       : float               the step size of both runs
    seed     : int >= 0            seeds the data and the weights
    width    : int                 units per hidden layer
    n_per_class : int              examples per blob; the batch has m = 2 n_per_class
    steps    : int                 gradient-descent steps

    Returns
    -------
    ExplodingResult
    """
    where = "exploding_lab"
    gain = check_number(gain, "gain", where, low=GAIN_RANGE[0], high=GAIN_RANGE[1])
    depth = labs._check_int_range(depth, "depth", where, *FLOW_DEPTH_RANGE)
    max_norm = check_number(max_norm, "max_norm", where, low=MAX_NORM_RANGE[0], high=1e3)
    lr = check_number(lr, "lr", where, low=labs.LR_RANGE[0], high=labs.LR_RANGE[1])
    seed = check_seed(seed, where)
    width, n_per_class = labs._check_sizes(width, n_per_class, 2, where)
    steps = check_positive_int(steps, "steps", where, high=labs.MAX_STEPS)

    X, y = data.blobs(n_per_class, 2, spread=0.5, seed=seed)
    Y = data.one_hot(y, 2)
    sizes = [2] + [width] * depth + [2]

    def model():
        net = MLP(sizes, activation="relu", output="softmax", init="he", seed=seed)
        for l in range(1, net.L):  # the hidden layers; the output layer keeps He's rule
            net.params[f"W{l}"] *= gain
        return net

    start = model()
    with np.errstate(over="ignore", under="ignore"):
        _, caches = start.forward(X)
        A_prev, W, b = caches[-1][0]
        _, dZ = layers.softmax_cross_entropy(W @ A_prev + b, Y)
        signal = [np.linalg.norm(dZ)]
        for l in range(depth - 1, -1, -1):  # dZ[l] = (W[l+1]^T dZ[l+1]) * relu'(Z[l])
            dZ = (caches[l + 1][0][1].T @ dZ) * (caches[l][1] > 0)
            signal.append(np.linalg.norm(dZ))
    runs = []
    for clip in (None, max_norm):
        Ws = [start.params[f"W{l}"].copy() for l in range(1, start.L + 1)]
        bs = [start.params[f"b{l}"].copy() for l in range(1, start.L + 1)]
        runs.append(_train_relu(Ws, bs, X, Y, steps, lr, clip))
    (losses_plain, norms_plain, diverged_at), (losses_clipped, _, _) = runs
    return ExplodingResult(
        gain=gain,
        depth=depth,
        max_norm=max_norm,
        lr=lr,
        layer_sizes=tuple(sizes),
        dz_norms=np.array(signal[::-1]),
        losses_plain=losses_plain,
        losses_clipped=losses_clipped,
        norms_plain=norms_plain,
        diverged_at=diverged_at,
        m=X.shape[1],
    )


# ----------------------------------------------------------------------------------------------
# The input scale


@dataclass(frozen=True, eq=False)
class InputScaleResult:
    """What `input_scale_lab` measured. L = depth + 1 weight layers.

    Attributes
    ----------
    standardise    : bool               inputs standardised (mean 0, std 1 per feature) or raw
    x_min, x_max   : float              the range of the inputs the network sees
    z_min, z_max   : ndarray (depth,)   range of the pre-activations of each hidden layer
    frac_saturated : ndarray (depth,)   share of (unit, example) pairs with s(1-s) < 0.01
    grad_norms     : ndarray (L,)       |dW[l]| at initialisation
    losses         : ndarray (steps+1,) the loss over the steps of gradient descent
    lr, layer_sizes, m : the settings
    """

    standardise: bool
    x_min: float
    x_max: float
    z_min: np.ndarray
    z_max: np.ndarray
    frac_saturated: np.ndarray
    grad_norms: np.ndarray
    losses: np.ndarray
    lr: float
    layer_sizes: tuple
    m: int

    def readout(self):
        sizes = "-".join(str(n) for n in self.layer_sizes)
        how = "standardised (mean 0, std 1)" if self.standardise else "raw grey levels"
        lines = [
            f"sigmoid network {sizes}, 4 x Xavier init, inputs {how}: "
            f"from {self.x_min:.1f} to {self.x_max:.1f}",
            "layer   Z min     Z max   saturated   |dW|",
        ]
        for l in range(self.z_min.size):
            lines.append(
                f"{l + 1:>4} {self.z_min[l]:>8.1f}  {self.z_max[l]:>8.1f}  "
                f"{100 * self.frac_saturated[l]:>7.1f}%   {labs._fmt_norm(self.grad_norms[l])}"
            )
        lines.append(
            f"{self.z_min.size + 1:>4}  (output layer)              "
            f"{labs._fmt_norm(self.grad_norms[-1])}"
        )
        lines.append(
            f"loss: {self.losses[0]:.4f} at the start, {self.losses[-1]:.4f} after "
            f"{len(self.losses) - 1} steps of lr {self.lr:g}"
        )
        return "\n".join(lines)

    def description(self):
        """What `input_scale_figure` shows, in two sentences with the readout's numbers."""
        sizes = "-".join(str(n) for n in self.layer_sizes)
        how = "standardised" if self.standardise else "raw grey-level"
        by_layer = ", ".join(f"{100 * f:.1f}%" for f in self.frac_saturated)
        return (
            f"Three panels for a sigmoid network {sizes} (4 x Xavier) fed {how} inputs from "
            f"{self.x_min:.1f} to {self.x_max:.1f}: the share saturated per hidden layer "
            f"({by_layer}, hatched bars), |dW| per layer on a log scale with the output layer "
            f"last, and the loss. The loss goes from {self.losses[0]:.4f} to "
            f"{self.losses[-1]:.4f} in {len(self.losses) - 1} steps."
        )

    def __repr__(self):
        return self.readout()


@labs.one_blas_thread
def input_scale_lab(standardise=False, *, depth=2, seed=0, width=32, steps=40, lr=0.5):
    """A sigmoid network fed unscaled inputs (0 to 255) or standardised ones (notebook 06).

    Two blobs are mapped onto grey levels 0..255, as raw pixel values would come. The network
    2 -> width x depth (sigmoid) -> 2 is drawn with 4 x Xavier (the sigmoid's cure of section 3,
    which assumes inputs of order 1). With raw inputs, the first layer's Z is in the hundreds:
    it saturates whatever the rule. Standardising each feature (subtract its mean, divide by its
    standard deviation) brings Z back to order 1.

    Parameters
    ----------
    standardise : bool        False: raw inputs on [0, 255]; True: standardised
    depth       : int in [1, 10]  sigmoid hidden layers
    seed        : int >= 0    seeds the data and the weights
    width, steps, lr          the network's width, the steps of gradient descent, their size

    Returns
    -------
    InputScaleResult
    """
    where = "input_scale_lab"
    if not isinstance(standardise, (bool, np.bool_)):
        raise TypeError(
            f"{where}: standardise must be True or False; got {type(standardise).__name__}"
        )
    depth = labs._check_int_range(depth, "depth", where, *labs.DEPTH_RANGE)
    seed = check_seed(seed, where)
    width, n_per_class = labs._check_sizes(width, 64, 2, where)
    steps = check_positive_int(steps, "steps", where, high=labs.MAX_STEPS)
    lr = check_number(lr, "lr", where, low=labs.LR_RANGE[0], high=labs.LR_RANGE[1])

    X, y = data.blobs(n_per_class, 2, spread=0.5, seed=seed)
    low, high = X.min(axis=1, keepdims=True), X.max(axis=1, keepdims=True)
    X = np.round(PIXEL_MAX * (X - low) / (high - low))  # grey levels 0..255
    if standardise:
        X = (X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, keepdims=True)
    Y = data.one_hot(y, 2)
    sizes = [2] + [width] * depth + [2]
    model = MLP(sizes, activation="sigmoid", output="softmax", init="xavier", seed=seed)
    for l in range(1, model.L):  # 4 x Xavier for the sigmoid layers
        model.params[f"W{l}"] *= 4.0

    z_min, z_max, frac = np.empty(depth), np.empty(depth), np.empty(depth)
    with np.errstate(over="ignore", under="ignore"):
        _, caches = model.forward(X)
        for l in range(depth):
            (A_prev, W, b), A = caches[l]
            Z = W @ A_prev + b
            z_min[l], z_max[l] = Z.min(), Z.max()
            frac[l] = labs._saturated_fraction(A)
        A_prev, W, b = caches[-1][0]
        _, dZ = layers.softmax_cross_entropy(W @ A_prev + b, Y)
        grads = model.backward(dZ, caches)
    losses, _, _ = _train(model, X, Y, steps, lr)
    return InputScaleResult(
        standardise=bool(standardise),
        x_min=float(X.min()),
        x_max=float(X.max()),
        z_min=z_min,
        z_max=z_max,
        frac_saturated=frac,
        grad_norms=_grad_norms(grads, model.L),
        losses=losses,
        lr=lr,
        layer_sizes=tuple(sizes),
        m=X.shape[1],
    )


# ----------------------------------------------------------------------------------------------
# Figures (built once, updated in place; see "Figures" in helpers.labs)

_FLOOR = 1e-12
_LOSS = (1e-3, 1e3)


def _bars(ax, n, color):
    """Bars for n layers on a log scale: the hidden layers' in `color`, the output layer's grey."""
    ax.set_yscale("log")
    ax.set_xlim(0.4, n + 0.6)
    return labs._Bars(ax, color, bottom=_FLOOR), labs._Bars(ax, labs._OUTPUT_BAR, bottom=_FLOOR)


def _loss_axes(ax, n_steps, title):
    ax.set_yscale("log")
    ax.set_ylim(*_LOSS)
    ax.set_xlim(0, n_steps)
    labs._ticks(ax.yaxis, [1e-3, 1e-2, 0.1, 1, 10, 100, 1000], [
        "0.001", "0.01", "0.1", "1", "10", "100", "1000"])  # fmt: skip
    labs._style(ax, title, "step")


def _build_exploding(fig, key):
    n_steps = key
    n_layers = FLOW_DEPTH_RANGE[1] + 1  # a slot for every depth: a depth move only redraws data
    axes = fig.subplots(1, 2)
    fig.subplots_adjust(left=0.08, right=0.985, top=0.8, bottom=0.17, wspace=0.25)
    art = {"title": fig.suptitle("", fontsize=10)}
    art["grads"], art["grads_out"] = _bars(axes[0], n_layers, palette.GREEN)
    axes[0].set_ylim(1e-4, 1e6)
    labs._ticks(axes[0].yaxis, [1e-4, 1e-2, 1, 1e2, 1e4, 1e6], [
        "1e-4", "0.01", "1", "100", "1e4", "1e6"])  # fmt: skip
    ticks = [1, 5, 10, 15, 20, 25, 30]
    labs._ticks(axes[0].xaxis, ticks, [str(t) for t in ticks])
    labs._style(axes[0], "|dZ| per layer at the start (input left)", "layer (last bar: output)")
    ax = axes[1]
    ax.axhline(np.log(2), color="0.5", lw=0.8, ls=":", label="log 2")
    (art["plain"],) = ax.plot([], [], "x--", ms=4, color=palette.VERMILLION, label="plain")
    (art["clipped"],) = ax.plot([], [], "o-", ms=2, color=palette.BLUE, label="clipped")
    ax.legend(fontsize=7, framealpha=1, loc="upper right", handlelength=1.5)
    _loss_axes(ax, n_steps, "loss (a missing point: the run diverged)")
    return art


def exploding_figure(result, fig=None):
    """Two panels of the exploding-gradient lab (notebook 06): |dZ| per layer at the start
    (log scale, input on the left, output last, in grey; slots for 30 layers) and the loss of
    the plain and the clipped run. Returns a 9 x 3 inch figure on an Agg canvas (`fig`: as
    `labs`' figures)."""
    if not isinstance(result, ExplodingResult):
        raise TypeError(
            f"exploding_figure: result must come from exploding_lab; got {type(result).__name__}"
        )
    n_steps = len(result.losses_clipped) - 1
    fig, art = labs._artists_for(
        fig, "exploding", n_steps, _build_exploding, (9, 3), "exploding_figure"
    )
    art["title"].set_text(
        f"relu, depth {result.depth}, weights {result.gain:g} x He: the gradient grows "
        f"x{result.growth_per_layer:.2f} per layer toward the input; clipping at "
        f"{result.max_norm:g}"
    )
    heights = np.maximum(result.dz_norms, _FLOOR) - _FLOOR
    art["grads"].set(np.arange(1, result.depth + 1), heights[:-1])
    art["grads_out"].set([result.depth + 1], heights[-1:])
    for name, losses in (("plain", result.losses_plain), ("clipped", result.losses_clipped)):
        shown = np.clip(losses, *_LOSS)
        art[name].set_data(np.arange(shown.size), shown)
    return fig


def _build_input(fig, key):
    depth, n_steps = key
    axes = fig.subplots(1, 3)
    fig.subplots_adjust(left=0.07, right=0.985, top=0.8, bottom=0.17, wspace=0.3)
    art = {"title": fig.suptitle("", fontsize=10)}
    art["saturated"] = labs._Bars(axes[0], palette.VERMILLION, hatch=labs._HATCH)
    axes[0].set_ylim(0, 1)
    axes[0].set_xlim(0.4, depth + 0.6)
    labs._ticks(axes[0].xaxis, list(range(1, depth + 1)), [str(i) for i in range(1, depth + 1)])
    labs._ticks(axes[0].yaxis, [0, 0.5, 1], ["0", "0.5", "1"])
    labs._style(axes[0], "share saturated", "hidden layer")
    art["grads"], art["grads_out"] = _bars(axes[1], depth + 1, palette.GREEN)
    axes[1].set_ylim(_FLOOR, 1e4)
    labs._ticks(axes[1].yaxis, [1e-12, 1e-8, 1e-4, 1], ["1e-12", "1e-8", "1e-4", "1"])
    labs._ticks(axes[1].xaxis, list(range(1, depth + 2)), [str(i) for i in range(1, depth + 2)])
    labs._style(axes[1], "|dW| per layer (input left)", "layer (last bar: output)")
    axes[2].axhline(np.log(2), color="0.5", lw=0.8, ls=":", label="log 2: a coin flip")
    (art["loss"],) = axes[2].plot([], [], "o-", ms=2, color=palette.PURPLE)
    axes[2].legend(fontsize=7, framealpha=1, loc="lower left", handlelength=1.5)
    _loss_axes(axes[2], n_steps, "loss")
    return art


def input_scale_figure(result, fig=None):
    """Three panels of the input-scale lab (notebook 06): the share of saturated units per hidden
    layer, |dW| per layer (log scale, output last, in grey) and the loss. 9 x 3 inches."""
    if not isinstance(result, InputScaleResult):
        raise TypeError(
            "input_scale_figure: result must come from input_scale_lab; got "
            f"{type(result).__name__}"
        )
    depth = result.z_min.size
    key = (depth, len(result.losses) - 1)
    fig, art = labs._artists_for(
        fig, "input_scale", key, _build_input, (9, 3), "input_scale_figure"
    )
    how = "standardised" if result.standardise else "raw 0..255"
    art["title"].set_text(
        f"sigmoid, 4 x Xavier, inputs {how}: first layer "
        f"{100 * result.frac_saturated[0]:.0f}% saturated"
    )
    art["saturated"].set(np.arange(1, depth + 1), result.frac_saturated)
    heights = np.maximum(result.grad_norms, _FLOOR) - _FLOOR
    art["grads"].set(np.arange(1, depth + 1), heights[:-1])
    art["grads_out"].set([depth + 1], heights[-1:])
    shown = np.clip(result.losses, *_LOSS)
    art["loss"].set_data(np.arange(shown.size), shown)
    return fig


# The lines of the learning-speed figure: a colour and a line style for each hidden layer (the
# pair repeats only after 28 layers), the output layer black and thick.
_SPEED_COLORS = (
    palette.BLUE,
    palette.ORANGE,
    palette.GREEN,
    palette.VERMILLION,
    palette.SKY,
    palette.PURPLE,
    palette.YELLOW,
)
_SPEED_STYLES = ("-", "--", "-.", ":")


def _build_speed(fig, key):
    n_layers, n_steps = key
    ax = fig.subplots(1, 1)
    fig.subplots_adjust(left=0.08, right=0.8, top=0.86, bottom=0.16)
    art = {"title": fig.suptitle("", fontsize=10)}
    art["lines"] = []
    for i in range(n_layers):
        if i == n_layers - 1:
            style = {"color": palette.BLACK, "ls": "-", "lw": 2.5, "label": "output"}
        else:
            style = {
                "color": _SPEED_COLORS[i % len(_SPEED_COLORS)],
                "ls": _SPEED_STYLES[i % len(_SPEED_STYLES)],
                "lw": 1.5,
                "label": f"layer {i + 1}",
            }
        art["lines"].append(ax.plot([], [], **style)[0])
    ax.set_yscale("log")
    ax.set_ylim(1e-8, 100)
    ax.set_xlim(0, n_steps)
    labs._ticks(ax.yaxis, [1e-8, 1e-6, 1e-4, 1e-2, 1, 100], [
        "1e-8", "1e-6", "1e-4", "0.01", "1", "100"])  # fmt: skip
    ax.legend(fontsize=7, framealpha=1, loc="center left", bbox_to_anchor=(1.01, 0.5))
    labs._style(ax, "", "step", "|dW| (learning speed)")
    return art


def learning_speed_description(result):
    """What `learning_speed_figure` shows for a `labs.saturation_lab` result, in two sentences
    with its numbers: a text alternative for the figure (notebook 06).

    Parameters
    ----------
    result : labs.SaturationResult

    Returns
    -------
    str
    """
    if not isinstance(result, labs.SaturationResult):
        raise TypeError(
            "learning_speed_description: result must come from labs.saturation_lab; got "
            f"{type(result).__name__}"
        )
    history = result.grad_history
    first, out = history[:, 0], history[:, -1]
    ratio = first / np.where(out > 0, out, np.inf)
    return (
        f"The learning speed of each layer: |dW| of the {history.shape[1] - 1} hidden layers "
        f"(a colour and a line style each) and of the output layer (black, thick) at each of "
        f"{history.shape[0] - 1} steps, on a log scale, for a sigmoid network of width "
        f"{result.width} with weights {result.init_label}. Layer 1 stays between "
        f"{labs._fmt_norm(first.min())} and {labs._fmt_norm(first.max())}, "
        f"{ratio.min():.2f} to {ratio.max():.2f} times the output layer's, which goes from "
        f"{labs._fmt_norm(out[0])} to {labs._fmt_norm(out[-1])}."
    )


def learning_speed_figure(result, fig=None):
    """The learning speed of each layer over training (notebook 06): |dW[l]| at every step of a
    `labs.saturation_lab` run, one line per layer (log scale). 7 x 3 inches."""
    if not isinstance(result, labs.SaturationResult):
        raise TypeError(
            "learning_speed_figure: result must come from labs.saturation_lab; got "
            f"{type(result).__name__}"
        )
    history = result.grad_history
    key = (history.shape[1], history.shape[0] - 1)
    fig, art = labs._artists_for(fig, "speed", key, _build_speed, (7, 3), "learning_speed_figure")
    art["title"].set_text(
        f"learning speed per layer: sigmoid, depth {result.depth}, width {result.width}, "
        f"{result.short_label}"
    )
    steps = np.arange(history.shape[0])
    for l, line in enumerate(art["lines"]):
        line.set_data(steps, np.maximum(history[:, l], 1e-8))
    return fig
