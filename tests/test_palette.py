"""The course's colours stay apart for readers with a colour-vision deficiency.

Three checks:

1. Every group of colours that must be told apart (`helpers.palette.DISTINCT`) keeps each pair
   at least `MIN_DELTA_E` apart (CIE 1976 colour difference, in CIELAB) for normal vision and
   under simulated protanopia, deuteranopia and tritanopia. The simulation is the one of Machado,
   Oliveira and Fernandes (2009) at full severity: a 3 x 3 matrix applied to linear RGB. A
   control shows that matplotlib's default green and red, which the labs once used for gradients
   and dead units, fail it under deuteranopia.
2. The figures of the course use the palette: every lab figure, the graph drawing and the
   stepper are drawn, and every colour of every artist is a palette colour, a tint of one, or a
   grey; `helpers` and the notebooks write no colour literal of their own outside
   `helpers/palette.py` (a grey given as "0.5" or "k" is fine).
3. The prose never names a colour alone: a sentence of a notebook that names a colour also
   names a second cue (a line style, a marker, a hatch, a label, a position).
"""

import ast
import itertools
import json
import re
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib.colors import to_rgba

from helpers import palette

ROOT = Path(__file__).resolve().parent.parent
MIN_DELTA_E = 15.0  # CIE76; two colours closer than this are hard to tell apart in a thin line

# Machado, Oliveira and Fernandes (2009), severity 1.0, for linear RGB.
DEFICIENCIES = {
    "normal vision": np.eye(3),
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}
SRGB_TO_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
)
WHITE = np.array([0.95047, 1.0, 1.08883])  # D65


def linear_rgb(color):
    srgb = np.array(to_rgba(color)[:3])
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def lab(linear):
    t = (SRGB_TO_XYZ @ np.clip(linear, 0.0, 1.0)) / WHITE
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a, b, deficiency):
    m = DEFICIENCIES[deficiency]
    return float(np.linalg.norm(lab(m @ linear_rgb(a)) - lab(m @ linear_rgb(b))))


def closest_pairs(colors):
    """(deficiency, colour, colour, delta E) of every pair under every deficiency."""
    return [
        (name, a, b, delta_e(a, b, name))
        for name in DEFICIENCIES
        for a, b in itertools.combinations(colors, 2)
    ]


# -- 1. the groups stay apart ------------------------------------------------------------------


def test_the_simulation_is_sound():
    # A grey stays a grey under every deficiency (each matrix's rows sum to 1), and white is white.
    for name, m in DEFICIENCIES.items():
        assert np.allclose(m.sum(axis=1), 1.0, atol=1e-3), name
        assert delta_e("#808080", "#808080", name) == 0.0
    # Red and green are the pair a red-green deficiency merges; blue and yellow are not.
    assert delta_e("#ff0000", "#00ff00", "normal vision") > 80
    assert (
        delta_e("#ff0000", "#00ff00", "deuteranopia")
        < delta_e("#ff0000", "#00ff00", "normal vision") / 2
    )
    assert delta_e("#0000ff", "#ffff00", "deuteranopia") > 80


@pytest.mark.parametrize("group", sorted(palette.DISTINCT))
def test_every_group_stays_apart_under_every_deficiency(group):
    colors = palette.DISTINCT[group]
    assert len(set(colors)) == len(colors), f"{group}: a colour appears twice"
    too_close = [
        f"{a} and {b} under {name}: delta E {d:.1f}"
        for name, a, b, d in closest_pairs(colors)
        if d < MIN_DELTA_E
    ]
    assert not too_close, f"{group}: " + "; ".join(too_close)


def test_the_check_catches_matplotlib_green_and_red():
    # The control: tab:green (gradients) and tab:red (dead units), matplotlib's C2 and C3, about
    # 120 apart for normal vision and 7 under deuteranopia.
    assert delta_e("tab:green", "tab:red", "normal vision") > MIN_DELTA_E
    assert delta_e("tab:green", "tab:red", "deuteranopia") < MIN_DELTA_E


def test_tints_are_light_versions_of_their_colour():
    for color, tint in palette.TINTS.items():
        expected = 0.25 * np.array(to_rgba(color)[:3]) + 0.75
        assert np.allclose(to_rgba(tint)[:3], expected, atol=1.5 / 255), (color, tint)


# -- 2. the figures use the palette ------------------------------------------------------------

ALLOWED = {to_rgba(c)[:3] for c in (*palette.OKABE_ITO, *palette.TINTS.values(), palette.GREY)}
ALLOWED_CMAPS = {palette.SEQUENTIAL_CMAP, "viridis", "cividis", "Greys", "gray", "gray_r", "binary"}


def _is_grey(rgb):
    return max(rgb) - min(rgb) < 0.02


def _allowed(rgba):
    rgba = tuple(float(v) for v in rgba)
    if len(rgba) == 4 and rgba[3] == 0.0:
        return True
    rgb = rgba[:3]
    return _is_grey(rgb) or any(np.allclose(rgb, ok, atol=1.5 / 255) for ok in ALLOWED)


def _colors_of(artist):
    found = []
    for getter in (
        "get_facecolor",
        "get_edgecolor",
        "get_color",
        "get_markerfacecolor",
        "get_markeredgecolor",
    ):
        if not hasattr(artist, getter):
            continue
        try:
            value = getattr(artist, getter)()
        except (AttributeError, TypeError, ValueError):
            continue
        if isinstance(value, str) and value in ("none", "None", "auto"):
            continue
        try:
            arr = np.atleast_2d(matplotlib.colors.to_rgba_array(value))
        except (ValueError, TypeError):
            continue
        found.extend(tuple(row) for row in arr)
    return found


def offending_colors(fig):
    """Colours of the figure's artists that are neither palette colours nor greys."""
    bad = set()
    for artist in fig.findobj():
        if hasattr(artist, "get_cmap") and getattr(artist, "get_array", lambda: None)() is not None:
            name = artist.get_cmap().name
            if name not in ALLOWED_CMAPS and not name.startswith("from_list"):
                bad.add(f"colour map {name} ({type(artist).__name__})")
            continue
        for rgba in _colors_of(artist):
            if not _allowed(rgba):
                bad.add(matplotlib.colors.to_hex(rgba) + f" ({type(artist).__name__})")
    return sorted(bad)


def _lab_figures():
    from helpers import labs, labs_flow, viz
    from helpers.graph import Node

    small = {"depth": 3, "width": 8, "n_per_class": 8, "steps": 3}
    saturation = labs.saturation_lab(1.0, **small)
    yield "saturation lab", labs.saturation_figure(saturation)
    yield "learning speed", labs_flow.learning_speed_figure(saturation)
    dead = labs.dead_relu_lab(0.0, 0.5, width=8, n_per_class=8, steps=4)
    yield "dead ReLU lab", labs.dead_relu_figure(dead)
    exploding = labs_flow.exploding_lab(depth=3, width=8, n_per_class=8, steps=3)
    yield "exploding gradients lab", labs_flow.exploding_figure(exploding)
    yield (
        "input scale lab",
        labs_flow.input_scale_figure(labs_flow.input_scale_lab(width=8, steps=3)),
    )
    a, b = Node(3.0, "a"), Node(-2.0, "b")
    f = a * b + a
    f.label = "f"
    for step in (None, 1):
        shown = viz.draw_graph(f, step)
        yield f"graph drawing, step {step}", getattr(shown, "figure", shown)
    view = viz.stepper_view(viz.NEURON_W, viz.NEURON_X, 3)
    shown = view[1] if isinstance(view, tuple) else view
    yield "backward stepper", getattr(shown, "figure", shown)


def test_the_figures_use_only_palette_colours():
    from matplotlib.figure import Figure

    report = []
    for name, fig in _lab_figures():
        assert isinstance(fig, Figure), f"{name}: expected a Figure, got {type(fig).__name__}"
        fig.canvas.draw()
        bad = offending_colors(fig)
        if bad:
            report.append(f"{name}: {', '.join(bad)}")
    assert not report, "colours outside helpers.palette:\n" + "\n".join(report)


def test_the_figure_check_catches_a_default_colour():
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], color=palette.BLUE)
    ax.bar([0], [1], color=palette.TINTS[palette.GREEN], edgecolor="0.3")
    assert offending_colors(fig) == []
    ax.plot([0, 1], [1, 0], color="C3")
    assert offending_colors(fig) == ["#d62728 (Line2D)"]


# A colour literal: a hex code, a "C0".."C9" cycle colour, a "tab:" colour, or a colour's name.
COLOR_LITERAL = re.compile(
    r"^(#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?([0-9a-fA-F]{2})?|C\d|tab:\w+|xkcd:.+|"
    r"red|green|blue|orange|purple|yellow|cyan|magenta|pink|brown|olive|"
    r"darkred|darkgreen|darkblue|crimson|navy|teal|gold|lime|r|g|b|c|m|y)$"
)
COLOR_KEYWORDS = {
    "color",
    "colors",
    "c",
    "facecolor",
    "edgecolor",
    "facecolors",
    "edgecolors",
    "fc",
    "ec",
}
# Colour map names that are not colour-blind safe (rainbow-like or red-green diverging).
BAD_CMAPS = re.compile(
    r"^(jet|rainbow|hsv|gist_rainbow|nipy_spectral|RdYlGn|RdYlGn_r|RdBu|coolwarm|bwr|seismic|Spectral)$"
)


def _literals(source):
    """(line, text) of each colour literal passed as a colour argument in Python source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        values = [kw.value for kw in node.keywords if kw.arg in COLOR_KEYWORDS]
        values += [kw.value for kw in node.keywords if kw.arg == "cmap"]
        # format strings such as "o-" or "r--" as a positional argument of plot()
        for value in values:
            for const in ast.walk(value):
                if isinstance(const, ast.Constant) and isinstance(const.value, str):
                    if COLOR_LITERAL.match(const.value) or BAD_CMAPS.match(const.value):
                        found.append((const.lineno, const.value))
    return found


def _sources():
    for path in sorted((ROOT / "helpers").glob("*.py")):
        if path.name != "palette.py":
            yield path.name, path.read_text()
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text())["cells"]
        for i, cell in enumerate(cells):
            if cell["cell_type"] == "code":
                text = "".join(cell["source"])
                # IPython magics are not Python
                text = "\n".join(
                    "" if line.lstrip().startswith(("%", "!")) else line
                    for line in text.splitlines()
                )
                yield f"{path.name} cell {i}", text


def test_no_colour_literal_outside_the_palette():
    report = [
        f"{where} line {line}: {text!r}"
        for where, source in _sources()
        for line, text in _literals(source)
    ]
    assert not report, "use helpers.palette instead of:\n" + "\n".join(report)


def test_the_literal_check_catches_a_red_line():
    assert _literals('ax.plot(x, y, color="tab:red")\nax.bar(x, y, color="0.5")') == [
        (1, "tab:red")
    ]
    assert _literals('ax.imshow(J, cmap="jet")') == [(1, "jet")]
    assert _literals("ax.plot(x, y, color=palette.BLUE)") == []


# -- 3. the prose never names a colour alone ---------------------------------------------------

COLOR_WORD = re.compile(r"\b(red|green|orange|blue|yellow|purple|vermillion|pink)\b", re.I)
# A second cue the reader can use without telling colours apart.
CUE = re.compile(
    r"\b(dash(ed)?|dott(ed)?|solid|thick|thin|hatch(ed)?|striped|marker|circles?|squares?|"
    r"triangles?|crosses|x marks|outlined?|labell?ed|label|legend|above|below|bold|"
    r"highlighted box|box)\b",
    re.I,
)


def _sentences(markdown):
    text = re.sub(r"`[^`]*`|\$[^$]*\$|<[^>]+>", " ", markdown)
    return [s.strip() for s in re.split(r"(?<=[.!?:])\s+|\n\s*\n|\n\s*[-*] ", text) if s.strip()]


def colour_only_sentences(markdown):
    return [s for s in _sentences(markdown) if COLOR_WORD.search(s) and not CUE.search(s)]


def test_the_prose_names_a_second_cue_beside_every_colour():
    report = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text())["cells"]
        for i, cell in enumerate(cells):
            if cell["cell_type"] == "markdown":
                report += [
                    f"{path.name} cell {i}: {s!r}"
                    for s in colour_only_sentences("".join(cell["source"]))
                ]
    assert not report, "a colour named without a second cue:\n" + "\n".join(report)


def test_the_prose_check_catches_a_colour_alone():
    assert colour_only_sentences("Read the red numbers from right to left.") != []
    assert colour_only_sentences("The gradients are written below the edges, in red.") == []
    assert colour_only_sentences("Dead units are the hatched bars (orange).") == []
