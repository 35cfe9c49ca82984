"""Text for a terminal: control characters made visible, so that no file or name can drive the screen.

A learner's name, a question id or a file name may hold escape sequences that clear the
screen, set the window title or hide text (ESC, CR, backspace, C1 controls, bidirectional
overrides). Every value printed to a terminal goes through :func:`visible` first; the
layout's own line breaks are added around it, never taken from the data.
"""

from __future__ import annotations

import unicodedata

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}


def visible(text: object) -> str:
    """``text`` with every control and formatting character shown as an escape such as ``\\x1b``.

    Printable characters, accents and emoji are kept as they are; a backslash is doubled so
    that an escape shown cannot be mistaken for one typed.

    >>> visible("Ada\\x1b]0;owned\\x07 Lovelace\\n")
    'Ada\\\\x1b]0;owned\\\\x07 Lovelace\\\\n'
    >>> visible("Zoë \\u202eevil"), visible(42)
    ('Zoë \\\\u202eevil', '42')
    """
    text = str(text)
    if text.isprintable() and "\\" not in text:
        return text
    return "".join(_shown(character) for character in text)


def _shown(character: str) -> str:
    if character in _NAMED:
        return _NAMED[character]
    if character.isprintable() or unicodedata.category(character) == "Zs":
        return character
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
