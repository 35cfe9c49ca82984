"""The files a class handed in: found, read one by one, graded again, and matched to learners.

Behind :func:`rolelib.instructor.report.class_report`. Three rules:

- **No file can stop the rest.** Each file is read on its own; whatever goes wrong with it
  (of any type) is written down with the file and the reason, and the next file is read.
  Only regular files are opened, and only up to the size limit (see
  :func:`rolelib.progress.export.read_export_bytes`).
- **Grades come from the banks, never from the file.** Every attempt is graded again by its
  question's kind, as the live exercise grades it, against the version of the question the
  attempt names (its ``variant``); a file's ``correct`` and ``score`` are not used, its hints
  are capped at the question's number of hints, and question ids the banks do not know,
  versions they do not have and orders that are not of the version's options are left out
  of every score (and listed); an answer its version does not take is wrong (and listed).
- **No one's work is silently replaced.** A learner is the account an export records
  (JupyterHub's login), or the name typed where there is no account. When one learner
  handed in several files, one is used and the others are listed; exports that claim one
  name from different accounts, an account handing in under several names and dates in the
  future are listed too, in the "needs a look" table.
"""

from __future__ import annotations

import os
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from rolelib._errors import _short
from rolelib._files import not_a_regular_file
from rolelib._markup import counted
from rolelib.instructor._grades import Grades
from rolelib.instructor._reading import UNKNOWN_SHOWN, HandedIn, look_at
from rolelib.progress.export import export_kind

if TYPE_CHECKING:
    from rolelib._types import PathLike
    from rolelib.kinds import Question


LookRow = tuple[str, str, str, str, str, str]
"""A row of the "needs a look" table: issue, learner, account, files, the file used ('' for none), detail."""



@dataclass
class Collected:
    """What was handed in: the export used for each learner, the files not used, and what needs a look."""

    used: list[HandedIn]
    skipped: list[tuple[str, str]]
    needs_a_look: list[LookRow]


def collect(paths: Iterable[PathLike], banks: dict[str, Question], *, max_bytes: int,
            now: datetime | None = None) -> Collected:
    """Read, grade and match every export in ``paths`` (files and folders); nothing in a file can stop it."""
    now = now or datetime.now(timezone.utc)
    skipped: list[tuple[str, str]] = []
    exports: list[HandedIn] = []
    seen_paths: dict[Hashable, str] = {}
    seen_content: dict[str, str] = {}
    grades = Grades(banks)
    for path, problem in find_files(paths):
        if problem:
            skipped.append((str(path), problem))
            continue
        identity, digest, blank, handed_in, reason = look_at(path, grades, max_bytes)
        if identity in seen_paths:
            skipped.append((str(path), f"listed twice (already read as {seen_paths[identity]})"))
            continue
        seen_paths[identity] = str(path)
        if digest is not None:
            if digest in seen_content and not blank:
                skipped.append((str(path), f"identical to {seen_content[digest]} (the same file handed in twice)"))
                continue
            seen_content.setdefault(digest, str(path))
        if handed_in is None:
            skipped.append((str(path), reason))
        else:
            exports.append(handed_in)
    used, needs_a_look = _match(exports, now)
    return Collected(used, skipped, needs_a_look)


def find_files(paths: Iterable[PathLike]) -> list[tuple[Path, str]]:
    """Every file to read, with the reason it cannot be ('' when it may be read).

    In a folder (searched recursively, links to folders not followed), only names ending in
    .json or .csv count; hidden files and folders (such as .ipynb_checkpoints) are ignored.
    Pipes, devices and links to nothing among them are listed with a reason, never opened.
    """
    found: list[tuple[Path, str]] = []
    for given in paths:
        path = Path(given).expanduser()
        if not path.is_dir():
            found.append((path, "" if os.path.lexists(path) else "there is no such file or folder"))
            continue
        inside: list[tuple[Path, str]] = []
        unreadable: list[tuple[Path, str]] = []
        for folder, subfolders, names in os.walk(path, onerror=lambda error: unreadable.append(
                (Path(error.filename), f"this folder cannot be read ({error.strerror or error})"))):
            subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
            for name in sorted(names):
                file = Path(folder) / name
                if not name.startswith(".") and export_kind(file) is not None:
                    inside.append((file, not_a_regular_file(file)))
        found += inside + unreadable
        if not inside and not unreadable:
            found.append((path, "this folder holds no .json or .csv file"))
    return found




# -- who is who ----------------------------------------------------------------------------------


def learner_key(learner: str) -> str:
    """A name as the report compares names: case and spacing ignored.

    >>> learner_key("  Ada   LOVELACE ") == learner_key("ada lovelace")
    True
    """
    return " ".join(learner.split()).casefold()


def _match(exports: list[HandedIn], now: datetime) -> tuple[list[HandedIn], list[LookRow]]:
    """The export used for each learner, and the rows of the "needs a look" table."""
    look: list[LookRow] = []
    groups: dict[tuple[str, str], list[HandedIn]] = {}
    for export in exports:
        key = ("account", export.account) if export.account else ("name", learner_key(export.learner))
        groups.setdefault(key, []).append(export)
    used = []
    for group in groups.values():
        chosen = max(group, key=lambda export: _trust_order(export, now))
        used.append(chosen)
        if len(group) > 1:
            look.append(_handed_in_twice(group, chosen, now))
    by_name: dict[str, list[HandedIn]] = {}
    for export in used:
        by_name.setdefault(learner_key(export.learner), []).append(export)
    for same in by_name.values():
        if len({export.account for export in same}) > 1:
            look.append(_one_name_several_accounts(same))
    used_files = {export.file for export in used}
    for export in exports:
        stamp = export.future(now)
        if stamp is not None:
            look.append(_file_row(export, used_files, "dated in the future",
                                  f"it is dated {_when(stamp)}, a time still to come; "
                                  "a date in the future is never taken as the latest"))
        if export.unknown:
            more = f" and {export.unknown - len(export.unknown_shown):,} more" if export.unknown > UNKNOWN_SHOWN else ""
            look.append(_file_row(export, used_files, "questions not in the course",
                                  f"{counted(export.unknown, 'question id')} that the course's banks do not have "
                                  f"{'was' if export.unknown == 1 else 'were'} left out of every score: "
                                  f"{', '.join(export.unknown_shown)}{more}"))
        if export.versions_unknown:
            look.append(_file_row(export, used_files, "versions not in the course",
                                  "attempts naming a version of a question the course's banks do not have, or an "
                                  "order of options that is not the version's, were left out of every score: "
                                  + ", ".join(export.versions_unknown)))
        if export.unfit:
            look.append(_file_row(export, used_files, "answers the questions do not take",
                                  "answers that do not fit their question as the banks have it (an option or item "
                                  "text changed since they were given, or the file was edited) count as wrong: "
                                  + ", ".join(export.unfit)))
    return used, look


def _file_row(export: HandedIn, used_files: set[str], issue: str, detail: str) -> LookRow:
    """A "needs a look" row about one file: its learner and account, and the file if it is the one used."""
    return (issue, export.learner, export.account or "", export.file, export.file if export.file in used_files else "",
            detail)


def _trust_order(export: HandedIn, now: datetime) -> tuple:
    """Sort key for the export to use: one dated in the present or past first, then the latest, then by file."""
    when = export.when
    return (export.future(now) is None, when is not None, when or now, export.file)


def _handed_in_twice(group: list[HandedIn], chosen: HandedIn, now: datetime) -> LookRow:
    others = [export for export in group if export is not chosen]
    names = sorted({export.learner for export in group})
    several_names = chosen.account is not None and len({learner_key(name) for name in names}) > 1
    why = (f"it was made last ({_when(chosen.when)})" if chosen.when else "no file says when it was made, so "
           "the last file by name was taken")
    if any(export.future(now) is not None for export in others):
        why += "; a file dated in the future is not taken as the latest"
    if several_names:
        issue = "one account, several names"
        detail = (f"the account {_short(chosen.account)} handed in under {len(names)} names "
                  f"({', '.join(_short(name) for name in names)}); {chosen.file} is used because {why}")
    else:
        issue = "handed in more than once"
        detail = f"{chosen.file} is used because {why}; {counted(len(others), 'other file')} not counted"
    files = "; ".join([chosen.file, *(export.file for export in others)])
    return (issue, chosen.learner, chosen.account or "", files, chosen.file, detail)


def _one_name_several_accounts(same: list[HandedIn]) -> LookRow:
    accounts = [_short(export.account) if export.account else "no account" for export in same]
    return ("one name, several accounts", same[0].learner, ", ".join(export.account or "" for export in same),
            "; ".join(export.file for export in same), "",
            f"{len(same)} exports name this learner from different accounts ({', '.join(accounts)}); each is "
            "counted as a learner of its own: check who is who before using the grades")


def _when(stamp: datetime | None) -> str:
    return stamp.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC") if stamp else "an unknown time"
