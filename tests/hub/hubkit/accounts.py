"""What the hub test needs of this machine, and its own accounts and groups: made here, removed with their processes."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .settings import ACCOUNT_MARK, install


def requirements_missing() -> list[str]:
    """What this machine lacks to run a hub with accounts of its own, in words; empty when nothing."""
    lacking = []
    if os.geteuid() != 0:
        lacking.append("root (the spawner runs each server as its own account)")
    for tool in ("useradd", "userdel", "groupadd", "groupdel", "chpasswd", "node", "git"):
        if _found(tool) is None:
            lacking.append(f"the command {tool}")
    lacking += [f"{part}: run `python3 tests/hub/install.py`" for part in install.missing()]
    for module in ("requests", "websocket"):
        try:
            __import__(module)
        except ImportError:
            lacking.append(f"the Python package {module} in this environment: pip install -e '.[hub]'")
    return lacking


def _sbin(tool: str) -> str:
    return _found(tool) or tool


def _found(tool: str) -> str | None:
    """Where a command is, on the PATH or in the system folders root's PATH may lack."""
    return shutil.which(tool, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")


def _account_exists(name: str) -> bool:
    import pwd

    return _known(pwd.getpwnam, name)


def _group_exists(name: str) -> bool:
    import grp

    return _known(grp.getgrnam, name)


def _known(lookup: Callable[[str], object], name: str) -> bool:
    """Whether the system's database (accounts or groups) has ``name``."""
    try:
        lookup(name)
    except KeyError:
        return False
    return True


def _processes_of(uid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@dataclass
class Accounts:
    """Unix accounts made for one test run (homes 0755, one password for all), the learners' group
    and the instructors' group."""

    learners: list[str]
    instructor: str
    group: str
    learners_group: str
    password: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    made: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [*self.learners, self.instructor]

    def create(self) -> None:
        """Make the group and the accounts; leftovers of an earlier run (marked as ours) go first."""
        for name in self.names:
            if _account_exists(name):
                import pwd

                if pwd.getpwnam(name).pw_gecos != ACCOUNT_MARK:
                    raise RuntimeError(f"an account named {name} exists and was not made by this test; "
                                       "the hub test will not touch it")
                self._remove_account(name)
        for group in (self.group, self.learners_group):
            if not _group_exists(group):
                subprocess.run([_sbin("groupadd"), group], check=True)
        for name in self.names:
            subprocess.run([_sbin("useradd"), "--create-home", "--comment", ACCOUNT_MARK, "--shell", "/bin/bash",
                            "--key", "UMASK=022", name], check=True)
            self.made.append(name)
            os.chmod(Path("/home") / name, 0o755)
        for name in self.learners:
            subprocess.run([_sbin("usermod"), "--append", "--groups", self.learners_group, name], check=True)
        subprocess.run([_sbin("usermod"), "--append", "--groups", self.group, self.instructor], check=True)
        # The hub logs them in through PAM, as the README's recipe does: each needs a password.
        subprocess.run([_sbin("chpasswd")], input="".join(f"{name}:{self.password}\n" for name in self.names),
                       text=True, check=True)

    def home(self, name: str) -> Path:
        import pwd

        return Path(pwd.getpwnam(name).pw_dir)

    def remove(self) -> None:
        """Stop every process of the accounts (by id), then remove them, their homes and the group."""
        for name in list(self.made):
            self._remove_account(name)
            self.made.remove(name)
        for group in (self.group, self.learners_group):
            if _group_exists(group):
                subprocess.run([_sbin("groupdel"), group], check=False)

    def _remove_account(self, name: str) -> None:
        import pwd

        uid = pwd.getpwnam(name).pw_uid
        for _ in range(50):
            pids = _processes_of(uid)
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.1)
        subprocess.run([_sbin("userdel"), "--remove", name], check=False, capture_output=True)
