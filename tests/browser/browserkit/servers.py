"""The servers the browser tests start: JupyterLab and Voila on a copy of the notebooks, in the course's environment."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent.parent.parent
sys.path.insert(0, str(REPO / "tools"))
from lab import QUIET_KERNELS, QUIET_SERVER  # noqa: E402  (the settings make lab uses, kept in one place)

from tests.helpers import free_port, stop_process  # noqa: E402

# Timeouts (seconds). Generous: CI runs on two cores while other work goes on.
SERVER_START_S = 90
# A cheap page that answers once Voila listens (the notebook page itself would run a kernel).
VOILA_READY_PATH = "/voila/static/voila.js"


def course_env(progress_file: Path, config_dir: Path | None = None) -> dict[str, str]:
    """The environment of a server and its kernels: a progress store of its own, no
    instructor mode, matplotlib's backend chosen by the kernel (inline), no user config."""
    env = dict(os.environ)
    env["ROLELIB_PROGRESS"] = str(progress_file)
    for name in ("MPLBACKEND", "ROLELIB_INSTRUCTOR", "JUPYTER_TOKEN", "JUPYTERHUB_API_TOKEN"):
        env.pop(name, None)
    if config_dir is not None:
        env["JUPYTER_CONFIG_DIR"] = str(config_dir)
    env["PYTHONUNBUFFERED"] = "1"
    return env


class Server:
    """A Jupyter server process (JupyterLab or Voila) on 127.0.0.1, stopped by :meth:`stop`."""

    def __init__(self, name: str, command: Sequence[str], port: int, token: str, env: dict[str, str],
                 log: Path, ready_path: str) -> None:
        self.name, self.port, self.token, self.log = name, port, token, log
        self.base = f"http://127.0.0.1:{port}"
        with log.open("wb") as out:
            self.process = subprocess.Popen(list(command), env=env, stdout=out, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL)
        self._wait_ready(ready_path)

    def url(self, path: str) -> str:
        """An address on this server, with the token when there is one."""
        if not self.token:
            return f"{self.base}{path}"
        sep = "&" if "?" in path else "?"
        return f"{self.base}{path}{sep}token={self.token}"

    def api(self, method: str, path: str) -> Any:
        """Call the server's REST API with the token; the decoded JSON answer (None if empty)."""
        request = urllib.request.Request(f"{self.base}{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            body = answer.read()
        return json.loads(body) if body else None

    def _wait_ready(self, path: str) -> None:
        deadline = time.monotonic() + SERVER_START_S
        headers = {"Authorization": f"token {self.token}"} if self.token else {}
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.tail()}")
            try:
                with urllib.request.urlopen(urllib.request.Request(f"{self.base}{path}", headers=headers),
                                            timeout=5) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"{self.name} not ready after {SERVER_START_S} s:\n{self.tail()}")

    def tail(self, lines: int = 40) -> str:
        """The last lines of the server's log."""
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """Terminate the process; kill it if it does not stop within 10 s."""
        stop_process(self.process)


def _write_json(path: Path, content: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content, indent=1), encoding="utf-8")


def start_jupyterlab(root_dir: Path, workdir: Path, progress_file: Path) -> Server:
    """JupyterLab (which also serves Notebook 7's /notebooks/ pages) on a free port with a
    random token, in a config, settings and workspace directory of its own."""
    config_dir = workdir / "jupyter_config"
    # The "get notified about Jupyter news?" toast covers the page: switch the plugin off.
    _write_json(config_dir / "labconfig" / "page_config.json",
                {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}})
    settings_dir = workdir / "lab_settings"
    # Every cell stays in the DOM, so counting widgets counts them all (no virtual scrolling).
    _write_json(settings_dir / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings",
                {"windowingMode": "none"})
    port, token = free_port(), secrets.token_hex(24)
    command = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", "--ServerApp.allow_root=True",
        f"--ServerApp.root_dir={root_dir}",
        "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.expose_app_in_browser=True", "--JupyterNotebookApp.expose_app_in_browser=True",
        f"--LabApp.user_settings_dir={settings_dir}", f"--LabApp.workspaces_dir={workdir / 'workspaces'}",
        *QUIET_SERVER, *QUIET_KERNELS,
    ]
    return Server("JupyterLab", command, port, token, course_env(progress_file, config_dir),
                  workdir / "jupyterlab.log", "/api/status")


def start_voila(notebook: Path, workdir: Path, progress_file: Path) -> Server:
    """Voila serving one notebook as an app on a free port (Voila has no token)."""
    port = free_port()
    voila = Path(sys.executable).with_name("voila")
    command = [str(voila) if voila.exists() else "voila", str(notebook), "--no-browser",
               "--Voila.ip=127.0.0.1", f"--port={port}", *QUIET_KERNELS]
    config_dir = workdir / "voila_config"
    config_dir.mkdir(parents=True, exist_ok=True)
    return Server("Voila", command, port, "", course_env(progress_file, config_dir),
                  workdir / "voila.log", VOILA_READY_PATH)


def shutdown_kernels(server: Server) -> None:
    """Shut down every session of the server (frees the kernels between lessons)."""
    for session in server.api("GET", "/api/sessions") or []:
        server.api("DELETE", f"/api/sessions/{session['id']}")


def copy_notebooks(source: Path, target: Path) -> Path:
    """A copy of the notebooks directory that a test run may change freely, its notebooks
    trusted as make lab trusts them (so no server warns that they are not)."""
    from lab import trust_notebooks

    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    trust_notebooks(target)
    return target


def quiet_start_problems(log: Path) -> list[str]:
    """Lines of a server's log that a quiet start must not have (deprecations, trust, root, TCP)."""
    noisy = ("DeprecationWarning", "is not trusted", "Running as root", "without encryption")
    return [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
            if any(word in line for word in noisy)]
