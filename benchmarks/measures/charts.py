"""Charts, drawn and rendered to PNG."""

from __future__ import annotations

import statistics
import time
from typing import Any, Callable

from benchmarks.measures.common import Result, ms


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


def measure_charts(runs: int) -> list[Result]:
    """Each chart function, drawn and rendered to PNG as show() renders it."""
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
    return [Result("charts", f"`{name}` chart, drawn and rendered to PNG", samples[name], "at most 150 ms",
                   statistics.median(samples[name]) <= 0.150,
                   notes=[f"drawing {ms(statistics.median(drawing[name]))}, the rest is rendering; "
                          f"PNG {sizes[name] // 1024} KiB"])
            for name in functions]
