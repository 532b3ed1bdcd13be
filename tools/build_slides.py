"""Offline reveal.js slides, one deck per notebook.

    python -m tools.build_slides [--out build/slides] [NOTEBOOK ...]

Each notebook (with the outputs stored in it) becomes ``NAME.slides.html`` through nbconvert's
SlidesExporter; the cells' ``slideshow.slide_type`` metadata decides what is a slide, a
sub-slide (reached with the down arrow), a fragment, skipped, or a speaker note. ``index.html``
lists the decks in teaching order.

The decks load nothing from the internet: reveal.js, require.js, jQuery and MathJax are fetched
with npm at build time (cached in ``vendor/``, never committed) and copied to ``_vendor/`` beside
the decks, and the pages point at those copies with relative URLs. Copy the whole output folder
to present from another machine. Widgets, which need a kernel, are shown as they were when the
notebook was run. Code lines too long for a slide wrap (the template's stylesheet), so no line
runs off the slide's edge. Every figure's description becomes the ``alt`` of its image (a figure
without one is named on standard error, as tools/build_html.py does for the site), and the
decks' colours meet the WCAG 2.1 AA.
"""

import argparse
import html
import time
from pathlib import Path

from nbconvert.exporters import SlidesExporter
from traitlets.config import Config

from tools import vendor
from tools.build_html import FigureDescriptionsPreprocessor, number_cells, report_missing
from tools.common import (
    BUILD,
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

SUFFIX = ".slides.html"


def slides_exporter():
    """A SlidesExporter whose pages use the local copies under ``_vendor/``."""
    c = Config()
    c.SlidesExporter.extra_template_basedirs = [str(TEMPLATES)]
    c.SlidesExporter.extra_template_paths = [str(TEMPLATES)]  # for course_lab/figures.j2
    c.SlidesExporter.template_name = "course_reveal"
    c.SlidesExporter.reveal_url_prefix = vendor.REVEAL_URL_PREFIX
    c.SlidesExporter.reveal_theme = "white"
    c.SlidesExporter.reveal_scroll = True
    c.SlidesExporter.reveal_number = "c/t"
    c.SlidesExporter.require_js_url = vendor.REQUIRE_JS_URL
    c.SlidesExporter.jquery_url = vendor.JQUERY_URL
    c.SlidesExporter.mathjax_url = vendor.MATHJAX_URL
    c.SlidesExporter.exclude_input_prompt = True
    c.SlidesExporter.exclude_output_prompt = True
    exporter = SlidesExporter(config=c)
    exporter.register_preprocessor(DropTestMarkersPreprocessor(), enabled=True)
    exporter.register_preprocessor(WidgetSnapshotPreprocessor(), enabled=True)
    exporter.figure_descriptions = FigureDescriptionsPreprocessor()
    exporter.register_preprocessor(exporter.figure_descriptions, enabled=True)
    return exporter


def build_deck(path, out_dir, exporter=None):
    """Write ``out_dir/NAME.slides.html`` for the notebook at `path`; return (file, title)."""
    nb = read(path)
    title = notebook_title(nb, path.stem)
    if not has_outputs(nb):
        execute(nb, path.parent)
    nb.metadata["title"] = title
    numbers = number_cells(nb)
    # Before the export: reveal's slide structure is computed from the cells it is given.
    nb, _ = FoldSolutionsPreprocessor(fold="slide").preprocess(nb, {})
    exporter = exporter or slides_exporter()
    resources = {
        "metadata": {"name": path.stem, "path": str(path.parent)},
        "cell_numbers": numbers,
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    target = Path(out_dir) / f"{path.stem}{SUFFIX}"
    target.write_text(body, encoding="utf-8")
    return target, title


def write_index(decks, out_dir):
    """``index.html``: the decks in order, and the keys a presenter needs."""
    items = "\n".join(
        f'<li><a href="{html.escape(d.name)}">{html.escape(t)}</a></li>' for d, t in decks
    )
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Backpropagation course: slides</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; }}
kbd {{ border: 1px solid #bbb; border-radius: 3px; padding: 0 0.3em; }}
</style>
</head>
<body>
<main>
<h1>Slides</h1>
<ol>
{items}
</ol>
<h2>Presenting</h2>
<p><kbd>&rarr;</kbd> / <kbd>Space</kbd> next, <kbd>&darr;</kbd> into a section,
<kbd>Esc</kbd> overview, <kbd>F</kbd> full screen, <kbd>S</kbd> speaker view with notes.
Everything is in this folder: it works without a network.</p>
</main>
</body>
</html>
"""
    target = Path(out_dir) / "index.html"
    target.write_text(page, encoding="utf-8")
    return target


def build(notebooks, out_dir, exporter=None):
    """Build every deck, the index and the local scripts; return the list of (deck, title).

    `exporter` (default: a new slides_exporter()) keeps in
    ``exporter.figure_descriptions.missing`` the figures it found without a description.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    vendor.install(out_dir, ["reveal.js", "requirejs", "jquery", "mathjax"])
    exporter = exporter or slides_exporter()
    decks = [build_deck(Path(p), out_dir, exporter) for p in notebooks]
    write_index(decks, out_dir)
    return decks


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    parser.add_argument("--out", type=Path, default=BUILD / "slides", help="output folder")
    args = parser.parse_args(argv)
    notebooks = select_notebooks(args.notebooks)
    if args.out.exists():  # no deck of a renamed or deleted notebook stays
        for old in args.out.glob(f"*{SUFFIX}"):
            old.unlink()
    start = time.perf_counter()
    exporter = slides_exporter()
    try:
        decks = build(notebooks, args.out, exporter)
    except vendor.VendorError as err:
        raise SystemExit(f"cannot build the slides offline: {err}") from None
    for deck, title in decks:
        print(f"{deck}: {title} ({human_size(deck.stat().st_size)})")
    count, size = folder_summary(args.out)
    print(
        f"{args.out}/index.html: {len(decks)} decks; {count} files, {human_size(size)}, "
        f"in {time.perf_counter() - start:.1f} s"
    )
    report_missing(exporter.figure_descriptions.missing)


if __name__ == "__main__":
    main()
