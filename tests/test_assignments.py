"""Graded homework with the real nbgrader: every notebook released, submissions autograded.

A temporary nbgrader course directory is made by ``tools.assignments`` from the course notebooks
(whatever ``course_notebooks()`` finds). Three students submit every assignment:

- ``reference`` fills every exercise with the course's answer: full marks;
- ``mistakes`` answers the first exercise of each notebook with a typical mistake from the answer
  catalogue (``tests/catalogue/``) and the others with the course's answer: every point but that
  exercise's, and the feedback holds the checker's message naming the mistake;
- ``untouched`` hands the release back as it came: the grading runs and gives zero.

Needs nbgrader (``pip install -e ".[instructor]"``; ``make test-assignments`` installs it). It
autogrades each notebook three times, in this process: about two minutes on two cores.
"""

import html
import importlib
import importlib.util
import inspect
import pkgutil
import re
import textwrap
from pathlib import Path

import nbformat
import pytest

import tests.catalogue as catalogue
from helpers.checker import check_exercise
from tools import assignments
from tools.common import course_notebooks
from tools.make_student import BEGIN, END, solution_source

pytest.importorskip("nbgrader", reason='nbgrader is not installed: pip install -e ".[instructor]"')

# nbgrader 0.9 and its SQLAlchemy emit warnings of their own (autoflush, utcnow); pytest turns
# warnings into errors in this project, so they are let through here, and only here.
pytestmark = [pytest.mark.filterwarnings("ignore::Warning"), pytest.mark.slow]


def _needs_missing_package(path):
    """The optional package (PyTorch) that notebook `path` imports and that is missing, or None."""
    text = path.read_text()
    uses_torch = "import torch" in text or "from torch" in text
    if uses_torch and importlib.util.find_spec("torch") is None:
        return "torch"
    return None


# A notebook that needs an optional extra that is not installed is not graded (CI installs it).
NOTEBOOKS = [p for p in course_notebooks() if _needs_missing_package(p) is None]
POINTS = 1
STUDENTS = ("reference", "mistakes", "untouched")


def _catalogue():
    wrong = []
    for info in pkgutil.iter_modules(catalogue.__path__):
        wrong += getattr(importlib.import_module(f"tests.catalogue.{info.name}"), "WRONG", [])
    return wrong


def _self_contained(fn):
    """True when `fn` uses no global but numpy, so its source runs in any course notebook."""
    if not inspect.isfunction(fn):
        return False
    names = set(fn.__code__.co_names)
    for const in fn.__code__.co_consts:
        if inspect.iscode(const):
            names |= set(const.co_names)
    return not (names & set(fn.__globals__)) - {"np"}


def typical_mistake(exercise):
    """The first catalogue mistake for `exercise` that has a phrase and runs in a notebook."""
    for case in _catalogue():
        if case.exercise == exercise and case.phrase and _self_contained(case.fn):
            return case
    return None


def _answer_cells(nb):
    return {
        cell.metadata["nbgrader"]["grade_id"]: cell
        for cell in nb.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }


def _regions(cell):
    """The lines inside the cell's ``### BEGIN SOLUTION`` ... ``### END SOLUTION`` regions."""
    inside, lines = False, []
    for line in cell.source.split("\n"):
        if line.strip() == BEGIN:
            inside = True
        elif line.strip() == END:
            inside = False
        elif inside:
            lines.append(line)
    return lines


def _mine(source):
    match = re.search(r"^def (\w+)\(", source, re.M)
    assert match, f"an exercise cell without a function: {source[:80]!r}"
    return match.group(1)


def submission(release_nb, source_nb, student):
    """`student`'s copy of a released notebook: answers filled in as the module docstring says.

    Returns
    -------
    (NotebookNode, dict)  the notebook; {exercise name: message the checker must give} for the
                          exercises answered wrongly
    """
    nb = nbformat.from_dict(release_nb)
    references = _answer_cells(source_nb)
    answers = _answer_cells(nb)
    mistakes = {g: typical_mistake(g.removesuffix("-answer")) for g in answers}
    # The first exercise with a catalogue mistake gets it (else the first gets one that raises).
    wrong = next((g for g, case in mistakes.items() if case), next(iter(answers)))
    expected = {}
    for grade_id, cell in answers.items():
        exercise = grade_id.removesuffix("-answer")
        if student == "untouched":
            continue
        if student == "mistakes" and grade_id == wrong:
            case = mistakes[grade_id]
            if case is None:
                head = cell.source.split(assignments.STUB)[0]
                cell.source = head + "raise ZeroDivisionError('a typo')"
                expected[exercise] = f"{exercise}: "
                continue
            code = textwrap.dedent(inspect.getsource(case.fn))
            cell.source = f"{code}\n\n{_mine(cell.source)} = {case.fn.__name__}\n"
            expected[exercise] = check_exercise(case.fn, exercise).message
        else:
            cell.source = solution_source(references[grade_id].source)
    return nb, expected


@pytest.fixture(scope="module")
def graded(tmp_path_factory, request):
    """The course directory after generate_assignment, three submissions and autograde."""
    import os
    import sys

    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI
    from traitlets.config.loader import PyFileConfigLoader

    course = tmp_path_factory.mktemp("nbgrader_course")
    made = assignments.write_course(course, NOTEBOOKS, points=POINTS)
    # nbgrader runs its environment's `alembic` command when it creates the gradebook.
    path = os.environ.get("PATH", "")
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), path])
    request.addfinalizer(lambda: os.environ.__setitem__("PATH", path))

    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    config.CourseDirectory.root = str(course)
    api = NbGraderAPI(config=config)
    logs, expected = {}, {}
    for name in made:
        done = api.generate_assignment(name, force=True)
        assert done["success"], f"generate_assignment {name} failed:\n{done['log']}"
    with Gradebook(api.coursedir.db_url) as gradebook:
        for student in STUDENTS:
            gradebook.update_or_create_student(student)
    for name in made:
        source = nbformat.read(course / "source" / name / f"{name}.ipynb", as_version=4)
        release = nbformat.read(course / "release" / name / f"{name}.ipynb", as_version=4)
        for student in STUDENTS:
            nb, expected[student, name] = submission(release, source, student)
            folder = course / "submitted" / student / name
            folder.mkdir(parents=True)
            nbformat.write(nb, str(folder / f"{name}.ipynb"))
            done = api.autograde(name, student, force=True)
            logs[student, name] = done["log"]
            assert done["success"], f"autograde {name} for {student} failed:\n{done['log']}"
            done = api.generate_feedback(name, student, force=True)
            assert done["success"], f"generate_feedback {name} for {student}:\n{done['log']}"
    scores = {}
    with Gradebook(api.coursedir.db_url) as gradebook:
        for name in made:
            for student in STUDENTS:
                graded_nb = gradebook.find_submission_notebook(name, name, student)
                scores[student, name] = {
                    grade.name.removesuffix("-test"): (grade.score, grade.max_score)
                    for grade in graded_nb.grades
                }
    return {
        "course": course,
        "exercises": made,
        "scores": scores,
        "expected": expected,
        "logs": logs,
    }


def test_every_notebook_becomes_an_assignment_with_graded_exercises(graded):
    assert set(graded["exercises"]) == {path.stem for path in NOTEBOOKS}
    for name, exercises in graded["exercises"].items():
        assert exercises, f"{name}: no graded exercise found"
        assert len(set(exercises)) == len(exercises), f"{name}: an exercise graded twice"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_release_holds_no_solution_and_every_other_cell_is_locked(graded, path):
    course = graded["course"]
    source = nbformat.read(course / "source" / path.stem / path.name, as_version=4)
    release = nbformat.read(course / "release" / path.stem / path.name, as_version=4)
    answers = {line.strip() for cell in _answer_cells(source).values() for line in _regions(cell)}
    answers -= {""}
    for cell in release.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code":
            assert BEGIN not in cell.source and END not in cell.source, cell.source
        assert "solution" not in cell.metadata.get("tags", []), cell.source[:80]
        assert meta.get("locked") or meta.get("solution"), f"an editable cell: {cell.source[:80]}"
        assert not cell.get("outputs"), f"outputs left in {cell.source[:80]}"
    for cell in _answer_cells(release).values():
        assert assignments.STUB in cell.source, cell.source
        leaked = answers & {line.strip() for line in cell.source.split("\n")}
        assert not leaked, f"{path.name}: lines of the course's answers in the release: {leaked}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_reference_answers_get_full_marks(graded, path):
    scores = graded["scores"]["reference", path.stem]
    assert set(scores) == set(graded["exercises"][path.stem])
    for exercise, (score, max_score) in scores.items():
        assert max_score == POINTS and score == POINTS, f"{exercise}: {score} of {max_score}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_typical_mistake_costs_its_points_and_the_feedback_names_it(graded, path):
    scores = graded["scores"]["mistakes", path.stem]
    expected = graded["expected"]["mistakes", path.stem]
    assert len(expected) == 1
    total = sum(score for score, _ in scores.values())
    # Later exercises may build on the wrong one (notebook 02's engine), so they may lose too.
    assert total <= sum(m for _, m in scores.values()) - POINTS, scores
    assert total > 0 or len(scores) == 1, f"partial marks expected: {scores}"
    feedback = graded["course"] / "feedback" / "mistakes" / path.stem / f"{path.stem}.html"
    text = html.unescape(re.sub(r"<[^>]+>", "", feedback.read_text()))
    for exercise, message in expected.items():
        assert scores[exercise][0] == 0
        assert message.startswith(exercise), message
        # The first sentence: later ones may quote the line number of the student's cell.
        first = message.split(". ")[0]
        assert f"AssertionError: {first}" in text, f"{feedback.name} lacks {first!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_an_untouched_release_runs_and_gets_zero(graded, path):
    scores = graded["scores"]["untouched", path.stem]
    assert set(scores) == set(graded["exercises"][path.stem])
    assert all(score == 0 for score, _ in scores.values()), scores
    autograded = graded["course"] / "autograded" / "untouched" / path.stem / path.name
    nb = nbformat.read(autograded, as_version=4)
    errors = [
        (cell.metadata.get("nbgrader", {}).get("grade_id"), out.get("evalue", ""))
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    # Only the autograded tests fail, each saying the exercise is not done yet.
    assert errors and all(grade_id.endswith("-test") for grade_id, _ in errors), errors
    assert all("not implemented yet" in evalue for _, evalue in errors), errors


def test_the_tool_refuses_an_exercise_without_its_checker():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(f"def f_mine(x):\n    {BEGIN}\n    return x\n    {END}"),
        nbformat.v4.new_code_cell("print('no checker here')"),
    ]
    nb.cells[0].metadata["tags"] = ["exercise"]
    with pytest.raises(ValueError, match="expected the checker cell"):
        assignments.grading_notebook(nb, where="demo.ipynb")
