"""The rules of ARCHITECTURE.md that a machine can check: layers, kinds, sizes, docstrings and type hints, one error
for an unknown name, helpers shared through tests/helpers/."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from collections.abc import Callable, Iterator
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
# The old module paths, which only warn and re-export for one release.
OLD_PATHS = {"rolelib.report", "rolelib.guide", "rolelib.navigation"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(("rolelib", *(parts[:-1] if parts[-1] == "__init__" else parts)))


# rolelib's public modules: no part of the name is private.
PUBLIC_MODULES = [name for name in map(_module_name, MODULES)
                  if not any(part.startswith("_") for part in name.split(".")) and name not in OLD_PATHS]


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


# The project's own Python outside rolelib: its tests, benchmarks and tools (not the browser tests' copy of a
# front-end bundle).
OTHER_MODULES = sorted(path for folder in ("tests", "benchmarks", "tools") for path in (REPO / folder).rglob("*.py")
                       if "__pycache__" not in path.parts and not any(part.startswith(".") for part in path.parts))


@pytest.mark.parametrize("path", OTHER_MODULES, ids=lambda path: path.relative_to(REPO).as_posix())
def test_tests_benchmarks_and_tools_stay_small(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(REPO)} has {lines} lines: split it along its seams"


def _public_functions(module_name: str) -> Iterator[tuple[str, Callable, str | None]]:
    """Each public function of a module, and each public method of its public classes, defined there:
    (name, function, docstring; a method overriding a documented one inherits its docstring)."""
    module = importlib.import_module(module_name)
    for name, value in vars(module).items():
        if name.startswith("_") or getattr(value, "__module__", None) != module_name:
            continue
        if inspect.isfunction(value):
            yield name, value, inspect.getdoc(value)
        elif inspect.isclass(value):
            for attribute, member in vars(value).items():
                function = member.fget if isinstance(member, property) else getattr(member, "__func__", member)
                if not attribute.startswith("_") and inspect.isfunction(function):
                    yield f"{name}.{attribute}", function, inspect.getdoc(getattr(value, attribute))


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_every_public_class_and_function_says_what_it_does_and_functions_have_type_hints(module_name):
    module = importlib.import_module(module_name)
    undocumented = [name for name, value in vars(module).items()  # a dataclass's own __doc__ is its signature
                    if inspect.isclass(value) and value.__module__ == module_name and not name.startswith("_")
                    and (value.__doc__ or f"{name}(").startswith(f"{name}(")]
    unhinted = []
    for name, function, doc in _public_functions(module_name):
        if not doc:
            undocumented.append(name)
        unwrapped = inspect.unwrap(function)
        parameters = [p for p in inspect.signature(unwrapped).parameters if p not in ("self", "cls")]
        missing = [p for p in [*parameters, "return"] if p not in unwrapped.__annotations__]
        if missing:
            unhinted.append(f"{name} ({', '.join(missing)})")
    assert not undocumented and not unhinted, (
        f"{module_name}: without a docstring {undocumented}; functions without type hints {unhinted}")


def test_rolelib_raises_no_bare_key_error():
    """An unknown name raises UnknownNameError, which lists the valid names (and is a KeyError too)."""
    offenders = [f"{_name(path)}:{node.lineno}" for path in MODULES
                 for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                 if isinstance(node, ast.Raise) and node.exc is not None
                 and "KeyError" in {n.id for n in ast.walk(node.exc) if isinstance(n, ast.Name)}]
    assert offenders == []


def test_tests_take_shared_helpers_from_helpers_py_never_from_a_conftest_or_another_test_module():
    pattern = re.compile(r"^\s*(from\s+(tests\.)?conftest\s+import|import\s+(tests\.)?conftest\b"
                         r"|from\s+(tests\.)?(\w+\.)*test_\w+\s+import)", re.MULTILINE)
    offenders = [path.relative_to(REPO).as_posix() for path in (REPO / "tests").rglob("*.py")
                 if pattern.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
