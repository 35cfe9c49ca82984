"""Progress: attempts survive restarts, concurrent kernels, damaged and unwritable stores."""

from __future__ import annotations

import csv
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import threading
import time
import warnings
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pytest

import rolelib
from rolelib import UnknownNameError
from rolelib import progress as progress_module
from rolelib.lessons import LESSONS
from rolelib.progress import (
    ENV_VAR,
    Attempt,
    ProgressStore,
    ProgressWarning,
    export_progress,
    parse_export,
    progress_summary,
    read_export,
    store,
)
from rolelib.progress.export import new_export, write_export
from tests.helpers import REPO

WORKER = Path(__file__).with_name("_progress_worker.py")
TOPIC_ORDER = ["roles", "focus", "responsibilities", "education", "certifications", "reporting"]
COLUMNS = ["question_id", "lesson", "topic", "kind", "answer", "correct", "score", "hints_used", "time", "attempt_number",
           "variant", "order"]


def attempt(question_id: str = "focus-1", answer: object = "CIO", correct: bool | None = True, score: float = 1.0,
            lesson: str = "01_focus", topic: str = "focus", kind: str = "single", hints_used: int = 0,
            time: str = "") -> Attempt:
    return Attempt(question_id, lesson, topic, kind, answer, correct, score, hints_used, time)


@contextmanager
def no_progress_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error", ProgressWarning)
        yield


VERSION_1_TABLE = """CREATE TABLE attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    question_id TEXT NOT NULL, lesson TEXT NOT NULL, topic TEXT NOT NULL, kind TEXT NOT NULL,
    answer TEXT NOT NULL, correct INTEGER, score REAL NOT NULL,
    hints_used INTEGER NOT NULL, time TEXT NOT NULL)"""


def legacy_store(path: Path, rows: int = 0, questions: list[str] | None = None, stamped: bool = False) -> None:
    """A store as earlier versions made it: the version 1 attempts table, unstamped (before the format was
    stamped) or stamped as version 1. Its rows answer ``questions`` (by default q-0, q-1, ...)."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute(VERSION_1_TABLE)
    for question_id in questions or [f"q-{number}" for number in range(rows)]:
        connection.execute("INSERT INTO attempts (question_id, lesson, topic, kind, answer, correct, score, "
                           "hints_used, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           (question_id, "01_focus", "focus", "single", '"CIO"', 1, 1.0, 0,
                            "2026-01-01T00:00:00.000+00:00"))
    if stamped:
        connection.execute(f"PRAGMA application_id = {progress_module._sqlite.APPLICATION_ID}")
        connection.execute("PRAGMA user_version = 1")
    connection.close()


def rows_in(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT COUNT(*) FROM attempts").fetchone()[0]


# -- where progress is kept -------------------------------------------------------------------


def test_explicit_path_beats_the_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "from-env.sqlite3"))
    progress = ProgressStore(tmp_path / "explicit.sqlite3")
    progress.record(attempt())
    assert progress.path == tmp_path / "explicit.sqlite3"
    assert rows_in(tmp_path / "explicit.sqlite3") == 1
    assert not (tmp_path / "from-env.sqlite3").exists()


def test_environment_variable_file_path_gets_its_folders_created(tmp_path, monkeypatch):
    target = tmp_path / "hub" / "learner" / "course.sqlite3"
    monkeypatch.setenv(ENV_VAR, str(target))
    progress = ProgressStore()
    progress.record(attempt())
    assert progress.path == target
    assert rows_in(target) == 1


def test_environment_variable_naming_a_folder_holds_progress_sqlite3(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    progress = ProgressStore()
    progress.record(attempt())
    assert progress.path == tmp_path / "progress.sqlite3"
    assert rows_in(tmp_path / "progress.sqlite3") == 1


@pytest.mark.skipif(sys.platform != "linux", reason="XDG_DATA_HOME steers platformdirs on Linux only")
def test_default_location_is_the_users_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_VAR)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    progress = ProgressStore()
    progress.record(attempt())
    assert progress.path == tmp_path / "data-home" / "rolelib" / "progress.sqlite3"
    assert rows_in(progress.path) == 1


def test_memory_store_writes_no_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(ENV_VAR, ":memory:")
    for progress in (ProgressStore(":memory:"), ProgressStore()):
        progress.record(attempt())
        assert progress.path is None
        assert progress.last_attempt("focus-1").answer == "CIO"
    assert list(tmp_path.iterdir()) == []


def test_journal_mode_is_delete_even_for_a_file_left_in_wal_mode(tmp_path):
    db = tmp_path / "progress.sqlite3"
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
    connection.close()
    db.chmod(0o600)
    progress = ProgressStore(db)
    progress.record(attempt())
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    connection.close()
    assert not (tmp_path / "progress.sqlite3-wal").exists()
    assert not (tmp_path / "progress.sqlite3-shm").exists()


# -- the store is private to its owner ---------------------------------------------------------


@contextmanager
def usual_umask():
    """The umask most systems start with (022): files 0644 and folders 0755 unless set otherwise."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def journal_mode_while_writing(db: Path) -> int:
    """The mode of the journal SQLite makes while another kernel is in the middle of a write."""
    other = sqlite3.connect(db, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO attempts (question_id, lesson, topic, kind, answer, score, hints_used, time) "
                      "VALUES ('x', 'l', 't', 'single', '\"a\"', 0, 0, 'now')")
        return mode(db.with_name(db.name + "-journal"))
    finally:
        other.execute("ROLLBACK")
        other.close()


@pytest.mark.skipif(os.name == "nt", reason="Windows keeps access rights in ACLs, not in mode bits")
def test_the_folders_made_the_file_and_its_journal_are_private_whatever_the_umask(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_VAR)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    (tmp_path / "shared").mkdir(mode=0o755)
    with usual_umask(), no_progress_warning():
        for progress in (ProgressStore(tmp_path / "shared" / "new" / "deeper" / "p.sqlite3"), ProgressStore()):
            progress.record(attempt())
            assert mode(progress.path) == 0o600
            assert mode(progress.path.parent) == 0o700
            assert journal_mode_while_writing(progress.path) == 0o600
    assert mode(tmp_path / "shared" / "new") == 0o700
    assert mode(tmp_path / "shared") == 0o755, "a folder the course did not make is left as it is"


@pytest.mark.skipif(os.name == "nt", reason="Windows keeps access rights in ACLs, not in mode bits")
def test_a_store_others_could_read_is_made_private_once_with_one_notice(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_VAR)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    with usual_umask():
        folder = tmp_path / "data-home" / "rolelib"
        folder.mkdir(parents=True)  # as an older version of the course left it: 0755 and 0644
        db = folder / "progress.sqlite3"
        legacy_store(db)
        assert (mode(folder), mode(db)) == (0o755, 0o644)
        with pytest.warns(ProgressWarning, match="now private to you") as caught:
            progress = ProgressStore()
        assert len(caught) == 1 and progress.notice == str(caught[0].message) and progress.warning is None
        assert (mode(folder), mode(db)) == (0o700, 0o600)
        with no_progress_warning():
            again = ProgressStore()
            again.record(attempt())
        assert again.notice is None and again.path == db


# -- recording and reading back -------------------------------------------------------------


@pytest.mark.parametrize("answer", [
    "The CISO protects; the CIO grows the business. <script>alert('x')</script> \u00e9\u00e8",
    ["CISSP", "CISM"],
    {"CISSP": "CISO", "PMP": "CIO", "CGEIT": "CIO"},
])
def test_last_answer_survives_a_kernel_restart(tmp_path, answer):
    db = tmp_path / "progress.sqlite3"
    ProgressStore(db).record(attempt("q-1", answer=answer, correct=False, score=0.5, hints_used=2))
    restarted = ProgressStore(db)
    last = restarted.last_attempt("q-1")
    assert last.answer == answer
    assert type(last.answer) is type(answer)
    assert (last.correct, last.score, last.hints_used) == (False, 0.5, 2)
    assert (last.lesson, last.topic, last.kind) == ("01_focus", "focus", "single")


def test_last_attempt_is_the_newest_for_that_question_only(tmp_path):
    progress = ProgressStore(tmp_path / "p.sqlite3")
    progress.record(attempt("focus-1", answer="CISO", correct=False, score=0.0))
    progress.record(attempt("focus-2", answer="both"))
    progress.record(attempt("focus-1", answer="CIO", correct=True, score=0.75, hints_used=1))
    progress.record(attempt("focus-3", answer="CSO"))
    assert progress.last_attempt("focus-1").answer == "CIO"
    assert progress.last_attempt("focus-1").score == 0.75
    assert progress.last_attempt("focus-2").answer == "both"
    assert progress.last_attempt("never-answered") is None


def test_reflection_is_saved_ungraded(tmp_path):
    progress = ProgressStore(tmp_path / "p.sqlite3")
    progress.record(attempt("reflect-1", answer="My view.", correct=None, score=0.0, kind="reflect"))
    assert ProgressStore(tmp_path / "p.sqlite3").last_attempt("reflect-1").correct is None


def test_record_stamps_the_time_in_utc_unless_given(tmp_path):
    progress = ProgressStore(tmp_path / "p.sqlite3")
    before = datetime.now(timezone.utc)
    progress.record(attempt("a"))
    stamped = datetime.fromisoformat(progress.last_attempt("a").time)
    assert stamped.utcoffset() == timedelta(0)
    assert before - timedelta(seconds=1) <= stamped <= datetime.now(timezone.utc) + timedelta(seconds=1)
    progress.record(attempt("b", time="2024-05-01T09:30:00+00:00"))
    assert progress.last_attempt("b").time == "2024-05-01T09:30:00+00:00"


def test_attempts_lists_every_attempt_oldest_first(tmp_path):
    progress = ProgressStore(tmp_path / "p.sqlite3")
    assert list(progress.attempts().columns) == COLUMNS
    assert progress.attempts().empty
    progress.record(attempt("q-1", answer="CISO", correct=False, score=0.0))
    progress.record(attempt("q-2", answer=["a", "b"], correct=None, score=0.0, kind="reflect"))
    progress.record(attempt("q-1", answer="CIO"))
    table = progress.attempts()
    assert list(table.columns) == COLUMNS
    assert table["answer"].tolist() == ["CISO", ["a", "b"], "CIO"]
    assert table["correct"].tolist() == [False, pd.NA, True]
    assert table["question_id"].tolist() == ["q-1", "q-2", "q-1"]
    assert table["hints_used"].dtype == "int64" and table["score"].dtype == "float64"
    assert str(table["correct"].dtype) == "boolean" and table["answer"].dtype == object
    assert table["time"].dtype == pd.Series(dtype="str").dtype


# -- several kernels at once ------------------------------------------------------------------


def test_two_processes_recording_at_once_lose_nothing(tmp_path):
    db = tmp_path / "shared" / "progress.sqlite3"
    go = tmp_path / "go"
    env = {**os.environ, ENV_VAR: str(db), "PYTHONPATH": str(REPO)}
    names = ("kernel-a", "kernel-b")
    workers = [
        subprocess.Popen([sys.executable, str(WORKER), name, "500", str(tmp_path / f"ready-{name}"), str(go)],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name in names
    ]
    deadline = time.monotonic() + 30
    while not all((tmp_path / f"ready-{name}").exists() for name in names):
        assert time.monotonic() < deadline, "the workers did not start"
        assert all(worker.poll() is None for worker in workers), [w.communicate() for w in workers]
        time.sleep(0.01)
    go.touch()
    for worker in workers:
        out, err = worker.communicate(timeout=60)
        assert worker.returncode == 0, err
        assert out.strip() == "ok", (out, err)

    table = ProgressStore(db).attempts()
    assert len(table) == 1000
    for name in names:
        mine = table.loc[table["question_id"].str.startswith(name), "question_id"].tolist()
        assert mine == [f"{name}-{number}" for number in range(500)]
    # Each attempt is stamped before it is written: the two processes' spans must overlap.
    spans = [table.loc[table["question_id"].str.startswith(name), "time"] for name in names]
    assert spans[0].min() < spans[1].max() and spans[1].min() < spans[0].max(), "they did not write at once"


def test_a_write_waits_while_another_kernel_holds_the_lock(tmp_path):
    db = tmp_path / "p.sqlite3"
    progress = ProgressStore(db)
    other = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN EXCLUSIVE")
    release = threading.Timer(0.3, lambda: other.execute("COMMIT"))
    release.start()
    started = time.monotonic()
    with no_progress_warning():
        progress.record(attempt())
    waited = time.monotonic() - started
    release.join()
    other.close()
    assert waited >= 0.25
    assert progress.path == db
    assert rows_in(db) == 1


def test_a_lock_past_the_wait_queues_new_answers_keeps_old_ones_and_writes_them_when_free(tmp_path, monkeypatch):
    monkeypatch.setattr(progress_module._sqlite, "BUSY_WAIT_S", 0.2)
    db = tmp_path / "p.sqlite3"
    progress = ProgressStore(db)
    progress.record(attempt("focus-2", answer="saved before the lock"))
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.warns(ProgressWarning) as caught:
            progress.record(attempt(answer="first"))
            progress.record(attempt(answer="second"))
        assert progress.last_attempt("focus-2").answer == "saved before the lock"
        assert [a.answer for a in progress.all_attempts()] == ["saved before the lock", "first", "second"]
    finally:
        other.close()
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "in use by another program" in message and "written to the file as soon as it is free" in message
    assert progress.path == db, "a busy file is waited for, not given up"
    assert progress.last_attempt("focus-1").answer == "second"
    assert rows_in(db) == 3, "the queued answers are written at the next call once the file is free"
    assert progress.warning is None and "2 answers kept meanwhile" in progress.notice


HOLD_LOCK = """
import sqlite3, sys, time
from pathlib import Path
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
Path(sys.argv[2]).touch()
time.sleep(float(sys.argv[3]))
connection.execute("COMMIT")
connection.close()
"""


def test_a_file_locked_7_s_by_another_process_loses_and_hides_nothing(tmp_path):
    db = tmp_path / "p.sqlite3"
    progress = ProgressStore(db)
    for number in range(3):
        progress.record(attempt(f"q-{number}", answer=f"before {number}"))
    ready = tmp_path / "locked"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(db), str(ready), "7"])
    try:
        deadline = time.monotonic() + 30
        while not ready.exists():
            assert holder.poll() is None and time.monotonic() < deadline, "the lock holder did not start"
            time.sleep(0.01)
        with pytest.warns(ProgressWarning, match="in use by another program"):
            progress.record(attempt("q-new", answer="during the lock"))  # waits, then queues
        assert holder.poll() is None, "the lock must still be held: the test needs it"
        assert progress.path == db
        assert [progress.last_attempt(f"q-{n}").answer for n in range(3)] == ["before 0", "before 1", "before 2"]
        assert progress.last_attempt("q-new").answer == "during the lock"
        exported = json.loads(progress.export(tmp_path / "during.json", "Ada").read_text(encoding="utf-8"))
        assert [a["answer"] for a in exported["attempts"]] == ["before 0", "before 1", "before 2", "during the lock"]
        assert holder.poll() is None, "the export must be made while the file is locked"
        holder.wait(timeout=30)
    finally:
        holder.kill()
        holder.wait()
    deadline = time.monotonic() + 30
    while rows_in(db) < 4 and time.monotonic() < deadline:  # written in the background once free
        time.sleep(0.05)
    assert rows_in(db) == 4
    assert [a.answer for a in ProgressStore(db).all_attempts()] == [
        "before 0", "before 1", "before 2", "during the lock"], "a fresh kernel sees every answer, once"
    progress.record(attempt("q-after", answer="after the lock"))
    assert rows_in(db) == 5 and progress.path == db


# -- a store that is not the course's to write ------------------------------------------------


def foreign_database(path: Path) -> bytes:
    """Another program's SQLite file; returns its bytes."""
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        connection.execute("INSERT INTO notes (text) VALUES ('my private notes')")
    connection.close()
    path.chmod(0o644)
    return path.read_bytes()


def assert_refused(progress: ProgressStore, *words: str) -> None:
    """The store runs in memory with one clear warning, and answers still work."""
    assert progress.path is None
    for word in words:
        assert word in progress.warning
    with no_progress_warning():
        progress.record(attempt(answer="kept in memory"))
        assert progress.last_attempt("focus-1").answer == "kept in memory"


@pytest.mark.parametrize("how", ["argument", "environment"])
def test_a_store_path_that_is_a_symlink_is_refused_and_left_untouched(tmp_path, monkeypatch, how):
    target = tmp_path / "other-program.db"
    before = foreign_database(target)
    link = tmp_path / "progress.sqlite3"
    link.symlink_to(target)
    monkeypatch.setenv(ENV_VAR, str(link))
    with pytest.warns(ProgressWarning) as caught:
        progress = ProgressStore(link if how == "argument" else None)
    assert len(caught) == 1
    assert_refused(progress, str(link), "symbolic link", str(target), ENV_VAR)
    assert target.read_bytes() == before and mode(target) == 0o644 and link.is_symlink()


def test_a_dangling_symlink_is_refused_and_nothing_is_created(tmp_path):
    link = tmp_path / "progress.sqlite3"
    link.symlink_to(tmp_path / "elsewhere.db")
    with pytest.warns(ProgressWarning, match="symbolic link"):
        progress = ProgressStore(link)
    assert_refused(progress)
    assert not (tmp_path / "elsewhere.db").exists()


def test_another_programs_sqlite_file_is_refused_and_left_untouched(tmp_path):
    db = tmp_path / "progress.sqlite3"
    before = foreign_database(db)
    with pytest.warns(ProgressWarning) as caught:
        progress = ProgressStore(db)
    assert len(caught) == 1, "one message: no notice about its modes either, it is not ours to change"
    assert_refused(progress, str(db), "not a rolelib progress file", "notes", "untouched")
    assert db.read_bytes() == before and mode(db) == 0o644
    assert not db.with_name(db.name + "-journal").exists()


def test_a_store_of_a_newer_version_says_so_shows_its_answers_and_is_not_changed(tmp_path):
    db = tmp_path / "progress.sqlite3"
    with no_progress_warning():
        ProgressStore(db).record(attempt(answer="from the newer version"))
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA user_version = 99")
    connection.close()
    before = db.read_bytes()
    with pytest.warns(ProgressWarning) as caught:
        progress = ProgressStore(db)
    assert len(caught) == 1
    message = progress.warning
    assert "newer version of rolelib" in message and "progress format 99" in message
    assert "pip install --upgrade rolelib" in message and "free some space" not in message
    assert progress.path is None
    assert progress.last_attempt("focus-1").answer == "from the newer version"
    with no_progress_warning():
        progress.record(attempt("focus-2", answer="new"))
    assert db.read_bytes() == before


def test_a_store_of_an_earlier_version_is_kept_and_stamped(tmp_path):
    db = tmp_path / "progress.sqlite3"
    legacy_store(db, rows=2)
    db.chmod(0o600)
    with no_progress_warning():
        progress = ProgressStore(db)
        assert [a.question_id for a in progress.all_attempts()] == ["q-0", "q-1"]
        progress.record(attempt())
    with sqlite3.connect(db) as connection:
        stamp = [connection.execute(f"PRAGMA {name}").fetchone()[0] for name in ("application_id", "user_version")]
    connection.close()
    assert stamp == [progress_module._sqlite.APPLICATION_ID, progress_module._sqlite.STORE_VERSION]
    assert rows_in(db) == 3


def test_a_version_1_store_is_migrated_in_place_and_its_attempts_numbered(tmp_path):
    db = tmp_path / "progress.sqlite3"
    legacy_store(db, questions=["focus-1", "focus-2", "focus-1"], stamped=True)
    db.chmod(0o600)
    with no_progress_warning():
        progress = ProgressStore(db)
        progress.record(attempt("focus-1"))
        progress.record(attempt("focus-3"))
    numbers = [(a.question_id, a.attempt_number) for a in ProgressStore(db).all_attempts()]
    assert numbers == [("focus-1", 1), ("focus-2", 1), ("focus-1", 2), ("focus-1", 3), ("focus-3", 1)]
    assert [a.first_attempt for a in ProgressStore(db).all_attempts()] == [True, True, False, False, True]


def test_a_version_2_store_is_migrated_in_place_every_attempt_at_the_bank_entry(tmp_path):
    db = tmp_path / "progress.sqlite3"
    legacy_store(db, questions=["focus-1", "focus-2"], stamped=True)
    db.chmod(0o600)
    with no_progress_warning():
        ProgressStore(db).all_attempts()  # migrated to version 2, then stamped 2 as an older rolelib left it
    with sqlite3.connect(db) as connection:
        connection.execute("ALTER TABLE attempts DROP COLUMN variant")
        connection.execute('ALTER TABLE attempts DROP COLUMN "order"')
        connection.execute("PRAGMA user_version = 2")
    connection.close()
    with no_progress_warning():
        progress = ProgressStore(db)
        progress.record(replace(attempt("focus-3"), variant="focus-3-b", order=("CISO", "CIO")))
    shown = [(a.question_id, a.variant, a.order) for a in ProgressStore(db).all_attempts()]
    assert shown == [("focus-1", "focus-1", ()), ("focus-2", "focus-2", ()), ("focus-3", "focus-3-b", ("CISO", "CIO"))]


@pytest.mark.parametrize("name", ["ada.json", "ada.csv"])
def test_the_version_shown_and_its_order_survive_the_store_and_the_export(tmp_path, name):
    progress = ProgressStore(tmp_path / "p.sqlite3")
    progress.record(replace(attempt("focus-1"), variant="focus-1-b", order=("The CSO", "The CIO, \"quoted\"")))
    progress.record(attempt("focus-2"))
    again = ProgressStore(tmp_path / "p.sqlite3").all_attempts()
    assert [(a.variant, a.order) for a in again] == [("focus-1-b", ("The CSO", 'The CIO, "quoted"')), ("focus-2", ())]
    export = parse_export(progress.export(tmp_path / name, "Ada"))
    assert [(a.question_id, a.variant, a.order) for a in export.attempts] == [
        ("focus-1", "focus-1-b", ("The CSO", 'The CIO, "quoted"')), ("focus-2", "focus-2", ())]


def _as_older_export(path: Path, version: int, dropped: list[str]) -> None:
    """Rewrite an export as an older format version would have written it: without the attempt fields ``dropped``
    (the last columns of a CSV)."""
    if path.suffix == ".json":
        document = json.loads(path.read_text(encoding="utf-8"))
        document["version"] = version
        for item in document["attempts"]:
            for field in dropped:
                del item[field]
        path.write_text(json.dumps(document), encoding="utf-8")
    else:
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join(line.rsplit(",", len(dropped))[0] for line in lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("name", ["old.json", "old.csv"])
def test_an_export_of_version_3_reads_as_the_bank_entry_in_bank_order(tmp_path, name):
    path = write_export(tmp_path / name, new_export("Ada", [attempt("focus-1"), attempt("focus-2")]))
    _as_older_export(path, 3, ["variant", "order"])
    export = parse_export(path)
    assert export.version == 3
    assert [(a.variant, a.order) for a in export.attempts] == [("focus-1", ()), ("focus-2", ())]


def test_two_kernels_answering_one_question_number_their_attempts_in_turn(tmp_path):
    db = tmp_path / "progress.sqlite3"
    with no_progress_warning():
        first, second = ProgressStore(db), ProgressStore(db)
        first.record(attempt("focus-1"))
        second.record(attempt("focus-1"))
        first.record(attempt("focus-1"))
    assert [a.attempt_number for a in ProgressStore(db).all_attempts()] == [1, 2, 3]


# -- any text a learner can type ---------------------------------------------------------------


@pytest.mark.parametrize("text", ["lone \ud800 surrogate and \udfff", "NUL \x00 inside", "\U0001f600 emoji",
                                  "line\u2028separator \x1b[2J"])
def test_any_text_a_learner_can_type_is_stored_exactly(tmp_path, text):
    db = tmp_path / "progress.sqlite3"
    with no_progress_warning():
        ProgressStore(db).record(attempt("start-3", answer=text, kind="reflect", correct=None, score=0.0))
        assert ProgressStore(db).last_attempt("start-3").answer == text
        assert ProgressStore(db).attempts().loc[0, "answer"] == text


def test_an_answer_too_long_to_store_is_refused_with_a_clear_message(tmp_path):
    db = tmp_path / "progress.sqlite3"
    progress = ProgressStore(db)
    with no_progress_warning(), pytest.raises(ValueError, match=r"too long to save \(10,000,002 characters"):
        progress.record(attempt("start-3", answer="x" * 10_000_000, kind="reflect", correct=None, score=0.0))
    assert progress.last_attempt("start-3") is None and rows_in(db) == 0


# -- a damaged store --------------------------------------------------------------------------


@pytest.mark.parametrize("content", [
    random.Random(3).randbytes(8192),
    b"These are my notes about the CIO and the CISO.\n" * 20,
], ids=["random-bytes", "text-file"])
def test_a_corrupt_file_is_moved_aside_and_a_fresh_store_started(tmp_path, content):
    db = tmp_path / "progress.sqlite3"
    db.write_bytes(content)
    db.chmod(0o600)  # private, as the course makes it: the one warning is about the damage
    with pytest.warns(ProgressWarning) as caught:
        progress = ProgressStore(db)
        progress.record(attempt(answer="CIO"))
    assert len(caught) == 1
    (aside,) = tmp_path.glob("progress.sqlite3.corrupt-*")
    assert re.fullmatch(r"progress\.sqlite3\.corrupt-\d{8}T\d{6}Z", aside.name)
    assert aside.read_bytes() == content
    message = str(caught[0].message)
    assert str(db) in message and str(aside) in message
    assert progress.warning == message
    assert progress.path == db
    with no_progress_warning():
        assert ProgressStore(db).last_attempt("focus-1").answer == "CIO"
    assert rows_in(db) == 1


def test_a_file_with_damaged_pages_is_moved_aside(tmp_path):
    db = tmp_path / "progress.sqlite3"
    progress = ProgressStore(db)
    for number in range(300):
        progress.record(attempt(f"q-{number}", answer="x" * 200))
    damaged = bytearray(db.read_bytes())
    damaged[8192:16384] = random.Random(4).randbytes(8192)
    db.write_bytes(bytes(damaged))
    with pytest.warns(ProgressWarning, match="damaged") as caught:
        reopened = ProgressStore(db)
        assert reopened.last_attempt("q-1") is None
    assert len(caught) == 1
    assert len(list(tmp_path.glob("progress.sqlite3.corrupt-*"))) == 1
    assert reopened.path == db


def test_a_file_damaged_during_the_session_is_replaced_keeping_the_answers_read(tmp_path):
    db = tmp_path / "progress.sqlite3"
    progress = ProgressStore(db)
    progress.record(attempt("focus-2", answer="before"))
    db.write_bytes(b"\x00garbage" * 512)
    with pytest.warns(ProgressWarning) as caught:
        progress.record(attempt(answer="after"))
    assert len(caught) == 1
    assert progress.last_attempt("focus-1").answer == "after"
    assert progress.last_attempt("focus-2").answer == "before"
    assert [a.answer for a in ProgressStore(db).all_attempts()] == ["before", "after"]
    assert len(list(tmp_path.glob("progress.sqlite3.corrupt-*"))) == 1


# -- an unwritable location -------------------------------------------------------------------


def _unwritable(tmp_path: Path, where: str) -> Path:
    if where == "parent-is-a-file":
        (tmp_path / "notes.txt").write_text("not a folder")
        return tmp_path / "notes.txt" / "progress.sqlite3"
    return Path("/proc/rolelib-test") / "progress.sqlite3"


@pytest.mark.parametrize("where", [
    "parent-is-a-file",
    pytest.param("proc", marks=pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc")),
])
def test_an_unwritable_location_falls_back_to_memory_with_one_warning(tmp_path, where):
    target = _unwritable(tmp_path, where)
    with pytest.warns(ProgressWarning) as caught:
        progress = ProgressStore(target)
        for number in range(5):
            progress.record(attempt("q-1", answer=f"try {number}", correct=number == 4, score=float(number == 4)))
        last = progress.last_attempt("q-1")
        summary = progress.summary().set_index("lesson")
    assert len(caught) == 1
    message = str(caught[0].message)
    assert str(target) in message and "memory" in message and ENV_VAR in message
    assert progress.warning == message
    assert progress.path is None
    assert last.answer == "try 4"
    assert summary.loc["01_focus"].tolist() == [1, 1, 1, 1.0]


def test_the_default_store_in_an_unwritable_place_warns_once(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(_unwritable(tmp_path, "parent-is-a-file")))
    with pytest.warns(ProgressWarning) as caught:
        for number in range(3):
            store().record(attempt(f"q-{number}"))
        table = progress_summary("topic")
    assert len(caught) == 1
    assert store().path is None
    assert table.set_index("topic").loc["focus", "attempted"] == 3


def test_a_location_that_vanishes_during_the_session_falls_back_to_memory(tmp_path):
    db = tmp_path / "progress.sqlite3"
    progress = ProgressStore(db)
    progress.record(attempt("focus-3", answer="answered before"))
    progress.record(attempt(answer="before"))
    db.unlink()
    db.mkdir()  # something else now sits where the file was
    with pytest.warns(ProgressWarning) as caught:
        progress.record(attempt(answer="after"))
        progress.record(attempt("focus-2"))
    assert len(caught) == 1
    assert "not a regular file" in str(caught[0].message)
    assert progress.path is None
    assert progress.last_attempt("focus-1").answer == "after"
    assert progress.last_attempt("focus-3").answer == "answered before"  # what was read stays visible


def test_a_store_file_deleted_during_the_session_is_written_again_with_every_answer(tmp_path):
    db = tmp_path / "progress.sqlite3"
    progress = ProgressStore(db)
    progress.record(attempt("focus-2", answer="before"))
    db.unlink()  # a learner tidying their files, or a cleanup script
    with pytest.warns(ProgressWarning, match="was deleted while") as caught:
        progress.record(attempt(answer="after"))
    assert len(caught) == 1 and progress.warning is None
    assert progress.path == db
    assert progress.last_attempt("focus-2").answer == "before"
    assert [a.answer for a in ProgressStore(db).all_attempts()] == ["before", "after"]


def test_a_store_file_replaced_by_another_store_shows_that_stores_answers(tmp_path):
    db, backup = tmp_path / "progress.sqlite3", tmp_path / "backup.sqlite3"
    ProgressStore(backup).record(attempt("focus-3", answer="from the backup"))
    progress = ProgressStore(db)
    progress.record(attempt("focus-2", answer="before"))
    os.replace(backup, db)  # the learner puts a copy of their progress back
    with no_progress_warning():
        progress.record(attempt(answer="after"))
    assert [a.answer for a in progress.all_attempts()] == ["from the backup", "after"]


def test_a_full_disk_keeps_earlier_answers_in_memory(tmp_path, monkeypatch):
    db = tmp_path / "progress.sqlite3"
    progress = ProgressStore(db)
    progress.record(attempt("focus-1", answer="saved earlier"))
    real_connect = sqlite3.connect

    class FullDisk(sqlite3.Connection):
        def executemany(self, sql, *args):
            if sql.startswith("INSERT"):
                raise sqlite3.OperationalError("database or disk is full")
            return super().executemany(sql, *args)

    def connect(database, *args, **kwargs):
        if database == ":memory:":
            return real_connect(database, *args, **kwargs)
        return real_connect(database, *args, factory=FullDisk, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)
    with pytest.warns(ProgressWarning, match="disk is full") as caught:
        progress.record(attempt("focus-2", answer="new"))
    assert len(caught) == 1
    assert progress.last_attempt("focus-1").answer == "saved earlier"
    assert progress.last_attempt("focus-2").answer == "new"
    assert progress.attempts()["question_id"].tolist() == ["focus-1", "focus-2"]


# -- the summary ------------------------------------------------------------------------------


def test_summary_by_lesson_lists_every_lesson_in_course_order(tmp_path):
    progress = ProgressStore(tmp_path / "p.sqlite3")
    progress.record(attempt("f-1", correct=False, score=0.0))
    progress.record(attempt("f-1", correct=True, score=0.75))           # wrong, then right: counts
    progress.record(attempt("f-2", correct=True, score=1.0))
    progress.record(attempt("f-2", correct=False, score=0.0))           # right, then wrong: does not
    progress.record(attempt("f-3", correct=None, score=0.0, kind="reflect"))
    progress.record(attempt("c-1", correct=True, score=0.5, lesson="04_certifications", topic="certifications"))
    table = progress.summary()
    assert list(table.columns) == ["lesson", "attempted", "graded", "correct", "score"]
    assert table["lesson"].tolist() == [item.slug for item in LESSONS]
    rows = table.set_index("lesson")
    assert rows.loc["01_focus"].tolist() == [3, 2, 1, 0.75]  # the reflection is attempted, not graded
    assert rows.loc["04_certifications"].tolist() == [1, 1, 1, 0.5]
    assert rows.loc["00_start_here"].tolist() == [0, 0, 0, 0.0]
    assert table["attempted"].dtype == "int64" and table["score"].dtype == "float64"


def test_summary_by_topic_follows_the_course_and_appends_unknown_groups(tmp_path):
    progress = ProgressStore(tmp_path / "p.sqlite3")
    progress.record(attempt("r-1", topic="reporting", lesson="05_reporting_structure", score=0.1))
    progress.record(attempt("r-2", topic="reporting", lesson="05_reporting_structure", score=0.2))
    progress.record(attempt("x-1", topic="cto", lesson="07_extra"))
    progress.record(attempt("g-1", topic="governance", lesson="06_review"))
    by_topic = progress.summary("topic")
    assert by_topic["topic"].tolist() == [*TOPIC_ORDER, "cto", "governance"]
    assert by_topic.set_index("topic").loc["reporting"].tolist() == [2, 2, 2, 0.3]
    assert progress.summary("lesson")["lesson"].tolist()[-1] == "07_extra"


def test_summary_rejects_an_unknown_grouping_with_the_course_error_listing_the_groupings():
    with pytest.raises(UnknownNameError, match="are: lesson, topic"):
        ProgressStore(":memory:").summary("role")


# -- export and read back ---------------------------------------------------------------------


@pytest.fixture
def answered(tmp_path) -> ProgressStore:
    progress = ProgressStore(tmp_path / "p.sqlite3")
    progress.record(attempt("focus-1", answer="CIO"))
    progress.record(attempt("certs-1", answer=["CISSP", "CISM"], correct=False, score=0.5, hints_used=1,
                            lesson="04_certifications", topic="certifications", kind="multiple"))
    progress.record(attempt("match-1", answer={"PMP": "CIO", "CISM": "CISO"}, kind="match"))
    progress.record(attempt("reflect-1", answer='She said "both", then, <b>paused</b>.\nNew line.',
                            correct=None, score=0.0, kind="reflect"))
    return progress


def test_json_export_has_the_agreed_format(answered, tmp_path, monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    path = answered.export(tmp_path / "ada.json", "  Ada Lovelace ")
    document = json.loads(path.read_text(encoding="utf-8"))
    assert list(document) == ["format", "version", "learner", "account", "exported_at", "course_version",
                              "mode", "submitted_at", "attempts"]
    assert (document["mode"], document["submitted_at"]) == ("practice", None)
    assert document["format"] == "rolelib-progress"
    assert document["version"] == 4
    assert document["learner"] == "Ada Lovelace"
    assert document["account"] is None
    assert document["course_version"] == rolelib.__version__
    assert datetime.fromisoformat(document["exported_at"]).utcoffset() == timedelta(0)
    assert [list(item) for item in document["attempts"]] == [COLUMNS] * 4
    assert document["attempts"][2]["answer"] == {"PMP": "CIO", "CISM": "CISO"}
    assert document["attempts"][3]["correct"] is None


def test_csv_export_is_a_plain_table_with_who_made_it_on_every_row(answered, tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "ada-l")
    path = answered.export(tmp_path / "ada.csv", "Ada")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["learner", "account", "exported_at", "course_version", "mode", "submitted_at", *COLUMNS]
    assert len(rows) == 5
    assert {tuple(row[:2]) for row in rows[1:]} == {("Ada", "ada-l")}
    assert {row[3] for row in rows[1:]} == {rolelib.__version__}
    assert {tuple(row[4:6]) for row in rows[1:]} == {("practice", "")}
    assert json.loads(rows[2][rows[0].index("answer")]) == ["CISSP", "CISM"]
    assert pd.read_csv(path)["question_id"].tolist() == ["focus-1", "certs-1", "match-1", "reflect-1"]


@pytest.mark.parametrize("name", ["ada.json", "ada.csv"])
def test_an_export_records_the_hub_account_and_reads_it_back(answered, tmp_path, monkeypatch, name):
    monkeypatch.setenv("JUPYTERHUB_USER", "ada-l")
    export = parse_export(answered.export(tmp_path / name, "Ada"))
    assert (export.learner, export.account, export.version, export.course_version) == (
        "Ada", "ada-l", 4, rolelib.__version__)
    assert datetime.fromisoformat(export.exported_at).utcoffset() == timedelta(0)
    monkeypatch.delenv("JUPYTERHUB_USER")
    assert parse_export(answered.export(tmp_path / name, "Ada")).account is None


def test_a_csv_export_whose_rows_disagree_on_who_made_it_is_refused(answered, tmp_path):
    path = answered.export(tmp_path / "ada.csv", "Ada")
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(',"",', ',"someone-else",', 1)  # every field is quoted
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="disagree on the account"):
        read_export(path)


@pytest.mark.parametrize("name", ["ada.json", "ada.csv", "ADA.JSON"])
def test_export_reads_back_exactly(answered, tmp_path, name):
    learner, table = read_export(answered.export(tmp_path / name, "Ada L\u00f6velace"))
    assert learner == "Ada L\u00f6velace"
    pd.testing.assert_frame_equal(table, answered.attempts())


def test_export_overwrites_an_older_export(answered, tmp_path):
    path = tmp_path / "ada.json"
    answered.export(path, "Ada")
    answered.record(attempt("late-1"))
    answered.export(path, "Ada")
    assert len(read_export(path)[1]) == 5
    assert [item.name for item in tmp_path.iterdir() if item.name.startswith(".")] == []


@pytest.mark.parametrize("learner", ["", "   ", None])
def test_export_requires_a_learner_name(answered, tmp_path, learner):
    with pytest.raises(ValueError, match="give your name"):
        answered.export(tmp_path / "x.json", learner)
    assert not (tmp_path / "x.json").exists()


def test_export_refuses_other_file_types(answered, tmp_path):
    with pytest.raises(ValueError, match=r"\.json or \.csv"):
        answered.export(tmp_path / "progress.xlsx", "Ada")
    assert not (tmp_path / "progress.xlsx").exists()


def test_default_store_and_its_wrappers(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "one.sqlite3"))
    assert store() is store()
    store().record(attempt("certs-1", lesson="04_certifications", topic="certifications"))
    assert progress_summary().set_index("lesson").loc["04_certifications", "correct"] == 1
    learner, table = read_export(export_progress(tmp_path / "me.json", "Ada"))
    assert (learner, table["question_id"].tolist()) == ("Ada", ["certs-1"])
    first = store()
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "two.sqlite3"))
    assert store() is not first
    assert store().path == tmp_path / "two.sqlite3"
    assert progress_summary()["attempted"].sum() == 0


# -- read_export explains what is wrong with a file ----------------------------------------------


def _document() -> dict:
    return {"format": "rolelib-progress", "version": 1, "learner": "Ada", "exported_at": "2024-05-01T10:00:00+00:00",
            "course_version": "0.1.0",
            "attempts": [{"question_id": "focus-1", "lesson": "01_focus", "topic": "focus", "kind": "single",
                          "answer": "CIO", "correct": True, "score": 1.0, "hints_used": 0,
                          "time": "2024-05-01T09:00:00+00:00"}]}


def _changed(change) -> str:
    document = _document()
    change(document)
    return json.dumps(document, indent=2)


_GOOD_CSV = ("learner,question_id,lesson,topic,kind,answer,correct,score,hints_used,time\n"
             'Ada,focus-1,01_focus,focus,single,"""CIO""",true,1.0,0,2024-05-01T09:00:00+00:00\n')

BAD_FILES = {
    "wrong-suffix": ("notes.txt", json.dumps(_document()), r"\.json or \.csv file, not \.txt"),
    "empty": ("p.json", "", "the file is empty"),
    "truncated-json": ("p.json", json.dumps(_document(), indent=2)[:150], "truncated"),
    "not-json": ("p.json", "learner: Ada\nscore: 1\n", "not valid JSON"),
    "json-then-more": ("p.json", json.dumps(_document()) + "\nthanks", "more text after the end of the export"),
    "json-list": ("p.json", "[1, 2]", "JSON list"),
    "foreign-format": ("p.json", _changed(lambda d: d.update(format="jupyter-notebook")),
                       "'jupyter-notebook'.*not a rolelib progress export"),
    "no-format": ("p.json", json.dumps({"cells": [], "nbformat": 4}), 'no "format" field'),
    "missing-learner": ("p.json", _changed(lambda d: d.pop("learner")), "lacks the field.*'learner'"),
    "missing-score": ("p.json", _changed(lambda d: d["attempts"][0].pop("score")),
                      "attempt 1 lacks the field.*'score'"),
    "order-not-a-list": ("p.json", _changed(lambda d: d["attempts"][0].update(order="CIO")),
                         "attempt 1: order should be a list"),
    "variant-not-text": ("p.json", _changed(lambda d: d["attempts"][0].update(variant=3)),
                         "attempt 1: variant should be the id"),
    "newer-version": ("p.json", _changed(lambda d: d.update(version=5)), "version 5.*newer rolelib"),
    "version-as-text": ("p.json", _changed(lambda d: d.update(version="1")), "whole number"),
    "score-too-high": ("p.json", _changed(lambda d: d["attempts"][0].update(score=1.5)),
                       "attempt 1: score should be a number from 0 to 1"),
    "correct-as-text": ("p.json", _changed(lambda d: d["attempts"][0].update(correct="yes")),
                        "correct should be true, false or null"),
    "empty-learner": ("p.json", _changed(lambda d: d.update(learner=" ")), "non-empty name"),
    "csv-foreign": ("p.csv", "name,grade\nAda,A\n", "not the header of a rolelib progress export"),
    "csv-missing-column": ("p.csv", _GOOD_CSV.replace(",hints_used", ",hints"), "lacks the column.*hints_used"),
    "csv-truncated": ("p.csv", _GOOD_CSV + "Ada,focus-2,01_focus,focus,single,", "line 3.*truncated"),
    "csv-no-rows": ("p.csv", _GOOD_CSV.splitlines()[0] + "\n", "no attempts"),
    "csv-two-learners": ("p.csv", _GOOD_CSV + _GOOD_CSV.splitlines()[1].replace("Ada", "Bob") + "\n",
                         "more than one learner: 'Ada', 'Bob'"),
    "csv-bad-correct": ("p.csv", _GOOD_CSV.replace(",true,", ",yes,"), "line 2: correct should be"),
    "csv-answer-not-json": ("p.csv", _GOOD_CSV.replace('"""CIO"""', "CIO"), "not JSON-encoded"),
    "csv-score-not-number": ("p.csv", _GOOD_CSV.replace(",1.0,", ",full,"), "score should be a number"),
}


@pytest.mark.parametrize("name, content, reason", list(BAD_FILES.values()), ids=list(BAD_FILES))
def test_read_export_says_what_is_wrong(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=reason) as error:
        read_export(path)
    assert str(path) in str(error.value)


def test_read_export_rejects_binary_files(tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(ValueError, match="not UTF-8 text"):
        read_export(path)


def test_read_export_accepts_the_valid_samples(tmp_path):
    (tmp_path / "p.json").write_text(json.dumps(_document()), encoding="utf-8")
    (tmp_path / "p.csv").write_text(_GOOD_CSV, encoding="utf-8")
    for path in (tmp_path / "p.json", tmp_path / "p.csv"):
        learner, table = read_export(path)
        assert learner == "Ada"
        assert table.loc[0, ["question_id", "answer", "score"]].tolist() == ["focus-1", "CIO", 1.0]
        assert bool(table.loc[0, "correct"]) is True


@pytest.mark.parametrize("name, content", [("p.json", json.dumps(_document())), ("p.csv", _GOOD_CSV)],
                         ids=["json", "csv"])
def test_version_1_exports_are_still_read(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    export = parse_export(path)
    assert (export.version, export.learner, export.account) == (1, "Ada", None)
    assert [attempt.answer for attempt in export.attempts] == ["CIO"]


# -- weight -------------------------------------------------------------------------


def test_recording_does_not_import_pandas(tmp_path):
    script = (
        "import sys\n"
        "from rolelib.progress import Attempt, ProgressStore\n"
        f"progress = ProgressStore({str(tmp_path / 'p.sqlite3')!r})\n"
        "progress.record(Attempt('q', '01_focus', 'focus', 'single', 'CIO', True, 1.0, 0))\n"
        "assert progress.last_attempt('q').answer == 'CIO'\n"
        "print('pandas' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("name", ["old.json", "old.csv"])
def test_an_export_of_version_2_is_read_with_its_attempts_numbered_in_order(tmp_path, name):
    attempts = [attempt("focus-1", "CISO", False, 0.0), attempt("focus-2"), attempt("focus-1")]
    path = write_export(tmp_path / name, new_export("Ada", attempts))
    _as_older_export(path, 2, ["attempt_number", "variant", "order"])
    export = parse_export(path)
    assert export.version == 2
    assert [(a.question_id, a.attempt_number) for a in export.attempts] == [("focus-1", 1), ("focus-2", 1),
                                                                            ("focus-1", 2)]
