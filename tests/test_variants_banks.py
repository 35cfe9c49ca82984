"""Variants in the banks, and the version and order each learner sees."""

from __future__ import annotations

import pytest

from rolelib import DataError
from rolelib.questions import bank_problems, load_banks, load_versions
from rolelib.versions import version_for
from tests.helpers import CLASS, edit_bank


# --- the bank format ---------------------------------------------------------------------

def test_entries_keep_their_ids_and_carry_their_variants_for_every_kind(variants):
    banks = load_banks(variants)
    assert "v-single-b" not in banks
    carried = {question.kind: [v.id for v in question.variants] for question in banks.values()
               if question.variants and question.lesson == "01_focus"}
    assert carried == {"single": ["v-single-b", "v-single-c"], "multiple": ["v-multiple-b"],
                       "classify": ["v-classify-b"], "match": ["v-match-b"], "reflect": ["v-reflect-b"]}
    for entry in banks.values():
        assert entry.slot == entry.id
        for variant in entry.variants:
            assert (variant.slot, variant.kind, variant.topic, variant.level, variant.variants) == (
                entry.id, entry.kind, entry.topic, entry.level, ())


def test_a_variant_takes_what_it_does_not_give_from_its_entry(variants):
    versions = load_versions(variants)
    entry, variant, other = versions["v-single"], versions["v-single-b"], versions["v-single-c"]
    assert variant.options == entry.options and variant.hints == entry.hints == ("Think of growth.",)
    assert (variant.prompt, variant.answer) == ("Who protects the organisation's data?", "The CISO")
    assert other.options == ("The CIO", "The CISO", "The CSO")
    assert versions["v-classify-b"].options == ("CIO", "CSO")
    assert {item.key[:5] for item in versions["v-classify-b"].items} == {"R-CIO", "R-CSO"}
    assert versions["v-match-b"].answer["Compliance"] == ("CISO",)
    assert {version for version in load_versions(variants) if version.startswith("v-")} == {
        "v-single", "v-single-b", "v-single-c", "v-multiple", "v-multiple-b", "v-classify", "v-classify-b", "v-match",
        "v-match-b", "v-reflect", "v-reflect-b"}
    assert set(load_banks(variants)) <= set(load_versions(variants))


@pytest.mark.parametrize("field, value", [("kind", "multiple"), ("topic", "roles"), ("level", "analyse")])
def test_a_variant_may_not_change_kind_topic_or_level(variants, field, value):
    edit_bank(variants, lambda questions: questions["v-single"]["variants"][0].update({field: value}))
    problems = bank_problems(variants)
    assert [(p.row, p.column) for p in problems] == [("v-single-b", field)]
    assert "same slot as v-single" in problems[0].expected and "same kind, topic and level" in problems[0].expected
    with pytest.raises(DataError, match="v-single-b"):
        load_banks(variants)


def test_each_variant_is_checked_as_a_full_question_named_by_its_id(variants):
    def change(questions):
        questions["v-single"]["variants"][1]["answer"] = "The CEO"  # not among the variant's own options
        questions["v-match"]["variants"][0]["pairs"]["Compliance"] = "CFO"
        questions["v-multiple"]["variants"][0]["id"] = "v-single"  # the id of another question
        questions["v-reflect"]["variants"].append({"prompt": "No id."})
    edit_bank(variants, change)
    found = {(p.row, p.column) for p in bank_problems(variants)}
    assert found == {("v-single-c", "answer"), ("v-match-b", "pairs"), ("v-single", "id"),
                     ("v-reflect, variant 2", "variants")}


def test_a_problem_of_the_entry_is_not_repeated_for_each_variant(variants):
    edit_bank(variants, lambda questions: questions["v-single"].pop("explanation"))
    problems = bank_problems(variants)
    # v-single-c gives its own explanation; v-single-b takes it from the entry, so the entry's problem is enough.
    assert [(p.row, p.column) for p in problems] == [("v-single", "explanation")]


def test_variants_must_be_a_list_of_mappings(variants):
    edit_bank(variants, lambda questions: questions["v-single"].update(variants="v-single-b"))
    problems = bank_problems(variants)
    assert [(p.row, p.column) for p in problems] == [("v-single", "variants")]
    assert "a list of variants" in problems[0].expected


# --- the version a learner sees ------------------------------------------------------------

def test_no_identity_sees_the_bank_entry_in_bank_order(variants):
    for entry in load_banks(variants).values():
        assert version_for(entry, None) is entry
        assert version_for(entry, "") is entry


def test_a_learner_sees_the_same_version_and_order_every_time(variants):
    for entry in load_banks(variants).values():
        first = version_for(entry, "ada")
        assert version_for(entry, "ada") == first
        assert sorted(first.order_keys()) == sorted(load_versions(variants)[first.id].order_keys())


def test_neighbours_see_different_versions_and_orders(variants):
    banks = load_banks(variants)
    for slot in ("v-single", "v-multiple", "v-classify", "v-match", "v-reflect"):
        shown = [version_for(banks[slot], account) for account in CLASS]
        assert {version.id for version in shown} == {banks[slot].id, *(v.id for v in banks[slot].variants)}, slot
        if banks[slot].graded:
            orders = [version.order_keys() for version in shown]
            assert len(set(orders)) >= 10, (slot, orders)
            neighbours_alike = sum(a == b for a, b in zip(orders, orders[1:]))
            assert neighbours_alike <= 5, slot


def test_a_learner_is_not_given_the_same_version_of_every_question(variants):
    """Each question draws its own version: not "the second version of everything" for half the class."""
    banks = load_banks(variants)
    slots = [slot for slot in ("v-single", "v-multiple", "v-classify", "v-match", "v-reflect")
             if len(banks[slot].versions) == 2]
    assert len(slots) >= 3

    def positions(account):
        return {[v.id for v in banks[slot].versions].index(version_for(banks[slot], account).id) for slot in slots}

    assert sum(len(positions(account)) > 1 for account in CLASS) >= len(CLASS) // 2


def test_a_reflection_has_no_order(variants):
    entry = load_banks(variants)["v-reflect"]
    assert entry.order_keys() == () and version_for(entry, "ada").order_keys() == ()


@pytest.mark.parametrize("slot", ["v-single", "v-multiple", "v-classify", "v-match"])
def test_a_shuffled_version_grades_as_the_bank_version(variants, slot):
    versions = load_versions(variants)
    for account in CLASS[:6]:
        shown = version_for(load_banks(variants)[slot], account)
        bank = versions[shown.id]
        assert shown.in_order(bank.order_keys()) == bank
        assert shown.grade(bank.correct_answer()).correct
        with pytest.raises(ValueError):
            bank.in_order(bank.order_keys()[1:])
        with pytest.raises(ValueError):  # a stored order that names a part twice would show it twice
            bank.in_order(bank.order_keys() + bank.order_keys()[:1])
