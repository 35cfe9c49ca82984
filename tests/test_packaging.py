"""The built wheel carries the data: a plain install works from any directory."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.helpers import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(REPO)],
                   check=True, capture_output=True, text=True)
    (built,) = out.glob("rolelib-*.whl")
    return built


def test_wheel_contains_the_data_and_the_banks(wheel):
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("rolelib/_data/roles.csv", "rolelib/_data/README.md", "rolelib/_data/questions/01_focus.yaml"):
        assert expected in names


def test_plain_install_loads_from_any_directory(wheel, tmp_path):
    """A fresh venv gets the wheel (not the source tree); its dependencies are borrowed read-only."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                    "--no-index", str(wheel)], check=True, capture_output=True)
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               check=True, capture_output=True, text=True).stdout.strip())
    # The dependencies (pandas, pydantic-core, ...) come from the test environment. A plain path line in a
    # .pth file adds that folder without running its .pth files, so the editable checkout stays invisible.
    (site / "zz_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    code = ("import rolelib, pathlib; d = rolelib.load(); "
            "print(pathlib.Path(rolelib.__file__).parent); print(d.data_dir); print(len(d.roles))")
    result = subprocess.run([str(python), "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    package_dir, data_dir, roles = result.stdout.split()
    assert Path(package_dir).is_relative_to(venv)
    assert Path(data_dir) == Path(package_dir) / "_data"
    assert roles == "6"


def test_the_wheel_and_the_sdist_carry_the_licence(wheel, tmp_path):
    import tarfile
    import zipfile

    licences = [name for name in zipfile.ZipFile(wheel).namelist() if name.endswith("/LICENSE")]
    assert licences and "MIT License" in zipfile.ZipFile(wheel).read(licences[0]).decode()
    subprocess.run([sys.executable, "-m", "build", "--sdist", "--no-isolation", "--outdir", str(tmp_path), str(REPO)],
                   check=True, capture_output=True, text=True)
    (sdist,) = tmp_path.glob("rolelib-*.tar.gz")
    with tarfile.open(sdist) as archive:
        assert any(name.endswith("/LICENSE") for name in archive.getnames())
