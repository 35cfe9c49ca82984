"""Load the course data set, check all of it, and hand it over as pandas DataFrames."""

from __future__ import annotations

import csv
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rolelib._errors import DataError, Problem
from rolelib._schema import MAX_TEXT, TABLES, Column, Table, expectation
from rolelib._types import DataSource, PathLike

if TYPE_CHECKING:
    import pandas as pd
    from pydantic_core import SchemaValidator

_CACHE: dict[tuple, "CourseData"] = {}
_CACHE_LOCK = threading.Lock()


def default_data_dir() -> Path:
    """Where the shipped data lives: inside the installed package, or data/ in a source checkout."""
    packaged = resources.files("rolelib") / "_data"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class CourseData:
    """The whole, checked data set: one DataFrame per table, plus a few helpers.

    >>> data = load()
    >>> data.roles.set_index("role_id").loc["CISO", "title"]
    'Chief Information Security Officer'
    """

    data_dir: Path
    sources: "pd.DataFrame"
    roles: "pd.DataFrame"
    dimensions: "pd.DataFrame"
    focus: "pd.DataFrame"
    responsibilities: "pd.DataFrame"
    education: "pd.DataFrame"
    certifications: "pd.DataFrame"
    role_certifications: "pd.DataFrame"
    reporting_lines: "pd.DataFrame"
    notes: "pd.DataFrame"
    glossary: "pd.DataFrame"

    @property
    def tables(self) -> dict[str, "pd.DataFrame"]:
        """Every table by name, in the order of the data dictionary."""
        return {name: getattr(self, name) for name in TABLES}

    @property
    def compared_roles(self) -> list[str]:
        """The ids of the roles the course compares (CIO, CISO, CSO and any an instructor adds).

        >>> load().compared_roles
        ['CIO', 'CISO', 'CSO']
        """
        return self.roles.loc[self.roles["group"] == "compared", "role_id"].astype(str).tolist()

    @property
    def differences(self) -> "pd.DataFrame":
        """The five differences (dimensions of kind 'difference'), in course order."""
        frame = self.dimensions[self.dimensions["kind"] == "difference"]
        return frame.sort_values("order").reset_index(drop=True)

    def role_title(self, role_id: str) -> str:
        """The full title of a role.

        >>> load().role_title("CSO")
        'Chief Security Officer'
        """
        match = self.roles.loc[self.roles["role_id"] == role_id, "title"]
        if match.empty:
            raise KeyError(f"no role {role_id!r}; the roles are: {', '.join(self.roles['role_id'].astype(str))}")
        return str(match.iloc[0])

    def facts(self, dimension: str) -> "pd.DataFrame":
        """Every statement about one dimension, with role and source, as one tidy table.

        >>> load().facts("reporting")[["role_id", "statement"]].shape[1]
        2
        """
        import pandas as pd

        tables = {
            "roles": self.roles.rename(columns={"definition": "statement"}),
            "focus": self.focus,
            "responsibilities": self.responsibilities,
            "education": self.education,
            "certifications": self.role_certifications,
            "reporting": self.reporting_lines,
        }
        if dimension not in tables:
            raise KeyError(f"no dimension {dimension!r}; choose one of: {', '.join(tables)}")
        main = tables[dimension][["role_id", "statement", "source_id"]].astype(str)
        notes = self.notes[self.notes["dimension_id"] == dimension]
        notes = notes.assign(role_id=notes["role_id"].astype(object).fillna(""))[["role_id", "statement", "source_id"]]
        return pd.concat([main, notes.astype(str)], ignore_index=True)

    def compare(self, role_a: str, role_b: str, dimension: str) -> "pd.DataFrame":
        """Two roles side by side on one dimension: one column per role, one statement per row.

        >>> table = load().compare("CIO", "CISO", "focus")
        >>> list(table.columns)
        ['CIO', 'CISO']
        """
        import pandas as pd

        for role in (role_a, role_b):
            self.role_title(role)
        facts = self.facts(dimension)
        columns = {}
        for role in (role_a, role_b):
            columns[role] = facts.loc[facts["role_id"] == role, "statement"].reset_index(drop=True)
        return pd.DataFrame(columns).fillna("")

    def citation(self, source_id: str = "article") -> str:
        """A one-line citation of a source.

        >>> load().citation().startswith("Michelle Moore")
        True
        """
        row = self.sources.set_index("source_id").loc[source_id]
        text = f"{row['author']}, \u201c{row['title']}\u201d, {row['publisher']}"
        if isinstance(row["url"], str) and row["url"]:
            text += f", {row['url']}"
        return text + "."


def load(data_dir: PathLike | None = None) -> CourseData:
    """Load and check the course data set; raise one DataError listing every problem.

    ``data_dir`` is a copy of data/ (for example with a role added); by default the data
    shipped with the course. Results are cached per directory and reloaded when a file changes.

    >>> data = load()
    >>> len(data.reporting_lines) >= 5
    True
    """
    directory = Path(data_dir).expanduser().resolve() if data_dir is not None else default_data_dir()
    key = (str(directory), _fingerprint(directory))
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
    if cached is not None:
        return cached
    data = _load_uncached(directory)
    with _CACHE_LOCK:
        for old in [k for k in _CACHE if k[0] == key[0]]:
            del _CACHE[old]
        _CACHE[key] = data
    return data


def course_data(data: DataSource = None) -> CourseData:
    """The course data a public function was given: a CourseData as it is, a folder loaded, None the course's own.

    Every public function of rolelib that needs the data takes it as ``data=`` and resolves it here.

    >>> course_data().compared_roles == course_data(load()).compared_roles
    True
    """
    if isinstance(data, CourseData):
        return data
    if data is None or isinstance(data, (str, os.PathLike)):
        return load(data)
    raise TypeError(f"data= takes a CourseData (from rolelib.load()), a data folder or None, "
                    f"not {type(data).__name__}")


def _fingerprint(directory: Path) -> tuple:
    stamps = []
    for table in TABLES.values():
        try:
            stat = (directory / table.file).stat()
            stamps.append((stat.st_mtime_ns, stat.st_size))
        except OSError:
            stamps.append(None)
    return tuple(stamps)


def _load_uncached(directory: Path) -> CourseData:
    if not directory.is_dir():
        raise DataError([Problem(str(directory), None, None, None,
                                 "a folder holding the course's CSV files (a copy of data/)")])
    problems: list[Problem] = []
    # Each table as columns (name -> cells, top to bottom), and the spreadsheet row of each cell.
    columns: dict[str, dict[str, list[str | None]]] = {}
    row_numbers: dict[str, list[int]] = {}
    for name, table in TABLES.items():
        parsed = _read_csv(directory / table.file, table, problems)
        if parsed is None:
            continue
        header, row_numbers[name], cells = parsed
        read = dict(zip(header, cells))
        # A column an instructor left out, where that is allowed, is empty: None in every row.
        columns[name] = {column: read[column] if column in read else [None] * len(row_numbers[name])
                         for column in table.columns}
    checked: dict[str, dict[str, list[Any]]] = {}
    for name, table_columns in columns.items():
        table_problems, checked[name] = _check_table(name, table_columns, row_numbers[name])
        problems.extend(table_problems)
    problems.extend(_check_references(columns, row_numbers))
    if problems:
        raise DataError(problems, str(directory))
    role_order = checked["roles"]["role_id"]
    return CourseData(data_dir=directory, **{name: _frame(name, checked[name], role_order) for name in TABLES})


def _read_csv(path: Path, table: Table, problems: list[Problem]):
    """Parse one CSV as a spreadsheet would; return (header, row numbers, cells by column) or None.

    Cells are stripped of surrounding spaces; an empty cell is None.
    """
    name = table.file
    try:
        payload = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(name, None, None, None,
                                "this file to exist in the data folder (copy it from the course's data/)"))
        return None
    except OSError as exc:
        problems.append(Problem(name, None, None, None, f"a readable file ({exc.strerror})"))
        return None
    try:
        text = payload.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = payload[: exc.start].count(b"\n") + 1
        problems.append(Problem(name, row, None, repr(payload[exc.start:exc.start + 4]),
                                "text saved as UTF-8 (in a spreadsheet: Save As, CSV UTF-8)"))
        return None
    if not text.strip():
        problems.append(Problem(name, None, None, None,
                                "a header row naming the columns: " + ", ".join(table.columns)))
        return None
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    header: list[str] | None = None
    numbers: list[int] = []
    # The cells go straight into one list per column: a list or tuple kept per row would be
    # one more object per row for the garbage collector, and a large table many collections.
    by_column: list[list[str | None]] = []
    uneven: list[tuple[int, int]] = []  # (row, number of cells) where that differs from the header
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            cells = [cell.strip() for cell in record]
            if not any(cells):
                continue
            if header is None:
                header, by_column = cells, [[] for _ in cells]
            elif len(cells) != len(header):
                uneven.append((number, len(cells)))
            else:
                numbers.append(number)
                for column, cell in zip(by_column, cells):
                    column.append(cell or None)
    except csv.Error as exc:
        problems.append(Problem(name, number + 1, None, None,
                                f"a well-formed CSV row ({exc}); check quotes and very long cells"))
        return None
    if header is None:
        problems.append(Problem(name, None, None, None,
                                "a header row naming the columns: " + ", ".join(table.columns)))
        return None
    known = set(table.columns)
    bad = False
    for column in header:
        if column not in known:
            problems.append(Problem(name, 1, column or "(blank)", None,
                                    "only the documented columns: " + ", ".join(table.columns)))
            bad = True
    if len(set(header)) != len(header):
        problems.append(Problem(name, 1, None, None, "each column name once in the header"))
        bad = True
    for column, spec in table.columns.items():
        if column not in header and spec.required:
            problems.append(Problem(name, 1, column, None, f"a column named {column!r} in the header"))
            bad = True
    if not numbers and not uneven:
        problems.append(Problem(name, 2, None, None, "at least one data row under the header"))
        bad = True
    for number, count in uneven:
        problems.append(Problem(name, number, None, f"{count} cells",
                                f"{len(header)} cells, one per column of the header "
                                "(a comma inside a value needs the value in double quotes)"))
        bad = True
    return None if bad else (header, numbers, by_column)


_EMPTY = "a value (this cell must not be empty)"


@lru_cache(maxsize=None)
def _column_checker(name: str) -> "SchemaValidator":
    """A validator for every column of one table, built from its description in TABLES.

    Built with pydantic-core's schema API (the engine under pydantic): the same checks and
    error records as a pydantic model, without building model classes, which would take longer
    than reading and checking all the data.
    """
    from pydantic_core import SchemaValidator, core_schema

    fields = {}
    for column, spec in TABLES[name].columns.items():
        if spec.kind == "int":
            cell = core_schema.int_schema(ge=-(2**63), lt=2**63)  # what an int64 column can hold
        elif spec.kind == "category" and spec.values:
            cell = core_schema.literal_schema(list(spec.values))
        else:
            cell = core_schema.str_schema(max_length=MAX_TEXT)
        cell = cell if spec.required else core_schema.nullable_schema(cell)
        fields[column] = core_schema.typed_dict_field(core_schema.list_schema(cell))
    return SchemaValidator(core_schema.typed_dict_schema(fields, extra_behavior="forbid"))


def _check_table(name: str, columns: dict[str, list[str | None]],
                 row_numbers: list[int]) -> tuple[list[Problem], dict[str, list[Any]]]:
    """Required cells, allowed values, lengths and whole numbers (pydantic-core), then unique ids.

    Returns the problems and, when there are none, the columns with their cells converted.
    """
    from pydantic_core import ValidationError

    table = TABLES[name]
    problems: list[Problem] = []
    checked: dict[str, list[Any]] = {}
    try:
        checked = _column_checker(name).validate_python(columns)
    except ValidationError as errors:
        for error in errors.errors(include_url=False):
            column, position = str(error["loc"][0]), error["loc"][1]
            value = error["input"]
            problems.append(Problem(table.file, row_numbers[int(position)], column,
                                    None if value is None else str(value),
                                    _EMPTY if value is None else _expected(table.columns[column], error["type"])))
    first_use: dict[str, int] = {}
    for number, key in zip(row_numbers, columns[table.id_column]):
        if key is None:
            continue
        if key in first_use:
            problems.append(Problem(table.file, number, table.id_column, key,
                                    f"an id not used in another row (row {first_use[key]} has it already)"))
        else:
            first_use[key] = number
    return sorted(problems, key=lambda p: (p.row or 0, str(p.column))), checked


def _expected(spec: Column, error_type: str) -> str:
    """What a cell should hold, in the words of the data dictionary, for one validation error."""
    if error_type == "string_too_long":
        return f"at most {MAX_TEXT} characters"
    return expectation(spec)


def _check_references(columns: dict[str, dict[str, list[str | None]]],
                      row_numbers: dict[str, list[int]]) -> list[Problem]:
    """Every id a row names must exist in the table it points to; no one reports to themselves."""
    problems: list[Problem] = []
    for name, table_columns in columns.items():
        table = TABLES[name]
        for column, spec in table.columns.items():
            if spec.kind != "ref" or spec.ref not in columns:
                continue
            known = set(columns[spec.ref][TABLES[spec.ref].id_column]) - {None}
            for number, value in zip(row_numbers[name], table_columns[column]):
                if value is not None and value not in known:
                    problems.append(Problem(table.file, number, column, value,
                                            f"{expectation(spec)} (known: {', '.join(sorted(known))})"))
    for name, table_columns in columns.items():
        together = TABLES[name].unique_together
        if not together:
            continue
        first_rows: dict[tuple, int] = {}
        for number, pair in zip(row_numbers[name], zip(*(table_columns[column] for column in together))):
            if pair in first_rows:
                problems.append(Problem(TABLES[name].file, number, " + ".join(together), " + ".join(map(str, pair)),
                                        f"each combination of {' and '.join(together)} only once "
                                        f"(row {first_rows[pair]} has it already)"))
            else:
                first_rows[pair] = number
    lines = columns.get("reporting_lines")
    if lines is not None:
        for number, role, boss in zip(row_numbers["reporting_lines"], lines["role_id"], lines["reports_to"]):
            if role is not None and role == boss:
                problems.append(Problem("reporting_lines.csv", number, "reports_to", boss,
                                        "a role other than the one in role_id"))
    return problems


def _frame(name: str, columns: dict[str, list[Any]], role_order: list[str]) -> "pd.DataFrame":
    """One checked table as a DataFrame: whole numbers, text, and categoricals for closed sets."""
    import numpy as np
    import pandas as pd

    # Each column is made with its final type, then the frame at once: changing the columns of
    # a frame already made costs more than the rest of the load.
    made: dict[str, Any] = {}
    for column, spec in TABLES[name].columns.items():
        values = columns[column]
        if spec.kind == "int":
            made[column] = np.array(values, dtype="int64")
        elif spec.kind == "category":
            categories = list(spec.values) if spec.values else list(dict.fromkeys(v for v in values if v is not None))
            made[column] = pd.Categorical(values, categories=categories, ordered=spec.ordered)
        elif spec.kind == "ref" and spec.ref == "roles":
            made[column] = pd.Categorical(values, categories=role_order)
        else:
            made[column] = pd.Series(values, dtype=object)  # text stays object: None where a cell is empty
    return pd.DataFrame(made)
