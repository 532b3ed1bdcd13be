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
import functools
import html
import inspect
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


def live_figure(show, controls):
    """A lab's readout and figure, redrawn in place whenever one of its controls moves.

    Parameters
    ----------
    show     : callable   `show(**values)` gets each control's value under its key and returns
                          `(readout, figure)`: the text to print (str) and the figure with its
                          description (a `Described`, e.g. from `labs.figure_image`, or a
                          `viz.GraphDrawing`)
    controls : dict       name -> an ipywidgets control (slider, toggle, ...) or
                          `ipywidgets.fixed(value)` for an argument that never changes

    Returns
    -------
    ipywidgets.VBox   the readout (an HTML widget holding a <pre>) above the figure (an Image
                      widget whose title, read by screen readers and shown on hover, is the
                      figure's description); `show` runs at once, then after every move

    Why not `ipywidgets.interactive_output`: its Output widget sends each new figure over the
    kernel's websocket three times (the front end returns the Output widget's whole state to the
    kernel, which echoes it back), and clears the old figure before the new one arrives, so the
    lab shrinks and grows back on every move. An Image widget gets its PNG once, as binary, and
    swaps it in place. If `show` fails on the controls' first values, `live_figure` raises a
    ValueError that quotes the error (chained to it, so its traceback shows the failing line);
    after a move, the readout says why and the last figure stays.

    Used by the backward stepper of notebook 01 and the labs of notebook 06.
    """
    import ipywidgets as widgets
    from traitlets import HasTraits

    where = "live_figure"
    if not callable(show):
        raise TypeError(
            f"{where}: show must be a function of the controls' values returning "
            f"(readout, figure); got {type(show).__name__}"
        )
    if not isinstance(controls, dict) or not controls:
        raise TypeError(
            f"{where}: controls must be a non-empty dict of name -> ipywidgets control; "
            f"got {type(controls).__name__} {controls!r:.60}"
        )
    for name, control in controls.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise TypeError(
                f"{where}: controls' keys must be the argument names of show; got {name!r}"
            )
        if not (isinstance(control, HasTraits) and control.has_trait("value")):
            raise TypeError(
                f"{where}: controls[{name!r}] must be an ipywidgets control with a value "
                f"(a slider, a toggle, ipywidgets.fixed(...)); got {type(control).__name__}"
            )

    try:
        inspect.signature(show).bind(**controls)
    except (TypeError, ValueError):  # ValueError: a builtin without a signature
        raise TypeError(
            f"{where}: controls must be named after show's arguments; show takes "
            f"{_signature(show)} and controls are named ({', '.join(controls)})"
        ) from None

    readout = widgets.HTML()
    image = _titled_image_class()(format="png")

    def draw():
        shown = show(**{name: control.value for name, control in controls.items()})
        if not (
            isinstance(shown, tuple)
            and len(shown) == 2
            and isinstance(shown[0], str)
            and isinstance(shown[1], Described)
        ):
            got = (
                f"({', '.join(type(part).__name__ for part in shown)})"
                if isinstance(shown, tuple)
                else type(shown).__name__
            )
            raise TypeError(
                f"{where}: show must return (readout, figure), a str and a Described "
                f"(labs.figure_image, figures.describe, viz.draw_graph); got {got}"
            )
        text, figure = shown
        png = _fast_png(figure)
        with image.hold_sync():
            image.value = png
            image.tooltip = figure.description
        readout.value = f"<pre>{html.escape(text)}</pre>"

    def update(change):
        try:
            draw()
        except Exception as err:  # shown in the lab: a move never fails silently
            readout.value = f"<pre>{html.escape(f'{type(err).__name__}: {err}')}</pre>"

    try:  # a lab that cannot draw its first figure fails here, in its own cell
        draw()
    except Exception as err:
        if str(err).startswith(f"{where}:"):
            raise
        first = ", ".join(f"{name}={control.value!r}" for name, control in controls.items())
        raise ValueError(
            f"{where}: show must draw the controls' first values ({first}); it raised "
            f"{type(err).__name__}: {err}"
        ) from err
    for control in controls.values():
        control.observe(update, names="value")
    return widgets.VBox([readout, image])


@functools.cache
def _titled_image_class():
    """`ipywidgets.Image` that can show a tooltip. The front end sets an element's title from
    `tooltip` only when the widget's `description` is empty, and reads `description.length`
    first, which Image does not have: the view fails to render ("Could not create a view").
    An empty description, synced, is all it needs."""
    import ipywidgets as widgets
    from traitlets import Unicode

    class TitledImage(widgets.Image):
        description = Unicode("").tag(sync=True)

    return TitledImage


def _signature(function):
    try:
        return str(inspect.signature(function))
    except (TypeError, ValueError):
        return "no arguments it can name"


def _fast_png(figure):
    """PNG bytes of a `Described`; a drawing that is also a Figure is drawn once (no tight box,
    which draws it twice) at zlib level 1, as `labs.figure_png` does for the labs."""
    if isinstance(figure, Figure):
        from helpers.labs import figure_png

        return figure_png(figure)
    return figure.png
