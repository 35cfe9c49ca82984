"""Course-level displays: course map, environment check, fact tables and the export panel."""

from __future__ import annotations

import errno
import html
import json
import re
from pathlib import Path

import pytest

import rolelib
from rolelib.course import FactTable, check_environment, compare_table, course_map, export_widget, facts_table
from rolelib.lessons import LESSONS
from rolelib.progress import Attempt, export_progress, store
from rolelib.progress.export import export_filename
from tests.helpers import live_widgets


def test_course_map_lists_every_lesson_with_link_and_time():
    page = course_map()._repr_html_()
    for item in LESSONS:
        assert f'href="{item.filename}"' in page
        assert f"{item.minutes} min" in page
    assert f"{sum(item.minutes for item in LESSONS)} min" in page


def test_environment_check_says_all_is_well_and_offers_a_widget_probe():
    report = check_environment()
    bundle = report._repr_mimebundle_()
    assert report.ok
    assert "All is well" in bundle["text/plain"]
    assert "application/vnd.jupyter.widget-view+json" in bundle
    # Where no widget can render, the front end shows the HTML version, which says so plainly.
    assert "widgets are not showing here" in bundle["text/html"]


def test_environment_check_reports_broken_data_without_a_traceback(monkeypatch, data_copy):
    (data_copy / "roles.csv").write_text("role_id\n", encoding="utf-8")
    monkeypatch.setattr(rolelib.data, "default_data_dir", lambda: data_copy)
    report = check_environment()
    assert not report.ok
    assert "✗ Course data" in repr(report)
    assert "Traceback" not in repr(report)


def test_environment_check_probes_widgets_when_something_else_fails(monkeypatch, data_copy):
    """Broken data is no reason to tell a learner in JupyterLab that widgets are not showing:
    the probe is still offered, and it carries the verdict."""
    (data_copy / "roles.csv").write_text("role_id\n", encoding="utf-8")
    monkeypatch.setattr(rolelib.data, "default_data_dir", lambda: data_copy)
    bundle = check_environment()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    probe = live_widgets()[bundle["application/vnd.jupyter.widget-view+json"]["model_id"]]
    assert "Interactive widgets work here" in probe.value and "Something needs fixing" in probe.value


def test_fact_tables_escape_text():
    table = FactTable(("Role", "Fact"), (("CIO", "<script>alert('x')</script>"),))
    assert "<script>" not in table._repr_html_()
    assert "&lt;script&gt;" in table._repr_html_()


def test_facts_and_comparisons_show_whole_sentences():
    facts = facts_table("roles", roles=["CSO"])
    assert len(facts.rows) == 2  # the definition and the note that a CSO is not a CISO
    assert any("physical" in row[1] for row in facts.rows)
    table = compare_table("CIO", "CISO", "reporting")
    assert table.columns == ("CIO", "CISO")
    assert "CEO" in table.rows[0][0]
    assert table.caption == "Reporting structure: CIO and CISO side by side"


def test_fact_tables_take_the_data_as_every_public_function_does(data_copy):
    import pytest

    from rolelib import UnknownNameError
    from tests.helpers import add_chief_data_officer

    add_chief_data_officer(data_copy)
    table = compare_table("CDO", "CIO", "responsibilities", data=data_copy)
    assert table.rows[0][0] == "Decides who may use which data."
    assert facts_table("focus", roles=["CDO"], data=rolelib.load(data_copy)).rows[0][1] == "Turns data into value."
    with pytest.warns(DeprecationWarning, match="data="):
        assert facts_table("focus", roles=["CDO"], data_dir=data_copy).rows[0][1] == "Turns data into value."
    with pytest.warns(DeprecationWarning, match="difference="):
        assert compare_table("CIO", "CISO", dimension="focus").columns == ("CIO", "CISO")
    with pytest.raises(UnknownNameError, match="the differences are"):
        facts_table("salary")


def test_export_panel_saves_a_file_named_after_the_learner(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ROLELIB_HANDIN", raising=False)
    store().record(Attempt("focus-1", "01_focus", "focus", "single", "Innovation", True, 1.0, 0))
    panel = export_widget()
    panel.name.value = "  Ada Lovelace "
    panel.button.click()
    (saved,) = tmp_path.glob("progress-ada-lovelace-*.json")
    assert panel.status.value == (f"✓ Saved as <code>{saved.name}</code> next to this notebook. "
                                  "Hand this file in as your instructor asks.")
    content = json.loads(saved.read_text(encoding="utf-8"))
    assert content["learner"] == "Ada Lovelace"
    assert [a["question_id"] for a in content["attempts"]] == ["focus-1"]


def test_export_panel_saves_into_the_hand_in_folder_and_says_where(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ROLELIB_HANDIN", str(tmp_path / "hand-in" / "ada"))
    panel = export_widget()
    panel.name.value = "Ada <b>Lovelace</b>"
    panel.format.value = ".csv"
    panel.button.click()
    (saved,) = (tmp_path / "hand-in" / "ada").glob("progress-ada-b-lovelace-b-*.csv")
    assert panel.status.value == (f"✓ Saved as <code>{saved.name}</code> in the hand-in folder "
                                  f"<code>{tmp_path / 'hand-in' / 'ada'}</code>, where your instructor collects it.")
    assert not list(tmp_path.glob("*.csv")), "nothing is left next to the notebook"


def test_export_panel_never_overwrites_another_learner_s_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ROLELIB_HANDIN", raising=False)
    panel = export_widget()
    names = ["a/b", "a\x00b", "\U0001F600", "...", "Ada", "ada", "é" * 200]  # 400 bytes: too long for a file name
    for name in names:
        panel.name.value = name
        panel.button.click()
        assert panel.status.value.startswith("✓ Saved as"), panel.status.value
    files = sorted(tmp_path.glob("progress-*.json"))
    assert len(files) == len(names), "a file per name: none replaced another"
    assert {json.loads(path.read_text(encoding="utf-8"))["learner"] for path in files} == {
        name.strip() for name in names}
    assert all(len(path.name.encode()) <= 80 for path in files)


def test_export_panel_says_plainly_when_the_hand_in_folder_cannot_be_made(tmp_path, monkeypatch):
    (tmp_path / "taken").write_text("a file", encoding="utf-8")
    monkeypatch.setenv("ROLELIB_HANDIN", str(tmp_path / "taken"))
    panel = export_widget()
    panel.name.value = "Ada"
    panel.button.click()
    assert panel.status.value.startswith(f"✗ Could not save {export_filename('Ada')} in {tmp_path / 'taken'}")


@pytest.mark.parametrize(("code", "reason"), [(errno.EACCES, "Permission denied"), (errno.ENOSPC, "No space left")])
def test_export_panel_names_the_file_and_what_to_do_when_the_folder_is_read_only_or_full(tmp_path, monkeypatch,
                                                                                         code, reason):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ROLELIB_HANDIN", raising=False)

    def refuse(path, *args, **kwargs):
        raise OSError(code, reason, str(path))

    monkeypatch.setattr(Path, "write_text", refuse)
    panel = export_widget()
    panel.name.value = "Ada"
    panel.button.click()
    status = html.unescape(panel.status.value)
    assert status.startswith(f"✗ Could not save {export_filename('Ada')} in {tmp_path} ({reason})")
    assert ".partial" not in status and "ROLELIB_HANDIN" in status and "press Export again" in status
    assert not list(tmp_path.iterdir()), "nothing half-written is left behind"
    with pytest.raises(OSError, match=re.escape(str(tmp_path / "ada.json"))):
        export_progress(tmp_path / "ada.json", "Ada")


def test_score_panel_redraws_when_an_answer_is_checked():
    from rolelib import exercise, testing
    from rolelib.course import show_score

    panel = show_score()
    assert "No answers recorded yet" in panel.image.alt
    ex = exercise("focus-1")
    testing.answer(ex, testing.correct_answer(ex))
    testing.check(ex)
    assert "Focus of the position 100% (1 of 1 correct)" in panel.image.alt
    assert panel.image.alt in panel.figure.value  # the widget the learner sees was redrawn too


def test_a_score_panel_for_other_course_data_redraws_from_that_data(data_copy):
    from rolelib import exercise, testing
    from rolelib.course import show_score

    dimensions = data_copy / "dimensions.csv"
    renamed = dimensions.read_text(encoding="utf-8").replace("Focus of the position", "What each role aims at")
    dimensions.write_text(renamed, encoding="utf-8")
    panel = show_score(data=data_copy)
    ex = exercise("focus-1", data=data_copy)
    testing.answer(ex, testing.correct_answer(ex))
    testing.check(ex)
    assert "What each role aims at 100% (1 of 1 correct)" in panel.image.alt


def test_a_failing_score_display_never_stops_an_exercise():
    import gc
    import warnings

    import pytest

    from rolelib import exercise, testing
    from rolelib.course import ScorePanel
    from rolelib.progress import ProgressWarning

    panel = ScorePanel()
    panel.refresh = lambda: 1 / 0
    ex = exercise("focus-1")
    testing.answer(ex, testing.correct_answer(ex))
    with pytest.warns(ProgressWarning, match="could not update"):
        assert "Correct" in testing.check(ex)
    del panel
    gc.collect()
    testing.retry(ex)
    testing.answer(ex, testing.correct_answer(ex))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        testing.check(ex)
    assert not [w for w in caught if issubclass(w.category, ProgressWarning)], "a discarded panel is not called"


def test_an_unknown_lesson_is_named_with_the_lessons_there_are():
    import pytest

    from rolelib import UnknownNameError
    from rolelib.lessons import lesson

    with pytest.raises(UnknownNameError, match="no lesson '01_focs'; the lessons are: 00_start_here, 01_focus") as caught:
        lesson("01_focs")
    assert "did you mean '01_focus'" in str(caught.value)
