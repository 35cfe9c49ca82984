"""What a lesson shows about the course itself: the course map, the environment check, fact
tables, and the learner's panels (export, score and exam submission).

``coursemap`` (the lessons in order), ``environment`` (what works here), ``facts`` (the data's
statements as tables, and the glossary), ``panels`` (export, score, submit). Each display is returned, never displayed
by the function itself: a cell that ends with it shows it.
"""

from __future__ import annotations

from rolelib.course.coursemap import CourseMap, course_map
from rolelib.course.environment import EnvironmentReport, check_environment
from rolelib.course.facts import FactTable, compare_table, facts_table, glossary
from rolelib.course.panels import ExportPanel, ScorePanel, SubmitPanel, export_widget, show_score, submit_panel

__all__ = ["CourseMap", "course_map", "EnvironmentReport", "check_environment", "FactTable", "facts_table",
           "compare_table", "glossary", "ExportPanel", "export_widget", "ScorePanel", "show_score",
           "SubmitPanel", "submit_panel"]
