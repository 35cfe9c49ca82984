"""Helpers the tests share (import them from here; conftest.py holds only fixtures)."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"


def append_rows(path: Path, *rows: str) -> None:
    """Add lines to a CSV file of a data copy, as an instructor editing it would."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write("".join(row + "\n" for row in rows))


def copy_data(folder: Path) -> Path:
    """A fresh copy of the shipped data/ (question banks included) in ``folder``/my_data, to edit."""
    target = folder / "my_data"
    shutil.copytree(DATA, target)
    return target
