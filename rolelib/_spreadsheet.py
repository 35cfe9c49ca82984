"""Files a spreadsheet opens safely: CSV and .xlsx that run no formula, and the reverse for the course's own reader.

Following OWASP's guidance on CSV injection, every CSV the course writes quotes every field,
and a cell that a spreadsheet could take for a formula gets a leading apostrophe (``'``):
a cell whose text, at its start or after any of ``,`` ``;`` tab or a line break (where a
spreadsheet that splits on another separator would start a new cell), begins with ``=``
``+`` ``-`` ``@`` tab or carriage return. A cell that itself starts with ``'`` gets one too,
so that :func:`restored` (which takes one leading apostrophe off) gives back every text
exactly. In an .xlsx workbook (:func:`write_xlsx`) every text is a text cell.
"""

from __future__ import annotations

import csv
import io
import numbers
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

_RISKY = re.compile(r"(?:^|[,;\t\r\n])[=+\-@\t\r]")
_XLSX_TEXT_MAX = 32_767


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
    return neutralised(_writable(str(value)))


def _writable(text: str) -> str:
    """``text`` as UTF-8 can hold it: a lone surrogate (from a file name that is not UTF-8) shown as an escape.

    >>> _writable("caf\\udce9.json")
    'caf\\\\udce9.json'
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def write_xlsx(path: Path, sheets: dict[str, pd.DataFrame]) -> Path:
    """Write tables as the sheets of an .xlsx workbook, every text a text cell (never a formula).

    Numbers are number cells; every other value (a learner's name, a file name, a question
    id) is written as a string cell, so a workbook opened anywhere runs nothing it holds.
    Text longer than a cell can hold (32,767 characters) is cut there.
    """
    import xlsxwriter

    options = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    with xlsxwriter.Workbook(str(path), options) as workbook:
        bold = workbook.add_format({"bold": True})
        for name, table in sheets.items():
            sheet = workbook.add_worksheet(name[:31])
            for column, title in enumerate(table.columns):
                sheet.write_string(0, column, str(title), bold)
            for row, values in enumerate(table.itertuples(index=False), start=1):
                for column, value in enumerate(values):
                    if isinstance(value, numbers.Number) and not isinstance(value, bool) and value == value:
                        sheet.write_number(row, column, value)
                    elif value is not None and value == value:
                        sheet.write_string(row, column, _writable(str(value))[:_XLSX_TEXT_MAX])
            sheet.freeze_panes(1, 0)
    return path
