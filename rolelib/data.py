"""Load the course data set, check all of it, and hand it over as pandas DataFrames."""

from __future__ import annotations

import csv
import os
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Union

from rolelib._errors import DataError, Problem
from rolelib._schema import MAX_TEXT, TABLES, Column, Table, expectation

if TYPE_CHECKING:
    import pandas as pd

PathLike = Union[str, "os.PathLike[str]"]

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
    raw: dict[str, tuple[list[str], list[tuple[int, list[str]]]]] = {}
    for name, table in TABLES.items():
        parsed = _read_csv(directory / table.file, table, problems)
        if parsed is not None:
            raw[name] = parsed
    frames = {name: _to_frame(TABLES[name], header, rows) for name, (header, rows) in raw.items()}
    row_numbers = {name: [number for number, _ in rows] for name, (_, rows) in raw.items()}
    for name, frame in frames.items():
        problems.extend(_check_table(TABLES[name], frame, row_numbers[name]))
    problems.extend(_check_references(frames, row_numbers))
    if problems:
        raise DataError(problems, str(directory))
    return CourseData(data_dir=directory, **{name: _typed(name, frames) for name in TABLES})


def _read_csv(path: Path, table: Table, problems: list[Problem]):
    """Parse one CSV as a spreadsheet would; return (header, [(row number, cells)]) or None."""
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
    records: list[tuple[int, list[str]]] = []
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            records.append((number, [cell.strip() for cell in record]))
    except csv.Error as exc:
        problems.append(Problem(name, number + 1, None, None,
                                f"a well-formed CSV row ({exc}); check quotes and very long cells"))
        return None
    records = [(n, cells) for n, cells in records if any(cells)]
    header = records[0][1]
    rows = records[1:]
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
    if not rows:
        problems.append(Problem(name, 2, None, None, "at least one data row under the header"))
        bad = True
    for number, cells in rows:
        if len(cells) != len(header):
            problems.append(Problem(name, number, None, f"{len(cells)} cells",
                                    f"{len(header)} cells, one per column of the header "
                                    "(a comma inside a value needs the value in double quotes)"))
            bad = True
    return None if bad else (header, rows)


def _to_frame(table: Table, header: list[str], rows: list[tuple[int, list[str]]]) -> "pd.DataFrame":
    import pandas as pd

    frame = pd.DataFrame([cells for _, cells in rows], columns=header, dtype=object)
    for column in table.columns:
        if column not in frame:
            frame[column] = ""
    frame = frame[list(table.columns)].replace({"": None})
    return frame.reset_index(drop=True)


_PANDERA_WORDS = {
    "not_nullable": "a value (this cell must not be empty)",
    "field_uniqueness": "an id not used in another row",
}


def _check_table(table: Table, frame: "pd.DataFrame", row_numbers: list[int]) -> list[Problem]:
    """Types, required cells, allowed values, lengths and unique ids, checked with pandera."""
    import pandera.pandas as pa
    from pandera.errors import SchemaErrors

    columns = {}
    for name, spec in table.columns.items():
        checks = []
        # No type check for text: every cell comes from the CSV reader as a str (None when
        # empty), so pandera's cell-by-cell str check could never fail; it took half of a load.
        dtype = None
        if spec.kind == "int":
            dtype = "int64"
        elif spec.kind == "category" and spec.values:
            checks.append(pa.Check.isin(spec.values, error=expectation(spec)))
        elif spec.kind in ("text", "id", "ref", "category"):
            checks.append(pa.Check.str_length(max_value=MAX_TEXT, error=f"at most {MAX_TEXT} characters"))
        columns[name] = pa.Column(dtype, checks=checks, nullable=not spec.required,
                                  unique=spec.kind == "id", coerce=spec.kind == "int")
    schema = pa.DataFrameSchema(columns)
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as errors:
        return _problems_from_pandera(table, errors.failure_cases, row_numbers)
    return []


def _problems_from_pandera(table: Table, cases: "pd.DataFrame", row_numbers: list[int]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple] = set()
    first_use = _first_uses(cases, row_numbers)
    coerced = set(cases.loc[cases["check"].astype(str).str.startswith("coerce_dtype"), "column"])
    for case in cases.itertuples(index=False):
        column, check = case.column, str(case.check)
        index = case.index
        if index is None or index != index:  # a column-level failure, e.g. a check that could not run
            continue
        if column in coerced and not check.startswith("coerce_dtype"):
            continue
        spec = table.columns.get(column) if isinstance(column, str) else None
        row = row_numbers[int(index)]
        if check.startswith("coerce_dtype") or check.startswith("dtype"):
            expected = expectation(spec) if spec else "a value of the right type"
        elif check == "field_uniqueness":
            first = first_use[(column, case.failure_case)]
            if first == row:
                continue
            expected = f"an id not used in another row (row {first} has it already)"
        else:
            expected = _PANDERA_WORDS.get(check, check)
        value = None if case.failure_case is None or case.failure_case != case.failure_case else str(case.failure_case)
        key = (row, column, expected)
        if key not in seen:
            seen.add(key)
            problems.append(Problem(table.file, row, column, value, expected))
    return sorted(problems, key=lambda p: (p.row or 0, str(p.column)))


def _first_uses(cases: "pd.DataFrame", row_numbers: list[int]) -> dict[tuple, int]:
    """For each duplicated id, the spreadsheet row where it first appears."""
    first: dict[tuple, int] = {}
    duplicates = cases[cases["check"].astype(str) == "field_uniqueness"]
    for case in duplicates.itertuples(index=False):
        key = (case.column, case.failure_case)
        first[key] = min(first.get(key, row_numbers[int(case.index)]), row_numbers[int(case.index)])
    return first


def _check_references(frames: dict[str, "pd.DataFrame"], row_numbers: dict[str, list[int]]) -> list[Problem]:
    """Every id a row names must exist in the table it points to; no one reports to themselves."""
    problems: list[Problem] = []
    for name, frame in frames.items():
        table = TABLES[name]
        for column, spec in table.columns.items():
            if spec.kind != "ref" or spec.ref not in frames:
                continue
            known = set(frames[spec.ref][TABLES[spec.ref].id_column].dropna())
            for position, value in enumerate(frame[column]):
                if value is not None and value not in known:
                    problems.append(Problem(table.file, row_numbers[name][position], column, value,
                                            f"{expectation(spec)} (known: {', '.join(sorted(map(str, known)))})"))
    for name, frame in frames.items():
        together = list(TABLES[name].unique_together)
        if not together:
            continue
        first_rows: dict[tuple, int] = {}
        for position, pair in enumerate(frame[together].itertuples(index=False, name=None)):
            row = row_numbers[name][position]
            if pair in first_rows:
                problems.append(Problem(TABLES[name].file, row, " + ".join(together), " + ".join(map(str, pair)),
                                        f"each combination of {' and '.join(together)} only once "
                                        f"(row {first_rows[pair]} has it already)"))
            else:
                first_rows[pair] = row
    lines = frames.get("reporting_lines")
    if lines is not None:
        for position, (role, boss) in enumerate(zip(lines["role_id"], lines["reports_to"])):
            if role is not None and role == boss:
                problems.append(Problem("reporting_lines.csv", row_numbers["reporting_lines"][position],
                                        "reports_to", boss, "a role other than the one in role_id"))
    return problems


def _typed(name: str, frames: dict[str, "pd.DataFrame"]) -> "pd.DataFrame":
    """Give a checked table its final types: whole numbers, strings, and categoricals for closed sets."""
    import pandas as pd

    table = TABLES[name]
    frame = frames[name].copy()
    role_order = list(frames["roles"]["role_id"])
    for column, spec in table.columns.items():
        if spec.kind == "int":
            frame[column] = frame[column].astype("int64")
        elif spec.kind == "category":
            values = list(spec.values) if spec.values else list(dict.fromkeys(frame[column].dropna()))
            frame[column] = pd.Categorical(frame[column], categories=values, ordered=spec.ordered)
        elif spec.kind == "ref" and spec.ref == "roles":
            frame[column] = pd.Categorical(frame[column], categories=role_order)
        else:
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame
