"""Each exercise specification can list its mistakes on its own inputs and on its probes.

The checker drops an exercise's whole catalogue of mistakes when listing it raises (so that a
learner's own make_inputs never crashes a check); a mistake computed with a transpose that does
not fit the exercise's shapes would then silently cost every named mistake. This test says so.
"""

import warnings

import numpy as np
import pytest

from helpers.exercises import EXERCISES


def _inputs_of(spec):
    for trial in range(spec.trials):
        args = spec.inputs(np.random.default_rng(trial), trial)
        yield f"trial {trial}", args if isinstance(args, tuple) else (args,)
    if spec.probes is not None:
        args = spec.probes(np.random.default_rng(1000))
        yield "probes", args if isinstance(args, tuple) else (args,)


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_mistakes_can_be_listed(name):
    spec = EXERCISES[name]
    if spec.mistakes is None:
        return
    run = spec.reference_run or (lambda f, a: f(*a))
    for where, args in _inputs_of(spec):
        expected = run(spec.reference, args)
        expected = tuple(expected) if isinstance(expected, (tuple, list)) else (expected,)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # an overflow while listing counts as a failure too
            mistakes = list(spec.mistakes(args, expected))
        assert mistakes, f"{name}: no mistakes listed on the {where} inputs"
        for mistake in mistakes:
            assert mistake.key, f"{name}: a mistake without a key ({mistake.message!r})"
            assert mistake.message and not mistake.message.endswith("."), (
                f"{name}: {mistake.key}: the checker adds the full stop"
            )
