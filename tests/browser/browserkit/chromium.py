"""The browser: where a Chromium is, how it starts, what it may reach, and which console messages count."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# Where a Chromium or Chrome may be, after the CHROMIUM environment variable: Debian's
# chromium, Ubuntu's snap, Fedora's chromium-browser, Google Chrome on Linux and on macOS.
CHROMIUM_PLACES = (
    "/usr/bin/chromium", "/snap/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable", "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
)


def find_chromium() -> Path | None:
    """The browser to drive: $CHROMIUM when set (it must exist), else the first of CHROMIUM_PLACES found."""
    chosen = os.environ.get("CHROMIUM", "").strip()
    if chosen:
        path = Path(shutil.which(chosen) or chosen)
        return path if path.is_file() else None
    return next((Path(place) for place in CHROMIUM_PLACES if Path(place).is_file()), None)


CHROMIUM = find_chromium()
INSTALL_HINT = (
    f"no Chromium found at CHROMIUM={os.environ['CHROMIUM']!r}" if os.environ.get("CHROMIUM", "").strip()
    else "no Chromium or Chrome found (looked at " + ", ".join(CHROMIUM_PLACES) + ")"
) + ("; install one (Debian: sudo apt-get install chromium; Ubuntu: sudo snap install chromium; "
     "Fedora: sudo dnf install chromium; macOS: install Google Chrome) or point CHROMIUM=/path/to/chrome at it")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
)
VIEWPORT = {"width": 1280, "height": 900}


# --------------------------------------------------------------------------- browser


@dataclass(frozen=True)
class IgnoreRule:
    """A console message that does not come from the course, and why it is not a failure.

    ``text`` is searched in the message; ``source`` in where it comes from (the script's
    address, or the top of the stack for an uncaught exception).
    """

    text: str
    source: str
    reason: str

    def matches(self, text: str, source: str) -> bool:
        """Whether the rule covers this message."""
        return re.search(self.text, text) is not None and re.search(self.source, source) is not None


# Each rule says why the message is unrelated to the course; anything else fails a test.
IGNORED_CONSOLE = (
    IgnoreRule(r"^Failed to load resource: net::ERR_INTERNET_DISCONNECTED", r"^(?!http://127\.0\.0\.1)",
               "a request to the internet, which the tests block (no network at test time; Voila "
               "asks a CDN for an icon font); a failed request to the local server is never ignored"),
    IgnoreRule(r"^Could not restore the debugger state: Canceled future for debug_request",
               r"/static/(lab/jlab_core|notebook/notebook_core)\.",
               "JupyterLab's debugger panel asks a new kernel for its state; Restart Kernel soon "
               "after the notebook opened cancels that request (the course does not use the debugger)"),
    IgnoreRule(r"^uncaught TypeError: Cannot read properties of undefined \(reading 'schema'\)",
               r"/static/notebook/notebook_core\.",
               "Notebook 7's keyboard-shortcut settings plugin while the page loads (seen with a "
               "notebook without course content too)"),
    IgnoreRule(r"^uncaught Error: Command 'filebrowser:open-path' not registered",
               r"/static/notebook/notebook_core\.",
               "Notebook 7's notebook page has no file browser; a plugin asks for it after a kernel "
               "restart (seen with a notebook without course content too)"),
    IgnoreRule(r"^Failed to load resource: the server responded with a status of 403",
               r"^http://127\.0\.0\.1:\d+/voila/api/shutdown/",
               "when a Voila page is left or reloaded, Voila asks its server to shut the page's "
               "kernel down and the server refuses (seen with a notebook without course content too)"),
    IgnoreRule(r"^Error: The getter for the shared module is not a function[\s\S]*"
               r"/voila/labextensions/@jupyter-notebook/lab-extension/", r"",
               "Voila loads every installed JupyterLab extension; Notebook 7's extension for "
               "JupyterLab cannot load inside Voila (seen with a notebook without course content too)"),
)


@dataclass
class ConsoleLog:
    """Console errors and uncaught exceptions of one page, split into course and ignored."""

    errors: list[str] = field(default_factory=list)
    ignored: list[tuple[str, str]] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        """Listen to the page's console errors and uncaught exceptions from now on."""

        def on_console(message: Any) -> None:
            if message.type == "error":
                self.add(message.text, (message.location or {}).get("url", ""))

        def on_error(error: Any) -> None:
            stack = (error.stack or "").splitlines()
            top = next((line.strip() for line in stack if line.strip().startswith("at ")), "")
            self.add(f"uncaught {error.name}: {error.message}", top)

        page.on("console", on_console)
        page.on("pageerror", on_error)

    def add(self, text: str, source: str) -> None:
        """File one message, as ignored (with the reason) or as an error of the course."""
        rule = next((rule for rule in IGNORED_CONSOLE if rule.matches(text, source)), None)
        if rule is None:
            self.errors.append(f"{text} [{source}]" if source else text)
        else:
            self.ignored.append((text, rule.reason))


def block_internet(page: Page, allowed_prefixes: Iterable[str]) -> None:
    """Abort every request that does not go to one of the allowed addresses (or data:/file:)."""
    allowed = tuple(allowed_prefixes) + ("data:", "file:", "blob:", "about:")

    def route(current: Any) -> None:
        if current.request.url.startswith(allowed):
            current.continue_()
        else:
            current.abort("internetdisconnected")

    page.route("**/*", route)


def launch_chromium(playwright: Any) -> Browser:
    """Debian's chromium, headless, with no sandbox and nothing phoning home."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=list(CHROMIUM_ARGS))
