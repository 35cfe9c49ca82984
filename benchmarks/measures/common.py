"""What every section of the benchmark shares: the row of the results table, durations, fresh interpreters."""

from __future__ import annotations

import functools
import math
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
NOTEBOOKS = REPO / "notebooks"
LESSON_NOTEBOOKS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
INSTRUCTOR_NOTEBOOKS = sorted((NOTEBOOKS / "instructor").glob("*.ipynb"))


@dataclass
class Result:
    """One line of the results table."""

    section: str
    what: str
    samples: list[float]  # seconds, one per run
    target: str = ""
    ok: bool | None = None  # None: information only, no target
    figure: str = ""  # the figure compared with the target, when it is not the median
    notes: list[str] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else math.nan


def ms(seconds: float) -> str:
    """A duration for a table: milliseconds, or seconds and minutes for long ones; '-' when unknown."""
    if math.isnan(seconds):
        return "-"
    if seconds >= 120:
        return f"{seconds / 60:.1f} min"
    if seconds >= 10:
        return f"{seconds:.0f} s"
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.0095 else f"{seconds * 1000:.1f} ms"


def signed(seconds: float) -> str:
    return ("+" if seconds >= 0 else "-") + ms(abs(seconds))


def p95(samples: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def child_env(progress: str = ":memory:") -> dict[str, str]:
    env = dict(os.environ)
    env["ROLELIB_PROGRESS"] = progress
    env.pop("ROLELIB_INSTRUCTOR", None)
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    return env


def rotated(items: list, run: int) -> list:
    """The variants in a different order in each run, so that none is always first (after the
    previous run's last one) or last."""
    shift = run % len(items)
    return items[shift:] + items[:shift]


def child_seconds(setup: str, timed: str, cwd: Path, code_folder: Path | None = None) -> float:
    """Run ``setup`` then ``timed`` in a fresh interpreter; the seconds ``timed`` took.

    ``code_folder`` holds another rolelib to import instead of the installed one (as
    :func:`code_before_redesign` makes).
    """
    code = (f"import time\n{setup}\nstart = time.perf_counter()\n{timed}\n"
            "print(repr(time.perf_counter() - start))\n")
    return float(child_output(code, cwd, code_folder=code_folder, what=repr(timed)))


def child_output(code: str, cwd: Path, args: tuple[str, ...] = (), code_folder: Path | None = None,
                 what: str = "its code") -> str:
    """Run ``code`` with ``args`` in a fresh interpreter; the last line it printed.

    ``code_folder`` holds another rolelib to import instead of the installed one (as
    :func:`code_before_redesign` makes).
    """
    env = child_env()
    if code_folder is not None:
        env["PYTHONPATH"] = str(code_folder)
    result = subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env,
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"the child interpreter failed on {what}:\n{result.stderr[-2000:]}")
    return result.stdout.strip().splitlines()[-1]


BEFORE_REDESIGN = "d6c4f1e"
"""The last commit before the redesign of issue 14 (question kinds, one convention, vocabularies in the data):
its fully cold load is measured side by side with today's, so that a change of the machine (pandas' import
takes 225 to 420 ms here, depending on the moment) is told apart from a change of rolelib."""


@functools.cache
def code_before_redesign(scratch: Path) -> Path | None:
    """A folder of ``scratch`` holding rolelib, its data and its notebooks as they were at :data:`BEFORE_REDESIGN`
    (compiled, as installed), or None without git history; taken out of the history once, however many sections
    compare with it."""
    import compileall
    import io
    import tarfile

    folder = scratch / "before_redesign"
    archive = subprocess.run(["git", "archive", "--format=tar", BEFORE_REDESIGN, "rolelib", "data", "notebooks"],
                             cwd=REPO, capture_output=True, check=False)
    if archive.returncode != 0:
        return None
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.10.12, 3.11.4 and later
            tar.extractall(folder, filter="data")
        else:
            tar.extractall(folder)  # noqa: S202 - the repository's own history
    compileall.compile_dir(folder / "rolelib", quiet=1)
    return folder


def compile_rolelib() -> None:
    """Write rolelib's compiled bytecode (its __pycache__ folders), as pip does when installing.

    With the editable install, a learner's Python compiles rolelib on its first import, saves the
    bytecode and reads it from then on. A machine that sets PYTHONDONTWRITEBYTECODE (some
    containers do) saves nothing, so without this step every fresh interpreter and kernel of the
    benchmark would compile rolelib from source again: about 50 ms that no learner pays twice.
    """
    import compileall

    if not compileall.compile_dir(REPO / "rolelib", quiet=1):
        raise RuntimeError("rolelib does not compile: run the tests first")


def scratch_folder() -> tempfile.TemporaryDirectory:
    """A temporary folder for generated data, notebooks' progress files and exports."""
    return tempfile.TemporaryDirectory(prefix="rolelib-bench-")
