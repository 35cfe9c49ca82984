"""Charts of the five differences between the roles, drawn from the course data.

Every chart function takes the loaded data (``None``: the data shipped with the course),
counts or reads everything it shows from it, and returns a :class:`matplotlib.figure.Figure`
with an ``alt_text`` attribute: a short description naming the roles shown and the main
message. A role added to a copy of data/ appears in every chart without code changes.

:func:`show` displays a figure in a notebook as one output (a PNG with its alt text and a
visible caption) and closes it; ``show("focus")`` draws and shows in one call.

Figures are built on :class:`matplotlib.figure.Figure` directly, never through pyplot, and
the course style is applied with :func:`matplotlib.rc_context`, so a learner's own
matplotlib settings are left alone.

What a notebook keeps: one output with ``text/html`` (a ``<figure>`` whose ``<img>`` holds
the PNG inline, with the alt text as its ``alt`` and as a visible ``<figcaption>``), the same
PNG as ``image/png``, and the alt text as ``text/plain``. The HTML carries the image because
JupyterLab, nbconvert and GitHub show ``text/html`` in preference to ``image/png``: a
caption-only HTML would hide the chart. The PNG is rendered at a fixed dpi without the
"Software" metadata, so the same chart gives the same bytes on every run and nbval, which
compares ``text/html``, sees no change.

>>> fig = focus_chart()
>>> fig.alt_text.split(".")[0]
'Focus of the position, side by side for CIO, CISO and CSO'
"""

from __future__ import annotations

import base64
import functools
import html
import inspect
import io
import sys
import textwrap
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import matplotlib
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle
from matplotlib.textpath import text_to_path
from matplotlib.transforms import offset_copy

from rolelib.data import CourseData, load
from rolelib.lessons import LESSONS

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = [
    "ROLE_COLOURS",
    "RoleStyle",
    "role_style",
    "focus_chart",
    "responsibilities_chart",
    "education_chart",
    "certifications_chart",
    "reporting_chart",
    "overview_chart",
    "score_chart",
    "CHART_NAMES",
    "rendered",
    "show",
]

#: The Okabe-Ito colour-blind-safe palette (black left out: it is kept for text and lines),
#: in the order roles receive them: the n-th role of roles.csv gets the n-th colour.
ROLE_COLOURS: tuple[str, ...] = ("#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#F0E442")
_HATCHES = ("", "//", "..", "xx", "\\\\", "oo", "++", "--", "||", "**")
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "p", "h", "*")

_DPI = 100  # fixed, so the PNG bytes of a chart are the same on every run
_INK = "#1a1a1a"
_MUTED = "#555555"  # grey text, contrast above 7:1 on white
_RULE = "#c8c8c8"
_BAND = "#eeeeee"
_BAR = "#3d3d3d"  # a score: dark grey on the light band
_NEUTRAL = "#7a7a7a"
_LABEL_BOX = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"}

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
    "text.color": _INK,
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


def role_style(role_id: str, data: CourseData | None = None) -> RoleStyle:
    """The colour, hatch and marker of a role, given by its place in roles.csv.

    >>> role_style("CIO")
    RoleStyle(colour='#0072B2', hatch='', marker='o')
    >>> role_style("CISO").colour
    '#D55E00'
    """
    order = _role_order(_course(data))
    if role_id not in order:
        raise KeyError(f"no role {role_id!r}; the roles are: {', '.join(order)}")
    index = order.index(role_id)
    return RoleStyle(ROLE_COLOURS[index % len(ROLE_COLOURS)], _HATCHES[index % len(_HATCHES)],
                     _MARKERS[index % len(_MARKERS)])


# --------------------------------------------------------------------------- helpers


def _styled(function: Callable[..., Figure]) -> Callable[..., Figure]:
    """Build the figure inside the course style (fonts, sizes, white background)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Figure:
        with matplotlib.rc_context(STYLE):
            return function(*args, **kwargs)

    return wrapper


def _course(data: CourseData | None) -> CourseData:
    return load() if data is None else data


def _role_order(data: CourseData) -> list[str]:
    return data.roles["role_id"].astype(str).tolist()


def _plain(frame: "pd.DataFrame") -> "pd.DataFrame":
    """The table with categorical columns turned into plain strings."""
    columns = [c for c in frame.columns if str(frame[c].dtype) == "category"]
    return frame.assign(**{c: frame[c].astype(str) for c in columns})


def _categories(frame: "pd.DataFrame", column: str) -> list[str]:
    return [str(value) for value in frame[column].cat.categories]


def _choose_roles(data: CourseData, present: Iterable[str], roles: Sequence[str] | None) -> list[str]:
    """The roles to draw, in roles.csv order: those asked for, or those the table mentions."""
    if roles is None:
        wanted = {str(role) for role in present}
    else:
        for role in roles:
            data.role_title(role)  # a KeyError that lists the known roles
        wanted = set(roles)
    return [role for role in _role_order(data) if role in wanted]


def _dimension_text(data: CourseData, dimension: str) -> tuple[str, str]:
    """Title and question of a dimension, as dimensions.csv words them."""
    rows = data.dimensions[data.dimensions["dimension_id"] == dimension]
    if rows.empty:
        return dimension.capitalize(), ""
    return str(rows["title"].iloc[0]), str(rows["question"].iloc[0])


def _names(items: Sequence[str]) -> str:
    """Join names as a sentence does.

    >>> _names(["CIO", "CISO", "CSO"])
    'CIO, CISO and CSO'
    """
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _tint(colour: str, amount: float = 0.78) -> tuple[float, float, float]:
    """The colour mixed with white (amount 1 is white)."""
    red, green, blue = (c + (1 - c) * amount for c in to_rgb(colour))
    return red, green, blue


def _luminance(colour: Any) -> float:
    """Relative luminance (WCAG) of a colour."""
    red, green, blue = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _text_colour(face: Any) -> str:
    """Black or white, whichever reads better on the given fill."""
    return "white" if _luminance(face) < 0.18 else _INK


def _stroke(colour: str) -> tuple[float, float, float]:
    """The colour, darkened until a line of it stands out on white (contrast at least 3:1).

    >>> [round(c, 2) for c in _stroke("#0072B2")] == [round(c, 2) for c in to_rgb("#0072B2")]
    True
    """
    red, green, blue = to_rgb(colour)
    while 1.05 / (_luminance((red, green, blue)) + 0.05) < 3:
        red, green, blue = red * 0.9, green * 0.9, blue * 0.9
    return red, green, blue


def _shades(count: int) -> list[str]:
    """Ordered greys from light to dark, one per step of an ordered category.

    >>> _shades(3)
    ['#e6e6e6', '#999999', '#4d4d4d']
    """
    if count == 1:
        return ["#7f7f7f"]
    levels = [0.9 - 0.6 * i / (count - 1) for i in range(count)]
    return ["#" + f"{round(level * 255):02x}" * 3 for level in levels]


def _holders(rows: Iterable[tuple[str, str]], order: list[str]) -> dict[str, list[str]]:
    """For each value of (role, value) rows, the roles (in roles.csv order) that have it.

    >>> _holders([("CISO", "risk"), ("CIO", "risk"), ("CIO", "budget")], ["CIO", "CISO"])
    {'risk': ['CIO', 'CISO'], 'budget': ['CIO']}
    """
    found: dict[str, set[str]] = {}
    for role, value in rows:
        found.setdefault(value, set()).add(role)
    return {value: [r for r in order if r in roles] for value, roles in found.items()}


# --------------------------------------------------------------------------- layout in inches
# Figures are laid out by hand, in inches, from measured text sizes: no layout engine and no
# tick machinery, which keeps a chart well inside its time budget and every label unclipped.

_HEADER = 1.0  # title and subtitle
_ROW = 0.42


@functools.lru_cache(maxsize=4096)
def text_size(text: str, size: float = 12, bold: bool = False) -> tuple[float, float]:
    """Width and height of a (multi-line) text in inches, as DejaVu Sans sets it.

    For laying a chart out by hand, without a layout engine that draws it twice.
    """
    prop = FontProperties(family="DejaVu Sans", size=size, weight="bold" if bold else "normal")
    lines = text.split("\n")
    width = max(text_to_path.get_text_width_height_descent(line, prop, ismath=False)[0] for line in lines)
    return width / 72, len(lines) * size * 1.2 / 72


def _title_width(title: str, subtitle: str = "") -> float:
    return max(text_size(title, 15, True)[0], text_size(subtitle, 12)[0]) + 0.8


def _sheet(width: float, height: float, title: str, subtitle: str = "") -> Figure:
    """An empty white figure of the given size in inches, with its title and subtitle."""
    fig = Figure(figsize=(width, height), dpi=_DPI, facecolor="white")
    inch = fig.dpi_scale_trans
    fig.text(width / 2, height - 0.34, title, transform=inch, ha="center", va="center", fontsize=15,
             fontweight="bold", gid="title")
    if subtitle:
        fig.text(width / 2, height - 0.7, subtitle, transform=inch, ha="center", va="center", fontsize=12,
                 color=_MUTED, gid="subtitle")
    return fig


def _plot_axes(fig: Figure, left: float, top: float, width: float, height: float) -> "Axes":
    """An axes without axis lines or ticks at a place given in inches from the top left."""
    fig_w, fig_h = fig.get_size_inches()
    ax = fig.add_axes((left / fig_w, (fig_h - top - height) / fig_h, width / fig_w, height / fig_h))
    ax.set_axis_off()
    return ax


def _shifted(fig: Figure, ax: "Axes", x: float = 0.0, y: float = 0.0) -> Any:
    """Data coordinates of ``ax`` moved by (x, y) inches: for labels beside the data."""
    return offset_copy(ax.transData, fig=fig, x=x, y=y, units="inches")


@dataclass(frozen=True)
class _Key:
    """One legend entry: a sample ("patch", "marker" or "line") drawn with props, and its label."""

    kind: str
    props: tuple[tuple[str, Any], ...]
    label: str


def _key(kind: str, label: str, **props: Any) -> _Key:
    return _Key(kind, tuple(props.items()), label)


def _legend_rows(keys: Sequence[_Key], width: float) -> list[list[tuple[_Key, float]]]:
    rows: list[list[tuple[_Key, float]]] = [[]]
    used = 0.0
    for key in keys:
        item = 0.6 + text_size(key.label, 11)[0] + 0.35
        if rows[-1] and used + item > width - 0.4:
            rows.append([])
            used = 0.0
        rows[-1].append((key, item))
        used += item
    return rows


def _legend_height(keys: Sequence[_Key], width: float, title: str = "") -> float:
    return 0.36 * len(_legend_rows(keys, width)) + (0.32 if title else 0) + 0.1


def _draw_legend(fig: Figure, keys: Sequence[_Key], top: float, title: str = "") -> None:
    """Draw legend entries centred in rows, ``top`` inches below the top of the figure."""
    width, height = fig.get_size_inches()
    inch = fig.dpi_scale_trans
    y = height - top
    if title:
        fig.text(width / 2, y - 0.16, title, transform=inch, ha="center", va="center", fontsize=11,
                 gid="legend-title")
        y -= 0.32
    for row in _legend_rows(keys, width):
        y -= 0.18
        x = (width - sum(item for _, item in row) + 0.35) / 2
        for key, item in row:
            props = dict(key.props)
            if key.kind == "patch":
                fig.add_artist(Rectangle((x, y - 0.1), 0.44, 0.2, transform=inch, **props))
            elif key.kind == "marker":
                fig.add_artist(Line2D([x + 0.22], [y], transform=inch, linestyle="none", **props))
            else:
                fig.add_artist(Line2D([x, x + 0.44], [y, y], transform=inch, **props))
            fig.text(x + 0.58, y, key.label, transform=inch, va="center", fontsize=11, gid="legend")
            x += item
        y -= 0.18


def _message_figure(title: str, message: str) -> Figure:
    """A figure that says, in words, why there is nothing to draw."""
    text = textwrap.fill(message, 64)
    width = max(text_size(text, 13)[0] + 1.0, _title_width(title), 6.0)
    fig = _sheet(width, 1.2 + text_size(text, 13)[1] + 0.5, title)
    fig.text(0.5, 0.4, text, ha="center", va="center", fontsize=13, gid="message")
    fig.alt_text = f"{title}: {message}"
    return fig


def _role_keys(data: CourseData, roles: Sequence[str]) -> list[_Key]:
    """Legend entries naming each role with its colour and hatch."""
    return [_key("patch", f"{role}: {data.role_title(role)}", facecolor=role_style(role, data).colour,
                 hatch=role_style(role, data).hatch, edgecolor=_INK, linewidth=0.8) for role in roles]


def _finish(fig: Figure, alt_text: str) -> Figure:
    fig.alt_text = alt_text
    return fig


# --------------------------------------------------------------------------- dot matrix


@dataclass(frozen=True)
class _Dot:
    section: str
    row: str
    role: str
    filled: bool
    label: str
    gid: str


def _dot_matrix(data: CourseData, title: str, subtitle: str, roles: list[str],
                sections: list[tuple[str, list[str]]], dots: list[_Dot], keys: list[_Key],
                legend_title: str = "", shared: dict[str, list[str]] | None = None) -> Figure:
    """Roles as columns and rows grouped under section headings; a marker (and a word) per cell.

    Rows whose label appears in ``shared`` are linked across columns and labelled with the
    roles that share them.
    """
    shared = shared or {}
    row_labels = [row for _, rows in sections for row in rows]
    titles = {role: textwrap.fill(data.role_title(role), 18) for role in roles}
    title_lines = max(t.count("\n") + 1 for t in titles.values())
    col_w = max(2.0, *(max(text_size(role, 13, True)[0], text_size(titles[role], 11)[0]) + 0.4 for role in roles))
    shared_labels = {row: "shared: " + ", ".join(shared[row]) for row in row_labels if len(shared.get(row, [])) > 1}
    shared_w = max([text_size(text, 11, True)[0] + 0.4 for text in shared_labels.values()], default=0.0)
    left = 0.3 + max(text_size(row, 12)[0] for row in row_labels) + 0.2
    n_rows = len(row_labels) + len(sections)
    head_h = 0.5 + 0.19 * title_lines
    content_w = left + len(roles) * col_w + shared_w + 0.3
    width = max(content_w, _title_width(title, subtitle))
    legend_h = _legend_height(keys, width, legend_title)
    fig = _sheet(width, _HEADER + head_h + n_rows * _ROW + 0.2 + legend_h, title, subtitle)
    left += (width - content_w) / 2
    ax = _plot_axes(fig, left, _HEADER + head_h, len(roles) * col_w, n_rows * _ROW)
    ax.set_xlim(-0.5, len(roles) - 0.5)
    ax.set_ylim(n_rows - 0.5, -0.5)
    beside, after = _shifted(fig, ax, x=-0.15), _shifted(fig, ax, x=0.15)
    cell_label = _shifted(fig, ax, x=0.24)
    band_w = len(roles) + shared_w / col_w
    y = 0
    position: dict[tuple[str, str], int] = {}
    for heading, rows in sections:
        ax.add_artist(Rectangle((-0.5, y - 0.5), band_w, 1, facecolor=_BAND, lw=0, zorder=0, clip_on=False))
        ax.text(-0.45, y, heading, fontweight="bold", va="center", ha="left")
        y += 1
        for row in rows:
            position[(heading, row)] = y
            ax.text(-0.5, y, row, ha="right", va="center", transform=beside, gid="row-label")
            y += 1
    for index, role in enumerate(roles):
        ax.text(index, -0.5, titles[role], ha="center", va="bottom", fontsize=11, linespacing=1.05,
                transform=_shifted(fig, ax, y=0.08))
        ax.text(index, -0.5, role, ha="center", va="bottom", fontsize=13, fontweight="bold", gid="column-label",
                transform=_shifted(fig, ax, y=0.14 + 0.19 * title_lines))
        if index:
            ax.plot([index - 0.5] * 2, [-0.5, n_rows - 0.5], color=_RULE, lw=1, zorder=0)
        if not any(dot.role == role for dot in dots):
            ax.text(index, (n_rows - 1) / 2, "none listed", ha="center", va="center", fontsize=11,
                    style="italic", color=_MUTED)
    columns = {role: index for index, role in enumerate(roles)}
    in_row: dict[int, list[float]] = {}
    for dot in dots:
        x, row_y = columns[dot.role] - 0.3, position[(dot.section, dot.row)]
        style = role_style(dot.role, data)
        ax.plot([x], [row_y], linestyle="none", marker=style.marker, markersize=15, zorder=4, gid=dot.gid,
                markerfacecolor=style.colour if dot.filled else "white", markeredgecolor=_INK,
                markeredgewidth=1.0 if dot.filled else 2.0)
        if dot.label:
            ax.text(x, row_y, dot.label, va="center", fontsize=11, zorder=5, bbox=_LABEL_BOX, transform=cell_label)
        in_row.setdefault(row_y, []).append(x)
    for (section, row), row_y in position.items():
        if row not in shared_labels:
            continue
        xs = in_row.get(row_y, [])
        if len(xs) > 1:
            ax.plot([min(xs), max(xs)], [row_y, row_y], color=_NEUTRAL, lw=4, zorder=2,
                    solid_capstyle="round", gid=f"shared-link:{section}:{row}")
        ax.text(len(roles) - 0.5, row_y, shared_labels[row], va="center", fontsize=11, fontweight="bold",
                transform=after, gid=f"shared-label:{section}:{row}")
    _draw_legend(fig, keys, _HEADER + head_h + n_rows * _ROW + 0.2, legend_title)
    return fig


# --------------------------------------------------------------------------- the five charts


@_styled
def focus_chart(data: CourseData | None = None, roles: Sequence[str] | None = None) -> Figure:
    """What each role is there to achieve: goals grouped into enable and protect, core goals filled.

    ``roles`` limits the chart to some roles (default: every role with a row in focus.csv).

    >>> fig = focus_chart()
    >>> len([line for line in fig.axes[0].lines if (line.get_gid() or "").startswith("focus:")])
    13
    """
    data = _course(data)
    title, question = _dimension_text(data, "focus")
    table = _plain(data.focus)
    chosen = _choose_roles(data, table["role_id"], roles)
    table = table[table["role_id"].isin(chosen)]
    if table.empty:
        return _message_figure(title, f"The data lists no focus for {_names(chosen)}.")
    orientations = _categories(data.focus, "orientation")
    core, *others = _categories(data.focus, "centrality")
    sections = []
    for orientation in orientations:
        goals = set(table.loc[table["orientation"] == orientation, "goal"])
        rows = [goal for goal in _categories(data.focus, "goal") if goal in goals]
        if rows:
            sections.append((orientation.upper(), rows))
    dots = [_Dot(row.orientation.upper(), row.goal, row.role_id, row.centrality == core,
                 "" if row.centrality == core else row.centrality, f"focus:{row.focus_id}")
            for row in table.itertuples()]
    keys = [_key("marker", f"filled: a {core} goal of the role", marker="o", markersize=12,
                 markerfacecolor=_NEUTRAL, markeredgecolor=_INK),
            _key("marker", f"hollow and labelled: a {' or '.join(others)} goal", marker="o", markersize=12,
                 markerfacecolor="white", markeredgecolor=_INK, markeredgewidth=2.0)]
    fig = _dot_matrix(data, title, question, chosen, sections, dots, keys)
    parts = []
    for role in chosen:
        rows = table[table["role_id"] == role]
        bits = []
        for centrality in (core, *others):
            subset = rows[rows["centrality"] == centrality]
            groups = [f"{orientation} ({', '.join(subset.loc[subset['orientation'] == orientation, 'goal'])})"
                      for orientation in orientations if (subset["orientation"] == orientation).any()]
            if groups:
                bits.append(f"{centrality} goals {' and '.join(groups)}")
        parts.append(f"{role}: " + ("; ".join(bits) if bits else "none listed"))
    return _finish(fig, f"{title}, side by side for {_names(chosen)}. " + ". ".join(parts) + ".")


@_styled
def responsibilities_chart(data: CourseData | None = None, roles: Sequence[str] | None = None,
                           areas: Sequence[str] | None = None) -> Figure:
    """Each role's responsibilities counted by area, stacked per area; shared areas are labelled.

    An area is shared when more than one role in the data has a responsibility in it.
    ``roles`` and ``areas`` filter what is drawn (the sharing is still counted over all roles).

    >>> fig = responsibilities_chart()
    >>> int(sum(bar.get_width() for bar in fig.axes[0].patches if (bar.get_gid() or "").startswith("bar:")))
    27
    """
    data = _course(data)
    title, question = _dimension_text(data, "responsibilities")
    full = _rows(data.responsibilities, "role_id", "area")
    order = _role_order(data)
    holders = _holders(full, order)
    chosen = _choose_roles(data, (role for role, _ in full), roles)
    known_areas = _categories(data.responsibilities, "area")
    for area in areas or ():
        if area not in known_areas:
            raise KeyError(f"no area {area!r}; the areas are: {', '.join(known_areas)}")
    table = [(role, area) for role, area in full if role in chosen and (areas is None or area in areas)]
    if not table:
        where = f" in {_names(list(areas))}" if areas else ""
        return _message_figure(title, f"The data lists no responsibility of {_names(chosen)}{where}.")
    counts = Counter((area, role) for role, area in table)
    totals = Counter(area for _, area in table)

    def rank(area: str) -> tuple:
        owners = holders[area]
        if len(owners) > 1:
            return (0, -len(owners), -totals[area], known_areas.index(area))
        return (1, order.index(owners[0]), -totals[area], known_areas.index(area))

    rows = sorted(totals, key=rank)
    shared_labels = {area: "shared: " + ", ".join(holders[area]) for area in rows if len(holders[area]) > 1}
    longest = max(totals.values())
    left = 0.3 + max(text_size(area, 12)[0] for area in rows) + 0.2
    bar_w, row_h = 5.0, 0.46
    shared_w = max([text_size(text, 11, True)[0] + 0.4 for text in shared_labels.values()], default=0.0)
    note = "number on a bar: responsibilities of that role in that area"
    keys = _role_keys(data, chosen)
    content_w = left + bar_w + shared_w + 0.3
    width = max(content_w, _title_width(title, question), text_size(note, 11)[0] + 0.8)
    plot_h = len(rows) * row_h
    fig = _sheet(width, _HEADER + 0.1 + plot_h + 0.55 + _legend_height(keys, width), title, question)
    left += (width - content_w) / 2
    ax = _plot_axes(fig, left, _HEADER + 0.1, bar_w, plot_h)
    ax.set_xlim(0, longest)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    unit = bar_w / longest
    if shared_labels:
        ax.add_artist(Rectangle((-(left - 0.15) / unit, -0.5), (left - 0.15 + bar_w + shared_w) / unit,
                               len(shared_labels), facecolor=_BAND, lw=0, zorder=0, clip_on=False))
    beside, after = _shifted(fig, ax, x=-0.15), _shifted(fig, ax, x=0.15)
    for y, area in enumerate(rows):
        ax.text(0, y, area, ha="right", va="center", transform=beside, gid="row-label")
        if area in shared_labels:
            ax.text(totals[area], y, shared_labels[area], va="center", fontsize=11, fontweight="bold",
                    transform=after, gid=f"shared:{area}")
    for y, area in enumerate(rows):
        start = 0
        for role in chosen:
            count = counts[(area, role)]
            if not count:
                continue
            style = role_style(role, data)
            ax.add_artist(Rectangle((start, y - 0.31), count, 0.62, facecolor=style.colour, hatch=style.hatch,
                                    edgecolor=_INK, linewidth=0.8, zorder=2, gid=f"bar:{role}:{area}"))
            ax.text(start + count / 2, y, str(count), ha="center", va="center", fontsize=11, zorder=3,
                    bbox=_LABEL_BOX)
            start += count
    inch = fig.dpi_scale_trans
    note_y = fig.get_size_inches()[1] - _HEADER - 0.1 - plot_h - 0.28
    fig.text(left, note_y, note, transform=inch, va="center", fontsize=11, color=_MUTED)
    _draw_legend(fig, keys, _HEADER + 0.1 + plot_h + 0.5)
    parts = [f"{role} {sum(1 for r, _ in table if r == role)} in {len({a for r, a in table if r == role})} areas"
             for role in chosen if any(r == role for r, _ in table)]
    alt = f"{title} by area for {_names(chosen)}: " + ", ".join(parts) + "."
    if shared_labels:
        alt += " Areas held by more than one role: " + "; ".join(
            f"{area} ({', '.join(holders[area])})" for area in shared_labels) + "."
    else:
        alt += " No area shown is shared."
    return _finish(fig, alt)


@_styled
def education_chart(data: CourseData | None = None, roles: Sequence[str] | None = None) -> Figure:
    """Degree fields and backgrounds of each role, by level; fields held by several roles are linked.

    >>> fig = education_chart()
    >>> [t.get_text() for t in fig.axes[0].texts if (t.get_gid() or "").startswith("shared-label")]
    ['shared: CIO, CISO']
    """
    data = _course(data)
    title, question = _dimension_text(data, "education")
    full = _plain(data.education)
    owners_of = _holders(zip(full["role_id"], full["field"]), _role_order(data))
    shared = {field: owners for field, owners in owners_of.items() if len(owners) > 1}
    chosen = _choose_roles(data, full["role_id"], roles)
    table = full[full["role_id"].isin(chosen)]
    if table.empty:
        return _message_figure(title, f"The data lists no education for {_names(chosen)}.")
    levels = _categories(data.education, "level")
    sections = []
    for level in levels:
        fields = list(dict.fromkeys(table.loc[table["level"] == level, "field"]))
        if fields:
            sections.append((level.upper(), fields))
    dots = [_Dot(row.level.upper(), row.field, row.role_id, True, row.how_common, f"education:{row.education_id}")
            for row in table.itertuples()]
    shown_shared = {field: owners for field, owners in shared.items() if field in set(table["field"])}
    keys = [_key("marker", role, marker=role_style(role, data).marker, markersize=12,
                 markerfacecolor=role_style(role, data).colour, markeredgecolor=_INK) for role in chosen]
    if shown_shared:
        keys.append(_key("line", "a field more than one role has", color=_NEUTRAL, linewidth=4))
    fig = _dot_matrix(data, title, question, chosen, sections, dots, keys,
                      "the word beside a marker: how common it is", shown_shared)
    parts = []
    for role in chosen:
        rows = table[table["role_id"] == role]
        groups = [f"{level} in {', '.join(rows.loc[rows['level'] == level, 'field'])}"
                  for level in levels if (rows["level"] == level).any()]
        parts.append(f"{role}: " + ("; ".join(groups) if groups else "none listed"))
    alt = f"{title} of {_names(chosen)}. " + ". ".join(parts) + "."
    if shown_shared:
        alt += " Shared: " + "; ".join(f"{field} ({', '.join(owners)})" for field, owners in shown_shared.items()) + "."
    return _finish(fig, alt)


@_styled
def certifications_chart(data: CourseData | None = None, roles: Sequence[str] | None = None) -> Figure:
    """A role x certification matrix; each named cell is shaded and labelled with its weight.

    >>> fig = certifications_chart()
    >>> sorted(t.get_text().replace("\\n", " ") for t in fig.axes[0].texts if t.get_gid() == "weight")
    ['beneficial', 'beneficial', 'highly recommended', 'highly recommended', 'situational', 'situational']
    """
    data = _course(data)
    title, question = _dimension_text(data, "certifications")
    links = _plain(data.role_certifications)
    chosen = _choose_roles(data, links["role_id"], roles)
    links = links[links["role_id"].isin(chosen)]
    if links.empty:
        return _message_figure(title, f"The data names no certification for {_names(chosen)}.")
    names = data.certifications.set_index("certification_id")["name"].astype(str)
    columns = [c for c in names.index if c in set(links["certification_id"])]
    weights = _categories(data.role_certifications, "weight")
    shade = dict(zip(weights, _shades(len(weights))))
    weight_of = {(row.role_id, row.certification_id): row.weight for row in links.itertuples()}
    heads = {c: textwrap.fill(names[c], 20) for c in columns}
    head_lines = max(h.count("\n") + 1 for h in heads.values())
    role_titles = {role: textwrap.fill(data.role_title(role), 22) for role in chosen}
    cell_w = max(1.9, *(text_size(h, 11)[0] + 0.25 for h in heads.values()))
    cell_h = max(0.95, *(text_size(t, 11)[1] + 0.45 for t in role_titles.values()))
    left = 0.3 + max(text_size(t, 11)[0] for t in role_titles.values()) + 0.2
    head_h = 0.5 + 0.19 * head_lines
    keys = [_key("patch", w, facecolor=shade[w], edgecolor=_INK, linewidth=0.8) for w in weights]
    keys.append(_key("patch", "blank: not named for the role", facecolor="white", edgecolor=_NEUTRAL, linewidth=0.8))
    content_w = left + len(columns) * cell_w + 0.3
    width = max(content_w, _title_width(title, question))
    legend_title = "weight, from lightest to heaviest"
    plot_h = len(chosen) * cell_h
    fig = _sheet(width, _HEADER + head_h + plot_h + 0.25 + _legend_height(keys, width, legend_title), title, question)
    left += (width - content_w) / 2
    ax = _plot_axes(fig, left, _HEADER + head_h, len(columns) * cell_w, plot_h)
    ax.set_xlim(-0.5, len(columns) - 0.5)
    ax.set_ylim(len(chosen) - 0.5, -0.5)
    beside = _shifted(fig, ax, x=-0.15)
    for c, certificate in enumerate(columns):
        ax.text(c, -0.5, heads[certificate], ha="center", va="bottom", fontsize=11, linespacing=1.05,
                transform=_shifted(fig, ax, y=0.08))
        ax.text(c, -0.5, certificate, ha="center", va="bottom", fontsize=13, fontweight="bold", gid="column-label",
                transform=_shifted(fig, ax, y=0.14 + 0.19 * head_lines))
    for r, role in enumerate(chosen):
        ax.text(-0.5, r - 0.12, role, ha="right", va="bottom", fontsize=13, fontweight="bold", transform=beside,
                gid="row-label")
        ax.text(-0.5, r - 0.08, role_titles[role], ha="right", va="top", fontsize=11, transform=beside)
        for c, certificate in enumerate(columns):
            weight = weight_of.get((role, certificate))
            face = shade[weight] if weight else "white"
            ax.add_artist(Rectangle((c - 0.5, r - 0.5), 1, 1, facecolor=face, gid=f"cell:{role}:{certificate}",
                                   edgecolor="white" if weight else _RULE, linewidth=3 if weight else 1))
            if weight:
                ax.text(c, r, textwrap.fill(weight, 12), ha="center", va="center", fontsize=11, gid="weight",
                        color=_text_colour(face), fontweight="bold")
    _draw_legend(fig, keys, _HEADER + head_h + plot_h + 0.25, legend_title)
    parts = []
    for role in chosen:
        named = [f"{c} {weight_of[(role, c)]}" for c in columns if (role, c) in weight_of]
        parts.append(f"{role}: " + (", ".join(named) if named else "none named"))
    return _finish(fig, f"{title} by role, as a matrix of {_names(chosen)} against {_names(columns)}. "
                   + ". ".join(parts) + ".")


def _layers(nodes: list[str], lines: list[tuple[str, str]]) -> list[list[str]]:
    """Put every boss above the roles that report to it; order each layer to limit crossings.

    >>> _layers(["CIO", "CISO", "CEO"], [("CIO", "CEO"), ("CISO", "CIO"), ("CISO", "CEO")])
    [['CEO'], ['CIO'], ['CISO']]
    """
    depth = dict.fromkeys(nodes, 0)
    for _ in nodes:  # longest path from the top; bounded, so a loop in the data cannot hang
        for role, boss in lines:
            depth[role] = max(depth[role], min(depth[boss] + 1, len(nodes)))
    levels = sorted(set(depth.values()))
    layers: list[list[str]] = [[n for n in nodes if depth[n] == level] for level in levels]
    x_of = {node: float(i) for i, node in enumerate(layers[0])}
    for layer in layers[1:]:
        def centre(node: str) -> float:
            xs = [x_of[b] for r, b in lines if r == node and b in x_of]
            return sum(xs) / len(xs) if xs else 0.0
        layer.sort(key=lambda node: (centre(node), nodes.index(node)))
        x_of.update({node: i - (len(layer) - 1) / 2 for i, node in enumerate(layer)})
    return layers


_Point = tuple[float, float]


def _edge_of_box(centre: _Point, towards: _Point, half_w: float, half_h: float) -> _Point:
    """Where the straight line from a box's centre towards a point leaves the box."""
    dx, dy = towards[0] - centre[0], towards[1] - centre[1]
    scale = min(half_w / abs(dx) if dx else float("inf"), half_h / abs(dy) if dy else float("inf"))
    return centre[0] + dx * scale, centre[1] + dy * scale


def _bend(start: _Point, end: _Point, obstacles: list[tuple[float, float, float, float]]) -> float:
    """The smallest curvature (matplotlib's arc3 ``rad``) that keeps a line clear of other boxes."""
    (x1, y1), (x2, y2) = start, end
    for rad in (0.0, 0.2, -0.2, 0.35, -0.35, 0.5, -0.5):
        cx, cy = (x1 + x2) / 2 + rad * (y2 - y1), (y1 + y2) / 2 - rad * (x2 - x1)
        points = [((1 - t) ** 2 * x1 + 2 * (1 - t) * t * cx + t * t * x2,
                   (1 - t) ** 2 * y1 + 2 * (1 - t) * t * cy + t * t * y2) for t in (i / 24 for i in range(1, 24))]
        if not any(left <= x <= right and bottom <= y <= top
                   for x, y in points for left, bottom, right, top in obstacles):
            return rad
    return 0.0


@_styled
def reporting_chart(data: CourseData | None = None, ciso_reports_to: str | None = None, *,
                    highlight: tuple[str, str] | None = None, roles: Sequence[str] | None = None) -> Figure:
    """An organisation chart of every role in reporting_lines.csv: typical lines solid, possible dashed.

    Bosses sit above the roles that report to them. ``ciso_reports_to="CTO"`` (or
    ``highlight=("CISO", "CTO")`` for any line) picks one line out; ``roles`` keeps only the
    lines that involve those roles.

    >>> fig = reporting_chart(ciso_reports_to="CTO")
    >>> len([p for p in fig.axes[0].patches if (p.get_gid() or "").startswith("line:")])
    5
    >>> fig.alt_text.split(". ")[-1]
    'Highlighted: CISO reports to CTO.'
    """
    data = _course(data)
    title, question = _dimension_text(data, "reporting")
    table = _plain(data.reporting_lines)
    if ciso_reports_to is not None:
        highlight = ("CISO", ciso_reports_to)
    if highlight is not None:
        bosses = table.loc[table["role_id"] == highlight[0], "reports_to"].tolist()
        if highlight[1] not in bosses:
            raise ValueError(f"the data has no line from {highlight[0]} to {highlight[1]}; "
                             f"{highlight[0]} may report to: {', '.join(bosses) or 'none'}")
    if roles is not None:
        for role in roles:
            data.role_title(role)
        table = table[table["role_id"].isin(roles) | table["reports_to"].isin(roles)]
    if table.empty:
        return _message_figure(title, f"The data lists no reporting line for {_names(list(roles or []))}.")
    present = set(table["role_id"]) | set(table["reports_to"])
    nodes = [role for role in _role_order(data) if role in present]
    layers = _layers(nodes, list(zip(table["role_id"], table["reports_to"])))
    step_x, step_y, box_w, box_h = 2.8, 2.1, 2.3, 1.1
    where = {node: ((i - (len(layer) - 1) / 2) * step_x, -depth * step_y)
             for depth, layer in enumerate(layers) for i, node in enumerate(layer)}
    chart_w = (max(len(layer) for layer in layers) - 1) * step_x + box_w + 0.6
    chart_h = (len(layers) - 1) * step_y + box_h + 0.4
    kinds = _categories(data.reporting_lines, "typicality")
    dashes = dict(zip(kinds, ["-", "--", ":", "-."]))
    keys = [_key("line", f"{kind} reporting line", color=_INK, linewidth=2.2, linestyle=dashes[kind])
            for kind in kinds if kind in set(table["typicality"])]
    if highlight is not None:
        keys.append(_key("line", f"selected: {highlight[0]} reports to {highlight[1]}", color=_INK, linewidth=4.5))
    legend_title = "an arrow points from a role to the role it reports to"
    width = max(chart_w + 0.6, _title_width(title, question), text_size(legend_title, 11)[0] + 0.8)
    fig = _sheet(width, _HEADER + chart_h + 0.15 + _legend_height(keys, width, legend_title), title, question)
    ax = _plot_axes(fig, (width - chart_w) / 2, _HEADER, chart_w, chart_h)
    ax.set_xlim(-chart_w / 2, chart_w / 2)
    ax.set_ylim(-(len(layers) - 1) * step_y - box_h / 2 - 0.2, box_h / 2 + 0.2)
    picked = set(highlight or ())
    for node, (x, y) in where.items():
        colour = role_style(node, data).colour
        ax.add_artist(FancyBboxPatch((x - box_w / 2, y - box_h / 2), box_w, box_h,
                                    boxstyle="round,pad=0,rounding_size=0.15", facecolor=_tint(colour),
                                    edgecolor=_INK if node in picked else _stroke(colour),
                                    linewidth=4 if node in picked else 2.5, zorder=3, gid=f"node:{node}"))
        ax.text(x, y + 0.24, node, ha="center", va="center", fontsize=14, fontweight="bold", zorder=4,
                gid="node-label")
        ax.text(x, y - 0.19, textwrap.fill(data.role_title(node), 20), ha="center", va="center", fontsize=11,
                zorder=4, linespacing=1.0)
    margin = 0.12
    for line in table.itertuples():
        selected = highlight == (line.role_id, line.reports_to)
        colour = _stroke(role_style(line.role_id, data).colour) if highlight is None else "#8a8a8a"
        colour = _INK if selected else colour
        start = _edge_of_box(where[line.role_id], where[line.reports_to], box_w / 2 + 0.04, box_h / 2 + 0.04)
        end = _edge_of_box(where[line.reports_to], where[line.role_id], box_w / 2 + 0.04, box_h / 2 + 0.04)
        others = [(x - box_w / 2 - margin, y - box_h / 2 - margin, x + box_w / 2 + margin, y + box_h / 2 + margin)
                  for node, (x, y) in where.items() if node not in (line.role_id, line.reports_to)]
        ax.add_artist(FancyArrowPatch(
            start, end, arrowstyle="-|>", mutation_scale=20, shrinkA=0, shrinkB=0, color=colour,
            linewidth=4.5 if selected else 2.2, linestyle=dashes.get(line.typicality, "--"),
            connectionstyle=f"arc3,rad={_bend(start, end, others)}", zorder=5 if selected else 2,
            gid=f"line:{line.line_id}"))
    _draw_legend(fig, keys, _HEADER + chart_h + 0.15, legend_title)
    alt = f"Organisation chart of {_names([node for layer in layers for node in layer])}."
    for kind in kinds:
        subset = table[table["typicality"] == kind]
        if not subset.empty:
            style = "solid" if dashes.get(kind) == "-" else "dashed"
            alt += (f" {kind.capitalize()} lines ({style}): "
                    + ", ".join(f"{r} to {b}" for r, b in zip(subset["role_id"], subset["reports_to"])) + ".")
    if highlight is not None:
        alt += f" Highlighted: {highlight[0]} reports to {highlight[1]}."
    return _finish(fig, alt)


# --------------------------------------------------------------------------- overview


@dataclass(frozen=True)
class _Segment:
    label: str
    kind: str  # "solid", "hatched", "dashed" or a grey shade "#rrggbb"
    counts: dict[str, int]
    left: bool = False  # drawn to the left of the centre line (diverging panels)


def _rows(frame: "pd.DataFrame", *columns: str) -> list[tuple[str, ...]]:
    """The given columns of a table as plain string tuples, one per row."""
    return list(zip(*(frame[column].astype(str).tolist() for column in columns)))


def _count(rows: Iterable[tuple[str, ...]], roles: list[str], keep: Callable[..., bool]) -> dict[str, int]:
    """How many rows (role first, then other columns) each role has that ``keep`` accepts."""
    found = Counter(row[0] for row in rows if keep(*row[1:]))
    return {role: found[role] for role in roles}


def _overview_panels(data: CourseData, roles: list[str]) -> dict[str, tuple[list[_Segment], str]]:
    """For each difference: the counted segments of each role's bar, and what the bars count."""
    focus = _rows(data.focus, "role_id", "orientation", "centrality")
    orientations = _categories(data.focus, "orientation")
    centralities = _categories(data.focus, "centrality")
    panels: dict[str, tuple[list[_Segment], str]] = {"focus": (
        [_Segment(f"{orientation} {centrality}", "solid" if centrality == centralities[0] else "hatched",
                  _count(focus, roles, lambda o, c, o_=orientation, c_=centrality: (o, c) == (o_, c_)),
                  left=orientation == orientations[0])
         for orientation in orientations for centrality in centralities],
        f"goals:  \u2190 {orientations[0]}  |  {' or '.join(orientations[1:])} \u2192")}
    for name, column, plural, what in (("responsibilities", "area", "areas", "responsibilities listed"),
                                       ("education", "field", "fields", "degrees and backgrounds listed")):
        rows = _rows(getattr(data, name), "role_id", column)
        shared = {value for value, owners in _holders(rows, _role_order(data)).items() if len(owners) > 1}
        panels[name] = ([_Segment(f"in own {plural}", "solid", _count(rows, roles, lambda v: v not in shared)),
                         _Segment(f"in shared {plural}", "hatched", _count(rows, roles, lambda v: v in shared))],
                        what)
    links = _rows(data.role_certifications, "role_id", "weight")
    weights = _categories(data.role_certifications, "weight")
    panels["certifications"] = ([_Segment(weight, shade, _count(links, roles, lambda w, w_=weight: w == w_))
                                 for weight, shade in zip(weights, _shades(len(weights)))],
                                "certifications named")
    lines = _rows(data.reporting_lines, "role_id", "typicality")
    kinds = _categories(data.reporting_lines, "typicality")
    panels["reporting"] = ([_Segment(kind, "solid" if i == 0 else "dashed",
                                     _count(lines, roles, lambda k, k_=kind: k == k_))
                            for i, kind in enumerate(kinds)], "lines to a boss")
    return panels


def _segment_look(kind: str, colour: str) -> dict[str, Any]:
    if kind == "solid":
        return {"facecolor": colour, "edgecolor": _INK, "linewidth": 1.0}
    if kind == "hatched":
        return {"facecolor": "white", "edgecolor": _stroke(colour), "hatch": "///", "linewidth": 1.0}
    if kind == "dashed":
        return {"facecolor": "white", "edgecolor": _stroke(colour), "linestyle": "--", "linewidth": 1.8}
    return {"facecolor": kind, "edgecolor": _INK, "linewidth": 1.0}


@_styled
def overview_chart(data: CourseData | None = None, roles: Sequence[str] | None = None) -> Figure:
    """The five differences on one figure: one small panel per difference, counted from the data.

    Each role keeps its row across the panels, so a row reads as the role's profile.
    ``roles`` picks the roles to compare (default: the compared roles).

    >>> fig = overview_chart()
    >>> [t.get_text().replace("\\n", " ") for t in fig.texts if t.get_gid() == "panel-title"]
    ['Focus of the position', 'Responsibilities', 'Education and experience', 'Certifications', 'Reporting structure']
    """
    data = _course(data)
    chosen = _choose_roles(data, data.compared_roles, roles)
    differences = list(data.differences.itertuples())
    panels = _overview_panels(data, chosen)
    title = "The differences at a glance"
    subtitle = "Each number is counted from the course data"
    label_w = 0.45 + max(text_size(role, 12, True)[0] for role in chosen)
    panel_w, gap, row_h = 2.4, 0.3, 0.62
    legends = {d: list(dict.fromkeys(s.label.split(" ", 1)[1] if d == "focus" else s.label for s in segments))
               for d, (segments, _) in panels.items()}
    legend_h = 0.55 + 0.32 * max([len(legends.get(d.dimension_id, [])) for d in differences], default=0)
    width = max(label_w + len(differences) * (panel_w + gap), _title_width(title, subtitle))
    key_lines = [""]
    for entry in (f"{r}: {data.role_title(r)}" for r in chosen):
        joined = f"{key_lines[-1]}   {entry}" if key_lines[-1] else entry
        if key_lines[-1] and text_size(joined, 11)[0] > width - 0.4:
            key_lines.append(entry)
        else:
            key_lines[-1] = joined
    key = "\n".join(key_lines)
    top = _HEADER + 0.6
    height = top + len(chosen) * row_h + legend_h + text_size(key, 11)[1] + 0.3
    fig = _sheet(width, height, title, subtitle)
    ax = _plot_axes(fig, 0, 0, width, height)
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    row_y = [top + (i + 0.5) * row_h for i in range(len(chosen))]
    for i, (role, y) in enumerate(zip(chosen, row_y)):
        if i % 2 == 0:
            ax.add_artist(Rectangle((0.1, y - row_h / 2), width - 0.2, row_h, facecolor="#f4f4f4", lw=0, zorder=0))
        ax.text(label_w - 0.15, y, role, ha="right", va="center", fontweight="bold", gid="row-label")
    bottom = row_y[-1] + row_h / 2
    alt_parts = []
    for p, difference in enumerate(differences):
        x0 = label_w + p * (panel_w + gap)
        fig.text((x0 + panel_w / 2) / width, 1 - (_HEADER + 0.05) / height, textwrap.fill(str(difference.title), 20),
                 ha="center", va="top", fontsize=12, fontweight="bold", gid="panel-title")
        if p:
            ax.plot([x0 - gap / 2] * 2, [_HEADER, bottom + legend_h - 0.1], color=_RULE, lw=1)
        if difference.dimension_id not in panels:
            ax.text(x0 + panel_w / 2, (top + bottom) / 2, "no chart for\nthis difference", ha="center",
                    va="center", fontsize=11, color=_MUTED)
            continue
        segments, what = panels[difference.dimension_id]
        diverging = any(s.left for s in segments)
        reach = max(1, *(sum(s.counts[r] for s in segments if s.left == side)
                         for r in chosen for side in (True, False)))
        unit = (panel_w / 2 - 0.12 if diverging else panel_w - 0.2) / reach
        origin = x0 + panel_w / 2 if diverging else x0 + 0.05
        if diverging:
            ax.plot([origin] * 2, [top, bottom], color=_INK, lw=1)
        for role, y in zip(chosen, row_y):
            left = right = origin
            colour = role_style(role, data).colour
            for segment in segments:
                count = segment.counts[role]
                if not count:
                    continue
                start = left - count * unit if segment.left else right
                ax.add_artist(Rectangle((start, y - 0.2), count * unit, 0.4, zorder=2,
                                       gid=f"{difference.dimension_id}:{segment.label}:{role}",
                                       **_segment_look(segment.kind, colour)))
                ax.text(start + count * unit / 2, y, str(count), ha="center", va="center", fontsize=11, zorder=3,
                        bbox=_LABEL_BOX)
                if segment.left:
                    left = start
                else:
                    right += count * unit
            if left == right:
                ax.text(origin + 0.05, y, "none listed", va="center", fontsize=11, style="italic", color=_MUTED)
        ax.text(x0 + panel_w / 2, bottom + 0.3, what, ha="center", va="center", fontsize=11)
        kinds = {}
        for segment in segments:
            kinds.setdefault(segment.label.split(" ", 1)[1] if diverging else segment.label, segment.kind)
        for j, (name, kind) in enumerate(kinds.items()):
            y = bottom + 0.3 + 0.32 * (j + 1)
            ax.add_artist(Rectangle((x0 + 0.1, y - 0.09), 0.34, 0.18, **_segment_look(kind, _NEUTRAL)))
            ax.text(x0 + 0.56, y, name, va="center", fontsize=11, gid="legend")
        alt_parts.append(f"{difference.title}: " + "; ".join(
            f"{role} " + (", ".join(f"{s.counts[role]} {s.label}" for s in segments if s.counts[role]) or "none")
            for role in chosen))
    ax.text(0.15, height - 0.15, key, va="bottom", fontsize=11, color=_MUTED)
    return _finish(fig, f"The {len(differences)} differences at a glance for {_names(chosen)}, counted from the "
                        "data. " + ". ".join(alt_parts) + ".")


# --------------------------------------------------------------------------- the learner's score


@_styled
def score_chart(summary: "pd.DataFrame | None" = None, data: CourseData | None = None) -> Figure:
    """A learner's score per difference, from the progress summary by topic.

    ``summary`` is ``progress_summary(by="topic")`` (read from the learner's progress when
    not given): per topic the questions attempted, how many are correct, and the score (the
    sum of their scores, each 0 to 1) and, when present, how many were graded (reflections are
    not). A bar shows the score as a share of the graded questions answered. Topics beyond the
    five differences follow them. Without any attempt the figure says so in words.

    >>> import pandas as pd
    >>> summary = pd.DataFrame({"topic": ["focus"], "attempted": [4], "correct": [3], "score": [3.0]})
    >>> score_chart(summary).alt_text.split(";")[0]
    'Your score per difference: Focus of the position 75% (3 of 4 correct)'
    """
    data = _course(data)
    if summary is None:
        from rolelib.progress import progress_summary

        summary = progress_summary(by="topic")
    frame = summary.reset_index() if "topic" not in summary.columns and summary.index.name == "topic" else summary
    missing = [c for c in ("topic", "attempted", "correct", "score") if c not in frame.columns]
    if missing:
        raise ValueError(f"the progress summary lacks the column(s) {', '.join(missing)}; "
                         "pass progress_summary(by='topic')")
    title = "Your score per difference"
    frame = frame[frame["attempted"] > 0]
    if frame.empty:
        return _message_figure(title, "No answers recorded yet. Answer the exercises in the lessons, "
                                      "then draw this chart again.")
    counted = "graded" if "graded" in frame.columns else "attempted"
    if ((frame["score"] < 0) | (frame["score"] > frame[counted])).any():
        raise ValueError(f"the progress summary's score must lie between 0 and the number of questions {counted}")
    rows = frame.set_index(frame["topic"].astype(str))
    differences = list(data.differences["dimension_id"])
    topics = differences + [t for t in rows.index if t not in differences]
    titles = dict(zip(data.dimensions["dimension_id"], data.dimensions["title"].astype(str)))
    titles.update({lesson.topic: lesson.title for lesson in LESSONS if lesson.topic not in titles})
    labels = [titles.get(topic, topic) for topic in topics]
    subtitle = "your score as a share of the questions you answered, per topic"
    left = 0.3 + max(text_size(label, 12)[0] for label in labels) + 0.2
    bar_w, row_h = 6.0, 0.5
    width = max(left + bar_w + 0.4, _title_width(title, subtitle))
    fig = _sheet(width, _HEADER + 0.1 + len(topics) * row_h + 0.3, title, subtitle)
    left += (width - left - bar_w - 0.4) / 2
    ax = _plot_axes(fig, left, _HEADER + 0.1, bar_w, len(topics) * row_h)
    ax.set_xlim(0, 100)
    ax.set_ylim(len(topics) - 0.5, -0.5)
    beside = _shifted(fig, ax, x=-0.15)
    parts = []
    for y, (topic, label) in enumerate(zip(topics, labels)):
        ax.text(0, y, label, ha="right", va="center", transform=beside, gid="row-label")
        ax.add_artist(Rectangle((0, y - 0.32), 100, 0.64, facecolor=_BAND, lw=0, zorder=1))
        if topic not in rows.index:
            ax.text(2, y, "not attempted yet", va="center", fontsize=11, style="italic", color=_MUTED, zorder=3)
            parts.append(f"{label} not attempted yet")
            continue
        row = rows.loc[topic]
        if int(row[counted]) == 0:
            ax.text(2, y, "reflection saved; nothing graded yet", va="center", fontsize=11, style="italic",
                    color=_MUTED, zorder=3)
            parts.append(f"{label} reflection saved, nothing graded yet")
            continue
        percent = float(row["score"]) / int(row[counted]) * 100
        ax.add_artist(Rectangle((0, y - 0.32), percent, 0.64, facecolor=_BAR, lw=0, zorder=2,
                                gid=f"score:{topic}"))
        text = f"{percent:.0f}% ({int(row['correct'])} of {int(row[counted])} correct)"
        ax.text(min(percent, 58) + 2, y, text, va="center", fontsize=11, zorder=3, bbox=_LABEL_BOX, gid="score")
        parts.append(f"{label} {text}")
    return _finish(fig, f"{title}: " + "; ".join(parts) + ".")


@_styled
def _percent_bars(labels: Sequence[str], values: Sequence[float], notes: Sequence[str], title: str,
                  subtitle: str, alt_text: str, empty: str) -> Figure:
    """Horizontal bars from 0 to 100 %, the first label at the top, each bar labelled with its value.

    The class report's charts, drawn like the score chart: a title and subtitle, a light band
    for the whole scale, no axis. The sheet is 10 inches wide, or wider when long labels would
    leave the bars less than 6 inches. The labels are texts with the gid "bar label". The bands
    and the bars are one collection each (not a patch per bar): many questions draw faster.
    ``empty`` is said in words when there are no labels.
    """
    from matplotlib.collections import PolyCollection

    def width_of(text: str, size: float) -> float:  # rendered glyphs come out up to 2 % wider
        return 1.03 * text_size(text, size)[0]

    row, gap, right = 0.34, 0.15, 0.35
    left = 0.3 + max((width_of(label, 12) for label in labels), default=0.0) + gap
    width = max(10.0, left + 6.0 + right, _title_width(title, subtitle))
    bars = width - left - right
    fig = _sheet(width, _HEADER + 0.1 + row * max(len(labels), 1) + 0.25, title, subtitle)
    ax = _plot_axes(fig, left, _HEADER + 0.1, bars, row * max(len(labels), 1))
    if not labels:
        ax.text(0, 0.5, empty, va="center", fontsize=12, style="italic", color=_MUTED, transform=ax.transAxes)
        return _finish(fig, alt_text)
    ax.set_xlim(0, 100)
    ax.set_ylim(len(labels) - 0.5, -0.5)

    def boxes(ends: Sequence[float]) -> list[list[tuple[float, float]]]:
        return [[(0, y - 0.33), (end, y - 0.33), (end, y + 0.33), (0, y + 0.33)] for y, end in enumerate(ends)]

    ax.add_collection(PolyCollection(boxes([100] * len(values)), facecolors=_BAND, linewidths=0, zorder=1),
                      autolim=False)
    ax.add_collection(PolyCollection(boxes(values), facecolors=_BAR, linewidths=0, zorder=2), autolim=False)
    beside = _shifted(fig, ax, x=-gap)
    for y, (label, value, note) in enumerate(zip(labels, values, notes)):
        ax.text(0, y, label, ha="right", va="center_baseline", transform=beside, gid="bar label")
        text = f"{value:.0f}% {note}"
        # A long bar holds its label in white; a short one has it just after its end, if it fits there.
        inside = value > 75 or width_of(text, 11) > (99 - value) / 100 * bars
        ax.text(value - 1 if inside else value + 1, y, text, va="center", fontsize=11, zorder=3,
                ha="right" if inside else "left", color="white" if inside else _INK)
    return _finish(fig, alt_text)


# --------------------------------------------------------------------------- display


@dataclass(frozen=True, repr=False)
class RenderedChart:
    """A rendered chart: PNG bytes and the alt text, displayable as one notebook output."""

    png: bytes
    alt: str

    def html(self) -> str:
        """A <figure> with the PNG inline, its alt text, and the same text as a visible caption."""
        alt = html.escape(self.alt, quote=True)
        source = base64.b64encode(self.png).decode("ascii")
        return (f'<figure class="rolelib-chart" style="margin:0">'
                f'<img src="data:image/png;base64,{source}" alt="{alt}" style="max-width:100%;height:auto">'
                f"<figcaption>{alt}</figcaption></figure>")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": self.html(), "image/png": base64.b64encode(self.png).decode("ascii"),
                "text/plain": self.alt}

    def __repr__(self) -> str:
        return self.alt


def render(fig: Figure) -> RenderedChart:
    """Render a figure to PNG (same bytes on every run) and close it."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(buffer, format="png", dpi=_DPI, metadata={"Software": None}, facecolor="white",
                    pil_kwargs={"compress_level": 3})
    image = RenderedChart(buffer.getvalue(), str(getattr(fig, "alt_text", "")))
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:  # a figure made with pyplot is registered there until closed
        pyplot.close(fig)
    return image


_CHARTS: dict[str, Callable[..., Figure]] = {
    "focus": focus_chart,
    "responsibilities": responsibilities_chart,
    "education": education_chart,
    "certifications": certifications_chart,
    "reporting": reporting_chart,
    "overview": overview_chart,
    "score": score_chart,
}
#: The names of the charts :func:`show` and :func:`rendered` draw.
CHART_NAMES: tuple[str, ...] = tuple(_CHARTS)

_KEPT: OrderedDict[tuple, tuple[CourseData, RenderedChart]] = OrderedDict()
_KEPT_LOCK = threading.Lock()
_KEEP = 24  # rendered charts kept: about 2 MB of PNG


def rendered(name: str, /, **options: Any) -> RenderedChart:
    """A chart drawn by name and rendered to PNG, kept for the same data and options.

    The same chart asked for again is not drawn again: a lesson's chart and an explorer that
    opens on the same view, or an explorer switched back to an earlier choice. A changed data
    folder loads as a new CourseData, whose charts are drawn anew. The score chart reads the
    saved progress, which changes with every answer, so it is always drawn.

    >>> rendered("reporting", ciso_reports_to="CTO") is rendered("reporting", ciso_reports_to="CTO")
    True
    """
    function = _chart(name)
    if name == "score":
        return render(function(**options))
    arguments = inspect.signature(function).bind(**options)
    arguments.apply_defaults()
    chosen = dict(arguments.arguments)
    data = _course(chosen.pop("data"))
    key = (name, id(data), tuple((option, tuple(value) if isinstance(value, (list, tuple)) else value)
                                 for option, value in chosen.items()))
    with _KEPT_LOCK:
        kept = _KEPT.get(key)
        if kept is not None and kept[0] is data:
            _KEPT.move_to_end(key)
            return kept[1]
    image = render(function(data, **chosen))
    with _KEPT_LOCK:
        _KEPT[key] = (data, image)
        while len(_KEPT) > _KEEP:
            _KEPT.popitem(last=False)
    return image


def _chart(name: str) -> Callable[..., Figure]:
    if name not in _CHARTS:
        raise ValueError(f"no chart named {name!r}; choose one of: {', '.join(_CHARTS)}")
    return _CHARTS[name]


def show(chart: Figure | str, /, **options: Any) -> None:
    """Display a chart in the notebook as one output (PNG, alt text, caption), then close it.

    ``chart`` is a figure, or the name of a chart to draw first: focus, responsibilities,
    education, certifications, reporting, overview or score; ``options`` go to that chart
    function (for example ``data=``, ``roles=`` or ``ciso_reports_to=``). Outside a notebook
    the alt text is printed.

    >>> show("reporting", ciso_reports_to="CEO")  # doctest: +ELLIPSIS
    Organisation chart of CEO, COO, CTO, CIO and CISO. ... Highlighted: CISO reports to CEO.
    """
    from IPython.display import display

    if isinstance(chart, str):
        display(rendered(chart, **options))
        return
    if options:
        raise TypeError("options are only for a chart given by name, "
                        "for example show('reporting', ciso_reports_to='CTO')")
    display(render(chart))
