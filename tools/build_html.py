"""A static site: every notebook as an HTML page, and a table of contents.

    python -m tools.build_html [--out build/html] [--execute] [NOTEBOOK ...]

Each notebook is rendered with the outputs stored in it (``--execute`` runs it first, from a
fresh kernel; a notebook that was never run is always run) through nbconvert's HTMLExporter and
a template that adds "previous / contents / next" links. ``index.html`` lists the notebooks in
teaching order with their sections.

The pages are readable without a kernel and without a network: figures are embedded in the
page, MathJax comes from a local copy in ``_vendor/`` (fetched from the npm registry at build
time, never committed), nothing is loaded from a CDN, and each widget is replaced by what it
showed when the notebook was run (the notebooks' static figures stay as they are). Each
exercise shows its stub, and the course's answer sits in a closed "Show a solution" block.

Every figure's description (the ``alt`` in its output's metadata, written by ``helpers.figures``)
becomes the ``alt`` of its image; a figure shown without one is named on the build's standard
error, with its notebook and cell, and keeps nbconvert's placeholder, which the tests refuse.
The pages meet the WCAG 2.1 AA: colours of at least 4.5:1 (the template's stylesheet), one main
landmark, navigation bars told apart by their names.
"""

import argparse
import html
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import Preprocessor
from traitlets.config import Config

from tools import vendor
from tools.common import (
    BUILD,
    REPO,
    TEMPLATES,
    DropTestMarkersPreprocessor,
    WidgetSnapshotPreprocessor,
    execute,
    folder_summary,
    has_outputs,
    human_size,
    notebook_title,
    read,
    select_notebooks,
)
from tools.make_student import FoldSolutionsPreprocessor

IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")


def figure_description(output, cell):
    """The description of the figure an output shows, as the templates find it, or "".

    The ``alt`` of the output's metadata for the image's type, else of the whole output's
    metadata (``helpers.figures`` and IPython's ``Image(alt=...)`` write these), else the
    ``alt`` of the cell's metadata.
    """
    metadata = output.get("metadata") or {}
    for mimetype in IMAGE_TYPES:
        if mimetype in output.get("data", {}):
            alt = (metadata.get(mimetype) or {}).get("alt") or metadata.get("alt")
            alt = alt or cell.get("metadata", {}).get("alt")
            return alt if isinstance(alt, str) else ""
    return ""


def shows_figure(output):
    """True when the output is an image the page shows."""
    return output.get("output_type") in ("display_data", "execute_result") and any(
        mimetype in output.get("data", {}) for mimetype in IMAGE_TYPES
    )


def number_cells(nb):
    """``{cell id: number}``, counting from 1, of the notebook's cells as stored.

    Taken before the export, whose preprocessors move and merge cells, so that a warning names
    the cell a reader finds in the notebook.
    """
    return {cell.get("id", ""): number for number, cell in enumerate(nb.cells, start=1)}


class FigureDescriptionsPreprocessor(Preprocessor):
    """Name every figure shown without a description, on standard error and in `missing`.

    Runs after the widget snapshots, so a figure a widget showed is looked at too. ``missing``
    collects ``(notebook, cell number, cell id)`` across every notebook the exporter converts.
    """

    def __init__(self, **kw):
        super().__init__(**kw)
        self.missing = []

    def preprocess(self, nb, resources):
        name = resources.get("metadata", {}).get("name", "notebook")
        numbers = resources.get("cell_numbers", {})
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                if shows_figure(output) and not figure_description(output, cell).strip():
                    cell_id = cell.get("id", "")
                    number = numbers.get(cell_id, "?")
                    self.missing.append((name, number, cell_id))
                    print(
                        f"warning: {name}, cell {number} (id {cell_id}): a figure has no "
                        "description (its image's alt text): show it with helpers.figures.describe",
                        file=sys.stderr,
                    )
        return nb, resources


def html_exporter():
    """An HTMLExporter with the course template and a local MathJax."""
    c = Config()
    c.HTMLExporter.extra_template_basedirs = [str(TEMPLATES)]
    c.HTMLExporter.extra_template_paths = [str(TEMPLATES)]  # for course_lab/figures.j2
    c.HTMLExporter.template_name = "course_lab"
    c.HTMLExporter.mathjax_url = vendor.MATHJAX_URL
    c.HTMLExporter.embed_images = True
    exporter = HTMLExporter(config=c)
    exporter.register_preprocessor(FoldSolutionsPreprocessor(fold="details"), enabled=True)
    exporter.register_preprocessor(DropTestMarkersPreprocessor(), enabled=True)
    exporter.register_preprocessor(WidgetSnapshotPreprocessor(), enabled=True)
    exporter.figure_descriptions = FigureDescriptionsPreprocessor()
    exporter.register_preprocessor(exporter.figure_descriptions, enabled=True)
    return exporter


class _Headings(HTMLParser):
    """Collect ``(level, id, text)`` of the h1 and h2 headings of a page nbconvert wrote."""

    def __init__(self):
        super().__init__()
        self.found, self._current = [], None

    def handle_starttag(self, tag, attrs):
        if tag in ("h1", "h2"):
            self._current = [int(tag[1]), dict(attrs).get("id", ""), ""]
        elif tag == "a" and self._current is not None:
            self._current.append("in-anchor")

    def handle_endtag(self, tag):
        if tag == "a" and self._current is not None and self._current[-1] == "in-anchor":
            self._current.pop()
        elif tag in ("h1", "h2") and self._current is not None:
            level, anchor, text = self._current[:3]
            self.found.append((level, anchor, " ".join(text.split())))
            self._current = None

    def handle_data(self, data):
        # the pilcrow link nbconvert appends to each heading is not part of its text
        if self._current is not None and self._current[-1] != "in-anchor":
            self._current[2] += data


def sections(page_html):
    """The ``(id, text)`` of each level-2 heading of a rendered page, in order."""
    parser = _Headings()
    parser.feed(page_html)
    return [(anchor, text) for level, anchor, text in parser.found if level == 2 and anchor]


def course_title():
    """The title of the course: the first heading of README.md."""
    readme = REPO / "README.md"
    if readme.exists():
        for line in readme.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return "Backpropagation course"


def render_page(path, nav, exporter, run=False):
    """The HTML page of the notebook at `path`, and its title.

    Parameters
    ----------
    path     : Path              the notebook
    nav      : dict              {"prev": {"href", "title"} or None, "next": ..., "index": href}
    exporter : HTMLExporter      from html_exporter()
    run      : bool              execute the notebook first even if it has outputs
    """
    nb = read(path)
    title = notebook_title(nb, path.stem)
    if run or not has_outputs(nb):
        execute(nb, path.parent)
    nb.metadata["title"] = title
    resources = {
        "metadata": {"name": path.stem, "path": str(path.parent)},
        "course_nav": nav,
        "cell_numbers": number_cells(nb),
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body, title


def write_index(pages, out_dir):
    """``index.html``: each notebook in order, with links to its sections."""
    entries = []
    for page, title, heads in pages:
        subs = "".join(
            f'<li><a href="{html.escape(page.name)}#{html.escape(anchor)}">'
            f"{html.escape(text)}</a></li>"
            for anchor, text in heads
        )
        entries.append(
            f'<li><a class="notebook" href="{html.escape(page.name)}">{html.escape(title)}</a>'
            + (f"\n<ul>{subs}</ul>" if subs else "")
            + "</li>"
        )
    name = html.escape(course_title())
    entries_html = "\n".join(entries)
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{name}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #222; }}
ol > li {{ margin-bottom: 0.8rem; }}
a.notebook {{ font-weight: 600; font-size: 1.1rem; }}
ul {{ font-size: 0.95rem; }}
</style>
</head>
<body>
<main>
<h1>{name}</h1>
<p>The notebooks in teaching order, with the outputs of their last run. To move the sliders
and do the exercises, open the notebooks in JupyterLab (see the README).</p>
<nav aria-label="contents">
<ol>
{entries_html}
</ol>
</nav>
</main>
</body>
</html>
"""
    target = Path(out_dir) / "index.html"
    target.write_text(page, encoding="utf-8")
    return target


def build(notebooks, out_dir, run=False, exporter=None):
    """Write every page, the index and the local MathJax; return [(page, title, sections)].

    `exporter` (default: a new html_exporter()) keeps in ``exporter.figure_descriptions.missing``
    the figures it found without a description.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    vendor.install(out_dir, ["mathjax"])
    exporter = exporter or html_exporter()
    notebooks = [Path(p) for p in notebooks]
    titles = [notebook_title(read(p), p.stem) for p in notebooks]
    pages = []
    for i, path in enumerate(notebooks):

        def link(j):
            ok = 0 <= j < len(notebooks)
            return {"href": f"{notebooks[j].stem}.html", "title": titles[j]} if ok else None

        nav = {"prev": link(i - 1), "next": link(i + 1), "index": "index.html"}
        body, title = render_page(path, nav, exporter, run)
        target = out_dir / f"{path.stem}.html"
        target.write_text(body, encoding="utf-8")
        pages.append((target, title, sections(body)))
    write_index(pages, out_dir)
    return pages


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    parser.add_argument("--out", type=Path, default=BUILD / "html", help="output folder")
    parser.add_argument("--execute", action="store_true", help="run each notebook first")
    args = parser.parse_args(argv)
    notebooks = select_notebooks(args.notebooks)
    if args.out.exists():  # no page of a renamed or deleted notebook stays
        for old in args.out.glob("*.html"):
            old.unlink()
    start = time.perf_counter()
    exporter = html_exporter()
    try:
        pages = build(notebooks, args.out, args.execute, exporter)
    except vendor.VendorError as err:
        raise SystemExit(f"cannot build the site offline: {err}") from None
    for page, title, heads in pages:
        print(f"{page}: {title}, {len(heads)} sections ({human_size(page.stat().st_size)})")
    count, size = folder_summary(args.out)
    print(
        f"{args.out}/index.html: {len(pages)} pages; {count} files, {human_size(size)}, "
        f"in {time.perf_counter() - start:.1f} s"
    )
    report_missing(exporter.figure_descriptions.missing)


def report_missing(missing):
    """One line on standard error for the figures without a description, if there are any."""
    if missing:
        notebooks = sorted({name for name, _, _ in missing})
        print(
            f"warning: {len(missing)} figure(s) without a description, in "
            f"{', '.join(notebooks)} (each named above): their pages show a placeholder alt",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
