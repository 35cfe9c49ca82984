"""Fixtures shared by the unit tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import DATA, REPO, append_rows, copy_data  # noqa: F401 - DATA, REPO, append_rows: for tests not yet importing tests.helpers


@pytest.fixture(autouse=True)
def _private_progress_store(tmp_path_factory, monkeypatch):
    """Every test records progress in a store of its own, never in the user's data directory."""
    monkeypatch.setenv("ROLELIB_PROGRESS", str(tmp_path_factory.mktemp("progress") / "progress.sqlite3"))
    monkeypatch.delenv("ROLELIB_INSTRUCTOR", raising=False)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A fresh copy of the shipped data/ (question banks included) that a test may edit."""
    return copy_data(tmp_path)


def _runs(text: str, length: int = 8) -> set[str]:
    words = re.findall(r"[a-z']+", text.lower().replace("\u2019", "'"))
    return {" ".join(words[i:i + length]) for i in range(len(words) - length + 1)}


@pytest.fixture(scope="session")
def copied_from_article():
    """A check that a text shares no run of eight words with the source article.

    Facts carry over from the article; its sentences do not. The article sits in shared/
    beside the checkout; without it the tests that use this are skipped.
    """
    article = REPO.parent / "shared" / "seed" / "cio-vs-ciso-article.txt"
    if not article.exists():
        pytest.skip("the source article is not beside this checkout")
    article_runs = _runs(article.read_text(encoding="utf-8"))

    def copied(text: str) -> set[str]:
        return _runs(text) & article_runs

    return copied
