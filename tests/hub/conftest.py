"""Fixtures of the hub test: a JupyterHub on 127.0.0.1 with three learners and an instructor, and their first day.

Every test here is marked ``hub``; ``pytest -m "not hub"`` leaves them out. Without root,
useradd, node, git or the hub environment (``python3 tests/hub/install.py``) they are skipped
with a message naming what is missing.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import hubkit  # noqa: E402  (the helper package beside this file)
from hubkit import (  # noqa: E402
    ANSWERS,
    INSTRUCTOR,
    INSTRUCTORS_GROUP,
    LEARNERS,
    LEARNERS_GROUP,
    LESSON,
    FirstSession,
    voila_review,
)

ARTIFACTS = hubkit.REPO / "tests" / "artifacts"

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


@pytest.fixture(scope="package")
def first_session(classroom: hubkit.Classroom) -> FirstSession:
    """Day one: the class starts (timed against a bare notebook), each learner opens the course
    from the nbgitpuller link, runs the first lesson, answers lesson 1 in JupyterLab and the
    review as a Voila app, and exports: the Export button saves into the hand-in folder."""
    room, session = classroom, FirstSession()
    instructor = room.client(INSTRUCTOR)  # up first: the hub and the disk are warm for everyone alike
    instructor.request_spawn()
    instructor.wait_ready()
    bare = hubkit.measure_class_start(room, list(LEARNERS), course=False)
    for name in LEARNERS:
        room.client(name).stop_server()
    course = hubkit.measure_class_start(room, list(LEARNERS), course=True)
    session.timings = {"learners": len(LEARNERS), "bare_seconds": bare, "course_seconds": course,
                       "ratio": hubkit.class_start_ratio(course, bare)}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "hub-timings.json").write_text(json.dumps(session.timings, indent=2) + "\n")
    print(f"\nhub: spawn to the first lesson's last cell, 3 learners: {session.timings}")

    for name, learner in LEARNERS.items():
        client = room.client(name)
        kernel = client.open_notebook(LESSON)
        try:
            kernel.run_all(client.contents(LESSON)["content"])
            session.feedback[name] = kernel.run(ANSWERS).splitlines()
        finally:
            kernel.close()
        session.voila_feedback[name], export = voila_review(client, learner)
        session.exports[name] = export  # saved by the Export button straight into ~/handin (ROLELIB_HANDIN)
    return session
