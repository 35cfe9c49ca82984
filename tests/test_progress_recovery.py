"""Progress in a store that is not the course's, damaged, unwritable or vanishing: refused or recovered, never lost."""

from __future__ import annotations

import os
import random
import re
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest

from rolelib.progress import ENV_VAR, ProgressStore, ProgressWarning, progress_summary, store
from tests.helpers import attempt, mode, no_progress_warning, rows_in


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


def test_a_store_file_replaced_by_a_link_during_the_session_is_refused_and_the_link_left_untouched(tmp_path):
    target = tmp_path / "classmate.sqlite3"  # a progress store, but not this learner's
    ProgressStore(target).record(attempt(answer="theirs"))
    before = target.read_bytes()
    db = tmp_path / "progress.sqlite3"
    progress = ProgressStore(db)
    progress.record(attempt(answer="mine"))
    db.unlink()
    db.symlink_to(target)
    with pytest.warns(ProgressWarning, match="symbolic link"):
        progress.record(attempt(answer="after the link"))
    assert target.read_bytes() == before and db.is_symlink()
    assert progress.path is None and progress.last_attempt("focus-1").answer == "after the link"


def test_another_programs_sqlite_file_is_refused_and_left_untouched(tmp_path):
    db = tmp_path / "progress.sqlite3"
    before = foreign_database(db)
    with pytest.warns(ProgressWarning) as caught:
        progress = ProgressStore(db)
    assert len(caught) == 1, "one message: no notice about its modes either, it is not ours to change"
    assert_refused(progress, str(db), "not a rolelib progress file", "notes", "untouched")
    assert db.read_bytes() == before and mode(db) == 0o644
    assert not db.with_name(db.name + "-journal").exists()


@pytest.mark.parametrize("schema", [
    ["PRAGMA application_id = 1234"],  # another program's file, still empty
    ["CREATE TABLE attempts (id INTEGER PRIMARY KEY, player TEXT, level INTEGER)",  # a game's table by that name
     "INSERT INTO attempts (player, level) VALUES ('ada', 3)"],
], ids=["another application id", "another attempts table"])
def test_another_programs_sqlite_file_that_looks_empty_or_like_ours_is_refused_and_left_untouched(tmp_path, schema):
    db = tmp_path / "progress.sqlite3"
    with sqlite3.connect(db) as connection:
        for statement in schema:
            connection.execute(statement)
    connection.close()
    before = db.read_bytes()
    with pytest.warns(ProgressWarning, match="not a rolelib progress file"):
        progress = ProgressStore(db)
    assert_refused(progress, str(db))
    assert db.read_bytes() == before


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


def test_two_damaged_files_moved_aside_within_one_second_are_both_kept(tmp_path, monkeypatch):
    class OneSecond(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2026, 3, 3, 12, 0, 0, tzinfo=timezone.utc)

    monkeypatch.setattr("rolelib.progress._sqlite.datetime", OneSecond)
    db = tmp_path / "progress.sqlite3"
    damages = [b"first damaged file\n" * 50, b"second damaged file\n" * 50]
    for damage in damages:
        db.write_bytes(damage)
        with pytest.warns(ProgressWarning, match="damaged"):
            ProgressStore(db)
    assert sorted(path.read_bytes() for path in tmp_path.glob("progress.sqlite3.corrupt-*")) == damages


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
