"""The question banks: the shipped ones are complete and sound; broken ones fail with a clear error."""

from __future__ import annotations

import copy
import os
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

import rolelib
from rolelib import DataError
from rolelib.lessons import LESSONS
from rolelib.kinds import BankContext
from rolelib.questions import _read_question, bank_problems, classify_pools, load_banks
from tests.helpers import DATA

BAD = Path(__file__).parent / "bad_banks"


@pytest.fixture(scope="module")
def banks():
    return load_banks()


def _by_lesson(banks):
    lessons: dict[str, list] = {item.slug: [] for item in LESSONS}
    for question in banks.values():
        lessons[question.lesson].append(question)
    return lessons


# --- the shipped banks --------------------------------------------------------------------

def test_there_is_one_bank_per_lesson_named_after_it():
    names = sorted(path.name for path in (DATA / "questions").iterdir())
    assert names == sorted(f"{item.slug}.yaml" for item in LESSONS)


def test_every_lesson_has_the_questions_it_needs(banks):
    lessons = _by_lesson(banks)
    assert 2 <= len(lessons["00_start_here"]) <= 3
    assert "reflect" in {q.kind for q in lessons["00_start_here"]}
    for slug in ("01_focus", "02_responsibilities", "03_education_and_experience",
                 "04_certifications", "05_reporting_structure"):
        assert len(lessons[slug]) >= 3, slug
        assert len({q.kind for q in lessons[slug]}) >= 2, slug
        assert {q.topic for q in lessons[slug]} == {rolelib.lessons.lesson(slug).topic}, slug
    assert "classify" in {q.kind for q in lessons["02_responsibilities"]}
    review = lessons["06_review"]
    assert 12 <= len(review) <= 15
    assert {q.topic for q in review} == {"roles", "focus", "responsibilities", "education",
                                         "certifications", "reporting"}
    assert len({q.kind for q in review}) >= 4


def test_lesson_4_matches_certifications_to_roles_and_lesson_5_roles_to_bosses(banks):
    lessons = _by_lesson(banks)
    cert_match = [q for q in lessons["04_certifications"] if q.kind == "match"]
    assert cert_match, "04 needs a match certification -> role"
    assert {item.key.split()[0] for item in cert_match[0].items} == {"CISSP", "CISM", "CGEIT", "PMP"}
    assert {accepted for accepted in cert_match[0].answer.values()} == {("CISO",), ("CIO",)}
    report = [q for q in lessons["05_reporting_structure"] if q.kind == "match"]
    assert report and set(report[0].answer) == {"CEO", "COO", "CTO", "CIO", "CSO"}


def test_the_reporting_match_agrees_with_the_reporting_table(banks):
    lines = rolelib.load().reporting_lines
    words = {frozenset(): "neither, in the source", frozenset({"CIO"}): "the CIO", frozenset({"CISO"}): "the CISO",
             frozenset({"CIO", "CISO"}): "both the CIO and the CISO"}
    for boss, accepted in banks["report-1"].answer.items():
        reporting = frozenset(lines.loc[lines["reports_to"] == boss, "role_id"].astype(str))
        assert accepted == (words[reporting],), boss


def test_every_question_explains_hints_and_cites(banks):
    sources = set(rolelib.load().sources["source_id"])
    for question in banks.values():
        assert question.explanation.strip(), question.id
        assert 1 <= len(question.hints) <= 2, question.id
        assert question.source in sources, question.id


def test_every_wrong_option_has_its_own_feedback(banks):
    for question in banks.values():
        if question.kind in ("single", "multiple"):
            answers = {question.answer} if question.kind == "single" else set(question.answer)
            wrong = [option for option in question.options if option not in answers]
            assert set(question.feedback) == set(wrong), question.id
            assert len(set(question.feedback.values())) == len(wrong), f"{question.id}: feedback repeated"
        elif question.kind == "classify":
            assert set(question.feedback) == set(question.options), question.id
        elif question.kind == "match":
            can_be_wrong = {key for key, accepted in question.answer.items()
                            if set(accepted) != set(question.options)}
            assert can_be_wrong <= set(question.feedback), question.id


def test_choice_answers_are_not_guessable_by_position_or_by_ticking_everything(banks):
    singles = [q for q in banks.values() if q.kind == "single"]
    positions = Counter(q.options.index(q.answer) for q in singles)
    assert len(positions) >= 3, positions
    assert max(positions.values()) <= len(singles) // 2
    for question in banks.values():
        if question.kind == "multiple":
            assert 0 < len(question.answer) < len(question.options), question.id
        for option in question.options:
            assert not re.match(r"(all|none) of the above", option, re.IGNORECASE), question.id


def test_review_questions_are_new_ones(banks):
    review = [q for q in banks.values() if q.lesson == "06_review"]
    texts = {q.prompt for q in banks.values() if q.lesson != "06_review"}
    assert all(q.id.startswith("review-") for q in review)
    assert not {q.prompt for q in review} & texts


def test_no_sentence_of_the_article_is_copied_into_a_bank(banks, copied_from_article):
    for question in banks.values():
        texts = [question.prompt, question.explanation, *question.options, *question.hints,
                 *question.feedback.values(), *(item.text for item in question.items)]
        for text in texts:
            assert not copied_from_article(text), f"{question.id}: {text!r} copies eight words of the article"


def test_bank_problems_is_empty_for_the_shipped_banks():
    assert bank_problems() == []
    assert bank_problems(DATA) == []


# --- classify: generated, balanced and reproducible ---------------------------------------

def test_classify_statements_come_from_the_data_balanced_and_answered_by_role(banks):
    data = rolelib.load()
    table = data.responsibilities.set_index("responsibility_id")
    for question in (q for q in banks.values() if q.kind == "classify"):
        assert len(question.items) == 6
        roles = Counter(question.answer[item.key][0] for item in question.items)
        assert set(roles) == set(question.options)
        assert max(roles.values()) - min(roles.values()) <= 1, question.id
        for item in question.items:
            assert table.loc[item.key, "statement"] == item.text
            assert question.answer[item.key] == (str(table.loc[item.key, "role_id"]),)


def test_classify_sample_is_the_same_every_time_and_changes_with_the_seed(data_copy):
    first = load_banks(rolelib.load(data_copy))["resp-4"]
    again = load_banks(rolelib.load(DATA))["resp-4"]
    assert [item.key for item in first.items] == [item.key for item in again.items]
    bank = data_copy / "questions" / "02_responsibilities.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("seed: 5", "seed: 6"), encoding="utf-8")
    changed = load_banks(rolelib.load(data_copy))["resp-4"]
    assert [item.key for item in changed.items] != [item.key for item in first.items]


def test_classify_works_for_any_role_in_the_data(data_copy):
    with open(data_copy / "responsibilities.csv", "a", encoding="utf-8") as handle:
        handle.write("R-CTO-01,CTO,technology,Chooses the technology the products are built on.,article\n"
                     "R-CTO-02,CTO,technology,Leads the engineering teams that build the products.,article\n")
    bank = data_copy / "questions" / "02_responsibilities.yaml"
    text = bank.read_text(encoding="utf-8").replace("roles: [CIO, CISO]\n    count: 6", "roles: [CTO, CISO]\n    count: 4")
    bank.write_text(text.replace("    feedback:\n      CIO:", "    feedback:\n      CTO:", 1), encoding="utf-8")
    question = load_banks(rolelib.load(data_copy))["resp-1"]
    assert Counter(accepted[0] for accepted in question.answer.values()) == {"CTO": 2, "CISO": 2}
    assert question.label("CTO") == "CTO (Chief Technology Officer)"


def test_a_statement_listed_for_two_of_the_roles_is_never_drawn(data_copy):
    with open(data_copy / "responsibilities.csv", "a", encoding="utf-8") as handle:
        handle.write('R-CSO-99,CSO,cybersecurity,"In general, answers for cybersecurity as a whole.",article\n')
    pools = classify_pools(["CISO", "CSO"], data=data_copy)
    assert "In general, answers for cybersecurity as a whole." not in {text for _, text in pools["CISO"] + pools["CSO"]}
    assert len(classify_pools(["CIO", "CSO"], data=data_copy)["CSO"]) == 5


def test_classify_pools_takes_data_by_name_and_the_old_order_keeps_working_for_one_release():
    with pytest.deprecated_call(match="classify_pools"):
        assert classify_pools(rolelib.load(), ["CIO", "CSO"]) == classify_pools(["CIO", "CSO"])


# --- loading: safe, cached per folder, a custom folder brings its own banks ----------------

def test_banks_are_cached_per_folder_and_reloaded_after_an_edit(data_copy):
    data = rolelib.load(data_copy)
    first = load_banks(data)
    assert load_banks(data)["focus-1"] is first["focus-1"]
    assert load_banks()["focus-1"] is not first["focus-1"]
    bank = data_copy / "questions" / "01_focus.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("What is a **CIO's** primary mission?",
                                                             "What is the **CIO** mainly for?"),
                    encoding="utf-8")
    os.utime(bank, ns=(1, 1))
    assert load_banks(data)["focus-1"].prompt == "What is the **CIO** mainly for?"
    assert load_banks()["focus-1"].prompt == "What is a **CIO's** primary mission?"


def test_a_data_folder_without_banks_says_so(data_copy):
    shutil.rmtree(data_copy / "questions")
    with pytest.raises(DataError, match="a folder questions/"):
        load_banks(rolelib.load(data_copy))


def test_yaml_tags_that_run_code_are_refused(data_copy, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(BAD / "unsafe_tag.yaml", data_copy / "questions" / "01_focus.yaml")
    problems = bank_problems(data_copy)
    assert [(p.file, p.row) for p in problems] == [("questions/01_focus.yaml", 8)]
    assert "python/object" in problems[0].expected
    assert not (tmp_path / "unsafe-tag-ran.txt").exists()


# --- broken banks ----------------------------------------------------------------------------

# fixture, file it replaces, question id (row), field (column), words the expectation must hold
BROKEN = [
    ("syntax_error.yaml", "01_focus.yaml", 6, None, "valid YAML; reading stopped at line 6"),
    ("top_level_list.yaml", "01_focus.yaml", None, None, "a mapping at the top"),
    ("lesson_mismatch.yaml", "01_focus.yaml", None, "lesson", "'01_focus', the name of the file"),
    ("unknown_kind.yaml", "01_focus.yaml", "focus-x1", "kind", "one of: 'single', 'multiple'"),
    ("empty_prompt.yaml", "01_focus.yaml", "focus-x1", "prompt", "text that is not empty"),
    ("answer_not_option.yaml", "01_focus.yaml", "focus-x1", "answer", "one of the options"),
    ("duplicate_options.yaml", "01_focus.yaml", "focus-x1", "options", "each entry once"),
    ("multiple_no_answers.yaml", "01_focus.yaml", "focus-x1", "answer", "at least 1 item"),
    ("all_answers_right.yaml", "01_focus.yaml", "focus-x1", "answer", "ticking every box scores nothing"),
    ("more_answers_than_wrong_options.yaml", "01_focus.yaml", "focus-x1", "answer",
     "at least as many options that are not answers as answers (here 2 for 3)"),
    ("duplicate_id.yaml", "02_responsibilities.yaml", "focus-1", "id",
     "already used in questions/01_focus.yaml"),
    ("classify_unknown_role.yaml", "02_responsibilities.yaml", "resp-x1", "roles", "a role_id from roles.csv"),
    ("classify_count_too_big.yaml", "02_responsibilities.yaml", "resp-x1", "count", "at most 14 statements"),
    ("match_unknown_role.yaml", "05_reporting_structure.yaml", "report-x1", "choices", "a role_id from roles.csv"),
    ("unknown_topic.yaml", "01_focus.yaml", "focus-x1", "topic", "a dimension id from dimensions.csv"),
    ("unknown_source.yaml", "01_focus.yaml", "focus-x1", "source", "a source_id from sources.csv"),
    ("hints_not_list.yaml", "01_focus.yaml", "focus-x1", "hints", "a list"),
    ("feedback_not_option.yaml", "01_focus.yaml", "focus-x1", "feedback", "one of the options"),
    ("reflect_max_chars.yaml", "00_start_here.yaml", "start-x1", "max_chars", "greater than 0"),
    ("yes_option.yaml", "01_focus.yaml", "focus-x1", "options", "put the text in quotes"),
]


def test_the_corpus_of_broken_banks_is_all_used():
    assert {name for name, *_ in BROKEN} | {"unsafe_tag.yaml"} == {p.name for p in BAD.glob("*.yaml")}


@pytest.mark.parametrize("fixture, target, row, column, words", BROKEN, ids=[case[0] for case in BROKEN])
def test_a_broken_bank_fails_naming_file_question_and_field(data_copy, fixture, target, row, column, words):
    shutil.copy(BAD / fixture, data_copy / "questions" / target)
    problems = bank_problems(data_copy)
    where = [(p.file, p.row, p.column) for p in problems]
    assert (f"questions/{target}", row, column) in where, problems
    problem = problems[where.index((f"questions/{target}", row, column))]
    assert words in problem.expected
    with pytest.raises(DataError) as caught:
        load_banks(rolelib.load(data_copy))
    message = str(caught.value)
    assert problem.describe() in message
    assert f"questions/{target}" in message
    if isinstance(row, str):
        assert f"question {row!r}" in message and f"column {column!r}" in message


@pytest.mark.parametrize("kind", ["single", "multiple", "classify", "match", "reflect"])
def test_a_misspelt_field_is_named_with_the_fields_its_kind_takes(data_copy, kind):
    """The message lists the fields a question of this kind may have: every one the shipped
    banks use is in the list, and the list names nothing the checker would refuse."""
    path = next(p for p in sorted((data_copy / "questions").glob("*.yaml"))
                if any(q["kind"] == kind for q in yaml.safe_load(p.read_text(encoding="utf-8"))["questions"]))
    bank = yaml.safe_load(path.read_text(encoding="utf-8"))
    question = next(q for q in bank["questions"] if q["kind"] == kind)
    question["answers_typo"] = "x"
    path.write_text(yaml.safe_dump(bank, allow_unicode=True, sort_keys=False), encoding="utf-8")
    problems = [p for p in bank_problems(data_copy) if p.column == "answers_typo"]
    assert len(problems) == 1, problems
    listed = problems[0].expected.split(": ", 1)[1].split(", ")
    used = {key for q in bank["questions"] if q["kind"] == kind for key in q} - {"answers_typo"}
    assert used <= set(listed), f"fields the banks use but the message leaves out: {used - set(listed)}"
    question.pop("answers_typo")
    for field in set(listed) - set(question):
        question[field] = object()  # present, and of the wrong type: must not be refused as unknown
    found: list = []
    _read_question(question, 1, "x.yaml", kind, BankContext(None), found)
    assert not [p for p in found if "only the fields of" in p.expected], found


def test_two_questions_with_one_id_in_one_bank_is_a_problem(data_copy):
    bank = data_copy / "questions" / "01_focus.yaml"
    document = yaml.safe_load(bank.read_text(encoding="utf-8"))
    twin = dict(copy.deepcopy(document["questions"][0]), prompt="The same id again, another question.")
    twin.pop("variants", None)  # its variants' ids would be used twice too
    document["questions"].append(twin)
    bank.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    problems = bank_problems(data_copy)
    assert [(p.file, p.row, p.column) for p in problems] == [("questions/01_focus.yaml", twin["id"], "id")]
    assert "already used earlier in this file" in problems[0].expected
    with pytest.raises(DataError):
        load_banks(rolelib.load(data_copy))


def test_level_is_required_and_one_of_blooms_levels(data_copy):
    bank = data_copy / "questions" / "01_focus.yaml"
    document = yaml.safe_load(bank.read_text(encoding="utf-8"))
    first, second = document["questions"][:2]
    del first["level"]
    second["level"] = "evaluate"
    bank.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    problems = [(p.row, p.column, p.expected) for p in bank_problems(data_copy)]
    assert problems == [
        (first["id"], "level", f"this field (every {first['kind']} question needs it)"),
        (second["id"], "level", "one of: 'remember', 'understand', 'apply' or 'analyse'")]


def test_every_question_has_a_level(banks):
    assert {question.level for question in banks.values()} <= {"remember", "understand", "apply", "analyse"}


def test_an_unknown_lesson_is_named(data_copy):
    (data_copy / "questions" / "07_extra.yaml").write_text(
        (BAD / "lesson_mismatch.yaml").read_text(encoding="utf-8").replace("02_responsibilities", "07_extra"),
        encoding="utf-8")
    problems = bank_problems(data_copy)
    assert [(p.file, p.column, p.value) for p in problems] == [("questions/07_extra.yaml", "lesson", "07_extra")]
    assert "one of the lesson slugs: 00_start_here" in problems[0].expected


def test_every_problem_is_reported_at_once(data_copy):
    text = (DATA / "questions" / "01_focus.yaml").read_text(encoding="utf-8")
    text = text.replace("kind: match", "kind: pairing", 1).replace("source: article", "source: blog", 1)
    text = text.replace("answer: Pushing technology innovation and helping the business grow",
                        "answer: Growth")
    (data_copy / "questions" / "01_focus.yaml").write_text(text, encoding="utf-8")
    bank = data_copy / "questions" / "02_responsibilities.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("count: 6\n    seed: 11", "count: 6\n    seed: eleven"),
                    encoding="utf-8")
    problems = bank_problems(data_copy)
    assert {(p.row, p.column) for p in problems} == {
        ("focus-1", "source"), ("focus-1", "answer"), ("focus-3", "kind"), ("resp-1", "seed")}
    with pytest.raises(DataError, match=r"^4 problems in the course data"):
        load_banks(rolelib.load(data_copy))


def test_a_misspelt_field_is_named_with_the_fields_a_question_has(data_copy):
    bank = data_copy / "questions" / "01_focus.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("    hints:\n      - The CIO's focus",
                                                             "    hint:\n      - The CIO's focus"),
                    encoding="utf-8")
    problems = bank_problems(data_copy)
    assert [(p.row, p.column) for p in problems] == [("focus-1", "hint")]
    assert "only the fields of a single question" in problems[0].expected
    assert "hints" in problems[0].expected


def test_banks_are_still_checked_when_the_tables_do_not_load(data_copy):
    (data_copy / "roles.csv").write_text("nonsense\n", encoding="utf-8")
    shutil.copy(BAD / "answer_not_option.yaml", data_copy / "questions" / "01_focus.yaml")
    problems = bank_problems(data_copy)
    assert [(p.file, p.row, p.column) for p in problems] == [("questions/01_focus.yaml", "focus-x1", "answer")]
