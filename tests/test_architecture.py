"""The rules of ARCHITECTURE.md that a machine can check: layers, kinds, sizes."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.helpers import REPO

PACKAGE = REPO / "rolelib"
MODULES = sorted(path for path in PACKAGE.rglob("*.py") if "__pycache__" not in path.parts)
# Modules that read the data, the banks or the progress: never widgets or charts at import.
NO_WIDGETS = ["_errors", "_types", "_deprecated", "lessons", "_markup", "_schema", "_tables", "data",
              "questions", "_bank_yaml", "versions", "kinds/__init__", "kinds/base", "kinds/quiz_form",
              "kinds/choice", "kinds/sorting", "kinds/reflect",
              "progress/__init__", "progress/_sqlite", "progress/store", "progress/summary", "progress/export",
              "progress/_parsing", "_spreadsheet", "_terminal", "_files", "modes", "_feedback"]
HEAVY_DISPLAY = ("ipywidgets", "matplotlib", "rolelib.charts", "rolelib.exercises", "rolelib.explorers",
                 "rolelib.course", "IPython")
MAX_MODULE_LINES = 420
MAX_FUNCTION_LINES = 60


def _name(path: Path) -> str:
    return path.relative_to(PACKAGE).with_suffix("").as_posix()


def _top_level_imports(path: Path) -> list[str]:
    """Modules imported when the module itself is imported (not those imported inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
    return found


@pytest.mark.parametrize("name", NO_WIDGETS)
def test_the_data_banks_and_progress_layers_import_no_widgets_and_no_charts(name):
    heavy = [module for module in _top_level_imports(PACKAGE / f"{name}.py")
             if module.startswith(HEAVY_DISPLAY)]
    assert heavy == [], f"rolelib/{name}.py imports {heavy}: it belongs below the display layer"


def test_nothing_outside_the_kinds_branches_on_a_kind_name():
    pattern = re.compile(r"\bkind\s*(==|!=)|\.kind\s+in\s*[(\[{]")
    offenders = [f"{_name(path)}:{number}: {line.strip()}"
                 for path in MODULES if not _name(path).startswith("kinds/")
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                 if pattern.search(line) and "parameter.kind" not in line]
    assert offenders == []


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_modules_and_functions_stay_small(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_MODULE_LINES, f"{_name(path)} has {len(lines)} lines: split it along its seams"
    for node in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = node.end_lineno - node.lineno + 1
            body = "\n".join(lines[node.lineno - 1:node.end_lineno])
            assert length <= MAX_FUNCTION_LINES or "# Long because" in body, (
                f"{_name(path)}.{node.name} has {length} lines: shorten it or say why in a '# Long because' comment")
