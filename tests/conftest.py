"""Fixtures shared by the unit tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"


@pytest.fixture(autouse=True)
def _private_progress_store(tmp_path_factory, monkeypatch):
    """Every test records progress in a store of its own, never in the user's data directory."""
    monkeypatch.setenv("ROLELIB_PROGRESS", str(tmp_path_factory.mktemp("progress") / "progress.sqlite3"))
    monkeypatch.delenv("ROLELIB_INSTRUCTOR", raising=False)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A fresh copy of the shipped data/ (question banks included) that a test may edit."""
    target = tmp_path / "my_data"
    shutil.copytree(DATA, target)
    return target
