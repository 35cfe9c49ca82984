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

    type: "id" (unique, required), "text", "category" (closed set in ``values``: words the
    code depends on), "term" (a word of the vocabulary kind ``vocabulary``, defined in
    vocabulary.csv), "int", or "ref" (must name an id in table ``ref``).
    """

    type: str
    values: tuple[str, ...] = ()
    ref: str = ""
    required: bool = True
    ordered: bool = False
    vocabulary: str = ""


@dataclass(frozen=True)
class Table:
    """One CSV file of the data set."""

    file: str
    id_column: str  # "" when no single column identifies a row (see unique_together)
    columns: dict[str, Column] = field(default_factory=dict)
    unique_together: tuple[str, ...] = ()


_SOURCE = Column("ref", ref="sources")
_ROLE = Column("ref", ref="roles")

#: The kinds of word vocabulary.csv defines, each with the column that uses it.
VOCABULARY_KINDS: dict[str, str] = {
    "goal": "focus.csv goal",
    "area": "responsibilities.csv area",
    "field": "education.csv field",
    "certification area": "certifications.csv area",
}

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
    "vocabulary": Table("vocabulary.csv", "", {
        "kind": Column("category", tuple(VOCABULARY_KINDS)),
        "term": Column("text"),
        "description": Column("text"),
    }, unique_together=("kind", "term")),
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
        "goal": Column("term", vocabulary="goal"),
        "centrality": Column("category", ("core", "secondary"), ordered=True),
        "statement": Column("text"),
        "source_id": _SOURCE,
    }),
    "responsibilities": Table("responsibilities.csv", "responsibility_id", {
        "responsibility_id": Column("id"),
        "role_id": _ROLE,
        "area": Column("term", vocabulary="area"),
        "statement": Column("text"),
        "source_id": _SOURCE,
    }),
    "education": Table("education.csv", "education_id", {
        "education_id": Column("id"),
        "role_id": _ROLE,
        "level": Column("category", ("background", "degree", "graduate degree"), ordered=True),
        "field": Column("term", vocabulary="field"),
        "how_common": Column("category", ("sometimes", "often", "usually"), ordered=True),
        "statement": Column("text"),
        "source_id": _SOURCE,
    }),
    "certifications": Table("certifications.csv", "certification_id", {
        "certification_id": Column("id"),
        "name": Column("text"),
        "issuer": Column("text"),
        "area": Column("term", vocabulary="certification area"),
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


def with_article(noun: str) -> str:
    """The noun after "a", or "an" before a vowel: "an area listed in vocabulary.csv".

    >>> with_article("goal"), with_article("area")
    ('a goal', 'an area')
    """
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def expectation(column: Column) -> str:
    """What a cell of this column must hold, in words an instructor understands.

    >>> expectation(TABLES["reporting_lines"].columns["typicality"])
    "one of: 'typical', 'possible'"
    """
    if column.type == "category" and column.values:
        return "one of: " + ", ".join(repr(v) for v in column.values)
    if column.type == "int":
        return "a whole number"
    if column.type == "term":
        return f"{with_article(column.vocabulary)} listed in vocabulary.csv"
    if column.type == "ref":
        return f"an id listed in {TABLES[column.ref].file}"
    if column.type == "id":
        return "a unique id"
    return f"text of at most {MAX_TEXT} characters"
