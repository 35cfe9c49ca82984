"""The exam's submission file, as careless and hostile learners and full disks treat it: the lock holds, the time
stays credible and the first one's."""

from __future__ import annotations

import errno
import json
import os
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

import rolelib
from rolelib import exercises, modes, progress
from rolelib.modes import submitted_at
from rolelib.progress.export import parse_export
from rolelib.testing import answer, check
from tests.helpers import mode, other_answer, restart_store


@pytest.fixture(autouse=True)
def _exam_in_a_course_folder(tmp_path, monkeypatch):
    """Each test runs in exam mode, in a course folder of its own with no settings file."""
    for variable in ("ROLELIB_HINTS", "ROLELIB_RELEASE", "ROLELIB_SETTINGS"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("ROLELIB_MODE", "exam")
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    exercises.instructor_mode(None)


def _answered_wrong():
    """The exercise focus-1, answered wrong and checked."""
    ex = rolelib.exercise("focus-1")
    answer(ex, other_answer(ex.question))
    check(ex)
    return ex


def _submission_file():
    path = progress.store().path
    return path.with_name(path.name + ".submitted.json")


@pytest.mark.parametrize("content", [b"garbage", b"", b'{"submitted_at": 5}', b'{"submitted_at": "yesterday"}',
                                     b'{"submitted_at": "2999-01-01T00:00:00+00:00"}'])
def test_a_submission_file_edited_by_hand_keeps_the_exam_locked(monkeypatch, content):
    ex = _answered_wrong()
    rolelib.submit_panel().submit()
    _submission_file().write_bytes(content)
    restart_store(monkeypatch)
    when = submitted_at()
    assert when is not None and datetime.fromisoformat(when) <= datetime.now(timezone.utc)
    again = rolelib.exercise("focus-1")
    assert again.check_button.disabled and again.value == ex.value
    assert parse_export(rolelib.export_progress(_submission_file().parent / "ada.json", "Ada")).submitted_at == when


def test_the_submission_file_is_private_to_the_learner():
    rolelib.submit_panel().submit()
    assert mode(_submission_file()) == 0o600


def test_a_submission_file_replaced_by_a_link_to_nothing_keeps_the_exam_locked(monkeypatch):
    ex = _answered_wrong()
    rolelib.submit_panel().submit()
    _submission_file().unlink()
    _submission_file().symlink_to(_submission_file().parent / "nowhere.json")
    restart_store(monkeypatch)
    assert submitted_at() is not None
    again = rolelib.exercise("focus-1")
    assert again.check_button.disabled and again.value == ex.value


def test_a_submission_file_dated_in_the_future_by_hand_never_gives_a_time_still_to_come(monkeypatch):
    rolelib.submit_panel().submit()
    _submission_file().write_bytes(b"garbage")
    future = (datetime.now(timezone.utc) + timedelta(days=30)).timestamp()
    os.utime(_submission_file(), (future, future))
    restart_store(monkeypatch)
    when = submitted_at()
    assert when is not None and datetime.fromisoformat(when) <= datetime.now(timezone.utc)


def test_a_submission_holds_while_the_progress_can_only_be_kept_in_memory(monkeypatch):
    rolelib.submit_panel().submit()
    with sqlite3.connect(progress.store().path) as connection:  # as a newer version of the course leaves it
        connection.execute("PRAGMA user_version = 99")
    restart_store(monkeypatch)
    with pytest.warns(progress.ProgressWarning, match="newer version"):
        ex = rolelib.exercise("focus-1")
    assert progress.store().path is None and submitted_at() is not None
    assert ex.check_button.disabled


def test_a_submission_the_disk_cannot_take_locks_the_answers_says_so_and_a_second_try_saves_the_first_time(monkeypatch):
    ex = _answered_wrong()
    real_open = os.open

    def full_disk(path, *args, **kwargs):
        if ".submitted.json" in str(path):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(path, *args, **kwargs)

    class MovingClock(datetime):  # a minute passes between the two presses, every time given has come
        readings = 0

        @classmethod
        def now(cls, tz=None):
            cls.readings += 1
            return datetime.now(tz) - timedelta(hours=2) + timedelta(minutes=cls.readings)

    monkeypatch.setattr(modes, "datetime", MovingClock)
    monkeypatch.setattr(os, "open", full_disk)
    panel = rolelib.submit_panel()
    panel.submit()
    assert "could not be saved" in panel.status.value and "No space left" in panel.status.value
    assert panel.buttons.children == (panel.confirm,), "the learner can press 'Yes, submit' again"
    assert "Your score:" in panel.status.value, "the problem is said beside the results, not instead of them"
    assert ex.check_button.disabled and submitted_at() is not None
    when = submitted_at()
    monkeypatch.setattr(os, "open", real_open)
    panel.confirm.click()
    assert "could not be saved" not in panel.status.value
    assert json.loads(_submission_file().read_text())["submitted_at"] == when
