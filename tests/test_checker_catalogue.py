"""Every answer of the catalogue (tests/catalogue/) gets the verdict it should.

A wrong answer must never pass, and must be named as the mistake it makes; a right answer, in any
reasonable style or dtype, must pass. The last test measures the share of mistakes named.
"""

import importlib
import pkgutil
import warnings

import pytest

import tests.catalogue as catalogue
from helpers.checker import check_exercise
from helpers.exercises import EXERCISES


def _load():
    wrong, right = [], []
    for info in pkgutil.iter_modules(catalogue.__path__):
        module = importlib.import_module(f"tests.catalogue.{info.name}")
        wrong += getattr(module, "WRONG", [])
        right += getattr(module, "RIGHT", [])
    return wrong, right


WRONG, RIGHT = _load()


@pytest.mark.parametrize("case", WRONG, ids=lambda c: c.id)
def test_wrong_answer_is_named(case):
    result = check_exercise(case.fn, case.exercise)
    assert not result.passed, f"a wrong answer passed: {result}"
    assert result.status in ("wrong", "error"), result
    if case.mistake is not None:
        assert result.mistake == case.mistake, result.message
    assert case.phrase in result.message, result.message


@pytest.mark.parametrize("case", RIGHT, ids=lambda c: c.id)
def test_right_answer_passes(case):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = check_exercise(case.fn, case.exercise)
    assert result.passed, result.message


def test_every_exercise_has_a_catalogue():
    for name in EXERCISES:
        wrong = [c for c in WRONG if c.exercise == name]
        right = [c for c in RIGHT if c.exercise == name]
        assert len(wrong) >= 10, f"{name}: {len(wrong)} wrong answers in the catalogue"
        assert len(right) >= 2, f"{name}: {len(right)} right answers in the catalogue"


def test_share_of_mistakes_named():
    """At least 9 in 10 wrong answers get a named mistake; none passes."""
    named = passed = 0
    for case in WRONG:
        result = check_exercise(case.fn, case.exercise)
        passed += result.passed
        named += result.mistake is not None and result.mistake != "raised"
    print(f"\n{len(WRONG)} wrong answers: {named} named, {passed} passed")
    assert passed == 0
    assert named >= 0.9 * len(WRONG)
