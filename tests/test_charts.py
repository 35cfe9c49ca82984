"""The charts show what the data says: counts, labels, legends, alt text, style and display."""

from __future__ import annotations

import base64
import hashlib
import html
import io
import os
import subprocess
import sys
from collections import Counter, OrderedDict
from pathlib import Path

import matplotlib
import matplotlib.image
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex, to_rgb
from matplotlib.text import Text

from rolelib import charts
from rolelib import UnknownNameError
from rolelib.charts import display
from rolelib.data import load
from tests.helpers import add_chief_data_officer, append_rows

# Okabe and Ito's colour-blind-safe palette, in their order: the roles take them from blue on.
OKABE_ITO = {"orange": "#E69F00", "sky blue": "#56B4E9", "bluish green": "#009E73", "yellow": "#F0E442",
             "blue": "#0072B2", "vermillion": "#D55E00", "reddish purple": "#CC79A7"}
CHARTS = ["focus", "responsibilities", "education", "certifications", "reporting", "overview"]


def _gids(artists, prefix):
    return {a.get_gid(): a for a in artists if a.get_gid() and a.get_gid().startswith(prefix)}


def _texts(fig, gid=None):
    found = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text()]
    return [t.get_text() for t in found if gid is None or t.get_gid() == gid]


def _draw(name, data, **options):
    return display.CHARTS[name](data=data, **options)


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
    assert {to_hex(m.get_markerfacecolor()) for gid, m in _gids(focus.axes[0].lines, "focus:F-CIO-").items()
            if not gid.endswith("4")} == {blue}
    assert {to_hex(p.get_facecolor()) for p in _gids(bars.axes[0].patches, "bar:CIO:").values()} == {blue}


# --------------------------------------------------------------------------- content


def test_focus_chart_has_one_marker_per_goal_filled_when_core(data):
    fig = charts.focus_chart(data=data)
    markers = _gids(fig.axes[0].lines, "focus:")
    assert set(markers) == {f"focus:{i}" for i in data.focus["focus_id"]}
    for row in data.focus.itertuples():
        face = to_hex(markers[f"focus:{row.focus_id}"].get_markerfacecolor())
        assert (face == "#ffffff") == (row.centrality == "secondary")
    assert sorted(_texts(fig, "row-label")) == sorted(set(data.focus["goal"].astype(str)))
    assert _texts(fig, "column-label") == ["CIO", "CISO", "CSO"]
    assert _texts(fig).count("secondary") == (data.focus["centrality"] == "secondary").sum()
    assert {"ENABLE", "PROTECT"} <= set(_texts(fig))
    assert len(_texts(fig, "legend")) == 2


def test_responsibilities_chart_counts_each_role_by_area_and_marks_shared_areas(data):
    fig = charts.responsibilities_chart(data=data)
    ax = fig.axes[0]
    bars = _gids(ax.patches, "bar:")
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
    assert [t.startswith(role) for t, role in zip(_texts(fig, "legend"), ["CIO", "CISO", "CSO"])] == [True] * 3
    assert len(_texts(fig, "row-label")) == data.responsibilities["area"].nunique()


def test_responsibilities_chart_filters_by_role_and_area(data):
    only_cso = charts.responsibilities_chart(data=data, roles=["CSO"])
    assert {gid.split(":")[1] for gid in _gids(only_cso.axes[0].patches, "bar:")} == {"CSO"}
    assert "shared: CISO, CSO" in _texts(only_cso), "sharing is counted over every role, not only those shown"
    risk = charts.responsibilities_chart(data=data, areas=["risk"])
    assert set(_gids(risk.axes[0].patches, "bar:")) == {"bar:CISO:risk"}
    nothing = charts.responsibilities_chart(data=data, roles=["CSO"], areas=["budget"])
    assert nothing.axes == [] and "no responsibility of CSO in budget" in nothing.alt_text
    with pytest.raises(UnknownNameError, match="areas are"):
        charts.responsibilities_chart(data=data, areas=["cooking"])


def test_education_chart_shows_each_entry_and_links_the_shared_field(data):
    fig = charts.education_chart(data=data)
    ax = fig.axes[0]
    assert set(_gids(ax.lines, "education:")) == {f"education:{i}" for i in data.education["education_id"]}
    assert Counter(t for t in _texts(fig) if t in {"usually", "often", "sometimes"}) == Counter(
        data.education["how_common"].astype(str))
    assert [t.get_text() for t in _gids(ax.texts, "shared-label").values()] == ["shared: CIO, CISO"]
    (link,) = _gids(ax.lines, "shared-link").values()
    xs = link.get_xdata()
    assert xs[0] < 0 < 1 - 0.5 < xs[1], "the link runs from the CIO column to the CISO column"
    assert {"BACKGROUND", "DEGREE", "GRADUATE DEGREE"} <= set(_texts(fig))


def test_certifications_chart_is_a_matrix_shaded_and_labelled_by_weight(data):
    fig = charts.certifications_chart(data=data)
    ax = fig.axes[0]
    cells = _gids(ax.patches, "cell:")
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
    assert _texts(fig, "legend")[:3] == weights


def test_reporting_chart_draws_every_role_and_line_with_its_style(data):
    fig = charts.reporting_chart(data=data)
    ax = fig.axes[0]
    lines = data.reporting_lines
    nodes = _gids(ax.patches, "node:")
    assert set(nodes) == {f"node:{r}" for r in set(lines["role_id"].astype(str)) | set(lines["reports_to"].astype(str))}
    assert _texts(fig, "node-label") and set(_texts(fig, "node-label")) == {g[5:] for g in nodes}
    edges = _gids(ax.patches, "line:")
    assert len(edges) == len(lines)
    for line in lines.itertuples():
        style = edges[f"line:{line.line_id}"].get_linestyle()
        assert (style == "-") == (line.typicality == "typical"), line.line_id

        def middle(role):
            box = nodes[f"node:{role}"]
            return box.get_y() + box.get_height() / 2

        assert middle(line.reports_to) > middle(line.role_id), "a boss is drawn above"
    assert _texts(fig, "legend") == ["typical reporting line", "possible reporting line"]


def test_reporting_chart_highlights_one_line(data):
    fig = charts.reporting_chart(data=data, ciso_reports_to="CTO")
    widths = {gid: p.get_linewidth() for gid, p in _gids(fig.axes[0].patches, "line:").items()}
    picked = widths.pop("line:L-CISO-CTO")
    assert all(picked > width for width in widths.values())
    assert fig.alt_text.endswith("Highlighted: CISO reports to CTO.")
    assert "selected: CISO reports to CTO" in _texts(fig, "legend")
    same = charts.reporting_chart(data=data, highlight=("CIO", "COO"))
    thickest = max(_gids(same.axes[0].patches, "line:").values(), key=lambda p: p.get_linewidth())
    assert thickest.get_gid() == "line:L-CIO-COO"
    with pytest.raises(UnknownNameError, match="the roles the CISO may report to are: CIO, CTO, CEO"):
        charts.reporting_chart(data=data, ciso_reports_to="COO")


def test_reporting_chart_survives_a_loop_in_the_data(data_copy):
    folder = data_copy
    append_rows(folder / "reporting_lines.csv", "L-CTO-CISO,CTO,CISO,possible,Made up to close a loop.,article")
    fig = charts.reporting_chart(data=load(folder))
    assert len(_gids(fig.axes[0].patches, "line:")) == 6


def test_overview_counts_match_the_data(data):
    fig = charts.overview_chart(data=data)
    ax = fig.axes[0]
    labels = {(round(t.get_position()[0], 6), round(t.get_position()[1], 6)): t.get_text() for t in ax.texts}
    counted: dict[tuple[str, str], int] = Counter()
    for gid, bar in _gids(ax.patches, "").items():
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
    assert [t.replace("\n", " ") for t in _texts(fig, "panel-title")] == data.differences["title"].tolist()
    assert _texts(fig, "row-label") == data.compared_roles
    assert fig.alt_text.startswith("The 5 differences at a glance for CIO, CISO and CSO")


def test_an_added_role_with_words_of_its_own_appears_in_every_chart(custom):
    """A CDO added by editing a data copy only: its goals and areas are its own, not the course's."""
    assert "CDO" in custom.compared_roles
    for name in CHARTS:
        fig = _draw(name, custom)
        assert "CDO" in fig.alt_text, name
        assert "CDO" in _texts(fig) or any("CDO" in t for t in _texts(fig)), name
    focus = charts.focus_chart(data=custom)
    assert "data value" in _texts(focus, "row-label") and "core goals enable (data value, business growth)" in focus.alt_text
    bars = charts.responsibilities_chart(data=custom)
    assert int(_gids(bars.axes[0].patches, "bar:CDO:data governance")["bar:CDO:data governance"].get_width()) == 2
    assert "shared: CIO, CISO, CDO" in _texts(bars)
    assert "shared: CIO, CISO, CDO" in _texts(charts.education_chart(data=custom))
    chart = charts.reporting_chart(data=custom)
    assert {"node:CDO", "line:L-CDO-CEO", "line:L-CDO-CIO"} <= set(_gids(chart.axes[0].patches, ""))
    assert "cell:CDO:CGEIT" in _gids(charts.certifications_chart(data=custom).axes[0].patches, "cell:")


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
    for gid, bar in _gids(ax.patches, "").items():
        if gid.count(":") == 2 and to_hex(bar.get_facecolor()) != "#ffffff":
            faces.setdefault(gid.split(":")[2], set()).add(to_hex(bar.get_facecolor()).upper())
    solid = {role: colours - {"#E6E6E6", "#999999", "#4D4D4D"} for role, colours in faces.items()}
    assert solid == {"CIO": {OKABE_ITO["blue"]}, "CISO": {OKABE_ITO["vermillion"]}, "CSO": {OKABE_ITO["bluish green"]}}


@pytest.mark.parametrize("name", CHARTS)
def test_alt_text_names_the_roles_shown(name, data):
    fig = _draw(name, data)
    shown = {"focus": ["CIO", "CISO", "CSO"], "responsibilities": ["CIO", "CISO", "CSO"],
             "education": ["CIO", "CISO"], "certifications": ["CIO", "CISO"],
             "reporting": ["CEO", "COO", "CTO", "CIO", "CISO"], "overview": ["CIO", "CISO", "CSO"]}[name]
    for role in shown:
        assert role in fig.alt_text
    assert 40 < len(fig.alt_text) < 1200


def test_charts_can_be_limited_to_two_roles(data):
    pair = ["CIO", "CSO"]
    for name in ["focus", "education"]:
        assert _texts(_draw(name, data, roles=pair), "column-label") == pair, name
    assert _texts(charts.certifications_chart(data=data, roles=pair), "row-label") == pair
    assert _texts(charts.overview_chart(data=data, roles=pair), "row-label") == pair
    bars = _gids(charts.responsibilities_chart(data=data, roles=pair).axes[0].patches, "bar:")
    assert {gid.split(":")[1] for gid in bars} == set(pair)
    chart = charts.reporting_chart(data=data, roles=pair)
    assert set(_gids(chart.axes[0].patches, "line:")) == {"line:L-CIO-CEO", "line:L-CIO-COO", "line:L-CISO-CIO"}
    nothing = charts.reporting_chart(data=data, roles=["CSO"])
    assert nothing.axes == [] and "no reporting line for CSO" in nothing.alt_text


# --------------------------------------------------------------------------- style and display


def _png_pixels(fig):
    return matplotlib.image.imread(io.BytesIO(charts.render(fig).png), format="png")


@pytest.mark.parametrize("name", [*CHARTS, "score"])
def test_text_is_large_and_the_background_opaque_white(name, data):
    summary = pd.DataFrame({"topic": ["focus"], "attempted": [2], "correct": [1], "score": [1.0]})
    fig = charts.score_chart(summary, data=data) if name == "score" else _draw(name, data)
    sizes = {t.get_text(): t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text()}
    assert sizes and min(sizes.values()) >= 11, {t: s for t, s in sizes.items() if s < 11}
    assert to_hex(fig.get_facecolor(), keep_alpha=True) == "#ffffffff"
    pixels = _png_pixels(fig)
    assert pixels.shape[2] == 3 or pixels[..., 3].min() == 1.0, "no transparent pixel"
    assert tuple(pixels[0, 0, :3]) == (1.0, 1.0, 1.0)


def test_the_learners_matplotlib_settings_are_left_alone(data):
    before = dict(matplotlib.rcParams)
    charts.render(charts.overview_chart(data=data))
    assert dict(matplotlib.rcParams) == before


def test_no_figure_is_left_open():
    import matplotlib.pyplot as plt

    for name in CHARTS:
        display.CHARTS[name]()
    assert plt.get_fignums() == []
    fig = plt.figure()
    fig.alt_text = "A figure made with pyplot."
    assert plt.get_fignums()
    assert charts.show(fig).alt == "A figure made with pyplot."
    assert plt.get_fignums() == []


@pytest.fixture
def shell(tmp_path, monkeypatch):
    """An IPython shell for one test; what it changes in the process is put back afterwards."""
    import builtins

    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.setitem(sys.modules, "__main__", sys.modules["__main__"])
    names = set(vars(builtins))
    config = Config()
    config.HistoryManager.enabled = False
    yield InteractiveShell.instance(config=config)
    InteractiveShell.clear_instance()
    for name in set(vars(builtins)) - names:
        delattr(builtins, name)


def test_show_is_one_output_with_png_alt_text_and_caption_shown_as_the_cells_value(shell, custom):
    from IPython.utils.capture import capture_output

    with capture_output() as captured:
        shell.run_cell("from rolelib import charts; charts.show('focus')")
    assert captured.outputs == [], "show() displays nothing itself: the cell shows what it returns"
    shell.user_ns["custom"] = custom
    result = shell.run_cell("charts.show('education', data=custom)")
    bundle, _ = shell.display_formatter.format(result.result)
    assert set(bundle) == {"text/html", "image/png", "text/plain"}
    alt = charts.education_chart(data=custom).alt_text
    assert bundle["text/plain"] == alt
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG\r\n\x1a\n")
    page = bundle["text/html"]
    assert page.startswith('<figure class="rolelib-chart mathjax_ignore tex2jax_ignore"')
    assert f'<img src="data:image/png;base64,{bundle["image/png"]}" alt="{html.escape(alt)}"' in page
    assert f"<figcaption>{html.escape(alt)}</figcaption>" in page
    assert "statistics & <data> science" in alt
    assert "<data>" not in page and "statistics &amp; &lt;data&gt; science" in page


def test_show_names_the_charts_it_knows():
    with pytest.raises(UnknownNameError, match="the charts are: focus, responsibilities"):
        charts.show("budget")
    with pytest.raises(TypeError):
        charts.show(charts.focus_chart(), roles=["CIO"])


def test_png_bytes_are_the_same_on_every_run(data):
    first = charts.render(charts.reporting_chart(data=data, ciso_reports_to="CTO")).png
    assert charts.render(charts.reporting_chart(data=data, ciso_reports_to="CTO")).png == first
    script = ("import hashlib, sys; from rolelib import charts; "
              "sys.stdout.write(hashlib.sha256(charts.render(charts.reporting_chart(ciso_reports_to='CTO')).png)"
              ".hexdigest())")
    env = {**os.environ, "PYTHONHASHSEED": "12345", "MPLBACKEND": "Agg"}
    other = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True,
                           cwd=Path(__file__).resolve().parents[1])
    assert other.stdout == hashlib.sha256(first).hexdigest()


@pytest.fixture
def drawn(monkeypatch):
    """Counts the charts rendered from here on (by alt text); the charts kept before are forgotten."""
    counts = Counter()
    draw = display.render

    def counting(fig):
        counts[fig.alt_text] += 1
        return draw(fig)

    monkeypatch.setattr(display, "render", counting)
    monkeypatch.setattr(display, "_KEPT", OrderedDict())
    return counts


def test_a_chart_asked_for_again_is_not_drawn_again(data, data_copy, drawn):
    first = charts.rendered("responsibilities", data=data, roles=["CISO"])
    assert charts.rendered("responsibilities", data=data, roles=("CISO",), areas=None) is first
    assert charts.rendered("responsibilities", data=load(), roles=["CISO"]) is first, "equal data, the same chart"
    assert charts.rendered("responsibilities", data=data, roles=["CIO"]) is not first
    assert sum(drawn.values()) == 2
    append_rows(data_copy / "responsibilities.csv", "R-CISO-99,CISO,risk,Runs a new risk review.,article")
    changed = charts.rendered("responsibilities", data=load(data_copy), roles=["CISO"])
    assert changed.alt != first.alt, "a changed data set is drawn anew"


def test_the_chart_kept_follows_an_edit_made_in_place(data, drawn):
    before = charts.rendered("overview", data=data)
    data.roles.loc[data.roles["role_id"] == "CIO", "role_id"] = "CXO"
    data.roles["role_id"] = data.roles["role_id"].astype(str)
    after = charts.rendered("overview", data=data)
    assert "CXO" not in before.alt and "CXO" in after.alt


def test_only_the_most_recent_charts_are_kept(data, drawn, monkeypatch):
    monkeypatch.setattr(display, "render", lambda fig: charts.RenderedChart(b"", fig.alt_text))  # only count here
    areas = list(data.responsibilities["area"].cat.categories)
    views = [(role, area) for role in ("CIO", "CISO", "CSO") for area in areas][:display.KEEP + 1]
    for role, area in views:
        charts.rendered("responsibilities", data=data, roles=[role], areas=[area])
    assert len(display._KEPT) == display.KEEP
    assert charts.rendered("responsibilities", data=data, roles=[views[-1][0]], areas=[views[-1][1]]).png == b""


def test_the_score_chart_kept_follows_the_saved_progress(drawn):
    from rolelib.progress import Attempt, store

    empty = charts.rendered("score")
    assert charts.rendered("score") is empty, "the same progress: the same chart"
    store().record(Attempt("q-4", "05_reporting_structure", "reporting", "single", "CEO", True, 1.0, 0))
    assert "Reporting structure 100% (1 of 1 correct)" in charts.rendered("score").alt


@pytest.mark.parametrize("name", CHARTS)
def test_each_name_draws_its_own_chart(name, data):
    """rendered() by name draws the chart of that name: the same picture as the chart function."""
    function = {"focus": charts.focus_chart, "responsibilities": charts.responsibilities_chart,
                "education": charts.education_chart, "certifications": charts.certifications_chart,
                "reporting": charts.reporting_chart, "overview": charts.overview_chart}[name]
    assert charts.rendered(name, data=data).png == charts.render(function(data=data)).png


# --------------------------------------------------------------------------- the learner's score


def test_score_chart_shows_each_difference_from_the_summary(data):
    summary = pd.DataFrame({"topic": ["roles", "focus", "reporting", "review", "education"],
                            "attempted": [0, 4, 2, 5, 0], "correct": [0, 3, 0, 4, 0],
                            "score": [0.0, 3.0, 0.0, 4.0, 0.0]})
    fig = charts.score_chart(summary, data=data)
    ax = fig.axes[0]
    bars = {gid: bar.get_width() for gid, bar in _gids(ax.patches, "score:").items()}
    assert bars == {"score:focus": 75.0, "score:reporting": 0.0, "score:review": 80.0}
    assert _texts(fig, "row-label") == [*data.differences["title"], "Review: the final assessment"]
    assert _texts(fig).count("not attempted yet") == 3
    assert "75% (3 of 4 correct)" in _texts(fig, "score")
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
    bars = {gid: bar.get_width() for gid, bar in _gids(fig.axes[0].patches, "score:").items()}
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
        assert any("No answers recorded yet" in t for t in _texts(fig))
    with pytest.raises(ValueError, match="lacks the column"):
        charts.score_chart(pd.DataFrame({"topic": ["focus"]}))
    with pytest.raises(ValueError, match="between 0 and the number of questions attempted"):
        charts.score_chart(pd.DataFrame({"topic": ["focus"], "attempted": [1], "correct": [1], "score": [3.0]}))


# --------------------------------------------------------------------------- roles at the edges

LONG_TITLE = "Chief Experience and Customer Journey Transformation Officer for Europe, the Middle East and Africa"
LONG_WORD = "Informationssicherheitsbeauftragter"


def _with_roles(folder, roles):
    """A data copy with compared roles added (id, title), each with a row in every table, reporting to the CEO."""
    append_rows(folder / "sources.csv", "instructor,instructor,Our programme's notes,Course team,Our school,,")
    for role, title in roles:
        append_rows(folder / "roles.csv", f'{role},"{title}",compared,"Does things.",instructor')
        append_rows(folder / "focus.csv", f"F-{role}-1,{role},enable,innovation,core,It innovates.,instructor")
        append_rows(folder / "responsibilities.csv", f"R-{role}-1,{role},strategy,It plans.,instructor")
        append_rows(folder / "education.csv", f"E-{role}-1,{role},degree,business,often,It studied.,instructor")
        append_rows(folder / "role_certifications.csv", f"C-{role}-PMP,{role},PMP,beneficial,Useful.,instructor")
        append_rows(folder / "reporting_lines.csv", f"L-{role}-CEO,{role},CEO,typical,It reports.,instructor")
    return load(folder)


def _extents(fig):
    """A function giving an artist's extent in pixels, as the saved PNG draws it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    with matplotlib.rc_context(charts.STYLE):
        renderer = fig.canvas.get_renderer()
        fig.draw(renderer)
    return lambda artist: artist.get_window_extent(renderer)


def _inside(inner, outer, slack=1.0):
    return (inner.x0 >= outer.x0 - slack and inner.x1 <= outer.x1 + slack
            and inner.y0 >= outer.y0 - slack and inner.y1 <= outer.y1 + slack)


def test_a_long_word_in_a_role_title_is_never_cut_in_two(data_copy):
    custom = _with_roles(data_copy, [("ISB", f"{LONG_WORD} der Gruppe")])
    for name in ["focus", "certifications", "reporting"]:
        words = " ".join(_texts(_draw(name, custom))).split()
        assert LONG_WORD in words, name


def test_a_long_role_title_stays_inside_its_box_and_its_row(data_copy):
    custom = _with_roles(data_copy, [("CXO", LONG_TITLE)])
    chart = charts.reporting_chart(data=custom)
    extent = _extents(chart)
    ax = chart.axes[0]
    box = extent(_gids(ax.patches, "node:")["node:CXO"])
    cxo = [text for text in ax.texts if extent(text).overlaps(box)]
    assert {"CXO", LONG_TITLE} <= {text.get_text().replace("\n", " ") for text in cxo}
    assert all(_inside(extent(text), box) for text in cxo), "the title spills out of its box"
    (label,) = [text for text in cxo if text.get_text() == "CXO"]
    (title,) = [text for text in cxo if text.get_text().replace("\n", " ") == LONG_TITLE]
    assert not extent(label).overlaps(extent(title)), "the title covers the role's id"
    grid = charts.certifications_chart(data=custom)
    extent = _extents(grid)
    row = extent(_gids(grid.axes[0].patches, "cell:CXO:")["cell:CXO:PMP"])
    (title,) = [text for text in grid.axes[0].texts if text.get_text().replace("\n", " ") == LONG_TITLE]
    assert extent(title).y0 >= row.y0 and extent(title).y1 <= row.y1, "the title spills out of its row"


def test_no_reporting_line_hides_behind_another_roles_box(data_copy):
    """Eight compared roles: a line that cannot go round a box is drawn over it, never ending out of sight,
    and no line bends out of the chart."""
    custom = _with_roles(data_copy, [(f"R{n}", f"Role number {n}") for n in range(5)])
    chart = charts.reporting_chart(data=custom)
    extent = _extents(chart)
    ax = chart.axes[0]
    boxes = _gids(ax.patches, "node:")
    for gid, line in _gids(ax.patches, "line:").items():
        row = custom.reporting_lines.set_index("line_id").loc[gid.removeprefix("line:")]
        ends = {row["role_id"], row["reports_to"]}
        drawn = line.get_path().to_polygons(closed_only=False)  # curves as polylines, in data coordinates
        along = [point for polyline in drawn for start, end in zip(polyline, polyline[1:])
                 for point in np.linspace(start, end, 12)]
        points = line.get_transform().transform(along)
        chart_area = extent(ax).padded(1)
        assert all(chart_area.contains(x, y) for x, y in points), f"{gid} leaves the chart and is cut off"
        for node, box in boxes.items():
            if node.removeprefix("node:") in ends or line.get_zorder() > box.get_zorder():
                continue
            inner = extent(box).padded(-3)
            assert not any(inner.contains(x, y) for x, y in points), f"{gid} passes behind {node}"
