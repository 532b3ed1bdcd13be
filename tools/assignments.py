"""Graded homework: an nbgrader course directory made from the course notebooks.

    python -m tools.assignments [--course build/nbgrader] [--points 1] [--no-release] [NOTEBOOK ...]

With no notebook named, every course notebook becomes one assignment, named after the file
(``04_relu_affine_bias``). The notebooks themselves are not changed: nbgrader's cell metadata is
added to copies written into ``COURSE/source/NAME/NAME.ipynb``, and then ``nbgrader
generate_assignment`` writes the student version into ``COURSE/release/NAME/``.

In each copy:

- every exercise cell (tagged ``exercise``, its answer between ``### BEGIN SOLUTION`` and
  ``### END SOLUTION``) becomes an nbgrader *solution* cell: the release holds
  ``raise NotImplementedError("your code here")`` in place of the answer, as the student copies do;
- the ``assert result.passed, result`` cell after each checker cell becomes an *autograded test*
  cell worth ``--points`` points. It calls the course's checker itself and fails with the
  checker's message, so the feedback says "not implemented yet" or names the likely mistake;
- the other cells tagged ``solution`` (worked answers to the discussion questions) are left out,
  as in the student copies: they are not graded automatically;
- every other cell is *locked* (read-only; nbgrader restores its source before grading). nbgrader
  takes any line that contains ``### BEGIN SOLUTION`` for a solution's start, even in prose, so
  in markdown that names the markers the space after ``###`` becomes a no-break space (it looks
  the same);
- outputs, widget state and run timings are cleared.

The course directory also gets an ``nbgrader_config.py`` with the course's stub text and a cell
timeout long enough for the training cells on a busy grading machine. The README's "Graded
homework" section gives the whole workflow.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearOutputPreprocessor

from tools.common import BUILD, course_notebooks, read, select_notebooks
from tools.make_student import (
    BEGIN,
    END,
    EXERCISE_TAG,
    SOLUTION_TAG,
    ClearRunStatePreprocessor,
    strip_solutions,
)

COURSE = BUILD / "nbgrader"
COURSE_ID = "backprop-course"
STUB = 'raise NotImplementedError("your code here")'
# nbgrader's per-cell limit is 30 s by default; the training cells of 05 can take longer when
# the grading machine runs several notebooks at once.
CELL_TIMEOUT = 600
SCHEMA_VERSION = 3

NO_BREAK_SPACE = "\u00a0"
_MARKER_IN_PROSE = re.compile(r"###[ ](?=(BEGIN|END) SOLUTION)")

_CHECK_CALL = re.compile(
    r"^(?P<line>result\s*=\s*check_exercise\(\s*(?P<mine>\w+)\s*,\s*[\"'](?P<name>\w+)[\"']"
    r"[^\n]*\))[ \t]*$",
    re.M,
)

CONFIG = f'''"""nbgrader configuration of the backprop course (written by tools/assignments.py)."""

c = get_config()  # noqa: F821  (nbgrader's config loader defines it)

c.CourseDirectory.course_id = {COURSE_ID!r}
# The course's own stub, so a released exercise reads as in the student copies.
c.ClearSolutions.code_stub = {{"python": {STUB!r}}}
# The course's markers, whole (nbgrader's default is any line containing "BEGIN SOLUTION").
c.ClearSolutions.begin_solution_delimeter = {BEGIN!r}
c.ClearSolutions.end_solution_delimeter = {END!r}
# Seconds per cell when autograding (nbgrader's default, 30 s, is short for training cells).
c.Execute.timeout = {CELL_TIMEOUT}
'''


def _nbgrader(cell, grade_id, *, solution=False, grade=False, locked=False, points=None):
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": SCHEMA_VERSION,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        meta["points"] = points
    cell.metadata["nbgrader"] = meta
    return cell


def _is_pass_assertion(cell):
    return cell.cell_type == "code" and cell.source.strip().startswith("assert result.passed")


def test_source(check_line, exercise):
    """The code of the autograded test cell for one exercise.

    Parameters
    ----------
    check_line : str   the checker cell's call, ``result = check_exercise(mine, "name")``
    exercise   : str   the exercise's name (the checker's message starts with it)
    """
    return (
        "# Autograded: the course's checker runs your function again; when it fails, the message\n"
        "# below says what is not done yet or names the likely mistake.\n"
        f"{check_line}\n"
        "assert result.passed, result"
    )


def grading_notebook(nb, points=1, where="notebook"):
    """A copy of course notebook `nb` carrying nbgrader's cell metadata, and its exercise names.

    Parameters
    ----------
    nb     : NotebookNode   a course notebook (answers in place, as in ``notebooks/``)
    points : int or float   points of each exercise's autograded test
    where  : str            the notebook's name, for error messages

    Returns
    -------
    (NotebookNode, list of str)  the source notebook for nbgrader; the exercises it grades

    Raises
    ------
    ValueError  when an exercise cell is not followed by a checker cell and its
                ``assert result.passed`` cell, or a solution region is malformed
    """
    if isinstance(points, bool) or not isinstance(points, (int, float)) or points <= 0:
        raise ValueError(f"{where}: points must be a positive number; got {points!r}")
    nb = nbformat.from_dict(nb)
    for preprocessor in (
        ClearOutputPreprocessor(remove_metadata_fields={"collapsed", "scrolled"}),
        ClearRunStatePreprocessor(),
    ):
        nb, _ = preprocessor.preprocess(nb, {})

    cells, exercises = [], []
    exercise_cell, check = None, None
    for number, cell in enumerate(nb.cells, start=1):
        tags = cell.metadata.get("tags", [])
        key = cell.get("id") or f"cell{number}"
        if cell.cell_type == "code" and BEGIN in cell.source:
            if exercise_cell is not None:
                raise ValueError(
                    f"{where}, cell {number}: a new exercise starts before the checker cell of "
                    f"the exercise in cell {exercise_cell}; expected `result = check_exercise(...)`"
                )
            try:
                strip_solutions(cell.source)
            except ValueError as err:
                raise ValueError(f"{where}, cell {number}: {err}") from None
            if EXERCISE_TAG not in tags:
                raise ValueError(
                    f"{where}, cell {number}: a {BEGIN} region in a cell without the "
                    f"{EXERCISE_TAG!r} tag (tags: {tags})"
                )
            exercise_cell, check = number, None
            cells.append(cell)  # its grade_id is set once the checker names the exercise
            continue
        if exercise_cell is not None and check is None and cell.cell_type == "code":
            match = _CHECK_CALL.search(cell.source)
            if match is None:
                raise ValueError(
                    f"{where}, cell {number}: expected the checker cell of the exercise in cell "
                    f'{exercise_cell} (`result = check_exercise(mine, "name")`); got '
                    f"{cell.source.splitlines()[0] if cell.source else 'an empty cell'!r}"
                )
            check = match
            name = match.group("name")
            answer = next(c for c in reversed(cells) if BEGIN in c.get("source", ""))
            _nbgrader(answer, f"{name}-answer", solution=True)
            cells.append(_nbgrader(cell, f"{name}-check", locked=True))
            continue
        if SOLUTION_TAG in tags:
            if check is not None and _is_pass_assertion(cell):
                name = check.group("name")
                cell.source = test_source(check.group("line"), name)
                cell.metadata["tags"] = [t for t in tags if t != SOLUTION_TAG]
                test = _nbgrader(cell, f"{name}-test", grade=True, locked=True, points=points)
                cells.append(test)
                exercises.append(name)
                exercise_cell, check = None, None
            continue  # a worked answer to a discussion question: not in the assignment
        if exercise_cell is not None and check is not None and cell.cell_type == "code":
            raise ValueError(
                f"{where}, cell {number}: expected the `assert result.passed, result` cell "
                f"(tagged {SOLUTION_TAG!r}) after the checker cell of {check.group('name')!r}"
            )
        if cell.cell_type == "code" and END in cell.source:
            raise ValueError(f"{where}, cell {number}: {END} without a {BEGIN} before it")
        if cell.cell_type != "code":
            cell.source = _MARKER_IN_PROSE.sub("###" + NO_BREAK_SPACE, cell.source)
        cells.append(_nbgrader(cell, f"locked-{key}", locked=True))
    if exercise_cell is not None:
        raise ValueError(
            f"{where}: the exercise in cell {exercise_cell} has no checker cell and "
            "`assert result.passed` cell after it"
        )
    nb.cells = cells
    return nb, exercises


def write_course(course=COURSE, notebooks=None, points=1):
    """Write ``nbgrader_config.py`` and ``source/NAME/NAME.ipynb`` for each notebook.

    Returns
    -------
    dict  assignment name -> list of exercise names
    """
    course = Path(course)
    course.mkdir(parents=True, exist_ok=True)
    (course / "nbgrader_config.py").write_text(CONFIG)
    made = {}
    for path in notebooks or course_notebooks():
        path = Path(path)
        nb, exercises = grading_notebook(read(path), points=points, where=path.name)
        folder = course / "source" / path.stem
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        nbformat.write(nb, str(folder / path.name))
        made[path.stem] = exercises
    return made


def nbgrader(course, *args, check=True):
    """Run ``nbgrader ARGS`` in the course directory (the nbgrader of this Python).

    nbgrader calls the ``alembic`` command of its own environment: this Python's ``bin`` folder
    goes first on the PATH, so it is found without activating the virtual environment.
    """
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", *map(str, args)],
        cwd=course,
        env=env,
        check=check,
        capture_output=True,
        text=True,
    )


def release(course, assignment):
    """``nbgrader generate_assignment ASSIGNMENT --force``; on failure, raise with its log."""
    done = nbgrader(course, "generate_assignment", assignment, "--force", check=False)
    if done.returncode != 0:
        raise RuntimeError(
            f"nbgrader generate_assignment {assignment} failed (exit {done.returncode}):\n"
            f"{done.stdout}{done.stderr}"
        )
    return Path(course) / "release" / assignment


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every course notebook")
    parser.add_argument("--course", type=Path, default=COURSE, help="the course directory")
    parser.add_argument("--points", type=float, default=1, help="points per exercise")
    parser.add_argument(
        "--no-release", action="store_true", help="write source/ only, no generate_assignment"
    )
    args = parser.parse_args(argv)
    points = int(args.points) if float(args.points).is_integer() else args.points
    try:
        made = write_course(args.course, select_notebooks(args.notebooks), points=points)
    except ValueError as err:
        sys.exit(str(err))
    for name, exercises in made.items():
        line = f"{args.course / 'source' / name}: {len(exercises)} graded exercise(s)"
        if not args.no_release:
            try:
                line += f"; released to {release(args.course, name)}"
            except RuntimeError as err:
                sys.exit(str(err))
        print(line)


if __name__ == "__main__":
    main()
