"""Versions of a question: variants in the banks, and the version and order each learner sees."""

from __future__ import annotations

import json
import warnings

import pytest
import yaml

import rolelib
from rolelib import DataError, UnknownNameError, progress
from rolelib.exercises import Exercise, answer_key, instructor_mode
from rolelib.modes import course_settings
from rolelib.questions import bank_problems, load_banks, load_versions
from rolelib.versions import version_for
from rolelib.testing import answer, check, correct_answer, feedback, hint, items
from tests.helpers import restart_store, variant_data, widget_states

CLASS = [f"learner{number:02d}" for number in range(30)]


@pytest.fixture
def variants(tmp_path):
    return variant_data(tmp_path)


def _edit_bank(folder, change):
    path = folder / "questions" / "01_focus.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    change({question["id"]: question for question in document["questions"]})
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")


# --- the bank format ---------------------------------------------------------------------

def test_entries_keep_their_ids_and_carry_their_variants_for_every_kind(variants):
    banks = load_banks(variants)
    assert "v-single-b" not in banks
    carried = {question.kind: [v.id for v in question.variants] for question in banks.values()
               if question.variants and question.lesson == "01_focus"}
    assert carried == {"single": ["v-single-b", "v-single-c"], "multiple": ["v-multiple-b"],
                       "classify": ["v-classify-b"], "match": ["v-match-b"], "reflect": ["v-reflect-b"]}
    for entry in banks.values():
        assert entry.slot == entry.id
        for variant in entry.variants:
            assert (variant.slot, variant.kind, variant.topic, variant.level, variant.variants) == (
                entry.id, entry.kind, entry.topic, entry.level, ())


def test_a_variant_takes_what_it_does_not_give_from_its_entry(variants):
    versions = load_versions(variants)
    entry, variant, other = versions["v-single"], versions["v-single-b"], versions["v-single-c"]
    assert variant.options == entry.options and variant.hints == entry.hints == ("Think of growth.",)
    assert (variant.prompt, variant.answer) == ("Who protects the organisation's data?", "The CISO")
    assert other.options == ("The CIO", "The CISO", "The CSO")
    assert versions["v-classify-b"].options == ("CIO", "CSO")
    assert {item.key[:5] for item in versions["v-classify-b"].items} == {"R-CIO", "R-CSO"}
    assert versions["v-match-b"].answer["Compliance"] == ("CISO",)
    assert {version for version in load_versions(variants) if version.startswith("v-")} == {
        "v-single", "v-single-b", "v-single-c", "v-multiple", "v-multiple-b", "v-classify", "v-classify-b", "v-match",
        "v-match-b", "v-reflect", "v-reflect-b"}
    assert set(load_banks(variants)) <= set(load_versions(variants))


@pytest.mark.parametrize("field, value", [("kind", "multiple"), ("topic", "roles"), ("level", "analyse")])
def test_a_variant_may_not_change_kind_topic_or_level(variants, field, value):
    _edit_bank(variants, lambda questions: questions["v-single"]["variants"][0].update({field: value}))
    problems = bank_problems(variants)
    assert [(p.row, p.column) for p in problems] == [("v-single-b", field)]
    assert "same slot as v-single" in problems[0].expected and "same kind, topic and level" in problems[0].expected
    with pytest.raises(DataError, match="v-single-b"):
        load_banks(variants)


def test_each_variant_is_checked_as_a_full_question_named_by_its_id(variants):
    def change(questions):
        questions["v-single"]["variants"][1]["answer"] = "The CEO"  # not among the variant's own options
        questions["v-match"]["variants"][0]["pairs"]["Compliance"] = "CFO"
        questions["v-multiple"]["variants"][0]["id"] = "v-single"  # the id of another question
        questions["v-reflect"]["variants"].append({"prompt": "No id."})
    _edit_bank(variants, change)
    found = {(p.row, p.column) for p in bank_problems(variants)}
    assert found == {("v-single-c", "answer"), ("v-match-b", "pairs"), ("v-single", "id"),
                     ("v-reflect, variant 2", "variants")}


def test_a_problem_of_the_entry_is_not_repeated_for_each_variant(variants):
    _edit_bank(variants, lambda questions: questions["v-single"].pop("explanation"))
    problems = bank_problems(variants)
    # v-single-c gives its own explanation; v-single-b takes it from the entry, so the entry's problem is enough.
    assert [(p.row, p.column) for p in problems] == [("v-single", "explanation")]


def test_variants_must_be_a_list_of_mappings(variants):
    _edit_bank(variants, lambda questions: questions["v-single"].update(variants="v-single-b"))
    problems = bank_problems(variants)
    assert [(p.row, p.column) for p in problems] == [("v-single", "variants")]
    assert "a list of variants" in problems[0].expected


# --- the version a learner sees ------------------------------------------------------------

def test_no_identity_sees_the_bank_entry_in_bank_order(variants):
    for entry in load_banks(variants).values():
        assert version_for(entry, None) is entry
        assert version_for(entry, "") is entry


def test_a_learner_sees_the_same_version_and_order_every_time(variants):
    for entry in load_banks(variants).values():
        first = version_for(entry, "ada")
        assert version_for(entry, "ada") == first
        assert sorted(first.order_keys()) == sorted(load_versions(variants)[first.id].order_keys())


def test_neighbours_see_different_versions_and_orders(variants):
    banks = load_banks(variants)
    for slot in ("v-single", "v-multiple", "v-classify", "v-match", "v-reflect"):
        shown = [version_for(banks[slot], account) for account in CLASS]
        assert {version.id for version in shown} == {banks[slot].id, *(v.id for v in banks[slot].variants)}, slot
        if banks[slot].graded:
            orders = [version.order_keys() for version in shown]
            assert len(set(orders)) >= 10, (slot, orders)
            neighbours_alike = sum(a == b for a, b in zip(orders, orders[1:]))
            assert neighbours_alike <= 5, slot


def test_a_reflection_has_no_order(variants):
    entry = load_banks(variants)["v-reflect"]
    assert entry.order_keys() == () and version_for(entry, "ada").order_keys() == ()


@pytest.mark.parametrize("slot", ["v-single", "v-multiple", "v-classify", "v-match"])
def test_a_shuffled_version_grades_as_the_bank_version(variants, slot):
    versions = load_versions(variants)
    for account in CLASS[:6]:
        shown = version_for(load_banks(variants)[slot], account)
        bank = versions[shown.id]
        assert shown.in_order(bank.order_keys()) == bank
        assert shown.grade(bank.correct_answer()).correct
        with pytest.raises(ValueError):
            bank.in_order(bank.order_keys()[1:])
        with pytest.raises(ValueError):  # a stored order that names a part twice would show it twice
            bank.in_order(bank.order_keys() + bank.order_keys()[:1])


# --- the exercise a learner sees -------------------------------------------------------------

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
    _edit_bank(variants, lambda questions: questions["v-single"]["variants"].pop(0))  # the instructor drops -b
    restart_store(monkeypatch)
    again = rolelib.exercise("v-single", data=variants)
    assert again.question.id != "v-single-b" and again.value is None and not again.check_button.disabled
    assert "another version of this question" in feedback(again)


def test_the_hints_of_a_variant_count_by_the_variant_in_the_learners_summary_too(variants, monkeypatch):
    _edit_bank(variants, lambda questions: questions["v-single"]["variants"][0].update(hints=["One.", "Two."]))
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
        _edit_bank(variants, _add_variant)
    elif between == "the variants reordered":
        _edit_bank(variants, lambda questions: questions["v-single"]["variants"].reverse())
    assert version_for(load_banks(variants)["v-single"], account).id != first.question.id, "the draw moved"
    restart_store(monkeypatch)
    again = rolelib.exercise("v-single", data=variants)
    assert again.question == first.question, "the same version, its options in the same order"
    assert again.value == first.value and feedback(again).startswith("✓ Correct.")
    check(again)  # checked again: recorded as the same version, in the same order
    last = progress.store().last_attempt("v-single")
    assert (last.variant, last.order) == (first.question.id, first.order)


def test_a_submitted_exam_answer_stays_shown_after_a_variant_is_added(variants, monkeypatch):
    monkeypatch.setenv("ROLELIB_MODE", "exam")
    monkeypatch.setenv("JUPYTERHUB_USER", _account_seeing(load_banks(variants)["v-single"], "v-single-b"))
    first = rolelib.exercise("v-single", data=variants)
    answer(first, "The CISO")
    check(first)
    rolelib.modes.submit()
    _edit_bank(variants, _add_variant)
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

    monkeypatch.setenv("ROLELIB_MODE", mode)
    monkeypatch.setenv("JUPYTERHUB_USER", _account_seeing(load_banks(variants)["v-single"], "v-single-b"))
    first = rolelib.exercise("v-single", data=variants)
    answer(first, "The CISO")
    check(first)
    if mode == "exam":
        rolelib.modes.submit()
    _edit_bank(variants, _rename_option)
    restart_store(monkeypatch)
    again = rolelib.exercise("v-single", data=variants)
    assert again.value is None and again.check_button.disabled == (mode == "exam")
    assert "changed since you answered" in feedback(again) and "Not answered" not in feedback(again)
    if mode == "exam":
        monkeypatch.setattr("rolelib.questions.load_banks", lambda data=None, _load=load_banks: _load(variants))
        results = html_to_text(rolelib.submit_panel().status.value)
        assert "Question v-single\nYour saved answer no longer fits" in results


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


# --- the class report ------------------------------------------------------------------------

def _handed_in(folder, learner, attempts, name=None):
    """An export as the course writes it, with attempts (question_id, answer, variant, order)."""
    from datetime import datetime, timezone

    from rolelib.progress import Attempt, write_export
    from rolelib.progress.export import new_export

    made = [Attempt(slot, "01_focus", "focus", "single", given, None, 0.0, 0, time=f"2025-03-03T09:0{n}:00+00:00",
                    attempt_number=n + 1, variant=variant, order=tuple(order))
            for n, (slot, given, variant, order) in enumerate(attempts)]
    folder.mkdir(exist_ok=True)
    return write_export(folder / (name or f"{learner}.json"), new_export(
        learner, made, account=learner.lower(), exported_at=datetime(2025, 3, 3, 12, tzinfo=timezone.utc)))


def test_the_report_grades_each_attempt_against_the_version_it_names(variants, tmp_path):
    from rolelib.instructor.report import class_report

    order = ("The CSO", "The CIO", "The CISO", "The CEO")
    _handed_in(tmp_path / "class", "Ada", [("v-single", "The CISO", "v-single-b", order)])  # right for -b
    _handed_in(tmp_path / "class", "Ben", [("v-single", "The CISO", "v-single", ())])  # wrong for the entry
    _handed_in(tmp_path / "class", "Cy", [("v-single", "The CSO", "v-single-c", ("The CSO", "The CISO", "The CIO"))])
    report = class_report(tmp_path / "class", data=variants)
    scores = dict(zip(report.learners["learner"], report.learners["correct"]))
    assert scores == {"Ada": 1, "Ben": 0, "Cy": 1}
    row = report.per_question.set_index("question_id").loc["v-single"]
    assert (row["learners"], row["correct"]) == (3, 2), "scores count per question, whichever version"
    table = report.distractors
    assert table["version"].tolist() == ["v-single", "v-single-b", "v-single-c"]
    assert table["prompt"].tolist() == ["Who drives technology innovation?", "Who protects the organisation's data?",
                                        "Who protects the buildings?"]
    assert table["right"].tolist() == [False, True, True] and set(table["percent"]) == {100.0}
    assert report.needs_a_look.empty


def test_the_distractor_chart_shows_one_version_at_a_time(variants, tmp_path):
    from rolelib.instructor.report import class_report

    _handed_in(tmp_path / "class", "Ada", [("v-single", "The CIO", "v-single-b", ())])
    _handed_in(tmp_path / "class", "Ben", [("v-single", "The CSO", "v-single", ())])
    report = class_report(tmp_path / "class", data=variants)
    assert report.distractor_chart("v-single").texts[0].get_text().startswith("v-single: Who drives")
    chart = report.distractor_chart("v-single", "v-single-b")
    assert chart.texts[0].get_text().startswith("v-single-b: Who protects the organisation's data?")
    assert report.reading("v-single", "v-single-b").startswith("100% chose \u201cThe CIO\u201d. The bank's feedback "
                                                                "for that choice: The CIO runs and develops IT.")
    with pytest.raises(UnknownNameError, match="v-single-b"):
        report.distractor_chart("v-single", "v-single-c")


@pytest.mark.parametrize("variant, order, named", [
    ("v-single-z", (), "v-single as v-single-z"),  # a version the banks do not have
    ("v-multiple-b", (), "v-single as v-multiple-b"),  # a version of another question
    ("v-single-b", ("The CIO", "The CISO"), "v-single as v-single-b"),  # not every option
    ("v-single", ("The CIO", "The CISO", "The CSO", "The CFO"), "v-single in another order"),  # an option not there
])
def test_a_tampered_version_or_order_is_listed_and_left_out_of_the_scores(variants, tmp_path, variant, order, named):
    from rolelib.instructor.report import class_report

    _handed_in(tmp_path / "class", "Ada", [("v-single", "The CISO", variant, order),
                                           ("v-multiple", ["Data protection", "Compliance"], "v-multiple", ())])
    report = class_report(tmp_path / "class", data=variants)
    assert report.learners["correct"].tolist() == [1]
    assert "v-single" not in report.per_question["question_id"].tolist()
    look = report.needs_a_look
    assert look["issue"].tolist() == ["versions not in the course"]
    assert named in look["detail"].item() and look["used"].item().endswith("Ada.json")



def test_an_answer_the_banks_no_longer_take_counts_as_wrong_and_is_listed(variants, tmp_path):
    """An option renamed in the bank after a learner chose it (or a file edited by hand): the answer is wrong, and the
    instructor is told which question, instead of a silent zero."""
    from rolelib.instructor.report import class_report

    _handed_in(tmp_path / "class", "Ada", [("v-single", "The Chief Information Officer", "v-single", ()),
                                           ("v-multiple", ["Data protection", "Compliance"], "v-multiple", ())])
    _handed_in(tmp_path / "class", "Ben", [("v-single", "The CSO", "v-single", ())])
    report = class_report(tmp_path / "class", data=variants)
    assert report.learners.set_index("learner").loc["Ada", "correct"] == 1
    assert report.per_question.set_index("question_id").loc["v-single", "learners"] == 2
    look = report.needs_a_look
    assert look["issue"].tolist() == ["answers the questions do not take"]
    assert look["learner"].item() == "Ada" and look["detail"].item().endswith("count as wrong: 'v-single'")
    assert look["used"].item().endswith("Ada.json")


def test_a_huge_order_is_refused_without_being_kept_for_later_files(variants):
    """An order of hundreds of thousands of names (a hostile file's) is refused, and the report does not keep
    it while it reads the rest of the class."""
    import tracemalloc

    from rolelib.instructor._grades import UNKNOWN_VERSION, Grades
    from rolelib.progress import Attempt

    grades = Grades(load_banks(variants))
    tracemalloc.start()
    try:
        for file in range(5):
            order = tuple(f"option {file}-{number}" for number in range(100_000))
            attempt = Attempt("v-single", "01_focus", "focus", "single", "The CIO", True, 1.0, 0, variant="v-single",
                              order=order)
            assert grades.grade(attempt) is UNKNOWN_VERSION
            del attempt, order
        kept, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert kept < 1_000_000, f"{kept:,} bytes kept after grading 5 huge orders"


# --- the sample exports ----------------------------------------------------------------------

def _sample_attempts(folder):
    from rolelib.progress.export import parse_export

    exports = [parse_export(path) for path in sorted(folder.iterdir())
               if path.suffix in (".json", ".csv") and "truncated" not in path.name]
    return exports, [attempt for export in exports for attempt in export.attempts]


def test_the_shipped_sample_exports_show_orders_of_their_own_and_both_modes():
    from rolelib.instructor.report import class_report
    from tests.helpers import NOTEBOOKS

    folder = NOTEBOOKS / "instructor" / "sample_exports"
    exports, attempts = _sample_attempts(folder)
    assert {export.mode for export in exports} == {"practice", "exam"}
    assert all(export.submitted_at for export in exports if export.mode == "exam")
    assert sum(bool(attempt.order) for attempt in attempts) > len(attempts) // 3
    if any(entry.variants for entry in load_banks().values()):
        assert any(attempt.variant != attempt.question_id for attempt in attempts)
    assert "versions not in the course" not in class_report(folder).needs_a_look["issue"].tolist()


def test_sample_exports_use_the_variants_the_banks_have(variants, tmp_path):
    from rolelib.instructor.report import class_report
    from rolelib.instructor.samples import make_sample_exports

    make_sample_exports(tmp_path / "class", learners=20, data=variants)
    _, attempts = _sample_attempts(tmp_path / "class")
    shown = {attempt.variant for attempt in attempts}
    assert {"v-single-b", "v-single-c", "v-match-b", "v-classify-b", "v-reflect-b"} <= shown
    report = class_report(tmp_path / "class", data=variants)
    assert "versions not in the course" not in report.needs_a_look["issue"].tolist()
    assert {"v-single-b", "v-multiple-b"} <= set(report.distractors["version"])
    assert report.learners["correct"].sum() > 0


def test_the_guide_gives_every_variant_its_answer_key_and_misconceptions(variants):
    from rolelib.instructor.guide import answer_keys, misconceptions

    instructor_mode(True)
    try:
        notes = answer_keys(variants).notes["01_focus"]
    finally:
        instructor_mode(None)
    keyed = [note.split("**")[1] for note in notes]
    assert keyed[:3] == ["v-single", "v-single-b", "v-single-c"] and "v-match-b" in keyed
    (variant,) = [note for note in notes if note.startswith("**v-single-b**")]
    assert variant.startswith("**v-single-b** (variant of v-single: single, remember): Who protects")
    assert "*Answer:* The CISO" in variant
    (mistakes,) = [note for note in misconceptions(variants).notes["01_focus"] if note.startswith("**v-single-b**")]
    assert mistakes.startswith("**v-single-b** (variant of v-single): ") and "The CIO runs and develops IT." in mistakes
