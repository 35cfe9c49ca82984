"""The banks as a quiz an LMS imports: a QTI 1.2 package of the single, multiple and match questions.

:func:`qti_package` builds a .zip that Canvas imports as a quiz ("Import Course Content",
content type "QTI .zip file"), so an instructor can run the course's final assessment inside
the LMS. Each question keeps its id (as the item's title), its prompt (Markdown rendered to
safe HTML: raw HTML in a bank is shown as text), its options as plain text, the answer key
from the bank, the bank's feedback on each wrong option, and the explanation as general
feedback. Each kind describes its questions for a quiz system
(:meth:`~rolelib.kinds.base.Question.quiz_form`: one answer, several answers or matching, the
options and pairs); this writer renders that description and never looks at a kind. Classify
questions (statements drawn from the course data, several to a role) and reflections (no
answer key) have no quiz form: they are left out and listed with the reason their kind gives.
The versions of a question with variants go into a section of their own that draws one of them
per learner (``selection_ordering`` with ``selection_number`` 1, which Canvas imports as a
question group that picks 1; in the Moodle XML, a category named after the question).

Followed: IMS Question & Test Interoperability ASI XML Binding, version 1.2
(https://www.imsglobal.org/question/qtiv1p2/imsqti_asi_bindv1p2.html) and IMS Content
Packaging 1.1 for ``imsmanifest.xml``; for what Canvas reads, Instructure's guide "How do I
import quizzes from QTI packages?"
(https://community.canvaslms.com/t5/Instructor-Guide/How-do-I-import-quizzes-from-QTI-packages/ta-p/1046)
and the item metadata Canvas's own QTI export writes (``question_type``:
multiple_choice_question, multiple_answers_question, matching_question; ``points_possible``;
general feedback as the ``itemfeedback`` named ``general_fb``). One point per question, as in
the course.

Two limits an instructor should know. Canvas's matching question has one right answer per
item, and some of the course's match items accept two (the CIO may report to the CEO or the
COO): the package lists every accepted answer, as QTI allows, and the summary names those
questions to check after import. Moodle's question import reads Moodle XML, GIFT, Aiken and
Blackboard packages, but no plain QTI 1.2: the package carries the same questions in Moodle
XML too (:mod:`rolelib.instructor.moodle_xml`), written beside the .zip.

Written with the standard library (zipfile and xml.etree): text2qti, the maintained QTI
writer for Canvas, reads its own Markdown-like text format, which the banks would have to be
re-encoded into, and has no matching questions; the subset of QTI needed here is small.

>>> package = qti_package()
>>> sorted(kind for _, kind, _ in package.left_out)
['classify', 'classify', 'classify', 'classify', 'reflect', 'reflect']
>>> "imsmanifest.xml" in package.files
True
"""

from __future__ import annotations

import hashlib
import io
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rolelib._markup import markdown, xml_document
from rolelib.instructor.moodle_xml import moodle_questions

if TYPE_CHECKING:
    from rolelib._types import DataSource, PathLike
    from rolelib.kinds.base import Question
    from rolelib.kinds.quiz_form import QuizForm, QuizOption

QUIZ_TITLE = "CIO vs CISO course: questions from the course's banks"
"""The quiz's title in the LMS."""

_QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
_CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
_RESPONSE = "response1"
_STAMP = (1980, 1, 1, 0, 0, 0)  # every file's date in the zip: the same banks give the same bytes


@dataclass(frozen=True, repr=False)
class QtiPackage:
    """A QTI package: its ``files`` (name -> bytes), the same questions as Moodle XML, the ids it holds,
    and what it left out.

    ``left_out`` holds (question id, kind, reason); ``several_answers`` the ids of match
    questions with an item that accepts more than one answer (to check after a Canvas import);
    ``drawn`` the slots whose versions are drawn one per learner, as (slot, version ids).
    """

    files: dict[str, bytes]
    moodle_xml: bytes
    included: tuple[str, ...]
    left_out: tuple[tuple[str, str, str], ...]
    several_answers: tuple[str, ...]
    drawn: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def zip_bytes(self) -> bytes:
        """The package as the bytes of a .zip file."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in sorted(self.files.items()):
                archive.writestr(zipfile.ZipInfo(name, _STAMP), content, zipfile.ZIP_DEFLATED)
        return buffer.getvalue()

    def write(self, path: PathLike) -> list[Path]:
        """Write the .zip to ``path`` and the Moodle XML beside it (NAME_moodle.xml); return both paths.

        The folder is created if needed.
        """
        target = Path(path).expanduser()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(self.zip_bytes())
        moodle = target.with_name(target.stem + "_moodle.xml")
        moodle.write_bytes(self.moodle_xml)
        return [target, moodle]

    def summary(self) -> str:
        """A few lines for a console: how many questions, and each one left out with the reason."""
        lines = [f"QTI package: {len(self.included)} questions; {len(self.left_out)} left out."]
        lines += [f"  - {qid} ({kind}): left out, {reason}" for qid, kind, reason in self.left_out]
        if self.drawn:
            lines.append("One version per learner (Canvas imports a question group that picks 1; in Moodle, add one "
                         "random question from the category named after the question): "
                         + "; ".join(f"{slot} ({', '.join(versions)})" for slot, versions in self.drawn))
        if self.several_answers:
            lines.append("Check after import (Canvas's and Moodle's matching questions keep one right answer per "
                         "item; these have items that accept several): " + ", ".join(self.several_answers))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.summary()


def qti_package(*, data: DataSource = None) -> QtiPackage:
    """The QTI 1.2 package of the banks' single, multiple and match questions, in course order.

    ``data`` is the course data whose banks to use (a CourseData, a data folder, or None for
    the course's own).
    """
    from rolelib.data import course_data
    from rolelib.questions import load_banks

    banks = load_banks(course_data(data))
    parts, included, left_out, several, slots = [], [], [], [], []
    for entry in banks.values():
        versions, items = [], []
        for question in entry.versions:
            form = question.quiz_form()
            if form.form is None:
                left_out.append((question.id, question.kind, form.left_out))
                continue
            versions.append(question)
            items.append(_WRITERS[form.form](question, form))
            if any(len(pair.accepted) > 1 for pair in form.pairs):
                several.append(question.id)
        parts += [_draw_one(entry.slot, items)] if len(items) > 1 else items
        included += [question.id for question in versions]
        slots += [tuple(versions)] if versions else []
    quiz_id = "rolelib-" + hashlib.sha256("\n".join(included).encode()).hexdigest()[:12]
    files = {"imsmanifest.xml": xml_document(_manifest(quiz_id)),
             f"{quiz_id}/{quiz_id}.xml": xml_document(_assessment(quiz_id, parts))}
    drawn = tuple((versions[0].slot, tuple(q.id for q in versions)) for versions in slots if len(versions) > 1)
    return QtiPackage(files, moodle_questions(slots), tuple(included), tuple(left_out), tuple(several), drawn)


def _draw_one(slot: str, items: list[ET.Element]) -> ET.Element:
    """The versions of one slot as a section that draws one of them per learner (Canvas: a group that picks 1)."""
    section = ET.Element("section", ident=f"versions_{slot}", title=f"{slot}: one of {len(items)} versions")
    selection = ET.SubElement(ET.SubElement(section, "selection_ordering"), "selection")
    ET.SubElement(selection, "selection_number").text = "1"
    ET.SubElement(ET.SubElement(selection, "selection_extension"), "points_per_item").text = "1.0"
    section.extend(items)
    return section


# --- the items ---------------------------------------------------------------------------------


def _one(question: Question, form: QuizForm) -> ET.Element:
    item, processing, ids = _options_item(question, form, "multiple_choice_question", "Single")
    _scoring(processing, _any_of(_RESPONSE, [ids[option.key] for option in form.right_options]), "Set", "100")
    return item


def _several(question: Question, form: QuizForm) -> ET.Element:
    item, processing, ids = _options_item(question, form, "multiple_answers_question", "Multiple")
    every = ET.Element("and")
    for option in form.options:
        chosen = _any_of(_RESPONSE, [ids[option.key]])
        if option.right:
            every.append(chosen)
        else:
            ET.SubElement(every, "not").append(chosen)
    _scoring(processing, every, "Set", "100")
    return item


def _matching(question: Question, form: QuizForm) -> ET.Element:
    item, presentation, processing = _item(question, "matching_question")
    ids = _option_ids(question, form)
    share = f"{100 / len(form.pairs):.2f}"
    for number, pair in enumerate(form.pairs, start=1):
        respident = f"response_{number}"
        _choices(presentation, respident, "Single", ids, form.options, prompt=pair.text)
        accepted = [ids[key] for key in pair.accepted]
        _scoring(processing, _any_of(respident, accepted), "Add", share)
        if pair.feedback:
            _wrong_feedback(item, processing, respident, accepted, f"{respident}_fb", pair.feedback)
    return item


_WRITERS: dict[str, Callable[[Question, QuizForm], ET.Element]] = {
    "one": _one, "several": _several, "matching": _matching}


# --- the parts items share ------------------------------------------------------------------------


def _options_item(question: Question, form: QuizForm, question_type: str,
                  cardinality: str) -> tuple[ET.Element, ET.Element, dict[str, str]]:
    """An item answered by choosing among the options, each with its feedback; returns (item, resprocessing, ids)."""
    item, presentation, processing = _item(question, question_type)
    ids = _option_ids(question, form)
    _choices(presentation, _RESPONSE, cardinality, ids, form.options)
    _per_option_feedback(item, processing, form, ids)
    return item, processing, ids


def _item(question: Question, question_type: str) -> tuple[ET.Element, ET.Element, ET.Element]:
    """A new item with its metadata, prompt and general feedback; returns (item, presentation, resprocessing)."""
    item = ET.Element("item", ident=question.id, title=question.id)
    fields = ET.SubElement(ET.SubElement(item, "itemmetadata"), "qtimetadata")
    for label, entry in (("question_type", question_type), ("points_possible", "1.0")):
        field = ET.SubElement(fields, "qtimetadatafield")
        ET.SubElement(field, "fieldlabel").text = label
        ET.SubElement(field, "fieldentry").text = entry
    presentation = ET.SubElement(item, "presentation")
    presentation.append(_material(markdown(question.prompt), "text/html"))
    processing = ET.SubElement(item, "resprocessing")
    outcomes = ET.SubElement(processing, "outcomes")
    ET.SubElement(outcomes, "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    always = ET.SubElement(processing, "respcondition", {"continue": "Yes"})
    ET.SubElement(ET.SubElement(always, "conditionvar"), "other")
    ET.SubElement(always, "displayfeedback", feedbacktype="Response", linkrefid="general_fb")
    _feedback(item, "general_fb", question.explanation)
    return item, presentation, processing


def _choices(presentation: ET.Element, respident: str, cardinality: str, ids: dict[str, str],
             options: Iterable[QuizOption], prompt: str | None = None) -> None:
    response = ET.SubElement(presentation, "response_lid", ident=respident, rcardinality=cardinality)
    if prompt is not None:
        response.append(_material(prompt, "text/plain"))
    render = ET.SubElement(response, "render_choice")
    for option in options:
        label = ET.SubElement(render, "response_label", ident=ids[option.key])
        label.append(_material(option.text, "text/plain"))


def _per_option_feedback(item: ET.Element, processing: ET.Element, form: QuizForm, ids: dict[str, str]) -> None:
    """Each option's feedback (the bank's, on a wrong option), shown when the learner chose it."""
    for option in form.options:
        if option.feedback:
            condition = ET.SubElement(processing, "respcondition", {"continue": "Yes"})
            ET.SubElement(condition, "conditionvar").append(_any_of(_RESPONSE, [ids[option.key]]))
            ET.SubElement(condition, "displayfeedback", feedbacktype="Response", linkrefid=f"{ids[option.key]}_fb")
            _feedback(item, f"{ids[option.key]}_fb", option.feedback)


def _wrong_feedback(item: ET.Element, processing: ET.Element, respident: str, right: list[str], ident: str,
                    text: str) -> None:
    """Feedback shown when a match item's choice is none of the accepted ones."""
    condition = ET.SubElement(processing, "respcondition", {"continue": "Yes"})
    ET.SubElement(ET.SubElement(condition, "conditionvar"), "not").append(_any_of(respident, right))
    ET.SubElement(condition, "displayfeedback", feedbacktype="Response", linkrefid=ident)
    _feedback(item, ident, text)


def _any_of(respident: str, idents: list[str]) -> ET.Element:
    """The condition that the response is one of ``idents`` (a single varequal, or an 'or' of them)."""
    accepted = [ET.Element("varequal", respident=respident) for _ in idents]
    for element, ident in zip(accepted, idents):
        element.text = ident
    if len(accepted) == 1:
        return accepted[0]
    either = ET.Element("or")
    either.extend(accepted)
    return either


def _scoring(processing: ET.Element, condition: ET.Element, action: str, value: str) -> None:
    rule = ET.SubElement(processing, "respcondition", {"continue": "Yes" if action == "Add" else "No"})
    ET.SubElement(rule, "conditionvar").append(condition)
    ET.SubElement(rule, "setvar", action=action, varname="SCORE").text = value


def _feedback(item: ET.Element, ident: str, text: str) -> None:
    feedback = ET.SubElement(item, "itemfeedback", ident=ident)
    ET.SubElement(feedback, "flow_mat").append(_material(markdown(text), "text/html"))


def _material(text: str, texttype: str) -> ET.Element:
    material = ET.Element("material")
    ET.SubElement(material, "mattext", texttype=texttype).text = text
    return material


def _option_ids(question: Question, form: QuizForm) -> dict[str, str]:
    return {option.key: f"{question.id}-{number}" for number, option in enumerate(form.options, start=1)}


# --- the package --------------------------------------------------------------------------------


def _assessment(quiz_id: str, parts: list[ET.Element]) -> ET.Element:
    root = ET.Element("questestinterop", xmlns=_QTI_NS)
    assessment = ET.SubElement(root, "assessment", ident=quiz_id, title=QUIZ_TITLE)
    section = ET.SubElement(assessment, "section", ident="root_section")
    section.extend(parts)
    return root


def _manifest(quiz_id: str) -> ET.Element:
    manifest = ET.Element("manifest", identifier=f"{quiz_id}-manifest", xmlns=_CP_NS)
    metadata = ET.SubElement(manifest, "metadata")
    ET.SubElement(metadata, "schema").text = "IMS Content"
    ET.SubElement(metadata, "schemaversion").text = "1.1.3"
    ET.SubElement(manifest, "organizations")
    resource = ET.SubElement(ET.SubElement(manifest, "resources"), "resource", identifier=quiz_id,
                             type="imsqti_xmlv1p2", href=f"{quiz_id}/{quiz_id}.xml")
    ET.SubElement(resource, "file", href=f"{quiz_id}/{quiz_id}.xml")
    return manifest


