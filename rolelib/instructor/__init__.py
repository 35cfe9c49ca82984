"""Instructor tools, apart from what learners import: the class report, made-up sample exports,
the instructor guide's sections, the lessons' generated cells and the data check.

- :mod:`rolelib.instructor.report`: :func:`class_report` from learners' exports;
- :mod:`rolelib.instructor.samples`: :func:`make_sample_exports`, made-up exports to try it on;
- :mod:`rolelib.instructor.guide`: objectives, discussion prompts, misconceptions, answer keys;
- :mod:`rolelib.instructor.navigation`: the generated navigation and source cells;
- :mod:`rolelib.instructor.validation`: :func:`validate`, every problem in a data folder;
- :mod:`rolelib.instructor.lms`: :func:`lms_gradebook`, the grades as Canvas or Moodle import them;
- :mod:`rolelib.instructor.qti`: :func:`qti_package`, the banks as a QTI quiz (and Moodle XML).

The submodules are imported on first use (pandas comes with the report).
"""

from __future__ import annotations

import importlib
from typing import Any

_NAMES = {
    "class_report": "report", "ClassReport": "report",
    "make_sample_exports": "samples",
    "objectives": "guide", "discussion_prompts": "guide", "misconceptions": "guide", "answer_keys": "guide",
    "update_notebooks": "navigation",
    "validate": "validation",
    "lms_gradebook": "lms", "read_lms_map": "lms",
    "qti_package": "qti",
}

__all__ = sorted(_NAMES)


def __getattr__(name: str) -> Any:
    if name not in _NAMES:
        raise AttributeError(f"module 'rolelib.instructor' has no attribute {name!r}")
    return getattr(importlib.import_module(f"rolelib.instructor.{_NAMES[name]}"), name)
