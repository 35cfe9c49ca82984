"""Made-up progress exports, to try the class report and to test it.

Every answer is made by the question's own kind (a right answer, or one with a typical
mistake) for the version of the question the learner's account is shown (a variant, options
and items in the learner's order, as :func:`rolelib.versions.version_for` picks them), graded
by the kind as a live exercise grades it, and written by the export format's one writer.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rolelib.progress import Attempt, write_export
from rolelib.progress.export import new_export
from rolelib.versions import recorded_order, version_for

if TYPE_CHECKING:
    from rolelib._types import DataSource, PathLike
    from rolelib.kinds import Question


def make_sample_exports(folder: PathLike, learners: int = 12, *, seed: int = 7, problems: bool = True,
                        data: DataSource = None) -> list[Path]:
    """Write made-up progress exports of ``learners`` imaginary learners into ``folder``; return the paths.

    The learners are named "Sample learner 01", ... (accounts sample01, ...); their answers
    are drawn at random (with ``seed``, so the same call writes the same files) from the
    question banks of ``data``, each to the version of the question its account is shown
    (the variants the banks have, options and items shuffled per learner). Every fourth
    learner hands in a CSV, the others JSON; every third took the course in exam mode and
    submitted. Some stop before the end; some retry a question they got wrong. A class shares
    its misconceptions: for each version of a question one wrong answer (drawn once) is the
    tempting one that most wrong answers give, so the report's distractor table shows a few
    common mistakes. With ``problems=True`` three
    files the report must deal with are added: an older export of the second learner (it
    needs a look), a truncated copy of the last one's (skipped), and a forgery: an export
    from another account that claims the first learner's name, is dated in the future, and
    says every answer is right while every answer holds a typical mistake (it needs a look,
    and it is graded as it deserves).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     [path.name for path in make_sample_exports(folder, learners=2)]  # doctest: +NORMALIZE_WHITESPACE
    ['sample_learner_01.json', 'sample_learner_02.json', 'sample_learner_02_older.json',
     'sample_learner_02_truncated.json', 'sample_learner_03.json']
    """
    from rolelib.questions import load_banks

    questions = list(load_banks(data).values())
    rng = random.Random(seed)
    difficulty = {question.id: rng.uniform(-1.5, 1.2) for question in questions}
    tempting = {version.id: version.wrong_answer(random.Random(f"{seed}:{version.id}"))
                for question in questions if question.graded for version in question.versions}
    target = Path(folder).expanduser()
    target.mkdir(parents=True, exist_ok=True)
    start = datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)
    written = []
    for number in range(1, learners + 1):
        learner, account = f"Sample learner {number:02d}", f"sample{number:02d}"
        ability = rng.gauss(0.6, 0.9)
        reach = len(questions) if rng.random() < 0.75 else rng.randint(len(questions) // 3, len(questions))
        clock = start + timedelta(days=number % 3, minutes=7 * number)
        attempts, clock = _learner_attempts(questions[:reach], account, ability, difficulty, tempting, clock, rng)
        suffix = ".csv" if number % 4 == 0 else ".json"
        path = target / f"sample_learner_{number:02d}{suffix}"
        mode, submitted = ("exam", (clock + timedelta(minutes=2)).isoformat(timespec="seconds")) if number % 3 == 0 \
            else ("practice", "")
        written.append(write_export(path, new_export(learner, attempts, account=account, mode=mode,
                                                     submitted=submitted, exported_at=clock + timedelta(minutes=5))))
        for truncated in (False, True):  # an older export of the second learner, a truncated one of the last
            if problems and number == (learners if truncated else min(2, learners)):
                written.append(_problem_copy(path, truncated, learner, account, attempts, clock))
    if problems:
        written.append(_forgery(target / f"sample_learner_{learners + 1:02d}.json", f"sample{learners + 1:02d}",
                                questions, rng))
    return written


def _problem_copy(path: Path, truncated: bool, learner: str, account: str, attempts: list[Attempt],
                  clock: datetime) -> Path:
    """Beside a learner's export, an older one of half their attempts, or a copy cut off part way."""
    if not truncated:
        older = path.with_name(f"{path.stem}_older.json")
        return write_export(older, new_export(learner, attempts[: len(attempts) // 2], account=account,
                                              mode="practice", exported_at=clock - timedelta(days=1)))
    cut = path.with_name(f"{path.stem}_truncated.json")
    write_export(cut, new_export(learner, attempts, account=account, mode="practice",
                                 exported_at=clock + timedelta(minutes=5)))
    text = cut.read_text(encoding="utf-8")
    cut.write_text(text[: len(text) * 2 // 3], encoding="utf-8")
    return cut


def _learner_attempts(entries: list[Question], account: str, ability: float, difficulty: dict[str, float],
                      tempting: dict[str, Any], clock: datetime, rng: random.Random) -> tuple[list[Attempt], datetime]:
    """A made-up learner's attempts at ``entries`` (each in the version ``account`` is shown) from ``clock`` on,
    each graded by its kind; and the clock after."""
    attempts = []
    for entry in entries:
        question = version_for(entry, account)
        order = recorded_order(entry, question)
        tries = _sample_tries(question, ability - difficulty[entry.id], tempting.get(question.id), rng)
        for number, (answer, hints) in enumerate(tries, start=1):
            clock += timedelta(seconds=rng.randint(20, 150))
            grade = question.grade(answer, hints)
            attempts.append(Attempt(entry.id, entry.lesson, entry.topic, entry.kind, answer, grade.correct,
                                    grade.score, hints, clock.isoformat(timespec="milliseconds"), number,
                                    question.id, order))
    return attempts, clock


def _forgery(path: Path, account: str, questions: list[Question], rng: random.Random) -> Path:
    """An export that claims the first learner's name from another account, dated in the future, every answer
    said to be right and none of them right."""
    clock = datetime(2099, 3, 3, 9, 0, tzinfo=timezone.utc)
    shown = [(entry, version_for(entry, account)) for entry in questions]
    attempts = [Attempt(entry.id, entry.lesson, entry.topic, entry.kind,
                        question.sample_answer(rng, right=not question.graded), question.graded or None,
                        1.0 if question.graded else 0.0, 0, (clock + timedelta(minutes=number)).isoformat(), 1,
                        question.id, recorded_order(entry, question))
                for number, (entry, question) in enumerate(shown)]
    return write_export(path, new_export("Sample learner 01", attempts, account=account, mode="practice",
                                         exported_at=clock + timedelta(hours=1)))


_TEMPTED = 0.65  # the share of wrong answers that give the question's tempting wrong answer


def _sample_tries(question: Question, edge: float, tempting: Any, rng: random.Random) -> list[tuple[Any, int]]:
    """One or two made-up answers to a question, with the hints used: the chance of a right one grows with
    ``edge``; a wrong one is mostly ``tempting``."""
    if not question.graded:
        return [(question.sample_answer(rng, right=True), 0)]

    def answer(right: bool) -> Any:
        return tempting if not right and rng.random() < _TEMPTED else question.sample_answer(rng, right)

    right = rng.random() < 1 / (1 + math.exp(-edge))
    tries = [(answer(right), 0)]
    if not right and rng.random() < 0.5:
        tries.append((answer(rng.random() < 0.6), min(1, len(question.hints))))
    return tries
