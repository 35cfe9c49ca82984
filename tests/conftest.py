"""Fixtures shared by the unit tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.copycheck import copied_runs

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"


@pytest.fixture(autouse=True)
def _private_progress_store(tmp_path_factory, monkeypatch):
    """Every test records progress in a store of its own, never in the user's data directory."""
    monkeypatch.setenv("ROLELIB_PROGRESS", str(tmp_path_factory.mktemp("progress") / "progress.sqlite3"))
    monkeypatch.delenv("ROLELIB_INSTRUCTOR", raising=False)


def append_rows(path: Path, *rows: str) -> None:
    """Add lines to a CSV file of a data copy, as an instructor editing it would."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write("".join(row + "\n" for row in rows))


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A fresh copy of the shipped data/ (question banks included) that a test may edit."""
    target = tmp_path / "my_data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture(scope="session")
def copied_from_article():
    """A check that a text shares no run of eight words with the source article.

    Facts carry over from the article; its sentences do not. The repository ships no article
    text, only a hash of each of its eight-word runs (tests/copycheck.py says how).
    """
    return copied_runs
