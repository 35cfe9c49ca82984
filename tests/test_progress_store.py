"""Progress store: where it is kept, kept private, what it records and reads back, and what it weighs."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pytest

from rolelib.progress import (
    ENV_VAR,
    ProgressStore,
    ProgressWarning,
    export_progress,
    progress_summary,
    read_export,
    store,
)
from tests.helpers import COLUMNS, REPO, attempt, legacy_store, mode, no_progress_warning, rows_in


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


def test_environment_variable_naming_a_folder_still_to_make_holds_progress_sqlite3(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "hub" / "learner") + "/")
    progress = ProgressStore()
    progress.record(attempt())
    assert progress.path == tmp_path / "hub" / "learner" / "progress.sqlite3"
    assert rows_in(progress.path) == 1


@pytest.mark.skipif(sys.platform != "linux", reason="XDG_DATA_HOME steers platformdirs on Linux only")
@pytest.mark.parametrize("setting", [None, ""], ids=["unset", "set but empty"])
def test_default_location_is_the_users_data_folder(tmp_path, monkeypatch, setting):
    if setting is None:
        monkeypatch.delenv(ENV_VAR)
    else:
        monkeypatch.setenv(ENV_VAR, setting)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")  # never the notebook's folder, which others may share
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


@pytest.mark.skipif(os.name == "nt", reason="Windows keeps access rights in ACLs, not in mode bits")
def test_a_store_that_only_other_users_could_read_is_made_private_too(tmp_path):
    db = tmp_path / "progress.sqlite3"
    legacy_store(db)
    db.chmod(0o604)  # readable by everyone but the learner's group
    with pytest.warns(ProgressWarning, match="now private to you"):
        ProgressStore(db)
    assert mode(db) == 0o600


@pytest.mark.skipif(os.name == "nt", reason="Windows keeps access rights in ACLs, not in mode bits")
def test_a_store_made_private_in_a_folder_the_learner_named_leaves_that_folder_as_it_is(tmp_path, monkeypatch):
    with usual_umask():
        folder = tmp_path / "mine"
        folder.mkdir(mode=0o755)  # a folder of the learner's, which others may need to open (a home folder)
        db = folder / "progress.sqlite3"
        legacy_store(db)
        monkeypatch.setenv(ENV_VAR, str(db))
        with pytest.warns(ProgressWarning, match="now private to you"):
            ProgressStore()
        assert (mode(folder), mode(db)) == (0o755, 0o600)


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


@pytest.mark.parametrize(("column", "typed", "read"), [
    ("answer", "The CIO, typed into the file by hand", "The CIO, typed into the file by hand"),  # not JSON: as typed
    ("order", "5", ()),  # JSON, but not a list of parts: the bank's order
], ids=["an answer that is not JSON", "an order that is not a list"])
def test_a_store_edited_by_hand_outside_the_course_is_still_read(tmp_path, column, typed, read):
    db = tmp_path / "progress.sqlite3"
    ProgressStore(db).record(attempt())
    with sqlite3.connect(db) as connection:
        connection.execute(f'UPDATE attempts SET "{column}" = ?', (typed,))
    connection.close()
    progress = ProgressStore(db)
    assert getattr(progress.last_attempt("focus-1"), column) == read
    assert progress.summary("topic")["attempted"].sum() == 1, "the learner's summary still works"


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
