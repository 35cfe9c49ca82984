"""Course text is text: every exercise kind and every explorer, with markup in every text field,
rendered by the widgets' HTML manager in Chromium on ipywidgets 8 and on 7.7.1 (the version
Google Colab ships, which puts widget descriptions into the page as HTML).

The page is written by escape_page.py in the environment under test (.venv for 8; .venv-oldest,
made by `make oldest`, for 7.7.1). The HTML manager's script normally comes from a CDN: it is
fetched once from the npm registry (`npm pack`) into tests/browser/.html-manager/ (ignored by
git), and the page's requests for it are answered from there; every other request is refused.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import browserkit as kit
import pytest
from escape_page import MARKER

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".html-manager"
MANAGER_URL = re.compile(r"/@jupyter-widgets/html-manager@([^/]+)/dist/(.+)$")
ENVIRONMENTS = {"ipywidgets-8": Path(sys.executable), "ipywidgets-7.7.1": kit.REPO / ".venv-oldest" / "bin" / "python"}

RENDERED_JS = """([exercises, explorers]) =>
    document.querySelectorAll('.rolelib-exercise').length >= exercises
    && document.querySelectorAll('.rolelib-explorer').length >= explorers
    && document.querySelectorAll('.rolelib-explorer-figure img').length >= explorers"""

FOUND_JS = """(marker) => {
    const shows = (selector) => Array.from(document.querySelectorAll(selector))
        .filter((element) => element.textContent.includes(marker)).length;
    return {
        pwned: window.__pwned !== undefined,
        elements: Array.from(document.querySelectorAll('[onerror], .pwned, img[src="x"]'))
            .map((element) => element.outerHTML.slice(0, 120)),
        escapedTwice: document.body.innerText.includes('&lt;') || document.body.innerText.includes('&amp;'),
        checkboxes: shows('.widget-checkbox'),
        dropdownLabels: shows('.widget-dropdown > label'),
        dropdownOptions: shows('.widget-dropdown option'),
        radios: shows('.widget-radio-box label'),
        toggleButtons: shows('.widget-toggle-button'),
        toggleLabels: shows('.widget-toggle-buttons > label'),
        prompts: shows('.rolelib-prompt'),
        hints: shows('.rolelib-hints'),
        feedback: shows('.rolelib-feedback'),
        explorerNotes: shows('.rolelib-explorer-note'),
    };
}"""


def _manager(version: str) -> Path:
    """The dist/ folder of @jupyter-widgets/html-manager at ``version`` (an npm range), fetched once."""
    folder = CACHE / re.sub(r"[^0-9A-Za-z.]", "_", version)
    if (folder / "package" / "dist" / "embed.js").is_file():
        return folder / "package" / "dist"
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("this test needs npm to fetch @jupyter-widgets/html-manager once (install Node.js)")
    folder.mkdir(parents=True, exist_ok=True)
    packed = subprocess.run([npm, "pack", f"@jupyter-widgets/html-manager@{version}", "--pack-destination",
                             str(folder)], capture_output=True, text=True, timeout=300)
    if packed.returncode != 0:
        pytest.skip(f"npm could not fetch @jupyter-widgets/html-manager@{version}: {packed.stderr.strip()[-300:]}")
    (tarball,) = folder.glob("*.tgz")
    with tarfile.open(tarball) as archive:
        archive.extractall(folder, filter="data") if sys.version_info >= (3, 12) else archive.extractall(folder)
    tarball.unlink()
    return folder / "package" / "dist"


@pytest.mark.parametrize("environment", list(ENVIRONMENTS))
def test_course_text_with_markup_stays_text_in_every_widget(environment, tmp_path, open_page):
    python = ENVIRONMENTS[environment]
    if not python.exists():
        pytest.skip(f"{environment} needs the oldest-versions environment: run `make oldest` first")
    page_file = tmp_path / "page.html"
    made = subprocess.run([str(python), str(HERE / "escape_page.py"), str(page_file), str(tmp_path)],
                          capture_output=True, text=True, timeout=300, cwd=kit.REPO)
    assert made.returncode == 0, made.stderr[-2000:]
    html = page_file.read_text(encoding="utf-8")
    version = MANAGER_URL.search(re.search(r'<script src="([^"]+)"', html).group(1)).group(1)
    dist = _manager(version)

    page, _console = open_page("file:")

    def from_cache(route) -> None:
        wanted = dist / MANAGER_URL.search(route.request.url).group(2)
        if wanted.is_file():
            route.fulfill(path=str(wanted))
        else:
            route.abort("internetdisconnected")

    page.route(MANAGER_URL, from_cache)  # registered last, so asked first
    page.goto(page_file.as_uri())
    page.wait_for_function(RENDERED_JS, arg=[7, 4], timeout=kit.WIDGET_RENDER_S * 1000)
    found = page.evaluate(FOUND_JS, MARKER)

    assert not found["pwned"], "the payload ran"
    assert found["elements"] == [], f"elements or attributes made from course text: {found['elements']}"
    assert not found["escapedTwice"], "course text shown with its escapes (&lt;) instead of as written"
    shown = {name: count for name, count in found.items() if isinstance(count, int) and not isinstance(count, bool)}
    assert all(shown.values()), f"the payload must be on the page, as text, in every kind of field: {shown}"
