"""Files a spreadsheet opens safely: CSV that runs no formula, and the reverse for the course's own reader.

Following OWASP's guidance on CSV injection, every CSV the course writes quotes every field,
and a cell that a spreadsheet could take for a formula gets a leading apostrophe (``'``):
a cell whose text, at its start or after any of ``,`` ``;`` tab or a line break (where a
spreadsheet that splits on another separator would start a new cell), begins with ``=``
``+`` ``-`` ``@`` tab or carriage return. A cell that itself starts with ``'`` gets one too,
so that :func:`restored` (which takes one leading apostrophe off) gives back every text
exactly.
"""

from __future__ import annotations

import csv
import io
import numbers
import re
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a cell must not start with: a spreadsheet may run the rest as a formula."""

_RISKY = re.compile(r"(?:^|[,;\t\r\n])[=+\-@\t\r]")


def neutralised(text: str) -> str:
    """``text`` as a cell no spreadsheet runs as a formula (see the module's description).

    >>> [neutralised(text) for text in ("Ada", "=1+1", "Bob;=1+1", "-3", "'quoted")]
    ['Ada', "'=1+1", "'Bob;=1+1", "'-3", "''quoted"]
    """
    return "'" + text if text.startswith("'") or _RISKY.search(text) else text


def restored(text: str) -> str:
    """The text a cell written by :func:`neutralised` held (one leading apostrophe taken off).

    >>> restored("'=1+1"), restored("''quoted"), restored("Ada")
    ('=1+1', "'quoted", 'Ada')
    """
    return text[1:] if text.startswith("'") else text


def csv_text(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    """CSV text with every field quoted and every text cell :func:`neutralised`; numbers stay numbers.

    Lines end with a line feed; a line break inside a cell stays inside its quotes.

    >>> print(csv_text(["learner", "score"], [["=2+3", 1.5], ["Bob;=1", -2], ["Cy", None]]), end="")
    "learner","score"
    "'=2+3","1.5"
    "'Bob;=1","-2"
    "Cy",""
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow([neutralised(str(name)) for name in header])
    writer.writerows([_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, numbers.Number):
        return "" if value != value else value  # NaN: an empty cell, as pandas writes it
    return neutralised(str(value))
