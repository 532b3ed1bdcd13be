"""helpers.figures: a figure travels with its description to every place that shows it."""

import base64

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
