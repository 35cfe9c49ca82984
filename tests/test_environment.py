"""environment.yml (Binder, conda) agrees with pyproject.toml.

Binder builds the course from environment.yml alone; pyproject.toml is what pip installs.
If the two drift apart, Binder gets a library version the course was never tested with,
or misses a library altogether.
"""

from __future__ import annotations

import re

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from tests.helpers import REPO


# conda-forge names that differ from the PyPI names (matplotlib-base: matplotlib without Qt).
CONDA_NAMES = {"matplotlib": "matplotlib-base"}
# Installed besides the runtime libraries, so Binder opens the course (JupyterLab, Notebook 7, Voila).
FRONT_ENDS = ("jupyterlab", "notebook", "voila")


def _pyproject() -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        tomllib = pytest.importorskip("tomli", reason="reading pyproject.toml on Python 3.10 needs tomli")
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def environment() -> dict:
    """environment.yml, parsed."""
    return yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def conda_specs(environment: dict) -> dict[str, str]:
    """Conda package name -> the rest of its spec ('' when unpinned)."""
    specs = {}
    for entry in environment["dependencies"]:
        if isinstance(entry, str):
            name, rest = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", entry).groups()
            specs[name.lower()] = rest.strip()
    return specs


def _floor(specifier: SpecifierSet) -> Version | None:
    floors = [Version(spec.version) for spec in specifier if spec.operator in (">=", "==", "~=")]
    return max(floors) if floors else None


def test_environment_has_the_shape_binder_needs(environment: dict) -> None:
    """conda-forge as the channel, a dependency list, and a pip section that installs this repo."""
    assert "conda-forge" in environment.get("channels", []), "environment.yml must use the conda-forge channel"
    dependencies = environment.get("dependencies")
    assert isinstance(dependencies, list) and dependencies, "environment.yml needs a list of dependencies"
    assert "pip" in [entry for entry in dependencies if isinstance(entry, str)], "pip must be installed"
    pip_sections = [entry["pip"] for entry in dependencies if isinstance(entry, dict) and "pip" in entry]
    assert len(pip_sections) == 1, "environment.yml needs exactly one pip: section"
    installs_repo = [line for line in pip_sections[0] if line.strip() in (".", "-e .", "-e.", "--editable .")]
    assert installs_repo, f"the pip: section must install the course from the repository ('-e .'): {pip_sections[0]}"


def test_python_version_is_one_the_package_supports(conda_specs: dict[str, str]) -> None:
    """The Python that Binder gets is inside pyproject's requires-python."""
    match = re.fullmatch(r"=?=?(\d+\.\d+)(\.\*)?", conda_specs.get("python", ""))
    assert match, f"pin python to one minor version (python=3.X), not {conda_specs.get('python')!r}"
    requires = SpecifierSet(_pyproject()["project"]["requires-python"])
    assert Version(match.group(1)) in requires, f"python {match.group(1)} is outside requires-python {requires}"


@pytest.mark.parametrize("requirement", _pyproject()["project"]["dependencies"])
def test_every_runtime_dependency_is_in_the_environment(requirement: str, conda_specs: dict[str, str]) -> None:
    """Each runtime library of pyproject.toml is in environment.yml, with a lower bound at least
    as high as pyproject's (Binder must never get a version pip would refuse)."""
    wanted = Requirement(requirement)
    name = CONDA_NAMES.get(wanted.name.lower(), wanted.name.lower())
    assert name in conda_specs, f"{wanted.name} (conda-forge: {name}) is missing from environment.yml"
    conda = SpecifierSet(conda_specs[name].replace(" ", "")) if conda_specs[name] else SpecifierSet()
    pip_floor, conda_floor = _floor(wanted.specifier), _floor(conda)
    if pip_floor is not None:
        assert conda_floor is not None, f"{name} needs a lower bound in environment.yml (pyproject: {wanted.specifier})"
        assert conda_floor >= pip_floor, f"{name}>={conda_floor} in environment.yml is below {wanted.specifier}"
    for spec in wanted.specifier:
        if spec.operator in ("<", "<="):
            assert any(s.operator in ("<", "<=") for s in conda), f"{name}: pyproject's upper bound {spec} is missing"


def test_the_front_ends_are_installed(conda_specs: dict[str, str]) -> None:
    """JupyterLab, Notebook 7 and Voila are in the environment (the course's three ways in)."""
    missing = [name for name in FRONT_ENDS if name not in conda_specs]
    assert not missing, f"missing from environment.yml: {missing}"


def test_nothing_in_the_environment_is_unknown_to_pyproject(conda_specs: dict[str, str]) -> None:
    """Every conda package is a runtime dependency, a front end, python or pip: nothing that
    pip users would not get."""
    known = {CONDA_NAMES.get(Requirement(r).name.lower(), Requirement(r).name.lower())
             for r in _pyproject()["project"]["dependencies"]}
    extra = set(conda_specs) - known - set(FRONT_ENDS) - {"python", "pip"}
    assert not extra, f"in environment.yml but not in pyproject.toml: {sorted(extra)}"


def test_the_environment_check_knows_the_declared_lower_bounds():
    """check_environment() tells a learner the same minimum versions pyproject.toml declares."""
    from rolelib.course.environment import _MINIMUM

    declared = {}
    for requirement in _pyproject()["project"]["dependencies"]:
        name, _, bound = requirement.partition(">=")
        declared[name.strip()] = tuple(int(part) for part in bound.split("."))
    for name, minimum in _MINIMUM.items():
        assert declared[name] == minimum, name


@pytest.mark.parametrize("installed, passed", [("7.7.0", False), ("7.7.1", True), ("7.7.1rc1", True), ("8.1.2", True)])
def test_the_environment_check_compares_the_whole_version(monkeypatch, installed, passed):
    """ipywidgets 7.7.0 is older than the 7.7.1 the course declares: the check says so (it compared 7.7 only)."""
    import ipywidgets

    from rolelib.course.environment import check_environment

    monkeypatch.setattr(ipywidgets, "__version__", installed)
    check = next(check for check in check_environment().checks if check[0] == "ipywidgets")
    assert check[1] is passed
    assert passed or "install ipywidgets>=7.7.1" in check[2]
