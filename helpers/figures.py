"""Figures that say what they show: a PNG image and the sentence that describes it.

A reader who cannot see a figure (a screen reader, a text-only front end, an image that failed to
load) gets its description instead. The course shows every figure through `Described`, which
hands Jupyter both at once:

- the image, as `image/png`, with the description in its metadata under `alt` (the convention
  of IPython's `Image(alt=...)`); the course's static site and slides turn it into the `alt`
  attribute of the `<img>`;
- the description again as `text/plain`, what a front end without images shows, and what the
  notebook tests compare, so a description that stops matching its numbers fails them.

    display(figures.describe(fig, "Loss against step: it falls from 1.10 to 0.05."))

A description says what the figure shows and what to read off it, with the numbers that matter
(the lab functions compose theirs from the same numbers as their printed readout); it does not
say "a figure of" and never relies on a colour's name alone.
"""

import base64
import io

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from helpers._validate import check_description

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class Described:
    """A PNG image with its description; Jupyter displays it as the image.

    Parameters
    ----------
    png         : bytes   a PNG image (e.g. from `labs.figure_png` or `describe`)
    description : str     what the figure shows, in a sentence or two

    Attributes: `png`, `description` (whitespace folded to single spaces).
    """

    def __init__(self, png, description):
        where = "Described"
        if not isinstance(png, bytes | bytearray):
            raise TypeError(
                f"{where}: png must be the bytes of a PNG image; got {type(png).__name__}"
            )
        if not bytes(png[:8]) == PNG_SIGNATURE:
            raise ValueError(
                f"{where}: png must be the bytes of a PNG image (starting {PNG_SIGNATURE!r}); "
                f"got bytes starting {bytes(png[:8])!r}"
            )
        self.png = bytes(png)
        self.description = check_description(description, where)

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {
            "image/png": base64.b64encode(self.png).decode("ascii"),
            "text/plain": self.description,
        }
        return data, {"image/png": {"alt": self.description}}

    def __repr__(self):
        return f"Described({len(self.png)} bytes of PNG, {self.description!r})"


def describe(fig, description):
    """Render a matplotlib figure as PNG, close it, and pair it with its description.

    Parameters
    ----------
    fig         : matplotlib.figure.Figure
    description : str   what the figure shows, with the numbers a reader should take from it

    Returns
    -------
    Described   display it (or end a cell with it) to show the figure

    The figure is rendered as the notebook's inline backend would (its own dpi, cropped to what
    is drawn) and closed, so that pyplot does not show it a second time at the end of the cell.
    """
    where = "describe"
    if not isinstance(fig, Figure):
        raise TypeError(f"{where}: fig must be a matplotlib Figure; got {type(fig).__name__}")
    description = check_description(description, where)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi="figure", bbox_inches="tight", facecolor="white")
    plt.close(fig)
    return Described(buffer.getvalue(), description)
