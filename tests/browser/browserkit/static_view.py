"""Accessibility and static views: the axe audit of the course's outputs and the text a reader sees of a page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

from .notebooks import COURSE_OUTPUTS


def squash_spaces(text: str) -> str:
    r"""Spacing as a reader perceives it (ipywidgets puts a zero-width space in some labels).

    >>> squash_spaces(" Leading the\u200b team\n that responds ")
    'Leading the team that responds'
    """
    return re.sub(r"\s+", " ", text.replace("\u200b", "")).strip()


# --------------------------------------------------------------------------- accessibility

_AXE_CLASSIFY_JS = """async (courseSelector) => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  const course = [], other = [];
  for (const v of results.violations) {
    for (const node of v.nodes) {
      const target = node.target[0];
      let el = null;
      try { el = typeof target === 'string' ? document.querySelector(target) : null; } catch (e) { el = null; }
      const entry = {id: v.id, impact: node.impact || v.impact, help: v.help, html: node.html.slice(0, 300),
                     target: JSON.stringify(node.target), summary: node.failureSummary || ''};
      if (el && el.closest(courseSelector)) course.push(entry); else other.push(entry);
    }
  }
  return {course, other};
}"""


def axe_audit(page: Page) -> dict:
    """Run axe-core (the copy shipped by axe-playwright-python, no CDN) on the page; the
    violating nodes inside the course's own outputs and elsewhere."""
    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(AXE_SCRIPT)
    return page.evaluate(_AXE_CLASSIFY_JS, COURSE_OUTPUTS)


# --------------------------------------------------------------------------- static views


# Tags that start a new line of text; inline tags (strong, em, a, code) join their words.
_BLOCKS = frozenset("address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 "
                    "h6 header hr li main nav ol p pre section table tbody td th thead tr ul".split())


class _TextAndImages(HTMLParser):
    """Visible text of an HTML page (scripts and styles left out) and its images."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.images: list[dict[str, str]] = []
        self.captions = 0
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.text.append(" ")
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "img":
            self.images.append({k: v or "" for k, v in attrs})
        elif tag == "figcaption":
            self.captions += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.text.append(" ")
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


@dataclass(frozen=True)
class StaticView:
    """What a reader of the HTML export sees: its text, its PNG images, its captions."""

    html: str
    text: str
    png_images: tuple[dict[str, str], ...]
    captions: int

    @classmethod
    def export(cls, notebook: Path) -> StaticView:
        """Export the notebook (with its committed outputs) with nbconvert's HTML exporter."""
        import nbformat
        from nbconvert import HTMLExporter

        body, _ = HTMLExporter().from_notebook_node(nbformat.read(notebook, as_version=4))
        return cls.parse(body)

    @classmethod
    def parse(cls, html: str) -> StaticView:
        """Read an HTML page."""
        parser = _TextAndImages()
        parser.feed(html)
        images = tuple(i for i in parser.images if i.get("src", "").startswith("data:image/png"))
        return cls(html, squash_spaces("".join(parser.text)), images, parser.captions)

    def shows(self, text: str) -> bool:
        """Whether a reader sees this text (spacing ignored)."""
        return squash_spaces(text) in self.text


def visible_text(markdown: str) -> str:
    r"""The words a reader sees of a markdown text (as the course renders it, raw HTML escaped).

    >>> visible_text("Which of these is a **CIO** duty?\n\n- one")
    'Which of these is a CIO duty? one'
    """
    from rolelib._markup import markdown as render

    return StaticView.parse(render(markdown)).text
