"""rolelib: the helper library of the CIO vs CISO course.

It loads and checks the course data, draws the charts, shows the exercises and
keeps the learner's progress. ``import rolelib`` is light: pandas, matplotlib and
ipywidgets are imported only when a function that needs them is first called.

>>> import rolelib
>>> data = rolelib.load()
>>> sorted(data.compared_roles)
['CIO', 'CISO', 'CSO']
"""

from __future__ import annotations

import importlib
from typing import Any

from rolelib._errors import DataError
from rolelib.lessons import LESSONS, Lesson

__version__ = "0.1.0"

# Public name -> module that defines it. Modules are imported on first use (PEP 562),
# which keeps `import rolelib` free of matplotlib and ipywidgets.
_LAZY = {
    "load": "rolelib.data",
    "CourseData": "rolelib.data",
}

__all__ = ["DataError", "LESSONS", "Lesson", "__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'rolelib' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
