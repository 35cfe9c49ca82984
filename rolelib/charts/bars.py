"""Bar charts of percentages: the learner's score per difference and the class report's percent bars."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from rolelib._deprecated import keyword_only
from rolelib._types import DataSource
from rolelib.charts.layout import HEADER, finish, message_figure, plot_axes, sheet, shifted, text_size, title_width
from rolelib.charts.style import BAND, BAR, INK, LABEL_BOX, MUTED, NEUTRAL, styled
from rolelib.data import course_data
from rolelib.lessons import LESSONS

if TYPE_CHECKING:
    import pandas as pd


def _label_width(text: str, size: float) -> float:
    """The width a bar's label takes, in inches: rendered glyphs come out up to 2 % wider than measured."""
    return 1.03 * text_size(text, size)[0]


@keyword_only("summary", "data")
@styled
def score_chart(summary: "pd.DataFrame | None" = None, *, data: DataSource = None) -> Figure:
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
    # Long because it checks the summary a caller gives, then lays the chart out top to bottom; the
    # layout is one sequence of measured sizes, clearer read in one place.
    data = course_data(data)
    if summary is None:
        from rolelib.progress import progress_summary

        summary = progress_summary(by="topic", data=data)
    frame = summary.reset_index() if "topic" not in summary.columns and summary.index.name == "topic" else summary
    missing = [c for c in ("topic", "attempted", "correct", "score") if c not in frame.columns]
    if missing:
        raise ValueError(f"the progress summary lacks the column(s) {', '.join(missing)}; "
                         "pass progress_summary(by='topic')")
    title = "Your score per difference"
    frame = frame[frame["attempted"] > 0]
    if frame.empty:
        return message_figure(title, "No answers recorded yet. Answer the exercises in the lessons, "
                                      "then draw this chart again.")
    counted = "graded" if "graded" in frame.columns else "attempted"
    if ((frame["score"] < 0) | (frame["score"] > frame[counted])).any():
        raise ValueError(f"the progress summary's score must lie between 0 and the number of questions {counted}")
    rows = frame.set_index(frame["topic"].astype(str))
    differences = list(data.differences["dimension_id"])
    topics = differences + [t for t in rows.index if t not in differences]
    dimensions = set(data.dimensions["dimension_id"].astype(str))
    lesson_titles = {lesson.topic: lesson.title for lesson in LESSONS}  # topics that are no difference ("review")
    labels = [data.difference_title(topic) if topic in dimensions else lesson_titles.get(topic, topic)
              for topic in topics]
    subtitle = "your score as a share of the questions you answered, per topic"
    left = 0.3 + max(text_size(label, 12)[0] for label in labels) + 0.2
    bar_w, row_h = 6.0, 0.5
    width = max(left + bar_w + 0.4, title_width(title, subtitle))
    fig = sheet(width, HEADER + 0.1 + len(topics) * row_h + 0.3, title, subtitle)
    left += (width - left - bar_w - 0.4) / 2
    ax = plot_axes(fig, left, HEADER + 0.1, bar_w, len(topics) * row_h)
    ax.set_xlim(0, 100)
    ax.set_ylim(len(topics) - 0.5, -0.5)
    beside = shifted(fig, ax, x=-0.15)
    parts = []
    for y, (topic, label) in enumerate(zip(topics, labels)):
        ax.text(0, y, label, ha="right", va="center", transform=beside, gid="row-label")
        ax.add_artist(Rectangle((0, y - 0.32), 100, 0.64, facecolor=BAND, lw=0, zorder=1))
        if topic not in rows.index:
            ax.text(2, y, "not attempted yet", va="center", fontsize=11, style="italic", color=MUTED, zorder=3)
            parts.append(f"{label} not attempted yet")
            continue
        row = rows.loc[topic]
        if int(row[counted]) == 0:
            ax.text(2, y, "reflection saved; nothing graded yet", va="center", fontsize=11, style="italic",
                    color=MUTED, zorder=3)
            parts.append(f"{label} reflection saved, nothing graded yet")
            continue
        percent = float(row["score"]) / int(row[counted]) * 100
        ax.add_artist(Rectangle((0, y - 0.32), percent, 0.64, facecolor=BAR, lw=0, zorder=2,
                                gid=f"score:{topic}"))
        text = f"{percent:.0f}% ({int(row['correct'])} of {int(row[counted])} correct)"
        ax.text(min(percent, 58) + 2, y, text, va="center", fontsize=11, zorder=3, bbox=LABEL_BOX, gid="score")
        parts.append(f"{label} {text}")
    return finish(fig, f"{title}: " + "; ".join(parts) + ".")


@styled
def percent_bars(labels: Sequence[str], values: Sequence[float], notes: Sequence[str], title: str,
                  subtitle: str, alt_text: str, empty: str) -> Figure:
    """Horizontal bars from 0 to 100 %, the first label at the top, each bar labelled with its value.

    The class report's charts, drawn like the score chart: a title and subtitle, a light band
    for the whole scale, no axis. The sheet is 10 inches wide, or wider when long labels would
    leave the bars less than 6 inches. The labels are texts with the gid "bar label". The bands
    and the bars are one collection each (not a patch per bar): many questions draw faster.
    ``empty`` is said in words when there are no labels.
    """
    from matplotlib.collections import PolyCollection

    row, gap, right = 0.34, 0.15, 0.35
    left = 0.3 + max((_label_width(label, 12) for label in labels), default=0.0) + gap
    width = max(10.0, left + 6.0 + right, title_width(title, subtitle))
    bars = width - left - right
    fig = sheet(width, HEADER + 0.1 + row * max(len(labels), 1) + 0.25, title, subtitle)
    ax = plot_axes(fig, left, HEADER + 0.1, bars, row * max(len(labels), 1))
    if not labels:
        ax.text(0, 0.5, empty, va="center", fontsize=12, style="italic", color=MUTED, transform=ax.transAxes)
        return finish(fig, alt_text)
    ax.set_xlim(0, 100)
    ax.set_ylim(len(labels) - 0.5, -0.5)

    def boxes(ends: Sequence[float]) -> list[list[tuple[float, float]]]:
        return [[(0, y - 0.33), (end, y - 0.33), (end, y + 0.33), (0, y + 0.33)] for y, end in enumerate(ends)]

    ax.add_collection(PolyCollection(boxes([100] * len(values)), facecolors=BAND, linewidths=0, zorder=1),
                      autolim=False)
    ax.add_collection(PolyCollection(boxes(values), facecolors=BAR, linewidths=0, zorder=2), autolim=False)
    beside = shifted(fig, ax, x=-gap)
    for y, (label, value, note) in enumerate(zip(labels, values, notes)):
        ax.text(0, y, label, ha="right", va="center_baseline", transform=beside, gid="bar label")
        text = f"{value:.0f}% {note}"
        # A long bar holds its label in white; a short one has it just after its end, if it fits there.
        inside = value > 75 or _label_width(text, 11) > (99 - value) / 100 * bars
        ax.text(value - 1 if inside else value + 1, y, text, va="center", fontsize=11, zorder=3,
                ha="right" if inside else "left", color="white" if inside else INK)
    return finish(fig, alt_text)


@styled
def answer_spread(labels: Sequence[str], values: Sequence[float], rights: Sequence[bool], title: str,
                  subtitle: str, reading: str, alt_text: str) -> Figure:
    """Horizontal bars from 0 to 100 %, one per option chosen, right ones dark and wrong ones hatched, with a
    reading of the spread in words below.

    The class report's chart of one question's first answers. Right and wrong differ in colour and in
    pattern (never colour alone) and the labels say it too (✓ or ✗, which the caller writes).

    >>> answer_spread(["✓ CISO", "✗ CSO"], [60.0, 40.0], [True, False], "q-1", "first answers",
    ...               "40% chose the CSO.", "alt").alt_text
    'alt'
    """
    import textwrap

    from matplotlib.collections import PolyCollection

    row, gap, right_margin = 0.4, 0.15, 0.35
    left = 0.3 + max((_label_width(label, 12) for label in labels), default=0.0) + gap
    width = max(10.0, left + 5.0 + right_margin, title_width(title, subtitle))
    bars = width - left - right_margin
    lines = textwrap.wrap(reading, max(40, int((width - 0.6) * 10.5)))
    below = 0.25 + 0.22 * len(lines)
    fig = sheet(width, HEADER + 0.1 + row * max(len(labels), 1) + 0.2 + below, title, subtitle)
    ax = plot_axes(fig, left, HEADER + 0.1, bars, row * max(len(labels), 1))
    ax.set_xlim(0, 100)
    ax.set_ylim(max(len(labels), 1) - 0.5, -0.5)

    def boxes(ends: Sequence[float], rows: Sequence[int]) -> list[list[tuple[float, float]]]:
        return [[(0, y - 0.33), (end, y - 0.33), (end, y + 0.33), (0, y + 0.33)] for y, end in zip(rows, ends)]

    rows = range(len(values))
    ax.add_collection(PolyCollection(boxes([100] * len(values), rows), facecolors=BAND, linewidths=0, zorder=1),
                      autolim=False)
    for is_right, colour, hatch in ((True, BAR, ""), (False, "white", "///")):
        chosen = [y for y in rows if bool(rights[y]) == is_right]
        ax.add_collection(PolyCollection(boxes([values[y] for y in chosen], chosen), facecolors=colour,
                                         edgecolors=NEUTRAL, hatch=hatch, linewidths=0 if is_right else 1,
                                         zorder=2, gid="right" if is_right else "wrong"), autolim=False)
    beside = shifted(fig, ax, x=-gap)
    for y, (label, value) in enumerate(zip(labels, values)):
        ax.text(0, y, label, ha="right", va="center_baseline", transform=beside, gid="bar label")
        inside = value > 90  # a long bar holds its value: in white on a right (dark) one, boxed on a hatched one
        white = inside and bool(rights[y])
        ax.text(value - 1 if inside else value + 1, y, f"{value:.0f}%", va="center", fontsize=11, zorder=3,
                ha="right" if inside else "left", color="white" if white else INK,
                bbox=None if white else LABEL_BOX)
    fig.text(0.3, below - 0.2, "\n".join(lines), transform=fig.dpi_scale_trans, ha="left", va="top", fontsize=11,
             color=INK, gid="reading")
    return finish(fig, alt_text)
