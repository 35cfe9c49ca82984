"""Charts laid out by hand in inches: text sizes, sheets with a title, plot areas, legends.

No layout engine and no tick machinery, which keeps a chart well inside its time budget and
every label unclipped.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.textpath import text_to_path
from matplotlib.transforms import offset_copy

from rolelib.charts.style import DPI, INK, MUTED, role_style
from rolelib.data import CourseData

if TYPE_CHECKING:
    from matplotlib.axes import Axes


HEADER = 1.0  # title and subtitle
ROW = 0.42


@functools.lru_cache(maxsize=4096)
def text_size(text: str, size: float = 12, bold: bool = False) -> tuple[float, float]:
    """Width and height of a (multi-line) text in inches, as DejaVu Sans sets it.

    For laying a chart out by hand, without a layout engine that draws it twice. Kept once
    measured: a chart measures the same role titles and labels each time it is drawn again (an
    explorer's every click), and measuring is a tenth of drawing it (benchmarks/PROFILING.md).
    """
    prop = FontProperties(family="DejaVu Sans", size=size, weight="bold" if bold else "normal")
    lines = text.split("\n")
    width = max(text_to_path.get_text_width_height_descent(line, prop, ismath=False)[0] for line in lines)
    return width / 72, len(lines) * size * 1.2 / 72


def wrapped(text: str, width: int) -> str:
    """``text`` in lines of about ``width`` characters, broken only between words: a long word keeps its
    line whole (the chart makes room for it).

    >>> wrapped("Chief Informationssicherheitsbeauftragter", 18)
    'Chief\\nInformationssicherheitsbeauftragter'
    """
    return textwrap.fill(text, width, break_long_words=False)


def title_width(title: str, subtitle: str = "") -> float:
    """The width in inches a sheet needs for its title and subtitle."""
    return max(text_size(title, 15, True)[0], text_size(subtitle, 12)[0]) + 0.8


def sheet(width: float, height: float, title: str, subtitle: str = "") -> Figure:
    """An empty white figure of the given size in inches, with its title and subtitle."""
    fig = Figure(figsize=(width, height), dpi=DPI, facecolor="white")
    inch = fig.dpi_scale_trans
    fig.text(width / 2, height - 0.34, title, transform=inch, ha="center", va="center", fontsize=15,
             fontweight="bold", gid="title")
    if subtitle:
        fig.text(width / 2, height - 0.7, subtitle, transform=inch, ha="center", va="center", fontsize=12,
                 color=MUTED, gid="subtitle")
    return fig


def plot_axes(fig: Figure, left: float, top: float, width: float, height: float) -> "Axes":
    """An axes without axis lines or ticks at a place given in inches from the top left."""
    fig_w, fig_h = fig.get_size_inches()
    ax = fig.add_axes((left / fig_w, (fig_h - top - height) / fig_h, width / fig_w, height / fig_h))
    ax.set_axis_off()
    return ax


def shifted(fig: Figure, ax: "Axes", x: float = 0.0, y: float = 0.0) -> Any:
    """Data coordinates of ``ax`` moved by (x, y) inches: for labels beside the data."""
    return offset_copy(ax.transData, fig=fig, x=x, y=y, units="inches")


@dataclass(frozen=True)
class Key:
    """One legend entry: a sample ("patch", "marker" or "line") drawn with props, and its label."""

    mark: str
    props: tuple[tuple[str, Any], ...]
    label: str


def key(mark: str, label: str, **props: Any) -> Key:
    """A legend entry: a ``mark`` ("patch" or "marker") drawn with matplotlib ``props``, and its label."""
    return Key(mark, tuple(props.items()), label)


def legend_rows(keys: Sequence[Key], width: float) -> list[list[tuple[Key, float]]]:
    """The legend entries in rows that fit ``width`` inches, each with the width it takes."""
    rows: list[list[tuple[Key, float]]] = [[]]
    used = 0.0
    for key in keys:
        item = 0.6 + text_size(key.label, 11)[0] + 0.35
        if rows[-1] and used + item > width - 0.4:
            rows.append([])
            used = 0.0
        rows[-1].append((key, item))
        used += item
    return rows


def legend_height(keys: Sequence[Key], width: float, title: str = "") -> float:
    """The height in inches a legend of these entries takes on a sheet ``width`` inches wide."""
    return 0.36 * len(legend_rows(keys, width)) + (0.32 if title else 0) + 0.1


def draw_legend(fig: Figure, keys: Sequence[Key], top: float, title: str = "") -> None:
    """Draw legend entries centred in rows, ``top`` inches below the top of the figure."""
    width, height = fig.get_size_inches()
    inch = fig.dpi_scale_trans
    y = height - top
    if title:
        fig.text(width / 2, y - 0.16, title, transform=inch, ha="center", va="center", fontsize=11,
                 gid="legend-title")
        y -= 0.32
    for row in legend_rows(keys, width):
        y -= 0.18
        x = (width - sum(item for _, item in row) + 0.35) / 2
        for key, item in row:
            props = dict(key.props)
            if key.mark == "patch":
                fig.add_artist(Rectangle((x, y - 0.1), 0.44, 0.2, transform=inch, **props))
            elif key.mark == "marker":
                fig.add_artist(Line2D([x + 0.22], [y], transform=inch, linestyle="none", **props))
            else:
                fig.add_artist(Line2D([x, x + 0.44], [y, y], transform=inch, **props))
            fig.text(x + 0.58, y, key.label, transform=inch, va="center", fontsize=11, gid="legend")
            x += item
        y -= 0.18


def message_figure(title: str, message: str) -> Figure:
    """A figure that says, in words, why there is nothing to draw."""
    text = textwrap.fill(message, 64)
    width = max(text_size(text, 13)[0] + 1.0, title_width(title), 6.0)
    fig = sheet(width, 1.2 + text_size(text, 13)[1] + 0.5, title)
    fig.text(0.5, 0.4, text, ha="center", va="center", fontsize=13, gid="message")
    fig.alt_text = f"{title}: {message}"
    return fig


def role_keys(data: CourseData, roles: Sequence[str]) -> list[Key]:
    """Legend entries naming each role with its colour and hatch."""
    return [key("patch", f"{role}: {data.role_title(role)}", facecolor=role_style(role, data=data).colour,
                 hatch=role_style(role, data=data).hatch, edgecolor=INK, linewidth=0.8) for role in roles]


def finish(fig: Figure, alt_text: str) -> Figure:
    """The figure with its alt text attached: every chart returns through here."""
    fig.alt_text = alt_text
    return fig
