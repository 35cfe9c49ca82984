"""Notebooks: Restart and Run All in a fresh kernel, against a baseline notebook, and the same notebook as it
was before the redesign, with the code of then."""

from __future__ import annotations

import statistics
import subprocess
import time
from pathlib import Path

from benchmarks.measures.common import (BEFORE_REDESIGN, INSTRUCTOR_NOTEBOOKS, LESSON_NOTEBOOKS, REPO, Result,
                                       child_env, code_before_redesign, ms, rotated)

BASELINE_CELLS = (
    "import pandas as pd\nimport matplotlib.pyplot as plt\nimport ipywidgets as widgets",
    "fig, ax = plt.subplots()\nax.plot([1, 2, 3, 4], [3, 1, 4, 2])\nax.set_title(\"One plot\")\nplt.show()",
)


def _baseline_notebook(folder: Path) -> Path:
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                       "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in BASELINE_CELLS]
    path = folder / "baseline.ipynb"
    nbformat.write(notebook, path)
    return path


def _run_notebook(path: Path, progress_file: Path, code_folder: Path | None = None) -> tuple[float, float]:
    """Start a fresh kernel and run every cell, as Restart and Run All does: (kernel start, total) seconds.

    ``code_folder`` holds another rolelib for the kernel to import instead of the installed one.
    """
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3", allow_errors=False,
                            record_timing=False)
    start = time.perf_counter()
    # The kernel's own log lines (stderr) are not the notebook's output: keep them off the table.
    env = child_env(str(progress_file))
    if code_folder is not None:
        env["PYTHONPATH"] = str(code_folder)
    with client.setup_kernel(env=env, cwd=str(path.parent), stderr=subprocess.DEVNULL):
        ready = time.perf_counter()
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
        done = time.perf_counter()
    return ready - start, done - start


def measure_notebooks(runs: int, scratch: Path) -> list[Result]:
    """Every notebook run from a fresh kernel, against a baseline notebook run the same way.

    Beside each, in the same runs, the notebook of the same name as it was before the redesign
    (:data:`BEFORE_REDESIGN`), run with the code of then and with today's: the same content, so the
    ratio of the two is the redesign's own cost, whatever the machine's speed. The lessons have
    gained content since (exercises, a chart in 00, the exam and LMS parts of the instructor
    notebooks), which today's notebook's ratio to the baseline carries as well.
    """
    baseline = _baseline_notebook(scratch)
    before = code_before_redesign(scratch)
    notebooks: dict[str, tuple[Path, Path | None]] = {
        "baseline (imports pandas, matplotlib, ipywidgets; one plot)": (baseline, None)}
    for path in [*LESSON_NOTEBOOKS, *INSTRUCTOR_NOTEBOOKS]:
        name = str(path.relative_to(REPO))
        notebooks[name] = (path, None)
        if before is not None and (before / name).is_file():
            notebooks[f"{name} before"] = (before / name, before)
            notebooks[f"{name} before, today's code"] = (before / name, None)
    totals: dict[str, list[float]] = {name: [] for name in notebooks}
    starts: dict[str, list[float]] = {name: [] for name in notebooks}
    for name, (path, code) in notebooks.items():  # warm the disk cache once, untimed
        _run_notebook(path, scratch / "warm.sqlite3", code)
    for run in range(runs):
        for number, (name, (path, code)) in rotated(list(enumerate(notebooks.items())), run):
            kernel, total = _run_notebook(path, scratch / f"nb_{run}_{number}.sqlite3", code)
            totals[name].append(total)
            starts[name].append(kernel)
    base_name = next(iter(notebooks))

    def ratio(name: str, other: str = base_name) -> float:
        return statistics.median(own / theirs for own, theirs in zip(totals[name], totals[other]))

    results = []
    for name in notebooks:
        if " before" in name:
            continue
        median = statistics.median(totals[name])
        notes = [f"kernel start {ms(statistics.median(starts[name]))}, "
                 f"cells {ms(median - statistics.median(starts[name]))}"]
        if name == base_name:
            results.append(Result("notebooks", name, totals[name], notes=notes))
            continue
        if f"{name} before" in totals:
            then, now = f"{name} before", f"{name} before, today's code"
            notes.append(f"the notebook as it was before the redesign (commit {BEFORE_REDESIGN}), in the same runs: "
                         f"with the code of then {ms(statistics.median(totals[then]))} (ratio to baseline "
                         f"{ratio(then):.2f}), with today's code {ms(statistics.median(totals[now]))} (ratio "
                         f"{ratio(now):.2f}); today's code on the same notebook: x{ratio(now, then):.2f}")
        elif before is None:
            notes.append(f"the notebook before the redesign (commit {BEFORE_REDESIGN}) was not measured: no git "
                         "history here")
        results.append(Result("notebooks", f"`{name}`", totals[name], "ratio to baseline at most 1.3",
                              ratio(name) <= 1.3,
                              figure=f"ratio {ratio(name):.2f} ({median / statistics.median(totals[base_name]):.2f} "
                                     "of medians)", notes=notes))
    return results
