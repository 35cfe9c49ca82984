"""What a chart shows: the roles chosen, the rows of a table as plain values, counts and sharing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from rolelib.data import CourseData

if TYPE_CHECKING:
    import pandas as pd


def role_order(data: CourseData) -> list[str]:
    """Every role id, in the order of roles.csv (the order of the roles' colours)."""
    return data.roles["role_id"].astype(str).tolist()


def plain(frame: "pd.DataFrame") -> "pd.DataFrame":
    """The table with categorical columns turned into plain strings."""
    columns = [c for c in frame.columns if str(frame[c].dtype) == "category"]
    return frame.assign(**{c: frame[c].astype(str) for c in columns})


def categories(frame: "pd.DataFrame", column: str) -> list[str]:
    """The allowed values of a categorical column, in their order."""
    return [str(value) for value in frame[column].cat.categories]


def choose_roles(data: CourseData, present: Iterable[str], roles: Sequence[str] | None) -> list[str]:
    """The roles to draw, in roles.csv order: those asked for, or those the table mentions."""
    if roles is None:
        wanted = {str(role) for role in present}
    else:
        for role in roles:
            data.role_title(role)  # an UnknownNameError that lists the known roles
        wanted = set(roles)
    return [role for role in role_order(data) if role in wanted]


def difference_text(data: CourseData, difference: str) -> tuple[str, str]:
    """Title and question of a difference, as dimensions.csv words them."""
    question = data.dimensions.loc[data.dimensions["dimension_id"] == difference, "question"]
    return data.difference_title(difference), str(question.iloc[0])


def names(items: Sequence[str]) -> str:
    """Join names as a sentence does.

    >>> names(["CIO", "CISO", "CSO"])
    'CIO, CISO and CSO'
    """
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]

def holders(rows: Iterable[tuple[str, str]], order: list[str]) -> dict[str, list[str]]:
    """For each value of (role, value) rows, the roles (in roles.csv order) that have it.

    >>> holders([("CISO", "risk"), ("CIO", "risk"), ("CIO", "budget")], ["CIO", "CISO"])
    {'risk': ['CIO', 'CISO'], 'budget': ['CIO']}
    """
    found: dict[str, set[str]] = {}
    for role, value in rows:
        found.setdefault(value, set()).add(role)
    return {value: [r for r in order if r in roles] for value, roles in found.items()}


def rows_of(frame: "pd.DataFrame", *columns: str) -> list[tuple[str, ...]]:
    """The given columns of a table as plain string tuples, one per row."""
    return list(zip(*(frame[column].astype(str).tolist() for column in columns)))


def count_by_role(rows: Iterable[tuple[str, ...]], roles: list[str], keep: Callable[..., bool]) -> dict[str, int]:
    """How many rows (role first, then other columns) each role has that ``keep`` accepts."""
    found = Counter(row[0] for row in rows if keep(*row[1:]))
    return {role: found[role] for role in roles}
