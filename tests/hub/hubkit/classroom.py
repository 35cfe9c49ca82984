"""A class on the hub: accounts, course and hub opened together, and the class start measured."""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .accounts import Accounts
from .clients import Client
from .course import GitServer, course_repository, install_course
from .hub import Hub
from .settings import FIRST_LESSON, LINK_PATH


@dataclass
class Classroom:
    """The running hub, its accounts, the course repository and its git address."""

    hub: Hub
    accounts: Accounts
    repository: Path
    url: str
    handin: Path
    clients: dict[str, Client] = field(default_factory=dict)

    def client(self, name: str) -> Client:
        """The account's client (made once, with a token of its own)."""
        if name not in self.clients:
            self.clients[name] = self.hub.learner(name)
        return self.clients[name]


@contextmanager
def open_classroom(learners: list[str], instructor: str, group: str, learners_group: str) -> Iterator[Classroom]:
    """Accounts, the course in the hub environment and on a git server, and the hub; every
    process stopped and every account, home and file removed afterwards, even on failure."""
    # Not under pytest's temporary folder: that is 0700, and every account must read the course.
    work = Path(tempfile.mkdtemp(prefix="rolelib-hub-"))
    work.chmod(0o755)
    with ExitStack() as cleanup:
        cleanup.callback(shutil.rmtree, work, ignore_errors=True)
        accounts = Accounts(learners, instructor, group, learners_group)
        cleanup.callback(accounts.remove)
        accounts.create()
        repository = course_repository(work)
        install_course(repository, "main")
        git = GitServer(work)
        cleanup.callback(git.stop)
        hub = Hub(work, accounts, work / "handin")
        cleanup.callback(hub.stop)
        hub.start()
        room = Classroom(hub, accounts, repository, git.url(repository), work / "handin")
        cleanup.callback(lambda: [client.close() for client in room.clients.values()])
        yield room


def bare_notebook() -> dict[str, Any]:
    """A notebook of one cell that needs nothing of the course: what a class start is compared with."""
    return {"cells": [{"cell_type": "code", "execution_count": None, "id": "bare", "metadata": {}, "outputs": [],
                       "source": "print('ready')"}],
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def measure_class_start(room: Classroom, learners: list[str], *, course: bool) -> dict[str, float]:
    """Seconds from the spawn request to the last cell executed, for every learner at once
    (their servers stopped before): with ``course``, the nbgitpuller link is followed and the
    first lesson run (Run All); otherwise a bare notebook is saved and run."""

    def one(name: str) -> float:
        client = room.client(name)
        start = time.perf_counter()
        client.request_spawn()
        client.wait_ready()
        if course:
            client.git_pull(room.url, LINK_PATH)
            path = FIRST_LESSON
        else:
            path = "bare.ipynb"
            client.save_notebook(path, bare_notebook())
        notebook = client.contents(path)["content"]
        kernel = client.open_notebook(path)
        try:
            kernel.run_all(notebook)
        finally:
            kernel.close()
        return time.perf_counter() - start

    with ThreadPoolExecutor(len(learners)) as pool:
        return dict(zip(learners, pool.map(one, learners)))


def class_start_ratio(course: dict[str, float], bare: dict[str, float]) -> float:
    """The median learner's course start over the median learner's bare start."""
    return statistics.median(course.values()) / statistics.median(bare.values())
