"""Reading the course's YAML (question banks, course settings) safely: no aliases, no key given twice, bounded
nesting, and syntax errors in an instructor's words.

>>> parse_bank("lesson: 01_focus", "questions/01_focus.yaml")
{'lesson': '01_focus'}
"""

from __future__ import annotations

from typing import Any

import yaml

from rolelib._errors import Problem

MAX_DEPTH = 10
"""The deepest nesting of lists and mappings a bank may have (the course's banks have 7, with variants)."""


class BankSyntaxError(ValueError):
    """A bank that is not YAML a bank may be; ``problem`` says where and what was expected."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.expected)
        self.problem = problem


def parse_bank(text: str, file: str) -> Any:
    """The bank's YAML as Python values; BankSyntaxError for bad syntax, aliases, a key given twice in one mapping,
    a value YAML cannot build (a date that does not exist) or too deep a nesting.

    >>> parse_bank("lesson: 01_focus\\nlesson: 02_responsibilities", "questions/01_focus.yaml")
    Traceback (most recent call last):
    rolelib._bank_yaml.BankSyntaxError: the key 'lesson' once in each mapping (line 1 has it already; YAML would keep only the last one, silently): merge the two or remove one
    """
    try:
        raw = _parse_yaml(text)
    except _Refused as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise BankSyntaxError(Problem(file, line, exc.field, None, exc.expected)) from None
    except _AliasUsed as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise BankSyntaxError(Problem(file, line, None, None,
                                      "no YAML aliases (*name, or <<: *name): write each value out in full. A few "
                                      "aliases can make a small file expand to gigabytes, so banks may not use "
                                      "them")) from None
    except yaml.YAMLError as exc:
        raise BankSyntaxError(_syntax_problem(file, exc)) from None
    except RecursionError:
        raise BankSyntaxError(Problem(file, None, None, None, f"at most {MAX_DEPTH} levels of nesting")) from None
    if _depth(raw) > MAX_DEPTH:
        raise BankSyntaxError(Problem(file, None, None, None,
                                      f"at most {MAX_DEPTH} levels of nesting (lists and mappings inside each "
                                      f"other); this bank has more"))
    return raw


class _AliasUsed(yaml.constructor.ConstructorError):
    """A bank uses a YAML alias."""


class _Refused(yaml.constructor.ConstructorError):
    """A bank YAML reads, but not as written: a key given twice, or a value it cannot build; ``expected`` says what
    to write instead, ``field`` names the key or is None."""

    def __init__(self, mark: Any, field: str | None, expected: str) -> None:
        super().__init__(None, None, expected, mark)
        self.field, self.expected = field, expected


_READ_AS = {"tag:yaml.org,2002:timestamp": "a date", "tag:yaml.org,2002:int": "a number",
            "tag:yaml.org,2002:float": "a number"}


def _without_aliases(loader: type) -> type:
    """A safe YAML loader that refuses aliases (each node is built once, and a node met again is an alias), a key
    given twice in one mapping, and a plain value YAML reads as a date or number but cannot build (2026-02-30)."""

    class Loader(loader):  # type: ignore[misc, valid-type]
        def construct_object(self, node: Any, deep: bool = False) -> Any:
            if node in self.constructed_objects or node in self.recursive_objects:
                raise _AliasUsed(None, None, "an alias (*name)", node.start_mark)
            try:
                return super().construct_object(node, deep)
            except ValueError as exc:  # the datetime or int that YAML's pattern promised could not be made
                what = _READ_AS.get(node.tag, "a value")
                raise _Refused(node.start_mark, None,
                               f"{what} that exists, or text in quotes: YAML reads {str(node.value)[:40]!r} as "
                               f"{what}, and it is not a valid one ({exc})") from None

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            mapping = super().construct_mapping(node, deep)
            if len(mapping) < len(node.value):
                first: dict[Any, int] = {}
                for key_node, _ in node.value:
                    key = self.constructed_objects.get(key_node)
                    if key in first:
                        raise _Refused(key_node.start_mark, str(key)[:40],
                                       f"the key {str(key)[:40]!r} once in each mapping (line {first[key]} has it "
                                       "already; YAML would keep only the last one, silently): merge the two or "
                                       "remove one")
                    first[key] = key_node.start_mark.line + 1
            return mapping

    return Loader


_LOADERS = [_without_aliases(loader) for loader in (getattr(yaml, "CSafeLoader", None), yaml.SafeLoader) if loader]


def _parse_yaml(text: str) -> Any:
    """Parse a bank with libyaml when PyYAML has it (about three times faster), else in Python; no aliases.

    A text libyaml refuses is parsed again in Python, whose messages and positions
    :func:`_syntax_problem` reports (libyaml's own message when it found the nesting too deep).
    """
    fast, slow = _LOADERS[0], _LOADERS[-1]
    if fast is not slow:
        try:
            return yaml.load(text, Loader=fast)  # noqa: S506 - a safe loader
        except (_AliasUsed, _Refused):
            raise
        except yaml.YAMLError as exc:
            if "nesting depth" in str(exc):
                raise
    return yaml.load(text, Loader=slow)  # noqa: S506 - a safe loader


def _depth(value: Any) -> int:
    """How deeply lists and mappings nest in ``value`` (1 for a flat list), counted without recursion.

    >>> _depth({"questions": [{"pairs": {"a": ["b"]}}]}), _depth("text")
    (5, 0)
    """
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if level <= MAX_DEPTH:
            stack.extend((child, level + 1) for child in children)
    return deepest


def _syntax_problem(file: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    reason = getattr(exc, "problem", None) or str(exc)
    if mark is None:
        return Problem(file, None, None, None, f"valid YAML ({reason})")
    line = mark.line + 1
    if "nesting depth" in reason:
        return Problem(file, line, None, None, f"at most {MAX_DEPTH} levels of nesting (lists and mappings inside "
                                               f"each other); reading stopped at line {line}, column {mark.column + 1}")
    return Problem(file, line, None, None,
                   f"valid YAML; reading stopped at line {line}, column {mark.column + 1}: {reason} "
                   "(check the indentation and put text containing ': ' or '#' in quotes)")
