"""The measurements behind the course's performance targets.

Each ``measure_*`` function returns a list of :class:`Result` rows. Comparisons are measured
side by side: within every run (round) each variant is measured once, in the same order, so
that a change in the machine's load touches every variant alike.
"""

from __future__ import annotations

import gc
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"
LESSON_NOTEBOOKS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
INSTRUCTOR_NOTEBOOKS = sorted((NOTEBOOKS / "instructor").glob("*.ipynb"))


@dataclass
class Result:
    """One line of the results table."""

    section: str
    what: str
    samples: list[float]  # seconds, one per run
    target: str = ""
    ok: bool | None = None  # None: information only, no target
    figure: str = ""  # the figure compared with the target, when it is not the median
    notes: list[str] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else math.nan


def ms(seconds: float) -> str:
    """A duration for a table: milliseconds, or seconds and minutes for long ones; '-' when unknown."""
    if math.isnan(seconds):
        return "-"
    if seconds >= 120:
        return f"{seconds / 60:.1f} min"
    if seconds >= 10:
        return f"{seconds:.0f} s"
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.0095 else f"{seconds * 1000:.1f} ms"


def _signed(seconds: float) -> str:
    return ("+" if seconds >= 0 else "-") + ms(abs(seconds))


def p95(samples: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _child_env(progress: str = ":memory:") -> dict[str, str]:
    env = dict(os.environ)
    env["ROLELIB_PROGRESS"] = progress
    env.pop("ROLELIB_INSTRUCTOR", None)
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    return env


def _rotated(items: list, run: int) -> list:
    """The variants in a different order in each run, so that none is always first (after the
    previous run's last one) or last."""
    shift = run % len(items)
    return items[shift:] + items[:shift]


def _child_seconds(setup: str, timed: str, cwd: Path, code_folder: Path | None = None) -> float:
    """Run ``setup`` then ``timed`` in a fresh interpreter; the seconds ``timed`` took.

    ``code_folder`` holds another rolelib to import instead of the installed one (see :func:`_code_of_commit`).
    """
    code = (f"import time\n{setup}\nstart = time.perf_counter()\n{timed}\n"
            "print(repr(time.perf_counter() - start))\n")
    env = _child_env()
    if code_folder is not None:
        env["PYTHONPATH"] = str(code_folder)
    result = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env,
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"the child interpreter failed on {timed!r}:\n{result.stderr[-2000:]}")
    return float(result.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- imports


def measure_import(runs: int, scratch: Path) -> list[Result]:
    """`import rolelib` against `import pandas, ipywidgets`, each in a fresh interpreter."""
    variants = {
        "baseline": "import pandas, ipywidgets",
        "rolelib": "import rolelib",
        "both": "import rolelib, pandas, ipywidgets",
    }
    for statement in variants.values():  # warm the disk cache and the bytecode once, untimed
        _child_seconds("", statement, scratch)
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for run in range(runs):
        for name, statement in _rotated(list(variants.items()), run):
            samples[name].append(_child_seconds("", statement, scratch))
    extra = [both - base for both, base in zip(samples["both"], samples["baseline"])]
    base, both = statistics.median(samples["baseline"]), statistics.median(samples["both"])
    return [
        Result("import", "`import pandas, ipywidgets` (baseline)", samples["baseline"]),
        Result("import", "`import rolelib` alone", samples["rolelib"], "at most 100 ms",
               statistics.median(samples["rolelib"]) <= 0.1),
        Result("import", "`import rolelib, pandas, ipywidgets`", samples["both"],
               "at most 100 ms over the baseline", statistics.median(extra) <= 0.1,
               figure=f"{_signed(statistics.median(extra))} (ratio {both / base:.2f})",
               notes=["median of the per-run differences to the baseline"]),
    ]


# --------------------------------------------------------------------------- loading


BEFORE_REDESIGN = "d6c4f1e"
"""The last commit before the redesign of issue 14 (question kinds, one convention, vocabularies in the data):
its fully cold load is measured side by side with today's, so that a change of the machine (pandas' import
takes 225 to 420 ms here, depending on the moment) is told apart from a change of rolelib."""


def _code_of_commit(commit: str, folder: Path) -> Path | None:
    """rolelib and its data as they were at ``commit`` (compiled, as installed), or None without git history."""
    import compileall
    import io
    import tarfile

    archive = subprocess.run(["git", "archive", "--format=tar", commit, "rolelib", "data"], cwd=REPO,
                             capture_output=True, check=False)
    if archive.returncode != 0:
        return None
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.10.12, 3.11.4 and later
            tar.extractall(folder, filter="data")
        else:
            tar.extractall(folder)  # noqa: S202 - the repository's own history
    compileall.compile_dir(folder / "rolelib", quiet=1)
    return folder


def measure_cold_load(runs: int, scratch: Path) -> list[Result]:
    """`rolelib.load()` in a fresh interpreter: only the call is timed, with the imports it triggers.

    Side by side in each run: ``import pandas`` alone, and the same fully cold load with the code of
    :data:`BEFORE_REDESIGN` (when the repository's history is there), so that rolelib's own share of
    the load (the load less pandas' import, run by run) is seen apart from the machine's.
    """
    variants: dict[str, tuple[str, str, Path | None]] = {
        "cold": ("import rolelib", "rolelib.load()", None),
        "after pandas": ("import rolelib, pandas, ipywidgets", "rolelib.load()", None),
        "pandas import": ("", "import pandas", None),
    }
    before = _code_of_commit(BEFORE_REDESIGN, scratch / "before_redesign")
    if before is not None:
        variants["before"] = ("import rolelib", "rolelib.load()", before)
    for setup, timed, path in variants.values():
        _child_seconds(setup, timed, scratch, path)
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for run in range(runs):
        for name, (setup, timed, path) in _rotated(list(variants.items()), run):
            samples[name].append(_child_seconds(setup, timed, scratch, path))
    cold = statistics.median(samples["cold"])
    after = statistics.median(samples["after pandas"])
    pandas_alone = statistics.median(samples["pandas import"])

    def own(name: str) -> float:  # the load less pandas' import, run by run
        return statistics.median(load - imported for load, imported in zip(samples[name], samples["pandas import"]))

    notes = [f"of which importing pandas alone takes about {ms(pandas_alone)} in the same runs; "
             f"rolelib's own share (the load less pandas' import, run by run) {ms(own('cold'))}"]
    results = [Result("load", "`import pandas` alone (for reference)", samples["pandas import"])]
    if before is not None:
        before_cold = statistics.median(samples["before"])
        notes.append(f"the code before the redesign (commit {BEFORE_REDESIGN}), in the same runs: "
                     f"{ms(before_cold)}, its own share {ms(own('before'))}")
        results.append(Result("load", f"`rolelib.load()` fully cold, the code before the redesign (commit "
                                      f"{BEFORE_REDESIGN}), for comparison", samples["before"],
                              notes=[f"its own share (the load less pandas' import, run by run) {ms(own('before'))}"]))
    else:
        notes.append(f"the code before the redesign (commit {BEFORE_REDESIGN}) was not measured: "
                     "no git history here")
    results += [
        Result("load", "`rolelib.load()` fully cold (imports pandas and pydantic-core; validates)", samples["cold"],
               "at most 0.3 s", cold <= 0.3, figure=f"{ms(cold)} (pandas' import alone {ms(pandas_alone)})",
               notes=notes),
        Result("load", "`rolelib.load()` cold, pandas and ipywidgets already imported "
                       "(imports pydantic-core; validates)", samples["after pandas"], "at most 0.3 s", after <= 0.3),
    ]
    return results


def measure_scaled_load(runs: int, scratch: Path, factors: tuple[int, ...] = (1, 10, 100, 1000)) -> list[Result]:
    """`rolelib.load(folder)` of the data copied 1x to 1000x (each run reads a fresh copy, uncached).

    The garbage a large load leaves is collected before each timed load, so that it is not
    counted against the next, smaller one.
    """
    import rolelib
    from benchmarks.scaled_data import write_scaled_data
    from rolelib.data import default_data_dir

    rolelib.load()  # imports pandas and pydantic-core once: this measures the work, not the imports
    source = default_data_dir()
    folders: dict[int, list[Path]] = {}
    rows: dict[int, int] = {}
    focus_rows: dict[int, int] = {}
    for factor in factors:
        folders[factor] = []
        for run in range(runs):
            folder = scratch / f"data_{factor}x_{run}"
            counts = write_scaled_data(source, folder, factor)
            folders[factor].append(folder)
        rows[factor] = sum(counts.values())
        focus_rows[factor] = counts["focus"]
    samples: dict[int, list[float]] = {factor: [] for factor in factors}
    for run in range(runs):
        for factor in factors:
            gc.collect()
            start = time.perf_counter()
            data = rolelib.load(folders[factor][run])
            samples[factor].append(time.perf_counter() - start)
            if len(data.focus) != focus_rows[factor]:
                raise RuntimeError(f"the {factor}x copy loaded {len(data.focus)} focus rows, not {focus_rows[factor]}")
    again, fingerprints = [], []
    for _ in range(runs):  # the shipped data once more: checked already, so a fresh copy of it
        start = time.perf_counter()
        data = rolelib.load()
        again.append(time.perf_counter() - start)
        start = time.perf_counter()
        data.fingerprint()
        fingerprints.append(time.perf_counter() - start)
    results = [Result("scaled", "`rolelib.load()` of the shipped data again (read and checked before: "
                                "a fresh copy of its own for the caller)", again),
               Result("scaled", "`CourseData.fingerprint()` of the shipped data (the key of the charts kept)",
                      fingerprints)]
    medians = {factor: statistics.median(samples[factor]) for factor in factors}
    for factor in factors:
        target, ok = ("at most 3 s", medians[factor] <= 3.0) if factor == 100 else ("", None)
        results.append(Result("scaled", f"`rolelib.load()` of the data at {factor}x ({rows[factor]:,} rows)",
                              samples[factor], target, ok))
    for low, high in zip(factors, factors[1:]):
        ratio = medians[high] / medians[low]
        per_row = (medians[high] - medians[low]) / (rows[high] - rows[low])
        results.append(Result("scaled", f"growth {high}x / {low}x (rows x{rows[high] / rows[low]:.1f})",
                              [ratio], "close to linear: at most the row ratio",
                              ratio <= rows[high] / rows[low] * 1.1, figure=f"x{ratio:.2f}",
                              notes=[f"each row added costs {per_row * 1e6:.1f} µs"]))
    return results


# --------------------------------------------------------------------------- checks


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


# --------------------------------------------------------------------------- charts


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
    before = _code_of_commit(BEFORE_REDESIGN, scratch / "before_redesign_charts")
    if before is None:
        return {name: [f"the code before the redesign (commit {BEFORE_REDESIGN}) was not measured: no git history "
                       "here"] for name in names}
    codes: dict[str, Path | None] = {"today": None, "before": before}
    samples: dict[str, dict[str, list[float]]] = {code: {name: [] for name in names} for code in codes}
    for run in range(runs):
        for code, folder in _rotated(list(codes.items()), run):
            env = _child_env()
            if folder is not None:
                env["PYTHONPATH"] = str(folder)
            result = subprocess.run([sys.executable, "-c", _CHARTS_CHILD, json.dumps(names), str(repeats)],
                                    cwd=scratch, env=env, capture_output=True, text=True, check=False)
            if result.returncode != 0:
                raise RuntimeError(f"the child interpreter failed drawing the charts:\n{result.stderr[-2000:]}")
            for name, seconds in json.loads(result.stdout.strip().splitlines()[-1]).items():
                samples[code][name] += seconds
    notes = {}
    for name in names:
        today, earlier = statistics.median(samples["today"][name]), statistics.median(samples["before"][name])
        notes[name] = [f"side by side in fresh interpreters ({runs} each, taking turns): {ms(today)}, the code before "
                       f"the redesign (commit {BEFORE_REDESIGN}) {ms(earlier)}, ratio {today / earlier:.2f}"]
    return notes


# --------------------------------------------------------------------------- notebooks

BASELINE_CELLS = (
    "import pandas as pd\nimport matplotlib.pyplot as plt\nimport ipywidgets as widgets",
    "fig, ax = plt.subplots()\nax.plot([1, 2, 3, 4], [3, 1, 4, 2])\nax.set_title(\"One plot\")\nplt.show()",
)


def _baseline_notebook(folder: Path) -> Path:
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                       "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in BASELINE_CELLS]
    path = folder / "baseline.ipynb"
    nbformat.write(notebook, path)
    return path


def _run_notebook(path: Path, progress_file: Path) -> tuple[float, float]:
    """Start a fresh kernel and run every cell, as Restart and Run All does: (kernel start, total) seconds."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3", allow_errors=False,
                            record_timing=False)
    start = time.perf_counter()
    # The kernel's own log lines (stderr) are not the notebook's output: keep them off the table.
    with client.setup_kernel(env=_child_env(str(progress_file)), cwd=str(path.parent), stderr=subprocess.DEVNULL):
        ready = time.perf_counter()
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
        done = time.perf_counter()
    return ready - start, done - start


def measure_notebooks(runs: int, scratch: Path) -> list[Result]:
    """Every notebook run from a fresh kernel, against a baseline notebook run the same way."""
    baseline = _baseline_notebook(scratch)
    notebooks = {"baseline (imports pandas, matplotlib, ipywidgets; one plot)": baseline}
    for path in [*LESSON_NOTEBOOKS, *INSTRUCTOR_NOTEBOOKS]:
        notebooks[str(path.relative_to(REPO))] = path
    totals: dict[str, list[float]] = {name: [] for name in notebooks}
    starts: dict[str, list[float]] = {name: [] for name in notebooks}
    for name, path in notebooks.items():  # warm the disk cache once, untimed
        _run_notebook(path, scratch / "warm.sqlite3")
    for run in range(runs):
        for number, (name, path) in _rotated(list(enumerate(notebooks.items())), run):
            kernel, total = _run_notebook(path, scratch / f"nb_{run}_{number}.sqlite3")
            totals[name].append(total)
            starts[name].append(kernel)
    base = statistics.median(totals[next(iter(notebooks))])
    results = []
    for number, name in enumerate(notebooks):
        median = statistics.median(totals[name])
        note = f"kernel start {ms(statistics.median(starts[name]))}, cells {ms(median - statistics.median(starts[name]))}"
        if number == 0:
            results.append(Result("notebooks", f"{name}", totals[name], notes=[note]))
            continue
        ratios = [own / other for own, other in zip(totals[name], totals[next(iter(notebooks))])]
        ratio = statistics.median(ratios)
        results.append(Result("notebooks", f"`{name}`", totals[name], "ratio to baseline at most 1.3",
                              ratio <= 1.3, figure=f"ratio {ratio:.2f} ({median / base:.2f} of medians)",
                              notes=[note]))
    return results


# --------------------------------------------------------------------------- class report


def measure_report(runs: int, scratch: Path, learners: int = 500) -> list[Result]:
    """The class report of ``learners`` learners' exports, in process and as the `rolelib report` command."""
    from rolelib.charts import render
    from rolelib.instructor.report import class_report
    from rolelib.instructor.samples import make_sample_exports

    folder = scratch / "exports"
    written = make_sample_exports(folder, learners=learners)
    class_report(written[:3])  # the data and the banks are loaded once, as in any session: untimed
    samples, charts_too = [], []
    for _ in range(runs):
        start = time.perf_counter()
        report = class_report(folder)
        samples.append(time.perf_counter() - start)
        start = time.perf_counter()
        render(report.question_chart())
        render(report.mastery_chart())
        charts_too.append(time.perf_counter() - start)
    if len(report.learners) != learners + 1:  # the sample's forgery is a learner of its own
        raise RuntimeError(f"the report read {len(report.learners)} learners, not {learners + 1}")
    attempts = int(report.learners["attempted"].sum())
    command = []
    for run in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "rolelib.cli", "report", str(folder), "--out",
                        str(scratch / f"report_{run}")], cwd=scratch, env=_child_env(),
                       capture_output=True, text=True, check=True)
        command.append(time.perf_counter() - start)
    return [
        Result("report", f"`class_report()` of {learners} learners ({len(written)} files, "
                         f"{attempts:,} questions answered)", samples, "at most 2 s",
               statistics.median(samples) <= 2.0),
        Result("report", "its two charts, drawn and rendered to PNG", charts_too),
        Result("report", "`rolelib report` command on the same folder (fresh interpreter, "
                         "imports, CSV files written)", command, "at most 2 s", statistics.median(command) <= 2.0),
    ]


def measure_report_bounds(runs: int, scratch: Path, learners: int = 10_000, huge_files: int = 3) -> list[Result]:
    """`rolelib report` over ``learners`` small exports plus ``huge_files`` exports of 200 MB: time and peak memory.

    The 200 MB files are over the report's size limit: they must be listed, never read.
    The peak memory is the report process's maximum resident set size.
    """
    folder = _large_class(scratch / "class_of_many", learners, huge_files)
    code = ("import resource, sys; from rolelib.cli import main; status = main(sys.argv[1:]); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(status)")
    seconds, peaks = [], []
    for run in range(runs):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", code, "report", str(folder), "--out", str(scratch / f"many_{run}")],
                              cwd=scratch, env=_child_env(), capture_output=True, text=True, check=True)
        seconds.append(time.perf_counter() - start)
        kilobytes = int(done.stderr.strip().splitlines()[-1])
        peaks.append(kilobytes * (1 if sys.platform == "darwin" else 1024) / 2**20)  # macOS gives bytes
    first = done.stdout.splitlines()[0]
    if f"{learners:,} learners" not in first or f"{huge_files} files skipped" not in first:
        raise RuntimeError(f"the report did not read the class as expected: {first}")
    peak = statistics.median(peaks)
    return [Result("report", f"`rolelib report` of {learners:,} small exports and {huge_files} exports of 200 MB "
                             "(over the size limit: listed, not read; fresh interpreter, every file written)",
                   seconds, "peak memory at most 1 GB", peak <= 1024, figure=f"peak memory {peak:.0f} MB",
                   notes=[f"peak memory (the process's maximum resident set): min {min(peaks):.0f} MB, "
                          f"max {max(peaks):.0f} MB"])]


_SCALE_CODE = """
import json, resource, sys, time
from rolelib.instructor.report import class_report
class_report([])  # the data and the banks, loaded once as in any session: untimed
start = time.perf_counter()
report = class_report(sys.argv[1])
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "learners": len(report.learners), "answers": int(report.learners["attempted"].sum()),
                  "options": len(report.distractors), "kb": peak}))
"""


def measure_report_scale(runs: int, scratch: Path, sizes: tuple[int, ...] = (500, 10_000)) -> list[Result]:
    """`class_report()` (re-grading and distractor analysis included) of classes of each size, side by side.

    Each class is made of copies of 100 sample learners under new names (see :func:`_large_class`);
    every run measures each size once, in a fresh interpreter, after loading the data and the banks
    (untimed). The target: 10,000 learners in at most 3 s and 1 GB, and a cost per answer that does
    not grow with the class (at most 1.3 times the smallest class's).
    """
    folders = {size: _large_class(scratch / f"scale_{size}", size, 0) for size in sizes}
    seconds: dict[int, list[float]] = {size: [] for size in sizes}
    peaks: dict[int, list[float]] = {size: [] for size in sizes}
    answers: dict[int, int] = {}
    for _ in range(runs):
        for size in sizes:
            done = subprocess.run([sys.executable, "-c", _SCALE_CODE, str(folders[size])], cwd=scratch,
                                  env=_child_env(), capture_output=True, text=True, check=True)
            found = json.loads(done.stdout.strip().splitlines()[-1])
            if found["learners"] != size:
                raise RuntimeError(f"the report read {found['learners']} learners, not {size}")
            seconds[size].append(found["seconds"])
            peaks[size].append(found["kb"] * (1 if sys.platform == "darwin" else 1024) / 2**20)
            answers[size] = found["answers"]
    smallest = sizes[0]
    per_answer = {size: statistics.median(seconds[size]) / answers[size] for size in sizes}
    results = []
    for size in sizes:
        peak = statistics.median(peaks[size])
        growth = per_answer[size] / per_answer[smallest]
        note = (f"{answers[size]:,} questions answered; {per_answer[size] * 1e6:.1f} µs per answer, "
                f"{growth:.2f} times the {smallest:,}-learner class's; peak memory {peak:.0f} MB")
        if size == max(sizes):
            ok = statistics.median(seconds[size]) <= 3.0 and peak <= 1024 and growth <= 1.3
            results.append(Result("report", f"`class_report()` of {size:,} learners, re-grading and distractor "
                                            "analysis included (fresh interpreter, data loaded)", seconds[size],
                                  "at most 3 s and 1 GB; per answer at most 1.3 times the small class's", ok,
                                  notes=[note]))
        else:
            results.append(Result("report", f"`class_report()` of {size:,} learners, made the same way",
                                  seconds[size], notes=[note]))
    return results


def _large_class(folder: Path, learners: int, huge_files: int) -> Path:
    """``learners`` made-up exports (copies of 100 sample learners under new names) and ``huge_files`` of 200 MB."""
    from rolelib.instructor.samples import make_sample_exports

    templates = make_sample_exports(folder / "templates", learners=100, problems=False)
    target = folder / "handed_in"
    target.mkdir(parents=True)
    for copy in range(learners // len(templates)):
        for number, template in enumerate(templates, start=1):
            text = template.read_text(encoding="utf-8").replace(
                f'"Sample learner {number:02d}"', f'"Sample learner {number:02d}-{copy:03d}"').replace(
                f'"sample{number:02d}"', f'"sample{number:02d}-{copy:03d}"')
            (target / f"{copy:03d}_{template.name}").write_text(text, encoding="utf-8")
    for number in range(1, huge_files + 1):
        with open(target / f"huge_{number}.json", "w", encoding="utf-8") as handle:
            handle.write('{"format": "rolelib-progress", "version": 2, "learner": "Huge", "account": null, '
                         '"exported_at": "", "course_version": "", "attempts": [{"answer": "')
            for _ in range(200):
                handle.write("x" * 2**20)
            handle.write('"}]}')
    return target


# --------------------------------------------------------------------------- test suite

NBVAL = ["--nbval", "--nbval-current-env", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg"]
OLDEST = REPO / ".venv-oldest" / "bin" / "python"


def measure_suite(oldest: Path = OLDEST) -> list[Result]:
    """The whole test suite, once (it takes minutes), part by part as `make test` runs it.

    ``oldest`` is the Python of the environment with the oldest supported versions.
    """
    parts = {  # the commands of `make test` (see the Makefile), the browser tests apart
        "unit tests, doctests and notebooks under nbval":
            (sys.executable, ["tests", "rolelib", "notebooks", *NBVAL, "-q", "-p", "no:cacheprovider",
                              "--ignore=tests/browser"]),
        "browser tests": (sys.executable, ["tests/browser", "-q", "-p", "no:cacheprovider"]),
        "oldest versions: unit tests and doctests":
            (str(oldest), ["-p", "no:cacheprovider", "--ignore=tests/browser", "-q", "tests", "rolelib"]),
        "oldest versions: notebooks run top to bottom":
            (str(oldest), ["-p", "no:cacheprovider", "--nbval-lax", "--nbval-current-env", "-q", "notebooks"]),
    }
    results = []
    for what, (python, arguments) in parts.items():
        if not Path(python).exists():
            results.append(Result("suite", what, [], notes=["not measured: the environment with the oldest "
                                                            "versions (`make oldest`) is not set up"]))
            continue
        start = time.perf_counter()
        done = subprocess.run([python, "-m", "pytest", *arguments], cwd=REPO, capture_output=True, text=True,
                              check=False)
        seconds = time.perf_counter() - start
        tail = (done.stdout.strip().splitlines() or ["(no output)"])[-1]
        results.append(Result("suite", f"{what} (`pytest {' '.join(arguments)}`)", [seconds],
                              notes=[f"one run; pytest: {tail}"]))
    measured = [result for result in results if result.samples]
    total = sum(result.samples[0] for result in measured)
    complete = len(measured) == len(results)
    results.append(Result("suite", "the whole suite" + ("" if complete else " (the parts measured)"),
                          [total], "at most 10 minutes", total <= 600))
    return results


def suite_from_seconds(seconds: float) -> list[Result]:
    """The whole suite's duration, measured separately and given on the command line."""
    return [Result("suite", "the whole test suite (measured separately, given with --suite-seconds)",
                   [seconds], "at most 10 minutes", seconds <= 600, notes=["one run"])]


def compile_rolelib() -> None:
    """Write rolelib's compiled bytecode (its __pycache__ folders), as pip does when installing.

    With the editable install, a learner's Python compiles rolelib on its first import, saves the
    bytecode and reads it from then on. A machine that sets PYTHONDONTWRITEBYTECODE (some
    containers do) saves nothing, so without this step every fresh interpreter and kernel of the
    benchmark would compile rolelib from source again: about 50 ms that no learner pays twice.
    """
    import compileall

    if not compileall.compile_dir(REPO / "rolelib", quiet=1):
        raise RuntimeError("rolelib does not compile: run the tests first")


def scratch_folder() -> tempfile.TemporaryDirectory:
    """A temporary folder for generated data, notebooks' progress files and exports."""
    return tempfile.TemporaryDirectory(prefix="rolelib-bench-")
