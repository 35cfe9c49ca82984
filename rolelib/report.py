"""Old home of the class report: use :mod:`rolelib.instructor.report` (and
:mod:`rolelib.instructor.samples` for the sample exports). This name works for one more release."""

import warnings

from rolelib.instructor.report import GRADEBOOK_COLUMNS, ClassReport, class_report  # noqa: F401
from rolelib.instructor.samples import make_sample_exports  # noqa: F401

warnings.warn("rolelib.report has moved: use rolelib.instructor.report (and rolelib.instructor.samples for "
              "make_sample_exports); the old name goes in the next release", DeprecationWarning, stacklevel=2)
