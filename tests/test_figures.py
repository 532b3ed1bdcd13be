"""helpers.figures: a figure travels with its description to every place that shows it."""

import base64
import re

import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure

from helpers import figures

TEXT = "A straight line rising from 0 to 1: the loss of nothing at all."


def _png():
    fig = Figure(figsize=(1, 1))
    fig.add_subplot().plot([0, 1], [0, 1])
    return figures.describe(fig, TEXT).png


def test_the_bundle_holds_the_image_its_alt_and_its_text():
    png = _png()
    data, metadata = figures.Described(png, TEXT)._repr_mimebundle_()
    assert base64.b64decode(data["image/png"]) == png
    assert data["text/plain"] == TEXT
    assert metadata == {"image/png": {"alt": TEXT}}


def test_describe_renders_the_figure_and_closes_it():
    fig, ax = plt.subplots(figsize=(2, 1))
    ax.plot([0, 1], [1, 0])
    assert fig.number in plt.get_fignums()
    shown = figures.describe(fig, "  A line   falling\nfrom 1 to 0. ")
    assert fig.number not in plt.get_fignums()  # pyplot will not show it a second time
    assert shown.png.startswith(figures.PNG_SIGNATURE)
    assert shown.description == "A line falling from 1 to 0."  # whitespace folded
    assert len(shown.png) > 1000  # something was drawn
    assert "A line falling from 1 to 0." in repr(shown)


def test_two_figures_give_two_images():
    a, b = Figure(figsize=(1, 1)), Figure(figsize=(1, 1))
    a.add_subplot().plot([0, 1], [0, 1])
    b.add_subplot().plot([0, 1], [1, 0])
    assert figures.describe(a, TEXT).png != figures.describe(b, TEXT).png


@pytest.mark.parametrize(
    ("description", "error", "message"),
    [
        (None, TypeError, "description must be a str saying what the figure shows; got NoneType"),
        ("", ValueError, "at least 4 words"),
        ("The loss", ValueError, "got 'The loss'"),
        (b"four words of bytes", TypeError, "got bytes"),
    ],
)
def test_a_description_is_a_sentence(description, error, message):
    with pytest.raises(error, match=message):
        figures.Described(_png(), description)
    with pytest.raises(error, match="^describe: "):
        figures.describe(Figure(), description)


def test_the_png_is_checked():
    with pytest.raises(TypeError, match="png must be the bytes of a PNG image; got str"):
        figures.Described("image.png", TEXT)
    with pytest.raises(ValueError, match="starting"):
        figures.Described(b"\xff\xd8\xff\xe0 a JPEG", TEXT)
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure; got Described"):
        figures.describe(figures.Described(_png(), TEXT), TEXT)


# -- live_figure: a lab's readout and figure, swapped in place --------------------------------


def _lab(calls):
    """A tiny lab: a line of slope `a`, its readout and its description."""

    def show(a, label):
        calls.append((a, label))
        fig = Figure(figsize=(1, 1))
        fig.add_subplot().plot([0, 1], [0, a])
        return f"{label}: slope {a} < 5", figures.describe(fig, f"A line of slope {a}, rising.")

    return show


def test_live_figure_shows_the_readout_and_the_figure_at_once():
    import ipywidgets as widgets

    calls = []
    slope = widgets.IntSlider(value=2, min=0, max=4)
    box = figures.live_figure(_lab(calls), {"a": slope, "label": widgets.fixed("line")})
    readout, image = box.children
    assert calls == [(2, "line")]
    assert readout.value == "<pre>line: slope 2 &lt; 5</pre>"  # escaped: the text is not HTML
    assert bytes(image.value).startswith(figures.PNG_SIGNATURE)
    assert image.format == "png"
    assert image.tooltip == "A line of slope 2, rising."
    # JupyterLab's view of an Image reads `description` before it sets the title: without this
    # synced empty description the image is never rendered.
    assert image.get_state()["description"] == ""
    assert image.get_state()["_model_name"] == "ImageModel"


def test_live_figure_redraws_in_place_after_every_move():
    import ipywidgets as widgets

    calls = []
    slope = widgets.IntSlider(value=2, min=0, max=4)
    box = figures.live_figure(_lab(calls), {"a": slope, "label": widgets.fixed("line")})
    readout, image = box.children
    first = bytes(image.value)
    slope.value = 4
    assert calls == [(2, "line"), (4, "line")]
    assert box.children == (readout, image), "the widgets are reused, not replaced"
    assert "slope 4" in readout.value and image.tooltip == "A line of slope 4, rising."
    assert bytes(image.value) != first


def test_live_figure_draws_a_graph_drawing_once_without_its_tight_box():
    import ipywidgets as widgets

    from helpers import labs, viz

    step = widgets.IntSlider(value=1, min=0, max=viz.NEURON_STEPS)

    def show(step):
        return viz.stepper_view(viz.NEURON_W, viz.NEURON_X, step)

    _, image = figures.live_figure(show, {"step": step}).children
    text, drawing = show(1)
    assert bytes(image.value) == labs.figure_png(drawing)
    assert image.tooltip == drawing.description


def test_live_figure_says_why_a_move_failed_and_keeps_the_last_figure():
    import ipywidgets as widgets

    slope = widgets.IntSlider(value=2, min=0, max=4)
    good = _lab([])

    def show(a):
        if a == 3:
            raise ValueError("show: a must not be 3; got 3")
        if a == 4:
            return "no figure", None
        return good(a, "line")

    readout, image = figures.live_figure(show, {"a": slope}).children
    before = bytes(image.value), image.tooltip
    slope.value = 3
    assert readout.value == "<pre>ValueError: show: a must not be 3; got 3</pre>"
    assert (bytes(image.value), image.tooltip) == before
    slope.value = 4
    assert "live_figure: show must return (readout, figure), a str and a Described" in readout.value
    assert "(str, NoneType)" in readout.value
    slope.value = 1
    assert readout.value == "<pre>line: slope 1 &lt; 5</pre>"


@pytest.mark.parametrize(
    "show, controls, message",
    [
        (None, {"a": 1}, "live_figure: show must be a function"),
        (print, {}, "live_figure: controls must be a non-empty dict"),
        (print, [1], "live_figure: controls must be a non-empty dict"),
        (print, {"a": 1}, "live_figure: controls['a'] must be an ipywidgets control with a value"),
        (print, {"not a name": 1}, "live_figure: controls' keys must be the argument names"),
    ],
)
def test_live_figure_names_what_it_expected(show, controls, message):
    with pytest.raises(TypeError, match=re.escape(message)):
        figures.live_figure(show, controls)


def test_live_figure_names_the_arguments_show_takes():
    import ipywidgets as widgets

    with pytest.raises(
        TypeError, match=re.escape("show takes (a, label) and controls are named (b)")
    ):
        figures.live_figure(_lab([]), {"b": widgets.IntSlider()})


def test_live_figure_fails_in_its_own_cell_when_the_first_figure_fails():
    import ipywidgets as widgets

    def show(a):
        return 1 / a

    slider = widgets.IntSlider(value=0)
    listeners = dict(slider._trait_notifiers.get("value", {}))
    with pytest.raises(
        ValueError,
        match=re.escape(
            "live_figure: show must draw the controls' first values (a=0); it raised "
            "ZeroDivisionError: division by zero"
        ),
    ) as caught:
        figures.live_figure(show, {"a": slider})
    assert isinstance(caught.value.__cause__, ZeroDivisionError)  # the learner's line is shown
    assert dict(slider._trait_notifiers.get("value", {})) == listeners, "a listener was left"
