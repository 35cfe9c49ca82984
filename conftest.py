"""Test-session settings that hold for every test, the notebooks under nbval included."""

from __future__ import annotations

import os
import tempfile

# The old module paths kept for one release only warn and re-export; their doctests would only
# print that warning (tests/test_guide.py checks that they still work, with it).
collect_ignore = ["rolelib/report.py", "rolelib/guide.py", "rolelib/navigation.py"]


def pytest_configure(config) -> None:
    """Keep the suite away from the learner's own progress and from instructor mode.

    Notebook kernels started by nbval inherit this environment, so the stored outputs (which
    show a fresh, unanswered course) reproduce however much the developer has practised.
    """
    store = tempfile.mkdtemp(prefix="rolelib-test-progress-")
    os.environ["ROLELIB_PROGRESS"] = os.path.join(store, "progress.sqlite3")
    os.environ.pop("ROLELIB_INSTRUCTOR", None)
    os.environ.setdefault("MPLBACKEND", "Agg")
