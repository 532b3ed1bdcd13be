"""The affine layer in the row layout, for the side-by-side comparison of notebook 04.

The rest of the course puts one example per column (`helpers.layers`). Many libraries and
courses put one example per *row* instead (PyTorch's tensors, CS231n's `X (N, D)`), and then the
layer reads `Z = X W + b`. (PyTorch's `nn.Linear` stores its weight as (n_out, n_in) and
computes `X @ weight.T + bias`: its `weight.T` is the `W` of this module.) Transposing
`Z = W A_prev + b` gives exactly that, with `X = A_prev^T` and `W_rows = W^T`, so every
gradient of the row layout is the transpose of its column-layout twin:

    columns (helpers.layers)                 rows (this module)
    A_prev (n_in, m), W (n_out, n_in)        X (m, n_in), W (n_in, n_out)
    b (n_out, 1)                             b (n_out,)
    Z = W @ A_prev + b          (n_out, m)   Z = X @ W + b          (m, n_out)
    dA_prev = W.T @ dZ                       dX = dZ @ W.T
    dW = dZ @ A_prev.T                       dW = X.T @ dZ
    db = dZ.sum(axis=1, keepdims=True)       db = dZ.sum(axis=0)
"""

from ._validate import (
    as_float_array,
    check_alloc,
    check_output,
    check_shape,
    quiet_overflow,
    shape_str,
)

LAYOUT_ROWS = "examples are rows in this module"


def affine_forward_rows(X, W, b):
    """Z = X @ W + b, one example per row (notebook 04).

    Parameters
    ----------
    X : ndarray (m, n_in)      inputs, one example per row
    W : ndarray (n_in, n_out)  weights: column k holds the weights into output unit k
    b : ndarray (n_out,)       biases, broadcast across the m rows

    Returns
    -------
    Z     : ndarray (m, n_out)
    cache : (X, W, b) for affine_backward_rows
    """
    where = "affine_forward_rows"
    X = _as_matrix(X, "X", where, "(examples, features)")
    W = _as_matrix(W, "W", where, "(n_in, n_out)")
    b = as_float_array(b, "b", where)
    n_in, n_out = W.shape
    if X.shape[1] != n_in:
        raise ValueError(
            f"{where}: X has {X.shape[1]} columns but W expects {n_in} inputs "
            f"(W is {shape_str(W.shape)}, X is {shape_str(X.shape)}); {LAYOUT_ROWS}"
        )
    check_shape(b, (n_out,), "b", where, f"one bias per column of W {shape_str(W.shape)}")
    check_alloc((X.shape[0], n_out), f"Z ({X.shape[0]} examples x {n_out} units)", where)
    with quiet_overflow():
        Z = X @ W + b
    return check_output(Z, "Z = X @ W + b", where, "X, W and b"), (X, W, b)


def affine_backward_rows(dZ, cache):
    """Gradients of Z = X @ W + b, given the upstream gradient dZ (notebook 04).

    Parameters
    ----------
    dZ    : ndarray (m, n_out)  upstream gradient dL/dZ, one example per row
    cache : (X, W, b)           from affine_forward_rows

    Returns
    -------
    dX : ndarray (m, n_in)      dZ @ W.T
    dW : ndarray (n_in, n_out)  X.T @ dZ (a sum of outer products over the examples)
    db : ndarray (n_out,)       dZ summed over the examples (axis 0)
    """
    where = "affine_backward_rows"
    if not isinstance(cache, tuple) or len(cache) != 3:
        got = f"a tuple of {len(cache)}" if isinstance(cache, tuple) else type(cache).__name__
        raise TypeError(f"{where}: cache must be the (X, W, b) from affine_forward_rows; got {got}")
    X, W, b = cache
    X = _as_matrix(X, "cache[0] (X)", where, "(examples, features)")
    W = _as_matrix(W, "cache[1] (W)", where, "(n_in, n_out)")
    b = as_float_array(b, "cache[2] (b)", where)
    if X.shape[1] != W.shape[0] or b.shape != (W.shape[1],):
        raise ValueError(
            f"{where}: cache must be the (X, W, b) from affine_forward_rows; its shapes do not "
            f"fit together: X {shape_str(X.shape)}, W {shape_str(W.shape)}, b "
            f"{shape_str(b.shape)}; {LAYOUT_ROWS}"
        )
    dZ = _as_matrix(dZ, "dZ", where, "(examples, n_out)")
    check_shape(dZ, (X.shape[0], W.shape[1]), "dZ", where, f"the shape of Z; {LAYOUT_ROWS}")
    with quiet_overflow():
        grads = dZ @ W.T, X.T @ dZ, dZ.sum(axis=0)
    for name, grad in zip(("dX", "dW", "db"), grads):
        check_output(grad, name, where, "dZ and the cache")
    return grads


def _as_matrix(x, name, where, axes):
    # as_float_array's own 2-D message speaks of the column layout; this one names the rows.
    x = as_float_array(x, name, where)
    if x.ndim != 2:
        hint = "; for one example use x.reshape(1, -1)" if x.ndim == 1 and name != "W" else ""
        raise ValueError(
            f"{where}: {name} must be a 2-D array {axes}, {LAYOUT_ROWS}; got {x.ndim}-D shape "
            f"{shape_str(x.shape)}{hint}"
        )
    return x
