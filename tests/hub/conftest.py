"""Fixtures of the hub test: a JupyterHub on 127.0.0.1 with three learners and an instructor.

Every test here is marked ``hub``; ``pytest -m "not hub"`` leaves them out. Without root,
useradd, node, git or the hub environment (``python3 tests/hub/install.py``) they are skipped
with a message naming what is missing.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import hubkit  # noqa: E402  (the helper module beside this file)
from hubkit import INSTRUCTOR, INSTRUCTORS_GROUP, LEARNERS, LEARNERS_GROUP  # noqa: E402

collect_ignore = ["jupyterhub_config_test.py"]  # JupyterHub's configuration file, not a module to import

def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of this directory ``hub``."""
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.hub)


@pytest.fixture(scope="package")
def classroom() -> Iterator[hubkit.Classroom]:
    """The hub with its proxy, the accounts, and the course served by git; all removed afterwards."""
    missing = hubkit.requirements_missing()
    if missing:
        pytest.skip("the JupyterHub test needs " + "; ".join(missing))
    with hubkit.open_classroom(list(LEARNERS), INSTRUCTOR, INSTRUCTORS_GROUP, LEARNERS_GROUP) as room:
        yield room
