"""Progress stores and exports of earlier and newer versions: read, migrated in place or left untouched."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from rolelib import progress as progress_module
from rolelib.progress import ProgressStore, ProgressWarning, parse_export
from rolelib.progress.export import new_export, write_export
from tests.helpers import attempt, legacy_store, no_progress_warning, rows_in


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


@pytest.mark.parametrize("name", ["old.json", "old.csv"])
def test_an_export_of_version_2_is_read_with_its_attempts_numbered_in_order(tmp_path, name):
    attempts = [attempt("focus-1", "CISO", False, 0.0), attempt("focus-2"), attempt("focus-1")]
    path = write_export(tmp_path / name, new_export("Ada", attempts))
    _as_older_export(path, 2, ["attempt_number", "variant", "order"])
    export = parse_export(path)
    assert export.version == 2
    assert [(a.question_id, a.attempt_number) for a in export.attempts] == [("focus-1", 1), ("focus-2", 1),
                                                                            ("focus-1", 2)]
