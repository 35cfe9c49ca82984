"""The learner's progress: every attempt at an exercise, kept in a small SQLite file.

Answers survive kernel restarts, several notebooks (kernels) can record at once, and a
damaged or unwritable store never breaks an exercise: it is replaced or kept in memory,
with one clear warning. Learners export their progress to a JSON or CSV file to hand in;
instructors read such files back with :func:`read_export`.

- :mod:`rolelib.progress.store`: the store (:class:`ProgressStore`, :class:`Attempt`, the
  kernel's :func:`store`), built on :mod:`rolelib.progress._sqlite` (the file, its private
  modes, locks, retries and recovery);
- :mod:`rolelib.progress.summary`: progress as tables (pandas);
- :mod:`rolelib.progress.export`: the export format, its one writer and its one reader.

>>> progress = ProgressStore(":memory:")
>>> progress.record(Attempt("certs-1", "04_certifications", "certifications", "single",
...                         answer="CISSP", correct=True, score=1.0, hints_used=0))
>>> progress.last_attempt("certs-1").answer
'CISSP'
"""

from rolelib.progress.export import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    Export,
    ExportError,
    export_progress,
    parse_export,
    read_export,
    write_export,
)
from rolelib.progress.store import ENV_VAR, Attempt, ProgressStore, ProgressWarning, on_record, store
from rolelib.progress.summary import progress_summary

__all__ = ["ENV_VAR", "EXPORT_FORMAT", "EXPORT_VERSION", "Attempt", "Export", "ExportError", "ProgressStore",
           "ProgressWarning", "export_progress", "on_record", "parse_export", "progress_summary", "read_export",
           "store", "write_export"]
