"""Type names shared across rolelib, kept free of heavy imports."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from rolelib.data import CourseData

PathLike = Union[str, "os.PathLike[str]"]
"""A file or folder given as text or as a path object."""

DataSource = Union["CourseData", str, "os.PathLike[str]", None]
"""What every public function that needs the course data takes as ``data``: a loaded
:class:`~rolelib.data.CourseData`, a folder holding a copy of data/, or None for the
course's own data. :func:`rolelib.data.course_data` turns any of them into a CourseData."""
