"""The banks as a quiz an LMS imports: a QTI 1.2 package of the single, multiple and match questions.

:func:`qti_package` builds a .zip that Canvas imports as a quiz ("Import Course Content",
content type "QTI .zip file"), so an instructor can run the course's final assessment inside
the LMS. Each question keeps its id (as the item's title), its prompt (Markdown rendered to
safe HTML: raw HTML in a bank is shown as text), its options as plain text, the answer key
from the bank, the bank's feedback on each wrong option, and the explanation as general
feedback. Classify questions (statements drawn from the course data, several to a role) and
reflections (no answer key) are left out and listed with the reason.

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
['classify', 'classify', 'classify', 'reflect', 'reflect']
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

from rolelib._markup import markdown
from rolelib.kinds.choice import MultipleChoice, SingleChoice
from rolelib.kinds.reflect import Reflect
from rolelib.kinds.sorting import Classify, Match
from rolelib.instructor.moodle_xml import moodle_questions

if TYPE_CHECKING:
    from rolelib._types import DataSource, PathLike
    from rolelib.kinds.base import Question

QUIZ_TITLE = "CIO vs CISO course: questions from the course's banks"
"""The quiz's title in the LMS."""

_QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
_CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
_RESPONSE = "response1"
_STAMP = (1980, 1, 1, 0, 0, 0)  # every file's date in the zip: the same banks give the same bytes
_LEFT_OUT = {
    Classify: "a classify question draws its statements from the course data and puts several under "
              "each role; the package holds fixed questions with one form each",
    Reflect: "a reflection has no answer key to grade against",
}


@dataclass(frozen=True, repr=False)
class QtiPackage:
    """A QTI package: its ``files`` (name -> bytes), the same questions as Moodle XML, the ids it holds,
    and what it left out.

    ``left_out`` holds (question id, kind, reason); ``several_answers`` the ids of match
    questions with an item that accepts more than one answer (to check after a Canvas import).
    """

    files: dict[str, bytes]
    moodle_xml: bytes
    included: tuple[str, ...]
    left_out: tuple[tuple[str, str, str], ...]
    several_answers: tuple[str, ...]

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
    items, included, left_out, several, questions = [], [], [], [], []
    for question in banks.values():
        write = _WRITERS.get(type(question))
        if write is None:
            reason = _LEFT_OUT.get(type(question), "the package has no form for this kind of question")
            left_out.append((question.id, question.kind, reason))
            continue
        items.append(write(question))
        included.append(question.id)
        questions.append(question)
        if any(len(accepted) > 1 for accepted in _accepted(question).values()):
            several.append(question.id)
    quiz_id = "rolelib-" + hashlib.sha256("\n".join(included).encode()).hexdigest()[:12]
    files = {"imsmanifest.xml": _xml(_manifest(quiz_id)), f"{quiz_id}/{quiz_id}.xml": _xml(_assessment(quiz_id, items))}
    return QtiPackage(files, moodle_questions(questions), tuple(included), tuple(left_out), tuple(several))


# --- the items ---------------------------------------------------------------------------------


def _single(question: Question) -> ET.Element:
    item, presentation, processing = _item(question, "multiple_choice_question")
    ids = _option_ids(question)
    _choices(presentation, _RESPONSE, "Single", ids, question.options)
    _per_option_feedback(item, processing, question, ids)
    right = ET.Element("varequal", respident=_RESPONSE)
    right.text = ids[question.answer]
    _scoring(processing, right, "Set", "100")
    return item


def _multiple(question: Question) -> ET.Element:
    item, presentation, processing = _item(question, "multiple_answers_question")
    ids = _option_ids(question)
    _choices(presentation, _RESPONSE, "Multiple", ids, question.options)
    _per_option_feedback(item, processing, question, ids)
    every = ET.Element("and")
    for option in question.options:
        chosen = ET.Element("varequal", respident=_RESPONSE)
        chosen.text = ids[option]
        if option in question.answer:
            every.append(chosen)
        else:
            ET.SubElement(every, "not").append(chosen)
    _scoring(processing, every, "Set", "100")
    return item


def _match(question: Question) -> ET.Element:
    item, presentation, processing = _item(question, "matching_question")
    ids = _option_ids(question)
    share = f"{100 / len(question.items):.2f}"
    for number, entry in enumerate(question.items, start=1):
        respident = f"response_{number}"
        _choices(presentation, respident, "Single", ids, question.options, prompt=entry.text,
                 show=question.label)
        accepted = [ET.Element("varequal", respident=respident) for _ in question.answer[entry.key]]
        for element, choice in zip(accepted, question.answer[entry.key]):
            element.text = ids[choice]
        condition = accepted[0] if len(accepted) == 1 else _wrap("or", accepted)
        _scoring(processing, condition, "Add", share)
        if entry.key in question.feedback:
            _wrong_feedback(item, processing, respident, [ids[c] for c in question.answer[entry.key]],
                            f"{respident}_fb", question.feedback[entry.key])
    return item


_WRITERS: dict[type, Callable[[Question], ET.Element]] = {
    SingleChoice: _single, MultipleChoice: _multiple, Match: _match}


# --- the parts items share ------------------------------------------------------------------------


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
             options: Iterable[str], prompt: str | None = None, show: Callable[[str], str] = str) -> None:
    response = ET.SubElement(presentation, "response_lid", ident=respident, rcardinality=cardinality)
    if prompt is not None:
        response.append(_material(prompt, "text/plain"))
    render = ET.SubElement(response, "render_choice")
    for option in options:
        label = ET.SubElement(render, "response_label", ident=ids[option])
        label.append(_material(show(option), "text/plain"))


def _per_option_feedback(item: ET.Element, processing: ET.Element, question: Question, ids: dict[str, str]) -> None:
    """The bank's feedback on a wrong option, shown when the learner chose it."""
    for option in question.options:
        if option in question.feedback:
            condition = ET.SubElement(processing, "respcondition", {"continue": "Yes"})
            ET.SubElement(ET.SubElement(condition, "conditionvar"), "varequal", respident=_RESPONSE).text = ids[option]
            ET.SubElement(condition, "displayfeedback", feedbacktype="Response", linkrefid=f"{ids[option]}_fb")
            _feedback(item, f"{ids[option]}_fb", question.feedback[option])


def _wrong_feedback(item: ET.Element, processing: ET.Element, respident: str, right: list[str], ident: str,
                    text: str) -> None:
    """Feedback shown when a match item's choice is none of the accepted ones."""
    condition = ET.SubElement(processing, "respcondition", {"continue": "Yes"})
    accepted = [ET.Element("varequal", respident=respident) for _ in right]
    for element, choice in zip(accepted, right):
        element.text = choice
    ET.SubElement(ET.SubElement(condition, "conditionvar"), "not").append(
        accepted[0] if len(accepted) == 1 else _wrap("or", accepted))
    ET.SubElement(condition, "displayfeedback", feedbacktype="Response", linkrefid=ident)
    _feedback(item, ident, text)


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


def _wrap(tag: str, children: list[ET.Element]) -> ET.Element:
    element = ET.Element(tag)
    element.extend(children)
    return element


def _option_ids(question: Question) -> dict[str, str]:
    return {option: f"{question.id}-{number}" for number, option in enumerate(question.options, start=1)}


def _accepted(question: Question) -> dict[str, tuple[str, ...]]:
    """Each match item's accepted choices ({} for other kinds)."""
    return dict(question.answer) if isinstance(question, Match) else {}


# --- the package --------------------------------------------------------------------------------


def _assessment(quiz_id: str, items: list[ET.Element]) -> ET.Element:
    root = ET.Element("questestinterop", xmlns=_QTI_NS)
    assessment = ET.SubElement(root, "assessment", ident=quiz_id, title=QUIZ_TITLE)
    section = ET.SubElement(assessment, "section", ident="root_section")
    section.extend(items)
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


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)
