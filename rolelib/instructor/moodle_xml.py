"""The banks' single, multiple and match questions in Moodle XML, the format Moodle's question import reads.

Moodle imports no plain QTI 1.2, so :func:`rolelib.instructor.qti.qti_package` writes the same
questions in Moodle XML too, from the same description each kind gives
(:meth:`~rolelib.kinds.base.Question.quiz_form`). Followed: MoodleDocs "Moodle XML format"
(https://docs.moodle.org/en/Moodle_XML_format): a ``<quiz>`` of ``<question>`` elements, a
``category`` question first; ``multichoice`` with ``<single>`` true or false and an
``<answer fraction="...">`` per option, ``matching`` with a ``<subquestion>`` per item and
its right answer (a choice no item needs is a subquestion with no text),
``<generalfeedback>`` for the explanation, ``<feedback>`` for an option; a ``category``
question switches the questions after it into that category (the versions of a slot go into
one of their own, for a "random question" in the quiz).
Grading follows the course: a single answer is right or wrong; in a multiple answer each
right tick is worth 100/n percent and each wrong tick takes as much off (Moodle never goes
below 0); each match item is worth its share. Prompts, explanations and feedback are
Markdown rendered to safe HTML; options are escaped text.

>>> from rolelib.questions import load_banks
>>> xml = moodle_questions([[load_banks()["focus-1"]]]).decode()
>>> '<question type="multichoice">' in xml, '<single>true</single>' in xml
(True, True)
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rolelib._markup import escape, markdown, xml_document

if TYPE_CHECKING:
    from rolelib.kinds.base import Question
    from rolelib.kinds.quiz_form import QuizForm

CATEGORY = "$course$/top/CIO vs CISO course"
"""The question bank category the questions are imported into."""


def moodle_questions(slots: Iterable[Sequence[Question]]) -> bytes:
    """Moodle XML for the versions of each slot; ValueError, with the reason, for a question with no quiz form.

    A slot of one version goes into :data:`CATEGORY`; the versions of a slot with variants go
    into a category of their own, named after the slot, from which the instructor adds one
    random question to the quiz.
    """
    quiz = ET.Element("quiz")
    _category(quiz, CATEGORY)
    current = CATEGORY
    for versions in slots:
        category = f"{CATEGORY}/{versions[0].slot}" if len(versions) > 1 else CATEGORY
        if category != current:
            _category(quiz, category, versions[0].slot if len(versions) > 1 else "")
            current = category
        for question in versions:
            form = question.quiz_form()
            if form.form is None:
                raise ValueError(f"{question.id} cannot be a Moodle quiz question: {form.left_out}")
            quiz.append(_matching(question, form) if form.form == "matching" else _multichoice(question, form))
    return xml_document(quiz)


def _category(quiz: ET.Element, path: str, slot: str = "") -> None:
    """Switch the questions that follow into the category ``path`` (with a word for the instructor on a slot's)."""
    category = ET.SubElement(quiz, "question", type="category")
    ET.SubElement(ET.SubElement(category, "category"), "text").text = path
    if slot:
        _html(category, "info", escape(f"The versions of {slot}: add one random question from this category to "
                                       "the quiz, so that each learner gets one of them."))


def _question(question: Question, kind_word: str) -> ET.Element:
    element = ET.Element("question", type=kind_word)
    ET.SubElement(ET.SubElement(element, "name"), "text").text = question.id
    _html(element, "questiontext", markdown(question.prompt))
    _html(element, "generalfeedback", markdown(question.explanation))
    for tag, value in (("defaultgrade", "1"), ("penalty", "0"), ("hidden", "0"), ("shuffleanswers", "true")):
        ET.SubElement(element, tag).text = value
    return element


def _multichoice(question: Question, form: QuizForm) -> ET.Element:
    element = _question(question, "multichoice")
    several = form.form == "several"
    ET.SubElement(element, "single").text = "false" if several else "true"
    ET.SubElement(element, "answernumbering").text = "abc"
    share = 100 / len(form.right_options)
    for option in form.options:
        fraction = share if option.right else (-share if several else 0)
        answer = _html(element, "answer", escape(option.text), fraction=_fraction(fraction))
        if option.feedback:
            _html(answer, "feedback", markdown(option.feedback))
    return element


def _matching(question: Question, form: QuizForm) -> ET.Element:
    element = _question(question, "matching")
    text = {option.key: option.text for option in form.options}
    used = []
    for pair in form.pairs:
        used.append(pair.accepted[0])
        sub = _html(element, "subquestion", escape(pair.text))
        ET.SubElement(ET.SubElement(sub, "answer"), "text").text = text[used[-1]]
    for option in [option for option in form.options if option.key not in used]:
        # An option that is no item's answer: Moodle's form for it is a subquestion with no text.
        sub = _html(element, "subquestion", "")
        ET.SubElement(ET.SubElement(sub, "answer"), "text").text = option.text
    return element


def _html(parent: ET.Element, tag: str, html: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, format="html", **attributes)
    ET.SubElement(element, "text").text = html
    return element


def _fraction(value: float) -> str:
    """A grade fraction as Moodle lists them (33.33333, not 33.333333333)."""
    return f"{value:.5f}".rstrip("0").rstrip(".")
