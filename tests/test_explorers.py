"""The explorers redraw one chart in place, follow the data and read well where widgets cannot."""

from __future__ import annotations

import gc
import re

import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure

from rolelib import explorers
from rolelib import UnknownNameError
from rolelib.charts import display
from rolelib.data import load


def _images(explorer) -> int:
    return len(re.findall(r"<img ", explorer.figure.value))


def test_reporting_explorer_offers_the_cisos_lines_and_redraws_in_place(data):
    explorer = explorers.reporting_explorer(data=data)
    lines = data.reporting_lines
    assert list(explorer.choice.options) == lines.loc[lines["role_id"] == "CISO", "reports_to"].astype(str).tolist()
    assert explorer.choice.value == "CIO"
    children, before = explorer.widget.children, explorer.figure.value
    assert "rolelib-explorer" in explorer.widget._dom_classes and "rolelib-reporting-explorer" in explorer.widget._dom_classes
    explorer.choice.value = "CTO"
    assert explorer.widget.children == children, "the same widgets: nothing is added"
    assert explorer.figure.value != before and _images(explorer) == 1
    assert "Highlighted: CISO reports to CTO." in explorer.figure.value
    assert "A CISO may report to the CTO" in explorer.note.value
    assert "CISO \u2192 CTO" in explorer.note.value and "Source: Michelle Moore" in explorer.note.value
    explorer.choice.value = "CIO"
    assert "CISO \u2192 CIO \u2192 CEO or COO" in explorer.note.value
    assert "innovation, business growth, efficiency" in explorer.note.value, "the CIO's goals, from focus.csv"
    assert plt.get_fignums() == []


def test_reporting_explorer_works_for_an_added_role_and_escapes_its_text(custom):
    explorer = explorers.reporting_explorer("CDO", data=custom, reports_to="CIO")
    assert list(explorer.choice.options) == ["CEO", "CIO"]
    assert "A CDO may &lt;b&gt;report&lt;/b&gt; to the CIO" in explorer.note.value
    assert "<b>report" not in explorer.note.value
    assert "aim to enable, as the" in explorer.note.value, "both roles' core goals aim to enable"
    with pytest.raises(UnknownNameError, match="the roles with reporting lines are: CIO, CISO, CDO"):
        explorers.reporting_explorer("CEO", data=custom)
    with pytest.raises(UnknownNameError, match="the roles the CISO may report to are: CIO, CTO, CEO"):
        explorers.reporting_explorer(data=custom, reports_to="COO")
    with pytest.warns(DeprecationWarning, match="data="):
        assert explorers.reporting_explorer("CDO", custom).choice.options == ("CEO", "CIO")


@pytest.mark.slow
def test_a_hundred_redraws_leave_no_figure_no_output_and_flat_memory(data):
    explorer = explorers.reporting_explorer(data=data)
    options = list(explorer.choice.options)
    children = explorer.widget.children
    for step in range(10):  # warms up the caches of matplotlib and pandas
        explorer.choice.value = options[step % len(options)]
    gc.collect()
    start = _resident_bytes()
    for step in range(100):
        display._KEPT.clear()  # draw every time: what is measured is the memory drawing leaves
        explorer.choice.value = options[step % len(options)]
    gc.collect()
    growth = _resident_bytes() - start
    assert plt.get_fignums() == []
    assert sum(isinstance(thing, Figure) for thing in gc.get_objects()) <= 1, "old figures were freed"
    assert explorer.widget.children == children and _images(explorer) == 1
    # A figure or image kept by mistake costs about 0.5 MB each, so 100 leaks would add about
    # 50 MB; the allocator's own slack stays well under the 15 MB allowed here.
    assert growth < 15_000_000, f"resident memory grew by {growth:,} bytes over 100 redraws"


def _resident_bytes() -> int:
    """The process's resident memory, read the way `ps` reads it (Linux).

    glibc keeps freed memory for reuse instead of returning it at once; malloc_trim hands it
    back first, so what remains is memory still in use.
    """
    import ctypes
    import os

    if not os.path.exists("/proc/self/statm"):
        pytest.skip("resident memory is read from /proc (Linux)")
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except OSError:
        pass  # not glibc: the measurement is only less tight
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_responsibilities_explorer_filters_by_role_and_area(data, custom):
    explorer = explorers.responsibilities_explorer(data=data)
    assert [value for _, value in explorer.role_menu.options] == ["", "CIO", "CISO", "CSO"]
    assert [value for _, value in explorer.area_menu.options][1:] == [
        a for a in data.responsibilities["area"].cat.categories if (data.responsibilities["area"] == a).any()]
    assert explorer.note.value.count("<li>") == len(data.responsibilities)
    explorer.role_menu.value = "CISO"
    assert explorer.note.value.count("<li>") == (data.responsibilities["role_id"] == "CISO").sum()
    explorer.area_menu.value = "policy"
    table = data.responsibilities
    assert explorer.note.value.count("<li>") == ((table["role_id"] == "CISO") & (table["area"] == "policy")).sum()
    assert "Oversees how new security policies are developed and put in place." in explorer.note.value
    explorer.role_menu.value = "CSO"
    assert "0 responsibilities listed" in explorer.note.value
    assert "no responsibility of CSO in policy" in explorer.figure.value
    added = explorers.responsibilities_explorer(data=custom)
    added.role_menu.value = "CDO"
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more." in added.note.value
    assert "<script>" not in added.note.value


def test_compare_roles_covers_any_two_roles_across_the_differences(data, custom):
    explorer = explorers.compare_roles(data=data)
    assert (explorer.menu_a.value, explorer.menu_b.value, explorer.difference.value) == ("CIO", "CISO", "overview")
    assert [value for _, value in explorer.difference.options] == ["overview", *data.differences["dimension_id"]]
    assert "The 5 differences at a glance for CIO and CISO" in explorer.figure.value
    for dimension in data.differences["dimension_id"]:
        explorer.difference.value = dimension
        table = data.compare("CIO", "CISO", dimension)
        assert explorer.note.value.count("<tr>") == len(table) + 1, dimension
        assert _images(explorer) == 1
    explorer.menu_b.value = "CIO"
    assert "<th>" in explorer.note.value and explorer.note.value.count("<th>") == 1
    added = explorers.compare_roles("CDO", "CISO", data=custom, difference="reporting")
    assert "CDO" in [value for _, value in added.menu_a.options]
    assert "Organisation chart of" in added.figure.value and "CDO to CEO" in added.figure.value
    with pytest.raises(UnknownNameError, match="CFO"):
        explorers.compare_roles("CFO", "CIO", data=data)
    with pytest.raises(UnknownNameError, match="no difference 'salary'; the differences are: overview, focus"):
        explorers.compare_roles(data=data, difference="salary")
    with pytest.warns(DeprecationWarning, match="difference="):
        assert explorers.compare_roles(data=data, dimension="focus").difference.value == "focus"


@pytest.mark.parametrize("make", [explorers.reporting_explorer, explorers.responsibilities_explorer,
                                  explorers.compare_roles])
def test_each_explorer_has_a_widget_view_and_deterministic_fallbacks(make):
    first, second = make(), make()
    bundle = first._repr_mimebundle_()
    assert set(bundle) == {"application/vnd.jupyter.widget-view+json", "text/plain", "text/html"}
    assert bundle["text/plain"] == second._repr_mimebundle_()["text/plain"]
    assert bundle["text/html"] == second._repr_mimebundle_()["text/html"]
    assert "0x" not in bundle["text/plain"] and len(bundle["text/plain"].splitlines()) >= 2
    assert bundle["text/html"].count('<img src="data:image/png;base64,') == 1
    assert re.search(r'alt="[^"]{40,}"', bundle["text/html"])
    assert first.note.value in bundle["text/html"]
    assert plt.get_fignums() == []


def test_the_reporting_note_keeps_the_courses_reading_apart_from_the_source():
    """The article's facts end with their citation; what the course infers comes after, marked as its own."""
    from rolelib.explorers import _reporting_note

    for boss in ("CIO", "CTO", "CEO"):
        notes = _reporting_note(load(), "CISO", boss)
        source = next(number for number, note in enumerate(notes) if note.startswith("Source: "))
        assert not any(note.startswith("The course's reading:") for note in notes[:source])
        assert all(note.startswith("The course's reading:") for note in notes[source + 1:]) and notes[source + 1:]
        assert not any("differs from its own" in note or "same kind of aim" in note for note in notes[:source])
