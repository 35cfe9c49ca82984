"""Reading the files of a data folder within bounds: regular files inside the folder, of a stated size.

The tables and the banks are read through :func:`read_inside`, so that a file that is a link
out of the data folder (to /etc/passwd, say), a pipe that never ends, or a file far larger than
any course needs is refused by name before a byte of it is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_TABLE_BYTES = 20_000_000
"""The largest CSV table read (20 MB): the shipped tables are about 2 KB each, and the course's
data grown a thousand times over stays under 3 MB per table."""

MAX_BANK_BYTES = 1_000_000
"""The largest question bank read (1 MB): the shipped banks are under 12 KB each."""


class Unreadable(Exception):
    """A data file that is not read; the message says what was expected instead."""


def read_inside(path: Path, folder: Path, limit: int) -> bytes:
    """The bytes of the data file ``path``, which must be a regular file inside ``folder`` of at most ``limit`` bytes.

    Raises FileNotFoundError when there is no such file, and :class:`Unreadable` saying what
    was expected otherwise.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     link = Path(folder) / "roles.csv"
    ...     link.symlink_to("/etc/hostname")
    ...     read_inside(link, Path(folder), 100)
    Traceback (most recent call last):
    rolelib._files.Unreadable: a file inside the data folder, not a link to /etc/hostname outside it (copy the file into the folder instead)
    """
    if path.is_symlink() and not path.exists():
        raise Unreadable(f"a file, not a link to {os.readlink(path)}, which does not exist")
    try:
        real = path.resolve(strict=True)
        root = folder.resolve(strict=True)
    except FileNotFoundError:
        raise
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop of links
        raise Unreadable(f"a readable file ({exc})") from None
    if real != root and root not in real.parents:
        raise Unreadable(f"a file inside the data folder, not a link to {real} outside it "
                         "(copy the file into the folder instead)")
    status = real.stat()
    if not stat.S_ISREG(status.st_mode):
        what = "a folder" if stat.S_ISDIR(status.st_mode) else "a pipe, device or socket"
        raise Unreadable(f"a regular file (this is {what})")
    if status.st_size > limit:
        raise Unreadable(f"a file of at most {limit:,} bytes (this one has {status.st_size:,}); "
                         "is it the right file?")
    with real.open("rb") as handle:
        payload = handle.read(limit + 1)
    if len(payload) > limit:  # it grew while being read
        raise Unreadable(f"a file of at most {limit:,} bytes")
    return payload
