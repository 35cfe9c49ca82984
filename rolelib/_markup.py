"""Safe HTML from course text: Markdown without raw HTML, escaping, and HTML back to text."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

NO_MATH = "mathjax_ignore tex2jax_ignore"
"""The classes of an HTML output's outer element that keep math typesetting off course text: JupyterLab, Notebook 7
and nbconvert's HTML run MathJax (3 and 2 read these names) over HTML outputs, where a "$" in the data or a
learner's text ("a $2M budget and $500k") would start a formula."""

_BLOCKS = {"p", "li", "div", "br", "ul", "ol", "h1", "h2", "h3", "h4", "pre", "tr", "blockquote"}


# A URL that leaves the course: a scheme (http:, https:, ftp:, ...) or a host ("//host", which
# browsers also read in "/\\host"). Browsers drop leading spaces and control characters first.
_REMOTE = re.compile(r"^[\x00-\x20]*(?:[A-Za-z][A-Za-z0-9+.-]*:|[/\\]{2})")
_SHIPPED_DATA = re.compile(r"^data:image/(?:png|jpeg|gif|webp);base64,", re.IGNORECASE)


def is_shipped(url: str) -> bool:
    """Whether an image address stays inside the course: a relative path, or a data: URL of an image.

    >>> is_shipped("images/org-chart.png"), is_shipped("data:image/png;base64,iVBO")
    (True, True)
    >>> is_shipped("https://tracker.example/pixel.gif"), is_shipped("//tracker.example/p.gif")
    (False, False)
    """
    return bool(_SHIPPED_DATA.match(url)) or not _REMOTE.match(url)


@lru_cache(maxsize=1)
def _renderer() -> Callable[[str], str]:
    import mistune

    class CourseRenderer(mistune.HTMLRenderer):
        """Images from the course only: a remote image would be fetched by every reader's browser
        (a tracking beacon), so it becomes a plain link with its address shown."""

        def image(self, text: str, url: str, title: Any = None) -> str:
            if is_shipped(url):
                return super().image(text, url, title)
            label = f"{text}: " if text else "image: "
            return (f'<a class="rolelib-remote-image" href="{self.safe_url(url)}">{label}'
                    f"{escape(url)}</a>")

    # escape=True: raw HTML in a bank is shown as text, never as live tags; mistune also
    # turns javascript:, vbscript:, file: and data: links into harmless ones.
    return mistune.create_markdown(escape=True, renderer=CourseRenderer(escape=True))


def markdown(text: str) -> str:
    """Render Markdown to HTML with raw HTML escaped, and images from the course only.

    >>> markdown("A **CISO** <b>")
    '<p>A <strong>CISO</strong> &lt;b&gt;</p>\\n'
    >>> markdown("[read this](javascript:steal)")
    '<p><a href="#harmful-link">read this</a></p>\\n'
    >>> markdown("![a chart](https://tracker.example/p.gif)")
    '<p><a class="rolelib-remote-image" href="https://tracker.example/p.gif">a chart: https://tracker.example/p.gif</a></p>\\n'
    """
    return _renderer()(text)


def escape(text: object) -> str:
    """Escape text (quotes included) for HTML; a lone surrogate shows as U+FFFD (see :func:`displayable`).

    >>> escape('<img src="x">')
    '&lt;img src=&quot;x&quot;&gt;'
    """
    return html.escape(displayable(str(text)), quote=True)


_SURROGATE = re.compile("[\ud800-\udfff]")


def displayable(text: str) -> str:
    """Text a front end can be sent: each lone surrogate (which a browser can send, but not be sent
    back, in UTF-8) replaced by U+FFFD; other text unchanged.

    >>> displayable("a\\ud800b") == "a\\ufffdb", displayable("café")
    (True, 'café')
    """
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def full_stop(text: str) -> str:
    """The full stop to put after ``text``: none when it already ends a sentence (before a closing quote too).

    >>> full_stop("The CSO"), full_stop("Which one?"), full_stop("\u201cA CIO holds an MBA.\u201d")
    ('.', '', '')
    """
    return "" if text.rstrip("\u201d").endswith((".", "?", "!", "\u2026")) else "."


def counted(number: int, noun: str) -> str:
    """A count and its noun, singular for one, with thousands separators.

    >>> counted(1, "learner"), counted(10000, "question id")
    ('1 learner', '10,000 question ids')
    """
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""A character XML 1.0 forbids: most control characters, U+FFFE, U+FFFF and a lone surrogate."""


def xml_document(root: ET.Element) -> bytes:
    """An ElementTree element as an indented UTF-8 XML 1.0 document that every parser reads: each character
    XML 1.0 forbids, in a text or an attribute (a control character pasted into a data file), shown as U+FFFD.

    >>> root = ET.Element("quiz", title="a\\x01b")
    >>> ET.SubElement(root, "text").text = "Chief Information\\x0bOfficer & <co>"
    >>> print(xml_document(root).decode())  # doctest: +NORMALIZE_WHITESPACE
    <?xml version='1.0' encoding='UTF-8'?>
    <quiz title="a�b">
      <text>Chief Information�Officer &amp; &lt;co&gt;</text>
    </quiz>
    """
    for element in root.iter():
        for name in ("text", "tail"):
            value = getattr(element, name)
            if value and _NOT_XML.search(value):
                setattr(element, name, _NOT_XML.sub("\ufffd", value))
        for key, value in list(element.attrib.items()):
            element.attrib[key] = _NOT_XML.sub("\ufffd", value)
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(markup: str) -> str:
    """The text a reader sees in a piece of HTML: one line per block, entities decoded.

    >>> html_to_text("<p>&#10003; <strong>Correct.</strong></p><ul><li>a &lt;b&gt;</li></ul>")
    '✓ Correct.\\na <b>'
    """
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).splitlines())
    return "\n".join(line for line in lines if line)
