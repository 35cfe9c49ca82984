"""The course repository the hub serves: a clone of this repository, its git server, and its install."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

from tests.helpers import free_port, stop_process

from .settings import COURSE_NAME, GIT, REPO, install


def course_repository(folder: Path) -> Path:
    """A git repository of the course as it is in this checkout (committed or not), on branch main.

    Made in ``folder`` (which every account can read), named as the course is, one commit.
    """
    target = folder / COURSE_NAME
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                            check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    subprocess.run([*GIT, "init", "--quiet"], cwd=target, check=True)
    commit(target, "The course")
    subprocess.run(["chmod", "-R", "a+rX", str(target)], check=True)
    return target


def commit(repository: Path, message: str) -> str:
    """Commit every change in ``repository``; return the commit's id."""
    subprocess.run([*GIT, "add", "--all"], cwd=repository, check=True)
    subprocess.run([*GIT, "commit", "--quiet", "-m", message], cwd=repository, check=True)
    subprocess.run(["chmod", "-R", "a+rX", str(repository)], check=True)
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=repository, check=True, capture_output=True,
                          text=True).stdout.strip()


class GitServer:
    """``git daemon`` on 127.0.0.1, read-only, serving the course repository as a git host would.

    A learner's git refuses to read a repository on disk that another account owns ("dubious
    ownership"); over the git protocol, as over https, it reads it like any remote.
    """

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            ["git", "daemon", "--reuseaddr", "--export-all", f"--base-path={folder}", "--listen=127.0.0.1",
             f"--port={self.port}", str(folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("git daemon did not start")

    def url(self, repository: Path) -> str:
        """The git:// address of a repository in the served folder."""
        return f"git://127.0.0.1:{self.port}/{repository.name}"

    def stop(self) -> None:
        """Terminate the daemon; kill it if it does not stop within 10 s."""
        stop_process(self.process)


def install_course(repository: Path, revision: str) -> None:
    """Install the course into the hub environment from its git repository, as the README tells
    an administrator (``pip install "rolelib @ git+URL"``), at one commit."""
    subprocess.run([str(install.hub_python()), "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall",
                    "--no-build-isolation", f"git+file://{repository}@{revision}"],
                   check=True, capture_output=True)
