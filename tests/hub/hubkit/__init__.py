"""A real JupyterHub for the course's tests and benchmark: accounts, the hub, and learners' clients.

Everything listens on 127.0.0.1 only. The hub runs from the environment tests/hub/install.py
sets up, with the README's recipe (docs/hub/jupyterhub_config.py) and the test's few changes
(tests/hub/jupyterhub_config_test.py). Learners act through the hub's REST API and the
proxy: their servers' contents API, nbgitpuller's pull, kernel websockets, Voila.

The tests and the benchmark use it as one module (``import hubkit``); its parts: ``settings``
(paths and names), ``accounts``, ``course`` (the course repository), ``hub``, ``clients`` and
``classroom`` (all of them opened together), and ``first_day`` (what the class does on day one).
"""

from __future__ import annotations

from .accounts import Accounts, requirements_missing
from .classroom import Classroom, bare_notebook, class_start_ratio, measure_class_start, open_classroom
from .clients import Client, Kernel, Reply, exercises_on_page, model_with_class
from .course import GitServer, commit, course_repository, install_course
from .first_day import ANSWERS, LESSON, REVIEW, FirstSession, voila_review
from .hub import Hub
from .settings import (
    ACCOUNT_MARK,
    COURSE_NAME,
    FIRST_LESSON,
    GIT,
    INSTRUCTOR,
    INSTRUCTORS_GROUP,
    LEARNERS,
    LEARNERS_GROUP,
    LINK_PATH,
    RECIPE,
    REPO,
    TEST_CONFIG,
)
