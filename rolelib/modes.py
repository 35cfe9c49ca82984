"""Practice and exam modes: the course's settings, and the learner's submission.

In **practice** mode (the default) every Check shows its verdict, explanation and score at
once. In **exam** mode Check only records the answer; the learner may change answers until
they press Submit (:func:`rolelib.submit_panel`), which locks them; feedback and the score
appear after submitting, or, when the instructor set a release time, once it has passed.

The instructor sets the mode for the whole course without touching a notebook, in a file
``course_settings.yaml`` in the course folder (beside ``notebooks/``; the notebook's own folder
and the one above it are looked at first)::

    mode: exam                      # practice (the default) or exam
    hints: false                    # exam mode: offer hints (true, the default) or not
    release: 2026-12-15T17:00:00Z   # exam mode: show feedback only after this time (UTC if no zone)
    versions: bank                  # every learner sees the bank's questions in the bank's order
                                    # (per-learner, the default: a version and order per learner)

or, on a hub, with the environment variables ``ROLELIB_MODE``, ``ROLELIB_HINTS``,
``ROLELIB_RELEASE`` and ``ROLELIB_VERSIONS`` (``ROLELIB_SETTINGS`` names another settings file).
A variable wins over the file, the file over the default.

**Versions.** With ``versions: per-learner``, a learner whose hub account is known
(``JUPYTERHUB_USER``) sees one version of each question (the bank's entry or one of its
variants) with its options or items in an order of their own, the same after every restart
(:func:`version_shown`); without an account (a laptop, the tests, ``make notebooks``) every
learner sees the bank's entry in the bank's order. A question the learner has answered keeps the
version and order they answered, as long as the bank has that version, whatever this setting says.

>>> from unittest import mock
>>> with mock.patch.dict("os.environ", {"ROLELIB_MODE": "exam", "ROLELIB_HINTS": "off"}):
...     current = course_settings()
>>> current.mode, current.hints, current.source
('exam', False, 'the environment variable ROLELIB_MODE')
"""

from __future__ import annotations

import json
import os
import weakref
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rolelib._errors import UnknownNameError
from rolelib._files import UnreadableFile, read_bounded

if TYPE_CHECKING:
    from rolelib.kinds import Question
    from rolelib.progress.store import ProgressStore

MODES = ("practice", "exam")
VERSIONS = ("per-learner", "bank")
SETTINGS_FILE = "course_settings.yaml"
SETTINGS_ENV = "ROLELIB_SETTINGS"
MODE_ENV = "ROLELIB_MODE"
HINTS_ENV = "ROLELIB_HINTS"
RELEASE_ENV = "ROLELIB_RELEASE"
VERSIONS_ENV = "ROLELIB_VERSIONS"
MAX_SETTINGS_BYTES = 64 * 1024
_SWITCHES = {"true": True, "yes": True, "on": True, "1": True, "false": False, "no": False, "off": False, "0": False}
_SUBMITTED_IN_MEMORY: weakref.WeakKeyDictionary[ProgressStore, str] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class CourseSettings:
    """The course's mode, whether exam mode offers hints, when exam feedback is released, where the mode
    came from, and whether learners see a version of each question of their own ('per-learner') or the bank's."""

    mode: str = "practice"
    hints: bool = True
    release: datetime | None = None
    source: str = "the default"
    versions: str = "per-learner"

    @property
    def exam(self) -> bool:
        """True in exam mode."""
        return self.mode == "exam"

    @property
    def hints_offered(self) -> bool:
        """True when exercises offer hints (always in practice mode)."""
        return self.hints or not self.exam

    def describe(self) -> str:
        """One line for the learner saying which mode is on and what it means.

        >>> CourseSettings().describe()
        'Practice mode: each answer gets its feedback and score when you check it.'
        """
        if not self.exam:
            return "Practice mode: each answer gets its feedback and score when you check it."
        when = f", and not before {release_text(self.release)}" if self.release else ""
        return ("Exam mode: Check records your answer (you can change it until you submit); feedback and "
                f"your score come after you submit in the review notebook{when}.")


def course_settings() -> CourseSettings:
    """The course's settings now: the environment variables over the settings file over the defaults.

    A value the course cannot use raises ValueError naming the file or variable and what is expected.
    """
    path = _settings_path()
    values: dict[str, Any] = _read_settings(path) if path else {}
    source = f"the settings file {path}" if path and "mode" in values else "the default"
    origin = {key: f"{path}, key {key!r}" for key in values}
    for key, variable in (("mode", MODE_ENV), ("hints", HINTS_ENV), ("release", RELEASE_ENV),
                          ("versions", VERSIONS_ENV)):
        if os.environ.get(variable, "").strip():
            values[key], origin[key] = os.environ[variable].strip(), f"the environment variable {variable}"
    if os.environ.get(MODE_ENV, "").strip():
        source = f"the environment variable {MODE_ENV}"
    mode = str(values.get("mode", "practice")).strip().lower()
    if mode not in MODES:
        raise UnknownNameError("course mode", mode, MODES, plural=f"course modes ({origin['mode']})")
    versions = str(values.get("versions", "per-learner")).strip().lower()
    if versions not in VERSIONS:
        raise UnknownNameError("question versions setting", versions, VERSIONS,
                               plural=f"question versions settings ({origin['versions']})")
    return CourseSettings(mode, _switch(values.get("hints", True), origin.get("hints", "")),
                          _moment(values.get("release"), origin.get("release", "")), source, versions)


def version_shown(entry: Question, settings: CourseSettings | None = None) -> Question:
    """The version of a bank entry this learner sees, options or items in their order (see the module's "Versions").

    >>> from unittest import mock
    >>> from rolelib.questions import load_banks
    >>> entry = load_banks()["focus-1"]
    >>> with mock.patch.dict("os.environ", {"JUPYTERHUB_USER": ""}):
    ...     version_shown(entry) is entry
    True
    """
    from rolelib.progress.export import current_account
    from rolelib.versions import version_for

    settings = settings or course_settings()
    return version_for(entry, current_account() if settings.versions == "per-learner" else None)


def release_text(moment: datetime) -> str:
    """A release time as the learner reads it.

    >>> release_text(datetime(2026, 12, 15, 17, 0, tzinfo=timezone.utc))
    '2026-12-15 17:00 UTC'
    """
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def submitted_at() -> str | None:
    """When the learner submitted their answers (ISO 8601 UTC), or None before they submit.

    The submission is kept in a file beside the learner's progress (:func:`submit`), and holds while
    the progress itself can only be kept in memory. A submission file edited by hand still locks the
    answers: when it names no credible time (garbage, a time still to come), the file's own time counts.
    """
    path = _submission_path()
    kept = _SUBMITTED_IN_MEMORY.get(_store())
    if path is None or not (path.exists() or path.is_symlink()):
        return kept
    try:
        record = json.loads(read_bounded(path, MAX_SETTINGS_BYTES))
    except (UnreadableFile, ValueError):
        record = None
    when = record.get("submitted_at") if isinstance(record, dict) else None
    if _credible(when):
        return when
    try:
        made = datetime.fromtimestamp(path.lstat().st_mtime, timezone.utc)
    except OSError:
        return kept or datetime.now(timezone.utc).isoformat(timespec="seconds")
    return kept or min(made, datetime.now(timezone.utc)).isoformat(timespec="seconds")


class SubmissionNotSaved(OSError):
    """The submission could not be written to its file: the answers are locked in this kernel only."""


def submit() -> str:
    """Lock the learner's answers from now on (kept beside their progress, so a restart keeps them locked).

    Returns the submission time; submitting again, or from a second kernel, keeps the first time.
    When the file cannot be written (a full disk, a folder that is not writable), the answers are
    locked in this kernel all the same and :class:`SubmissionNotSaved` says why; submitting again
    tries to write the file again.
    """
    earlier, path = submitted_at(), _submission_path()
    if earlier and (path is None or path.exists() or path.is_symlink()):
        return earlier
    when = earlier or datetime.now(timezone.utc).isoformat(timespec="seconds")  # earlier: kept in memory only
    _SUBMITTED_IN_MEMORY[_store()] = when
    if path is None:
        return when
    try:  # created only if absent, so that of two kernels submitting at once the first one's time stands
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except FileExistsError:
        return submitted_at() or when
    except OSError as exc:
        raise _not_saved(path, exc) from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump({"submitted_at": when}, file)
    except OSError as exc:  # the file stays, half written: it still counts as a submission
        raise _not_saved(path, exc) from None
    return when


def feedback_released(settings: CourseSettings | None = None, now: datetime | None = None) -> bool:
    """True when verdicts, explanations and scores may be shown: always in practice mode; in exam
    mode once the learner has submitted and the release time (if any) has passed."""
    settings = settings or course_settings()
    if not settings.exam:
        return True
    if submitted_at() is None:
        return False
    return settings.release is None or (now or datetime.now(timezone.utc)) >= settings.release


# -- helpers ----------------------------------------------------------------------------------


def _store() -> ProgressStore:
    from rolelib.progress.store import store

    return store()


def _submission_path() -> Path | None:
    """Beside the progress file the settings name, also while the store keeps progress in memory only."""
    from rolelib.progress._sqlite import where

    location = where(None)
    return None if location is None else location.with_name(location.name + ".submitted.json")


def _credible(when: Any) -> bool:
    """Whether a recorded submission time is a time at all, and one that has come."""
    try:
        moment = datetime.fromisoformat(str(when).replace("Z", "+00:00"))
    except ValueError:
        return False
    return isinstance(when, str) and moment.tzinfo is not None and moment <= datetime.now(timezone.utc)


def _not_saved(path: Path, exc: OSError) -> SubmissionNotSaved:
    return SubmissionNotSaved(f"Your submission could not be saved to {path} ({exc.strerror or exc}). Your answers "
                              "are locked in this session, but would open again after a restart: free some space "
                              "(or fix the folder's permissions) and press 'Yes, submit' again, or tell your "
                              "instructor.")


def _settings_path() -> Path | None:
    named = os.environ.get(SETTINGS_ENV, "").strip()
    if named:
        return Path(named).expanduser()
    here = Path.cwd()
    # The notebook's folder, its parent, and the course folder holding notebooks/ (for notebooks/instructor/).
    # Anything by that name counts, so that a folder (which a container mount of a missing file makes) or a link to
    # nothing is refused by name, not passed over for the course's default, practice mode.
    course = next((folder.parent for folder in (here, *here.parents) if folder.name == "notebooks"), here.parent)
    return next((folder / SETTINGS_FILE for folder in (here, here.parent, course)
                 if os.path.lexists(folder / SETTINGS_FILE)), None)


def _read_settings(path: Path) -> dict[str, Any]:
    from rolelib._bank_yaml import BankSyntaxError, parse_bank

    try:
        values = parse_bank(read_bounded(path, MAX_SETTINGS_BYTES).decode("utf-8-sig"), str(path)) or {}
    except UnreadableFile as exc:
        raise ValueError(f"cannot read the course settings {path}: {exc.reason}") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"the course settings {path} are not text saved as UTF-8 ({exc})") from None
    except BankSyntaxError as exc:
        line = f", line {exc.problem.row}" if exc.problem.row else ""
        key = f", key {exc.problem.column!r}" if exc.problem.column else ""
        raise ValueError(f"the course settings {path}{line}{key}: expected {exc.problem.expected}") from None
    if not isinstance(values, dict):
        raise ValueError(f"the course settings {path} should be lines 'key: value' (mode, hints, release, versions)")
    unknown = sorted(str(key) for key in values if key not in ("mode", "hints", "release", "versions"))
    if unknown:
        raise ValueError(f"the course settings {path} hold unknown key(s) {', '.join(unknown)}; "
                         "the keys are mode, hints, release and versions")
    return values


def _switch(value: Any, origin: str) -> bool:
    if isinstance(value, bool):
        return value
    switch = _SWITCHES.get(str(value).strip().lower())
    if switch is None:
        raise ValueError(f"{origin}: found {value!r}; expected true or false (on/off, yes/no)")
    return switch


def _moment(value: Any, origin: str) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if not isinstance(value, datetime):
        try:
            value = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"{origin}: found {value!r}; expected a time such as 2026-12-15T17:00:00Z") from None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
