"""Fixtures of the hub test: a JupyterHub on 127.0.0.1 with three learners and an instructor.

Every test here is marked ``hub``; ``pytest -m "not hub"`` leaves them out. Without root,
useradd, node, git or the hub environment (``python3 tests/hub/install.py``) they are skipped
with a message naming what is missing.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import hubkit  # noqa: E402  (the helper module beside this file)

collect_ignore = ["jupyterhub_config_test.py"]  # JupyterHub's configuration file, not a module to import

LEARNERS = {"rlhub-ada": "Ada Example", "rlhub-ben": "Ben Example", "rlhub-chen": "Chen Example"}
INSTRUCTOR = "rlhub-teach"
INSTRUCTORS_GROUP = "rlhub-instructors"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of this directory ``hub``."""
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.hub)


@dataclass
class Classroom:
    """The running hub, its accounts, the course repository and its git address."""

    hub: hubkit.Hub
    accounts: hubkit.Accounts
    repository: Path
    url: str
    handin: Path
    clients: dict[str, hubkit.Client] = field(default_factory=dict)

    def client(self, name: str) -> hubkit.Client:
        """The account's client (made once, with a token of its own)."""
        if name not in self.clients:
            self.clients[name] = self.hub.learner(name)
        return self.clients[name]


@pytest.fixture(scope="package")
def classroom() -> Iterator[Classroom]:
    """The hub with its proxy, the accounts, and the course served by git; all removed afterwards."""
    missing = hubkit.requirements_missing()
    if missing:
        pytest.skip("the JupyterHub test needs " + "; ".join(missing))
    # Not under pytest's temporary folder: that is 0700, and every account must read the course.
    work = Path(tempfile.mkdtemp(prefix="rolelib-hub-"))
    work.chmod(0o755)
    with ExitStack() as cleanup:
        cleanup.callback(shutil.rmtree, work, ignore_errors=True)
        accounts = hubkit.Accounts(list(LEARNERS), INSTRUCTOR, INSTRUCTORS_GROUP)
        cleanup.callback(accounts.remove)
        accounts.create()
        repository = hubkit.course_repository(work)
        hubkit.install_course(repository, "main")
        git = hubkit.GitServer(work)
        cleanup.callback(git.stop)
        hub = hubkit.Hub(work, accounts, work / "handin")
        cleanup.callback(hub.stop)
        hub.start()
        room = Classroom(hub, accounts, repository, git.url(repository), work / "handin")
        cleanup.callback(lambda: [client.close() for client in room.clients.values()])
        yield room
