"""The measurements behind the course's performance targets, one module per section.

Each ``measure_*`` function returns a list of :class:`Result` rows. Comparisons are measured
side by side: within every run (round) each variant is measured once, in the same order, so
that a change in the machine's load touches every variant alike.
"""

from benchmarks.measures.charts import measure_charts
from benchmarks.measures.checks import measure_checks
from benchmarks.measures.common import REPO, Result, compile_rolelib, ms, scratch_folder
from benchmarks.measures.imports import measure_import
from benchmarks.measures.load import measure_cold_load, measure_scaled_load
from benchmarks.measures.notebooks import measure_notebooks
from benchmarks.measures.report import measure_report, measure_report_bounds, measure_report_scale
from benchmarks.measures.suite import OLDEST, measure_suite, suite_from_seconds

__all__ = ["OLDEST", "REPO", "Result", "compile_rolelib", "measure_charts", "measure_checks", "measure_cold_load",
           "measure_import", "measure_notebooks", "measure_report", "measure_report_bounds", "measure_report_scale",
           "measure_scaled_load", "measure_suite", "ms", "scratch_folder", "suite_from_seconds"]
