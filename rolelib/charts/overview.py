"""The overview: the five differences on one figure, one small panel per difference, counted from the data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from rolelib._deprecated import keyword_only
from rolelib._types import DataSource
from rolelib.charts.layout import HEADER, finish, plot_axes, sheet, text_size, title_width, wrapped
from rolelib.charts.selection import categories, choose_roles, count_by_role, holders, names, role_order, rows_of
from rolelib.charts.style import INK, LABEL_BOX, MUTED, NEUTRAL, RULE, role_style, shades, stroke, styled
from rolelib.data import CourseData, course_data


@dataclass(frozen=True)
class _Segment:
    label: str
    look: str  # "solid", "hatched", "dashed" or a grey shade "#rrggbb"
    counts: dict[str, int]
    left: bool = False  # drawn to the left of the centre line (diverging panels)


def _overview_panels(data: CourseData, roles: list[str]) -> dict[str, tuple[list[_Segment], str]]:
    """For each difference: the counted segments of each role's bar, and what the bars count."""
    focus = rows_of(data.focus, "role_id", "orientation", "centrality")
    orientations = categories(data.focus, "orientation")
    centralities = categories(data.focus, "centrality")
    panels: dict[str, tuple[list[_Segment], str]] = {"focus": (
        [_Segment(f"{orientation} {centrality}", "solid" if centrality == centralities[0] else "hatched",
                  count_by_role(focus, roles, lambda o, c, o_=orientation, c_=centrality: (o, c) == (o_, c_)),
                  left=orientation == orientations[0])
         for orientation in orientations for centrality in centralities],
        f"goals:  \u2190 {orientations[0]}  |  {' or '.join(orientations[1:])} \u2192")}
    for name, column, plural, what in (("responsibilities", "area", "areas", "responsibilities listed"),
                                       ("education", "field", "fields", "degrees and backgrounds listed")):
        rows = rows_of(getattr(data, name), "role_id", column)
        shared = {value for value, owners in holders(rows, role_order(data)).items() if len(owners) > 1}
        panels[name] = ([_Segment(f"in own {plural}", "solid", count_by_role(rows, roles, lambda v: v not in shared)),
                         _Segment(f"in shared {plural}", "hatched", count_by_role(rows, roles, lambda v: v in shared))],
                        what)
    links = rows_of(data.role_certifications, "role_id", "weight")
    weights = categories(data.role_certifications, "weight")
    panels["certifications"] = ([_Segment(weight, shade, count_by_role(links, roles, lambda w, w_=weight: w == w_))
                                 for weight, shade in zip(weights, shades(len(weights)))],
                                "certifications named")
    lines = rows_of(data.reporting_lines, "role_id", "typicality")
    kinds = categories(data.reporting_lines, "typicality")
    panels["reporting"] = ([_Segment(kind, "solid" if i == 0 else "dashed",
                                     count_by_role(lines, roles, lambda k, k_=kind: k == k_))
                            for i, kind in enumerate(kinds)], "lines to a boss")
    return panels


def _segment_look(look: str, colour: str) -> dict[str, Any]:
    if look == "solid":
        return {"facecolor": colour, "edgecolor": INK, "linewidth": 1.0}
    if look == "hatched":
        return {"facecolor": "white", "edgecolor": stroke(colour), "hatch": "///", "linewidth": 1.0}
    if look == "dashed":
        return {"facecolor": "white", "edgecolor": stroke(colour), "linestyle": "--", "linewidth": 1.8}
    return {"facecolor": look, "edgecolor": INK, "linewidth": 1.0}


@keyword_only("data", "roles")
@styled
def overview_chart(*, data: DataSource = None, roles: Sequence[str] | None = None) -> Figure:
    """The five differences on one figure: one small panel per difference, counted from the data.

    Each role keeps its row across the panels, so a row reads as the role's profile.
    ``roles`` picks the roles to compare (default: the compared roles).

    >>> fig = overview_chart()
    >>> [t.get_text().replace("\\n", " ") for t in fig.texts if t.get_gid() == "panel-title"]
    ['Focus of the position', 'Responsibilities', 'Education and experience', 'Certifications', 'Reporting structure']
    """
    # Long because the panels share one row per role and one scale per panel, computed from sizes
    # measured above; the panel counts come from _overview_panels.
    data = course_data(data)
    chosen = choose_roles(data, data.compared_roles, roles)
    differences = list(data.differences.itertuples())
    panels = _overview_panels(data, chosen)
    title = "The differences at a glance"
    subtitle = "Each number is counted from the course's lists, which are not exhaustive"
    label_w = 0.45 + max(text_size(role, 12, True)[0] for role in chosen)
    panel_w, gap, row_h = 2.4, 0.3, 0.62
    legends = {d: list(dict.fromkeys(s.label.split(" ", 1)[1] if d == "focus" else s.label for s in segments))
               for d, (segments, _) in panels.items()}
    legend_h = 0.55 + 0.32 * max([len(legends.get(d.dimension_id, [])) for d in differences], default=0)
    width = max(label_w + len(differences) * (panel_w + gap), title_width(title, subtitle))
    key_lines = [""]
    for entry in (f"{r}: {data.role_title(r)}" for r in chosen):
        joined = f"{key_lines[-1]}   {entry}" if key_lines[-1] else entry
        if key_lines[-1] and text_size(joined, 11)[0] > width - 0.4:
            key_lines.append(entry)
        else:
            key_lines[-1] = joined
    key = "\n".join(key_lines)
    top = HEADER + 0.6
    height = top + len(chosen) * row_h + legend_h + text_size(key, 11)[1] + 0.3
    fig = sheet(width, height, title, subtitle)
    ax = plot_axes(fig, 0, 0, width, height)
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
        fig.text((x0 + panel_w / 2) / width, 1 - (HEADER + 0.05) / height, wrapped(str(difference.title), 20),
                 ha="center", va="top", fontsize=12, fontweight="bold", gid="panel-title")
        if p:
            ax.plot([x0 - gap / 2] * 2, [HEADER, bottom + legend_h - 0.1], color=RULE, lw=1)
        if difference.dimension_id not in panels:
            ax.text(x0 + panel_w / 2, (top + bottom) / 2, "no chart for\nthis difference", ha="center",
                    va="center", fontsize=11, color=MUTED)
            continue
        segments, what = panels[difference.dimension_id]
        diverging = any(s.left for s in segments)
        reach = max(1, *(sum(s.counts[r] for s in segments if s.left == side)
                         for r in chosen for side in (True, False)))
        unit = (panel_w / 2 - 0.12 if diverging else panel_w - 0.2) / reach
        origin = x0 + panel_w / 2 if diverging else x0 + 0.05
        if diverging:
            ax.plot([origin] * 2, [top, bottom], color=INK, lw=1)
        for role, y in zip(chosen, row_y):
            left = right = origin
            colour = role_style(role, data=data).colour
            for segment in segments:
                count = segment.counts[role]
                if not count:
                    continue
                start = left - count * unit if segment.left else right
                ax.add_artist(Rectangle((start, y - 0.2), count * unit, 0.4, zorder=2,
                                       gid=f"{difference.dimension_id}:{segment.label}:{role}",
                                       **_segment_look(segment.look, colour)))
                ax.text(start + count * unit / 2, y, str(count), ha="center", va="center", fontsize=11, zorder=3,
                        bbox=LABEL_BOX)
                if segment.left:
                    left = start
                else:
                    right += count * unit
            if left == right:
                ax.text(origin + 0.05, y, "none listed", va="center", fontsize=11, style="italic", color=MUTED)
        ax.text(x0 + panel_w / 2, bottom + 0.3, what, ha="center", va="center", fontsize=11)
        looks = {}
        for segment in segments:
            looks.setdefault(segment.label.split(" ", 1)[1] if diverging else segment.label, segment.look)
        for j, (name, look) in enumerate(looks.items()):
            y = bottom + 0.3 + 0.32 * (j + 1)
            ax.add_artist(Rectangle((x0 + 0.1, y - 0.09), 0.34, 0.18, **_segment_look(look, NEUTRAL)))
            ax.text(x0 + 0.56, y, name, va="center", fontsize=11, gid="legend")
        alt_parts.append(f"{difference.title}: " + "; ".join(
            f"{role} " + (", ".join(f"{s.counts[role]} {s.label}" for s in segments if s.counts[role]) or "none")
            for role in chosen))
    ax.text(0.15, height - 0.15, key, va="bottom", fontsize=11, color=MUTED)
    return finish(fig, f"The {len(differences)} differences at a glance for {names(chosen)}, counted from the "
                        "data. " + ". ".join(alt_parts) + ".")
