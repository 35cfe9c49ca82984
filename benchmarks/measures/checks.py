"""Check to feedback, for every exercise kind."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

from benchmarks.measures.common import Result, ms, p95


def measure_checks(runs: int, scratch: Path) -> list[Result]:
    """Check to feedback for one question of each kind, with the attempt written to a real SQLite file."""
    os.environ["ROLELIB_PROGRESS"] = str(scratch / "checks" / "progress.sqlite3")
    from rolelib import exercises, progress, questions, testing

    banks = questions.load_banks()
    store = progress.store()
    if store.path is None:
        raise RuntimeError(f"the progress store fell back to memory: {store.warning}")
    results = []
    for kind in questions.KINDS:
        question = next(q for q in banks.values() if q.kind == kind)
        ex = exercises.exercise(question.id)
        answers = [testing.correct_answer(ex), question.sample_answer(random.Random(0), right=False)]
        samples = []
        for number in range(runs):
            if ex.result is not None:
                testing.retry(ex)
            testing.answer(ex, answers[number % 2])
            start = time.perf_counter()
            text = testing.check(ex)
            samples.append(time.perf_counter() - start)
            if not text.startswith(("✓", "✗")):
                raise RuntimeError(f"unexpected feedback for {question.id}: {text[:200]!r}")
        recorded = len(store.attempts().query("question_id == @question.id"))
        results.append(Result("check", f"Check to feedback, {kind} ({question.id}), "
                                       f"with the SQLite write", samples, "95th percentile at most 30 ms",
                              p95(samples) <= 0.030, figure=f"p95 {ms(p95(samples))}",
                              notes=[f"{recorded} attempts recorded in the file"]))
    return results
