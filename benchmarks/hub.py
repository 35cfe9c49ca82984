"""The class start on a real JupyterHub: the course against a bare notebook, three learners at once.

Uses the hub test's harness (tests/hub/hubkit/): three learner accounts and an instructor on
a JupyterHub on 127.0.0.1 with its proxy, each server running as its own account. In every run
each variant is measured once (the order rotates): all three learners ask for their server at
the same moment, then either follow the course's nbgitpuller link (a fresh clone: the first
click of a class) and run the first lesson, or save and run a one-cell notebook. The figure is
the time from the spawn request to the last cell executed; the comparison is the median of the
per-run ratios of the median learner. Needs what the hub test needs (root, useradd, node, git,
``python3 tests/hub/install.py``); without it the section says what is missing.
"""

from __future__ import annotations

import shutil
import statistics
import sys
from pathlib import Path

from benchmarks.measures.common import REPO, Result, rotated

sys.path.insert(0, str(REPO / "tests" / "hub"))

import hubkit  # noqa: E402  (the hub test's harness)

LEARNERS = ["rlbench-ada", "rlbench-ben", "rlbench-chen"]
WHAT = "3 learners at once: spawn request to the first lesson's last cell, nbgitpuller's first pull included"


def measure_hub(runs: int) -> list[Result]:
    """The class start with the course and with a bare notebook; information, no target."""
    missing = hubkit.requirements_missing()
    if missing:
        return [Result("hub", WHAT, [], notes=["not measured: needs " + "; ".join(missing)])]
    course_samples: list[float] = []
    bare_samples: list[float] = []
    ratios: list[float] = []
    with hubkit.open_classroom(LEARNERS, "rlbench-teach", "rlbench-instructors", "rlbench-learners") as room:
        warm = room.client("rlbench-teach")  # the hub and the disk warm for both variants alike
        warm.request_spawn()
        warm.wait_ready()
        for run in range(runs):
            seconds = {}
            for course in rotated([True, False], run):
                seconds[course] = hubkit.measure_class_start(room, LEARNERS, course=course)
                for name in LEARNERS:
                    room.client(name).stop_server()
                    shutil.rmtree(Path(room.accounts.home(name)) / hubkit.COURSE_NAME, ignore_errors=True)
            course_samples.append(statistics.median(seconds[True].values()))
            bare_samples.append(statistics.median(seconds[False].values()))
            ratios.append(hubkit.class_start_ratio(seconds[True], seconds[False]))
    ratio = statistics.median(ratios)
    return [
        Result("hub", WHAT, course_samples, target="information (no target)",
               figure=f"ratio {ratio:.2f} to a bare notebook"),
        Result("hub", "3 learners at once: spawn request to a bare notebook's one cell (the baseline)",
               bare_samples),
    ]
