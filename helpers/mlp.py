"""A multi-layer perceptron, built from the layers of `helpers.layers` (notebook 05).

Layer l = 1..L computes Z[l] = W[l] A[l-1] + b[l] and A[l] = g(Z[l]), with A[0] = X and the
output activation (softmax or sigmoid) folded into the loss. The backward pass runs the same
gates in reverse:

    dZ[L]    = (Y_hat - Y) / m              from the loss: the 1/m lives here, and only here
    dW[l]    = dZ[l] A[l-1]^T
    db[l]    = dZ[l] summed over the m columns
    dA[l-1]  = W[l]^T dZ[l]                 for l >= 2: dA[0] = dL/dX is not needed
    dZ[l-1]  = dA[l-1] * g'(Z[l-1])
"""

import numpy as np

from . import layers
from ._validate import (
    LAYOUT,
    as_float_array,
    check_alloc,
    check_choice,
    check_finite,
    check_number,
    check_positive_int,
    check_seed,
    check_shape,
    quiet_overflow,
    shape_str,
)
from .data import _class_indices

# Hidden-layer activations: (forward, backward) on the cached value, from helpers.layers.
_HIDDEN = {
    "relu": (lambda Z: (layers._relu(Z), Z), layers._relu_backward),
    "leaky_relu": (
        lambda Z: (np.where(Z > 0, Z, 0.01 * Z), (Z, 0.01)),
        layers._leaky_relu_backward,
    ),
    "sigmoid": (lambda Z: (layers._sigmoid(Z),) * 2, layers._sigmoid_backward),
    "tanh": (lambda Z: (np.tanh(Z),) * 2, layers._tanh_backward),
}
# Output layers: (probabilities from scores, loss and dZ[L] from scores and labels).
_OUTPUT = {
    "softmax": (layers._softmax, layers._softmax_cross_entropy),
    "sigmoid": (layers._sigmoid, layers._sigmoid_cross_entropy),
}
# The same activations for the fast path of loss_and_grads and fit (see MLP._fast_loss_and_grads):
# (forward, backward), both in place. The forward turns Z into A = g(Z); the backward turns dA
# into dZ given A alone (for ReLU and leaky ReLU, A > 0 exactly where Z > 0). Each computes what
# its pair in _HIDDEN computes, operation for operation, so the numbers are the same to the bit
# (tests/test_mlp_fast_path.py checks it).


def _relu_in_place(Z):
    np.maximum(Z, 0.0, out=Z)


def _relu_backward_in_place(dA, A):
    dA *= A > 0
    dA += 0.0  # -0.0 to 0.0, as layers._relu_backward does


def _leaky_relu_in_place(Z):
    np.multiply(Z, 0.01, out=Z, where=~(Z > 0))


def _leaky_relu_backward_in_place(dA, A):
    np.multiply(dA, 0.01, out=dA, where=~(A > 0))


def _sigmoid_in_place(Z):
    Z[...] = layers._sigmoid(Z)


def _sigmoid_backward_in_place(dA, A):
    dA *= A
    dA *= 1.0 - A


def _tanh_in_place(Z):
    np.tanh(Z, out=Z)


def _tanh_backward_in_place(dA, A):
    dA *= 1.0 - A * A


_IN_PLACE = {
    "relu": (_relu_in_place, _relu_backward_in_place),
    "leaky_relu": (_leaky_relu_in_place, _leaky_relu_backward_in_place),
    "sigmoid": (_sigmoid_in_place, _sigmoid_backward_in_place),
    "tanh": (_tanh_in_place, _tanh_backward_in_place),
}
# The fast path keeps work arrays for this many batch sizes (fit uses two: full and last batch).
_WORK_SIZES = 2
_INITS = ("he", "xavier")
#: fit stops with an error before a run of more steps than this (hours of training: a typo).
MAX_STEPS = 1_000_000


def _check_init(init, where):
    """init: "he", "xavier" or a positive number (the standard deviation of the weights)."""
    if isinstance(init, str):
        if init not in _INITS:
            raise ValueError(f"{where}: init must be 'he', 'xavier' or a number; got {init!r}")
        return init
    try:
        return check_number(init, "init", where, positive=True)
    except TypeError:
        raise TypeError(
            f"{where}: init must be 'he', 'xavier' or a number; got {type(init).__name__} {init!r}"
        ) from None


class MLP:
    """A fully connected network in the column layout.

    Parameters
    ----------
    layer_sizes : sequence of int     [n_0, n_1, ..., n_L]: inputs, hidden sizes, outputs
    activation  : str                 hidden layers: "relu", "leaky_relu", "sigmoid" or "tanh"
    output      : str                 "softmax" (one-hot Y (n_L, m)) or "sigmoid" (0/1 Y (n_L, m))
    init        : "he", "xavier" or a number
                                      weight standard deviation: sqrt(2 / n_in) (He),
                                      sqrt(2 / (n_in + n_out)) (Xavier/Glorot), or the number
    seed        : int                 seeds the weights
    bias        : float               the value every bias starts at (0; notebook 06 moves it)
    dtype       : float64 or float32  of the parameters; inputs are converted to it

    Attributes
    ----------
    params : dict  {"W1": (n_1, n_0), "b1": (n_1, 1), ..., "WL": ..., "bL": ...}
    """

    def __init__(
        self,
        layer_sizes,
        activation="relu",
        output="softmax",
        init="he",
        seed=0,
        bias=0.0,
        dtype=np.float64,
    ):
        where = "MLP"
        if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__"):
            raise TypeError(f"{where}: layer_sizes must be a list of ints; got {layer_sizes!r}")
        if len(layer_sizes) < 2:
            raise ValueError(
                f"{where}: layer_sizes needs at least [n_inputs, n_outputs]; "
                f"got {list(layer_sizes)}"
            )
        sizes = [
            check_positive_int(n, f"layer_sizes[{i}]", where) for i, n in enumerate(layer_sizes)
        ]
        for l in range(1, len(sizes)):
            what = f"W{l} (layer_sizes[{l}], layer_sizes[{l - 1}]) = ({sizes[l]}, {sizes[l - 1]})"
            check_alloc((sizes[l], sizes[l - 1]), what, where)
        n_params = sum(sizes[l] * (sizes[l - 1] + 1) for l in range(1, len(sizes)))
        check_alloc((n_params,), f"layer_sizes {sizes} ({n_params:,} parameters)", where)
        check_choice(activation, "activation", where, sorted(_HIDDEN))
        check_choice(output, "output", where, sorted(_OUTPUT))
        if output == "softmax" and sizes[-1] < 2:
            raise ValueError(
                f"{where}: a softmax output needs at least 2 classes, layer_sizes[-1] >= 2; "
                f"got {sizes[-1]}"
            )
        init = _check_init(init, where)
        seed = check_seed(seed, where)
        bias = check_number(bias, "bias", where)
        try:
            self.dtype = np.dtype(dtype)
        except TypeError:
            raise TypeError(f"{where}: dtype must be float64 or float32; got {dtype!r}") from None
        if dtype is None or self.dtype not in (np.float64, np.float32):
            raise TypeError(f"{where}: dtype must be float64 or float32; got {dtype!r}")

        self.layer_sizes = tuple(sizes)
        self.activation = activation
        self.output = output
        self.init = init
        self.L = len(sizes) - 1
        rng = np.random.default_rng(seed)
        self.params = {}
        for l in range(1, self.L + 1):
            n_in, n_out = sizes[l - 1], sizes[l]
            if init == "he":
                std = np.sqrt(2.0 / n_in)
            elif init == "xavier":
                std = np.sqrt(2.0 / (n_in + n_out))
            else:
                std = init
            with quiet_overflow():
                W = (rng.standard_normal((n_out, n_in)) * std).astype(self.dtype)
            check_finite(W, f"W{l} (drawn with std {std:g})", where)
            self.params[f"W{l}"] = W
            self.params[f"b{l}"] = np.full((n_out, 1), bias, dtype=self.dtype)
            check_finite(self.params[f"b{l}"], f"b{l} (bias {bias:g} as {self.dtype})", where)
        self._work = {}  # the fast path's arrays, by batch size (see _work_arrays)

    def __getstate__(self):
        """What copy.deepcopy and pickle keep: everything but the fast path's work arrays."""
        return dict(self.__dict__, _work={})

    def __repr__(self):
        return (
            f"MLP({list(self.layer_sizes)}, activation={self.activation!r}, "
            f"output={self.output!r}, init={self.init!r})  # {self.n_params} parameters"
        )

    @property
    def n_params(self):
        """The number of weights and biases."""
        return sum(p.size for p in self.params.values())

    # -- forward and backward ------------------------------------------------------------------

    def forward(self, X):
        """Run the network on X (n_0, m).

        Returns
        -------
        Y_hat  : ndarray (n_L, m)  output probabilities (softmax columns, or sigmoid units)
        caches : list of L (affine cache, activation cache) pairs, for `backward`; the last
                 activation cache is None (the output layer is handled by the loss)
        """
        X = self._check_X(X, "MLP.forward")
        with np.errstate(over="ignore", invalid="ignore"):  # reported below, as an error
            Z, caches = self._scores(X)
            Y_hat = _OUTPUT[self.output][0](Z)
            finite = np.isfinite(Y_hat.sum()) and np.isfinite(Z.sum())
        if not finite:
            self._not_finite("MLP.forward", "the output Y_hat")
        return Y_hat, caches

    def backward(self, dZ_L, caches):
        """Backpropagate dZ[L] = dL/dZ[L] through the layers; returns {"dW1": ..., "db1": ...}.

        Parameters
        ----------
        dZ_L   : ndarray (n_L, m)  the gradient of the loss with respect to the last scores
        caches : list of L pairs   from `forward` on the same m examples
        """
        where = "MLP.backward"
        dZ_L = as_float_array(dZ_L, "dZ_L", where, ndim=2, dtype=self.dtype)
        self._check_caches(caches, dZ_L.shape[1], where)
        check_shape(dZ_L, (self.layer_sizes[-1], dZ_L.shape[1]), "dZ_L", where)
        with quiet_overflow():
            grads = self._backward(dZ_L, caches)
        self._check_grads_finite(grads, where, "dZ_L")
        return grads

    def _backward(self, dZ_L, caches):
        activation_backward = _HIDDEN[self.activation][1]
        grads = {}
        dZ = dZ_L
        for l in range(self.L, 0, -1):
            # dA[0] = dL/dX is never needed (X is data, not a parameter), so the first layer
            # skips it: that saves the largest product of a wide-input network (784-256-...)
            # and brings the backward pass under twice the forward's time.
            dA_prev, grads[f"dW{l}"], grads[f"db{l}"] = layers._affine_backward(
                dZ, caches[l - 1][0], input_grad=l > 1
            )
            if l > 1:
                dZ = activation_backward(dA_prev, caches[l - 2][1])
        return grads

    def loss_and_grads(self, X, Y):
        """Mean loss over the m examples and its gradient for every parameter.

        Parameters
        ----------
        X : ndarray (n_0, m)  inputs, one example per column
        Y : ndarray (n_L, m)  one-hot labels (softmax) or 0/1 labels (sigmoid)

        Returns
        -------
        loss  : float
        grads : dict {"dW1": (n_1, n_0), "db1": (n_1, 1), ...}, the shapes of the parameters;
                new arrays at every call

        The numbers are those of `forward` then `backward`, to the bit; the computation reuses
        work arrays the model keeps between calls (see "the fast path" below).
        """
        where = "MLP.loss_and_grads"
        X = self._check_X(X, where)
        Y = self._check_Y(Y, X, where)
        with np.errstate(over="ignore", invalid="ignore"):  # reported as an error instead
            if self._fast_path_fits():
                loss, grads = self._fast_loss_and_grads(X, Y, where)
            else:
                loss, grads = self._loss_and_grads(X, Y, where)
        self._check_grads_finite(grads, where)
        return loss, grads

    def _loss_and_grads(self, X, Y, where):
        """The readable path: forward and backward through the layers of helpers.layers."""
        Z, caches = self._scores(X)
        loss, dZ = _OUTPUT[self.output][1](Z, Y)
        if not np.isfinite(loss):
            self._not_finite(where, "the loss")
        return loss, self._backward(dZ, caches)

    # -- the fast path ----------------------------------------------------------------------------
    # loss_and_grads and fit compute exactly what _loss_and_grads computes, operation for
    # operation, but write the activations and their gradients into arrays the model keeps
    # from one call to the next, as frameworks do. A fresh array of a few hundred kilobytes costs
    # a page fault per 4 kB the first time it is written (in a fresh process the C allocator
    # takes such arrays from the system and gives them back after each call): on 784-256-128-10
    # with a batch of 256 that was 750 to 1,300 faults a call, and with the work arrays it is
    # none (benchmarks/README.md). The gradients returned are fresh arrays all the same: nothing
    # the caller keeps is overwritten by a later call.
    # tests/test_mlp_fast_path.py checks that both paths give the same bits.

    def _fast_path_fits(self):
        """Whether every parameter has the dtype and shape the work arrays are made for."""
        sizes = self.layer_sizes
        for l in range(1, self.L + 1):
            W, b = self.params.get(f"W{l}"), self.params.get(f"b{l}")
            for value, shape in ((W, (sizes[l], sizes[l - 1])), (b, (sizes[l], 1))):
                if type(value) is not np.ndarray or value.dtype != self.dtype:
                    return False
                if value.shape != shape:
                    return False
        return True

    def _work_arrays(self, m):
        """A[l] (n_l, m) for l = 1..L and dA[l] for the hidden layers, kept for _WORK_SIZES
        batch sizes; A[l] holds Z[l] until the activation overwrites it."""
        work = self._work.pop(m, None)
        if work is None:
            if len(self._work) >= _WORK_SIZES:
                del self._work[next(iter(self._work))]  # the batch size used longest ago
            n = self.layer_sizes
            work = {
                "A": [None] + [np.empty((n[l], m), self.dtype) for l in range(1, self.L + 1)],
                "dA": [None] + [np.empty((n[l], m), self.dtype) for l in range(1, self.L)],
            }
        self._work[m] = work  # last in the dict: used most recently
        return work

    def _fast_loss_and_grads(self, X, Y, where, grads=None):
        """_loss_and_grads on the work arrays; into `grads` (arrays of the parameters' shapes,
        fit's) if given, else into fresh arrays."""
        activation_forward, activation_backward = _IN_PLACE[self.activation]
        work = self._work_arrays(X.shape[1])
        A = X
        for l in range(1, self.L + 1):  # Z[l] = W[l] A[l-1] + b[l], then A[l] = g(Z[l])
            Z = np.matmul(self.params[f"W{l}"], A, out=work["A"][l])
            Z += self.params[f"b{l}"]
            if l < self.L:
                activation_forward(Z)
            A = Z
        loss, dZ = _OUTPUT[self.output][1](Z, Y)
        if not np.isfinite(loss):
            self._not_finite(where, "the loss")
        fresh = grads is None
        grads = {} if fresh else grads
        for l in range(self.L, 0, -1):
            A_prev = work["A"][l - 1] if l > 1 else X
            dW, db = (None, None) if fresh else (grads[f"dW{l}"], grads[f"db{l}"])
            grads[f"dW{l}"] = np.matmul(dZ, A_prev.T, out=dW)
            grads[f"db{l}"] = dZ.sum(axis=1, keepdims=True, out=db)
            if l > 1:  # no dA[0] = dL/dX, as in _backward
                dZ = np.matmul(self.params[f"W{l}"].T, dZ, out=work["dA"][l - 1])
                activation_backward(dZ, A_prev)
        return loss, grads

    def loss(self, X, Y):
        """Mean loss over the m examples (no gradients)."""
        where = "MLP.loss"
        X = self._check_X(X, where)
        Y = self._check_Y(Y, X, where)
        with np.errstate(over="ignore", invalid="ignore"):
            loss = _OUTPUT[self.output][1](self._scores(X)[0], Y)[0]
        if not np.isfinite(loss):
            self._not_finite(where, "the loss")
        return loss

    def _scores(self, X):
        """Z[L] and the caches, without checks."""
        activation_forward = _HIDDEN[self.activation][0]
        caches = []
        A = X
        for l in range(1, self.L + 1):
            Z, affine_cache = layers._affine_forward(A, self.params[f"W{l}"], self.params[f"b{l}"])
            if l < self.L:
                A, activation_cache = activation_forward(Z)
            else:
                activation_cache = None
            caches.append((affine_cache, activation_cache))
        return Z, caches

    # -- using the network ---------------------------------------------------------------------

    def predict(self, X):
        """Class index of each example, shape (m,): the argmax of the softmax, or sigmoid > 0.5.

        With a sigmoid output of several units, the unit with the largest score is returned,
        as for softmax; with one unit, 1 where its probability exceeds 0.5 and 0 elsewhere.
        """
        return self._predict(self._check_X(X, "MLP.predict"), "MLP.predict")

    def _predict(self, X, where):
        with np.errstate(over="ignore", invalid="ignore"):
            Z = self._scores(X)[0]
            finite = np.isfinite(Z.sum())
        if not finite:
            self._not_finite(where, "the scores Z[L]")
        if self.output == "sigmoid" and Z.shape[0] == 1:
            return (Z[0] > 0).astype(np.int64)
        return Z.argmax(axis=0)

    def accuracy(self, X, y):
        """Fraction of examples whose predicted class equals y (m,)."""
        where = "MLP.accuracy"
        X = self._check_X(X, where)
        y = _class_indices(y, "y", where, m=X.shape[1])
        return float(np.mean(self._predict(X, where) == y))

    def sgd_step(self, grads, lr):
        """params <- params - lr * grads, in place.

        Every gradient and `lr` are checked before any parameter changes, so a bad argument
        leaves the model as it was.

        Parameters
        ----------
        grads : dict  {"dW1": ..., "db1": ...}, each the shape of its parameter (from
                      `loss_and_grads`)
        lr    : float the step size, positive
        """
        where = "MLP.sgd_step"
        lr = check_number(lr, "lr", where, positive=True)
        if not isinstance(grads, dict):
            raise TypeError(
                f"{where}: grads must be the dict {{'dW1': ..., 'db1': ...}} from loss_and_grads; "
                f"got {type(grads).__name__}"
            )
        missing = [f"d{name}" for name in self.params if f"d{name}" not in grads]
        if missing:
            raise ValueError(
                f"{where}: grads must hold a gradient for every parameter; missing "
                f"{', '.join(missing)} (it has {', '.join(map(str, grads)) or 'none'})"
            )
        updated = {}
        for name, value in self.params.items():
            key = f"d{name}"
            grad = as_float_array(grads[key], f"grads[{key!r}]", where)
            check_shape(grad, value.shape, f"grads[{key!r}]", where, f"that of {name}")
            with quiet_overflow():
                updated[name] = value - lr * grad
            check_finite(updated[name], f"the updated {name}", where)
        for name, value in self.params.items():  # all checked: now change the model
            value[...] = updated[name]

    def _sgd_step(self, grads, lr):
        for name, value in self.params.items():
            value -= lr * grads["d" + name]

    def fit(self, X, Y, epochs=10, lr=0.1, batch_size=32, seed=0):
        """Mini-batch stochastic gradient descent; returns the loss of every step (a list).

        Each epoch visits the examples once in an order drawn from `seed`. If training
        diverges, the error says so and the parameters are put back as they were before the call.
        """
        where = "MLP.fit"
        X = self._check_X(X, where)
        Y = self._check_Y(Y, X, where)
        epochs = check_positive_int(epochs, "epochs", where)
        batch_size = check_positive_int(batch_size, "batch_size", where)
        lr = check_number(lr, "lr", where, positive=True)
        seed = check_seed(seed, where)
        m = X.shape[1]
        n_steps = epochs * -(-m // batch_size)
        if n_steps > MAX_STEPS:
            raise ValueError(
                f"{where}: epochs={epochs} with {-(-m // batch_size)} batches each is "
                f"{n_steps:,} steps; the course stops at {MAX_STEPS:,}. Fewer epochs?"
            )
        rng = np.random.default_rng(seed)
        saved = {name: value.copy() for name, value in self.params.items()}
        history = []
        # the fast path's gradients go to arrays of fit's own, used by one step after another
        fast = self._fast_path_fits()
        grads = {f"d{name}": np.empty_like(value) for name, value in saved.items()} if fast else {}
        try:
            with np.errstate(over="ignore", invalid="ignore"):  # divergence: an error below
                for _ in range(epochs):
                    order = rng.permutation(m)
                    for start in range(0, m, batch_size):
                        batch = order[start : start + batch_size]
                        if fast:
                            loss = self._fast_fit_step(X[:, batch], Y[:, batch], lr, grads, where)
                        else:
                            loss, step = self._loss_and_grads(X[:, batch], Y[:, batch], where)
                            self._sgd_step(step, lr)
                        history.append(loss)
            for name, value in self.params.items():
                check_finite(value, f"params[{name!r}]", where)
        except ValueError as err:
            for name, value in self.params.items():
                value[...] = saved[name]
            raise ValueError(
                f"{err} The parameters are back to their values before this call."
            ) from None
        return history

    def _fast_fit_step(self, X, Y, lr, grads, where):
        """One step of fit on the fast path, on the batch X, Y: the gradients written into
        `grads`, then params -= lr * grads in place."""
        loss, _ = self._fast_loss_and_grads(X, Y, where, grads)
        for name, value in self.params.items():
            grad = grads["d" + name]
            grad *= lr  # lr * grad, as _sgd_step computes it
            value -= grad
        return loss

    # -- checks ----------------------------------------------------------------------------------

    def _check_X(self, X, where):
        X = as_float_array(X, "X", where, ndim=2, dtype=self.dtype)
        if X.shape[0] != self.layer_sizes[0]:
            hint = "; is it transposed?" if X.shape[1] == self.layer_sizes[0] else ""
            raise ValueError(
                f"{where}: X has {X.shape[0]} rows but the network expects "
                f"{self.layer_sizes[0]} input features (X is {shape_str(X.shape)}); "
                f"{LAYOUT}{hint}"
            )
        return X

    def _check_Y(self, Y, X, where):
        shape = (self.layer_sizes[-1], X.shape[1])  # that of the scores Z[L]
        note = ", the scores of the network for X"
        Y = layers._check_labels(Y, shape, where, self.output == "softmax", note)
        return Y.astype(self.dtype, copy=False)

    def _check_caches(self, caches, m, where):
        """The caches of `forward`: L pairs whose arrays fit this network and m examples."""
        what = f"the caches from forward: a list of {self.L} (affine cache, activation cache)"
        if not isinstance(caches, (list, tuple)) or len(caches) != self.L:
            got = f"{len(caches)} entries" if isinstance(caches, (list, tuple)) else "a "
            got += "" if isinstance(caches, (list, tuple)) else type(caches).__name__
            raise TypeError(f"{where}: caches must be {what}; got {got}")
        for l, pair in enumerate(caches, start=1):
            ok = isinstance(pair, tuple) and len(pair) == 2
            affine = pair[0] if ok else None
            ok = ok and isinstance(affine, tuple) and len(affine) == 3
            ok = ok and all(isinstance(a, np.ndarray) for a in affine)
            ok = ok and affine[0].shape == (self.layer_sizes[l - 1], m)
            ok = ok and affine[1].shape == (self.layer_sizes[l], self.layer_sizes[l - 1])
            if l < self.L:
                act = pair[1]
                if self.activation == "leaky_relu":
                    act = act[0] if isinstance(act, tuple) and len(act) == 2 else None
                ok = ok and isinstance(act, np.ndarray) and act.shape == (self.layer_sizes[l], m)
            if not ok:
                raise ValueError(
                    f"{where}: caches must be {what}; entry {l - 1} (layer {l}) does not fit "
                    f"the network {list(self.layer_sizes)} and dZ_L's {m} examples"
                )

    def _check_grads_finite(self, grads, where, inputs="X"):
        with np.errstate(over="ignore", invalid="ignore"):  # once: 1 us a `with`
            totals = {name: grad.sum() for name, grad in grads.items()}
        for name, total in totals.items():
            if not np.isfinite(total) and not np.isfinite(grads[name]).all():
                raise ValueError(
                    f"{where}: the gradient {name} overflows a float: {inputs} must be smaller "
                    f"in size"
                )

    def _not_finite(self, where, what):
        """Explain a NaN or infinity: first in a parameter, else an overflow on the way."""
        for name, value in self.params.items():
            check_finite(value, f"params[{name!r}]", where)
        raise ValueError(
            f"{where}: {what} is not finite although every parameter is: an overflow in the "
            f"forward pass. X must be smaller in size (or the weights, init={self.init!r}); or "
            "was the learning rate lr so large that training diverged?"
        )
