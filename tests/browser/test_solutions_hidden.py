"""What `make lab` shows a learner: every notebook's own copy, run with Run All in JupyterLab.

No exercise is done, so each checker must say "not implemented yet", no cell may fail, and no
line of a solution may be in sight: the answers sit in closed "Show a solution" blocks, which
open with one click.
"""

from __future__ import annotations

import os
import re

import nbformat
import pytest

from tools.common import course_notebooks, read
from tools.workspace import learner_copy

from .driver import browser_missing_reason, skip_message

_MISSING = browser_missing_reason()
if _MISSING is not None and os.environ.get("REQUIRE_BROWSER") != "1":
    pytest.skip(skip_message(_MISSING), allow_module_level=True)

NOTEBOOKS = {p.name: p for p in course_notebooks()}
_FENCE = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")


def distinctive_solution_lines(nb):
    """Lines written only inside solution regions: what must not be on screen."""
    inside, outside = set(), set()
    for cell in nb.cells:
        if "solution" in cell.metadata.get("tags", []):
            continue
        region = False
        for line in cell.source.splitlines():
            if _FENCE.match(line):
                region = line.strip().startswith("### BEGIN")
            elif region and cell.cell_type == "code":
                inside.add(line.strip())
            else:
                outside.add(line.strip())
                outside.update(part.strip() for part in re.split(r"[`|]", line))  # markdown
    return {line for line in inside - outside if len(line) > 8 and not line.startswith("#")}


# Text of the page that a reader sees: code editors, outputs, and rendered markdown with every
# closed <details> block taken out (its summary stays).
_VISIBLE_TEXT = """(panel) => {
    const parts = [];
    for (const el of panel.querySelectorAll('.cm-content, .jp-OutputArea-output')) {
        parts.push(el.textContent);
    }
    for (const md of panel.querySelectorAll('.jp-RenderedMarkdown')) {
        const copy = md.cloneNode(true);
        for (const d of copy.querySelectorAll('details:not([open])')) {
            const summary = d.querySelector('summary');
            d.replaceWith(summary ? summary.textContent : '');
        }
        parts.push(copy.textContent);
    }
    return parts.join('\\n');
}"""


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_run_all_in_the_learners_copy_shows_no_solution(name, lab, lab_server):
    source = read(NOTEBOOKS[name])
    nbformat.write(learner_copy(source), str(lab_server.root / name))
    notebook = lab.open(name)
    try:
        notebook.run_all(timeout=120_000)
        panel = notebook.panel
        stderr = panel.locator('[data-mime-type="application/vnd.jupyter.stderr"]')
        assert stderr.count() == 0, stderr.all_text_contents()
        folded = panel.locator(".jp-RenderedMarkdown details")
        folded.first.wait_for(state="attached", timeout=30_000)
        checkers = panel.locator(".jp-OutputArea-output", has_text="not implemented yet")
        assert folded.count() >= 1 and checkers.count() >= 1
        visible = panel.evaluate(_VISIBLE_TEXT)
        seen = {line.strip() for line in visible.splitlines()}
        leaked = sorted(distinctive_solution_lines(source) & seen)
        assert not leaked, f"{name}: solution lines on screen after Run All: {leaked}"
        assert "Show a solution" in visible or "Show the answer" in visible

        # One deliberate click opens a block, and its code is then on screen.
        first = folded.first
        first.scroll_into_view_if_needed()
        first.locator("summary").click()
        assert first.evaluate("d => d.open")
        assert first.locator("pre, code").first.is_visible()
        notebook.errors.assert_none()
    finally:
        notebook.close()
