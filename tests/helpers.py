"""Helpers the tests share (import them from here; conftest.py holds only fixtures)."""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
NOTEBOOKS = REPO / "notebooks"


def append_rows(path: Path, *rows: str) -> None:
    """Add lines to a CSV file of a data copy, as an instructor editing it would."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write("".join(row + "\n" for row in rows))


def copy_data(folder: Path) -> Path:
    """A fresh copy of the shipped data/ (question banks included) in ``folder``/my_data, to edit."""
    target = folder / "my_data"
    shutil.copytree(DATA, target)
    return target


def lesson_notebook(slug: str) -> dict:
    """A lesson notebook of notebooks/, as JSON."""
    return json.loads((NOTEBOOKS / f"{slug}.ipynb").read_text(encoding="utf-8"))


def rolelib_calls(notebook: dict, name: str) -> list[str]:
    """First string argument of every call to rolelib.<name>(...) in the code cells, in order."""
    found = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        for node in ast.walk(ast.parse("".join(cell["source"]))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == name
                    and node.args and isinstance(node.args[0], ast.Constant)):
                found.append(node.args[0].value)
    return found
