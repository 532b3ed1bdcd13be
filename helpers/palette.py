"""The course's colours: one palette, readable with the common colour-vision deficiencies.

About one man in twelve sees red and green poorly (deuteranomaly, protanomaly), and a few people
confuse blue and yellow (tritanomaly). The figures of the course use the eight colours of Okabe
and Ito (2008), chosen to stay apart for all three, and never teach with colour alone: every
colour that carries a meaning comes with a second cue (a marker, a line style, a hatch or a text
label), and the prose names the cue or the label, not only the colour.

`tests/test_palette.py` simulates the three deficiencies (Machado, Oliveira and Fernandes, 2009)
and checks that the colours of each group in `DISTINCT` stay apart; it also draws every figure of
the course and checks that it uses no colour outside this palette.

Roles, by name (each figure uses a few of them)::

    BLUE        live units, forward values, "ours"    GREEN       the labs' gradient bars, upstream
    VERMILLION  dead or saturated units, the graph       ORANGE      downstream, a second series
                drawings' gradients (below the edges)    SKY         a light fill, a third series
    PURPLE      the loss                                 YELLOW      the current gate, behind text
    BLACK/GREY  axes, guides, text

The tints are for areas only (decision regions, bands): two tints are much closer to each other
than their colours (blue and green tints are about 4 apart under tritanopia), so regions tinted
by class also need their boundaries drawn as lines.
"""

BLACK = "#000000"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"  # Okabe and Ito's "bluish green"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"  # Okabe and Ito's "reddish purple"
GREY = "#7F7F7F"  # guides and neutral marks; never the only difference from another colour

OKABE_ITO = (BLACK, ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILLION, PURPLE)

# A light tint of each colour, for backgrounds and bands behind data (a quarter of the colour on
# white): the tint carries no meaning of its own beyond the colour it comes from.
TINTS = {
    BLUE: "#BFDCEC",
    VERMILLION: "#F4D7BF",
    GREEN: "#BFE7DC",
    ORANGE: "#F9E7BF",
    SKY: "#D5ECFA",
    PURPLE: "#F2DEE9",
    YELLOW: "#FBF8D0",
}

# For two-class scatter plots and decision regions.
CLASS_COLORS = (BLUE, ORANGE, GREEN)
CLASS_MARKERS = ("o", "s", "^")

# A colour map whose lightness rises steadily, so it reads the same in grey and for every
# deficiency: for heat maps of matrices and Jacobians.
SEQUENTIAL_CMAP = "cividis"

# The colours that must be told apart from each other, figure by figure. `tests/test_palette.py`
# checks every pair of each group under the three simulated deficiencies.
DISTINCT = {
    "classes": CLASS_COLORS,
    "live and dead units": (BLUE, VERMILLION),
    # range of Z and activations, saturated bars (hatched), gradients, loss, held-out marker
    "saturation lab": (BLUE, VERMILLION, GREEN, PURPLE, ORANGE),
    # layer 1 (solid) and layer 2 (dashed), units that fire and never fire (hatched), the loss
    "dead ReLU lab": (BLUE, ORANGE, VERMILLION, PURPLE),
    # one line per layer, each with its own line style too; the output layer black and thick
    "learning speed per layer": (BLUE, ORANGE, GREEN, VERMILLION, SKY, PURPLE, YELLOW, BLACK),
    "gradient flow labs": (BLUE, ORANGE, GREEN, PURPLE, VERMILLION),
    # values above the edges, gradients below them, the edges and outlines
    "graph drawing": (BLUE, VERMILLION, BLACK),
    # upstream edge (solid), downstream edges (dashed), current gate (outlined), other edges
    "backward stepper": (GREEN, ORANGE, YELLOW, BLACK),
    "two series": (BLUE, ORANGE),
}
