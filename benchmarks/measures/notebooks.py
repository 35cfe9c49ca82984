"""Notebooks: Restart and Run All in a fresh kernel, against a baseline notebook."""

from __future__ import annotations

import statistics
import subprocess
import time
from pathlib import Path

from benchmarks.measures.common import INSTRUCTOR_NOTEBOOKS, LESSON_NOTEBOOKS, REPO, Result, child_env, ms, rotated

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


def _run_notebook(path: Path, progress_file: Path) -> tuple[float, float]:
    """Start a fresh kernel and run every cell, as Restart and Run All does: (kernel start, total) seconds."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3", allow_errors=False,
                            record_timing=False)
    start = time.perf_counter()
    # The kernel's own log lines (stderr) are not the notebook's output: keep them off the table.
    with client.setup_kernel(env=child_env(str(progress_file)), cwd=str(path.parent), stderr=subprocess.DEVNULL):
        ready = time.perf_counter()
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
        done = time.perf_counter()
    return ready - start, done - start


def measure_notebooks(runs: int, scratch: Path) -> list[Result]:
    """Every notebook run from a fresh kernel, against a baseline notebook run the same way."""
    baseline = _baseline_notebook(scratch)
    notebooks = {"baseline (imports pandas, matplotlib, ipywidgets; one plot)": baseline}
    for path in [*LESSON_NOTEBOOKS, *INSTRUCTOR_NOTEBOOKS]:
        notebooks[str(path.relative_to(REPO))] = path
    totals: dict[str, list[float]] = {name: [] for name in notebooks}
    starts: dict[str, list[float]] = {name: [] for name in notebooks}
    for name, path in notebooks.items():  # warm the disk cache once, untimed
        _run_notebook(path, scratch / "warm.sqlite3")
    for run in range(runs):
        for number, (name, path) in rotated(list(enumerate(notebooks.items())), run):
            kernel, total = _run_notebook(path, scratch / f"nb_{run}_{number}.sqlite3")
            totals[name].append(total)
            starts[name].append(kernel)
    base = statistics.median(totals[next(iter(notebooks))])
    results = []
    for number, name in enumerate(notebooks):
        median = statistics.median(totals[name])
        note = f"kernel start {ms(statistics.median(starts[name]))}, cells {ms(median - statistics.median(starts[name]))}"
        if number == 0:
            results.append(Result("notebooks", f"{name}", totals[name], notes=[note]))
            continue
        ratios = [own / other for own, other in zip(totals[name], totals[next(iter(notebooks))])]
        ratio = statistics.median(ratios)
        results.append(Result("notebooks", f"`{name}`", totals[name], "ratio to baseline at most 1.3",
                              ratio <= 1.3, figure=f"ratio {ratio:.2f} ({median / base:.2f} of medians)",
                              notes=[note]))
    return results
