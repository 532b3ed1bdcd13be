"""The learner's own copy of the course: what ``make lab`` opens.

    python -m tools.workspace [--out my_notebooks]

The notebooks in ``notebooks/`` hold the course's answers (they are what the tests run). A learner
works in copies of them, made once into ``my_notebooks/`` (ignored by git): in a copy every
exercise holds ``raise NotImplementedError("your code here")``, and the answer sits in a closed
"Show a solution" block after the checker cell (`FoldSolutionsPreprocessor`). Stored outputs and
figures stay, so a copy reads well before it is run.

A copy is never overwritten once the learner may have touched it. ``my_notebooks/.course.json``
records, for each copy, a fingerprint of the course notebook it was made from and of the copy as
written. When the course notebook changes (after a ``git pull``):

- a copy that is still exactly as written is replaced by the new version;
- a copy the learner has changed is kept, and the new version is written beside it as
  ``my_notebooks/updated/NAME.ipynb``, with a line saying so.

New notebooks of the course are copied in; nothing is ever deleted.
"""

import argparse
import hashlib
import json
from pathlib import Path

import nbformat
from nbconvert.exporters import NotebookExporter

from tools.common import REPO, course_notebooks, read
from tools.make_student import BEGIN, FOLDED_TAG, SOLUTION_TAG, FoldSolutionsPreprocessor

WORKSPACE = REPO / "my_notebooks"
MANIFEST = ".course.json"
UPDATES = "updated"


def learner_copy(nb):
    """The learner's copy of notebook `nb` (a new NotebookNode): solutions folded, outputs kept."""
    exporter = NotebookExporter()
    exporter.register_preprocessor(FoldSolutionsPreprocessor(fold="details"), enabled=True)
    body, _ = exporter.from_notebook_node(nb)
    copy = nbformat.reads(body, as_version=4)
    check_learner_copy(copy)
    return copy


def check_learner_copy(nb):
    """Raise AssertionError if a solution of `nb` is in sight (outside a closed block)."""
    for number, cell in enumerate(nb.cells, start=1):
        tags = cell.metadata.get("tags", [])
        assert SOLUTION_TAG not in tags, f"cell {number} is a solution cell"
        if cell.cell_type == "code":
            assert BEGIN not in cell.source, f"cell {number} still holds a solution region"
        if FOLDED_TAG in tags:
            assert cell.source.startswith("<details>") and "\n" not in cell.source.strip(), (
                f"cell {number}: a solution not folded into one closed block"
            )


def fingerprint(path):
    """SHA-256 of a file's bytes (short)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def update_workspace(out=WORKSPACE, sources=None):
    """Copy the course notebooks into `out` without ever overwriting a learner's work.

    Returns
    -------
    list of (name, what) with what in "new", "kept", "updated", "new version beside"
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    manifest_path = out / MANIFEST
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    report = []
    for source in sources or course_notebooks():
        name = source.name
        target = out / name
        source_print = fingerprint(source)
        record = manifest.get(name)
        if target.exists() and record and record["source"] == source_print:
            report.append((name, "kept"))
            continue
        copy = learner_copy(read(source))
        if not target.exists():
            what = "new"
        elif record and fingerprint(target) == record["copy"]:
            what = "updated"  # untouched since it was written: safe to replace
        else:
            beside = out / UPDATES / name
            beside.parent.mkdir(exist_ok=True)
            nbformat.write(copy, str(beside))
            report.append((name, "new version beside"))
            continue
        nbformat.write(copy, str(target))
        manifest[name] = {"source": source_print, "copy": fingerprint(target)}
        report.append((name, what))
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=WORKSPACE, help="the learner's folder")
    args = parser.parse_args(argv)
    report = update_workspace(args.out)
    made = [name for name, what in report if what in ("new", "updated")]
    beside = [name for name, what in report if what == "new version beside"]
    if made:
        print(f"{args.out.name}/: your copies of {', '.join(made)} (solutions folded)")
    for name in beside:
        print(
            f"{name} changed in the course since your copy was made. Your copy is kept as it "
            f"is; the new version is {args.out.name}/{UPDATES}/{name}"
        )
    if not made and not beside:
        print(f"{args.out.name}/: your copies are up to date; your work is in them")


if __name__ == "__main__":
    main()
