"""The class report: a class of learners, a large one, and the bounds on what it reads."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.measures.common import Result, child_env


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
                        str(scratch / f"report_{run}")], cwd=scratch, env=child_env(),
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
                              cwd=scratch, env=child_env(), capture_output=True, text=True, check=True)
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
                                  env=child_env(), capture_output=True, text=True, check=True)
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
