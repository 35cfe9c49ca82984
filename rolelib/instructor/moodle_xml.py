"""The banks' single, multiple and match questions in Moodle XML, the format Moodle's question import reads.

Moodle imports no plain QTI 1.2, so :func:`rolelib.instructor.qti.qti_package` writes the same
questions in Moodle XML too. Followed: MoodleDocs "Moodle XML format"
(https://docs.moodle.org/en/Moodle_XML_format): a ``<quiz>`` of ``<question>`` elements, a
``category`` question first; ``multichoice`` with ``<single>`` true or false and an
``<answer fraction="...">`` per option, ``matching`` with a ``<subquestion>`` per item and
its right answer (a choice no item needs is a subquestion with no text),
``<generalfeedback>`` for the explanation, ``<feedback>`` for an option.
Grading follows the course: a single answer is right or wrong; in a multiple answer each
right tick is worth 100/n percent and each wrong tick takes as much off (Moodle never goes
below 0); each match item is worth its share. Prompts, explanations and feedback are
Markdown rendered to safe HTML; options are escaped text.

>>> from rolelib.questions import load_banks
>>> xml = moodle_questions([load_banks()["focus-1"]]).decode()
>>> '<question type="multichoice">' in xml, '<single>true</single>' in xml
(True, True)
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rolelib._markup import escape, markdown
from rolelib.kinds.choice import MultipleChoice
from rolelib.kinds.sorting import Match

if TYPE_CHECKING:
    from rolelib.kinds.base import Question

CATEGORY = "$course$/top/CIO vs CISO course"
"""The question bank category the questions are imported into."""


def moodle_questions(questions: Iterable[Question]) -> bytes:
    """Moodle XML for single, multiple and match questions (other kinds raise ValueError)."""
    quiz = ET.Element("quiz")
    category = ET.SubElement(quiz, "question", type="category")
    ET.SubElement(ET.SubElement(category, "category"), "text").text = CATEGORY
    for question in questions:
        quiz.append(_matching(question) if isinstance(question, Match) else _multichoice(question))
    ET.indent(quiz)
    return ET.tostring(quiz, encoding="UTF-8", xml_declaration=True)


def _question(question: Question, kind_word: str) -> ET.Element:
    element = ET.Element("question", type=kind_word)
    ET.SubElement(ET.SubElement(element, "name"), "text").text = question.id
    _html(element, "questiontext", markdown(question.prompt))
    _html(element, "generalfeedback", markdown(question.explanation))
    for tag, value in (("defaultgrade", "1"), ("penalty", "0"), ("hidden", "0"), ("shuffleanswers", "true")):
        ET.SubElement(element, tag).text = value
    return element


def _multichoice(question: Question) -> ET.Element:
    element = _question(question, "multichoice")
    several = isinstance(question, MultipleChoice)
    answers = set(question.answer) if several else {question.answer}
    ET.SubElement(element, "single").text = "false" if several else "true"
    ET.SubElement(element, "answernumbering").text = "abc"
    share = 100 / len(answers)
    for option in question.options:
        right = option in answers
        fraction = share if right else (-share if several else 0)
        answer = _html(element, "answer", escape(option), fraction=_fraction(fraction))
        if option in question.feedback:
            _html(answer, "feedback", markdown(question.feedback[option]))
    return element


def _matching(question: Question) -> ET.Element:
    element = _question(question, "matching")
    used = []
    for entry in question.items:
        used.append(question.answer[entry.key][0])
        sub = _html(element, "subquestion", escape(entry.text))
        ET.SubElement(ET.SubElement(sub, "answer"), "text").text = question.label(used[-1])
    for choice in [option for option in question.options if option not in used]:
        # A choice that is no item's answer: Moodle's form for it is a subquestion with no text.
        sub = _html(element, "subquestion", "")
        ET.SubElement(ET.SubElement(sub, "answer"), "text").text = question.label(choice)
    return element


def _html(parent: ET.Element, tag: str, html: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, format="html", **attributes)
    ET.SubElement(element, "text").text = html
    return element


def _fraction(value: float) -> str:
    """A grade fraction as Moodle lists them (33.33333, not 33.333333333)."""
    return f"{value:.5f}".rstrip("0").rstrip(".")
