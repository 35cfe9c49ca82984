"""Reading files within bounds: regular files only, of a stated size, never blocking.

The tables and the banks are read through :func:`read_inside`, so that a file that is a link
out of the data folder (to /etc/passwd, say), a pipe that never ends, or a file far larger than
any course needs is refused by name before a byte of it is read.

Files that anyone may have made (the exports a class hands in) are read through
:func:`read_bounded`: it looks at what a path is before opening it (a named pipe would wait
forever, ``/dev/zero`` never ends), opens it without blocking, checks again what it opened,
and reads at most the limit (plus one byte, to notice a file that grew).
:func:`not_a_regular_file` says why a path is not read. :func:`read_inside` reads through it too.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

_CHUNK = 1 << 20
_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
          | getattr(os, "O_CLOEXEC", 0))


class UnreadableFile(ValueError):
    """A file that was not read; ``reason`` says why, in words for the person who handed it in or collects it."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def size_text(size: int) -> str:
    """A size in bytes as a person reads it.

    >>> size_text(20 * 1024 * 1024), size_text(2_500), size_text(12)
    ('20 MB', '2.4 KB', '12 bytes')
    """
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def not_a_regular_file(path: Path) -> str:
    """Why ``path`` is not read as a regular file ('' when it is one); never opens it.

    >>> not_a_regular_file(Path("/dev/null"))
    'it is a device, not a regular file, so it was not read'
    """
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return ("it is a link to a file that does not exist" if os.path.islink(path)
                else "there is no such file or folder")
    except OSError as exc:
        return f"it cannot be looked at ({exc.strerror or exc})"
    return _kind_problem(status.st_mode)


def read_bounded(path: Path, max_bytes: int) -> bytes:
    """The content of the regular file ``path``, if it holds at most ``max_bytes`` bytes.

    Raises :class:`UnreadableFile` for anything else (a pipe, a device, a folder, a link to
    nothing, a file too large or growing past the limit, a file that cannot be opened),
    without waiting and without reading more than ``max_bytes + 1`` bytes.

    >>> read_bounded(Path("/dev/zero"), 100)
    Traceback (most recent call last):
    ...
    rolelib._files.UnreadableFile: it is a device, not a regular file, so it was not read
    """
    problem = not_a_regular_file(path)
    if problem:
        raise UnreadableFile(problem)
    try:
        descriptor = os.open(path, _FLAGS)
    except OSError as exc:
        raise UnreadableFile(f"the file cannot be read ({exc.strerror or exc})") from None
    try:
        status = os.fstat(descriptor)
        problem = _kind_problem(status.st_mode)  # it may have been swapped since it was looked at
        if problem:
            raise UnreadableFile(problem)
        _check_size(status.st_size, max_bytes)
        chunks, size = [], 0
        while size <= max_bytes:
            chunk = os.read(descriptor, min(_CHUNK, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        _check_size(size, max_bytes)
        return b"".join(chunks)
    except OSError as exc:
        raise UnreadableFile(f"the file cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(descriptor)


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise UnreadableFile(f"it is larger than the limit of {size_text(max_bytes)} (a real export is far "
                             "smaller), so it was not read; raise the limit if it is genuine")


def _kind_problem(mode: int) -> str:
    if stat.S_ISREG(mode):
        return ""
    kind = ("a folder" if stat.S_ISDIR(mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a special file")
    return f"it is {kind}, not a regular file, so it was not read"


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
    try:
        return read_bounded(real, limit)
    except UnreadableFile:  # it changed since it was looked at: it grew, or became a pipe
        raise Unreadable(f"a regular file of at most {limit:,} bytes") from None
