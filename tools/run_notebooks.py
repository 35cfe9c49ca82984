"""Re-execute the course notebooks in order and store their outputs the way the course needs them.

    python tools/run_notebooks.py                 # every notebook under notebooks/
    python tools/run_notebooks.py notebooks/01_focus.ipynb

What it does, per notebook:

1. regenerates the navigation and source cells from rolelib.lessons (``rolelib navigation``);
2. runs it top to bottom in a fresh kernel, from its own folder, with an empty progress store
   of its own, so the stored outputs show an unanswered course and no learner's answers;
3. drops the widget views from the stored outputs, and the widget state from the metadata.
   A stored widget view cannot be shown again until the cell runs (JupyterLab says "model not
   found"; GitHub, nbviewer and HTML exports show nothing). Without it, every front end shows
   the text/html version each exercise, explorer and chart carries: the question without its
   answer, the chart with its description. Running the cell brings the live widget back.

nbval still compares every text and HTML output with a fresh run (``make test``).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import nbformat
from traitlets.config import Config
from nbclient import NotebookClient

from rolelib._widgets import WIDGET_VIEW
from rolelib.instructor.navigation import update_notebooks

REPO = Path(__file__).resolve().parent.parent


def run(path: Path) -> None:
    """Execute one notebook in place and strip what cannot be shown without a kernel."""
    notebook = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as store:
        os.environ["ROLELIB_PROGRESS"] = str(Path(store) / "progress.sqlite3")
        os.environ.pop("ROLELIB_INSTRUCTOR", None)
        # No timing in the cells' metadata (every run would change every cell), and kernels on
        # local sockets, as make lab runs them (ipykernel warns that TCP is unencrypted).
        client = NotebookClient(notebook, timeout=300, kernel_name="python3", store_widget_state=False,
                                record_timing=False, resources={"metadata": {"path": str(path.parent)}},
                                config=Config({"KernelManager": {"transport": "ipc", "ip": str(Path(store) / "kernel")}}))
        client.execute()
    for cell in notebook.cells:
        cell.get("metadata", {}).pop("execution", None)
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, path)


def main(argv: list[str]) -> int:
    """Run the notebooks named in argv, or all of them; return a shell exit status."""
    update_notebooks(REPO / "notebooks")
    paths = [Path(arg).resolve() for arg in argv] or sorted((REPO / "notebooks").rglob("*.ipynb"))
    for path in paths:
        if ".ipynb_checkpoints" in path.parts:
            continue
        print(f"running {path.relative_to(REPO)}", flush=True)
        run(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
