"""The one table of the course data: file -> columns -> types, allowed values and references.

Loading (rolelib.data), validation, the data dictionary test and the `rolelib validate`
command all read this table, so a column is described in exactly one place in code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rolelib.lessons import LESSONS

MAX_TEXT = 600  # characters in one text cell; a statement is one or two sentences


@dataclass(frozen=True)
class Column:
    """How one column is checked.

    kind: "id" (unique, required), "text", "category" (closed set in ``values``, or open
    when ``values`` is empty), "int", or "ref" (must name an id in table ``ref``).
    """

    kind: str
    values: tuple[str, ...] = ()
    ref: str = ""
    required: bool = True
    ordered: bool = False


@dataclass(frozen=True)
class Table:
    """One CSV file of the data set."""

    file: str
    id_column: str
    columns: dict[str, Column] = field(default_factory=dict)
    unique_together: tuple[str, ...] = ()


_SOURCE = Column("ref", ref="sources")
_ROLE = Column("ref", ref="roles")

TABLES: dict[str, Table] = {
    "sources": Table("sources.csv", "source_id", {
        "source_id": Column("id"),
        "kind": Column("category", ("article", "certifying body", "book", "web page", "instructor")),
        "title": Column("text"),
        "author": Column("text"),
        "publisher": Column("text"),
        "url": Column("text", required=False),
        "note": Column("text", required=False),
    }),
    "roles": Table("roles.csv", "role_id", {
        "role_id": Column("id"),
        "title": Column("text"),
        "group": Column("category", ("compared", "executive")),
        "definition": Column("text"),
        "source_id": _SOURCE,
    }),
    "dimensions": Table("dimensions.csv", "dimension_id", {
        "dimension_id": Column("id"),
        "order": Column("int"),
        "kind": Column("category", ("foundation", "difference")),
        "title": Column("text"),
        "question": Column("text"),
        "source_id": _SOURCE,
    }),
    "focus": Table("focus.csv", "focus_id", {
        "focus_id": Column("id"),
        "role_id": _ROLE,
        "orientation": Column("category", ("enable", "protect")),
        "goal": Column("category", (
            "innovation", "business growth", "efficiency", "data protection", "risk",
            "compliance", "threats", "physical security", "personnel security", "security",
            "cybersecurity", "strategy", "operations", "technology")),
        "centrality": Column("category", ("core", "secondary"), ordered=True),
        "statement": Column("text"),
        "source_id": _SOURCE,
    }),
    "responsibilities": Table("responsibilities.csv", "responsibility_id", {
        "responsibility_id": Column("id"),
        "role_id": _ROLE,
        "area": Column("category", (
            "strategy", "technology", "projects", "people", "budget", "policy", "compliance",
            "leadership", "risk", "incident response", "governance", "cybersecurity",
            "security", "physical security", "data", "operations")),
        "statement": Column("text"),
        "source_id": _SOURCE,
    }),
    "education": Table("education.csv", "education_id", {
        "education_id": Column("id"),
        "role_id": _ROLE,
        "level": Column("category", ("background", "degree", "graduate degree"), ordered=True),
        "field": Column("category"),
        "how_common": Column("category", ("sometimes", "often", "usually"), ordered=True),
        "statement": Column("text"),
        "source_id": _SOURCE,
    }),
    "certifications": Table("certifications.csv", "certification_id", {
        "certification_id": Column("id"),
        "name": Column("text"),
        "issuer": Column("text"),
        "area": Column("category"),
        "source_id": _SOURCE,
    }),
    "role_certifications": Table("role_certifications.csv", "link_id", {
        "link_id": Column("id"),
        "role_id": _ROLE,
        "certification_id": Column("ref", ref="certifications"),
        "weight": Column("category", ("situational", "beneficial", "highly recommended"), ordered=True),
        "statement": Column("text"),
        "source_id": _SOURCE,
    }, unique_together=("role_id", "certification_id")),
    "reporting_lines": Table("reporting_lines.csv", "line_id", {
        "line_id": Column("id"),
        "role_id": _ROLE,
        "reports_to": _ROLE,
        "typicality": Column("category", ("typical", "possible"), ordered=True),
        "statement": Column("text"),
        "source_id": _SOURCE,
    }, unique_together=("role_id", "reports_to")),
    "notes": Table("notes.csv", "note_id", {
        "note_id": Column("id"),
        "dimension_id": Column("ref", ref="dimensions"),
        "role_id": Column("ref", ref="roles", required=False),
        "statement": Column("text"),
        "source_id": _SOURCE,
    }),
    "glossary": Table("glossary.csv", "term", {
        "term": Column("id"),
        "definition": Column("text"),
        "lesson": Column("category", tuple(item.slug for item in LESSONS), ordered=True),
        "source_id": _SOURCE,
    }),
}


def expectation(column: Column) -> str:
    """What a cell of this column must hold, in words an instructor understands.

    >>> expectation(TABLES["reporting_lines"].columns["typicality"])
    "one of: 'typical', 'possible'"
    """
    if column.kind == "category" and column.values:
        return "one of: " + ", ".join(repr(v) for v in column.values)
    if column.kind == "int":
        return "a whole number"
    if column.kind == "ref":
        return f"an id listed in {TABLES[column.ref].file}"
    if column.kind == "id":
        return "a unique id"
    return f"text of at most {MAX_TEXT} characters"
