"""Slides that fit: on every deck `make slides` builds, seen at 1280x720, no code block runs off
its slide.

The decks are built from the notebooks as stored, opened in headless Chromium from files (the
network cut off), and walked slide by slide with reveal.js's own API. On each slide, every code
block (``pre``, and the ``code`` inside a markdown code block) must show all of its content: its
content may not be wider than the block (``scrollWidth`` against ``clientWidth``: a line that
runs on, or hides behind a scroll bar), and the block may not reach past the slide or past an
enclosing box that clips it. A control test puts a line far too long for any slide into a deck
and checks that it wraps, and that the same checks do report it once wrapping is turned off.

Like the slide tests in tests/test_instructor.py, these skip when npm is missing and vendor/ has
no cached copy of reveal.js and MathJax.
"""

from __future__ import annotations

import sys

import pytest

from .driver import REPO_ROOT

if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tools import build_slides, vendor  # noqa: E402
from tools.common import course_notebooks  # noqa: E402

VIEWPORT = {"width": 1280, "height": 720}
SCRIPTS = ["reveal.js", "requirejs", "jquery", "mathjax"]
DECKS = [p.stem for p in course_notebooks()]
REVEAL = f"{vendor.PACKAGES['reveal.js'].folder}/dist/reveal.js"  # as the deck's require() names it

# Walks every slide of the deck in the page and returns each code block that does not fit, with
# the numbers that say why, and how many slides and blocks were looked at. A length is counted
# as too long past half a pixel of rounding.
_OVERFLOWS_JS = """(reveal) => {
    const Reveal = require(reveal);
    Reveal.configure({transition: 'none', backgroundTransition: 'none'});
    const found = [];
    let slides = 0, blocks = 0;
    for (const slide of Reveal.getSlides()) {
        const at = Reveal.getIndices(slide);
        Reveal.slide(at.h, at.v);
        slides += 1;
        const frame = slide.getBoundingClientRect();
        for (const block of slide.querySelectorAll('pre, pre > code')) {
            const box = block.getBoundingClientRect();
            if (box.width === 0 && box.height === 0) continue;  // not displayed
            blocks += 1;
            // What can be seen of it: the slide, narrowed by every box between them that clips.
            let left = frame.left, right = frame.right;
            for (let e = block.parentElement; e && e !== slide; e = e.parentElement) {
                if (getComputedStyle(e).overflowX !== 'visible') {
                    const r = e.getBoundingClientRect();
                    left = Math.max(left, r.left);
                    right = Math.min(right, r.right);
                }
            }
            const hidden = block.scrollWidth - block.clientWidth;
            const beyond = Math.max(box.right - right, left - box.left);
            if (hidden > 0.5 || beyond > 0.5) {
                const lines = block.textContent.split('\\n');
                const longest = lines.reduce((a, b) => (b.length > a.length ? b : a), '');
                found.push({
                    slide: `${at.h + 1}.${(at.v || 0) + 1}`,
                    hidden: hidden,
                    beyond: Math.round(beyond),
                    probe: block.closest('[data-probe]') !== null,
                    line: longest.trim().slice(0, 90),
                });
            }
        }
    }
    return {found, slides, blocks};
}"""

# A code cell that holds a line with no space at which to wrap and a line of words, each about
# three slides wide: a copy of the deck's first code cell, put just after it so that the deck's
# own styles apply to it.
_PROBE_JS = """() => {
    const cell = document.querySelector('.reveal .slides .jp-CodeCell');
    const probe = cell.cloneNode(true);
    probe.setAttribute('data-probe', '');
    probe.querySelectorAll('.jp-OutputArea').forEach(e => e.remove());
    probe.querySelector('pre').textContent =
        'x = "' + 'w'.repeat(250) + '"\\n' + 'y = ' + 'f(a, b) + '.repeat(25) + '1';
    cell.after(probe);
}"""


# Shows the probe's slide and turns wrapping off for the probe; returns its height before and
# after, in pixels.
_UNWRAP_PROBE_JS = """(reveal) => {
    const Reveal = require(reveal);
    const pre = document.querySelector('[data-probe] pre');
    const at = Reveal.getIndices(pre.closest('section'));
    Reveal.slide(at.h, at.v);
    const wrapped = pre.clientHeight;
    pre.style.whiteSpace = 'pre';
    return [wrapped, pre.clientHeight];
}"""


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    """The decks of every course notebook, built as `make slides` builds them."""
    if not (vendor.npm_available() or vendor.cached(SCRIPTS)):
        pytest.skip(
            "npm is not installed and vendor/ has no cached copy of reveal.js and MathJax: "
            "the slides fetch them with npm (apt-get install npm)"
        )
    out = tmp_path_factory.mktemp("slides")
    try:
        build_slides.build(course_notebooks(), out)
    except vendor.VendorUnavailable as err:
        pytest.skip(f"npm could not fetch the slides' scripts: {err}")
    return out


@pytest.fixture(scope="module")
def deck_page(browser):
    """A page at 1280x720 that may load files only."""
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


def _open(page, deck):
    page.goto(deck.as_uri())
    page.wait_for_selector(".reveal.ready", timeout=15_000)


def _overflows(page):
    return page.evaluate(_OVERFLOWS_JS, REVEAL)


@pytest.mark.parametrize("name", DECKS)
def test_no_code_block_runs_off_a_slide(name, decks, deck_page):
    _open(deck_page, decks / f"{name}{build_slides.SUFFIX}")
    result = _overflows(deck_page)
    assert result["slides"] > 1 and result["blocks"] > 0, result
    report = "\n".join(
        f"  slide {f['slide']}: {f['hidden']} px of content hidden, {f['beyond']} px past the "
        f"slide: {f['line']!r}"
        for f in result["found"]
    )
    assert not result["found"], (
        f"{len(result['found'])} of the {result['blocks']} code blocks on the "
        f"{result['slides']} slides of {name} do not fit at 1280x720:\n{report}"
    )


def test_a_line_too_long_for_any_slide_wraps_and_would_be_caught(decks, deck_page):
    _open(deck_page, decks / f"{DECKS[0]}{build_slides.SUFFIX}")
    deck_page.evaluate(_PROBE_JS)
    wrapped = _overflows(deck_page)
    assert not [f for f in wrapped["found"] if f["probe"]], wrapped["found"]
    wrapped_height, height = deck_page.evaluate(_UNWRAP_PROBE_JS, REVEAL)
    assert 0 < height < wrapped_height / 2, "the two long lines should take many lines wrapped"
    unwrapped = [f for f in _overflows(deck_page)["found"] if f["probe"]]
    assert len(unwrapped) == 1 and unwrapped[0]["hidden"] > 1000, unwrapped
