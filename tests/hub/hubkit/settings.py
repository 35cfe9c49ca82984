"""Where the hub test's parts are and what its accounts, groups and course are called."""

from __future__ import annotations

import sys
from pathlib import Path

HUB_TESTS = Path(__file__).resolve().parent.parent  # tests/hub
sys.path.insert(0, str(HUB_TESTS))

import install  # noqa: E402, F401  (the install step beside the hub tests, which the other parts use)

REPO = HUB_TESTS.parent.parent
RECIPE = REPO / "docs" / "hub" / "jupyterhub_config.py"
TEST_CONFIG = HUB_TESTS / "jupyterhub_config_test.py"
ACCOUNT_MARK = "rolelib hub test account"
COURSE_NAME = "cio-vs-ciso"  # the course repository's folder name, as nbgitpuller names the clone

# The accounts of the hub test: three learners (account: the name each types) and an instructor.
LEARNERS = {"rlhub-ada": "Ada Example", "rlhub-ben": "Ben Example", "rlhub-chen": "Chen Example"}
INSTRUCTOR = "rlhub-teach"
INSTRUCTORS_GROUP = "rlhub-instructors"
LEARNERS_GROUP = "rlhub-learners"

FIRST_LESSON = f"{COURSE_NAME}/notebooks/00_start_here.ipynb"
LINK_PATH = f"lab/tree/{FIRST_LESSON}"  # where the nbgitpuller link lands
GIT = ["git", "-c", "user.name=Course Author", "-c", "user.email=author@example.invalid", "-c", "init.defaultBranch=main"]
