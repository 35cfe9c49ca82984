"""The one list of lessons: navigation, the course map, the tests and the banks read it."""

from __future__ import annotations

from dataclasses import dataclass

from rolelib._errors import UnknownNameError


@dataclass(frozen=True)
class Lesson:
    """One notebook of the course, in course order.

    >>> from rolelib import LESSONS
    >>> LESSONS[1].slug, LESSONS[1].minutes, LESSONS[1].filename
    ('01_focus', 15, '01_focus.ipynb')
    """

    slug: str
    title: str
    minutes: int
    topic: str

    @property
    def filename(self) -> str:
        """The notebook's file name inside notebooks/."""
        return f"{self.slug}.ipynb"


LESSONS: tuple[Lesson, ...] = (
    Lesson("00_start_here", "Start here: three chiefs, three jobs", 15, "roles"),
    Lesson("01_focus", "Difference 1: the focus of the position", 15, "focus"),
    Lesson("02_responsibilities", "Difference 2: responsibilities", 20, "responsibilities"),
    Lesson("03_education_and_experience", "Difference 3: education and experience", 15, "education"),
    Lesson("04_certifications", "Difference 4: certifications", 15, "certifications"),
    Lesson("05_reporting_structure", "Difference 5: reporting structure", 15, "reporting"),
    Lesson("06_review", "Review: the final assessment", 25, "review"),
)


def lesson(slug: str) -> Lesson:
    """The lesson with this slug; an unknown slug raises UnknownNameError listing the lessons.

    >>> lesson("01_focus").minutes
    15
    """
    for item in LESSONS:
        if item.slug == slug:
            return item
    raise UnknownNameError("lesson", slug, [item.slug for item in LESSONS])
