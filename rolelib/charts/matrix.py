"""The charts of the facts per role: focus, education (dot matrices), responsibilities (bars), certifications (a grid)."""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from rolelib._errors import UnknownNameError
from rolelib._deprecated import keyword_only
from rolelib._types import DataSource
from rolelib.charts.layout import (HEADER, ROW, Key, draw_legend, finish, key, legend_height, message_figure,
                                   plot_axes, role_keys, sheet, shifted, text_size, title_width, wrapped)
from rolelib.charts.selection import (categories, choose_roles, difference_text, holders, names, plain, role_order,
                                      rows_of)
from rolelib.charts.style import BAND, INK, LABEL_BOX, MUTED, NEUTRAL, RULE, role_style, shades, styled, text_colour
from rolelib.data import CourseData, course_data

if TYPE_CHECKING:
    from matplotlib.axes import Axes


@dataclass(frozen=True)
class _Dot:
    section: str
    row: str
    role: str
    filled: bool
    label: str
    gid: str


def _dot_matrix(data: CourseData, title: str, subtitle: str, roles: list[str],
                sections: list[tuple[str, list[str]]], dots: list[_Dot], keys: list[Key],
                legend_title: str = "", shared: dict[str, list[str]] | None = None) -> Figure:
    """Roles as columns and rows grouped under section headings; a marker (and a word) per cell.

    Rows whose label appears in ``shared`` are linked across columns and labelled with the
    roles that share them.
    """
    # Long because the sizes measured first (labels, titles, legend) place everything drawn after;
    # split, the parts would pass a dozen measures between them.
    shared = shared or {}
    row_labels = [row for _, rows in sections for row in rows]
    titles = {role: wrapped(data.role_title(role), 18) for role in roles}
    title_lines = max(t.count("\n") + 1 for t in titles.values())
    col_w = max(2.0, *(max(text_size(role, 13, True)[0], text_size(titles[role], 11)[0]) + 0.4 for role in roles))
    shared_labels = {row: "shared: " + ", ".join(shared[row]) for row in row_labels if len(shared.get(row, [])) > 1}
    shared_w = max([text_size(text, 11, True)[0] + 0.4 for text in shared_labels.values()], default=0.0)
    left = 0.3 + max(text_size(row, 12)[0] for row in row_labels) + 0.2
    n_rows = len(row_labels) + len(sections)
    head_h = 0.5 + 0.19 * title_lines
    content_w = left + len(roles) * col_w + shared_w + 0.3
    width = max(content_w, title_width(title, subtitle))
    legend_h = legend_height(keys, width, legend_title)
    fig = sheet(width, HEADER + head_h + n_rows * ROW + 0.2 + legend_h, title, subtitle)
    left += (width - content_w) / 2
    ax = plot_axes(fig, left, HEADER + head_h, len(roles) * col_w, n_rows * ROW)
    ax.set_xlim(-0.5, len(roles) - 0.5)
    ax.set_ylim(n_rows - 0.5, -0.5)
    beside, after = shifted(fig, ax, x=-0.15), shifted(fig, ax, x=0.15)
    cell_label = shifted(fig, ax, x=0.24)
    band_w = len(roles) + shared_w / col_w
    y = 0
    position: dict[tuple[str, str], int] = {}
    for heading, rows in sections:
        ax.add_artist(Rectangle((-0.5, y - 0.5), band_w, 1, facecolor=BAND, lw=0, zorder=0, clip_on=False))
        ax.text(-0.45, y, heading, fontweight="bold", va="center", ha="left")
        y += 1
        for row in rows:
            position[(heading, row)] = y
            ax.text(-0.5, y, row, ha="right", va="center", transform=beside, gid="row-label")
            y += 1
    for index, role in enumerate(roles):
        _column_heading(fig, ax, index, role, titles[role], title_lines)
        if index:
            ax.plot([index - 0.5] * 2, [-0.5, n_rows - 0.5], color=RULE, lw=1, zorder=0)
        if not any(dot.role == role for dot in dots):
            ax.text(index, (n_rows - 1) / 2, "none listed", ha="center", va="center", fontsize=11,
                    style="italic", color=MUTED)
    columns = {role: index for index, role in enumerate(roles)}
    in_row: dict[int, list[float]] = {}
    for dot in dots:
        x, row_y = columns[dot.role] - 0.3, position[(dot.section, dot.row)]
        style = role_style(dot.role, data=data)
        ax.plot([x], [row_y], linestyle="none", marker=style.marker, markersize=15, zorder=4, gid=dot.gid,
                markerfacecolor=style.colour if dot.filled else "white", markeredgecolor=INK,
                markeredgewidth=1.0 if dot.filled else 2.0)
        if dot.label:
            ax.text(x, row_y, dot.label, va="center", fontsize=11, zorder=5, bbox=LABEL_BOX, transform=cell_label)
        in_row.setdefault(row_y, []).append(x)
    for (section, row), row_y in position.items():
        if row not in shared_labels:
            continue
        xs = in_row.get(row_y, [])
        if len(xs) > 1:
            ax.plot([min(xs), max(xs)], [row_y, row_y], color=NEUTRAL, lw=4, zorder=2,
                    solid_capstyle="round", gid=f"shared-link:{section}:{row}")
        ax.text(len(roles) - 0.5, row_y, shared_labels[row], va="center", fontsize=11, fontweight="bold",
                transform=after, gid=f"shared-label:{section}:{row}")
    draw_legend(fig, keys, HEADER + head_h + n_rows * ROW + 0.2, legend_title)
    return fig


def _column_heading(fig: Figure, ax: Axes, x: float, name: str, title: str, title_lines: int) -> None:
    """A column's heading above the plot: its id in bold over its wrapped title (``title_lines`` lines at most)."""
    ax.text(x, -0.5, title, ha="center", va="bottom", fontsize=11, linespacing=1.05,
            transform=shifted(fig, ax, y=0.08))
    ax.text(x, -0.5, name, ha="center", va="bottom", fontsize=13, fontweight="bold", gid="column-label",
            transform=shifted(fig, ax, y=0.14 + 0.19 * title_lines))


@keyword_only("data", "roles")
@styled
def focus_chart(*, data: DataSource = None, roles: Sequence[str] | None = None) -> Figure:
    """What each role is there to achieve: goals grouped into enable and protect, core goals filled.

    ``roles`` limits the chart to some roles (default: every role with a row in focus.csv).

    >>> fig = focus_chart()
    >>> len([line for line in fig.axes[0].lines if (line.get_gid() or "").startswith("focus:")])
    13
    """
    data = course_data(data)
    title, question = difference_text(data, "focus")
    table = plain(data.focus)
    chosen = choose_roles(data, table["role_id"], roles)
    table = table[table["role_id"].isin(chosen)]
    if table.empty:
        return message_figure(title, f"The data lists no focus for {names(chosen)}.")
    orientations = categories(data.focus, "orientation")
    core, *others = categories(data.focus, "centrality")
    sections = []
    for orientation in orientations:
        goals = set(table.loc[table["orientation"] == orientation, "goal"])
        rows = [goal for goal in categories(data.focus, "goal") if goal in goals]
        if rows:
            sections.append((orientation.upper(), rows))
    dots = [_Dot(row.orientation.upper(), row.goal, row.role_id, row.centrality == core,
                 "" if row.centrality == core else row.centrality, f"focus:{row.focus_id}")
            for row in table.itertuples()]
    keys = [key("marker", f"filled: a {core} goal of the role", marker="o", markersize=12,
                 markerfacecolor=NEUTRAL, markeredgecolor=INK),
            key("marker", f"hollow and labelled: a {' or '.join(others)} goal", marker="o", markersize=12,
                 markerfacecolor="white", markeredgecolor=INK, markeredgewidth=2.0)]
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
    return finish(fig, f"{title}, side by side for {names(chosen)}. " + ". ".join(parts) + ".")


@keyword_only("data", "roles", "areas")
@styled
def responsibilities_chart(*, data: DataSource = None, roles: Sequence[str] | None = None,
                           areas: Sequence[str] | None = None) -> Figure:
    """Each role's responsibilities counted by area, stacked per area; shared areas are labelled.

    An area is shared when more than one role in the data has a responsibility in it.
    ``roles`` and ``areas`` filter what is drawn (the sharing is still counted over all roles).

    >>> fig = responsibilities_chart()
    >>> int(sum(bar.get_width() for bar in fig.axes[0].patches if (bar.get_gid() or "").startswith("bar:")))
    27
    """
    # Long because the layout in inches is one sequence of measured sizes (labels, bars, shared
    # labels, legend) read best in one place; the alt text is built at the end from the same counts.
    data = course_data(data)
    title, question = difference_text(data, "responsibilities")
    full = rows_of(data.responsibilities, "role_id", "area")
    order = role_order(data)
    owners_of = holders(full, order)
    chosen = choose_roles(data, (role for role, _ in full), roles)
    known_areas = categories(data.responsibilities, "area")
    for area in areas or ():
        if area not in known_areas:
            raise UnknownNameError("area", area, known_areas)
    table = [(role, area) for role, area in full if role in chosen and (areas is None or area in areas)]
    if not table:
        where = f" in {names(list(areas))}" if areas else ""
        return message_figure(title, f"The data lists no responsibility of {names(chosen)}{where}.")
    counts = Counter((area, role) for role, area in table)
    totals = Counter(area for _, area in table)

    def rank(area: str) -> tuple:
        owners = owners_of[area]
        if len(owners) > 1:
            return (0, -len(owners), -totals[area], known_areas.index(area))
        return (1, order.index(owners[0]), -totals[area], known_areas.index(area))

    rows = sorted(totals, key=rank)
    shared_labels = {area: "shared: " + ", ".join(owners_of[area]) for area in rows if len(owners_of[area]) > 1}
    longest = max(totals.values())
    left = 0.3 + max(text_size(area, 12)[0] for area in rows) + 0.2
    bar_w, row_h = 5.0, 0.46
    shared_w = max([text_size(text, 11, True)[0] + 0.4 for text in shared_labels.values()], default=0.0)
    note = "number on a bar: duties of that role in that area, in the course's list (not every duty)"
    keys = role_keys(data, chosen)
    content_w = left + bar_w + shared_w + 0.3
    width = max(content_w, title_width(title, question), text_size(note, 11)[0] + 0.8)
    plot_h = len(rows) * row_h
    fig = sheet(width, HEADER + 0.1 + plot_h + 0.55 + legend_height(keys, width), title, question)
    left += (width - content_w) / 2
    ax = plot_axes(fig, left, HEADER + 0.1, bar_w, plot_h)
    ax.set_xlim(0, longest)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    unit = bar_w / longest
    if shared_labels:
        ax.add_artist(Rectangle((-(left - 0.15) / unit, -0.5), (left - 0.15 + bar_w + shared_w) / unit,
                               len(shared_labels), facecolor=BAND, lw=0, zorder=0, clip_on=False))
    beside, after = shifted(fig, ax, x=-0.15), shifted(fig, ax, x=0.15)
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
            style = role_style(role, data=data)
            ax.add_artist(Rectangle((start, y - 0.31), count, 0.62, facecolor=style.colour, hatch=style.hatch,
                                    edgecolor=INK, linewidth=0.8, zorder=2, gid=f"bar:{role}:{area}"))
            ax.text(start + count / 2, y, str(count), ha="center", va="center", fontsize=11, zorder=3,
                    bbox=LABEL_BOX)
            start += count
    inch = fig.dpi_scale_trans
    note_y = fig.get_size_inches()[1] - HEADER - 0.1 - plot_h - 0.28
    fig.text(left, note_y, note, transform=inch, va="center", fontsize=11, color=MUTED)
    draw_legend(fig, keys, HEADER + 0.1 + plot_h + 0.5)
    parts = [f"{role} {sum(1 for r, _ in table if r == role)} in {len({a for r, a in table if r == role})} areas"
             for role in chosen if any(r == role for r, _ in table)]
    alt = f"{title} by area for {names(chosen)}: " + ", ".join(parts) + "."
    if shared_labels:
        alt += " Areas held by more than one role: " + "; ".join(
            f"{area} ({', '.join(owners_of[area])})" for area in shared_labels) + "."
    else:
        alt += " No area shown is shared."
    return finish(fig, alt)


@keyword_only("data", "roles")
@styled
def education_chart(*, data: DataSource = None, roles: Sequence[str] | None = None) -> Figure:
    """Degree fields and backgrounds of each role, by level; fields held by several roles are linked.

    >>> fig = education_chart()
    >>> [t.get_text() for t in fig.axes[0].texts if (t.get_gid() or "").startswith("shared-label")]
    ['shared: CIO, CISO']
    """
    data = course_data(data)
    title, question = difference_text(data, "education")
    full = plain(data.education)
    owners_of = holders(zip(full["role_id"], full["field"]), role_order(data))
    shared = {field: owners for field, owners in owners_of.items() if len(owners) > 1}
    chosen = choose_roles(data, full["role_id"], roles)
    table = full[full["role_id"].isin(chosen)]
    if table.empty:
        return message_figure(title, f"The data lists no education for {names(chosen)}.")
    levels = categories(data.education, "level")
    sections = []
    for level in levels:
        fields = list(dict.fromkeys(table.loc[table["level"] == level, "field"]))
        if fields:
            sections.append((level.upper(), fields))
    dots = [_Dot(row.level.upper(), row.field, row.role_id, True, row.how_common, f"education:{row.education_id}")
            for row in table.itertuples()]
    shown_shared = {field: owners for field, owners in shared.items() if field in set(table["field"])}
    keys = [key("marker", role, marker=role_style(role, data=data).marker, markersize=12,
                 markerfacecolor=role_style(role, data=data).colour, markeredgecolor=INK) for role in chosen]
    if shown_shared:
        keys.append(key("line", "a field more than one role has", color=NEUTRAL, linewidth=4))
    fig = _dot_matrix(data, title, question, chosen, sections, dots, keys,
                      "the word beside a marker: how common; several fields marked 'usually' mean one of them", shown_shared)
    parts = []
    for role in chosen:
        rows = table[table["role_id"] == role]
        groups = [f"{level} in {', '.join(rows.loc[rows['level'] == level, 'field'])}"
                  for level in levels if (rows["level"] == level).any()]
        parts.append(f"{role}: " + ("; ".join(groups) if groups else "none listed"))
    alt = f"{title} of {names(chosen)}. " + ". ".join(parts) + "."
    if shown_shared:
        alt += " Shared: " + "; ".join(f"{field} ({', '.join(owners)})" for field, owners in shown_shared.items()) + "."
    return finish(fig, alt)


@keyword_only("data", "roles")
@styled
def certifications_chart(*, data: DataSource = None, roles: Sequence[str] | None = None) -> Figure:
    """A role x certification matrix; each named cell is shaded and labelled with its weight.

    >>> fig = certifications_chart()
    >>> sorted(t.get_text().replace("\\n", " ") for t in fig.axes[0].texts if t.get_gid() == "weight")
    ['beneficial', 'beneficial', 'highly recommended', 'highly recommended', 'situational', 'situational']
    """
    # Long because the grid's layout is one sequence of measured sizes (headings, role titles,
    # cells, legend), read best in one place.
    data = course_data(data)
    title, question = difference_text(data, "certifications")
    links = plain(data.role_certifications)
    chosen = choose_roles(data, links["role_id"], roles)
    links = links[links["role_id"].isin(chosen)]
    if links.empty:
        return message_figure(title, f"The data names no certification for {names(chosen)}.")
    full_names = data.certifications.set_index("certification_id")["name"].astype(str)
    columns = [c for c in full_names.index if c in set(links["certification_id"])]
    weights = categories(data.role_certifications, "weight")
    shade = dict(zip(weights, shades(len(weights))))
    weight_of = {(row.role_id, row.certification_id): row.weight for row in links.itertuples()}
    heads = {c: wrapped(full_names[c], 20) for c in columns}
    head_lines = max(h.count("\n") + 1 for h in heads.values())
    role_titles = {role: wrapped(data.role_title(role), 22) for role in chosen}
    cell_w = max(1.9, *(text_size(h, 11)[0] + 0.25 for h in heads.values()))
    cell_h = max(0.95, *(text_size(t, 11)[1] + 0.45 for t in role_titles.values()))
    left = 0.3 + max(text_size(t, 11)[0] for t in role_titles.values()) + 0.2
    head_h = 0.5 + 0.19 * head_lines
    keys = [key("patch", w, facecolor=shade[w], edgecolor=INK, linewidth=0.8) for w in weights]
    keys.append(key("patch", "blank: not named for the role", facecolor="white", edgecolor=NEUTRAL, linewidth=0.8))
    content_w = left + len(columns) * cell_w + 0.3
    width = max(content_w, title_width(title, question))
    legend_title = "weight, from lightest to heaviest"
    plot_h = len(chosen) * cell_h
    fig = sheet(width, HEADER + head_h + plot_h + 0.25 + legend_height(keys, width, legend_title), title, question)
    left += (width - content_w) / 2
    ax = plot_axes(fig, left, HEADER + head_h, len(columns) * cell_w, plot_h)
    ax.set_xlim(-0.5, len(columns) - 0.5)
    ax.set_ylim(len(chosen) - 0.5, -0.5)
    beside = shifted(fig, ax, x=-0.15)
    for c, certificate in enumerate(columns):
        _column_heading(fig, ax, c, certificate, heads[certificate], head_lines)
    for r, role in enumerate(chosen):
        # The id above its title, the two centred in the row (in rows: the y axis counts rows downwards).
        title_top = max(0.08, (text_size(role_titles[role], 11)[1] - 0.22) / 2 / cell_h)
        ax.text(-0.5, r - max(0.12, title_top + 0.04), role, ha="right", va="bottom", fontsize=13,
                fontweight="bold", transform=beside, gid="row-label")
        ax.text(-0.5, r - title_top, role_titles[role], ha="right", va="top", fontsize=11, transform=beside)
        for c, certificate in enumerate(columns):
            weight = weight_of.get((role, certificate))
            face = shade[weight] if weight else "white"
            ax.add_artist(Rectangle((c - 0.5, r - 0.5), 1, 1, facecolor=face, gid=f"cell:{role}:{certificate}",
                                   edgecolor="white" if weight else RULE, linewidth=3 if weight else 1))
            if weight:
                ax.text(c, r, textwrap.fill(weight, 12), ha="center", va="center", fontsize=11, gid="weight",
                        color=text_colour(face), fontweight="bold")
    draw_legend(fig, keys, HEADER + head_h + plot_h + 0.25, legend_title)
    parts = []
    for role in chosen:
        named = [f"{c} {weight_of[(role, c)]}" for c in columns if (role, c) in weight_of]
        parts.append(f"{role}: " + (", ".join(named) if named else "none named"))
    return finish(fig, f"{title} by role, as a matrix of {names(chosen)} against {names(columns)}. "
                   + ". ".join(parts) + ".")
