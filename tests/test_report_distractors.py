"""The class report's distractor analysis: the wrong answers learners chose first, with the bank's feedback."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from rolelib.instructor.report import class_report
from rolelib.questions import load_banks
from tests.helpers import REPO, attempt_at, bar_labels, csv_rows, hand_in

SAMPLE = REPO / "notebooks" / "instructor" / "sample_exports"
BANKS = load_banks()

_FOCUS_1 = BANKS["focus-1"]
_BUILDINGS = "Securing the organisation's buildings, facilities and staff"
_DATA = "Protecting the organisation's data and keeping it compliant"


@pytest.fixture
def tempted(tmp_path: Path) -> Path:
    """Four learners on focus-1: two first choose the CSO's remit (buildings), one is right at once, one first
    chooses the CISO's (data) and is right at the second attempt, after a hint."""
    folder = tmp_path / "tempted"
    folder.mkdir()
    right = _FOCUS_1.answer
    firsts = {"Ann": [_BUILDINGS], "Ben": [_BUILDINGS, _BUILDINGS], "Cat": [right], "Dan": [_DATA, right]}
    for learner, answers in firsts.items():
        hand_in(folder / f"{learner}.json", learner, [
            attempt_at("focus-1", answer=answer, hints=position, minute=position)
            for position, answer in enumerate(answers)])
    return folder


def test_the_distractor_table_counts_first_answers_with_the_feedback_the_bank_gives(tempted):
    table = class_report(tempted).distractors
    assert table[["option", "right", "learners", "percent"]].values.tolist() == [
        [_BUILDINGS, False, 2, 50.0], [_DATA, False, 1, 25.0], [_FOCUS_1.answer, True, 1, 25.0]]
    assert table["feedback"].tolist() == [_FOCUS_1.feedback[_BUILDINGS], _FOCUS_1.feedback[_DATA], ""]
    assert set(table["prompt"]) == {"What is a CIO's primary mission?"}


def test_per_question_shows_first_try_attempts_until_correct_and_hint_use(tempted):
    row = class_report(tempted).per_question.set_index("question_id").loc["focus-1"]
    assert row["prompt"] == "What is a CIO's primary mission?"
    assert (row["percent_correct"], row["first_try_percent"]) == (50.0, 25.0)
    assert row["attempts_to_correct"] == 1.5  # Cat at once, Dan at the second; Ann and Ben never
    assert row["hint_percent"] == 50.0  # Ben and Dan opened a hint before their second attempt


def test_attempts_until_correct_count_up_to_the_first_right_answer_not_the_last(tmp_path):
    hand_in(tmp_path / "a.json", "A", [attempt_at("focus-1", right, minute=minute)
                                       for minute, right in enumerate([False, True, False, True])])
    row = class_report(tmp_path).per_question.set_index("question_id").loc["focus-1"]
    assert (row["attempts_to_correct"], row["first_try_percent"], row["percent_correct"]) == (2, 0.0, 100.0)


def test_the_share_of_a_ticked_option_is_of_the_learners_not_of_the_ticks(tmp_path):
    question = BANKS["focus-2"]
    first, second = question.answer[:2]
    hand_in(tmp_path / "a.json", "A", [attempt_at("focus-2", answer=[first, second])])
    hand_in(tmp_path / "b.json", "B", [attempt_at("focus-2", answer=[first])])
    table = class_report(tmp_path).distractors.set_index("option")
    assert table.loc[[first, second], "percent"].tolist() == [100.0, 50.0]
    assert table.loc[[first, second], "learners"].tolist() == [2, 1]


def test_the_reading_names_the_most_chosen_wrong_option_and_its_misconception(tempted):
    report = class_report(tempted)
    reading = report.reading("focus-1")
    assert reading.startswith(f"50% chose \u201c{_BUILDINGS}\u201d.")
    assert _FOCUS_1.feedback[_BUILDINGS] in reading
    figure = report.distractor_chart(1)
    assert bar_labels(figure)[0] == f"\u2717 {_BUILDINGS}"
    assert reading in figure.alt_text and figure.texts[0].get_text().startswith("focus-1: What is a CIO")
    assert figure.alt_text.startswith("focus-1: What is a CIO's primary mission? Bar chart of"), "one stop, not '?.'"


def test_a_distractor_chart_is_asked_for_by_rank_or_id_and_a_wrong_one_says_what_exists(tempted):
    from rolelib import UnknownNameError

    report = class_report(tempted)
    assert report.distractor_chart("focus-1").alt_text == report.distractor_chart(1).alt_text
    with pytest.raises(UnknownNameError, match="focus-1"):
        report.distractor_chart("focus-9")
    with pytest.raises(ValueError, match="from 1 to 1"):
        report.distractor_chart(2)


def test_a_wrong_option_chosen_by_nearly_everyone_keeps_its_percentage_readable(tmp_path):
    for learner in ("Ann", "Ben"):
        hand_in(tmp_path / f"{learner}.json", learner, [attempt_at("focus-1", answer=_BUILDINGS)])
    (axes,) = class_report(tmp_path).distractor_chart(1).axes
    (value,) = [text for text in axes.texts if text.get_text() == "100%"]
    assert value.get_color() != "white"  # on the white, hatched bar of a wrong option


def test_distractors_csv_is_written_with_each_prompt_beside_its_id(tempted, tmp_path):
    class_report(tempted).write(tmp_path / "out")
    rows = csv_rows(tmp_path / "out" / "distractors.csv")
    assert rows[0] == ["question_id", "version", "prompt", "option", "right", "learners", "percent", "feedback"]
    assert rows[1][:6] == ["focus-1", "focus-1", "What is a CIO's primary mission?", _BUILDINGS, "False", "2"]
    assert csv_rows(tmp_path / "out" / "questions.csv")[1][:2] == ["focus-1", "What is a CIO's primary mission?"]


def test_classify_and_match_answers_count_each_placement_as_an_option(tmp_path):
    match = BANKS["focus-3"]
    wrong = match.wrong_answer(random.Random(1))
    hand_in(tmp_path / "a.json", "A", [attempt_at("focus-3", answer=wrong)])
    table = class_report(tmp_path).distractors
    assert len(table) == len(match.items)
    assert table["right"].tolist().count(False) == 1
    assert table.loc[~table["right"], "option"].iloc[0].startswith("\u201c")


@pytest.mark.parametrize("question_id", ["resp-4", "focus-3"])
def test_a_wrong_placement_carries_the_feedback_the_bank_gives_for_that_mistake(tmp_path, question_id):
    """classify keys its feedback by the role wrongly chosen, match by the item wrongly matched."""
    question = BANKS[question_id]
    item = question.items[0]
    choice = next(option for option in question.options if option not in question.answer[item.key])
    hand_in(tmp_path / "a.json", "A", [attempt_at(question_id, answer={**question.correct_answer(), item.key: choice})])
    table = class_report(tmp_path).distractors
    (wrong,) = table[~table["right"]].to_dict("records")
    assert wrong["option"] == f"\u201c{item.text}\u201d \u2192 {question.label(choice)}"
    expected = question.feedback[choice if question.kind == "classify" else item.key]
    assert wrong["feedback"] == expected and set(table.loc[table["right"], "feedback"]) == {""}


def test_a_match_item_put_under_any_of_its_accepted_choices_counts_as_right(tmp_path):
    match = BANKS["edu-2"]
    (key,) = [key for key, accepted in match.answer.items() if len(accepted) > 1]
    for number, accepted in enumerate(match.answer[key]):
        hand_in(tmp_path / f"l{number}.json", f"L{number}",
                [attempt_at("edu-2", answer={**match.correct_answer(), key: accepted})])
    report = class_report(tmp_path)
    assert report.distractors["right"].all() and report.per_question["percent_correct"].tolist() == [100.0]
    assert report.per_question["first_try_percent"].tolist() == [100.0]


def test_the_sample_exports_show_common_misconceptions():
    report = class_report(SAMPLE)
    first_wrong = report.distractors[~report.distractors["right"]].groupby("question_id")["percent"].max()
    assert (first_wrong >= 30).sum() >= 5, "several questions where a third of the class chose one wrong option"


def test_a_placement_in_the_distractor_chart_keeps_the_role_it_was_placed_under(tmp_path):
    """start-1 matches long statements to roles: cut to fit, a bar still says where the learners put it."""
    match = BANKS["start-1"]
    hand_in(tmp_path / "a.json", "A", [attempt_at("start-1", answer=match.sample_answer(random.Random(0), True))])
    for number in range(2):
        hand_in(tmp_path / f"w{number}.json", f"W{number}", [
            attempt_at("start-1", answer=match.wrong_answer(random.Random(number)))])
    report = class_report(tmp_path)
    table = report.distractors
    figure = report.distractor_chart("start-1")
    labels = bar_labels(figure)
    assert len(set(labels)) == len(labels) == len(table), "a right and a wrong placement of one statement differ"
    for option, label in zip(table["option"], labels):
        assert label.endswith(option.split(" \u2192 ")[-1]), (label, option)
    top_wrong = table[~table["right"]].iloc[0]["option"]
    assert "\u201d \u2192 " + top_wrong.split(" \u2192 ")[-1] in report.reading("start-1")


def test_a_question_no_first_answer_fits_any_more_still_has_its_chart(tmp_path):
    """An option reworded after the class answered: the answers count as wrong, and the chart says why it is empty."""
    hand_in(tmp_path / "a.json", "A", [attempt_at("focus-1", answer="An option the bank no longer has")])
    report = class_report(tmp_path)
    assert report.per_question["question_id"].tolist() == ["focus-1"]
    figure = report.distractor_chart(1)
    assert "no first answer" in figure.alt_text and "fits focus-1" in figure.alt_text
    assert report.reading("focus-1") != "No learner answered focus-1."


def test_a_version_or_question_the_report_lacks_is_named_in_plain_words(tempted):
    report = class_report(tempted)
    with pytest.raises(KeyError) as error:
        report.distractor_chart("focus-1", version="focus-1-z")
    assert "the versions of focus-1 answered first are: focus-1" in str(error.value)
    with pytest.raises(KeyError) as error:
        report.distractor_chart("focus-9")
    assert "the questions answered in this report are: focus-1" in str(error.value)
