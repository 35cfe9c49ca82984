"""The exercise a learner sees: their own version and order, restored, recorded, kept after an edit of the bank."""

from __future__ import annotations

import json
import warnings

import pytest

import rolelib
from rolelib import UnknownNameError, progress
from rolelib.exercises import Exercise, answer_key, instructor_mode
from rolelib.modes import course_settings
from rolelib.questions import load_banks
from rolelib.versions import version_for
from rolelib.testing import answer, check, correct_answer, feedback, hint, items
from tests.helpers import CLASS, edit_bank, restart_store, widget_states


def _account_seeing(entry, wanted):
    """An account of the class that sees the version ``wanted`` of ``entry``, shuffled."""
    return next(account for account in CLASS if version_for(entry, account).id == wanted
                and version_for(entry, account).order_keys() != load_versions_of(entry)[wanted].order_keys())


def load_versions_of(entry):
    return {version.id: version for version in (entry, *entry.variants)}


def test_an_exercise_shows_the_learner_their_version_and_records_it(variants, monkeypatch):
    entry = load_banks(variants)["v-single"]
    account = _account_seeing(entry, "v-single-b")
    monkeypatch.setenv("JUPYTERHUB_USER", account)
    ex = rolelib.exercise("v-single", data=variants)
    assert ex.question.id == "v-single-b" and "Who protects the organisation's data?" in ex.widget.children[0].value
    assert ex.static_text().startswith("Question v-single ·"), "the learner sees the slot, not the version's id"
    assert list(ex.inputs[0].options) == list(version_for(entry, account).options)
    answer(ex, "The CISO")
    assert check(ex).startswith("✓ Correct.")
    last = progress.store().last_attempt("v-single")
    assert (last.question_id, last.variant, last.order) == ("v-single", "v-single-b", tuple(ex.inputs[0].options))


def test_without_an_account_the_exercise_is_the_bank_entry_in_bank_order(variants):
    entry = load_banks(variants)["v-match"]
    ex = rolelib.exercise("v-match", data=variants)
    assert ex.question is entry and items(ex) == [item.text for item in entry.items]
    answer(ex, correct_answer(ex))
    check(ex)
    last = progress.store().last_attempt("v-match")
    assert (last.variant, last.order) == ("v-match", ())


@pytest.mark.parametrize("where", ["file", "variable"])
def test_the_instructor_can_show_every_learner_the_bank_versions(variants, monkeypatch, tmp_path, where):
    monkeypatch.setenv("JUPYTERHUB_USER", _account_seeing(load_banks(variants)["v-single"], "v-single-b"))
    monkeypatch.chdir(tmp_path)
    if where == "file":
        (tmp_path / "course_settings.yaml").write_text("versions: bank\n", encoding="utf-8")
    else:
        (tmp_path / "course_settings.yaml").write_text("versions: per-learner\n", encoding="utf-8")
        monkeypatch.setenv("ROLELIB_VERSIONS", "bank")  # the variable wins over the file
    assert course_settings().versions == "bank"
    ex = rolelib.exercise("v-single", data=variants)
    assert ex.question is load_banks(variants)["v-single"] and ex.order == ()


def test_an_unknown_versions_setting_names_the_valid_ones(monkeypatch):
    monkeypatch.setenv("ROLELIB_VERSIONS", "shuffled")
    with pytest.raises(UnknownNameError, match="per-learner, bank"):
        course_settings()


@pytest.mark.parametrize("slot", ["v-single", "v-multiple", "v-classify", "v-match", "v-reflect"])
def test_a_restart_restores_the_answer_in_the_same_version_and_order(variants, monkeypatch, slot):
    entry = load_banks(variants)[slot]
    account = next(account for account in CLASS if version_for(entry, account).id != slot)
    monkeypatch.setenv("JUPYTERHUB_USER", account)
    first = rolelib.exercise(slot, data=variants)
    answer(first, correct_answer(first))
    check(first)
    store_file = progress.store().path
    monkeypatch.setenv("ROLELIB_PROGRESS", ":memory:")
    progress.store()
    monkeypatch.setenv("ROLELIB_PROGRESS", str(store_file))  # a new store on the same file, as after a restart
    again = rolelib.exercise(slot, data=variants)
    assert again.question == first.question and items(again) == items(first)
    assert again.value == first.value and again.check_button.disabled
    assert "your last answer" in feedback(again)


def test_an_answer_to_a_version_the_bank_no_longer_has_is_not_restored_and_a_note_says_so(variants, monkeypatch):
    entry = load_banks(variants)["v-single"]
    monkeypatch.setenv("JUPYTERHUB_USER", _account_seeing(entry, "v-single-b"))
    first = rolelib.exercise("v-single", data=variants)
    answer(first, "The CISO")
    check(first)
    edit_bank(variants, lambda questions: questions["v-single"]["variants"].pop(0))  # the instructor drops -b
    restart_store(monkeypatch)
    again = rolelib.exercise("v-single", data=variants)
    assert again.question.id != "v-single-b" and again.value is None and not again.check_button.disabled
    assert "another version of this question" in feedback(again)


def test_the_hints_of_a_variant_count_by_the_variant_in_the_learners_summary_too(variants, monkeypatch):
    edit_bank(variants, lambda questions: questions["v-single"]["variants"][0].update(hints=["One.", "Two."]))
    entry = load_banks(variants)["v-single"]
    assert (entry.variants[0].id, len(entry.variants[0].hints), len(entry.hints)) == ("v-single-b", 2, 1)
    monkeypatch.setenv("JUPYTERHUB_USER", _account_seeing(entry, "v-single-b"))
    ex = rolelib.exercise("v-single", data=variants)
    hint(ex)
    hint(ex)
    answer(ex, "The CISO")
    check(ex)
    assert ex.result.points == 80
    assert rolelib.progress_summary(data=variants).set_index("lesson").loc["01_focus", "score"] == 0.8


def _add_variant(questions):
    questions["v-single"]["variants"].append({"id": "v-single-d", "prompt": "Who drives growth with IT?"})


@pytest.mark.parametrize("between", ["a variant added", "the variants reordered", "versions: bank until now"])
def test_an_answered_question_keeps_the_version_and_order_answered(variants, monkeypatch, between):
    entry = load_banks(variants)["v-single"]
    account = _account_seeing(entry, "v-single-b")
    monkeypatch.setenv("JUPYTERHUB_USER", account)
    if between == "versions: bank until now":  # or a store written before versions, or a laptop before the hub
        monkeypatch.setenv("ROLELIB_VERSIONS", "bank")
    first = rolelib.exercise("v-single", data=variants)
    answer(first, correct_answer(first))
    check(first)
    monkeypatch.delenv("ROLELIB_VERSIONS", raising=False)
    if between == "a variant added":
        edit_bank(variants, _add_variant)
    elif between == "the variants reordered":
        edit_bank(variants, lambda questions: questions["v-single"]["variants"].reverse())
    assert version_for(load_banks(variants)["v-single"], account).id != first.question.id, "the draw moved"
    restart_store(monkeypatch)
    again = rolelib.exercise("v-single", data=variants)
    assert again.question == first.question, "the same version, its options in the same order"
    assert again.value == first.value and feedback(again).startswith("✓ Correct.")
    check(again)  # checked again: recorded as the same version, in the same order
    last = progress.store().last_attempt("v-single")
    assert (last.variant, last.order) == (first.question.id, first.order)


def _answered_as_v_single_b(variants, monkeypatch, mode: str) -> None:
    """A learner shown the variant v-single-b answers "The CISO" and checks it, in ``mode``; in exam mode they submit."""
    monkeypatch.setenv("ROLELIB_MODE", mode)
    monkeypatch.setenv("JUPYTERHUB_USER", _account_seeing(load_banks(variants)["v-single"], "v-single-b"))
    first = rolelib.exercise("v-single", data=variants)
    answer(first, "The CISO")
    check(first)
    if mode == "exam":
        rolelib.modes.submit()


def test_a_submitted_exam_answer_stays_shown_after_a_variant_is_added(variants, monkeypatch):
    _answered_as_v_single_b(variants, monkeypatch, "exam")
    edit_bank(variants, _add_variant)
    restart_store(monkeypatch)
    again = rolelib.exercise("v-single", data=variants)
    assert again.value == "The CISO" and again.check_button.disabled
    assert "Not answered" not in feedback(again) and feedback(again).startswith("✓ Correct.")


def _rename_option(questions):
    """The instructor rewrites the option "The CISO" of v-single and its variants."""
    entry = questions["v-single"]
    entry["options"] = [option.replace("The CISO", "The CISO (security)") for option in entry["options"]]
    entry["feedback"]["The CISO (security)"] = entry["feedback"].pop("The CISO")
    entry["variants"][0]["answer"] = "The CISO (security)"
    entry["variants"][1]["options"] = ["The CIO", "The CISO (security)", "The CSO"]
    entry["variants"][1]["feedback"] = {"The CISO (security)": "The CISO protects information, not buildings."}


@pytest.mark.parametrize("mode", ["practice", "exam"])
def test_an_answer_the_edited_bank_no_longer_takes_is_not_called_unanswered(variants, monkeypatch, mode):
    from rolelib._markup import html_to_text

    _answered_as_v_single_b(variants, monkeypatch, mode)
    edit_bank(variants, _rename_option)
    restart_store(monkeypatch)
    again = rolelib.exercise("v-single", data=variants)
    assert again.value is None and again.check_button.disabled == (mode == "exam")
    assert "changed since you answered" in feedback(again) and "Not answered" not in feedback(again)
    if mode == "exam":
        monkeypatch.setattr("rolelib.questions.load_banks", lambda data=None, _load=load_banks: _load(variants))
        results = html_to_text(rolelib.submit_panel().status.value)
        assert "Question v-single\nYour saved answer no longer fits" in results


def test_an_answer_whose_recorded_order_the_edited_bank_no_longer_has_scores_alike_in_every_place(variants, monkeypatch):
    """An option added to the version answered: the order the learner saw is gone. The summary, the Submit panel and
    the class report no longer grade the answer; the exercise does not show it graded either."""
    from rolelib._markup import html_to_text

    _answered_as_v_single_b(variants, monkeypatch, "exam")
    edit_bank(variants, lambda questions: questions["v-single"]["options"].append("The CDO"))
    restart_store(monkeypatch)
    again = rolelib.exercise("v-single", data=variants)
    assert again.result is None and "Correct" not in feedback(again)
    assert "changed since you answered" in feedback(again) and again.check_button.disabled
    monkeypatch.setattr("rolelib.questions.load_banks", lambda data=None, _load=load_banks: _load(variants))
    assert "Question v-single\nYour saved answer no longer fits" in html_to_text(rolelib.submit_panel().status.value)


@pytest.mark.parametrize("account, kept", [
    ("a" * 255, "a" * 255),  # as long as a JupyterHub user name may be
    ("Zoë Ünïcødé 学生", "Zoë Ünïcødé 学生"),
    ("  ada lovelace ", "ada lovelace"),
    ("ada\udcff", None),  # bytes that are not UTF-8 text: no account the course can keep
])
def test_any_hub_account_answers_and_hands_in_a_file_the_report_reads(variants, monkeypatch, tmp_path, account, kept):
    from rolelib.instructor.report import class_report
    from rolelib.progress.export import parse_export

    monkeypatch.setenv("JUPYTERHUB_USER", account)
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        ex = rolelib.exercise("v-single", data=variants)
        answer(ex, correct_answer(ex))
        assert check(ex).startswith("✓ Correct.")
        for name in ("ada.json", "ada.csv"):
            folder = tmp_path / name.replace(".", "-")
            folder.mkdir()
            saved = progress.export_progress(folder / name, "Ada")
            assert parse_export(saved).account == kept
            report = class_report(folder, data=variants)
            assert report.learners["correct"].tolist() == [1] and report.skipped.empty
    assert any("JUPYTERHUB_USER" in str(warning.message) for warning in warned) == (kept is None)


def test_instructor_mode_names_the_version_shown(variants, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", _account_seeing(load_banks(variants)["v-single"], "v-single-c"))
    assert "version v-single-c" not in rolelib.exercise("v-single", data=variants).widget.children[0].value
    instructor_mode(True)
    try:
        assert "version v-single-c" in rolelib.exercise("v-single", data=variants).widget.children[0].value
    finally:
        instructor_mode(None)


def test_the_answer_key_has_a_row_per_version(variants):
    instructor_mode(True)
    try:
        key = answer_key("01_focus", data=variants)
    finally:
        instructor_mode(None)
    rows = key[key["question_id"] == "v-single"]
    assert rows["version"].tolist() == ["v-single", "v-single-b", "v-single-c"]
    assert rows["answer"].tolist() == ["The CIO", "The CISO", "The CSO"]
    assert key[key["version"] == "v-match-b"]["answer"].item() == ("Business growth → CIO; Compliance → CISO; "
                                                                   "Personnel security → CSO")


def test_in_exam_mode_no_answer_of_any_version_reaches_the_widgets(variants, monkeypatch):
    monkeypatch.setenv("ROLELIB_MODE", "exam")
    data = rolelib.load(variants)
    for entry in load_banks(variants).values():
        if not entry.graded:
            continue
        secrets = [text for version in (entry, *entry.variants)
                   for text in (version.explanation, *version.feedback.values())]
        for account in CLASS[:8]:
            monkeypatch.setenv("JUPYTERHUB_USER", account)
            shown = Exercise(entry, data=data)
            answer(shown, correct_answer(shown))
            check(shown)
            states = json.dumps(widget_states(shown.widget), default=str)
            bundle = shown._repr_mimebundle_()
            for secret in secrets:
                assert secret not in states and secret not in bundle["text/html"], (entry.id, account, secret)
            assert "rolelib-correct" not in states and "Score" not in states, (entry.id, account)


def test_the_submit_panel_grades_the_version_the_learner_answered(variants, monkeypatch):
    monkeypatch.setenv("ROLELIB_MODE", "exam")
    monkeypatch.setenv("JUPYTERHUB_USER", _account_seeing(load_banks(variants)["v-single"], "v-single-b"))
    ex = rolelib.exercise("v-single", data=variants)
    answer(ex, "The CISO")  # right for v-single-b, wrong for the entry
    check(ex)
    panel = rolelib.submit_panel(data=variants)  # the class's own copy of the data grades, as everywhere
    assert "You have answered 1 of the" in panel.status.value
    panel.submit()
    assert "The CISO protects data." in panel.status.value  # the explanation of a right answer to v-single-b
    assert "Your score: " in panel.status.value and "Your score: 0 of" not in panel.status.value
    assert "Focus of the position 100% (1 of 1 correct)" in rolelib.show_score(data=variants).image.alt
