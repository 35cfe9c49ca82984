"""Charts, drawn and rendered to PNG, each also side by side with the code before the redesign."""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Any, Callable

from benchmarks.measures.common import BEFORE_REDESIGN, Result, child_output, code_before_redesign, ms, rotated


def _sample_summary() -> Any:
    """A learner's summary by topic with answers in every difference, for the score chart."""
    from rolelib import questions
    from rolelib.progress import Attempt, ProgressStore

    store = ProgressStore(":memory:")
    for number, question in enumerate(questions.load_banks().values()):
        right = number % 3 != 0
        store.record(Attempt(question.id, question.lesson, question.topic, question.kind, "x",
                             None if not question.graded else right, float(right and question.graded), 0))
    return store.summary("topic")


def measure_charts(runs: int, scratch: Path) -> list[Result]:
    """Each chart function, drawn and rendered to PNG as show() renders it.

    Beside each target, the same chart measured side by side with the code of :data:`BEFORE_REDESIGN`
    (see :func:`_charts_side_by_side`), so that a change of the machine is told apart from a change of rolelib.
    """
    import rolelib
    from rolelib import charts

    data = rolelib.load()
    summary = _sample_summary()
    functions: dict[str, Callable[[], Any]] = {
        "focus": lambda: charts.focus_chart(data=data),
        "responsibilities": lambda: charts.responsibilities_chart(data=data),
        "education": lambda: charts.education_chart(data=data),
        "certifications": lambda: charts.certifications_chart(data=data),
        "reporting": lambda: charts.reporting_chart(data=data),
        "overview": lambda: charts.overview_chart(data=data),
        "score": lambda: charts.score_chart(summary, data=data),
    }
    for function in functions.values():  # first use loads fonts and caches text layout: untimed
        charts.render(function())
    samples: dict[str, list[float]] = {name: [] for name in functions}
    drawing: dict[str, list[float]] = {name: [] for name in functions}
    sizes: dict[str, int] = {}
    for _ in range(runs):
        for name, function in functions.items():
            start = time.perf_counter()
            fig = function()
            drawn = time.perf_counter()
            image = charts.render(fig)
            samples[name].append(time.perf_counter() - start)
            drawing[name].append(drawn - start)
            sizes[name] = len(image.png)
    beside = _charts_side_by_side([name for name in functions if name != "score"], runs, scratch)
    return [Result("charts", f"`{name}` chart, drawn and rendered to PNG", samples[name], "at most 150 ms",
                   statistics.median(samples[name]) <= 0.150,
                   notes=[f"drawing {ms(statistics.median(drawing[name]))}, the rest is rendering; "
                          f"PNG {sizes[name] // 1024} KiB", *beside.get(name, [])])
            for name in functions]


_CHARTS_CHILD = """
import json, sys, time
import rolelib
from rolelib import charts
names, repeats = json.loads(sys.argv[1]), int(sys.argv[2])
data = rolelib.load()
functions = {name: getattr(charts, name + "_chart") for name in names}
for function in functions.values():
    charts.render(function(data=data))
seconds = {name: [] for name in names}
for _ in range(repeats):
    for name, function in functions.items():
        start = time.perf_counter()
        charts.render(function(data=data))
        seconds[name].append(time.perf_counter() - start)
print(json.dumps(seconds))
"""


def _charts_side_by_side(names: list[str], runs: int, scratch: Path, repeats: int = 3) -> dict[str, list[str]]:
    """Each chart drawn and rendered by today's code and by the code of :data:`BEFORE_REDESIGN`, in fresh
    interpreters that take turns (``runs`` each, ``repeats`` draws of every chart in each): a note per chart,
    or one note saying why there is no comparison."""
    before = code_before_redesign(scratch)
    if before is None:
        return {name: [f"the code before the redesign (commit {BEFORE_REDESIGN}) was not measured: no git history "
                       "here"] for name in names}
    codes: dict[str, Path | None] = {"today": None, "before": before}
    samples: dict[str, dict[str, list[float]]] = {code: {name: [] for name in names} for code in codes}
    for run in range(runs):
        for code, folder in rotated(list(codes.items()), run):
            printed = child_output(_CHARTS_CHILD, scratch, (json.dumps(names), str(repeats)), folder, "the charts")
            for name, seconds in json.loads(printed).items():
                samples[code][name] += seconds
    notes = {}
    for name in names:
        today, earlier = statistics.median(samples["today"][name]), statistics.median(samples["before"][name])
        notes[name] = [f"side by side in fresh interpreters ({runs} each, taking turns): {ms(today)}, the code before "
                       f"the redesign (commit {BEFORE_REDESIGN}) {ms(earlier)}, ratio {today / earlier:.2f}"]
    return notes
