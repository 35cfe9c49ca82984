"""Old home of the instructor guide's sections: use :mod:`rolelib.instructor.guide`. This name works for one more release."""

import warnings

from rolelib.instructor.guide import (  # noqa: F401
    NOT_WRITTEN,
    LessonNotes,
    answer_keys,
    discussion_prompts,
    misconceptions,
    objectives,
)

warnings.warn("rolelib.guide has moved: use rolelib.instructor.guide; the old name goes in the next release",
              DeprecationWarning, stacklevel=2)
