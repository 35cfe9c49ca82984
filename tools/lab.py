"""Open the course in JupyterLab: what ``make lab`` runs.

    python tools/lab.py [--port N] [--token T] [--browser no]

It starts JupyterLab on this machine only (127.0.0.1) over the course's notebooks/ folder and
prints the address of the first lesson, 00_start_here, token included. As root (Docker images,
dev containers, many cloud shells) it passes Jupyter the --allow-root setting that Jupyter asks
for. The lesson notebooks are marked as trusted first, so Jupyter opens them without a trust
warning (the stored outputs are the course's own). Ctrl-C (twice, or once and "y") stops it.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"
FIRST_LESSON = "00_start_here.ipynb"
HOST = "127.0.0.1"
START_TIMEOUT_S = 120
# Settings that keep the server's start quiet, for every server the course starts (make lab,
# the browser tests, Voila): notebook_shim only carries classic-Notebook options the course does
# not use, and reading them prints a DeprecationWarning about ServerApp.token; kernels talk over
# local sockets (IPC) instead of TCP, which ipykernel warns about as unencrypted.
QUIET_SERVER = ("--ServerApp.jpserver_extensions=notebook_shim=False",)
QUIET_KERNELS = ("--KernelManager.transport=ipc",)


def free_port(start: int = 8888, tries: int = 50) -> int:
    """The first port from ``start`` up that nothing on this machine listens on."""
    for port in range(start, start + tries):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((HOST, port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port between {start} and {start + tries - 1}; choose one with: make lab PORT=...")


def trust_notebooks(folder: Path = NOTEBOOKS) -> None:
    """Sign every notebook under ``folder`` as trusted in this user's Jupyter signature store."""
    import nbformat
    from nbformat.sign import NotebookNotary

    notary = NotebookNotary()
    for path in sorted(folder.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        notebook = nbformat.read(path, as_version=4)
        if not notary.check_signature(notebook):
            notary.sign(notebook)


def command(port: int, token: str, browser: bool) -> list[str]:
    """The JupyterLab command line for this machine and user."""
    lesson_url = f"/lab/tree/{FIRST_LESSON}"
    args = [
        sys.executable, "-m", "jupyter", "lab",
        f"--ServerApp.ip={HOST}", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={NOTEBOOKS}", f"--IdentityProvider.token={token}",
        # The address Jupyter prints and opens is the first lesson, not the file browser.
        f"--LabApp.default_url={lesson_url}",
        *QUIET_SERVER, *QUIET_KERNELS,
    ]
    if not browser:
        args.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--ServerApp.allow_root=True")  # Jupyter refuses to start as root without it
    return args


def wait_until_ready(process: subprocess.Popen, port: int, token: str) -> bool:
    """Poll the server's status page until it answers; False if the server stopped first."""
    deadline = time.monotonic() + START_TIMEOUT_S
    request = urllib.request.Request(f"http://{HOST}:{port}/api/status", headers={"Authorization": f"token {token}"})
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(request, timeout=2):
                return True
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    return False


def main(argv: list[str]) -> int:
    """Start JupyterLab over the course and print the first lesson's address; return its exit status."""
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--port", default="", help="the port to listen on (default: the first free one from 8888)")
    parser.add_argument("--token", default="", help="the token in the address (default: a random one)")
    parser.add_argument("--browser", default="", help="'no' to only print the address")
    args = parser.parse_args(argv)
    port = int(args.port) if args.port else free_port()
    token = args.token or secrets.token_hex(24)
    browser = args.browser.strip().lower() not in ("no", "0", "false", "off")
    trust_notebooks()
    print(f"==> Starting JupyterLab over {NOTEBOOKS.relative_to(REPO)}/ on {HOST}:{port}", flush=True)
    process = subprocess.Popen(command(port, token, browser), cwd=NOTEBOOKS)
    # Ctrl-C reaches Jupyter directly (same terminal); a stop request from outside is passed on.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: process.terminate())
    if wait_until_ready(process, port, token):
        print(f"\n==> The course is open at:\n\n    http://{HOST}:{port}/lab/tree/{FIRST_LESSON}?token={token}\n\n"
              "    Start with '00 Start here'. To stop: Ctrl-C in this terminal, then 'y'.\n", flush=True)
    return process.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
