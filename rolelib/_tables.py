"""Read the course's CSV files, check every cell against rolelib._schema, and make the DataFrames.

Every problem found is collected (file, row, column, value, what was expected), so that an
instructor fixes them all in one pass; rolelib.data raises them as one DataError.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rolelib._errors import Problem
from rolelib._files import MAX_TABLE_BYTES, Unreadable, read_inside
from rolelib._schema import MAX_TEXT, TABLES, Column, Table, expectation, with_article

if TYPE_CHECKING:
    import pandas as pd
    from pydantic_core import SchemaValidator

Columns = dict[str, list[Any]]  # column name -> cells, top to bottom


def read_tables(directory: Path) -> tuple[dict[str, "pd.DataFrame"], list[Problem]]:
    """Every table of a data folder as a DataFrame, or (when anything is wrong) every problem."""
    if not directory.is_dir():
        return {}, [Problem(str(directory), None, None, None,
                            "a folder holding the course's CSV files (a copy of data/)")]
    problems: list[Problem] = []
    columns: dict[str, Columns] = {}
    row_numbers: dict[str, list[int]] = {}  # the spreadsheet row of each data row
    for name, table in TABLES.items():
        parsed = _read_csv(directory / table.file, table, problems)
        if parsed is None:
            continue
        header, row_numbers[name], cells = parsed
        read = dict(zip(header, cells))
        # A column an instructor left out, where that is allowed, is empty: None in every row.
        columns[name] = {column: read.get(column, [None] * len(row_numbers[name])) for column in table.columns}
    checked: dict[str, Columns] = {}
    for name, table_columns in columns.items():
        table_problems, checked[name] = _check_table(name, table_columns, row_numbers[name])
        problems.extend(table_problems)
    problems.extend(_check_references(columns, row_numbers))
    if "vocabulary" in columns:
        problems.extend(_near_duplicates(columns["vocabulary"], row_numbers["vocabulary"]))
    if problems:
        return {}, problems
    dtypes: dict[tuple, Any] = {}
    return {name: _frame(name, checked[name], checked, dtypes) for name in TABLES}, []


def _read_text(path: Path, name: str, problems: list[Problem]) -> str | None:
    """The text of a table's file (see :func:`rolelib._files.read_inside`), or None with the problem added."""
    try:
        payload = read_inside(path, path.parent, MAX_TABLE_BYTES)
    except FileNotFoundError:
        problems.append(Problem(name, None, None, None,
                                "this file to exist in the data folder (copy it from the course's data/)"))
        return None
    except Unreadable as exc:
        problems.append(Problem(name, None, None, None, str(exc)))
        return None
    except OSError as exc:
        problems.append(Problem(name, None, None, None, f"a readable file ({exc.strerror})"))
        return None
    try:
        return payload.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = payload[: exc.start].count(b"\n") + 1
        problems.append(Problem(name, row, None, repr(payload[exc.start:exc.start + 4]),
                                "text saved as UTF-8 (in a spreadsheet: Save As, CSV UTF-8)"))
        return None


def _read_csv(path: Path, table: Table, problems: list[Problem]) -> tuple[list[str], list[int], list[list]] | None:
    """Parse one CSV as a spreadsheet would; return (header, row numbers, cells by column) or None.

    Cells are stripped of surrounding spaces; an empty cell is None; blank rows are skipped.
    """
    name = table.file
    text = _read_text(path, name, problems)
    if text is None:
        return None
    header: list[str] | None = None
    numbers: list[int] = []
    # The cells go straight into one list per column, the shape the checks and the DataFrame
    # take: a list kept per row, turned into columns afterwards, made loading the data at 1000x
    # half as slow again (benchmarks/PROFILING.md).
    by_column: list[list[str | None]] = []
    uneven: list[tuple[int, int]] = []  # (row, number of cells) where that differs from the header
    number = 0
    try:
        # Lines end at \n, \r\n or \r only: str.splitlines would also split at U+2028 and other
        # separators, which may stand inside a quoted cell.
        for number, record in enumerate(csv.reader(io.StringIO(text, newline=""), strict=True), start=1):
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
    if len(header) <= 2 and header[0].lower().startswith("sep="):  # Excel's hint line, above the header
        problems.append(Problem(name, 1, None, header[0], "the header row on the first line; a first line 'sep=' is "
                                "a spreadsheet's hint: delete that line (or Save As 'CSV UTF-8 (comma delimited)')"))
        return None
    header, by_column = _without_empty_unnamed_columns(header, by_column)
    separator = _other_separator(text, table, header)
    if separator:
        problems.append(Problem(name, 1, None, None,
                                f"values separated by commas; this file separates them with {separator} "
                                "(in a spreadsheet: Save As, 'CSV UTF-8 (comma delimited)')"))
        return None
    found = _header_problems(name, table, header)
    if not numbers and not uneven:
        found.append(Problem(name, 2, None, None, "at least one data row under the header"))
    for number, count in uneven:
        found.append(Problem(name, number, None, f"{count} cells",
                             f"{len(header)} cells, one per column of the header "
                             "(a comma inside a value needs the value in double quotes)"))
    problems.extend(found)
    return None if found else (header, numbers, by_column)


def _without_empty_unnamed_columns(header: list[str], by_column: list[list]) -> tuple[list[str], list[list]]:
    """The columns that have a name or a value: a spreadsheet may save a column that once held something as an
    empty one with no name (a comma at the end of every line), which says nothing.

    >>> _without_empty_unnamed_columns(["role_id", "", ""], [["CIO"], [None], ["x"]])
    (['role_id', ''], [['CIO'], ['x']])
    """
    kept = [number for number, name in enumerate(header) if name or any(by_column[number])]
    return [header[number] for number in kept], [by_column[number] for number in kept]


_SEPARATORS = {";": "semicolons (;)", "\t": "tabs"}


def _other_separator(text: str, table: Table, header: list[str]) -> str:
    """The name of the separator the file uses instead of commas ('' when commas it is).

    >>> from rolelib._schema import TABLES
    >>> _other_separator("role_id;title;definition\\n", TABLES["roles"], ["role_id;title;definition"])
    'semicolons (;)'
    """
    known = set(table.columns)
    if sum(cell in known for cell in header) >= 2:
        return ""
    first = next((line for line in text.splitlines() if line.strip()), "")
    for separator, name in _SEPARATORS.items():
        cells = [cell.strip().strip('"') for cell in first.split(separator)]
        if sum(cell in known for cell in cells) >= 2:
            return name
    return ""


MARKUP = re.compile(r"<\s*[A-Za-z!/?]|&#?[A-Za-z0-9]+;")
"""Markup in course text: the start of a tag, or an entity."""
MARKUP_EXPECTED = ("plain text: learners see markup such as <b> or &amp; exactly as it is written, "
                   "never as formatting")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""A control character in course text (a tab, a line break and a carriage return are text)."""
CONTROL_EXPECTED = ("text without invisible control characters (often pasted in from another program): the quiz "
                    "files for Canvas and Moodle show each as \ufffd")


def text_warning(file: str, row: int | str, column: str, value: str) -> Problem | None:
    """A warning for a course text that holds a control character or markup (shown as text); None when it is plain."""
    if CONTROL.search(value):
        return Problem(file, row, column, value, CONTROL_EXPECTED)
    if MARKUP.search(value):
        return Problem(file, row, column, value, MARKUP_EXPECTED)
    return None


def cell_warnings(directory: Path) -> list[Problem]:
    """A warning for each text cell of a data folder that holds a control character or markup (a tag or an entity,
    which is shown as text).

    >>> cell_warnings(Path("data-that-is-not-there"))
    []
    """
    found: list[Problem] = []
    for table in TABLES.values():
        parsed = _read_csv(directory / table.file, table, [])
        if parsed is None:
            continue
        header, numbers, cells = parsed
        for column, values in zip(header, cells):
            for number, value in zip(numbers, values):
                warning = text_warning(table.file, number, column, value) if value else None
                if warning is not None:
                    found.append(warning)
    return found


def _header_problems(name: str, table: Table, header: list[str]) -> list[Problem]:
    """Unknown, repeated and missing required columns."""
    found = [Problem(name, 1, column or "(blank)", None, "only the documented columns: " + ", ".join(table.columns))
             for column in header if column not in table.columns]
    if len(set(header)) != len(header):
        found.append(Problem(name, 1, None, None, "each column name once in the header"))
    found += [Problem(name, 1, column, None, f"a column named {column!r} in the header")
              for column, spec in table.columns.items() if column not in header and spec.required]
    return found


_EMPTY = "a value (this cell must not be empty)"


def _column_checker(name: str) -> "SchemaValidator":
    """A validator for every column of one table, built from its description in TABLES.

    Built with pydantic-core's schema API (the engine under pydantic): the same checks and
    error records as a pydantic model, without building model classes, which would take longer
    than reading and checking all the data.
    """
    from pydantic_core import SchemaValidator, core_schema

    fields = {}
    for column, spec in TABLES[name].columns.items():
        if spec.type == "int":
            cell = core_schema.int_schema(ge=-(2**63), lt=2**63)  # what an int64 column can hold
        elif spec.type == "category":
            cell = core_schema.literal_schema(list(spec.values))
        else:
            cell = core_schema.str_schema(max_length=MAX_TEXT)
        cell = cell if spec.required else core_schema.nullable_schema(cell)
        fields[column] = core_schema.typed_dict_field(core_schema.list_schema(cell))
    return SchemaValidator(core_schema.typed_dict_schema(fields, extra_behavior="forbid"))


def _check_table(name: str, columns: Columns, row_numbers: list[int]) -> tuple[list[Problem], Columns]:
    """Required cells, allowed values, lengths and whole numbers (pydantic-core), then unique ids.

    Returns the problems and, when there are none, the columns with their cells converted.
    """
    from pydantic_core import ValidationError

    table = TABLES[name]
    problems: list[Problem] = []
    checked: Columns = {}
    try:
        checked = _column_checker(name).validate_python(columns)
    except ValidationError as errors:
        for error in errors.errors(include_url=False):
            column, position = str(error["loc"][0]), error["loc"][1]
            value = error["input"]
            problems.append(Problem(table.file, row_numbers[int(position)], column,
                                    None if value is None else str(value),
                                    _EMPTY if value is None else _expected(table.columns[column], error["type"])))
    if table.id_column:
        problems.extend(_repeated(table.file, table.id_column, row_numbers, columns[table.id_column],
                                  "an id not used in another row"))
    return sorted(problems, key=lambda p: (p.row or 0, str(p.column))), checked


def _repeated(file: str, column: str, row_numbers: list[int], values: list[Any], expected: str) -> list[Problem]:
    """A problem for each row whose value an earlier row already has (None is never repeated)."""
    problems: list[Problem] = []
    first_row: dict[Any, int] = {}
    for number, value in zip(row_numbers, values):
        if value is None or (isinstance(value, tuple) and None in value):
            continue
        if value in first_row:
            shown = " + ".join(map(str, value)) if isinstance(value, tuple) else value
            problems.append(Problem(file, number, column, shown, f"{expected} (row {first_row[value]} has it already)"))
        else:
            first_row[value] = number
    return problems


def _expected(spec: Column, error_type: str) -> str:
    """What a cell should hold, in the words of the data dictionary, for one validation error."""
    if error_type == "string_too_long":
        return f"at most {MAX_TEXT} characters"
    return expectation(spec)


def _known_values(spec: Column, columns: dict[str, Columns]) -> list[str] | None:
    """The values a reference or vocabulary column may take, or None when their table did not load."""
    if spec.type == "ref" and spec.ref in columns:
        return [value for value in columns[spec.ref][TABLES[spec.ref].id_column] if value is not None]
    if spec.type == "term" and "vocabulary" in columns:
        vocabulary = columns["vocabulary"]
        return [term for family, term in zip(vocabulary["kind"], vocabulary["term"])
                if family == spec.vocabulary and term is not None]
    return None


def _check_references(columns: dict[str, Columns], row_numbers: dict[str, list[int]]) -> list[Problem]:
    """Every id or term a row names must exist where it points; pairs are unique; no one reports to themselves."""
    problems: list[Problem] = []
    for name, table_columns in columns.items():
        table = TABLES[name]
        for column, spec in table.columns.items():
            known = _known_values(spec, columns)
            if known is None:
                continue
            allowed = set(known)
            said: dict[str, str] = {}  # an unknown value is often repeated: find its closest match once
            for number, value in zip(row_numbers[name], table_columns[column]):
                if value is not None and value not in allowed:
                    if value not in said:
                        said[value] = _unknown(spec, value, known, guess=len(said) < _GUESSES)
                    problems.append(Problem(table.file, number, column, value, said[value]))
        if table.unique_together:
            pairs = list(zip(*(table_columns[column] for column in table.unique_together)))
            problems.extend(_repeated(table.file, " + ".join(table.unique_together), row_numbers[name], pairs,
                                      f"each combination of {' and '.join(table.unique_together)} only once"))
    lines = columns.get("reporting_lines")
    if lines is not None:
        for number, role, boss in zip(row_numbers["reporting_lines"], lines["role_id"], lines["reports_to"]):
            if role is not None and role == boss:
                problems.append(Problem("reporting_lines.csv", number, "reports_to", boss,
                                        "a role other than the one in role_id"))
    return problems


_GUESSES = 100  # different unknown values per column given a "did you mean": enough for any real edit


def _unknown(spec: Column, value: str, known: list[str], guess: bool = True) -> str:
    """What an unknown reference or term should have been, with the closest known one when ``guess``."""
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.75) if guess else []
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    if spec.type == "term":
        return (f"{expectation(spec)}{hint}; add a row to vocabulary.csv for a new {spec.vocabulary} "
                f"(known: {', '.join(known)})")
    return f"{expectation(spec)}{hint} (known: {', '.join(sorted(set(known)))})"


def near(a: str, b: str) -> bool:
    """Whether two terms look like one term spelt twice (a typo, a capital, a space).

    >>> near("inovation", "innovation"), near("Risk", "risk"), near("security", "cybersecurity")
    (True, True, False)
    """
    a, b = " ".join(a.casefold().split()), " ".join(b.casefold().split())
    matcher = difflib.SequenceMatcher(None, a, b)
    return a == b or (matcher.real_quick_ratio() >= 0.9 and matcher.quick_ratio() >= 0.9 and matcher.ratio() >= 0.9)


def _near_duplicates(vocabulary: Columns, row_numbers: list[int]) -> list[Problem]:
    """A vocabulary term that is nearly another of the same kind (not the same: that is a repeat)."""
    problems: list[Problem] = []
    earlier: dict[str, list[tuple[str, int]]] = {}
    for number, kind, term in zip(row_numbers, vocabulary["kind"], vocabulary["term"]):
        if kind is None or term is None:
            continue
        for other, row in earlier.get(kind, []):
            if other != term and near(term, other):
                problems.append(Problem("vocabulary.csv", number, "term", term,
                                        f"{with_article(kind)} clearly different from {other!r} (row {row}): a typo? "
                                        f"Did you mean {other!r}? Keep one spelling and use it in every table"))
                break
        earlier.setdefault(kind, []).append((term, number))
    return problems


def _frame(name: str, columns: Columns, tables: dict[str, Columns], dtypes: dict[tuple, Any]) -> "pd.DataFrame":
    """One checked table as a DataFrame: whole numbers, text, and categoricals for closed sets.

    Role columns are categoricals in the order of roles.csv, terms in the order of vocabulary.csv.
    Each categorical is made from its codes, with one dtype per list of categories shared by every
    table of the load (``dtypes``): a third quicker than letting pandas find the codes anew.
    """
    import numpy as np
    import pandas as pd

    made: dict[str, Any] = {}
    for column, spec in TABLES[name].columns.items():
        values = columns[column]
        if spec.type == "int":
            made[column] = np.array(values, dtype="int64")
        elif spec.type == "category" or spec.type == "term" or (spec.type == "ref" and spec.ref == "roles"):
            categories = tuple(spec.values) if spec.type == "category" else tuple(_known_values(spec, tables) or ())
            key = (categories, spec.type == "category" and bool(spec.ordered))
            dtype = dtypes.get(key)
            if dtype is None:
                dtype = dtypes[key] = pd.CategoricalDtype(list(categories), ordered=key[1])
            code = {category: number for number, category in enumerate(categories)}  # every value is one: checked
            made[column] = pd.Categorical.from_codes([-1 if value is None else code[value] for value in values],
                                                     dtype=dtype)
        else:
            made[column] = pd.Series(values, dtype=object)  # text stays object: None where a cell is empty
    return pd.DataFrame(made)
