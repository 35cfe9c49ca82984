"""The course map: every lesson in order with its time and a link."""

from __future__ import annotations

import html
from dataclasses import dataclass

from rolelib._markup import NO_MATH
from rolelib.lessons import LESSONS


@dataclass(frozen=True)
class CourseMap:
    """The lessons in order with their times and links; displays as a table."""

    base: str = ""

    def _repr_html_(self) -> str:
        prefix = f"{self.base.rstrip('/')}/" if self.base else ""
        rows = "".join(
            f"<tr><td>{number}</td><td><a href=\"{html.escape(prefix + item.filename)}\">{html.escape(item.title)}</a></td>"
            f"<td>{item.minutes} min</td></tr>"
            for number, item in enumerate(LESSONS))
        total = sum(item.minutes for item in LESSONS)
        return (f"<table class=\"rolelib-course-map {NO_MATH}\"><thead><tr><th>#</th><th>Lesson</th><th>Time</th></tr></thead>"
                f"<tbody>{rows}</tbody><tfoot><tr><td></td><td>Whole course</td><td>{total} min</td></tr></tfoot>"
                "</table>")

    def __repr__(self) -> str:
        lines = [f"{number}. {item.title} ({item.minutes} min) - {item.filename}"
                 for number, item in enumerate(LESSONS)]
        lines.append(f"Whole course: about {sum(item.minutes for item in LESSONS)} minutes.")
        return "\n".join(lines)


def course_map(base: str = "") -> CourseMap:
    """The course map, built from the one list of lessons.

    ``base`` is the folder of the lessons relative to the notebook showing the map
    (``".."`` from ``notebooks/instructor/``).

    >>> print(repr(course_map()).splitlines()[1])
    1. Difference 1: the focus of the position (15 min) - 01_focus.ipynb
    """
    return CourseMap(base)
