"""Fact tables: the statements of the data on one difference, and the glossary, ready to read in a lesson."""

from __future__ import annotations

import html
from dataclasses import dataclass

from rolelib._deprecated import renamed_keywords
from rolelib._markup import NO_MATH
from rolelib._types import DataSource
from rolelib.data import course_data
from rolelib.lessons import lesson


@dataclass(frozen=True)
class FactTable:
    """A small table of statements for reading in a lesson; all text is escaped before it becomes HTML."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""

    def _repr_html_(self) -> str:
        head = "".join(f"<th style=\"text-align:left\">{html.escape(c)}</th>" for c in self.columns)
        body = "".join("<tr>" + "".join(f"<td style=\"text-align:left;vertical-align:top\">{html.escape(cell)}</td>"
                                        for cell in row) + "</tr>" for row in self.rows)
        caption = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        return f"<table class=\"rolelib-facts {NO_MATH}\">{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def __repr__(self) -> str:
        lines = [self.caption] if self.caption else []
        lines += [" | ".join(cell for cell in row if cell) for row in self.rows]
        return "\n".join(lines)


@renamed_keywords(dimension="difference", data_dir="data")
def facts_table(difference: str, roles: list[str] | None = None, *, data: DataSource = None) -> FactTable:
    """Every statement the data makes on one difference (or ``"roles"``), role by role, ready to read.

    >>> print(repr(facts_table("reporting", roles=["CIO"])).splitlines()[1])
    CIO | A CIO typically reports to the CEO, since the job is bound up with business strategy and operations.
    """
    course = course_data(data)
    facts = course.facts(difference)
    if roles is not None:
        facts = facts[facts["role_id"].isin(roles)]
    rows = tuple((role or "All roles", statement) for role, statement in zip(facts["role_id"], facts["statement"]))
    return FactTable(("Role", "What the source says"), rows, caption=f"{course.difference_title(difference)}: the facts")


@renamed_keywords(dimension="difference", data_dir="data")
def compare_table(role_a: str, role_b: str, difference: str, *, data: DataSource = None) -> FactTable:
    """Two roles side by side on one difference, in full sentences.

    >>> compare_table("CIO", "CISO", "focus").columns
    ('CIO', 'CISO')
    """
    course = course_data(data)
    table = course.compare(role_a, role_b, difference)
    rows = tuple(tuple(str(cell) for cell in row) for row in table.itertuples(index=False))
    return FactTable((role_a, role_b), rows,
                     caption=f"{course.difference_title(difference)}: {role_a} and {role_b} side by side")


def glossary(*, data: DataSource = None) -> FactTable:
    """The glossary: every term the lessons use (``glossary.csv``), with its meaning and the lesson that first uses it.

    Terms in alphabetical order; displays as an HTML table (every cell escaped) or as plain text.

    >>> print(repr(glossary()).splitlines()[1])  # doctest: +ELLIPSIS
    CGEIT | Certified in the Governance of Enterprise IT: ... | Difference 4: certifications
    """
    table = course_data(data).glossary
    rows = sorted(((str(term), str(definition), lesson(str(slug)).title)
                   for term, definition, slug in zip(table["term"], table["definition"], table["lesson"])),
                  key=lambda row: row[0].casefold())
    return FactTable(("Term", "Meaning", "First used in"), tuple(rows), caption="Glossary: the terms the lessons use")
