"""The exercise checker: runs a learner's function beside the reference and names the mistake.

check_exercise(mine, "relu_backward")   the usual call, by the exercise's name
check_exercise(mine, layers.relu_backward)   the same, by the reference function
Exercise, Mistake                        what an exercise declares (see `helpers.exercises`)

Each exercise of the course is declared once, in `helpers.exercises`: how to draw inputs that test
what it is about (exact zeros at a kink, scores near +-1000, a batch size that differs from every
other size), the reference, the names of the outputs, the batch size m, and the mistakes it can
name. The checker answers like a teaching assistant: "not implemented yet", a pass, or the likely
mistake, never a bare number. Introduced in notebook 00.
"""

import re
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ._validate import shape_str

_HELPERS = str(Path(__file__).resolve().parent)


# ----------------------------------------------------------------------------------------------
# What an exercise declares


@dataclass(frozen=True)
class Mistake:
    """One named mistake: `output` would equal `value` (or satisfy it, if callable).

    output  : int or str   the index or the name of the output the mistake shows in
    value   : ndarray, number, or callable (have, all outputs) -> bool
    message : str          what to tell the learner, completing "<output> ..."
    key     : str          a short identifier ("transposed", "stray_1/m", ...)
    """

    output: object
    value: object
    message: str
    key: str = ""


@dataclass(frozen=True)
class Exercise:
    """The specification of one exercise.

    name      : str                       how notebooks ask for it: check_exercise(mine, name)
    reference : callable                  the course's answer, with the learner's arguments
    inputs    : callable (rng, trial)     -> tuple of arguments; vary the sizes with `trial`
    outputs   : tuple of str              the names of the outputs, in order (or args -> names)
    notebook  : str                       where the exercise is ("04_relu_affine_bias")
    mistakes  : callable (args, expected) -> list of Mistake, the mistakes this exercise names
    m         : callable (args)           -> the batch size, for the 1/m mistakes (None: no batch)
    probes    : callable (rng)            -> inputs on which common crashing mistakes run (equal
                                          layer widths, say), used only to explain a crash
    trials    : int                       how many inputs a check runs by default
    run       : callable (mine, args)     -> outputs; how to call the learner's code (default:
                                          mine(*args)); for exercises on classes and loops
    arguments : tuple of str              the names of the arguments, for the messages
    """

    name: str
    reference: Callable
    inputs: Callable
    outputs: tuple
    notebook: str = ""
    mistakes: Callable = None
    m: Callable = None
    probes: Callable = None
    trials: int = 4
    run: Callable = None
    reference_run: Callable = None
    arguments: tuple = ()


EXERCISES = {}


def register(exercise):
    """Add `exercise` to the registry (each name once) and return it."""
    if exercise.name in EXERCISES:
        raise ValueError(f"register: an exercise named {exercise.name!r} exists already")
    EXERCISES[exercise.name] = exercise
    return exercise


def _registry():
    from . import exercises  # noqa: F401  (fills EXERCISES)

    return EXERCISES


# ----------------------------------------------------------------------------------------------
# The verdict


@dataclass(frozen=True)
class CheckResult:
    """What `check_exercise` found.

    status  : "pass", "not implemented yet", "wrong" or "error" (your code raised)
    message : one line for the learner
    mistake : the key of the mistake named, or None
    """

    name: str
    status: str
    message: str
    mistake: str = None

    @property
    def passed(self):
        return self.status == "pass"

    def __str__(self):
        return self.message

    def __repr__(self):
        return self.message

    def __bool__(self):
        return self.passed


# ----------------------------------------------------------------------------------------------
# check_exercise


def check_exercise(
    mine, exercise=None, *, trials=None, seed=0, make_inputs=None, output_names=None, reference=None
):
    """Run your function and the reference on the same inputs; say pass or name the mistake.

    Parameters
    ----------
    mine         : callable         your function, with the reference's arguments
    exercise     : str or callable  the exercise's name ("relu_backward"), or the reference
                                    function from `helpers` (layers.relu_backward)
    trials       : int              how many inputs to try (default: the exercise's own number)
    seed         : int              seed of the random inputs
    make_inputs  : callable         rng -> tuple of arguments, for a function that is not a
                                    course exercise (or to try your own inputs)
    output_names : tuple of str     names of the outputs, for the messages

    Returns
    -------
    CheckResult  prints as one line: pass, "not implemented yet", or the likely mistake
    """
    where = "check_exercise"
    if isinstance(mine, str) and callable(exercise):  # check_exercise("relu_backward", mine)
        mine, exercise = exercise, mine
    exercise = reference if exercise is None else exercise
    spec = _find_spec(exercise, make_inputs, output_names, where)
    if not callable(mine):
        raise TypeError(
            f"{where}: mine must be your function (the one you wrote for {spec.name!r}); got "
            f"{type(mine).__name__}"
        )
    trials = spec.trials if trials is None else trials
    if isinstance(trials, bool) or not isinstance(trials, (int, np.integer)) or trials < 1:
        raise ValueError(f"{where}: trials must be a positive integer; got {trials!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"{where}: seed must be a non-negative integer; got {seed!r}")
    return _Session(spec, mine).check(int(trials), int(seed))


def _find_spec(exercise, make_inputs, output_names, where):
    names = _output_names(output_names, where)
    registry = _registry()
    spec = None
    if isinstance(exercise, str):
        spec = registry.get(exercise)
        if spec is None:
            raise ValueError(
                f"{where}: no exercise named {exercise!r}. Known: {', '.join(sorted(registry))}"
            )
    elif callable(exercise):
        spec = next((s for s in registry.values() if s.reference is exercise), None)
        if spec is None:
            spec = registry.get(getattr(exercise, "__name__", ""))
            if spec is not None and make_inputs is not None:
                spec = None  # a function of the same name, with inputs of its own
    elif exercise is None:
        raise TypeError(
            f"{where}: say which exercise to check, e.g. check_exercise(mine, 'relu_backward'); "
            f"known: {', '.join(sorted(registry))}"
        )
    else:
        raise TypeError(
            f"{where}: exercise must be an exercise's name or the reference function; got "
            f"{type(exercise).__name__}"
        )
    if make_inputs is not None and not callable(make_inputs):
        raise TypeError(
            f"{where}: make_inputs must be a function rng -> tuple of arguments; got "
            f"{type(make_inputs).__name__}"
        )
    if spec is None:
        if make_inputs is None:
            raise ValueError(
                f"{where}: {getattr(exercise, '__name__', 'this function')!r} is not a course "
                f"exercise, so the checker needs make_inputs=lambda rng: (...). Exercises: "
                f"{', '.join(sorted(registry))}"
            )
        return Exercise(
            getattr(exercise, "__name__", "reference"),
            exercise,
            lambda rng, trial: _as_args(make_inputs(rng)),
            names,
            trials=3,
        )
    if make_inputs is not None:  # the exercise's knowledge stays; only the inputs change
        spec = _replace(spec, inputs=lambda rng, trial: _as_args(make_inputs(rng)), probes=None)
    if names:
        spec = _replace(spec, outputs=names)
    return spec


def _replace(spec, **changes):
    return replace(spec, **changes)


def _output_names(output_names, where):
    if output_names is None:
        return ()
    if isinstance(output_names, str):
        return (output_names,)
    if not isinstance(output_names, (tuple, list)) or not all(
        isinstance(n, str) for n in output_names
    ):
        raise TypeError(
            f"{where}: output_names must be a tuple of strings such as ('dA_prev', 'dW', 'db'); "
            f"got {output_names!r}"
        )
    return tuple(output_names)


def _as_args(args):
    return tuple(args) if isinstance(args, (tuple, list)) else (args,)


class _Verdict(Exception):
    """Raised inside a check to stop it with a result."""

    def __init__(self, result):
        super().__init__(result.message)
        self.result = result


class _Session:
    """One check of one learner function against one exercise."""

    def __init__(self, spec, mine):
        self.spec = spec
        self.mine = mine
        self.name = spec.name

    def result(self, status, text, mistake=None):
        return CheckResult(self.name, status, f"{self.name}: {text}", mistake)

    def check(self, trials, seed):
        notes = []
        try:
            for trial in range(trials):
                rng = np.random.default_rng(seed + trial)
                args = _as_args(self.spec.inputs(rng, trial))
                expected = self.reference(args)
                got, changed = self.call(args, seed + trial)
                try:
                    self.compare(args, expected, got)
                except _Verdict as verdict:
                    if changed:  # the change may be the very cause: say so
                        note = f"{verdict.result.message} Note: {changed}"
                        raise _Verdict(replace(verdict.result, message=note)) from None
                    raise
                if changed and not notes:
                    notes.append(changed)
        except _Verdict as verdict:
            return verdict.result
        note = f" Note: {notes[0]}" if notes else ""
        return self.result("pass", f"passed on {trials} random inputs.{note}")

    def reference(self, args):
        run = self.spec.reference_run or (lambda f, a: f(*a))
        return _as_tuple(run(self.spec.reference, _deep_copy(args)))

    # -- calling the learner's function ---------------------------------------------------------

    def call(self, args, seed):
        """The learner's outputs on `args` (copied), and a note if an argument was changed."""
        given = _deep_copy(args)
        run = self.spec.run or (lambda f, a: f(*a))
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            try:
                got = run(self.mine, given)
            except NotImplementedError:
                raise _Verdict(
                    self.result(
                        "not implemented yet",
                        "not implemented yet. Replace `raise NotImplementedError` with your "
                        "code and run that cell again.",
                    )
                ) from None
            except Exception as err:  # the learner's bug, explained rather than raised
                raise _Verdict(self.explain_crash(err, args, seed)) from None
        changed = _changed_in_place(args, given)
        return got, changed

    def explain_crash(self, err, args, seed):
        where = _learner_line(err)
        shapes = _describe(args, self.spec.arguments)
        text = (
            f"your code raised {type(err).__name__}{where}: {_first_line(err)} (inputs: {shapes})."
        )
        diagnosis = self.diagnose_with_probes(seed)
        if diagnosis:
            return self.result(
                "wrong",
                f"{diagnosis.message} On the checker's first inputs it crashed instead: "
                f"{type(err).__name__}{where}: {_first_line(err)}",
                diagnosis.key,
            )
        hint = _shape_hint_for_error(err)
        return self.result("error", text + hint, "raised")

    def diagnose_with_probes(self, seed):
        """Run the learner's code on inputs where common crashing mistakes run, and name one."""
        if self.spec.probes is None:
            return None
        args = _as_args(self.spec.probes(np.random.default_rng(seed + 1000)))
        expected = self.reference(args)
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            try:
                got = (self.spec.run or (lambda f, a: f(*a)))(self.mine, _deep_copy(args))
            except Exception:
                return None
        try:
            self.compare(args, expected, got)
        except _Verdict as verdict:
            if verdict.result.mistake and verdict.result.status == "wrong":
                return _Found(verdict.result.message.split(": ", 1)[1], verdict.result.mistake)
        return None

    # -- comparing outputs ------------------------------------------------------------------------

    def compare(self, args, expected, got):
        spec = self.spec
        names = spec.outputs(args) if callable(spec.outputs) else spec.outputs
        names = tuple(names) or tuple(f"output {i + 1}" for i in range(len(expected)))
        if got is None:
            raise _Verdict(
                self.result(
                    "wrong",
                    "your function returned None. Did you forget `return`? (expected "
                    f"{_signature(names)})",
                    "returned_none",
                )
            )
        many = len(expected) > 1
        if many:
            if not isinstance(got, (tuple, list)):
                raise _Verdict(
                    self.result(
                        "wrong",
                        f"your function returned {_kind(got)}; expected {len(expected)} "
                        f"values {_signature(names)}",
                        "output_count",
                    )
                )
            got = tuple(got)
            if len(got) != len(expected):
                raise _Verdict(
                    self.result(
                        "wrong",
                        f"your function returned {len(got)} values; expected {len(expected)}: "
                        f"{_signature(names)}",
                        "output_count",
                    )
                )
        else:
            if isinstance(got, tuple) and len(got) == 1:
                got = got[0]
            got = (got,)
        m = spec.m(args) if spec.m else None
        try:
            mistakes = list(spec.mistakes(args, expected)) if spec.mistakes else []
        except Exception:  # inputs of the learner's own (make_inputs) that the catalogue can't read
            mistakes = []
        wrong = [i for i, (want, have) in enumerate(zip(expected, got)) if not _matches(have, want)]
        if not wrong:
            return
        if many:  # right outputs in another order first, then the types of the rest
            self.check_order(names, expected, got, wrong)
        for i in wrong:  # None, a list, a number where an array is due
            self.check_type(names[i], expected[i], got[i])
        for i in wrong:
            self.check_output(i, names[i], expected[i], got, mistakes, m, args)

    def check_type(self, label, want, have):
        if have is None:
            raise _Verdict(
                self.result(
                    "wrong",
                    f"you returned None for {label}; it should be {_expected_kind(want)}",
                    "returned_none",
                )
            )
        if isinstance(want, tuple):
            return
        if isinstance(have, (list, tuple)) and isinstance(want, np.ndarray):
            raise _Verdict(
                self.result(
                    "wrong",
                    f"you returned a {type(have).__name__} for {label}; it should be a numpy "
                    f"array of shape {shape_str(want.shape)}",
                    "not_an_array",
                )
            )
        if _is_number(have) and isinstance(want, np.ndarray) and want.ndim > 0:
            raise _Verdict(
                self.result(
                    "wrong",
                    f"you returned a single number ({_kind(have)}) for {label}; it should be an "
                    f"array of shape {shape_str(want.shape)}",
                    "number_for_array",
                )
            )
        if not _is_number(have) and not isinstance(have, np.ndarray):
            raise _Verdict(
                self.result(
                    "wrong",
                    f"{label} must be {_expected_kind(want)}; you returned a {type(have).__name__}",
                    "wrong_type",
                )
            )
        arr = np.asarray(have)
        if arr.dtype.kind not in "fiub":
            raise _Verdict(
                self.result(
                    "wrong",
                    f"{label} must hold real numbers; yours has dtype {arr.dtype}",
                    "wrong_type",
                )
            )

    def check_order(self, names, expected, got, wrong):
        """Outputs that are right but returned in another order (layers reversed, say)."""
        if len(wrong) < 2:
            return
        moved = []
        for i in wrong:
            j = next((j for j in range(len(got)) if j != i and _matches(got[j], expected[i])), None)
            if j is None:
                return
            moved.append(f"{names[i]} came out in the place of {names[j]}")
        raise _Verdict(
            self.result(
                "wrong",
                f"your outputs are right but in another order ({'; '.join(moved[:3])}): "
                f"return {_signature(names)}",
                "output_order",
            )
        )

    def check_output(self, i, label, want, got, mistakes, m, args):
        have = got[i]
        if isinstance(want, tuple):  # a cache: compare its parts
            self.check_cache(label, want, have)
            return
        have_arr = np.asarray(have, dtype=float)
        want_arr = np.asarray(want, dtype=float)
        for mistake in mistakes:
            target = mistake.output if isinstance(mistake.output, int) else None
            if target is None and mistake.output != label:
                continue
            if target is not None and target != i:
                continue
            if _mistake_matches(mistake.value, have, got, have_arr, want_arr):
                raise _Verdict(self.result("wrong", f"{label} {mistake.message}.", mistake.key))
        if not np.all(np.isfinite(have_arr)) and np.all(np.isfinite(want_arr)):
            bad = "NaN" if np.isnan(have_arr).any() else "infinite"
            raise _Verdict(
                self.result(
                    "wrong",
                    f"{label} holds {bad} values where the reference is finite (inputs: "
                    f"{_describe(args, self.spec.arguments)}): an overflow (exp of a large "
                    "number?) or a division by zero",
                    "not_finite",
                )
            )
        for mistake in _generic_mistakes(want_arr, m, args):
            if mistake.value.shape == have_arr.shape and _close(have_arr, mistake.value):
                raise _Verdict(self.result("wrong", f"{label} {mistake.message}.", mistake.key))
        if have_arr.shape != want_arr.shape and want_arr.ndim == 0:
            raise _Verdict(
                self.result(
                    "wrong",
                    f"{label} should be a single number; you returned an array of shape "
                    f"{shape_str(have_arr.shape)} (float(...) turns a one-entry array into a "
                    f"number{'' if have_arr.size == 1 else '; did you reduce over every axis?'})",
                    "shape",
                )
            )
        if have_arr.shape != want_arr.shape:
            raise _Verdict(
                self.result(
                    "wrong",
                    f"{label} has shape {shape_str(have_arr.shape)}; expected "
                    f"{shape_str(want_arr.shape)}{_shape_hint(have_arr, want_arr)}",
                    "shape",
                )
            )
        factor = _constant_factor(have_arr, want_arr)
        if factor is not None:
            raise _Verdict(
                self.result(
                    "wrong",
                    f"{label} is exactly {_fraction(factor)} times the reference on every "
                    f"entry: a constant factor is wrong (a mean where a sum belongs, or a "
                    f"factor of the loss?)",
                    "constant_factor",
                )
            )
        raise _Verdict(
            self.result(
                "wrong",
                f"{label} differs from the reference (largest relative error "
                f"{_rel(have_arr, want_arr):.2g}{_where_differs(have_arr, want_arr)}), and "
                f"matches none of the mistakes the checker knows. Compare with a small "
                f"example worked by hand.",
                None,
            )
        )

    def check_cache(self, label, want, have):
        if not isinstance(have, (tuple, list)) or len(have) != len(want):
            raise _Verdict(
                self.result(
                    "wrong",
                    f"{label} should be a tuple of {len(want)} arrays (the forward pass's inputs "
                    f"that the backward pass needs); you returned {_kind(have)}",
                    "cache",
                )
            )
        if all(any(_matches(h, w) for h in have) for w in want):
            order = self.spec.arguments[: len(want)] if self.spec.arguments else ()
            order = f": {_signature(order)}" if len(order) == len(want) else ""
            raise _Verdict(
                self.result(
                    "wrong",
                    f"{label} holds the right arrays in another order; the backward pass unpacks "
                    f"it in the order of the forward pass's arguments{order}",
                    "cache_order",
                )
            )
        for part, (w, h) in enumerate(zip(want, have)):
            if not _matches(h, w):
                raise _Verdict(
                    self.result(
                        "wrong",
                        f"{label}[{part}] should be the argument of shape "
                        f"{shape_str(np.shape(w))} passed in; you stored {_kind(h)}",
                        "cache",
                    )
                )


@dataclass(frozen=True)
class _Found:
    message: str
    key: str


# ----------------------------------------------------------------------------------------------
# Comparisons


def _tolerance(have):
    """(rtol, atol relative to the scale) for the learner's dtype: float32 is looser."""
    dtype = getattr(have, "dtype", None)
    if dtype is not None and dtype.kind == "f" and dtype.itemsize <= 2:
        return 2e-2, 2e-3
    if dtype is not None and dtype.kind == "f" and dtype.itemsize <= 4:
        return 2e-4, 2e-5
    return 1e-6, 1e-9


def _close(have, want, dtype_of=None):
    rtol, atol = _tolerance(dtype_of if dtype_of is not None else have)
    scale = float(np.max(np.abs(want))) if np.size(want) else 0.0
    with np.errstate(all="ignore"):
        return bool(np.allclose(have, want, rtol=rtol, atol=atol * max(scale, 1e-3)))


def _matches(have, want):
    """`have` is the learner's output and equals `want` within the learner's dtype's tolerance."""
    if isinstance(want, tuple):
        return (
            isinstance(have, (tuple, list))
            and len(have) == len(want)
            and all(_matches(h, w) for h, w in zip(have, want))
        )
    if have is None or isinstance(have, (list, tuple, str, dict)):
        return False
    if isinstance(want, np.ndarray) and want.ndim > 0 and not isinstance(have, np.ndarray):
        return False
    try:
        have_arr = np.asarray(have)
    except Exception:
        return False
    if have_arr.dtype.kind not in "fiub" or have_arr.shape != np.shape(want):
        return False
    if isinstance(want, np.ndarray) and want.dtype.kind in "iub":  # counts, labels, masks
        return bool(np.array_equal(have_arr, want))
    want_arr = np.asarray(want, dtype=float)
    have_f = have_arr.astype(float)
    if not np.array_equal(np.isfinite(have_f), np.isfinite(want_arr)):
        return False
    finite = np.isfinite(want_arr)
    return _close(have_f[finite], want_arr[finite], dtype_of=have_arr)


def _mistake_matches(value, have, got, have_arr, want_arr):
    if callable(value):
        try:
            return bool(value(have, got))
        except Exception:
            return False
    value = np.asarray(value, dtype=float)
    if value.shape != have_arr.shape:
        return False
    if value.shape == want_arr.shape and _close(value, want_arr):
        return False  # on these inputs the mistake gives the right answer
    finite = np.isfinite(value)
    if not np.array_equal(finite, np.isfinite(have_arr)):
        return False
    return _close(have_arr[finite], value[finite], dtype_of=np.asarray(have))


def _generic_mistakes(want, m, args):
    """Mistakes every output can show: a sign, a 1/m, a transpose, the numbers in another shape."""
    found = []
    if np.any(want != 0):
        found.append(Mistake(0, -want, "has the wrong sign", "sign"))
    if m and m > 1 and np.any(want != 0):
        found += [
            Mistake(
                0,
                want / m,
                f"is divided by m = {m} once too often (a stray 1/m, or np.mean where np.sum "
                "belongs); the 1/m lives in the loss gradient only",
                "stray_1/m",
            ),
            Mistake(
                0,
                want * m,
                f"is m = {m} times too large: the 1/m of the mean over the examples is missing",
                "missing_1/m",
            ),
        ]
    if want.ndim == 2 and want.shape[0] != want.shape[1]:
        found.append(
            Mistake(
                0,
                want.T,
                f"is transposed: it should have shape {shape_str(want.shape)}, the shape of the "
                "variable it is the gradient of",
                "transposed",
            )
        )
    return found


def _constant_factor(have, want):
    """The constant c with have == c * want on every entry (c not 1), or None."""
    if want.size < 2:  # any wrong number is some multiple of a single right one
        return None
    nonzero = np.abs(want) > 1e-12
    if have.shape != want.shape or nonzero.sum() < 1 or np.any(np.abs(have[~nonzero]) > 1e-12):
        return None
    ratios = have[nonzero] / want[nonzero]
    c = float(np.median(ratios))
    if not np.isfinite(c) or abs(c - 1) < 1e-6 or c == 0:
        return None
    if np.allclose(ratios, c, rtol=1e-5, atol=0):
        return c
    return None


def _fraction(c):
    for d in range(1, 65):
        n = c * d
        if abs(n - round(n)) < 1e-6 * max(1, abs(n)):
            n = round(n)
            return f"{n}" if d == 1 else f"{n}/{d}"
    return f"{c:.4g}"


def _rel(a, b):
    with np.errstate(all="ignore"):
        err = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))
    err = err[np.isfinite(err)]
    return float(err.max()) if err.size else float("nan")


def _where_differs(have, want):
    if have.ndim == 0 or have.size < 2:
        return ""
    rtol, atol = _tolerance(have)
    bad = ~np.isclose(have, want, rtol=rtol, atol=atol * max(float(np.abs(want).max()), 1e-3))
    return f"; {int(bad.sum())} of {bad.size} entries differ"


def _shape_hint(have, want):
    """Why an output may have the wrong shape, when its numbers say so."""
    if have.size == want.size and _close(have.reshape(-1), want.reshape(-1)):
        return " (the right numbers in another shape: check keepdims=True or a reshape)"
    if have.ndim == 2 and have.shape == want.shape[::-1] and _close(have.T, want):
        return " (transposed)"
    if have.ndim < want.ndim:
        return (
            " (an axis was reduced away: np.max and np.sum reduce; for an element-wise maximum "
            "use np.maximum, for a mask multiply by it)"
        )
    if have.ndim == want.ndim == 2 and sorted(have.shape) == sorted(want.shape):
        return " (the sizes of a transpose, but not its numbers either)"
    return ""


# ----------------------------------------------------------------------------------------------
# Describing inputs, outputs and crashes


def _describe(args, names=()):
    """Shapes of the inputs, named when the exercise names them, looking inside tuples."""
    parts = []
    for i, a in enumerate(args):
        name = names[i] if i < len(names) else ""
        if isinstance(a, (tuple, list)):
            inner = ", ".join(_short(x) for x in a)
            parts.append(f"{name or 'tuple'} ({inner})")
        else:
            parts.append(f"{name} {_short(a)}".strip())
    return ", ".join(parts)


def _short(x):
    if isinstance(x, np.ndarray):
        return shape_str(x.shape)
    if isinstance(x, (tuple, list)):
        return "(" + ", ".join(_short(y) for y in x) + ")"
    if isinstance(x, float):
        return f"{x:g}"
    return repr(x) if len(repr(x)) < 20 else type(x).__name__


def _kind(x):
    if x is None:
        return "None"
    if isinstance(x, np.ndarray):
        return f"an array of shape {shape_str(x.shape)}"
    if isinstance(x, (tuple, list)):
        return f"a {type(x).__name__} of {len(x)}"
    if _is_number(x):
        return f"the number {x!r}"
    return f"a {type(x).__name__}"


def _expected_kind(want):
    if isinstance(want, np.ndarray) and want.ndim > 0:
        return f"an array of shape {shape_str(want.shape)}"
    if isinstance(want, tuple):
        return f"a tuple of {len(want)}"
    return "a number"


def _is_number(x):
    return isinstance(x, (int, float, np.number)) and not isinstance(x, (bool, np.bool_))


def _signature(names):
    return "(" + ", ".join(names) + ")"


def _first_line(err):
    text = str(err).strip().splitlines()
    return text[0] if text else "(no message)"


def _learner_line(err):
    """' on line N of your code (`the line`)' for the deepest frame outside helpers and numpy."""
    frames = traceback.extract_tb(err.__traceback__)
    mine = [f for f in frames if _is_learner_file(f.filename)]
    if not mine:
        return ""
    frame = mine[-1]
    line = (frame.line or "").strip()
    where = f" in {frame.name}" if frame.name not in ("<module>", "<lambda>") else ""
    code = f": `{line}`" if line else ""
    return f" on line {frame.lineno}{where}{code}"


def _is_learner_file(filename):
    if filename.startswith(_HELPERS) or filename == __file__:
        return False
    return not any(
        part in filename for part in ("site-packages", "/numpy/", "<frozen", "/lib/python")
    )


_SHAPES = re.compile(r"\((\d+(?:,\s*\d+)*),?\)")


def _shape_hint_for_error(err):
    """A hint only when the shapes in the error say what went wrong."""
    if not isinstance(err, ValueError):
        return ""
    text = str(err)
    sizes = re.search(r"size (\d+) is different from (\d+)", text)
    if "matmul" in text and sizes:
        return (
            f" A matrix product's inner sizes differ ({sizes.group(1)} against "
            f"{sizes.group(2)}): check the order of the factors and which one needs a "
            ".T; every gradient has the shape of its variable."
        )
    shapes = [tuple(int(n) for n in s.split(",")) for s in _SHAPES.findall(text)]
    if "broadcast" in text and len(shapes) >= 2:
        a, b = shapes[0], shapes[1]
        if len(a) == len(b) == 2 and a == b[::-1]:
            return (
                f" Shapes {shape_str(a)} and {shape_str(b)} are transposes of each other: one "
                "of the two needs a .T (examples are columns)."
            )
        return (
            f" Two arrays of shapes {shape_str(a)} and {shape_str(b)} were combined entry by "
            "entry: check that both belong to the same layer and batch."
        )
    return ""


# ----------------------------------------------------------------------------------------------
# Copies and in-place changes


def _deep_copy(x):
    if isinstance(x, np.ndarray):
        return x.copy()
    if isinstance(x, tuple):
        return tuple(_deep_copy(v) for v in x)
    if isinstance(x, list):
        return [_deep_copy(v) for v in x]
    if isinstance(x, dict):
        return {k: _deep_copy(v) for k, v in x.items()}
    return x


def _changed_in_place(before, after, path=()):
    """A note naming the first argument (or part of a cache) the learner's code changed."""
    if isinstance(before, np.ndarray):
        same = (
            isinstance(after, np.ndarray)
            and before.shape == after.shape
            and np.array_equal(before, after, equal_nan=before.dtype.kind == "f")
        )
        if same:
            return None
        where = _path_text(path)
        return (
            f"your code changed {where} in place; work on a copy (x = x.copy()), since the "
            "caller may still need it."
        )
    if isinstance(before, (tuple, list)) and isinstance(after, (tuple, list)):
        for i, (b, a) in enumerate(zip(before, after)):
            note = _changed_in_place(b, a, path + (i,))
            if note:
                return note
    return None


def _path_text(path):
    if not path:
        return "an argument"
    text = f"argument {path[0] + 1}"
    for i in path[1:]:
        text += f", part {i}"
    return text if len(path) == 1 else f"{text} (inside the cache)"


def _as_tuple(out):
    return tuple(out) if isinstance(out, (tuple, list)) else (out,)


__all__ = ["CheckResult", "EXERCISES", "Exercise", "Mistake", "check_exercise", "register"]
