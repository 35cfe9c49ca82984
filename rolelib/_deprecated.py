"""Old keyword spellings that keep working for one release, with a DeprecationWarning."""

from __future__ import annotations

import functools
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
