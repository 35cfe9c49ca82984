"""Fixtures shared by the unit tests (helpers the tests share live in tests/helpers/)."""

from __future__ import annotations

from pathlib import Path

import pytest

import rolelib
from tests.copycheck import copied_runs
from tests.helpers import add_chief_data_officer, attempt_at, copy_data, course_export, hand_in, variant_data


@pytest.fixture(autouse=True)
def _private_progress_store(tmp_path_factory, monkeypatch):
    """Every test records progress in a store of its own, never in the user's data directory."""
    monkeypatch.setenv("ROLELIB_PROGRESS", str(tmp_path_factory.mktemp("progress") / "progress.sqlite3"))
    monkeypatch.delenv("ROLELIB_INSTRUCTOR", raising=False)
    for variable in ("JUPYTERHUB_USER", "ROLELIB_VERSIONS"):  # no learner identity: the banks' versions and order
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture
def learner_mode():
    """The test starts and ends in learner mode (instructor mode as the environment says)."""
    from rolelib.exercises import instructor_mode

    instructor_mode(None)
    yield
    instructor_mode(None)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A fresh copy of the shipped data/ (question banks included) that a test may edit."""
    return copy_data(tmp_path)


@pytest.fixture
def variants(tmp_path: Path) -> Path:
    """A data copy whose 01_focus bank has variants for every kind (tests/fixtures/variants_bank.yaml)."""
    return variant_data(tmp_path)


@pytest.fixture
def data() -> rolelib.CourseData:
    """The course's own data, a fresh copy for the test."""
    return rolelib.load()


@pytest.fixture
def custom(data_copy: Path) -> rolelib.CourseData:
    """A copy of data/ with a Chief Data Officer added by an instructor, with words of its own and texts that
    look like markup."""
    return rolelib.load(add_chief_data_officer(data_copy))


@pytest.fixture(scope="session")
def copied_from_article():
    """A check that a text shares no run of eight words with the source article.

    Facts carry over from the article; its sentences do not. The repository ships no article
    text, only a hash of each of its eight-word runs (tests/copycheck.py says how).
    """
    return copied_runs


@pytest.fixture
def good(tmp_path: Path) -> Path:
    """Three learners: Ada (JSON), Grace (CSV) and Alan (JSON), on two focus questions and a reflection."""
    folder = tmp_path / "class"
    folder.mkdir()
    hand_in(folder / "ada.json", "Ada", [
        attempt_at("focus-1", False, minute=1), attempt_at("focus-1", True, minute=2),  # wrong, then right
        attempt_at("focus-2", True, hints=1, minute=3),
        attempt_at("start-3", answer="Both roles matter.", minute=4)])
    course_export(folder / "grace.csv", "Grace", account="grace-h", attempts=[
        attempt_at("focus-1", True, minute=1), attempt_at("focus-1", False, minute=2),  # right, then wrong
        attempt_at("focus-2", True, minute=3)])
    hand_in(folder / "alan.json", "Alan", [attempt_at("focus-1", False, minute=1)])
    return folder
