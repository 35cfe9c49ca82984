"""The charts show what the data says: colours, counts, labels, legends and alt text, the learner's score too."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest
from matplotlib.colors import to_hex, to_rgb

from rolelib import charts
from rolelib import UnknownNameError
from rolelib.data import load
from tests.helpers import CHARTS, add_chief_data_officer, append_rows, by_gid, draw_chart, texts_of

# Okabe and Ito's colour-blind-safe palette, in their order: the roles take them from blue on.
OKABE_ITO = {"orange": "#E69F00", "sky blue": "#56B4E9", "bluish green": "#009E73", "yellow": "#F0E442",
             "blue": "#0072B2", "vermillion": "#D55E00", "reddish purple": "#CC79A7"}


# --------------------------------------------------------------------------- palette


def test_roles_get_okabe_ito_colours_in_roles_csv_order(custom):
    order = custom.roles["role_id"].astype(str).tolist()
    styles = {role: charts.role_style(role, data=custom) for role in order}
    expected = ["blue", "vermillion", "bluish green", "orange", "reddish purple", "sky blue", "yellow"]
    assert [styles[role].colour.upper() for role in order] == [OKABE_ITO[name] for name in expected[:len(order)]]
    assert order[:3] == ["CIO", "CISO", "CSO"] and styles["CDO"].colour.upper() == OKABE_ITO["yellow"]
    assert len(set(styles.values())) == len(styles), "every role, the added CDO too, needs its own colour, hatch and marker"
    with pytest.raises(UnknownNameError, match="CIO"):
        charts.role_style("CFO", data=custom)


def test_the_same_role_has_the_same_colour_in_every_chart(data):
    blue = to_hex(charts.role_style("CIO", data=data).colour)
    focus = charts.focus_chart(data=data)
    bars = charts.responsibilities_chart(data=data)
    assert {to_hex(m.get_markerfacecolor()) for gid, m in by_gid(focus.axes[0].lines, "focus:F-CIO-").items()
            if not gid.endswith("4")} == {blue}
    assert {to_hex(p.get_facecolor()) for p in by_gid(bars.axes[0].patches, "bar:CIO:").values()} == {blue}


# --------------------------------------------------------------------------- content


def test_focus_chart_has_one_marker_per_goal_filled_when_core(data):
    fig = charts.focus_chart(data=data)
    markers = by_gid(fig.axes[0].lines, "focus:")
    assert set(markers) == {f"focus:{i}" for i in data.focus["focus_id"]}
    for row in data.focus.itertuples():
        face = to_hex(markers[f"focus:{row.focus_id}"].get_markerfacecolor())
        assert (face == "#ffffff") == (row.centrality == "secondary")
    assert sorted(texts_of(fig, "row-label")) == sorted(set(data.focus["goal"].astype(str)))
    assert texts_of(fig, "column-label") == ["CIO", "CISO", "CSO"]
    assert texts_of(fig).count("secondary") == (data.focus["centrality"] == "secondary").sum()
    assert {"ENABLE", "PROTECT"} <= set(texts_of(fig))
    assert len(texts_of(fig, "legend")) == 2


def test_responsibilities_chart_counts_each_role_by_area_and_marks_shared_areas(data):
    fig = charts.responsibilities_chart(data=data)
    ax = fig.axes[0]
    bars = by_gid(ax.patches, "bar:")
    expected = Counter(zip(data.responsibilities["role_id"].astype(str), data.responsibilities["area"].astype(str)))
    assert {gid: int(bar.get_width()) for gid, bar in bars.items()} == {
        f"bar:{role}:{area}": n for (role, area), n in expected.items()}
    holders = data.responsibilities.groupby("area", observed=True)["role_id"].nunique()
    shared = {t.get_gid(): t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("shared:")}
    assert shared == {"shared:strategy": "shared: CIO, CISO", "shared:technology": "shared: CIO, CISO",
                      "shared:policy": "shared: CIO, CISO", "shared:leadership": "shared: CIO, CISO",
                      "shared:compliance": "shared: CIO, CISO",
                      "shared:cybersecurity": "shared: CISO, CSO"}
    assert len(shared) == (holders > 1).sum()
    assert [t.startswith(role) for t, role in zip(texts_of(fig, "legend"), ["CIO", "CISO", "CSO"])] == [True] * 3
    assert len(texts_of(fig, "row-label")) == data.responsibilities["area"].nunique()


def test_responsibilities_chart_filters_by_role_and_area(data):
    only_cso = charts.responsibilities_chart(data=data, roles=["CSO"])
    assert {gid.split(":")[1] for gid in by_gid(only_cso.axes[0].patches, "bar:")} == {"CSO"}
    assert "shared: CISO, CSO" in texts_of(only_cso), "sharing is counted over every role, not only those shown"
    risk = charts.responsibilities_chart(data=data, areas=["risk"])
    assert set(by_gid(risk.axes[0].patches, "bar:")) == {"bar:CISO:risk"}
    nothing = charts.responsibilities_chart(data=data, roles=["CSO"], areas=["budget"])
    assert nothing.axes == [] and "no responsibility of CSO in budget" in nothing.alt_text
    with pytest.raises(UnknownNameError, match="areas are"):
        charts.responsibilities_chart(data=data, areas=["cooking"])


def test_education_chart_shows_each_entry_and_links_the_shared_field(data):
    fig = charts.education_chart(data=data)
    ax = fig.axes[0]
    assert set(by_gid(ax.lines, "education:")) == {f"education:{i}" for i in data.education["education_id"]}
    assert Counter(t for t in texts_of(fig) if t in {"usually", "often", "sometimes"}) == Counter(
        data.education["how_common"].astype(str))
    assert [t.get_text() for t in by_gid(ax.texts, "shared-label").values()] == ["shared: CIO, CISO"]
    (link,) = by_gid(ax.lines, "shared-link").values()
    xs = link.get_xdata()
    assert xs[0] < 0 < 1 - 0.5 < xs[1], "the link runs from the CIO column to the CISO column"
    assert {"BACKGROUND", "DEGREE", "GRADUATE DEGREE"} <= set(texts_of(fig))


def test_certifications_chart_is_a_matrix_shaded_and_labelled_by_weight(data):
    fig = charts.certifications_chart(data=data)
    ax = fig.axes[0]
    cells = by_gid(ax.patches, "cell:")
    links = data.role_certifications
    roles, certificates = links["role_id"].astype(str).unique(), data.certifications["certification_id"]
    assert len(cells) == len(roles) * len(certificates)
    filled = {gid for gid, cell in cells.items() if to_hex(cell.get_facecolor()) != "#ffffff"}
    assert filled == {f"cell:{r}:{c}" for r, c in zip(links["role_id"], links["certification_id"])}
    labels = [t.get_text().replace("\n", " ") for t in ax.texts if t.get_gid() == "weight"]
    assert Counter(labels) == Counter(links["weight"].astype(str))
    shade = {str(r.weight): cells[f"cell:{r.role_id}:{r.certification_id}"].get_facecolor() for r in links.itertuples()}
    weights = list(links["weight"].cat.categories)
    light = [sum(to_rgb(shade[w])) for w in weights]
    assert light == sorted(light, reverse=True), "heavier weights are darker"
    assert texts_of(fig, "legend")[:3] == weights


def test_reporting_chart_draws_every_role_and_line_with_its_style(data):
    fig = charts.reporting_chart(data=data)
    ax = fig.axes[0]
    lines = data.reporting_lines
    nodes = by_gid(ax.patches, "node:")
    assert set(nodes) == {f"node:{r}" for r in set(lines["role_id"].astype(str)) | set(lines["reports_to"].astype(str))}
    assert texts_of(fig, "node-label") and set(texts_of(fig, "node-label")) == {g[5:] for g in nodes}
    edges = by_gid(ax.patches, "line:")
    assert len(edges) == len(lines)
    for line in lines.itertuples():
        style = edges[f"line:{line.line_id}"].get_linestyle()
        assert (style == "-") == (line.typicality == "typical"), line.line_id

        def middle(role):
            box = nodes[f"node:{role}"]
            return box.get_y() + box.get_height() / 2

        assert middle(line.reports_to) > middle(line.role_id), "a boss is drawn above"
    assert texts_of(fig, "legend") == ["typical reporting line", "possible reporting line"]


def test_reporting_chart_highlights_one_line(data):
    fig = charts.reporting_chart(data=data, ciso_reports_to="CTO")
    widths = {gid: p.get_linewidth() for gid, p in by_gid(fig.axes[0].patches, "line:").items()}
    picked = widths.pop("line:L-CISO-CTO")
    assert all(picked > width for width in widths.values())
    assert fig.alt_text.endswith("Highlighted: CISO reports to CTO.")
    assert "selected: CISO reports to CTO" in texts_of(fig, "legend")
    same = charts.reporting_chart(data=data, highlight=("CIO", "COO"))
    thickest = max(by_gid(same.axes[0].patches, "line:").values(), key=lambda p: p.get_linewidth())
    assert thickest.get_gid() == "line:L-CIO-COO"
    with pytest.raises(UnknownNameError, match="the roles the CISO may report to are: CIO, CTO, CEO"):
        charts.reporting_chart(data=data, ciso_reports_to="COO")


def test_reporting_chart_survives_a_loop_in_the_data(data_copy):
    folder = data_copy
    append_rows(folder / "reporting_lines.csv", "L-CTO-CISO,CTO,CISO,possible,Made up to close a loop.,article")
    fig = charts.reporting_chart(data=load(folder))
    assert len(by_gid(fig.axes[0].patches, "line:")) == 6


def test_overview_counts_match_the_data(data):
    fig = charts.overview_chart(data=data)
    ax = fig.axes[0]
    labels = {(round(t.get_position()[0], 6), round(t.get_position()[1], 6)): t.get_text() for t in ax.texts}
    counted: dict[tuple[str, str], int] = Counter()
    for gid, bar in by_gid(ax.patches, "").items():
        if gid.count(":") != 2:
            continue
        dimension, _, role = gid.split(":")
        centre = (round(bar.get_x() + bar.get_width() / 2, 6), round(bar.get_y() + bar.get_height() / 2, 6))
        counted[(dimension, role)] += int(labels[centre])
    for dimension, table in [("focus", data.focus), ("responsibilities", data.responsibilities),
                             ("education", data.education), ("certifications", data.role_certifications),
                             ("reporting", data.reporting_lines)]:
        for role in data.compared_roles:
            assert counted[(dimension, role)] == (table["role_id"] == role).sum(), (dimension, role)
    assert [t.replace("\n", " ") for t in texts_of(fig, "panel-title")] == data.differences["title"].tolist()
    assert texts_of(fig, "row-label") == data.compared_roles
    assert fig.alt_text.startswith("The 5 differences at a glance for CIO, CISO and CSO")


def test_an_added_role_with_words_of_its_own_appears_in_every_chart(custom):
    """A CDO added by editing a data copy only: its goals and areas are its own, not the course's."""
    assert "CDO" in custom.compared_roles
    for name in CHARTS:
        fig = draw_chart(name, custom)
        assert "CDO" in fig.alt_text, name
        assert "CDO" in texts_of(fig) or any("CDO" in t for t in texts_of(fig)), name
    focus = charts.focus_chart(data=custom)
    assert "data value" in texts_of(focus, "row-label") and "core goals enable (data value, business growth)" in focus.alt_text
    bars = charts.responsibilities_chart(data=custom)
    assert int(by_gid(bars.axes[0].patches, "bar:CDO:data governance")["bar:CDO:data governance"].get_width()) == 2
    assert "shared: CIO, CISO, CDO" in texts_of(bars)
    assert "shared: CIO, CISO, CDO" in texts_of(charts.education_chart(data=custom))
    chart = charts.reporting_chart(data=custom)
    assert {"node:CDO", "line:L-CDO-CEO", "line:L-CDO-CIO"} <= set(by_gid(chart.axes[0].patches, ""))
    assert "cell:CDO:CGEIT" in by_gid(charts.certifications_chart(data=custom).axes[0].patches, "cell:")


def test_an_exercise_runs_on_data_with_an_added_role(data_copy):
    import rolelib
    from rolelib import testing

    exercise = rolelib.exercise("resp-1", data=add_chief_data_officer(data_copy))
    testing.answer(exercise, testing.correct_answer(exercise))
    assert testing.check(exercise).startswith("✓")


def test_the_focus_alt_text_gives_each_role_its_own_goals(data):
    alt = charts.focus_chart(data=data).alt_text
    for role in data.compared_roles:
        rows = data.focus[data.focus["role_id"] == role]
        core = rows.loc[rows["centrality"] == "core", "goal"].astype(str).tolist()
        assert f"{role}: core goals " in alt, role
        said = alt.split(f"{role}: core goals ", 1)[1].split(". ", 1)[0]
        assert all(goal in said for goal in core), (role, said)
    assert alt.count(": core goals ") == len(data.compared_roles)


def test_the_overview_draws_each_role_in_its_own_colour(data):
    ax = charts.overview_chart(data=data).axes[0]
    faces = {}
    for gid, bar in by_gid(ax.patches, "").items():
        if gid.count(":") == 2 and to_hex(bar.get_facecolor()) != "#ffffff":
            faces.setdefault(gid.split(":")[2], set()).add(to_hex(bar.get_facecolor()).upper())
    solid = {role: colours - {"#E6E6E6", "#999999", "#4D4D4D"} for role, colours in faces.items()}
    assert solid == {"CIO": {OKABE_ITO["blue"]}, "CISO": {OKABE_ITO["vermillion"]}, "CSO": {OKABE_ITO["bluish green"]}}


@pytest.mark.parametrize("name", CHARTS)
def test_alt_text_names_the_roles_shown(name, data):
    fig = draw_chart(name, data)
    shown = {"focus": ["CIO", "CISO", "CSO"], "responsibilities": ["CIO", "CISO", "CSO"],
             "education": ["CIO", "CISO"], "certifications": ["CIO", "CISO"],
             "reporting": ["CEO", "COO", "CTO", "CIO", "CISO"], "overview": ["CIO", "CISO", "CSO"]}[name]
    for role in shown:
        assert role in fig.alt_text
    assert 40 < len(fig.alt_text) < 1200


def test_charts_can_be_limited_to_two_roles(data):
    pair = ["CIO", "CSO"]
    for name in ["focus", "education"]:
        assert texts_of(draw_chart(name, data, roles=pair), "column-label") == pair, name
    assert texts_of(charts.certifications_chart(data=data, roles=pair), "row-label") == pair
    assert texts_of(charts.overview_chart(data=data, roles=pair), "row-label") == pair
    bars = by_gid(charts.responsibilities_chart(data=data, roles=pair).axes[0].patches, "bar:")
    assert {gid.split(":")[1] for gid in bars} == set(pair)
    chart = charts.reporting_chart(data=data, roles=pair)
    assert set(by_gid(chart.axes[0].patches, "line:")) == {"line:L-CIO-CEO", "line:L-CIO-COO", "line:L-CISO-CIO"}
    nothing = charts.reporting_chart(data=data, roles=["CSO"])
    assert nothing.axes == [] and "no reporting line for CSO" in nothing.alt_text


# --------------------------------------------------------------------------- the learner's score


def test_score_chart_shows_each_difference_from_the_summary(data):
    summary = pd.DataFrame({"topic": ["roles", "focus", "reporting", "review", "education"],
                            "attempted": [0, 4, 2, 5, 0], "correct": [0, 3, 0, 4, 0],
                            "score": [0.0, 3.0, 0.0, 4.0, 0.0]})
    fig = charts.score_chart(summary, data=data)
    ax = fig.axes[0]
    bars = {gid: bar.get_width() for gid, bar in by_gid(ax.patches, "score:").items()}
    assert bars == {"score:focus": 75.0, "score:reporting": 0.0, "score:review": 80.0}
    assert texts_of(fig, "row-label") == [*data.differences["title"], "Review: the final assessment"]
    assert texts_of(fig).count("not attempted yet") == 3
    assert "75% (3 of 4 correct)" in texts_of(fig, "score")
    assert "Reporting structure 0% (0 of 2 correct)" in fig.alt_text
    by_index = charts.score_chart(summary.set_index("topic"), data=data)
    assert by_index.alt_text == fig.alt_text


def test_score_chart_reads_the_progress_store(data):
    from rolelib.progress import Attempt, ProgressStore

    store = ProgressStore(":memory:")
    store.record(Attempt("q-1", "01_focus", "focus", "single", "CIO", True, 1.0, 0))
    store.record(Attempt("q-2", "01_focus", "focus", "single", "CSO", False, 0.0, 0))
    store.record(Attempt("q-3", "04_certifications", "certifications", "single", "CISM", True, 0.5, 1))
    fig = charts.score_chart(store.summary("topic"), data=data)
    bars = {gid: bar.get_width() for gid, bar in by_gid(fig.axes[0].patches, "score:").items()}
    assert bars == {"score:focus": 50.0, "score:certifications": 50.0}
    assert "Focus of the position 50% (1 of 2 correct)" in fig.alt_text
    from rolelib import progress

    assert "No answers recorded yet" in charts.score_chart().alt_text, "the learner's own store is still empty"
    progress.store().record(Attempt("q-4", "05_reporting_structure", "reporting", "single", "CEO", True, 1.0, 0))
    assert "Reporting structure 100% (1 of 1 correct)" in charts.score_chart().alt_text


def test_score_chart_without_attempts_says_so():
    from rolelib.progress import ProgressStore

    for empty in (pd.DataFrame(columns=["topic", "attempted", "correct", "score"]),
                  ProgressStore(":memory:").summary("topic")):
        fig = charts.score_chart(empty)
        assert "No answers recorded yet" in fig.alt_text
        assert any("No answers recorded yet" in t for t in texts_of(fig))
    with pytest.raises(ValueError, match="lacks the column"):
        charts.score_chart(pd.DataFrame({"topic": ["focus"]}))
    with pytest.raises(ValueError, match="between 0 and the number of questions attempted"):
        charts.score_chart(pd.DataFrame({"topic": ["focus"], "attempted": [1], "correct": [1], "score": [3.0]}))
