"""Old home of the generated navigation cells: use :mod:`rolelib.instructor.navigation`. This name works for one more release."""

import warnings

from rolelib.instructor.navigation import (  # noqa: F401
    MAP_LINK,
    generated_text,
    navigation_markdown,
    source_markdown,
    update_notebooks,
)

warnings.warn("rolelib.navigation has moved: use rolelib.instructor.navigation; the old name goes in the next "
              "release", DeprecationWarning, stacklevel=2)
