"""The learner's own copies (what `make lab` opens): solutions out of sight, edits never lost.

Also: the static site and the slides fold the solutions away, one deliberate step from view.
"""

import html
import re

import nbformat
import pytest

from tests.test_instructor import _checker_cells, _errors, _execute, _kept, _read, _text
from tools.build_html import html_exporter
from tools.build_slides import build_deck
from tools.common import course_notebooks
from tools.make_student import FOLDED_TAG, SOLUTION_TAG, solution_source
from tools.workspace import UPDATES, learner_copy, update_workspace

NOTEBOOKS = {p.stem: p for p in course_notebooks()}
NOT_DONE = "not implemented yet"
_FENCE = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")


def _text_of(markup):
    """Text of an HTML fragment, tags removed and entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def _solution_lines(nb, code_only=False):
    """Lines that occur only inside solution regions and solution cells (the answers)."""
    inside, outside = set(), set()
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if SOLUTION_TAG in tags and cell.source.startswith("assert result.passed"):
            continue  # true only for the course's answer: dropped from the learner's copy
        if SOLUTION_TAG in tags and code_only and cell.cell_type != "code":
            continue
        if SOLUTION_TAG in tags:
            inside.update(line.strip() for line in cell.source.splitlines())
            continue
        if cell.cell_type != "code":
            outside.update(line.strip() for line in cell.source.splitlines())
            continue
        region = False
        for line in cell.source.splitlines():
            if _FENCE.match(line):
                region = line.strip().startswith("### BEGIN")
            elif region:
                inside.add(line.strip())
            else:
                outside.add(line.strip())
    return {line for line in inside - outside if len(line) > 3 and not line.startswith("#")}


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_learner_copy_shows_no_solution_outside_a_closed_block(name):
    source = _read(NOTEBOOKS[name])
    copy = learner_copy(source)
    answers = _solution_lines(source)
    assert answers, f"{name}: no solution found to hide"
    folded = [c for c in copy.cells if FOLDED_TAG in c.metadata.get("tags", [])]
    shown = {line.strip() for c in copy.cells if c not in folded for line in c.source.splitlines()}
    leaked = sorted(answers & shown)
    assert not leaked, f"{name}: solution lines in sight: {leaked}"
    hidden = _text_of("\n".join(c.source for c in folded).replace("&#10;", "\n"))
    code_answers = _solution_lines(source, code_only=True)
    missing = sorted(line for line in code_answers if line not in hidden)
    assert not missing, f"{name}: answers not in any closed block: {missing}"
    for cell in folded:
        assert cell.source.startswith("<details><summary>Show ")
        assert cell.source.rstrip().endswith("</details>") and "\n" not in cell.source.strip()
    regions = [c for c in source.cells if c.cell_type == "code" and "### BEGIN" in c.source]
    for cell in regions:  # the whole answer, as the learner would write it, is in a block
        assert solution_source(cell.source).strip() in hidden
    stub = 'raise NotImplementedError("your code here")'
    stubs = [c for c in copy.cells if c.cell_type == "code" and stub in c.source]
    assert len(stubs) >= len(regions)


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_learner_copy_keeps_the_figures_and_outputs_of_the_lesson(name):
    source = _read(NOTEBOOKS[name])
    copy = learner_copy(source)
    stored = sum(bool(c.get("outputs")) for c in source.cells if c.cell_type == "code")
    kept = sum(bool(c.get("outputs")) for c in copy.cells if c.cell_type == "code")
    exercises = len(_checker_cells(_kept(source))) * 2  # an exercise cell and its checker
    assert kept >= stored - exercises - 4  # only the exercises' and solutions' outputs go


@pytest.fixture(scope="module")
def learner_runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("learner")
    jobs = [(learner_copy(_read(path)), folder) for path in NOTEBOOKS.values()]
    return dict(zip(NOTEBOOKS, _execute(jobs)))


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_run_all_with_untouched_exercises_works_and_each_checker_says_not_done(name, learner_runs):
    ran = learner_runs[name]
    assert not isinstance(ran, BaseException), f"{name} did not finish: {ran}"
    assert not _errors(ran), f"{name}: Run All fails in the learner's copy: {_errors(ran)}"
    checkers = [c for c in ran.cells if c.cell_type == "code" and "check_exercise(" in c.source]
    verdicts = ["".join(_text(o) for o in c.outputs) for c in checkers]
    exercise_checks = [v for v in verdicts if "_mine" in v or NOT_DONE in v]
    assert exercise_checks, f"{name}: no checker ran"
    stub = 'raise NotImplementedError("your code here")'
    stubs = sum(c.cell_type == "code" and stub in c.source for c in ran.cells)
    assert sum(NOT_DONE in v for v in verdicts) >= stubs, verdicts


def _write(nb, path):
    nbformat.write(nb, str(path))
    return path


def test_make_lab_never_overwrites_a_learners_work(tmp_path):
    course, mine = tmp_path / "notebooks", tmp_path / "my_notebooks"
    course.mkdir()
    nb = _read(NOTEBOOKS["04_relu_affine_bias"])
    source = _write(nb, course / "04_relu_affine_bias.ipynb")

    assert update_workspace(mine, [source]) == [(source.name, "new")]
    assert update_workspace(mine, [source]) == [(source.name, "kept")]

    nb.cells[0].source += "\n\nA sentence added by the course."  # an update, never opened
    _write(nb, source)
    assert update_workspace(mine, [source]) == [(source.name, "updated")]
    assert "A sentence added by the course." in (mine / source.name).read_text()

    learner = _read(mine / source.name)  # the learner writes an answer and saves
    learner.cells[-1].source += "\n# my own note"
    _write(learner, mine / source.name)
    before = (mine / source.name).read_bytes()
    nb.cells[0].source += " And another."
    _write(nb, source)
    assert update_workspace(mine, [source]) == [(source.name, "new version beside")]
    assert (mine / source.name).read_bytes() == before, "the learner's copy was overwritten"
    assert "And another." in (mine / UPDATES / source.name).read_text()
    assert update_workspace(mine, [source])[0][1] == "new version beside"  # and stays so
    assert (mine / source.name).read_bytes() == before


def test_a_new_notebook_of_the_course_is_copied_in(tmp_path):
    course, mine = tmp_path / "notebooks", tmp_path / "my_notebooks"
    course.mkdir()
    first = _write(_read(NOTEBOOKS["00_start_here"]), course / "00_start_here.ipynb")
    update_workspace(mine, [first])
    second = _write(_read(NOTEBOOKS["01_computational_graph"]), course / "01_x.ipynb")
    report = dict(update_workspace(mine, [first, second]))
    assert report == {"00_start_here.ipynb": "kept", "01_x.ipynb": "new"}


def _code_inputs_outside_details(page):
    """The text of every code cell's input on the page, outside <details> blocks."""
    page = re.sub(r"<details>.*?</details>", "", page, flags=re.S)
    blocks = re.findall(r'<div class="highlight[^"]*"><pre>(.*?)</pre>', page, flags=re.S)
    return {line.strip() for block in blocks for line in _text_of(block).splitlines()}


@pytest.mark.slow  # runs the site's exporter (an instructor tool)
@pytest.mark.parametrize("name", ["04_relu_affine_bias", "05_mlp_backprop"])
def test_site_folds_each_solution_into_a_closed_details_block(name):
    source = _read(NOTEBOOKS[name])
    page, _ = html_exporter().from_notebook_node(source)
    blocks = re.findall(r"<details>.*?</details>", page, flags=re.S)
    assert len(blocks) >= len(_checker_cells(_kept(source)))
    code = _code_inputs_outside_details(page)
    assert 'raise NotImplementedError("your code here")' in code
    leaked = sorted(_solution_lines(source, code_only=True) & code)
    assert not leaked, f"{name}: solution lines shown outside a closed block: {leaked}"
    hidden = _text_of("\n".join(blocks))
    assert all(line in hidden for line in _solution_lines(source, code_only=True))


@pytest.mark.slow  # builds a deck (an instructor tool)
def test_slides_put_each_solution_on_a_slide_after_its_exercise(tmp_path):
    target, _ = build_deck(NOTEBOOKS["04_relu_affine_bias"], tmp_path)
    deck = target.read_text()
    sections = re.split(r"<section\b", deck)
    text = [html.unescape(re.sub(r"<[^>]+>", "", s)) for s in sections]
    exercise = next(i for i, s in enumerate(text) if "def relu_backward_mine" in s)
    assert "raise NotImplementedError" in text[exercise]
    assert "dZ = dA * (Z > 0)" not in text[exercise]
    later = "".join(text[exercise + 1 :])
    assert "A solution" in later and "dZ = dA * (Z > 0)" in later
