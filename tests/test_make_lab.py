"""The front door: `make lab`, run in a fresh copy of the course, serves the first lesson.

The copy holds the project's files as git knows them (no .venv of its own): `make lab` is
pointed at this test run's environment (``VENV=``) and told not to install anything, so the
test checks what the command does, not the network. It runs as whoever runs the tests: as
root in CI, where Jupyter refuses to start unless the course passes what it needs.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import REPO, free_port

START_S = 120


def _fresh_copy(target: Path) -> Path:
    """The project's tracked files (as they are in the working tree) copied into ``target``."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode("utf-8").split("\0")):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def _get(url: str, token: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, b""
    except (urllib.error.URLError, OSError):  # not listening yet
        return 0, b""


@pytest.fixture
def lab_from_a_fresh_copy(tmp_path: Path):
    """`make lab` started in a fresh copy; yields (process, port, token, log path); always stopped."""
    if shutil.which("make") is None or shutil.which("git") is None:
        pytest.fail("make and git are needed to run the course's front door (install them)")
    clone = _fresh_copy(tmp_path / "course")
    port, token = free_port(), "front-door-test-token"
    venv = Path(sys.prefix)
    env = {**os.environ, "ROLELIB_PROGRESS": str(tmp_path / "progress.sqlite3"),
           "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter_config"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "jupyter_runtime"),
           "JUPYTER_DATA_DIR": str(tmp_path / "jupyter_data"), "IPYTHONDIR": str(tmp_path / "ipython")}
    env.pop("MAKEFLAGS", None)
    log = tmp_path / "make-lab.log"
    with log.open("wb") as out:
        # -o: take the environment as installed (this test run's), whatever the copy's file times say.
        process = subprocess.Popen(
            ["make", "--no-print-directory", "-o", f"{venv}/.lab-installed", "lab", f"VENV={venv}",
             f"PORT={port}", f"TOKEN={token}", "BROWSER=no"],
            cwd=clone, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)
    try:
        yield process, port, token, log
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    """Stop make, the launcher and JupyterLab (one process group), forcibly if they linger."""
    for sent, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sent)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            # The group may outlive make itself: wait until no member is left.
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                os.killpg(process.pid, 0)
                time.sleep(0.2)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            continue


def test_make_lab_serves_the_first_lesson(lab_from_a_fresh_copy) -> None:
    process, port, token, log = lab_from_a_fresh_copy
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_S
    status = 0
    while time.monotonic() < deadline and process.poll() is None:
        status, _ = _get(f"{base}/api/status", token)
        if status == 200 and "The course is open at" in log.read_text(errors="replace"):
            break
        time.sleep(0.5)
    output = log.read_text(errors="replace")
    assert status == 200, f"JupyterLab did not answer on port {port}; make lab printed:\n{output}"

    status, body = _get(f"{base}/api/contents/00_start_here.ipynb", token)
    assert status == 200 and b'"type": "notebook"' in body.replace(b'"type":"notebook"', b'"type": "notebook"')
    status, page = _get(f"{base}/lab/tree/00_start_here.ipynb", token)
    assert status == 200 and b"JupyterLab" in page
    assert _get(f"{base}/api/contents/00_start_here.ipynb", "a-wrong-token")[0] == 403

    address = f"http://127.0.0.1:{port}/lab/tree/00_start_here.ipynb?token={token}"
    assert address in output, f"make lab did not print the first lesson's address:\n{output}"
    noisy = [line for line in output.splitlines()
             if re.search(r"Running as root|DeprecationWarning|is not trusted|without encryption", line)]
    assert noisy == [], "make lab's start is not quiet:\n" + "\n".join(noisy)
