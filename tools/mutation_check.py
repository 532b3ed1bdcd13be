"""Do the unit tests catch real bugs? Plant realistic one-line bugs in `helpers`, one at a time.

    python -m tools.mutation_check              # every mutation (about 15 minutes)
    python -m tools.mutation_check -k viz       # only those whose description contains "viz"
    python -m tools.mutation_check --list       # list them

Each mutation replaces one exact piece of a line of one module of `helpers` (it must occur
exactly once), in a copy of the repository in a temporary directory: the working tree is never
touched. The unit tests that cover that module then run (`pytest -x`, no notebooks); a mutation
is caught when they fail. The score is caught / total. The exercise checker (helpers.checker,
helpers.exercises) is left out while it is being rewritten. Not run by `make test`.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The test files that cover each module, fastest and most specific first.
TESTS = {
    "_validate": ["test_errors.py", "test_layers.py", "test_fuzz_api.py"],
    "layers": [
        "test_layers.py",
        "test_errors.py",
        "test_stability.py",
        "test_jacobian.py",
        "test_mlp.py",
        "test_fuzz_api.py",
    ],  # fmt: skip
    "mlp": ["test_mlp.py", "test_errors.py", "test_stability.py", "test_fuzz_api.py"],
    "graph": ["test_graph.py", "test_errors.py", "test_viz.py", "test_fuzz_api.py"],
    "viz": ["test_viz.py", "test_fuzz_api.py"],
    "gradcheck": ["test_gradcheck.py", "test_errors.py", "test_mlp.py", "test_fuzz_api.py"],
    "jacobian": ["test_jacobian.py", "test_fuzz_api.py"],
    "data": ["test_data.py", "test_errors.py", "test_mlp.py", "test_fuzz_api.py"],
    "rowlayout": ["test_layers_rows.py", "test_fuzz_api.py"],
    "cost": ["test_cost.py", "test_fuzz_api.py"],
    "labs": ["test_labs.py", "test_fuzz_api.py"],
    "figures": ["test_figures.py", "test_viz.py", "test_fuzz_api.py"],
}

# (module, exact text, replacement, what the bug is)
MUTATIONS = [
    # -- figures -----------------------------------------------------------------------------
    (
        "figures",
        'return data, {"image/png": {"alt": self.description}}',
        "return data, {}",
        "the description does not reach the image's alt",
    ),
    (
        "figures",
        '"text/plain": self.description,',
        '"text/plain": "<Figure>",',
        "a text-only front end shows a placeholder",
    ),  # fmt: skip
    ("figures", "    plt.close(fig)\n", "", "describe leaves the figure to be shown twice"),
    # -- layers ------------------------------------------------------------------------------
    (
        "layers",
        "np.where(Z >= 0, 1.0 / (1.0 + E), E / (1.0 + E))",
        "np.where(Z >= 0, E / (1.0 + E), 1.0 / (1.0 + E))",
        "sigmoid branches swapped",
    ),
    ("layers", "return np.maximum(Z, 0.0)", "return np.maximum(Z, 0.01)", "relu floor 0.01"),
    (
        "layers",
        '"relu": _activation("relu", _relu, lambda Z: (Z > 0).astype(float)),',
        '"relu": _activation("relu", _relu, lambda Z: (Z >= 0).astype(float)),',
        "ACTIVATIONS relu derivative Z >= 0",
    ),
    (
        "layers",
        "lambda Z: np.where(Z > 0, 1.0, 0.01)",
        "lambda Z: np.where(Z > 0, 1.0, 0.0)",
        "ACTIVATIONS leaky derivative without the leak",
    ),
    (
        "layers",
        "lambda Z: _sigmoid(Z) * (1 - _sigmoid(Z))",
        "lambda Z: _sigmoid(Z) * (1 - Z)",
        "ACTIVATIONS sigmoid derivative s(1 - Z)",
    ),
    (
        "layers",
        '"tanh": _activation("tanh", np.tanh, lambda Z: 1 - np.tanh(Z) ** 2),',
        '"tanh": _activation("tanh", np.tanh, lambda Z: 1 - Z**2),',
        "ACTIVATIONS tanh derivative 1 - Z^2",
    ),
    (
        "layers",
        '"identity": _activation("identity", lambda Z: Z.copy(), np.ones_like),',
        '"identity": _activation("identity", lambda Z: Z.copy(), np.zeros_like),',
        "ACTIVATIONS identity derivative 0",
    ),
    ("layers", "    Z += b  # in place", "    Z -= b  # in place", "affine bias subtracted"),
    (
        "layers",
        "dA_prev = W.T @ dZ if input_grad else None",
        "dA_prev = W @ dZ.T if input_grad else None",
        "affine dA_prev without the transpose",
    ),
    (
        "layers",
        "    dW = dZ @ A_prev.T\n",
        "    dW = dZ @ A_prev.T / dZ.shape[1]\n",
        "affine dW divided by m",
    ),
    (
        "layers",
        "db = dZ.sum(axis=1, keepdims=True)",
        "db = dZ.mean(axis=1, keepdims=True)",
        "affine db as a mean",
    ),
    ("layers", "    dZ = dA * (Z > 0)\n", "    dZ = dA * (Z >= 0)\n", "relu_backward mask Z >= 0"),
    (
        "layers",
        "return np.where(Z > 0, dA, alpha * dA)",
        "return np.where(Z > 0, dA, 0.01 * dA)",
        "leaky backward ignores alpha",
    ),
    (
        "layers",
        "np.where(Z > 0, Z, alpha * Z), (Z, alpha)",
        "np.where(Z > 0, Z, 0.01 * Z), (Z, alpha)",
        "leaky forward ignores alpha",
    ),
    ("layers", "return dA * A * (1.0 - A)", "return dA * A * (1.0 + A)", "sigmoid_backward sign"),
    ("layers", "return dA * (1.0 - A * A)", "return dA * (1.0 - A)", "tanh_backward 1 - A"),
    (
        "layers",
        "E = np.exp(Z - Z.max(axis=0, keepdims=True))",
        "E = np.exp(Z - Z.max(axis=1, keepdims=True))",
        "softmax shift by the row maximum",
    ),
    (
        "layers",
        "    E /= E.sum(axis=0, keepdims=True)",
        "    E /= E.sum(axis=1, keepdims=True)",
        "softmax normalises rows",
    ),
    ("layers", "    dZ /= m\n", "    dZ /= m * m\n", "softmax_cross_entropy dZ / m^2"),
    ("layers", "    dZ -= Y\n", "    dZ += Y\n", "softmax_cross_entropy dZ = P + Y"),
    ("layers", "dZ = (_sigmoid(Z) - Y) / m", "dZ = (_sigmoid(Z) - Y)", "sigmoid_ce dZ without 1/m"),
    (
        "layers",
        "np.maximum(Z, 0.0) - Y * Z + np.log1p",
        "np.maximum(Z, 0.0) + Y * Z + np.log1p",
        "sigmoid_ce loss sign of Y Z",
    ),
    (
        "layers",
        "if a_min < low or a_max > high:",
        "if a_min < low and a_max > high:",
        "sigmoid/tanh cache range check with and",
    ),
    ("layers", "if off[worst] > 1e-6:", "if off[worst] > 1e6:", "one-hot column sums unchecked"),
    (
        "layers",
        "if A_prev.shape[0] != n_in or b.shape != (n_out, 1):",
        "if A_prev.shape[0] != n_in:",
        "affine cache b shape unchecked",
    ),
    (
        "layers",
        '    cached = as_float_array(cached, "cache", where)\n',
        "",
        "elementwise caches not converted or checked",
    ),
    # -- mlp ---------------------------------------------------------------------------------
    (
        "mlp",
        "return (Z[0] > 0).astype(np.int64)",
        "return (Z[0] > 0.5).astype(np.int64)",
        "binary predict thresholds the score at 0.5",
    ),
    ("mlp", "return Z.argmax(axis=0)", "return Z.argmax(axis=1)", "predict argmax over units"),
    ("mlp", "std = np.sqrt(2.0 / n_in)", "std = np.sqrt(1.0 / n_in)", "He init without the 2"),
    (
        "mlp",
        "std = np.sqrt(2.0 / (n_in + n_out))",
        "std = np.sqrt(2.0 / n_in)",
        "Xavier init is He",
    ),
    (
        "mlp",
        "if l > 1:\n                dZ = activation_backward(dA_prev, caches[l - 2][1])",
        "if l > 1:\n                dZ = activation_backward(dA_prev, caches[l - 1][1])",
        "backward uses the wrong layer's cache",
    ),
    (
        "mlp",
        'value -= lr * grads["d" + name]',
        'value += lr * grads["d" + name]',
        "fit steps uphill",
    ),
    (
        "mlp",
        "value[...] = updated[name]",
        "value[...] = value - updated[name]",
        "sgd_step writes the wrong value",
    ),
    (
        "mlp",
        "for start in range(0, m, batch_size):",
        "for start in range(0, m - 1, batch_size):",
        "fit skips the last example",
    ),
    ("mlp", "order = rng.permutation(m)", "order = np.arange(m)", "fit never shuffles"),
    (
        "mlp",
        "lambda Z: (np.where(Z > 0, Z, 0.01 * Z), (Z, 0.01)),",
        "lambda Z: (np.where(Z > 0, Z, 0.1 * Z), (Z, 0.01)),",
        "MLP leaky slope 0.1 forward",
    ),
    ("mlp", "value[...] = saved[name]", "pass", "fit keeps a diverged model"),
    (
        "mlp",
        'self.params[f"b{l}"] = np.full((n_out, 1), bias, dtype=self.dtype)',
        'self.params[f"b{l}"] = np.zeros((n_out, 1), dtype=self.dtype)',
        "bias argument ignored",
    ),
    (
        "mlp",
        'missing = [f"d{name}" for name in self.params if f"d{name}" not in grads]',
        "missing = []",
        "sgd_step does not look for missing gradients",
    ),
    (
        "mlp",
        'y = _class_indices(y, "y", where, m=X.shape[1])',
        'y = _class_indices(y, "y", where)',
        "accuracy does not check y's length",
    ),
    (
        "mlp",
        'where = "MLP.loss"\n        X = self._check_X(X, where)',
        'where = "MLP.loss"\n        Y = self._check_Y(Y, X, where)\n'
        "        X = self._check_X(X, where)",
        "loss checks Y before converting X (nested lists fail)",
    ),
    # -- graph -------------------------------------------------------------------------------
    (
        "graph",
        "local_grads=(other.value, self.value),",
        "local_grads=(self.value, other.value),",
        "multiply gate does not swap",
    ),
    ("graph", "local_grads=(1.0, 1.0),", "local_grads=(1.0, -1.0),", "add gate negates"),
    (
        "graph",
        "local = exponent * self.value ** (exponent - 1)",
        "local = exponent * self.value**exponent",
        "power rule exponent",
    ),
    (
        "graph",
        "return Node(r, parents=(self,), local_grads=(-r * r,)",
        "return Node(r, parents=(self,), local_grads=(r * r,)",
        "1/x local gradient sign",
    ),
    (
        "graph",
        'local_grads=(e,), op="exp"',
        'local_grads=(self.value,), op="exp"',
        "exp local gradient is x",
    ),
    ("graph", "local_grads=(1 / self.value,),", "local_grads=(self.value,),", "log local gradient"),
    (
        "graph",
        'local_grads=(s * (1 - s),), op="sigmoid"',
        'local_grads=(s,), op="sigmoid"',
        "sigmoid node local gradient s",
    ),
    (
        "graph",
        'local_grads=(1 - t * t,), op="tanh"',
        'local_grads=(1 - t,), op="tanh"',
        "tanh node local gradient 1 - t",
    ),
    ("graph", "on = self.value > 0", "on = self.value >= 0", "relu node slope 1 at 0"),
    ("graph", "a_wins = a.value >= b.value", "a_wins = a.value > b.value", "max tie goes to b"),
    (
        "graph",
        "            grad[id(parent)] += share",
        "            grad[id(parent)] = share",
        "branch gradients overwrite instead of adding",
    ),
    ("graph", "grad[id(root)] = 1.0", "grad[id(root)] = 0.0", "backward seed 0"),
    ("graph", "for node in reversed(order):", "for node in order:", "backward in forward order"),
    (
        "graph",
        "if self.value < 0 and not exponent.is_integer():",
        "if False:",
        "negative base with a fractional power accepted",
    ),
    (
        "graph",
        "return Node(-self.value, parents=(self,), local_grads=(-1.0,)",
        "return Node(-self.value, parents=(self,), local_grads=(1.0,)",
        "negation local gradient",
    ),
    # -- viz ---------------------------------------------------------------------------------
    (
        "viz",
        '(above, 2.5, "bottom", _VALUE, "value"),',
        '(above, 2.5, "bottom", _VALUE, "grad"),',
        "drawing swaps the value and gradient labels",
    ),
    (
        "viz",
        '(below, -2.5, "top", _GRAD, "grad"),',
        '(below, 2.5, "top", _GRAD, "grad"),',
        "gradient label drawn above the edge",
    ),
    (
        "viz",
        "color, lw, style = _DOWN, _THICK, _DASHED",
        "color, lw, style = _UP, _THICK, _DASHED",
        "downstream edges drawn in the upstream colour",
    ),
    (
        "viz",
        "color, lw = _UP, _THICK",
        "color, lw = _DOWN, _THICK",
        "upstream edge drawn in the downstream colour",
    ),
    (
        "viz",
        'return f"1 - {me}^2"',
        'return f"1 - {x}^2"',
        "stepper gives tanh's local gradient as 1 - x^2",
    ),
    (
        "viz",
        'return f"{me} (1 - {me})"',
        'return f"{x} (1 - {x})"',
        "stepper gives sigmoid's local gradient in the input",
    ),
    (
        "viz",
        "known = all(by_node[id(c)].number <= done for c in users)",
        "known = any(by_node[id(c)].number <= done for c in users)",
        "a branch's sum shown before all its consumers sent gradients",
    ),
    (
        "viz",
        'grad = f"{s.contributions[i][2]:.2f}" if s.number <= done else None',
        'grad = f"{s.contributions[i][2]:.2f}" if s.number < done else None',
        "gradients of the current step not shown",
    ),
    ("viz", 'return f"exp({x}) = {me}"', 'return f"{x}"', "stepper exp rule"),
    ("viz", 'return f"-1/{x}^2"', 'return f"1/{x}^2"', "stepper 1/x rule sign"),
    (
        "viz",
        "current = steps[step - 1] if step else None",
        "current = steps[step] if step < len(steps) else None",
        "draw_graph highlights the next step",
    ),
    ("viz", "z = p0 + p1 + float(w[2])", "z = p0 + p1 - float(w[2])", "neuron bias sign"),
    ("viz", 'nodes["f"] = 1 / nodes["d"]', 'nodes["f"] = 2 / nodes["d"]', "neuron output doubled"),
    (
        "viz",
        'dx = np.array([nodes[k].grad for k in ("x0", "x1")])',
        'dx = np.array([nodes[k].grad for k in ("x1", "x0")])',
        "neuron_gradients dx swapped",
    ),
    ("viz", "write_grads()  # only now", "pass  # only now", "draw_graph never writes gradients"),
    # -- gradcheck ---------------------------------------------------------------------------
    (
        "gradcheck",
        "grad[index] = (f_plus - f_minus) / (2 * h)",
        "grad[index] = (f_plus - f_minus) / h",
        "numerical gradient divided by h, not 2h",
    ),
    (
        "gradcheck",
        "            x[index] = old  # the caller's",
        "            pass  # the caller's",
        "numerical_gradient leaves x nudged",
    ),
    ("gradcheck", "x[index] = old - h", "x[index] = old", "one-sided difference"),
    (
        "gradcheck",
        "np.maximum(0.5e-8, np.abs(a) + np.abs(b))",
        "np.maximum(0.5e-8, np.abs(a))",
        "rel_error relative to a only",
    ),
    (
        "gradcheck",
        "return float(np.max(np.abs(a - b)",
        "return float(np.mean(np.abs(a - b)",
        "rel_error mean instead of max",
    ),
    ("gradcheck", '    check_finite(x, "x", where)\n', "", "numerical_gradient accepts NaN in x"),
    (
        "gradcheck",
        'a = as_float_array(a, "a", where, allow_empty=True)',
        'a = as_float_array(a, "a", where, allow_empty=True, finite=False)',
        "rel_error passes NaN quietly",
    ),
    (
        "gradcheck",
        'errors[name] = rel_error(grads["d" + name], numeric)',
        'errors[name] = rel_error(grads["d" + name], grads["d" + name])',
        "model_gradient_errors compares backprop with itself",
    ),
    # -- jacobian ----------------------------------------------------------------------------
    (
        "jacobian",
        "J[:, j] = (plus - minus).reshape(-1) / (2 * h)",
        "J[j, :] = (plus - minus).reshape(-1) / (2 * h)",
        "numerical_jacobian fills rows",
    ),
    (
        "jacobian",
        "return np.diag(s) - np.outer(s, s)",
        "return np.diag(s) - np.outer(s, s) * 2",
        "softmax_jacobian off-diagonal doubled",
    ),
    (
        "jacobian",
        "dW, dx = delta @ x.T, W.T @ delta",
        "dW, dx = x @ delta.T, W.T @ delta",
        "matvec_vjp dW transposed",
    ),
    (
        "jacobian",
        "J = np.array([[2.0 * t], [np.cos(t)]])",
        "J = np.array([[2.0 * t], [-np.cos(t)]])",
        "example_f_jacobian sign of cos",
    ),
    (
        "jacobian",
        "J = np.array([[y2, y1], [np.exp(y1), 2.0 * y2]])",
        "J = np.array([[y1, y2], [np.exp(y1), 2.0 * y2]])",
        "example_g_jacobian swapped entries",
    ),
    ("jacobian", "        self.calls += 1\n", "", "CallCounter never counts"),
    # -- data, rowlayout, cost, labs, _validate ------------------------------------------------
    (
        "data",
        "Y[labels, np.arange(labels.size)] = 1.0",
        "Y[labels, 0] = 1.0",
        "one_hot puts every example in column 0",
    ),
    (
        "data",
        "if labels.min() < 0 or labels.max() >= n_classes:",
        "if labels.min() < 0 or labels.max() > n_classes:",
        "one_hot accepts label n_classes",
    ),
    (
        "data",
        "X, y = images[order].T / 16.0, labels[order]",
        "X, y = images[order].T / 16.0, labels",
        "digits shuffles images but not labels",
    ),
    ("rowlayout", "        Z = X @ W + b\n", "        Z = X @ W\n", "row layout without bias"),
    (
        "rowlayout",
        "grads = dZ @ W.T, X.T @ dZ, dZ.sum(axis=0)",
        "grads = dZ @ W.T, X.T @ dZ, dZ.sum(axis=1)",
        "row layout db over the wrong axis",
    ),
    (
        "cost",
        "numerical_s = nudges_s * n_params / len(targets)",
        "numerical_s = nudges_s",
        "cost does not scale the sampled time",
    ),
    (
        "cost",
        "grads[t] = (plus - minus) / (2 * h)",
        "grads[t] = (plus - minus) / h",
        "cost's central difference over h",
    ),
    (
        "labs",
        "return float(np.mean(A * (1.0 - A) < threshold)) if A.size else 0.0",
        "return float(np.mean(A * (1.0 - A) <= threshold)) if A.size else 0.0",
        "saturated_fraction with <=",
    ),
    (
        "labs",
        "return ~(Z > 0).any(axis=1)",
        "return ~(Z >= 0).any(axis=1)",
        "a unit reaching 0 counts as firing",
    ),
    (
        "labs",
        "return ~(Z > 0).any(axis=1)",
        "return ~(Z > 0).any(axis=0)",
        "dead_units per example",
    ),
    (
        "labs",
        "stds.append(scale * rule)",
        "stds.append(rule)",
        "weight_stds ignore the scale",
    ),
    (
        "labs",
        "back |= before & ~now",
        "back |= ~before & now",
        "revived counts units that died",
    ),
    (
        "_validate",
        "    if arr.size == 0 and not allow_empty:",
        "    if False:",
        "empty arrays accepted",
    ),
    ("_validate", "if arr.size and not np.isfinite(total):", "if False:", "finiteness unchecked"),
    ("_validate", "if positive and value <= 0:", "if positive and value < 0:", "zero is positive"),
    (
        "_validate",
        "    if n > MAX_ELEMENTS:",
        "    if n > MAX_ELEMENTS**2:",
        "huge sizes allocated",
    ),
    ("_validate", "    if seed < 0:", "    if seed < -1:", "seed -1 accepted"),
]


def _copy_repo(dest):
    for name in ("helpers", "tests"):
        shutil.copytree(ROOT / name, dest / name,
                        ignore=shutil.ignore_patterns("__pycache__", "browser"))  # fmt: skip
    shutil.copy(ROOT / "pyproject.toml", dest / "pyproject.toml")


def _run_tests(repo, module):
    files = [f"tests/{name}" for name in TESTS[module] if (repo / "tests" / name).exists()]
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
               "-o", "addopts=", *files]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(repo), "MPLBACKEND": "Agg"}
    done = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True)
    return done.returncode


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", default="", help="only mutations whose description contains this")
    parser.add_argument("--list", action="store_true", help="list the mutations and stop")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTATIONS if args.k in f"{m[0]} {m[3]}"]
    if args.list:
        for module, _, _, what in chosen:
            print(f"{module:10} {what}")
        return 0
    with tempfile.TemporaryDirectory(prefix="mutation-") as tmp:
        repo = Path(tmp)
        _copy_repo(repo)
        check = subprocess.run([sys.executable, "-c", "import helpers; print(helpers.__file__)"],
                               cwd=repo, env={**os.environ, "PYTHONPATH": str(repo)},
                               capture_output=True, text=True)  # fmt: skip
        assert check.stdout.strip().startswith(str(repo)), check.stdout + check.stderr
        survivors, invalid = [], []
        start = time.perf_counter()
        for i, (module, old, new, what) in enumerate(chosen, 1):
            path = repo / "helpers" / f"{module}.py"
            source = path.read_text()
            if source.count(old) != 1:
                invalid.append(f"{module}: {what} (the text occurs {source.count(old)} times)")
                continue
            path.write_text(source.replace(old, new))
            try:
                caught = _run_tests(repo, module) != 0
            finally:
                path.write_text(source)
            print(f"[{i:3}/{len(chosen)}] {'caught  ' if caught else 'SURVIVED'} {module}: {what}",
                  flush=True)  # fmt: skip
            if not caught:
                survivors.append(f"{module}: {what}")
        total = len(chosen) - len(invalid)
        caught = total - len(survivors)
        print(f"\n{caught}/{total} mutations caught ({100 * caught / max(total, 1):.1f}%) "
              f"in {time.perf_counter() - start:.0f} s")  # fmt: skip
        for line in survivors:
            print(f"  survived: {line}")
        for line in invalid:
            print(f"  not applied: {line}")
    return 0 if not invalid else 1


if __name__ == "__main__":
    sys.exit(main())
