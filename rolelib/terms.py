"""The course glossary: the terms the lessons use, in the course's own words, from data/glossary.csv.

>>> table = glossary()
>>> table.columns
('Term', 'Meaning', 'First used in')
"""

from __future__ import annotations

from rolelib._types import DataSource
from rolelib.course.facts import FactTable
from rolelib.data import course_data
from rolelib.lessons import lesson

__all__ = ["glossary"]


def glossary(*, data: DataSource = None) -> FactTable:
    """Every glossary term in alphabetical order, with its meaning and the lesson that first uses it.

    Displays as an HTML table (every cell escaped) or as plain text.

    >>> print(repr(glossary()).splitlines()[1])
    CGEIT | Certified in the Governance of Enterprise IT: a certification in governing an organisation's IT, issued by ISACA. | Difference 4: certifications
    """
    table = course_data(data).glossary
    rows = sorted(((str(term), str(definition), lesson(str(slug)).title)
                   for term, definition, slug in zip(table["term"], table["definition"], table["lesson"])),
                  key=lambda row: row[0].casefold())
    return FactTable(("Term", "Meaning", "First used in"), tuple(rows), caption="Glossary: the terms the lessons use")
