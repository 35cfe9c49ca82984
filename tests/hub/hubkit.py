"""A real JupyterHub for the course's tests and benchmark: accounts, the hub, and learners' clients.

Everything listens on 127.0.0.1 only. The hub runs from the environment tests/hub/install.py
sets up, with the README's recipe (docs/hub/jupyterhub_config.py) and the test's few changes
(tests/hub/jupyterhub_config_test.py). Learners act through the hub's REST API and the
proxy: their servers' contents API, nbgitpuller's pull, kernel websockets, Voila.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
import statistics
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import install  # noqa: E402  (the install step beside this file)

from tests.helpers import free_port, stop_process  # noqa: E402

REPO = HERE.parent.parent
RECIPE = REPO / "docs" / "hub" / "jupyterhub_config.py"
TEST_CONFIG = HERE / "jupyterhub_config_test.py"
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


def requirements_missing() -> list[str]:
    """What this machine lacks to run a hub with accounts of its own, in words; empty when nothing."""
    lacking = []
    if os.geteuid() != 0:
        lacking.append("root (the spawner runs each server as its own account)")
    for tool in ("useradd", "userdel", "groupadd", "groupdel", "chpasswd", "node", "git"):
        if shutil.which(tool, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin") is None:
            lacking.append(f"the command {tool}")
    lacking += [f"{part}: run `python3 tests/hub/install.py`" for part in install.missing()]
    for module in ("requests", "websocket"):
        try:
            __import__(module)
        except ImportError:
            lacking.append(f"the Python package {module} in this environment: pip install -e '.[hub]'")
    return lacking


def _sbin(tool: str) -> str:
    return shutil.which(tool, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin") or tool


# -- accounts ------------------------------------------------------------------------------


def _account_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _group_exists(name: str) -> bool:
    import grp

    try:
        grp.getgrnam(name)
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


# -- the course repository -------------------------------------------------------------------


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


# -- the hub ---------------------------------------------------------------------------------


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


# -- a learner's (or the instructor's) client --------------------------------------------------


class Client:
    """One account's actions through the hub and its proxy, with that account's token."""

    def __init__(self, hub: Hub, name: str) -> None:
        import requests

        self.hub = hub
        self.name = name
        self.http = requests.Session()
        self.token = ""
        self.base = f"{hub.url}/user/{name}"

    def use_token(self, token: str) -> None:
        """Act through the APIs with this API token of the account's."""
        self.token = token
        self.http.headers["Authorization"] = f"token {token}"

    def log_in(self) -> None:
        """Log in on the hub's login page with the password, as a browser does (pages, unlike the
        APIs, take the login cookie, not a token)."""
        login = f"{self.hub.url}/hub/login"
        self.http.get(login, timeout=30).raise_for_status()
        xsrf = self.http.cookies.get("_xsrf", path="/hub/") or self.http.cookies.get("_xsrf")
        response = self.http.post(login, timeout=60, allow_redirects=False,
                                  data={"username": self.name, "password": self.hub.password, "_xsrf": xsrf})
        if response.status_code != 302:
            raise RuntimeError(f"{self.name} could not log in: {response.status_code} {response.text[:300]}")

    # server life
    def request_spawn(self) -> None:
        """Ask the hub to start this account's server (returns at once)."""
        self.hub.api("POST", f"/users/{self.name}/server")

    def wait_ready(self, timeout: float = 120) -> None:
        """Wait until the hub says the server is ready."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            server = self.hub.api("GET", f"/users/{self.name}").get("servers", {}).get("")
            if server and server.get("ready"):
                return
            time.sleep(0.1)
        raise RuntimeError(f"{self.name}'s server was not ready within {timeout:.0f} s:\n{self.hub.log()}")

    def stop_server(self, timeout: float = 60) -> None:
        """Stop the server through the hub and wait until it is gone."""
        self.hub.api("DELETE", f"/users/{self.name}/server")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.hub.api("GET", f"/users/{self.name}").get("servers"):
                return
            time.sleep(0.1)
        raise RuntimeError(f"{self.name}'s server did not stop within {timeout:.0f} s")

    # the server's APIs
    def get(self, path: str, **kwargs: Any):
        response = self.http.get(f"{self.base}/{path.lstrip('/')}", timeout=120, **kwargs)
        response.raise_for_status()
        return response

    def contents(self, path: str) -> dict[str, Any]:
        """A file or folder through the server's contents API."""
        return self.get(f"api/contents/{quote(path)}").json()

    def save_notebook(self, path: str, notebook: dict[str, Any]) -> None:
        """Save a notebook through the contents API, as JupyterLab does."""
        response = self.http.put(f"{self.base}/api/contents/{quote(path)}", timeout=60,
                                 json={"type": "notebook", "format": "json", "content": notebook})
        response.raise_for_status()

    def save_text(self, path: str, text: str) -> None:
        """Save a text file through the contents API, as JupyterLab's editor does."""
        response = self.http.put(f"{self.base}/api/contents/{quote(path)}", timeout=60,
                                 json={"type": "file", "format": "text", "content": text})
        response.raise_for_status()

    def delete(self, path: str) -> None:
        """Delete a file through the contents API, as JupyterLab's file browser does."""
        self.http.delete(f"{self.base}/api/contents/{quote(path)}", timeout=60).raise_for_status()

    def git_pull(self, repository: str, urlpath: str, branch: str = "main") -> list[str]:
        """Follow an nbgitpuller link as a learner's browser does: the hub's user-redirect to the
        server's git-pull page, then the pull it starts; return the pull's messages."""
        query = urlencode({"repo": repository, "branch": branch, "urlpath": urlpath})
        if not self.http.cookies.get("jupyterhub-session-id"):
            self.log_in()
        page = self.http.get(f"{self.hub.url}/hub/user-redirect/git-pull?{query}", timeout=60)
        page.raise_for_status()
        if f"/user/{self.name}/git-pull" not in page.url:
            raise RuntimeError(f"the nbgitpuller link led to {page.url}, not to {self.name}'s server")
        stream = self.http.get(f"{self.base}/git-pull/api",
                               params={"repo": repository, "branch": branch,
                                       "targetpath": repository.rstrip("/").split("/")[-1]},
                               stream=True, timeout=120)
        stream.raise_for_status()
        messages = []
        for line in stream.iter_lines(decode_unicode=True):
            if line and line.startswith("data:"):
                event = json.loads(line[5:])
                messages.append(event.get("output") or event.get("message") or "")
                if event.get("phase") == "error":
                    raise RuntimeError(f"nbgitpuller failed for {self.name}: {event}")
                if event.get("phase") == "finished":
                    return messages
        raise RuntimeError(f"nbgitpuller's stream ended without finishing: {messages}")

    def open_notebook(self, path: str) -> Kernel:
        """Open a notebook as JupyterLab does: a session with a fresh kernel, and its websocket."""
        response = self.http.post(f"{self.base}/api/sessions", timeout=60,
                                  json={"path": path, "type": "notebook", "name": Path(path).name,
                                        "kernel": {"name": "python3"}})
        response.raise_for_status()
        session = response.json()
        return Kernel(self, session["kernel"]["id"], session_id=session["id"])

    def voila(self, path: str) -> tuple[str, Kernel]:
        """Open a notebook as a Voila app through the hub (urlpath=voila/render/...): the page, and
        its kernel's websocket (as the page's widgets connect to it)."""
        page = self.get(f"voila/render/{quote(path)}").text
        found = re.search(r'"?kernelId"?\s*[:=]\s*"([0-9a-f-]{36})"', page)
        if not found:
            raise RuntimeError(f"no kernel id in the Voila page of {path}: {page[:300]}")
        return page, Kernel(self, found.group(1))

    def close(self) -> None:
        self.http.close()


@dataclass
class Reply:
    """What one execute request printed and returned, and its error if it raised."""

    text: str
    error: str


class Kernel:
    """A kernel's websocket through the proxy, spoken as a Jupyter front end speaks it."""

    def __init__(self, client: Client, kernel_id: str, session_id: str | None = None) -> None:
        import websocket

        self.client = client
        self.kernel_id = kernel_id
        self.session = session_id or uuid.uuid4().hex
        url = client.base.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels?session_id={self.session}"
        self.ws = websocket.create_connection(url, header=[f"Authorization: token {client.token}"], timeout=120)
        self.pending: list[dict[str, Any]] = []

    def _send(self, channel: str, msg_type: str, content: dict[str, Any]) -> str:
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": self.client.name, "session": self.session,
                       "msg_type": msg_type, "version": "5.3",
                       "date": datetime.now(timezone.utc).isoformat()},
            "parent_header": {}, "metadata": {}, "content": content, "channel": channel, "buffers": []}))
        return msg_id

    def _receive(self, until: Callable[[dict[str, Any]], bool], timeout: float = 120) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        seen = []
        while time.monotonic() < deadline:
            message = json.loads(self.ws.recv())
            seen.append(message)
            if until(message):
                return seen
        raise TimeoutError(f"no answer from {self.client.name}'s kernel within {timeout:.0f} s")

    def execute(self, code: str, timeout: float = 120) -> Reply:
        """Run code as a cell; its printed and returned text, and the error if any."""
        msg_id = self._send("shell", "execute_request", {
            "code": code, "silent": False, "store_history": True, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True})
        text, error, replied, idle = [], "", False, False

        def done(message: dict[str, Any]) -> bool:
            nonlocal replied, idle, error
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                self.pending.append(message)
                return False
            kind, content = message["msg_type"], message["content"]
            if kind == "stream":
                text.append(content["text"])
            elif kind in ("execute_result", "display_data"):
                text.append(content["data"].get("text/plain", ""))
            elif kind == "error":
                error = f"{content['ename']}: {content['evalue']}"
            elif kind == "execute_reply":
                replied = True
            elif kind == "status" and content["execution_state"] == "idle":
                idle = True
            return replied and idle

        self._receive(done, timeout)
        return Reply("".join(text), error)

    def run(self, code: str, timeout: float = 120) -> str:
        """Run code as a cell and return its text; raise if the cell raised."""
        reply = self.execute(code, timeout)
        if reply.error:
            raise AssertionError(f"a cell raised in {self.client.name}'s kernel: {reply.error}\n{code}")
        return reply.text

    def run_all(self, notebook: dict[str, Any]) -> None:
        """Run every code cell of a notebook in order (Run All); raise on the first error."""
        for cell in notebook["cells"]:
            if cell["cell_type"] == "code":
                source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
                self.run(source)

    # the widgets' protocol, as the page's widget manager speaks it (used with Voila's kernel)
    def widget_states(self) -> dict[str, dict[str, Any]]:
        """Every widget model of the kernel: its id and its state, asked for as a front end does."""
        msg_id = self._send("shell", "comm_info_request", {"target_name": "jupyter.widget"})
        reply = self._receive(lambda m: m.get("parent_header", {}).get("msg_id") == msg_id
                              and m["msg_type"] == "comm_info_reply")[-1]
        states: dict[str, dict[str, Any]] = {}
        for comm_id in reply["content"]["comms"]:
            self._send("shell", "comm_msg", {"comm_id": comm_id, "data": {"method": "request_state"}})
        wanted = set(reply["content"]["comms"])

        def collect(message: dict[str, Any]) -> bool:
            content = message.get("content", {})
            if message["msg_type"] == "comm_msg" and content.get("comm_id") in wanted \
                    and content["data"].get("method") == "update":
                states[content["comm_id"]] = content["data"]["state"]
            return set(states) >= wanted

        self._receive(collect)
        return states

    def widget_update(self, model_id: str, **state: Any) -> None:
        """Change a widget's value from the page (what a click on a choice sends)."""
        self._send("shell", "comm_msg", {"comm_id": model_id,
                                         "data": {"method": "update", "state": state, "buffer_paths": []}})
        self._settle()

    def widget_click(self, model_id: str) -> None:
        """Press a button on the page."""
        self._send("shell", "comm_msg", {"comm_id": model_id,
                                         "data": {"method": "custom", "content": {"event": "click"}}})
        self._settle()

    def _settle(self) -> None:
        """Wait until the kernel has handled the message (it goes busy, then idle)."""
        self._receive(lambda m: m["msg_type"] == "status" and m["content"]["execution_state"] == "idle", 60)

    def close(self) -> None:
        self.ws.close()


def model_with_class(states: dict[str, dict[str, Any]], css: str) -> str:
    """The id of the one widget model with this CSS class."""
    found = [model for model, state in states.items() if css in state.get("_dom_classes", [])]
    if len(found) != 1:
        raise LookupError(f"{len(found)} widgets have the class {css!r} on the page")
    return found[0]


def exercises_on_page(states: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The exercises among a page's widgets, by question id: their input and button model ids."""
    found: dict[str, dict[str, Any]] = {}

    def descendants(model_id: str) -> Iterable[str]:
        yield model_id
        for child in states.get(model_id, {}).get("children", []):
            yield from descendants(child.removeprefix("IPY_MODEL_"))

    for model_id, state in states.items():
        if "rolelib-exercise" not in state.get("_dom_classes", []):
            continue
        parts: dict[str, Any] = {"inputs": []}
        for part_id in descendants(model_id):
            part = states.get(part_id, {})
            classes = part.get("_dom_classes", [])
            if "rolelib-prompt" in classes:
                question = re.search(r"Question ([a-z0-9-]+)", part.get("value", ""))
                parts["id"] = question.group(1) if question else None
            for role in ("check", "hint", "retry", "feedback"):
                if f"rolelib-{role}" in classes:
                    parts[role] = part_id
            if "rolelib-input" in classes:
                parts["inputs"].append((part_id, part))
        found[parts["id"]] = parts
    return found


# -- a class on the hub --------------------------------------------------------------------------


@dataclass
class Classroom:
    """The running hub, its accounts, the course repository and its git address."""

    hub: Hub
    accounts: Accounts
    repository: Path
    url: str
    handin: Path
    clients: dict[str, Client] = field(default_factory=dict)

    def client(self, name: str) -> Client:
        """The account's client (made once, with a token of its own)."""
        if name not in self.clients:
            self.clients[name] = self.hub.learner(name)
        return self.clients[name]


@contextmanager
def open_classroom(learners: list[str], instructor: str, group: str, learners_group: str) -> Iterator[Classroom]:
    """Accounts, the course in the hub environment and on a git server, and the hub; every
    process stopped and every account, home and file removed afterwards, even on failure."""
    # Not under pytest's temporary folder: that is 0700, and every account must read the course.
    work = Path(tempfile.mkdtemp(prefix="rolelib-hub-"))
    work.chmod(0o755)
    with ExitStack() as cleanup:
        cleanup.callback(shutil.rmtree, work, ignore_errors=True)
        accounts = Accounts(learners, instructor, group, learners_group)
        cleanup.callback(accounts.remove)
        accounts.create()
        repository = course_repository(work)
        install_course(repository, "main")
        git = GitServer(work)
        cleanup.callback(git.stop)
        hub = Hub(work, accounts, work / "handin")
        cleanup.callback(hub.stop)
        hub.start()
        room = Classroom(hub, accounts, repository, git.url(repository), work / "handin")
        cleanup.callback(lambda: [client.close() for client in room.clients.values()])
        yield room


def bare_notebook() -> dict[str, Any]:
    """A notebook of one cell that needs nothing of the course: what a class start is compared with."""
    return {"cells": [{"cell_type": "code", "execution_count": None, "id": "bare", "metadata": {}, "outputs": [],
                       "source": "print('ready')"}],
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def measure_class_start(room: Classroom, learners: list[str], *, course: bool) -> dict[str, float]:
    """Seconds from the spawn request to the last cell executed, for every learner at once
    (their servers stopped before): with ``course``, the nbgitpuller link is followed and the
    first lesson run (Run All); otherwise a bare notebook is saved and run."""

    def one(name: str) -> float:
        client = room.client(name)
        start = time.perf_counter()
        client.request_spawn()
        client.wait_ready()
        if course:
            client.git_pull(room.url, LINK_PATH)
            path = FIRST_LESSON
        else:
            path = "bare.ipynb"
            client.save_notebook(path, bare_notebook())
        notebook = client.contents(path)["content"]
        kernel = client.open_notebook(path)
        try:
            kernel.run_all(notebook)
        finally:
            kernel.close()
        return time.perf_counter() - start

    with ThreadPoolExecutor(len(learners)) as pool:
        return dict(zip(learners, pool.map(one, learners)))


def class_start_ratio(course: dict[str, float], bare: dict[str, float]) -> float:
    """The median learner's course start over the median learner's bare start."""
    return statistics.median(course.values()) / statistics.median(bare.values())
