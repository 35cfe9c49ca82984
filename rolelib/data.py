"""Load the course data set, check all of it, and hand each caller a copy of its own as pandas DataFrames.

A caller may change the DataFrames it was given (learners are told to experiment): the change
stays in that CourseData. Every :func:`load` returns a fresh copy, so other cells, charts and
exercises keep seeing the data as the files say. Reading and checking the files happens once per
folder and again only when a file changes (see :func:`file_stamps`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from rolelib._deprecated import renamed_keywords
from rolelib._errors import DataError, UnknownNameError
from rolelib._schema import TABLES
from rolelib._types import DataSource, PathLike

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pandas as pd


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
    vocabulary: "pd.DataFrame"
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
        """The full title of a role; an unknown role raises UnknownNameError listing the roles.

        >>> load().role_title("CSO")
        'Chief Security Officer'
        """
        return _title(self.roles, "role_id", role_id, "role")

    def difference_title(self, difference: str) -> str:
        """The title dimensions.csv gives a difference (or the foundation, ``"roles"``).

        >>> load().difference_title("reporting")
        'Reporting structure'
        """
        return _title(self.dimensions, "dimension_id", difference, "difference")

    @renamed_keywords(dimension="difference")
    def facts(self, difference: str) -> "pd.DataFrame":
        """Every statement about one difference (or ``"roles"``), with role and source, as one tidy table.

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
        if difference not in tables:
            raise UnknownNameError("difference", difference, tables)
        main = tables[difference][["role_id", "statement", "source_id"]].astype(str)
        notes = self.notes[self.notes["dimension_id"] == difference]
        notes = notes.assign(role_id=notes["role_id"].astype(object).fillna(""))[["role_id", "statement", "source_id"]]
        return pd.concat([main, notes.astype(str)], ignore_index=True)

    @renamed_keywords(dimension="difference")
    def compare(self, role_a: str, role_b: str, difference: str) -> "pd.DataFrame":
        """Two roles side by side on one difference: one column per role, one statement per row.

        >>> table = load().compare("CIO", "CISO", "focus")
        >>> list(table.columns)
        ['CIO', 'CISO']
        """
        import pandas as pd

        for role in (role_a, role_b):
            self.role_title(role)
        facts = self.facts(difference)
        columns = {role: facts.loc[facts["role_id"] == role, "statement"].reset_index(drop=True)
                   for role in (role_a, role_b)}
        return pd.DataFrame(columns).fillna("")

    def citation(self, source_id: str = "article") -> str:
        """A one-line citation of a source.

        >>> load().citation().startswith("Michelle Moore")
        True
        """
        rows = self.sources[self.sources["source_id"] == source_id]
        if rows.empty:
            raise UnknownNameError("source", source_id, self.sources["source_id"].astype(str))
        row = rows.iloc[0]
        text = f"{row['author']}, \u201c{row['title']}\u201d, {row['publisher']}"
        if isinstance(row["url"], str) and row["url"]:
            text += f", {row['url']}"
        return text + "."

    def copy(self) -> CourseData:
        """A copy whose DataFrames can be changed without touching this one's.

        >>> data = load()
        >>> copy = data.copy()
        >>> copy.roles.loc[0, "title"] = "Chief Banana Officer"
        >>> data.roles.loc[0, "title"]
        'Chief Information Officer'
        """
        return dataclasses.replace(self, **{name: frame.copy(deep=True) for name, frame in self.tables.items()})

    def fingerprint(self) -> str:
        """A digest of the folder and of every table's content: the key for anything drawn from this data.

        Equal data (two loads of the same files) gives the same digest; any edit to a table
        gives another, so nothing made from the data before the edit is mistaken for it after.

        >>> data = load()
        >>> data.fingerprint() == load().fingerprint()
        True
        >>> data.roles.loc[0, "title"] = "Chief Banana Officer"
        >>> data.fingerprint() == load().fingerprint()
        False
        """
        try:
            content = pickle.dumps((str(self.data_dir), self.tables), protocol=5)
        except Exception:  # noqa: BLE001 - a cell holding something that cannot be pickled
            return f"unhashable-{id(self)}-{os.urandom(8).hex()}"  # never equal to another: nothing is reused
        return hashlib.blake2b(content, digest_size=16).hexdigest()


def _title(table: pd.DataFrame, id_column: str, name: str, what: str) -> str:
    """The title of the row whose ``id_column`` is ``name``; UnknownNameError lists the ids."""
    match = table.loc[table[id_column] == name, "title"]
    if match.empty:
        raise UnknownNameError(what, name, table[id_column].astype(str))
    return str(match.iloc[0])


def load(data_dir: PathLike | None = None) -> CourseData:
    """Load and check the course data set; raise one DataError listing every problem.

    ``data_dir`` is a copy of data/ (for example with a role added); by default the data
    shipped with the course. Each call returns a copy of its own: what a caller changes in it
    stays there. The files are read and checked again only when one of them changes.

    >>> data = load()
    >>> len(data.reporting_lines) >= 5
    True
    >>> load() is load()
    False
    """
    directory = Path(data_dir).expanduser().resolve() if data_dir is not None else default_data_dir()
    return _checked(directory).copy()


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


def file_stamps(folder: Path, names: Iterable[str] | None = None) -> tuple:
    """The size and modification time of some files of a folder (every file when ``names`` is None).

    The key of a cache of what was read from them: it changes when a file is saved, added or
    removed. A missing file or folder has a stamp too, so it is told apart from an empty one.

    >>> file_stamps(default_data_dir(), ["roles.csv"]) == file_stamps(default_data_dir(), ["roles.csv"])
    True
    """
    if names is None:
        try:
            names = sorted(path.name for path in folder.iterdir())
        except OSError:
            return ("no folder",)
    stamps = []
    for name in names:
        try:
            stat = (folder / name).stat()
            stamps.append((name, stat.st_mtime_ns, stat.st_size))
        except OSError:
            stamps.append((name, None))
    return tuple(stamps)


# The checked data of each folder, as read: never handed out, only copies of it.
_CHECKED: dict[str, tuple[tuple, CourseData]] = {}
_CHECKED_LOCK = threading.Lock()


def _checked(directory: Path) -> CourseData:
    """The checked data of a folder, read again only when one of its files changed."""
    stamps = file_stamps(directory, [table.file for table in TABLES.values()])
    with _CHECKED_LOCK:
        kept = _CHECKED.get(str(directory))
    if kept is not None and kept[0] == stamps:
        return kept[1]
    data = _load_uncached(directory)
    with _CHECKED_LOCK:
        _CHECKED[str(directory)] = (stamps, data)
    return data


def _load_uncached(directory: Path) -> CourseData:
    from rolelib._tables import read_tables

    frames, problems = read_tables(directory)
    if problems:
        raise DataError(problems, str(directory))
    return CourseData(data_dir=directory, **frames)
