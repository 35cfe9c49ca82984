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
  of every score (and listed).
- **No one's work is silently replaced.** A learner is the account an export records
  (JupyterHub's login), or the name typed where there is no account. When one learner
  handed in several files, one is used and the others are listed; exports that claim one
  name from different accounts, an account handing in under several names and dates in the
  future are listed too, in the "needs a look" table.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
import threading
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from multiprocessing.connection import Connection
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from rolelib._errors import _short
from rolelib._files import not_a_regular_file
from rolelib.instructor._grades import UNKNOWN_VERSION, Graded, Grades
from rolelib.progress.export import ExportError, export_kind, parse_export, read_export_bytes

if TYPE_CHECKING:
    from rolelib._types import PathLike
    from rolelib.kinds import Choice, Question
    from rolelib.progress import Export

FUTURE_TOLERANCE = timedelta(minutes=10)
"""How far ahead of this computer's clock a date may be before it counts as "in the future" (clocks differ a little)."""
_TWO_PROCESSES_FROM = 2_000  # files: a smaller class is read in one process (a fork costs more than it saves)
_UNKNOWN_SHOWN = 5  # question ids not in the banks named in the "needs a look" table; the rest are counted
_ANY_DIGIT = str.maketrans("0123456789", "0000000000")
_ENDING = itemgetter(slice(-6, None))  # the zone a time is written in: its last 6 characters

LookRow = tuple[str, str, str, str, str, str]
"""A row of the "needs a look" table: issue, learner, account, files, the file used ('' for none), detail."""


class History(NamedTuple):
    """How one learner went about one graded question, as the banks grade it.

    ``first`` holds the options the first answer chose, in ``version`` (the id of the version of
    the question it answered: the question's own id for the bank's entry); ``tries_to_correct`` is the number of
    attempts up to the first right one (0 when none was right); ``hints`` the most hints opened.
    """

    first: tuple[Choice, ...]
    first_correct: bool
    tries_to_correct: int
    hints: int
    version: str = ""


@dataclass
class HandedIn:
    """One export, graded again: who made it, when, and the last result per question of the banks.

    ``results`` maps a question id to the last attempt as the banks grade it (see :data:`Graded`;
    correct is None for an ungraded question); ``history`` maps a graded question's id to
    the learner's :class:`History` with it; ``unknown`` counts the ids the banks do not
    know and ``unknown_shown`` names the first few (shortened: what is kept of a file stays small).
    """

    file: str
    learner: str
    account: str | None
    exported_at: datetime | None
    last_time: datetime | None
    results: dict[str, Graded]
    history: dict[str, History]
    unknown: int = 0
    unknown_shown: tuple[str, ...] = ()
    mode: str = "practice"
    submitted_at: str = ""
    versions_unknown: tuple[str, ...] = ()  # the attempts naming a version or order the banks do not have (a few)

    @property
    def when(self) -> datetime | None:
        """When the export was made, as far as the file says (its date, else its newest attempt)."""
        return self.exported_at or self.last_time

    def future(self, now: datetime) -> datetime | None:
        """The file's date that lies in the future, if one does."""
        for stamp in (self.exported_at, self.last_time):
            if stamp is not None and stamp > now + FUTURE_TOLERANCE:
                return stamp
        return None


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
    found = find_files(paths)
    readable = [path for path, problem in found if not problem]
    looks = iter(_look_at_all(readable, grades, max_bytes))
    for path, problem in found:
        if problem:
            skipped.append((str(path), problem))
            continue
        identity, digest, blank, handed_in, reason = next(looks)
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


Look = tuple[Hashable, "str | None", bool, "HandedIn | None", str]
"""What reading one file found: its identity (device and inode), the digest of its content (None when it could
not be read), whether it is blank, the file graded again (None when it is not usable) and the reason it is not."""


def _look_at(path: Path, grades: Grades, max_bytes: int) -> Look:
    """Read, check and grade one file on its own (whatever goes wrong, the reason): the report decides after,
    in the order the files were found, which files were listed twice or handed in twice."""
    try:  # the file itself, however it is named (a link, another spelling of its path): one look at it
        status = os.stat(path)
        identity: Hashable = (status.st_dev, status.st_ino)
    except OSError:  # reading it will say what is wrong
        identity = path
    digest = None
    blank = True
    try:
        payload = read_export_bytes(path, max_bytes)
        digest = hashlib.sha256(payload).hexdigest()
        blank = not payload.strip()
        return identity, digest, blank, grade_again(parse_export(path, payload), str(path), grades), ""
    except ExportError as exc:
        return identity, digest, blank, None, exc.reason
    except Exception as exc:  # noqa: BLE001 - whatever a file does, the report goes on without it
        return identity, digest, blank, None, f"it could not be read ({type(exc).__name__}: {_short(str(exc))})"


def _look_at_all(paths: list[Path], grades: Grades, max_bytes: int) -> list[Look]:
    """:func:`_look_at` every file, in order; a large class in two processes (this one and a forked one,
    which reads three fifths of the files).

    Forking is safe only in a process with one thread (a script, the ``rolelib report`` command);
    in a Jupyter kernel (several threads), on a system without fork, on one core, or in a daemonic worker
    (which may not start one), one process reads all.
    """
    if (len(paths) < _TWO_PROCESSES_FROM or (os.cpu_count() or 1) < 2 or threading.active_count() > 1
            or "fork" not in multiprocessing.get_all_start_methods() or multiprocessing.current_process().daemon):
        return [_look_at(path, grades, max_bytes) for path in paths]
    here = len(paths) * 2 // 5  # this process also takes the worker's looks in and builds the tables after
    receiving, sending = multiprocessing.Pipe(duplex=False)
    worker = multiprocessing.get_context("fork").Process(
        target=_look_in_worker, args=(paths[here:], grades, max_bytes, sending), daemon=True)
    worker.start()
    sending.close()
    looks = [_look_at(path, grades, max_bytes) for path in paths[:here]]
    try:
        looks += map(_received, pickle.loads(receiving.recv_bytes()))
    except (EOFError, OSError, pickle.UnpicklingError):  # the worker died: its share is read here
        looks += [_look_at(path, grades, max_bytes) for path in paths[here:]]
    finally:
        receiving.close()
        worker.join()
    return looks


def _look_in_worker(paths: list[Path], grades: Grades, max_bytes: int, sending: Connection) -> None:
    """The forked process's share: every look, sent back at once in a form quick to send (see :func:`_sent`)."""
    try:
        question_ids = {question_id: question_id for question_id in grades.banks}
        sending.send_bytes(pickle.dumps([_sent(_look_at(path, grades, max_bytes), question_ids) for path in paths],
                                        protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        sending.close()


def _sent(look: Look, question_ids: dict[str, str]) -> Look:
    """A look as the worker sends it: the banks' own id texts (sent once, not once per learner) and histories
    as plain tuples (a named tuple costs a call per history to send); :func:`_received` turns them back."""
    handed_in = look[3]
    if handed_in is not None:
        handed_in.results = {question_ids.get(key, key): graded for key, graded in handed_in.results.items()}
        handed_in.history = {question_ids.get(key, key): tuple(history) for key, history in handed_in.history.items()}
    return look


def _received(look: Look) -> Look:
    handed_in = look[3]
    if handed_in is not None:
        handed_in.history = {key: History._make(history) for key, history in handed_in.history.items()}
    return look


def grade_again(export: Export, file: str, grades: Grades) -> HandedIn:
    """Grade every attempt of ``export`` with the banks' questions; the last attempt per question counts.

    The attempts are taken in the order the file lists them (oldest first): the first one at a
    question is the learner's first answer, before any feedback.
    """
    results: dict[str, Graded] = {}
    tracks: dict[str, list] = {}  # question id: [first choices, first correct, tries to correct, hints, tries]
    unknown: set[str] = set()
    versions_unknown: set[str] = set()
    times: set[str] = set()
    grade = grades.grade
    for attempt in export.attempts:
        times.add(attempt.time)
        graded = grade(attempt)
        question_id = attempt.question_id
        if graded is None:
            unknown.add(question_id)
            continue
        if graded is UNKNOWN_VERSION:  # a version or an order the banks do not have for the question
            versions_unknown.add(_short(f"{question_id} as {attempt.variant}" if attempt.variant != question_id
                                        else f"{question_id} in another order", 60))
            continue
        results[question_id] = graded
        correct = graded[0]
        if correct is None:
            continue
        track = tracks.get(question_id)
        if track is None:
            tracks[question_id] = [graded[2], correct, 1 if correct else 0, graded[3], 1, graded[4]]
            continue
        track[4] += 1
        if correct and not track[2]:
            track[2] = track[4]
        if graded[3] > track[3]:
            track[3] = graded[3]
    history = {question_id: History(track[0], track[1], track[2], track[3], track[5])
               for question_id, track in tracks.items()}
    stamps = [stamp for stamp in map(timestamp, _latest_candidates(times)) if stamp is not None]
    shown = tuple(_short(question_id, 40) for question_id in sorted(unknown)[:_UNKNOWN_SHOWN])
    return HandedIn(file, export.learner, export.account, timestamp(export.exported_at), max(stamps, default=None),
                    results, history, len(unknown), shown, export.mode, export.submitted_at or "",
                    tuple(sorted(versions_unknown)[:_UNKNOWN_SHOWN]))


def _latest_candidates(times: set[str]) -> list[str]:
    """The times among which the latest is: of times written alike (the same layout, the same ending), the
    greatest text.

    Times written alike (digits in the same places, the same zone) sort as text in time order,
    so a file's hundreds of attempt times are read as dates only a few at a time.

    >>> sorted(_latest_candidates({"2025-03-03T10:00:00+00:00", "2025-03-03T09:00:00+00:00", "2025-03-03T11:00Z"}))
    ['2025-03-03T10:00:00+00:00', '2025-03-03T11:00Z']
    """
    greatest = max(times, default="")
    if (len(set(map(len, times))) == 1 and len(set(map(_ENDING, times))) == 1
            and "".join(times).translate(_ANY_DIGIT) == greatest.translate(_ANY_DIGIT) * len(times)):
        return [greatest]  # all written alike, as the course writes them: looked at in C, no loop in Python
    latest: dict[tuple[int, str], str] = {}
    for text in times:
        shape = (text.translate(_ANY_DIGIT), text[-6:])
        if text > latest.get(shape, ""):
            latest[shape] = text
    return list(latest.values())


def timestamp(value: Any) -> datetime | None:
    """An ISO 8601 date and time as an aware datetime (UTC when it names no zone); None when it is not one.

    >>> timestamp("2025-03-03T10:00:00Z"), timestamp("03/03/2025")
    (datetime.datetime(2025, 3, 3, 10, 0, tzinfo=datetime.timezone.utc), None)
    """
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        stamp = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)


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
            look.append(("dated in the future", export.learner, export.account or "", export.file,
                         export.file if export.file in used_files else "",
                         f"it is dated {_when(stamp)}, a time still to come; "
                         "a date in the future is never taken as the latest"))
        if export.unknown:
            more = f" and {export.unknown - len(export.unknown_shown):,} more" if export.unknown > _UNKNOWN_SHOWN else ""
            look.append(("questions not in the course", export.learner, export.account or "", export.file,
                         export.file if export.file in used_files else "",
                         f"{_plural(export.unknown, 'question id')} that the course's banks do not have "
                         f"{'was' if export.unknown == 1 else 'were'} left out of every score: "
                         f"{', '.join(export.unknown_shown)}{more}"))
        if export.versions_unknown:
            look.append(("versions not in the course", export.learner, export.account or "", export.file,
                         export.file if export.file in used_files else "",
                         "attempts naming a version of a question the course's banks do not have, or an order of "
                         "options that is not the version's, were left out of every score: "
                         + ", ".join(export.versions_unknown)))
    return used, look


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
        detail = f"{chosen.file} is used because {why}; {_plural(len(others), 'other file')} not counted"
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


def _plural(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
