"""A stand-in for one kernel, used by tests/test_progress_concurrency.py to record attempts concurrently.

Usage: python _progress_worker.py NAME COUNT READY_FILE GO_FILE

Opens the store named by ROLELIB_PROGRESS, creates READY_FILE, waits until GO_FILE exists,
then records COUNT attempts with question ids NAME-0, NAME-1, ... and prints "ok" (or the
store's warning if it had to degrade).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main(name: str, count: int, ready: Path, go: Path) -> None:
    from rolelib.progress import Attempt, ProgressStore

    progress = ProgressStore()
    ready.touch()
    deadline = time.monotonic() + 60
    while not go.exists():
        if time.monotonic() > deadline:
            raise SystemExit("the go signal never came")
        time.sleep(0.001)
    for number in range(count):
        progress.record(Attempt(f"{name}-{number}", "01_focus", "focus", "single",
                                [name, str(number)], number % 2 == 0, 1.0, 0))
    print(progress.warning or "ok")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
