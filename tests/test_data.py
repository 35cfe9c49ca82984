"""The shipped data set loads, is complete, and behaves as notebooks expect."""

from __future__ import annotations

import csv
import re
import subprocess
import sys

import pandas as pd
import pytest

import rolelib
from rolelib import UnknownNameError
from rolelib._schema import TABLES
from tests.helpers import DATA, add_chief_data_officer, append_rows


@pytest.fixture(scope="module")
def data():
    return rolelib.load()


def test_load_returns_every_table_as_dataframes(data):
    assert set(data.tables) == set(TABLES)
    for name, frame in data.tables.items():
        assert isinstance(frame, pd.DataFrame), name
        assert len(frame) > 0, name
        assert list(frame.columns) == list(TABLES[name].columns), name


def test_roles_include_the_compared_roles_and_the_reporting_targets(data):
    roles = data.roles.set_index("role_id")
    assert data.compared_roles == ["CIO", "CISO", "CSO"]
    assert {"CEO", "COO", "CTO"} <= set(roles.index)
    assert set(roles.loc[["CEO", "COO", "CTO"], "group"]) == {"executive"}


def test_closed_vocabularies_are_categoricals(data):
    assert isinstance(data.reporting_lines["typicality"].dtype, pd.CategoricalDtype)
    weight = data.role_certifications["weight"]
    assert weight.cat.ordered
    assert list(weight.cat.categories) == ["situational", "beneficial", "highly recommended"]
    assert list(data.focus["role_id"].cat.categories) == list(data.roles["role_id"])


def test_every_fact_row_cites_a_known_source(data):
    known = set(data.sources["source_id"])
    for name, frame in data.tables.items():
        if "source_id" in frame and name != "sources":
            assert frame["source_id"].isin(known).all(), name


def test_certification_issuers_cite_the_issuing_body(data):
    certs = data.certifications.set_index("certification_id")
    assert certs.loc["CISSP", "issuer"] == "ISC2"
    assert certs.loc["CISM", "issuer"] == certs.loc["CGEIT", "issuer"] == "ISACA"
    assert (certs["source_id"] != "article").all()


def test_the_article_facts_are_all_there(data):
    """A fact-by-fact check of the article against the tables (see the review in the README)."""
    lines = {(r.role_id, r.reports_to, r.typicality) for r in data.reporting_lines.itertuples()}
    assert lines == {("CIO", "CEO", "typical"), ("CIO", "COO", "typical"), ("CISO", "CIO", "possible"),
                     ("CISO", "CTO", "possible"), ("CISO", "CEO", "possible")}
    weights = {(r.role_id, r.certification_id): r.weight for r in data.role_certifications.itertuples()}
    assert weights[("CISO", "CISSP")] == weights[("CISO", "CISM")] == "highly recommended"
    assert weights[("CIO", "CGEIT")] == weights[("CIO", "PMP")] == "beneficial"
    fields = data.education.groupby("role_id", observed=True)["field"].apply(lambda s: set(s.astype(str)))
    assert {"business", "information technology", "management information systems", "MBA",
            "IT leadership", "digital strategy"} <= fields["CIO"]
    assert {"cybersecurity", "cybersecurity engineering", "information security",
            "information technology"} <= fields["CISO"]
    goals = data.focus.groupby("role_id", observed=True)["goal"].apply(lambda s: set(s.astype(str)))
    assert {"innovation", "business growth", "efficiency"} <= goals["CIO"]
    assert {"data protection", "risk", "compliance", "threats"} <= goals["CISO"]
    assert {"physical security", "personnel security"} <= goals["CSO"]
    counts = data.responsibilities["role_id"].value_counts()
    assert counts["CIO"] == 12 and counts["CISO"] == 11 and counts["CSO"] == 4


def test_no_sentence_of_the_article_is_copied(data, copied_from_article):
    for name, frame in data.tables.items():
        for column in ("statement", "definition", "question"):
            if column not in frame:
                continue
            for text in frame[column].dropna():
                assert not copied_from_article(str(text)), f"{name}: {text!r} copies eight words of the article"


def test_compare_puts_two_roles_side_by_side(data):
    table = data.compare("CIO", "CISO", "certifications")
    assert list(table.columns) == ["CIO", "CISO"]
    assert table["CISO"].str.contains("highly recommends").any()
    with pytest.raises(KeyError, match="no role 'CFO'"):
        data.compare("CIO", "CFO", "focus")
    with pytest.raises(UnknownNameError, match="the differences are: roles, focus"):
        data.facts("salary")
    with pytest.raises(UnknownNameError, match="no role 'CFO'; the roles are: CIO, CISO"):
        data.role_title("CFO")
    with pytest.warns(DeprecationWarning, match="difference="):
        assert data.facts(dimension="focus").equals(data.facts("focus"))


def test_one_title_for_each_difference(data):
    assert [data.difference_title(d) for d in data.differences["dimension_id"]] == data.differences["title"].tolist()
    with pytest.raises(UnknownNameError, match="did you mean 'focus'"):
        data.difference_title("focs")


def test_facts_include_the_notes_of_a_dimension(data):
    facts = data.facts("certifications")
    assert facts["statement"].str.contains("compliance").any()


def test_load_reads_a_folder_again_after_an_edit(data_copy):
    first = rolelib.load(data_copy)
    path = data_copy / "roles.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("The organisation's top executive",
                                                             "The top executive"), encoding="utf-8")
    import os
    os.utime(path, ns=(1, 1))  # a different modification time, as after saving in an editor
    second = rolelib.load(data_copy)
    assert first.roles.set_index("role_id").loc["CEO", "definition"].startswith("The organisation's top executive")
    assert second.roles.set_index("role_id").loc["CEO", "definition"].startswith("The top executive")


def test_an_edit_to_loaded_data_stays_with_the_data_that_was_edited():
    """A learner experiments with the DataFrames in one cell; nothing else in the kernel changes."""
    from rolelib import charts

    d = rolelib.load()
    d.roles.loc[d.roles.role_id == "CIO", "title"] = "Chief Banana Officer"
    assert d.role_title("CIO") == "Chief Banana Officer"
    assert rolelib.load().role_title("CIO") == "Chief Information Officer"
    legend = [text.get_text() for text in charts.responsibilities_chart().texts if text.get_gid() == "legend"]
    assert "CIO: Chief Information Officer" in legend
    edited = [text.get_text() for text in charts.responsibilities_chart(data=d).texts if text.get_gid() == "legend"]
    assert "CIO: Chief Banana Officer" in edited, "a chart drawn from the edited data shows the edit"
    real = charts.render(charts.responsibilities_chart()).png
    assert charts.rendered("responsibilities", data=d).png != real
    assert charts.rendered("responsibilities").png == real, "the chart kept for the course's data is not the edited one"
    exercise = rolelib.exercise("start-1")
    assert "Chief Information Officer" in exercise.static_text() and "Banana" not in exercise.static_text()
    assert "Banana" not in rolelib.facts_table("roles")._repr_html_()


def test_load_works_from_another_directory(tmp_path):
    code = "import rolelib; d = rolelib.load(); print(len(d.roles))"
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "6"


def test_import_rolelib_stays_light():
    code = ("import sys, rolelib; heavy = [m for m in ('matplotlib', 'ipywidgets', 'pydantic_core', 'pandas') "
            "if m in sys.modules]; print(heavy)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_a_custom_role_with_words_of_its_own_is_accepted(data_copy):
    """An instructor copies data/ and adds a CDO with goals and areas of its own, by editing the CSV files."""
    data = rolelib.load(add_chief_data_officer(data_copy))
    assert data.compared_roles == ["CIO", "CISO", "CSO", "CDO"]
    assert data.role_title("CDO") == "Chief Data <Officer> & Co"
    assert "data value" in set(data.focus["goal"].astype(str))
    assert "data governance" in set(data.responsibilities["area"].astype(str))
    assert list(data.compare("CDO", "CIO", "responsibilities")["CDO"][:1]) == ["Decides who may use which data."]


def test_a_goal_missing_from_the_vocabulary_is_refused_with_the_fix(data_copy):
    append_rows(data_copy / "focus.csv", "F-CIO-9,CIO,enable,data value,core,Gets value out of data.,article")
    with pytest.raises(rolelib.DataError, match="add a row to vocabulary.csv for a new goal"):
        rolelib.load(data_copy)
    append_rows(data_copy / "vocabulary.csv", "goal,data value,Getting value out of data.")
    assert "data value" in set(rolelib.load(data_copy).focus["goal"].astype(str))


def test_the_vocabulary_describes_every_word_the_tables_use(data):
    vocabulary = data.vocabulary
    for table, column, kind in [("focus", "goal", "goal"), ("responsibilities", "area", "area"),
                                ("education", "field", "field"), ("certifications", "area", "certification area")]:
        terms = set(vocabulary.loc[vocabulary["kind"] == kind, "term"])
        assert set(data.tables[table][column].astype(str)) <= terms, table
    assert vocabulary["description"].str.len().min() > 5


def test_data_dictionary_documents_every_column():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", readme, flags=re.MULTILINE)
    documented = {}
    for section in sections[1:]:
        title, _, body = section.partition("\n")
        documented[title.strip()] = set(re.findall(r"^\| `([a-z_]+)` \|", body, flags=re.MULTILINE))
    for table in TABLES.values():
        with open(DATA / table.file, encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle))
        assert table.file in documented, f"data/README.md has no section for {table.file}"
        missing = set(header) - documented[table.file]
        assert not missing, f"{table.file}: columns not documented in data/README.md: {sorted(missing)}"
        assert documented[table.file] == set(table.columns), table.file
