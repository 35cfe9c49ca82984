"""The content of the banks and the data: questions that test understanding, fair options, honest hints.

These checks read the shipped question banks and responsibilities.csv. They guard the quality bars
an instructor would apply by hand: a key that is not given away by its length or by a hint, scenario
questions in every lesson, a review that is mostly new situations and covers every difference, and
classify statements that do not repeat each other.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter

import pytest

import rolelib
from rolelib.questions import LEVELS, classify_pools, load_banks
from tests.helpers import REPO

LESSONS_WITH_A_DIFFERENCE = ("01_focus", "02_responsibilities", "03_education_and_experience",
                             "04_certifications", "05_reporting_structure")
DECIDING = ("apply", "analyse")
_STOP = set("a an the and or of to for in on with its it is are be by as at from how who what which when so that "
            "this these those they them their each not but own organisation organisation's".split())


@pytest.fixture(scope="module")
def banks():
    return load_banks()


def _review(banks):
    return [q for q in banks.values() if q.lesson == "06_review"]


def _choice_questions(banks):
    return [q for q in banks.values() if q.kind in ("single", "multiple")]


def test_every_question_names_the_thinking_it_asks_for(banks):
    assert all(q.level in LEVELS for q in banks.values())
    assert {q.level for q in banks.values()} == set(LEVELS), "the banks use every level"


def test_the_key_is_the_longest_option_in_at_most_a_third_of_single_choice_questions(banks):
    singles = [q for q in banks.values() if q.kind == "single"]
    longest = [q.id for q in singles if len(q.answer) >= max(len(option) for option in q.options)]
    assert len(longest) * 3 <= len(singles), f"the key is the longest option in {longest}"


def test_no_hint_contains_the_text_of_an_option(banks):
    for question in _choice_questions(banks):
        for hint in question.hints:
            for option in question.options:
                assert option.casefold().rstrip(".") not in hint.casefold(), f"{question.id}: {hint!r} names {option!r}"


def test_no_match_question_answers_in_the_order_of_its_choices(banks):
    """Without an account (a laptop, Binder, Colab) a learner sees the items in the bank's order: answers that
    follow the list of choices round and round (CIO, CISO, CSO; or CIO, CISO, CIO, CISO) can be guessed."""
    for question in banks.values():
        for version in question.versions:
            if version.kind != "match":
                continue
            first = [version.answer[item.key][0] for item in version.items]
            cycled = list(itertools.islice(itertools.cycle(version.options), len(first)))
            assert first != cycled, f"{version.id}: the answers in the bank's order are the choices in order"
            assert len(first) < 4 or first != (first[:2] * len(first))[:len(first)], (
                f"{version.id}: the answers in the bank's order alternate between two choices")


def test_no_option_gives_itself_away_with_an_absolute(banks):
    for question in _choice_questions(banks):
        for option in question.options:
            assert not re.search(r"\b(only|always|never)\b", option, re.IGNORECASE), f"{question.id}: {option!r}"


@pytest.mark.parametrize("slug", LESSONS_WITH_A_DIFFERENCE)
def test_each_lesson_has_two_graded_scenario_questions(banks, slug):
    deciding = [q.id for q in banks.values() if q.lesson == slug and q.graded and q.level in DECIDING]
    assert len(deciding) >= 2, f"{slug}: apply or analyse questions {deciding}"


def test_at_least_half_of_the_review_asks_the_learner_to_decide(banks):
    review = _review(banks)
    deciding = [q for q in review if q.level in DECIDING]
    assert 2 * len(deciding) >= len(review)


def test_the_review_covers_every_difference_and_the_cso_distinction_twice(banks):
    graded = Counter(q.topic for q in _review(banks) if q.graded)
    topics = set(rolelib.load().dimensions["dimension_id"].astype(str))
    assert set(graded) == topics
    assert min(graded.values()) >= 2, graded


def test_the_review_reuses_no_statement_or_option_of_a_lesson(banks):
    lessons = [q for q in banks.values() if q.lesson != "06_review"]
    shown = {text.casefold() for q in lessons for text in (*q.options, *(item.text for item in q.items))
             if q.kind in ("single", "multiple", "classify")}
    for question in _review(banks):
        if question.kind in ("single", "multiple", "classify"):
            texts = (*question.options, *(item.text for item in question.items))
            reused = {text for text in texts if text.casefold() in shown and text not in question.labels}
            assert not reused - set(rolelib.load().compared_roles), f"{question.id} reuses {reused}"


def _stems(text: str) -> set[str]:
    return {word[:5] for word in re.findall(r"[a-z']+", text.lower()) if word not in _STOP and len(word) > 2}


def test_no_two_duties_say_the_same_thing():
    """Two statements that share two or more content words (and at least 40 % of the shorter one's)
    read as the same duty to a learner, which makes a classify question unfair or repetitive."""
    table = rolelib.load().responsibilities
    rows = list(zip(table["responsibility_id"], table["statement"]))
    for (first, a), (second, b) in itertools.combinations(rows, 2):
        shared = _stems(a) & _stems(b)
        assert not (len(shared) >= 2 and len(shared) >= 0.4 * min(len(_stems(a)), len(_stems(b)))), (
            f"{first} and {second} say nearly the same: {a!r} / {b!r}")


def test_classify_statements_do_not_name_a_role_or_echo_the_hedge_of_a_definition(banks):
    data = rolelib.load()
    roles = data.compared_roles
    for question in (q for q in banks.values() if q.kind == "classify"):
        for role, pool in classify_pools(list(question.options), data=data).items():
            for _, text in pool:
                assert not any(re.search(rf"\b{name}\b", text) for name in roles), text
                assert "main focus" not in text and "not the centre" not in text, text


def test_each_glossary_term_is_linked_from_the_lesson_where_it_first_appears():
    glossary = rolelib.load().glossary
    for term, slug in zip(glossary["term"], glossary["lesson"].astype(str)):
        notebook = json.loads((REPO / "notebooks" / f"{slug}.ipynb").read_text(encoding="utf-8"))
        prose = "\n".join("".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown")
        link = re.compile(rf"\[(\*\*)?{re.escape(term)}(\*\*)?\]\(00_start_here\.ipynb#Glossary\)", re.IGNORECASE)
        assert link.search(prose), f"{slug} does not link {term!r} to the glossary"


def test_the_glossary_shows_every_term_in_order_with_its_lesson_and_escapes_the_data(data_copy):
    with open(data_copy / "glossary.csv", "a", encoding="utf-8") as handle:
        handle.write('"<b>bold</b> term",A term with <script>alert(1)</script> in it.,05_reporting_structure,course\n')
    table = rolelib.glossary(data=data_copy)
    terms = [row[0] for row in table.rows]
    assert terms == sorted(terms, key=str.casefold)
    assert set(terms) == set(rolelib.load(data_copy).glossary["term"])
    assert ("reporting line" in terms and
            dict((row[0], row[2]) for row in table.rows)["reporting line"] == "Difference 5: reporting structure")
    page = table._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page and "&lt;b&gt;bold&lt;/b&gt; term" in page
