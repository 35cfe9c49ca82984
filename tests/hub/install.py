"""Install what the JupyterHub test needs: a hub environment every account can use, and the proxy.

    python3 tests/hub/install.py          # idempotent; prints what it does, with pip's and npm's progress
    python3 tests/hub/install.py --where  # print the folder it uses and stop

It sets up, in one folder (``ROLELIB_HUB_PREFIX``, else ``.venv-hub`` in this checkout when every
account can reach it, else ``/var/tmp/rolelib-hub-<id of this checkout>``):

- ``env/``: a Python environment with JupyterHub, JupyterLab, Voila, nbgitpuller and the course's
  runtime libraries (``pip install ".[lab,hub]"``), made from a Python interpreter that every account
  can run (a pyenv interpreter under a 0700 home cannot serve the other accounts), and readable by all;
- ``proxy/``: configurable-http-proxy from the npm registry.

This is the hub administrator's set-up of the README, with the course installed in the same
environment as JupyterHub. The test installs the course itself into ``env/`` from its own
temporary clone on every run, so a stale copy here is never what is tested. Nothing is done
when both parts are in place and ``pyproject.toml`` has not changed since.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PREFIX_VARIABLE = "ROLELIB_HUB_PREFIX"
PROXY_PACKAGE = "configurable-http-proxy@5"
PYTHON_CANDIDATES = ("/usr/bin/python3", "/usr/local/bin/python3")


def reachable_by_all(path: Path) -> bool:
    """True when every account can reach ``path``: each folder above it lets others through.

    >>> reachable_by_all(Path("/"))
    True
    """
    path = path.resolve()
    for folder in [*reversed(path.parents), path]:
        if folder.exists() and not folder.stat().st_mode & stat.S_IXOTH:
            return False
    return True


def prefix() -> Path:
    """The folder that holds the hub environment and the proxy."""
    chosen = os.environ.get(PREFIX_VARIABLE)
    if chosen:
        return Path(chosen).resolve()
    if reachable_by_all(REPO):
        return REPO / ".venv-hub"
    checkout = hashlib.sha256(str(REPO).encode()).hexdigest()[:8]
    return Path("/var/tmp") / f"rolelib-hub-{checkout}"


def hub_python() -> Path:
    """The hub environment's Python."""
    return prefix() / "env" / "bin" / "python"


def proxy_command() -> Path:
    """configurable-http-proxy as npm installed it."""
    return prefix() / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"


def missing() -> list[str]:
    """What this install step has not (yet) put in place, in words; empty when all is there."""
    lacking = []
    if not (prefix() / "env" / "bin" / "jupyterhub").exists():
        lacking.append(f"the hub environment ({prefix() / 'env'})")
    if not proxy_command().exists():
        lacking.append(f"configurable-http-proxy ({prefix() / 'proxy'})")
    return lacking


def _base_python() -> Path:
    """An interpreter every account can run: this one if it can, else the system's."""
    for candidate in (Path(sys.base_prefix) / "bin" / "python3", *map(Path, PYTHON_CANDIDATES)):
        if candidate.exists() and reachable_by_all(candidate.resolve()):
            return candidate
    raise SystemExit("No Python that every account can run was found (tried this one and "
                     f"{', '.join(PYTHON_CANDIDATES)}); install the system's python3 and python3-venv.")


def _run(argv: list[str], **kwargs) -> None:
    print("+ " + " ".join(map(str, argv)), flush=True)
    subprocess.run(argv, check=True, **kwargs)


def _stamp_text() -> str:
    return hashlib.sha256((REPO / "pyproject.toml").read_bytes()).hexdigest()


def install() -> Path:
    """Set up the hub environment and the proxy (idempotent); return the folder."""
    folder = prefix()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = folder / ".installed"
    if not missing() and stamp.exists() and stamp.read_text() == _stamp_text():
        print(f"The hub environment and the proxy are in place in {folder}.")
        return folder
    env = folder / "env"
    if not (env / "bin" / "python").exists():
        print(f"Creating the hub environment in {env} (about 3 minutes the first time) ...", flush=True)
        _run([str(_base_python()), "-m", "venv", str(env)])
    # Non-editable: the accounts' servers must not need to read this checkout. uv (in this
    # environment when the Makefile installed it) is much quicker than pip; pip otherwise.
    uv = Path(sys.prefix) / "bin" / "uv"
    if uv.exists():
        _run([str(uv), "pip", "install", "--python", str(env / "bin" / "python"), f"{REPO}[lab,hub]"], cwd=folder)
    else:
        _run([str(env / "bin" / "python"), "-m", "pip", "install", "--progress-bar", "on", f"{REPO}[lab,hub]"],
             cwd=folder)
    if shutil.which("npm") is None:
        raise SystemExit("npm is not installed: install Node.js 20 or newer with npm "
                         "(Debian: apt-get install nodejs npm), then run this again.")
    print(f"Installing {PROXY_PACKAGE} from npm into {folder / 'proxy'} ...", flush=True)
    _run(["npm", "install", "--prefix", str(folder / "proxy"), "--no-audit", "--no-fund", PROXY_PACKAGE])
    _run(["chmod", "-R", "a+rX", str(folder)])
    stamp.write_text(_stamp_text())
    print(f"Done: the hub environment and the proxy are in {folder}.")
    return folder


def main(argv: list[str] | None = None) -> int:
    """Command line: install, or with --where print the folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--where", action="store_true", help="print the folder used and stop")
    args = parser.parse_args(argv)
    if args.where:
        print(prefix())
        return 0
    install()
    return 0


if __name__ == "__main__":
    sys.exit(main())
