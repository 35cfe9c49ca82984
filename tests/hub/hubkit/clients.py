"""A learner's (or the instructor's) client: the hub's REST API, the server's contents, kernels and Voila."""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

if TYPE_CHECKING:
    from .hub import Hub


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
