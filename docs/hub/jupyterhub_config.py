"""JupyterHub for the CIO vs CISO course: each person's server runs as their own Unix account.

Run as root, from the environment that holds JupyterHub and the course (see the README):

    /opt/rolelib-hub/env/bin/jupyterhub -f /etc/jupyterhub/jupyterhub_config.py

What it sets up, as the course's hub test (tests/hub/) runs it:

- learners and instructors log in with their Unix account's password (PAM); only members of
  the learners' and the instructors' groups may log in;
- every account's server runs as that account (JupyterHub's local-process spawner), from the
  same environment as the hub, so each learner's progress store is in their own home
  (~/.local/share/rolelib/progress.sqlite3) and the kernels import the course installed there;
- each account's home is made private (0700) when its server starts: the lessons a learner
  saved (with their outputs and notes), the exports they kept, and the instructor's class
  report live there, and useradd may have made the home readable by every account;
- learners open the course with an nbgitpuller link; the server starts in JupyterLab;
- a hand-in folder per account, made when the server starts: /srv/rolelib/handin/ACCOUNT/
  (owned by the account, group ``instructors``, mode 2770), reached from the account's home as
  ~/handin. A learner can write there and read only their own folder; the instructors' group
  can read every folder; nobody else can open them. The instructor runs
  ``rolelib report /srv/rolelib/handin``.

Site-specific values are read from the environment, with these defaults:
ROLELIB_HUB_BIND_URL (http://:8000), ROLELIB_HUB_HANDIN (/srv/rolelib/handin),
ROLELIB_HUB_LEARNERS (learners: the Unix group of the learners' accounts),
ROLELIB_HUB_INSTRUCTORS (instructors: the Unix group of the instructors' accounts),
ROLELIB_HUB_PROXY (configurable-http-proxy on the PATH).
"""

import grp
import os
import pwd
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

HANDIN = Path(os.environ.get("ROLELIB_HUB_HANDIN", "/srv/rolelib/handin"))
LEARNERS = os.environ.get("ROLELIB_HUB_LEARNERS", "learners")
INSTRUCTORS = os.environ.get("ROLELIB_HUB_INSTRUCTORS", "instructors")
ENV_BIN = Path(sys.prefix) / "bin"  # the environment JupyterHub runs from holds the course too

# Where the hub is reached. For a class, put HTTPS in front (c.JupyterHub.ssl_key/ssl_cert or a
# reverse proxy) and keep the hub's internal ports on 127.0.0.1.
c.JupyterHub.bind_url = os.environ.get("ROLELIB_HUB_BIND_URL", "http://:8000")
c.JupyterHub.hub_ip = "127.0.0.1"
c.ConfigurableHTTPProxy.command = [os.environ.get("ROLELIB_HUB_PROXY", "configurable-http-proxy")]

# Who may log in: the machine's own accounts (PAM), members of the group LEARNERS or
# INSTRUCTORS only (useradd -m -G learners NAME). JupyterHub 5 and later let nobody in without
# such a setting, and no other account of the machine (root included) can start a server here.
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.allowed_groups = {LEARNERS, INSTRUCTORS}

# Each account's server runs as that account, from this environment.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(ENV_BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {
    # The kernels, git (for nbgitpuller) and the `rolelib` command are found here first.
    "PATH": f"{ENV_BIN}:/usr/local/bin:/usr/bin:/bin",
    # Each learner's store stays in their own home (this is also the course's default);
    # on Kubernetes point it at the persistent volume mounted as the home.
    "ROLELIB_PROGRESS": "~/.local/share/rolelib/",
    # The review's Export button saves straight into the account's hand-in folder (the link
    # made below), where the instructors' group collects it.
    "ROLELIB_HANDIN": "~/handin",
}


def prepare_account(spawner) -> None:
    """Before a server starts: the account's home private, its hand-in folder, and ~/handin
    pointing to it.

    The home loses every permission of the group and others (a home made 0755 by useradd lets
    every learner's kernel read a classmate's saved lessons and exports, and the instructor's
    class report). The hand-in parent folder lets every account through to its own folder but
    lists nothing to them (0751); each account's folder is theirs and the instructors' group's
    only (2770: files made in it belong to that group, so instructors can read the exports
    learners save there).
    """
    account = pwd.getpwnam(spawner.user.name)
    home = Path(account.pw_dir)
    mode = home.stat().st_mode
    if mode & 0o077:
        home.chmod(mode & 0o700)
    instructors = grp.getgrnam(INSTRUCTORS).gr_gid
    HANDIN.mkdir(parents=True, exist_ok=True)
    os.chown(HANDIN, 0, instructors)
    os.chmod(HANDIN, 0o751)
    folder = HANDIN / spawner.user.name
    folder.mkdir(exist_ok=True)
    os.chown(folder, account.pw_uid, instructors)
    os.chmod(folder, 0o2770)
    link = home / "handin"
    if not link.exists() and not link.is_symlink():
        link.symlink_to(folder)
        os.lchown(link, account.pw_uid, account.pw_gid)


c.Spawner.pre_spawn_hook = prepare_account
