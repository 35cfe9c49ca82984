"""Progress with several kernels at once: no answer lost, locks waited for or queued."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from rolelib import progress as progress_module
from rolelib.progress import ENV_VAR, ProgressStore, ProgressWarning
from tests.helpers import REPO, attempt, no_progress_warning, rows_in

WORKER = Path(__file__).with_name("_progress_worker.py")


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
        assert [a.attempt_number for a in progress.all_attempts()] == [1, 1, 2], "an export now numbers them right"
        assert progress.last_attempt("focus-1").answer == "second", "a re-shown exercise shows the newest answer"
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


def test_two_kernels_answering_one_question_number_their_attempts_in_turn(tmp_path):
    db = tmp_path / "progress.sqlite3"
    with no_progress_warning():
        first, second = ProgressStore(db), ProgressStore(db)
        first.record(attempt("focus-1"))
        second.record(attempt("focus-1"))
        first.record(attempt("focus-1"))
    assert [a.attempt_number for a in ProgressStore(db).all_attempts()] == [1, 2, 3]
