"""A copy of the course data made N times larger, for the load benchmark.

Every fact table is replicated N times with new unique ids, and every reference stays valid:
facts keep pointing at the original roles and sources; certification links point at
replicated certifications, and reporting lines join replicated roles (so each pair of roles
stays unique). The replicated roles are executives, so the course still compares the same
three roles. Sources and dimensions (closed vocabularies) are not replicated.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Callable

from rolelib._schema import TABLES

Row = dict[str, str]


def _copy_suffix(value: str, copy: int) -> str:
    return f"{value}-x{copy}"


def _plain(id_column: str) -> Callable[[Row, int], Row]:
    """A replicated fact row: a new id, everything else (role, source, statement) as it was."""
    def replicate(row: Row, copy: int) -> Row:
        return {**row, id_column: _copy_suffix(row[id_column], copy)}
    return replicate


def _role(row: Row, copy: int) -> Row:
    return {**row, "role_id": _copy_suffix(row["role_id"], copy), "group": "executive"}


def _certification_link(row: Row, copy: int) -> Row:
    return {**row, "link_id": _copy_suffix(row["link_id"], copy),
            "certification_id": _copy_suffix(row["certification_id"], copy)}


def _reporting_line(row: Row, copy: int) -> Row:
    return {**row, "line_id": _copy_suffix(row["line_id"], copy),
            "role_id": _copy_suffix(row["role_id"], copy), "reports_to": _copy_suffix(row["reports_to"], copy)}


_REPLICATE: dict[str, Callable[[Row, int], Row]] = {
    "roles": _role,
    "focus": _plain("focus_id"),
    "responsibilities": _plain("responsibility_id"),
    "education": _plain("education_id"),
    "certifications": _plain("certification_id"),
    "role_certifications": _certification_link,
    "reporting_lines": _reporting_line,
    "notes": _plain("note_id"),
}


def write_scaled_data(source: Path, target: Path, factor: int) -> dict[str, int]:
    """Copy the data folder ``source`` to ``target`` with every fact table ``factor`` times larger.

    Returns the number of data rows per table in the copy.
    """
    shutil.copytree(source, target)
    counts: dict[str, int] = {}
    for name, table in TABLES.items():
        path = target / table.file
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = list(reader.fieldnames or [])
            rows = [row for row in reader if any((value or "").strip() for value in row.values())]
        replicate = _REPLICATE.get(name)
        if replicate is not None and factor > 1:
            rows = rows + [replicate(row, copy) for copy in range(2, factor + 1) for row in rows]
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header)
            writer.writeheader()
            writer.writerows(rows)
        counts[name] = len(rows)
    return counts
