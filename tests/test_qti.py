"""The QTI package: unzipped and parsed, every answer key checked against the banks."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from typing import Any

import pytest
import yaml
from pydantic_core import core_schema as cs

from rolelib.cli import main
from rolelib.instructor.qti import qti_package
from rolelib.kinds import KINDS, Question, QuizForm, QuizOption
from rolelib.kinds.base import required
from rolelib.kinds.choice import MultipleChoice, SingleChoice
from rolelib.kinds.sorting import Match
from rolelib.questions import load_banks, load_versions
from tests.helpers import TRUE_FALSE_ENTRY, variant_data

NS = {"q": "http://www.imsglobal.org/xsd/ims_qtiasiv1p2", "cp": "http://www.imsglobal.org/xsd/imscp_v1p1"}
EXPORTED = (SingleChoice, MultipleChoice, Match)


def _items(archive: bytes) -> dict[str, ET.Element]:
    """Every item of the package, by its title, found through the manifest as an LMS finds it."""
    with zipfile.ZipFile(io.BytesIO(archive)) as package:
        manifest = ET.fromstring(package.read("imsmanifest.xml"))
        hrefs = [file.get("href") for file in manifest.iterfind(".//cp:resource/cp:file", NS)]
        items = {}
        for href in hrefs:
            for item in ET.fromstring(package.read(href)).iterfind(".//q:item", NS):
                items[item.get("title")] = item
    return items


def _text(element: ET.Element) -> str:
    return element.find(".//q:mattext", NS).text


def _labels(response: ET.Element) -> dict[str, str]:
    """Option ident -> the text the learner sees."""
    return {label.get("ident"): _text(label) for label in response.iterfind(".//q:response_label", NS)}


def _set_score_conditions(item: ET.Element) -> list[ET.Element]:
    return [rule.find("q:conditionvar", NS)[0] for rule in item.iterfind(".//q:respcondition", NS)
            if rule.find("q:setvar", NS) is not None]


def _chosen(condition: ET.Element) -> set[str]:
    """The idents a condition requires (varequal directly or under 'and'), leaving out those under 'not'."""
    if condition.tag.endswith("varequal"):
        return {condition.text}
    return {child.text for child in condition if child.tag.endswith("varequal")}


@pytest.fixture(scope="module", params=["course banks", "banks with variants"])
def data(request, tmp_path_factory):
    """The course's own data, and a data copy whose focus bank has variants of every kind."""
    return None if request.param == "course banks" else variant_data(tmp_path_factory.mktemp("variants"))


@pytest.fixture(scope="module")
def package(data):
    return qti_package(data=data)


@pytest.fixture(scope="module")
def items(package):
    return _items(package.zip_bytes())


@pytest.fixture(scope="module")
def banks(data):
    """Every version of every question, by id: each bank entry and its variants."""
    return load_versions(data)


def test_every_single_multiple_and_match_question_is_in_the_package(items, banks):
    expected = {qid for qid, question in banks.items() if isinstance(question, EXPORTED)}
    assert set(items) == expected


def test_classify_and_reflect_questions_are_listed_as_left_out_with_the_reason(package, banks):
    expected = {qid for qid, question in banks.items() if not isinstance(question, EXPORTED)}
    assert {qid for qid, _, _ in package.left_out} == expected
    assert all(reason for _, _, reason in package.left_out)
    for qid in expected:
        assert f"  - {qid} ({banks[qid].kind}): left out, " in package.summary()


def test_single_choice_marks_exactly_the_answer_correct(items, banks):
    for qid, question in banks.items():
        if isinstance(question, SingleChoice):
            response = items[qid].find(".//q:response_lid", NS)
            labels = _labels(response)
            assert response.get("rcardinality") == "Single"
            assert list(labels.values()) == list(question.options), qid
            (condition,) = _set_score_conditions(items[qid])
            assert [labels[ident] for ident in _chosen(condition)] == [question.answer], qid


def test_multiple_choice_requires_exactly_the_right_options(items, banks):
    for qid, question in banks.items():
        if isinstance(question, MultipleChoice):
            response = items[qid].find(".//q:response_lid", NS)
            labels = _labels(response)
            assert response.get("rcardinality") == "Multiple"
            (condition,) = _set_score_conditions(items[qid])
            required = {labels[ident] for ident in _chosen(condition)}
            forbidden = {labels[child[0].text] for child in condition if child.tag.endswith("not")}
            assert required == set(question.answer), qid
            assert forbidden == set(question.options) - set(question.answer), qid


def test_every_match_pair_is_right(items, banks):
    for qid, question in banks.items():
        if isinstance(question, Match):
            responses = items[qid].findall(".//q:response_lid", NS)
            assert [_text(response) for response in responses] == [entry.text for entry in question.items], qid
            conditions = _set_score_conditions(items[qid])
            assert len(conditions) == len(question.items)
            for response, entry, condition in zip(responses, question.items, conditions):
                labels = _labels(response)
                assert set(labels.values()) == {question.label(option) for option in question.options}
                accepted = [condition] if condition.tag.endswith("varequal") else list(condition)
                assert all(c.get("respident") == response.get("ident") for c in accepted)
                assert sorted(labels[c.text] for c in accepted) == sorted(
                    question.label(choice) for choice in question.answer[entry.key]), (qid, entry.key)


def test_every_question_is_worth_one_point_and_a_full_answer_scores_100_percent(items, banks):
    """One point per question, as in the course's own score; a match gives each item its share of the 100."""
    for qid, item in items.items():
        fields = {field.findtext("q:fieldlabel", namespaces=NS): field.findtext("q:fieldentry", namespaces=NS)
                  for field in item.iterfind(".//q:qtimetadatafield", NS)}
        assert float(fields["points_possible"]) == 1.0, qid
        scores = [(rule.find("q:setvar", NS).get("action"), float(rule.find("q:setvar", NS).text))
                  for rule in item.iterfind(".//q:respcondition", NS) if rule.find("q:setvar", NS) is not None]
        if isinstance(banks[qid], Match):
            assert {action for action, _ in scores} == {"Add"}, qid
            assert sum(value for _, value in scores) == pytest.approx(100, abs=0.05), qid
        else:
            assert [value for _, value in scores] == [100.0], qid


def test_the_explanation_is_general_feedback_and_wrong_options_keep_their_feedback(items, banks):
    for qid, item in items.items():
        feedback = {fb.get("ident"): _text(fb) for fb in item.iterfind("q:itemfeedback", NS)}
        first_words = banks[qid].explanation.split()[:3]
        assert all(word in feedback["general_fb"] for word in first_words), qid
    single = next(q for q in banks.values() if isinstance(q, SingleChoice) and q.feedback)
    option, text = next(iter(single.feedback.items()))
    ident = f"{single.id}-{single.options.index(option) + 1}_fb"
    feedback = {fb.get("ident"): _text(fb) for fb in items[single.id].iterfind("q:itemfeedback", NS)}
    assert text.split()[0] in feedback[ident]


def test_bank_text_reaches_the_package_as_text_never_as_markup(data_copy):
    payload = '<img src=x onerror="alert(1)">'
    bank = data_copy / "questions" / "01_focus.yaml"
    text = bank.read_text(encoding="utf-8")
    bank.write_text(text.replace("\n    prompt: >-\n", f"\n    prompt: >-\n      {payload}\n")
                    .replace("\n    explanation: >-\n", f"\n    explanation: >-\n      {payload}\n"), encoding="utf-8")
    items = _items(qti_package(data=data_copy).zip_bytes())
    html = [mattext.text for item in items.values() for mattext in item.iterfind(".//q:mattext", NS)
            if mattext.get("texttype") == "text/html"]
    assert sum("&lt;img" in text for text in html) >= 2
    assert not any("<img" in text for text in html)


def test_control_characters_in_the_data_and_banks_still_give_well_formed_xml(data_copy):
    """XML 1.0 forbids most control characters: one pasted into roles.csv (a vertical tab, as some editors put
    for a line break) or written as an escape in a bank would make the LMS refuse the whole file."""
    roles = data_copy / "roles.csv"
    roles.write_text(roles.read_text(encoding="utf-8").replace("Chief Information Officer",
                                                               "Chief Information\vOfficer", 1), encoding="utf-8")
    bank = data_copy / "questions" / "01_focus.yaml"
    document = yaml.safe_load(bank.read_text(encoding="utf-8"))
    document["questions"][0]["prompt"] = "Ctrl \x01 ]]> & <"  # written as the escape "\x01" in the YAML
    bank.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    package = qti_package(data=data_copy)
    items = _items(package.zip_bytes())  # parses every file of the package
    moodle = ET.fromstring(package.moodle_xml)
    nodes = [*moodle.iter(), *(node for item in items.values() for node in item.iter())]
    texts = [node.text or "" for node in nodes]
    assert any("Chief Information\ufffdOfficer" in text for text in texts)
    assert any("Ctrl \ufffd ]]&gt; &amp; &lt;" in text for text in texts)


def test_the_same_banks_give_the_same_package_bytes(package, data):
    assert qti_package(data=data).zip_bytes() == package.zip_bytes()


def test_qti_command_writes_the_package_and_lists_what_it_left_out(tmp_path, capsys):
    package = qti_package()
    out = tmp_path / "quiz" / "final.zip"
    assert main(["qti", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert out.read_bytes() == package.zip_bytes()
    assert (tmp_path / "quiz" / "final_moodle.xml").read_bytes() == package.moodle_xml
    assert f"QTI package: {len(package.included)} questions; {len(package.left_out)} left out." in printed
    assert f"Wrote {out} (QTI 1.2, for Canvas) and {tmp_path / 'quiz' / 'final_moodle.xml'}" in printed


def test_qti_command_with_a_broken_data_folder_says_so(tmp_path, capsys):
    assert main(["qti", "--data", str(tmp_path / "nothing-here"), "--out", str(tmp_path / "q.zip")]) == 1
    assert "rolelib qti:" in capsys.readouterr().err
    assert not (tmp_path / "q.zip").exists()


def test_moodle_xml_holds_the_same_questions_with_the_right_answers(package, banks):
    from rolelib._markup import escape

    questions = {q.findtext("name/text"): q for q in ET.fromstring(package.moodle_xml).iterfind("question")
                 if q.get("type") != "category"}
    assert list(questions) == list(package.included)
    for qid, element in questions.items():
        question = banks[qid]
        if isinstance(question, Match):
            pairs = [(sub.findtext("text"), sub.findtext("answer/text")) for sub in element.iterfind("subquestion")]
            asked = [(text, answer) for text, answer in pairs if text]
            assert [text for text, _ in asked] == [escape(entry.text) for entry in question.items], qid
            for (_, answer), entry in zip(asked, question.items):
                assert answer in {question.label(choice) for choice in question.answer[entry.key]}, qid
            assert {answer for _, answer in pairs} == {question.label(option) for option in question.options}, qid
        else:
            fractions = {a.findtext("text"): float(a.get("fraction")) for a in element.iterfind("answer")}
            assert list(fractions) == [escape(option) for option in question.options], qid
            right = set(question.answer) if isinstance(question, MultipleChoice) else {question.answer}
            assert {text for text, value in fractions.items() if value > 0} == {escape(r) for r in right}, qid
            assert sum(value for value in fractions.values() if value > 0) == pytest.approx(100, abs=0.01), qid
            assert element.findtext("single") == ("false" if isinstance(question, MultipleChoice) else "true")
            wrong = [value for text, value in fractions.items() if text not in {escape(r) for r in right}]
            if isinstance(question, MultipleChoice):  # a wrong tick cancels a right one, as in the course
                assert wrong == [pytest.approx(-100 / len(right), abs=0.01)] * len(wrong), qid
            else:
                assert set(wrong) == {0.0}, qid
        assert (element.findtext("defaultgrade"), element.findtext("penalty")) == ("1", "0"), "no cost for a retry"


# --- a kind defined here alone reaches the package through its quiz_form ---------------------------


@dataclass(frozen=True, kw_only=True)
class Statement(Question):
    """A statement the learner calls true or false; as a quiz question it has no form of its own."""

    kind = "statement"
    FIELDS = {"answer": required(cs.bool_schema(strict=True))}

    @classmethod
    def from_bank(cls, fields: Any, common: dict[str, Any], context: Any, report: Any) -> Question:
        return cls(options=("True", "False"), answer="True" if fields.answer else "False", **common)


@dataclass(frozen=True, kw_only=True)
class TrueFalse(Statement):
    """The same statement, described for a quiz system: one answer out of True and False."""

    kind = "truefalse"

    def quiz_form(self) -> QuizForm:
        return QuizForm("one", tuple(QuizOption(option, f"It is {option.lower()}", option == self.answer,
                                                self.feedback.get(option, "")) for option in self.options))


TEST_KIND_ENTRIES = TRUE_FALSE_ENTRY + """
  - id: st-1
    kind: statement
    topic: focus
    level: remember
    prompt: A CIO's focus is enabling the business with technology.
    answer: true
    explanation: Enabling the business is the CIO's focus.
    source: article
"""


@pytest.fixture
def extra_kinds(monkeypatch, data_copy):
    """Two kinds registered for one test, and a data copy whose focus bank holds one question of each."""
    monkeypatch.setitem(KINDS, "statement", Statement)
    monkeypatch.setitem(KINDS, "truefalse", TrueFalse)
    bank = data_copy / "questions" / "01_focus.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").rstrip("\n") + "\n" + TEST_KIND_ENTRIES, encoding="utf-8")
    return data_copy


def test_a_kind_defined_in_a_test_reaches_the_package_through_its_quiz_form_alone(extra_kinds):
    package = qti_package(data=extra_kinds)
    item = _items(package.zip_bytes())["tf-1"]
    response = item.find(".//q:response_lid", NS)
    labels = _labels(response)
    assert response.get("rcardinality") == "Single"
    assert list(labels.values()) == ["It is true", "It is false"]
    (condition,) = _set_score_conditions(item)
    assert [labels[ident] for ident in _chosen(condition)] == ["It is false"]
    feedback = {fb.get("ident"): _text(fb) for fb in item.iterfind("q:itemfeedback", NS)}
    assert "the CISO protects" in feedback["tf-1-1_fb"] and "protection" in feedback["general_fb"]

    moodle = {q.findtext("name/text"): q for q in ET.fromstring(package.moodle_xml).iterfind("question")}
    fractions = {a.findtext("text"): a.get("fraction") for a in moodle["tf-1"].iterfind("answer")}
    assert fractions == {"It is true": "0", "It is false": "100"}
    assert moodle["tf-1"].findtext("single") == "true"

    # a kind that gives no quiz form is left out, with the reason, and the rest of the package is whole
    assert ("st-1", "statement", "the package has no form for this kind of question") in package.left_out
    assert "st-1" not in package.included and "st-1" not in moodle
    assert set(package.included) == {"tf-1", *qti_package().included}


def test_a_question_with_no_quiz_form_is_refused_by_the_moodle_writer_with_the_reason():
    from rolelib.instructor.moodle_xml import moodle_questions

    banks = load_banks()
    with pytest.raises(ValueError, match="start-3 cannot be a Moodle quiz question: a reflection has no answer key"):
        moodle_questions([[banks["focus-1"]], [banks["start-3"]]])


# --- variants: one version per learner -------------------------------------------------------------


@pytest.fixture(scope="module")
def with_variants(tmp_path_factory):
    """A data copy with variants of every kind, its package, and the slots whose versions it draws from."""
    folder = variant_data(tmp_path_factory.mktemp("drawn"))
    slots = {entry.slot: [entry.id] + [variant.id for variant in entry.variants]
             for entry in load_banks(folder).values() if entry.variants and isinstance(entry, EXPORTED)}
    return qti_package(data=folder), slots


def test_the_versions_of_a_slot_are_a_section_that_draws_one_per_learner(with_variants):
    package, slots = with_variants
    # The test bank's single, multiple and match slots (its classify and reflect are left out).
    assert sorted(slot for slot in slots if slot.startswith("v-")) == ["v-match", "v-multiple", "v-single"]
    with zipfile.ZipFile(io.BytesIO(package.zip_bytes())) as archive:
        (href,) = [name for name in archive.namelist() if name != "imsmanifest.xml"]
        root = ET.fromstring(archive.read(href)).find(".//q:section[@ident='root_section']", NS)
    groups = root.findall("q:section", NS)
    drawn = {}
    for group in groups:
        assert group.findtext("q:selection_ordering/q:selection/q:selection_number", namespaces=NS) == "1"
        drawn[group.get("title").split(":")[0]] = [item.get("title") for item in group.findall("q:item", NS)]
    assert drawn == slots
    assert dict(package.drawn) == {slot: tuple(ids) for slot, ids in slots.items()}
    alone = [item.get("title") for item in root.findall("q:item", NS)]
    assert not set(alone) & {qid for ids in slots.values() for qid in ids}
    assert "v-single (v-single, v-single-b, v-single-c)" in package.summary()


def test_in_moodle_xml_the_versions_of_a_slot_are_a_category_named_after_it(with_variants):
    from rolelib.instructor.moodle_xml import CATEGORY

    package, slots = with_variants
    category, placed = None, {}
    for question in ET.fromstring(package.moodle_xml).iterfind("question"):
        if question.get("type") == "category":
            category = question.findtext("category/text")
        else:
            placed.setdefault(category, []).append(question.findtext("name/text"))
    assert {path: ids for path, ids in placed.items() if path != CATEGORY} == {
        f"{CATEGORY}/{slot}": ids for slot, ids in slots.items()}
    assert sorted(placed[CATEGORY] + [qid for ids in slots.values() for qid in ids]) == sorted(package.included)
