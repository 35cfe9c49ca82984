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
import os
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from rolelib._errors import _short
from rolelib._files import not_a_regular_file
from rolelib.progress.export import ExportError, export_kind, parse_export, read_export_bytes
from rolelib.versions import recorded_version

if TYPE_CHECKING:
    from rolelib._types import PathLike
    from rolelib.kinds import Choice, Question
    from rolelib.progress import Export

FUTURE_TOLERANCE = timedelta(minutes=10)
"""How far ahead of this computer's clock a date may be before it counts as "in the future" (clocks differ a little)."""
_UNKNOWN_SHOWN = 5  # question ids not in the banks named in the "needs a look" table; the rest are counted
_REMEMBERED_GRADES = 20_000  # distinct short answers whose grade is kept: a class repeats the same answers
_SHORT_ANSWER = 2_000  # characters: a longer answer is graded each time, never kept
_ANY_DIGIT = str.maketrans("0123456789", "0000000000")

LookRow = tuple[str, str, str, str, str, str]
"""A row of the "needs a look" table: issue, learner, account, files, the file used ('' for none), detail."""


class History(NamedTuple):
    """How one learner went about one graded question, as the banks grade it.

    ``first`` holds the options the first answer chose, in ``version`` (the id of the version of
    the question it answered; '' for the bank's entry); ``tries_to_correct`` is the number of
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

    ``results`` maps a question id to the last attempt's (correct, score) as the banks grade
    it (correct is None for an ungraded question); ``history`` maps a graded question's id to
    the learner's :class:`History` with it; ``unknown`` counts the ids the banks do not
    know and ``unknown_shown`` names the first few (shortened: what is kept of a file stays small).
    """

    file: str
    learner: str
    account: str | None
    exported_at: datetime | None
    last_time: datetime | None
    results: dict[str, tuple[bool | None, float]]
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
    seen_paths: dict[Path, str] = {}
    seen_content: dict[str, str] = {}
    grades = Grades(banks)
    for path, problem in find_files(paths):
        if problem:
            skipped.append((str(path), problem))
            continue
        try:
            exports.append(_read(path, grades, max_bytes, seen_paths, seen_content))
        except ExportError as exc:
            skipped.append((str(path), exc.reason))
        except Exception as exc:  # noqa: BLE001 - whatever a file does, the report goes on without it
            skipped.append((str(path), f"it could not be read ({type(exc).__name__}: {_short(str(exc))})"))
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


def _read(path: Path, grades: Grades, max_bytes: int, seen_paths: dict[Path, str],
          seen_content: dict[str, str]) -> HandedIn:
    resolved = path.resolve()
    if resolved in seen_paths:
        raise ExportError(path, f"listed twice (already read as {seen_paths[resolved]})")
    seen_paths[resolved] = str(path)
    payload = read_export_bytes(path, max_bytes)
    digest = hashlib.sha256(payload).hexdigest()
    if digest in seen_content and payload.strip():
        raise ExportError(path, f"identical to {seen_content[digest]} (the same file handed in twice)")
    seen_content.setdefault(digest, str(path))
    return grade_again(parse_export(path, payload), str(path), grades)


class Grades:
    """The banks' grading of answers handed in, as the live exercise grades them.

    A class gives the same answers again and again, so the grade of each distinct short
    answer is kept (up to a fixed number of them: what is kept stays small whatever the
    files hold) and looked up the next time: each distinct answer is graded once per question
    and number of hints, however many learners give it.
    """

    def __init__(self, banks: dict[str, Question]) -> None:
        self.banks = banks
        self.graded = 0  # answers graded by a kind, not looked up
        self._kept: dict[Hashable, tuple[bool | None, float, tuple[Choice, ...]]] = {}
        self._versions: dict[tuple[str, str, tuple[str, ...]], Question | None] = {}

    def version(self, entry: Question, variant: str, order: tuple[str, ...]) -> Question | None:
        """The version of ``entry`` an attempt names, in its order; None when the banks have no such version or
        order. A class shows few versions and orders of each question: each is checked once."""
        key = (entry.id, variant, order)
        if key not in self._versions:
            if len(self._versions) >= _REMEMBERED_GRADES:
                return recorded_version(entry, variant, order)
            self._versions[key] = recorded_version(entry, variant, order)
        return self._versions[key]

    def result(self, question: Question, answer: Any, hints: int) -> tuple[bool | None, float, tuple[Choice, ...]]:
        """(correct, score, options chosen) of ``answer`` after ``hints`` hints (already capped).

        An answer that does not fit the question (any more, or ever) is wrong, earns nothing and
        chose no option; an ungraded question (a reflection) gives (None, 0.0, ()).
        """
        if not question.graded:
            return None, 0.0, ()
        key = _key(answer)
        if key is not None:
            key = (question.id, hints, key)
            kept = self._kept.get(key)
            if kept is not None:
                return kept
        self.graded += 1
        grade = question.regrade(answer, hints)
        result = ((False, 0.0, ()) if grade is None
                  else (bool(grade.correct), grade.score, question.chosen_options(answer)))
        if key is not None and len(self._kept) < _REMEMBERED_GRADES:
            self._kept[key] = result
        return result


def _key(answer: Any) -> Hashable | None:
    """A short answer (a text, a list of texts, texts matched to texts) as a dictionary key; None for any other.

    >>> _key("CIO"), _key(["CIO", "CSO"]), _key({"CISSP": "CISO"}), _key([["nested"]])
    ('CIO', ('CIO', 'CSO'), (('CISSP', 'CISO'),), None)
    """
    if type(answer) is str:
        return answer if len(answer) <= _SHORT_ANSWER else None
    if type(answer) is list and all(type(part) is str for part in answer):
        return tuple(answer) if sum(map(len, answer)) <= _SHORT_ANSWER else None
    if type(answer) is dict and all(type(value) is str for value in answer.values()):
        size = sum(map(len, answer)) + sum(map(len, answer.values()))
        return tuple(sorted(answer.items())) if size <= _SHORT_ANSWER else None
    return None


def grade_again(export: Export, file: str, grades: Grades) -> HandedIn:
    """Grade every attempt of ``export`` with the banks' questions; the last attempt per question counts.

    The attempts are taken in the order the file lists them (oldest first): the first one at a
    question is the learner's first answer, before any feedback.
    """
    results: dict[str, tuple[bool | None, float]] = {}
    tracks: dict[str, list] = {}  # question id: [first choices, first correct, tries to correct, hints, tries]
    unknown: set[str] = set()
    versions_unknown: set[str] = set()
    times: set[str] = set()
    banks = grades.banks
    for attempt in export.attempts:
        times.add(attempt.time)
        question = banks.get(attempt.question_id)
        if question is None:
            unknown.add(attempt.question_id)
            continue
        if attempt.variant != question.id or attempt.order:  # graded against the version the learner saw
            question = grades.version(question, attempt.variant, attempt.order)
            if question is None:
                versions_unknown.add(_short(f"{attempt.question_id} as {attempt.variant}" if attempt.variant !=
                                            attempt.question_id else f"{attempt.question_id} in another order", 60))
                continue
        hints = min(max(attempt.hints_used, 0), len(question.hints))
        correct, score, chosen = grades.result(question, attempt.answer, hints)
        results[question.slot] = (correct, score)
        if correct is None:
            continue
        track = tracks.get(question.slot)
        if track is None:
            tracks[question.slot] = [chosen, correct, 1 if correct else 0, hints, 1, question.id]
            continue
        track[4] += 1
        if correct and not track[2]:
            track[2] = track[4]
        if hints > track[3]:
            track[3] = hints
    history = {question_id: History(*track[:4], track[5]) for question_id, track in tracks.items()}
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
