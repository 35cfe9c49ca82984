"""JupyterHub with its proxy on 127.0.0.1, started from the README's recipe with the test's changes."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from tests.helpers import free_port

from .accounts import Accounts
from .clients import Client
from .settings import RECIPE, TEST_CONFIG, install


class Hub:
    """JupyterHub with its proxy, on 127.0.0.1, driven with a service token of its own."""

    def __init__(self, workdir: Path, accounts: Accounts, handin: Path) -> None:
        import requests

        self.state = workdir / "hub"
        self.state.mkdir(mode=0o700)
        self.log_path = self.state / "jupyterhub.log"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.password = accounts.password
        self.token = secrets.token_hex(24)
        self.accounts = accounts
        self.handin = handin
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"token {self.token}"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        """Start the hub (which starts the proxy) and wait until its API answers."""
        env = dict(os.environ)
        for variable in ("ROLELIB_PROGRESS", "ROLELIB_INSTRUCTOR", "VIRTUAL_ENV", "PYTHONPATH", "JUPYTER_CONFIG_DIR",
                         "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
            env.pop(variable, None)
        env.update({
            "ROLELIB_TEST_RECIPE": str(RECIPE),
            "ROLELIB_TEST_HUB_STATE": str(self.state),
            "ROLELIB_TEST_HUB_PORT": str(free_port()),
            "ROLELIB_TEST_PROXY_API_PORT": str(free_port()),
            "ROLELIB_TEST_PROXY_TOKEN": secrets.token_hex(24),
            "ROLELIB_TEST_API_TOKEN": self.token,
            "ROLELIB_HUB_BIND_URL": self.url,
            "ROLELIB_HUB_HANDIN": str(self.handin),
            "ROLELIB_HUB_INSTRUCTORS": self.accounts.group,
            "ROLELIB_HUB_LEARNERS": self.accounts.learners_group,
            "ROLELIB_HUB_PROXY": str(install.proxy_command()),
            "PATH": f"{install.hub_python().parent}:{env.get('PATH', '/usr/bin:/bin')}",
        })
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [str(install.hub_python().parent / "jupyterhub"), "-f", str(TEST_CONFIG)],
                cwd=self.state, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterHub stopped at start:\n{self.log()}")
            try:
                if self.http.get(f"{self.url}/hub/api/", timeout=2).ok:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"JupyterHub did not answer within {timeout:.0f} s:\n{self.log()}")

    def log(self, lines: int = 60) -> str:
        """The end of the hub's log (the proxy's lines included)."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def api(self, method: str, path: str, **kwargs: Any) -> Any:
        """Call the hub's REST API as the test's service; the JSON answer (None when empty)."""
        response = self.http.request(method, f"{self.url}/hub/api{path}", timeout=30, **kwargs)
        if not response.ok:
            raise RuntimeError(f"{method} /hub/api{path}: {response.status_code} {response.text[:500]}")
        return response.json() if response.content else None

    def learner(self, name: str) -> Client:
        """A client acting as ``name``: logged in on the hub's login page with the account's
        password (the recipe's PAM login and allowed groups decide; the hub first knows the account
        then), and with an API token of theirs."""
        client = Client(self, name)
        client.log_in()
        token = self.api("POST", f"/users/{name}/tokens", json={"note": "rolelib hub test", "expires_in": 3600})
        client.use_token(token["token"])
        return client

    def stop(self) -> None:
        """Stop the hub (it stops the servers and the proxy); whatever is left of its group is killed."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # the proxy, should the hub have left it
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()
        self.process = None
        self.http.close()
