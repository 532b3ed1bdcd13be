"""Student copies: every solution taken out, outputs cleared.

    python -m tools.make_student [--out build/student] [NOTEBOOK ...]

With no notebook named, every ``notebooks/*.ipynb`` is converted. For each one, nbconvert's
own machinery runs four preprocessors:

1. ``TagRemovePreprocessor`` removes the cells tagged ``solution`` (code and markdown: the
   ``assert result.passed`` cells and worked answers to discussion exercises);
2. ``StripSolutionsPreprocessor`` replaces each fenced region ::

       ### BEGIN SOLUTION
       ...
       ### END SOLUTION

   in a code cell (tagged ``exercise``) with ``raise NotImplementedError(...)`` at the same
   indentation, so the checker cell after it reports "not implemented yet";
3. ``ClearOutputPreprocessor`` removes outputs and execution counts;
4. ``ClearRunStatePreprocessor`` removes the stored widget state and the run timings.

Cell tags and slide metadata stay, so a filled-in copy can still be checked and presented.
"""

import argparse
import json
import re
import sys
from pathlib import Path

import nbformat
from nbconvert.exporters import NotebookExporter
from nbconvert.preprocessors import (
    ClearOutputPreprocessor,
    Preprocessor,
    TagRemovePreprocessor,
)
from traitlets import Unicode

from tools.common import BUILD, human_size, read, select_notebooks

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
EXERCISE_TAG = "exercise"
SOLUTION_TAG = "solution"
FOLDED_TAG = "folded-solution"
_BEGIN = re.compile(r"^(?P<indent>[ \t]*)### BEGIN SOLUTION[ \t]*$")
_END = re.compile(r"^[ \t]*### END SOLUTION[ \t]*$")


def strip_solutions(source, message="your code here"):
    """Replace every fenced solution region of `source` with ``raise NotImplementedError``.

    Parameters
    ----------
    source  : str   the code of one cell
    message : str   the text of the NotImplementedError

    Returns
    -------
    (str, list of str)  the new source, and the indentation of each replaced region

    Raises
    ------
    ValueError  when a BEGIN has no END, an END has no BEGIN, or regions are nested
    """
    out, indents, begin_line = [], [], None
    for number, line in enumerate(source.split("\n"), start=1):
        begin, end = _BEGIN.match(line), _END.match(line)
        if begin:
            if begin_line is not None:
                raise ValueError(
                    f"line {number}: {BEGIN} inside the region opened on line "
                    f"{begin_line}; close it with {END} first"
                )
            begin_line = number
            indent = begin.group("indent")
            indents.append(indent)
            out.append(f"{indent}raise NotImplementedError({json.dumps(message)})")
        elif end:
            if begin_line is None:
                raise ValueError(f"line {number}: {END} without a {BEGIN} before it")
            begin_line = None
        elif begin_line is None:
            out.append(line)
    if begin_line is not None:
        raise ValueError(f"line {begin_line}: {BEGIN} has no {END} after it")
    return "\n".join(out), indents


class StripSolutionsPreprocessor(Preprocessor):
    """Replace fenced ``### BEGIN/END SOLUTION`` regions with ``raise NotImplementedError``.

    Regions are looked for in every code cell, so a cell that lacks the ``exercise`` tag still
    loses its solution (and a warning names it). A region that is not indented (not inside a
    function) is replaced too, but then the cell itself raises when run: a warning says so.
    """

    message = Unicode(
        "your code here", help="Text of the NotImplementedError that replaces a solution."
    ).tag(config=True)

    def preprocess(self, nb, resources):
        resources.setdefault("student", {})["regions"] = 0
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or "### " not in cell.source:
            return cell, resources
        try:
            cell.source, indents = strip_solutions(cell.source, self.message)
        except ValueError as err:
            raise ValueError(f"cell {index + 1}: {err}") from None
        if indents and EXERCISE_TAG not in cell.metadata.get("tags", []):
            self.log.warning("cell %d has a solution region but no %r tag", index + 1, EXERCISE_TAG)
        if "" in indents:
            self.log.warning(
                "cell %d: a solution region is not inside a function, so this cell raises "
                "NotImplementedError when a student runs it",
                index + 1,
            )
        resources["student"]["regions"] += len(indents)
        return cell, resources


def solution_source(source):
    """The cell's code with the solution in place and the fence lines removed."""
    lines = source.split("\n")
    return "\n".join(line for line in lines if not (_BEGIN.match(line) or _END.match(line)))


def _is_pass_assertion(cell):
    """The ``assert result.passed, result`` cells: true for the course's answer only."""
    return cell.cell_type == "code" and cell.source.strip().startswith("assert result.passed")


def _is_heading(cell):
    return cell.cell_type == "markdown" and cell.source.lstrip().startswith("#")


def _answer_text(cell):
    """A solution cell as markdown: its text, or its code and what the code printed."""
    if cell.cell_type == "markdown":
        return cell.source.strip()
    parts = [f"```python\n{cell.source.strip()}\n```"]
    printed = "".join(
        o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream"
    ).strip()
    if printed:
        parts.append(f"It prints:\n\n```\n{printed}\n```")
    return "\n\n".join(parts)


class FoldSolutionsPreprocessor(Preprocessor):
    """Keep every solution, one deliberate step away: folded, or on a slide of its own.

    Each fenced region of an exercise cell becomes ``raise NotImplementedError("your code
    here")`` (as in the student copy), and the course's answer moves to a cell after the checker
    cell: a ``<details>`` block, "Show a solution", closed until the reader opens it (``fold =
    "details"``: the learner's own copy and the static site), or a slide of its own after the
    exercise (``fold = "slide"``). Cells tagged ``solution`` (worked answers to discussion
    exercises) join that block; the ``assert result.passed`` cells, true only for the course's
    answer, are dropped. The checker cells lose their stored verdict on the course's answer.
    """

    fold = Unicode("details", help='"details" (a closed <details> block) or "slide"').tag(
        config=True
    )

    def preprocess(self, nb, resources):
        cells, pending, after_exercise = [], [], False
        resources.setdefault("student", {})["regions"] = 0

        def flush():
            if pending:
                cells.append(self.answer_cell(pending))
                pending.clear()

        for index, cell in enumerate(nb.cells):
            tags = cell.metadata.get("tags", [])
            if SOLUTION_TAG in tags:
                if not _is_pass_assertion(cell):
                    pending.append(("answer", _answer_text(cell)))
                continue
            if cell.cell_type == "code" and BEGIN in cell.source:
                flush()
                try:
                    stub, indents = strip_solutions(cell.source)
                except ValueError as err:
                    raise ValueError(f"cell {index + 1}: {err}") from None
                pending.append(("code", solution_source(cell.source).strip()))
                resources["student"]["regions"] += len(indents)
                cell.source = stub
                _clear(cell)
                cells.append(cell)
                after_exercise = True
                continue
            if _is_heading(cell):
                flush()
                after_exercise = False
            cells.append(cell)
            if cell.cell_type == "code" and "check_exercise(" in cell.source and after_exercise:
                _clear(cell)
                flush()
                after_exercise = False
        flush()
        nb.cells = cells
        return nb, resources

    def answer_cell(self, parts):
        is_code = parts[0][0] == "code"
        body = "\n\n".join(
            f"```python\n{text}\n```" if kind == "code" else text for kind, text in parts
        )
        if self.fold == "slide":
            title = "A solution" if is_code else "An answer"
            cell = nbformat.v4.new_markdown_cell(f"#### {title}\n\n{body}")
            cell.metadata["slideshow"] = {"slide_type": "slide"}
        else:
            summary = "Show a solution" if is_code else "Show the answer"
            cell = nbformat.v4.new_markdown_cell(details_block(summary, body))
            cell.metadata["slideshow"] = {"slide_type": "-"}
        cell.metadata["tags"] = [FOLDED_TAG]
        return cell


def details_block(summary, markdown):
    """A closed ``<details>`` block holding `markdown`, as one line of HTML.

    Markdown renderers end an HTML block at the first blank line and render what follows as
    markdown outside it (nbconvert then closes the ``<details>`` early, leaving the answer in
    sight). So the answer is rendered to HTML here, math kept for MathJax, and its newlines are
    written as ``&#10;``: the whole block is a single line that every renderer keeps together.
    """
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    inner = markdown2html_mistune(markdown).strip().replace("\n", "&#10;")
    return f"<details><summary>{summary}</summary>{inner}</details>"


def _clear(cell):
    cell.outputs = []
    cell.execution_count = None


class ClearRunStatePreprocessor(Preprocessor):
    """Drop what a run leaves besides outputs: widget state and per-cell timings."""

    def preprocess(self, nb, resources):
        nb.metadata.pop("widgets", None)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        for key in ("execution", "collapsed", "scrolled"):
            cell.metadata.pop(key, None)
        return cell, resources


def student_exporter():
    """A NotebookExporter that writes student copies (see the module docstring)."""
    exporter = NotebookExporter()
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={SOLUTION_TAG}, enabled=True), enabled=True
    )
    exporter.register_preprocessor(StripSolutionsPreprocessor(), enabled=True)
    exporter.register_preprocessor(
        ClearOutputPreprocessor(remove_metadata_fields={"collapsed", "scrolled"}), enabled=True
    )
    exporter.register_preprocessor(ClearRunStatePreprocessor(), enabled=True)
    return exporter


def check_student_copy(nb):
    """Raise AssertionError if anything of a solution or a run is left in `nb`."""
    for number, cell in enumerate(nb.cells, start=1):
        assert SOLUTION_TAG not in cell.metadata.get("tags", []), f"cell {number} is a solution"
        if cell.cell_type == "code":
            assert BEGIN not in cell.source and END not in cell.source, f"cell {number}: markers"
            assert not cell.outputs and cell.execution_count is None, f"cell {number}: outputs"
    assert "widgets" not in nb.metadata, "widget state left"


def make_student_copy(nb):
    """The student copy of notebook `nb` (a new NotebookNode) and a summary dict.

    Returns
    -------
    (NotebookNode, dict)  the copy; {"exercises": regions replaced, "solution_cells": removed}
    """
    removed = sum(SOLUTION_TAG in c.metadata.get("tags", []) for c in nb.cells)
    body, resources = student_exporter().from_notebook_node(nb)
    copy = nbformat.reads(body, as_version=4)
    check_student_copy(copy)
    return copy, {"exercises": resources["student"]["regions"], "solution_cells": removed}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    parser.add_argument("--out", type=Path, default=BUILD / "student", help="output folder")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for path in select_notebooks(args.notebooks):
        try:
            copy, summary = make_student_copy(read(path))
        except ValueError as err:
            sys.exit(f"{path}: {err}")
        target = args.out / path.name
        nbformat.write(copy, str(target))
        print(
            f"{target}: {summary['exercises']} solution region(s) replaced, "
            f"{summary['solution_cells']} solution cell(s) removed, "
            f"{human_size(target.stat().st_size)}"
        )


if __name__ == "__main__":
    main()
