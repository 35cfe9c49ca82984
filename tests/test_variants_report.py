"""Versions in the class report, the sample exports and the guide: each attempt graded against the version it names."""

from __future__ import annotations

import pytest

from rolelib import UnknownNameError
from rolelib.exercises import instructor_mode
from rolelib.questions import load_banks


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
