"""Helpers the tests share (import them from here; conftest.py holds only fixtures).

Its parts: ``files`` (the data folder, the banks and the notebooks as tests edit them), ``display``
(what the course shows, read back), ``progress`` (stores and hand-in exports) and ``processes``.
"""

from tests.helpers.display import (
    CHARTS,
    CSO_OPTION,
    bar_labels,
    by_gid,
    char_counter,
    draw_chart,
    live_widgets,
    normalised_states,
    other_answer,
    texts_of,
    typeset_texts,
    widget_states,
)
from tests.helpers.files import (
    DATA,
    NOTEBOOKS,
    REPO,
    TRUE_FALSE_ENTRY,
    add_chief_data_officer,
    append_rows,
    cell_edit,
    copy_data,
    csv_rows,
    edit_bank,
    lesson_notebook,
    rolelib_calls,
    set_cell,
    variant_data,
    write_csv_rows,
)
from tests.helpers.processes import free_port, stop_process
from tests.helpers.progress import (
    CLASS,
    COLUMNS,
    VERSION_1_TABLE,
    attempt,
    attempt_at,
    attempt_count,
    course_banks,
    course_export,
    hand_in,
    latest,
    legacy_store,
    mode,
    no_progress_warning,
    restart_store,
    rows_in,
)

__all__ = [
    "CHARTS", "CLASS", "COLUMNS", "CSO_OPTION", "DATA", "NOTEBOOKS", "REPO", "TRUE_FALSE_ENTRY", "VERSION_1_TABLE",
    "add_chief_data_officer", "append_rows", "attempt", "attempt_at", "attempt_count", "bar_labels", "by_gid",
    "cell_edit", "char_counter", "copy_data", "course_banks", "course_export", "csv_rows", "draw_chart",
    "edit_bank", "free_port", "hand_in", "latest", "legacy_store", "lesson_notebook", "live_widgets", "mode",
    "no_progress_warning", "normalised_states", "other_answer", "restart_store", "rolelib_calls", "rows_in",
    "set_cell", "stop_process", "texts_of", "typeset_texts", "variant_data", "widget_states", "write_csv_rows",
]
