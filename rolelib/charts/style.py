"""The course's look: one colour, hatch and marker per role, the greys, and the matplotlib settings."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NamedTuple

import matplotlib
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from rolelib._errors import UnknownNameError
from rolelib._deprecated import keyword_only
from rolelib._types import DataSource
from rolelib.data import course_data

#: The Okabe-Ito colour-blind-safe palette (black left out: it is kept for text and lines),
#: in the order roles receive them: the n-th role of roles.csv gets the n-th colour.
ROLE_COLOURS: tuple[str, ...] = ("#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#F0E442")
HATCHES = ("", "//", "..", "xx", "\\\\", "oo", "++", "--", "||", "**")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "p", "h", "*")

DPI = 100  # fixed, so the PNG bytes of a chart are the same on every run
INK = "#1a1a1a"
MUTED = "#555555"  # grey text, contrast above 7:1 on white
RULE = "#c8c8c8"
BAND = "#eeeeee"
BAR = "#3d3d3d"  # a score: dark grey on the light band
NEUTRAL = "#7a7a7a"
LABEL_BOX = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"}

# The course's matplotlib settings; every chart (and the class report's) is drawn inside
# matplotlib.rc_context(STYLE), so nothing changes the notebook's global rcParams.
STYLE = {
    "font.family": "DejaVu Sans",  # shipped with matplotlib: the same glyphs on every machine
    "font.size": 12,
    "figure.facecolor": "white",
    "figure.edgecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.edgecolor": "white",
    "savefig.transparent": False,
    "text.color": INK,
    "hatch.linewidth": 1.2,
    "text.parse_math": False,  # a "$" in the data is text, not mathematics
    # Glyphs drawn from their outlines, without snapping them to the pixel grid: the same look
    # at this size, and a quarter less time to render a chart, most of which is its text.
    "text.hinting": "no_hinting",
}


class RoleStyle(NamedTuple):
    """How one role is drawn in every chart: a colour, a hatch pattern and a marker."""

    colour: str
    hatch: str
    marker: str


@keyword_only("role_id", "data")
def role_style(role_id: str, *, data: DataSource = None) -> RoleStyle:
    """The colour, hatch and marker of a role, given by its place in roles.csv.

    >>> role_style("CIO")
    RoleStyle(colour='#0072B2', hatch='', marker='o')
    >>> role_style("CISO").colour
    '#D55E00'
    """
    order = course_data(data).roles["role_id"].astype(str).tolist()
    if role_id not in order:
        raise UnknownNameError("role", role_id, order)
    index = order.index(role_id)
    return RoleStyle(ROLE_COLOURS[index % len(ROLE_COLOURS)], HATCHES[index % len(HATCHES)],
                     MARKERS[index % len(MARKERS)])


def styled(function: Callable[..., Figure]) -> Callable[..., Figure]:
    """Build the figure inside the course style (fonts, sizes, white background)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Figure:
        with matplotlib.rc_context(STYLE):
            return function(*args, **kwargs)

    return wrapper
def tint(colour: str, amount: float = 0.78) -> tuple[float, float, float]:
    """The colour mixed with white (amount 1 is white)."""
    red, green, blue = (c + (1 - c) * amount for c in to_rgb(colour))
    return red, green, blue


def luminance(colour: Any) -> float:
    """Relative luminance (WCAG) of a colour."""
    red, green, blue = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def text_colour(face: Any) -> str:
    """Black or white, whichever reads better on the given fill."""
    return "white" if luminance(face) < 0.18 else INK


def stroke(colour: str) -> tuple[float, float, float]:
    """The colour, darkened until a line of it stands out on white (contrast at least 3:1).

    >>> [round(c, 2) for c in stroke("#0072B2")] == [round(c, 2) for c in to_rgb("#0072B2")]
    True
    """
    red, green, blue = to_rgb(colour)
    while 1.05 / (luminance((red, green, blue)) + 0.05) < 3:
        red, green, blue = red * 0.9, green * 0.9, blue * 0.9
    return red, green, blue


def shades(count: int) -> list[str]:
    """Ordered greys from light to dark, one per step of an ordered category.

    >>> shades(3)
    ['#e6e6e6', '#999999', '#4d4d4d']
    """
    if count == 1:
        return ["#7f7f7f"]
    levels = [0.9 - 0.6 * i / (count - 1) for i in range(count)]
    return ["#" + f"{round(level * 255):02x}" * 3 for level in levels]
