"""Old keyword spellings that keep working for one release, with a DeprecationWarning."""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def renamed_keywords(**old_to_new: str) -> Callable[[F], F]:
    """Let callers still pass a keyword under its old name; warn them and pass it on under the new one.

    >>> @renamed_keywords(dimension="difference")
    ... def title(difference: str) -> str:
    ...     return difference.upper()
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     title(dimension="focus"), str(caught[0].message)
    ('FOCUS', 'title(dimension=...) is now title(difference=...); the old name goes in the next release.')
    """
    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, new in old_to_new.items():
                if old not in kwargs:
                    continue
                if new in kwargs:
                    raise TypeError(f"{function.__name__}() got both {old}= and {new}=; give {new}= only")
                warnings.warn(f"{function.__name__}({old}=...) is now {function.__name__}({new}=...); "
                              "the old name goes in the next release.", DeprecationWarning, stacklevel=2)
                kwargs[new] = kwargs.pop(old)
            return function(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def data_first(function: F) -> F:
    """Let callers still pass ``data`` first, by position, before the function's one argument (the old order).

    >>> @data_first
    ... def pools(roles, *, data=None):
    ...     return roles, data
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     pools("my_data", ["CIO"]), str(caught[0].message)
    ((['CIO'], 'my_data'), 'pools(data, ...) is now pools(..., data=...); the old order stops working in the next release.')
    """
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if len(args) == 2 and "data" not in kwargs:
            warnings.warn(f"{function.__name__}(data, ...) is now {function.__name__}(..., data=...); the old order "
                          "stops working in the next release.", DeprecationWarning, stacklevel=2)
            args, kwargs = args[1:], {**kwargs, "data": args[0]}
        return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def keyword_only(*old_order: str) -> Callable[[F], F]:
    """Let callers still pass, by position, parameters that are now keyword-only (``data`` above all).

    ``old_order`` names the parameters in the order they used to be taken by position.

    >>> @keyword_only("data", "roles")
    ... def chart(*, data=None, roles=None):
    ...     return data, roles
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     chart("my_data", ["CIO"]), str(caught[0].message)
    (('my_data', ['CIO']), 'chart() takes data=..., roles=... by name now; by position, they stop working in the next release.')
    """
    def decorate(function: F) -> F:
        taken = sum(parameter.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
                    for parameter in inspect.signature(function).parameters.values())

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if len(args) > taken:
                moved = old_order[taken:len(args)]
                if len(args) > len(old_order) or any(name in kwargs for name in moved):
                    raise TypeError(f"{function.__name__}() got too many positional arguments; "
                                    f"give {', '.join(old_order[taken:])} by name")
                warnings.warn(f"{function.__name__}() takes {', '.join(f'{name}=...' for name in moved)} by name now; "
                              "by position, they stop working in the next release.", DeprecationWarning, stacklevel=2)
                kwargs.update(zip(moved, args[taken:]))
                args = args[:taken]
            return function(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
