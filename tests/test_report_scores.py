"""The class report's scores and charts: per learner, per question and per topic, graded again from the answers."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from rolelib.instructor.report import class_report
from rolelib.questions import load_banks
from tests.helpers import attempt_at, bar_labels, course_export, hand_in

BANKS = load_banks()
GRADED = sum(question.graded for question in BANKS.values())


def test_good_exports_give_scores_per_learner_and_per_question(good):
    report = class_report(good)
    assert report.skipped.empty and report.needs_a_look.empty
    learners = report.learners.set_index("learner")
    assert list(report.learners["learner"]) == ["Ada", "Alan", "Grace"]
    assert learners["account"].tolist() == ["", "", "grace-h"], "the account an export records"
    # The last answer counts: Ada ends right on focus-1, Grace ends wrong; a reflection is attempted only.
    assert learners.loc["Ada", ["attempted", "correct", "score"]].tolist() == [3, 2, 1.9]
    assert learners.loc["Grace", ["attempted", "correct", "score"]].tolist() == [2, 1, 1.0]
    assert learners.loc["Alan", ["attempted", "correct", "score"]].tolist() == [1, 0, 0.0]
    assert report.graded_questions == GRADED
    assert learners.loc["Ada", "percent"] == round(100 * 1.9 / GRADED, 1)
    questions = report.per_question.set_index("question_id")
    assert questions.loc["focus-1", ["learners", "correct", "percent_correct"]].tolist() == [3, 1, 33.3]
    assert questions.loc["focus-2", ["learners", "correct", "percent_correct"]].tolist() == [2, 2, 100.0]
    assert "start-3" not in questions.index, "a reflection is not graded"
    mastery = report.mastery.set_index("topic")
    assert mastery.loc["focus", "title"] == "Focus of the position"
    assert mastery.loc["focus", ["answers", "learners", "percent_correct"]].tolist() == [5, 3, 60.0]
    # focus-1: Ada 1, Grace 0, Alan 0; focus-2: Ada 0.9 after a hint, Grace 1: 2.9 points over 5 answers
    assert mastery.loc["focus", "average_score"] == 58.0


def test_questions_are_sorted_hardest_first(tmp_path):
    answers = {"focus-1": [True, True, True], "focus-2": [False, False, True], "focus-3": [False, False, False],
               "cert-1": [True, False, True]}
    for number in range(3):
        hand_in(tmp_path / f"l{number}.json", f"Learner {number}",
                [attempt_at(qid, right[number]) for qid, right in answers.items()])
    report = class_report(tmp_path)
    assert list(report.per_question["question_id"]) == ["focus-3", "focus-2", "cert-1", "focus-1"]
    assert list(report.per_question["percent_correct"]) == [0.0, 33.3, 66.7, 100.0]
    figure = report.question_chart()
    labels = bar_labels(figure)
    assert [label.split(":")[0] for label in labels] == ["focus-3", "focus-2", "cert-1", "focus-1"]
    assert labels[-1] == "focus-1: What is a CIO's primary mission?"  # the start of its prompt, beside the id
    top = figure.axes[0].get_ylim()
    assert top[0] > top[1], "the first (hardest) question is drawn at the top"
    assert "Hardest: focus-3 0%, focus-2 33%" in figure.alt_text
    assert "Easiest: focus-1 100%" in figure.alt_text


def test_of_questions_equally_often_right_in_the_end_the_one_less_often_right_at_once_comes_first(tmp_path):
    hand_in(tmp_path / "a.json", "A", [attempt_at("focus-1", minute=1), attempt_at("focus-3", False, minute=2),
                                       attempt_at("focus-3", minute=3)])
    hand_in(tmp_path / "b.json", "B", [attempt_at("focus-1", hints=1, minute=1), attempt_at("focus-3", minute=2)])
    report = class_report(tmp_path)
    assert report.per_question[["question_id", "percent_correct", "first_try_percent"]].values.tolist() == [
        ["focus-3", 100.0, 50.0], ["focus-1", 100.0, 100.0]]
    assert report.mastery.set_index("topic").loc["focus", "average_score"] == 97.5, "B's hint cost 10 of 400 points"


def test_the_question_chart_draws_the_hardest_fifteen_and_every_one_on_request(tmp_path):
    ids = [question.id for question in BANKS.values() if question.graded][:20]
    hand_in(tmp_path / "a.json", "A", [attempt_at(qid, number % 2 == 0) for number, qid in enumerate(ids)])
    report = class_report(tmp_path)
    hardest = bar_labels(report.question_chart())
    assert len(hardest) == 15 and {label.split(":")[0] for label in hardest[:10]} == set(ids[1::2])
    assert report.question_chart().texts[0].get_text() == "Percent correct: the 15 hardest of 20 questions"
    assert len(bar_labels(report.question_chart(None))) == 20
    assert len(report.per_question) == 20, "the table still lists every question"


def test_mastery_follows_the_course_order_and_has_a_chart(tmp_path):
    hand_in(tmp_path / "a.json", "A", [attempt_at("report-1", True), attempt_at("focus-1", False)])
    report = class_report(tmp_path)
    assert list(report.mastery["topic"]) == ["focus", "reporting"]
    figure = report.mastery_chart()
    labels = bar_labels(figure)
    assert labels == ["Focus of the position", "Reporting structure"]
    assert "Focus of the position 0% of 1 answers; Reporting structure 100% of 1 answers" in figure.alt_text


def _add_questions(data: Path, question_ids: list[str]) -> None:
    """Add single-choice questions to the focus bank of a data copy, as an instructor would."""
    entries = "".join(f"""
  - id: {qid}
    kind: single
    topic: focus
    level: remember
    prompt: Question {qid}?
    options: [Innovation, Protection]
    answer: Innovation
    explanation: Because.
    source: article
""" for qid in question_ids)
    bank = data / "questions" / "01_focus.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").rstrip("\n") + "\n" + entries, encoding="utf-8")


@pytest.mark.parametrize("question_ids", [
    ["focus-1"],
    [f"extra-question-with-a-long-id-{n:02d}" for n in range(50)],
    ["q-" + "long-identifier-" * 3 + "1", "focus-2"],
], ids=["one", "fifty", "very long"])
def test_charts_are_laid_out_by_hand_with_every_text_inside_the_figure(tmp_path, data_copy, question_ids):
    _add_questions(data_copy, [qid for qid in question_ids if qid not in BANKS])
    banks = load_banks(data_copy)
    for number in range(3):
        hand_in(tmp_path / f"l{number}.json", f"Learner {number}", [
            dict(attempt_at("focus-1"), question_id=qid, answer=banks[qid].sample_answer(
                random.Random(0), (number + position) % 3 != 0)) for position, qid in enumerate(question_ids)])
    report = class_report(tmp_path, data=data_copy)
    assert len(report.per_question) == len(question_ids)
    for figure in (report.question_chart(), report.mastery_chart()):
        assert figure.get_layout_engine() is None, "a layout engine draws the figure once more when it is saved"
        width, height = figure.get_size_inches()
        inside = figure.get_tightbbox()  # every text and patch drawn, in inches
        assert inside.x0 >= 0 and inside.y0 >= 0 and inside.x1 <= width and inside.y1 <= height
        (axes,) = figure.axes
        assert [text.get_gid() for text in figure.texts] == ["title", "subtitle"]
        for text in figure.texts:
            assert text.get_window_extent().y0 > axes.get_window_extent().y1, "the titles are clear of the bars"
        assert axes.get_window_extent().width > 5.99 * figure.dpi, "long labels widen the figure, not squeeze the bars"


# -- 1. the report grades, it never trusts ---------------------------------------------------------


def test_answers_are_graded_again_and_the_files_claims_are_ignored(good):
    every = [attempt_at(qid, answer="I have no idea", correct=True, score=1.0) for qid in BANKS]
    hand_in(good / "mallory.json", "Mallory", every)
    report = class_report(good)
    mallory = report.learners.set_index("learner").loc["Mallory"]
    assert mallory[["attempted", "correct", "score", "percent"]].tolist() == [len(BANKS), 0, 0.0, 0.0]
    assert report.skipped.empty, "an answer that fits no question is simply wrong"


def test_made_up_question_ids_change_no_one_s_percent_and_are_listed_per_file(good):
    forged = [attempt_at(qid) for qid in BANKS if BANKS[qid].graded]
    forged += [dict(attempt_at("focus-1"), question_id=f"made-up-{n}", correct=True, score=1.0) for n in range(500)]
    hand_in(good / "forger.json", "Forger", forged)
    report = class_report(good)
    assert report.graded_questions == GRADED
    learners = report.learners.set_index("learner")
    assert learners.loc["Forger", "percent"] == 100.0, "the course's questions only: no bonus for made-up ones"
    assert learners.loc["Forger", "attempted"] == GRADED
    assert learners.loc["Grace", "percent"] == round(100 / GRADED, 1), "the denominator is the course's"
    assert set(report.per_question["question_id"]) <= set(BANKS)
    (row,) = report.needs_a_look.to_dict("records")
    assert row["issue"] == "questions not in the course" and row["files"] == str(good / "forger.json")
    assert row["detail"].startswith("500 question ids that the course's banks do not have were left out of "
                                    "every score: 'made-up-0', 'made-up-1', ")
    assert row["detail"].endswith("and 495 more")


def test_what_a_file_says_about_lesson_topic_and_kind_is_ignored(tmp_path):
    hand_in(tmp_path / "a.json", "A", [dict(attempt_at("focus-1"), lesson="99_x", topic="banana", kind="match")])
    report = class_report(tmp_path)
    assert report.per_question[["question_id", "lesson", "topic", "correct"]].values.tolist() == [
        ["focus-1", "01_focus", "focus", 1]]
    assert report.mastery["topic"].tolist() == ["focus"]


@pytest.mark.parametrize("form", ["json", "csv"])
def test_hints_count_at_most_as_many_as_the_question_has_even_with_5000_digits(tmp_path, form):
    question = BANKS["focus-2"]
    path = tmp_path / f"a.{form}"
    if form == "json":
        hand_in(path, "A", [attempt_at("focus-2", hints=7)])
        path.write_text(path.read_text(encoding="utf-8").replace('"hints_used": 7', '"hints_used": ' + "9" * 5000),
                        encoding="utf-8")
    else:
        course_export(path, "A", [attempt_at("focus-2", hints=7)])
        path.write_text(path.read_text(encoding="utf-8").replace('"7"', '"' + "9" * 5000 + '"'), encoding="utf-8")
    hand_in(tmp_path / "b.json", "B", [attempt_at("focus-2", hints=99)])
    report = class_report(tmp_path)
    assert report.skipped.empty
    capped = round(1 - 0.1 * len(question.hints), 2)
    assert report.learners["score"].tolist() == [capped, capped]


def test_an_answer_that_fits_no_question_counts_as_wrong(tmp_path):
    hand_in(tmp_path / "a.json", "A", [attempt_at("focus-1", answer={"not": ["a", "choice"]}),
                                       attempt_at("focus-2", answer=[["nested"]]), attempt_at("start-1", answer=7),
                                       attempt_at("start-3", answer="x" * 100_000)])
    report = class_report(tmp_path)
    assert report.learners[["attempted", "correct", "score"]].values.tolist() == [[4, 0, 0.0]]
