"""One export handed in, read, checked and graded again on its own.

Behind :func:`rolelib.instructor._handins.collect`, which decides after, in the order the files were
found, which files were listed or handed in twice and which export is used for each learner.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from rolelib._errors import _short
from rolelib.instructor._grades import UNKNOWN_VERSION, Graded, Grades
from rolelib.progress.export import ExportError, parse_export, read_export_bytes

if TYPE_CHECKING:
    from rolelib.kinds import Choice
    from rolelib.progress import Export

FUTURE_TOLERANCE = timedelta(minutes=10)
"""How far ahead of this computer's clock a date may be before it counts as "in the future" (clocks differ a little)."""
UNKNOWN_SHOWN = 5  # question ids not in the banks named in the "needs a look" table; the rest are counted
_ANY_DIGIT = str.maketrans("0123456789", "0000000000")
_ENDING = itemgetter(slice(-6, None))  # the zone a time is written in: its last 6 characters


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
    unfit: tuple[str, ...] = ()  # the questions with an answer their version does not take (a few)

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



Look = tuple[Hashable, "str | None", bool, "HandedIn | None", str]
"""What reading one file found: its identity (device and inode), the digest of its content (None when it could
not be read), whether it is blank, the file graded again (None when it is not usable) and the reason it is not."""


def look_at(path: Path, grades: Grades, max_bytes: int) -> Look:
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


def grade_again(export: Export, file: str, grades: Grades) -> HandedIn:
    """Grade every attempt of ``export`` with the banks' questions; the last attempt per question counts.

    The attempts are taken in the order the file lists them (oldest first): the first one at a
    question is the learner's first answer, before any feedback.
    """
    results: dict[str, Graded] = {}
    tracks: dict[str, list] = {}  # question id: [first choices, first correct, tries to correct, hints, tries]
    unknown: set[str] = set()
    versions_unknown: set[str] = set()
    unfit: set[str] = set()
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
        if not graded[5]:
            unfit.add(question_id)
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
    return HandedIn(file, export.learner, export.account, timestamp(export.exported_at), max(stamps, default=None),
                    results, history, len(unknown), _first_ids(unknown), export.mode, export.submitted_at or "",
                    tuple(sorted(versions_unknown)[:UNKNOWN_SHOWN]), _first_ids(unfit))


def _first_ids(question_ids: set[str]) -> tuple[str, ...]:
    """The first few question ids, in order and shortened (what is kept of a file stays small)."""
    return tuple(_short(question_id, 40) for question_id in sorted(question_ids)[:UNKNOWN_SHOWN])


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
