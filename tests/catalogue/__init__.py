"""Realistic answers to the course's exercises, each with the verdict the checker must give.

Each module holds the answers to one notebook's exercises: `WRONG`, answers a learner could write
that are wrong, each with the key of the mistake the checker must name (`Mistake.key` in
`helpers.exercises`, or a generic key of `helpers.checker`: "sign", "stray_1/m", "missing_1/m",
"transposed", "shape", "output_order", "returned_none", "not_an_array", "number_for_array",
"not_finite", "raised", "constant_factor"); and `RIGHT`, correct answers in other styles (einsum,
np.where, a mask product, float32) that must pass. `tests/test_checker_catalogue.py` runs them all
and measures how many mistakes are named.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Wrong:
    exercise: str
    mistake: str  # the key the checker must name; None: wrong, but no name expected
    fn: Callable
    phrase: str = ""  # a phrase the message must contain

    @property
    def id(self):
        return f"{self.exercise}-{self.mistake}-{self.fn.__name__}"


@dataclass(frozen=True)
class Right:
    exercise: str
    fn: Callable

    @property
    def id(self):
        return f"{self.exercise}-{self.fn.__name__}"
