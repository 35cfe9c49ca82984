"""How the charts look and are shown: text size, figures closed, one output each, drawn once, roles at the edges."""

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
from matplotlib.colors import to_hex
from matplotlib.text import Text

from rolelib import charts
from rolelib import UnknownNameError
from rolelib.charts import display
from rolelib.data import load
from tests.helpers import CHARTS, append_rows, by_gid, draw_chart, texts_of


# --------------------------------------------------------------------------- style and display


def _png_pixels(fig):
    return matplotlib.image.imread(io.BytesIO(charts.render(fig).png), format="png")


@pytest.mark.parametrize("name", [*CHARTS, "score"])
def test_text_is_large_and_the_background_opaque_white(name, data):
    summary = pd.DataFrame({"topic": ["focus"], "attempted": [2], "correct": [1], "score": [1.0]})
    fig = charts.score_chart(summary, data=data) if name == "score" else draw_chart(name, data)
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
        words = " ".join(texts_of(draw_chart(name, custom))).split()
        assert LONG_WORD in words, name


def test_a_long_role_title_stays_inside_its_box_and_its_row(data_copy):
    custom = _with_roles(data_copy, [("CXO", LONG_TITLE)])
    chart = charts.reporting_chart(data=custom)
    extent = _extents(chart)
    ax = chart.axes[0]
    box = extent(by_gid(ax.patches, "node:")["node:CXO"])
    cxo = [text for text in ax.texts if extent(text).overlaps(box)]
    assert {"CXO", LONG_TITLE} <= {text.get_text().replace("\n", " ") for text in cxo}
    assert all(_inside(extent(text), box) for text in cxo), "the title spills out of its box"
    (label,) = [text for text in cxo if text.get_text() == "CXO"]
    (title,) = [text for text in cxo if text.get_text().replace("\n", " ") == LONG_TITLE]
    assert not extent(label).overlaps(extent(title)), "the title covers the role's id"
    grid = charts.certifications_chart(data=custom)
    extent = _extents(grid)
    row = extent(by_gid(grid.axes[0].patches, "cell:CXO:")["cell:CXO:PMP"])
    (title,) = [text for text in grid.axes[0].texts if text.get_text().replace("\n", " ") == LONG_TITLE]
    assert extent(title).y0 >= row.y0 and extent(title).y1 <= row.y1, "the title spills out of its row"


def test_no_reporting_line_hides_behind_another_roles_box(data_copy):
    """Eight compared roles: a line that cannot go round a box is drawn over it, never ending out of sight,
    and no line bends out of the chart."""
    custom = _with_roles(data_copy, [(f"R{n}", f"Role number {n}") for n in range(5)])
    chart = charts.reporting_chart(data=custom)
    extent = _extents(chart)
    ax = chart.axes[0]
    boxes = by_gid(ax.patches, "node:")
    for gid, line in by_gid(ax.patches, "line:").items():
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
