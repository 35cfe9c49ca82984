"""Helpers the tests share (import them from here; conftest.py holds only fixtures)."""

from __future__ import annotations

import ast
import csv
import functools
import json
import random
import re
import shutil
import socket
import sqlite3
import subprocess
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rolelib.progress import Attempt
    from rolelib.questions import Question

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
NOTEBOOKS = REPO / "notebooks"


def csv_rows(path: Path) -> list[list[str]]:
    """The rows of a CSV file, header first, as a spreadsheet would read them."""
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_csv_rows(path: Path, rows: list[list[str]]) -> None:
    """Write the rows (header first) as a CSV file."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Change one cell of a CSV file; ``row`` counts as a spreadsheet does (the header is row 1)."""
    rows = csv_rows(path)
    rows[row - 1][rows[0].index(column)] = value
    write_csv_rows(path, rows)


def cell_edit(file: str, row: int, column: str, value: str) -> Callable[[Path], None]:
    """Change one cell; `row` counts as a spreadsheet does (the header is row 1)."""
    def mutate(data: Path) -> None:
        set_cell(data / file, row, column, value)
    return mutate


def append_rows(path: Path, *rows: str) -> None:
    """Add lines to a CSV file of a data copy, as an instructor editing it would."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write("".join(row + "\n" for row in rows))


def add_chief_data_officer(folder: Path) -> Path:
    """Add a Chief Data Officer to a data copy by editing its CSV files only, as the README tells.

    The CDO brings words of its own into the vocabulary (a goal "data value", an area "data
    governance", a degree field with markup in it), and texts that look like HTML.
    """
    append_rows(folder / "vocabulary.csv",
                "goal,data value,Getting value for the organisation out of its data.",
                "area,data governance,Deciding who may use which data and how.",
                "field,statistics & <data> science,Statistics and data science.")
    append_rows(folder / "sources.csv", "instructor,instructor,Our programme's notes,Course team,Our school,,")
    append_rows(folder / "roles.csv",
                'CDO,Chief Data <Officer> & Co,compared,"Makes the organisation\'s data useful.",instructor')
    append_rows(folder / "focus.csv",
                "F-CDO-1,CDO,enable,data value,core,Turns data into value.,instructor",
                "F-CDO-2,CDO,enable,business growth,core,Puts data behind growth.,instructor",
                "F-CDO-3,CDO,protect,data protection,secondary,Keeps an eye on data safety.,instructor")
    append_rows(folder / "responsibilities.csv",
                "R-CDO-01,CDO,data governance,Decides who may use which data.,instructor",
                "R-CDO-02,CDO,data governance,<script>alert(1)</script> & more.,instructor",
                "R-CDO-03,CDO,strategy,Helps set the strategy.,instructor")
    append_rows(folder / "education.csv",
                "E-CDO-1,CDO,degree,statistics & <data> science,often,Often studied it.,instructor",
                "E-CDO-2,CDO,degree,information technology,sometimes,Sometimes studied IT.,instructor")
    append_rows(folder / "role_certifications.csv", "C-CDO-CGEIT,CDO,CGEIT,beneficial,Useful.,instructor")
    append_rows(folder / "reporting_lines.csv",
                "L-CDO-CEO,CDO,CEO,typical,A CDO may report to the CEO.,instructor",
                "L-CDO-CIO,CDO,CIO,possible,A CDO may <b>report</b> to the CIO.,instructor")
    return folder


class _TypesetTexts(HTMLParser):
    """The texts of a page outside every element that MathJax is told to leave alone."""

    _EMPTY = {"img", "br", "hr", "input", "meta", "link", "col", "wbr", "source"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, bool]] = []  # each open element, and whether it is left alone
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in self._EMPTY:
            classes = set((dict(attrs).get("class") or "").split())
            self.open.append((tag, {"mathjax_ignore", "tex2jax_ignore"} <= classes or tag in {"style", "script"}))

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if data.strip() and not any(ignored for _, ignored in self.open):
            self.found.append(data)


def typeset_texts(page: str) -> list[str]:
    """The texts of an HTML output that the page's MathJax reads: JupyterLab, Notebook 7 and nbconvert typeset
    "$...$" in HTML outputs, except inside an element with the classes mathjax_ignore and tex2jax_ignore."""
    parser = _TypesetTexts()
    parser.feed(page)
    parser.close()
    return parser.found


def copy_data(folder: Path) -> Path:
    """A fresh copy of the shipped data/ (question banks included) in ``folder``/my_data, to edit."""
    target = folder / "my_data"
    shutil.copytree(DATA, target)
    return target


def variant_data(folder: Path) -> Path:
    """A data copy whose 01_focus bank is tests/fixtures/variants_bank.yaml: variants for every kind."""
    target = copy_data(folder)
    shutil.copy(Path(__file__).parent / "fixtures" / "variants_bank.yaml", target / "questions" / "01_focus.yaml")
    return target


def lesson_notebook(slug: str) -> dict:
    """A lesson notebook of notebooks/, as JSON."""
    return json.loads((NOTEBOOKS / f"{slug}.ipynb").read_text(encoding="utf-8"))


def rolelib_calls(notebook: dict, name: str) -> list[str]:
    """First string argument of every call to rolelib.<name>(...) in the code cells, in order."""
    found = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        for node in ast.walk(ast.parse("".join(cell["source"]))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == name
                    and node.args and isinstance(node.args[0], ast.Constant)):
                found.append(node.args[0].value)
    return found


# A question of a kind that only tests define ("truefalse": answer true or false), for the bank of 01_focus.
TRUE_FALSE_ENTRY = """
  - id: tf-1
    kind: truefalse
    topic: focus
    level: remember
    prompt: A CISO's focus is growing the business with new technology.
    answer: false
    feedback:
      "True": Growing the business with technology is the CIO's focus; the CISO protects.
    hints: [Think of the word "security" in the title.]
    explanation: The CISO's focus is protection; growth is the CIO's.
    source: article
"""


def restart_store(monkeypatch) -> None:
    """A new progress store on the same file, as after a kernel restart."""
    from rolelib import progress

    store_file = progress.store().path
    monkeypatch.setenv("ROLELIB_PROGRESS", ":memory:")
    progress.store()
    monkeypatch.setenv("ROLELIB_PROGRESS", str(store_file))


def other_answer(question):
    """The same question with a different correct answer."""
    if question.kind == "single":
        return next(o for o in question.options if o != question.answer)
    if question.kind == "multiple":
        return tuple(o for o in question.options if o not in question.answer)[:1]
    return {key: tuple(o for o in question.options if o not in accepted)[:1] or accepted
            for key, accepted in question.answer.items()}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop_process(process: subprocess.Popen) -> None:
    """Terminate a process the tests started; kill it if it does not stop within 10 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def live_widgets() -> dict:
    """Every live widget by model id (ipywidgets 8 keeps them in _instances, 7 in Widget.widgets)."""
    from ipywidgets.widgets import widget

    instances = getattr(widget, "_instances", None)
    return widget.Widget.widgets if instances is None else instances


def widget_states(root) -> list[dict]:
    """The state of a widget and of every widget it refers to, as the browser receives it."""
    found, todo, seen = [], [root.model_id], set()
    while todo:
        model_id = todo.pop()
        if model_id in seen:
            continue
        seen.add(model_id)
        state = live_widgets()[model_id].get_state()
        found.append(state)
        todo += re.findall(r"IPY_MODEL_([0-9a-f]+)", json.dumps(state, default=str))
    return found


def normalised_states(root) -> list[str]:
    """The widget states of :func:`widget_states` as sorted JSON, with the model ids left out."""
    return sorted(re.sub(r"IPY_MODEL_[0-9a-f]+", "IPY_MODEL", json.dumps(state, sort_keys=True, default=str))
                  for state in widget_states(root))


# -- progress stores and exports -------------------------------------------------------------

# The columns of a progress export, in order.
COLUMNS = ["question_id", "lesson", "topic", "kind", "answer", "correct", "score", "hints_used", "time", "attempt_number",
           "variant", "order"]


def attempt(question_id: str = "focus-1", answer: object = "CIO", correct: bool | None = True, score: float = 1.0,
            lesson: str = "01_focus", topic: str = "focus", kind: str = "single", hints_used: int = 0,
            time: str = "") -> Attempt:
    """An attempt to record in a progress store: by default a right answer to focus-1."""
    from rolelib.progress import Attempt

    return Attempt(question_id, lesson, topic, kind, answer, correct, score, hints_used, time)


@contextmanager
def no_progress_warning() -> Iterator[None]:
    """Turn any ProgressWarning raised inside the block into an error."""
    from rolelib.progress import ProgressWarning

    with warnings.catch_warnings():
        warnings.simplefilter("error", ProgressWarning)
        yield


VERSION_1_TABLE = """CREATE TABLE attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    question_id TEXT NOT NULL, lesson TEXT NOT NULL, topic TEXT NOT NULL, kind TEXT NOT NULL,
    answer TEXT NOT NULL, correct INTEGER, score REAL NOT NULL,
    hints_used INTEGER NOT NULL, time TEXT NOT NULL)"""


def legacy_store(path: Path, rows: int = 0, questions: list[str] | None = None, stamped: bool = False) -> None:
    """A store as earlier versions made it: the version 1 attempts table, unstamped (before the format was
    stamped) or stamped as version 1. Its rows answer ``questions`` (by default q-0, q-1, ...)."""
    from rolelib import progress as progress_module

    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute(VERSION_1_TABLE)
    for question_id in questions or [f"q-{number}" for number in range(rows)]:
        connection.execute("INSERT INTO attempts (question_id, lesson, topic, kind, answer, correct, score, "
                           "hints_used, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           (question_id, "01_focus", "focus", "single", '"CIO"', 1, 1.0, 0,
                            "2026-01-01T00:00:00.000+00:00"))
    if stamped:
        connection.execute(f"PRAGMA application_id = {progress_module._sqlite.APPLICATION_ID}")
        connection.execute("PRAGMA user_version = 1")
    connection.close()


def rows_in(path: Path) -> int:
    """How many attempts a progress store file holds."""
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT COUNT(*) FROM attempts").fetchone()[0]


def mode(path: Path) -> int:
    """A file's permission bits."""
    return path.stat().st_mode & 0o777


# -- class report exports --------------------------------------------------------------------------

@functools.cache
def course_banks() -> dict[str, Question]:
    """The question banks of the course's own data, loaded once."""
    from rolelib.questions import load_banks

    return load_banks()


def attempt_at(question_id: str, right: bool | None = True, *, hints: int = 0, minute: int = 0,
               answer: object = None, correct: bool | None = None, score: float | None = None) -> dict:
    """An attempt at a question of the course's banks, with a right or a wrong answer made by its kind.

    ``correct`` and ``score`` are what the file claims (by default what the answer deserves):
    the report must ignore them.
    """
    question = course_banks().get(question_id)
    if answer is None and question is not None:
        answer = question.sample_answer(random.Random(minute), right is not False)
    deserved = question.grade(answer, hints) if question is not None and question.fits(answer) else None
    return {"question_id": question_id, "lesson": question.lesson if question else "01_focus",
            "topic": question.topic if question else "focus", "kind": question.kind if question else "single",
            "answer": answer, "correct": (deserved.correct if deserved else False) if correct is None else correct,
            "score": (deserved.score if deserved else 0.0) if score is None else score, "hints_used": hints,
            "time": f"2025-03-03T10:{minute:02d}:00.000+00:00"}


def hand_in(path: Path, learner: str, attempts: list[dict], exported_at: str = "2025-03-03T12:00:00+00:00",
            account: str | None = None) -> Path:
    """An export in the documented JSON format, as a learner (or a forger) hands it in."""
    document = {"format": "rolelib-progress", "version": 2, "learner": learner, "account": account,
                "exported_at": exported_at, "course_version": "0.1.0", "attempts": attempts}
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def course_export(path: Path, learner: str, attempts: list[dict], account: str | None = None,
                  exported_at: str = "2025-03-03T11:00:00+00:00") -> Path:
    """An export written by the course's own writer (CSV or JSON by the file's extension)."""
    from rolelib.progress import Attempt, write_export
    from rolelib.progress.export import new_export

    made = new_export(learner, [Attempt(**attempt) for attempt in attempts], account=account,
                      exported_at=datetime.fromisoformat(exported_at))
    return write_export(path, made)


def bar_labels(figure) -> list[str]:
    """The labels left of the bars of a report chart, top to bottom."""
    (axes,) = figure.axes
    labels = sorted((text.get_position()[1], text.get_text()) for text in axes.texts if text.get_gid() == "bar label")
    return [label for _, label in labels]


# -- exercises -------------------------------------------------------------------------------------

# The option of focus-1 that names the CSO's remit: a wrong answer there.
CSO_OPTION = "Securing the organisation's buildings, facilities and staff"


def latest(question_id: str) -> Attempt | None:
    """The last attempt at a question that the progress store holds."""
    from rolelib import progress

    return progress.store().last_attempt(question_id)


def char_counter(ex):
    """The character counter of a reflection exercise."""
    return next(child for child in ex.widget.children if "rolelib-counter" in child._dom_classes)


def attempt_count() -> int:
    """How many attempts the progress store holds."""
    from rolelib import progress

    return len(progress.store().attempts())


# -- charts ----------------------------------------------------------------------------------------

# The name of every chart the course draws.
CHARTS = ["focus", "responsibilities", "education", "certifications", "reporting", "overview"]


def by_gid(artists, prefix: str) -> dict:
    """The artists whose gid starts with ``prefix``, by gid."""
    return {a.get_gid(): a for a in artists if a.get_gid() and a.get_gid().startswith(prefix)}


def texts_of(fig, gid: str | None = None) -> list[str]:
    """The visible texts of a figure (only those with this gid, if given)."""
    from matplotlib.text import Text

    found = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text()]
    return [t.get_text() for t in found if gid is None or t.get_gid() == gid]


def draw_chart(name: str, data, **options):
    """The chart of that name drawn from the data."""
    from rolelib.charts import display

    return display.CHARTS[name](data=data, **options)


# -- variants --------------------------------------------------------------------------------------

# A class of thirty learner accounts.
CLASS = [f"learner{number:02d}" for number in range(30)]


def edit_bank(folder: Path, change) -> None:
    """Edit the 01_focus bank of a data copy: ``change`` gets its questions by id and changes them in place."""
    import yaml

    path = folder / "questions" / "01_focus.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    change({question["id"]: question for question in document["questions"]})
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
