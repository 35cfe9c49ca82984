"""The environment check: whether the course can run here, said plainly, with a widget probe."""

from __future__ import annotations

import html
import importlib
import re
import sys
from dataclasses import dataclass, field
from typing import Any

from rolelib._markup import NO_MATH
from rolelib._widgets import make_widget, widget_view

_MINIMUM = {"pandas": (2, 2, 2), "matplotlib": (3, 10), "ipywidgets": (7, 7, 1)}  # as in pyproject.toml


@dataclass
class EnvironmentReport:
    """What works here: each check with a plain verdict, and a widget probe.

    In a front end that can render widgets the probe shows a ✓ line; where widgets cannot
    render, the front end falls back to the HTML version, which says so and what to do. The
    probe is offered whenever ipywidgets itself passed, whatever else failed.
    """

    checks: list[tuple[str, bool, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every check passed."""
        return all(passed for _, passed, _ in self.checks)

    def _lines(self) -> list[str]:
        return [f"{'✓' if passed else '✗'} {name}: {detail}" for name, passed, detail in self.checks]

    def __repr__(self) -> str:
        verdict = "All is well: you are ready to start." if self.ok else "Something needs fixing (see ✗ above)."
        return "\n".join(["Environment check", *self._lines(), verdict])

    def _html(self, widgets_line: str) -> str:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self._lines())
        verdict = "All is well: you are ready to start." if self.ok else "Something needs fixing (see ✗ above)."
        return (f"<div class=\"rolelib-environment {NO_MATH}\"><strong>Environment check</strong><ul>{items}"
                f"<li>{widgets_line}</li></ul><p>{html.escape(verdict)}</p></div>")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        no_widgets = ("✗ Interactive widgets are not showing here, so the exercises appear as text only. "
                      "In a static copy (GitHub, nbviewer, an HTML or PDF export) that is expected. "
                      "If you ran this cell in Jupyter and still read this line, open the course in "
                      "JupyterLab 4, Jupyter Notebook 7 or VS Code with the Jupyter extension "
                      "(<code>make lab</code> does it), or install <code>ipywidgets</code> and reload the page.")
        bundle: dict[str, Any] = {"text/plain": repr(self), "text/html": self._html(no_widgets)}
        if ("ipywidgets", True) in ((name, passed) for name, passed, _ in self.checks):
            import ipywidgets

            probe = make_widget(ipywidgets.HTML, "rolelib-environment-probe",
                                value=self._html("✓ Interactive widgets work here: the exercises will respond."))
            bundle.update(widget_view(probe))
        return bundle


def check_environment() -> EnvironmentReport:
    """Check that the course can run here and say so plainly, in one call.

    >>> report = check_environment()
    >>> report.ok
    True
    """
    report = EnvironmentReport()
    python_ok = sys.version_info >= (3, 10)
    report.checks.append(("Python", python_ok, "version 3.10 or newer" if python_ok
                          else "this is older than 3.10; the course needs 3.10 or newer"))
    for name, minimum in _MINIMUM.items():
        try:
            module = importlib.import_module(name)
            version = tuple(int(part) for part in re.findall(r"\d+", module.__version__)[:3])  # 2.2.2rc1: (2, 2, 2)
            passed = version >= minimum
            detail = "installed" if passed else (f"version {module.__version__} is too old; "
                                                 f"install {name}>={'.'.join(map(str, minimum))}")
        except ImportError:
            passed, detail = False, f"missing; install it with: pip install {name}"
        report.checks.append((name, passed, detail))
    try:
        from rolelib.data import load

        data = load()
        report.checks.append(("Course data", True, f"{len(data.roles)} roles and their facts loaded and checked"))
    except Exception as exc:  # noqa: BLE001 - the learner sees the reason instead of a traceback
        report.checks.append(("Course data", False, str(exc).splitlines()[0]))
    from rolelib.progress import store

    warning = store().warning
    report.checks.append(("Saving your answers", warning is None,
                          "your answers and score are kept between sessions" if warning is None else warning))
    return report
