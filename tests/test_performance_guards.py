"""Fast guards of what keeps the course quick (the full measurements are in benchmarks/).

- ``import rolelib`` and the names it defines eagerly pull in no heavy library, and loading
  the data or the banks (what `rolelib validate` and the class report do) draws no chart
  library and no widgets. tests/test_data.py checks the bare ``import rolelib``.
- Pressing a button of an exercise never reads the data or the banks again, and never
  reopens the progress store: it grades in memory and writes one row.
- Showing an exercise opens few widget models and changes none of them once made: in a
  kernel each model and each change is a message to the front end.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections import Counter
from typing import Any, Callable

import ipywidgets
import pytest

import rolelib.data
import rolelib.progress
import rolelib.questions
from rolelib import exercises, testing
from rolelib.questions import KINDS
from tests.helpers import live_widgets

HEAVY = ("matplotlib", "ipywidgets", "pandas", "pydantic", "pydantic_core")


def _imported_after(code: str, modules: tuple[str, ...]) -> list[str]:
    """Run ``code`` in a fresh interpreter; which of ``modules`` it imported."""
    probe = f"{code}\nimport sys\nprint([m for m in {modules!r} if m in sys.modules])"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                            env={**os.environ, "ROLELIB_PROGRESS": ":memory:"})
    return ast.literal_eval(result.stdout.strip().splitlines()[-1])


def test_the_eager_names_of_rolelib_import_nothing_heavy():
    code = ("import rolelib\n"
            "rolelib.LESSONS, rolelib.Lesson, rolelib.DataError, rolelib.__version__\n"
            "dir(rolelib), rolelib.__all__\n"
            "from rolelib import lessons, DataError")
    assert _imported_after(code, HEAVY) == []


def test_loading_data_and_banks_draws_no_charts_and_no_widgets():
    code = ("import rolelib, rolelib.instructor.report\n"
            "rolelib.load()\n"
            "rolelib.load_banks()")
    assert _imported_after(code, ("matplotlib", "ipywidgets")) == []


class _Counting:
    """Wraps a function and counts its calls (the wrapped function still runs)."""

    def __init__(self, function: Callable[..., Any], name: str, counts: Counter) -> None:
        self.function, self.name, self.counts = function, name, counts

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.counts[self.name] += 1
        return self.function(*args, **kwargs)


@pytest.fixture
def reads(monkeypatch) -> Counter:
    """Counts of every uncached read of the data, of the banks, and of every progress store opened."""
    counts: Counter = Counter()
    monkeypatch.setattr(rolelib.data, "_load_uncached", _Counting(rolelib.data._load_uncached, "data", counts))
    monkeypatch.setattr(rolelib.questions, "_read_banks", _Counting(rolelib.questions._read_banks, "banks", counts))
    opened = rolelib.progress.ProgressStore.__init__

    def counted_init(self, *args: Any, **kwargs: Any) -> None:
        counts["store"] += 1
        opened(self, *args, **kwargs)

    monkeypatch.setattr(rolelib.progress.ProgressStore, "__init__", counted_init)
    return counts


def _one_id_per_kind(data=None) -> list[str]:
    banks = rolelib.questions.load_banks(data)
    chosen = {}
    for question in banks.values():
        chosen.setdefault(question.kind, question.id)
    assert sorted(chosen) == sorted(KINDS)
    return list(chosen.values())


def _one_of_each_kind(data) -> list[exercises.Exercise]:
    return [exercises.exercise(question_id, data=data) for question_id in _one_id_per_kind(data)]


def test_pressing_buttons_never_reads_the_data_or_the_banks_again(reads, data_copy):
    made = _one_of_each_kind(data_copy)
    # The counters work: a folder never loaded before is read once, and the store opened once.
    assert reads["data"] == 1 and reads["store"] == 1 and reads["banks"] >= 1, dict(reads)
    reads.clear()
    for ex in made:
        for given in (testing.correct_answer(ex), _wrong(ex)):
            testing.answer(ex, given)
            assert testing.check(ex)[:1] in ("✓", "✗")
            testing.retry(ex)
        if ex.hint_button is not None:
            testing.hint(ex)
    assert reads == Counter(), f"a button read files again: {dict(reads)}"
    assert len(rolelib.progress.store().attempts()) == 2 * len(made)


def test_showing_an_exercise_again_reuses_the_loaded_data_and_banks(reads, data_copy):
    _one_of_each_kind(data_copy)
    reads.clear()
    again = _one_of_each_kind(data_copy)
    assert reads == Counter(), f"showing an exercise again read files: {dict(reads)}"
    assert len(again) == len(KINDS)


# Every widget model is a message to the front end when it is made (about 0.5 ms in a kernel),
# and a lesson shows up to ten exercises. An exercise needs one model per input and at most
# this many for the rest: its texts, buttons and boxes. The layouts and styles are shared by
# every display of the kernel (made one per widget, they were 20 to 30 models more each).
MODELS_BESIDES_INPUTS = 10


def test_an_exercise_opens_few_widget_models_and_changes_none_once_made(monkeypatch):
    changed: Counter = Counter()
    notify = ipywidgets.Widget.notify_change

    def counted(widget: ipywidgets.Widget, change: dict[str, Any]) -> None:
        # A synced trait changing once the model is open is one more message (add_class is one).
        if widget.comm is not None and change["name"] in widget.keys:
            changed[change["name"]] += 1
        notify(widget, change)

    monkeypatch.setattr(ipywidgets.Widget, "notify_change", counted)
    live = live_widgets()
    for question_id in _one_id_per_kind():
        exercises.exercise(question_id)  # the first of its kind may make the shared layouts and styles
        before = len(live)
        ex = exercises.exercise(question_id)
        models = len(live) - before
        assert models <= len(ex.inputs) + MODELS_BESIDES_INPUTS, f"{ex!r}: {models} widget models"
    assert changed == Counter(), f"widgets changed after they were made, one message each: {dict(changed)}"


def test_a_closed_shared_layout_is_made_anew():
    first = exercises.exercise("start-2")
    shared = first.check_button.layout
    assert exercises.exercise("start-2").check_button.layout is shared
    shared.close()  # as Widget.close_all() does
    again = exercises.exercise("start-2").check_button.layout
    assert again is not shared and again.comm is not None


def _wrong(ex: exercises.Exercise) -> Any:
    """An answer with one mistake (a longer text for a reflection)."""
    q = ex.question
    if q.kind == "single":
        return next(option for option in q.options if option != q.answer)
    if q.kind == "multiple":
        return [*q.answer, next(option for option in q.options if option not in q.answer)]
    if q.kind == "reflect":
        return "Another reflection, saved a second time."
    answer = testing.correct_answer(ex)
    item = next(item for item in q.items if set(q.options) - set(q.answer[item.key]))
    answer[item.key] = next(option for option in q.options if option not in q.answer[item.key])
    return answer
