"""A learner goes through the whole course, restarts half way, and loses nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from rolelib.lessons import LESSONS
from tests.helpers import lesson_notebook, rolelib_calls

FIRST_HALF = [item.slug for item in LESSONS[:4]]
SECOND_HALF = [item.slug for item in LESSONS[4:]]

# Each half runs in a kernel of its own (a fresh Python process), as after a restart.
SESSION = textwrap.dedent("""
    import json, sys
    import rolelib
    from rolelib import testing

    plan = json.loads(sys.argv[1])
    restored = {}
    for qid in plan["earlier"]:
        ex = rolelib.exercise(qid)
        restored[qid] = testing.feedback(ex)
    for qid in plan["answer"]:
        ex = rolelib.exercise(qid)
        testing.answer(ex, testing.correct_answer(ex))
        testing.check(ex)
    summary = rolelib.progress_summary(by="lesson")
    print(json.dumps({"restored": restored, "summary": summary.to_dict("records")}))
""")


def _session(store: str, earlier: list[str], answer: list[str]) -> dict:
    env = dict(os.environ, ROLELIB_PROGRESS=store)
    result = subprocess.run([sys.executable, "-c", SESSION, json.dumps({"earlier": earlier, "answer": answer})],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def _questions(slugs: list[str]) -> list[str]:
    return [qid for slug in slugs for qid in rolelib_calls(lesson_notebook(slug), "exercise")]


def test_the_whole_course_with_a_restart_half_way(tmp_path):
    store = str(tmp_path / "progress.sqlite3")
    first = _questions(FIRST_HALF)
    second = _questions(SECOND_HALF)
    _session(store, earlier=[], answer=first)
    after = _session(store, earlier=first, answer=second)
    # After the restart every earlier exercise shows its saved answer and result again.
    for qid, text in after["restored"].items():
        assert text, f"{qid}: nothing restored after the restart"
        assert "Correct" in text or "Saved" in text, f"{qid}: {text!r}"
    summary = {row["lesson"]: row for row in after["summary"]}
    for item in LESSONS:
        used = _questions([item.slug])
        row = summary[item.slug]
        assert row["attempted"] == len(used), item.slug
        assert row["correct"] == row["graded"] == row["score"], f"{item.slug}: every graded answer was right"
