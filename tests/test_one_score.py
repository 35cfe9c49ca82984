"""One score everywhere: the exercises, the learner's summary and score panel, the Submit panel, the export and the
class report give the same points for the same attempts (hints, partial credit, variants, a shuffled order)."""

from __future__ import annotations

import json
import random
import re

import pytest

import rolelib
from rolelib import progress
from rolelib._markup import html_to_text
from rolelib.instructor.report import class_report
from rolelib.questions import load_banks
from rolelib.testing import answer, check, hint, retry

ACCOUNT = "learner07"  # a hub account that sees variants and its own order of options (asserted below)


def _partly_right(question):
    """A multiple-choice answer with all but one right option, or a sorting answer with one item wrong."""
    if question.kind == "multiple":
        return [option for option in question.options if option in question.answer][:-1]
    chosen = question.correct_answer()
    key = sorted(chosen)[0]
    chosen[key] = next(option for option in question.options if option not in question.answer[key])
    return chosen


def _right_and_one_wrong_tick(question):
    return list(question.answer) + [option for option in question.options if option not in question.answer][:1]


def _last_accepted(question):
    """A match answer that takes the last accepted choice of each item (an alternative, where the bank has one)."""
    return {item.key: question.answer[item.key][-1] for item in question.items}


# question id, the answer given last, hints opened, an answer checked before it (or None)
PLAN = [
    ("focus-1", lambda q: q.correct_answer(), 1, None),
    ("focus-2", _partly_right, 1, None),
    ("focus-5", _partly_right, 0, None),
    ("resp-2", _right_and_one_wrong_tick, 2, None),
    ("resp-1", _partly_right, 1, None),
    ("edu-2", _last_accepted, 2, None),
    ("start-1", lambda q: q.correct_answer(), 0, lambda q: q.wrong_answer(random.Random(1))),
    ("start-2", lambda q: q.wrong_answer(random.Random(1)), 0, None),
    ("start-3", lambda q: "Both roles matter, for different reasons.", 1, None),
    ("cert-3", lambda q: q.correct_answer(), 1, _partly_right),
    ("review-5", _partly_right, 0, None),
]


@pytest.fixture
def learner(tmp_path, monkeypatch):
    """A hub learner in a course folder of their own, in the given mode (no settings file)."""
    for variable in ("ROLELIB_MODE", "ROLELIB_HINTS", "ROLELIB_RELEASE", "ROLELIB_SETTINGS"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("JUPYTERHUB_USER", ACCOUNT)
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    return tmp_path


def _answer_the_plan(mode: str) -> dict:
    exercises = {}
    for question_id, last, hints, before in PLAN:
        ex = rolelib.exercise(question_id)
        for _ in range(hints):
            hint(ex)
        if before is not None:
            answer(ex, before(ex.question))
            check(ex)
            if mode == "practice":
                retry(ex)
        answer(ex, last(ex.question))
        check(ex)
        exercises[question_id] = ex
    shown = [ex.question for ex in exercises.values()]
    assert any(q.id != q.slot for q in shown), "the account sees at least one variant"
    assert any(ex.order for ex in exercises.values()), "and options in an order of its own"
    return exercises


def _points_everywhere(exercises: dict, folder) -> dict:
    """Per question, the points (out of 100) each place gives the learner's last answer."""
    graded = {qid: ex for qid, ex in exercises.items() if ex.question.graded}
    shown = {qid: ex.result.points for qid, ex in graded.items()}
    exported = {}
    for suffix in (".json", ".csv"):
        path = progress.export_progress(folder / f"ada{suffix}", "Ada")
        attempts = progress.parse_export(path).attempts
        exported[suffix] = {a.question_id: round(a.score * 100) for a in attempts if a.question_id in graded}
    return {"exercise": shown, **exported}


@pytest.mark.parametrize("mode", ["practice", "exam"])
def test_every_place_gives_the_same_points_and_percent(learner, monkeypatch, mode):
    monkeypatch.setenv("ROLELIB_MODE", mode)
    exercises = _answer_the_plan(mode)
    submit = rolelib.submit_panel()
    if mode == "exam":
        submit.submit()  # no release time: feedback and the score show at once
    banks = load_banks()
    graded = {qid: ex for qid, ex in exercises.items() if ex.question.graded}
    scores = {qid: ex.result.score for qid, ex in graded.items()}
    assert any(0 < score < 1 and not graded[qid].result.correct for qid, score in scores.items()), "partly right"

    points = _points_everywhere(exercises, learner)
    assert points["exercise"] == points[".json"] == points[".csv"]

    total = sum(scores.values())
    percent = 100 * total / sum(q.graded for q in banks.values())
    if mode == "exam":  # the Submit panel: each question's feedback, and the score over every graded question
        text = html_to_text(submit.status.value)
        assert f"Your score: {round(percent)} of 100 points" in text
        for question_id, ex in graded.items():
            block = text.split(f"Question {question_id}\n", 1)[1]
            assert re.search(r"Score: (\d+) of 100", block).group(1) == str(ex.result.points), question_id

    summary = rolelib.progress_summary("topic").set_index("topic")
    by_topic: dict[str, list[float]] = {}
    for question_id, score in scores.items():
        by_topic.setdefault(banks[question_id].topic, []).append(score)
    for topic, topic_scores in by_topic.items():
        assert summary.loc[topic, "score"] == pytest.approx(sum(topic_scores), abs=0.005), topic
        assert summary.loc[topic, "graded"] == len(topic_scores)
    assert summary["attempted"].sum() == len(PLAN)

    alt = rolelib.show_score().image.alt
    for topic, topic_scores in by_topic.items():
        assert f"{_title(topic)} {100 * sum(topic_scores) / len(topic_scores):.0f}% (" in alt, (topic, alt)

    for handed_in in ("ada.json", "ada.csv"):  # the same export in both formats, read alike
        report = class_report([learner / handed_in])
        row = report.learners.iloc[0]
        assert (row["attempted"], row["score"], row["percent"]) == (len(PLAN), round(total, 2), round(percent, 1))
        assert row["correct"] == sum(bool(ex.result.correct) for ex in graded.values())
        per_question = report.per_question.set_index("question_id")
        assert {qid: bool(per_question.loc[qid, "correct"]) for qid in graded} == {
            qid: bool(ex.result.correct) for qid, ex in graded.items()}
        mastery = report.mastery.set_index("topic")
        for topic, topic_scores in by_topic.items():
            share = 100 * sum(topic_scores) / len(topic_scores)
            assert mastery.loc[topic, "average_score"] == pytest.approx(share, abs=0.05), (handed_in, topic)


def _title(topic: str) -> str:
    return rolelib.load().difference_title(topic)


def test_an_answer_graded_again_after_the_bank_changed_scores_alike_everywhere(learner, monkeypatch):
    """The course is updated after a learner answered (a corrected key, a changed hint cost): what the store
    recorded at the time is graded again by every place, the learner's own summary and score panel too."""
    monkeypatch.setenv("ROLELIB_MODE", "exam")
    question = load_banks()["focus-4"]
    right = question.correct_answer()
    progress.store().record(progress.Attempt(
        question_id="focus-4", lesson=question.lesson, topic=question.topic, kind=question.kind, answer=right,
        correct=False, score=0.0, hints_used=0, variant="focus-4"))  # graded wrong by the course as it was
    submit = rolelib.submit_panel()
    submit.submit()
    shown = rolelib.exercise("focus-4")
    assert shown.result.points == 100
    assert "Question focus-4\n✓ Correct. Score: 100 of 100" in html_to_text(submit.status.value)
    summary = rolelib.progress_summary("topic").set_index("topic")
    assert (summary.loc["focus", "correct"], summary.loc["focus", "score"]) == (1, 1.0)
    assert "Focus of the position 100% (1 of 1 correct)" in rolelib.show_score().image.alt
    path = progress.export_progress(learner / "ada.json", "Ada")
    report = class_report([path])
    assert report.learners.loc[0, ["correct", "score"]].tolist() == [1, 1.0]
    assert json.loads(path.read_text(encoding="utf-8"))["attempts"][0]["answer"] == right
