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

from rolelib._errors import DataError, UnknownNameError
from rolelib.lessons import LESSONS, Lesson

__version__ = "0.1.0"

# Public name -> (module, attribute). Modules are imported on first use (PEP 562),
# which keeps `import rolelib` free of pandas, matplotlib and ipywidgets.
_LAZY = {
    "load": ("rolelib.data", "load"),
    "CourseData": ("rolelib.data", "CourseData"),
    "load_banks": ("rolelib.questions", "load_banks"),
    "exercise": ("rolelib.exercises", "exercise"),
    "quiz": ("rolelib.exercises", "quiz"),
    "instructor_mode": ("rolelib.exercises", "instructor_mode"),
    "answer_key": ("rolelib.exercises", "answer_key"),
    "progress_summary": ("rolelib.progress.summary", "progress_summary"),
    "export_progress": ("rolelib.progress.export", "export_progress"),
    "read_export": ("rolelib.progress.export", "read_export"),
    "show_chart": ("rolelib.charts", "show"),
    "show_score": ("rolelib.course", "show_score"),
    "reporting_explorer": ("rolelib.explorers", "reporting_explorer"),
    "responsibilities_explorer": ("rolelib.explorers", "responsibilities_explorer"),
    "compare_roles": ("rolelib.explorers", "compare_roles"),
    "check_environment": ("rolelib.course", "check_environment"),
    "course_map": ("rolelib.course", "course_map"),
    "facts_table": ("rolelib.course", "facts_table"),
    "compare_table": ("rolelib.course", "compare_table"),
    "glossary": ("rolelib.course", "glossary"),
    "export_widget": ("rolelib.course", "export_widget"),
    "submit_panel": ("rolelib.course", "submit_panel"),
    "course_settings": ("rolelib.modes", "course_settings"),
    "class_report": ("rolelib.instructor.report", "class_report"),
    "validate": ("rolelib.instructor.validation", "validate"),
}

__all__ = ["DataError", "UnknownNameError", "LESSONS", "Lesson", "__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'rolelib' has no attribute {name!r}")
    module, attribute = _LAZY[name]
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
