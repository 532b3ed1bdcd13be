"""The instructor kit (tools/): student copies, offline slides and the static site.

Every check looks at what the tools wrote, not only at their exit status. The notebooks under
test are every ``notebooks/*.ipynb`` plus a small synthetic notebook, built here, that has a
widget showing a described figure, math, two fenced exercises (one nested in an ``if``), a code
and a markdown solution cell.

The student copies are run with nbclient (a fresh kernel each, two at a time): untouched, each
checker must say "not implemented yet"; with the exercises filled in from the source notebook,
each checker must print what the source notebook printed (a pass).

The slides and the site need reveal.js and MathJax from the npm registry (cached in vendor/):
those tests skip, saying why, when npm is missing and nothing is cached. Every image on the site
and in the slides must carry its figure's description as its alt: a sentence, not nbconvert's
placeholder.
"""

import copy
import html
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tools import build_html, build_slides, make_student, vendor  # noqa: E402
from tools.common import course_notebooks, notebook_title  # noqa: E402

SYNTHETIC = "99_synthetic"
NOT_DONE = "not implemented yet"
_BEGIN = re.compile(r"^\s*### BEGIN SOLUTION\s*$")
_END = re.compile(r"^\s*### END SOLUTION\s*$")


# --- the notebooks under test -------------------------------------------------------------


def _cell(kind, source, slide="-", tags=()):
    cell = new_markdown_cell(source) if kind == "md" else new_code_cell(source)
    cell.metadata["slideshow"] = {"slide_type": slide}
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def synthetic_notebook():
    """A short notebook in the course conventions, using each feature the tools touch."""
    cells = [
        _cell(
            "md",
            "# 99 A synthetic lesson\n\nThe mask: $\\partial a / \\partial z = [z > 0]$.",
            "slide",
        ),
        _cell(
            "code",
            "import ipywidgets as widgets\nimport matplotlib.pyplot as plt\nimport numpy as np\n"
            "from IPython.display import display\n\n"
            "from helpers import figures, layers\nfrom helpers.gradcheck import check_exercise",
            "skip",
        ),
        _cell("md", "## 1. A slider\n\nThe ramp gets steeper as the gain grows.", "slide"),
        _cell(
            "code",
            "# NBVAL_IGNORE_OUTPUT\ndef ramp(gain=1.5):\n"
            "    fig, ax = plt.subplots(figsize=(3, 2))\n"
            "    z = np.linspace(-2, 2, 9)\n"
            "    ax.plot(z, np.maximum(gain * z, 0))\n"
            "    about = f'A ramp: zero up to z = 0, then slope {gain:g}.'\n"
            "    display(figures.describe(fig, about))\n\n"
            "widgets.interact(ramp, gain=(0.5, 3.0, 0.5));",
            "subslide",
        ),
        _cell("md", "## Exercises\n\n### Exercise 1: the ReLU backward pass", "slide"),
        _cell(
            "code",
            'def relu_backward_mine(dA, cache):\n    """Pass the gradient where z > 0."""\n'
            "    Z = cache\n    ### BEGIN SOLUTION\n    passes = Z > 0\n    dZ = dA * passes\n"
            "    ### END SOLUTION\n    return dZ",
            "subslide",
            ["exercise"],
        ),
        _cell("code", "result = check_exercise(relu_backward_mine, layers.relu_backward)\nresult"),
        _cell("code", "assert result.passed, result", "skip", ["solution"]),
        _cell(
            "md", "### Exercise 2: the logistic function\n\nWhy is it odd about 1/2?", "subslide"
        ),
        _cell("md", "**Answer.** Because s(-z) = 1 - s(z).", "fragment", ["solution"]),
        _cell(
            "code",
            "def logistic_mine(z):\n    if z.ndim:\n        ### BEGIN SOLUTION\n"
            "        out = 1 / (1 + np.exp(-z))\n        ### END SOLUTION\n    return out",
            "subslide",
            ["exercise"],
        ),
        _cell(
            "code",
            "result = check_exercise(\n    logistic_mine, layers.sigmoid,\n"
            "    make_inputs=lambda rng: (rng.normal(size=(3, 4)),),\n)\nresult",
        ),
        _cell("code", "assert result.passed, result", "skip", ["solution"]),
    ]
    kernelspec = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    return new_notebook(cells=cells, metadata={"kernelspec": kernelspec})


# Each notebook runs in a process of its own: several nbclient clients sharing one event loop
# were seen to wait forever on an idle kernel.
_RUNNER = """
import sys
import nbformat
from nbclient import NotebookClient

nb = nbformat.read(sys.argv[1], as_version=4)
client = NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                        resources={"metadata": {"path": sys.argv[3]}})
client.execute()
nbformat.write(nb, sys.argv[2])
"""


def _execute(notebooks_and_folders, parallel=2):
    """Run each (notebook, working folder) from a fresh kernel, `parallel` at a time.

    Errors are kept as outputs (allow_errors) so a test can say which cell failed; an exception
    (a timeout, a crash) is returned in place of the notebook.
    """
    import tempfile
    from concurrent.futures import ThreadPoolExecutor

    scratch = Path(tempfile.mkdtemp(prefix="student-runs-"))

    def one(job):
        i, (nb, folder) = job
        source, target = scratch / f"{i}.ipynb", scratch / f"{i}.out.ipynb"
        nbformat.write(nb, source)
        try:
            done = subprocess.run(
                [sys.executable, "-c", _RUNNER, str(source), str(target), str(folder)],
                capture_output=True,
                text=True,
                timeout=300,
            )
        except subprocess.TimeoutExpired as err:
            return err
        if done.returncode != 0:
            return RuntimeError(done.stderr[-2000:])
        return nbformat.read(target, as_version=4)

    try:
        with ThreadPoolExecutor(parallel) as pool:
            return list(pool.map(one, enumerate(notebooks_and_folders)))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture(scope="session")
def sources(tmp_path_factory):
    """{name: path} of every course notebook and of the synthetic one (run, outputs stored)."""
    folder = tmp_path_factory.mktemp("synthetic")
    nb = synthetic_notebook()
    (result,) = _execute([(nb, folder)])
    if isinstance(result, BaseException):
        raise result
    assert not _errors(result), _errors(result)
    path = folder / f"{SYNTHETIC}.ipynb"
    nbformat.write(result, str(path))
    found = {p.stem: p for p in course_notebooks()}
    found[SYNTHETIC] = path
    return found


NAMES = [p.stem for p in course_notebooks()] + [SYNTHETIC]


def _read(path):
    return nbformat.read(str(path), as_version=4)


def _tags(cell):
    return cell.metadata.get("tags", [])


def _kept(nb):
    """The cells a student copy keeps: all but those tagged solution."""
    return [c for c in nb.cells if "solution" not in _tags(c)]


def _has_region(cell):
    return cell.cell_type == "code" and any(_BEGIN.match(x) for x in cell.source.splitlines())


def _regions(source):
    """The lines strictly inside fenced solution regions, and the lines outside them."""
    inside, outside, fenced = [], [], False
    for line in source.splitlines():
        if _BEGIN.match(line):
            fenced = True
        elif _END.match(line):
            fenced = False
        elif fenced:
            inside.append(line.strip())
        else:
            outside.append(line.strip())
    return inside, outside


def _text(output):
    if output.output_type == "stream":
        return output.text
    if output.output_type == "error":
        return f"{output.ename}: {output.evalue}"
    return output.get("data", {}).get("text/plain", "")


def _errors(nb):
    """(cell number, error or stderr text) for every failing cell of an executed notebook."""
    found = []
    for number, cell in enumerate(nb.cells, start=1):
        for output in cell.get("outputs", []):
            if output.output_type == "error" or getattr(output, "name", "") == "stderr":
                found.append((number, _text(output)[:300]))
    return found


def _checker_cells(cells):
    """(exercise index, checker index) for each cell with a fenced region in `cells`."""
    pairs = []
    for i, cell in enumerate(cells):
        if _has_region(cell):
            following = [j for j in range(i + 1, len(cells)) if cells[j].cell_type == "code"]
            pairs.append((i, following[0] if following else None))
    return pairs


# --- student copies ---------------------------------------------------------------------


def test_strip_solutions_keeps_indentation_and_rejects_broken_fences():
    source = (
        "def f(x):\n    if x:\n"
        "        ### BEGIN SOLUTION\n        y = 1\n        ### END SOLUTION\n"
        "    ### BEGIN SOLUTION\n    z = 2\n    ### END SOLUTION\n"
        "    return y + z"
    )
    stripped, indents = make_student.strip_solutions(source, "fill me")
    assert indents == ["        ", "    "]
    assert stripped.splitlines() == [
        "def f(x):",
        "    if x:",
        '        raise NotImplementedError("fill me")',
        '    raise NotImplementedError("fill me")',
        "    return y + z",
    ]
    compile(stripped, "<student>", "exec")
    for broken in (
        "### BEGIN SOLUTION\nx = 1",
        "x = 1\n### END SOLUTION",
        "### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION",
    ):
        with pytest.raises(ValueError, match="SOLUTION"):
            make_student.strip_solutions(broken)


@pytest.fixture(scope="session")
def student_dir(sources, tmp_path_factory):
    """The student copies, written by the command-line tool (as `make student` runs it)."""
    out = tmp_path_factory.mktemp("student")
    make_student.main(["--out", str(out), *map(str, sources.values())])
    return out


@pytest.mark.parametrize("name", NAMES)
def test_student_copy_has_no_solution_and_no_outputs(name, sources, student_dir):
    source = _read(sources[name])
    student = _read(student_dir / f"{name}.ipynb")
    kept = _kept(source)
    assert [c.cell_type for c in student.cells] == [c.cell_type for c in kept]
    assert "widgets" not in student.metadata, "widget state left in the student copy"

    solution_sources = [c.source for c in source.cells if "solution" in _tags(c)]
    allowed = Counter()  # how often a line may appear: as often as outside every solution
    solution_lines = set()
    for cell in kept:
        inside, outside = _regions(cell.source) if cell.cell_type == "code" else ([], [])
        solution_lines.update(line for line in inside if line)
        allowed.update(outside)
    seen = Counter()
    for number, (cell, original) in enumerate(zip(student.cells, kept, strict=True), start=1):
        assert "solution" not in _tags(cell), f"cell {number} is tagged solution"
        assert cell.source not in solution_sources, f"cell {number} is a solution cell"
        if cell.cell_type != "code":
            assert cell.source == original.source
            continue
        assert cell.outputs == [] and cell.execution_count is None, f"cell {number}: outputs"
        assert "execution" not in cell.metadata, f"cell {number}: run timings left"
        assert "### BEGIN SOLUTION" not in cell.source and "### END SOLUTION" not in cell.source
        seen.update(line.strip() for line in cell.source.splitlines())
        if _has_region(original):
            assert "raise NotImplementedError(" in cell.source, f"cell {number}"
        else:
            assert cell.source == original.source, f"cell {number} changed"
    leaked = sorted(line for line in solution_lines if seen[line] > allowed[line])
    assert not leaked, f"solution lines in the student copy of {name}: {leaked}"


@pytest.fixture(scope="session")
def runs(sources, student_dir):
    """{name: (student copy run, filled-in copy run)}, all executed in one go."""
    jobs, keys = [], []
    for name, path in sources.items():
        source = _read(path)
        student = _read(student_dir / f"{name}.ipynb")
        filled = copy.deepcopy(student)
        for cell, original in zip(filled.cells, _kept(source), strict=True):
            if _has_region(original):
                cell.source = original.source  # the reference solution put back
        jobs += [(student, path.parent), (filled, path.parent)]
        keys.append(name)
    results = _execute(jobs)
    return {name: (results[2 * i], results[2 * i + 1]) for i, name in enumerate(keys)}


def _ran(result, what):
    if isinstance(result, BaseException):
        pytest.fail(f"{what} did not finish: {type(result).__name__}: {result}")
    return result


@pytest.mark.parametrize("name", NAMES)
def test_student_copy_runs_and_each_checker_says_not_implemented(name, sources, runs):
    student = _ran(runs[name][0], f"the student copy of {name}")
    assert not _errors(student), f"{name} (student copy) fails: {_errors(student)}"
    for exercise, checker in _checker_cells(_kept(_read(sources[name]))):
        assert checker is not None, f"cell {exercise + 1}: an exercise with no checker after it"
        shown = "".join(_text(o) for o in student.cells[checker].outputs)
        assert NOT_DONE in shown, f"checker cell {checker + 1} shows {shown!r}"


@pytest.mark.parametrize("name", NAMES)
def test_filling_in_the_reference_solution_makes_each_checker_pass(name, sources, runs):
    filled = _ran(runs[name][1], f"the filled-in copy of {name}")
    assert not _errors(filled), f"{name} (filled in) fails: {_errors(filled)}"
    kept = _kept(_read(sources[name]))
    for exercise, checker in _checker_cells(kept):
        assert checker is not None, f"cell {exercise + 1}: an exercise with no checker after it"
        got = "".join(_text(o) for o in filled.cells[checker].outputs).strip()
        want = "".join(_text(o) for o in kept[checker].outputs).strip()
        assert NOT_DONE not in got and "wrong" not in got.lower()
        if want:  # the source notebook stores the output of its own (passing) run
            assert got == want, f"checker cell {checker + 1}: {got!r} != stored {want!r}"
        else:
            assert "pass" in got, f"checker cell {checker + 1}: {got!r}"


# --- slides and site: offline HTML ---------------------------------------------------------


class _Page(HTMLParser):
    """What a page loads (script src, link href, img src), its title, headings and links."""

    def __init__(self, text):
        super().__init__()
        self.loads, self.links, self.h1, self.sections = [], [], [], 0
        self.title, self._in = "", None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.loads.append(attrs["src"])
        elif tag == "link" and attrs.get("href"):
            self.loads.append(attrs["href"])
        elif tag in ("img", "iframe", "source") and attrs.get("src"):
            self.loads.append(attrs["src"])
        elif tag == "a" and attrs.get("href"):
            self.links.append((attrs["href"], attrs.get("class", ""), attrs.get("rel", "")))
        elif tag == "section":
            self.sections += 1
        if tag in ("title", "h1"):
            self._in = tag
            if tag == "h1":
                self.h1.append("")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "h1":
            self.h1[-1] += data


def _assert_offline(page_path):
    """Everything the page loads is a file beside it; no script or style refers to the web."""
    text = page_path.read_text(encoding="utf-8")
    page = _Page(text)
    for url in page.loads:
        assert not re.match(r"^(https?:)?//", url), f"{page_path.name} loads {url}"
        if url.startswith("data:"):
            continue
        local = (page_path.parent / html.unescape(url).split("?")[0].split("#")[0]).resolve()
        assert local.is_file(), f"{page_path.name} loads {url}, which is not in the output"
    assert not re.search(r"""@import\s+(url\()?['"]?(https?:)?//""", text), page_path.name
    assert not re.search(r"""\bimport\s*\(?\s*['"](https?:)?//""", text), page_path.name
    assert not re.search(r"""url\(\s*['"]?(https?:)?//""", text), page_path.name
    assert "unpkg.com" not in text and "cdnjs" not in text and "jsdelivr" not in text
    assert "application/vnd.jupyter.widget" not in text, "a live widget needs a kernel"
    return page


def _need_vendor(names):
    if not (vendor.npm_available() or vendor.cached(names)):
        pytest.skip(
            "npm is not installed and vendor/ has no cached copy of "
            f"{', '.join(names)}: the offline slides and site fetch them from the npm registry"
        )


def _build_or_skip(build, names):
    _need_vendor(names)
    try:
        return build()
    except vendor.VendorUnavailable as err:
        pytest.skip(f"the npm registry is unreachable: {err}")


@pytest.fixture(scope="session")
def slides_dir(sources, tmp_path_factory):
    out = tmp_path_factory.mktemp("slides")
    names = ["reveal.js", "requirejs", "jquery", "mathjax"]
    _build_or_skip(
        lambda: build_slides.main(["--out", str(out), *map(str, sources.values())]), names
    )
    return out


@pytest.fixture(scope="session")
def site_dir(sources, tmp_path_factory):
    out = tmp_path_factory.mktemp("html")
    _build_or_skip(
        lambda: build_html.main(["--out", str(out), *map(str, sources.values())]), ["mathjax"]
    )
    return out


@pytest.mark.parametrize("name", NAMES)
def test_slides_are_offline_reveal_decks(name, sources, slides_dir):
    deck = slides_dir / f"{name}.slides.html"
    assert deck.is_file()
    page = _assert_offline(deck)
    source = _read(sources[name])
    slides = sum(c.metadata.get("slideshow", {}).get("slide_type") == "slide" for c in source.cells)
    assert page.sections >= max(slides, 1), f"{page.sections} <section>s for {slides} slides"
    assert '"_vendor/reveal.js/dist/reveal.js"' in deck.read_text(encoding="utf-8")
    assert html.unescape(page.title).startswith(notebook_title(source, name))
    assert (slides_dir / "_vendor/reveal.js/dist/reveal.js").is_file()
    assert (slides_dir / "_vendor/reveal.js/plugin/notes/notes.js").is_file()
    assert (slides_dir / "_vendor/mathjax/config/TeX-AMS_CHTML-full.js").is_file()


def test_slides_index_lists_every_deck_in_order(slides_dir):
    page = _Page((slides_dir / "index.html").read_text(encoding="utf-8"))
    assert [href for href, _, _ in page.links] == [f"{n}.slides.html" for n in sorted(NAMES)]


def test_widgets_become_snapshots_in_slides_and_site(slides_dir, site_dir):
    for page in (slides_dir / f"{SYNTHETIC}.slides.html", site_dir / f"{SYNTHETIC}.html"):
        text = page.read_text(encoding="utf-8")
        assert "Interactive in JupyterLab; shown here with gain = 1.5." in text
        assert "data:image/png;base64," in text, f"{page.name}: the widget's figure is missing"
        assert "NBVAL_IGNORE_OUTPUT" not in text


PLACEHOLDER_ALT = "No description has been provided for this image"  # nbconvert's
MIN_WORDS = 4  # an alt of fewer words names a figure, it does not describe it


class _Images(HTMLParser):
    """The alt of every <img> of a page, in order (None for an image without one)."""

    def __init__(self, text):
        super().__init__()
        self.alts = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.alts.append(dict(attrs).get("alt"))


def _undescribed(page_path):
    """``(image number, alt)`` of each image on the page whose alt does not describe it: none,
    empty, nbconvert's placeholder, or fewer than MIN_WORDS words."""
    alts = _Images(page_path.read_text(encoding="utf-8")).alts
    return [
        (number, alt)
        for number, alt in enumerate(alts, start=1)
        if alt is None or alt.strip() == PLACEHOLDER_ALT or len(alt.split()) < MIN_WORDS
    ]


@pytest.mark.parametrize("name", NAMES)
def test_every_image_on_the_site_and_in_the_slides_has_a_description(name, site_dir, slides_dir):
    for page in (site_dir / f"{name}.html", slides_dir / f"{name}{build_slides.SUFFIX}"):
        missing = _undescribed(page)
        assert not missing, (
            f"{page.name}: {len(missing)} of its images have no description in their alt "
            f"(image number, alt): {missing}; the build names their cells"
        )
    if name == SYNTHETIC:  # its widget's figure, described through the widget's snapshot
        for page in (site_dir / f"{name}.html", slides_dir / f"{name}{build_slides.SUFFIX}"):
            alts = _Images(page.read_text(encoding="utf-8")).alts
            assert alts == ["A ramp: zero up to z = 0, then slope 1.5."], alts


def _figure_output(png, description=None):
    data = {"image/png": png, "text/plain": description or "<Figure size 300x200 with 1 Axes>"}
    metadata = {"image/png": {"alt": description}} if description else {}
    return nbformat.v4.new_output("display_data", data=data, metadata=metadata)


def test_a_figure_without_a_description_is_named_and_caught(tmp_path, capsys):
    """A notebook (outputs written here, no kernel) with a described and an undescribed figure:
    the description reaches the alt, escaped; the other is named with its notebook and cell."""
    import base64

    png = base64.b64encode(_png()).decode()
    described = 'Two "steps" <up>: from 0 to 1, then to 3.'
    cells = [
        new_markdown_cell("# 98 Figures"),
        new_code_cell("show_steps()", execution_count=1, outputs=[_figure_output(png, described)]),
        new_code_cell("plt.show()", execution_count=2, outputs=[_figure_output(png)]),
    ]
    path = tmp_path / "98_figures.ipynb"
    nbformat.write(new_notebook(cells=cells), str(path))
    site, slides = tmp_path / "html", tmp_path / "slides"
    names = ["reveal.js", "requirejs", "jquery", "mathjax"]
    _build_or_skip(lambda: build_html.main(["--out", str(site), str(path)]), ["mathjax"])
    _build_or_skip(lambda: build_slides.main(["--out", str(slides), str(path)]), names)
    warnings = [line for line in capsys.readouterr().err.splitlines() if "warning" in line]
    named = f"warning: 98_figures, cell 3 (id {cells[2].id}): a figure has no description"
    assert sum(line.startswith(named) for line in warnings) == 2, warnings  # site and slides
    assert not [line for line in warnings if "cell 2 " in line], warnings
    assert sum("1 figure(s) without a description, in 98_figures" in w for w in warnings) == 2
    for page in (site / "98_figures.html", slides / f"98_figures{build_slides.SUFFIX}"):
        assert _Images(page.read_text(encoding="utf-8")).alts == [described, PLACEHOLDER_ALT]
        assert _undescribed(page) == [(2, PLACEHOLDER_ALT)]  # the check catches the second


def _png():
    """The bytes of a small PNG drawn by matplotlib."""
    import io

    from matplotlib.figure import Figure

    fig = Figure(figsize=(1, 1))
    fig.add_subplot().plot([0, 1, 1, 3])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


@pytest.mark.parametrize("name", NAMES)
def test_site_page_has_title_navigation_and_loads_nothing_from_the_web(name, sources, site_dir):
    page_path = site_dir / f"{name}.html"
    page = _assert_offline(page_path)
    title = notebook_title(_read(sources[name]), name)
    assert html.unescape(page.title).strip() == title
    assert any(title in html.unescape(h).replace("¶", "").strip() for h in page.h1)
    order = sorted(NAMES)
    i = order.index(name)
    rels = {rel: href for href, _, rel in page.links if rel in ("prev", "next", "index")}
    assert rels.get("index") == "index.html"
    assert rels.get("prev") == (f"{order[i - 1]}.html" if i > 0 else None)
    assert rels.get("next") == (f"{order[i + 1]}.html" if i + 1 < len(order) else None)


def test_site_index_links_every_notebook_in_order(sources, site_dir):
    text = (site_dir / "index.html").read_text(encoding="utf-8")
    page = _Page(text)
    notebooks = [href for href, cls, _ in page.links if cls == "notebook"]
    assert notebooks == [f"{n}.html" for n in sorted(NAMES)]
    for name in NAMES:
        assert html.escape(notebook_title(_read(sources[name]), name)) in text
        sections = [h for h, _, _ in page.links if h.startswith(f"{name}.html#")]
        page_text = (site_dir / f"{name}.html").read_text(encoding="utf-8")
        anchors = {html.unescape(a) for a in re.findall(r'<h2 id="([^"]+)"', page_text)}
        assert {h.split("#", 1)[1] for h in sections} <= anchors


# --- in a browser, with the network cut off -----------------------------------------------


def _chromium():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None or not _has_playwright():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("REQUIRE_BROWSER=1 but Chromium or playwright is missing")
        pytest.skip("no Chromium (apt-get install chromium) or no playwright")
    return path


def _has_playwright():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def test_slides_and_site_render_in_a_browser_without_network(slides_dir, site_dir):
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
    args += ["--disable-background-networking", "--disable-component-update", "--disable-sync"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=args)
        try:
            page = browser.new_page()
            remote = []

            def only_files(route):
                if route.request.url.startswith(("file:", "data:")):
                    route.continue_()
                else:
                    remote.append(route.request.url)
                    route.abort()

            page.route("**/*", only_files)
            errors = []
            page.on("pageerror", lambda err: errors.append(str(err)))
            page.goto((slides_dir / f"{SYNTHETIC}.slides.html").as_uri())
            # reveal.js is loaded by require.js, so it is not a global: look at the page
            page.wait_for_selector(".reveal.ready .slides > section.present", timeout=15000)
            assert page.locator(".reveal .slides > section").count() >= 3
            page.wait_for_selector(".MathJax_CHTML", timeout=15000)
            page.keyboard.press("ArrowRight")
            page.wait_for_function("location.hash.startsWith('#/1')", timeout=5000)
            page.goto((site_dir / f"{SYNTHETIC}.html").as_uri())
            page.wait_for_selector(".MathJax_CHTML", timeout=15000)
            assert page.locator("nav.course-nav a[rel=index]").count() == 2
            assert not remote, f"requests to the network: {remote}"
            assert not errors, errors
        finally:
            browser.close()


# --- make targets -------------------------------------------------------------------------


def test_make_targets_run_the_tools():
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    run = subprocess.run(
        ["make", "-n", "--always-make", "student", "slides", "html"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    for module in ("tools.make_student", "tools.build_slides", "tools.build_html"):
        assert re.search(rf"\.venv/bin/python -m {re.escape(module)}\b", run.stdout), run.stdout
