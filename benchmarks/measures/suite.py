"""The whole test suite, part by part as `make test` runs it."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from benchmarks.measures.common import REPO, Result

NBVAL = ["--nbval", "--nbval-current-env", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg"]
OLDEST = REPO / ".venv-oldest" / "bin" / "python"


def measure_suite(oldest: Path = OLDEST) -> list[Result]:
    """The whole test suite, once (it takes minutes), part by part as `make test` runs it.

    ``oldest`` is the Python of the environment with the oldest supported versions.
    """
    parts = {  # the commands of `make test` (see the Makefile), the browser tests apart
        "unit tests, doctests and notebooks under nbval":
            (sys.executable, ["tests", "rolelib", "notebooks", *NBVAL, "-q", "-p", "no:cacheprovider",
                              "--ignore=tests/browser"]),
        "browser tests": (sys.executable, ["tests/browser", "-q", "-p", "no:cacheprovider"]),
        "oldest versions: unit tests and doctests":
            (str(oldest), ["-p", "no:cacheprovider", "--ignore=tests/browser", "-q", "tests", "rolelib"]),
        "oldest versions: notebooks run top to bottom":
            (str(oldest), ["-p", "no:cacheprovider", "--nbval-lax", "--nbval-current-env", "-q", "notebooks"]),
    }
    results = []
    for what, (python, arguments) in parts.items():
        if not Path(python).exists():
            results.append(Result("suite", what, [], notes=["not measured: the environment with the oldest "
                                                            "versions (`make oldest`) is not set up"]))
            continue
        start = time.perf_counter()
        done = subprocess.run([python, "-m", "pytest", *arguments], cwd=REPO, capture_output=True, text=True,
                              check=False)
        seconds = time.perf_counter() - start
        tail = (done.stdout.strip().splitlines() or ["(no output)"])[-1]
        results.append(Result("suite", f"{what} (`pytest {' '.join(arguments)}`)", [seconds],
                              notes=[f"one run; pytest: {tail}"]))
    measured = [result for result in results if result.samples]
    total = sum(result.samples[0] for result in measured)
    complete = len(measured) == len(results)
    results.append(Result("suite", "the whole suite" + ("" if complete else " (the parts measured)"),
                          [total], "at most 10 minutes", total <= 600))
    return results


def suite_from_seconds(seconds: float) -> list[Result]:
    """The whole suite's duration, measured separately and given on the command line."""
    return [Result("suite", "the whole test suite (measured separately, given with --suite-seconds)",
                   [seconds], "at most 10 minutes", seconds <= 600, notes=["one run"])]
