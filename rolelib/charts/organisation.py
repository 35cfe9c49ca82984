"""The reporting chart: an organisation chart of the roles with their reporting lines."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from rolelib._deprecated import keyword_only
from rolelib._errors import UnknownNameError
from rolelib._types import DataSource
from rolelib.charts.layout import (HEADER, draw_legend, finish, key, legend_height, message_figure, plot_axes, sheet,
                                   text_size, title_width, wrapped)
from rolelib.charts.selection import categories, difference_text, names, plain, role_order
from rolelib.charts.style import INK, role_style, stroke, styled, tint
from rolelib.data import course_data


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


_Box = tuple[float, float, float, float]  # left, bottom, right, top


def _bend(start: _Point, end: _Point, obstacles: list[_Box], area: _Box) -> tuple[float, bool]:
    """The smallest curvature (matplotlib's arc3 ``rad``) that keeps a line clear of the other boxes and
    inside the chart's ``area``, and whether one does; if none does, the curvature that crosses boxes least
    without leaving the area.

    >>> _bend((0, 0), (0, 4), [(-0.5, 1.5, 0.5, 2.5)], (-9, -1, 9, 5))
    (0.35, True)
    >>> _bend((0, 0), (0, 4), [(-9, 1.5, 9, 2.5)], (-9, -1, 9, 5))
    (0.0, False)
    """
    (x1, y1), (x2, y2) = start, end
    crossings = {}
    for rad in (0.0, 0.2, -0.2, 0.35, -0.35, 0.5, -0.5, 0.65, -0.65, 0.8, -0.8):
        cx, cy = (x1 + x2) / 2 + rad * (y2 - y1), (y1 + y2) / 2 - rad * (x2 - x1)
        points = [((1 - t) ** 2 * x1 + 2 * (1 - t) * t * cx + t * t * x2,
                   (1 - t) ** 2 * y1 + 2 * (1 - t) * t * cy + t * t * y2) for t in (i / 24 for i in range(1, 24))]
        outside = sum(not (area[0] <= x <= area[2] and area[1] <= y <= area[3]) for x, y in points)
        crossings[rad] = 1000 * outside + sum(left <= x <= right and bottom <= y <= top
                                              for x, y in points for left, bottom, right, top in obstacles)
        if not crossings[rad]:
            return rad, True
    return min(crossings, key=crossings.get), False


@keyword_only("data", "ciso_reports_to")
@styled
def reporting_chart(*, data: DataSource = None, ciso_reports_to: str | None = None,
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
    # Long because checking the highlight, placing the boxes in layers and routing each line around
    # the other boxes share the same positions; the geometry itself is in _layers, _edge_of_box and
    # _bend.
    data = course_data(data)
    title, question = difference_text(data, "reporting")
    table = plain(data.reporting_lines)
    if ciso_reports_to is not None:
        highlight = ("CISO", ciso_reports_to)
    if highlight is not None:
        bosses = table.loc[table["role_id"] == highlight[0], "reports_to"].tolist()
        if highlight[1] not in bosses:
            raise UnknownNameError(f"reporting line from the {highlight[0]} to", highlight[1], bosses,
                                   plural=f"roles the {highlight[0]} may report to")
    if roles is not None:
        for role in roles:
            data.role_title(role)
        table = table[table["role_id"].isin(roles) | table["reports_to"].isin(roles)]
    if table.empty:
        return message_figure(title, f"The data lists no reporting line for {names(list(roles or []))}.")
    present = set(table["role_id"]) | set(table["reports_to"])
    nodes = [role for role in role_order(data) if role in present]
    layers = _layers(nodes, list(zip(table["role_id"], table["reports_to"])))
    # Every box has room for the longest title; a title of more than two lines makes every box taller.
    titles = {node: wrapped(data.role_title(node), 20) for node in nodes}
    title_lines = max(2, *(title.count("\n") + 1 for title in titles.values()))
    box_w = max(2.3, *(max(text_size(titles[node], 11)[0], text_size(node, 14, True)[0]) + 0.4 for node in nodes))
    box_h = 1.1 + (title_lines - 2) * 11 / 72
    step_x, step_y = box_w + 0.5, box_h + 1.0
    where = {node: ((i - (len(layer) - 1) / 2) * step_x, -depth * step_y)
             for depth, layer in enumerate(layers) for i, node in enumerate(layer)}
    chart_w = (max(len(layer) for layer in layers) - 1) * step_x + box_w + 0.6
    chart_h = (len(layers) - 1) * step_y + box_h + 0.4
    kinds = categories(data.reporting_lines, "typicality")
    dashes = dict(zip(kinds, ["-", "--", ":", "-."]))
    keys = [key("line", f"{kind} reporting line", color=INK, linewidth=2.2, linestyle=dashes[kind])
            for kind in kinds if kind in set(table["typicality"])]
    if highlight is not None:
        keys.append(key("line", f"selected: {highlight[0]} reports to {highlight[1]}", color=INK, linewidth=4.5))
    legend_title = "an arrow points from a role to the role it reports to"
    width = max(chart_w + 0.6, title_width(title, question), text_size(legend_title, 11)[0] + 0.8)
    fig = sheet(width, HEADER + chart_h + 0.15 + legend_height(keys, width, legend_title), title, question)
    ax = plot_axes(fig, (width - chart_w) / 2, HEADER, chart_w, chart_h)
    ax.set_xlim(-chart_w / 2, chart_w / 2)
    ax.set_ylim(-(len(layers) - 1) * step_y - box_h / 2 - 0.2, box_h / 2 + 0.2)
    picked = set(highlight or ())
    for node, (x, y) in where.items():
        colour = role_style(node, data=data).colour
        ax.add_artist(FancyBboxPatch((x - box_w / 2, y - box_h / 2), box_w, box_h,
                                    boxstyle="round,pad=0,rounding_size=0.15", facecolor=tint(colour),
                                    edgecolor=INK if node in picked else stroke(colour),
                                    linewidth=4 if node in picked else 2.5, zorder=3, gid=f"node:{node}"))
        ax.text(x, y + box_h / 2 - 0.31, node, ha="center", va="center", fontsize=14, fontweight="bold", zorder=4,
                gid="node-label")
        lines_short = title_lines - titles[node].count("\n") - 1  # a shorter title hangs under the id too
        ax.text(x, y - 0.19 + lines_short * 11 / 144, titles[node], ha="center", va="center", fontsize=11, zorder=4,
                linespacing=1.0)
    margin = 0.12
    (left, right), (bottom, top) = ax.get_xlim(), ax.get_ylim()
    area = (left, bottom, right, top)
    for line in table.itertuples():
        selected = highlight == (line.role_id, line.reports_to)
        colour = stroke(role_style(line.role_id, data=data).colour) if highlight is None else "#8a8a8a"
        colour = INK if selected else colour
        start = _edge_of_box(where[line.role_id], where[line.reports_to], box_w / 2 + 0.04, box_h / 2 + 0.04)
        end = _edge_of_box(where[line.reports_to], where[line.role_id], box_w / 2 + 0.04, box_h / 2 + 0.04)
        others = [(x - box_w / 2 - margin, y - box_h / 2 - margin, x + box_w / 2 + margin, y + box_h / 2 + margin)
                  for node, (x, y) in where.items() if node not in (line.role_id, line.reports_to)]
        rad, clear = _bend(start, end, others, area)
        # A line that cannot go round another box is drawn over it (under its text): hidden behind it, it
        # would seem to end there.
        ax.add_artist(FancyArrowPatch(
            start, end, arrowstyle="-|>", mutation_scale=20, shrinkA=0, shrinkB=0, color=colour,
            linewidth=4.5 if selected else 2.2, linestyle=dashes.get(line.typicality, "--"),
            connectionstyle=f"arc3,rad={rad}", zorder=5 if selected else 2 if clear else 3.5,
            gid=f"line:{line.line_id}"))
    draw_legend(fig, keys, HEADER + chart_h + 0.15, legend_title)
    alt = f"Organisation chart of {names([node for layer in layers for node in layer])}."
    for kind in kinds:
        subset = table[table["typicality"] == kind]
        if not subset.empty:
            style = "solid" if dashes.get(kind) == "-" else "dashed"
            alt += (f" {kind.capitalize()} lines ({style}): "
                    + ", ".join(f"{r} to {b}" for r, b in zip(subset["role_id"], subset["reports_to"])) + ".")
    if highlight is not None:
        alt += f" Highlighted: {highlight[0]} reports to {highlight[1]}."
    return finish(fig, alt)
