"""Accessibility: axe-core finds no serious or critical violation on any page of the static site
or on any slide of any deck.

The site and the decks are built from the notebooks as stored, as `make html` and `make slides`
build them, and opened in headless Chromium from files (the network cut off). axe-core (from
the npm registry, pinned and cached in vendor/ by tools/vendor.py) is injected into each page
and run with its default rules, after MathJax has typeset the page. Every violation of impact
serious or critical fails the test, listed with its rule, impact, target and axe's summary.

reveal.js hides every slide but the current one, and axe skips what is hidden, so each deck is
audited twice: as presented, at its first slide (the page's landmarks, reveal's controls and
slide number), and in reveal's print layout, which shows every slide and every fragment at once
(the test checks that no slide is left hidden). The print layout's own page numbers are left
out of that audit: they are not part of a presentation.

Two controls show that the audit can fail: a site page with a faint line of text and an image
without a text alternative added, and a deck with a faint line added to its last slide; the
same helper must report each of them.

Like the slide tests in tests/test_instructor.py, these skip when npm is missing and vendor/
has no cached copy of what they need.
"""

from __future__ import annotations

import sys

import pytest

from .driver import REPO_ROOT

if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tools import build_html, build_slides, vendor  # noqa: E402
from tools.common import course_notebooks  # noqa: E402

VIEWPORT = {"width": 1280, "height": 720}
NOTEBOOKS = [p.stem for p in course_notebooks()]
SITE_PAGES = [*NOTEBOOKS, "index"]
SERIOUS = ("serious", "critical")
REVEAL = f"{vendor.PACKAGES['reveal.js'].folder}/dist/reveal.js"  # as the deck's require() names it
# reveal's print layout, with each slide on one page whatever its fragments
PRINT_VIEW = "?print-pdf&pdfSeparateFragments=false"
PRINT_PAGE_NUMBER = ".slide-number-pdf"

# Waits for MathJax to finish typesetting (when the page has it), then runs axe-core with its
# default rules on the document less `exclude`, and returns one entry per element in violation.
_AXE_JS = """async (exclude) => {
    if (window.MathJax && MathJax.Hub) {
        await new Promise((done) => MathJax.Hub.Queue(done));
    }
    const result = await axe.run({exclude: exclude}, {resultTypes: ['violations']});
    return result.violations.flatMap((rule) => rule.nodes.map((node) => ({
        rule: rule.id,
        impact: node.impact || rule.impact,
        target: node.target.join(' '),
        summary: (node.failureSummary || rule.help).replace(/\\s+/g, ' ').trim(),
    })));
}"""

# In the print layout: takes off the `hidden` and `aria-hidden` that reveal leaves on the slides
# it lays out (so that axe audits them as what they are, shown slides), and returns how many
# slides the deck has and which of them are still not shown.
_SHOW_EVERY_SLIDE_JS = """(reveal) => {
    const Reveal = require(reveal);
    const slides = Reveal.getSlides();
    for (const slide of document.querySelectorAll('.reveal .slides section')) {
        slide.removeAttribute('hidden');
        slide.removeAttribute('aria-hidden');
    }
    const unseen = slides.filter((slide) => {
        const box = slide.getBoundingClientRect();
        const style = getComputedStyle(slide);
        return box.width === 0 || box.height === 0 || style.visibility !== 'visible'
            || style.opacity === '0';
    }).map((slide) => {
        const at = Reveal.getIndices(slide);
        return `${at.h + 1}.${(at.v || 0) + 1}`;
    });
    return {slides: slides.length, unseen: unseen, printing: Reveal.isPrintingPDF()};
}"""

# A faint line of text (#bbb on white: 1.9:1) and an image without an alt, in the page's main.
_FAULTS_JS = """() => {
    const main = document.querySelector('main');
    const faint = document.createElement('p');
    faint.id = 'faint-probe';
    faint.style.color = '#bbbbbb';
    faint.textContent = 'A line of text too faint to read.';
    main.prepend(faint);
    const image = document.createElement('img');
    image.id = 'image-probe';
    image.width = 40;
    image.height = 40;
    image.src = 'data:image/png;base64,' +
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    main.prepend(image);
}"""

# The same faint line, on the deck's last slide.
_FAINT_ON_LAST_SLIDE_JS = """(reveal) => {
    const Reveal = require(reveal);
    const slides = Reveal.getSlides();
    const faint = document.createElement('p');
    faint.id = 'faint-probe';
    faint.style.color = '#bbbbbb';
    faint.textContent = 'A line of text too faint to read.';
    slides[slides.length - 1].appendChild(faint);
    return slides.length;
}"""


def _need(names):
    if not (vendor.npm_available() or vendor.cached(names)):
        pytest.skip(
            f"npm is not installed and vendor/ has no cached copy of {', '.join(names)}: "
            "the accessibility tests fetch them with npm (apt-get install npm)"
        )


@pytest.fixture(scope="module")
def axe_js(tmp_path_factory):
    """The path of axe-core's script, taken from its npm package."""
    _need(["axe-core"])
    out = tmp_path_factory.mktemp("axe")
    try:
        vendor.install(out, ["axe-core"])
    except vendor.VendorUnavailable as err:
        pytest.skip(f"npm could not fetch axe-core: {err}")
    return out / vendor.PACKAGES["axe-core"].folder / vendor.AXE_JS


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The static site of every course notebook, built as `make html` builds it."""
    _need(["mathjax"])
    out = tmp_path_factory.mktemp("html")
    try:
        build_html.build(course_notebooks(), out)
    except vendor.VendorUnavailable as err:
        pytest.skip(f"npm could not fetch MathJax: {err}")
    return out


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    """The decks of every course notebook, built as `make slides` builds them."""
    scripts = ["reveal.js", "requirejs", "jquery", "mathjax"]
    _need(scripts)
    out = tmp_path_factory.mktemp("slides")
    try:
        build_slides.build(course_notebooks(), out)
    except vendor.VendorUnavailable as err:
        pytest.skip(f"npm could not fetch the slides' scripts: {err}")
    return out


@pytest.fixture
def page(browser):
    """A fresh page at 1280x720 that may load files only."""
    context = browser.new_context(viewport=VIEWPORT)

    def only_files(route):
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_files)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def audit(page, axe_js, exclude=()):
    """Every element in violation of an axe-core rule on the page, less the `exclude` selectors.

    Returns a list of dicts with the rule's id, the impact, the element's target (a CSS
    selector) and axe's summary of what to fix.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_js))
    return page.evaluate(_AXE_JS, [[selector] for selector in exclude])


def serious(found):
    """The violations of impact serious or critical."""
    return [f for f in found if f["impact"] in SERIOUS]


def describe(found):
    """One line per violation: rule, impact, target, summary."""
    return "\n".join(
        f"  {f['rule']} ({f['impact']}) at {f['target']}: {f['summary']}" for f in found
    )


def _open_deck(page, deck, query=""):
    page.goto(deck.as_uri() + query)
    page.wait_for_selector(".reveal.ready", timeout=30_000)


def _print_view(page, deck):
    """Open `deck` in reveal's print layout, every slide shown; return the layout's summary."""
    _open_deck(page, deck, PRINT_VIEW)
    # reveal lays the slides out after it is ready, and adds the pages all at once when done
    page.wait_for_selector(".reveal .slides .pdf-page", state="attached", timeout=30_000)
    shown = page.evaluate(_SHOW_EVERY_SLIDE_JS, REVEAL)
    assert shown["printing"], f"{deck.name} did not open in reveal's print layout"
    assert shown["slides"] > 1, shown
    assert not shown["unseen"], f"slides still hidden in the print layout: {shown['unseen']}"
    return shown


@pytest.mark.parametrize("name", SITE_PAGES)
def test_site_page_has_no_serious_accessibility_violation(name, site, axe_js, page):
    page.goto((site / f"{name}.html").as_uri())
    found = serious(audit(page, axe_js))
    assert not found, (
        f"{len(found)} serious or critical violations on {name}.html:\n{describe(found)}"
    )


def test_slides_index_has_no_serious_accessibility_violation(decks, axe_js, page):
    page.goto((decks / "index.html").as_uri())
    found = serious(audit(page, axe_js))
    assert not found, f"{len(found)} on the slides' index:\n{describe(found)}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_deck_has_no_serious_accessibility_violation(name, decks, axe_js, page):
    deck = decks / f"{name}{build_slides.SUFFIX}"
    _open_deck(page, deck)
    presented = serious(audit(page, axe_js))
    shown = _print_view(page, deck)
    every_slide = serious(audit(page, axe_js, exclude=[PRINT_PAGE_NUMBER]))
    assert not presented and not every_slide, (
        f"serious or critical violations in {deck.name}, as presented at its first slide "
        f"({len(presented)}):\n{describe(presented)}\n"
        f"and on its {shown['slides']} slides laid out for print ({len(every_slide)}):\n"
        f"{describe(every_slide)}"
    )


# --- controls: the audit can fail ----------------------------------------------------------


def test_audit_reports_faint_text_and_an_image_without_alt(site, axe_js, page):
    page.goto((site / f"{NOTEBOOKS[0]}.html").as_uri())
    page.evaluate(_FAULTS_JS)
    found = {(f["rule"], f["target"]) for f in serious(audit(page, axe_js))}
    assert ("color-contrast", "#faint-probe") in found, found
    assert ("image-alt", "#image-probe") in found, found


def test_deck_audit_sees_the_last_slide(decks, axe_js, page):
    deck = decks / f"{NOTEBOOKS[0]}{build_slides.SUFFIX}"
    _print_view(page, deck)
    page.evaluate(_FAINT_ON_LAST_SLIDE_JS, REVEAL)
    found = serious(audit(page, axe_js, exclude=[PRINT_PAGE_NUMBER]))
    assert [f["rule"] for f in found if f["target"] == "#faint-probe"] == ["color-contrast"], (
        describe(found)
    )
    # as presented, reveal hides the last slide: the print layout is what lets axe see it
    _open_deck(page, deck)
    page.evaluate(_FAINT_ON_LAST_SLIDE_JS, REVEAL)
    hidden = [f for f in audit(page, axe_js) if f["target"] == "#faint-probe"]
    assert not hidden, describe(hidden)
